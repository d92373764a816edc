// Package coverage measures a programme's progress against its targets: the yearly share and
// the programme's coverage, by area, with a forecast at the recent pace. The database counts by
// ward; this package adds the wards up into districts and totals and derives the rest, so that
// the arithmetic is tested without a database.
package coverage

import (
	"context"
	"math"
	"sort"
	"strings"
	"time"

	"kiemtra/models"
	"kiemtra/refdata"
)

// Store is what the coverage figures are read from.
type Store interface {
	models.AreaStore
	models.ProgrammeStore
	WardCoverageCounts(ctx context.Context, s models.CoverageSpec) ([]models.WardCounts, error)
	BusinessCoverage(ctx context.Context, s models.CoverageSpec) ([]models.BusinessCoverage, error)
	BusinessSpans(ctx context.Context, s models.CoverageSpec) ([]models.BusinessSpan, error)
}

// Service computes coverage.
type Service struct {
	store      Store
	now        func() time.Time
	loc        *time.Location
	categories map[string]bool // the known category codes
}

// New returns a coverage service. A query's category is checked against the categories of the
// reference data embedded in the binary (package refdata), as the registry checks a business's.
func New(store Store, now func() time.Time, loc *time.Location) *Service {
	if now == nil {
		now = time.Now
	}
	if loc == nil {
		loc = time.UTC
	}
	// The embedded file is checked by refdata's tests; were it unreadable, no code would be
	// known and every category would be refused rather than answered with zeros.
	cats, _ := refdata.CategorySet()
	return &Service{store: store, now: now, loc: loc, categories: cats}
}

// Today is the current date in the users' time zone.
func (s *Service) Today() models.Date { return models.DateOf(s.now().In(s.loc)) }

// Spec turns a query into the database's instants: the year up to the as-of day, the programme
// since its start, the 8 weeks of the pace.
func Spec(q models.CoverageQuery, root *models.Area, loc *time.Location) models.CoverageSpec {
	p := q.Programme
	start := func(d models.Date) time.Time { return d.Time(loc).UTC() }
	s := models.CoverageSpec{
		Jan1: models.NewDate(q.Year, 1, 1), AsOf: q.AsOf, GraceEnd: p.CoverageDeadline.AddDays(-p.GraceDays),
		YearStart: start(models.NewDate(q.Year, 1, 1)), End: start(q.AsOf.AddDays(1)), ProgrammeStart: start(p.StartsOn),
		RecentStart: start(q.AsOf.AddDays(1 - 56)), Scope: q.Scope,
	}
	if root != nil {
		s.AreaPath = root.Path
	}
	return s
}

// Resolve checks a query against its programme and fills the as-of day: today during the year,
// the year's last day (or the deadline) once it is over.
func (s *Service) Resolve(q *models.CoverageQuery) error {
	p := q.Programme
	if q.Year == 0 {
		q.Year = min(max(s.Today().Year, p.FirstYear()), p.LastYear())
	}
	if !p.HasYear(q.Year) {
		return models.Invalid("year", "the programme %s runs %d-%d, not %d", "chương trình %s diễn ra %d-%d, không có năm %d", p.Code, p.FirstYear(), p.LastYear(), q.Year)
	}
	today := s.Today()
	if q.Year > today.Year {
		return models.Invalid("year", "%d has not begun", "năm %d chưa bắt đầu", q.Year)
	}
	q.AsOf = models.NewDate(q.Year, 12, 31)
	if q.Year == p.LastYear() && p.CoverageDeadline.Before(q.AsOf) {
		q.AsOf = p.CoverageDeadline
	}
	if today.Before(q.AsOf) {
		q.AsOf = today
	}
	if q.Level == "" {
		q.Level = models.AreaLevelDistrict
	}
	if q.Level != models.AreaLevelDistrict && q.Level != models.AreaLevelWard {
		return models.Invalid("level", "must be district or ward", "phải là district hoặc ward")
	}
	q.Scope = p.ScopeCategories
	if q.Category != "" {
		if !s.categories[q.Category] {
			return models.Invalid("category", "unknown category %q", "không có loại hình %q trong danh mục", q.Category)
		}
		if !p.InScope(q.Category) {
			return models.Invalid("category", "%q is not in the programme's scope", "%q không thuộc phạm vi của chương trình", q.Category)
		}
		q.Scope = []string{q.Category}
	}
	return nil
}

// Coverage answers a query whose programme, area and level were checked (Resolve).
func (s *Service) Coverage(ctx context.Context, q models.CoverageQuery) (*models.Coverage, error) {
	root, err := s.store.FindAreaByCode(ctx, q.Area)
	if err != nil {
		return nil, err
	}
	counts, err := s.store.WardCoverageCounts(ctx, Spec(q, root, s.loc))
	if err != nil {
		return nil, err
	}
	areas, _, err := s.store.FindAreas(ctx, models.AreaFilter{Under: root.Code})
	if err != nil {
		return nil, err
	}
	c := &models.Coverage{ProgrammeID: q.Programme.ID, ProgrammeCode: q.Programme.Code, Year: q.Year, AsOf: q.AsOf, Deadline: q.Programme.CoverageDeadline,
		MinShare: q.Programme.MinYearlyShare, Level: q.Level, Area: root.Code, Category: q.Category, GeneratedAt: s.now().UTC()}
	c.Rows, c.Total = Aggregate(counts, areas, root, q.Level)
	for i := range c.Rows {
		Derive(&c.Rows[i], q)
	}
	Derive(&c.Total, q)
	return c, nil
}

// Aggregate adds ward counts up into rows of the level under root, and a total. An area of the
// level appears even without businesses (its counts are zero), so that a map shows every ward.
func Aggregate(counts []models.WardCounts, areas []*models.Area, root *models.Area, level string) ([]models.CoverageRow, models.CoverageRow) {
	byCode := map[string]*models.Area{}
	for _, a := range areas {
		byCode[a.Code] = a
	}
	rows := map[string]*models.CoverageRow{}
	var order []string
	for _, a := range areas {
		if a.Level == level && strings.HasPrefix(a.Path, root.Path) {
			rows[a.Code] = &models.CoverageRow{AreaCode: a.Code, Name: a.Name, Level: a.Level}
			rows[a.Code].AreaCode = a.Code
			order = append(order, a.Code)
		}
	}
	total := models.CoverageRow{AreaCode: root.Code, Name: root.Name, Level: root.Level}
	for _, wc := range counts {
		add(&total.WardCounts, wc)
		a := byCode[wc.AreaCode]
		if a == nil {
			continue
		}
		// The row is the area of the level on the ward's path (the ward itself at ward level).
		for code, r := range rows {
			if strings.HasPrefix(a.Path, byCode[code].Path) {
				add(&r.WardCounts, wc)
				break
			}
		}
	}
	total.AreaCode = root.Code
	sort.Slice(order, func(i, j int) bool { return byCode[order[i]].Path < byCode[order[j]].Path })
	out := make([]models.CoverageRow, 0, len(order))
	for _, code := range order {
		r := rows[code]
		r.WardCounts.AreaCode = code
		out = append(out, *r)
	}
	return out, total
}

func add(dst *models.WardCounts, w models.WardCounts) {
	dst.ActiveStart += w.ActiveStart
	dst.Active += w.Active
	dst.Eligible += w.Eligible
	dst.InspectedYear += w.InspectedYear
	dst.InspectionsYear += w.InspectionsYear
	dst.Covered += w.Covered
	dst.OverdueTasks += w.OverdueTasks
	dst.ViolationsYear += w.ViolationsYear
	dst.ViolatingYear += w.ViolatingYear
	dst.RecentNewYear += w.RecentNewYear
	dst.RecentNewCovered += w.RecentNewCovered
}

// Derive computes a row's shares, gaps and forecast. The forecast carries the pace of the last
// 8 weeks (businesses newly inspected a week) to the end of the year and to the deadline; a row
// is on track when both projections meet their targets. A finished year is judged on what
// happened.
func Derive(r *models.CoverageRow, q models.CoverageQuery) {
	p := q.Programme
	r.YearTarget = int(math.Ceil(p.MinYearlyShare*float64(r.ActiveStart) - 1e-9))
	r.YearShare = ratio(r.InspectedYear, r.ActiveStart)
	r.TargetProgress = ratio(r.InspectedYear, r.YearTarget)
	if r.YearTarget == 0 {
		r.TargetProgress = 1
	}
	r.ProgrammeCoverage = ratio(r.Covered, r.Eligible)
	if r.Eligible == 0 {
		r.ProgrammeCoverage = 1
	}
	r.NeverInspected = r.Eligible - r.Covered
	yearEnd := models.NewDate(q.Year, 12, 31)
	weeksYear := math.Max(0, float64(q.AsOf.DaysUntil(yearEnd))/7)
	weeksDeadline := math.Max(0, float64(q.AsOf.DaysUntil(p.CoverageDeadline))/7)
	paceYear := float64(r.RecentNewYear) / 8
	paceCovered := float64(r.RecentNewCovered) / 8
	projYear := math.Min(float64(r.ActiveStart), float64(r.InspectedYear)+paceYear*weeksYear)
	projCovered := math.Min(float64(r.Eligible), float64(r.Covered)+paceCovered*weeksDeadline)
	r.ProjectedYearShare = round4(ratioF(projYear, float64(r.ActiveStart)))
	r.ProjectedCoverage = round4(ratioF(projCovered, float64(r.Eligible)))
	if r.Eligible == 0 {
		r.ProjectedCoverage = 1
	}
	if r.ActiveStart == 0 {
		r.ProjectedYearShare = 1
	}
	r.YearShare, r.TargetProgress, r.ProgrammeCoverage = round4(r.YearShare), round4(r.TargetProgress), round4(r.ProgrammeCoverage)
	r.OnTrack = projYear >= float64(r.YearTarget)-1e-9 && (projCovered >= float64(r.Eligible)-1e-9 || q.Year < p.LastYear() && onCourse(r, q))
}

// onCourse says whether, before the last year, a row's coverage keeps up with the straight line
// from the programme's start to full coverage at the deadline.
func onCourse(r *models.CoverageRow, q models.CoverageQuery) bool {
	p := q.Programme
	total := float64(p.StartsOn.DaysUntil(p.CoverageDeadline))
	if total <= 0 {
		return true
	}
	elapsed := float64(p.StartsOn.DaysUntil(q.AsOf)) / total
	return r.ProgrammeCoverage+1e-9 >= math.Min(1, elapsed)-0.05
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func ratioF(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

// Points lists the businesses of a query with their map status.
func (s *Service) Points(ctx context.Context, q models.CoverageQuery) ([]models.BusinessCoverage, error) {
	root, err := s.store.FindAreaByCode(ctx, q.Area)
	if err != nil {
		return nil, err
	}
	return s.store.BusinessCoverage(ctx, Spec(q, root, s.loc))
}

// Burndown counts the never-inspected businesses at the end of every month of the programme so
// far (and today), against the straight line from the first month to zero at the deadline.
func (s *Service) Burndown(ctx context.Context, q models.CoverageQuery) (*models.Burndown, error) {
	root, err := s.store.FindAreaByCode(ctx, q.Area)
	if err != nil {
		return nil, err
	}
	p := q.Programme
	end := s.Today()
	if p.CoverageDeadline.Before(end) {
		end = p.CoverageDeadline
	}
	q.AsOf = end
	spans, err := s.store.BusinessSpans(ctx, Spec(q, root, s.loc))
	if err != nil {
		return nil, err
	}
	b := &models.Burndown{ProgrammeCode: p.Code, Deadline: p.CoverageDeadline, Area: root.Code, Points: []models.BurnPoint{}, Target: []models.BurnPoint{}}
	b.Points = BurnPoints(spans, MonthEnds(p.StartsOn, end), p.CoverageDeadline.AddDays(-p.GraceDays), s.loc)
	if len(b.Points) > 0 {
		startNever := b.Points[0].NeverInspected
		for _, d := range MonthEnds(p.StartsOn, p.CoverageDeadline) {
			frac := float64(b.Points[0].Date.DaysUntil(d)) / math.Max(1, float64(b.Points[0].Date.DaysUntil(p.CoverageDeadline)))
			b.Target = append(b.Target, models.BurnPoint{Date: d, NeverInspected: int(math.Round(float64(startNever) * math.Max(0, 1-frac)))})
		}
	}
	return b, nil
}

// MonthEnds lists the last day of every month from start's month to end's, and end itself.
func MonthEnds(start, end models.Date) []models.Date {
	var out []models.Date
	for m := models.NewDate(start.Year, start.Month, 1); !m.After(end); m = models.NewDate(m.Year, m.Month+1, 1) {
		last := models.NewDate(m.Year, m.Month+1, 1).AddDays(-1)
		if last.After(end) {
			last = end
		}
		out = append(out, last)
	}
	return out
}

// BurnPoints counts, at each date, the eligible businesses (open that day, opened before the
// grace period) and how many of them had been inspected in the programme by then.
func BurnPoints(spans []models.BusinessSpan, dates []models.Date, graceEnd models.Date, loc *time.Location) []models.BurnPoint {
	out := make([]models.BurnPoint, 0, len(dates))
	for _, d := range dates {
		p := models.BurnPoint{Date: d}
		for _, b := range spans {
			if !b.OpenedOn.IsZero() && (b.OpenedOn.After(d) || b.OpenedOn.After(graceEnd)) {
				continue
			}
			if b.Closed && (b.ClosedOn.IsZero() || !d.Before(b.ClosedOn)) {
				continue
			}
			p.Eligible++
			if b.FirstInProg != nil && !models.DateOf(b.FirstInProg.In(loc)).After(d) {
				p.Covered++
			}
		}
		p.NeverInspected = p.Eligible - p.Covered
		out = append(out, p)
	}
	return out
}
