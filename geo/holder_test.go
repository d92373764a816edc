package geo

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"kiemtra/models"
)

// TestHolderReadersSeeWholeGenerations swaps generations while readers load; run with -race.
// Generation g has g areas and g points, so a reader that got an area index from one
// generation and a business index from another would see the counts differ.
func TestHolderReadersSeeWholeGenerations(t *testing.T) {
	const generations = 50
	gens := make([]*Indexes, generations)
	for g := range gens {
		areas := make([]*models.Area, g+1)
		pts := make([]Point, g+1)
		for i := range areas {
			areas[i] = &models.Area{Code: fmt.Sprint(i), Geometry: polygonJSON(t, orb.Polygon{square(105, 10, 1)})}
			pts[i] = Point{ID: fmt.Sprint(i), Lat: 10.5, Lon: 105.5}
		}
		gens[g] = &Indexes{Areas: mustAreaIndex(t, areas), Businesses: NewPointIndex(pts), Built: time.Unix(int64(g), 0)}
	}

	var h Holder
	if h.Load() != nil {
		t.Fatal("a new Holder is not empty")
	}
	h.Store(gens[0])
	var stop atomic.Bool
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for r := 0; r < 8; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := int64(-1)
			for !stop.Load() {
				ix := h.Load()
				g := ix.Built.Unix()
				if ix.Areas.Len() != int(g)+1 || ix.Businesses.Len() != int(g)+1 {
					errs <- fmt.Errorf("generation %d has %d areas and %d points", g, ix.Areas.Len(), ix.Businesses.Len())
					return
				}
				if g < last {
					errs <- fmt.Errorf("generation went back from %d to %d", last, g)
					return
				}
				last = g
				if a := ix.Areas.Locate(10.5, 105.5); a == nil {
					errs <- fmt.Errorf("generation %d located nothing", g)
					return
				}
				if len(ix.Businesses.Near(10.5, 105.5, 10, 0)) != int(g)+1 {
					errs <- fmt.Errorf("generation %d found the wrong number of points", g)
					return
				}
			}
		}()
	}
	for _, ix := range gens[1:] {
		h.Store(ix)
		time.Sleep(200 * time.Microsecond)
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := h.Load(); got != gens[generations-1] {
		t.Fatalf("Load after the last Store = generation %d", got.Built.Unix())
	}
}
