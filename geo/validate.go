package geo

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"kiemtra/models"
)

// Kinds of GeometryProblem.
const (
	// ProblemInvalidGeometry: the text is not a Polygon or MultiPolygon, a ring has fewer than 4
	// positions (or fewer than 3 distinct ones), or a position is outside WGS84.
	ProblemInvalidGeometry = "invalid_geometry"
	// ProblemUnclosedRing: a ring's last position is not its first.
	ProblemUnclosedRing = "unclosed_ring"
	// ProblemSelfIntersection: two edges of one ring cross or touch, other than consecutive edges
	// at their shared vertex, or a ring doubles back on itself.
	ProblemSelfIntersection = "self_intersection"
	// ProblemHoleOutsideShell: a hole is not inside its polygon's outer ring.
	ProblemHoleOutsideShell = "hole_outside_shell"
	// ProblemOverlap: two areas with the same parent share more than a boundary.
	ProblemOverlap = "overlap"
)

// overlapTolDeg (about 0.1 m) is how far a point of one area's boundary must lie inside a
// sibling before the two count as overlapping. Boundaries shared by neighbours are often
// digitised twice with rounding noise; that is not an overlap.
const overlapTolDeg = 1e-6

// onBoundaryTolDeg (about 0.1 mm) absorbs rounding when a hole touches its outer ring.
const onBoundaryTolDeg = 1e-9

// GeometryProblem is one finding of ValidateAreaGeometries, shown to the planner who imports a
// boundary file so the file can be fixed before it replaces the areas in use.
type GeometryProblem struct {
	Code      string `json:"code"`
	Kind      string `json:"kind"`
	Other     string `json:"other,omitempty"`
	Message   string `json:"message"`
	MessageVI string `json:"message_vi"`
}

// ValidateAreaGeometries checks the geometries of areas about to be imported and returns every
// problem found, in the order of the areas, overlaps last; nil when there is none. Areas without
// a Geometry are not checked (a city may have no outline). The Geometry text is read as written:
// an unclosed ring is reported even though ParseGeometry would close it.
//
// An area with an invalid_geometry problem is not checked further, because its shape is not
// known. Overlaps are looked for among areas with the same ParentCode (areas without a parent
// are siblings of each other) that are valid on a common day (models.Area.OverlapsInTime);
// each overlapping pair is reported once, under the area that comes first, with Other naming
// the second.
func ValidateAreaGeometries(areas []*models.Area) []GeometryProblem {
	var out []GeometryProblem
	shapes := make([]orb.MultiPolygon, len(areas)) // nil: not checked for overlaps
	for i, a := range areas {
		if a == nil || strings.TrimSpace(a.Geometry) == "" {
			continue
		}
		report := func(e *geomError) {
			out = append(out, GeometryProblem{Code: a.Code, Kind: e.kind, Message: e.en, MessageVI: e.vi})
		}
		if mp, ok := checkAreaGeometry(a.Geometry, report); ok {
			shapes[i] = mp
		}
	}
	return append(out, findOverlaps(areas, shapes)...)
}

// checkAreaGeometry reports the problems of one geometry and returns its cleaned polygons (rings
// closed, repeated consecutive positions dropped); ok is false when the shape is unusable.
func checkAreaGeometry(text string, report func(*geomError)) (orb.MultiPolygon, bool) {
	g, gerr := decodeRaw([]byte(text))
	if gerr == nil {
		gerr = g.checkStructure()
	}
	if gerr == nil {
		gerr = g.checkRange()
	}
	if gerr != nil {
		report(gerr)
		return nil, false
	}
	for pi, p := range g.Polys {
		for ri, r := range p {
			first, last := r[0], r[len(r)-1]
			if first[0] != last[0] || first[1] != last[1] {
				report(newGeomError(ProblemUnclosedRing,
					"ring %d of polygon %d is not closed", "vòng %d của đa giác %d không khép kín", ri, pi))
			}
		}
	}
	mp := g.rings()
	ok := true
	for pi, p := range mp {
		for ri, r := range p {
			// A repeated position is harmless (OGC allows it) but would read as a zero-length
			// edge touching its neighbours.
			p[ri] = slices.Compact(r)
			if len(p[ri]) < 4 {
				report(newGeomError(ProblemInvalidGeometry,
					"ring %d of polygon %d has fewer than 3 distinct positions",
					"vòng %d của đa giác %d có ít hơn 3 tọa độ phân biệt", ri, pi))
				ok = false
			}
		}
	}
	if !ok {
		return nil, false
	}
	for pi, p := range mp {
		for ri, r := range p {
			if at, bad := ringSelfIntersection(r); bad {
				report(newGeomError(ProblemSelfIntersection,
					"ring %d of polygon %d intersects itself near lat %.6f, lon %.6f",
					"vòng %d của đa giác %d tự cắt gần vĩ độ %.6f, kinh độ %.6f", ri, pi, at[1], at[0]))
			}
		}
		if len(p) > 1 {
			shell := newEdgeIndex(p[:1])
			for ri := 1; ri < len(p); ri++ {
				if holeOutside(p[0], shell, p[ri]) {
					report(newGeomError(ProblemHoleOutsideShell,
						"ring %d of polygon %d is a hole that is not inside the polygon's outer ring",
						"vòng %d của đa giác %d là lỗ nhưng không nằm trong vòng ngoài của đa giác", ri, pi))
				}
			}
		}
	}
	return mp, true
}

// ringSelfIntersection finds where a closed ring without repeated positions touches itself.
func ringSelfIntersection(r orb.Ring) (orb.Point, bool) {
	n := len(r) - 1 // edges; edge i runs from r[i] to r[i+1]
	// Consecutive edges share a vertex by construction; they only intersect further when the
	// ring turns back on itself along the same line (a spike).
	for i := 0; i < n; i++ {
		p, q, s := r[(i+n-1)%n], r[i], r[i+1]
		if orient(p, q, s) == 0 && (q[0]-p[0])*(s[0]-q[0])+(q[1]-p[1])*(s[1]-q[1]) < 0 {
			return q, true
		}
	}
	var at orb.Point
	segs := ringSegments(r, 0)
	found := sweepPairs(segs, func(i, j int) bool {
		s, t := &segs[i], &segs[j]
		d := s.idx - t.idx
		if d == 1 || d == -1 || d == n-1 || d == 1-n {
			return false
		}
		if segmentsTouch(s.a, s.b, t.a, t.b) {
			at = touchPoint(s, t)
			return true
		}
		return false
	})
	return at, found
}

// touchPoint says where two touching segments meet, for the message.
func touchPoint(s, t *segment) orb.Point {
	if segmentsCross(s.a, s.b, t.a, t.b) {
		return crossingPoint(s.a, s.b, t.a, t.b)
	}
	for _, c := range []struct{ p, a, b orb.Point }{{s.a, t.a, t.b}, {s.b, t.a, t.b}, {t.a, s.a, s.b}, {t.b, s.a, s.b}} {
		if orient(c.a, c.b, c.p) == 0 && onSegment(c.a, c.b, c.p) {
			return c.p
		}
	}
	return s.a
}

// holeOutside reports whether a hole leaves its shell: a vertex outside, or an edge crossing
// the shell's. A hole touching the shell at a point is allowed, as in OGC.
func holeOutside(shellRing orb.Ring, shell *edgeIndex, hole orb.Ring) bool {
	for _, v := range hole {
		if !shell.contains(v) && !shell.nearBoundary(v, onBoundaryTolDeg) {
			return true
		}
	}
	segs := append(ringSegments(shellRing, 0), ringSegments(hole, 1)...)
	return sweepPairs(segs, func(i, j int) bool {
		s, t := &segs[i], &segs[j]
		return s.set != t.set && segmentsCross(s.a, s.b, t.a, t.b)
	})
}

// preparedArea is what the overlap test needs of one area.
type preparedArea struct {
	bound orb.Bound
	edges *edgeIndex
	verts []orb.Point
	inner []orb.Point // one point inside each polygon
}

func prepareArea(mp orb.MultiPolygon) *preparedArea {
	pa := &preparedArea{bound: mp.Bound()}
	var rings []orb.Ring
	for _, p := range mp {
		for _, r := range p {
			rings = append(rings, r)
			pa.verts = append(pa.verts, r[:len(r)-1]...)
		}
		if pt, ok := polygonInteriorPoint(p); ok {
			pa.inner = append(pa.inner, pt)
		}
	}
	pa.edges = newEdgeIndex(rings)
	return pa
}

// findOverlaps compares siblings whose boxes meet: sorted by west edge within each parent, a
// scan stops at the first sibling starting east of the current one, so a tessellation of
// thousands of wards compares each ward with its neighbours only.
//
// The edge indexes are built one group at a time and dropped after it: for a whole country's
// wards they would take several times the memory of the polygons themselves.
func findOverlaps(areas []*models.Area, shapes []orb.MultiPolygon) []GeometryProblem {
	groups := map[string][]int{}
	var parents []string
	for i, mp := range shapes {
		if mp == nil {
			continue
		}
		parent := ""
		if p := areas[i].ParentCode; p != nil {
			parent = "/" + *p // so that no parent code collides with the roots' group
		}
		if _, seen := groups[parent]; !seen {
			parents = append(parents, parent)
		}
		groups[parent] = append(groups[parent], i)
	}
	type found struct {
		i, j int
		at   orb.Point
	}
	var all []found
	prepared := make([]*preparedArea, len(areas))
	for _, parent := range parents {
		idx := groups[parent]
		if len(idx) < 2 {
			continue
		}
		for _, i := range idx {
			prepared[i] = prepareArea(shapes[i])
		}
		slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(prepared[a].bound.Min[0], prepared[b].bound.Min[0]) })
		for k, i := range idx {
			a := prepared[i]
			for _, j := range idx[k+1:] {
				b := prepared[j]
				if b.bound.Min[0] > a.bound.Max[0] {
					break
				}
				// Units of different times may cover the same ground: a 2025 commune takes the
				// land of districts that ended the day before.
				if !a.bound.Intersects(b.bound) || !areas[i].OverlapsInTime(areas[j]) {
					continue
				}
				if at, ok := overlapAt(a, b); ok {
					all = append(all, found{min(i, j), max(i, j), at})
				}
			}
		}
		for _, i := range idx {
			prepared[i] = nil
		}
	}
	slices.SortFunc(all, func(a, b found) int { return cmp.Or(cmp.Compare(a.i, b.i), cmp.Compare(a.j, b.j)) })
	out := make([]GeometryProblem, 0, len(all))
	for _, f := range all {
		a, b := areas[f.i], areas[f.j]
		out = append(out, GeometryProblem{Code: a.Code, Kind: ProblemOverlap, Other: b.Code,
			Message:   fmt.Sprintf("area %s overlaps area %s near lat %.6f, lon %.6f", a.Code, b.Code, f.at[1], f.at[0]),
			MessageVI: fmt.Sprintf("địa bàn %s chồng lấn địa bàn %s gần vĩ độ %.6f, kinh độ %.6f", a.Code, b.Code, f.at[1], f.at[0])})
	}
	return out
}

// overlapAt decides whether two shapes share interior, and where. If they do, then either a
// piece of one's boundary runs through the other's interior, or their boundaries coincide and
// a polygon of one is a polygon of the other. So each boundary edge near the other shape is cut
// where it meets the other's boundary, and the middle of every piece is tested; each polygon's
// interior point covers the duplicate case. A point counts as inside only when farther than
// overlapTolDeg from the other's boundary, which is what lets rounding noise along a shared
// boundary pass.
func overlapAt(a, b *preparedArea) (orb.Point, bool) {
	common := orb.Bound{
		Min: orb.Point{math.Max(a.bound.Min[0], b.bound.Min[0]) - overlapTolDeg, math.Max(a.bound.Min[1], b.bound.Min[1]) - overlapTolDeg},
		Max: orb.Point{math.Min(a.bound.Max[0], b.bound.Max[0]) + overlapTolDeg, math.Min(a.bound.Max[1], b.bound.Max[1]) + overlapTolDeg},
	}
	shapes := [2]*preparedArea{a, b}
	for k, from := range shapes {
		into := shapes[1-k]
		for _, v := range from.verts {
			if common.Contains(v) && into.edges.strictlyInside(v, overlapTolDeg) {
				return v, true
			}
		}
		for _, v := range from.inner {
			if common.Contains(v) && into.edges.strictlyInside(v, overlapTolDeg) {
				return v, true
			}
		}
	}
	var segs []segment
	for set, pa := range shapes {
		for _, s := range pa.edges.segs {
			if s.maxX >= common.Min[0] && s.minX <= common.Max[0] && s.maxY >= common.Min[1] && s.minY <= common.Max[1] {
				s.set = set
				segs = append(segs, s)
			}
		}
	}
	cuts := make([][]float64, len(segs))
	sweepPairs(segs, func(i, j int) bool {
		s, t := &segs[i], &segs[j]
		if s.set != t.set && segmentsTouch(s.a, s.b, t.a, t.b) {
			onS, onT := meetingParams(s, t)
			cuts[i] = append(cuts[i], onS...)
			cuts[j] = append(cuts[j], onT...)
		}
		return false
	})
	for i := range segs {
		s := &segs[i]
		into := shapes[1-s.set]
		ts := append(cuts[i], 0, 1)
		slices.Sort(ts)
		for k := 0; k+1 < len(ts); k++ {
			t0, t1 := max(ts[k], 0), min(ts[k+1], 1)
			if t1 <= t0 {
				continue
			}
			m := (t0 + t1) / 2
			mid := orb.Point{s.a[0] + m*(s.b[0]-s.a[0]), s.a[1] + m*(s.b[1]-s.a[1])}
			if into.edges.strictlyInside(mid, overlapTolDeg) {
				return mid, true
			}
		}
	}
	return orb.Point{}, false
}
