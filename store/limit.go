package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"kiemtra/models"
)

var _ models.HitStore = (*DB)(nil)

// limiterHit is one counted attempt of a rate limit (table limiter_hits).
type limiterHit struct {
	ID        int64     `gorm:"primaryKey"`
	Bucket    string    // the limiter's key
	At        time.Time //
	ExpiresAt time.Time //
}

// TableName is the table of limiter hits.
func (limiterHit) TableName() string { return "limiter_hits" }

// limiterLockKey is the first half of the PostgreSQL advisory locks that serialise the takes of
// one key (the second half hashes the schema and the key), apart from the audit chain's lock.
const limiterLockKey = 0x6b696502

// TakeHit implements models.HitStore in one transaction: PostgreSQL holds an advisory lock on
// the key until it commits; SQLite's IMMEDIATE transactions serialise every writer already.
func (db *DB) TakeHit(ctx context.Context, key string, since time.Time, limit int, at, expires time.Time, allow func([]time.Time) bool) (int64, error) {
	var id int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if db.dialect == DialectPostgres {
			// Keyed by schema too, so that databases sharing a server (tests, tenants) do not
			// wait on each other.
			if err := tx.Exec("SELECT pg_advisory_xact_lock(?, hashtext(current_schema() || ':' || ?))", int32(limiterLockKey), key).Error; err != nil {
				return translate(err, "rate limit")
			}
		}
		if err := tx.Where("bucket = ? AND expires_at <= ?", key, at.UTC()).Delete(&limiterHit{}).Error; err != nil {
			return translate(err, "rate limit")
		}
		newest, err := findHits(tx, key, since, limit)
		if err != nil {
			return err
		}
		if !allow(newest) {
			return nil
		}
		h := limiterHit{Bucket: key, At: at.UTC(), ExpiresAt: expires.UTC()}
		if err := tx.Create(&h).Error; err != nil {
			return translate(err, "rate limit")
		}
		id = h.ID
		return nil
	})
	return id, err
}

// FindHits implements models.HitStore.
func (db *DB) FindHits(ctx context.Context, key string, since time.Time, limit int) ([]time.Time, error) {
	return findHits(db.gdb.WithContext(ctx), key, since, limit)
}

func findHits(tx *gorm.DB, key string, since time.Time, limit int) ([]time.Time, error) {
	if limit <= 0 {
		return nil, nil
	}
	var hs []limiterHit
	if err := tx.Where("bucket = ? AND at > ?", key, since.UTC()).Order("at DESC, id DESC").Limit(limit).Find(&hs).Error; err != nil {
		return nil, translate(err, "rate limit")
	}
	out := make([]time.Time, len(hs))
	for i, h := range hs {
		out[i] = h.At
	}
	return out, nil
}

// ForgiveHit implements models.HitStore.
func (db *DB) ForgiveHit(ctx context.Context, id int64) error {
	return translate(db.gdb.WithContext(ctx).Where("id = ?", id).Delete(&limiterHit{}).Error, "rate limit")
}

// ResetHits implements models.HitStore.
func (db *DB) ResetHits(ctx context.Context, key string) error {
	return translate(db.gdb.WithContext(ctx).Where("bucket = ?", key).Delete(&limiterHit{}).Error, "rate limit")
}

// PurgeHits implements models.HitStore.
func (db *DB) PurgeHits(ctx context.Context, t time.Time) (int64, error) {
	res := db.gdb.WithContext(ctx).Where("expires_at <= ?", t.UTC()).Delete(&limiterHit{})
	return res.RowsAffected, translate(res.Error, "rate limit")
}
