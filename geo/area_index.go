package geo

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"kiemtra/models"
)

// AreaIndex answers "which ward is this point in?" for check-in geofences, for filing a tip
// that comes with a GPS position and for coverage maps. It is built once from the area tree and
// never changes afterwards, so any number of goroutines may read it at once; to reflect new
// areas, build a new index and swap it in with a Holder.
type AreaIndex struct {
	byCode map[string]*models.Area
	shapes []areaShape
	shape  map[string]int32 // code -> index into shapes
	tree   *rtree
}

// areaShape is the located part of an area: its polygons, and what Locate needs to prefer the
// smallest containing area.
type areaShape struct {
	area  *models.Area
	polys []locPolygon
	depth int
	size  float64 // planar, in square degrees: only compared between areas
	rank  int32   // Locate tries candidates in increasing rank
}

// locPolygon is a polygon prepared for repeated point-in-polygon tests. It answers as
// planar.PolygonContains does: inside the outer ring (its boundary included) and not inside a
// hole (whose boundary belongs to the hole, that is to the enclave that fills it).
type locPolygon struct {
	rings []locRing
}

func (p *locPolygon) contains(pt orb.Point) bool {
	if !p.rings[0].contains(pt) {
		return false
	}
	for i := 1; i < len(p.rings); i++ {
		if p.rings[i].contains(pt) {
			return false
		}
	}
	return true
}

// smallRing is the edge count up to which a ring is scanned whole: banding a ring of a few
// dozen edges saves less time than its table costs memory.
const smallRing = 32

// locRing answers as planar.RingContains does (the boundary counts as inside), but keeps its
// box instead of recomputing it on every call, and for a ring of many vertices (a ward traced
// from a cadastral map has hundreds) reads only the edges in the point's latitude band.
type locRing struct {
	pts   orb.Ring // closed
	bound orb.Bound
	bands *bands // nil for a small ring
}

func newLocRing(r orb.Ring) locRing {
	lr := locRing{pts: r, bound: r.Bound()}
	if len(r)-1 > smallRing {
		b := newBands(len(r)-1, lr.bound.Min[1], lr.bound.Max[1], func(i int) (float64, float64) {
			return math.Min(r[i][1], r[i+1][1]), math.Max(r[i][1], r[i+1][1])
		})
		lr.bands = &b
	}
	return lr
}

func (r *locRing) contains(p orb.Point) bool {
	if !r.bound.Contains(p) {
		return false
	}
	in := false
	if r.bands == nil {
		for i := 0; i+1 < len(r.pts); i++ {
			on, cross := edgeTest(r.pts[i], r.pts[i+1], p)
			if on {
				return true
			}
			in = in != cross
		}
		return in
	}
	for _, i := range r.bands.at(p[1]) {
		on, cross := edgeTest(r.pts[i], r.pts[i+1], p)
		if on {
			return true
		}
		in = in != cross
	}
	return in
}

// edgeTest says whether p lies on edge a-b, and whether the ray from p towards +x crosses the
// edge. The crossing is half-open in y, so a ray through a vertex counts it once.
func edgeTest(a, b, p orb.Point) (on, cross bool) {
	if (p[1] < a[1] && p[1] < b[1]) || (p[1] > a[1] && p[1] > b[1]) {
		return false, false
	}
	if orient(a, b, p) == 0 && onSegment(a, b, p) {
		return true, false
	}
	return false, (a[1] > p[1]) != (b[1] > p[1]) && p[0] < a[0]+(p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1])
}

// NewAreaIndex indexes the given areas. Pass the areas valid on the day of interest: the index
// does not read ValidFrom and ValidTo, and a 2021 district indexed beside the 2025 ward that
// replaced it would both contain the same points. Areas without a Geometry are kept for Area
// but are never located. The areas are copied, so that the caller may reuse its slice; the *models.Area values
// that the index returns are shared by every reader and must not be modified. A geometry that
// does not parse, a duplicate or empty code, or a nil area is an invalid error naming the area.
func NewAreaIndex(areas []*models.Area) (*AreaIndex, error) {
	x := &AreaIndex{byCode: make(map[string]*models.Area, len(areas)), shape: map[string]int32{}}
	for i, src := range areas {
		field := fmt.Sprintf("areas[%d]", i)
		if src == nil {
			return nil, models.Invalid(field, "area %d is missing", "thiếu địa bàn thứ %d", i)
		}
		if src.Code == "" {
			return nil, models.Invalid(field+".code", "area %d has no code", "địa bàn thứ %d không có mã", i)
		}
		if _, dup := x.byCode[src.Code]; dup {
			return nil, models.Invalid(field+".code", "area code %s appears twice", "mã địa bàn %s bị trùng", src.Code)
		}
		a := *src
		x.byCode[a.Code] = &a
		if strings.TrimSpace(a.Geometry) == "" {
			continue
		}
		g, err := ParseGeometry(a.Geometry)
		if err != nil {
			e := models.ErrorAs(err)
			return nil, models.Invalid(field+".geometry", "area %[1]s: %[2]s", "địa bàn %[1]s: %[3]s", a.Code, e.Message, e.MessageVI)
		}
		s := areaShape{area: &a}
		for _, p := range asMultiPolygon(g) {
			lp := locPolygon{rings: make([]locRing, len(p))}
			for i, r := range p {
				lp.rings[i] = newLocRing(r)
			}
			s.polys = append(s.polys, lp)
			s.size += math.Abs(planar.Area(p))
		}
		x.shape[a.Code] = int32(len(x.shapes))
		x.shapes = append(x.shapes, s)
	}
	for i := range x.shapes {
		x.shapes[i].depth = x.depthOf(x.shapes[i].area)
	}
	// Deepest first, then smallest: a point on a ward's boundary is in two wards (boundaries
	// count as inside), and the smaller one wins, then the lower code, so Locate is repeatable.
	order := make([]int, len(x.shapes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		a, b := &x.shapes[i], &x.shapes[j]
		return cmp.Or(cmp.Compare(b.depth, a.depth), cmp.Compare(a.size, b.size), strings.Compare(a.area.Code, b.area.Code))
	})
	for r, i := range order {
		x.shapes[i].rank = int32(r)
	}
	boxes := make([]orb.Bound, len(x.shapes))
	for i, s := range x.shapes {
		boxes[i] = s.polys[0].rings[0].bound
		for _, p := range s.polys[1:] {
			boxes[i] = boxes[i].Union(p.rings[0].bound)
		}
	}
	x.tree = newRTree(boxes)
	return x, nil
}

// depthOf uses the stored materialised path when there is one (areas from the store), and
// otherwise counts the parents present in the index (areas fresh from an import file).
func (x *AreaIndex) depthOf(a *models.Area) int {
	if a.Path != "" {
		return strings.Count(a.Path, "/") - 2
	}
	d := 0
	for p := a.ParentCode; p != nil && d <= len(x.byCode); d++ {
		parent, ok := x.byCode[*p]
		if !ok {
			break
		}
		p = parent.ParentCode
	}
	return d
}

// Len returns the number of areas in the index, located or not.
func (x *AreaIndex) Len() int {
	if x == nil {
		return 0
	}
	return len(x.byCode)
}

// Area returns the area with the given code, or nil.
func (x *AreaIndex) Area(code string) *models.Area {
	if x == nil {
		return nil
	}
	return x.byCode[code]
}

// Contains reports whether the area with the given code contains the point (its boundary
// included). It is false for an unknown code and for an area without geometry.
func (x *AreaIndex) Contains(code string, lat, lon float64) bool {
	if x == nil {
		return false
	}
	i, ok := x.shape[code]
	return ok && x.shapes[i].contains(orb.Point{lon, lat})
}

func (s *areaShape) contains(p orb.Point) bool {
	for i := range s.polys {
		if s.polys[i].contains(p) {
			return true
		}
	}
	return false
}

// Locate returns the smallest area that contains the point: the deepest in the tree, and among
// areas of the same depth the smallest, so a point in a ward returns the ward and not its
// district or city. It returns nil when no area contains the point.
func (x *AreaIndex) Locate(lat, lon float64) *models.Area {
	if x == nil {
		return nil
	}
	p := orb.Point{lon, lat}
	var buf [32]int32
	cand := x.tree.search(p, buf[:0])
	slices.SortFunc(cand, func(i, j int32) int { return cmp.Compare(x.shapes[i].rank, x.shapes[j].rank) })
	for _, i := range cand {
		if x.shapes[i].contains(p) {
			return x.shapes[i].area
		}
	}
	return nil
}

// LocateAll returns every area that contains the point, from the root of the tree to the leaf
// (city, district, ward), or nil when none does. A point on the boundary between two wards is
// in both, and both are returned, the larger first.
func (x *AreaIndex) LocateAll(lat, lon float64) []*models.Area {
	if x == nil {
		return nil
	}
	p := orb.Point{lon, lat}
	var buf [32]int32
	cand := x.tree.search(p, buf[:0])
	var found []*areaShape
	for _, i := range cand {
		if x.shapes[i].contains(p) {
			found = append(found, &x.shapes[i])
		}
	}
	slices.SortFunc(found, func(a, b *areaShape) int {
		return cmp.Or(cmp.Compare(a.depth, b.depth), cmp.Compare(b.size, a.size), strings.Compare(a.area.Code, b.area.Code))
	})
	var out []*models.Area
	for _, s := range found {
		out = append(out, s.area)
	}
	return out
}
