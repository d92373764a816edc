// Package demo builds the synthetic data that `kiemtra demo` loads: administrative polygons for
// Can Tho's 2021 units, a registry of businesses, teams and users. The shapes and the businesses
// are invented (plausible and deterministic, never legal boundaries or real establishments) so
// that the maps, the planner and the reports have something realistic to show on a laptop.
package demo

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"kiemtra/models"
	"kiemtra/refdata"
)

// The polygons are traced on a raster: every cell belongs to at most one ward, and districts and
// the city are unions of cells, so shared edges match exactly and the tiling has neither gaps
// nor overlaps by construction.
const (
	// cellsPerDeg sets the cell size (0.001 degree, about 110 m). Urban wards of Ninh Kieu are
	// about 0.6 km apart, so a coarser grid leaves some of them with only a handful of cells.
	// An integer number of cells per degree keeps every vertex a short decimal.
	cellsPerDeg = 1000
	// reachKm is how far the city extends from the nearest ward centroid. Rural centroids are
	// up to 5.5 km from their nearest neighbour, so discs of this radius still overlap into one
	// city, and its area (about 1,800 km2) is of the order of Can Tho's real 1,440 km2.
	reachKm = 4.8
	// reachWobble varies the reach smoothly (plus or minus this share) so that the outline looks
	// like a coastline rather than a string of circles.
	reachWobble = 0.25
	// movedSeedKm is how far a ward whose data centroid coincides with another ward's is moved.
	movedSeedKm = 2.5
	// maxFixPasses bounds the clean-up loop; in practice it settles in a few passes.
	maxFixPasses = 200
)

// km per degree near Can Tho (latitude about 10.1 degrees).
var (
	kmPerDegLat = 110.6
	kmPerDegLon = 111.32 * math.Cos(10.1*math.Pi/180)
)

// validFrom is the first day of the demo areas, before the programme starts.
var validFrom = models.NewDate(2020, 1, 1)

// Areas returns synthetic polygons for the city, its districts and its wards, parents before
// children: the city first, then each district followed by its wards. The wards tile the city
// without gaps or overlaps, every district is exactly the union of its wards, and the output
// depends only on u.
//
// A ward whose data centroid coincides with an earlier ward's (Thị trấn Thanh An and Xã Thạnh
// An share one point in the 2021 data) is grown from a point moved a little away, and that point
// becomes its Lat/Lon; every other area keeps the data's centroid as its Lat/Lon.
func Areas(u *refdata.Units2021) ([]*models.Area, error) {
	if u == nil || len(u.Districts) == 0 {
		return nil, fmt.Errorf("demo areas: no districts")
	}
	seeds, err := wardSeeds(u)
	if err != nil {
		return nil, err
	}
	r := newRaster(seeds)
	if err := r.build(); err != nil {
		return nil, err
	}
	return r.areas2021(u)
}

// areas2021 traces the city (all the raster's cells), the old city's districts and wards.
func (r *raster) areas2021(u *refdata.Units2021) ([]*models.Area, error) {
	var err error
	cityCode := u.City.Code
	if cityCode == "" {
		cityCode = "92"
	}
	cityName := u.City.Name
	if cityName == "" {
		cityName = "Thành phố Cần Thơ"
	}
	// The city's label point is the first district's centroid (Ninh Kieu, the centre).
	d0 := u.Districts[0]
	if !r.strictlyInside(d0.Lat, d0.Lon, func(l int32) bool { return l >= 0 }) {
		return nil, fmt.Errorf("demo areas: %s centroid is outside the city", d0.Name)
	}
	city := &models.Area{
		Code:      cityCode,
		Name:      cityName,
		TypeName:  "Thành phố",
		Level:     models.AreaLevelCity,
		Lat:       d0.Lat,
		Lon:       d0.Lon,
		ValidFrom: validFrom,
	}
	if city.Geometry, err = r.geometry(func(l int32) bool { return l >= 0 }, r.full()); err != nil {
		return nil, err
	}
	areas := []*models.Area{city}

	for di, d := range u.Districts {
		inDistrict := func(l int32) bool { return l >= 0 && r.seeds[l].district == di }
		if !r.strictlyInside(d.Lat, d.Lon, inDistrict) {
			return nil, fmt.Errorf("demo areas: centroid of %s is outside its wards", d.Name)
		}
		da := &models.Area{
			Code:       d.Code,
			ParentCode: ptr(cityCode),
			Name:       d.Name,
			TypeName:   d.Type,
			Level:      models.AreaLevelDistrict,
			Lat:        d.Lat,
			Lon:        d.Lon,
			ValidFrom:  validFrom,
		}
		var box cellBox
		for wi, s := range r.seeds {
			if s.district == di {
				box = box.union(r.boxes[wi])
			}
		}
		if da.Geometry, err = r.geometry(inDistrict, box); err != nil {
			return nil, err
		}
		areas = append(areas, da)
		for wi := range r.seeds {
			s := &r.seeds[wi]
			if s.district != di {
				continue
			}
			w := &models.Area{
				Code:       s.code,
				ParentCode: ptr(d.Code),
				Name:       s.name,
				TypeName:   s.typeName,
				Level:      models.AreaLevelWard,
				Lat:        s.lat,
				Lon:        s.lon,
				ValidFrom:  validFrom,
			}
			label := int32(wi)
			if w.Geometry, err = r.geometry(func(l int32) bool { return l == label }, r.boxes[wi]); err != nil {
				return nil, err
			}
			areas = append(areas, w)
		}
	}
	return areas, nil
}

func ptr[T any](v T) *T { return &v }

// seed is a ward (or, beyond the old city, a 2025 unit) and the point its cells grow from.
type seed struct {
	code, name, typeName string
	district             int     // index in Units2021.Districts; -1 for a 2025 unit beyond the old city
	unit                 int     // the 2025 unit its cells go to; -1 when no 2025 map is drawn
	reach                float64 // how far from the seed its cells may be, in km
	lat, lon             float64 // the label point: the data centroid, or the moved point
	x, y                 float64 // the label point in km
}

func toKm(lat, lon float64) (x, y float64) { return lon * kmPerDegLon, lat * kmPerDegLat }

// wardSeeds lists the wards in data order. A centroid that is (nearly) shared with an earlier
// ward is moved, because two wards cannot both contain one point strictly.
func wardSeeds(u *refdata.Units2021) ([]seed, error) {
	var seeds []seed
	seen := map[string]bool{}
	for di, d := range u.Districts {
		if len(d.Wards) == 0 {
			return nil, fmt.Errorf("demo areas: district %s has no wards", d.Code)
		}
		for _, w := range d.Wards {
			if seen[w.Code] {
				return nil, fmt.Errorf("demo areas: ward code %s appears twice", w.Code)
			}
			seen[w.Code] = true
			s := seed{code: w.Code, name: w.Name, typeName: w.Type, district: di, unit: -1, reach: reachKm, lat: w.Lat, lon: w.Lon}
			s.x, s.y = toKm(w.Lat, w.Lon)
			seeds = append(seeds, s)
		}
	}
	// Seeds this far apart are at least 3 cells apart along some axis, so that their forced 3x3
	// blocks cannot overlap. The closest real pair is 0.62 km apart.
	const minKm = 0.5
	for i := range seeds {
		for j := 0; j < i; j++ {
			if math.Hypot(seeds[i].x-seeds[j].x, seeds[i].y-seeds[j].y) < minKm {
				moveSeed(seeds, i)
				break
			}
		}
	}
	return seeds, nil
}

// moveSeed moves seed i by movedSeedKm in the direction (of 16) that keeps it farthest from every
// other seed, and rounds the new point to 5 decimals as the data's points are.
func moveSeed(seeds []seed, i int) {
	best, bestX, bestY := -1.0, 0.0, 0.0
	for k := 0; k < 16; k++ {
		a := float64(k) * math.Pi / 8
		x := seeds[i].x + movedSeedKm*math.Cos(a)
		y := seeds[i].y + movedSeedKm*math.Sin(a)
		nearest := math.Inf(1)
		for j := range seeds {
			if j != i {
				nearest = min(nearest, math.Hypot(x-seeds[j].x, y-seeds[j].y))
			}
		}
		if nearest > best {
			best, bestX, bestY = nearest, x, y
		}
	}
	s := &seeds[i]
	s.lat = math.Round(bestY/kmPerDegLat*1e5) / 1e5
	s.lon = math.Round(bestX/kmPerDegLon*1e5) / 1e5
	s.x, s.y = toKm(s.lat, s.lon)
}

// raster is the grid of cells. Cell (i, j) spans longitudes [(i0+i)/cellsPerDeg,
// (i0+i+1)/cellsPerDeg] and latitudes [(j0+j)/cellsPerDeg, (j0+j+1)/cellsPerDeg]; its label is
// the index of its ward's seed, or -1 outside the city.
type raster struct {
	seeds  []seed
	i0, j0 int
	w, h   int
	label  []int32
	near   []int32 // the nearest seed of each cell, the fallback owner of filled cells
	forced []bool  // cells around a seed, which never change owner
	boxes  []cellBox
}

// cellBox is a range of cells, i in [i0, i1) and j in [j0, j1); the zero box is empty.
type cellBox struct{ i0, j0, i1, j1 int }

func (b cellBox) union(o cellBox) cellBox {
	if b.i1 <= b.i0 {
		return o
	}
	return cellBox{min(b.i0, o.i0), min(b.j0, o.j0), max(b.i1, o.i1), max(b.j1, o.j1)}
}

func (r *raster) full() cellBox { return cellBox{0, 0, r.w, r.h} }

func newRaster(seeds []seed) *raster {
	minLat, maxLat, minLon, maxLon := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, s := range seeds {
		minLat, maxLat = min(minLat, s.lat), max(maxLat, s.lat)
		minLon, maxLon = min(minLon, s.lon), max(maxLon, s.lon)
	}
	// A margin of the longest reach plus two cells keeps the city off the grid's edge.
	longest := reachKm
	for _, s := range seeds {
		longest = max(longest, s.reach)
	}
	mLat := longest*(1+reachWobble)/kmPerDegLat + 2.0/cellsPerDeg
	mLon := longest*(1+reachWobble)/kmPerDegLon + 2.0/cellsPerDeg
	r := &raster{
		seeds: seeds,
		i0:    int(math.Floor((minLon - mLon) * cellsPerDeg)),
		j0:    int(math.Floor((minLat - mLat) * cellsPerDeg)),
	}
	r.w = int(math.Ceil((maxLon+mLon)*cellsPerDeg)) - r.i0
	r.h = int(math.Ceil((maxLat+mLat)*cellsPerDeg)) - r.j0
	n := r.w * r.h
	r.label = make([]int32, n)
	r.near = make([]int32, n)
	r.forced = make([]bool, n)
	return r
}

// vertexLon and vertexLat are the coordinates of grid vertex (i, j). Dividing the integer keeps
// them correctly rounded, so every ring that uses a vertex writes the same decimal.
func (r *raster) vertexLon(i int) float64 { return float64(r.i0+i) / cellsPerDeg }
func (r *raster) vertexLat(j int) float64 { return float64(r.j0+j) / cellsPerDeg }

// cellOf returns the cell that contains the point (lat, lon).
func (r *raster) cellOf(lat, lon float64) (i, j int) {
	return int(math.Floor(lon*cellsPerDeg)) - r.i0, int(math.Floor(lat*cellsPerDeg)) - r.j0
}

func (r *raster) at(i, j int) int32 {
	if i < 0 || j < 0 || i >= r.w || j >= r.h {
		return -1
	}
	return r.label[j*r.w+i]
}

// wobble is a smooth, fixed pattern in [-1, 1] over the plane (x, y in km), with wavelengths of
// about 4 to 20 km: bays and headlands of a few km on an outline the size of a district.
func wobble(x, y float64) float64 {
	return (math.Sin(x/3.1+1.3) + math.Sin(y/2.6+0.4) + math.Sin((x+y)/4.1+2.2) +
		math.Sin((x-0.6*y)/1.5+5.1) + 0.6*math.Sin((0.8*x+y)/0.8+0.7)) / 4.6
}

// build gives every cell near enough to a ward centroid to the nearest ward, keeps the one piece
// of city that holds the seeds, and settles the result.
func (r *raster) build() error {
	inCity := make([]bool, len(r.label))
	xs, ys := make([]float64, len(r.seeds)), make([]float64, len(r.seeds))
	for k, s := range r.seeds {
		xs[k], ys[k] = s.x, s.y
	}
	for j := 0; j < r.h; j++ {
		for i := 0; i < r.w; i++ {
			lon := (float64(r.i0+i) + 0.5) / cellsPerDeg
			lat := (float64(r.j0+j) + 0.5) / cellsPerDeg
			x, y := toKm(lat, lon)
			best, bestD2 := int32(-1), math.Inf(1)
			for k := range xs {
				dx, dy := x-xs[k], y-ys[k]
				if d2 := dx*dx + dy*dy; d2 < bestD2 {
					best, bestD2 = int32(k), d2
				}
			}
			c := j*r.w + i
			r.near[c] = best
			reach := reachKm
			if best >= 0 && r.seeds[best].reach > 0 {
				reach = r.seeds[best].reach
			}
			inCity[c] = math.Sqrt(bestD2) <= reach*(1+reachWobble*wobble(x, y))
		}
	}
	for k, s := range r.seeds {
		si, sj := r.cellOf(s.lat, s.lon)
		for dj := -1; dj <= 1; dj++ {
			for di := -1; di <= 1; di++ {
				c := (sj+dj)*r.w + si + di
				if r.forced[c] && r.near[c] != int32(k) {
					return fmt.Errorf("demo areas: wards %s and %s are too close", s.code, r.seeds[r.near[c]].code)
				}
				r.forced[c], r.near[c], inCity[c] = true, int32(k), true
			}
		}
	}
	// Keep the piece of the city that holds the first seed; every seed must be in it.
	s0i, s0j := r.cellOf(r.seeds[0].lat, r.seeds[0].lon)
	keep := r.flood(s0i, s0j, func(c int) bool { return inCity[c] })
	for c := range r.label {
		r.label[c] = -1
		if keep[c] {
			r.label[c] = r.near[c]
		}
	}
	for _, s := range r.seeds {
		if i, j := r.cellOf(s.lat, s.lon); !keep[j*r.w+i] {
			return fmt.Errorf("demo areas: ward %s is cut off from the city; increase reachKm", s.code)
		}
	}

	return r.settle()
}

// settle cleans the labels until every ward is 4-connected and holds its seed, no ward, district
// or the city touches itself at a corner only, and the city has no holes. Each fix can undo
// another's work, so they run in turns until none changes anything.
func (r *raster) settle() error {
	for pass := 0; ; pass++ {
		if pass == maxFixPasses {
			return fmt.Errorf("demo areas: the raster did not settle in %d passes", maxFixPasses)
		}
		changed := r.fillHoles()
		changed = r.mergeFragments() || changed
		changed = r.fixPinches() || changed
		if !changed {
			break
		}
	}
	// Bounding boxes let tracing skip the rest of the grid.
	r.boxes = make([]cellBox, len(r.seeds))
	for c, l := range r.label {
		if l >= 0 {
			i, j := c%r.w, c/r.w
			r.boxes[l] = r.boxes[l].union(cellBox{i, j, i + 1, j + 1})
		}
	}
	return nil
}

// flood returns the 4-connected cells reachable from (i, j) through cells where ok holds.
func (r *raster) flood(i, j int, ok func(c int) bool) []bool {
	seen := make([]bool, len(r.label))
	start := j*r.w + i
	if !ok(start) {
		return seen
	}
	seen[start] = true
	stack := []int{start}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		ci, cj := c%r.w, c/r.w
		for _, n := range [4][2]int{{ci - 1, cj}, {ci + 1, cj}, {ci, cj - 1}, {ci, cj + 1}} {
			if n[0] < 0 || n[1] < 0 || n[0] >= r.w || n[1] >= r.h {
				continue
			}
			nc := n[1]*r.w + n[0]
			if !seen[nc] && ok(nc) {
				seen[nc] = true
				stack = append(stack, nc)
			}
		}
	}
	return seen
}

// fillHoles gives every outside cell that cannot reach the grid's edge to its nearest ward; a
// pocket that touches the outside only at a corner counts as a hole too.
func (r *raster) fillHoles() bool {
	// The corner cell is outside: the margin is wider than the longest reach.
	outside := r.flood(0, 0, func(c int) bool { return r.label[c] < 0 })
	changed := false
	for c, l := range r.label {
		if l < 0 && !outside[c] {
			r.label[c] = r.near[c]
			changed = true
		}
	}
	return changed
}

// mergeFragments hands every piece of a ward that is cut off from its seed to the neighbouring
// ward that shares the longest border with it.
func (r *raster) mergeFragments() bool {
	changed := false
	for k, s := range r.seeds {
		si, sj := r.cellOf(s.lat, s.lon)
		main := r.flood(si, sj, func(c int) bool { return r.label[c] == int32(k) })
		for c, l := range r.label {
			if l != int32(k) || main[c] {
				continue
			}
			frag := r.flood(c%r.w, c/r.w, func(c int) bool { return r.label[c] == int32(k) })
			border := make(map[int32]int)
			for fc, in := range frag {
				if !in {
					continue
				}
				fi, fj := fc%r.w, fc/r.w
				for _, n := range [4][2]int{{fi - 1, fj}, {fi + 1, fj}, {fi, fj - 1}, {fi, fj + 1}} {
					if nl := r.at(n[0], n[1]); nl >= 0 && nl != int32(k) {
						border[nl]++
					}
				}
			}
			to, most := int32(-1), 0
			for nl, n := range border {
				if n > most || (n == most && nl < to) {
					to, most = nl, n
				}
			}
			for fc, in := range frag {
				if in {
					// A fragment that touches no other ward cannot exist in a connected city;
					// dropping it keeps the tiling valid all the same.
					r.label[fc] = to
				}
			}
			changed = true
		}
	}
	return changed
}

// fixPinches removes every grid vertex where two cells of one ward, district or of the city meet
// only diagonally: the traced ring would touch itself there, which GeoJSON validity forbids.
// It gives one of the two other cells to the diagonal pair's ward (or, when the pair is outside
// the city, fills a cell of the pair).
func (r *raster) fixPinches() bool {
	changed := false
	levels := []func(int32) int32{
		func(l int32) int32 { return min(l, 0) }, // city: -1 outside, 0 inside
		func(l int32) int32 { // the old city (2021) apart from the merged provinces
			if l < 0 {
				return -1
			}
			if r.seeds[l].district < 0 {
				return 1
			}
			return 0
		},
		func(l int32) int32 {
			if l < 0 {
				return -1
			}
			if r.seeds[l].district < 0 {
				return 1000 + l // beyond the old city a seed is its own district
			}
			return int32(r.seeds[l].district)
		},
		func(l int32) int32 { // the 2025 units, unions of wards in the old city
			if l < 0 {
				return -1
			}
			if u := r.seeds[l].unit; u >= 0 {
				return 100000 + int32(u)
			}
			return l
		},
		func(l int32) int32 { return l },
	}
	for j := 1; j < r.h; j++ {
		for i := 1; i < r.w; i++ {
			// sw, se, nw, ne around vertex (i, j)
			cells := [4]int{(j-1)*r.w + i - 1, (j-1)*r.w + i, j*r.w + i - 1, j*r.w + i}
			for guard := 0; guard < 8; guard++ {
				fixed := false
				for _, lv := range levels {
					if r.fixPinchAt(cells, lv) {
						fixed = true
						break
					}
				}
				if !fixed {
					break
				}
				changed = true
			}
		}
	}
	return changed
}

// fixPinchAt resolves one pinch at the level lv, if there is one, and reports whether it
// changed a cell.
func (r *raster) fixPinchAt(cells [4]int, lv func(int32) int32) bool {
	sw, se, nw, ne := cells[0], cells[1], cells[2], cells[3]
	l := func(c int) int32 { return lv(r.label[c]) }
	var a, b, c, d int // a and d are the diagonal pair, b and c the other two cells
	switch {
	case l(sw) == l(ne) && l(se) != l(sw) && l(nw) != l(sw):
		a, d, b, c = sw, ne, se, nw
	case l(se) == l(nw) && l(sw) != l(se) && l(ne) != l(se):
		a, d, b, c = se, nw, sw, ne
	default:
		return false
	}
	if r.label[a] < 0 {
		// The pair is outside the city: fill one of its cells rather than shrink the city.
		r.label[a] = r.label[b]
		return true
	}
	for _, x := range [2]int{b, c} {
		if !r.forced[x] {
			r.label[x] = r.label[a]
			return true
		}
	}
	for _, x := range [2]int{a, d} {
		if !r.forced[x] {
			r.label[x] = r.label[b]
			return true
		}
	}
	return false
}

// strictlyInside reports whether the point's cell and its eight neighbours all belong to the set,
// so that the point is at least one cell away from the set's boundary.
func (r *raster) strictlyInside(lat, lon float64, in func(int32) bool) bool {
	ci, cj := r.cellOf(lat, lon)
	for dj := -1; dj <= 1; dj++ {
		for di := -1; di <= 1; di++ {
			if !in(r.at(ci+di, cj+dj)) {
				return false
			}
		}
	}
	return true
}

// geometry traces the boundary of the set of cells whose label satisfies in, all of which lie in
// box, and returns it as a GeoJSON Polygon or MultiPolygon.
func (r *raster) geometry(in func(int32) bool, box cellBox) (string, error) {
	g, err := r.trace(in, box)
	if err != nil {
		return "", err
	}
	b, err := geojson.NewGeometry(g).MarshalJSON()
	if err != nil {
		return "", fmt.Errorf("demo areas: %w", err)
	}
	return string(b), nil
}

// trace follows the cell edges between the set and the rest. Each boundary edge is directed with
// the set on its left, so exterior rings come out counter-clockwise and holes clockwise, as RFC
// 7946 wants. Because build leaves no pinches, every vertex starts at most one edge and the
// rings link up without choices.
func (r *raster) trace(in func(int32) bool, box cellBox) (orb.Geometry, error) {
	inAt := func(i, j int) bool { return in(r.at(i, j)) }
	vid := func(i, j int) int { return j*(r.w+1) + i }
	next := make(map[int]int)
	var starts []int
	add := func(from, to int) {
		next[from] = to
		starts = append(starts, from)
	}
	for j := box.j0; j < box.j1; j++ {
		for i := box.i0; i < box.i1; i++ {
			if !inAt(i, j) {
				continue
			}
			if !inAt(i, j-1) {
				add(vid(i, j), vid(i+1, j))
			}
			if !inAt(i+1, j) {
				add(vid(i+1, j), vid(i+1, j+1))
			}
			if !inAt(i, j+1) {
				add(vid(i+1, j+1), vid(i, j+1))
			}
			if !inAt(i-1, j) {
				add(vid(i, j+1), vid(i, j))
			}
		}
	}
	if len(starts) == 0 {
		return nil, fmt.Errorf("demo areas: empty area")
	}
	if len(next) != len(starts) {
		return nil, fmt.Errorf("demo areas: a boundary touches itself")
	}

	var outer, holes []orb.Ring
	done := make(map[int]bool, len(starts))
	for _, s := range starts {
		if done[s] {
			continue
		}
		var ids []int
		for v := s; !done[v]; v = next[v] {
			done[v] = true
			ids = append(ids, v)
		}
		ring := r.ring(ids)
		if ring.Orientation() == orb.CCW {
			outer = append(outer, ring)
		} else {
			holes = append(holes, ring)
		}
	}

	polys := make([]orb.Polygon, len(outer))
	for k, o := range outer {
		polys[k] = orb.Polygon{o}
	}
	for _, h := range holes {
		placed := false
		for k := range polys {
			// Rings of one set share no vertex, so any vertex of the hole decides.
			if planar.RingContains(polys[k][0], h[0]) {
				polys[k] = append(polys[k], h)
				placed = true
				break
			}
		}
		if !placed {
			return nil, fmt.Errorf("demo areas: a hole outside every ring")
		}
	}
	if len(polys) == 1 {
		return polys[0], nil
	}
	return orb.MultiPolygon(polys), nil
}

// ring turns a cycle of vertex ids into a closed ring, dropping vertices where the boundary goes
// straight on.
func (r *raster) ring(ids []int) orb.Ring {
	n := len(ids)
	pt := func(k int) (int, int) {
		v := ids[(k%n+n)%n]
		return v % (r.w + 1), v / (r.w + 1)
	}
	var ring orb.Ring
	for k := 0; k < n; k++ {
		pi, pj := pt(k - 1)
		ci, cj := pt(k)
		ni, nj := pt(k + 1)
		if (ci-pi == ni-ci) && (cj-pj == nj-cj) {
			continue
		}
		ring = append(ring, orb.Point{r.vertexLon(ci), r.vertexLat(cj)})
	}
	return append(ring, ring[0])
}
