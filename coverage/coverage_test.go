package coverage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"kiemtra/coverage"
	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func ptr[T any](v T) *T { return &v }

var loc = time.FixedZone("ICT", 7*3600)

// city stores two districts of two wards, businesses with random opening and closing dates, and
// random inspections, findings and tasks; it returns what it stored so that the test can count
// by hand.
type city struct {
	businesses  []*models.Business
	inspections []*models.Inspection
	findings    []*models.Finding
	tasks       []*models.Task
	prog        *models.Programme
}

func newCity(t *testing.T, db *store.DB, seed uint64) *city {
	t.Helper()
	ctx := context.Background()
	areas := []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity}}
	for _, d := range []string{"D1", "D2"} {
		areas = append(areas, &models.Area{Code: d, ParentCode: ptr("92"), Name: "Quận " + d, Level: models.AreaLevelDistrict})
		for _, w := range []string{"1", "2"} {
			areas = append(areas, &models.Area{Code: d + w, ParentCode: ptr(d), Name: "Phường " + d + w, Level: models.AreaLevelWard})
		}
	}
	if err := db.UpsertAreas(ctx, "t", areas); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 1))
	c := &city{prog: &models.Programme{ID: "p", Code: "P", StartsOn: models.NewDate(2021, 1, 1), EndsOn: models.NewDate(2025, 12, 31),
		MinYearlyShare: 0.2, CoverageDeadline: models.NewDate(2025, 12, 31), GraceDays: 60}}
	wards := []string{"D11", "D12", "D21", "D22"}
	cats := []string{"karaoke", "massage", "accommodation"}
	for i := 0; i < 240; i++ {
		b := &models.Business{ID: uuid.NewString(), Name: fmt.Sprintf("B%d", i), Category: cats[rng.IntN(3)], LicenceNo: ptr(fmt.Sprintf("L%d", i)),
			Lat: 10, Lon: 105, AreaCode: wards[rng.IntN(4)], Status: models.BusinessActive, OpenedOn: models.NewDate(2018+rng.IntN(8), time.Month(1+rng.IntN(12)), 1+rng.IntN(28))}
		switch rng.IntN(10) {
		case 0:
			b.Status, b.ClosedOn = models.BusinessClosed, models.NewDate(2021+rng.IntN(5), time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
			if b.ClosedOn.Before(b.OpenedOn) {
				b.ClosedOn = b.OpenedOn.AddDays(30)
			}
		case 1:
			b.Status = models.BusinessClosed // closed, date unknown
		case 2:
			b.Status = models.BusinessSuspended
		}
		c.businesses = append(c.businesses, b)
	}
	if err := db.CreateBusinesses(ctx, "t", c.businesses); err != nil {
		t.Fatal(err)
	}
	outcomes := []string{models.OutcomeCompliant, models.OutcomeCompliant, models.OutcomeViolation, models.OutcomeRefused, models.OutcomeClosed}
	var visits []models.Visit
	for i := 0; i < 500; i++ {
		b := c.businesses[rng.IntN(len(c.businesses))]
		// Visits end before the programme does, so that its last year's view is "today" (no later
		// visit) and the map reads the businesses' last inspection dates, while earlier years' views
		// aggregate the visits before their end.
		day := models.NewDate(2020, 6, 1).AddDays(rng.IntN(2000))
		start := day.Time(loc).Add(time.Duration(7+rng.IntN(10)) * time.Hour)
		in := &models.Inspection{ID: uuid.NewString(), BusinessID: b.ID, StartedAt: start, FinishedAt: start.Add(40 * time.Minute), Outcome: outcomes[rng.IntN(len(outcomes))]}
		v := models.Visit{Inspection: in}
		if in.Outcome == models.OutcomeViolation {
			for k := 0; k < 1+rng.IntN(2); k++ {
				f := &models.Finding{Code: []string{"LIC_REG", "HOURS", "FIRE_SAFETY"}[k], BusinessID: b.ID}
				v.Findings = append(v.Findings, f)
			}
		}
		if rng.IntN(6) == 0 {
			end := day.AddDays(rng.IntN(60) - 30)
			v.NewTasks = append(v.NewTasks, &models.Task{BusinessID: b.ID, Reason: models.ReasonRequeue, Status: models.TaskPlanned, WindowStart: end.AddDays(-10), WindowEnd: end})
		}
		visits = append(visits, v)
	}
	if err := db.ApplyVisits(ctx, "t", visits); err != nil {
		t.Fatal(err)
	}
	for _, v := range visits {
		c.inspections = append(c.inspections, v.Inspection)
		for _, f := range v.Findings {
			f.InspectionID = v.Inspection.ID
			c.findings = append(c.findings, f)
		}
		c.tasks = append(c.tasks, v.NewTasks...)
	}
	// Tasks of every kind: the yearly plan's (a week, kept in the pool to the year's end),
	// repeats, follow-ups (30 days) and tips' (a few days), open or not.
	var tasks []*models.Task
	reasons := []string{models.ReasonCoverage, models.ReasonReinspection, models.ReasonRequeue, models.ReasonFollowUp, models.ReasonTip}
	statuses := []string{models.TaskPlanned, models.TaskPlanned, models.TaskReleased, models.TaskDone, models.TaskMissed}
	for i := 0; i < 300; i++ {
		start := models.NewDate(2021, 1, 1).AddDays(rng.IntN(5 * 365))
		t := &models.Task{BusinessID: c.businesses[rng.IntN(len(c.businesses))].ID, Reason: reasons[rng.IntN(len(reasons))], Status: statuses[rng.IntN(len(statuses))],
			WindowStart: start, WindowEnd: models.NewDate(start.Year, 12, 31), InclusionProb: 1}
		switch t.Reason {
		case models.ReasonFollowUp:
			t.WindowEnd = start.AddDays(29)
		case models.ReasonTip:
			t.WindowEnd = start.AddDays(3)
		}
		tasks = append(tasks, t)
	}
	if err := db.CreateTasks(ctx, "t", tasks); err != nil {
		t.Fatal(err)
	}
	c.tasks = append(c.tasks, tasks...)
	// Three businesses opened within the grace period before the deadline, not yet visited.
	var late []*models.Business
	for i, w := range []string{"D11", "D12", "D22"} {
		late = append(late, &models.Business{ID: uuid.NewString(), Name: fmt.Sprintf("New %d", i), Category: cats[i], LicenceNo: ptr(fmt.Sprintf("N%d", i)),
			Lat: 10, Lon: 105, AreaCode: w, Status: models.BusinessActive, OpenedOn: models.NewDate(2025, 12, 1)})
	}
	if err := db.CreateBusinesses(ctx, "t", late); err != nil {
		t.Fatal(err)
	}
	c.businesses = append(c.businesses, late...)
	// Corrections: one inspection in five is amended, some twice, with other findings (or
	// none) and a finish time that may fall in another year; only the latest version's findings
	// count, in the original's year.
	originals := append([]*models.Inspection(nil), c.inspections...)
	for _, orig := range originals {
		if rng.IntN(5) != 0 {
			continue
		}
		for k := 0; k < 1+rng.IntN(2); k++ {
			fin := orig.FinishedAt.Add(time.Duration(rng.IntN(400)) * 24 * time.Hour)
			a := &models.Inspection{ID: uuid.NewString(), BusinessID: orig.BusinessID, StartedAt: fin.Add(-40 * time.Minute), FinishedAt: fin,
				Outcome: outcomes[rng.IntN(3)], AmendsID: &orig.ID}
			var fs []*models.Finding
			if a.Outcome == models.OutcomeViolation {
				for _, code := range []string{"HOURS", "LIC_REG", "FIRE_SAFETY"}[:1+rng.IntN(3)] {
					fs = append(fs, &models.Finding{Code: code})
				}
			}
			if err := db.CreateAmendment(ctx, "t", a, fs); err != nil {
				t.Fatal(err)
			}
			c.inspections = append(c.inspections, a)
			c.findings = append(c.findings, fs...)
		}
	}
	return c
}

// current reports whether an inspection is the latest version of its original (the original
// itself when it has no amendment), and returns the original.
func (c *city) current(x *models.Inspection) (bool, *models.Inspection) {
	orig := x
	if x.AmendsID != nil {
		orig = c.byID(*x.AmendsID)
	}
	latest := orig
	for _, a := range c.inspections {
		if a.AmendsID != nil && *a.AmendsID == orig.ID && (latest == orig || a.CreatedAt.After(latest.CreatedAt) || a.CreatedAt.Equal(latest.CreatedAt) && a.ID > latest.ID) {
			latest = a
		}
	}
	return latest == x, orig
}

func (c *city) byID(id string) *models.Inspection {
	for _, x := range c.inspections {
		if x.ID == id {
			return x
		}
	}
	return nil
}

// expected counts a ward's figures by hand from what was stored.
func (c *city) expected(ward string, year int, asOf models.Date) models.WardCounts {
	jan1 := models.NewDate(year, 1, 1)
	graceEnd := c.prog.CoverageDeadline.AddDays(-c.prog.GraceDays)
	yearStart, end := jan1.Time(loc), asOf.AddDays(1).Time(loc)
	progStart := c.prog.StartsOn.Time(loc)
	recent := asOf.AddDays(1 - 56).Time(loc)
	w := models.WardCounts{AreaCode: ward}
	inWard := map[string]*models.Business{}
	for _, b := range c.businesses {
		if b.AreaCode != ward {
			continue
		}
		inWard[b.ID] = b
		if b.ActiveOn(jan1) {
			w.OpenAtStart++
		}
		if b.ActiveOn(asOf) {
			w.InScope++
			if !b.OpenedOn.After(graceEnd) {
				w.Eligible++
			}
		}
	}
	inspected, inspectedYear, covered, violating := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	firstYear, firstProg := map[string]time.Time{}, map[string]time.Time{}
	for _, in := range c.inspections {
		b := inWard[in.BusinessID]
		if b == nil || in.AmendsID != nil || !models.Inspected(in.Outcome) || !in.FinishedAt.Before(end) {
			continue
		}
		if !in.FinishedAt.Before(yearStart) {
			w.Inspections++
			inspected[b.ID] = true
			if b.ActiveOn(jan1) {
				inspectedYear[b.ID] = true
				if f, ok := firstYear[b.ID]; !ok || in.FinishedAt.Before(f) {
					firstYear[b.ID] = in.FinishedAt
				}
			}
		}
		if !in.FinishedAt.Before(progStart) && b.ActiveOn(asOf) && !b.OpenedOn.After(graceEnd) {
			covered[b.ID] = true
			if f, ok := firstProg[b.ID]; !ok || in.FinishedAt.Before(f) {
				firstProg[b.ID] = in.FinishedAt
			}
		}
	}
	for _, f := range c.findings {
		latest, in := c.current(c.byID(f.InspectionID))
		if latest && inWard[f.BusinessID] != nil && !in.FinishedAt.Before(yearStart) && in.FinishedAt.Before(end) {
			w.Violations++
			violating[f.BusinessID] = true
		}
	}
	for _, t := range c.tasks {
		if inWard[t.BusinessID] != nil && overdue(t, asOf) {
			w.OverdueTasks++
		}
	}
	for _, f := range firstYear {
		if !f.Before(recent) {
			w.RecentNewYear++
		}
	}
	for _, f := range firstProg {
		if !f.Before(recent) {
			w.RecentNewCovered++
		}
	}
	w.Inspected, w.InspectedOpenAtStart, w.Covered, w.Violating = len(inspected), len(inspectedYear), len(covered), len(violating)
	return w
}

// overdue is the definition of an overdue task: open, and its window ended or, for the tasks
// planned for a week, that week (from the window's first day) passed before the as-of day.
func overdue(t *models.Task, asOf models.Date) bool {
	if !t.Open() {
		return false
	}
	if t.WindowEnd.Before(asOf) {
		return true
	}
	week := t.Reason != models.ReasonFollowUp && t.Reason != models.ReasonTip
	return week && t.WindowStart.AddDays(6).Before(asOf)
}

// status is a business's map status, worked out by hand.
func (c *city) status(b *models.Business, year int, asOf models.Date) string {
	yearStart, end, progStart := models.NewDate(year, 1, 1).Time(loc), asOf.AddDays(1).Time(loc), c.prog.StartsOn.Time(loc)
	inYear, inProg := false, false
	for _, in := range c.inspections {
		if in.BusinessID != b.ID || in.AmendsID != nil || !models.Inspected(in.Outcome) || !in.FinishedAt.Before(end) {
			continue
		}
		inYear = inYear || !in.FinishedAt.Before(yearStart)
		inProg = inProg || !in.FinishedAt.Before(progStart)
	}
	late := false
	for _, t := range c.tasks {
		late = late || t.BusinessID == b.ID && overdue(t, asOf)
	}
	switch {
	case inYear:
		return models.MapInspectedThisYear
	case !b.ActiveOn(asOf):
		return models.MapClosed
	case !inProg && b.OpenedOn.After(c.prog.CoverageDeadline.AddDays(-c.prog.GraceDays)):
		return models.MapNewlyOpened
	case !inProg:
		return models.MapNeverInspected
	case late:
		return models.MapOverdue
	}
	return models.MapCoveredInProgramme
}

func TestCoverageCountsAgreeWithTheStoredInspections(t *testing.T) {
	// A clock that ticks a second a call orders the corrections without ties.
	var ticks atomic.Int64
	clock := func() time.Time {
		return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(ticks.Add(1)) * time.Second)
	}
	storetest.RunWith(t, storetest.Options{Now: clock}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCity(t, db, 7)
		superseded, amended := 0, 0
		for _, f := range c.findings {
			x := c.byID(f.InspectionID)
			if latest, _ := c.current(x); !latest {
				superseded++
			} else if x.AmendsID != nil {
				amended++
			}
		}
		if superseded < 10 || amended < 10 {
			t.Fatalf("the test city has too few corrections: %d findings superseded, %d from amendments", superseded, amended)
		}
		for _, tc := range []struct {
			name string
			year int
			now  models.Date
		}{
			{"a finished year", 2023, models.NewDate(2026, 3, 1)},
			{"the year in progress", 2024, models.NewDate(2024, 8, 15)},
			{"the last year up to the deadline", 2025, models.NewDate(2026, 2, 1)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				svc := coverage.New(db, func() time.Time { return tc.now.Time(loc).Add(10 * time.Hour) }, loc)
				q := models.CoverageQuery{Programme: c.prog, Year: tc.year, Level: models.AreaLevelWard, Area: "92"}
				if err := svc.Resolve(ctx, &q); err != nil {
					t.Fatal(err)
				}
				cov, err := svc.Coverage(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if len(cov.Rows) != 4 {
					t.Fatalf("%d rows, want the 4 wards", len(cov.Rows))
				}
				var total models.WardCounts
				for _, r := range cov.Rows {
					want := c.expected(r.AreaCode, tc.year, q.AsOf)
					if r.WardCounts != want {
						t.Errorf("ward %s:\n got %+v\nwant %+v", r.AreaCode, r.WardCounts, want)
					}
					total.InScope += want.InScope
					total.Covered += want.Covered
					total.InspectedOpenAtStart += want.InspectedOpenAtStart
				}
				if total.InspectedOpenAtStart == 0 || total.Covered == 0 || total.InScope == 0 {
					t.Fatalf("the test city is too empty to test anything: %+v", total)
				}
				t.Logf("%s: %+v", tc.name, cov.Total.WardCounts)
				if cov.Total.InScope != total.InScope || cov.Total.Covered != total.Covered || cov.Total.InspectedOpenAtStart != total.InspectedOpenAtStart {
					t.Errorf("total %+v is not the sum of the wards %+v", cov.Total.WardCounts, total)
				}
				// The map's points have the statuses the figures count.
				pts, err := svc.Points(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				byID := map[string]*models.Business{}
				for _, b := range c.businesses {
					byID[b.ID] = b
				}
				seen := map[string]int{}
				for _, p := range pts {
					seen[p.Status]++
					if want := c.status(byID[p.ID], tc.year, q.AsOf); p.Status != want {
						t.Errorf("business %s (opened %s): status %s, want %s", p.Name, byID[p.ID].OpenedOn, p.Status, want)
					}
				}
				t.Logf("statuses %v", seen)
				// The legend's counts are the measures of the same names.
				if seen[models.MapInspectedThisYear] != cov.Total.Inspected || seen[models.MapNeverInspected] != cov.Total.NeverInspected {
					t.Errorf("map: %d inspected, %d never inspected; figures: %d inspected, %d never inspected",
						seen[models.MapInspectedThisYear], seen[models.MapNeverInspected], cov.Total.Inspected, cov.Total.NeverInspected)
				}
				if len(pts) != len(c.businesses) || seen[models.MapOverdue] == 0 || seen[models.MapNeverInspected] == 0 || tc.year == 2025 && seen[models.MapNewlyOpened] < 3 {
					t.Errorf("%d points with statuses %v", len(pts), seen)
				}
				// Districts are the sums of their wards.
				qd := q
				qd.Level = models.AreaLevelDistrict
				dist, err := svc.Coverage(ctx, qd)
				if err != nil {
					t.Fatal(err)
				}
				for _, d := range dist.Rows {
					w1, w2 := c.expected(d.AreaCode+"1", tc.year, q.AsOf), c.expected(d.AreaCode+"2", tc.year, q.AsOf)
					if d.Covered != w1.Covered+w2.Covered || d.Eligible != w1.Eligible+w2.Eligible || d.Violations != w1.Violations+w2.Violations {
						t.Errorf("district %s is not the sum of its wards", d.AreaCode)
					}
				}
			})
		}
	})
}

func TestDeriveComputesSharesAndForecast(t *testing.T) {
	prog := &models.Programme{StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31), CoverageDeadline: models.NewDate(2030, 12, 31), MinYearlyShare: 0.2}
	q := models.CoverageQuery{Programme: prog, Year: 2026, AsOf: models.NewDate(2026, 7, 1)}
	for _, tc := range []struct {
		name      string
		counts    models.WardCounts
		wantTrack bool
		share     float64
		target    int
	}{
		{"on pace for the share and the line", models.WardCounts{OpenAtStart: 100, Eligible: 100, InspectedOpenAtStart: 12, Covered: 12, RecentNewYear: 4, RecentNewCovered: 4}, true, 0.12, 20},
		{"behind: no visits lately", models.WardCounts{OpenAtStart: 100, Eligible: 100, InspectedOpenAtStart: 5, Covered: 5}, false, 0.05, 20},
		{"an empty ward is trivially on track", models.WardCounts{}, true, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := models.CoverageRow{WardCounts: tc.counts}
			coverage.Derive(&r, q)
			if r.OnTrack != tc.wantTrack || r.Share != tc.share || r.YearTarget != tc.target {
				t.Fatalf("%+v", r)
			}
			if r.NeverInspected != tc.counts.Eligible-tc.counts.Covered {
				t.Fatalf("never inspected %d", r.NeverInspected)
			}
		})
	}
}

func TestMonthEndsAndBurnPoints(t *testing.T) {
	ends := coverage.MonthEnds(models.NewDate(2026, 1, 1), models.NewDate(2026, 3, 15))
	want := []models.Date{models.NewDate(2026, 1, 31), models.NewDate(2026, 2, 28), models.NewDate(2026, 3, 15)}
	if fmt.Sprint(ends) != fmt.Sprint(want) {
		t.Fatalf("month ends %v, want %v", ends, want)
	}
	at := func(d models.Date) *time.Time { t := d.Time(loc).Add(9 * time.Hour); return &t }
	spans := []models.BusinessSpan{
		{ID: "a", OpenedOn: models.NewDate(2020, 1, 1), FirstInProg: at(models.NewDate(2026, 2, 10))},
		{ID: "b", OpenedOn: models.NewDate(2020, 1, 1)},
		{ID: "c", OpenedOn: models.NewDate(2026, 3, 1)},                                                     // opens in March
		{ID: "d", OpenedOn: models.NewDate(2020, 1, 1), Closed: true},                                       // closed, date unknown
		{ID: "e", OpenedOn: models.NewDate(2020, 1, 1), Closed: true, ClosedOn: models.NewDate(2026, 2, 1)}, // closes in February
	}
	pts := coverage.BurnPoints(spans, ends, models.NewDate(2030, 11, 1), loc)
	got := fmt.Sprint(pts[0].Eligible, pts[0].NeverInspected, pts[1].Eligible, pts[1].NeverInspected, pts[2].Eligible, pts[2].NeverInspected)
	if got != "3 3 2 1 3 2" {
		t.Fatalf("burn points %+v", pts)
	}
}

// projector answers a fixed projection and counts the calls.
type projector struct {
	p     *models.Projection
	calls int
}

func (f *projector) Projection(_ context.Context, _ *models.Programme, _ models.Date) (*models.Projection, error) {
	f.calls++
	return f.p, nil
}

func TestTheProgrammesTotalCarriesTheProjection(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := newCity(t, db, 3)
		today := models.NewDate(2024, 8, 15)
		for _, fits := range []bool{true, false} {
			f := &projector{p: &models.Projection{MadeIn: 2024, Fits: fits}}
			svc := coverage.New(db, func() time.Time { return today.Time(loc).Add(10 * time.Hour) }, loc).WithProjector(f)
			ask := func(year int, area, category string) *models.Coverage {
				t.Helper()
				q := models.CoverageQuery{Programme: c.prog, Year: year, Area: area, Category: category}
				if err := svc.Resolve(ctx, &q); err != nil {
					t.Fatal(err)
				}
				cov, err := svc.Coverage(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				return cov
			}
			whole := ask(2024, "92", "")
			if whole.Projection != f.p || f.calls != 1 {
				t.Fatalf("the whole programme's answer has projection %+v after %d calls", whole.Projection, f.calls)
			}
			// With the projection, the total's on_track is the projection's verdict (the year's
			// pace permitting); without it, the straight line's. The rows keep the straight line.
			plain := coverage.New(db, func() time.Time { return today.Time(loc).Add(10 * time.Hour) }, loc)
			q := models.CoverageQuery{Programme: c.prog, Year: 2024, Area: "92"}
			if err := plain.Resolve(ctx, &q); err != nil {
				t.Fatal(err)
			}
			base, err := plain.Coverage(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if base.Projection != nil {
				t.Fatal("a service without a projector answered a projection")
			}
			r := base.Total
			coverage.DeriveProjected(&r, q, f.p)
			if whole.Total.OnTrack != r.OnTrack || fits == false && whole.Total.OnTrack {
				t.Errorf("fits %v: total on track %v (want %v)", fits, whole.Total.OnTrack, r.OnTrack)
			}
			for i := range whole.Rows {
				if whole.Rows[i].OnTrack != base.Rows[i].OnTrack {
					t.Errorf("row %s: on track %v with the projection, %v without", whole.Rows[i].AreaCode, whole.Rows[i].OnTrack, base.Rows[i].OnTrack)
				}
			}
			// A district, a category or a past year is not the programme's current course.
			for _, cov := range []*models.Coverage{ask(2024, "D1", ""), ask(2024, "92", "karaoke"), ask(2023, "92", "")} {
				if cov.Projection != nil {
					t.Errorf("area %s, category %q, year %d: projection %+v", cov.Area, cov.Category, cov.Year, cov.Projection)
				}
			}
			if f.calls != 1 {
				t.Errorf("the projector was asked %d times", f.calls)
			}
		}
	})
}

func TestDeriveProjectedFollowsTheProjection(t *testing.T) {
	prog := &models.Programme{StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31), CoverageDeadline: models.NewDate(2030, 12, 31), MinYearlyShare: 0.2}
	// On pace for the year's share but behind the straight line (12% covered in July of year 1
	// is above the line's 10% - 5%; 2% is below it).
	onPace := models.WardCounts{OpenAtStart: 100, Eligible: 100, InspectedOpenAtStart: 12, Covered: 2, RecentNewYear: 4, RecentNewCovered: 1}
	behindYear := models.WardCounts{OpenAtStart: 100, Eligible: 100, InspectedOpenAtStart: 5, Covered: 5}
	fits, short := &models.Projection{Fits: true}, &models.Projection{Fits: false, FirstShortYear: 2030}
	for _, tc := range []struct {
		name   string
		year   int
		counts models.WardCounts
		proj   *models.Projection
		want   bool
	}{
		{"behind the straight line, the projection fits: on track", 2026, onPace, fits, true},
		{"behind the straight line, no projection: not on track", 2026, onPace, nil, false},
		{"the projection is short: not on track", 2026, onPace, short, false},
		{"behind the year's share: not on track whatever the projection", 2026, behindYear, fits, false},
		{"the last year needs full coverage at the pace too", 2030, onPace, fits, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := models.CoverageQuery{Programme: prog, Year: tc.year, AsOf: models.NewDate(tc.year, 7, 1)}
			r := models.CoverageRow{WardCounts: tc.counts}
			coverage.DeriveProjected(&r, q, tc.proj)
			if r.OnTrack != tc.want {
				t.Fatalf("on track %v, want %v: %+v", r.OnTrack, tc.want, r)
			}
		})
	}
}
