// Package coverage measures a programme's progress against its targets: the yearly share and
// the programme's coverage, by area, with a forecast at the recent pace. A figure of a period is
// reported on the units in force on its last day (docs/areas.md): the database counts by unit of
// that day, and this package adds the units up into the levels above them and totals and
// derives the rest, so that the arithmetic is tested without a database.
package coverage

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/territory"
)

// Store is what the coverage figures are read from.
type Store interface {
	models.AreaStore
	models.ProgrammeStore
	models.LineageStore
	// AppliedReorganisationDates lists the effective dates of the reorganisations applied.
	AppliedReorganisationDates(ctx context.Context) ([]models.Date, error)
	WardCoverageCounts(ctx context.Context, s models.CoverageSpec) ([]models.WardCounts, error)
	BusinessCoverage(ctx context.Context, s models.CoverageSpec) ([]models.BusinessCoverage, error)
	BusinessSpans(ctx context.Context, s models.CoverageSpec) ([]models.BusinessSpan, error)
}

// Projector projects the rest of a programme against the teams' capacity as of a day (the
// planner's scheduler.Service does).
type Projector interface {
	Projection(ctx context.Context, p *models.Programme, asOf models.Date) (*models.Projection, error)
}

// Service computes coverage.
type Service struct {
	store      Store
	now        func() time.Time
	loc        *time.Location
	categories map[string]bool // the known category codes
	projector  Projector       // nil: no projection, on_track on the straight line
}

// WithProjector makes the answers for a whole programme's current year carry the feasibility
// projection, and judge the total's on_track by it.
func (s *Service) WithProjector(p Projector) *Service {
	s.projector = p
	return s
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
// since its start, the 8 weeks of the pace; and the units it counts in (u; nil: every unit as it
// is now).
func Spec(q models.CoverageQuery, u *Units, loc *time.Location) models.CoverageSpec {
	p := q.Programme
	start := func(d models.Date) time.Time { return d.Time(loc).UTC() }
	s := models.CoverageSpec{
		Jan1: models.NewDate(q.Year, 1, 1), AsOf: q.AsOf, GraceEnd: p.CoverageDeadline.AddDays(-p.GraceDays),
		YearStart: start(models.NewDate(q.Year, 1, 1)), End: start(q.AsOf.AddDays(1)), ProgrammeStart: start(p.StartsOn),
		RecentStart: start(q.AsOf.AddDays(1 - 56)), Scope: q.Scope,
	}
	if u != nil {
		s.UnitsOn, s.Units = u.On, u.Codes()
	}
	return s
}

// Units are the units a figure is reported on: the area's units in force on a day (the
// period's last day) that belong to the programme's territory, their levels, and the note a
// period that spans a reorganisation carries.
type Units struct {
	Root   *models.Area
	On     models.Date
	Areas  []*models.Area // in path order, Root first; without polygons
	Levels []models.LevelInfo
	Note   *models.UnitsNote

	outside bool // Root is not in the programme's territory: nothing counts
}

// Codes are the version ids of the units whose businesses count.
func (u *Units) Codes() []string {
	if u.outside {
		return []string{}
	}
	out := make([]string, len(u.Areas))
	for i, a := range u.Areas {
		out[i] = a.Code
	}
	return out
}

// HasLevel reports whether level is one of the units' levels.
func (u *Units) HasLevel(level string) bool {
	for _, l := range u.Levels {
		if l.Level == level {
			return true
		}
	}
	return false
}

// DefaultLevel is the level just below the root (the root's own when it has no units below).
func (u *Units) DefaultLevel() string {
	if len(u.Levels) > 1 {
		return u.Levels[1].Level
	}
	return u.Root.Level
}

// UnitsFor finds the units of a figure of programme p over area (an official code or a version
// id) reported on day on, for a period that begins on from: not_found for an unknown area,
// invalid for one not in force on the day.
func (s *Service) UnitsFor(ctx context.Context, p *models.Programme, area string, on, from models.Date) (*Units, error) {
	root, err := s.store.FindAreaOn(ctx, area, on)
	if models.IsCode(err, models.ENOTFOUND) {
		return nil, models.NotFound("area", "area "+area+" not found", "không tìm thấy khu vực "+area)
	}
	if err != nil {
		return nil, err
	}
	if !root.ValidOn(on) {
		return nil, models.Invalid("area", "%s (%s) is not a unit on %s: figures are reported on the units in force on the period's last day",
			"%s (%s) không phải đơn vị hành chính vào ngày %s: số liệu được báo cáo theo các đơn vị có hiệu lực vào ngày cuối của kỳ",
			root.Name, root.OfficialCode(), on)
	}
	all, _, err := s.store.FindAreas(ctx, models.AreaFilter{NoGeometry: true})
	if err != nil {
		return nil, err
	}
	var terr territory.Set
	if p.RootAreaCode != nil && *p.RootAreaCode != "" {
		lineage, err := s.store.FindAreaLineage(ctx)
		if err != nil {
			return nil, err
		}
		for _, a := range all {
			if a.Code == *p.RootAreaCode {
				terr = territory.Of(all, lineage, a, p.StartsOn)
			}
		}
	}
	u := &Units{Root: root, On: on, Areas: territory.UnitsOn(all, root, on, terr)}
	if len(u.Areas) == 0 || u.Areas[0].Code != root.Code {
		// An area outside the programme's territory (formed from another province's units) is
		// still the answer's root, with nothing to count.
		u.Areas, u.outside = []*models.Area{root}, true
	}
	u.Levels = Levels(u.Areas)
	applied, err := s.store.AppliedReorganisationDates(ctx)
	if err != nil {
		return nil, err
	}
	u.Note = Note(applied, from, on)
	return u, nil
}

// Levels lists the levels of units, from the top of the tree down (the level of the
// shallowest unit first), each with its units' count and a name made of their type names, the
// most common first: Quận/Huyện, Phường/Xã. Levels are data: nothing here knows their codes.
func Levels(units []*models.Area) []models.LevelInfo {
	type level struct {
		depth, n int
		types    map[string]int
	}
	byLevel := map[string]*level{}
	for _, a := range units {
		l := byLevel[a.Level]
		if l == nil {
			l = &level{depth: a.Depth, types: map[string]int{}}
			byLevel[a.Level] = l
		}
		l.depth = min(l.depth, a.Depth)
		l.n++
		if t := strings.TrimSpace(a.TypeName); t != "" {
			l.types[models.NFC(t)]++
		}
	}
	out := make([]models.LevelInfo, 0, len(byLevel))
	for code, l := range byLevel {
		types := make([]string, 0, len(l.types))
		for t := range l.types {
			types = append(types, t)
		}
		sort.Slice(types, func(i, j int) bool {
			if l.types[types[i]] != l.types[types[j]] {
				return l.types[types[i]] > l.types[types[j]]
			}
			return types[i] < types[j]
		})
		info := models.LevelInfo{Level: code, Name: code, NameEN: code, Units: l.n}
		if len(types) > 0 {
			en := make([]string, 0, len(types))
			for _, t := range types {
				if e := models.UnitTypeEN(t); !contains(en, e) {
					en = append(en, e)
				}
			}
			info.Name, info.NameEN = strings.Join(types, "/"), strings.Join(en, "/")
		}
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool {
		di, dj := byLevel[out[i].Level].depth, byLevel[out[j].Level].depth
		if di != dj {
			return di < dj
		}
		return out[i].Level < out[j].Level
	})
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Note is the note of a period from from to on (the units' day) when a reorganisation (applied
// ones' effective dates) took effect within it, after its first day: the figures are reported
// on the units of on, and what happened before is attributed through each business's unit that
// day. Nil when none did.
func Note(applied []models.Date, from, on models.Date) *models.UnitsNote {
	var latest models.Date
	for _, d := range applied {
		if d.After(from) && !d.After(on) && d.After(latest) {
			latest = d
		}
	}
	if latest.IsZero() {
		return nil
	}
	return &models.UnitsNote{UnitsOn: on, ReorganisedOn: latest,
		Message: fmt.Sprintf("Figures are reported on the administrative units in force on %s. The units were reorganised on %s, within the period: "+
			"inspections, tasks and tips before that date are attributed through each business's unit on %s.", on, latest, on),
		MessageVI: fmt.Sprintf("Số liệu được báo cáo theo các đơn vị hành chính có hiệu lực ngày %s. Các đơn vị hành chính được sắp xếp lại từ ngày %s, trong kỳ này: "+
			"các lượt kiểm tra, nhiệm vụ và tin báo trước ngày đó được tính cho đơn vị mà cơ sở thuộc về vào ngày %s.", viDate(on), viDate(latest), viDate(on))}
}

// viDate writes a date the Vietnamese way: 31/12/2025.
func viDate(d models.Date) string { return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year) }

// Resolve checks a query against its programme and fills the as-of day (today during the year,
// the year's last day, or the deadline, once it is over), the area (the unit version that the
// code names on that day) and the level (by default the one below the area, among the levels of
// that day's units).
func (s *Service) Resolve(ctx context.Context, q *models.CoverageQuery) error {
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
	u, err := s.UnitsFor(ctx, p, q.Area, q.AsOf, p.StartsOn)
	if err != nil {
		return err
	}
	q.Area = u.Root.Code
	if q.Level == "" {
		q.Level = u.DefaultLevel()
	}
	if !u.HasLevel(q.Level) {
		names := make([]string, len(u.Levels))
		for i, l := range u.Levels {
			names[i] = l.Level
		}
		return models.Invalid("level", "must be one of the levels of %s on %s: %s", "phải là một trong các cấp của %s vào ngày %s: %s",
			u.Root.Name, q.AsOf, strings.Join(names, ", "))
	}
	return nil
}

// Coverage answers a query that Resolve checked.
func (s *Service) Coverage(ctx context.Context, q models.CoverageQuery) (*models.Coverage, error) {
	u, err := s.UnitsFor(ctx, q.Programme, q.Area, q.AsOf, q.Programme.StartsOn)
	if err != nil {
		return nil, err
	}
	counts, err := s.store.WardCoverageCounts(ctx, Spec(q, u, s.loc))
	if err != nil {
		return nil, err
	}
	root := u.Root
	c := &models.Coverage{ProgrammeID: q.Programme.ID, ProgrammeCode: q.Programme.Code, Year: q.Year, AsOf: q.AsOf, Deadline: q.Programme.CoverageDeadline,
		MinShare: q.Programme.MinYearlyShare, Level: q.Level, Area: root.Code, Category: q.Category, UnitsOn: u.On, Levels: u.Levels, Note: u.Note,
		GeneratedAt: s.now().UTC()}
	c.Rows, c.Total = Aggregate(counts, u.Areas, root, q.Level)
	for i := range c.Rows {
		Derive(&c.Rows[i], q)
	}
	if s.projector != nil && q.Category == "" && q.AsOf == s.Today() && programmeWide(q.Programme, root) {
		if c.Projection, err = s.projector.Projection(ctx, q.Programme, q.AsOf); err != nil {
			return nil, fmt.Errorf("projection: %w", err)
		}
	}
	DeriveProjected(&c.Total, q, c.Projection)
	return c, nil
}

// programmeWide says whether an answer's area holds the whole programme: the programme's root,
// or the top of the tree for a programme without one. (A unit's own projection would need its
// teams' share of capacity, which the planner does not split.)
func programmeWide(p *models.Programme, root *models.Area) bool {
	if p.RootAreaCode != nil && *p.RootAreaCode != "" {
		return root.Code == *p.RootAreaCode || root.ParentCode == nil
	}
	return root.ParentCode == nil
}

// Aggregate adds the counts of units up into rows of the level under root, and a total. The
// areas are the units the counts are of (those in force on one day); a unit of the level
// appears even without businesses (its counts are zero), so that a map shows every unit.
func Aggregate(counts []models.WardCounts, areas []*models.Area, root *models.Area, level string) ([]models.CoverageRow, models.CoverageRow) {
	byCode := map[string]*models.Area{}
	for _, a := range areas {
		byCode[a.Code] = a
	}
	rowOf := func(a *models.Area) models.CoverageRow {
		r := models.CoverageRow{AreaCode: a.Code, GSOCode: a.OfficialCode(), Name: a.Name, TypeName: a.TypeName, Level: a.Level}
		if a.ParentCode != nil && a.Code != root.Code {
			r.ParentCode = *a.ParentCode
		}
		return r
	}
	rows := map[string]*models.CoverageRow{}
	var order []string
	for _, a := range areas {
		if a.Level == level && strings.HasPrefix(a.Path, root.Path) {
			r := rowOf(a)
			rows[a.Code] = &r
			order = append(order, a.Code)
		}
	}
	total := rowOf(root)
	for _, wc := range counts {
		add(&total.WardCounts, wc)
		a := byCode[wc.AreaCode]
		if a == nil {
			continue
		}
		// The row is the area of the level on the unit's path (the unit itself at its level).
		for code, r := range rows {
			if strings.HasPrefix(a.Path, byCode[code].Path) {
				add(&r.WardCounts, wc)
				break
			}
		}
	}
	sort.Slice(order, func(i, j int) bool { return byCode[order[i]].Path < byCode[order[j]].Path })
	out := make([]models.CoverageRow, 0, len(order))
	for _, code := range order {
		r := rows[code]
		r.WardCounts.AreaCode = code
		out = append(out, *r)
	}
	total.WardCounts.AreaCode = root.Code
	return out, total
}

func add(dst *models.WardCounts, w models.WardCounts) {
	dst.OpenAtStart += w.OpenAtStart
	dst.InScope += w.InScope
	dst.Eligible += w.Eligible
	dst.Inspected += w.Inspected
	dst.InspectedOpenAtStart += w.InspectedOpenAtStart
	dst.Inspections += w.Inspections
	dst.Covered += w.Covered
	dst.OverdueTasks += w.OverdueTasks
	dst.Violations += w.Violations
	dst.Violating += w.Violating
	dst.RecentNewYear += w.RecentNewYear
	dst.RecentNewCovered += w.RecentNewCovered
}

// Derive computes a row's shares, gaps and forecast. The forecast carries the pace of the last
// 8 weeks (businesses newly inspected a week) to the end of the year and to the deadline; a row
// is on track when both projections meet their targets. A finished year is judged on what
// happened.
func Derive(r *models.CoverageRow, q models.CoverageQuery) { DeriveProjected(r, q, nil) }

// DeriveProjected is Derive with the programme's feasibility projection: when there is one, a
// row is on course for the deadline when the projection says the rest of the programme fits the
// teams' capacity, instead of keeping up with the straight line (which every programme under
// today's rule fails, good or bad, as work is pushed to the last year). In the last year the
// pace must also reach full coverage.
func DeriveProjected(r *models.CoverageRow, q models.CoverageQuery, proj *models.Projection) {
	p := q.Programme
	r.YearTarget = int(math.Ceil(p.MinYearlyShare*float64(r.OpenAtStart) - 1e-9))
	r.Share = ratio(r.InspectedOpenAtStart, r.OpenAtStart)
	r.TargetProgress = ratio(r.InspectedOpenAtStart, r.YearTarget)
	if r.YearTarget == 0 {
		r.TargetProgress = 1
	}
	r.Coverage = ratio(r.Covered, r.Eligible)
	if r.Eligible == 0 {
		r.Coverage = 1
	}
	r.NeverInspected = r.Eligible - r.Covered
	yearEnd := models.NewDate(q.Year, 12, 31)
	weeksYear := math.Max(0, float64(q.AsOf.DaysUntil(yearEnd))/7)
	weeksDeadline := math.Max(0, float64(q.AsOf.DaysUntil(p.CoverageDeadline))/7)
	paceYear := float64(r.RecentNewYear) / 8
	paceCovered := float64(r.RecentNewCovered) / 8
	projYear := math.Min(float64(r.OpenAtStart), float64(r.InspectedOpenAtStart)+paceYear*weeksYear)
	projCovered := math.Min(float64(r.Eligible), float64(r.Covered)+paceCovered*weeksDeadline)
	r.ProjectedYearShare = round4(ratioF(projYear, float64(r.OpenAtStart)))
	r.ProjectedCoverage = round4(ratioF(projCovered, float64(r.Eligible)))
	if r.Eligible == 0 {
		r.ProjectedCoverage = 1
	}
	if r.OpenAtStart == 0 {
		r.ProjectedYearShare = 1
	}
	r.Share, r.TargetProgress, r.Coverage = round4(r.Share), round4(r.TargetProgress), round4(r.Coverage)
	yearOK, coveredOK := projYear >= float64(r.YearTarget)-1e-9, projCovered >= float64(r.Eligible)-1e-9
	if proj != nil {
		r.OnTrack = yearOK && proj.Fits && (coveredOK || q.Year < p.LastYear())
		return
	}
	r.OnTrack = yearOK && (coveredOK || q.Year < p.LastYear() && onCourse(r, q))
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
	return r.Coverage+1e-9 >= math.Min(1, elapsed)-0.05
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

// Points lists the businesses of a query with their map status, each in its unit of the
// query's as-of day.
func (s *Service) Points(ctx context.Context, q models.CoverageQuery) ([]models.BusinessCoverage, error) {
	u, err := s.UnitsFor(ctx, q.Programme, q.Area, q.AsOf, q.Programme.StartsOn)
	if err != nil {
		return nil, err
	}
	return s.store.BusinessCoverage(ctx, Spec(q, u, s.loc))
}

// Burndown counts the never-inspected businesses at the end of every month of the programme so
// far (and today), against the straight line from the first month to zero at the deadline. The
// businesses are those of the area's units on the last day, or, for an area that has ended
// since (a district abolished in a reorganisation), on its last day, where its line stops.
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
	if !root.ValidTo.IsZero() && root.ValidTo.Before(end) {
		end = root.ValidTo
	}
	q.AsOf = end
	u, err := s.UnitsFor(ctx, p, root.Code, end, p.StartsOn)
	if err != nil {
		return nil, err
	}
	spans, err := s.store.BusinessSpans(ctx, Spec(q, u, s.loc))
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
