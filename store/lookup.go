package store

import (
	"context"

	"gorm.io/gorm"

	"kiemtra/models"
)

// AuditLookup audits a licensing lookup (who looked, at which businesses, with what and why) and
// returns the audit event's id, the number a printed record of the lookup carries.
func (db *DB) AuditLookup(ctx context.Context, actor string, l models.LookupRecord) (int64, error) {
	var id int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		entity := "(none)"
		if len(l.BusinessIDs) == 1 {
			entity = l.BusinessIDs[0]
		} else if len(l.BusinessIDs) > 1 {
			entity = "(search)"
		}
		if l.BusinessIDs == nil {
			l.BusinessIDs = []string{}
		}
		events, err := db.appendAuditEvents(tx, actor, auditEntry{Action: "licensing_lookup", EntityType: "business", EntityID: entity, Details: l})
		if err != nil {
			return err
		}
		id = events[0].ID
		return nil
	})
	return id, err
}

// AuditExport audits a download of the registry.
func (db *DB) AuditExport(ctx context.Context, actor string, r models.ExportRecord) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		return db.appendAudit(tx, actor, auditEntry{Action: "registry_export", EntityType: "business", EntityID: "(export)", Details: r})
	})
}
