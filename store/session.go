package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"kiemtra/models"
)

// CreateSession stores a new session with its first refresh token (its hash), in one
// transaction.
func (db *DB) CreateSession(ctx context.Context, s *models.Session, first *models.RefreshToken) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(s).Error; err != nil {
			return translate(err, "session")
		}
		return translate(tx.Create(first).Error, "session")
	})
}

// FindSessionUser returns the user of a session that is not revoked, in one query (it runs on
// every authenticated request: two primary-key lookups). It returns not_found when the session
// is unknown, revoked, or another user's.
func (db *DB) FindSessionUser(ctx context.Context, sessionID, userID string) (*models.User, error) {
	var u models.User
	err := db.gdb.WithContext(ctx).Model(&models.User{}).Select("users.*").
		Joins("JOIN sessions ON sessions.user_id = users.id").
		Where("sessions.id = ? AND users.id = ? AND sessions.revoked_at IS NULL", sessionID, userID).Take(&u).Error
	if err != nil {
		return nil, translate(err, "session")
	}
	return &u, nil
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
		live, err := db.lockSession(tx, old.FamilyID)
		if err != nil || !live {
			return err
		}
		res := tx.Model(&models.RefreshToken{}).Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", old.ID).Update("used_at", at)
		if res.Error != nil {
			return translate(res.Error, "session")
		}
		if res.RowsAffected != 1 {
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

// lockSession takes the lock that serialises the changes of one session and reports whether the
// session exists and is not revoked. SQLite transactions start IMMEDIATE and are serialised
// already; PostgreSQL locks the session's row.
func (db *DB) lockSession(tx *gorm.DB, id string) (bool, error) {
	q := "SELECT COUNT(*) FROM sessions WHERE id = ? AND revoked_at IS NULL"
	if db.dialect == DialectPostgres {
		q = "SELECT COUNT(*) FROM (SELECT id FROM sessions WHERE id = ? AND revoked_at IS NULL FOR UPDATE) s"
	}
	var n int64
	if err := tx.Raw(q, id).Scan(&n).Error; err != nil {
		return false, translate(err, "session")
	}
	return n == 1, nil
}

// RevokeRefreshFamily ends a session and every one of its refresh tokens, and audits it. Its
// access tokens are refused from the next request on.
func (db *DB) RevokeRefreshFamily(ctx context.Context, familyID string, at time.Time) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		live, err := db.lockSession(tx, familyID)
		if err != nil || !live {
			return err
		}
		var s models.Session
		if err := tx.Where("id = ?", familyID).Take(&s).Error; err != nil {
			return translate(err, "session")
		}
		if err := tx.Model(&models.Session{}).Where("id = ?", familyID).Update("revoked_at", at).Error; err != nil {
			return translate(err, "session")
		}
		if err := tx.Model(&models.RefreshToken{}).Where("family_id = ? AND revoked_at IS NULL", familyID).Update("revoked_at", at).Error; err != nil {
			return translate(err, "session")
		}
		return db.appendAudit(tx, s.UserID, auditEntry{Action: "revoke_session", EntityType: "session", EntityID: familyID})
	})
}

// revokeUserSessions ends every session of a user (disabled, password changed) and their
// refresh tokens.
func (db *DB) revokeUserSessions(tx *gorm.DB, userID string) error {
	now := db.Now()
	if err := tx.Model(&models.Session{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", now).Error; err != nil {
		return translate(err, "session")
	}
	return translate(tx.Model(&models.RefreshToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", now).Error, "session")
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
			if err := checkUserAgency(tx, *upd.Agency); err != nil {
				return err
			}
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
