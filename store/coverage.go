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

// units places the businesses b of a spec's queries in units: by their unit now, or, when some
// business moved after the spec's day (UnitsOn), by the unit each belonged to that day: the
// unit its first move after the day took it from (territory.UnitOn, in SQL).
type units struct {
	s     models.CoverageSpec
	moved bool // the first moves after the day are joined as mv
	g     *gorm.DB
}

// unitsOf probes, with one index lookup, whether any business moved after the spec's day.
func unitsOf(g *gorm.DB, s models.CoverageSpec) (units, error) {
	u := units{s: s, g: g}
	if s.UnitsOn.IsZero() {
		return u, nil
	}
	moved, err := movedAfter(g, "business", s.UnitsOn)
	u.moved = moved
	return u, err
}

// movedAfter reports whether an entity of the kind moved to another unit after day.
func movedAfter(g *gorm.DB, kind string, day models.Date) (bool, error) {
	var found []int
	if err := g.Raw("SELECT 1 FROM area_moves WHERE entity_type = ? AND effective_on > ? LIMIT 1", kind, day).Scan(&found).Error; err != nil {
		return false, fmt.Errorf("moves after %s: %w", day, err)
	}
	return len(found) > 0, nil
}

// firstMovesAfter selects, for each entity of the kind that moved after day, the unit its first
// move after the day took it from (entity_id, from_area); two moves on one date go by id.
func firstMovesAfter(g *gorm.DB, kind string, day models.Date) *gorm.DB {
	return g.Table("area_moves m").Select("m.entity_id, m.from_area").
		Where("m.entity_type = ? AND m.effective_on > ?", kind, day).
		Where(`NOT EXISTS (SELECT 1 FROM area_moves n WHERE n.entity_type = m.entity_type AND n.entity_id = m.entity_id AND n.effective_on > ?
			AND (n.effective_on < m.effective_on OR (n.effective_on = m.effective_on AND n.id < m.id)))`, day)
}

// col is the SQL of the unit of business b on the spec's day.
func (u units) col() string {
	if u.moved {
		return "COALESCE(mv.from_area, b.area_code)"
	}
	return "b.area_code"
}

// scope joins what col needs and keeps the businesses b of the spec's categories and units.
func (u units) scope(q *gorm.DB) *gorm.DB {
	if len(u.s.Scope) > 0 {
		q = q.Where("b.category IN ?", u.s.Scope)
	}
	if u.moved {
		q = q.Joins("LEFT JOIN (?) AS mv ON mv.entity_id = b.id", firstMovesAfter(u.g, "business", u.s.UnitsOn))
	}
	if u.s.Units != nil {
		q = q.Where(inUnits(u.col()), nonEmpty(u.s.Units))
	}
	return q
}

// inUnits is the condition that the unit col is one of a list of units (the one argument). It
// is a semi-join with areas rather than an IN list: PostgreSQL estimates the join well and the
// list badly (two thirds of a city's businesses for all of them), and chose plans twice as slow.
func inUnits(col string) string { return col + " IN (SELECT code FROM areas WHERE code IN ?)" }

// nonEmpty keeps an IN list valid SQL: an empty list matches nothing.
func nonEmpty(codes []string) []string {
	if len(codes) == 0 {
		return []string{""}
	}
	return codes
}

// currentFindings selects the findings f (business_id, code) that stand for the inspections of
// the spec's businesses b finished between its start and end: those of each inspection's latest
// version. A correction is an amendment that replaces the original's outcome and findings (as
// the licensing check shows them), so an amended original's findings, and those of an amendment
// corrected again, no longer count; the original's finish time places them in a period.
//
// The amendments are few and there is no index on amends_id: they are read once (am), the
// originals' own findings are those of the inspections of the period that no amendment amends,
// and the latest amendment of each amended original brings its findings instead.
func currentFindings(g *gorm.DB, s models.CoverageSpec, u units) *gorm.DB {
	versions := g.Raw(`WITH am AS MATERIALIZED (SELECT id, amends_id, created_at FROM inspections WHERE amends_id IS NOT NULL),
		latest AS (SELECT a.amends_id AS orig, a.id AS cur FROM am a
			WHERE NOT EXISTS (SELECT 1 FROM am n WHERE n.amends_id = a.amends_id AND (n.created_at > a.created_at OR (n.created_at = a.created_at AND n.id > a.id))))
		SELECT f.business_id, f.code FROM inspection_findings f JOIN inspections i ON i.id = f.inspection_id
		WHERE i.amends_id IS NULL AND i.finished_at >= @start AND i.finished_at < @end AND NOT EXISTS (SELECT 1 FROM am WHERE am.amends_id = i.id)
		UNION ALL
		SELECT f.business_id, f.code FROM latest l JOIN inspections i ON i.id = l.orig JOIN inspection_findings f ON f.inspection_id = l.cur
		WHERE i.finished_at >= @start AND i.finished_at < @end`, map[string]any{"start": s.YearStart, "end": s.End})
	return u.scope(g.Table("(?) AS f", versions).Joins("JOIN businesses b ON b.id = f.business_id"))
}

// WardCoverageCounts aggregates, per ward, the counts of the coverage report in the database:
// seven grouped queries, whatever the number of businesses or inspections.
func (db *DB) WardCoverageCounts(ctx context.Context, s models.CoverageSpec) ([]models.WardCounts, error) {
	g := db.gdb.WithContext(ctx)
	u, err := unitsOf(g, s)
	if err != nil {
		return nil, fmt.Errorf("coverage counts: %w", err)
	}
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
	// One pass over the programme's inspections gives, per business, its first inspection in
	// the programme and in the year and its inspections this year; one join with the businesses
	// then counts everything per ward. (Seven separate queries took three times as long.)
	perBusiness := g.Table("inspections").Select(`business_id,
			MIN(finished_at) AS first_prog,
			MIN(CASE WHEN finished_at >= ? THEN finished_at END) AS first_year,
			SUM(CASE WHEN finished_at >= ? THEN 1 ELSE 0 END) AS n_year`, s.YearStart, s.YearStart).
		Where("outcome IN ? AND amends_id IS NULL AND finished_at >= ? AND finished_at < ?", inspectedOutcomes, earliest(s.ProgrammeStart, s.YearStart), s.End).
		Group("business_id")
	openJan1 := `(COALESCE(b.opened_on, '1900-01-01') <= @jan1 AND NOT (b.status = 'closed' AND (b.closed_on IS NULL OR b.closed_on <= @jan1)))`
	openAsOf := `(COALESCE(b.opened_on, '1900-01-01') <= @asof AND NOT (b.status = 'closed' AND (b.closed_on IS NULL OR b.closed_on <= @asof)))`
	eligibleSQL := openAsOf + ` AND COALESCE(b.opened_on, '1900-01-01') <= @grace`
	inProg := `x.first_prog >= @progstart`
	main := u.scope(g.Table("businesses b").Joins("LEFT JOIN (?) AS x ON x.business_id = b.id", perBusiness)).
		Select(u.col()+` AS area_code,
			SUM(CASE WHEN `+openJan1+` THEN 1 ELSE 0 END) AS open_at_start,
			SUM(CASE WHEN `+openAsOf+` THEN 1 ELSE 0 END) AS in_scope,
			SUM(CASE WHEN `+eligibleSQL+` THEN 1 ELSE 0 END) AS eligible,
			SUM(CASE WHEN x.first_year IS NOT NULL THEN 1 ELSE 0 END) AS inspected,
			SUM(CASE WHEN `+openJan1+` AND x.first_year IS NOT NULL THEN 1 ELSE 0 END) AS inspected_open_at_start,
			SUM(COALESCE(x.n_year, 0)) AS inspections,
			SUM(CASE WHEN `+eligibleSQL+` AND `+inProg+` THEN 1 ELSE 0 END) AS covered,
			SUM(CASE WHEN `+openJan1+` AND x.first_year >= @recent THEN 1 ELSE 0 END) AS recent_new_year,
			SUM(CASE WHEN `+eligibleSQL+` AND `+inProg+` AND x.first_prog >= @recent THEN 1 ELSE 0 END) AS recent_new_covered`,
			map[string]any{"jan1": s.Jan1, "asof": s.AsOf, "grace": graceEnd, "progstart": s.ProgrammeStart, "recent": s.RecentStart}).
		Group(u.col())
	var mainRows []models.WardCounts
	if err := main.Scan(&mainRows).Error; err != nil {
		return nil, fmt.Errorf("coverage counts: %w", err)
	}
	for _, m := range mainRows {
		r := get(m.AreaCode)
		*r = m
	}
	overdue := u.scope(g.Table("tasks t").Joins("JOIN businesses b ON b.id = t.business_id")).
		Where(overdueTask(s)).
		Select(u.col() + " AS area_code, COUNT(*) AS a").Group(u.col())
	if err := run("overdue", overdue, func(r *models.WardCounts, c countRow) { r.OverdueTasks = c.A }); err != nil {
		return nil, err
	}
	violations := currentFindings(g, s, u).
		Select(u.col() + " AS area_code, COUNT(*) AS a, COUNT(DISTINCT f.business_id) AS b").Group(u.col())
	if err := run("violations", violations, func(r *models.WardCounts, c countRow) { r.Violations, r.Violating = c.A, c.B }); err != nil {
		return nil, err
	}
	out := make([]models.WardCounts, 0, len(rows))
	for _, r := range rows {
		out = append(out, *r)
	}
	return out, nil
}

// overdueTask is the condition, on tasks t, that a task is overdue on the spec's as-of day: it
// still waits for a visit (planned or released) and the visit is late. A follow-up or a tip's
// task is late once its window has ended (the check within 30 days, the tip's handling
// deadline). Every other task (the yearly plan's, a repeat of a missed visit, a top-up) is
// scheduled for the week that starts on its window's first day, and its window runs to the
// year's end only so that it stays in the pool: it is late once that week has passed, or once
// its window has ended.
func overdueTask(s models.CoverageSpec) (string, map[string]any) {
	return `t.status IN @open AND (t.window_end < @asof OR (t.reason NOT IN @deadlined AND t.window_start <= @weekago))`, map[string]any{
		"open": []string{models.TaskPlanned, models.TaskReleased}, "asof": s.AsOf,
		"deadlined": []string{models.ReasonFollowUp, models.ReasonTip}, "weekago": s.AsOf.AddDays(-7)}
}

// BusinessCoverage lists the businesses of the spec with their map status.
func (db *DB) BusinessCoverage(ctx context.Context, s models.CoverageSpec) ([]models.BusinessCoverage, error) {
	g := db.gdb.WithContext(ctx)
	u, err := unitsOf(g, s)
	if err != nil {
		return nil, fmt.Errorf("business coverage: %w", err)
	}
	overdue := g.Table("tasks t").Select("DISTINCT t.business_id").Where(overdueTask(s))
	q := u.scope(g.Table("businesses b").Joins("LEFT JOIN (?) AS o ON o.business_id = b.id", overdue))
	current, err := db.nothingInspectedSince(g, s.End)
	if err != nil {
		return nil, fmt.Errorf("business coverage: %w", err)
	}
	if current {
		// The map of today: no inspection finished after the view's end, so each business's
		// last inspection date (the local date of its latest inspected visit, kept by
		// ApplyVisits) gives both marks without aggregating a million inspections.
		q = q.Select(`b.id, b.name, b.category, `+u.col()+`, b.lat, b.lon, b.last_inspected_on,
			CASE WHEN `+openOn+` THEN 1 ELSE 0 END AS open,
			CASE WHEN b.last_inspected_on >= ? THEN 1 ELSE 0 END,
			CASE WHEN b.last_inspected_on >= ? THEN 1 ELSE 0 END,
			CASE WHEN o.business_id IS NULL THEN 0 ELSE 1 END,
			CASE WHEN COALESCE(b.opened_on, '1900-01-01') > ? THEN 1 ELSE 0 END`, s.AsOf, s.AsOf, s.Jan1, models.DateOf(s.ProgrammeStart), s.GraceEnd)
	} else {
		// A view of the past: the marks come from the inspections before its end.
		marks := g.Table("inspections").Select(`business_id,
			MAX(CASE WHEN finished_at >= ? THEN 1 ELSE 0 END) AS in_year,
			MAX(CASE WHEN finished_at >= ? THEN 1 ELSE 0 END) AS in_prog`, s.YearStart, s.ProgrammeStart).
			Where("outcome IN ? AND amends_id IS NULL AND finished_at >= ? AND finished_at < ?", inspectedOutcomes, earliest(s.ProgrammeStart, s.YearStart), s.End).
			Group("business_id")
		q = q.Joins("LEFT JOIN (?) AS m ON m.business_id = b.id", marks).
			Select(`b.id, b.name, b.category, `+u.col()+`, b.lat, b.lon, b.last_inspected_on,
			CASE WHEN `+openOn+` THEN 1 ELSE 0 END AS open, COALESCE(m.in_year, 0), COALESCE(m.in_prog, 0),
			CASE WHEN o.business_id IS NULL THEN 0 ELSE 1 END,
			CASE WHEN COALESCE(b.opened_on, '1900-01-01') > ? THEN 1 ELSE 0 END`, s.AsOf, s.AsOf, s.GraceEnd)
	}
	// Scanned by hand: a city's hundred thousand rows through reflection cost a third of the
	// request.
	rows, err := q.Rows()
	if err != nil {
		return nil, fmt.Errorf("business coverage: %w", err)
	}
	defer rows.Close()
	var out []models.BusinessCoverage
	for rows.Next() {
		var b models.BusinessCoverage
		var open, inYear, inProg, overdue, newlyOpened int
		if err := rows.Scan(&b.ID, &b.Name, &b.Category, &b.AreaCode, &b.Lat, &b.Lon, &b.LastInspected, &open, &inYear, &inProg, &overdue, &newlyOpened); err != nil {
			return nil, fmt.Errorf("business coverage: %w", err)
		}
		// The order of models.MapStatuses: a business inspected in the period counts there
		// even if it closed since, and a never-inspected one is never hidden behind an overdue
		// mark, so that those two counts are the measures of the same names.
		switch {
		case inYear == 1:
			b.Status = models.MapInspectedThisYear
		case open == 0:
			b.Status = models.MapClosed
		case inProg == 0 && newlyOpened == 0:
			b.Status = models.MapNeverInspected
		case inProg == 0:
			b.Status = models.MapNewlyOpened
		case overdue == 1:
			b.Status = models.MapOverdue
		default:
			b.Status = models.MapCoveredInProgramme
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("business coverage: %w", err)
	}
	return out, nil
}

// nothingInspectedSince reports whether no visit (an original record, not a correction)
// finished at or after t: one probe of the coverage index.
func (db *DB) nothingInspectedSince(g *gorm.DB, t time.Time) (bool, error) {
	var found []int
	if err := g.Raw("SELECT 1 FROM inspections WHERE finished_at >= ? AND amends_id IS NULL LIMIT 1", t.UTC()).Scan(&found).Error; err != nil {
		return false, err
	}
	return len(found) == 0, nil
}

// BusinessSpans lists the businesses of the spec with their opening and closing dates and
// their first inspection since the programme began.
func (db *DB) BusinessSpans(ctx context.Context, s models.CoverageSpec) ([]models.BusinessSpan, error) {
	g := db.gdb.WithContext(ctx)
	u, err := unitsOf(g, s)
	if err != nil {
		return nil, fmt.Errorf("business spans: %w", err)
	}
	firsts := g.Table("inspections").Select("business_id, MIN(finished_at) AS first_at").
		Where("outcome IN ? AND amends_id IS NULL AND finished_at >= ? AND finished_at < ?", inspectedOutcomes, s.ProgrammeStart, s.End).Group("business_id")
	var rows []struct {
		ID       string
		OpenedOn models.Date
		ClosedOn models.Date
		Status   string
		FirstAt  *string
	}
	if err := u.scope(g.Table("businesses b").Joins("LEFT JOIN (?) AS f ON f.business_id = b.id", firsts)).
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

func earliest(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
