package geo

import (
	"testing"

	"github.com/paulmach/orb"

	"kiemtra/models"
)

func TestOutlineNest(t *testing.T) {
	parent, err := NewOutline(polygonJSON(t, orb.Polygon{square(105.70, 10.00, 0.10)}))
	if err != nil {
		t.Fatal(err)
	}
	child := func(ring orb.Ring) *models.Area {
		a := &models.Area{Code: "C", Geometry: polygonJSON(t, orb.Polygon{ring})}
		g, _ := ParseGeometry(a.Geometry)
		p, _ := LabelPoint(g)
		a.Lat, a.Lon = p[1], p[0]
		return a
	}
	for _, tc := range []struct {
		name            string
		child           *models.Area
		outside, beyond bool
	}{
		{"a child inside", child(square(105.72, 10.02, 0.02)), false, false},
		{"a child filling its parent", child(square(105.70, 10.00, 0.10)), false, false},
		{"a child 30 m over the boundary is within tolerance", child(orb.Ring{{105.75, 10.02}, {105.8003, 10.02}, {105.8003, 10.05}, {105.75, 10.05}, {105.75, 10.02}}), false, false},
		{"a child 500 m over the boundary reaches beyond", child(orb.Ring{{105.75, 10.02}, {105.805, 10.02}, {105.805, 10.05}, {105.75, 10.05}, {105.75, 10.02}}), false, true},
		{"a child elsewhere is outside", child(square(105.90, 10.02, 0.02)), true, false},
		{"a child without a shape is placed by its point", &models.Area{Code: "C", Lat: 10.05, Lon: 105.75}, false, false},
		{"a child without a shape outside by its point", &models.Area{Code: "C", Lat: 10.05, Lon: 106.75}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := parent.Nest(tc.child)
			if err != nil {
				t.Fatal(err)
			}
			if n.Outside != tc.outside || n.Beyond != tc.beyond {
				t.Fatalf("nesting %+v, want outside %v beyond %v", n, tc.outside, tc.beyond)
			}
			if n.Beyond && (n.Share <= 0 || n.Share > 1 || n.At[1] < 105.80) {
				t.Fatalf("beyond at %v, share %v", n.At, n.Share)
			}
		})
	}
	t.Run("a point on the boundary is inside, one a few metres out is not", func(t *testing.T) {
		if !parent.Contains(10.05, 105.80) || !parent.Contains(10.05, 105.800005) || parent.Contains(10.05, 105.8001) {
			t.Fatal("boundary tolerance")
		}
	})
	t.Run("a geometry that does not parse is an error", func(t *testing.T) {
		if _, err := NewOutline(`{"type":"Point","coordinates":[105,10]}`); err == nil {
			t.Fatal("a point made an outline")
		}
	})
}
