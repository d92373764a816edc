package geo

import (
	"cmp"
	"math"
	"slices"
)

// Stop is one place a team visits on its day (a task's business), with its WGS84 position.
type Stop struct {
	ID       string
	Lat, Lon float64
}

// PlaceRadiusM is the radius within which GroupByPlace puts stops in one place by default: the
// businesses of one building, market or courtyard, which a team visits on foot.
const PlaceRadiusM = 30

// Route order limits. The distance matrix of a day's route is small (a team visits a few dozen
// businesses at most); beyond maxMatrixStops the distances are computed on demand and only the
// nearest-neighbour tour is kept, because 2-opt would cost seconds. maxImprovePasses bounds
// the improvement loop: a pass that improves anything is followed by another, and on real days
// the loop ends after a handful of passes.
const (
	maxMatrixStops   = 2000
	maxImprovePasses = 100
	improveEpsM      = 1e-6 // smaller gains are rounding noise and could loop forever
	maxOrOptSegment  = 3
)

// OrderRoute orders a team's day: a path from its base through every stop and, when
// returnToBase is set, back to the base. It returns order, the indexes of stops in visiting
// order, and the route's length in metres.
//
// Distances are straight lines (great-circle, DistanceM), not road distances: in the alleys of
// a city travelled by motorbike they rank the orders well enough, and they need no road network.
// The tour starts as nearest neighbour from the base (ties by stop ID), then is improved by 2-opt
// (reversing a stretch) and Or-opt (moving a run of up to three stops) until no move gains, or
// maxImprovePasses passes. When visiting the stops in the given order is shorter than that
// tour, the given order is improved instead, so the result is never longer than the input
// order. Stops at the same position (several businesses at one address) are visited one after
// the other, in ID order. Stops without a valid position (not geocoded: NaN or out of range) cannot
// be placed on the way: they come last, in ID order, and add nothing to the length. The result
// depends only on the stops' positions and IDs (and, for the never-longer guarantee, on their
// order), so it is deterministic.
func OrderRoute(baseLat, baseLon float64, stops []Stop, returnToBase bool) (order []int, lengthM float64) {
	if len(stops) == 0 {
		return []int{}, 0
	}
	// Collapse stops at one position into one node whose members keep ID order.
	type node struct {
		lat, lon float64
		id       string
		members  []int
	}
	var nodes []node
	var unplaced []int
	at := map[[2]float64]int{}
	for i, s := range stops {
		if !validLatLon(s.Lat, s.Lon) {
			unplaced = append(unplaced, i)
			continue
		}
		k := [2]float64{s.Lat, s.Lon}
		if j, ok := at[k]; ok {
			nodes[j].members = append(nodes[j].members, i)
			continue
		}
		at[k] = len(nodes)
		nodes = append(nodes, node{lat: s.Lat, lon: s.Lon, members: []int{i}})
	}
	byID := func(a, b int) int { return cmp.Or(cmp.Compare(stops[a].ID, stops[b].ID), cmp.Compare(a, b)) }
	for j := range nodes {
		slices.SortFunc(nodes[j].members, byID)
		nodes[j].id = stops[nodes[j].members[0]].ID
	}
	slices.SortFunc(unplaced, byID)

	order = make([]int, 0, len(stops))
	if len(nodes) > 0 {
		// Node 0 is the base; node k+1 is nodes[k].
		r := &router{n: len(nodes) + 1, closed: returnToBase}
		r.lat = make([]float64, r.n)
		r.lon = make([]float64, r.n)
		r.lat[0], r.lon[0] = baseLat, baseLon
		for k, nd := range nodes {
			r.lat[k+1], r.lon[k+1] = nd.lat, nd.lon
		}
		if r.n <= maxMatrixStops+1 {
			r.fillMatrix()
		}
		ids := func(a, b int) int { return cmp.Or(cmp.Compare(nodes[a-1].id, nodes[b-1].id), cmp.Compare(a, b)) }
		tour := r.nearestNeighbour(ids)
		if r.d != nil {
			r.improve(tour)
			// The given order as a second start: nodes were numbered by first appearance.
			given := make([]int, 1, r.n)
			for k := range nodes {
				given = append(given, k+1)
			}
			if r.length(given) < r.length(tour)-improveEpsM {
				r.improve(given)
				if r.length(given) < r.length(tour)-improveEpsM {
					tour = given
				}
			}
		}
		for _, k := range tour[1:] {
			order = append(order, nodes[k-1].members...)
		}
	}
	order = append(order, unplaced...)
	return order, RouteLength(baseLat, baseLon, stops, order, returnToBase)
}

// RouteLength returns the length in metres of the route from the base through stops in the given
// order (indexes into stops) and, when returnToBase is set, back to the base. Stops without a
// valid position are skipped, as OrderRoute does.
func RouteLength(baseLat, baseLon float64, stops []Stop, order []int, returnToBase bool) float64 {
	total := 0.0
	lat, lon := baseLat, baseLon
	for _, i := range order {
		s := stops[i]
		if !validLatLon(s.Lat, s.Lon) {
			continue
		}
		total += DistanceM(lat, lon, s.Lat, s.Lon)
		lat, lon = s.Lat, s.Lon
	}
	if returnToBase {
		total += DistanceM(lat, lon, baseLat, baseLon)
	}
	return total
}

// GroupByPlace groups stops into places: every two stops of a group are within radiusM of each
// other (complete linkage, so that a street of bars does not chain into one place a kilometre
// long). Stops are taken by position (latitude, longitude, then ID) and each joins the group
// whose farthest member is nearest, when that is within radiusM, or starts a new group; stops at
// one position always share a group, even with radiusM 0. A stop without a valid position is a
// group of its own. It returns the groups as indexes into stops, each ascending, the groups
// ordered by their first index.
func GroupByPlace(stops []Stop, radiusM float64) [][]int {
	if len(stops) == 0 {
		return nil
	}
	radiusM = math.Max(radiusM, 0)
	idx := make([]int, 0, len(stops))
	var groups [][]int
	maxAbsLat := 0.0
	for i, s := range stops {
		if !validLatLon(s.Lat, s.Lon) {
			groups = append(groups, []int{i})
			continue
		}
		idx = append(idx, i)
		maxAbsLat = math.Max(maxAbsLat, math.Abs(s.Lat))
	}
	slices.SortFunc(idx, func(a, b int) int {
		sa, sb := stops[a], stops[b]
		return cmp.Or(cmp.Compare(sa.Lat, sb.Lat), cmp.Compare(sa.Lon, sb.Lon), cmp.Compare(sa.ID, sb.ID), cmp.Compare(a, b))
	})
	// A group's seed (first member) is within radiusM of every member, so a stop only needs to
	// look at groups seeded in its own and the eight neighbouring cells of a grid at least
	// radiusM wide.
	cellM := math.Max(radiusM, 1)
	cellLat := cellM / (EarthRadiusM * math.Pi / 180)
	cellLon := cellLat / math.Cos(math.Min(maxAbsLat, 89)*math.Pi/180)
	type cell struct{ r, c int64 }
	cellOf := func(s Stop) cell {
		return cell{int64(math.Floor(s.Lat / cellLat)), int64(math.Floor(s.Lon / cellLon))}
	}
	seeded := map[cell][]int{} // cell -> indexes into local
	var local [][]int
	for _, i := range idx {
		s := stops[i]
		c := cellOf(s)
		best, bestD := -1, math.Inf(1)
		for dr := int64(-1); dr <= 1; dr++ {
			for dc := int64(-1); dc <= 1; dc++ {
				for _, g := range seeded[cell{c.r + dr, c.c + dc}] {
					far := 0.0
					for _, m := range local[g] {
						far = math.Max(far, DistanceM(s.Lat, s.Lon, stops[m].Lat, stops[m].Lon))
						if far > radiusM {
							break
						}
					}
					if far <= radiusM && (far < bestD || (far == bestD && g < best)) {
						best, bestD = g, far
					}
				}
			}
		}
		if best < 0 {
			best = len(local)
			local = append(local, nil)
			seeded[c] = append(seeded[c], best)
		}
		local[best] = append(local[best], i)
	}
	for _, g := range local {
		slices.Sort(g)
		groups = append(groups, g)
	}
	slices.SortFunc(groups, func(a, b []int) int { return cmp.Compare(a[0], b[0]) })
	return groups
}

// router holds the nodes of one route: node 0 is the base.
type router struct {
	n        int
	lat, lon []float64
	d        []float64 // n*n distances, nil when n is too large
	closed   bool
}

func (r *router) fillMatrix() {
	r.d = make([]float64, r.n*r.n)
	for a := 0; a < r.n; a++ {
		for b := a + 1; b < r.n; b++ {
			v := DistanceM(r.lat[a], r.lon[a], r.lat[b], r.lon[b])
			r.d[a*r.n+b], r.d[b*r.n+a] = v, v
		}
	}
}

func (r *router) dist(a, b int) float64 {
	if r.d != nil {
		return r.d[a*r.n+b]
	}
	return DistanceM(r.lat[a], r.lon[a], r.lat[b], r.lon[b])
}

// edge is the cost of a step to b; b < 0 is the open end of a path, reached for free.
func (r *router) edge(a, b int) float64 {
	if b < 0 {
		return 0
	}
	return r.dist(a, b)
}

// succ is the node after position k of the tour: the base again on a closed tour, -1 past the
// end of a path.
func (r *router) succ(t []int, k int) int {
	if k+1 < len(t) {
		return t[k+1]
	}
	if r.closed {
		return t[0]
	}
	return -1
}

func (r *router) length(t []int) float64 {
	total := 0.0
	for k := range t {
		total += r.edge(t[k], r.succ(t, k))
	}
	return total
}

// nearestNeighbour returns the tour 0, a, b, ... that always goes to the nearest node not yet
// visited; cmpID breaks ties.
func (r *router) nearestNeighbour(cmpID func(a, b int) int) []int {
	tour := make([]int, 1, r.n)
	seen := make([]bool, r.n)
	seen[0] = true
	cur := 0
	for len(tour) < r.n {
		next, nextD := -1, 0.0
		for b := 1; b < r.n; b++ {
			if seen[b] {
				continue
			}
			d := r.dist(cur, b)
			if next < 0 || d < nextD || (d == nextD && cmpID(b, next) < 0) {
				next, nextD = b, d
			}
		}
		seen[next] = true
		tour = append(tour, next)
		cur = next
	}
	return tour
}

// improve applies 2-opt and Or-opt moves to t in place until none gains.
func (r *router) improve(t []int) {
	if len(t) < 3 {
		return
	}
	for pass := 0; pass < maxImprovePasses; pass++ {
		improved := r.twoOpt(t)
		if r.orOpt(t) {
			improved = true
		}
		if !improved {
			return
		}
	}
}

// twoOpt reverses t[i..j] whenever that shortens the tour (first improvement).
func (r *router) twoOpt(t []int) bool {
	improved := false
	m := len(t)
	for i := 1; i < m-1; i++ {
		for j := i + 1; j < m; j++ {
			a, b, c, e := t[i-1], t[i], t[j], r.succ(t, j)
			if r.dist(a, c)+r.edge(b, e)-r.dist(a, b)-r.edge(c, e) < -improveEpsM {
				slices.Reverse(t[i : j+1])
				improved = true
			}
		}
	}
	return improved
}

// orOpt moves a run of one to maxOrOptSegment stops, either way round, to the place where it
// costs least, whenever that shortens the tour.
func (r *router) orOpt(t []int) bool {
	improved := false
	m := len(t)
	buf := make([]int, 0, m)
	for l := 1; l <= maxOrOptSegment && l < m-1; l++ {
		for i := 1; i+l <= m; i++ {
			j := i + l - 1 // the run is t[i..j]
			prev, next := t[i-1], r.succ(t, j)
			s0, s1 := t[i], t[j]
			gain := r.dist(prev, s0) + r.edge(s1, next) - r.edge(prev, next)
			bestP, bestRev, bestDelta := -1, false, -improveEpsM
			for p := 0; p < m; p++ {
				if p >= i-1 && p <= j {
					continue // inside the run, or where it already is
				}
				a, b := t[p], r.succ(t, p)
				base := r.edge(a, b)
				if d := r.dist(a, s0) + r.edge(s1, b) - base - gain; d < bestDelta {
					bestP, bestRev, bestDelta = p, false, d
				}
				if l > 1 {
					if d := r.dist(a, s1) + r.edge(s0, b) - base - gain; d < bestDelta {
						bestP, bestRev, bestDelta = p, true, d
					}
				}
			}
			if bestP < 0 {
				continue
			}
			run := append([]int(nil), t[i:j+1]...)
			if bestRev {
				slices.Reverse(run)
			}
			buf = buf[:0]
			for k := 0; k < m; k++ {
				if k >= i && k <= j {
					continue
				}
				buf = append(buf, t[k])
				if k == bestP {
					buf = append(buf, run...)
				}
			}
			copy(t, buf)
			improved = true
		}
	}
	return improved
}
