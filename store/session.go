package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"kiemtra/models"
)

// CreateRefreshToken stores a refresh token (its hash).
func (db *DB) CreateRefreshToken(ctx context.Context, t *models.RefreshToken) error {
	return translate(db.gdb.WithContext(ctx).Create(t).Error, "session")
}

// FindRefreshToken finds a refresh token by its hash, or not_found.
func (db *DB) FindRefreshToken(ctx context.Context, hash string) (*models.RefreshToken, error) {
	var t models.RefreshToken
	if err := db.gdb.WithContext(ctx).Where("token_hash = ?", hash).Take(&t).Error; err != nil {
		return nil, translate(err, "session")
	}
	return &t, nil
}

// RotateRefreshToken marks the token old used and stores next in its place, in one transaction
// that holds the session's lock: a concurrent revocation of the session (a reuse seen by another
// request) either comes first, and the rotation is refused, or comes after and revokes next too.
// It reports false when old was used or revoked already, or the session was revoked.
func (db *DB) RotateRefreshToken(ctx context.Context, old *models.RefreshToken, at time.Time, next *models.RefreshToken) (bool, error) {
	rotated := false
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockFamily(tx, old.FamilyID); err != nil {
			return err
		}
		res := tx.Model(&models.RefreshToken{}).Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", old.ID).Update("used_at", at)
		if res.Error != nil {
			return translate(res.Error, "session")
		}
		if res.RowsAffected != 1 {
			return nil
		}
		var revoked int64
		if err := tx.Model(&models.RefreshToken{}).Where("family_id = ? AND revoked_at IS NOT NULL", old.FamilyID).Count(&revoked).Error; err != nil {
			return translate(err, "session")
		}
		if revoked > 0 {
			return nil
		}
		if err := tx.Create(next).Error; err != nil {
			return translate(err, "session")
		}
		rotated = true
		return nil
	})
	return rotated, err
}

// lockFamily takes the lock that serialises the changes of one session. SQLite transactions
// start IMMEDIATE and are serialised already; PostgreSQL locks the family's first token.
func (db *DB) lockFamily(tx *gorm.DB, familyID string) error {
	if db.dialect != DialectPostgres {
		return nil
	}
	var id string
	err := tx.Raw("SELECT id FROM refresh_tokens WHERE family_id = ? ORDER BY created_at, id LIMIT 1 FOR UPDATE", familyID).Scan(&id).Error
	return translate(err, "session")
}

// RevokeRefreshFamily ends every token of a session, and audits it.
func (db *DB) RevokeRefreshFamily(ctx context.Context, familyID string, at time.Time) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockFamily(tx, familyID); err != nil {
			return err
		}
		var userID string
		if err := tx.Model(&models.RefreshToken{}).Select("user_id").Where("family_id = ?", familyID).Limit(1).Scan(&userID).Error; err != nil {
			return translate(err, "session")
		}
		res := tx.Model(&models.RefreshToken{}).Where("family_id = ? AND revoked_at IS NULL", familyID).Update("revoked_at", at)
		if res.Error != nil {
			return translate(res.Error, "session")
		}
		if res.RowsAffected == 0 {
			return nil
		}
		return db.appendAudit(tx, userID, auditEntry{Action: "revoke_session", EntityType: "session", EntityID: familyID})
	})
}

// revokeUserSessions ends every session of a user (disabled, password changed).
func (db *DB) revokeUserSessions(tx *gorm.DB, userID string) error {
	return translate(tx.Model(&models.RefreshToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", db.Now()).Error, "session")
}

// UpdateUser applies an admin's change when upd.Version is current. Disabling a user or
// changing its password ends its sessions; the access check on every request does the rest.
// passwordHash, when not empty, replaces the stored hash.
func (db *DB) UpdateUser(ctx context.Context, actor, id string, upd models.UserUpdate, passwordHash string) (*models.User, error) {
	var out models.User
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", id).Take(&out).Error; err != nil {
			return translate(err, "user")
		}
		if upd.Version != 0 && upd.Version != out.Version {
			return conflictf("user %s was changed by someone else: reload it", "người dùng %s đã được người khác sửa: hãy tải lại", out.Username)
		}
		changes := map[string]any{}
		set := func(name string, v any) { changes[name] = v }
		if upd.DisplayName != nil {
			out.DisplayName = *upd.DisplayName
			set("display_name", out.DisplayName)
		}
		if upd.Agency != nil {
			out.Agency = *upd.Agency
			set("agency", out.Agency)
		}
		if upd.Role != nil {
			out.Role = *upd.Role
			set("role", out.Role)
		}
		if upd.AreaCode != nil {
			out.AreaCode = *upd.AreaCode
			set("area_code", out.AreaCode)
		}
		if upd.TeamID != nil {
			if *upd.TeamID == "" {
				out.TeamID = nil
			} else {
				t := *upd.TeamID
				out.TeamID = &t
			}
			set("team_id", out.TeamID)
		}
		if upd.Disabled != nil {
			out.Disabled = *upd.Disabled
			set("disabled", out.Disabled)
		}
		if passwordHash != "" {
			out.PasswordHash = passwordHash
			changes["password_hash"] = passwordHash
		}
		if len(changes) == 0 {
			return nil
		}
		changes["version"] = out.Version + 1
		changes["updated_at"] = db.Now()
		// The version in the WHERE clause makes a concurrent update of the same version (which
		// read the row before this one committed, on PostgreSQL) change nothing: conflict.
		res := tx.Model(&models.User{}).Where("id = ? AND version = ?", id, out.Version).Updates(changes)
		if res.Error != nil {
			return translate(res.Error, "user")
		}
		if res.RowsAffected != 1 {
			return conflictf("user %s was changed by someone else: reload it", "người dùng %s đã được người khác sửa: hãy tải lại", out.Username)
		}
		out.Version++
		if out.Disabled || passwordHash != "" {
			if err := db.revokeUserSessions(tx, id); err != nil {
				return err
			}
		}
		if _, ok := changes["password_hash"]; ok {
			changes["password_hash"] = "(changed)"
		}
		delete(changes, "updated_at")
		return db.appendAudit(tx, actor, auditEntry{Action: "update", EntityType: "user", EntityID: id, Details: changes})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
