package scheduler

import (
	"math"
	"reflect"
	"testing"

	"kiemtra/refdata"
)

func simulate(t *testing.T, o SimOptions) *SimReport {
	t.Helper()
	cats, err := refdata.Categories()
	if err != nil {
		t.Fatal(err)
	}
	r, err := Simulate(o, cats)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSimulatedProgrammesMeetTheTargets(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		o := DefaultSimOptions()
		o.Seed = seed
		r := simulate(t, o)
		if !r.Feasible {
			t.Fatalf("seed %d: default programme infeasible (shortfall %d)", seed, r.Shortfall)
		}
		for _, y := range r.Years {
			if y.Share < o.Share {
				t.Errorf("seed %d, %d: share %.3f below %.2f", seed, y.Year, y.Share, o.Share)
			}
		}
		if r.Final.Coverage != 1 {
			t.Errorf("seed %d: final coverage %.4f (%d of %d eligible)", seed, r.Final.Coverage, r.Final.Covered, r.Final.Eligible)
		}
		if r.Baseline.Final.Coverage > 0.8 {
			t.Errorf("seed %d: the naive baseline covers %.2f, not clearly lower", seed, r.Baseline.Final.Coverage)
		}
	}
}

func TestTooLittleCapacityIsInfeasibleAndDoesNotClaimCoverage(t *testing.T) {
	o := DefaultSimOptions()
	o.Teams, o.Capacity, o.Businesses = 1, 2, 5000
	r := simulate(t, o)
	if r.Feasible || r.Shortfall == 0 {
		t.Fatalf("feasible=%v shortfall=%d", r.Feasible, r.Shortfall)
	}
	if r.Final.Coverage >= 1 {
		t.Fatalf("claims full coverage %.3f", r.Final.Coverage)
	}
}

func TestLevelledQuotasKeepTheReportedCase(t *testing.T) {
	// The reported case: with today's teams, the rules before levelling fail in the
	// last year; the levelled rules cover every eligible business, keep every year's share and
	// use less of the teams' time at the peak.
	o := DefaultSimOptions()
	o.Businesses, o.OpenRate, o.CloseRate, o.MissRate = 3700, 0.15, 0.12, 0.2
	o.Teams = 6 // the reported case's teams (the sizing of the release before SizeTeams)
	o.Rules = RulesV1
	before := simulate(t, o)
	o.Rules = CurrentRules
	after := simulate(t, o)
	if before.Feasible || before.Final.Coverage == 1 {
		t.Fatalf("RulesV1: feasible %v, coverage %.4f: the reported case should fail", before.Feasible, before.Final.Coverage)
	}
	if !after.Feasible || after.Final.Coverage != 1 || after.FirstWarningYear != 0 {
		t.Errorf("RulesV2: feasible %v, coverage %.4f, first warning %d: want feasible, 100%%, no warning",
			after.Feasible, after.Final.Coverage, after.FirstWarningYear)
	}
	peak := func(r *SimReport) float64 {
		var p float64
		for _, y := range r.Years {
			p = math.Max(p, y.CapacityUsed)
		}
		return p
	}
	for _, y := range after.Years {
		if y.Share < o.Share {
			t.Errorf("RulesV2 %d: share %.4f below %.2f", y.Year, y.Share, o.Share)
		}
	}
	if pb, pa := peak(before), peak(after); pa >= pb || pa > 0.85 {
		t.Errorf("peak capacity used %.2f with RulesV1, %.2f with RulesV2: want lower, at most 85%%", pb, pa)
	}
}

func TestSimulatedYearsReportTheProjection(t *testing.T) {
	// The reported case under the rules before levelling fails in its last year; the
	// projection made in the second year, the first with rates observed in the programme,
	// already shows it.
	o := DefaultSimOptions()
	o.Businesses, o.OpenRate, o.CloseRate, o.MissRate = 3700, 0.15, 0.12, 0.2
	o.Teams = 6 // the reported case's teams (the sizing of the release before SizeTeams)
	o.Rules = RulesV1
	r := simulate(t, o)
	if r.Feasible || r.FirstShortfallYear != 2025 {
		t.Fatalf("feasible %v, first shortfall %d: the reported case no longer fails in 2025", r.Feasible, r.FirstShortfallYear)
	}
	if r.FirstWarningYear != 2022 {
		t.Errorf("first warning in %d, want 2022", r.FirstWarningYear)
	}
	first := r.Years[0].Projection
	if first == nil || !first.Fits || !first.Rates.OpeningsDefault || !first.Rates.MissesDefault {
		t.Errorf("the first year's projection %+v: want the default rates, which fit", first)
	}
	for _, y := range r.Years[1:] {
		p := y.Projection
		if p == nil || p.Fits || p.FirstShortYear != 2025 || p.MissingTeamDays < 100 || p.MissingTeamDays > 250 {
			t.Errorf("%d: projection %+v, want 2025 short by 100-250 team-days", y.Year, p)
			continue
		}
		if math.Abs(p.Rates.Openings-0.15) > 0.01 || math.Abs(p.Rates.Closures-0.12) > 0.01 || math.Abs(p.Rates.Misses-0.2) > 0.03 {
			t.Errorf("%d: observed rates %+v, want about 15%%, 12%%, 20%%", y.Year, p.Rates)
		}
	}
	for _, y := range r.Baseline.Years {
		if y.Projection != nil {
			t.Fatalf("the baseline reports a projection in %d", y.Year)
		}
	}

	// The default programme fits and every projection says so.
	for seed := uint64(1); seed <= 4; seed++ {
		o := DefaultSimOptions()
		o.Seed = seed
		r := simulate(t, o)
		if r.FirstWarningYear != 0 {
			t.Errorf("seed %d: a feasible programme warned in %d", seed, r.FirstWarningYear)
		}
	}

	// Far too little capacity shows in the first projection.
	o = DefaultSimOptions()
	o.Teams, o.Capacity, o.Businesses = 1, 2, 5000
	if r := simulate(t, o); r.FirstWarningYear != o.StartYear || r.Years[0].Projection.FirstShortYear != o.StartYear {
		t.Errorf("first warning %d, first year's projection %+v", r.FirstWarningYear, r.Years[0].Projection)
	}
}

func TestPrevalenceEstimateIsUnbiased(t *testing.T) {
	// Averaged over seeds, the Horvitz-Thompson estimate must sit on the true share even though
	// the planner picks risky businesses more often; counting violations among those inspected
	// would overstate it.
	var diff, naive float64
	covered, total := 0, 0
	const seeds = 30
	for seed := uint64(1); seed <= seeds; seed++ {
		o := DefaultSimOptions()
		o.Seed = seed
		r := simulate(t, o)
		for _, y := range r.Years {
			diff += y.PrevalenceEstimate - y.PrevalenceTrue
			naive += float64(y.ViolationsFound)/float64(max(1, y.Inspected)) - y.PrevalenceTrue
			total++
			if y.PrevalenceLow <= y.PrevalenceTrue && y.PrevalenceTrue <= y.PrevalenceHigh {
				covered++
			}
		}
	}
	diff /= float64(total)
	naive /= float64(total)
	if math.Abs(diff) > 0.005 {
		t.Errorf("mean error of the estimate %.4f, want within ±0.005", diff)
	}
	if naive < 0.01 {
		t.Errorf("the naive share among inspected is not biased upwards (%.4f): the test city is not risk-skewed", naive)
	}
	if rate := float64(covered) / float64(total); rate < 0.85 {
		t.Errorf("the 95%% interval holds the true share only %.2f of the time", rate)
	}
}

func TestSimulationIsDeterministic(t *testing.T) {
	o := DefaultSimOptions()
	o.Businesses = 400
	a, b := simulate(t, o), simulate(t, o)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different simulations")
	}
}

func TestSimulationRejectsBadOptions(t *testing.T) {
	for _, edit := range []func(*SimOptions){
		func(o *SimOptions) { o.Businesses = 0 },
		func(o *SimOptions) { o.Years = 0 },
		func(o *SimOptions) { o.MissRate = 1 },
		func(o *SimOptions) { o.Capacity = 0 },
		func(o *SimOptions) { o.Share = 0 },
	} {
		o := DefaultSimOptions()
		edit(&o)
		if _, err := Simulate(o, nil); err == nil {
			t.Errorf("options %+v accepted", o)
		}
	}
}

// BenchmarkEarlyWarningGrid runs a grid of programmes (sizes, openings, closures, misses, the
// simulator's own team sizing and 60% of the city a year) and reports, among the runs that fail
// (a visit found no capacity, or coverage below 100%), how many the projection flagged before
// the last year, and among those that succeed, how many it flagged anyway. It runs the grid once
// whatever b.N: `go test -run x -bench EarlyWarningGrid -benchtime 1x ./scheduler/`.
func BenchmarkEarlyWarningGrid(b *testing.B) {
	cats, err := refdata.Categories()
	if err != nil {
		b.Fatal(err)
	}
	var runs, failing, early, lastOnly, never, succeeding, falseAlarms, lead float64
	for _, o := range stressGrid() {
		o.Rules = RulesV1 // the rules its figures in docs/benchmarks.md were measured on
		r, err := Simulate(o, cats)
		if err != nil {
			b.Fatal(err)
		}
		runs++
		last := o.StartYear + o.Years - 1
		switch failed := !r.Feasible || r.Final.Coverage < 1; {
		case failed && r.FirstWarningYear == 0:
			failing++
			never++
		case failed && r.FirstWarningYear < last:
			failing++
			early++
			lead += float64(last - r.FirstWarningYear)
		case failed:
			failing++
			lastOnly++
		case r.FirstWarningYear != 0:
			succeeding++
			falseAlarms++
		default:
			succeeding++
		}
	}
	b.ReportMetric(runs, "runs")
	b.ReportMetric(failing, "failing")
	b.ReportMetric(early, "flagged-before-last-year")
	b.ReportMetric(lastOnly, "flagged-in-last-year")
	b.ReportMetric(never, "never-flagged")
	b.ReportMetric(lead/math.Max(1, early), "years-of-notice")
	b.ReportMetric(succeeding, "succeeding")
	b.ReportMetric(falseAlarms, "flagged-but-succeeded")
}

// BenchmarkLevelledQuotasGrid runs the early-warning grid under the rules before levelling
// (RulesV1) and the levelled ones (CurrentRules, RulesV3: RulesV2's quotas with the risk score) on the same cities, and reports: the runs each
// rules version carries to 100% coverage with every year at the share; the runs that change
// outcome; among RulesV2's runs whose projections all fit, those that still fail (want 0); the
// failing runs flagged later than their first shortfall (want 0); and the mean and highest
// peak yearly capacity used. Once whatever b.N:
// `go test -run x -bench LevelledQuotasGrid -benchtime 1x ./scheduler/`.
func BenchmarkLevelledQuotasGrid(b *testing.B) {
	cats, err := refdata.Categories()
	if err != nil {
		b.Fatal(err)
	}
	// The promise: every eligible business covered by the deadline, every year at the share.
	// (A run can keep it with visits left over at the end of a full last year: re-inspections
	// beyond the share; those count in unfinished-v2.)
	ok := func(r *SimReport) bool {
		if r.Final.Coverage < 1 {
			return false
		}
		for _, y := range r.Years {
			if y.Share < r.Options.Share {
				return false
			}
		}
		return true
	}
	peak := func(r *SimReport) float64 {
		var p float64
		for _, y := range r.Years {
			p = math.Max(p, y.CapacityUsed)
		}
		return p
	}
	var runs, okV1, okV2, better, worse, fitting, fittingFailed, lateFlags, unfinished, peakV1, peakV2, maxV1, maxV2 float64
	for _, o := range stressGrid() {
		o.Rules = RulesV1
		v1, err := Simulate(o, cats)
		if err != nil {
			b.Fatal(err)
		}
		o.Rules = CurrentRules
		v2, err := Simulate(o, cats)
		if err != nil {
			b.Fatal(err)
		}
		runs++
		a, c := ok(v1), ok(v2)
		okV1, okV2 = okV1+b2f(a), okV2+b2f(c)
		better, worse = better+b2f(!a && c), worse+b2f(a && !c)
		if v2.FirstWarningYear == 0 {
			fitting++
			fittingFailed += b2f(!c)
		}
		if !c && v2.FirstShortfallYear != 0 && (v2.FirstWarningYear == 0 || v2.FirstWarningYear > v2.FirstShortfallYear) {
			lateFlags++
		}
		unfinished += b2f(!v2.Feasible)
		p1, p2 := peak(v1), peak(v2)
		peakV1, peakV2 = peakV1+p1, peakV2+p2
		maxV1, maxV2 = math.Max(maxV1, p1), math.Max(maxV2, p2)
	}
	b.ReportMetric(runs, "runs")
	b.ReportMetric(okV1, "kept-v1")
	b.ReportMetric(okV2, "kept-v2")
	b.ReportMetric(better, "failed-v1-kept-v2")
	b.ReportMetric(worse, "kept-v1-failed-v2")
	b.ReportMetric(fitting, "fitting-v2")
	b.ReportMetric(fittingFailed, "fitting-but-failed-v2")
	b.ReportMetric(lateFlags, "flagged-after-shortfall-v2")
	b.ReportMetric(unfinished, "unfinished-v2")
	b.ReportMetric(peakV1/runs, "mean-peak-v1")
	b.ReportMetric(peakV2/runs, "mean-peak-v2")
	b.ReportMetric(maxV1, "max-peak-v1")
	b.ReportMetric(maxV2, "max-peak-v2")
}

func b2f(v bool) float64 {
	if v {
		return 1
	}
	return 0
}

// stressGrid is the grid of the stress test: sizes, openings, closures, misses, and the
// simulator's own team sizing beside teams for 60% of the city a year (216 programmes).
func stressGrid() []SimOptions {
	var grid []SimOptions
	for _, n := range []int{1500, 3700, 8000} {
		for _, open := range []float64{0.05, 0.15, 0.30} {
			for _, closing := range []float64{0.05, 0.12, 0.25} {
				for _, miss := range []float64{0, 0.10, 0.20, 0.35} {
					for _, sixty := range []bool{false, true} {
						o := DefaultSimOptions()
						o.Businesses, o.OpenRate, o.CloseRate, o.MissRate = n, open, closing, miss
						if sixty {
							o.Teams = max(1, ceilDiv(n*6/10, o.Capacity*45))
						}
						grid = append(grid, o)
					}
				}
			}
		}
	}
	return grid
}

func TestSizeTeamsIsTheFewestTheProjectionFindsEnough(t *testing.T) {
	o := DefaultSimOptions()
	o.Businesses, o.OpenRate, o.CloseRate, o.MissRate = 3700, 0.15, 0.12, 0.2
	n := SizeTeams(o)
	if n < 2 || n > 8 {
		t.Fatalf("%d teams for the reported case", n)
	}
	// More businesses or more missed visits need at least as many teams.
	big, missy := o, o
	big.Businesses, missy.MissRate = 2*o.Businesses, 0.35
	if SizeTeams(big) < n || SizeTeams(missy) < n {
		t.Errorf("teams: %d for the reported case, %d for twice the businesses, %d with 35%% misses", n, SizeTeams(big), SizeTeams(missy))
	}
	// With the teams it sized, the programme keeps its promise.
	o.Teams = n
	r := simulate(t, o)
	if r.Final.Coverage < 1 || !r.Feasible {
		t.Fatalf("%d teams: coverage %.4f, feasible %v", n, r.Final.Coverage, r.Feasible)
	}
	for _, y := range r.Years {
		if y.Share < o.Share {
			t.Errorf("%d teams: %d share %.4f", n, y.Year, y.Share)
		}
	}
	// One team fewer does not fit the projection with the margin.
	o.Teams = n - 1
	if fewer := SizeTeams(o); fewer != n {
		t.Errorf("sizing depends on o.Teams: %d", fewer)
	}
}
