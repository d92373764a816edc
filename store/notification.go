package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kiemtra/models"
)

var _ models.NotificationStore = (*DB)(nil)

// insertNotifications writes notifications to the outbox inside the transaction of the event
// that causes them: they exist exactly when the event commits. A notification whose event,
// user and channel are there already is left alone (the event was written twice). Those of a
// channel this service does not deliver on are dropped: a row nobody will send is noise.
func (db *DB) insertNotifications(tx *gorm.DB, notes []*models.Notification) error {
	if db.channels != nil {
		kept := notes[:0:0]
		for _, n := range notes {
			if db.channels[n.Channel] {
				kept = append(kept, n)
			}
		}
		notes = kept
	}
	if len(notes) == 0 {
		return nil
	}
	now := db.Now()
	for _, n := range notes {
		if n.ID == "" {
			n.ID = uuid.NewString()
		}
		if n.Params == nil {
			n.Params = models.NotificationParams{}
		}
		n.State, n.Attempts, n.LastError, n.CreatedAt = models.NotificationQueued, 0, "", now
		if n.NextAttemptAt.IsZero() {
			n.NextAttemptAt = now
		}
		n.NextAttemptAt = n.NextAttemptAt.UTC()
		n.LockedUntil, n.LockedBy, n.SentAt, n.ReadAt = nil, "", nil, nil
	}
	err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "event_key"}, {Name: "user_id"}, {Name: "channel"}}, DoNothing: true}).
		CreateInBatches(notes, db.batchSize()).Error
	return translate(err, "notification")
}

// EnqueueNotifications writes notifications to the outbox in a transaction of their own, for
// events that are not a write of the store (a deadline passing). Inside DB.Transaction it
// joins the caller's transaction.
func (db *DB) EnqueueNotifications(ctx context.Context, notes []*models.Notification) error {
	return db.tx(ctx, func(tx *gorm.DB) error { return db.insertNotifications(tx, notes) })
}

// ClaimNotifications leases up to limit queued notifications that are due at now to owner
// until now+lease, and returns them. A leased row is not claimed again until its lease ends:
// of several workers (replicas), one delivers it at a time, and a worker that died mid-way
// leaves its rows to the next claim once the lease is over. On PostgreSQL the rows are
// chosen with FOR UPDATE SKIP LOCKED, so that concurrent claims pass each other instead of
// waiting; SQLite's one writer makes the plain statement atomic.
func (db *DB) ClaimNotifications(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]*models.Notification, error) {
	if limit <= 0 {
		limit = 50
	}
	now = now.UTC()
	token := owner + "/" + uuid.NewString()
	lock := ""
	if db.dialect == DialectPostgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var out []*models.Notification
	err := db.tx(ctx, func(tx *gorm.DB) error {
		due := "state = ? AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?)"
		res := tx.Exec("UPDATE notifications SET locked_until = ?, locked_by = ? WHERE "+due+" AND id IN (SELECT id FROM notifications WHERE "+due+" ORDER BY next_attempt_at, id LIMIT ?"+lock+")",
			now.Add(lease), token, models.NotificationQueued, now, now, models.NotificationQueued, now, now, limit)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return nil
		}
		return tx.Where("locked_by = ?", token).Order("next_attempt_at, id").Find(&out).Error
	})
	if err != nil {
		return nil, translate(err, "notification")
	}
	return out, nil
}

// FinishNotification records the outcome of one delivery attempt of n (state, attempts,
// last error, next attempt, sent_at) and ends its lease, when n is still leased to the
// worker that claimed it (n.LockedBy). It answers false when the lease was lost (it ran out
// and another worker claimed the row): the outcome is then that worker's to record.
func (db *DB) FinishNotification(ctx context.Context, n *models.Notification) (bool, error) {
	res := db.gdb.WithContext(ctx).Model(&models.Notification{}).Where("id = ? AND locked_by = ?", n.ID, n.LockedBy).
		Updates(map[string]any{"state": n.State, "attempts": n.Attempts, "last_error": n.LastError, "next_attempt_at": n.NextAttemptAt.UTC(),
			"sent_at": n.SentAt, "locked_until": nil, "locked_by": ""})
	if res.Error != nil {
		return false, translate(res.Error, "notification")
	}
	return res.RowsAffected == 1, nil
}

// FindNotifications returns rows of the outbox, newest first.
func (db *DB) FindNotifications(ctx context.Context, f models.NotificationFilter) ([]*models.Notification, error) {
	q := db.gdb.WithContext(ctx).Model(&models.Notification{})
	if f.UserID != "" {
		q = q.Where("user_id = ?", f.UserID)
	}
	if f.Channel != "" {
		q = q.Where("channel = ?", f.Channel)
	}
	if f.State != "" {
		q = q.Where("state = ?", f.State)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var out []*models.Notification
	if err := q.Order("created_at DESC, id").Limit(limit).Find(&out).Error; err != nil {
		return nil, translate(err, "notification")
	}
	return out, nil
}

// FindInbox returns a user's delivered in-app notifications (sent or read), newest first.
func (db *DB) FindInbox(ctx context.Context, userID string, limit int) ([]*models.Notification, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	var out []*models.Notification
	err := db.gdb.WithContext(ctx).Where("user_id = ? AND channel = ? AND state IN ?", userID, models.ChannelInApp,
		[]string{models.NotificationSent, models.NotificationRead}).Order("sent_at DESC, id").Limit(limit).Find(&out).Error
	return out, translate(err, "notification")
}

// CountUnread counts a user's delivered in-app notifications not yet read.
func (db *DB) CountUnread(ctx context.Context, userID string) (int, error) {
	var n int64
	err := db.gdb.WithContext(ctx).Model(&models.Notification{}).
		Where("user_id = ? AND channel = ? AND state = ?", userID, models.ChannelInApp, models.NotificationSent).Count(&n).Error
	return int(n), translate(err, "notification")
}

// MarkNotificationRead marks a delivered in-app notification of the user read.
func (db *DB) MarkNotificationRead(ctx context.Context, userID, id string) (*models.Notification, error) {
	var n models.Notification
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ? AND user_id = ? AND channel = ? AND state IN ?", id, userID, models.ChannelInApp,
			[]string{models.NotificationSent, models.NotificationRead}).Take(&n).Error; err != nil {
			return translate(err, "notification")
		}
		if n.ReadAt != nil {
			return nil
		}
		now := db.Now()
		if err := tx.Model(&models.Notification{}).Where("id = ?", id).Updates(map[string]any{"state": models.NotificationRead, "read_at": now}).Error; err != nil {
			return translate(err, "notification")
		}
		n.State, n.ReadAt = models.NotificationRead, &now
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &n, nil
}

// FindNotificationSettings returns a user's settings, or the defaults.
func (db *DB) FindNotificationSettings(ctx context.Context, userID string) (*models.NotificationSettings, error) {
	var s []*models.NotificationSettings
	if err := db.gdb.WithContext(ctx).Where("user_id = ?", userID).Limit(1).Find(&s).Error; err != nil {
		return nil, translate(err, "notification settings")
	}
	if len(s) == 0 {
		return &models.NotificationSettings{UserID: userID, Kinds: models.NotificationKindSettings{}}, nil
	}
	if s[0].Kinds == nil {
		s[0].Kinds = models.NotificationKindSettings{}
	}
	return s[0], nil
}

// SaveNotificationSettings stores a user's settings when upd.Version is current.
func (db *DB) SaveNotificationSettings(ctx context.Context, userID string, upd models.NotificationSettingsUpdate) (*models.NotificationSettings, error) {
	s := &models.NotificationSettings{UserID: userID, Email: upd.Email, Phone: upd.Phone, Kinds: upd.Kinds, QuietStart: upd.QuietStart, QuietEnd: upd.QuietEnd}
	if s.Kinds == nil {
		s.Kinds = models.NotificationKindSettings{}
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	stale := conflictf("the notification settings were changed meanwhile: reload them", "cài đặt thông báo đã được thay đổi trong lúc này: hãy tải lại")
	err := db.tx(ctx, func(tx *gorm.DB) error {
		s.Version, s.UpdatedAt = upd.Version+1, db.Now()
		if upd.Version == 0 {
			res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(s)
			if res.Error != nil {
				return translate(res.Error, "notification settings")
			}
			if res.RowsAffected != 1 {
				return stale
			}
			return nil
		}
		res := tx.Model(&models.NotificationSettings{}).Where("user_id = ? AND version = ?", userID, upd.Version).
			Updates(map[string]any{"email": s.Email, "phone": s.Phone, "kinds": s.Kinds, "quiet_start": s.QuietStart, "quiet_end": s.QuietEnd, "version": s.Version, "updated_at": s.UpdatedAt})
		if res.Error != nil {
			return translate(res.Error, "notification settings")
		}
		if res.RowsAffected != 1 {
			return stale
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// notificationFinal are the states a row does not leave (read only follows sent).
var notificationFinal = []string{models.NotificationSent, models.NotificationRead, models.NotificationFailed, models.NotificationSkipped}

// PurgeNotifications deletes the rows of the outbox in a final state (sent, read, failed,
// skipped) created before cutoff, batch rows per statement (default 500) so that no statement
// holds the table for long, and answers how many went. Queued rows stay, however old: they
// are still to be delivered.
func (db *DB) PurgeNotifications(ctx context.Context, cutoff time.Time, batch int) (int64, error) {
	if batch <= 0 {
		batch = 500
	}
	var total int64
	for {
		res := db.gdb.WithContext(ctx).Exec("DELETE FROM notifications WHERE id IN (SELECT id FROM notifications WHERE state IN ? AND created_at < ? LIMIT ?)",
			notificationFinal, cutoff.UTC(), batch)
		if res.Error != nil {
			return total, translate(res.Error, "notification")
		}
		total += res.RowsAffected
		if res.RowsAffected < int64(batch) {
			return total, nil
		}
	}
}
