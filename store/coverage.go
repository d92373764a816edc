package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"kiemtra/models"
)

var inspectedOutcomes = []string{models.OutcomeCompliant, models.OutcomeViolation}

// openOn is the SQL of "the business b was open on the day ?" (Business.ActiveOn): opened by then
// and not closed by then; a closed business without a closing date counts as closed.
const openOn = `(COALESCE(b.opened_on, '1900-01-01') <= ? AND NOT (b.status = 'closed' AND (b.closed_on IS NULL OR b.closed_on <= ?)))`

// scoped filters businesses b by the spec's categories and area.
func scoped(q *gorm.DB, s models.CoverageSpec) *gorm.DB {
	if len(s.Scope) > 0 {
		q = q.Where("b.category IN ?", s.Scope)
	}
	if s.AreaPath != "" {
		q = q.Where(`b.area_code IN (SELECT code FROM areas WHERE path LIKE ? ESCAPE '\')`, likePrefix(s.AreaPath))
	}
	return q
}

// WardCoverageCounts aggregates, per ward, the counts of the coverage report in the database:
// seven grouped queries, whatever the number of businesses or inspections.
func (db *DB) WardCoverageCounts(ctx context.Context, s models.CoverageSpec) ([]models.WardCounts, error) {
	g := db.gdb.WithContext(ctx)
	rows := map[string]*models.WardCounts{}
	get := func(code string) *models.WardCounts {
		r, ok := rows[code]
		if !ok {
			r = &models.WardCounts{AreaCode: code}
			rows[code] = r
		}
		return r
	}
	type countRow struct {
		AreaCode string
		A, B, C  int
	}
	run := func(what string, q *gorm.DB, apply func(r *models.WardCounts, c countRow)) error {
		var out []countRow
		if err := q.Scan(&out).Error; err != nil {
			return fmt.Errorf("coverage %s: %w", what, err)
		}
		for _, c := range out {
			apply(get(c.AreaCode), c)
		}
		return nil
	}
	graceEnd := s.GraceEnd
	// Businesses: open on 1 January, open on the day, eligible.
	base := scoped(g.Table("businesses b"), s).Select(`b.area_code AS area_code,
		SUM(CASE WHEN `+openOn+` THEN 1 ELSE 0 END) AS a,
		SUM(CASE WHEN `+openOn+` THEN 1 ELSE 0 END) AS b,
		SUM(CASE WHEN `+openOn+` AND COALESCE(b.opened_on, '1900-01-01') <= ? THEN 1 ELSE 0 END) AS c`,
		s.Jan1, s.Jan1, s.AsOf, s.AsOf, s.AsOf, s.AsOf, graceEnd).Group("b.area_code")
	if err := run("businesses", base, func(r *models.WardCounts, c countRow) { r.ActiveStart, r.Active, r.Eligible = c.A, c.B, c.C }); err != nil {
		return nil, err
	}
	inspections := func() *gorm.DB {
		return scoped(g.Table("inspections i").Joins("JOIN businesses b ON b.id = i.business_id"), s).
			Where("i.outcome IN ? AND i.amends_id IS NULL", inspectedOutcomes)
	}
	year := inspections().Where("i.finished_at >= ? AND i.finished_at < ?", s.YearStart, s.End)
	if err := run("inspections", year.Select("b.area_code AS area_code, COUNT(*) AS a").Group("b.area_code"),
		func(r *models.WardCounts, c countRow) { r.InspectionsYear = c.A }); err != nil {
		return nil, err
	}
	if err := run("inspected", inspections().Where("i.finished_at >= ? AND i.finished_at < ?", s.YearStart, s.End).Where(openOn, s.Jan1, s.Jan1).
		Select("b.area_code AS area_code, COUNT(DISTINCT i.business_id) AS a").Group("b.area_code"),
		func(r *models.WardCounts, c countRow) { r.InspectedYear = c.A }); err != nil {
		return nil, err
	}
	eligible := openOn + ` AND COALESCE(b.opened_on, '1900-01-01') <= ?`
	if err := run("covered", inspections().Where("i.finished_at >= ? AND i.finished_at < ?", s.ProgrammeStart, s.End).Where(eligible, s.AsOf, s.AsOf, graceEnd).
		Select("b.area_code AS area_code, COUNT(DISTINCT i.business_id) AS a").Group("b.area_code"),
		func(r *models.WardCounts, c countRow) { r.Covered = c.A }); err != nil {
		return nil, err
	}
	overdue := scoped(g.Table("tasks t").Joins("JOIN businesses b ON b.id = t.business_id"), s).
		Where("t.status IN ? AND t.window_end < ?", []string{models.TaskPlanned, models.TaskReleased}, s.AsOf).
		Select("b.area_code AS area_code, COUNT(*) AS a").Group("b.area_code")
	if err := run("overdue", overdue, func(r *models.WardCounts, c countRow) { r.OverdueTasks = c.A }); err != nil {
		return nil, err
	}
	violations := scoped(g.Table("inspection_findings f").Joins("JOIN inspections i ON i.id = f.inspection_id").Joins("JOIN businesses b ON b.id = i.business_id"), s).
		Where("i.finished_at >= ? AND i.finished_at < ?", s.YearStart, s.End).
		Select("b.area_code AS area_code, COUNT(*) AS a, COUNT(DISTINCT f.business_id) AS b").Group("b.area_code")
	if err := run("violations", violations, func(r *models.WardCounts, c countRow) { r.ViolationsYear, r.ViolatingYear = c.A, c.B }); err != nil {
		return nil, err
	}
	// The pace: businesses whose first inspection of the period falls in the last 8 weeks.
	firsts := func(from any) *gorm.DB {
		return g.Table("inspections").Select("business_id, MIN(finished_at) AS first_at").
			Where("outcome IN ? AND amends_id IS NULL AND finished_at >= ? AND finished_at < ?", inspectedOutcomes, from, s.End).Group("business_id")
	}
	recentYear := scoped(g.Table("(?) AS f", firsts(s.YearStart)).Joins("JOIN businesses b ON b.id = f.business_id"), s).
		Where("f.first_at >= ?", s.RecentStart).Where(openOn, s.Jan1, s.Jan1).
		Select("b.area_code AS area_code, COUNT(*) AS a").Group("b.area_code")
	if err := run("pace", recentYear, func(r *models.WardCounts, c countRow) { r.RecentNewYear = c.A }); err != nil {
		return nil, err
	}
	recentCovered := scoped(g.Table("(?) AS f", firsts(s.ProgrammeStart)).Joins("JOIN businesses b ON b.id = f.business_id"), s).
		Where("f.first_at >= ?", s.RecentStart).Where(eligible, s.AsOf, s.AsOf, graceEnd).
		Select("b.area_code AS area_code, COUNT(*) AS a").Group("b.area_code")
	if err := run("coverage pace", recentCovered, func(r *models.WardCounts, c countRow) { r.RecentNewCovered = c.A }); err != nil {
		return nil, err
	}
	out := make([]models.WardCounts, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	return out, nil
}

// BusinessCoverage lists the businesses of the spec with their map status.
func (db *DB) BusinessCoverage(ctx context.Context, s models.CoverageSpec) ([]models.BusinessCoverage, error) {
	g := db.gdb.WithContext(ctx)
	lastIn := func(from any) *gorm.DB {
		return g.Table("inspections").Select("business_id, MAX(finished_at) AS last_at").
			Where("outcome IN ? AND amends_id IS NULL AND finished_at >= ? AND finished_at < ?", inspectedOutcomes, from, s.End).Group("business_id")
	}
	overdue := g.Table("tasks").Select("business_id, COUNT(*) AS n").
		Where("status IN ? AND window_end < ?", []string{models.TaskPlanned, models.TaskReleased}, s.AsOf).Group("business_id")
	var rows []struct {
		ID, Name, Category, AreaCode string
		Lat, Lon                     float64
		Open                         int
		LastInspectedOn              models.Date
		YearAt, ProgAt               *string
		Overdue                      *int
	}
	q := scoped(g.Table("businesses b"), s).
		Joins("LEFT JOIN (?) AS y ON y.business_id = b.id", lastIn(s.YearStart)).
		Joins("LEFT JOIN (?) AS p ON p.business_id = b.id", lastIn(s.ProgrammeStart)).
		Joins("LEFT JOIN (?) AS o ON o.business_id = b.id", overdue).
		Select(`b.id, b.name, b.category, b.area_code, b.lat, b.lon, b.last_inspected_on,
			CASE WHEN `+openOn+` THEN 1 ELSE 0 END AS open,
			CAST(y.last_at AS TEXT) AS year_at, CAST(p.last_at AS TEXT) AS prog_at, o.n AS overdue`, s.AsOf, s.AsOf).
		Order("b.id")
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("business coverage: %w", err)
	}
	out := make([]models.BusinessCoverage, len(rows))
	for i, r := range rows {
		st := models.MapNeverInspected
		switch {
		case r.Open == 0:
			st = models.MapClosed
		case r.YearAt != nil:
			st = models.MapInspectedThisYear
		case r.Overdue != nil && *r.Overdue > 0:
			st = models.MapOverdue
		case r.ProgAt != nil:
			st = models.MapCoveredInProgramme
		}
		out[i] = models.BusinessCoverage{ID: r.ID, Name: r.Name, Category: r.Category, Lat: r.Lat, Lon: r.Lon, AreaCode: r.AreaCode, Status: st, LastInspected: r.LastInspectedOn}
	}
	return out, nil
}

// BusinessSpans lists the businesses of the spec with their opening and closing dates and
// their first inspection since the programme began.
func (db *DB) BusinessSpans(ctx context.Context, s models.CoverageSpec) ([]models.BusinessSpan, error) {
	g := db.gdb.WithContext(ctx)
	firsts := g.Table("inspections").Select("business_id, MIN(finished_at) AS first_at").
		Where("outcome IN ? AND amends_id IS NULL AND finished_at >= ? AND finished_at < ?", inspectedOutcomes, s.ProgrammeStart, s.End).Group("business_id")
	var rows []struct {
		ID       string
		OpenedOn models.Date
		ClosedOn models.Date
		Status   string
		FirstAt  *string
	}
	if err := scoped(g.Table("businesses b"), s).Joins("LEFT JOIN (?) AS f ON f.business_id = b.id", firsts).
		Select("b.id, b.opened_on, b.closed_on, b.status, CAST(f.first_at AS TEXT) AS first_at").Order("b.id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("business spans: %w", err)
	}
	out := make([]models.BusinessSpan, len(rows))
	for i, r := range rows {
		out[i] = models.BusinessSpan{ID: r.ID, OpenedOn: r.OpenedOn, ClosedOn: r.ClosedOn, Closed: r.Status == models.BusinessClosed}
		if r.FirstAt != nil {
			t, err := parseDBTime(*r.FirstAt)
			if err != nil {
				return nil, fmt.Errorf("business spans: %w", err)
			}
			out[i].FirstInProg = &t
		}
	}
	return out, nil
}

// parseDBTime reads a timestamp cast to text by either dialect.
func parseDBTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999-07", "2006-01-02 15:04:05-07", time.RFC3339Nano, "2006-01-02 15:04:05.999999999 -0700 MST"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable timestamp %q", s)
}
