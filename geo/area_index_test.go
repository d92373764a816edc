package geo

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"kiemtra/models"
)

// enclaveFixture is a small tree with the shapes that trip point-in-polygon code: a ward with a
// hole, an enclave ward filling the hole, a ward of two separate parts, and a ward without
// geometry.
//
//	city 0..10 × 0..10
//	  district D1 0..10 × 0..10 (same outline as the city)
//	    ward A  0..5 × 0..10 with a hole 1..3 × 1..3
//	    ward E  1..3 × 1..3 (the enclave in A's hole)
//	    ward B  5..10 × 0..5, plus an island 20..21 × 20..21
//	    ward C  5..10 × 5..10
//	    ward N  no geometry
func enclaveFixture(t *testing.T) []*models.Area {
	t.Helper()
	rect := func(x0, y0, x1, y1 float64) orb.Ring {
		return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	}
	return []*models.Area{
		{Code: "CITY", Name: "City", Level: models.AreaLevelCity, Path: "/CITY/",
			Geometry: polygonJSON(t, orb.Polygon{rect(0, 0, 10, 10)})},
		{Code: "D1", ParentCode: ptr("CITY"), Name: "District", Level: models.AreaLevelDistrict, Path: "/CITY/D1/", Depth: 1,
			Geometry: polygonJSON(t, orb.Polygon{rect(0, 0, 10, 10)})},
		{Code: "A", ParentCode: ptr("D1"), Name: "Ward A", Level: models.AreaLevelWard, Path: "/CITY/D1/A/", Depth: 2,
			Geometry: polygonJSON(t, orb.Polygon{rect(0, 0, 5, 10), reversed(rect(1, 1, 3, 3))})},
		{Code: "E", ParentCode: ptr("D1"), Name: "Ward E", Level: models.AreaLevelWard, Path: "/CITY/D1/E/", Depth: 2,
			Geometry: polygonJSON(t, orb.Polygon{rect(1, 1, 3, 3)})},
		{Code: "B", ParentCode: ptr("D1"), Name: "Ward B", Level: models.AreaLevelWard, Path: "/CITY/D1/B/", Depth: 2,
			Geometry: geometryJSON(t, "MultiPolygon", orb.MultiPolygon{{rect(5, 0, 10, 5)}, {rect(20, 20, 21, 21)}})},
		{Code: "C", ParentCode: ptr("D1"), Name: "Ward C", Level: models.AreaLevelWard, Path: "/CITY/D1/C/", Depth: 2,
			Geometry: polygonJSON(t, orb.Polygon{rect(5, 5, 10, 10)})},
		{Code: "N", ParentCode: ptr("D1"), Name: "Ward N", Level: models.AreaLevelWard, Path: "/CITY/D1/N/", Depth: 2},
	}
}

func nan() float64 { return math.NaN() }

func codes(areas []*models.Area) string {
	var b strings.Builder
	for i, a := range areas {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(a.Code)
	}
	return b.String()
}

func TestAreaIndexLocate(t *testing.T) {
	x := mustAreaIndex(t, enclaveFixture(t))
	for _, tc := range []struct {
		name     string
		lat, lon float64
		want     string // Locate's code, "" for nil
		wantAll  string // LocateAll's codes, root first
	}{
		{"a point in a plain ward finds the ward", 8, 7, "C", "CITY,D1,C"},
		{"a point in a ward with a hole finds that ward", 8, 2, "A", "CITY,D1,A"},
		{"a point in the hole finds the enclave, not the ward around it", 2, 2, "E", "CITY,D1,E"},
		{"a point on an island finds the ward the island belongs to", 20.5, 20.5, "B", "B"},
		{"a point on a shared boundary finds the smaller ward", 5, 7, "C", "CITY,D1,B,C"},
		{"a point on the edge of a hole belongs to the enclave only", 2, 1, "E", "CITY,D1,E"},
		{"a point outside every area finds nothing", -1, -1, "", ""},
		{"a point between the city and the island finds nothing", 15, 15, "", ""},
		{"a NaN position finds nothing", nan(), 2, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := x.Locate(tc.lat, tc.lon)
			gotCode := ""
			if got != nil {
				gotCode = got.Code
			}
			if gotCode != tc.want {
				t.Fatalf("Locate(%v, %v) = %q, want %q", tc.lat, tc.lon, gotCode, tc.want)
			}
			if all := codes(x.LocateAll(tc.lat, tc.lon)); all != tc.wantAll {
				t.Fatalf("LocateAll(%v, %v) = %q, want %q", tc.lat, tc.lon, all, tc.wantAll)
			}
		})
	}
}

func TestAreaIndexLookups(t *testing.T) {
	areas := enclaveFixture(t)
	x := mustAreaIndex(t, areas)
	t.Run("Len counts areas with and without geometry", func(t *testing.T) {
		if x.Len() != len(areas) {
			t.Fatalf("Len = %d, want %d", x.Len(), len(areas))
		}
	})
	t.Run("an area without geometry is found by code", func(t *testing.T) {
		if a := x.Area("N"); a == nil || a.Name != "Ward N" {
			t.Fatalf("Area(N) = %+v", a)
		}
	})
	t.Run("an unknown code finds nothing", func(t *testing.T) {
		if a := x.Area("nope"); a != nil {
			t.Fatalf("Area(nope) = %+v", a)
		}
	})
	t.Run("changing the caller's area afterwards does not change the index", func(t *testing.T) {
		areas[5].Name = "renamed"
		if got := x.Area("C").Name; got != "Ward C" {
			t.Fatalf("Area(C).Name = %q", got)
		}
	})
	for _, tc := range []struct {
		name     string
		code     string
		lat, lon float64
		want     bool
	}{
		{"Contains is true inside the area", "A", 8, 2, true},
		{"Contains is true inside an ancestor", "CITY", 8, 2, true},
		{"Contains is false in the area's hole", "A", 2, 2, false},
		{"Contains is true on the area's boundary", "C", 5, 7, true},
		{"Contains is false for an area without geometry", "N", 8, 2, false},
		{"Contains is false for an unknown code", "nope", 8, 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := x.Contains(tc.code, tc.lat, tc.lon); got != tc.want {
				t.Fatalf("Contains(%s, %v, %v) = %v, want %v", tc.code, tc.lat, tc.lon, got, tc.want)
			}
		})
	}
	t.Run("a nil index finds nothing", func(t *testing.T) {
		var n *AreaIndex
		if n.Locate(1, 1) != nil || n.LocateAll(1, 1) != nil || n.Area("A") != nil || n.Contains("A", 1, 1) || n.Len() != 0 {
			t.Fatal("a nil index answered")
		}
	})
}

func TestAreaIndexDepthFromParents(t *testing.T) {
	// Areas fresh from an import have no Path; depth then comes from the parent chain, so the
	// ward still wins over a same-sized district.
	areas := []*models.Area{
		{Code: "W", ParentCode: ptr("D"), Geometry: polygonJSON(t, orb.Polygon{square(0, 0, 2)})},
		{Code: "D", Geometry: polygonJSON(t, orb.Polygon{square(0, 0, 2)})},
	}
	x := mustAreaIndex(t, areas)
	if got := x.Locate(1, 1); got == nil || got.Code != "W" {
		t.Fatalf("Locate = %+v, want the ward", got)
	}
	if all := codes(x.LocateAll(1, 1)); all != "D,W" {
		t.Fatalf("LocateAll = %s, want D,W", all)
	}
}

func TestNewAreaIndexRejects(t *testing.T) {
	good := polygonJSON(t, orb.Polygon{square(0, 0, 1)})
	for _, tc := range []struct {
		name      string
		areas     []*models.Area
		wantField string
		wantText  string
	}{
		{"a geometry that does not parse is named by area code",
			[]*models.Area{{Code: "OK", Geometry: good}, {Code: "31117", Geometry: `{"type":"Point","coordinates":[1,2]}`}},
			"areas[1].geometry", "area 31117"},
		{"a duplicate code is refused",
			[]*models.Area{{Code: "X", Geometry: good}, {Code: "X"}}, "areas[1].code", "appears twice"},
		{"an empty code is refused", []*models.Area{{Geometry: good}}, "areas[0].code", "no code"},
		{"a nil area is refused", []*models.Area{nil}, "areas[0]", "missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewAreaIndex(tc.areas)
			e := models.ErrorAs(err)
			if e == nil || e.Code != models.EINVALID {
				t.Fatalf("NewAreaIndex error = %v, want invalid", err)
			}
			if e.Field != tc.wantField || !strings.Contains(e.Message, tc.wantText) {
				t.Fatalf("error field %q message %q, want field %q containing %q", e.Field, e.Message, tc.wantField, tc.wantText)
			}
			if !strings.Contains(e.MessageVI, "địa bàn") {
				t.Fatalf("Vietnamese message %q does not name the area", e.MessageVI)
			}
		})
	}
	t.Run("no areas make an empty index", func(t *testing.T) {
		x := mustAreaIndex(t, nil)
		if x.Len() != 0 || x.Locate(10, 105) != nil {
			t.Fatal("empty index answered")
		}
	})
}

// TestAreaIndexAgreesWithBruteForce checks the index against testing every polygon, on a
// tessellation where every point of the city is in exactly one ward.
func TestAreaIndexAgreesWithBruteForce(t *testing.T) {
	for _, tc := range []struct {
		name                    string
		districts, wards, steps int
		points                  int
	}{
		{"a city of 81 wards locates like a scan of all polygons", 3, 3, 4, 3000},
		{"a city of 81 wards of 400 vertices locates like a scan of all polygons", 3, 3, 100, 1000},
		{"a city of 10,000 wards locates like a scan of all polygons", 10, 10, 4, 300},
	} {
		t.Run(tc.name, func(t *testing.T) {
			city := newDetailedTestCity(t, tc.districts, tc.wards, tc.steps)
			x := mustAreaIndex(t, city.areas)
			parsed := make([]orb.Polygon, len(city.wards))
			bounds := make([]orb.Bound, len(city.wards))
			for i, w := range city.wards {
				g, err := ParseGeometry(w.Geometry)
				if err != nil {
					t.Fatal(err)
				}
				parsed[i], bounds[i] = g.(orb.Polygon), g.Bound()
			}
			r := rand.New(rand.NewPCG(1, 2))
			for k := 0; k < tc.points; k++ {
				lat, lon := randomPointIn(r)
				var want []string
				for i, g := range parsed {
					if bounds[i].Contains(orb.Point{lon, lat}) && planar.PolygonContains(g, orb.Point{lon, lat}) {
						want = append(want, city.wards[i].Code)
					}
				}
				got := x.Locate(lat, lon)
				if len(want) == 0 {
					// The city's wiggly outline leaves a little of the box outside.
					if got != nil {
						t.Fatalf("Locate(%v, %v) = %s outside every ward", lat, lon, got.Code)
					}
					continue
				}
				if len(want) > 1 {
					t.Fatalf("the tessellation is broken: %v contain (%v, %v)", want, lat, lon)
				}
				if got == nil || got.Code != want[0] {
					t.Fatalf("Locate(%v, %v) = %+v, want %s", lat, lon, got, want[0])
				}
				all := x.LocateAll(lat, lon)
				if len(all) != 3 || all[0].Code != "92" || all[1].Code != *got.ParentCode || all[2] != got {
					t.Fatalf("LocateAll(%v, %v) = %s, want city, district, ward", lat, lon, codes(all))
				}
			}
		})
	}
}

func TestAreaIndexBoundaryIsInside(t *testing.T) {
	for _, tc := range []struct {
		name  string
		steps int
	}{
		{"every vertex of a 16-vertex ward is in the ward", 4},
		{"every vertex of a 400-vertex ward is in the ward", 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			city := newDetailedTestCity(t, 1, 2, tc.steps)
			x := mustAreaIndex(t, city.areas)
			for _, w := range city.wards {
				g, _ := ParseGeometry(w.Geometry)
				for _, v := range g.(orb.Polygon)[0] {
					if !x.Contains(w.Code, v[1], v[0]) || !planar.PolygonContains(g.(orb.Polygon), v) {
						t.Fatalf("vertex %v of %s is not in it", v, w.Code)
					}
				}
			}
		})
	}
}
