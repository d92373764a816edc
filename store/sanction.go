package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"kiemtra/models"
)

var _ models.SanctionStore = (*DB)(nil)

// CreateSanction stores a proposal and audits it. A retry with the same id and content returns
// the stored sanction with created false; the same id for another proposal is a conflict.
func (db *DB) CreateSanction(ctx context.Context, actor string, s *models.Sanction) (*models.Sanction, bool, error) {
	if s.ID != "" {
		got, err := db.FindSanctionByID(ctx, s.ID)
		switch {
		case err == nil:
			if got.BusinessID == s.BusinessID && got.ViolationCode == s.ViolationCode && equalPtr(got.InspectionID, s.InspectionID) {
				return got, false, nil
			}
			return nil, false, conflictf("sanction %s exists with another content", "đã có đề xuất xử phạt %s với nội dung khác", s.ID)
		case !models.IsCode(err, models.ENOTFOUND):
			return nil, false, err
		}
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if s.ID == "" {
			s.ID = uuid.NewString()
		}
		now := db.Now()
		s.Version, s.CreatedAt, s.UpdatedAt = 1, now, now
		if s.ProposedAt.IsZero() {
			s.ProposedAt = now
		}
		s.Derive()
		s.EncodeMeasures()
		if err := tx.Create(s).Error; err != nil {
			return translate(err, "sanction")
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "propose", EntityType: "sanction", EntityID: s.ID,
			Details: map[string]any{"business_id": s.BusinessID, "violation_code": s.ViolationCode, "inspection_id": s.InspectionID,
				"penalty_article": s.PenaltyArticle, "fine_min": s.FineMin, "fine_max": s.FineMax}})
	})
	if err != nil {
		return nil, false, err
	}
	return s, true, nil
}

func equalPtr(a, b *string) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// FindSanctionByID returns a sanction, or not_found.
func (db *DB) FindSanctionByID(ctx context.Context, id string) (*models.Sanction, error) {
	var s models.Sanction
	if err := db.gdb.WithContext(ctx).Where("id = ?", id).Take(&s).Error; err != nil {
		return nil, translate(err, "sanction")
	}
	s.DecodeMeasures()
	return &s, nil
}

// FindSanctions returns matching sanctions, newest first (by decision, else proposal), and
// their count. Overdue is checked on the rows (deadlines live in the measures' JSON).
func (db *DB) FindSanctions(ctx context.Context, f models.SanctionFilter) ([]*models.Sanction, int, error) {
	q := db.gdb.WithContext(ctx).Model(&models.Sanction{})
	loc := f.Loc
	if loc == nil {
		loc = time.UTC
	}
	if f.BusinessID != "" {
		q = q.Where("business_id = ?", f.BusinessID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.AreaPath != "" {
		q = q.Where(`area_code IN (SELECT code FROM areas WHERE path LIKE ? ESCAPE '\')`, likePrefix(f.AreaPath))
	}
	if f.Overdue {
		q = q.Where("status = ?", models.SanctionDecided)
	}
	if !f.From.IsZero() {
		q = q.Where("(decision_date IS NOT NULL AND decision_date >= ?) OR (decision_date IS NULL AND proposed_at >= ?)", f.From, f.From.Time(loc).UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("(decision_date IS NOT NULL AND decision_date <= ?) OR (decision_date IS NULL AND proposed_at < ?)", f.To, f.To.AddDays(1).Time(loc).UTC())
	}
	var all []*models.Sanction
	if err := q.Order("COALESCE(decision_date, '9999-12-31') DESC, proposed_at DESC, id").Find(&all).Error; err != nil {
		return nil, 0, translate(err, "sanction")
	}
	out := all[:0]
	for _, s := range all {
		s.DecodeMeasures()
		if f.Overdue && !s.Overdue(f.Today) {
			continue
		}
		out = append(out, s)
	}
	total := len(out)
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, total, nil
}

// SaveSanction stores s when version is current, audits the step, creates the follow-up task
// and records the certificate's change, in one transaction.
func (db *DB) SaveSanction(ctx context.Context, actor, action string, s *models.Sanction, version int, task *models.Task, cert *models.CertificateEvent) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		now := db.Now()
		details := map[string]any{}
		if task != nil {
			if task.ID == "" {
				task.ID = uuid.NewString()
			}
			task.Version, task.CreatedAt, task.UpdatedAt = 1, now, now
			if err := tx.Create(task).Error; err != nil {
				return translate(err, "task")
			}
			if err := db.appendAudit(tx, actor, auditEntry{Action: "create", EntityType: "task", EntityID: task.ID,
				Details: map[string]any{"business_id": task.BusinessID, "reason": task.Reason, "sanction_id": s.ID}}); err != nil {
				return err
			}
			s.FollowUpTaskID = &task.ID
			details["follow_up_task_id"] = task.ID
		}
		s.Derive()
		s.EncodeMeasures()
		s.Version, s.UpdatedAt = version+1, now
		res := tx.Model(&models.Sanction{}).Where("id = ? AND version = ?", s.ID, version).Select("*").Omit("id", "created_at", "business_id", "proposed_at", "proposed_by").Updates(s)
		if res.Error != nil {
			s.Version = version
			return translate(res.Error, "sanction")
		}
		if res.RowsAffected != 1 {
			s.Version = version
			return conflictf("sanction %s was changed by someone else: reload it", "đề xuất xử phạt %s đã được người khác cập nhật: hãy tải lại", s.ID)
		}
		if cert != nil {
			cert.SanctionID = &s.ID
			if err := db.certificateEvent(tx, actor, cert); err != nil {
				return err
			}
			details["certificate"] = cert.Status
		}
		details["status"], details["version"] = s.Status, s.Version
		switch action {
		case "decide":
			details["decision_no"], details["forms"], details["fine_amount"] = s.DecisionNo, s.Forms(), s.FineAmount
		case "payment":
			details["paid_on"], details["paid_amount"], details["receipt_no"] = s.PaidOn, s.PaidAmount, s.ReceiptNo
		case "referral":
			details["referred_on"], details["police_case_no"], details["outcome"] = s.ReferredOn, s.PoliceCaseNo, s.ReferralOutcome
		}
		return db.appendAudit(tx, actor, auditEntry{Action: action, EntityType: "sanction", EntityID: s.ID, Details: details})
	})
}

// certificate reads a business's certificate inside tx, creating it from the registry's number
// when missing (a business without a number gets one with an empty number: the police see the
// status all the same).
func (db *DB) certificate(tx *gorm.DB, actor, businessID string) (*models.Certificate, error) {
	var c models.Certificate
	err := tx.Where("business_id = ?", businessID).Take(&c).Error
	if err == nil {
		return &c, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, translate(err, "certificate")
	}
	var b models.Business
	if err := tx.Select("id, security_cert_no, opened_on").Where("id = ?", businessID).Take(&b).Error; err != nil {
		return nil, translate(err, "business")
	}
	c = models.Certificate{BusinessID: businessID, Number: b.SecurityCertNo, IssuedOn: b.OpenedOn, Status: models.CertValid, Version: 1, UpdatedAt: db.Now()}
	if err := tx.Create(&c).Error; err != nil {
		return nil, translate(err, "certificate")
	}
	ev := &models.CertificateEvent{BusinessID: businessID, At: db.Now(), Event: "issued", Status: models.CertValid, Note: "registry", Actor: actor}
	if err := tx.Create(ev).Error; err != nil {
		return nil, translate(err, "certificate")
	}
	return &c, nil
}

// certificateEvent applies a suspension or withdrawal to the certificate and records it.
func (db *DB) certificateEvent(tx *gorm.DB, actor string, ev *models.CertificateEvent) error {
	c, err := db.certificate(tx, actor, ev.BusinessID)
	if err != nil {
		return err
	}
	c.Status = ev.Status
	switch ev.Status {
	case models.CertSuspended:
		c.SuspendedUntil = ev.Until
	case models.CertWithdrawn:
		c.WithdrawnOn, c.WithdrawnUntil = ev.StartsOn, ev.Until
	}
	c.Version++
	c.UpdatedAt = db.Now()
	if err := tx.Select("*").Save(c).Error; err != nil {
		return translate(err, "certificate")
	}
	ev.At, ev.Actor = db.Now(), actor
	if err := tx.Create(ev).Error; err != nil {
		return translate(err, "certificate")
	}
	return db.appendAudit(tx, actor, auditEntry{Action: ev.Event, EntityType: "certificate", EntityID: ev.BusinessID,
		Details: map[string]any{"status": ev.Status, "starts_on": ev.StartsOn, "until": ev.Until, "sanction_id": ev.SanctionID}})
}

// FindCertificate returns a business's certificate with its history, newest first. A business
// with a number in the registry and no row yet has a valid certificate of that number; one
// without either has none (status none); an unknown business is not_found.
func (db *DB) FindCertificate(ctx context.Context, businessID string) (*models.CertificateView, error) {
	g := db.gdb.WithContext(ctx)
	var c models.Certificate
	err := g.Where("business_id = ?", businessID).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		var b models.Business
		if err := g.Select("id, security_cert_no, opened_on").Where("id = ?", businessID).Take(&b).Error; err != nil {
			return nil, translate(err, "business")
		}
		c := &models.Certificate{BusinessID: businessID, Number: b.SecurityCertNo, IssuedOn: b.OpenedOn, Status: models.CertValid}
		if b.SecurityCertNo == "" {
			c = &models.Certificate{BusinessID: businessID, Status: models.CertNone}
		}
		return &models.CertificateView{Certificate: c,
			History: []*models.CertificateEvent{}}, nil
	}
	if err != nil {
		return nil, translate(err, "certificate")
	}
	v := &models.CertificateView{Certificate: &c, History: []*models.CertificateEvent{}}
	if err := g.Where("business_id = ?", businessID).Order("at DESC, id DESC").Find(&v.History).Error; err != nil {
		return nil, translate(err, "certificate")
	}
	return v, nil
}

// FlagCertificate raises flag on the business's certificate unless it is raised already.
func (db *DB) FlagCertificate(ctx context.Context, actor, businessID, flag, reason string) (bool, error) {
	raised := false
	err := db.tx(ctx, func(tx *gorm.DB) error {
		c, err := db.certificate(tx, actor, businessID)
		if err != nil {
			return err
		}
		if c.Flag == flag {
			return nil
		}
		now := db.Now()
		res := tx.Model(&models.Certificate{}).Where("business_id = ? AND version = ?", businessID, c.Version).
			Updates(map[string]any{"flag": flag, "flagged_at": now, "flag_reason": reason, "version": c.Version + 1, "updated_at": now})
		if res.Error != nil {
			return translate(res.Error, "certificate")
		}
		if res.RowsAffected != 1 {
			return conflictf("the certificate of %s was changed meanwhile", "giấy chứng nhận của %s vừa được thay đổi", businessID)
		}
		ev := &models.CertificateEvent{BusinessID: businessID, At: now, Event: "flag", Status: c.Status, Note: reason, Actor: actor}
		if err := tx.Create(ev).Error; err != nil {
			return translate(err, "certificate")
		}
		raised = true
		return db.appendAudit(tx, actor, auditEntry{Action: "flag", EntityType: "certificate", EntityID: businessID,
			Details: map[string]any{"flag": flag, "reason": reason}})
	})
	return raised, err
}

// SecuritySanctionsSince returns the decided sanctions on security and order dated since or later.
func (db *DB) SecuritySanctionsSince(ctx context.Context, since models.Date) ([]*models.Sanction, error) {
	var out []*models.Sanction
	err := db.gdb.WithContext(ctx).Where("security_order = ? AND decision_no <> '' AND decision_date >= ?", true, since).
		Order("business_id, decision_date, id").Find(&out).Error
	if err != nil {
		return nil, translate(err, "sanction")
	}
	for _, s := range out {
		s.DecodeMeasures()
	}
	return out, nil
}

// WardSanctionCounts counts per ward (the business's unit on the spec's day) the sanctions
// decided from the spec's first day to its day, by form, their fines paid by that day and those
// overdue on it, and the referrals to the police made in those days.
func (db *DB) WardSanctionCounts(ctx context.Context, s models.CoverageSpec) (map[string]models.SanctionFigures, error) {
	g := db.gdb.WithContext(ctx)
	u, err := unitsOf(g, s)
	if err != nil {
		return nil, fmt.Errorf("sanctions: %w", err)
	}
	area := u.col()
	q := g.Table("sanctions sn").Joins("JOIN businesses b ON b.id = sn.business_id")
	if u.moved {
		q = q.Joins("LEFT JOIN (?) AS mv ON mv.entity_id = b.id", firstMovesAfter(g, "business", s.UnitsOn))
	}
	q = q.Where("(sn.decision_date >= ? AND sn.decision_date <= ?) OR (sn.referred_on >= ? AND sn.referred_on <= ?)", s.Jan1, s.AsOf, s.Jan1, s.AsOf)
	if s.Units != nil {
		q = q.Where(inUnits(area), nonEmpty(s.Units))
	}
	var rows []struct {
		Unit string
		models.Sanction
	}
	if err := q.Select(area + " AS unit, sn.*").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("sanctions: %w", err)
	}
	out := map[string]models.SanctionFigures{}
	for _, r := range rows {
		sn := &r.Sanction
		sn.DecodeMeasures()
		out[r.Unit] = addSanction(out[r.Unit], sn, s.Jan1, s.AsOf)
	}
	return out, nil
}

// addSanction adds one sanction to a unit's figures: its decision when made from..to, with its
// payment by to, and its referral when made from..to.
func addSanction(f models.SanctionFigures, sn *models.Sanction, from, to models.Date) models.SanctionFigures {
	in := func(d models.Date) bool { return !d.IsZero() && !d.Before(from) && !d.After(to) }
	if !sn.ReferredOn.IsZero() && in(sn.ReferredOn) {
		f.Referrals++
	}
	if !sn.Decided() || !in(sn.DecisionDate) {
		return f
	}
	f.Decisions++
	for _, form := range sn.Forms() {
		switch form {
		case models.FormWarning:
			f.Warnings++
		case models.FormFine:
			f.Fines++
			f.FinesAmount += sn.FineAmount
			if !sn.PaidOn.IsZero() && !sn.PaidOn.After(to) {
				f.FinesPaid++
				f.FinesPaidSum += sn.PaidAmount
			}
		case models.FormConfiscation:
			f.Confiscations++
		case models.FormSuspension:
			f.Suspensions++
		case models.FormWithdrawal:
			f.Withdrawals++
		}
	}
	// Overdue on the figures' day: what was done after it was not done then.
	then := *sn
	if then.PaidOn.After(to) {
		then.PaidOn = models.Date{}
	}
	then.Measures = make([]models.RemedialMeasure, len(sn.Measures))
	for i, m := range sn.Measures {
		if m.DoneOn.After(to) {
			m.DoneOn = models.Date{}
		}
		then.Measures[i] = m
	}
	if then.ReferredOn.After(to) {
		then.ReferredOn = models.Date{}
	}
	then.Derive()
	if then.Overdue(to) {
		f.Overdue++
	}
	return f
}

// FindInspectionsWithFindings returns the original results finished in [from, to) that found a
// violation, oldest first: the findings a sanction may come from.
func (db *DB) FindInspectionsWithFindings(ctx context.Context, from, to time.Time) ([]*models.Inspection, error) {
	var out []*models.Inspection
	g := db.gdb.WithContext(ctx)
	err := g.Where("amends_id IS NULL AND finished_at >= ? AND finished_at < ? AND id IN (?)", from.UTC(), to.UTC(),
		g.Model(&models.Finding{}).Select("inspection_id")).Order("finished_at, id").Find(&out).Error
	if err != nil {
		return nil, translate(err, "inspection")
	}
	return out, nil
}
