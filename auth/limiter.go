package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math/bits"
	"slices"
	"sync"
	"time"

	"kiemtra/models"
)

// Limits makes the rate limiters of one process over one HitStore: the database, so that every
// replica counts the same attempts, or MemoryHits in tests. It also deletes expired hits now and
// then, beside the per-key clean-up every take does.
type Limits struct {
	hits models.HitStore
	now  func() time.Time
	key  []byte // keys the hash of the stored keys

	mu        sync.Mutex
	nextSweep time.Time
}

// sweepEvery is how often one process deletes every expired hit; each take deletes its own key's
// already, so this only catches keys that are never seen again (a flood of addresses).
const sweepEvery = 10 * time.Minute

// unkeyed is the key of limits made without one (tests, a server without a database): the
// stored keys are then only hashed, not protected by a secret.
var unkeyed = []byte("kiemtra limiter keys without a secret")

// NewLimits returns limits over hits; now nil means time.Now. key (DeriveLimitKey of the
// service's secret, the same on every replica) keys the hash under which every key is stored,
// so that the database never holds an address or a username a limit counted: a dump or a backup
// cannot tell who sent a public tip or which names were tried.
func NewLimits(hits models.HitStore, now func() time.Time, key []byte) *Limits {
	if now == nil {
		now = time.Now
	}
	if len(key) == 0 {
		key = unkeyed
	}
	return &Limits{hits: hits, now: now, key: key}
}

// DeriveLimitKey is the key of the limits' stored keys, derived from the service's secret with
// a label of its own (it differs from the token and audit keys).
func DeriveLimitKey(secret string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("kiemtra limiter keys v1"))
	return m.Sum(nil)
}

// clock is the limits' time at the precision both databases keep, so that a hit read back
// compares equal to the one written.
func (ls *Limits) clock() time.Time { return ls.now().UTC().Truncate(time.Microsecond) }

// sweep deletes the expired hits of every key when sweepEvery has passed since this process last
// did.
func (ls *Limits) sweep(ctx context.Context, now time.Time) error {
	ls.mu.Lock()
	due := !now.Before(ls.nextSweep)
	if due {
		ls.nextSweep = now.Add(sweepEvery)
	}
	ls.mu.Unlock()
	if !due {
		return nil
	}
	_, err := ls.hits.PurgeHits(ctx, now)
	return err
}

// storeKey is the key a limiter's key is stored under: the limiter's name (which keeps the
// limiters sharing one store apart) and a keyed hash of the key, of a fixed length whatever
// the request sent.
func (ls *Limits) storeKey(name, key string) string {
	m := hmac.New(sha256.New, ls.key)
	m.Write([]byte(name))
	m.Write([]byte{0})
	m.Write([]byte(key))
	return name + ":" + hex.EncodeToString(m.Sum(nil)[:20])
}

// Attempt is an attempt a Limiter counted; Forgive takes it back. The zero Attempt is one that
// was not counted, and forgiving it does nothing.
type Attempt struct{ id int64 }

// Limiter counts attempts per key (an account, an address) and refuses those its rule finds too
// many. An attempt is counted in the same step as the check: parallel attempts cannot all pass
// the check before any of them is counted, on one replica or several.
type Limiter struct {
	limits *Limits
	name   string
	window time.Duration
	read   int
	rule   func(newest []time.Time, now time.Time) time.Duration
	grain  time.Duration // stored times are rounded down to this (0: the clock's precision)
}

// Coarse makes the limiter store its attempts' times rounded down to grain: the public tip
// form's counts must not tell, by their time, which stored tip came from which sender.
func (l *Limiter) Coarse(grain time.Duration) *Limiter {
	l.grain = grain
	return l
}

// Window returns a limiter that allows max attempts per key within any window: the next one is
// refused until the oldest of them leaves the window.
func (ls *Limits) Window(name string, max int, window time.Duration) *Limiter {
	return &Limiter{limits: ls, name: name, window: window, read: max, rule: func(newest []time.Time, now time.Time) time.Duration {
		return windowWait(newest, max, window, now)
	}}
}

// windowWait is the wait of a Window limiter given the key's newest hits within the window
// (newest first, at most max).
func windowWait(newest []time.Time, max int, window time.Duration, now time.Time) time.Duration {
	if len(newest) < max {
		return 0
	}
	return newest[max-1].Add(window).Sub(now)
}

// Spacing returns a limiter that delays instead of locking: the first free attempts per key
// within window go at once; each one after them must come at least first, then 2×first,
// 4×first ... at most ceiling after the key's latest attempt.
func (ls *Limits) Spacing(name string, free int, first, ceiling, window time.Duration) *Limiter {
	// Past this many attempts the wait is the ceiling: reading more changes nothing.
	read := free + bits.Len64(uint64(ceiling/first)) + 1
	return &Limiter{limits: ls, name: name, window: window, read: read, rule: func(newest []time.Time, now time.Time) time.Duration {
		return spacingWait(newest, free, first, ceiling, now)
	}}
}

// spacingWait is the wait of a Spacing limiter given the key's newest hits within its window.
func spacingWait(newest []time.Time, free int, first, ceiling time.Duration, now time.Time) time.Duration {
	if len(newest) < free {
		return 0
	}
	gap := ceiling
	if shift := len(newest) - free; shift < 62 && first<<shift < ceiling {
		gap = first << shift
	}
	return max(0, newest[0].Add(gap).Sub(now))
}

// Take counts an attempt of key unless the limiter's rule refuses it. It returns the attempt,
// or a wait above zero when refused: how long until the key may try again.
func (l *Limiter) Take(ctx context.Context, key string) (Attempt, time.Duration, error) {
	a, wait, _, err := l.take(ctx, key, true)
	return a, wait, err
}

// Count counts an attempt of key whatever the rule says, and returns it.
func (l *Limiter) Count(ctx context.Context, key string) (Attempt, error) {
	a, _, _, err := l.take(ctx, key, false)
	return a, err
}

// take counts an attempt, refused by the rule when ruled; it also returns how many attempts of
// the key the window held before it (at most the number the rule reads).
func (l *Limiter) take(ctx context.Context, key string, ruled bool) (Attempt, time.Duration, int, error) {
	now := l.limits.clock()
	if err := l.limits.sweep(ctx, now); err != nil {
		return Attempt{}, 0, 0, err
	}
	at := now
	if l.grain > 0 {
		at = now.Truncate(l.grain)
	}
	var wait time.Duration
	prior := 0
	id, err := l.limits.hits.TakeHit(ctx, l.limits.storeKey(l.name, key), now.Add(-l.window), l.read, at, now.Add(l.window), func(newest []time.Time) bool {
		prior = len(newest)
		if !ruled {
			return true
		}
		wait = l.rule(newest, now)
		return wait <= 0
	})
	if err != nil || id == 0 {
		return Attempt{}, wait, prior, err
	}
	return Attempt{id: id}, 0, prior, nil
}

// Forgive takes back an attempt that turned out not to count (a good password, a tip that was
// not stored).
func (l *Limiter) Forgive(ctx context.Context, a Attempt) error {
	if a.id == 0 {
		return nil
	}
	return l.limits.hits.ForgiveHit(ctx, a.id)
}

// Reset forgets every attempt of a key (after a successful sign-in).
func (l *Limiter) Reset(ctx context.Context, key string) error {
	return l.limits.hits.ResetHits(ctx, l.limits.storeKey(l.name, key))
}

// Marks remembers keys for a while: the addresses each account signed in from.
type Marks struct {
	limits *Limits
	name   string
	keep   time.Duration
}

// Marks returns marks named name that are kept for keep after they were last set.
func (ls *Limits) Marks(name string, keep time.Duration) *Marks {
	return &Marks{limits: ls, name: name, keep: keep}
}

// SetAt returns when key was last set, or the zero time when not within the keep time.
func (m *Marks) SetAt(ctx context.Context, key string) (time.Time, error) {
	hits, err := m.limits.hits.FindHits(ctx, m.limits.storeKey(m.name, key), m.limits.clock().Add(-m.keep), 1)
	if err != nil || len(hits) == 0 {
		return time.Time{}, err
	}
	return hits[0], nil
}

// Set marks key from now for the keep time.
func (m *Marks) Set(ctx context.Context, key string) error {
	k := m.limits.storeKey(m.name, key)
	if err := m.limits.hits.ResetHits(ctx, k); err != nil {
		return err
	}
	now := m.limits.clock()
	_, err := m.limits.hits.TakeHit(ctx, k, now, 0, now, now.Add(m.keep), func([]time.Time) bool { return true })
	return err
}

// MemoryHits is a HitStore in this process's memory: for tests, and for a server built without a
// database, whose limits then hold per process.
type MemoryHits struct {
	mu   sync.Mutex
	last int64
	hits map[string][]memoryHit // oldest first
	keys map[int64]string
}

type memoryHit struct {
	id          int64
	at, expires time.Time
}

var _ models.HitStore = (*MemoryHits)(nil)

// NewMemoryHits returns an empty MemoryHits.
func NewMemoryHits() *MemoryHits {
	return &MemoryHits{hits: map[string][]memoryHit{}, keys: map[int64]string{}}
}

// TakeHit implements models.HitStore.
func (m *MemoryHits) TakeHit(_ context.Context, key string, since time.Time, limit int, at, expires time.Time, allow func([]time.Time) bool) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.purgeKey(key, at)
	if !allow(m.newest(key, since, limit)) {
		return 0, nil
	}
	m.last++
	hs := append(m.hits[key], memoryHit{id: m.last, at: at, expires: expires})
	slices.SortStableFunc(hs, func(a, b memoryHit) int { return a.at.Compare(b.at) })
	m.hits[key] = hs
	m.keys[m.last] = key
	return m.last, nil
}

// FindHits implements models.HitStore.
func (m *MemoryHits) FindHits(_ context.Context, key string, since time.Time, limit int) ([]time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.newest(key, since, limit), nil
}

func (m *MemoryHits) newest(key string, since time.Time, limit int) []time.Time {
	var out []time.Time
	hs := m.hits[key]
	for i := len(hs) - 1; i >= 0 && len(out) < limit && hs[i].at.After(since); i-- {
		out = append(out, hs[i].at)
	}
	return out
}

// ForgiveHit implements models.HitStore.
func (m *MemoryHits) ForgiveHit(_ context.Context, id int64) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	key, ok := m.keys[id]
	if !ok {
		return nil
	}
	delete(m.keys, id)
	m.hits[key] = slices.DeleteFunc(m.hits[key], func(h memoryHit) bool { return h.id == id })
	if len(m.hits[key]) == 0 {
		delete(m.hits, key)
	}
	return nil
}

// ResetHits implements models.HitStore.
func (m *MemoryHits) ResetHits(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, h := range m.hits[key] {
		delete(m.keys, h.id)
	}
	delete(m.hits, key)
	return nil
}

// PurgeHits implements models.HitStore.
func (m *MemoryHits) PurgeHits(_ context.Context, t time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var n int64
	for key := range m.hits {
		n += m.purgeKey(key, t)
	}
	return n, nil
}

// Len returns how many hits are kept, for tests of the clean-up.
func (m *MemoryHits) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.keys)
}

func (m *MemoryHits) purgeKey(key string, t time.Time) int64 {
	hs := m.hits[key]
	kept := hs[:0]
	for _, h := range hs {
		if h.expires.After(t) {
			kept = append(kept, h)
		} else {
			delete(m.keys, h.id)
		}
	}
	if len(kept) == 0 {
		delete(m.hits, key)
	} else {
		m.hits[key] = kept
	}
	return int64(len(hs) - len(kept))
}
