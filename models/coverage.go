package models

import "time"

// CoverageQuery asks for the progress of a programme in a year, by area.
type CoverageQuery struct {
	Programme *Programme
	Year      int
	AsOf      Date     // the day the figures are as of (today, or the year's end for a past year)
	Level     string   // the rows of the answer: a level of the units in force on AsOf
	Area      string   // the root of the answer (the caller's jurisdiction or a chosen area); Resolve makes it the unit version in force on AsOf
	Category  string   // optional: one category only
	Scope     []string // categories in scope ("" = all): the programme's scope, or Category
}

// WardCounts are the raw counts of one ward, as the database aggregates them. They add up:
// every business belongs to exactly one ward. The fields are measures of the vocabulary in
// measure.go, under the same names (a field's JSON name is its measure's key).
type WardCounts struct {
	AreaCode string `json:"area_code"`
	// OpenAtStart: in scope and open on the period's first day (1 January for a year).
	OpenAtStart int `json:"open_at_start"`
	// InScope: in scope and open on the as-of day.
	InScope int `json:"in_scope"`
	// Eligible: open on the as-of day and opened at least the grace period before the
	// programme's deadline: the businesses the programme must cover.
	Eligible int `json:"eligible"`
	// Inspected: distinct businesses inspected in the period up to the as-of day, whenever they
	// opened or closed; InspectedOpenAtStart: those of them open on the period's first day, which
	// the share counts.
	Inspected            int `json:"inspected"`
	InspectedOpenAtStart int `json:"inspected_open_at_start"`
	// Inspections: inspection records (inspected outcomes) in the period.
	Inspections int `json:"inspections"`
	// Covered: distinct Eligible businesses inspected since the programme began.
	Covered int `json:"covered"`
	// OverdueTasks: open tasks whose window ended before the as-of day.
	OverdueTasks int `json:"overdue_tasks"`
	// Violations: findings recorded in the period; Violating: distinct businesses with one.
	Violations int `json:"violations"`
	Violating  int `json:"violating"`
	// RecentNewYear and RecentNewCovered: businesses first inspected this year, and first
	// covered in the programme, in the 8 weeks before the as-of day: the pace of the forecast.
	RecentNewYear    int `json:"recent_new_year"`
	RecentNewCovered int `json:"recent_new_covered"`
}

// CoverageRow is the progress of one area: the counts and what they mean against the targets.
// AreaCode is the unit version; GSOCode its official code, which users know it by.
type CoverageRow struct {
	AreaCode   string `json:"area_code"`
	GSOCode    string `json:"gso_code"`
	Name       string `json:"name"`
	TypeName   string `json:"type_name"` // Quận, Phường, Xã ... (data, not a level)
	Level      string `json:"level"`
	ParentCode string `json:"parent_code"` // the unit above it ("" for the answer's root)
	WardCounts
	YearTarget         int     `json:"year_target"`          // ceil(min share x open at the start)
	Share              float64 `json:"share"`                // inspected open at the start / open at the start
	TargetProgress     float64 `json:"target_progress"`      // inspected open at the start / year target (1 = met)
	Coverage           float64 `json:"coverage"`             // covered / eligible
	NeverInspected     int     `json:"never_inspected"`      // eligible - covered
	ProjectedYearShare float64 `json:"projected_year_share"` // at the pace of the last 8 weeks
	ProjectedCoverage  float64 `json:"projected_coverage"`   // at the deadline, same pace
	OnTrack            bool    `json:"on_track"`
}

// Coverage answers a coverage query.
type Coverage struct {
	ProgrammeID   string  `json:"programme_id"`
	ProgrammeCode string  `json:"programme_code"`
	Year          int     `json:"year"`
	AsOf          Date    `json:"as_of"`
	Deadline      Date    `json:"deadline"`
	MinShare      float64 `json:"min_share"`
	Level         string  `json:"level"`
	Area          string  `json:"area"`
	Category      string  `json:"category"`
	// UnitsOn is the day whose units the figures are reported on (the as-of day), Levels the
	// levels of those units under the area, from the top, and Note, when the period spans a
	// reorganisation, says how the earlier figures are attributed.
	UnitsOn Date          `json:"units_on"`
	Levels  []LevelInfo   `json:"levels"`
	Note    *UnitsNote    `json:"note"`
	Rows    []CoverageRow `json:"rows"`
	Total   CoverageRow   `json:"total"`
	// Projection is the feasibility projection of the rest of the programme as of today, when
	// the answer is the whole programme (its area the top of the territory, no category) in its
	// current year; the total's on_track then follows it. Nil otherwise.
	Projection  *Projection `json:"projection"`
	GeneratedAt time.Time   `json:"generated_at"`
}

// LevelInfo is one level of the units in force on a day under an area: its code (city,
// district, ward, commune: data), its name made of its units' type names (Quận/Huyện, Phường/Xã),
// in Vietnamese and English, and how many units it has.
type LevelInfo struct {
	Level  string `json:"level"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	Units  int    `json:"units"`
}

// UnitsNote says that a period's figures span a reorganisation: they are reported on the units
// in force at the period's end, and what happened before the reorganisation is attributed through
// each business's unit on that day.
type UnitsNote struct {
	UnitsOn       Date   `json:"units_on"`
	ReorganisedOn Date   `json:"reorganised_on"` // the (latest) reorganisation within the period
	Message       string `json:"message"`
	MessageVI     string `json:"message_vi"`
}

// BusinessCoverage is one business on the coverage map.
type BusinessCoverage struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Category string  `json:"category"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	AreaCode string  `json:"area_code"`
	// Status is inspected_this_year, covered_in_programme, never_inspected, overdue or closed.
	Status        string `json:"status"`
	LastInspected Date   `json:"last_inspected"`
}

// Business map statuses.
const (
	MapInspectedThisYear  = "inspected_this_year"
	MapCoveredInProgramme = "covered_in_programme"
	MapNeverInspected     = "never_inspected"
	MapOverdue            = "overdue"
	MapClosed             = "closed"
)

// CoverageSpec is a coverage query turned into the instants and filters the database needs.
// Instants are the starts of days in the users' time zone.
type CoverageSpec struct {
	Jan1           Date      // first day of the year
	AsOf           Date      // the figures' day
	GraceEnd       Date      // businesses opened after this need not be covered by the deadline
	YearStart      time.Time // Jan1 00:00 local
	End            time.Time // the day after AsOf, 00:00 local (exclusive)
	ProgrammeStart time.Time // the programme's first day, 00:00 local
	RecentStart    time.Time // 8 weeks before End: the window of the forecast's pace
	Scope          []string  // categories; empty means all
	// UnitsOn is the day whose units the figures are reported on: every business, and its
	// inspections, tasks and tips, counts in the unit it belonged to that day (area_moves say
	// where it was before a move). Units are the unit versions counted (the area's units of
	// that day in the programme's territory); nil counts every unit.
	UnitsOn Date
	Units   []string
}

// BusinessSpan is what the burn-down needs of a business: when it was open and when it was
// first inspected in the programme.
type BusinessSpan struct {
	ID          string
	OpenedOn    Date
	ClosedOn    Date
	Closed      bool
	FirstInProg *time.Time
}

// BurnPoint is the never-inspected count at a date.
type BurnPoint struct {
	Date           Date `json:"date"`
	Eligible       int  `json:"eligible,omitempty"`
	Covered        int  `json:"covered,omitempty"`
	NeverInspected int  `json:"never_inspected"`
}

// Burndown is the never-inspected businesses month by month against the straight line to zero
// at the deadline.
type Burndown struct {
	ProgrammeCode string      `json:"programme_code"`
	Deadline      Date        `json:"deadline"`
	Area          string      `json:"area"`
	Points        []BurnPoint `json:"points"`
	Target        []BurnPoint `json:"target"`
}

// ProjectionRates are the yearly rates a feasibility projection (scheduler.Project) assumes,
// with which of them fell back to the defaults because nothing was observed yet.
type ProjectionRates struct {
	Openings        float64 `json:"openings"` // openings a year, as a share of those open on 1 January
	Closures        float64 `json:"closures"` // closures a year, as a share of those open on 1 January
	Misses          float64 `json:"misses"`   // share of visits that fail (closed door, refused) and are repeated
	OpeningsDefault bool    `json:"openings_default,omitempty"`
	ClosuresDefault bool    `json:"closures_default,omitempty"`
	MissesDefault   bool    `json:"misses_default,omitempty"`
}

// YearProjection is one remaining year of a projection: the expected load under today's quota
// rule and whether the teams' capacity holds it.
type YearProjection struct {
	Year        int     `json:"year"`
	Open        float64 `json:"open"`        // expected open on 1 January
	Uninspected float64 `json:"uninspected"` // expected never inspected on 1 January
	Openings    float64 `json:"openings"`    // expected openings in the year
	// FirstVisits are the never-inspected businesses the year must cover; in the last year they
	// include the openings before the grace period, which the nightly job adds at once.
	FirstVisits       float64 `json:"first_visits"`
	Reinspections     float64 `json:"reinspections"` // what the yearly share and the 5% floor add
	Repeats           float64 `json:"repeats"`       // expected repeats of missed visits
	Load              float64 `json:"load"`          // visits, repeats included
	NeededTeamDays    float64 `json:"needed_team_days"`
	AvailableTeamDays float64 `json:"available_team_days"`
	MissingTeamDays   float64 `json:"missing_team_days"`
	Fits              bool    `json:"fits"`
}

// Projection is the expected course of the rest of a programme against the teams' capacity.
type Projection struct {
	MadeIn int              `json:"made_in"`
	Rates  ProjectionRates  `json:"rates"`
	Years  []YearProjection `json:"years"`
	// Fits is true when every remaining year fits; FirstShortYear is the first that does not (0
	// when all fit). The shortfall is knowable in MadeIn: that is when to add teams or move work.
	Fits            bool    `json:"fits"`
	FirstShortYear  int     `json:"first_short_year,omitempty"`
	MissingTeamDays float64 `json:"missing_team_days"` // summed over the years short
	// NeededTeamDays and AvailableTeamDays are the totals over the remaining years: when needed
	// is within available but a year is short, levelling the work would fit; otherwise teams
	// are missing whatever the quotas.
	NeededTeamDays    float64 `json:"needed_team_days"`
	AvailableTeamDays float64 `json:"available_team_days"`
}
