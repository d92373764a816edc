package store

import (
	"context"

	"gorm.io/gorm/clause"

	"kiemtra/models"
)

var _ models.PushStore = (*DB)(nil)

// SavePushSubscription stores s for user, replacing the endpoint's earlier subscription.
func (db *DB) SavePushSubscription(ctx context.Context, userID string, s *models.PushSubscription) (*models.PushSubscription, error) {
	now := db.Now()
	s.UserID, s.CreatedAt, s.UpdatedAt = userID, now, now
	err := db.gdb.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "endpoint"}},
		DoUpdates: clause.AssignmentColumns([]string{"user_id", "p256dh", "auth", "lang", "user_agent", "updated_at"}),
	}).Create(s).Error
	if err != nil {
		return nil, translate(err, "push subscription")
	}
	// A repeat updated the row: its first subscription's time is the stored one.
	var saved models.PushSubscription
	if err := db.gdb.WithContext(ctx).Where("endpoint = ?", s.Endpoint).Take(&saved).Error; err != nil {
		return nil, translate(err, "push subscription")
	}
	return &saved, nil
}

// DeletePushSubscription removes the user's subscription of endpoint, if there is one.
func (db *DB) DeletePushSubscription(ctx context.Context, userID, endpoint string) error {
	err := db.gdb.WithContext(ctx).Where("user_id = ? AND endpoint = ?", userID, endpoint).Delete(&models.PushSubscription{}).Error
	return translate(err, "push subscription")
}

// FindPushSubscriptions returns a user's subscriptions, newest first.
func (db *DB) FindPushSubscriptions(ctx context.Context, userID string) ([]*models.PushSubscription, error) {
	var out []*models.PushSubscription
	err := db.gdb.WithContext(ctx).Where("user_id = ?", userID).Order("updated_at DESC, endpoint").Find(&out).Error
	return out, translate(err, "push subscription")
}

// ForgetPushEndpoint removes endpoint whoever it belongs to.
func (db *DB) ForgetPushEndpoint(ctx context.Context, endpoint string) error {
	err := db.gdb.WithContext(ctx).Where("endpoint = ?", endpoint).Delete(&models.PushSubscription{}).Error
	return translate(err, "push subscription")
}
