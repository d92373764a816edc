package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"kiemtra/models"
)

// The period reports read the coverage counts (WardCoverageCounts with the period's first day
// as its start) and the figures below, all per ward and with the same filters, so that the
// reports add up to the coverage figures.

// WardViolationCodes counts per ward and violation code the findings of the inspections
// finished between the spec's start and end, each inspection in its latest version: the same
// findings as WardCoverageCounts' ViolationsYear.
func (db *DB) WardViolationCodes(ctx context.Context, s models.CoverageSpec) (map[string]map[string]int, error) {
	var rows []struct {
		AreaCode, Code string
		N              int
	}
	g := db.gdb.WithContext(ctx)
	u, err := unitsOf(g, s)
	if err != nil {
		return nil, fmt.Errorf("violations by code: %w", err)
	}
	q := currentFindings(g, s, u).
		Select(u.col() + " AS area_code, f.code AS code, COUNT(*) AS n").Group(u.col() + ", f.code")
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("violations by code: %w", err)
	}
	out := map[string]map[string]int{}
	for _, r := range rows {
		if out[r.AreaCode] == nil {
			out[r.AreaCode] = map[string]int{}
		}
		out[r.AreaCode][r.Code] += r.N
	}
	return out, nil
}

// WardFollowUps counts per ward the follow-up tasks (checks that a violation was corrected) due
// to violations found between the spec's start and end, and how many of them had been carried
// out (an inspection recorded) by the end. A follow-up belongs to the day of the inspection that
// found the violation, which its window starts the day after (fieldwork), never to the time the
// row was written: imported or replayed history would otherwise land in the year of the import.
func (db *DB) WardFollowUps(ctx context.Context, s models.CoverageSpec) (created, done map[string]int, err error) {
	var rows []struct {
		AreaCode string
		A, B     int
	}
	g := db.gdb.WithContext(ctx)
	u, err := unitsOf(g, s)
	if err != nil {
		return nil, nil, fmt.Errorf("follow-ups: %w", err)
	}
	q := u.scope(g.Table("tasks t").Joins("JOIN businesses b ON b.id = t.business_id")).
		Where("t.reason = ? AND t.window_start > ? AND t.window_start <= ?", models.ReasonFollowUp, s.Jan1, s.AsOf.AddDays(1)).
		Select(u.col()+` AS area_code, COUNT(*) AS a,
			SUM(CASE WHEN EXISTS (SELECT 1 FROM inspections i WHERE i.task_id = t.id AND i.outcome IN ? AND i.amends_id IS NULL AND i.finished_at < ?) THEN 1 ELSE 0 END) AS b`,
			inspectedOutcomes, s.End).
		Group(u.col())
	if err := q.Scan(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("follow-ups: %w", err)
	}
	created, done = map[string]int{}, map[string]int{}
	for _, r := range rows {
		created[r.AreaCode], done[r.AreaCode] = r.A, r.B
	}
	return created, done, nil
}

// WardTipCounts counts per ward the tips received between the spec's start and end (placed by
// the business they are about, or by their own area, each as of the spec's day) and where they stood at the instant at
// (the period's end, or now while it runs): verified (verification begun, as TipFigures counts
// them), handled, handled by their deadline, and overdue (not verified by the verification
// deadline, or verified but not handled by the handling deadline, as Tip.Overdue says). Tips
// merged into another are counted once, as the other. With unplaced, tips placed nowhere are
// counted under the key "". Only Received is counted, and workflow is false, while the tips
// table does not record the workflow (the tips migration's columns).
func (db *DB) WardTipCounts(ctx context.Context, s models.CoverageSpec, at time.Time, unplaced bool) (counts map[string]models.TipFigures, workflow bool, err error) {
	g := db.gdb.WithContext(ctx)
	m := g.Migrator()
	workflow = m.HasColumn("tips", "handled_at") && m.HasColumn("tips", "handle_due") && m.HasColumn("tips", "verifying_at") && m.HasColumn("tips", "verify_due")
	// A tip counts in the unit of its business on the spec's day, or, about no known business,
	// in its own unit of that day: each may have moved since (area_moves).
	u, err := unitsOf(g, s)
	if err != nil {
		return nil, false, fmt.Errorf("tips: %w", err)
	}
	tipMoved := false
	if !s.UnitsOn.IsZero() {
		if tipMoved, err = movedAfter(g, "tip", s.UnitsOn); err != nil {
			return nil, false, fmt.Errorf("tips: %w", err)
		}
	}
	area := u.col()
	if m.HasColumn("tips", "area_code") {
		own := "t.area_code"
		if tipMoved {
			own = "COALESCE(tmv.from_area, t.area_code)"
		}
		area = "COALESCE(" + u.col() + ", " + own + ")"
	}
	sel := "COALESCE(" + area + ", '') AS area_code, COUNT(*) AS received"
	var args []any
	if workflow {
		verified := "t.verifying_at < @at"
		handled := "t.status = 'handled' AND t.handled_at < @at"
		overdue := "(NOT (" + verified + ") OR t.verifying_at IS NULL) AND t.verify_due < @at OR " +
			verified + " AND NOT (t.handled_at IS NOT NULL AND t.handled_at < @at) AND t.handle_due < @at"
		sel += ", SUM(CASE WHEN " + verified + " THEN 1 ELSE 0 END) AS verified" +
			", SUM(CASE WHEN " + handled + " THEN 1 ELSE 0 END) AS handled" +
			", SUM(CASE WHEN " + handled + " AND (t.handle_due IS NULL OR t.handled_at <= t.handle_due) THEN 1 ELSE 0 END) AS handled_in_time" +
			", SUM(CASE WHEN " + overdue + " THEN 1 ELSE 0 END) AS overdue"
		args = append(args, map[string]any{"at": at.UTC()})
	}
	q := g.Table("tips t").Joins("LEFT JOIN businesses b ON b.id = t.business_id")
	if u.moved {
		q = q.Joins("LEFT JOIN (?) AS mv ON mv.entity_id = b.id", firstMovesAfter(g, "business", s.UnitsOn))
	}
	if tipMoved {
		q = q.Joins("LEFT JOIN (?) AS tmv ON tmv.entity_id = t.id", firstMovesAfter(g, "tip", s.UnitsOn))
	}
	q = q.Where("t.received_at >= ? AND t.received_at < ? AND t.status <> 'merged'", s.YearStart, s.End).
		Select(sel, args...).Group("COALESCE(" + area + ", '')")
	switch {
	case s.Units != nil && unplaced:
		q = q.Where(area+" IS NULL OR "+inUnits(area), nonEmpty(s.Units))
	case s.Units != nil:
		q = q.Where(inUnits(area), nonEmpty(s.Units))
	case !unplaced:
		q = q.Where(area + " IS NOT NULL")
	}
	var rows []struct {
		AreaCode string
		models.TipFigures
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("tips: %w", err)
	}
	counts = make(map[string]models.TipFigures, len(rows))
	for _, r := range rows {
		counts[r.AreaCode] = r.TipFigures
	}
	return counts, workflow, nil
}

// PlanOutcomes returns the businesses of a plan's tasks inspected (compliant or violation)
// between from and to, each with whether a violation was found: the observations of the
// plan's sample for a prevalence estimate.
func (db *DB) PlanOutcomes(ctx context.Context, planID string, from, to time.Time) (map[string]bool, error) {
	var rows []struct {
		BusinessID string
		V          int
	}
	err := db.gdb.WithContext(ctx).Table("inspections i").Joins("JOIN tasks t ON t.id = i.task_id").
		Where("t.plan_id = ? AND i.business_id = t.business_id AND i.outcome IN ? AND i.amends_id IS NULL AND i.finished_at >= ? AND i.finished_at < ?", planID, inspectedOutcomes, from.UTC(), to.UTC()).
		Select("t.business_id AS business_id, MAX(CASE WHEN i.outcome = ? THEN 1 ELSE 0 END) AS v", models.OutcomeViolation).
		Group("t.business_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("plan outcomes: %w", err)
	}
	out := make(map[string]bool, len(rows))
	for _, r := range rows {
		out[r.BusinessID] = r.V > 0
	}
	return out, nil
}

// PlanItemUnits returns the unit each business of a plan's selection belonged to on day (its
// unit now, or the one its first move after the day took it from).
func (db *DB) PlanItemUnits(ctx context.Context, planID string, day models.Date) (map[string]string, error) {
	g := db.gdb.WithContext(ctx)
	u, err := unitsOf(g, models.CoverageSpec{UnitsOn: day})
	if err != nil {
		return nil, fmt.Errorf("plan item units: %w", err)
	}
	var rows []struct{ BusinessID, AreaCode string }
	if err := u.scope(g.Table("plan_items pi").Joins("JOIN businesses b ON b.id = pi.business_id")).Where("pi.plan_id = ?", planID).
		Select("pi.business_id AS business_id, " + u.col() + " AS area_code").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("plan item units: %w", err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.BusinessID] = r.AreaCode
	}
	return out, nil
}

func scanWardCounts(q *gorm.DB, what string) (map[string]int, error) {
	var rows []struct {
		AreaCode string
		N        int
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.AreaCode] = r.N
	}
	return out, nil
}

// ReportFile is an archived report: the file as it was produced when its period closed.
type ReportFile struct {
	ID          int64     `gorm:"primaryKey;autoIncrement"`
	Period      string    // 2025, 2025-H2, 2025-Q4
	AreaCode    string    //
	ProgrammeID string    //
	Format      string    // xlsx or csv
	FileName    string    // bao-cao-kiem-tra_2025-Q4_92.xlsx
	GeneratedAt time.Time //
	GeneratedBy string    //
	SizeBytes   int64     //
	SHA256      string    `gorm:"column:sha256"`
	Content     []byte    // empty in lists
}

// TableName is the table of archived reports.
func (ReportFile) TableName() string { return "reports" }

func reportNotFound() error {
	return models.NotFound("report", "report not found", "không tìm thấy báo cáo")
}

// SaveReportFile archives a report unless one for the same programme, period, area and format
// is archived already; created tells which.
func (db *DB) SaveReportFile(ctx context.Context, actor string, f *ReportFile) (created bool, err error) {
	err = db.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&ReportFile{}).Where("programme_id = ? AND period = ? AND area_code = ? AND format = ?", f.ProgrammeID, f.Period, f.AreaCode, f.Format).
			Count(&n).Error; err != nil {
			return translate(err, "report")
		}
		if n > 0 {
			return nil
		}
		f.ID, f.GeneratedAt, f.SizeBytes = 0, f.GeneratedAt.UTC(), int64(len(f.Content))
		if err := tx.Create(f).Error; err != nil {
			return translate(err, "report")
		}
		created = true
		return db.appendAudit(tx, actor, auditEntry{Action: "archive", EntityType: "report", EntityID: fmt.Sprint(f.ID),
			Details: map[string]any{"programme_id": f.ProgrammeID, "period": f.Period, "area_code": f.AreaCode, "format": f.Format, "size": f.SizeBytes, "sha256": f.SHA256}})
	})
	if models.IsCode(err, models.ECONFLICT) {
		// Another replica archived the same report at the same moment: it is there.
		return false, nil
	}
	return created, err
}

// archiveScope applies an archive filter's conditions, but for the page, to a query of the
// reports table; the unit's with area.
func archiveScope(q *gorm.DB, f models.ArchiveFilter, area bool) *gorm.DB {
	if f.AreaPath != "" {
		q = q.Where(`area_code IN (SELECT code FROM areas WHERE path LIKE ? ESCAPE '\')`, likePrefix(f.AreaPath))
	}
	if f.ProgrammeID != "" {
		q = q.Where("programme_id = ?", f.ProgrammeID)
	}
	if f.Period != "" {
		q = q.Where("period = ?", f.Period)
	}
	switch {
	case !area || f.Area == "":
	case models.IsVersionID(f.Area):
		q = q.Where("area_code = ?", f.Area)
	default:
		// Every version with the official code, and one stored without a code of its own.
		q = q.Where("area_code IN (SELECT code FROM areas WHERE gso_code = ? OR code = ?)", f.Area, f.Area)
	}
	if f.Format != "" {
		q = q.Where("format = ?", f.Format)
	}
	return q
}

// FindReportFiles lists the archived reports that match the filter, newest first, without
// their content, and how many match in all (for paging). The unique key (programme, period,
// area, format) serves the programme and period filters; the table holds a few hundred rows a
// programme, so the others need no index of their own.
func (db *DB) FindReportFiles(ctx context.Context, f models.ArchiveFilter) ([]*ReportFile, int, error) {
	// A session of its own: the count and the page are two statements on the same conditions.
	q := archiveScope(db.gdb.WithContext(ctx).Model(&ReportFile{}), f, true).Session(&gorm.Session{})
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "report")
	}
	q = q.Select("id, period, area_code, programme_id, format, file_name, generated_at, generated_by, size_bytes, sha256")
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	if f.Offset > 0 {
		q = q.Offset(f.Offset)
	}
	var out []*ReportFile
	if err := q.Order("generated_at DESC, id DESC").Find(&out).Error; err != nil {
		return nil, 0, translate(err, "report")
	}
	return out, int(total), nil
}

// FindReportFileAreas lists the units (area codes, in order) that have archived reports matching
// the filter but for its Area and page: the choices of a unit filter.
func (db *DB) FindReportFileAreas(ctx context.Context, f models.ArchiveFilter) ([]string, error) {
	var out []string
	if err := archiveScope(db.gdb.WithContext(ctx).Model(&ReportFile{}), f, false).Distinct("area_code").Order("area_code").Pluck("area_code", &out).Error; err != nil {
		return nil, translate(err, "report")
	}
	return out, nil
}

// FindReportFile returns an archived report with its content, or not_found.
func (db *DB) FindReportFile(ctx context.Context, id int64) (*ReportFile, error) {
	var f ReportFile
	err := db.gdb.WithContext(ctx).Where("id = ?", id).Take(&f).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, reportNotFound()
	}
	if err != nil {
		return nil, translate(err, "report")
	}
	return &f, nil
}

// ReportFileExists reports whether a report is archived for the programme, period, area and format.
func (db *DB) ReportFileExists(ctx context.Context, programmeID, period, areaCode, format string) (bool, error) {
	var n int64
	if err := db.gdb.WithContext(ctx).Model(&ReportFile{}).Where("programme_id = ? AND period = ? AND area_code = ? AND format = ?", programmeID, period, areaCode, format).
		Count(&n).Error; err != nil {
		return false, translate(err, "report")
	}
	return n > 0, nil
}
