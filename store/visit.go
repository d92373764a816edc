package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"kiemtra/models"
)

// ApplyVisits records visits in one transaction: each inspection and its findings, its task
// marked done (inspected) or missed (closed door, refused, not found), the new tasks it creates,
// and the business's last inspection date (the date of FinishedAt in its own zone) and risk.
func (db *DB) ApplyVisits(ctx context.Context, actor string, visits []models.Visit) error {
	return db.tx(ctx, func(tx *gorm.DB) error { return db.applyVisits(tx, actor, visits) })
}

func (db *DB) applyVisits(tx *gorm.DB, actor string, visits []models.Visit) error {
	now := db.Now()
	var inspections []*models.Inspection
	var findings []*models.Finding
	var tasks []*models.Task
	audit := make([]auditEntry, 0, len(visits))
	// The date a business was inspected is the calendar date where the visit finished: the
	// caller gives FinishedAt in the users' zone (a visit at 01:00 in Vietnam is 18:00 UTC the
	// day before).
	days := make(map[*models.Inspection]models.Date, len(visits))
	for _, v := range visits {
		in := v.Inspection
		days[in] = models.DateOf(in.FinishedAt)
		if in.ID == "" {
			in.ID = uuid.NewString()
		}
		in.CreatedAt = now
		in.StartedAt, in.FinishedAt = in.StartedAt.UTC(), in.FinishedAt.UTC()
		inspections = append(inspections, in)
		for _, f := range v.Findings {
			f.InspectionID, f.BusinessID = in.ID, in.BusinessID
			findings = append(findings, f)
		}
		for _, t := range v.NewTasks {
			if t.ID == "" {
				t.ID = uuid.NewString()
			}
			t.Version, t.CreatedAt, t.UpdatedAt = 1, now, now
			tasks = append(tasks, t)
		}
		audit = append(audit, auditEntry{Action: "record", EntityType: "inspection", EntityID: in.ID,
			Details: map[string]any{"business_id": in.BusinessID, "task_id": in.TaskID, "outcome": in.Outcome, "findings": len(v.Findings)}})
	}
	if err := tx.CreateInBatches(inspections, db.batchSize()).Error; err != nil {
		return translate(err, "inspection")
	}
	if len(findings) > 0 {
		if err := tx.CreateInBatches(findings, db.batchSize()).Error; err != nil {
			return translate(err, "inspection")
		}
	}
	for _, v := range visits {
		in := v.Inspection
		if in.TaskID != nil {
			status := models.TaskMissed
			if models.Inspected(in.Outcome) {
				status = models.TaskDone
			}
			// Only an open task takes a result: two results for one task race here, and the
			// loser's whole transaction is undone.
			res := tx.Model(&models.Task{}).Where("id = ? AND status IN ?", *in.TaskID, []string{models.TaskPlanned, models.TaskReleased}).
				Updates(map[string]any{"status": status, "version": gorm.Expr("version + 1"), "updated_at": now})
			if res.Error != nil {
				return translate(res.Error, "task")
			}
			if res.RowsAffected != 1 {
				// A task cancelled meanwhile (the business closed, the plan was replaced)
				// still takes the result of a visit that happened: it stays cancelled.
				var status string
				if err := tx.Model(&models.Task{}).Where("id = ?", *in.TaskID).Pluck("status", &status).Error; err != nil {
					return translate(err, "task")
				}
				if status != models.TaskCancelled {
					return conflictf("task %s already has a result", "nhiệm vụ %s đã có kết quả", *in.TaskID)
				}
			}
		}
		if models.Inspected(in.Outcome) {
			day := days[in]
			// A new version: a planner's edit of the business made from a copy read before the
			// visit must not write the old risk and date back (writeBusiness writes every
			// column under the version it read).
			upd := map[string]any{"last_inspected_on": day, "updated_at": now, "version": gorm.Expr("version + 1")}
			if len(v.Findings) > 0 {
				upd["risk_score"] = gorm.Expr("risk_score + ?", float64(len(v.Findings)))
			}
			if err := tx.Model(&models.Business{}).Where("id = ? AND (last_inspected_on IS NULL OR last_inspected_on < ?)", in.BusinessID, day).
				Updates(upd).Error; err != nil {
				return translate(err, "business")
			}
			// A violation found before and not found again at this visit has been corrected:
			// the police's licensing check and the reports tell open violations from resolved
			// ones by this date.
			var again []string
			for _, f := range v.Findings {
				again = append(again, f.Code)
			}
			q := tx.Model(&models.Finding{}).Where("business_id = ? AND resolved_on IS NULL", in.BusinessID).
				Where("inspection_id IN (?)", tx.Model(&models.Inspection{}).Select("id").Where("business_id = ? AND finished_at < ?", in.BusinessID, in.FinishedAt))
			if len(again) > 0 {
				q = q.Where("code NOT IN ?", again)
			}
			if err := q.Update("resolved_on", day).Error; err != nil {
				return translate(err, "inspection")
			}
		}
	}
	if len(tasks) > 0 {
		if err := tx.CreateInBatches(tasks, db.batchSize()).Error; err != nil {
			return translate(err, "task")
		}
	}
	if err := db.appendAudit(tx, actor, audit...); err != nil {
		return err
	}
	// The visited task changes on its team's day, and the business's previous inspection on
	// the day of any other team given it.
	var taskIDs, businessIDs []string
	for _, v := range visits {
		if v.Inspection.TaskID != nil {
			taskIDs = append(taskIDs, *v.Inspection.TaskID)
		}
		businessIDs = append(businessIDs, v.Inspection.BusinessID)
	}
	return db.touchTeamDays(tx, taskIDs, businessIDs)
}

// CreateTasks inserts tasks (ids assigned when empty) in one transaction.
func (db *DB) CreateTasks(ctx context.Context, actor string, tasks []*models.Task) error {
	if len(tasks) == 0 {
		return nil
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		now := db.Now()
		audit := make([]auditEntry, 0, len(tasks))
		for _, t := range tasks {
			if t.ID == "" {
				t.ID = uuid.NewString()
			}
			t.Version, t.CreatedAt, t.UpdatedAt = 1, now, now
			audit = append(audit, auditEntry{Action: "create", EntityType: "task", EntityID: t.ID, Details: map[string]any{"business_id": t.BusinessID, "reason": t.Reason, "plan_id": t.PlanID}})
		}
		if err := tx.CreateInBatches(tasks, db.batchSize()).Error; err != nil {
			return translate(err, "task")
		}
		return db.appendAudit(tx, actor, audit...)
	})
}

// UpdateTaskStatus moves tasks to a status (cancelling, returning to the pool ...).
func (db *DB) UpdateTaskStatus(ctx context.Context, actor string, ids []string, status string, fields map[string]any) error {
	if len(ids) == 0 {
		return nil
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		upd := map[string]any{"status": status, "version": gorm.Expr("version + 1"), "updated_at": db.Now()}
		for k, v := range fields {
			upd[k] = v
		}
		for i := 0; i < len(ids); i += 500 {
			if err := tx.Model(&models.Task{}).Where("id IN ?", ids[i:min(i+500, len(ids))]).Updates(upd).Error; err != nil {
				return translate(err, "task")
			}
		}
		if err := db.appendAudit(tx, actor, auditEntry{Action: "set_status", EntityType: "task", EntityID: status, Details: map[string]any{"tasks": len(ids), "ids": firstN(ids, 50)}}); err != nil {
			return err
		}
		return db.touchTeamDays(tx, ids, nil)
	})
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// LoadYearState reads the tasks and inspections the nightly job works on.
func (db *DB) LoadYearState(ctx context.Context, year int, today models.Date) (*models.YearState, error) {
	g := db.gdb.WithContext(ctx)
	st := &models.YearState{InspectedThisYear: map[string]bool{}, OpenTasks: map[string]*models.Task{}}
	from := models.NewDate(year, 1, 1).Time(time.UTC)
	to := models.NewDate(year+1, 1, 1).Time(time.UTC)
	var ids []string
	if err := g.Model(&models.Inspection{}).Distinct("business_id").
		Where("outcome IN ? AND finished_at >= ? AND finished_at < ?", []string{models.OutcomeCompliant, models.OutcomeViolation}, from, to).
		Pluck("business_id", &ids).Error; err != nil {
		return nil, translate(err, "inspection")
	}
	for _, id := range ids {
		st.InspectedThisYear[id] = true
	}
	var open []*models.Task
	if err := g.Where("status IN ?", []string{models.TaskPlanned, models.TaskReleased}).Order("id").Find(&open).Error; err != nil {
		return nil, translate(err, "task")
	}
	for _, t := range open {
		st.OpenTasks[t.BusinessID] = t
		if t.Status == models.TaskReleased && !t.ReleasedOn.IsZero() && t.ReleasedOn.Before(today) {
			st.StaleReleased = append(st.StaleReleased, t)
		}
	}
	if err := g.Where("status = ? AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_task_id = tasks.id)", models.TaskMissed).
		Order("id").Find(&st.MissedUnrequeued).Error; err != nil {
		return nil, translate(err, "task")
	}
	return st, nil
}
