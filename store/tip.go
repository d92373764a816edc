package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"kiemtra/models"
)

// CreateTip stores a new tip and audits its receipt (never its reporter's contact).
func (db *DB) CreateTip(ctx context.Context, actor string, t *models.Tip) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if t.ID == "" {
			t.ID = uuid.NewString()
		}
		now := db.Now()
		t.Version, t.CreatedAt, t.UpdatedAt = 1, now, now
		if err := tx.Create(t).Error; err != nil {
			return translate(err, "tip")
		}
		return db.appendAudit(tx, actor, auditEntry{Action: models.TipActionReceive, EntityType: "tip", EntityID: t.ID,
			Details: map[string]any{"channel": t.Channel, "business_id": t.BusinessID, "area_code": t.AreaCode, "severity": t.Severity}})
	})
}

// FindTipByID returns a tip, or not_found.
func (db *DB) FindTipByID(ctx context.Context, id string) (*models.Tip, error) {
	var t models.Tip
	if err := db.gdb.WithContext(ctx).Where("id = ?", id).Take(&t).Error; err != nil {
		return nil, translate(err, "tip")
	}
	return &t, nil
}

// FindTipByTrackingCode returns the tip with a tracking code, or not_found.
func (db *DB) FindTipByTrackingCode(ctx context.Context, code string) (*models.Tip, error) {
	var t models.Tip
	if err := db.gdb.WithContext(ctx).Where("tracking_code = ?", code).Take(&t).Error; err != nil {
		return nil, translate(err, "tip")
	}
	return &t, nil
}

// FindTips returns matching tips, newest first, and their count.
func (db *DB) FindTips(ctx context.Context, f models.TipFilter) ([]*models.Tip, int, error) {
	q := db.gdb.WithContext(ctx).Model(&models.Tip{})
	if f.BusinessID != "" {
		q = q.Where("business_id = ?", f.BusinessID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Severity != "" {
		q = q.Where("severity = ?", f.Severity)
	}
	if f.UnitPath != "" {
		q = q.Where(`area_code IN (SELECT code FROM areas WHERE path LIKE ? ESCAPE '\')`, likePrefix(f.UnitPath))
	}
	if f.AreaPath != "" {
		q = q.Where(`area_code IN (SELECT code FROM areas WHERE path LIKE ? ESCAPE '\')`, likePrefix(f.AreaPath))
	}
	if f.Overdue {
		now := f.Now.UTC()
		q = q.Where("(status = ? AND verify_due < ?) OR (status IN ? AND handle_due < ?)",
			models.TipReceived, now, []string{models.TipVerifying, models.TipClassified}, now)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "tip")
	}
	if f.After != "" {
		q = q.Where("id > ?", f.After)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit).Order("id")
	} else {
		q = q.Order("received_at DESC")
	}
	var out []*models.Tip
	if err := q.Find(&out).Error; err != nil {
		return nil, 0, translate(err, "tip")
	}
	return out, int(total), nil
}

// SaveTip stores a tip's change when its version is current, audits the step, and when task is
// given creates it and releases it to its team at once (an urgent tip), in one transaction.
// The notifications of the step (notes) are written to the outbox in that transaction too: they
// exist exactly when the step does.
func (db *DB) SaveTip(ctx context.Context, actor, action string, t *models.Tip, task *models.Task, notes ...*models.Notification) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		now := db.Now()
		details := map[string]any{}
		if task != nil {
			task.Version, task.CreatedAt, task.UpdatedAt = 1, now, now
			var order int
			if err := tx.Model(&models.Task{}).Select("COALESCE(MAX(route_order), 0)").Where("team_id = ? AND released_on = ?", task.TeamID, task.ReleasedOn).Scan(&order).Error; err != nil {
				return translate(err, "task")
			}
			task.RouteOrder = order + 1 // at the end of today's route: the team decides where it fits
			if err := tx.Create(task).Error; err != nil {
				return translate(err, "task")
			}
			d := &models.AssignmentDecision{Day: task.ReleasedOn, TaskID: task.ID, TeamID: *task.TeamID, RouteOrder: task.RouteOrder, Reason: "urgent_tip", DecidedAt: now, DecidedBy: actor}
			if err := tx.Create(d).Error; err != nil {
				return translate(err, "task")
			}
			details["task_id"] = task.ID
			details["team_id"] = *task.TeamID
		}
		if err := db.saveTip(tx, actor, action, t, details); err != nil {
			return err
		}
		if err := db.insertNotifications(tx, notes); err != nil {
			return err
		}
		if task == nil {
			return nil
		}
		return db.bumpTeamDays(tx, []string{*task.TeamID}) // the task joins the team's day now
	})
}

// tipEscalation is a row of tip_escalations: one missed deadline of a tip, reported once.
type tipEscalation struct {
	TipID       string    `gorm:"primaryKey"`
	Deadline    string    `gorm:"primaryKey"`
	Due         time.Time `gorm:"primaryKey"`
	EscalatedAt time.Time
	EscalatedTo string
}

func (tipEscalation) TableName() string { return "tip_escalations" }

// EscalateTip records that one deadline of the tip ("verify" or "handle", due at due) was
// escalated to t.EscalatedTo at t.EscalatedAt, stores the tip when its version is current and
// audits the escalation with the deadline, in one transaction. It answers false and changes
// nothing when that deadline was escalated before, and a conflict when the tip was changed
// meanwhile.
// The notifications of the escalation (notes) are written in its transaction, and only when
// the deadline is escalated now.
func (db *DB) EscalateTip(ctx context.Context, actor string, t *models.Tip, deadline string, due time.Time, notes ...*models.Notification) (bool, error) {
	if t.EscalatedAt == nil {
		return false, invalidf("escalated_at", "an escalation needs its time", "việc báo cáo vượt cấp cần có thời điểm")
	}
	done := false
	err := db.tx(ctx, func(tx *gorm.DB) error {
		e := &tipEscalation{TipID: t.ID, Deadline: deadline, Due: due.UTC(), EscalatedAt: t.EscalatedAt.UTC(), EscalatedTo: t.EscalatedTo}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(e)
		if res.Error != nil {
			return translate(res.Error, "tip escalation")
		}
		if res.RowsAffected == 0 {
			return nil // escalated before
		}
		done = true
		if err := db.saveTip(tx, actor, models.TipActionEscalate, t, map[string]any{"deadline": deadline, "due": e.Due, "escalated_to": t.EscalatedTo}); err != nil {
			return err
		}
		return db.insertNotifications(tx, notes)
	})
	if err != nil {
		return false, err
	}
	return done, nil
}

// saveTip stores t when its version is current and audits the step with details added to the
// tip's state.
func (db *DB) saveTip(tx *gorm.DB, actor, action string, t *models.Tip, details map[string]any) error {
	old := t.Version
	t.Version, t.UpdatedAt = old+1, db.Now()
	res := tx.Model(&models.Tip{}).Where("id = ? AND version = ?", t.ID, old).Select("*").Omit("id", "created_at", "reporter_contact_enc", "tracking_code", "tracking_secret_hash", "photo_sha256").Updates(t)
	if res.Error != nil {
		t.Version = old
		return translate(res.Error, "tip")
	}
	if res.RowsAffected != 1 {
		t.Version = old
		return conflictf("tip %s was changed by someone else: reload it", "tin báo %s đã được người khác cập nhật: hãy tải lại", t.ID)
	}
	for k, v := range map[string]any{"status": t.Status, "type": t.TipType, "severity": t.Severity, "handling": t.Handling} {
		details[k] = v
	}
	return db.appendAudit(tx, actor, auditEntry{Action: action, EntityType: "tip", EntityID: t.ID, Details: details})
}

// TipFigures counts the tips of a period (received from .. to) and where they stand now.
func (db *DB) TipFigures(ctx context.Context, from, to, now time.Time, areaPath string) (models.TipFigures, error) {
	var f models.TipFigures
	q := db.gdb.WithContext(ctx).Model(&models.Tip{}).Where("received_at >= ? AND received_at < ? AND status <> ?", from.UTC(), to.UTC(), models.TipMerged)
	if areaPath != "" {
		q = q.Where(`area_code IN (SELECT code FROM areas WHERE path LIKE ? ESCAPE '\')`, likePrefix(areaPath))
	}
	var tips []*models.Tip
	if err := q.Find(&tips).Error; err != nil {
		return f, translate(err, "tip")
	}
	for _, t := range tips {
		f.Received++
		if t.VerifyingAt != nil {
			f.Verified++
		}
		if t.Status == models.TipHandled {
			f.Handled++
			if t.HandledInTime() {
				f.HandledInTime++
			}
		}
		if t.Overdue(now) {
			f.Overdue++
		}
	}
	return f, nil
}

// RecordTipContactRead audits that actor read the sealed contact of the reporter of tip id:
// reading it is an act of its own, never a side effect of reading the tip.
func (db *DB) RecordTipContactRead(ctx context.Context, actor, id string) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		return db.appendAudit(tx, actor, auditEntry{Action: models.TipActionContactRead, EntityType: "tip", EntityID: id})
	})
}

// RecordLookup audits a licensing lookup: who looked, at which businesses, with what and why.
func (db *DB) RecordLookup(ctx context.Context, actor string, businessIDs []string, query, purpose string) error {
	_, err := db.AuditLookup(ctx, actor, models.LookupRecord{Query: query, Purpose: purpose, BusinessIDs: businessIDs})
	return err
}
