package store

import (
	"context"
	"maps"

	"gorm.io/gorm"

	"kiemtra/models"
)

var _ models.AgencyStore = (*DB)(nil)

// FindAgencies returns every agency, active or not, ordered by code.
func (db *DB) FindAgencies(ctx context.Context) ([]*models.Agency, error) {
	var out []*models.Agency
	if err := db.gdb.WithContext(ctx).Order("code").Find(&out).Error; err != nil {
		return nil, translate(err, "agency")
	}
	return out, nil
}

// FindAgencyByCode returns the agency, or not_found.
func (db *DB) FindAgencyByCode(ctx context.Context, code string) (*models.Agency, error) {
	var a models.Agency
	if err := db.gdb.WithContext(ctx).Where("code = ?", code).Take(&a).Error; err != nil {
		return nil, translate(err, "agency")
	}
	return &a, nil
}

// CreateAgency validates and stores an agency, and audits it; conflict when the code is taken.
func (db *DB) CreateAgency(ctx context.Context, actor string, a *models.Agency) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		now := db.Now()
		a.Version, a.CreatedAt, a.UpdatedAt = 1, now, now
		if err := tx.Create(a).Error; err != nil {
			return translate(err, "agency")
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "create", EntityType: "agency", EntityID: a.Code,
			Details: map[string]any{"name_vi": a.NameVI, "name_en": a.NameEN, "short_vi": a.ShortVI, "level": a.Level, "active": a.Active}})
	})
}

// UpdateAgency applies an admin's change when upd.Version is current, validates the result and
// audits what changed.
func (db *DB) UpdateAgency(ctx context.Context, actor, code string, upd models.AgencyUpdate) (*models.Agency, error) {
	var out models.Agency
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("code = ?", code).Take(&out).Error; err != nil {
			return translate(err, "agency")
		}
		stale := conflictf("agency %s was changed by someone else: reload it", "cơ quan %s đã được người khác sửa: hãy tải lại", code)
		if upd.Version != out.Version {
			return stale
		}
		before := out
		out.Apply(upd)
		if err := out.Validate(); err != nil {
			return err
		}
		changes := map[string]any{}
		for _, f := range []struct {
			column   string
			old, new any
		}{
			{"name_vi", before.NameVI, out.NameVI}, {"name_en", before.NameEN, out.NameEN}, {"short_vi", before.ShortVI, out.ShortVI},
			{"level", before.Level, out.Level}, {"active", before.Active, out.Active},
		} {
			if f.old != f.new {
				changes[f.column] = f.new
			}
		}
		if len(changes) == 0 {
			return nil
		}
		details := maps.Clone(changes)
		now := db.Now()
		changes["version"] = out.Version + 1
		changes["updated_at"] = now
		// The version in the WHERE clause makes a concurrent update of the same version (which
		// read the row before this one committed, on PostgreSQL) change nothing: conflict.
		res := tx.Model(&models.Agency{}).Where("code = ? AND version = ?", code, out.Version).Updates(changes)
		if res.Error != nil {
			return translate(res.Error, "agency")
		}
		if res.RowsAffected != 1 {
			return stale
		}
		out.Version++
		out.UpdatedAt = now
		return db.appendAudit(tx, actor, auditEntry{Action: "update", EntityType: "agency", EntityID: code, Details: details})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// checkUserAgency refuses a user whose agency is not in the agencies table: the table keeps
// every agency ever used (they are made inactive, never deleted), so that each user's agency has
// names to show. Whether a new assignment may choose an inactive agency is the caller's rule
// (models.CheckAgencyChoice).
func checkUserAgency(tx *gorm.DB, code string) error {
	var n int64
	if err := tx.Model(&models.Agency{}).Where("code = ?", code).Count(&n).Error; err != nil {
		return translate(err, "agency")
	}
	if n == 0 {
		return invalidf("agency", "unknown agency %q", "không có cơ quan %q", code)
	}
	return nil
}
