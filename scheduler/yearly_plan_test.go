package scheduler

import (
	"fmt"
	"math"
	"reflect"
	"testing"

	"kiemtra/models"
)

// city builds n businesses over the given number of wards; the first covered ones count as
// inspected already in the programme.
func city(n, wards, covered int) []Business {
	bs := make([]Business, n)
	for i := range bs {
		bs[i] = Business{ID: fmt.Sprintf("b%05d", i), Ward: fmt.Sprintf("w%02d", i%wards), Category: []string{"karaoke", "massage", "accommodation"}[i%3]}
		if i < covered {
			bs[i].Covered = true
			bs[i].LastInspected = models.NewDate(2022, 6, 1)
		}
	}
	return bs
}

func input(year int, bs []Business, weekly int) Input {
	in := Input{
		Programme:    ProgrammeSpec{FirstYear: 2021, Deadline: models.NewDate(2025, 12, 31), MinYearlyShare: 0.2},
		Year:         year,
		AsOf:         models.NewDate(year, 1, 1),
		Businesses:   bs,
		WardPaths:    map[string]string{},
		CategoryRisk: map[string]float64{"karaoke": 1.5, "massage": 2, "accommodation": 1},
		Teams:        []Team{{ID: "city", AreaPath: "/92/", Weekly: weekly, WorkingDays: models.DefaultWorkingDays}},
	}
	for _, b := range bs {
		in.WardPaths[b.Ward] = "/92/" + b.Ward + "/"
	}
	return in
}

func mustPlan(t *testing.T, in Input, seed string) *Result {
	t.Helper()
	r, err := YearlyPlan(in, seed)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestYearlyPlanTargets(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		year, n, covered       int
		wantMust, wantAtLeast  int
		wantReinspectionsAbove int
	}{
		{"the first year covers a fifth of the city", 2021, 1000, 0, 200, 200, -1},
		{"a middle year covers U over the remaining years", 2023, 1000, 400, 200, 200, 0},
		{"the share target adds re-inspections when U is small", 2024, 1000, 900, 50, 200, 149},
		{"the last year must cover every uninspected business", 2025, 1000, 600, 400, 400, 0},
		{"the last year covers all of a large remainder", 2025, 1000, 100, 900, 900, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustPlan(t, input(tc.year, city(tc.n, 20, tc.covered), 1000), "seed")
			f := r.Figures
			if f.MustCover != tc.wantMust {
				t.Errorf("must cover = %d, want %d", f.MustCover, tc.wantMust)
			}
			if f.Total < tc.wantAtLeast || f.Total < f.ShareTarget {
				t.Errorf("total = %d, want at least %d and the share target %d", f.Total, tc.wantAtLeast, f.ShareTarget)
			}
			if f.Reinspections <= tc.wantReinspectionsAbove {
				t.Errorf("reinspections = %d, want above %d", f.Reinspections, tc.wantReinspectionsAbove)
			}
			if !f.Feasible || f.Shortfall != 0 {
				t.Errorf("plan with ample capacity is infeasible: %+v", f.ShortfallAreas)
			}
			seen := map[string]bool{}
			for _, it := range r.Items {
				if seen[it.BusinessID] {
					t.Fatalf("business %s selected twice", it.BusinessID)
				}
				seen[it.BusinessID] = true
			}
			if tc.year == 2025 {
				for _, b := range city(tc.n, 20, tc.covered) {
					if !b.Covered && !seen[b.ID] {
						t.Fatalf("last year: uninspected business %s is not in the plan", b.ID)
					}
				}
			}
		})
	}
}

func TestEveryCoveredBusinessKeepsAChance(t *testing.T) {
	// 40% covered, so the must-cover group alone reaches the share and re-inspections are only
	// the minimum: still every covered business must be drawable.
	in := input(2022, city(1000, 40, 400), 1000)
	r := mustPlan(t, in, "s")
	if r.Figures.Reinspections < int(math.Ceil(MinReinspectionShare*400)) {
		t.Fatalf("reinspections %d below the floor", r.Figures.Reinspections)
	}
	drawn := map[string]bool{}
	for seed := 0; seed < 400; seed++ {
		for _, it := range mustPlan(t, in, fmt.Sprint(seed)).Items {
			if it.Prob <= 0 || it.Prob > 1 {
				t.Fatalf("inclusion probability %v out of (0, 1]", it.Prob)
			}
			drawn[it.BusinessID] = true
		}
	}
	for _, b := range in.Businesses {
		if !drawn[b.ID] {
			t.Fatalf("business %s was never drawn in 400 plans", b.ID)
		}
	}
}

func TestNoWardIsLeftOutOfAFeasiblePlan(t *testing.T) {
	// 30 wards of very different sizes.
	var bs []Business
	for w := 0; w < 30; w++ {
		for i := 0; i < 3+w*w; i++ {
			bs = append(bs, Business{ID: fmt.Sprintf("w%02d-%04d", w, i), Ward: fmt.Sprintf("w%02d", w), Category: "karaoke"})
		}
	}
	r := mustPlan(t, input(2021, bs, 1000), "wards")
	if !r.Figures.Feasible {
		t.Fatal("plan is infeasible")
	}
	for _, a := range r.Figures.Areas {
		if a.MustCover == 0 {
			t.Errorf("ward %s (%d uninspected) gets nothing", a.AreaCode, a.Uninspected)
		}
	}
	// Never-inspected businesses of every ward appear within the first tenth of the items, so
	// every ward progresses from the first weeks.
	early := map[string]bool{}
	for _, it := range r.Items[:len(r.Items)/10+30] {
		early[it.Ward] = true
	}
	if len(early) != 30 {
		t.Errorf("only %d of 30 wards in the first weeks", len(early))
	}
}

func TestThePlanIsReproducibleFromItsSeed(t *testing.T) {
	in := input(2023, city(2000, 25, 700), 200)
	a := mustPlan(t, in, "the seed")
	b := mustPlan(t, in, "the seed")
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed and input gave different plans")
	}
	// Input order must not matter: the planner sorts.
	rev := in
	rev.Businesses = append([]Business(nil), in.Businesses...)
	for i, j := 0, len(rev.Businesses)-1; i < j; i, j = i+1, j-1 {
		rev.Businesses[i], rev.Businesses[j] = rev.Businesses[j], rev.Businesses[i]
	}
	if c := mustPlan(t, rev, "the seed"); !reflect.DeepEqual(a.Items, c.Items) {
		t.Fatal("reordering the businesses changed the plan")
	}
	if d := mustPlan(t, in, "another seed"); reflect.DeepEqual(a.Items, d.Items) {
		t.Fatal("a different seed gave the same selection")
	}
}

func TestNeverInspectedBusinessesComeEarly(t *testing.T) {
	r := mustPlan(t, input(2023, city(2000, 20, 1000), 60), "early")
	lastMust, firstRe := models.Date{}, models.NewDate(9999, 1, 1)
	for _, it := range r.Items {
		if it.WeekStart.IsZero() {
			t.Fatal("an item has no week in a feasible plan")
		}
		if it.Group == models.GroupMustCover && it.WeekStart.After(lastMust) {
			lastMust = it.WeekStart
		}
	}
	cutoff := models.NewDate(2023, 10, 15)
	if lastMust.After(cutoff) {
		t.Errorf("the last never-inspected business is planned for %s, after %s: no time left to repeat a missed visit", lastMust, cutoff)
	}
	_ = firstRe
	for _, w := range r.Figures.Weeks {
		if w.Planned > w.Capacity {
			t.Errorf("week %s: %d planned over a capacity of %d", w.WeekStart, w.Planned, w.Capacity)
		}
	}
}

func TestTooLittleCapacityIsReportedNotTruncated(t *testing.T) {
	in := input(2021, city(5000, 10, 0), 2)
	in.Teams = append(in.Teams, Team{ID: "d1", AreaPath: "/92/w01/", Weekly: 5, WorkingDays: models.DefaultWorkingDays})
	r := mustPlan(t, in, "tight")
	f := r.Figures
	if f.Feasible || f.Shortfall == 0 {
		t.Fatalf("5000 businesses with 7 visits a week reported feasible: %+v", f)
	}
	if len(r.Items) != f.Total || f.Total < 1000 {
		t.Fatalf("the selection was truncated: %d items for a total of %d", len(r.Items), f.Total)
	}
	unscheduled, sum := 0, 0
	for _, it := range r.Items {
		if it.WeekStart.IsZero() {
			unscheduled++
		}
	}
	for _, a := range f.ShortfallAreas {
		sum += a.Tasks
		if a.MissingTeamDays <= 0 {
			t.Errorf("area %s: %d tasks short but no missing team days", a.AreaCode, a.Tasks)
		}
	}
	if unscheduled != f.Shortfall || sum != f.Shortfall {
		t.Fatalf("shortfall %d, unscheduled items %d, by area %d", f.Shortfall, unscheduled, sum)
	}
	// The district team only takes its own ward's businesses.
	for _, it := range r.Items {
		if it.TeamID == "d1" && it.Ward != "w01" {
			t.Fatalf("the w01 team was given a business of %s", it.Ward)
		}
	}
}

func TestHolidaysAndWorkingDaysShapeCapacity(t *testing.T) {
	in := input(2026, city(100, 2, 0), 10)
	in.Programme = ProgrammeSpec{FirstYear: 2026, Deadline: models.NewDate(2030, 12, 31), MinYearlyShare: 0.2}
	// Tết 2026: 16-20 February, a whole working week.
	for d := 16; d <= 20; d++ {
		in.Holidays = append(in.Holidays, models.NewDate(2026, 2, d))
	}
	r := mustPlan(t, in, "tet")
	for _, w := range r.Figures.Weeks {
		if w.WeekStart == models.NewDate(2026, 2, 16) && w.Capacity != 0 {
			t.Errorf("the Tết week has capacity %d", w.Capacity)
		}
		if w.WeekStart == models.NewDate(2026, 3, 2) && w.Capacity != 10 {
			t.Errorf("an ordinary week has capacity %d, want 10", w.Capacity)
		}
	}
}

func TestBadInputIsRefused(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*Input)
		seed  string
		field string
	}{
		{"a year before the programme", func(in *Input) { in.Year = 2019 }, "s", "year"},
		{"a year after the deadline", func(in *Input) { in.Year = 2026 }, "s", "year"},
		{"a share above 1", func(in *Input) { in.Programme.MinYearlyShare = 1.5 }, "s", "programme.min_yearly_share"},
		{"no planning date", func(in *Input) { in.AsOf = models.Date{} }, "s", "as_of"},
		{"no seed", func(in *Input) {}, "", "seed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := input(2022, city(10, 2, 0), 10)
			tc.edit(&in)
			_, err := YearlyPlan(in, tc.seed)
			if e := models.ErrorAs(err); e == nil || e.Code != models.EINVALID || e.Field != tc.field {
				t.Fatalf("error %v, want invalid on %s", err, tc.field)
			}
		})
	}
}

func TestInclusionProbabilitiesSumToTheSampleSize(t *testing.T) {
	for _, tc := range []struct {
		w []float64
		n int
	}{
		{[]float64{1, 1, 1, 1}, 2},
		{[]float64{100, 1, 1, 1}, 2},
		{[]float64{5, 5, 1, 1, 1}, 3},
		{[]float64{1, 2}, 5},
	} {
		p := InclusionProbabilities(tc.w, tc.n)
		sum := 0.0
		for _, x := range p {
			if x <= 0 || x > 1 {
				t.Fatalf("%v: probability %v", tc.w, x)
			}
			sum += x
		}
		if want := math.Min(float64(tc.n), float64(len(tc.w))); math.Abs(sum-want) > 1e-9 {
			t.Errorf("%v n=%d: probabilities sum to %v", tc.w, tc.n, sum)
		}
	}
}

func TestSystematicSamplingHitsItsProbabilities(t *testing.T) {
	w := []float64{1, 1, 2, 3, 0.5, 5, 1, 1, 2, 8}
	const n, runs = 4, 20000
	count := make([]float64, len(w))
	for r := 0; r < runs; r++ {
		sel, _ := systematicPPS(newRand(fmt.Sprint(r), "test"), InclusionProbabilities(w, n), n)
		if len(sel) != n {
			t.Fatalf("drew %d, want %d", len(sel), n)
		}
		for _, i := range sel {
			count[i]++
		}
	}
	for i, p := range InclusionProbabilities(w, n) {
		got := count[i] / runs
		// Four standard errors of a proportion over 20,000 runs.
		if tol := 4 * math.Sqrt(p*(1-p)/runs); math.Abs(got-p) > tol+1e-9 {
			t.Errorf("unit %d drawn %.4f of the time, want %.4f", i, got, p)
		}
	}
}

func TestAShortfallNamesTheUnitOfATeamOfSeveral(t *testing.T) {
	in := input(2021, city(3000, 4, 0), 0) // the city's team has no capacity: it takes nothing
	in.Teams = append(in.Teams, Team{ID: "cluster", AreaPath: "/92/", AreaPaths: []string{"/92/w00/", "/92/w01/"}, Weekly: 2, WorkingDays: models.DefaultWorkingDays},
		Team{ID: "w02", AreaPath: "/92/w02/", Weekly: 1, WorkingDays: models.DefaultWorkingDays})
	f := mustPlan(t, in, "units").Figures
	got := map[string]bool{}
	for _, a := range f.ShortfallAreas {
		got[a.AreaCode] = true
	}
	// w03 has no team at all: its ward is named, as before.
	if len(got) != 4 || !got["w00"] || !got["w01"] || !got["w02"] || !got["w03"] {
		t.Fatalf("the shortfall is by %v, want the cluster's two units, w02 and w03", f.ShortfallAreas)
	}
}
