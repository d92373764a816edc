package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// LabelPoint returns a point inside the largest polygon of g (a Polygon or MultiPolygon with
// closed rings, as ParseGeometry returns), for a map label or a "go to this ward" pin. The
// centroid is used when it lies inside; a crescent-shaped or ring-shaped ward has its centroid
// outside, so then the point is the middle of the widest stretch of a horizontal line across the
// polygon. ok is false only when the polygon has no area.
func LabelPoint(g orb.Geometry) (p orb.Point, ok bool) {
	mp := asMultiPolygon(g)
	best, bestArea := -1, 0.0
	for i, poly := range mp {
		if len(poly) == 0 {
			continue
		}
		if a := math.Abs(planar.Area(poly)); best < 0 || a > bestArea {
			best, bestArea = i, a
		}
	}
	if best < 0 {
		return orb.Point{}, false
	}
	return polygonInteriorPoint(mp[best])
}

// polygonInteriorPoint finds a point strictly inside one polygon (shell and holes).
func polygonInteriorPoint(poly orb.Polygon) (orb.Point, bool) {
	x := newEdgeIndex(poly)
	if !x.nonEmpty {
		return orb.Point{}, false
	}
	if c, a := planar.CentroidArea(poly); a != 0 && x.strictlyInside(c, 0) {
		return c, true
	}
	// Scan only halfway between consecutive vertex latitudes: such a line meets no vertex and
	// runs along no edge, so the middle of a stretch between two crossings is strictly inside.
	var ys []float64
	for _, r := range poly {
		for _, q := range r {
			ys = append(ys, q[1])
		}
	}
	slices.Sort(ys)
	ys = slices.Compact(ys)
	if len(ys) < 2 {
		return orb.Point{}, false
	}
	mids := make([]float64, len(ys)-1)
	for i := range mids {
		mids[i] = (ys[i] + ys[i+1]) / 2
	}
	// Lines near simple fractions of the height give a well-placed label for ordinary shapes.
	lo, hi := ys[0], ys[len(ys)-1]
	var best orb.Point
	bestW := 0.0
	for _, f := range []float64{0.5, 0.375, 0.625, 0.25, 0.75, 0.125, 0.875} {
		k, _ := slices.BinarySearch(mids, lo+f*(hi-lo))
		k = min(k, len(mids)-1)
		if p, w := widestStretch(poly, mids[k]); w > bestW {
			best, bestW = p, w
		}
	}
	if bestW > 0 {
		return best, true
	}
	// A thin shape can slip between those lines; if the polygon has any area, some line between
	// two vertex latitudes crosses it, and the widest gaps are the likeliest.
	type gap struct{ y, h float64 }
	gaps := make([]gap, len(mids))
	for i, y := range mids {
		gaps[i] = gap{y, ys[i+1] - ys[i]}
	}
	slices.SortFunc(gaps, func(a, b gap) int { return cmpFloat(b.h, a.h) })
	for _, g := range gaps {
		if p, w := widestStretch(poly, g.y); w > 0 {
			return p, true
		}
	}
	return orb.Point{}, false
}

// widestStretch intersects the line at latitude y with the polygon and returns the middle of
// the widest inside stretch and its width (0 when the line misses the inside).
func widestStretch(poly orb.Polygon, y float64) (orb.Point, float64) {
	var xs []float64
	for _, r := range poly {
		for i := 0; i+1 < len(r); i++ {
			a, b := r[i], r[i+1]
			// Half-open on y, so that a line through a vertex counts it once, not twice.
			if (a[1] > y) != (b[1] > y) {
				xs = append(xs, a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
			}
		}
	}
	slices.Sort(xs)
	var best orb.Point
	bestW := 0.0
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > bestW {
			best, bestW = orb.Point{(xs[i] + xs[i+1]) / 2, y}, w
		}
	}
	return best, bestW
}
