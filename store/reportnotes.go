package store

import (
	"context"

	"gorm.io/gorm"

	"kiemtra/models"
)

// FindReportNotes returns the notes of a programme's period, or empty ones of version 0.
func (db *DB) FindReportNotes(ctx context.Context, programmeID, period string) (*models.ReportNotes, error) {
	var out []*models.ReportNotes
	if err := db.gdb.WithContext(ctx).Where("programme_id = ? AND period = ?", programmeID, period).Limit(1).Find(&out).Error; err != nil {
		return nil, translate(err, "report notes")
	}
	if len(out) == 0 {
		return &models.ReportNotes{ProgrammeID: programmeID, Period: period, Difficulties: models.Lines{}, Proposals: models.Lines{}}, nil
	}
	return out[0], nil
}

// SaveReportNotes stores the notes of a programme's period when version is the one stored (0
// for notes never saved; conflict otherwise), and audits it.
func (db *DB) SaveReportNotes(ctx context.Context, actor, programmeID, period string, version int, difficulties, proposals models.Lines) (*models.ReportNotes, error) {
	n := &models.ReportNotes{ProgrammeID: programmeID, Period: period, Difficulties: difficulties, Proposals: proposals,
		Version: version + 1, UpdatedBy: actor, UpdatedAt: db.Now()}
	stale := conflictf("the report's notes were changed meanwhile: reload them", "phần ghi chú của báo cáo đã được thay đổi trong lúc này: hãy tải lại")
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var res *gorm.DB
		if version == 0 {
			res = tx.Exec("INSERT INTO report_notes (programme_id, period, difficulties, proposals, version, updated_by, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING",
				programmeID, period, difficulties, proposals, actor, n.UpdatedAt)
		} else {
			res = tx.Model(&models.ReportNotes{}).Where("programme_id = ? AND period = ? AND version = ?", programmeID, period, version).
				Updates(map[string]any{"difficulties": difficulties, "proposals": proposals, "version": n.Version, "updated_by": actor, "updated_at": n.UpdatedAt})
		}
		if res.Error != nil {
			return translate(res.Error, "report notes")
		}
		if res.RowsAffected != 1 {
			return stale
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "update", EntityType: "report_notes", EntityID: programmeID + "/" + period,
			Details: map[string]any{"version": n.Version, "difficulties": len(difficulties), "proposals": len(proposals)}})
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}
