package geo

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// rtreeFanout is the number of children per node. 16 boxes fit in a few cache lines and keep a
// tree of 10,000 areas four levels deep.
const rtreeFanout = 16

// rtree is a static R-tree over boxes, packed once with Sort-Tile-Recursive. Administrative
// areas never change while an index is in use (a new index is built and swapped in), so there
// is no insertion to support, and packing gives fuller, less overlapping nodes than inserting.
type rtree struct {
	// levels[0] holds the item boxes in tree order; node i of level k covers nodes
	// [i*fanout, (i+1)*fanout) of level k-1. The last level has one node, the root.
	levels [][]orb.Bound
	items  []int32 // items[i] is the caller's index of levels[0][i]
}

func newRTree(boxes []orb.Bound) *rtree {
	t := &rtree{}
	if len(boxes) == 0 {
		return t
	}
	order := make([]int32, len(boxes))
	for i := range order {
		order[i] = int32(i)
	}
	cx := func(i int32) float64 { return boxes[i].Min[0] + boxes[i].Max[0] }
	cy := func(i int32) float64 { return boxes[i].Min[1] + boxes[i].Max[1] }
	slices.SortFunc(order, func(a, b int32) int { return cmpFloat(cx(a), cx(b)) })
	leaves := (len(order) + rtreeFanout - 1) / rtreeFanout
	slab := int(math.Ceil(math.Sqrt(float64(leaves)))) * rtreeFanout
	for s := 0; s < len(order); s += slab {
		part := order[s:min(s+slab, len(order))]
		slices.SortFunc(part, func(a, b int32) int { return cmpFloat(cy(a), cy(b)) })
	}
	t.items = order
	level := make([]orb.Bound, len(order))
	for i, o := range order {
		level[i] = boxes[o]
	}
	t.levels = append(t.levels, level)
	for len(level) > 1 {
		up := make([]orb.Bound, 0, (len(level)+rtreeFanout-1)/rtreeFanout)
		for s := 0; s < len(level); s += rtreeFanout {
			b := level[s]
			for _, c := range level[s+1 : min(s+rtreeFanout, len(level))] {
				b = b.Union(c)
			}
			up = append(up, b)
		}
		t.levels = append(t.levels, up)
		level = up
	}
	return t
}

// search appends to buf the caller's indexes of the boxes that contain p.
func (t *rtree) search(p orb.Point, buf []int32) []int32 {
	if len(t.levels) == 0 {
		return buf
	}
	return t.searchNode(len(t.levels)-1, 0, p, buf)
}

func (t *rtree) searchNode(level, i int, p orb.Point, buf []int32) []int32 {
	if !t.levels[level][i].Contains(p) {
		return buf
	}
	if level == 0 {
		return append(buf, t.items[i])
	}
	below := t.levels[level-1]
	for c := i * rtreeFanout; c < min((i+1)*rtreeFanout, len(below)); c++ {
		buf = t.searchNode(level-1, c, p, buf)
	}
	return buf
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
