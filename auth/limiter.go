package auth

import (
	"sync"
	"time"
)

// Limiter counts failures per key (a username, an IP address) in a sliding window. It lives in
// one process: with several replicas an attacker gets the limit once per replica, which still
// bounds a password-guessing run to a few attempts a minute.
type Limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	fails  map[string][]time.Time
}

// maxKeys bounds the memory a flood of distinct keys can take.
const maxKeys = 100_000

// NewLimiter allows max failures per key within window.
func NewLimiter(max int, window time.Duration, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{max: max, window: window, now: now, fails: map[string][]time.Time{}}
}

// Blocked reports whether the key used up its failures, and when it may try again.
func (l *Limiter) Blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.prune(key)
	if len(f) < l.max {
		return false, 0
	}
	return true, f[0].Add(l.window).Sub(l.now())
}

// Take counts an attempt unless the key used up its allowance, in one step: parallel attempts
// cannot all pass the check before any of them is counted. It reports whether the attempt may
// go ahead, and otherwise when the key may try again.
func (l *Limiter) Take(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.prune(key)
	if len(f) >= l.max {
		return false, f[0].Add(l.window).Sub(l.now())
	}
	if len(l.fails) >= maxKeys {
		l.sweep()
	}
	l.fails[key] = append(f, l.now())
	return true, 0
}

// TakeUpTo is Take with its own allowance for this key instead of the limiter's: a shared
// budget (every tip the public form stores in an hour) kept beside the per-address counts of the
// same limiter and window.
func (l *Limiter) TakeUpTo(key string, max int) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := l.prune(key)
	if len(f) >= max {
		return false, f[len(f)-max].Add(l.window).Sub(l.now())
	}
	if len(l.fails) >= maxKeys {
		l.sweep()
	}
	l.fails[key] = append(f, l.now())
	return true, 0
}

// Forgive takes back the latest attempt of a key (one that turned out not to be a failure).
func (l *Limiter) Forgive(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if f := l.prune(key); len(f) > 1 {
		l.fails[key] = f[:len(f)-1]
	} else {
		delete(l.fails, key)
	}
}

// Fail records a failure.
func (l *Limiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) >= maxKeys {
		l.sweep()
	}
	l.fails[key] = append(l.prune(key), l.now())
}

// Reset forgets a key's failures (after a successful login).
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}

func (l *Limiter) prune(key string) []time.Time {
	f := l.fails[key]
	cut := l.now().Add(-l.window)
	i := 0
	for i < len(f) && !f[i].After(cut) {
		i++
	}
	f = f[i:]
	if len(f) == 0 {
		delete(l.fails, key)
		return nil
	}
	l.fails[key] = f
	return f
}

// sweep drops expired keys, and everything if the map is still full (a flood of addresses).
func (l *Limiter) sweep() {
	for k := range l.fails {
		l.prune(k)
	}
	if len(l.fails) >= maxKeys {
		l.fails = map[string][]time.Time{}
	}
}
