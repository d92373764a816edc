package scheduler

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"testing"

	"kiemtra/refdata"
)

// BenchmarkRiskScore runs the default programme (planner rules v2) over many seeds and three
// city sizes, and reports violations found per inspection by the planner and by the uniform
// baseline on the same cities (and the gain), how often the city-wide 95% interval of the
// prevalence holds the truth, and the lowest inclusion probability of any business of any plan
// relative to its stratum's uniform one (it fails below the floor). Once whatever b.N:
// `go test -run x -bench RiskScore -benchtime 1x ./scheduler/` (KIEMTRA_RISK_SEEDS: seeds per
// size, 40 by default; KIEMTRA_RISK_FLOOR: the floor, DefaultRiskFloor by default).
func BenchmarkRiskScore(b *testing.B) {
	cats, err := refdata.Categories()
	if err != nil {
		b.Fatal(err)
	}
	seeds := envInt(b, "KIEMTRA_RISK_SEEDS", 40)
	floor := DefaultRiskFloor
	if v := os.Getenv("KIEMTRA_RISK_FLOOR"); v != "" {
		if floor, err = strconv.ParseFloat(v, 64); err != nil || !(floor > 0 && floor <= 1) {
			b.Fatalf("KIEMTRA_RISK_FLOOR=%q: want a number above 0 and at most 1", v)
		}
	}
	for _, n := range []int{1500, 3700, 8000} {
		b.Run(fmt.Sprintf("businesses=%d", n), func(b *testing.B) {
			var found, inspections, baseFound, baseInspections, reFound, reInspections, years, covered, lowest float64
			lowest = math.Inf(1)
			// Per ward, by size: estimates printed (not suppressed), of them marked low, and
			// those printed whose interval holds the truth.
			buckets := []int{10, 25, 60, math.MaxInt}
			var printed, marked, held [4]float64
			for seed := 1; seed <= seeds; seed++ {
				o := DefaultSimOptions()
				o.Businesses, o.Seed, o.Rules, o.RiskFloor, o.checkFloor = n, uint64(seed), RulesV3, floor, true
				r, err := Simulate(o, cats)
				if err != nil {
					b.Fatal(err)
				}
				for _, y := range r.Years {
					for _, w := range y.wards {
						k := 0
						for w.businesses >= buckets[k] {
							k++
						}
						if w.est.Quality == QualitySuppressed {
							continue
						}
						printed[k]++
						if w.est.Quality == QualityLow {
							marked[k]++
						}
						if w.est.Low <= w.truth && w.truth <= w.est.High {
							held[k]++
						}
					}
					found += float64(y.ViolationsFound)
					inspections += float64(y.Inspections)
					reFound += float64(y.ReinspectionViolations)
					reInspections += float64(y.Reinspections)
					years++
					if y.PrevalenceLow <= y.PrevalenceTrue && y.PrevalenceTrue <= y.PrevalenceHigh {
						covered++
					}
				}
				for _, y := range r.Baseline.Years {
					baseFound += float64(y.ViolationsFound)
					baseInspections += float64(y.Inspections)
				}
				lowest = math.Min(lowest, r.LowestFloorShare)
			}
			if lowest < floor-1e-9 {
				b.Errorf("a business's inclusion probability fell to %.4f of its stratum's uniform one, below the floor %.2f", lowest, floor)
			}
			planner, baseline := found/inspections, baseFound/baseInspections
			b.ReportMetric(planner, "viol/insp-planner")
			b.ReportMetric(baseline, "viol/insp-uniform")
			b.ReportMetric(100*(planner/baseline-1), "gain-%")
			b.ReportMetric(100*reInspections/inspections, "reinspections-%")
			b.ReportMetric(reFound/reInspections, "viol/reinsp-planner")
			b.ReportMetric(100*covered/years, "ci95-coverage-%")
			b.ReportMetric(lowest, "lowest-prob/uniform")
			for k, name := range []string{"1-9", "10-24", "25-59", "60+"} {
				b.ReportMetric(printed[k], "ward-printed-"+name)
				b.ReportMetric(100*marked[k]/math.Max(printed[k], 1), "ward-marked-%-"+name)
				b.ReportMetric(100*held[k]/math.Max(printed[k], 1), "ward-ci95-coverage-%-"+name)
			}
		})
	}
}

// envInt reads a benchmark's size from the environment.
func envInt(tb testing.TB, name string, def int) int {
	tb.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		tb.Fatalf("%s=%q: want a whole number above 0", name, v)
	}
	return n
}
