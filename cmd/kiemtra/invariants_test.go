package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"kiemtra/coverage"
	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/report"
	"kiemtra/scheduler"
	"kiemtra/store"
)

// invariantsDay is the time the invariants are checked at: on the day the tests' demo is made,
// whose history ends the day before.
var invariantsDay = demoToday.Time(time.UTC).Add(10 * time.Hour)

// checkReportInvariants computes every report of the database (every programme, every year,
// half-year and quarter it ran in up to today, on its whole area, and on each unit directly under
// it for the years) and checks what a reader would: follow-ups done <= due, inspected businesses
// <= those open, covered <= eligible, shares in [0, 1] and equal to their counts' ratio, every
// unit the sum of the units under it and the total the sum of the units, the workbook and the
// CSV file equal to the API's JSON, and the coverage API (the dashboard's numbers) equal to the
// year's report.
func checkReportInvariants(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	violations, err := refdata.Violations()
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return invariantsDay }
	reports := report.New(report.Config{Store: db, Violations: violations, Now: now, Location: time.UTC})
	cov := coverage.New(db, now, time.UTC)
	progs, err := db.FindProgrammes(ctx)
	if err != nil || len(progs) < 2 {
		t.Fatalf("programmes: %d, %v", len(progs), err)
	}
	today := models.DateOf(invariantsDay)
	built, rows, withFollowUps, withTips := 0, 0, 0, 0
	for _, p := range progs {
		for year := p.StartsOn.Year; year <= p.EndsOn.Year && year <= today.Year; year++ {
			periods := []report.Period{{Kind: report.KindYear, Year: year}}
			for n := 1; n <= 2; n++ {
				periods = append(periods, report.Period{Kind: report.KindHalf, Year: year, N: n})
			}
			for n := 1; n <= 4; n++ {
				periods = append(periods, report.Period{Kind: report.KindQuarter, Year: year, N: n})
			}
			for _, per := range periods {
				if today.Before(per.Start()) {
					continue
				}
				name := fmt.Sprintf("%s %s", p.Code, per)
				q := report.Query{Period: per, Programme: p.ID}
				if err := reports.Resolve(ctx, &q); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				r, err := reports.Build(ctx, q)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				built++
				rows += 1 + len(r.Rows)
				for _, row := range r.Rows {
					if row.FollowUpsDue > 0 {
						withFollowUps++
					}
					if row.TipsReceived > 0 {
						withTips++
					}
				}
				checkRowInvariants(t, name, r)
				checkFilesAreTheReport(t, name, r)
				if per.Kind != report.KindYear {
					continue
				}
				checkDashboardIsTheReport(t, ctx, cov, name, p, year, r)
				// Each unit directly under the area, reported on its own, is its row of the
				// area's report.
				top := ""
				if len(r.Levels) > 1 {
					top = r.Levels[0].Level
				}
				for _, row := range r.RowsOf(top) {
					if top == "" {
						break
					}
					uq := report.Query{Period: per, Programme: p.ID, Area: row.AreaCode}
					if err := reports.Resolve(ctx, &uq); err != nil {
						t.Fatalf("%s %s: %v", name, row.Name, err)
					}
					ur, err := reports.Build(ctx, uq)
					if err != nil {
						t.Fatalf("%s %s: %v", name, row.Name, err)
					}
					built++
					checkRowInvariants(t, name+" "+row.Name, ur)
					if got, want := figuresOf(ur.Total), figuresOf(row); got != want {
						t.Errorf("%s: %s reported on its own %v, in the city's report %v", name, row.Name, got, want)
					}
				}
			}
		}
	}
	t.Logf("report invariants checked on %d reports (%d rows, %d with follow-ups, %d with tips) on %s", built, rows, withFollowUps, withTips, db.Dialect())
	if withFollowUps == 0 {
		t.Error("no report row has follow-ups: the follow-up invariants test nothing")
	}
	if built < 40 {
		t.Errorf("only %d reports built: the demo should have two programmes over six years", built)
	}
}

// figures are a row's figures that add up over units (shares and estimates do not).
type figures struct {
	InScope, OpenAtStart, Inspections, Inspected, InspectedOpenAtStart, Eligible, Covered, NeverInspected                int
	Violations, Violating, FollowUpsDue, FollowUpsDone, TipsReceived, TipsVerified, TipsHandled, TipsInTime, TipsOverdue int
}

func figuresOf(r report.Row) figures {
	v := func(p *int) int {
		if p == nil {
			return -1
		}
		return *p
	}
	return figures{r.InScope, r.OpenAtStart, r.Inspections, r.Inspected, r.InspectedOpenAtStart, r.Eligible, r.Covered, r.NeverInspected,
		r.Violations, r.Violating, r.FollowUpsDue, r.FollowUpsDone, r.TipsReceived, v(r.TipsVerified), v(r.TipsHandled), v(r.TipsInTime), v(r.TipsOverdue)}
}

func (f *figures) add(g figures) {
	f.InScope += g.InScope
	f.OpenAtStart += g.OpenAtStart
	f.Inspections += g.Inspections
	f.Inspected += g.Inspected
	f.InspectedOpenAtStart += g.InspectedOpenAtStart
	f.Eligible += g.Eligible
	f.Covered += g.Covered
	f.NeverInspected += g.NeverInspected
	f.Violations += g.Violations
	f.Violating += g.Violating
	f.FollowUpsDue += g.FollowUpsDue
	f.FollowUpsDone += g.FollowUpsDone
	f.TipsReceived += g.TipsReceived
	f.TipsVerified += g.TipsVerified
	f.TipsHandled += g.TipsHandled
	f.TipsInTime += g.TipsInTime
	f.TipsOverdue += g.TipsOverdue
}

func ratio4(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return math.Round(float64(a)/float64(b)*10000) / 10000
}

// checkRowInvariants checks every row of a report on its own, and the sums.
func checkRowInvariants(t *testing.T, name string, r *report.Report) {
	t.Helper()
	all := append([]report.Row{r.Total}, r.Rows...)
	if r.Unplaced != nil {
		all = append(all, *r.Unplaced)
	}
	for _, row := range all {
		where := fmt.Sprintf("%s, %s %s", name, row.Level, row.Name)
		f := figuresOf(row)
		for _, c := range []struct {
			what string
			ok   bool
		}{
			{"follow-ups done <= due", f.FollowUpsDone <= f.FollowUpsDue},
			{"inspected open at the start <= open at the start", f.InspectedOpenAtStart <= f.OpenAtStart},
			{"inspected open at the start <= inspected <= inspections", f.InspectedOpenAtStart <= f.Inspected && f.Inspected <= f.Inspections},
			{"covered <= eligible <= in scope", f.Covered <= f.Eligible && f.Eligible <= f.InScope},
			{"never inspected = eligible - covered", f.NeverInspected == f.Eligible-f.Covered},
			{"violating <= violations, violating <= inspected", f.Violating <= f.Violations && f.Violating <= f.Inspected},
			{"tips: in time <= handled <= received, verified <= received, overdue <= received",
				f.TipsInTime <= f.TipsHandled && f.TipsHandled <= f.TipsReceived && f.TipsVerified <= f.TipsReceived && f.TipsOverdue <= f.TipsReceived},
			{"share = inspected open at the start / open at the start, in [0, 1]", row.Share >= 0 && row.Share <= 1 && math.Abs(row.Share-ratio4(f.InspectedOpenAtStart, f.OpenAtStart)) < 1e-9},
			{"coverage = covered / eligible, in [0, 1]", row.Coverage >= 0 && row.Coverage <= 1 && math.Abs(row.Coverage-ratio4(f.Covered, f.Eligible)) < 1e-9},
			{"prevalence and its interval in [0, 1]", row.Prevalence == nil || row.Prevalence.Low >= 0 && row.Prevalence.Low <= row.Prevalence.Share && row.Prevalence.Share <= row.Prevalence.High && row.Prevalence.High <= 1},
			{"no negative figure", f.InScope >= 0 && f.OpenAtStart >= 0 && f.Inspections >= 0 && f.NeverInspected >= 0 && f.Violations >= 0 && f.FollowUpsDue >= 0 && f.TipsReceived >= 0},
		} {
			if !c.ok {
				t.Errorf("%s: %s fails: %+v share %v coverage %v", where, c.what, f, row.Share, row.Coverage)
			}
		}
	}
	// The total is the sum of each level's units, and a unit the sum of the units under it.
	children := map[string]*figures{}
	for _, l := range r.Levels {
		var sum figures
		for _, row := range r.RowsOf(l.Level) {
			sum.add(figuresOf(row))
			if row.ParentCode != "" {
				if children[row.ParentCode] == nil {
					children[row.ParentCode] = &figures{}
				}
				children[row.ParentCode].add(figuresOf(row))
			}
		}
		if r.Unplaced != nil {
			sum.add(figuresOf(*r.Unplaced))
		}
		if len(r.RowsOf(l.Level)) > 0 && sum != figuresOf(r.Total) {
			t.Errorf("%s: the %s add up to %+v, the total is %+v", name, l.NameEN, sum, figuresOf(r.Total))
		}
	}
	for _, row := range r.Rows {
		if c := children[row.AreaCode]; c != nil && *c != figuresOf(row) {
			t.Errorf("%s: the units under %s add up to %+v, it has %+v", name, row.Name, *c, figuresOf(row))
		}
	}
}

// checkFilesAreTheReport checks that the workbook and the CSV file give every figure of every
// row as the JSON does, under the vocabulary's names.
func checkFilesAreTheReport(t *testing.T, name string, r *report.Report) {
	t.Helper()
	want := map[string]map[string]float64{} // official code ("" for the total) -> measure key -> value
	for i, row := range append([]report.Row{r.Total}, r.Rows...) {
		code := row.GSOCode
		if i == 0 {
			code = ""
		}
		want[code] = rowValues(row)
	}
	if r.Unplaced != nil {
		want[report.LevelUnplaced] = rowValues(*r.Unplaced)
	}
	keyOf := map[string]string{}
	for _, m := range models.Measures() {
		keyOf[m.Name] = m.Key
	}
	// The workbook: the summary sheet and the detail sheet, headed by the measures' names.
	content, err := report.Render(r, report.FormatXLSX)
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(content), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	seen := 0
	for _, sheet := range []string{report.SheetSummary, r.DetailSheet()} {
		if sheet == "" {
			continue
		}
		rows, err := x.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil || len(rows) < 11 {
			t.Fatalf("%s: sheet %s: %d rows, %v", name, sheet, len(rows), err)
		}
		for i, cells := range rows[10:] {
			code := ""
			switch {
			case cells[0] == "Chưa xác định":
				code = report.LevelUnplaced
			case sheet != report.SheetSummary || i > 0:
				code = cells[1]
			}
			seen += compareCells(t, fmt.Sprintf("%s workbook %s row %d", name, sheet, i+11), rows[8], cells, keyOf, want[code])
		}
	}
	// The CSV file: headings "Vietnamese (key)".
	content, err = report.Render(r, report.FormatCSV)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(content, []byte("\ufeff")))).ReadAll()
	unplaced := 0
	if r.Unplaced != nil {
		unplaced = 1
	}
	if err != nil || len(recs) != 2+len(r.Rows)+unplaced {
		t.Fatalf("%s: CSV %d records for %d rows, %v", name, len(recs), 1+len(r.Rows), err)
	}
	for i, rec := range recs[1:] {
		code := rec[1]
		switch rec[0] {
		case report.LevelTotal:
			code = ""
		case report.LevelUnplaced:
			code = report.LevelUnplaced
		}
		heads := make([]string, len(recs[0]))
		for j, h := range recs[0] {
			vi, key, _ := strings.Cut(strings.TrimSuffix(h, ")"), " (")
			if m, ok := keyOf[vi]; ok && m == key {
				heads[j] = vi
			}
		}
		seen += compareCells(t, fmt.Sprintf("%s CSV line %d", name, i+2), heads, rec, keyOf, want[code])
	}
	if seen == 0 {
		t.Errorf("%s: no figure compared in the files", name)
	}
}

func rowValues(row report.Row) map[string]float64 {
	v := map[string]float64{
		models.MeasureInScope: float64(row.InScope), models.MeasureOpenAtStart: float64(row.OpenAtStart), models.MeasureInspections: float64(row.Inspections),
		models.MeasureInspected: float64(row.Inspected), models.MeasureInspectedOpenAtStart: float64(row.InspectedOpenAtStart), models.MeasureShareInspected: row.Share,
		models.MeasureEligible: float64(row.Eligible), models.MeasureCovered: float64(row.Covered), models.MeasureCoverage: row.Coverage,
		models.MeasureNeverInspected: float64(row.NeverInspected), models.MeasureViolations: float64(row.Violations), models.MeasureViolating: float64(row.Violating),
		models.MeasureFollowUpsDue: float64(row.FollowUpsDue), models.MeasureFollowUpsDone: float64(row.FollowUpsDone), models.MeasureTipsReceived: float64(row.TipsReceived),
	}
	sf := row.SanctionFigures
	for key, n := range map[string]int64{models.MeasureSanctionDecisions: int64(sf.Decisions), models.MeasureSanctionWarnings: int64(sf.Warnings),
		models.MeasureSanctionFines: int64(sf.Fines), models.MeasureSanctionFinesAmount: sf.FinesAmount, models.MeasureSanctionFinesPaid: int64(sf.FinesPaid),
		models.MeasureSanctionCollected: sf.FinesPaidSum, models.MeasureSanctionConfiscation: int64(sf.Confiscations), models.MeasureSanctionSuspensions: int64(sf.Suspensions),
		models.MeasureSanctionWithdrawals: int64(sf.Withdrawals), models.MeasureSanctionReferrals: int64(sf.Referrals), models.MeasureSanctionOverdue: int64(sf.Overdue)} {
		v[key] = float64(n)
	}
	for key, p := range map[string]*int{models.MeasureTipsVerified: row.TipsVerified, models.MeasureTipsHandled: row.TipsHandled, models.MeasureTipsInTime: row.TipsInTime, models.MeasureTipsOverdue: row.TipsOverdue} {
		if p != nil {
			v[key] = float64(*p)
		}
	}
	// A suppressed estimate is blank in the files; its sample is still given.
	if e := row.Prevalence; e != nil {
		if e.Quality != scheduler.QualitySuppressed {
			v[models.MeasurePrevalence], v[models.MeasurePrevalenceLow], v[models.MeasurePrevalenceHigh] = e.Share, e.Low, e.High
		}
		v[models.MeasurePrevalenceSample] = float64(e.Sample)
	}
	return v
}

// compareCells compares a line of a file with the JSON's figures, column by column; it returns
// how many figures it compared.
func compareCells(t *testing.T, where string, heads, cells []string, keyOf map[string]string, want map[string]float64) int {
	t.Helper()
	if want == nil {
		t.Errorf("%s: a row the JSON does not have: %v", where, cells[:min(3, len(cells))])
		return 0
	}
	n := 0
	for j, h := range heads {
		key, ok := keyOf[h]
		if !ok || j >= len(cells) || models.MeasureOf(key).Kind == models.MeasureFlag {
			continue
		}
		w, has := want[key]
		if cells[j] == "" && !has {
			continue
		}
		got, err := strconv.ParseFloat(cells[j], 64)
		if err != nil || !has || math.Abs(got-w) > 1e-9 {
			t.Errorf("%s: %s is %q, the JSON has %v", where, h, cells[j], w)
			continue
		}
		n++
	}
	return n
}

// checkDashboardIsTheReport checks that the coverage API, which the dashboard draws, gives a
// year the figures of its report: the total and the units of the dashboard's first level.
func checkDashboardIsTheReport(t *testing.T, ctx context.Context, cov *coverage.Service, name string, p *models.Programme, year int, r *report.Report) {
	t.Helper()
	q := models.CoverageQuery{Programme: p, Year: year, Area: r.AreaCode}
	if err := cov.Resolve(ctx, &q); err != nil {
		t.Fatalf("%s coverage: %v", name, err)
	}
	c, err := cov.Coverage(ctx, q)
	if err != nil {
		t.Fatalf("%s coverage: %v", name, err)
	}
	byCode := map[string]report.Row{"": r.Total}
	for _, row := range r.Rows {
		byCode[row.AreaCode] = row
	}
	for i, cr := range append([]models.CoverageRow{c.Total}, c.Rows...) {
		code := cr.AreaCode
		if i == 0 {
			code = ""
		}
		row, ok := byCode[code]
		if !ok {
			t.Errorf("%s: the dashboard's unit %s is not in the report", name, cr.Name)
			continue
		}
		got := map[string]float64{
			models.MeasureInScope: float64(cr.InScope), models.MeasureOpenAtStart: float64(cr.OpenAtStart), models.MeasureInspections: float64(cr.Inspections),
			models.MeasureInspected: float64(cr.Inspected), models.MeasureInspectedOpenAtStart: float64(cr.InspectedOpenAtStart), models.MeasureShareInspected: cr.Share,
			models.MeasureEligible: float64(cr.Eligible), models.MeasureCovered: float64(cr.Covered), models.MeasureCoverage: cr.Coverage,
			models.MeasureNeverInspected: float64(cr.NeverInspected), models.MeasureViolations: float64(cr.Violations), models.MeasureViolating: float64(cr.Violating),
		}
		want := rowValues(row)
		for key, g := range got {
			if math.Abs(g-want[key]) > 1e-9 {
				t.Errorf("%s %s: the dashboard's %s is %v, the report's %v", name, cr.Name, models.MeasureOf(key).NameEN, g, want[key])
			}
		}
		if cr.Share < 0 || cr.Share > 1 || cr.TargetProgress < 0 || cr.ProjectedYearShare < 0 || cr.ProjectedYearShare > 1 || cr.ProjectedCoverage < 0 || cr.ProjectedCoverage > 1 {
			t.Errorf("%s %s: a share out of [0, 1]: %+v", name, cr.Name, cr)
		}
	}
}
