package geo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"kiemtra/models"
)

// benchPoints are a million uniform positions over Can Tho, shared by the benchmarks.
var benchPoints = sync.OnceValue(func() [][2]float64 {
	r := rand.New(rand.NewPCG(42, 42))
	pts := make([][2]float64, 1_000_000)
	for i := range pts {
		pts[i][0], pts[i][1] = randomPointIn(r)
	}
	return pts
})

var benchPointIndex = sync.OnceValue(func() *PointIndex {
	pts := make([]Point, 0, 1_000_000)
	for i, p := range benchPoints() {
		pts = append(pts, Point{ID: fmt.Sprintf("b%07d", i), Lat: p[0], Lon: p[1]})
	}
	return NewPointIndex(pts)
})

// BenchmarkLocate1M locates a million points over a city of 91 areas (1 city, 9 districts,
// 81 wards); one op is the whole million, so ns/op is the time per million points.
func BenchmarkLocate1M(b *testing.B) {
	for _, bc := range []struct {
		name  string
		steps int
	}{{"wards of 16 vertices", 4}, {"wards of 400 vertices", 100}} {
		b.Run(bc.name, func(b *testing.B) {
			city := newDetailedTestCity(b, 3, 3, bc.steps)
			x := mustAreaIndex(b, city.areas)
			pts := benchPoints()
			found := 0
			for b.Loop() {
				found = 0
				for _, p := range pts {
					if x.Locate(p[0], p[1]) != nil {
						found++
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(pts)), "ns/point")
			b.ReportMetric(float64(found)/float64(len(pts)), "located/point")
		})
	}
}

// BenchmarkNear queries an index of a million businesses over Can Tho at random positions; one
// op is one query. p50 and p99 are per-query latencies measured around each call.
func BenchmarkNear(b *testing.B) {
	x := benchPointIndex()
	for _, bc := range []struct {
		name    string
		radiusM float64
		limit   int
	}{{"radius 500 m", 500, 0}, {"radius 500 m limit 20", 500, 20}, {"radius 5 km limit 20", 5000, 20}} {
		b.Run(bc.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 1))
			var lat []time.Duration
			hits := 0
			for b.Loop() {
				qLat, qLon := randomPointIn(r)
				t0 := time.Now()
				hits += len(x.Near(qLat, qLon, bc.radiusM, bc.limit))
				lat = append(lat, time.Since(t0))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
			b.ReportMetric(float64(hits)/float64(b.N), "hits/query")
		})
	}
}

// BenchmarkNewPointIndex builds the index of a million businesses, as a rebuild does.
func BenchmarkNewPointIndex(b *testing.B) {
	pts := make([]Point, 0, 1_000_000)
	for i, p := range benchPoints() {
		pts = append(pts, Point{ID: fmt.Sprintf("b%07d", i), Lat: p[0], Lon: p[1]})
	}
	for b.Loop() {
		NewPointIndex(pts)
	}
}

// BenchmarkNewAreaIndex builds the index of a city of 10,101 areas (wards of 16 vertices).
func BenchmarkNewAreaIndex(b *testing.B) {
	city := newTestCity(b, 10, 10)
	for b.Loop() {
		mustAreaIndex(b, city.areas)
	}
}

// BenchmarkValidateRing5000 checks one ring of 5,000 vertices.
func BenchmarkValidateRing5000(b *testing.B) {
	areas := []*models.Area{{Code: "BIG", Geometry: polygonJSON(b, orb.Polygon{starRing(5000)})}}
	for b.Loop() {
		if p := ValidateAreaGeometries(areas); len(p) != 0 {
			b.Fatal(p)
		}
	}
}

// BenchmarkValidateCity checks a city of 10,101 areas, overlaps between siblings included.
func BenchmarkValidateCity(b *testing.B) {
	city := newTestCity(b, 10, 10)
	for b.Loop() {
		if p := ValidateAreaGeometries(city.areas); len(p) != 0 {
			b.Fatal(p[:min(len(p), 3)])
		}
	}
}
