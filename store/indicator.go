package store

import (
	"context"
	"errors"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"kiemtra/models"
)

var _ models.IndicatorStore = (*DB)(nil)

// FindIndicatorSet returns a programme's stored set, or an empty one of version 0.
func (db *DB) FindIndicatorSet(ctx context.Context, programmeID string) (*models.IndicatorSet, error) {
	return findIndicatorSet(db.gdb.WithContext(ctx), programmeID)
}

func findIndicatorSet(tx *gorm.DB, programmeID string) (*models.IndicatorSet, error) {
	set := &models.IndicatorSet{ProgrammeID: programmeID, Indicators: []*models.Indicator{}}
	var head struct {
		Version   int
		UpdatedBy string
		UpdatedAt time.Time
	}
	err := tx.Table("indicator_sets").Select("version, updated_by, updated_at").Where("programme_id = ?", programmeID).Take(&head).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, translate(err, "indicator set")
	}
	set.Version, set.UpdatedBy, set.UpdatedAt = head.Version, head.UpdatedBy, head.UpdatedAt
	if err := tx.Where("programme_id = ?", programmeID).Order("position, code").Find(&set.Indicators).Error; err != nil {
		return nil, translate(err, "indicator set")
	}
	return set, nil
}

// SaveIndicatorSet replaces a programme's set when version is current, and audits it. An
// indicator that has submissions cannot leave the set: its figures would lose their meaning.
func (db *DB) SaveIndicatorSet(ctx context.Context, actor, programmeID string, version int, list []*models.Indicator) (*models.IndicatorSet, error) {
	var out *models.IndicatorSet
	err := db.tx(ctx, func(tx *gorm.DB) error {
		cur, err := findIndicatorSet(tx, programmeID)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return conflictf("the indicator set changed since you read it (version %d, now %d): reload it", "bộ chỉ tiêu đã thay đổi kể từ khi bạn mở (phiên bản %d, nay là %d): hãy tải lại", version, cur.Version)
		}
		keep := map[string]bool{}
		for _, ind := range list {
			keep[ind.Code] = true
		}
		var used []string
		if err := tx.Model(&models.IndicatorSubmission{}).Where("programme_id = ?", programmeID).Distinct().Pluck("indicator_code", &used).Error; err != nil {
			return translate(err, "indicator set")
		}
		sort.Strings(used)
		for _, code := range used {
			if !keep[code] {
				return invalidf("indicators", "%s has submissions and cannot leave the set", "chỉ tiêu %s đã có số liệu báo cáo, không thể bỏ khỏi bộ", code)
			}
		}
		now := db.Now()
		if version == 0 {
			err = tx.Exec("INSERT INTO indicator_sets (programme_id, version, updated_by, updated_at) VALUES (?, 1, ?, ?)", programmeID, actor, now).Error
		} else {
			err = tx.Exec("UPDATE indicator_sets SET version = ?, updated_by = ?, updated_at = ? WHERE programme_id = ? AND version = ?", version+1, actor, now, programmeID, version).Error
		}
		if err != nil {
			return translate(err, "indicator set")
		}
		if err := tx.Where("programme_id = ?", programmeID).Delete(&models.Indicator{}).Error; err != nil {
			return translate(err, "indicator set")
		}
		codes := make([]string, 0, len(list))
		for i, ind := range list {
			ind.ProgrammeID, ind.Position = programmeID, i+1
			codes = append(codes, ind.Code)
		}
		if len(list) > 0 {
			if err := tx.Create(list).Error; err != nil {
				return translate(err, "indicator set")
			}
		}
		if err := db.appendAudit(tx, actor, auditEntry{Action: "update", EntityType: "indicator_set", EntityID: programmeID,
			Details: map[string]any{"version": version + 1, "indicators": strings.Join(codes, ",")}}); err != nil {
			return err
		}
		out, err = findIndicatorSet(tx, programmeID)
		return err
	})
	return out, err
}

// CreateSubmission stores a version of a figure and audits it. The unique index on (programme,
// indicator, period, unit, version) refuses a second version n saved at the same time.
func (db *DB) CreateSubmission(ctx context.Context, actor string, s *models.IndicatorSubmission) (*models.IndicatorSubmission, bool, error) {
	if got, err := db.FindSubmissionByID(ctx, s.ID); err == nil {
		if got.SameContent(s) {
			return got, false, nil
		}
		return nil, false, conflictf("submission %s exists with other figures", "đã có báo cáo %s với số liệu khác", s.ID)
	} else if !models.IsCode(err, models.ENOTFOUND) {
		return nil, false, err
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var last int
		if err := tx.Model(&models.IndicatorSubmission{}).Where("programme_id = ? AND indicator_code = ? AND period = ? AND unit = ?", s.ProgrammeID, s.IndicatorCode, s.Period, s.Unit).
			Select("COALESCE(MAX(version), 0)").Scan(&last).Error; err != nil {
			return translate(err, "submission")
		}
		if s.Version != last+1 {
			return conflictf("version %d of this figure was submitted meanwhile: reload it", "phiên bản %d của số liệu này vừa được gửi: hãy tải lại", last)
		}
		now := db.Now()
		if s.SubmittedAt.IsZero() {
			s.SubmittedAt = now
		}
		s.UpdatedAt = now
		if err := tx.Create(s).Error; err != nil {
			return translate(err, "submission")
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "submit", EntityType: "indicator_submission", EntityID: s.ID,
			Details: map[string]any{"programme_id": s.ProgrammeID, "indicator": s.IndicatorCode, "period": s.Period, "unit": s.Unit, "version": s.Version,
				"numerator": s.Numerator, "denominator": s.Denominator, "value": s.Value, "reason": s.Reason, "late": s.Late}})
	})
	if err != nil {
		return nil, false, err
	}
	return s, true, nil
}

// FindSubmissionByID returns a submission, or not_found.
func (db *DB) FindSubmissionByID(ctx context.Context, id string) (*models.IndicatorSubmission, error) {
	var s models.IndicatorSubmission
	if err := db.gdb.WithContext(ctx).Where("id = ?", id).Take(&s).Error; err != nil {
		return nil, translate(err, "submission")
	}
	return &s, nil
}

// FindSubmissions returns matching submissions by indicator, period, unit and version.
func (db *DB) FindSubmissions(ctx context.Context, f models.SubmissionFilter) ([]*models.IndicatorSubmission, error) {
	q := db.gdb.WithContext(ctx).Model(&models.IndicatorSubmission{})
	for _, c := range []struct{ col, v string }{{"programme_id", f.ProgrammeID}, {"indicator_code", f.IndicatorCode}, {"period", f.Period}, {"unit", f.Unit}, {"state", f.State}} {
		if c.v != "" {
			q = q.Where(c.col+" = ?", c.v)
		}
	}
	if f.Periods != nil {
		q = q.Where("period IN ?", append([]string{""}, f.Periods...))
	}
	if f.Units != nil {
		q = q.Where("unit IN ?", append([]string{""}, f.Units...))
	}
	if f.LatestOnly {
		q = q.Where(`version = (SELECT MAX(l.version) FROM indicator_submissions l WHERE l.programme_id = indicator_submissions.programme_id
			AND l.indicator_code = indicator_submissions.indicator_code AND l.period = indicator_submissions.period AND l.unit = indicator_submissions.unit)`)
	}
	var out []*models.IndicatorSubmission
	if err := q.Order("indicator_code, period, unit, version").Find(&out).Error; err != nil {
		return nil, translate(err, "submission")
	}
	return out, nil
}

// ReviewSubmission accepts or returns the latest version of a figure while it awaits review,
// and writes notes (those of a return) in the same transaction: they exist exactly when the
// review does.
func (db *DB) ReviewSubmission(ctx context.Context, actor, id, state, comment string, notes ...*models.Notification) (*models.IndicatorSubmission, error) {
	var out *models.IndicatorSubmission
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var s models.IndicatorSubmission
		if err := tx.Where("id = ?", id).Take(&s).Error; err != nil {
			return translate(err, "submission")
		}
		now := db.Now()
		res := tx.Model(&models.IndicatorSubmission{}).Where("id = ? AND state = ?", id, models.SubmissionSubmitted).
			Where(`NOT EXISTS (SELECT 1 FROM indicator_submissions n WHERE n.programme_id = ? AND n.indicator_code = ? AND n.period = ? AND n.unit = ? AND n.version > ?)`,
				s.ProgrammeID, s.IndicatorCode, s.Period, s.Unit, s.Version).
			Updates(map[string]any{"state": state, "review_comment": comment, "reviewed_by": actor, "reviewed_at": now, "updated_at": now})
		if res.Error != nil {
			return translate(res.Error, "submission")
		}
		if res.RowsAffected == 0 {
			return conflictf("this figure is %s, not awaiting review: reload it", "số liệu này đang ở trạng thái %s, không chờ duyệt: hãy tải lại", s.State)
		}
		if err := db.appendAudit(tx, actor, auditEntry{Action: state, EntityType: "indicator_submission", EntityID: id,
			Details: map[string]any{"comment": comment, "version": s.Version}}); err != nil {
			return err
		}
		if err := db.insertNotifications(tx, notes); err != nil {
			return err
		}
		s.State, s.ReviewComment, s.ReviewedBy, s.ReviewedAt, s.UpdatedAt = state, comment, actor, &now, now
		out = &s
		return nil
	})
	return out, err
}

// CreateAttachment stores a file of evidence and audits it.
func (db *DB) CreateAttachment(ctx context.Context, actor string, a *models.IndicatorAttachment) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		a.UploadedBy, a.CreatedAt = actor, db.Now()
		if err := tx.Create(a).Error; err != nil {
			return translate(err, "attachment")
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "upload", EntityType: "indicator_attachment", EntityID: a.ID,
			Details: map[string]any{"name": a.Name, "size": a.Size, "sha256": a.SHA256}})
	})
}

// FindAttachment returns a file with its content, or not_found.
func (db *DB) FindAttachment(ctx context.Context, id string) (*models.IndicatorAttachment, error) {
	var a models.IndicatorAttachment
	if err := db.gdb.WithContext(ctx).Where("id = ?", id).Take(&a).Error; err != nil {
		return nil, translate(err, "attachment")
	}
	return &a, nil
}
