package geo

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"kiemtra/models"
)

// kinds summarises problems as "code:kind[:other]" for comparison.
func kinds(ps []GeometryProblem) string {
	var parts []string
	for _, p := range ps {
		s := p.Code + ":" + p.Kind
		if p.Other != "" {
			s += ":" + p.Other
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ",")
}

func TestValidateAreaGeometriesOneArea(t *testing.T) {
	poly := func(rings ...[][]float64) string {
		return geometryJSON(t, "Polygon", rings)
	}
	ring := func(pts ...float64) [][]float64 {
		var r [][]float64
		for i := 0; i+1 < len(pts); i += 2 {
			r = append(r, []float64{pts[i], pts[i+1]})
		}
		return r
	}
	shell := ring(0, 0, 4, 0, 4, 4, 0, 4, 0, 0)
	for _, tc := range []struct {
		name     string
		geometry string
		want     string // kinds, comma-separated
		wantEN   string // a part of the first English message
		wantVI   string // a part of the first Vietnamese message
	}{
		{"a plain square has no problem", poly(shell), "", "", ""},
		{"an area without geometry is not checked", "", "", "", ""},
		{"repeated consecutive positions are not a problem", poly(ring(0, 0, 4, 0, 4, 0, 4, 4, 0, 4, 0, 4, 0, 0)), "", "", ""},
		{"text that is not JSON is invalid", "{", "invalid_geometry", "not a GeoJSON object", "không phải đối tượng GeoJSON"},
		{"a point is invalid and named", `{"type":"Point","coordinates":[105.78,10.03]}`, "invalid_geometry", `"Point" is not Polygon`, `kiểu hình học "Point"`},
		{"a ring of three positions is invalid", poly(ring(0, 0, 1, 0, 0, 0)), "invalid_geometry", "fewer than 4", "ít hơn 4"},
		{"a ring of two distinct positions is invalid", poly(ring(0, 0, 1, 0, 1, 0, 0, 0)), "invalid_geometry", "fewer than 3 distinct", "ít hơn 3 tọa độ phân biệt"},
		{"latitude written first is out of range", poly(ring(10.03, 105.78, 10.04, 105.78, 10.04, 105.79, 10.03, 105.78)),
			"invalid_geometry", "outside the WGS84", "nằm ngoài phạm vi kinh độ/vĩ độ WGS84"},
		{"an unclosed outer ring is reported", poly(ring(0, 0, 4, 0, 4, 4, 0, 4)),
			"A:unclosed_ring", "ring 0 of polygon 0 is not closed", "vòng 0 của đa giác 0 không khép kín"},
		{"an unclosed hole is reported as ring 1", poly(shell, ring(1, 1, 1, 2, 2, 2, 2, 1)),
			"A:unclosed_ring", "ring 1 of polygon 0 is not closed", "vòng 1 của đa giác 0 không khép kín"},
		{"a bow tie intersects itself", poly(ring(0, 0, 4, 4, 4, 0, 0, 4, 0, 0)),
			"A:self_intersection", "ring 0 of polygon 0 intersects itself near lat 2.000000, lon 2.000000", "vòng 0 của đa giác 0 tự cắt"},
		{"a ring passing twice through a vertex intersects itself", poly(ring(0, 0, 2, 0, 2, 2, 4, 2, 4, 4, 2, 4, 2, 2, 0, 2, 0, 0)),
			"A:self_intersection", "near lat 2.000000, lon 2.000000", "gần vĩ độ 2.000000, kinh độ 2.000000"},
		{"a vertex touching another edge intersects itself", poly(ring(0, 0, 4, 0, 4, 4, 2, 0.0, 0, 4, 0, 0)),
			"A:self_intersection", "near lat 0.000000, lon 2.000000", "tự cắt"},
		{"a spike that doubles back intersects itself", poly(ring(0, 0, 4, 0, 6, 0, 4, 0, 4, 4, 0, 4, 0, 0)),
			"A:self_intersection", "intersects itself", "tự cắt"},
		{"a hole beside the polygon is outside its shell", poly(shell, ring(5, 1, 5, 2, 6, 2, 5, 1)),
			"A:hole_outside_shell", "ring 1 of polygon 0 is a hole that is not inside", "không nằm trong vòng ngoài"},
		{"a hole sticking out of the shell is outside it", poly(shell, ring(1, 1, 1, 2, 6, 2, 1, 1)),
			"A:hole_outside_shell", "ring 1 of polygon 0", "vòng 1 của đa giác 0"},
		{"a hole that crosses the shell without a vertex outside is outside it",
			poly(ring(0, 0, 4, 0, 4, 4, 3, 4, 2, 1, 1, 4, 0, 4, 0, 0), ring(1, 3, 3, 3, 3, 3.5, 1, 3.5, 1, 3)),
			"A:hole_outside_shell", "ring 1", "vòng 1"},
		{"a hole touching its shell at one point is allowed", poly(shell, ring(0, 2, 1, 1, 1, 3, 0, 2)), "", "", ""},
		{"a ring can have several problems", poly(ring(0, 0, 4, 4, 4, 0, 0, 4)),
			"A:unclosed_ring,A:self_intersection", "not closed", "không khép kín"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ValidateAreaGeometries([]*models.Area{{Code: "A", Geometry: tc.geometry}})
			want := tc.want
			if want == "invalid_geometry" {
				want = "A:invalid_geometry"
			}
			if k := kinds(got); k != want {
				t.Fatalf("problems %s, want %s (%+v)", k, want, got)
			}
			if len(got) == 0 {
				return
			}
			if !strings.Contains(got[0].Message, tc.wantEN) {
				t.Fatalf("message %q does not contain %q", got[0].Message, tc.wantEN)
			}
			if !strings.Contains(got[0].MessageVI, tc.wantVI) {
				t.Fatalf("Vietnamese message %q does not contain %q", got[0].MessageVI, tc.wantVI)
			}
		})
	}
}

func TestValidateAreaGeometriesOverlaps(t *testing.T) {
	sq := func(code string, parent *string, x, y, s float64) *models.Area {
		return &models.Area{Code: code, ParentCode: parent, Geometry: polygonJSON(t, orb.Polygon{square(x, y, s)})}
	}
	withGeometry := func(code string, parent *string, rings ...orb.Ring) *models.Area {
		return &models.Area{Code: code, ParentCode: parent, Geometry: polygonJSON(t, orb.Polygon(rings))}
	}
	d := ptr("D")
	dated := func(a *models.Area, from, to string) *models.Area {
		if from != "" {
			a.ValidFrom, _ = models.ParseDate(from)
		}
		if to != "" {
			a.ValidTo, _ = models.ParseDate(to)
		}
		return a
	}
	// zigzag is the square 2..4 × 0..2 whose west edge (shared with square 0..2) was digitised
	// again with sub-millimetre noise on both sides of the line.
	zigzag := orb.Ring{{2, 0}, {4, 0}, {4, 2}, {2, 2}}
	for k := 19; k >= 1; k-- {
		zigzag = append(zigzag, orb.Point{2 + 1e-9*math.Pow(-1, float64(k)), float64(k) / 10})
	}
	zigzag = append(zigzag, orb.Point{2, 0})
	for _, tc := range []struct {
		name  string
		areas []*models.Area
		want  string
	}{
		{"neighbours sharing an edge do not overlap", []*models.Area{sq("A", d, 0, 0, 2), sq("B", d, 2, 0, 2)}, ""},
		{"neighbours sharing only a corner do not overlap", []*models.Area{sq("A", d, 0, 0, 2), sq("B", d, 2, 2, 2)}, ""},
		{"an extra vertex on a shared edge is not an overlap", []*models.Area{
			sq("A", d, 0, 0, 2),
			withGeometry("B", d, orb.Ring{{2, 0}, {4, 0}, {4, 2}, {2, 2}, {2, 1}, {2, 0}})}, ""},
		{"a shared edge digitised twice with rounding noise is not an overlap", []*models.Area{
			sq("A", d, 0, 0, 2), withGeometry("B", d, zigzag)}, ""},
		{"siblings overlapping by a strip overlap", []*models.Area{sq("A", d, 0, 0, 2), sq("B", d, 1.5, 0, 2)}, "A:overlap:B"},
		{"siblings overlapping by 1 cm are within tolerance", []*models.Area{sq("A", d, 0, 0, 2), sq("B", d, 2-1e-7, 0, 2)}, ""},
		{"siblings overlapping by 10 m overlap", []*models.Area{sq("A", d, 0, 0, 2), sq("B", d, 2-1e-4, 0, 2)}, "A:overlap:B"},
		{"a sibling inside another overlaps it", []*models.Area{sq("BIG", d, 0, 0, 10), sq("SMALL", d, 2, 2, 1)}, "BIG:overlap:SMALL"},
		{"a duplicated area overlaps its twin", []*models.Area{sq("A", d, 0, 0, 2), sq("A2", d, 0, 0, 2)}, "A:overlap:A2"},
		{"a plus-shaped crossing overlaps though no vertex is inside the other", []*models.Area{
			withGeometry("H", d, orb.Ring{{0, 4}, {10, 4}, {10, 6}, {0, 6}, {0, 4}}),
			withGeometry("V", d, orb.Ring{{4, 0}, {6, 0}, {6, 10}, {4, 10}, {4, 0}})}, "H:overlap:V"},
		{"half of a square overlaps the square", []*models.Area{
			sq("SQ", d, 0, 0, 2), withGeometry("TRI", d, orb.Ring{{0, 0}, {2, 0}, {2, 2}, {0, 0}})}, "SQ:overlap:TRI"},
		{"a pair is reported once, under the area listed first", []*models.Area{
			sq("Z", d, 1.5, 0, 2), sq("A", d, 0, 0, 2), sq("M", d, 10, 10, 1)}, "Z:overlap:A"},
		{"areas with different parents may overlap", []*models.Area{sq("A", d, 0, 0, 2), sq("B", ptr("OTHER"), 1, 1, 2)}, ""},
		{"a ward overlapping its own district is not a sibling overlap", []*models.Area{sq("D", nil, 0, 0, 4), sq("W", d, 0, 0, 2)}, ""},
		{"a unit that starts the day after a sibling ends may cover its ground", []*models.Area{
			dated(sq("COMMUNE", d, 0, 0, 4), "2025-07-01", ""), dated(sq("DISTRICT", d, 0, 0, 2), "", "2025-06-30")}, ""},
		{"a unit that starts on the day a sibling ends overlaps it", []*models.Area{
			dated(sq("COMMUNE", d, 0, 0, 4), "2025-07-01", ""), dated(sq("DISTRICT", d, 0, 0, 2), "", "2025-07-01")}, "COMMUNE:overlap:DISTRICT"},
		{"an open-ended sibling overlaps a dated one", []*models.Area{
			dated(sq("COMMUNE", d, 0, 0, 4), "2025-07-01", ""), sq("DISTRICT", d, 0, 0, 2)}, "COMMUNE:overlap:DISTRICT"},
		{"areas without a parent are siblings of each other", []*models.Area{sq("R1", nil, 0, 0, 2), sq("R2", nil, 1, 1, 2)}, "R1:overlap:R2"},
		{"an invalid area is left out of the overlap check", []*models.Area{
			sq("A", d, 0, 0, 2), {Code: "BAD", ParentCode: d, Geometry: `{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}`}},
			"BAD:invalid_geometry"},
		{"overlaps come after the problems of single areas", []*models.Area{
			sq("A", d, 0, 0, 2), sq("B", d, 1, 1, 2),
			{Code: "C", ParentCode: d, Geometry: `{"type":"Polygon","coordinates":[[[10,10],[11,10],[11,11],[10,11]]]}`}},
			"C:unclosed_ring,A:overlap:B"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ValidateAreaGeometries(tc.areas)
			if k := kinds(got); k != tc.want {
				t.Fatalf("problems %s, want %s (%+v)", k, tc.want, got)
			}
			for _, p := range got {
				if p.Kind == ProblemOverlap && (!strings.Contains(p.Message, "overlaps area "+p.Other) || !strings.Contains(p.MessageVI, "chồng lấn địa bàn "+p.Other)) {
					t.Fatalf("overlap messages do not name the other area: %q / %q", p.Message, p.MessageVI)
				}
			}
		})
	}
}

func TestValidateAreaGeometriesAcceptsATessellation(t *testing.T) {
	city := newTestCity(t, 3, 3)
	if got := ValidateAreaGeometries(city.areas); len(got) != 0 {
		t.Fatalf("a clean tessellation has problems: %+v", got)
	}
}

// starRing is a closed star-shaped ring of n vertices around (105.8, 10) with a wavy radius:
// simple, and with thousands of edges like a real ward traced from a cadastral map.
func starRing(n int) orb.Ring {
	r := make(orb.Ring, 0, n+1)
	for k := 0; k < n; k++ {
		a := 2 * math.Pi * float64(k) / float64(n)
		rad := 0.05 * (1 + 0.3*math.Sin(37*a) + 0.1*math.Cos(5*a))
		r = append(r, orb.Point{105.8 + rad*math.Cos(a), 10 + rad*math.Sin(a)})
	}
	return append(r, r[0])
}

func TestValidateAreaGeometriesLargeRing(t *testing.T) {
	t.Run("a simple ring of 5,000 vertices has no problem", func(t *testing.T) {
		got := ValidateAreaGeometries([]*models.Area{{Code: "BIG", Geometry: polygonJSON(t, orb.Polygon{starRing(5000)})}})
		if len(got) != 0 {
			t.Fatalf("problems: %+v", got)
		}
	})
	t.Run("one twist in a ring of 5,000 vertices is found", func(t *testing.T) {
		r := starRing(5000)
		r[2500], r[2501] = r[2501], r[2500]
		got := ValidateAreaGeometries([]*models.Area{{Code: "BIG", Geometry: polygonJSON(t, orb.Polygon{r})}})
		if kinds(got) != "BIG:self_intersection" {
			t.Fatalf("problems: %+v", got)
		}
		var lat, lon float64
		msg := got[0].Message
		if _, err := fmt.Sscanf(msg[strings.Index(msg, "near lat "):], "near lat %f, lon %f", &lat, &lon); err != nil {
			t.Fatalf("message %q: %v", msg, err)
		}
		if math.Abs(lat-r[2500][1]) > 1e-3 || math.Abs(lon-r[2500][0]) > 1e-3 {
			t.Fatalf("message %q does not point near vertex 2500 (%v)", msg, r[2500])
		}
	})
}
