// Package report produces the programme's official period reports (a quarter, a half-year or a
// year, per unit of every level under the area) as XLSX workbooks and CSV files, and keeps the
// reports of closed periods in an archive. A report lists the units in force on the period's
// last day (docs/areas.md): the 2021 districts and wards for 2024, the 2025 communes for 2026.
// The figures come from the coverage computation (the same counts per unit, added up and
// derived by package coverage), so that a year's report agrees with the coverage API; the
// report adds violations by type, follow-ups, tips and the estimated prevalence.
package report

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"sort"
	"strings"
	"time"

	"kiemtra/coverage"
	"kiemtra/models"
	"kiemtra/scheduler"
)

// Store is what the figures are read from.
type Store interface {
	coverage.Store
	// FindPlans returns a programme's plans, newest first.
	FindPlans(ctx context.Context, programmeID string) ([]*models.Plan, error)
	// FindPlanItems returns a plan's selection.
	FindPlanItems(ctx context.Context, planID string) ([]*models.PlanItem, error)
	// WardViolationCodes counts per ward and code the findings of the spec's period.
	WardViolationCodes(ctx context.Context, s models.CoverageSpec) (map[string]map[string]int, error)
	// WardFollowUps counts per ward the follow-ups due for the violations of the period and those done.
	WardFollowUps(ctx context.Context, s models.CoverageSpec) (created, done map[string]int, err error)
	// WardSanctionCounts counts per ward the sanctions decided (and the referrals made) in the
	// spec's period, their payments by its day and those overdue then.
	WardSanctionCounts(ctx context.Context, s models.CoverageSpec) (map[string]models.SanctionFigures, error)
	// WardTipCounts counts per ward the tips received in the period and where they stood at
	// the instant at: verified, handled, handled in time, overdue (workflow false, and only
	// Received counted, while the tips table does not record the workflow); with unplaced, tips
	// placed in no area under the key "".
	WardTipCounts(ctx context.Context, s models.CoverageSpec, at time.Time, unplaced bool) (counts map[string]models.TipFigures, workflow bool, err error)
	// PlanOutcomes returns the businesses of a plan's tasks inspected in [from, to), with
	// whether a violation was found.
	PlanOutcomes(ctx context.Context, planID string, from, to time.Time) (map[string]bool, error)
	// PlanItemUnits returns the unit each business of a plan's selection belonged to on day.
	PlanItemUnits(ctx context.Context, planID string, day models.Date) (map[string]string, error)
}

// Archived is a report kept in the archive.
type Archived struct {
	ID          int64     `json:"id"`
	Period      string    `json:"period"`
	AreaCode    string    `json:"area_code"`
	ProgrammeID string    `json:"programme_id"`
	Format      string    `json:"format"`
	FileName    string    `json:"file_name"`
	GeneratedAt time.Time `json:"generated_at"`
	GeneratedBy string    `json:"generated_by"`
	SizeBytes   int64     `json:"size_bytes"`
	SHA256      string    `json:"sha256"`
	Content     []byte    `json:"-"`
}

// Archive keeps reports.
type Archive interface {
	// SaveArchived stores a report unless the same programme, period, area and format is
	// archived already (created false).
	SaveArchived(ctx context.Context, actor string, a *Archived) (created bool, err error)
	// FindArchived lists the reports that match the filter, newest first, without content, and
	// how many match in all.
	FindArchived(ctx context.Context, f models.ArchiveFilter) ([]*Archived, int, error)
	// ArchivedAreas lists the area codes of the reports that match the filter but for its Area
	// and page, in order.
	ArchivedAreas(ctx context.Context, f models.ArchiveFilter) ([]string, error)
	// FindArchivedByID returns a report with its content; not_found when the id is unknown.
	FindArchivedByID(ctx context.Context, id int64) (*Archived, error)
	// ArchivedExists reports whether a report is archived.
	ArchivedExists(ctx context.Context, programmeID, period, areaCode, format string) (bool, error)
}

// Config holds a Service's dependencies.
type Config struct {
	Store      Store
	Archive    Archive
	Violations []models.ViolationType // the violation codes, in the order of the columns
	Logger     *slog.Logger
	Now        func() time.Time
	Location   *time.Location // the users' time zone: days, and the time the report was generated
	BaseMap    BaseMap        // the dashboard's base map (KIEMTRA_TILE_URL); zero: none
}

// BaseMap is the tile server the dashboard draws under its map (Web Mercator tiles, the URL
// with {z}, {x} and {y}) and the credit line it requires. The zero value draws no base map: the
// offline default. The report service carries it for the dashboard, whose map data and kept
// reports it serves, so that it is configured with the server and not in the page's files.
type BaseMap struct {
	TileURL     string `json:"tile_url"`
	Attribution string `json:"attribution,omitempty"`
}

// Service computes, renders and archives reports.
type Service struct {
	store      Store
	archive    Archive
	violations []models.ViolationType
	log        *slog.Logger
	now        func() time.Time
	loc        *time.Location
	baseMap    BaseMap
	units      *coverage.Service // the units a report is made on
}

// New returns a report service.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, archive: cfg.Archive, violations: cfg.Violations, log: cfg.Logger, now: cfg.Now, loc: cfg.Location, baseMap: cfg.BaseMap}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	s.units = coverage.New(cfg.Store, s.now, s.loc)
	return s
}

// BaseMap returns the dashboard's base-map setting.
func (s *Service) BaseMap() BaseMap { return s.baseMap }

// Query asks for a report. Period, Programme and Area are the input; Resolve fills the rest.
type Query struct {
	Period    Period
	Programme string // id or code; empty: the programme that ran in the period
	Area      string // the report's area; empty: the programme's area

	Prog        *models.Programme // the programme (Resolve)
	AsOf        models.Date       // the last day counted: the period's end, or today while it runs (Resolve)
	ToDate      bool              // the period has not ended yet: figures to date (Resolve)
	GeneratedAt time.Time         // (Resolve)
}

// Resolve checks a query and fills the programme, the area and the as-of day. A period that has
// not begun, or in which the programme did not run, is invalid; a period in progress is
// reported to date.
func (s *Service) Resolve(ctx context.Context, q *Query) error {
	return s.resolveAt(ctx, q, s.now())
}

func (s *Service) resolveAt(ctx context.Context, q *Query, now time.Time) error {
	today := models.DateOf(now.In(s.loc))
	per := q.Period
	if today.Before(per.Start()) {
		return models.Invalid("period", "%s has not begun (it starts on %s)", "kỳ %s chưa bắt đầu (bắt đầu từ %s)", per, per.Start())
	}
	prog, err := s.programmeFor(ctx, q.Programme, per)
	if err != nil {
		return err
	}
	q.Prog = prog
	if q.Area == "" {
		if q.Area, err = s.defaultArea(ctx, prog); err != nil {
			return err
		}
	}
	// Counted up to the period's end, the programme's deadline, or today, whichever is first:
	// for a year this is the coverage API's as-of day.
	q.AsOf = per.End()
	if prog.CoverageDeadline.Before(q.AsOf) {
		q.AsOf = prog.CoverageDeadline
	}
	q.ToDate = !today.After(q.AsOf)
	if q.ToDate {
		q.AsOf = today
	}
	// The report is on the units in force on that day: the area is the unit the code names then.
	u, err := s.units.UnitsFor(ctx, prog, q.Area, q.AsOf, prog.StartsOn)
	if err != nil {
		return err
	}
	q.Area = u.Root.Code
	q.GeneratedAt = now
	return nil
}

// programmeFor finds the programme asked for and checks that it ran in the period, or the
// programme that ran in it.
func (s *Service) programmeFor(ctx context.Context, idOrCode string, per Period) (*models.Programme, error) {
	if idOrCode != "" {
		p, err := s.store.FindProgrammeByID(ctx, idOrCode)
		if models.IsCode(err, models.ENOTFOUND) {
			return nil, models.Invalid("programme", "unknown programme %q", "không có chương trình %q", idOrCode)
		}
		if err != nil {
			return nil, err
		}
		if !runsIn(p, per) {
			return nil, models.Invalid("programme", "the programme %s runs %s to %s, not in %s", "chương trình %s thực hiện từ %s đến %s, không có kỳ %s",
				p.Code, p.StartsOn, p.CoverageDeadline, per)
		}
		return p, nil
	}
	progs, err := s.store.FindProgrammes(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range progs { // newest first: the newer of two programmes sharing a period
		if runsIn(p, per) {
			return p, nil
		}
	}
	return nil, models.Invalid("programme", "no programme ran in %s", "không có chương trình nào thực hiện trong kỳ %s", per)
}

// defaultArea is a programme's area, or the root of the area tree when it names none.
func (s *Service) defaultArea(ctx context.Context, p *models.Programme) (string, error) {
	if p.RootAreaCode != nil && *p.RootAreaCode != "" {
		return *p.RootAreaCode, nil
	}
	areas, _, err := s.store.FindAreas(ctx, models.AreaFilter{Limit: 1})
	if err != nil {
		return "", err
	}
	if len(areas) == 0 || areas[0].ParentCode != nil {
		return "", models.Invalid("area", "the programme %s names no area: choose one", "chương trình %s không có địa bàn: hãy chọn khu vực", p.Code)
	}
	return areas[0].Code, nil
}

// LevelTotal is the level of a report's total row; the other rows have their unit's level.
const LevelTotal = "total"

// LevelUnplaced is the level of the row of the tips placed in no unit yet (given as a place
// the tip officer has not located): the total counts them, and without this row the units would
// not add up to it.
const LevelUnplaced = "unplaced"

// Row is one line of a report: the whole area, or one unit under it. AreaCode is the unit
// version, GSOCode the official code that users know it by.
type Row struct {
	Level    string `json:"level"` // total, or the unit's level (data: district, ward, commune ...)
	AreaCode string `json:"area_code"`
	GSOCode  string `json:"gso_code"`
	Name     string `json:"name"`
	TypeName string `json:"type_name"` // Quận, Huyện, Phường, Xã ...
	// The unit the row's unit sits in, when that is under the report's area ("" otherwise).
	ParentCode    string `json:"parent_code"`
	ParentGSOCode string `json:"parent_gso_code"`
	ParentName    string `json:"parent_name"`
	// InScope: in the programme's scope and open at the period's end (or today).
	InScope int `json:"in_scope"`
	// OpenAtStart: in scope and open on the period's first day.
	OpenAtStart int `json:"open_at_start"`
	// Inspections: inspection records with an inspected outcome (corrections not counted).
	Inspections int `json:"inspections"`
	// Inspected: distinct businesses inspected; InspectedOpenAtStart: those of OpenAtStart.
	Inspected            int `json:"inspected"`
	InspectedOpenAtStart int `json:"inspected_open_at_start"`
	// Share = InspectedOpenAtStart / OpenAtStart.
	Share float64 `json:"share"`
	// Eligible, Covered, Coverage: the programme's coverage at the period's end.
	Eligible       int     `json:"eligible"`
	Covered        int     `json:"covered"`
	Coverage       float64 `json:"coverage"`
	NeverInspected int     `json:"never_inspected"`
	// Violations: findings; Violating: distinct businesses with one; ByCode: findings per code.
	Violations int            `json:"violations"`
	Violating  int            `json:"violating"`
	ByCode     map[string]int `json:"violations_by_code"`
	// FollowUpsDue: follow-up visits that violations found in the period call for (by the
	// violation's date); FollowUpsDone: those of them carried out by the period's end.
	FollowUpsDue  int `json:"follow_ups_due"`
	FollowUpsDone int `json:"follow_ups_done"`
	// Tips received in the period, and where they stood at its end (or now, while it runs):
	// verified (verification begun), handled, handled in time, overdue (a verification or
	// handling deadline missed and the step not done). Nil while the tip workflow does not
	// record them.
	TipsReceived int  `json:"tips_received"`
	TipsVerified *int `json:"tips_verified"`
	TipsHandled  *int `json:"tips_handled"`
	TipsInTime   *int `json:"tips_in_time"`
	TipsOverdue  *int `json:"tips_overdue"`
	// Sanctions decided in the period by form, fines decided and collected by the period's end
	// (or today), referrals to the police made in the period, and decisions overdue then.
	models.SanctionFigures
	// Prevalence: the share of violating businesses estimated from the year's plan sample with
	// its 95% interval; nil without an approved plan or an inspected sample.
	Prevalence *scheduler.Estimate `json:"prevalence"`
}

// Report is a period report.
type Report struct {
	Period        string      `json:"period"`
	PeriodName    string      `json:"period_name"`
	PeriodNameEN  string      `json:"period_name_en"`
	Start         models.Date `json:"start"`
	End           models.Date `json:"end"`
	AsOf          models.Date `json:"as_of"`
	ToDate        bool        `json:"to_date"`
	ProgrammeID   string      `json:"programme_id"`
	ProgrammeCode string      `json:"programme_code"`
	ProgrammeName string      `json:"programme_name"`
	AreaCode      string      `json:"area_code"`
	AreaName      string      `json:"area_name"`
	GeneratedAt   time.Time   `json:"generated_at"` // in the users' time zone
	TimeZone      string      `json:"time_zone"`
	// ViolationTypes are the violation columns: every known code, then unknown codes found.
	ViolationTypes []models.ViolationType `json:"violation_types"`
	// PrevalencePlans are the approved plans whose samples the estimate uses.
	PrevalencePlans []string `json:"prevalence_plans"`
	// UnitsOn is the day whose units the report lists (as_of), Levels their levels under the
	// area, from the top, and Note, when the period spans a reorganisation, how what happened
	// before it is attributed.
	UnitsOn models.Date        `json:"units_on"`
	Levels  []models.LevelInfo `json:"levels"`
	Note    *models.UnitsNote  `json:"note"`
	AreaGSO string             `json:"area_gso_code"`
	Total   Row                `json:"total"`
	// Rows are the units under the area, each followed by the units under it.
	Rows []Row `json:"rows"`
	// Unplaced, when some tips of the period are placed in no unit yet, is their row: the
	// units and it add up to the total.
	Unplaced *Row `json:"unplaced"`
}

// RowsOf lists the rows of one level, in order.
func (r *Report) RowsOf(level string) []Row {
	var out []Row
	for _, x := range r.Rows {
		if x.Level == level {
			out = append(out, x)
		}
	}
	return out
}

// level returns the report's level of that code, or one named by its code.
func (r *Report) level(code string) models.LevelInfo {
	for _, l := range r.Levels {
		if l.Level == code {
			return l
		}
	}
	return models.LevelInfo{Level: code, Name: code, NameEN: code}
}

// wardFigures are the report's per-unit figures beyond the coverage counts.
type wardFigures struct {
	codes           map[string]map[string]int
	followUps, done map[string]int
	tips            map[string]models.TipFigures
	tipWorkflow     bool // the tips table records verification and handling
	sanctions       map[string]models.SanctionFigures
	*sample
}

// sample is the year's approved plan samples in an area's units: the estimated prevalence of
// the reports and of the coverage API comes from it, by one computation.
type sample struct {
	obs        map[string][]scheduler.Observation
	population map[string]float64 // shared among units when the plan's units ended since
	plans      map[string]bool    // the approved plans of the sample
}

// Build computes a resolved query's report.
func (s *Service) Build(ctx context.Context, q Query) (*Report, error) {
	p := q.Prog
	if p == nil {
		return nil, fmt.Errorf("report query not resolved")
	}
	u, err := s.units.UnitsFor(ctx, p, q.Area, q.AsOf, p.StartsOn)
	if err != nil {
		return nil, err
	}
	root, areas := u.Root, u.Areas
	cq := models.CoverageQuery{Programme: p, Year: q.Period.Year, AsOf: q.AsOf, Area: root.Code, Scope: p.ScopeCategories}
	spec := coverage.Spec(cq, u, s.loc)
	spec.Jan1 = q.Period.Start()
	spec.YearStart = spec.Jan1.Time(s.loc).UTC()
	counts, err := s.store.WardCoverageCounts(ctx, spec)
	if err != nil {
		return nil, err
	}
	wf, err := s.wardFigures(ctx, q, spec, root, areas)
	if err != nil {
		return nil, err
	}
	byCode := make(map[string]*models.Area, len(areas))
	for _, a := range areas {
		byCode[a.Code] = a
	}
	rep := &Report{Period: q.Period.String(), PeriodName: q.Period.NameVI(), PeriodNameEN: q.Period.NameEN(), Start: q.Period.Start(), End: q.Period.End(),
		AsOf: q.AsOf, ToDate: q.ToDate, ProgrammeID: p.ID, ProgrammeCode: p.Code, ProgrammeName: p.Name, AreaCode: root.Code, AreaGSO: root.OfficialCode(), AreaName: root.Name,
		GeneratedAt: q.GeneratedAt.In(s.loc).Truncate(time.Second), TimeZone: s.loc.String(), ViolationTypes: s.violationTypes(wf.codes),
		UnitsOn: u.On, Note: u.Note, Levels: []models.LevelInfo{}, Rows: []Row{}}
	for _, l := range u.Levels {
		if l.Level != root.Level {
			rep.Levels = append(rep.Levels, l)
		}
	}
	row := func(level string, c models.CoverageRow) Row {
		coverage.Derive(&c, cq)
		r := Row{Level: level, AreaCode: c.AreaCode, GSOCode: c.GSOCode, Name: c.Name, InScope: c.InScope, OpenAtStart: c.OpenAtStart, Inspections: c.Inspections, Inspected: c.Inspected,
			InspectedOpenAtStart: c.InspectedOpenAtStart, Share: c.Share, Eligible: c.Eligible, Covered: c.Covered, Coverage: c.Coverage, NeverInspected: c.NeverInspected,
			Violations: c.Violations, Violating: c.Violating}
		if level != LevelTotal {
			r.TypeName = c.TypeName
			if parent := byCode[c.ParentCode]; parent != nil && parent.Code != root.Code {
				r.ParentCode, r.ParentGSOCode, r.ParentName = parent.Code, parent.OfficialCode(), parent.Name
			}
		}
		// The row's units: those on whose path it lies (the total takes every count).
		match := func(code string) bool { return true }
		if level != LevelTotal {
			path := byCode[c.AreaCode].Path
			match = func(code string) bool { a := byCode[code]; return a != nil && strings.HasPrefix(a.Path, path) }
		}
		wf.fill(&r, match)
		return r
	}
	rowOf := map[string]Row{}
	var total models.CoverageRow
	for _, l := range rep.Levels {
		rows, t := coverage.Aggregate(counts, areas, root, l.Level)
		total = t
		for _, c := range rows {
			rowOf[c.AreaCode] = row(l.Level, c)
		}
	}
	if len(rep.Levels) == 0 {
		_, total = coverage.Aggregate(counts, areas, root, root.Level)
	}
	rep.Total = row(LevelTotal, total)
	// Path order puts every unit before the units under it.
	for _, a := range areas {
		if r, ok := rowOf[a.Code]; ok && a.Code != root.Code {
			rep.Rows = append(rep.Rows, r)
		}
	}
	if f, ok := wf.tips[""]; ok && f.Received > 0 {
		un := Row{Level: LevelUnplaced, Name: "Tin báo chưa xác định địa bàn"}
		wf.fill(&un, func(code string) bool { return code == "" })
		rep.Unplaced = &un
	}
	rep.PrevalencePlans = wf.planIDs()
	return rep, nil
}

// wardFigures reads the report's own per-unit figures.
func (s *Service) wardFigures(ctx context.Context, q Query, spec models.CoverageSpec, root *models.Area, areas []*models.Area) (*wardFigures, error) {
	wf := &wardFigures{}
	var err error
	if wf.codes, err = s.store.WardViolationCodes(ctx, spec); err != nil {
		return nil, err
	}
	if wf.followUps, wf.done, err = s.store.WardFollowUps(ctx, spec); err != nil {
		return nil, err
	}
	// Tips about no known business count in the total of a report of the whole tree only.
	// Where the tips stood at the period's end, or now while it runs.
	at := spec.End
	if q.GeneratedAt.Before(at) {
		at = q.GeneratedAt
	}
	if wf.tips, wf.tipWorkflow, err = s.store.WardTipCounts(ctx, spec, at, root.ParentCode == nil); err != nil {
		return nil, err
	}
	if wf.sanctions, err = s.store.WardSanctionCounts(ctx, spec); err != nil {
		return nil, err
	}
	if wf.sample, err = s.planSample(ctx, q.Prog, q.Period.Year, spec); err != nil {
		return nil, err
	}
	return wf, nil
}

// planSample reads the approved plans of a programme's year and their selected businesses in
// the spec's units, with the outcome of their visits up to the spec's end.
func (s *Service) planSample(ctx context.Context, p *models.Programme, year int, spec models.CoverageSpec) (*sample, error) {
	sm := &sample{obs: map[string][]scheduler.Observation{}, population: map[string]float64{}, plans: map[string]bool{}}
	inArea := make(map[string]bool, len(spec.Units))
	for _, a := range spec.Units {
		inArea[a] = true
	}
	plans, err := s.store.FindPlans(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, pl := range plans {
		if pl.Year != year || pl.Status != models.PlanApproved {
			continue
		}
		if err := s.addPlanSample(ctx, sm, pl, spec, inArea); err != nil {
			return nil, err
		}
	}
	return sm, nil
}

// addPlanSample adds a plan's selected businesses in the area, with the outcome of their visits
// in the period, and the population each unit's selection was drawn from. A plan drawn on units
// that a reorganisation ended since (the year's plan of January, on the 2021 wards, in a report
// on the communes of December) is placed on the report's units through each selected
// business's unit on the report's day, and each old unit's population is shared among the
// units its selection went to, in proportion.
func (s *Service) addPlanSample(ctx context.Context, sm *sample, pl *models.Plan, spec models.CoverageSpec, inArea map[string]bool) error {
	items, err := s.store.FindPlanItems(ctx, pl.ID)
	if err != nil {
		return err
	}
	outcomes, err := s.store.PlanOutcomes(ctx, pl.ID, spec.YearStart, spec.End)
	if err != nil {
		return err
	}
	var fig models.PlanFigures
	if pl.Figures != "" {
		if err := json.Unmarshal([]byte(pl.Figures), &fig); err != nil {
			return fmt.Errorf("plan %s figures: %w", pl.ID, err)
		}
	}
	var now map[string]string // business -> unit on the report's day, read when needed
	unitOf := func(it *models.PlanItem) (string, error) {
		if inArea[it.AreaCode] || spec.UnitsOn.IsZero() {
			return it.AreaCode, nil
		}
		if now == nil {
			var err error
			if now, err = s.store.PlanItemUnits(ctx, pl.ID, spec.UnitsOn); err != nil {
				return "", err
			}
		}
		return now[it.BusinessID], nil
	}
	went := map[string]map[string]int{} // an ended unit's selection, by the unit it went to
	for _, it := range items {
		unit, err := unitOf(it)
		if err != nil {
			return err
		}
		if !inArea[it.AreaCode] && unit != "" {
			if went[it.AreaCode] == nil {
				went[it.AreaCode] = map[string]int{}
			}
			went[it.AreaCode][unit]++
		}
		if !inArea[unit] {
			continue
		}
		violation, inspected := outcomes[it.BusinessID]
		sm.obs[unit] = append(sm.obs[unit], scheduler.Observation{Group: it.Group, Prob: it.InclusionProb, Inspected: inspected, Violation: violation})
	}
	for _, a := range fig.Areas {
		if inArea[a.AreaCode] {
			sm.population[a.AreaCode] += float64(a.InScope)
			continue
		}
		n := 0
		for _, k := range went[a.AreaCode] {
			n += k
		}
		for unit, k := range went[a.AreaCode] {
			if inArea[unit] {
				sm.population[unit] += float64(a.InScope) * float64(k) / float64(n)
			}
		}
	}
	sm.plans[pl.ID] = true
	return nil
}

// fill adds the figures of the units that match to a row.
func (wf *wardFigures) fill(r *Row, match func(code string) bool) {
	sum := func(m map[string]int) int {
		n := 0
		for code, v := range m {
			if match(code) {
				n += v
			}
		}
		return n
	}
	r.FollowUpsDue, r.FollowUpsDone = sum(wf.followUps), sum(wf.done)
	var tips models.TipFigures
	for code, f := range wf.tips {
		if match(code) {
			tips.Received += f.Received
			tips.Verified += f.Verified
			tips.Handled += f.Handled
			tips.HandledInTime += f.HandledInTime
			tips.Overdue += f.Overdue
		}
	}
	r.TipsReceived = tips.Received
	if wf.tipWorkflow {
		r.TipsVerified, r.TipsHandled, r.TipsInTime, r.TipsOverdue = &tips.Verified, &tips.Handled, &tips.HandledInTime, &tips.Overdue
	}
	for code, f := range wf.sanctions {
		if match(code) {
			r.SanctionFigures.Add(f)
		}
	}
	r.ByCode = map[string]int{}
	for code, m := range wf.codes {
		if !match(code) {
			continue
		}
		for v, n := range m {
			r.ByCode[v] += n
		}
	}
	r.Prevalence = wf.estimate(match)
}

// estimate is the prevalence of the units that match, rounded as the reports print it; nil
// without an inspected business of the sample among them.
func (sm *sample) estimate(match func(code string) bool) *scheduler.Estimate {
	var obs []scheduler.Observation
	for code, o := range sm.obs {
		if match(code) {
			obs = append(obs, o...)
		}
	}
	population := 0.0
	for code, v := range sm.population {
		if match(code) {
			population += v
		}
	}
	n := int(math.Round(population))
	if n <= 0 || len(obs) == 0 {
		return nil
	}
	e := scheduler.Prevalence(obs, n)
	if e.Sample == 0 {
		return nil
	}
	e.Share, e.Low, e.High, e.SE = round4(e.Share), round4(e.Low), round4(e.High), round4(e.SE)
	return &e
}

func (sm *sample) planIDs() []string {
	out := make([]string, 0, len(sm.plans))
	for id := range sm.plans {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// violationTypes are the violation columns: the known codes in their order, then any other
// code that was recorded (named by its code).
func (s *Service) violationTypes(found map[string]map[string]int) []models.ViolationType {
	out := append([]models.ViolationType(nil), s.violations...)
	known := map[string]bool{}
	for _, v := range out {
		known[v.Code] = true
	}
	var extra []string
	for _, m := range found {
		for code := range m {
			if !known[code] {
				known[code] = true
				extra = append(extra, code)
			}
		}
	}
	sort.Strings(extra)
	for _, code := range extra {
		out = append(out, models.ViolationType{Code: code, VI: code, EN: code})
	}
	return out
}

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }
