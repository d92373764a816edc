package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// segment is one edge of a ring, planar in degrees. set tells which ring or polygon it came
// from when edges of two shapes are swept together; idx is its position in that ring.
type segment struct {
	a, b                   orb.Point
	minX, maxX, minY, maxY float64
	set, idx               int
}

func newSegment(a, b orb.Point, set, idx int) segment {
	return segment{a: a, b: b,
		minX: math.Min(a[0], b[0]), maxX: math.Max(a[0], b[0]),
		minY: math.Min(a[1], b[1]), maxY: math.Max(a[1], b[1]),
		set: set, idx: idx}
}

// ringSegments returns the edges of a closed ring.
func ringSegments(r orb.Ring, set int) []segment {
	out := make([]segment, 0, len(r))
	for i := 0; i+1 < len(r); i++ {
		out = append(out, newSegment(r[i], r[i+1], set, i))
	}
	return out
}

// orient is twice the signed area of the triangle abc: positive when c is left of a->b.
func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

func sign(v float64) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// onSegment reports whether c, known to be collinear with a-b, lies within the segment's box.
func onSegment(a, b, c orb.Point) bool {
	return math.Min(a[0], b[0]) <= c[0] && c[0] <= math.Max(a[0], b[0]) &&
		math.Min(a[1], b[1]) <= c[1] && c[1] <= math.Max(a[1], b[1])
}

// segmentsTouch reports whether two closed segments share at least one point, touching
// included: for a ring, touching itself is as invalid as crossing.
func segmentsTouch(p1, p2, p3, p4 orb.Point) bool {
	d1 := sign(orient(p3, p4, p1))
	d2 := sign(orient(p3, p4, p2))
	d3 := sign(orient(p1, p2, p3))
	d4 := sign(orient(p1, p2, p4))
	if d1*d2 < 0 && d3*d4 < 0 {
		return true
	}
	return (d1 == 0 && onSegment(p3, p4, p1)) || (d2 == 0 && onSegment(p3, p4, p2)) ||
		(d3 == 0 && onSegment(p1, p2, p3)) || (d4 == 0 && onSegment(p1, p2, p4))
}

// segmentsCross reports whether two segments cross at a point interior to both; touching or
// running along each other is not crossing.
func segmentsCross(p1, p2, p3, p4 orb.Point) bool {
	return sign(orient(p3, p4, p1))*sign(orient(p3, p4, p2)) < 0 && sign(orient(p1, p2, p3))*sign(orient(p1, p2, p4)) < 0
}

// crossingPoint returns where the lines through two crossing segments meet, for messages.
func crossingPoint(p1, p2, p3, p4 orb.Point) orb.Point {
	d := (p2[0]-p1[0])*(p4[1]-p3[1]) - (p2[1]-p1[1])*(p4[0]-p3[0])
	if d == 0 {
		return p1
	}
	t := ((p3[0]-p1[0])*(p4[1]-p3[1]) - (p3[1]-p1[1])*(p4[0]-p3[0])) / d
	return orb.Point{p1[0] + t*(p2[0]-p1[0]), p1[1] + t*(p2[1]-p1[1])}
}

// pointSegmentDist is the planar distance in degrees from c to segment a-b.
func pointSegmentDist(a, b, c orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = math.Max(0, math.Min(1, ((c[0]-a[0])*dx+(c[1]-a[1])*dy)/l2))
	}
	return math.Hypot(c[0]-(a[0]+t*dx), c[1]-(a[1]+t*dy))
}

// sweepPairs sorts segs by west edge and calls visit(i, j) for every pair of segments (indexes
// into the sorted segs) whose boxes overlap, touching included, until visit returns true.
// Stopping a scan at the first box that starts east of the current one keeps a ring of
// thousands of short edges near linear; only long edges spanning much of the ring cost more.
func sweepPairs(segs []segment, visit func(i, j int) bool) bool {
	slices.SortFunc(segs, func(s, t segment) int { return cmpFloat(s.minX, t.minX) })
	for i := range segs {
		s := &segs[i]
		for j := i + 1; j < len(segs) && segs[j].minX <= s.maxX; j++ {
			t := &segs[j]
			if t.minY > s.maxY || t.maxY < s.minY {
				continue
			}
			if visit(i, j) {
				return true
			}
		}
	}
	return false
}

// param returns where p, a point on or beside segment a-b, projects onto it: 0 at a, 1 at b.
func param(a, b, p orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return 0
	}
	return ((p[0]-a[0])*dx + (p[1]-a[1])*dy) / l2
}

// meetingParams returns, for two touching segments, the params on s and on t of the points
// where they meet: the crossing point, or the endpoints of one lying on the other (which, for
// collinear segments, bound their shared stretch).
func meetingParams(s, t *segment) (onS, onT []float64) {
	if segmentsCross(s.a, s.b, t.a, t.b) {
		x := crossingPoint(s.a, s.b, t.a, t.b)
		return []float64{param(s.a, s.b, x)}, []float64{param(t.a, t.b, x)}
	}
	for _, p := range [2]orb.Point{t.a, t.b} {
		if orient(s.a, s.b, p) == 0 && onSegment(s.a, s.b, p) {
			onS = append(onS, param(s.a, s.b, p))
		}
	}
	for _, p := range [2]orb.Point{s.a, s.b} {
		if orient(t.a, t.b, p) == 0 && onSegment(t.a, t.b, p) {
			onT = append(onT, param(t.a, t.b, p))
		}
	}
	return onS, onT
}

// bands buckets items with a vertical extent (edges) into horizontal bands of equal height, so
// that the items a horizontal line can meet are found without scanning all of them. Band b holds
// items[start[b]:start[b+1]], as int32 to keep the table small next to the points themselves.
type bands struct {
	minY, h float64
	n       int
	start   []int32
	items   []int32
}

// newBands buckets count items whose extents yRange returns, within [minY, maxY].
func newBands(count int, minY, maxY float64, yRange func(i int) (lo, hi float64)) bands {
	b := bands{minY: minY, n: min(max(count/4, 1), 4096)}
	b.h = (maxY - minY) / float64(b.n)
	if !(b.h > 0) {
		b.n, b.h = 1, 1
	}
	b.start = make([]int32, b.n+1)
	for i := 0; i < count; i++ {
		lo, hi := yRange(i)
		for k := b.band(lo); k <= b.band(hi); k++ {
			b.start[k+1]++
		}
	}
	for k := 0; k < b.n; k++ {
		b.start[k+1] += b.start[k]
	}
	b.items = make([]int32, b.start[b.n])
	fill := slices.Clone(b.start[:b.n])
	for i := 0; i < count; i++ {
		lo, hi := yRange(i)
		for k := b.band(lo); k <= b.band(hi); k++ {
			b.items[fill[k]] = int32(i)
			fill[k]++
		}
	}
	return b
}

// band clamps, so that a y above or below the items still reads a real band.
func (b *bands) band(y float64) int {
	k := int((y - b.minY) / b.h)
	if !(k >= 0) { // also catches NaN, which converts to a negative int
		return 0
	}
	return min(k, b.n-1)
}

// at returns the items whose extent may include y.
func (b *bands) at(y float64) []int32 {
	k := b.band(y)
	return b.items[b.start[k]:b.start[k+1]]
}

// edgeIndex answers point-in-polygon and distance-to-boundary questions for the validator on a
// shape with many vertices, in time proportional to the edges near the point's latitude. The
// even-odd rule over all rings means "inside the shell and outside every hole" for a valid
// polygon; on the boundary it may answer either way, which is why callers that care ask
// nearBoundary too.
type edgeIndex struct {
	segs     []segment
	bound    orb.Bound
	bands    bands
	nonEmpty bool
}

func newEdgeIndex(rings []orb.Ring) *edgeIndex {
	x := &edgeIndex{}
	for ri, r := range rings {
		x.segs = append(x.segs, ringSegments(r, ri)...)
	}
	if len(x.segs) == 0 {
		return x
	}
	x.nonEmpty = true
	x.bound = orb.Bound{Min: x.segs[0].a, Max: x.segs[0].a}
	for _, s := range x.segs {
		x.bound = x.bound.Extend(s.a).Extend(s.b)
	}
	x.bands = newBands(len(x.segs), x.bound.Min[1], x.bound.Max[1], func(i int) (float64, float64) {
		return x.segs[i].minY, x.segs[i].maxY
	})
	return x
}

func (x *edgeIndex) contains(p orb.Point) bool {
	if !x.nonEmpty || !x.bound.Contains(p) {
		return false
	}
	in := false
	for _, i := range x.bands.at(p[1]) {
		s := &x.segs[i]
		if (s.a[1] > p[1]) != (s.b[1] > p[1]) &&
			p[0] < s.a[0]+(p[1]-s.a[1])*(s.b[0]-s.a[0])/(s.b[1]-s.a[1]) {
			in = !in
		}
	}
	return in
}

// nearBoundary reports whether p is within tol degrees of any edge.
func (x *edgeIndex) nearBoundary(p orb.Point, tol float64) bool {
	if !x.nonEmpty {
		return false
	}
	for k := x.bands.band(p[1] - tol); k <= x.bands.band(p[1]+tol); k++ {
		for _, i := range x.bands.items[x.bands.start[k]:x.bands.start[k+1]] {
			s := &x.segs[i]
			if p[0] < s.minX-tol || p[0] > s.maxX+tol || p[1] < s.minY-tol || p[1] > s.maxY+tol {
				continue
			}
			if pointSegmentDist(s.a, s.b, p) <= tol {
				return true
			}
		}
	}
	return false
}

// strictlyInside reports whether p is inside and farther than tol from the boundary.
func (x *edgeIndex) strictlyInside(p orb.Point, tol float64) bool {
	return x.contains(p) && !x.nearBoundary(p, tol)
}
