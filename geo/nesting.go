package geo

import (
	"github.com/paulmach/orb"

	"kiemtra/models"
)

// nestingTolDeg (about 50 m) is how far a child's boundary may reach beyond its parent's before
// it is reported: the boundaries of two sources (a GSO district, an OpenStreetMap ward) differ
// by tens of metres along rivers and roads, and that is not a unit in the wrong place.
const nestingTolDeg = 5e-4

// pointTolDeg (about 1 m) absorbs the rounding of a position on a boundary.
const pointTolDeg = 1e-5

// Outline is an area's polygons prepared for many "is this inside?" questions: businesses in
// their unit, children in their parent.
type Outline struct {
	edges *edgeIndex
}

// NewOutline prepares a GeoJSON Polygon or MultiPolygon; one that does not parse is an invalid
// error (see ParseGeometry).
func NewOutline(geometry string) (*Outline, error) {
	g, err := ParseGeometry(geometry)
	if err != nil {
		return nil, err
	}
	var rings []orb.Ring
	for _, p := range asMultiPolygon(g) {
		rings = append(rings, p...)
	}
	return &Outline{edges: newEdgeIndex(rings)}, nil
}

// Contains reports whether a point is inside the outline or within about a metre of its
// boundary.
func (o *Outline) Contains(lat, lon float64) bool {
	p := orb.Point{lon, lat}
	return o.edges.contains(p) || o.edges.nearBoundary(p, pointTolDeg)
}

// Nesting says how a child's shape sits in the outline of its parent.
type Nesting struct {
	// Outside: the child's label point is outside the parent, so the child lies elsewhere.
	Outside bool
	// Beyond: the label point is inside but part of the child reaches more than about 50 m
	// beyond the parent; At is the first such vertex (lat, lon) and Share the fraction of the
	// child's vertices beyond.
	Beyond bool
	At     [2]float64
	Share  float64
}

// Nest checks a child area (its Geometry and label point) against the outline. A child without
// a geometry is checked by its label point only; a geometry that does not parse is an error.
func (o *Outline) Nest(child *models.Area) (Nesting, error) {
	var n Nesting
	if !o.Contains(child.Lat, child.Lon) {
		n.Outside = true
		n.At = [2]float64{child.Lat, child.Lon}
		return n, nil
	}
	if child.Geometry == "" {
		return n, nil
	}
	g, err := ParseGeometry(child.Geometry)
	if err != nil {
		return n, err
	}
	total, beyond := 0, 0
	for _, p := range asMultiPolygon(g) {
		for _, r := range p {
			for _, v := range r[:len(r)-1] {
				total++
				if o.edges.contains(v) || o.edges.nearBoundary(v, nestingTolDeg) {
					continue
				}
				if beyond == 0 {
					n.At = [2]float64{v[1], v[0]}
				}
				beyond++
			}
		}
	}
	if beyond > 0 {
		n.Beyond, n.Share = true, float64(beyond)/float64(total)
	}
	return n, nil
}
