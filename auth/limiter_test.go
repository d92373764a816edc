package auth_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"kiemtra/auth"
	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// hitStore is one implementation of models.HitStore under test, with a way to count what it
// keeps and a clock the test moves.
type hitStore struct {
	hits  models.HitStore
	count func(t *testing.T) int
	clock *clock
}

// limits returns limits over the store on its clock.
func (hs hitStore) limits() *auth.Limits { return auth.NewLimits(hs.hits, hs.clock.Now, nil) }

// eachHitStore runs fn on MemoryHits and on the database of every available dialect: the
// limiters behave the same on all of them.
func eachHitStore(t *testing.T, fn func(t *testing.T, hs hitStore)) {
	t.Helper()
	clk := func() *clock { return &clock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)} }
	t.Run("memory", func(t *testing.T) {
		m := auth.NewMemoryHits()
		fn(t, hitStore{hits: m, count: func(*testing.T) int { return m.Len() }, clock: clk()})
	})
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		fn(t, hitStore{hits: db, count: func(t *testing.T) int { return countHits(t, db) }, clock: clk()})
	})
}

func countHits(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int64
	if err := db.Gorm().Raw("SELECT COUNT(*) FROM limiter_hits").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return int(n)
}

var ctx = context.Background()

// take takes an attempt and fails the test on an error.
func take(t *testing.T, l *auth.Limiter, key string) (auth.Attempt, time.Duration) {
	t.Helper()
	a, wait, err := l.Take(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	return a, wait
}

func TestWindowLimiterLocksUntilTheOldestAttemptLeaves(t *testing.T) {
	eachHitStore(t, func(t *testing.T, hs hitStore) {
		clk := hs.clock
		l := hs.limits().Window("test", 3, 10*time.Minute)
		take(t, l, "lan")
		clk.Advance(time.Minute)
		take(t, l, "lan")
		clk.Advance(time.Minute)
		if _, wait := take(t, l, "lan"); wait != 0 {
			t.Fatalf("the third attempt of three waits %s", wait)
		}
		if _, wait := take(t, l, "lan"); wait != 8*time.Minute {
			t.Fatalf("the fourth attempt waits %s; want 8m (10m after the first)", wait)
		}
		if _, wait := take(t, l, "minh"); wait != 0 {
			t.Fatal("another key waits too")
		}
		// The window slides: once the first attempt is 10 minutes old, one more is allowed.
		clk.Advance(8*time.Minute - time.Second)
		if _, wait := take(t, l, "lan"); wait != time.Second {
			t.Fatalf("a second before the first attempt leaves the window: wait %s", wait)
		}
		clk.Advance(time.Second)
		if _, wait := take(t, l, "lan"); wait != 0 {
			t.Fatalf("once the first attempt left the window: wait %s", wait)
		}
		if _, wait := take(t, l, "lan"); wait != time.Minute {
			t.Fatalf("right after: wait %s; want 1m, until the second attempt leaves", wait)
		}
		// Refused attempts are not counted: after a whole window nothing is left of them.
		clk.Advance(10 * time.Minute)
		if _, wait := take(t, l, "lan"); wait != 0 {
			t.Fatalf("after the window: wait %s", wait)
		}
	})
}

func TestLimiterForgiveTakesBackOneAttemptAndResetAll(t *testing.T) {
	eachHitStore(t, func(t *testing.T, hs hitStore) {
		l := hs.limits().Window("test", 2, time.Minute)
		first, _ := take(t, l, "k")
		take(t, l, "k")
		if _, wait := take(t, l, "k"); wait == 0 {
			t.Fatal("a third attempt of two passed")
		}
		if err := l.Forgive(ctx, first); err != nil {
			t.Fatal(err)
		}
		if _, wait := take(t, l, "k"); wait != 0 {
			t.Fatal("an attempt taken back still counts")
		}
		if err := l.Forgive(ctx, first); err != nil {
			t.Fatalf("forgiving twice: %v", err)
		}
		if _, wait := take(t, l, "k"); wait == 0 {
			t.Fatal("forgiving an attempt twice took back another one")
		}
		if err := l.Forgive(ctx, auth.Attempt{}); err != nil {
			t.Fatalf("forgiving an attempt that was not counted: %v", err)
		}
		take(t, l, "other")
		if err := l.Reset(ctx, "k"); err != nil {
			t.Fatal(err)
		}
		if _, wait := take(t, l, "k"); wait != 0 {
			t.Fatal("attempts before Reset still count")
		}
		take(t, l, "k")
		if _, wait := take(t, l, "k"); wait == 0 {
			t.Fatal("Reset stopped the counting")
		}
		if _, wait := take(t, l, "other"); wait != 0 {
			t.Fatal("Reset of one key forgot another")
		}
	})
}

func TestSpacingLimiterDelaysWithAGrowingCappedWait(t *testing.T) {
	eachHitStore(t, func(t *testing.T, hs hitStore) {
		clk := hs.clock
		l := hs.limits().Spacing("test", 3, time.Second, 10*time.Second, 15*time.Minute)
		for i := 0; i < 3; i++ {
			if _, wait := take(t, l, "lan"); wait != 0 {
				t.Fatalf("free attempt %d waits %s", i+1, wait)
			}
		}
		// Each attempt after the free ones must come a growing time after the previous one.
		for _, gap := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second} {
			if _, wait := take(t, l, "lan"); wait != gap {
				t.Fatalf("at once: wait %s, want %s", wait, gap)
			}
			clk.Advance(gap - time.Millisecond)
			if _, wait := take(t, l, "lan"); wait != time.Millisecond {
				t.Fatalf("a millisecond early: wait %s", wait)
			}
			clk.Advance(time.Millisecond)
			if _, wait := take(t, l, "lan"); wait != 0 {
				t.Fatalf("after %s: wait %s", gap, wait)
			}
		}
		if _, wait := take(t, l, "minh"); wait != 0 {
			t.Fatal("another key is delayed too")
		}
		// Once the window has passed without attempts, the free ones are back.
		clk.Advance(15 * time.Minute)
		if _, wait := take(t, l, "lan"); wait != 0 {
			t.Fatalf("after the window: wait %s", wait)
		}
	})
}

// Parallel attempts on one key, on one replica or several, pass exactly the allowance: the check
// and the count are one step.
func TestParallelTakesPassExactlyTheAllowance(t *testing.T) {
	eachHitStore(t, func(t *testing.T, hs hitStore) {
		l := hs.limits().Window("test", 5, time.Hour)
		var wg sync.WaitGroup
		var mu sync.Mutex
		passed := 0
		for i := 0; i < 40; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, wait, err := l.Take(ctx, "k")
				if err != nil {
					t.Error(err)
					return
				}
				if wait == 0 {
					mu.Lock()
					passed++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if passed != 5 {
			t.Fatalf("%d of 40 parallel attempts passed, want 5", passed)
		}
	})
}

func TestLimitersSharingAStoreAreApart(t *testing.T) {
	eachHitStore(t, func(t *testing.T, hs hitStore) {
		ls := hs.limits()
		a, b := ls.Window("a", 1, time.Hour), ls.Window("b", 1, time.Hour)
		take(t, a, "k")
		if _, wait := take(t, b, "k"); wait != 0 {
			t.Fatal("a key of one limiter counts in another")
		}
		// A key too long to store is stored as its hash, and still counts alone.
		long := strings.Repeat("x", 1<<20)
		take(t, a, long)
		if _, wait := take(t, a, long); wait == 0 {
			t.Fatal("a long key is not counted")
		}
		if _, wait := take(t, a, long+"y"); wait != 0 {
			t.Fatal("two long keys share a count")
		}
	})
}

func TestExpiredAttemptsAreDeleted(t *testing.T) {
	eachHitStore(t, func(t *testing.T, hs hitStore) {
		clk := hs.clock
		l := hs.limits().Window("test", 5, time.Minute)
		for _, k := range []string{"a", "b", "c"} {
			take(t, l, k)
			take(t, l, k)
		}
		if n := hs.count(t); n != 6 {
			t.Fatalf("%d hits kept, want 6", n)
		}
		// A take deletes its own key's expired attempts at once...
		clk.Advance(2 * time.Minute)
		take(t, l, "a")
		if n := hs.count(t); n != 5 {
			t.Fatalf("after a take of a: %d hits kept, want b's and c's 4 and a's new one", n)
		}
		// ... and, every ten minutes, everybody's.
		clk.Advance(10 * time.Minute)
		take(t, l, "d")
		if n := hs.count(t); n != 1 {
			t.Fatalf("after the sweep: %d hits kept, want only d's", n)
		}
	})
}

func TestMarksAreKeptForTheirTime(t *testing.T) {
	eachHitStore(t, func(t *testing.T, hs hitStore) {
		clk := hs.clock
		m := hs.limits().Marks("known", 24*time.Hour)
		setAt := func(key string) time.Time {
			t.Helper()
			at, err := m.SetAt(ctx, key)
			if err != nil {
				t.Fatal(err)
			}
			return at
		}
		if at := setAt("lan|10.0.0.1"); !at.IsZero() {
			t.Fatalf("a mark that was never set: %s", at)
		}
		var last time.Time
		for i := 0; i < 3; i++ {
			last = clk.Now()
			if err := m.Set(ctx, "lan|10.0.0.1"); err != nil {
				t.Fatal(err)
			}
			clk.Advance(20 * time.Hour)
		}
		if at := setAt("lan|10.0.0.1"); !at.Equal(last) {
			t.Fatalf("the mark was set at %s, want %s (20 hours ago)", at, last)
		}
		if at := setAt("lan|10.0.0.2"); !at.IsZero() {
			t.Fatal("another key has the mark")
		}
		if n := hs.count(t); n != 1 {
			t.Fatalf("setting a mark three times keeps %d hits, want 1", n)
		}
		clk.Advance(4 * time.Hour)
		if at := setAt("lan|10.0.0.1"); !at.IsZero() {
			t.Fatal("a mark outlived its time")
		}
	})
}
