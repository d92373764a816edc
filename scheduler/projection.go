package scheduler

import (
	"math"

	"kiemtra/models"
)

// Default rates of a projection when the registry or the visits have no history yet: about Can
// Tho's churn, the same figures `kiemtra simulate` starts from.
const (
	DefaultOpeningRate = 0.08
	DefaultClosureRate = 0.06
	DefaultMissRate    = 0.10
)

// Rates are the yearly rates a projection assumes, with which of them fell back to the defaults
// because nothing was observed yet.
type Rates struct {
	Openings        float64 `json:"openings"` // openings a year, as a share of those open on 1 January
	Closures        float64 `json:"closures"` // closures a year, as a share of those open on 1 January
	Misses          float64 `json:"misses"`   // share of visits that fail (closed door, refused) and are repeated
	OpeningsDefault bool    `json:"openings_default,omitempty"`
	ClosuresDefault bool    `json:"closures_default,omitempty"`
	MissesDefault   bool    `json:"misses_default,omitempty"`
}

// ObservedRates turns the registry's and the visits' history into rates: openings and closures
// over the businesses open on 1 January of the years observed (openYears sums those counts),
// misses over the visits attempted. A rate without history takes its default.
func ObservedRates(openings, closures, openYears, attempts, missed int) Rates {
	r := Rates{Openings: DefaultOpeningRate, Closures: DefaultClosureRate, Misses: DefaultMissRate,
		OpeningsDefault: true, ClosuresDefault: true, MissesDefault: true}
	if openYears > 0 {
		r.Openings, r.OpeningsDefault = float64(openings)/float64(openYears), false
		r.Closures, r.ClosuresDefault = float64(closures)/float64(openYears), false
	}
	if attempts > 0 {
		// A rate of 1 would make the expected repeats infinite; no real history gets there.
		r.Misses, r.MissesDefault = math.Min(float64(missed)/float64(attempts), 0.95), false
	}
	return r
}

// YearCapacity is what the teams can do in one year: inspections and the team working days they
// take.
type YearCapacity struct {
	Year        int     `json:"year"`
	Inspections float64 `json:"inspections"`
	TeamDays    float64 `json:"team_days"`
}

// TeamCapacity is the teams' capacity in a year as the planner schedules it (the same weeks,
// working days, holidays and rounding as a yearly plan): from in.AsOf in the plan's own year,
// from 1 January in later years, up to the deadline in the last.
func TeamCapacity(in Input, year int) YearCapacity {
	in.Year = year
	if jan1 := models.NewDate(year, 1, 1); in.AsOf.Before(jan1) {
		in.AsOf = jan1
	}
	s := newSchedule(in)
	c := YearCapacity{Year: year}
	for t, team := range in.Teams {
		days := team.WorkingDays
		if days.Count() == 0 {
			days = models.DefaultWorkingDays
		}
		perDay := float64(team.Weekly) / float64(days.Count())
		for _, n := range s.full[t] {
			c.Inspections += float64(n)
			if perDay > 0 {
				c.TeamDays += float64(n) / perDay
			}
		}
	}
	return c
}

// ProjectionInput is the state a projection starts from.
type ProjectionInput struct {
	Year           int     // the year the projection is made in, projected from its 1 January
	LastYear       int     // the coverage deadline's year
	MinYearlyShare float64 //
	GraceDays      int     // businesses opened this close to the deadline need not be covered
	Open           int     // in-scope businesses open on 1 January of Year
	Uninspected    int     // of them, never inspected in the programme
	Rates          Rates
	Capacity       []YearCapacity // one per year from Year to LastYear
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
	Rates  Rates            `json:"rates"`
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

// Project computes, for each remaining year, the expected load under today's quota rule and
// whether it fits the capacity. The model, in expected values:
//   - each year covers ceil(uninspected / years left) never-inspected businesses (all of them in
//     the last year, with that year's openings before the grace period), and re-inspects what the
//     yearly share still needs, at least 5% of those already inspected;
//   - each visit fails with the miss rate and is repeated until it succeeds, so a visit costs
//     1/(1-miss) attempts;
//   - closures strike the businesses open on 1 January; openings add to next year's never
//     inspected (they are not drawn in their own year, apart from the last);
//   - a year's load needs load x (team-days / inspections) team-days at the teams' pace.
//
// Visits found closed and closures among the businesses selected are left out: the projection
// leans to the safe side.
func Project(p ProjectionInput) (*Projection, error) {
	var v models.Validation
	if p.LastYear < p.Year {
		v.Add("year", "%d is after the deadline's year %d", "năm %d sau năm của hạn hoàn thành %d", p.Year, p.LastYear)
	}
	if p.MinYearlyShare <= 0 || p.MinYearlyShare > 1 {
		v.Add("min_yearly_share", "must be above 0 and at most 1", "phải lớn hơn 0 và không quá 1")
	}
	if p.Open < 0 || p.Uninspected < 0 || p.Uninspected > p.Open {
		v.Add("uninspected", "must be between 0 and the businesses open", "phải từ 0 đến số cơ sở đang hoạt động")
	}
	r := p.Rates
	if r.Openings < 0 || r.Closures < 0 || r.Closures >= 1 || r.Misses < 0 || r.Misses >= 1 {
		v.Add("rates", "openings must be at least 0, closures and misses at least 0 and below 1", "tỷ lệ mở mới phải từ 0, tỷ lệ đóng cửa và không gặp phải từ 0 đến dưới 1")
	}
	if len(p.Capacity) != p.LastYear-p.Year+1 && p.LastYear >= p.Year {
		v.Add("capacity", "needs one year for each of %d remaining years", "cần năng lực cho từng năm trong %d năm còn lại", p.LastYear-p.Year+1)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	out := &Projection{MadeIn: p.Year, Rates: r, Fits: true}
	open, uninspected := float64(p.Open), float64(p.Uninspected)
	for k, c := range p.Capacity {
		year := p.Year + k
		left := p.LastYear - year + 1
		y := YearProjection{Year: year, Open: open, Uninspected: uninspected, Openings: r.Openings * open}
		must, reinsp := quotas(uninspected, open-uninspected, open, left, p.MinYearlyShare)
		if left == 1 {
			must += y.Openings * math.Max(0, 365-float64(p.GraceDays)) / 365
		}
		y.FirstVisits, y.Reinspections = must, reinsp
		visits := must + reinsp
		y.Repeats = visits * r.Misses / (1 - r.Misses)
		y.Load = visits + y.Repeats
		pace := 1.0 // no capacity at all: a day per visit, as a plan's shortfall counts it
		if c.Inspections > 0 {
			pace = c.TeamDays / c.Inspections
		}
		y.NeededTeamDays = round1(y.Load * pace)
		y.AvailableTeamDays = round1(c.TeamDays)
		y.MissingTeamDays = round1(math.Max(0, y.NeededTeamDays-y.AvailableTeamDays))
		y.Fits = y.MissingTeamDays == 0
		if !y.Fits {
			out.MissingTeamDays += y.MissingTeamDays
			if out.Fits {
				out.Fits, out.FirstShortYear = false, year
			}
		}
		out.NeededTeamDays += y.NeededTeamDays
		out.AvailableTeamDays += y.AvailableTeamDays
		out.Years = append(out.Years, rounded(y))
		uninspected = (uninspected-must)*(1-r.Closures) + y.Openings
		open *= 1 + r.Openings - r.Closures
	}
	out.MissingTeamDays = round1(out.MissingTeamDays)
	out.NeededTeamDays = round1(out.NeededTeamDays)
	out.AvailableTeamDays = round1(out.AvailableTeamDays)
	return out, nil
}

// ProjectPlan projects the rest of the programme from a yearly plan's input: its businesses on
// the planning date and its teams' capacity, each later year scheduled as the planner would.
func ProjectPlan(in Input, rates Rates, graceDays int) (*Projection, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	p := ProjectionInput{Year: in.Year, LastYear: in.Programme.Deadline.Year, MinYearlyShare: in.Programme.MinYearlyShare,
		GraceDays: graceDays, Open: len(in.Businesses), Rates: rates}
	for _, b := range in.Businesses {
		if !b.Covered {
			p.Uninspected++
		}
	}
	for y := p.Year; y <= p.LastYear; y++ {
		p.Capacity = append(p.Capacity, TeamCapacity(in, y))
	}
	return Project(p)
}

// quotas is today's yearly rule (YearlyPlan): must = ceil(uninspected / years left), all of them
// in the last year; re-inspections make up the yearly share, at least MinReinspectionShare of
// those inspected; when too few are inspected, more never-inspected ones are drawn.
func quotas(uninspected, covered, open float64, left int, share float64) (must, reinsp float64) {
	must = ceilF(uninspected / float64(left))
	if left == 1 {
		must = uninspected
	}
	must = math.Min(must, uninspected)
	reinsp = math.Max(ceilF(share*open)-must, 0)
	if covered > 0 {
		reinsp = math.Max(reinsp, ceilF(MinReinspectionShare*covered))
	}
	if reinsp > covered {
		must = math.Min(uninspected, must+reinsp-covered)
		reinsp = covered
	}
	return must, reinsp
}

// rounded keeps a tenth of the expected counts in the output; the projection runs unrounded.
func rounded(y YearProjection) YearProjection {
	for _, f := range []*float64{&y.Open, &y.Uninspected, &y.Openings, &y.FirstVisits, &y.Reinspections, &y.Repeats, &y.Load} {
		*f = round1(*f)
	}
	return y
}

func ceilF(x float64) float64 { return math.Ceil(x - 1e-9) }

func round1(x float64) float64 { return math.Round(x*10) / 10 }
