package store

import (
	"context"

	"gorm.io/gorm"

	"kiemtra/models"
)

var _ models.RecordStore = (*DB)(nil)

// FindInspectionRecord returns the signed record of one inspection version, or not_found.
func (db *DB) FindInspectionRecord(ctx context.Context, inspectionID string) (*models.InspectionRecord, error) {
	var r models.InspectionRecord
	if err := db.gdb.WithContext(ctx).Where("inspection_id = ?", inspectionID).Take(&r).Error; err != nil {
		return nil, translate(err, "inspection record")
	}
	return &r, nil
}

// CreateInspectionRecord stores a signed record and writes its hash and the signatures' hashes
// to the audit log, in one transaction; conflict when the version has a record already.
func (db *DB) CreateInspectionRecord(ctx context.Context, actor string, r *models.InspectionRecord) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		r.CreatedAt = db.Now()
		if err := tx.Create(r).Error; err != nil {
			return translate(err, "inspection record")
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "sign_record", EntityType: "inspection", EntityID: r.InspectionID,
			Details: map[string]any{"record_sha256": r.RecordSHA256, "inspector_signature_sha256": r.InspectorSignatureSHA256,
				"representative_signature_sha256": r.RepresentativeSignatureSHA256, "refused": r.Refused}})
	})
}
