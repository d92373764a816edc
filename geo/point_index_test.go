package geo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// bruteNear is the definition Near must match: every point within the radius, sorted.
func bruteNear(pts []Point, lat, lon, radiusM float64, limit int) []Hit {
	var hits []Hit
	for _, p := range pts {
		if !validLatLon(p.Lat, p.Lon) {
			continue
		}
		if d := DistanceM(lat, lon, p.Lat, p.Lon); d <= radiusM {
			hits = append(hits, Hit{p.ID, d})
		}
	}
	slices.SortFunc(hits, compareHits)
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}

func sameHits(t *testing.T, got, want []Hit) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d hits, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("hit %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestNearMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	canTho := make([]Point, 20000)
	for i := range canTho {
		lat, lon := randomPointIn(r)
		canTho[i] = Point{ID: fmt.Sprintf("b%05d", i), Lat: lat, Lon: lon}
	}
	// Points scattered around both poles and the antimeridian, where degree boxes degenerate.
	var polar []Point
	for i := 0; i < 4000; i++ {
		lat := 89 + r.Float64()
		if i%2 == 1 {
			lat = -lat
		}
		polar = append(polar, Point{ID: fmt.Sprintf("p%04d", i), Lat: lat, Lon: r.Float64()*360 - 180})
	}
	polar = append(polar, Point{"north", 90, 0}, Point{"south", -90, 45})
	var seam []Point
	for i := 0; i < 2000; i++ {
		seam = append(seam, Point{ID: fmt.Sprintf("s%04d", i), Lat: 10 + r.Float64()*0.5, Lon: 179.5 + r.Float64()})
		if seam[i].Lon > 180 {
			seam[i].Lon -= 360
		}
	}
	for _, tc := range []struct {
		name     string
		pts      []Point
		lat, lon func() float64
		radii    []float64
		limit    int
	}{
		{"queries over Can Tho find exactly the points a scan finds", canTho,
			func() float64 { return testMinLat - 0.05 + r.Float64()*0.55 }, func() float64 { return testMinLon - 0.05 + r.Float64()*0.6 },
			[]float64{0, 50, 500, 2000, 50000}, 0},
		{"queries with a limit return the nearest few", canTho,
			func() float64 { return testMinLat + r.Float64()*0.45 }, func() float64 { return testMinLon + r.Float64()*0.5 },
			[]float64{500, 50000}, 7},
		{"queries near the poles miss nothing across the pole", polar,
			func() float64 { return math.Copysign(89.5+r.Float64()*0.5, r.Float64()-0.5) }, func() float64 { return r.Float64()*360 - 180 },
			[]float64{1000, 50000, 150000}, 0},
		{"queries at the pole itself find every point within range", polar,
			func() float64 { return 90 }, func() float64 { return 0 }, []float64{50000, 112000}, 0},
		{"queries beside the antimeridian find points on the other side", seam,
			func() float64 { return 10 + r.Float64()*0.5 }, func() float64 { return 179.95 + r.Float64()*0.05 },
			[]float64{5000, 50000}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := NewPointIndex(tc.pts)
			found := 0
			for q := 0; q < 60; q++ {
				lat, lon := tc.lat(), tc.lon()
				radius := tc.radii[q%len(tc.radii)]
				got := x.Near(lat, lon, radius, tc.limit)
				sameHits(t, got, bruteNear(tc.pts, lat, lon, radius, tc.limit))
				found += len(got)
			}
			if found == 0 {
				t.Fatal("no query found anything; the case tests nothing")
			}
		})
	}
}

func TestNearEdgeCases(t *testing.T) {
	pts := []Point{
		{"b", 10.0300, 105.7800},
		{"a", 10.0300, 105.7800}, // same place as b: ties go by ID
		{"c", 10.0309, 105.7800}, // about 100 m north
		{"far", 10.2, 105.5},
		{"unlocated", 0, math.NaN()},
		{"swapped", 105.78, 10.03},
	}
	x := NewPointIndex(pts)
	for _, tc := range []struct {
		name          string
		lat, lon, rad float64
		limit         int
		want          []string
	}{
		{"equal distances are ordered by ID", 10.03, 105.78, 10, 0, []string{"a", "b"}},
		{"a larger radius adds the farther point last", 10.03, 105.78, 150, 0, []string{"a", "b", "c"}},
		{"a limit keeps the nearest", 10.03, 105.78, 150, 1, []string{"a"}},
		{"a radius of zero finds points at the very spot", 10.03, 105.78, 0, 0, []string{"a", "b"}},
		{"a negative radius finds nothing", 10.03, 105.78, -1, 0, nil},
		{"a NaN radius finds nothing", 10.03, 105.78, math.NaN(), 0, nil},
		{"an invalid position finds nothing", 100, 105.78, 1000, 0, nil},
		{"a query far from every point finds nothing", -40, -70, 50000, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, h := range x.Near(tc.lat, tc.lon, tc.rad, tc.limit) {
				got = append(got, h.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("Near = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("points without a valid position are not indexed", func(t *testing.T) {
		if x.Len() != 4 {
			t.Fatalf("Len = %d, want 4", x.Len())
		}
	})
	t.Run("an empty index finds nothing", func(t *testing.T) {
		if got := NewPointIndex(nil).Near(10, 105, 1000, 0); got != nil || NewPointIndex(nil).Len() != 0 {
			t.Fatalf("Near = %v", got)
		}
	})
	t.Run("a nil index finds nothing", func(t *testing.T) {
		var n *PointIndex
		if n.Near(10, 105, 1000, 0) != nil || n.Len() != 0 {
			t.Fatal("nil index answered")
		}
	})
}

func TestCapBoxContainsTheCap(t *testing.T) {
	// Walk the circle of each radius around each centre and check every point is in the box.
	for _, lat := range []float64{0, 10, 45, 80, 89.9, -89.99} {
		for _, radius := range []float64{1, 500, 50000, 1e6} {
			t.Run(fmt.Sprintf("a %g m circle at latitude %g fits its box", radius, lat), func(t *testing.T) {
				b := capBox(lat, 105, radius)
				ang := radius / EarthRadiusM
				la1 := lat * math.Pi / 180
				for k := 0; k < 3600; k++ {
					brg := float64(k) / 3600 * 2 * math.Pi
					la2 := math.Asin(math.Sin(la1)*math.Cos(ang) + math.Cos(la1)*math.Sin(ang)*math.Cos(brg))
					lo2 := 105 + math.Atan2(math.Sin(brg)*math.Sin(ang)*math.Cos(la1), math.Cos(ang)-math.Sin(la1)*math.Sin(la2))*180/math.Pi
					la2 *= 180 / math.Pi
					lo2 = math.Remainder(lo2, 360)
					if la2 < b.minLat || la2 > b.maxLat || lo2 < b.minLon || lo2 > b.maxLon {
						t.Fatalf("point (%v, %v) on the circle is outside %+v", la2, lo2, b)
					}
				}
			})
		}
	}
}
