package geo

import (
	"sync/atomic"
	"time"
)

// Indexes is one consistent generation of the in-memory spatial indexes, rebuilt from the store
// when areas or businesses change. It is never modified once stored in a Holder.
type Indexes struct {
	Areas      *AreaIndex
	Businesses *PointIndex
	Built      time.Time
}

// Holder publishes the current Indexes to request handlers. A rebuild builds a complete new
// Indexes and stores it in one atomic step, so a reader sees either the old generation or the
// new one, never an area index from one and a business index from the other, and never waits
// for a rebuild. The zero Holder is ready to use and holds nothing.
type Holder struct {
	p atomic.Pointer[Indexes]
}

// Load returns the current indexes, or nil before the first Store.
func (h *Holder) Load() *Indexes { return h.p.Load() }

// Store makes ix the current indexes for every later Load. The caller must not modify ix (or
// the indexes it points to) afterwards.
func (h *Holder) Store(ix *Indexes) { h.p.Store(ix) }
