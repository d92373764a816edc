package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"kiemtra/coverage"
	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/scheduler"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// testClock is a settable clock shared by the store (created_at of follow-up tasks) and the
// services.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var hcm = mustLoc("Asia/Ho_Chi_Minh")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// local is a wall-clock time in Ho Chi Minh City.
func local(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, hcm) }

// city is a small stored city: two districts of two wards with ten karaoke bars each, a
// business that closed in February and one that opened in May; programme P (2026-2030) with
// an approved 2026 plan of three businesses a ward; visits, findings, follow-ups and tips in
// the first and second quarters; today is 15 August 2026.
type city struct {
	db      *store.DB
	clock   *testClock
	svc     *Service
	cov     *coverage.Service
	archive *MemoryArchive
	prog    *models.Programme
	// workflow: the tips table records handling and places (the tip workflow's migration).
	workflow bool
}

func biz(ward string, i int) string { return fmt.Sprintf("b-%s-%d", ward, i) }

var wards = []string{"D11", "D12", "D21", "D22"}

func buildCity(t *testing.T, db *store.DB, clock *testClock) *city {
	t.Helper()
	ctx := context.Background()
	c := &city{db: db, clock: clock}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	p := func(s string) *string { return &s }
	areas := []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity, TypeName: "Thành phố"}}
	for _, d := range []string{"D1", "D2"} {
		areas = append(areas, &models.Area{Code: d, ParentCode: p("92"), Name: "Quận " + d, TypeName: "Quận", Level: models.AreaLevelDistrict})
		for _, w := range []string{"1", "2"} {
			areas = append(areas, &models.Area{Code: d + w, ParentCode: p(d), Name: "Phường " + d + w, TypeName: "Phường", Level: models.AreaLevelWard})
		}
	}
	must(db.UpsertAreas(ctx, "t", areas))
	var bs []*models.Business
	add := func(id, ward string, opened models.Date) *models.Business {
		b := &models.Business{ID: id, Name: "Karaoke " + id, Category: "karaoke", LicenceNo: p("L-" + id), Lat: 10, Lon: 105, AreaCode: ward, OpenedOn: opened}
		bs = append(bs, b)
		return b
	}
	for _, w := range wards {
		for i := 0; i < 10; i++ {
			add(biz(w, i), w, models.NewDate(2018, 1, 1))
		}
	}
	closed := add("b-closed", "D21", models.NewDate(2019, 1, 1))
	closed.Status, closed.ClosedOn = models.BusinessClosed, models.NewDate(2026, 2, 15)
	add("b-new", "D11", models.NewDate(2026, 5, 1))
	must(db.CreateBusinesses(ctx, "t", bs))
	c.prog = &models.Programme{Code: "P", Name: "Chương trình thử 2026-2030", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31), RootAreaCode: p("92")}
	c.prog.ApplyDefaults()
	must(db.CreateProgramme(ctx, "t", c.prog))

	// The 2026 plan: businesses 0-2 of every ward, each drawn with probability 0.3 from 10.
	var items []*models.PlanItem
	fig := models.PlanFigures{Year: 2026}
	for _, w := range wards {
		fig.Areas = append(fig.Areas, models.AreaFigures{AreaCode: w, InScope: 10})
		for i := 0; i < 3; i++ {
			items = append(items, &models.PlanItem{BusinessID: biz(w, i), Group: models.GroupMustCover, InclusionProb: 0.3, WeekStart: models.NewDate(2026, 1, 5), AreaCode: w})
		}
	}
	figJSON, _ := json.Marshal(fig)
	plan := &models.Plan{ProgrammeID: c.prog.ID, Year: 2026, Seed: "s", SeedSHA256: "x", Figures: string(figJSON), Feasible: true}
	must(db.CreatePlan(ctx, "t", plan, items))
	_, err := db.ApprovePlan(ctx, "t", plan.ID)
	must(err)
	tasks, _, err := db.FindTasks(ctx, models.TaskFilter{PlanID: plan.ID})
	must(err)
	taskOf := map[string]*string{}
	for _, tk := range tasks {
		id := tk.ID
		taskOf[tk.BusinessID] = &id
	}

	followUps := map[string]string{}
	visit := func(at time.Time, business, outcome string, task *string, codes ...string) {
		t.Helper()
		c.clock.Set(at)
		v := models.Visit{Inspection: &models.Inspection{BusinessID: business, TaskID: task, StartedAt: at.Add(-time.Hour), FinishedAt: at, Outcome: outcome}}
		for _, code := range codes {
			v.Findings = append(v.Findings, &models.Finding{Code: code, Severity: "high"})
		}
		if outcome == models.OutcomeViolation {
			f := &models.Task{ID: "fu-" + business, BusinessID: business, Reason: models.ReasonFollowUp, Status: models.TaskPlanned,
				WindowStart: models.DateOf(at).AddDays(14), WindowEnd: models.DateOf(at).AddDays(44), InclusionProb: 1}
			v.NewTasks = append(v.NewTasks, f)
			followUps[business] = f.ID
		}
		must(db.ApplyVisits(ctx, "t", []models.Visit{v}))
	}
	// First quarter.
	q1 := local(2026, 2, 10, 9)
	visit(q1, biz("D11", 0), models.OutcomeCompliant, taskOf[biz("D11", 0)])
	visit(q1, biz("D11", 1), models.OutcomeViolation, taskOf[biz("D11", 1)], "LIC_REG", "LAB_MINOR")
	visit(q1, biz("D12", 0), models.OutcomeCompliant, taskOf[biz("D12", 0)])
	visit(q1, biz("D21", 0), models.OutcomeViolation, taskOf[biz("D21", 0)], "LIC_REG")
	visit(q1, biz("D22", 0), models.OutcomeRefused, taskOf[biz("D22", 0)])
	visit(q1, biz("D22", 5), models.OutcomeCompliant, nil)
	visit(local(2026, 2, 1, 10), "b-closed", models.OutcomeCompliant, nil)
	// A correction is not an inspection of its own.
	first, err := db.FindInspectionForTask(ctx, *taskOf[biz("D11", 0)])
	must(err)
	must(db.CreateAmendment(ctx, "t", &models.Inspection{ID: "amend-1", BusinessID: first.BusinessID, StartedAt: q1, FinishedAt: q1.Add(time.Hour), Outcome: models.OutcomeCompliant, AmendsID: &first.ID}, nil))
	// A violation corrected twice, in the second quarter: first with another finding added,
	// then back to the one it had. Only the latest version's findings count, in the quarter of
	// the visit.
	viol, err := db.FindInspectionForTask(ctx, *taskOf[biz("D21", 0)])
	must(err)
	for i, codes := range [][]string{{"LIC_REG", "HOURS"}, {"LIC_REG"}} {
		at := local(2026, 4, 6+i, 9)
		c.clock.Set(at)
		var fs []*models.Finding
		for _, code := range codes {
			fs = append(fs, &models.Finding{Code: code, Severity: "high"})
		}
		must(db.CreateAmendment(ctx, "t", &models.Inspection{ID: fmt.Sprintf("amend-%d", 2+i), BusinessID: viol.BusinessID, StartedAt: at.Add(-time.Hour), FinishedAt: at,
			Outcome: models.OutcomeViolation, AmendsID: &viol.ID}, fs))
	}
	// 03:00 on 1 April in Ho Chi Minh City is still 31 March in UTC: second quarter.
	visit(local(2026, 4, 1, 3), biz("D12", 1), models.OutcomeCompliant, taskOf[biz("D12", 1)])
	// Second quarter.
	q2 := local(2026, 5, 12, 10)
	visit(q2, biz("D11", 2), models.OutcomeViolation, taskOf[biz("D11", 2)], "RES_STAFF", "X_UNKNOWN")
	fu := followUps[biz("D11", 1)]
	visit(local(2026, 5, 20, 10), biz("D11", 1), models.OutcomeCompliant, &fu)
	visit(local(2026, 5, 15, 10), "b-new", models.OutcomeCompliant, nil)
	// The refused visit was repeated under the plan.
	c.clock.Set(local(2026, 2, 11, 1))
	requeue := &models.Task{ID: "rq-1", PlanID: &plan.ID, BusinessID: biz("D22", 0), Reason: models.ReasonRequeue, Status: models.TaskPlanned,
		WindowStart: models.NewDate(2026, 2, 11), WindowEnd: models.NewDate(2026, 12, 31), InclusionProb: 0.3}
	must(db.CreateTasks(ctx, "t", []*models.Task{requeue}))
	visit(local(2026, 5, 13, 10), biz("D22", 0), models.OutcomeCompliant, &requeue.ID)
	// Tips: about a business (handled in time), about a place in D21 (handled late, after the
	// quarter), about nowhere, merged into another, and one in the third quarter.
	c.workflow = db.Gorm().Migrator().HasColumn("tips", "handled_at") && db.Gorm().Migrator().HasColumn("tips", "area_code")
	// Each is due for verification a day after it arrives and for handling as given.
	for i, tip := range []struct {
		at                            time.Time
		business, area                *string
		status                        string
		verifying, handled, handleDue time.Time
	}{
		// Verified, handled in time.
		{local(2026, 2, 3, 8), p(biz("D12", 3)), nil, "handled", local(2026, 2, 4, 8), local(2026, 2, 5, 8), local(2026, 2, 10, 8)},
		// Verified in March, handled late in April: overdue at the end of the first quarter.
		{local(2026, 3, 10, 8), nil, p("D21"), "handled", local(2026, 3, 11, 8), local(2026, 4, 20, 8), local(2026, 3, 20, 8)},
		// Never verified: overdue since 13 March.
		{local(2026, 3, 12, 8), nil, nil, "received", time.Time{}, time.Time{}, time.Time{}},
		{local(2026, 3, 12, 9), nil, nil, "merged", time.Time{}, time.Time{}, time.Time{}},
		// Verified on 5 July, not handled yet, due 30 July: overdue now (15 August).
		{local(2026, 7, 1, 8), p(biz("D21", 3)), nil, "verifying", local(2026, 7, 5, 8), time.Time{}, local(2026, 7, 30, 8)},
	} {
		id := fmt.Sprintf("tip-%d", i)
		must(db.Gorm().Exec(`INSERT INTO tips (id, channel, received_at, description, business_id, status, created_at, updated_at) VALUES (?, 'hotline', ?, 'x', ?, ?, ?, ?)`,
			id, tip.at.UTC(), tip.business, tip.status, tip.at.UTC(), tip.at.UTC()).Error)
		if c.workflow {
			utc := func(t time.Time) any {
				if t.IsZero() {
					return nil
				}
				return t.UTC()
			}
			must(db.Gorm().Exec(`UPDATE tips SET area_code = ?, verifying_at = ?, verify_due = ?, handled_at = ?, handle_due = ? WHERE id = ?`,
				tip.area, utc(tip.verifying), tip.at.Add(24*time.Hour).UTC(), utc(tip.handled), utc(tip.handleDue), id).Error)
		}
	}

	c.clock.Set(local(2026, 8, 15, 10))
	violations, err := refdata.Violations()
	must(err)
	c.archive = &MemoryArchive{AreaPath: func(code string) string {
		a, err := db.FindAreaByCode(ctx, code)
		if err != nil {
			return ""
		}
		return a.Path
	}}
	c.svc = New(Config{Store: db, Archive: c.archive, Violations: violations, Now: c.clock.Now, Location: hcm, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	c.cov = coverage.New(db, c.clock.Now, hcm)
	return c
}

// runCity runs fn on the city on every available database.
func runCity(t *testing.T, fn func(t *testing.T, c *city)) {
	clock := &testClock{t: local(2026, 1, 2, 8)}
	storetest.RunWith(t, storetest.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		clock.Set(local(2026, 1, 2, 8))
		fn(t, buildCity(t, db, clock))
	})
}

func (c *city) report(t *testing.T, period string, mod ...func(q *Query)) *Report {
	t.Helper()
	per, err := ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	q := Query{Period: per}
	for _, m := range mod {
		m(&q)
	}
	ctx := context.Background()
	if err := c.svc.Resolve(ctx, &q); err != nil {
		t.Fatalf("resolve %s: %v", period, err)
	}
	r, err := c.svc.Build(ctx, q)
	if err != nil {
		t.Fatalf("build %s: %v", period, err)
	}
	return r
}

// TestReports runs the report tests on one stored city per database.
func TestReports(t *testing.T) {
	runCity(t, func(t *testing.T, c *city) {
		t.Run("a quarter's figures count what was stored", func(t *testing.T) { testQuarterFigures(t, c) })
		t.Run("a year's report equals the coverage figures", func(t *testing.T) { testYearEqualsCoverage(t, c) })
		t.Run("bad queries are refused naming the field", func(t *testing.T) { testBadQueries(t, c) })
		t.Run("the workbook has the report's figures", func(t *testing.T) { testWorkbook(t, c) })
		t.Run("the CSV file reads back", func(t *testing.T) { testCSVRoundTrip(t, c) })
		t.Run("decomposed names are written composed", func(t *testing.T) { testRenderNFC(t, c) })
		// Last: it fills the archive.
		t.Run("the job archives each closed period once", func(t *testing.T) { testJobArchivesOnce(t, c) })
		t.Run("the job goes on after a programme fails", func(t *testing.T) { testJobGoesOnAfterAFailure(t, c) })
	})
}

func testQuarterFigures(t *testing.T, c *city) {
	r := c.report(t, "2026-Q1")
	if r.ToDate || r.AsOf != models.NewDate(2026, 3, 31) || r.AreaCode != "92" || r.ProgrammeCode != "P" || r.PeriodName != "Quý I năm 2026" {
		t.Fatalf("header: to date %v, as of %s, area %s, programme %s, %q", r.ToDate, r.AsOf, r.AreaCode, r.ProgrammeCode, r.PeriodName)
	}
	tot := r.Total
	for _, f := range []struct {
		name      string
		got, want int
	}{
		{"in scope at the end (the closed one gone, the new one not yet open)", tot.InScope, 40},
		{"open at the start (the closed one included)", tot.OpenAtStart, 41},
		{"inspections (not the refusal, the correction or the 1 April visit)", tot.Inspections, 6},
		{"businesses inspected", tot.Inspected, 6},
		{"of them open at the start", tot.InspectedOpenAtStart, 6},
		{"eligible", tot.Eligible, 40},
		{"covered (not the closed one)", tot.Covered, 5},
		{"violations", tot.Violations, 3},
		{"violating businesses", tot.Violating, 2},
		{"LIC_REG findings", tot.ByCode["LIC_REG"], 2},
		{"LAB_MINOR findings", tot.ByCode["LAB_MINOR"], 1},
		{"HOURS findings (of a correction corrected again)", tot.ByCode["HOURS"], 0},
		{"follow-ups created", tot.FollowUpsDue, 2},
		{"follow-ups done by the end", tot.FollowUpsDone, 0},
		{"tips received (one about nowhere, not the merged one)", tot.TipsReceived, 3},
	} {
		if f.got != f.want {
			t.Errorf("%s: %d, want %d", f.name, f.got, f.want)
		}
	}
	if !near(tot.Share, 6.0/41) || !near(tot.Coverage, 5.0/40) {
		t.Errorf("share %v, coverage %v", tot.Share, tot.Coverage)
	}
	if c.workflow {
		// At the quarter's end: two verified, one handled (in time); the one handled in April
		// and the one never verified were overdue.
		if got := tipFigures(tot); got != "3 2 1 1 2" {
			t.Errorf("tips received, verified, handled, in time, overdue: %s, want 3 2 1 1 2", got)
		}
		if d2 := r.RowsOf(models.AreaLevelDistrict)[1]; tipFigures(d2) != "1 1 0 0 1" {
			t.Errorf("D2's tips: %s, want 1 1 0 0 1 (the tip placed in D21)", tipFigures(d2))
		}
	} else if tot.TipsHandled != nil || tot.TipsInTime != nil || tot.TipsVerified != nil || tot.TipsOverdue != nil {
		t.Errorf("the tips table records no handling, but the report has %v %v", tot.TipsHandled, tot.TipsInTime)
	}
	// 4 of the 12 selected inspected (response 1/3), 2 violating, each standing for
	// 1 / (0.3 x 1/3) = 10 of the 40 businesses: half, but from four businesses, too few to
	// publish.
	e := tot.Prevalence
	if e == nil || !near(e.Share, 0.5) || e.Sample != 4 || e.Violating != 2 || e.Low <= 0 || e.High >= 1 || e.Quality != scheduler.QualitySuppressed {
		t.Fatalf("prevalence %+v", e)
	}
	districts, wardRows := r.RowsOf(models.AreaLevelDistrict), r.RowsOf(models.AreaLevelWard)
	if len(districts) != 2 || len(wardRows) != 4 || len(r.Rows) != 6 {
		t.Fatalf("%d districts, %d wards", len(districts), len(wardRows))
	}
	if r.UnitsOn != r.AsOf || r.Note != nil || len(r.Levels) != 2 || r.Levels[0].Name != "Quận" || r.Levels[1].Name != "Phường" {
		t.Errorf("units of %s, note %v, levels %+v", r.UnitsOn, r.Note, r.Levels)
	}
	d1, d2 := districts[0], districts[1]
	if d1.AreaCode != "D1" || d1.Inspections != 3 || d1.TipsReceived != 1 || d1.FollowUpsDue != 1 || d2.Inspections != 3 || d2.OpenAtStart != 21 || d2.InScope != 20 || d2.TipsReceived != d2Tips(c) {
		t.Errorf("districts: %+v\n%+v", d1, d2)
	}
	w := wardRows[0]
	if w.AreaCode != "D11" || w.ParentCode != "D1" || w.ParentName != "Quận D1" || w.Violations != 2 || w.ByCode["LAB_MINOR"] != 1 || w.Prevalence == nil || w.Prevalence.Sample != 2 {
		t.Errorf("ward D11: %+v", w)
	}
	if wardRows[3].AreaCode != "D22" || wardRows[3].Prevalence != nil {
		t.Errorf("ward D22 has no inspected sample in the quarter: %+v", wardRows[3].Prevalence)
	}
}

// A year's report is the coverage computation: its total, districts and wards equal the coverage
// service's figures for the year, and its quarters and halves add up to it where they should.
func testYearEqualsCoverage(t *testing.T, c *city) {
	ctx := context.Background()
	r := c.report(t, "2026")
	if !r.ToDate || r.AsOf != models.NewDate(2026, 8, 15) {
		t.Fatalf("a year in progress: to date %v as of %s", r.ToDate, r.AsOf)
	}
	for _, level := range []string{models.AreaLevelDistrict, models.AreaLevelWard} {
		q := models.CoverageQuery{Programme: c.prog, Year: 2026, Level: level, Area: "92"}
		if err := c.cov.Resolve(ctx, &q); err != nil {
			t.Fatal(err)
		}
		cov, err := c.cov.Coverage(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		rows := r.RowsOf(level)
		if len(rows) != len(cov.Rows) {
			t.Fatalf("%s: %d rows, coverage has %d", level, len(rows), len(cov.Rows))
		}
		sameAsCoverage(t, "total", r.Total, cov.Total)
		for i := range rows {
			sameAsCoverage(t, rows[i].AreaCode, rows[i], cov.Rows[i])
		}
	}
	if r.Total.Violations != 5 || r.Total.ByCode["LIC_REG"] != 2 || r.Total.ByCode["HOURS"] != 0 {
		t.Errorf("year violations %d %v: a corrected inspection's findings count once, as corrected", r.Total.Violations, r.Total.ByCode)
	}
	if r.Total.Inspections != 11 || r.Total.Inspected != 10 || r.Total.InspectedOpenAtStart != 9 || r.Total.TipsReceived != 4 || r.Total.FollowUpsDue != 3 || r.Total.FollowUpsDone != 1 {
		t.Errorf("year totals: %+v", r.Total)
	}
	if r.Total.ByCode["X_UNKNOWN"] != 1 || r.ViolationTypes[len(r.ViolationTypes)-1].Code != "X_UNKNOWN" {
		t.Errorf("a code missing from the list gets a column of its own: %v", r.ViolationTypes[len(r.ViolationTypes)-1])
	}
	h1 := c.report(t, "2026-H1")
	q1, q2 := c.report(t, "2026-Q1"), c.report(t, "2026-Q2")
	if h1.Total.Inspections != q1.Total.Inspections+q2.Total.Inspections || h1.Total.Violations != q1.Total.Violations+q2.Total.Violations ||
		h1.Total.FollowUpsDue != q1.Total.FollowUpsDue+q2.Total.FollowUpsDue || h1.Total.TipsReceived != q1.Total.TipsReceived+q2.Total.TipsReceived {
		t.Errorf("H1 %+v is not Q1 + Q2", h1.Total)
	}
	if q2.Total.FollowUpsDone != 0 || h1.Total.FollowUpsDone != 1 {
		t.Errorf("the follow-up of February done in May: Q2 %d (created in Q1), H1 %d", q2.Total.FollowUpsDone, h1.Total.FollowUpsDone)
	}
	// At the half-year's end the April tip is handled (late); the unverified one is still
	// overdue.
	if c.workflow && tipFigures(h1.Total) != "3 2 2 1 1" {
		t.Errorf("H1 tips %s, want 3 2 2 1 1", tipFigures(h1.Total))
	}
	// The requeued visit is the plan's: H1's sample has 7 of 12 inspected.
	if e := h1.Total.Prevalence; e == nil || e.Sample != 7 || e.Violating != 3 {
		t.Errorf("H1 prevalence %+v", e)
	}
	d := c.report(t, "2026-Q1", func(q *Query) { q.Area = "D2" })
	if d.Total.Inspections != 3 || d.Total.TipsReceived != d2Tips(c) || len(d.Rows) != 2 || len(d.RowsOf(models.AreaLevelWard)) != 2 {
		t.Errorf("a district's report: %+v, %d rows", d.Total, len(d.Rows))
	}
}

// d2Tips is the number of first-quarter tips placed in district D2.
func d2Tips(c *city) int {
	if c.workflow {
		return 1
	}
	return 0
}

func sameAsCoverage(t *testing.T, name string, r Row, c models.CoverageRow) {
	t.Helper()
	if r.AreaCode != c.AreaCode || r.InScope != c.InScope || r.OpenAtStart != c.OpenAtStart || r.Inspections != c.Inspections || r.InspectedOpenAtStart != c.InspectedOpenAtStart ||
		r.Share != c.Share || r.Eligible != c.Eligible || r.Covered != c.Covered || r.Coverage != c.Coverage || r.Violations != c.Violations || r.Violating != c.Violating {
		t.Errorf("%s: report %+v\ncoverage %+v", name, r, c)
	}
	n := 0
	for _, v := range r.ByCode {
		n += v
	}
	if n != r.Violations {
		t.Errorf("%s: violations by code add up to %d, not %d", name, n, r.Violations)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-4 }

// tipFigures writes a row's tips received, verified, handled, in time and overdue.
func tipFigures(r Row) string {
	v := func(p *int) string {
		if p == nil {
			return "-"
		}
		return strconv.Itoa(*p)
	}
	return fmt.Sprint(r.TipsReceived, " ", v(r.TipsVerified), " ", v(r.TipsHandled), " ", v(r.TipsInTime), " ", v(r.TipsOverdue))
}

func testBadQueries(t *testing.T, c *city) {
	for _, tc := range []struct {
		name, period, programme, area string
		code, field                   string
	}{
		{"a period that has not begun", "2026-Q4", "", "", models.EINVALID, "period"},
		{"a year no programme ran in", "2025", "", "", models.EINVALID, "programme"},
		{"a programme that did not run in the period", "2025-H2", "P", "", models.EINVALID, "programme"},
		{"an unknown programme", "2026-Q1", "NOPE", "", models.EINVALID, "programme"},
		{"an unknown area", "2026-Q1", "", "99999", models.ENOTFOUND, "area"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			per, err := ParsePeriod(tc.period)
			if err != nil {
				t.Fatal(err)
			}
			q := Query{Period: per, Programme: tc.programme, Area: tc.area}
			err = c.svc.Resolve(context.Background(), &q)
			if e := models.ErrorAs(err); e == nil || e.Code != tc.code || e.Field != tc.field {
				t.Fatalf("Resolve = %v, want %s on %s", err, tc.code, tc.field)
			}
		})
	}
	// The quarter in progress is reported to date: its tips as they stand now, as TipFigures
	// counts them.
	r := c.report(t, "2026-Q3")
	if !r.ToDate || r.AsOf != models.NewDate(2026, 8, 15) || r.Total.TipsReceived != 1 {
		t.Fatalf("Q3 to date: %v %s %+v", r.ToDate, r.AsOf, r.Total)
	}
	if c.workflow {
		f, err := c.db.TipFigures(context.Background(), local(2026, 7, 1, 0), local(2026, 8, 16, 0), c.clock.Now(), "")
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprint(f.Received, " ", f.Verified, " ", f.Handled, " ", f.HandledInTime, " ", f.Overdue); tipFigures(r.Total) != want || want != "1 1 0 0 1" {
			t.Errorf("Q3 tips %s, TipFigures %s, want 1 1 0 0 1", tipFigures(r.Total), want)
		}
	}
}

func testWorkbook(t *testing.T, c *city) {
	r := c.report(t, "2026-Q1")
	content, err := XLSX(r)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(content), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	detail := r.DetailSheet()
	if got := f.GetSheetList(); detail != "Chi tiết phường" || strings.Join(got, "|") != SheetSummary+"|"+detail+"|"+SheetViolations+"|"+SheetDefinitions {
		t.Fatalf("sheets %v", got)
	}
	// Every figure is defined on the definitions sheet, under the vocabulary's names.
	if defs, err := f.GetRows(SheetDefinitions); err != nil || len(defs) != len(figureColumns)+1 || defs[1][1] != models.MeasureOf(figureColumns[0].key).Name {
		t.Errorf("definitions sheet: %d rows (want %d), %v", len(defs), len(figureColumns)+1, err)
	}
	header := cellText(t, f, SheetSummary, "A2") + cellText(t, f, SheetSummary, "A3") + cellText(t, f, SheetSummary, "A4") + cellText(t, f, SheetSummary, "A5")
	for _, want := range []string{"Chương trình thử 2026-2030", "Cần Thơ", "Quý I năm 2026", "01/01/2026", "31/03/2026", "Thời điểm lập: 15/08/2026 10:00", "Asia/Ho_Chi_Minh"} {
		if !strings.Contains(header, want) {
			t.Errorf("the header does not say %q: %s", want, header)
		}
	}
	cols := headings(t, f, SheetSummary)
	total := firstRow
	// A suppressed estimate is left blank, and says why.
	if v, _ := f.GetCellValue(SheetSummary, cell(cols["prevalence"], total)); v != "" {
		t.Errorf("a suppressed prevalence is printed: %q", v)
	}
	if v, _ := f.GetCellValue(SheetSummary, cell(cols["prevalence_quality"], total)); v != "Không công bố" {
		t.Errorf("the estimate's reliability reads %q", v)
	}
	for key, want := range map[string]float64{"in_scope": 40, "inspections": 6, "inspected_open_at_start": 6, "covered": 5, "eligible": 40, "coverage": 0.125, "share": round4(6.0 / 41), "tips_received": 3} {
		ref := cell(cols[key], total)
		v, err := f.GetCellValue(SheetSummary, ref)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := strconv.ParseFloat(v, 64); err != nil || !near(got, want) {
			t.Errorf("summary %s (%s) = %q, want %v", key, ref, v, want)
		}
		if typ, _ := f.GetCellType(SheetSummary, ref); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s is stored as %v, not a number", key, typ)
		}
	}
	if v, want := cellText(t, f, SheetSummary, cell(cols["tips_handled"], total)), map[bool]string{true: "1", false: ""}[c.workflow]; v != want {
		t.Errorf("tips handled: the cell holds %q, want %q", v, want)
	}
	if got := cellText(t, f, SheetSummary, cell(3, total+1)); got != "Quận D1" {
		t.Errorf("the first district row names %q", got)
	}
	style, _ := f.GetCellStyle(SheetSummary, cell(cols["coverage"], total))
	st, _ := f.GetStyle(style)
	if st == nil || st.NumFmt != 10 {
		t.Errorf("coverage is not formatted as a percentage: %+v", st)
	}
	panes, err := f.GetPanes(detail)
	if err != nil || !panes.Freeze || panes.YSplit != firstRow-1 {
		t.Errorf("the detail sheet's headings are not frozen: %+v %v", panes, err)
	}
	if w, _ := f.GetColWidth(detail, "C"); w < 20 {
		t.Errorf("the ward name column is %v wide", w)
	}
	rows, _ := f.GetRows(detail, excelize.Options{RawCellValue: true})
	if len(rows) != firstRow-1+4 || rows[firstRow-1][2] != "Phường D11" || rows[firstRow-1][0] != "Quận D1" {
		t.Errorf("detail rows: %d, first %v", len(rows), rows[firstRow-1])
	}
	vcols := headings(t, f, SheetViolations)
	if _, ok := vcols["LAB_MINOR"]; !ok {
		t.Fatalf("no LAB_MINOR column on the violations sheet: %v", vcols)
	}
	if cellText(t, f, SheetViolations, cell(vcols["LAB_MINOR"], headRow)) != "Sử dụng người dưới 18 tuổi làm công việc bị cấm" {
		t.Errorf("the violation heading is not its Vietnamese name: %q", cellText(t, f, SheetViolations, cell(vcols["LAB_MINOR"], headRow)))
	}
	if v := cellText(t, f, SheetViolations, cell(vcols["LIC_REG"], firstRow)); v != "2" {
		t.Errorf("LIC_REG total %q", v)
	}
}

func cellText(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// headings maps the keys of a sheet's columns to their numbers: the figure columns by their
// English heading, violation columns by their code.
func headings(t *testing.T, f *excelize.File, sheet string) map[string]int {
	t.Helper()
	out := map[string]int{}
	en := map[string]string{}
	for _, c := range figureColumns {
		en[c.en] = c.key
	}
	for col := 1; col < 80; col++ {
		h := cellText(t, f, sheet, cell(col, headRow+1))
		if k, ok := en[h]; ok {
			out[k] = col
		} else if i := strings.LastIndex(h, "("); i >= 0 && strings.HasSuffix(h, ")") {
			out[h[i+1:len(h)-1]] = col
		}
	}
	return out
}

func testCSVRoundTrip(t *testing.T, c *city) {
	r := c.report(t, "2026-Q1")
	content, err := CSV(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(content, []byte("\xef\xbb\xbf")) {
		t.Fatal("no UTF-8 byte order mark")
	}
	recs, err := ReadCSV(bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	// The test city has a tip given only as a place: its row follows the units, so that they
	// and it add up to the total.
	if r.Unplaced == nil || r.Unplaced.TipsReceived == 0 || len(recs) != 1+2+4+1 {
		t.Fatalf("%d rows, want the total, 2 districts, 4 wards and the unplaced tips (%+v)", len(recs), r.Unplaced)
	}
	levels := []string{}
	for _, rec := range recs {
		levels = append(levels, rec["level"])
	}
	if strings.Join(levels, ",") != "total,district,ward,ward,district,ward,ward,unplaced" {
		t.Errorf("levels %v", levels)
	}
	rows := r.ordered()
	for i, rec := range recs {
		row := rows[i]
		for _, col := range figureColumns {
			if got, want := rec[col.key], csvValue(col.value(row)); got != want {
				t.Errorf("row %d %s: %q, want %q", i, col.key, got, want)
			}
		}
		for _, v := range r.ViolationTypes {
			if rec[v.Code] != strconv.Itoa(row.ByCode[v.Code]) {
				t.Errorf("row %d %s: %q", i, v.Code, rec[v.Code])
			}
		}
		if rec["area_code"] != shownCode(row) || rec["unit_version"] != row.AreaCode || rec["name"] != row.Name || rec["period"] != "2026-Q1" || rec["programme"] != "P" {
			t.Errorf("row %d: %v", i, rec)
		}
	}
	if recs[0]["tips_handled"] != map[bool]string{true: "1", false: ""}[c.workflow] || recs[0]["in_scope"] != "40" || recs[0]["coverage"] != "0.125" || recs[2]["parent_code"] != "D1" {
		t.Errorf("total %v", recs[0])
	}
}

func testRenderNFC(t *testing.T, c *city) {
	r := c.report(t, "2026-Q1")
	nfd := norm.NFD.String
	r.ProgrammeName, r.AreaName = nfd("Kế hoạch phòng, chống mại dâm"), nfd("Thành phố Cần Thơ")
	r.Rows[1].Name, r.Rows[1].ParentName = nfd("Phường Tân An"), nfd("Quận Ninh Kiều")
	r.ViolationTypes[0].VI = nfd(r.ViolationTypes[0].VI)
	for _, format := range []string{FormatXLSX, FormatCSV, FormatJSON} {
		content, err := Render(r, format)
		if err != nil {
			t.Fatal(err)
		}
		text := string(content)
		if format == FormatXLSX {
			f, err := excelize.OpenReader(bytes.NewReader(content))
			if err != nil {
				t.Fatal(err)
			}
			rows, _ := f.GetRows(r.DetailSheet())
			head, _ := f.GetRows(SheetSummary)
			text = fmt.Sprint(rows, head)
			f.Close()
		}
		for _, want := range []string{"Phường Tân An", "Quận Ninh Kiều", "Cần Thơ", "Kế hoạch phòng, chống mại dâm"} {
			if format == FormatCSV && want != "Phường Tân An" && want != "Quận Ninh Kiều" {
				continue // the CSV file has the rows only
			}
			if !strings.Contains(text, want) || strings.Contains(text, nfd(want)) {
				t.Errorf("%s: %q is not written in NFC", format, want)
			}
		}
	}
	if r.Rows[1].Name != nfd("Phường Tân An") {
		t.Error("Render changed the report it was given")
	}
}

// ReadCSV reads a report CSV file back into one map per row, keyed by the column keys.
func ReadCSV(r io.Reader) ([]map[string]string, error) {
	all, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("empty file")
	}
	keys := make([]string, len(all[0]))
	for i, h := range all[0] {
		h = strings.TrimPrefix(h, utf8BOM)
		open := strings.LastIndex(h, "(")
		if open < 0 || !strings.HasSuffix(h, ")") {
			return nil, fmt.Errorf("heading %q has no key", h)
		}
		keys[i] = h[open+1 : len(h)-1]
	}
	var out []map[string]string
	for _, rec := range all[1:] {
		m := map[string]string{}
		for i, v := range rec {
			m[keys[i]] = v
		}
		out = append(out, m)
	}
	return out, nil
}

func testJobArchivesOnce(t *testing.T, c *city) {
	ctx := context.Background()
	job := &ArchiveJob{Service: c.svc}
	res, err := job.Run(ctx, local(2026, 8, 15, 2))
	if err != nil {
		t.Fatal(err)
	}
	names := func(areaPath string) string {
		list, _, _ := c.archive.FindArchived(ctx, models.ArchiveFilter{AreaPath: areaPath})
		var out []string
		for _, a := range list {
			out = append(out, a.FileName)
		}
		return strings.Join(out, ",")
	}
	// Newest first: the second quarter and the first half closed on 30 June; the districts keep
	// their half-year, in both formats.
	want := "bao-cao-kiem-tra_2026-H1_D2.csv,bao-cao-kiem-tra_2026-H1_D2.xlsx,bao-cao-kiem-tra_2026-H1_D1.csv,bao-cao-kiem-tra_2026-H1_D1.xlsx," +
		"bao-cao-kiem-tra_2026-H1_92.csv,bao-cao-kiem-tra_2026-H1_92.xlsx,bao-cao-kiem-tra_2026-Q2_92.csv,bao-cao-kiem-tra_2026-Q2_92.xlsx," +
		"bao-cao-kiem-tra_2026-Q1_92.csv,bao-cao-kiem-tra_2026-Q1_92.xlsx"
	if got := names(""); got != want {
		t.Fatalf("archived %s (%s), want %s", got, res, want)
	}
	// A district's planner lists the district's own reports.
	if got := names("/92/D1/"); got != "bao-cao-kiem-tra_2026-H1_D1.csv,bao-cao-kiem-tra_2026-H1_D1.xlsx" {
		t.Fatalf("D1's archive: %s", got)
	}
	if res, err := job.Run(ctx, local(2026, 8, 16, 2)); err != nil || res != "nothing to do" {
		t.Fatalf("second run: %q %v", res, err)
	}
	// On 1 October the third quarter has closed: the city's report only.
	if _, err := job.Run(ctx, local(2026, 10, 1, 2)); err != nil {
		t.Fatal(err)
	}
	list, _, _ := c.archive.FindArchived(ctx, models.ArchiveFilter{})
	if len(list) != 12 || list[0].Period != "2026-Q3" || list[0].AreaCode != "92" || list[1].Period != "2026-Q3" {
		t.Fatalf("after Q3: %+v", list)
	}
	var q1, d1 *Archived
	for _, a := range list {
		if a.Period == "2026-Q1" && a.Format == FormatXLSX {
			q1 = a
		}
		if a.Period == "2026-H1" && a.AreaCode == "D1" && a.Format == FormatXLSX {
			d1 = a
		}
	}
	a, err := c.archive.FindArchivedByID(ctx, q1.ID)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(a.Content))
	if err != nil {
		t.Fatalf("the archived Q1 file is not a workbook: %v", err)
	}
	defer f.Close()
	if !strings.Contains(cellText(t, f, SheetSummary, "A4"), "Quý I năm 2026") || a.Period != "2026-Q1" || a.AreaCode != "92" || a.SHA256 == "" {
		t.Errorf("archived Q1: %+v", a)
	}
	a, err = c.archive.FindArchivedByID(ctx, d1.ID)
	if err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenReader(bytes.NewReader(a.Content))
	if err != nil {
		t.Fatalf("the archived D1 file is not a workbook: %v", err)
	}
	defer g.Close()
	if head := cellText(t, g, SheetSummary, "A3"); !strings.Contains(head, "Quận D1") {
		t.Errorf("the district's report is not about the district: %q", head)
	}
}

// failingStore fails every read of one programme's plans, as a broken programme would.
type failingStore struct {
	Store
	programmeID string
}

func (s failingStore) FindPlans(ctx context.Context, programmeID string) ([]*models.Plan, error) {
	if programmeID == s.programmeID {
		return nil, fmt.Errorf("the plans of %s are unreadable", programmeID)
	}
	return s.Store.FindPlans(ctx, programmeID)
}

// A programme whose reports fail does not keep the job from archiving the others' reports; the
// run still fails, naming what failed. (It adds a programme: run it last.)
func testJobGoesOnAfterAFailure(t *testing.T, c *city) {
	ctx := context.Background()
	p := func(s string) *string { return &s }
	broken := &models.Programme{Code: "BROKEN", Name: "Hỏng", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31), RootAreaCode: p("92")}
	broken.ApplyDefaults()
	if err := c.db.CreateProgramme(ctx, "t", broken); err != nil {
		t.Fatal(err)
	}
	archive := &MemoryArchive{}
	svc := New(Config{Store: failingStore{c.db, broken.ID}, Archive: archive, Violations: c.svc.violations, Now: c.clock.Now, Location: hcm, Logger: c.svc.log})
	res, err := (&ArchiveJob{Service: svc}).Run(ctx, local(2026, 8, 15, 2))
	if err == nil || !strings.Contains(err.Error(), "5 reports failed: BROKEN 2026-Q1 92: the plans of") || !strings.Contains(res, "archived 10 reports") {
		t.Fatalf("result %q, error %v", res, err)
	}
	list, _, _ := archive.FindArchived(ctx, models.ArchiveFilter{})
	for _, a := range list {
		if a.ProgrammeID != c.prog.ID {
			t.Errorf("archived a report of the broken programme: %+v", a)
		}
	}
	if len(list) != 10 {
		t.Errorf("%d reports of the working programme archived, want 10", len(list))
	}
}

func TestPeriods(t *testing.T) {
	for _, tc := range []struct {
		in, canon, start, end, vi string
	}{
		{"2026", "2026", "2026-01-01", "2026-12-31", "Năm 2026"},
		{"2026-h1", "2026-H1", "2026-01-01", "2026-06-30", "6 tháng đầu năm 2026"},
		{"2026-H2", "2026-H2", "2026-07-01", "2026-12-31", "6 tháng cuối năm 2026"},
		{"2024-Q1", "2024-Q1", "2024-01-01", "2024-03-31", "Quý I năm 2024"},
		{" 2026-q4 ", "2026-Q4", "2026-10-01", "2026-12-31", "Quý IV năm 2026"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			p, err := ParsePeriod(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if p.String() != tc.canon || p.Start().String() != tc.start || p.End().String() != tc.end || p.NameVI() != tc.vi {
				t.Fatalf("%s: %s %s..%s %q", tc.in, p, p.Start(), p.End(), p.NameVI())
			}
		})
	}
	for _, bad := range []string{"", "26", "2026-Q5", "2026-Q0", "2026-H3", "2026-X1", "2026-Q12", "1999", "2026/Q1", "Q1-2026", "2026-", "20261"} {
		t.Run("bad "+bad, func(t *testing.T) {
			if _, err := ParsePeriod(bad); models.ErrorAs(err) == nil || models.ErrorAs(err).Field != "period" {
				t.Fatalf("ParsePeriod(%q) = %v, want invalid period", bad, err)
			}
		})
	}
	prog := &models.Programme{StartsOn: models.NewDate(2021, 1, 1), EndsOn: models.NewDate(2025, 12, 31), CoverageDeadline: models.NewDate(2025, 12, 31)}
	var got []string
	for _, p := range ClosedPeriods(prog, models.NewDate(2021, 10, 1)) {
		got = append(got, p.String())
	}
	if strings.Join(got, ",") != "2021-Q1,2021-Q2,2021-H1,2021-Q3" {
		t.Errorf("closed by 1 October 2021: %v", got)
	}
	if n := len(ClosedPeriods(prog, models.NewDate(2027, 1, 1))); n != 35 {
		t.Errorf("a finished five-year programme has %d closed periods, want 35", n)
	}
	if n := len(ClosedPeriods(prog, models.NewDate(2025, 12, 31))); n != 35-3 {
		t.Errorf("on its last day: %d closed periods, want 32", n)
	}
	if FileName("2025-Q4", "92", FormatXLSX) != "bao-cao-kiem-tra_2025-Q4_92.xlsx" {
		t.Error(FileName("2025-Q4", "92", FormatXLSX))
	}
}
