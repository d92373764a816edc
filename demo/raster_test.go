package demo

import (
	"testing"
)

// newTestRaster builds a raster from rows drawn top (north) first: '.' is outside the city, a
// letter is a ward and its upper case marks the ward's seed cell, which never changes owner.
// Wards a and b are in district 0, the other letters in district 1. Seeds are placed in cell
// units with the grid's origin at 0,0.
func newTestRaster(t *testing.T, rows ...string) *raster {
	t.Helper()
	h, w := len(rows), len(rows[0])
	r := &raster{w: w, h: h, label: make([]int32, w*h), near: make([]int32, w*h), forced: make([]bool, w*h)}
	index := map[byte]int32{}
	for y, row := range rows {
		if len(row) != w {
			t.Fatalf("row %d is %d cells wide, want %d", y, len(row), w)
		}
		j := h - 1 - y
		for i := 0; i < w; i++ {
			ch := row[i]
			if ch == '.' {
				r.label[j*w+i] = -1
				continue
			}
			lower := ch | 0x20
			k, ok := index[lower]
			if !ok {
				k = int32(len(r.seeds))
				index[lower] = k
				district := 1
				if lower == 'a' || lower == 'b' {
					district = 0
				}
				r.seeds = append(r.seeds, seed{code: string(lower), district: district})
			}
			r.label[j*w+i] = k
			if ch != lower {
				r.forced[j*w+i] = true
				r.seeds[k].lat = (float64(j) + 0.5) / cellsPerDeg
				r.seeds[k].lon = (float64(i) + 0.5) / cellsPerDeg
			}
		}
	}
	for k, s := range r.seeds {
		if s.lat == 0 {
			t.Fatalf("ward %s has no seed cell", s.code)
		}
		r.seeds[k].x, r.seeds[k].y = s.lon*cellsPerDeg, s.lat*cellsPerDeg
	}
	// A filled hole goes to the nearest seed, as in build.
	for c := range r.near {
		x, y := float64(c%w)+0.5, float64(c/w)+0.5
		best := 1e18
		for k, s := range r.seeds {
			if d := (x-s.x)*(x-s.x) + (y-s.y)*(y-s.y); d < best {
				best, r.near[c] = d, int32(k)
			}
		}
	}
	return r
}

// checkSettled checks what tracing relies on: seeds keep their cells, every ward is one
// 4-connected piece, nothing touches itself at a corner only, the city has no holes, and every
// ward, district and the city traces into rings.
func checkSettled(t *testing.T, r *raster, before []int32) {
	t.Helper()
	for c, f := range r.forced {
		if f && r.label[c] != before[c] {
			t.Errorf("seed cell %d changed from %d to %d", c, before[c], r.label[c])
		}
	}
	for k, s := range r.seeds {
		si, sj := r.cellOf(s.lat, s.lon)
		piece := r.flood(si, sj, func(c int) bool { return r.label[c] == int32(k) })
		for c, l := range r.label {
			if l == int32(k) && !piece[c] {
				t.Errorf("ward %s has a cell %d apart from its seed", s.code, c)
			}
		}
	}
	district := func(l int32) int32 {
		if l < 0 {
			return -1
		}
		return int32(r.seeds[l].district)
	}
	for j := 1; j < r.h; j++ {
		for i := 1; i < r.w; i++ {
			sw, se, nw, ne := r.at(i-1, j-1), r.at(i, j-1), r.at(i-1, j), r.at(i, j)
			for name, lv := range map[string]func(int32) int32{
				"city":     func(l int32) int32 { return min(l, 0) },
				"district": district,
				"ward":     func(l int32) int32 { return l },
			} {
				a, b, c, d := lv(sw), lv(se), lv(nw), lv(ne)
				if (a == d && b != a && c != a) || (b == c && a != b && d != b) {
					t.Errorf("a %s touches itself only at vertex %d,%d", name, i, j)
				}
			}
		}
	}
	outside := r.flood(0, 0, func(c int) bool { return r.label[c] < 0 })
	for c, l := range r.label {
		if l < 0 && !outside[c] {
			t.Errorf("cell %d is a hole in the city", c)
		}
	}
	if _, err := r.trace(func(l int32) bool { return l >= 0 }, r.full()); err != nil {
		t.Errorf("the city does not trace: %v", err)
	}
	for k := range r.seeds {
		if _, err := r.trace(func(l int32) bool { return l == int32(k) }, r.full()); err != nil {
			t.Errorf("ward %s does not trace: %v", r.seeds[k].code, err)
		}
		if _, err := r.trace(func(l int32) bool { return district(l) == int32(r.seeds[k].district) }, r.full()); err != nil {
			t.Errorf("the district of ward %s does not trace: %v", r.seeds[k].code, err)
		}
	}
}

func TestSettleRepairsWhatTracingCannotDraw(t *testing.T) {
	tests := []struct {
		name string
		rows []string
	}{
		{"two wards in a checkerboard are joined edge to edge", []string{
			".....",
			".Ab..",
			".Ba..",
			".....",
		}},
		{"a city that touches itself at a corner is joined", []string{
			".....",
			".A...",
			"..C..",
			".....",
		}},
		{"a hole in the city is filled", []string{
			".....",
			".AAa.",
			".a.a.",
			".aaa.",
			".....",
		}},
		{"a hole at a corner of the outside is filled", []string{
			"......",
			".Aaa..",
			".a.a..",
			".aa.C.",
			"......",
		}},
		{"a piece of a ward cut off from its seed goes to its neighbour", []string{
			"......",
			".AbBa.",
			"......",
		}},
		{"districts that touch only at a corner are joined", []string{
			".......",
			".AdD...",
			".CbB...",
			".......",
		}},
		{"a ward that wraps around and touches itself is repaired", []string{
			".......",
			".Aaaa..",
			".aCca..",
			".acaa..",
			".a.....",
			".......",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newTestRaster(t, tc.rows...)
			before := append([]int32(nil), r.label...)
			if err := r.settle(); err != nil {
				t.Fatal(err)
			}
			checkSettled(t, r, before)
		})
	}

	t.Run("a clean raster does not change", func(t *testing.T) {
		r := newTestRaster(t, "......", ".AaBb.", ".aabb.", "......")
		before := append([]int32(nil), r.label...)
		if err := r.settle(); err != nil {
			t.Fatal(err)
		}
		for c := range before {
			if r.label[c] != before[c] {
				t.Fatalf("cell %d changed from %d to %d", c, before[c], r.label[c])
			}
		}
	})
}
