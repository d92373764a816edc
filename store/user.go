package store

import (
	"context"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"kiemtra/models"
)

var _ models.UserStore = (*DB)(nil)

// FindUserByID returns the user, or not_found.
func (db *DB) FindUserByID(ctx context.Context, id string) (*models.User, error) {
	var u models.User
	if err := db.gdb.WithContext(ctx).Where("id = ?", id).Take(&u).Error; err != nil {
		return nil, translate(err, "user")
	}
	return &u, nil
}

// FindUserByUsername returns the user, or not_found.
func (db *DB) FindUserByUsername(ctx context.Context, username string) (*models.User, error) {
	var u models.User
	if err := db.gdb.WithContext(ctx).Where("username = ?", username).Take(&u).Error; err != nil {
		return nil, translate(err, "user")
	}
	return &u, nil
}

// FindUsers returns every user ordered by username.
func (db *DB) FindUsers(ctx context.Context) ([]*models.User, error) {
	var out []*models.User
	if err := db.gdb.WithContext(ctx).Order("username").Find(&out).Error; err != nil {
		return nil, translate(err, "user")
	}
	return out, nil
}

// CreateUser inserts a user; conflict when the username is taken, invalid when its agency is not
// in the agencies table.
func (db *DB) CreateUser(ctx context.Context, actor string, u *models.User) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if u.ID == "" {
			u.ID = uuid.NewString()
		}
		u.Version = 1
		if err := checkUserAgency(tx, u.Agency); err != nil {
			return err
		}
		if err := tx.Create(u).Error; err != nil {
			return translate(err, "user")
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "create", EntityType: "user", EntityID: u.ID, Details: map[string]any{"username": u.Username, "role": u.Role, "agency": u.Agency, "area_code": u.AreaCode, "team_id": u.TeamID}})
	})
}
