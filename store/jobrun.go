package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kiemtra/models"
)

var _ models.JobRunStore = (*DB)(nil)

// ClaimJobRun records the start of a job's slot, started as kind. The unique (job, slot) key
// makes the claim atomic on both dialects: of several replicas, one inserts and the others see
// the conflict, whatever kind each would have recorded.
func (db *DB) ClaimJobRun(ctx context.Context, job, slot, kind string) (*models.JobRun, bool, error) {
	now := db.Now()
	run := &models.JobRun{Job: job, Slot: slot, Kind: kind, StartedAt: now, HeartbeatAt: &now, Status: models.JobRunning}
	err := db.gdb.WithContext(ctx).Create(run).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, translate(err, "job")
	}
	return run, true, nil
}

// HeartbeatJobRun records that a run is still running.
func (db *DB) HeartbeatJobRun(ctx context.Context, id int64) error {
	err := db.gdb.WithContext(ctx).Model(&models.JobRun{}).Where("id = ? AND status = ?", id, models.JobRunning).
		Update("heartbeat_at", db.Now()).Error
	return translate(err, "job")
}

// FindStaleJobRuns returns the runs still running whose last heartbeat is older than before,
// oldest first.
func (db *DB) FindStaleJobRuns(ctx context.Context, before time.Time) ([]*models.JobRun, error) {
	var out []*models.JobRun
	err := db.gdb.WithContext(ctx).Where("status = ? AND heartbeat_at < ?", models.JobRunning, before.UTC()).Order("id").Find(&out).Error
	return out, translate(err, "job")
}

// TakeOverJobRun marks a run failed with reason when it is still running and its heartbeat is
// still older than before: a compare-and-set, so that of several replicas one takes it over.
// With a retrySlot it also claims that slot of the job, in the same transaction, and returns
// the new run (nil when the slot was claimed already). taken is false when the run finished
// or beat meanwhile, or another replica took it.
func (db *DB) TakeOverJobRun(ctx context.Context, run *models.JobRun, before time.Time, reason, retrySlot string) (retry *models.JobRun, taken bool, err error) {
	err = db.tx(ctx, func(tx *gorm.DB) error {
		now := db.Now()
		res := tx.Model(&models.JobRun{}).Where("id = ? AND status = ? AND heartbeat_at < ?", run.ID, models.JobRunning, before.UTC()).
			Updates(map[string]any{"status": models.JobFailed, "finished_at": now, "error": reason})
		if res.Error != nil {
			return translate(res.Error, "job")
		}
		if taken = res.RowsAffected == 1; !taken || retrySlot == "" {
			return nil
		}
		next := &models.JobRun{Job: run.Job, Slot: retrySlot, Kind: models.JobRetry, StartedAt: now, HeartbeatAt: &now, Status: models.JobRunning}
		res = tx.Clauses(clause.OnConflict{DoNothing: true}).Create(next)
		if res.Error != nil {
			return translate(res.Error, "job")
		}
		if res.RowsAffected == 1 {
			retry = next
		}
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return retry, taken, nil
}

// FinishJobRun records the end of a run. A run taken over meanwhile (its heartbeat was late,
// its runner alive) still records how it ended: it did run.
func (db *DB) FinishJobRun(ctx context.Context, run *models.JobRun) error {
	now := db.Now()
	run.FinishedAt = &now
	err := db.gdb.WithContext(ctx).Model(&models.JobRun{}).Where("id = ?", run.ID).
		Updates(map[string]any{"finished_at": now, "status": run.Status, "result": run.Result, "error": run.Error}).Error
	return translate(err, "job")
}

// FindJobRuns returns the latest runs (of one job when job is set), newest first.
func (db *DB) FindJobRuns(ctx context.Context, job string, limit int) ([]*models.JobRun, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q := db.gdb.WithContext(ctx).Order("id DESC").Limit(limit)
	if job != "" {
		q = q.Where("job = ?", job)
	}
	var out []*models.JobRun
	if err := q.Find(&out).Error; err != nil {
		return nil, translate(err, "job")
	}
	return out, nil
}

// FirstJobRunStart returns when the first recorded run started. The first row by id is the
// first claimed (the key is the primary key's index, not a scan); replicas' clocks differ by
// far less than the slots this bounds.
func (db *DB) FirstJobRunStart(ctx context.Context) (time.Time, bool, error) {
	var runs []*models.JobRun
	if err := db.gdb.WithContext(ctx).Order("id").Limit(1).Find(&runs).Error; err != nil {
		return time.Time{}, false, translate(err, "job")
	}
	if len(runs) == 0 {
		return time.Time{}, false, nil
	}
	return runs[0].StartedAt, true, nil
}

// TryJobLock takes a PostgreSQL session advisory lock for a job for as long as fn runs, so
// that a manual run and a scheduled one never overlap across replicas; on SQLite, with one
// process, it just runs fn. ok is false when another holder has the lock. The lock is keyed by
// schema too, so that databases sharing a server (tenants, tests) do not skip each other's runs.
func (db *DB) TryJobLock(ctx context.Context, key int64, fn func(ctx context.Context) error) (ok bool, err error) {
	if db.dialect != DialectPostgres {
		return true, fn(ctx)
	}
	conn, err := db.sqlDB.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1, hashtext(current_schema()))", int32(key)).Scan(&got); err != nil {
		return false, err
	}
	if !got {
		return false, nil
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1, hashtext(current_schema()))", int32(key))
	return true, fn(ctx)
}
