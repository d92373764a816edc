package auth

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

// testClock is a clock a test moves by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestLimiterBlocksWithinTheWindow(t *testing.T) {
	clk := &testClock{t: t0}
	l := NewLimiter(3, 10*time.Minute, clk.Now)
	blocked := func(key string) (bool, time.Duration) { return l.Blocked(key) }

	l.Fail("lan")
	clk.Advance(time.Minute)
	l.Fail("lan")
	if b, _ := blocked("lan"); b {
		t.Fatal("blocked after 2 of 3 failures")
	}
	clk.Advance(time.Minute)
	l.Fail("lan")
	b, wait := blocked("lan")
	if !b || wait != 8*time.Minute {
		t.Fatalf("after 3 failures: blocked %v, wait %v; want blocked for 8m (10m after the first failure)", b, wait)
	}
	if b, _ := blocked("minh"); b {
		t.Fatal("another key is blocked too")
	}
	// The window slides: once the first failure is 10 minutes old, one more attempt is allowed.
	clk.Advance(8*time.Minute - time.Second)
	if b, _ := blocked("lan"); !b {
		t.Fatal("unblocked a second before the first failure left the window")
	}
	clk.Advance(time.Second)
	if b, _ := blocked("lan"); b {
		t.Fatal("still blocked once the first failure left the window")
	}
	l.Fail("lan")
	if b, wait := blocked("lan"); !b || wait != time.Minute {
		t.Fatalf("a new failure within the window: blocked %v, wait %v; want 1m", b, wait)
	}
	// After a whole window nothing is remembered.
	clk.Advance(10 * time.Minute)
	if b, _ := blocked("lan"); b || len(l.fails) != 0 {
		t.Fatalf("blocked %v with %d keys kept after the window", b, len(l.fails))
	}
}

func TestLimiterResetForgetsAKey(t *testing.T) {
	clk := &testClock{t: t0}
	l := NewLimiter(2, time.Minute, clk.Now)
	l.Fail("lan")
	l.Fail("lan")
	l.Fail("minh")
	l.Reset("lan")
	if b, _ := l.Blocked("lan"); b {
		t.Fatal("blocked after Reset")
	}
	l.Fail("lan")
	if b, _ := l.Blocked("lan"); b {
		t.Fatal("failures before Reset still count")
	}
	l.Fail("minh")
	if b, _ := l.Blocked("minh"); !b {
		t.Fatal("Reset of one key forgot another")
	}
}

func TestLimiterMemoryIsBoundedUnderAFloodOfKeys(t *testing.T) {
	clk := &testClock{t: t0}
	l := NewLimiter(5, time.Minute, clk.Now)
	for i := 0; i < maxKeys+10; i++ {
		l.Fail("10.0." + strconv.Itoa(i))
		if len(l.fails) > maxKeys {
			t.Fatalf("%d keys kept after %d failures, over the bound of %d", len(l.fails), i+1, maxKeys)
		}
	}
	// Expired keys go first: after the window, a full map keeps only what is still live.
	l = NewLimiter(5, time.Minute, clk.Now)
	for i := 0; i < maxKeys-1; i++ {
		l.Fail("old-" + strconv.Itoa(i))
	}
	clk.Advance(2 * time.Minute)
	l.Fail("live")
	l.Fail("live")
	if len(l.fails) != 1 || len(l.fails["live"]) != 2 {
		t.Fatalf("after the sweep %d keys are kept, live has %d failures; want only live with 2", len(l.fails), len(l.fails["live"]))
	}
}

func TestLimiterTakeCountsAndForgiveTakesBack(t *testing.T) {
	clock := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	l := NewLimiter(2, time.Minute, func() time.Time { return clock })
	for i, want := range []bool{true, true, false} {
		if ok, _ := l.Take("k"); ok != want {
			t.Fatalf("take %d: %v, want %v", i+1, ok, want)
		}
	}
	l.Forgive("k")
	if ok, _ := l.Take("k"); !ok {
		t.Fatal("an attempt taken back does not count")
	}
	if ok, wait := l.Take("k"); ok || wait != time.Minute {
		t.Fatalf("the third attempt: %v, wait %s", ok, wait)
	}
	l.Forgive("other") // a key never seen: nothing happens
	if ok, _ := l.Take("other"); !ok {
		t.Fatal("forgiving an unknown key blocked it")
	}
}
