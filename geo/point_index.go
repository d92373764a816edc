package geo

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// Point is a business (or anything else with an id) at a WGS84 position.
type Point struct {
	ID       string
	Lat, Lon float64
}

// Hit is a point found near a position, with its great-circle distance in metres.
type Hit struct {
	ID        string
	DistanceM float64
}

// pointCellDeg is the grid cell size. At about 1.1 km it makes a 500 m query read two to four
// cells, and even a 50 km query only a hundred rows of binary search.
const pointCellDeg = 0.01

// PointIndex finds the businesses near a position (an inspector's "what is around me", the
// clustering of a day's route). Points are kept sorted by grid cell, row by row, in flat arrays:
// a query binary-searches each row of cells it overlaps and reads contiguous memory, with no
// pointers for the garbage collector to follow in an index of a million points. It is immutable
// after construction and safe for concurrent readers.
type PointIndex struct {
	ids            []string
	lat, lon       []float64
	keys           []int64 // row*cols + col of each point, ascending
	minLat, minLon float64
	maxLat, maxLon float64
	rows, cols     int64
}

// NewPointIndex indexes the points. Points whose position is not a finite WGS84 latitude and
// longitude are left out (a business not yet geocoded is stored at 0, 0 or NaN by some
// importers); Len tells how many were indexed. Points may share a position or an ID.
func NewPointIndex(pts []Point) *PointIndex {
	x := &PointIndex{}
	valid := make([]Point, 0, len(pts))
	minLat, minLon, maxLat, maxLon := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range pts {
		if !validLatLon(p.Lat, p.Lon) {
			continue
		}
		valid = append(valid, p)
		minLat, maxLat = math.Min(minLat, p.Lat), math.Max(maxLat, p.Lat)
		minLon, maxLon = math.Min(minLon, p.Lon), math.Max(maxLon, p.Lon)
	}
	if len(valid) == 0 {
		return x
	}
	x.minLat, x.minLon, x.maxLat, x.maxLon = minLat, minLon, maxLat, maxLon
	x.rows = int64((maxLat-minLat)/pointCellDeg) + 1
	x.cols = int64((maxLon-minLon)/pointCellDeg) + 1
	type keyed struct {
		key int64
		i   int32
	}
	order := make([]keyed, len(valid))
	for i, p := range valid {
		order[i] = keyed{x.key(x.row(p.Lat), x.col(p.Lon)), int32(i)}
	}
	slices.SortFunc(order, func(a, b keyed) int { return cmp.Compare(a.key, b.key) })
	x.ids = make([]string, len(valid))
	x.lat = make([]float64, len(valid))
	x.lon = make([]float64, len(valid))
	x.keys = make([]int64, len(valid))
	for j, o := range order {
		p := valid[o.i]
		x.ids[j], x.lat[j], x.lon[j], x.keys[j] = p.ID, p.Lat, p.Lon, o.key
	}
	return x
}

func validLatLon(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}

// row and col clamp to the grid, so that a query box reaching past the data reads the edge
// cells. Both are monotonic in their argument, which is what makes the box-to-cells step
// conservative: a point inside the box is in a cell between the box corners' cells.
func (x *PointIndex) row(lat float64) int64 {
	return clampCell(math.Floor((lat-x.minLat)/pointCellDeg), x.rows)
}

func (x *PointIndex) col(lon float64) int64 {
	return clampCell(math.Floor((lon-x.minLon)/pointCellDeg), x.cols)
}

func clampCell(v float64, n int64) int64 {
	if v < 0 {
		return 0
	}
	if v >= float64(n) {
		return n - 1
	}
	return int64(v)
}

func (x *PointIndex) key(row, col int64) int64 { return row*x.cols + col }

// Len returns the number of indexed points.
func (x *PointIndex) Len() int {
	if x == nil {
		return 0
	}
	return len(x.ids)
}

// Near returns every point within radiusM metres (great-circle, as DistanceM, boundary
// included) of the position, nearest first, equal distances by ID; at most limit hits when limit
// is positive. The grid only narrows the search: each candidate's distance is computed exactly,
// so nothing farther is returned and nothing nearer is missed, at any latitude and radius.
// An invalid position or a negative radius finds nothing.
func (x *PointIndex) Near(lat, lon, radiusM float64, limit int) []Hit {
	if x == nil || len(x.ids) == 0 || !validLatLon(lat, lon) || !(radiusM >= 0) {
		return nil
	}
	box := capBox(lat, lon, radiusM)
	if box.maxLat < x.minLat || box.minLat > x.maxLat || box.maxLon < x.minLon || box.minLon > x.maxLon {
		return nil
	}
	r0, r1 := x.row(box.minLat), x.row(box.maxLat)
	c0, c1 := x.col(box.minLon), x.col(box.maxLon)
	var hits []Hit
	top := hitHeap{limit: limit}
	for r := r0; r <= r1; r++ {
		lo, _ := slices.BinarySearch(x.keys, x.key(r, c0))
		hi, _ := slices.BinarySearch(x.keys[lo:], x.key(r, c1)+1)
		for i := lo; i < lo+hi; i++ {
			pLat, pLon := x.lat[i], x.lon[i]
			if pLat < box.minLat || pLat > box.maxLat || pLon < box.minLon || pLon > box.maxLon {
				continue
			}
			d := DistanceM(lat, lon, pLat, pLon)
			if d > radiusM {
				continue
			}
			h := Hit{ID: x.ids[i], DistanceM: d}
			if limit > 0 {
				top.offer(h)
			} else {
				hits = append(hits, h)
			}
		}
	}
	if limit > 0 {
		hits = top.h
	}
	slices.SortFunc(hits, compareHits)
	return hits
}

func compareHits(a, b Hit) int {
	return cmp.Or(cmp.Compare(a.DistanceM, b.DistanceM), strings.Compare(a.ID, b.ID))
}

// latLonBox is a box in degrees.
type latLonBox struct{ minLat, maxLat, minLon, maxLon float64 }

// capBox returns a box that contains every position within radiusM of (lat, lon) on the sphere
// DistanceM uses. Latitude spans exactly the angular radius; the longitude half-width of a
// spherical cap is asin(sin r / cos lat), which grows without bound near a pole, so a cap that
// reaches a pole (or the antimeridian) takes every longitude. A relative and an absolute margin
// absorb rounding, so the box errs on the large side.
func capBox(lat, lon, radiusM float64) latLonBox {
	const deg = 180 / math.Pi
	ang := radiusM / EarthRadiusM
	world := latLonBox{-90, 90, -180, 180}
	if ang >= math.Pi/2 {
		return world
	}
	dLat := ang*deg*(1+1e-9) + 1e-9
	b := latLonBox{lat - dLat, lat + dLat, -180, 180}
	if b.minLat <= -90 || b.maxLat >= 90 {
		b.minLat, b.maxLat = math.Max(b.minLat, -90), math.Min(b.maxLat, 90)
		return b
	}
	s := math.Sin(ang) / math.Cos(lat/deg)
	if s >= 1 {
		return b
	}
	dLon := math.Asin(s)*deg*(1+1e-9) + 1e-9
	if lon-dLon < -180 || lon+dLon > 180 {
		return b
	}
	b.minLon, b.maxLon = lon-dLon, lon+dLon
	return b
}

// hitHeap keeps the limit nearest hits seen so far as a max-heap on (distance, ID), so that a
// wide query with a small limit costs O(n log limit) rather than sorting every hit.
type hitHeap struct {
	h     []Hit
	limit int
}

func (q *hitHeap) offer(h Hit) {
	if len(q.h) < q.limit {
		q.h = append(q.h, h)
		for i := len(q.h) - 1; i > 0; {
			p := (i - 1) / 2
			if compareHits(q.h[p], q.h[i]) >= 0 {
				break
			}
			q.h[p], q.h[i] = q.h[i], q.h[p]
			i = p
		}
		return
	}
	if compareHits(h, q.h[0]) >= 0 {
		return
	}
	q.h[0] = h
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(q.h) && compareHits(q.h[l], q.h[m]) > 0 {
			m = l
		}
		if r < len(q.h) && compareHits(q.h[r], q.h[m]) > 0 {
			m = r
		}
		if m == i {
			return
		}
		q.h[i], q.h[m] = q.h[m], q.h[i]
		i = m
	}
}
