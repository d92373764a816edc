package geo

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"

	"kiemtra/models"
)

// Can Tho's rough extent, where the synthetic city and the benchmark points lie.
const (
	testMinLat, testMaxLat = 9.90, 10.35
	testMinLon, testMaxLon = 105.35, 105.85
)

// testCity is a synthetic city over Can Tho: a grid of n×n wards grouped into districts of w×w
// wards. The grid's vertices are jittered and every edge wiggles, so the wards are irregular
// polygons, but each edge is computed from its two end vertices alone, so neighbours share their
// boundary exactly and the wards tile the city with neither gaps nor overlaps, as the districts
// and the city, traced along the same edges, tile it too.
type testCity struct {
	areas     []*models.Area // city, then each district followed by its wards
	wards     []*models.Area
	districts []*models.Area
	n, w      int
}

// newTestCity builds a city of districtsPerSide² districts of wardsPerSide² wards each, whose
// wards have 16 vertices.
func newTestCity(tb testing.TB, districtsPerSide, wardsPerSide int) *testCity {
	tb.Helper()
	return newDetailedTestCity(tb, districtsPerSide, wardsPerSide, 4)
}

// newDetailedTestCity is newTestCity with each edge between grid nodes cut into edgeSteps
// pieces, so that a ward has 4×edgeSteps vertices, as traced boundaries have hundreds.
func newDetailedTestCity(tb testing.TB, districtsPerSide, wardsPerSide, edgeSteps int) *testCity {
	tb.Helper()
	n := districtsPerSide * wardsPerSide
	c := &testCity{n: n, w: wardsPerSide}
	cellW, cellH := (testMaxLon-testMinLon)/float64(n), (testMaxLat-testMinLat)/float64(n)

	node := func(i, j int) orb.Point {
		r := rand.New(rand.NewPCG(uint64(i), uint64(j)))
		dx, dy := (r.Float64()-0.5)*0.4, (r.Float64()-0.5)*0.4
		// Outline nodes move only along the outline, so the city stays a rectangle's cousin.
		if i == 0 || i == n {
			dx = 0
		}
		if j == 0 || j == n {
			dy = 0
		}
		return orb.Point{testMinLon + (float64(i)+dx)*cellW, testMinLat + (float64(j)+dy)*cellH}
	}
	type ij struct{ i, j int }
	// edge returns the points strictly between two adjacent nodes, from a to b.
	edge := func(a, b ij) []orb.Point {
		flip := a.i > b.i || (a.i == b.i && a.j > b.j)
		if flip {
			a, b = b, a
		}
		pa, pb := node(a.i, a.j), node(b.i, b.j)
		r := rand.New(rand.NewPCG(uint64(a.i*7919+a.j), uint64(b.i*104729+b.j)))
		dx, dy := pb[0]-pa[0], pb[1]-pa[1]
		steps := edgeSteps
		var pts []orb.Point
		for k := 1; k < steps; k++ {
			t := float64(k) / float64(steps)
			// The wiggle fades towards the ends so that edges meeting at a node never cross.
			off := (r.Float64() - 0.5) * 0.06 * math.Sin(math.Pi*t)
			pts = append(pts, orb.Point{pa[0] + t*dx - off*dy, pa[1] + t*dy + off*dx})
		}
		if flip {
			for l, r := 0, len(pts)-1; l < r; l, r = l+1, r-1 {
				pts[l], pts[r] = pts[r], pts[l]
			}
		}
		return pts
	}
	// block traces the counter-clockwise outline of cells [i0,i1)×[j0,j1).
	block := func(i0, j0, i1, j1 int) string {
		var nodes []ij
		for i := i0; i < i1; i++ {
			nodes = append(nodes, ij{i, j0})
		}
		for j := j0; j < j1; j++ {
			nodes = append(nodes, ij{i1, j})
		}
		for i := i1; i > i0; i-- {
			nodes = append(nodes, ij{i, j1})
		}
		for j := j1; j > j0; j-- {
			nodes = append(nodes, ij{i0, j})
		}
		var ring orb.Ring
		for k, a := range nodes {
			b := nodes[(k+1)%len(nodes)]
			ring = append(ring, node(a.i, a.j))
			ring = append(ring, edge(a, b)...)
		}
		ring = append(ring, ring[0])
		return polygonJSON(tb, orb.Polygon{ring})
	}

	city := &models.Area{Code: "92", Name: "Thành phố Cần Thơ", Level: models.AreaLevelCity, Path: "/92/", Depth: 0,
		Geometry: block(0, 0, n, n)}
	c.areas = append(c.areas, city)
	for di := 0; di < districtsPerSide; di++ {
		for dj := 0; dj < districtsPerSide; dj++ {
			dcode := fmt.Sprintf("D%02d%02d", di, dj)
			d := &models.Area{Code: dcode, ParentCode: ptr("92"), Name: "Quận " + dcode, Level: models.AreaLevelDistrict,
				Path: "/92/" + dcode + "/", Depth: 1,
				Geometry: block(di*wardsPerSide, dj*wardsPerSide, (di+1)*wardsPerSide, (dj+1)*wardsPerSide)}
			c.areas = append(c.areas, d)
			c.districts = append(c.districts, d)
			for wi := di * wardsPerSide; wi < (di+1)*wardsPerSide; wi++ {
				for wj := dj * wardsPerSide; wj < (dj+1)*wardsPerSide; wj++ {
					wcode := fmt.Sprintf("W%03d%03d", wi, wj)
					w := &models.Area{Code: wcode, ParentCode: ptr(dcode), Name: "Phường " + wcode, Level: models.AreaLevelWard,
						Path: d.Path + wcode + "/", Depth: 2, Geometry: block(wi, wj, wi+1, wj+1)}
					c.areas = append(c.areas, w)
					c.wards = append(c.wards, w)
				}
			}
		}
	}
	return c
}

func ptr[T any](v T) *T { return &v }

// polygonJSON encodes a polygon as GeoJSON geometry text.
func polygonJSON(tb testing.TB, p orb.Polygon) string {
	tb.Helper()
	return geometryJSON(tb, "Polygon", p)
}

func geometryJSON(tb testing.TB, typ string, coords any) string {
	tb.Helper()
	b, err := json.Marshal(map[string]any{"type": typ, "coordinates": coords})
	if err != nil {
		tb.Fatalf("encode geometry: %v", err)
	}
	return string(b)
}

// square returns the closed counter-clockwise ring of a square with corner (x, y) and side s.
func square(x, y, s float64) orb.Ring {
	return orb.Ring{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}
}

// reversed returns r in the opposite direction, as a hole is written.
func reversed(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

// randomPointIn returns a uniform point in the test extent.
func randomPointIn(r *rand.Rand) (lat, lon float64) {
	return testMinLat + r.Float64()*(testMaxLat-testMinLat), testMinLon + r.Float64()*(testMaxLon-testMinLon)
}

func mustAreaIndex(tb testing.TB, areas []*models.Area) *AreaIndex {
	tb.Helper()
	x, err := NewAreaIndex(areas)
	if err != nil {
		tb.Fatalf("NewAreaIndex: %v", err)
	}
	return x
}

func almostEqual(a, b, tol float64) bool { return math.Abs(a-b) <= tol }
