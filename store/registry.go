package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"kiemtra/models"
)

// BusinessLocations returns every business's id and position, for the spatial index.
func (db *DB) BusinessLocations(ctx context.Context) ([]models.BusinessLocation, error) {
	var out []models.BusinessLocation
	rows, err := db.gdb.WithContext(ctx).Model(&models.Business{}).Select("id, lat, lon").Rows()
	if err != nil {
		return nil, translate(err, "business")
	}
	defer rows.Close()
	for rows.Next() {
		var l models.BusinessLocation
		if err := rows.Scan(&l.ID, &l.Lat, &l.Lon); err != nil {
			return nil, fmt.Errorf("scan business location: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// RegistryFingerprint changes whenever an area or a business is added or changed; replicas
// compare it to decide whether to rebuild their in-memory indexes.
func (db *DB) RegistryFingerprint(ctx context.Context) (string, error) {
	var r struct {
		NA, NB, VB int64
		MA, MB     *time.Time
	}
	// MAX over timestamps comes back as text on SQLite, so read them as strings there. The sum
	// of versions changes with every business update even when the clock does not move.
	var sa, sb *string
	row := db.gdb.WithContext(ctx).Raw(`SELECT (SELECT COUNT(*) FROM areas), (SELECT COUNT(*) FROM businesses),
		(SELECT COALESCE(SUM(version), 0) FROM businesses), (SELECT MAX(updated_at) FROM areas), (SELECT MAX(updated_at) FROM businesses)`).Row()
	if db.dialect == DialectSQLite {
		if err := row.Scan(&r.NA, &r.NB, &r.VB, &sa, &sb); err != nil {
			return "", fmt.Errorf("registry fingerprint: %w", err)
		}
		return fmt.Sprintf("%d/%d/%d/%s/%s", r.NA, r.NB, r.VB, deref(sa), deref(sb)), nil
	}
	if err := row.Scan(&r.NA, &r.NB, &r.VB, &r.MA, &r.MB); err != nil {
		return "", fmt.Errorf("registry fingerprint: %w", err)
	}
	return fmt.Sprintf("%d/%d/%d/%v/%v", r.NA, r.NB, r.VB, r.MA, r.MB), nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// ApplyImport creates and updates businesses in one transaction: either every valid row of a
// file is stored or none is. Updates carry the version that was read; a concurrent change makes
// the whole import fail with conflict, to be run again.
func (db *DB) ApplyImport(ctx context.Context, actor string, create []*models.Business, update []*models.Business, summary models.ImportSummary) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.createBusinesses(tx, actor, create); err != nil {
			return err
		}
		for _, b := range update {
			if err := db.replaceBusiness(tx, actor, b); err != nil {
				return err
			}
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "import", EntityType: "business_import", EntityID: summary.SHA256, Details: summary})
	})
}

// replaceBusiness stores b over the stored row of the same id when b.Version is still current.
func (db *DB) replaceBusiness(tx *gorm.DB, actor string, b *models.Business) error {
	var cur models.Business
	if err := tx.Where("id = ?", b.ID).Take(&cur).Error; err != nil {
		return translate(err, "business")
	}
	if cur.Version != b.Version {
		return conflictf("business %s changed during the import: run the import again", "cơ sở %s đã thay đổi trong lúc nhập: hãy nhập lại", b.ID)
	}
	return db.writeBusiness(tx, actor, &cur, b)
}

// ReplaceBusiness stores b (every field, including derived ones such as the area) over the
// stored business when b.Version is still the stored version, and returns what was stored.
func (db *DB) ReplaceBusiness(ctx context.Context, actor string, b *models.Business) (*models.Business, error) {
	next := *b
	err := db.tx(ctx, func(tx *gorm.DB) error { return db.replaceBusiness(tx, actor, &next) })
	if err != nil {
		return nil, err
	}
	return &next, nil
}
