package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"kiemtra/indicators"
	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/report"
	"kiemtra/store"
)

// runReport writes a period report (a quarter, a half-year or a year) as a workbook, a CSV file
// or JSON.
func runReport(ctx context.Context, env *Env, args []string) error {
	const usage = "--period 2026-Q1|2026-H1|2026 [--area CODE] [--programme ID|CODE] [--format xlsx|csv|json] [--out FILE|-]"
	fs := newFlagSet(env, "report", usage)
	period := fs.String("period", "", "the period: a year (2025), a half-year (2025-H1) or a quarter (2025-Q4) (required)")
	area := fs.String("area", "", "area code (default: the programme's whole area)")
	programme := fs.String("programme", "", "programme id or code (default: the programme that ran in the period)")
	format := fs.String("format", report.FormatXLSX, "xlsx, csv or json")
	out := fs.String("out", "", "file to write, - for standard output (default: bao-cao-kiem-tra_PERIOD_AREA.FORMAT here)")
	cfg, err := loadConfig(env, fs, args)
	if err != nil {
		return err
	}
	if *period == "" {
		fmt.Fprintln(env.Stderr, "report: --period is required")
		fs.Usage()
		return errUsage
	}
	per, err := report.ParsePeriod(*period)
	if err != nil {
		return err
	}
	if err := report.CheckFormat(*format); err != nil {
		return err
	}
	m := NewMain(cfg, cfg.newLogger())
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	q := report.Query{Period: per, Programme: *programme, Area: *area}
	if err := m.Reports().Resolve(ctx, &q); err != nil {
		return err
	}
	rep, err := m.Reports().Build(ctx, q)
	if err != nil {
		return err
	}
	content, err := report.Render(rep, *format)
	if err != nil {
		return err
	}
	name, msg := *out, env.Stdout
	switch name {
	case "-":
		if _, err := env.Stdout.Write(content); err != nil {
			return err
		}
		msg = env.Stderr
	case "":
		name = rep.FileName(*format)
		fallthrough
	default:
		if err := os.WriteFile(name, content, 0o644); err != nil {
			return fmt.Errorf("write the report: %w", err)
		}
		fmt.Fprintf(msg, "wrote %s (%d bytes)\n", name, len(content))
	}
	printReportTotals(msg, rep)
	return nil
}

// printReportTotals sums a report up in a few lines.
func printReportTotals(w io.Writer, r *report.Report) {
	toDate := ""
	if r.ToDate {
		toDate = " (to date)"
	}
	t := r.Total
	area := r.AreaGSO
	if area == "" {
		area = r.AreaCode
	}
	fmt.Fprintf(w, "%s %s, %s %s, %s to %s%s, generated %s\n", r.ProgrammeCode, r.Period, area, r.AreaName, r.Start, r.AsOf, toDate, r.GeneratedAt.Format(time.RFC3339))
	var levels []string
	for _, l := range r.Levels {
		levels = append(levels, fmt.Sprintf("%d %s", l.Units, l.NameEN))
	}
	fmt.Fprintf(w, "  on the units in force on %s: %s\n", r.UnitsOn, strings.Join(levels, ", "))
	if r.Note != nil {
		fmt.Fprintf(w, "  note: %s\n", r.Note.Message)
	}
	// One line per measure, under the names the dashboard and the workbook use.
	line := func(key string, v any) {
		m := models.MeasureOf(key)
		switch x := v.(type) {
		case float64:
			fmt.Fprintf(w, "  %s / %s: %.1f%%\n", m.Name, m.NameEN, x*100)
		case *int:
			if x != nil {
				fmt.Fprintf(w, "  %s / %s: %d\n", m.Name, m.NameEN, *x)
			}
		default:
			fmt.Fprintf(w, "  %s / %s: %v\n", m.Name, m.NameEN, x)
		}
	}
	for _, f := range []struct {
		key string
		v   any
	}{{models.MeasureInScope, t.InScope}, {models.MeasureOpenAtStart, t.OpenAtStart}, {models.MeasureInspections, t.Inspections},
		{models.MeasureInspected, t.Inspected}, {models.MeasureInspectedOpenAtStart, t.InspectedOpenAtStart}, {models.MeasureShareInspected, t.Share},
		{models.MeasureEligible, t.Eligible}, {models.MeasureCovered, t.Covered}, {models.MeasureCoverage, t.Coverage}, {models.MeasureNeverInspected, t.NeverInspected},
		{models.MeasureViolations, t.Violations}, {models.MeasureViolating, t.Violating}, {models.MeasureFollowUpsDue, t.FollowUpsDue}, {models.MeasureFollowUpsDone, t.FollowUpsDone},
		{models.MeasureTipsReceived, t.TipsReceived}, {models.MeasureTipsVerified, t.TipsVerified}, {models.MeasureTipsHandled, t.TipsHandled},
		{models.MeasureTipsInTime, t.TipsInTime}, {models.MeasureTipsOverdue, t.TipsOverdue}} {
		line(f.key, f.v)
	}
	if e := t.Prevalence; e != nil {
		fmt.Fprintf(w, "  estimated prevalence %.1f%% [%.1f%%, %.1f%%] from %d inspected in the plan's sample\n", e.Share*100, e.Low*100, e.High*100, e.Sample)
	}
}

// Reports returns the report service (after Open).
func (m *Main) Reports() *report.Service { return m.reports }

// Indicators returns the indicator service (after Open): its Progress is what the official
// periodic report consumes.
func (m *Main) Indicators() *indicators.Service { return m.indicators }

// newReportService builds the report service over the database. It also carries the dashboard's
// base-map setting (KIEMTRA_TILE_URL), which the map's data (GET /coverage.geojson) passes on.
func newReportService(m *Main, db *store.DB) (*report.Service, error) {
	violations, err := refdata.Violations()
	if err != nil {
		return nil, err
	}
	return report.New(report.Config{Store: db, Archive: reportArchive{db}, Violations: violations, Logger: m.Log, Now: m.Now, Location: m.Config.Location(),
		BaseMap: report.BaseMap{TileURL: m.Config.TileURL, Attribution: m.Config.TileAttribution}}), nil
}

// reportArchive keeps the report service's archive in the store's reports table.
type reportArchive struct{ db *store.DB }

var _ report.Archive = reportArchive{}

func (a reportArchive) SaveArchived(ctx context.Context, actor string, r *report.Archived) (bool, error) {
	f := store.ReportFile(*r)
	created, err := a.db.SaveReportFile(ctx, actor, &f)
	*r = report.Archived(f)
	return created, err
}

func (a reportArchive) FindArchived(ctx context.Context, f models.ArchiveFilter) ([]*report.Archived, int, error) {
	files, total, err := a.db.FindReportFiles(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	out := make([]*report.Archived, len(files))
	for i, f := range files {
		r := report.Archived(*f)
		out[i] = &r
	}
	return out, total, nil
}

func (a reportArchive) ArchivedAreas(ctx context.Context, f models.ArchiveFilter) ([]string, error) {
	return a.db.FindReportFileAreas(ctx, f)
}

func (a reportArchive) FindArchivedByID(ctx context.Context, id int64) (*report.Archived, error) {
	f, err := a.db.FindReportFile(ctx, id)
	if err != nil {
		return nil, err
	}
	r := report.Archived(*f)
	return &r, nil
}

func (a reportArchive) ArchivedExists(ctx context.Context, programmeID, period, areaCode, format string) (bool, error) {
	return a.db.ReportFileExists(ctx, programmeID, period, areaCode, format)
}
