package models

import (
	"context"
	"time"
)

// HitStore keeps the attempts that rate limits count (sign-ins, public tips, licensing lookups)
// where every replica sees them: one limit holds for any number of replicas. Keys are opaque
// strings the limiter makes; which hits are too many is the limiter's rule, not the store's.
type HitStore interface {
	// TakeHit reads the newest hits of key made after since (at most limit, newest first) and
	// gives them to allow; when allow returns true it records a hit at at, kept until expires,
	// and returns its id (above 0), otherwise 0. Reading and recording are one step for the key
	// across replicas: parallel takes see each other's hits. Hits of the key that expired by at
	// are deleted on the way.
	TakeHit(ctx context.Context, key string, since time.Time, limit int, at, expires time.Time, allow func(newest []time.Time) bool) (int64, error)
	// FindHits returns the newest hits of key made after since, at most limit, newest first.
	FindHits(ctx context.Context, key string, since time.Time, limit int) ([]time.Time, error)
	// ForgiveHit deletes one hit by its id (an attempt that turned out not to count); an id
	// already gone is not an error.
	ForgiveHit(ctx context.Context, id int64) error
	// ResetHits deletes every hit of key.
	ResetHits(ctx context.Context, key string) error
	// PurgeHits deletes every hit that expired by t and returns how many.
	PurgeHits(ctx context.Context, t time.Time) (int64, error)
}
