package demo

import (
	"math"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
	"kiemtra/refdata"
)

// movedWard is the ward whose data centroid is the same point as an earlier ward's (Thị trấn
// Thanh An, 31231), so Areas grows it from a moved point.
const movedWard = "31240"

var (
	testAreasOnce sync.Once
	testAreas     []*models.Area
	testUnits     *refdata.Units2021
	testAreasErr  error
)

// mustAreas returns the demo areas of the embedded 2021 units, built once for all tests.
func mustAreas(tb testing.TB) ([]*models.Area, *refdata.Units2021) {
	tb.Helper()
	testAreasOnce.Do(func() {
		testUnits, testAreasErr = refdata.CanTho2021()
		if testAreasErr == nil {
			testAreas, testAreasErr = Areas(testUnits)
		}
	})
	if testAreasErr != nil {
		tb.Fatalf("Areas: %v", testAreasErr)
	}
	return testAreas, testUnits
}

// shape is a parsed area: its polygons (a Polygon becomes a one-element list) and bounds.
type shape struct {
	area  *models.Area
	polys orb.MultiPolygon
	bound orb.Bound
}

func (s *shape) contains(p orb.Point) bool {
	return s.bound.Contains(p) && planar.MultiPolygonContains(s.polys, p)
}

func mustShape(tb testing.TB, a *models.Area) *shape {
	tb.Helper()
	g, err := geojson.UnmarshalGeometry([]byte(a.Geometry))
	if err != nil {
		tb.Fatalf("area %s: geometry does not parse: %v", a.Code, err)
	}
	s := &shape{area: a}
	switch v := g.Geometry().(type) {
	case orb.Polygon:
		s.polys = orb.MultiPolygon{v}
	case orb.MultiPolygon:
		s.polys = v
	default:
		tb.Fatalf("area %s: geometry is a %s, want Polygon or MultiPolygon", a.Code, g.Type)
	}
	s.bound = s.polys.Bound()
	return s
}

func mustShapes(tb testing.TB, areas []*models.Area) map[string]*shape {
	tb.Helper()
	m := make(map[string]*shape, len(areas))
	for _, a := range areas {
		m[a.Code] = mustShape(tb, a)
	}
	return m
}

func byLevel(areas []*models.Area, level string) []*models.Area {
	var out []*models.Area
	for _, a := range areas {
		if a.Level == level {
			out = append(out, a)
		}
	}
	return out
}

// distanceToBoundary is the planar distance in degrees from p to the nearest ring of s.
func distanceToBoundary(s *shape, p orb.Point) float64 {
	d := math.Inf(1)
	for _, poly := range s.polys {
		for _, ring := range poly {
			for k := 0; k+1 < len(ring); k++ {
				d = min(d, planar.DistanceFromSegment(ring[k], ring[k+1], p))
			}
		}
	}
	return d
}

func TestAreasListTheCityItsDistrictsAndWardsFromTheData(t *testing.T) {
	areas, u := mustAreas(t)
	if got := len(byLevel(areas, models.AreaLevelCity)); got != 1 {
		t.Errorf("cities: got %d, want 1", got)
	}
	if got := len(byLevel(areas, models.AreaLevelDistrict)); got != 9 {
		t.Errorf("districts: got %d, want 9", got)
	}
	if got := len(byLevel(areas, models.AreaLevelWard)); got != 83 {
		t.Errorf("wards: got %d, want 83", got)
	}
	if len(areas) != 1+9+83 {
		t.Fatalf("got %d areas, want 93", len(areas))
	}

	city := areas[0]
	if city.Code != "92" || city.Level != models.AreaLevelCity || city.TypeName != "Thành phố" ||
		city.Name != u.City.Name || city.ParentCode != nil {
		t.Errorf("city: got %+v", city)
	}

	type want struct {
		name, typeName, level, parent string
		lat, lon                      float64
	}
	wants := map[string]want{}
	for _, d := range u.Districts {
		wants[d.Code] = want{d.Name, d.Type, models.AreaLevelDistrict, "92", d.Lat, d.Lon}
		for _, w := range d.Wards {
			wants[w.Code] = want{w.Name, w.Type, models.AreaLevelWard, d.Code, w.Lat, w.Lon}
		}
	}
	seen := map[string]bool{}
	for _, a := range areas {
		t.Run(a.Code, func(t *testing.T) {
			if seen[a.Code] {
				t.Fatalf("code %s appears twice", a.Code)
			}
			if a.ParentCode != nil && !seen[*a.ParentCode] {
				t.Errorf("parent %s does not come before its child", *a.ParentCode)
			}
			seen[a.Code] = true
			if a.ValidFrom != models.NewDate(2020, 1, 1) || !a.ValidTo.IsZero() {
				t.Errorf("validity: got %s to %s, want 2020-01-01 to open", a.ValidFrom, a.ValidTo)
			}
			if a.Path != "" || a.Depth != 0 || !a.CreatedAt.IsZero() || !a.UpdatedAt.IsZero() {
				t.Errorf("store fields are set: path %q depth %d", a.Path, a.Depth)
			}
			if !utf8.ValidString(a.Name) || !norm.NFC.IsNormalString(a.Name) {
				t.Errorf("name %q is not NFC UTF-8", a.Name)
			}
			if a.Level == models.AreaLevelCity {
				return
			}
			w, ok := wants[a.Code]
			if !ok {
				t.Fatalf("code %s is not in the data", a.Code)
			}
			if a.Name != w.name || a.TypeName != w.typeName || a.Level != w.level ||
				a.ParentCode == nil || *a.ParentCode != w.parent {
				t.Errorf("got %q %q %s parent %v, want %q %q %s parent %s",
					a.Name, a.TypeName, a.Level, a.ParentCode, w.name, w.typeName, w.level, w.parent)
			}
			if a.Code != movedWard && (a.Lat != w.lat || a.Lon != w.lon) {
				t.Errorf("label point: got %v,%v, want the data centroid %v,%v", a.Lat, a.Lon, w.lat, w.lon)
			}
			if a.Code == movedWard && a.Lat == w.lat && a.Lon == w.lon {
				t.Errorf("the ward that shares its centroid kept it")
			}
		})
	}
}

func TestAreaGeometriesAreValidGeoJSONPolygons(t *testing.T) {
	areas, _ := mustAreas(t)
	for _, a := range areas {
		t.Run(a.Code, func(t *testing.T) {
			if !strings.HasPrefix(a.Geometry, `{"type":"Polygon",`) && !strings.HasPrefix(a.Geometry, `{"type":"MultiPolygon",`) {
				t.Fatalf("geometry starts %.30q", a.Geometry)
			}
			s := mustShape(t, a)
			for pi, poly := range s.polys {
				for ri, ring := range poly {
					checkRing(t, ring, ri == 0)
					if t.Failed() {
						t.Fatalf("polygon %d ring %d is invalid", pi, ri)
					}
				}
			}
		})
	}
}

// checkRing checks that a ring is closed, in WGS84 [lon, lat] order around Can Tho, oriented as
// RFC 7946 wants and simple: no vertex repeats and no two edges cross or touch except adjacent
// edges at their shared vertex.
func checkRing(t *testing.T, ring orb.Ring, exterior bool) {
	t.Helper()
	if len(ring) < 4 || !ring.Closed() {
		t.Errorf("ring of %d points is not closed", len(ring))
		return
	}
	for _, p := range ring {
		if p[0] < 104.5 || p[0] > 106.5 || p[1] < 9.5 || p[1] > 10.8 {
			t.Errorf("point %v is not [lon, lat] near Can Tho", p)
			return
		}
	}
	want := orb.CW
	if exterior {
		want = orb.CCW
	}
	if got := ring.Orientation(); got != want {
		t.Errorf("orientation: got %v, want %v (exterior %v)", got, want, exterior)
	}
	n := len(ring) - 1
	seen := map[orb.Point]bool{}
	for _, p := range ring[:n] {
		if seen[p] {
			t.Errorf("vertex %v repeats: the ring touches itself", p)
			return
		}
		seen[p] = true
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if j == i+1 || (i == 0 && j == n-1) {
				continue // adjacent edges share a vertex, and no vertex repeats
			}
			if segmentsTouch(ring[i], ring[i+1], ring[j], ring[j+1]) {
				t.Errorf("edges %v-%v and %v-%v intersect", ring[i], ring[i+1], ring[j], ring[j+1])
				return
			}
		}
	}
}

// segmentsTouch reports whether the closed segments ab and cd have a point in common.
func segmentsTouch(a, b, c, d orb.Point) bool {
	if max(a[0], b[0]) < min(c[0], d[0]) || max(c[0], d[0]) < min(a[0], b[0]) ||
		max(a[1], b[1]) < min(c[1], d[1]) || max(c[1], d[1]) < min(a[1], b[1]) {
		return false
	}
	cross := func(o, p, q orb.Point) float64 { return (p[0]-o[0])*(q[1]-o[1]) - (p[1]-o[1])*(q[0]-o[0]) }
	sign := func(v float64) int {
		switch {
		case v > 1e-15:
			return 1
		case v < -1e-15:
			return -1
		}
		return 0
	}
	d1, d2 := sign(cross(c, d, a)), sign(cross(c, d, b))
	d3, d4 := sign(cross(a, b, c)), sign(cross(a, b, d))
	if d1*d2 < 0 && d3*d4 < 0 {
		return true
	}
	// Collinear or touching cases: the bounding boxes overlap, so an endpoint on the other
	// segment's line is on the segment.
	return d1 == 0 || d2 == 0 || d3 == 0 || d4 == 0
}

func TestSegmentsTouchTellsCrossingTouchingAndApartSegments(t *testing.T) {
	p := func(x, y float64) orb.Point { return orb.Point{x, y} }
	tests := []struct {
		name       string
		a, b, c, d orb.Point
		want       bool
	}{
		{"crossing segments touch", p(0, 0), p(2, 2), p(0, 2), p(2, 0), true},
		{"a T junction touches", p(0, 0), p(2, 0), p(1, 0), p(1, 1), true},
		{"overlapping collinear segments touch", p(0, 0), p(2, 0), p(1, 0), p(3, 0), true},
		{"parallel segments do not touch", p(0, 0), p(2, 0), p(0, 1), p(2, 1), false},
		{"collinear segments with a gap do not touch", p(0, 0), p(1, 0), p(2, 0), p(3, 0), false},
		{"segments whose lines cross outside them do not touch", p(0, 0), p(1, 1), p(3, 0), p(2, 1), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := segmentsTouch(tc.a, tc.b, tc.c, tc.d); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// rowCrossings returns, sorted, the longitudes where the rings of s cross the latitude lat. A
// point on that latitude is inside s when an odd number of them lie west of it (even-odd rule,
// which holes and multipolygons obey too). It makes sampling a dense grid cheap: one pass over
// the edges per row instead of one per point.
func rowCrossings(s *shape, lat float64) []float64 {
	var xs []float64
	for _, poly := range s.polys {
		for _, ring := range poly {
			for k := 0; k+1 < len(ring); k++ {
				a, b := ring[k], ring[k+1]
				if (a[1] > lat) != (b[1] > lat) {
					xs = append(xs, a[0]+(lat-a[1])*(b[0]-a[0])/(b[1]-a[1]))
				}
			}
		}
	}
	sort.Float64s(xs)
	return xs
}

func insideRow(xs []float64, lon float64) bool { return sort.SearchFloat64s(xs, lon)%2 == 1 }

func TestEveryPointOfTheCityIsInExactlyOneWardAndItsDistrict(t *testing.T) {
	areas, _ := mustAreas(t)
	shapes := mustShapes(t, areas)
	city := shapes["92"]
	var parts []*shape // districts and wards
	for _, a := range areas[1:] {
		parts = append(parts, shapes[a.Code])
	}

	// Points sit between the grid lines that boundaries run on (never on a boundary), and the
	// step is not a multiple of the cell, so the sample sweeps every position within a cell.
	const step = 0.0011
	inCity, checked := 0, 0
	for lat := city.bound.Min[1] - 0.01 + 0.00023; lat < city.bound.Max[1]+0.01; lat += step {
		cityXs := rowCrossings(city, lat)
		var rowParts []*shape
		var rowXs [][]float64
		for _, s := range parts {
			if lat > s.bound.Min[1] && lat < s.bound.Max[1] {
				rowParts = append(rowParts, s)
				rowXs = append(rowXs, rowCrossings(s, lat))
			}
		}
		for lon := city.bound.Min[0] - 0.01 + 0.00041; lon < city.bound.Max[0]+0.01; lon += step {
			checked++
			var ward, district string
			wards, districts := 0, 0
			for k, s := range rowParts {
				if lon < s.bound.Min[0] || lon > s.bound.Max[0] || !insideRow(rowXs[k], lon) {
					continue
				}
				if s.area.Level == models.AreaLevelWard {
					wards++
					ward = s.area.Code
				} else {
					districts++
					district = s.area.Code
				}
			}
			p := orb.Point{lon, lat}
			if !insideRow(cityXs, lon) {
				if wards > 0 || districts > 0 {
					t.Fatalf("%v is outside the city but in %d wards and %d districts", p, wards, districts)
				}
				continue
			}
			inCity++
			if wards != 1 || districts != 1 {
				t.Fatalf("%v is in the city and in %d wards and %d districts, want one of each", p, wards, districts)
			}
			if parent := *shapes[ward].area.ParentCode; parent != district {
				t.Fatalf("%v is in ward %s of district %s but in district %s", p, ward, parent, district)
			}
		}
	}
	// About 1,800 km2 at 0.0011 degree (0.015 km2) a point.
	if inCity < 100000 {
		t.Errorf("only %d of %d sample points are in the city", inCity, checked)
	}
}

// unitEdges splits every ring edge of s into directed edges one cell long, keyed by their start
// and end vertices in cell units. Ward boundaries run along grid lines, so this is exact.
func unitEdges(t *testing.T, s *shape) map[[4]int]int {
	t.Helper()
	edges := map[[4]int]int{}
	grid := func(v float64) int {
		g := math.Round(v * cellsPerDeg)
		if math.Abs(g-v*cellsPerDeg) > 1e-6 {
			t.Fatalf("area %s: coordinate %v is off the grid", s.area.Code, v)
		}
		return int(g)
	}
	for _, poly := range s.polys {
		for _, ring := range poly {
			for k := 0; k+1 < len(ring); k++ {
				x0, y0, x1, y1 := grid(ring[k][0]), grid(ring[k][1]), grid(ring[k+1][0]), grid(ring[k+1][1])
				if x0 != x1 && y0 != y1 {
					t.Fatalf("area %s: edge %v-%v is not along a grid line", s.area.Code, ring[k], ring[k+1])
				}
				dx, dy := sgn(x1-x0), sgn(y1-y0)
				for x, y := x0, y0; x != x1 || y != y1; x, y = x+dx, y+dy {
					edges[[4]int{x, y, x + dx, y + dy}]++
				}
			}
		}
	}
	return edges
}

func sgn(v int) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// unionEdges adds the parts' edges; an edge shared by two parts appears once in each direction
// and cancels, which leaves the boundary of the union.
func unionEdges(parts []map[[4]int]int) map[[4]int]int {
	sum := map[[4]int]int{}
	for _, p := range parts {
		for e, n := range p {
			rev := [4]int{e[2], e[3], e[0], e[1]}
			for range n {
				if sum[rev] > 0 {
					sum[rev]--
					if sum[rev] == 0 {
						delete(sum, rev)
					}
				} else {
					sum[e]++
				}
			}
		}
	}
	return sum
}

func TestDistrictsAndTheCityAreExactlyTheUnionOfTheirParts(t *testing.T) {
	areas, _ := mustAreas(t)
	shapes := mustShapes(t, areas)
	children := map[string][]map[[4]int]int{}
	for _, a := range areas {
		if a.ParentCode != nil {
			children[*a.ParentCode] = append(children[*a.ParentCode], unitEdges(t, shapes[a.Code]))
		}
	}
	for _, a := range areas {
		if a.Level == models.AreaLevelWard {
			continue
		}
		t.Run(a.Name+" is the union of its "+map[bool]string{true: "districts", false: "wards"}[a.Level == models.AreaLevelCity], func(t *testing.T) {
			got := unionEdges(children[a.Code])
			want := unitEdges(t, shapes[a.Code])
			for e, n := range got {
				if n != 1 {
					t.Fatalf("edge %v is on the children's boundary %d times: they overlap", e, n)
				}
				if want[e] != 1 {
					t.Fatalf("edge %v of the children's union is not on the area's boundary", e)
				}
			}
			if len(got) != len(want) {
				t.Fatalf("the area's boundary has %d unit edges, the union of its children %d", len(want), len(got))
			}
		})
	}
}

func TestEveryAreaContainsItsLabelPointStrictly(t *testing.T) {
	areas, u := mustAreas(t)
	shapes := mustShapes(t, areas)
	for _, a := range areas {
		t.Run(a.Code, func(t *testing.T) {
			p := orb.Point{a.Lon, a.Lat}
			s := shapes[a.Code]
			if !s.contains(p) || distanceToBoundary(s, p) < 1e-6 {
				t.Errorf("label point %v is not strictly inside", p)
			}
		})
	}
	// The moved ward's data centroid still lies strictly inside the ward that keeps it.
	for _, d := range u.Districts {
		for _, w := range d.Wards {
			if w.Code != movedWard {
				continue
			}
			p := orb.Point{w.Lon, w.Lat}
			var in []string
			for _, x := range byLevel(areas, models.AreaLevelWard) {
				if shapes[x.Code].contains(p) {
					in = append(in, x.Code)
				}
			}
			if len(in) != 1 || in[0] != "31231" || distanceToBoundary(shapes["31231"], p) < 1e-6 {
				t.Errorf("the shared centroid %v is in wards %v, want strictly in 31231", p, in)
			}
		}
	}
}

func TestEveryWardIsOnePieceOfAtLeastFifteenCells(t *testing.T) {
	areas, _ := mustAreas(t)
	cell := 1.0 / (cellsPerDeg * cellsPerDeg)
	for _, a := range byLevel(areas, models.AreaLevelWard) {
		s := mustShape(t, a)
		if len(s.polys) != 1 {
			t.Errorf("ward %s %s has %d pieces", a.Code, a.Name, len(s.polys))
		}
		if cells := planar.Area(s.polys) / cell; cells < 15 {
			t.Errorf("ward %s %s has %.0f cells, want at least 15", a.Code, a.Name, cells)
		}
	}
}

func TestTheCityIsOneOrganicPolygonWithoutHoles(t *testing.T) {
	areas, _ := mustAreas(t)
	s := mustShape(t, areas[0])
	if len(s.polys) != 1 || len(s.polys[0]) != 1 {
		t.Fatalf("the city has %d polygons, the first with %d rings; want one ring", len(s.polys), len(s.polys[0]))
	}
	// Not a rectangle: the outline has many vertices and fills its bounding box loosely.
	ring := s.polys[0][0]
	if len(ring) < 200 {
		t.Errorf("the outline has %d vertices, want an organic one", len(ring))
	}
	boxArea := (s.bound.Max[0] - s.bound.Min[0]) * (s.bound.Max[1] - s.bound.Min[1])
	if fill := planar.Area(ring) / boxArea; fill > 0.8 {
		t.Errorf("the city fills %.0f%% of its bounding box, want an irregular outline", 100*fill)
	}
	// Can Tho covers about 1,440 km2; a demo outline of the same order looks right on a map.
	km2 := planar.Area(ring) * kmPerDegLat * kmPerDegLon
	if km2 < 1000 || km2 > 2500 {
		t.Errorf("the city covers %.0f km2, want 1,000 to 2,500", km2)
	}
}

func TestAllAreaGeoJSONTogetherStaysUnderOnePointFiveMegabytes(t *testing.T) {
	areas, _ := mustAreas(t)
	total := 0
	for _, a := range areas {
		total += len(a.Geometry)
	}
	if total > 1_500_000 {
		t.Errorf("the geometries take %d bytes, want at most 1.5 MB", total)
	}
}

func TestAreasAreDeterministic(t *testing.T) {
	first, u := mustAreas(t)
	again, err := Areas(u)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, again) {
		t.Error("two runs on the same units differ")
	}
}

func TestAreasRefusesUnitsItCannotDraw(t *testing.T) {
	oneWard := func() *refdata.Units2021 {
		u := &refdata.Units2021{}
		u.City.Code, u.City.Name = "92", "Thành phố Cần Thơ"
		u.Districts = []refdata.District{{Code: "916", Name: "Quận Ninh Kiều", Type: "Quận", Lat: 10.03, Lon: 105.77,
			Wards: []refdata.Ward{{Code: "31117", Name: "Phường Cái Khế", Type: "Phường", Lat: 10.03, Lon: 105.77}}}}
		return u
	}
	tests := []struct {
		name  string
		units func() *refdata.Units2021
	}{
		{"nil units are refused", func() *refdata.Units2021 { return nil }},
		{"units without districts are refused", func() *refdata.Units2021 { return &refdata.Units2021{} }},
		{"a district without wards is refused", func() *refdata.Units2021 {
			u := oneWard()
			u.Districts[0].Wards = nil
			return u
		}},
		{"a ward code that appears twice is refused", func() *refdata.Units2021 {
			u := oneWard()
			u.Districts[0].Wards = append(u.Districts[0].Wards, u.Districts[0].Wards[0])
			u.Districts[0].Wards[1].Lat += 0.05
			return u
		}},
		{"wards too far apart to form one city are refused", func() *refdata.Units2021 {
			u := oneWard()
			u.Districts[0].Wards = append(u.Districts[0].Wards,
				refdata.Ward{Code: "31999", Name: "Xã Xa", Type: "Xã", Lat: 10.3, Lon: 105.77})
			return u
		}},
		{"a district centroid outside its wards is refused", func() *refdata.Units2021 {
			u := oneWard()
			u.Districts[0].Lat = 10.2
			return u
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Areas(tc.units()); err == nil {
				t.Error("got no error")
			}
		})
	}

	t.Run("a single ward becomes the whole city", func(t *testing.T) {
		areas, err := Areas(oneWard())
		if err != nil {
			t.Fatal(err)
		}
		if len(areas) != 3 || areas[0].Geometry != areas[1].Geometry || areas[1].Geometry != areas[2].Geometry {
			t.Errorf("got %d areas with different geometries", len(areas))
		}
	})
}
