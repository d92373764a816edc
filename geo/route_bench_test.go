package geo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// routeInstance is one team day for the route benchmarks.
type routeInstance struct {
	baseLat, baseLon float64
	stops            []Stop
}

// canThoInstances returns count seeded instances of minStops..maxStops stops; the base and the
// stops are uniform in lat 10.0±0.06, lon 105.77±0.06 (about 13 by 13 km over Can Tho), so
// the stops are within about 8 km of the base on average.
func canThoInstances(seed uint64, count, minStops, maxStops int) []routeInstance {
	r := rand.New(rand.NewPCG(seed, seed))
	point := func() (float64, float64) {
		return 10.0 + (r.Float64()*2-1)*0.06, 105.77 + (r.Float64()*2-1)*0.06
	}
	out := make([]routeInstance, count)
	for k := range out {
		in := &out[k]
		in.baseLat, in.baseLon = point()
		in.stops = make([]Stop, minStops+r.IntN(maxStops-minStops+1))
		for i := range in.stops {
			lat, lon := point()
			in.stops[i] = Stop{ID: fmt.Sprintf("b%02d", i), Lat: lat, Lon: lon}
		}
	}
	return out
}

// BenchmarkRouteVsOptimum compares OrderRoute with the optimum found by trying every order, on
// 600 seeded instances of 4 to 9 stops in Can Tho, for a round trip from the base and for a
// path that ends at the last stop. The ratios (means over the instances, and the worst) and the
// share of instances where OrderRoute finds an optimum are computed once over all the instances
// (they do not depend on b.N); ns/op is one OrderRoute call.
func BenchmarkRouteVsOptimum(b *testing.B) {
	instances := canThoInstances(2025, 600, 4, 9)
	for _, bc := range []struct {
		name string
		back bool
	}{{"round trip", true}, {"path", false}} {
		b.Run(bc.name, func(b *testing.B) {
			sumRoute, maxRoute, sumGiven, optimal := 0.0, 0.0, 0.0, 0
			for _, in := range instances {
				_, length := OrderRoute(in.baseLat, in.baseLon, in.stops, bc.back)
				opt := bruteForceRoute(in.baseLat, in.baseLon, in.stops, bc.back)
				given := RouteLength(in.baseLat, in.baseLon, in.stops, identity(len(in.stops)), bc.back)
				sumRoute += length / opt
				maxRoute = math.Max(maxRoute, length/opt)
				sumGiven += given / opt
				if length <= opt*(1+1e-9) {
					optimal++
				}
			}
			k := 0
			for b.Loop() {
				in := instances[k%len(instances)]
				OrderRoute(in.baseLat, in.baseLon, in.stops, bc.back)
				k++
			}
			b.ReportMetric(sumRoute/float64(len(instances)), "route/optimum")
			b.ReportMetric(maxRoute, "max-route/optimum")
			b.ReportMetric(sumGiven/float64(len(instances)), "unordered/optimum")
			b.ReportMetric(float64(optimal)/float64(len(instances)), "optimal-share")
		})
	}
}

// BenchmarkOrderRoute15 orders a round trip of 15 stops (a busy team day).
func BenchmarkOrderRoute15(b *testing.B) {
	benchmarkOrderRoute(b, 15)
}

// BenchmarkOrderRoute300 orders a round trip of 300 stops, far beyond a team's day.
func BenchmarkOrderRoute300(b *testing.B) {
	benchmarkOrderRoute(b, 300)
}

func benchmarkOrderRoute(b *testing.B, n int) {
	instances := canThoInstances(uint64(n), 50, n, n)
	sumRatio := 0.0
	k := 0
	for b.Loop() {
		in := instances[k%len(instances)]
		_, length := OrderRoute(in.baseLat, in.baseLon, in.stops, true)
		sumRatio += length / RouteLength(in.baseLat, in.baseLon, in.stops, identity(n), true)
		k++
	}
	b.ReportMetric(sumRatio/float64(k), "route/unordered")
}
