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
