package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"kiemtra/models"
)

var (
	_ models.ProgrammeStore = (*DB)(nil)
	_ models.PlanStore      = (*DB)(nil)
	_ models.TaskStore      = (*DB)(nil)
)

// FindProgrammeByID finds a programme by id or by code.
func (db *DB) FindProgrammeByID(ctx context.Context, idOrCode string) (*models.Programme, error) {
	var p models.Programme
	if err := db.gdb.WithContext(ctx).Where("id = ? OR code = ?", idOrCode, idOrCode).Take(&p).Error; err != nil {
		return nil, translate(err, "programme")
	}
	return &p, nil
}

// FindProgrammes returns every programme, newest first.
func (db *DB) FindProgrammes(ctx context.Context) ([]*models.Programme, error) {
	var out []*models.Programme
	if err := db.gdb.WithContext(ctx).Order("starts_on DESC, code").Find(&out).Error; err != nil {
		return nil, translate(err, "programme")
	}
	return out, nil
}

// CreateProgramme stores a programme; conflict when its code is taken.
func (db *DB) CreateProgramme(ctx context.Context, actor string, p *models.Programme) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if p.ID == "" {
			p.ID = uuid.NewString()
		}
		p.Version = 1
		if err := tx.Create(p).Error; err != nil {
			return translate(err, "programme")
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "create", EntityType: "programme", EntityID: p.ID, Details: p})
	})
}

// UpdateProgramme stores p over the stored programme of its id when p.Version is the stored
// version (conflict otherwise), bumps the version and audits the changed fields as
// {"field": [old, new]}; the code and the creation time are kept. Nothing changed: p becomes
// the stored programme and nothing is written.
func (db *DB) UpdateProgramme(ctx context.Context, actor string, p *models.Programme) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		var cur models.Programme
		if err := tx.Where("id = ?", p.ID).Take(&cur).Error; err != nil {
			return translate(err, "programme")
		}
		stale := conflictf("programme %s was changed by someone else: reload it", "chương trình %s đã được người khác sửa: hãy tải lại", cur.Code)
		if p.Version != cur.Version {
			return stale
		}
		next := *p
		next.Code, next.CreatedAt = cur.Code, cur.CreatedAt
		changes := diffFields(&cur, &next)
		if len(changes) == 0 {
			*p = cur
			return nil
		}
		next.Version = cur.Version + 1
		next.UpdatedAt = db.Now()
		// The version in the WHERE clause makes a concurrent update of the same version change
		// nothing (PostgreSQL read the row before the other committed): conflict.
		res := tx.Model(&models.Programme{}).Where("id = ? AND version = ?", cur.ID, cur.Version).Select("*").Omit("id", "code", "created_at").Updates(&next)
		if res.Error != nil {
			return translate(res.Error, "programme")
		}
		if res.RowsAffected != 1 {
			return stale
		}
		*p = next
		return db.appendAudit(tx, actor, auditEntry{Action: "update", EntityType: "programme", EntityID: cur.ID, Details: changes})
	})
}

// FindPlanByID returns the plan, or not_found.
func (db *DB) FindPlanByID(ctx context.Context, id string) (*models.Plan, error) {
	var p models.Plan
	if err := db.gdb.WithContext(ctx).Where("id = ?", id).Take(&p).Error; err != nil {
		return nil, translate(err, "plan")
	}
	return &p, nil
}

// FindPlans returns the plans of a programme (of every programme when empty), newest first.
func (db *DB) FindPlans(ctx context.Context, programmeID string) ([]*models.Plan, error) {
	q := db.gdb.WithContext(ctx).Omit("inputs")
	if programmeID != "" {
		q = q.Where("programme_id = ?", programmeID)
	}
	var out []*models.Plan
	if err := q.Order("year DESC, created_at DESC").Find(&out).Error; err != nil {
		return nil, translate(err, "plan")
	}
	return out, nil
}

// FindPlanItems returns a plan's selection ordered by week then business.
func (db *DB) FindPlanItems(ctx context.Context, planID string) ([]*models.PlanItem, error) {
	var out []*models.PlanItem
	if err := db.gdb.WithContext(ctx).Where("plan_id = ?", planID).Order("week_start, business_id").Find(&out).Error; err != nil {
		return nil, translate(err, "plan")
	}
	return out, nil
}

// CreatePlan stores a plan (committed, or a draft with its items), and marks the older
// committed plans and drafts of the same year superseded.
func (db *DB) CreatePlan(ctx context.Context, actor string, p *models.Plan, items []*models.PlanItem) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if p.ID == "" {
			p.ID = uuid.NewString()
		}
		if p.Status != models.PlanCommitted {
			p.Status = models.PlanDraft
		}
		if p.SeedSource == "" {
			p.SeedSource = models.SeedSourceServer
		}
		p.Version = 1
		var superseded []string
		if err := tx.Model(&models.Plan{}).Where("programme_id = ? AND year = ? AND status IN ?", p.ProgrammeID, p.Year, []string{models.PlanDraft, models.PlanCommitted}).
			Order("id").Pluck("id", &superseded).Error; err != nil {
			return translate(err, "plan")
		}
		if len(superseded) > 0 {
			if err := tx.Model(&models.Plan{}).Where("id IN ?", superseded).
				Updates(map[string]any{"status": models.PlanSuperseded, "updated_at": db.Now()}).Error; err != nil {
				return translate(err, "plan")
			}
		}
		if err := tx.Create(p).Error; err != nil {
			return translate(err, "plan")
		}
		for _, it := range items {
			it.PlanID = p.ID
		}
		if len(items) > 0 {
			if err := tx.CreateInBatches(items, db.batchSize()).Error; err != nil {
				return translate(err, "plan")
			}
		}
		// The audit entry is the commitment that the public bundle reads back: an edit of the
		// plans table afterwards shows as a mismatch with it.
		details := map[string]any{"programme_id": p.ProgrammeID, "year": p.Year, "seed_sha256": p.SeedSHA256, "inputs_sha256": sha256Hex(p.Inputs),
			"items": len(items), "feasible": p.Feasible, "shortfall": p.Shortfall, "seed_source": p.SeedSource, "attempt": p.Attempt}
		if p.SeedSource == models.SeedSourceLottery {
			details["secret_sha256"], details["draw_source"], details["draw_date"] = p.SecretSHA256, p.DrawSource, p.DrawDate.String()
		}
		if p.Reason != "" {
			details["reason"] = p.Reason
		}
		if len(superseded) > 0 {
			details["supersedes"] = superseded
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "create", EntityType: "plan", EntityID: p.ID, Details: details})
	})
}

// DrawPlan records a committed plan's draw: its result, the seed it gave, the figures and the
// selection, in one transaction; the plan becomes a draft that can be approved.
func (db *DB) DrawPlan(ctx context.Context, actor string, p *models.Plan, items []*models.PlanItem) (*models.Plan, error) {
	var out *models.Plan
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var cur models.Plan
		if err := tx.Where("id = ?", p.ID).Take(&cur).Error; err != nil {
			return translate(err, "plan")
		}
		if cur.Status != models.PlanCommitted {
			return conflictf("plan %s is %s: its draw was entered already or it was replaced", "kế hoạch %s đang ở trạng thái %s: kết quả quay số đã được nhập hoặc kế hoạch đã được thay thế", cur.ID, cur.Status)
		}
		now := db.Now()
		res := tx.Model(&models.Plan{}).Where("id = ? AND status = ?", cur.ID, models.PlanCommitted).Updates(map[string]any{
			"status": models.PlanDraft, "seed": p.Seed, "seed_sha256": p.SeedSHA256, "draw_result": p.DrawResult, "drawn_by": actor, "drawn_at": now,
			"figures": p.Figures, "feasible": p.Feasible, "shortfall": p.Shortfall, "projection": p.Projection, "version": cur.Version + 1, "updated_at": now})
		if res.Error != nil {
			return translate(res.Error, "plan")
		}
		if res.RowsAffected != 1 {
			return conflictf("plan %s changed while its draw was entered", "kế hoạch %s đã thay đổi trong lúc nhập kết quả quay số", cur.ID)
		}
		for _, it := range items {
			it.PlanID = cur.ID
		}
		if len(items) > 0 {
			if err := tx.CreateInBatches(items, db.batchSize()).Error; err != nil {
				return translate(err, "plan")
			}
		}
		cur.Status, cur.Seed, cur.SeedSHA256, cur.DrawResult, cur.DrawnBy, cur.DrawnAt = models.PlanDraft, p.Seed, p.SeedSHA256, p.DrawResult, actor, &now
		cur.Figures, cur.Feasible, cur.Shortfall, cur.Projection, cur.Version, cur.UpdatedAt = p.Figures, p.Feasible, p.Shortfall, p.Projection, cur.Version+1, now
		out = &cur
		return db.appendAudit(tx, actor, auditEntry{Action: "draw", EntityType: "plan", EntityID: cur.ID, Details: map[string]any{
			"draw_source": cur.DrawSource, "draw_date": cur.DrawDate.String(), "draw_result": p.DrawResult, "seed_sha256": p.SeedSHA256,
			"items": len(items), "feasible": p.Feasible, "shortfall": p.Shortfall}})
	})
	return out, err
}

// ApprovePlan turns a draft's items into planned tasks, one per item, in one transaction: a
// crash half-way leaves no half-created plan. Items without a week (the shortfall) become tasks
// for the last week of the year, so that they stay visible as work to find capacity for.
func (db *DB) ApprovePlan(ctx context.Context, actor, planID string) (*models.Plan, error) {
	var out *models.Plan
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var p models.Plan
		if err := tx.Where("id = ?", planID).Take(&p).Error; err != nil {
			return translate(err, "plan")
		}
		if p.Status != models.PlanDraft {
			return conflictf("plan %s is %s, not a draft", "kế hoạch %s đang ở trạng thái %s, không phải bản nháp", p.ID, p.Status)
		}
		var n int64
		if err := tx.Model(&models.Plan{}).Where("programme_id = ? AND year = ? AND status = ?", p.ProgrammeID, p.Year, models.PlanApproved).Count(&n).Error; err != nil {
			return translate(err, "plan")
		}
		if n > 0 {
			return conflictf("the programme already has an approved plan for %d", "chương trình đã có kế hoạch năm %d được phê duyệt", p.Year)
		}
		var items []*models.PlanItem
		if err := tx.Where("plan_id = ?", p.ID).Order("week_start, business_id").Find(&items).Error; err != nil {
			return translate(err, "plan")
		}
		now := db.Now()
		yearEnd := models.NewDate(p.Year, 12, 31)
		tasks := make([]*models.Task, 0, len(items))
		for _, it := range items {
			start := it.WeekStart
			if start.IsZero() {
				start = yearEnd.AddDays(-6)
			}
			reason := models.ReasonCoverage
			if it.Group == models.GroupReinspect {
				reason = models.ReasonReinspection
			}
			planID := p.ID
			tasks = append(tasks, &models.Task{ID: uuid.NewString(), PlanID: &planID, BusinessID: it.BusinessID, Reason: reason, Status: models.TaskPlanned,
				WindowStart: start, WindowEnd: yearEnd, InclusionProb: it.InclusionProb, Version: 1, CreatedAt: now, UpdatedAt: now})
		}
		if err := tx.CreateInBatches(tasks, db.batchSize()).Error; err != nil {
			return translate(err, "task")
		}
		res := tx.Model(&models.Plan{}).Where("id = ? AND version = ?", p.ID, p.Version).
			Updates(map[string]any{"status": models.PlanApproved, "approved_by": actor, "approved_at": now, "version": p.Version + 1, "updated_at": now})
		if res.Error != nil {
			return translate(res.Error, "plan")
		}
		if res.RowsAffected != 1 {
			return conflictf("plan %s changed while it was being approved", "kế hoạch %s đã thay đổi trong lúc phê duyệt", p.ID)
		}
		p.Status, p.ApprovedBy, p.ApprovedAt, p.Version, p.UpdatedAt = models.PlanApproved, actor, &now, p.Version+1, now
		out = &p
		return db.appendAudit(tx, actor, auditEntry{Action: "approve", EntityType: "plan", EntityID: p.ID, Details: map[string]any{"tasks": len(tasks)}})
	})
	return out, err
}

// RevealPlanSeed publishes the seed of a plan (idempotent).
func (db *DB) RevealPlanSeed(ctx context.Context, actor, planID string) (*models.Plan, error) {
	var out *models.Plan
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var p models.Plan
		if err := tx.Where("id = ?", planID).Take(&p).Error; err != nil {
			return translate(err, "plan")
		}
		if p.SeedRevealedAt == nil {
			now := db.Now()
			if err := tx.Model(&models.Plan{}).Where("id = ?", p.ID).Updates(map[string]any{"seed_revealed_at": now, "updated_at": now}).Error; err != nil {
				return translate(err, "plan")
			}
			p.SeedRevealedAt = &now
			if err := db.appendAudit(tx, actor, auditEntry{Action: "reveal_seed", EntityType: "plan", EntityID: p.ID, Details: map[string]any{"seed_sha256": p.SeedSHA256, "secret_sha256": p.SecretSHA256}}); err != nil {
				return err
			}
		}
		out = &p
		return nil
	})
	return out, err
}

// FindTaskByID returns the task, or not_found.
func (db *DB) FindTaskByID(ctx context.Context, id string) (*models.Task, error) {
	var t models.Task
	if err := db.gdb.WithContext(ctx).Where("id = ?", id).Take(&t).Error; err != nil {
		return nil, translate(err, "task")
	}
	return &t, nil
}

// FindTasks returns matching tasks ordered by id, and their total count.
func (db *DB) FindTasks(ctx context.Context, f models.TaskFilter) ([]*models.Task, int, error) {
	q := db.gdb.WithContext(ctx).Model(&models.Task{})
	if f.AreaPath != "" {
		q = q.Where(`business_id IN (SELECT b.id FROM businesses b JOIN areas a ON a.code = b.area_code WHERE a.path LIKE ? ESCAPE '\')`, likePrefix(f.AreaPath))
	}
	if f.PlanID != "" {
		q = q.Where("plan_id = ?", f.PlanID)
	}
	if f.BusinessID != "" {
		q = q.Where("business_id = ?", f.BusinessID)
	}
	if f.TeamID != "" {
		q = q.Where("team_id = ?", f.TeamID)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, translate(err, "task")
	}
	if f.After != "" {
		q = q.Where("id > ?", f.After)
	}
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	var out []*models.Task
	if err := q.Order("id").Find(&out).Error; err != nil {
		return nil, 0, translate(err, "task")
	}
	return out, int(total), nil
}

// PlanProgress counts a plan's tasks by status.
func (db *DB) PlanProgress(ctx context.Context, planID string) (map[string]int, error) {
	var rows []struct {
		Status string
		N      int
	}
	if err := db.gdb.WithContext(ctx).Model(&models.Task{}).Select("status, COUNT(*) AS n").Where("plan_id = ?", planID).Group("status").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("plan progress: %w", err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// LoadPlanningFacts reads the registry and the inspection history as of a date.
func (db *DB) LoadPlanningFacts(ctx context.Context, programmeStart, asOf models.Date) (*models.PlanningFacts, error) {
	g := db.gdb.WithContext(ctx)
	f := &models.PlanningFacts{Covered: map[string]bool{}, LastInspected: map[string]models.Date{}, Violations: map[string]int{}, Tips: map[string]int{}}
	if err := g.Order("id").Find(&f.Businesses).Error; err != nil {
		return nil, translate(err, "business")
	}
	asOfTime := asOf.Time(time.UTC)
	var insp []struct {
		BusinessID string
		FinishedAt time.Time
	}
	if err := g.Model(&models.Inspection{}).Select("business_id, finished_at").
		Where("outcome IN ? AND finished_at < ? AND amends_id IS NULL", []string{models.OutcomeCompliant, models.OutcomeViolation}, asOfTime).
		Scan(&insp).Error; err != nil {
		return nil, translate(err, "inspection")
	}
	start := programmeStart.Time(time.UTC)
	for _, r := range insp {
		d := models.DateOf(r.FinishedAt.UTC())
		if !r.FinishedAt.Before(start) {
			f.Covered[r.BusinessID] = true
		}
		if d.After(f.LastInspected[r.BusinessID]) {
			f.LastInspected[r.BusinessID] = d
		}
	}
	var viol []struct {
		BusinessID string
		N          int
	}
	if err := g.Table("inspection_findings AS f").Select("f.business_id, COUNT(*) AS n").
		Joins("JOIN inspections i ON i.id = f.inspection_id").
		Where("i.finished_at >= ? AND i.finished_at < ?", asOfTime.AddDate(-5, 0, 0), asOfTime).
		Group("f.business_id").Scan(&viol).Error; err != nil {
		return nil, translate(err, "inspection")
	}
	for _, v := range viol {
		f.Violations[v.BusinessID] = v.N
	}
	var finds []struct {
		BusinessID string
		Code       string
		Severity   string
		FinishedAt time.Time
	}
	if err := g.Table("inspection_findings AS f").Select("f.business_id, f.code, f.severity, i.finished_at").
		Joins("JOIN inspections i ON i.id = f.inspection_id").
		// The latest version of each record: an original nobody amended, or its newest amendment
		// (which carries the corrected findings).
		Where(`i.finished_at >= ? AND i.finished_at < ? AND (
			(i.amends_id IS NULL AND NOT EXISTS (SELECT 1 FROM inspections a WHERE a.amends_id = i.id)) OR
			(i.amends_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM inspections n WHERE n.amends_id = i.amends_id
				AND (n.created_at > i.created_at OR (n.created_at = i.created_at AND n.id > i.id)))))`, asOfTime.AddDate(-5, 0, 0), asOfTime).
		Order("i.finished_at, f.id").Scan(&finds).Error; err != nil {
		return nil, translate(err, "inspection")
	}
	for _, r := range finds {
		f.Findings = append(f.Findings, models.FindingFact{BusinessID: r.BusinessID, Code: r.Code, Severity: r.Severity, Found: models.DateOf(r.FinishedAt.UTC())})
	}
	var tips []struct {
		BusinessID string
		N          int
	}
	if err := g.Table("tips").Select("business_id, COUNT(*) AS n").
		Where("business_id IS NOT NULL AND received_at >= ? AND received_at < ?", asOfTime.AddDate(-1, 0, 0), asOfTime).
		Group("business_id").Scan(&tips).Error; err != nil {
		return nil, translate(err, "tip")
	}
	for _, t := range tips {
		f.Tips[t.BusinessID] = t.N
	}
	// The visits' outcomes of the last three years: the miss rate of the feasibility projection.
	var outcomes []struct {
		Outcome string
		N       int
	}
	if err := g.Model(&models.Inspection{}).Select("outcome, COUNT(*) AS n").
		Where("finished_at >= ? AND finished_at < ? AND amends_id IS NULL", asOfTime.AddDate(-3, 0, 0), asOfTime).
		Group("outcome").Scan(&outcomes).Error; err != nil {
		return nil, translate(err, "inspection")
	}
	f.Outcomes = map[string]int{}
	for _, o := range outcomes {
		f.Outcomes[o.Outcome] = o.N
	}
	return f, nil
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// SetPlanFeasibility records that a plan does (or no longer does) fit the teams' capacity, and
// writes its notifications (notes) in the same transaction.
func (db *DB) SetPlanFeasibility(ctx context.Context, actor, planID string, feasible bool, shortfall int, notes ...*models.Notification) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&models.Plan{}).Where("id = ?", planID).
			Updates(map[string]any{"feasible": feasible, "shortfall": shortfall, "updated_at": db.Now()}).Error; err != nil {
			return translate(err, "plan")
		}
		if err := db.appendAudit(tx, actor, auditEntry{Action: "feasibility", EntityType: "plan", EntityID: planID, Details: map[string]any{"feasible": feasible, "shortfall": shortfall}}); err != nil {
			return err
		}
		return db.insertNotifications(tx, notes)
	})
}
