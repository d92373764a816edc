package scheduler

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func TestClopperPearsonKnownValues(t *testing.T) {
	for _, tc := range []struct {
		x, n     float64
		low, hi  float64
		whatever string
	}{
		// Reference values of the exact interval (binom.test in R; the last by bisection on the binomial sums).
		{0, 10, 0, 0.3084971, "none of 10"},
		{1, 10, 0.002528579, 0.4450161, "1 of 10"},
		{5, 10, 0.1870860, 0.8129140, "5 of 10"},
		{10, 10, 0.6915029, 1, "all of 10"},
		{30, 200, 0.1035495, 0.2071587, "30 of 200"}, // by bisection on the binomial distribution
	} {
		lo, hi := clopperPearson(tc.x, tc.n, 0.05)
		if math.Abs(lo-tc.low) > 1e-6 || math.Abs(hi-tc.hi) > 1e-6 {
			t.Errorf("%s: [%.7f, %.7f], want [%.7f, %.7f]", tc.whatever, lo, hi, tc.low, tc.hi)
		}
	}
}

func TestPrevalenceQualityAndNoZeroWidth(t *testing.T) {
	obs := func(inspected, violating int, prob float64) []Observation {
		var out []Observation
		for i := 0; i < inspected; i++ {
			out = append(out, Observation{Group: "g", Prob: prob, Inspected: true, Violation: i < violating})
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		obs     []Observation
		quality string
	}{
		{"three inspected: suppressed", obs(3, 1, 0.5), QualitySuppressed},
		{"twelve inspected, none violating: low, and an upper bound above zero", obs(12, 0, 0.3), QualityLow},
		{"forty inspected: ok", obs(40, 6, 0.2), QualityOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := Prevalence(tc.obs, 200)
			if e.Quality != tc.quality || e.High <= e.Low || e.Low > e.Share || e.Share > e.High {
				t.Errorf("%+v, want quality %s and an interval around the share", e, tc.quality)
			}
		})
	}
	if e := Prevalence(nil, 100); e.Quality != QualitySuppressed || e.Sample != 0 {
		t.Errorf("no sample: %+v", e)
	}
}

// smallArea is one unit of a simulated city: its businesses' violations and their inclusion
// probabilities.
type smallArea struct {
	violator []bool
	prob     []float64
}

// TestSmallAreaIntervalsHoldTheirCoverage draws the same simulated city's sample many times, as
// the planner draws a year's (unequal probabilities, a fifth of the visits failing), and
// checks the per-unit estimates: those printed (quality ok or low) cover the unit's true share at
// least 93% of the time at every unit size, and are not off by more than a few points on
// average, and the city-wide interval covers the truth 93-97% of the
// time.
func TestSmallAreaIntervalsHoldTheirCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	sizes := []int{3, 6, 9, 15, 25, 40, 60, 90, 140, 220}
	var units []smallArea
	for i := 0; i < 60; i++ {
		n := sizes[i%len(sizes)]
		u := smallArea{}
		base := 0.05 + 0.25*rng.Float64() // violators cluster: some units are worse
		for j := 0; j < n; j++ {
			risky := rng.Float64() < 0.3
			p := base
			prob := 0.15
			if risky {
				p, prob = math.Min(0.9, 2.5*base), 0.45
			}
			u.violator = append(u.violator, rng.Float64() < p)
			u.prob = append(u.prob, prob)
		}
		units = append(units, u)
	}
	const reps = 600
	type tally struct {
		printed, covered, sampled int
		bias                      float64
	}
	bySize := map[string]*tally{}
	cityCovered := 0
	for r := 0; r < reps; r++ {
		var all []Observation
		cityTrue, cityN := 0, 0
		for _, u := range units {
			var obs []Observation
			truth := 0
			for j, v := range u.violator {
				if v {
					truth++
				}
				if rng.Float64() >= u.prob[j] {
					continue
				}
				group := fmt.Sprintf("%.2f", u.prob[j])
				obs = append(obs, Observation{Group: group, Prob: u.prob[j], Inspected: rng.Float64() >= 0.2, Violation: v})
			}
			all = append(all, obs...)
			cityTrue += truth
			cityN += len(u.violator)
			share := float64(truth) / float64(len(u.violator))
			e := Prevalence(obs, len(u.violator))
			key := fmt.Sprintf("%3d", len(u.violator))
			tl := bySize[key]
			if tl == nil {
				tl = &tally{}
				bySize[key] = tl
			}
			if e.Quality == QualitySuppressed {
				continue
			}
			tl.printed++
			tl.bias += e.Share - share
			if e.Low <= share+1e-12 && share <= e.High+1e-12 {
				tl.covered++
			}
		}
		e := Prevalence(all, cityN)
		truth := float64(cityTrue) / float64(cityN)
		if e.Quality != QualityOK {
			t.Fatalf("the city's estimate is %s: %+v", e.Quality, e)
		}
		if e.Low <= truth && truth <= e.High {
			cityCovered++
		}
	}
	for _, size := range sizes {
		key := fmt.Sprintf("%3d", size)
		tl := bySize[key]
		cov := float64(tl.covered) / float64(max(1, tl.printed))
		bias := tl.bias / float64(max(1, tl.printed))
		t.Logf("units of %s businesses: %d estimates printed, coverage %.3f, mean error %+.3f", key, tl.printed, cov, bias)
		if tl.printed < 30 {
			continue // nearly always suppressed: too few printed to judge
		}
		if cov < 0.93 {
			t.Errorf("units of %s businesses: the printed 95%% intervals cover the truth %.1f%% of the time", key, cov*100)
		}
		if math.Abs(bias) > 0.05 {
			t.Errorf("units of %s businesses: estimates off by %+.3f on average", key, bias)
		}
	}
	city := float64(cityCovered) / reps
	t.Logf("the city: coverage %.3f over %d draws", city, reps)
	if city < 0.93 || city > 0.97 {
		t.Errorf("the city-wide 95%% interval covers the truth %.1f%% of the time, want 93-97%%", city*100)
	}
}
