package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"kiemtra/models"
)

// ReleasedTo returns the last day a task was released to a team.
func (db *DB) ReleasedTo(ctx context.Context, taskID, teamID string) (models.Date, bool, error) {
	var d models.AssignmentDecision
	err := db.gdb.WithContext(ctx).Where("task_id = ? AND team_id = ?", taskID, teamID).Order("day DESC").Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.Date{}, false, nil
	}
	if err != nil {
		return models.Date{}, false, translate(err, "task")
	}
	return d.Day, true, nil
}

// FindCheckin returns a check-in, or not_found.
func (db *DB) FindCheckin(ctx context.Context, id string) (*models.Checkin, error) {
	var c models.Checkin
	if err := db.gdb.WithContext(ctx).Where("id = ?", id).Take(&c).Error; err != nil {
		return nil, translate(err, "checkin")
	}
	return &c, nil
}

// PreviousTeamCheckin returns the team's latest check-in before at, or not_found.
func (db *DB) PreviousTeamCheckin(ctx context.Context, teamID string, at time.Time) (*models.Checkin, error) {
	var c models.Checkin
	if err := db.gdb.WithContext(ctx).Where("team_id = ? AND client_at < ?", teamID, at.UTC()).Order("client_at DESC").Take(&c).Error; err != nil {
		return nil, translate(err, "checkin")
	}
	return &c, nil
}

// TaskCheckins returns a task's check-ins, oldest first.
func (db *DB) TaskCheckins(ctx context.Context, taskID string) ([]*models.Checkin, error) {
	var out []*models.Checkin
	if err := db.gdb.WithContext(ctx).Where("task_id = ?", taskID).Order("client_at").Find(&out).Error; err != nil {
		return nil, translate(err, "checkin")
	}
	return out, nil
}

// CreateCheckin stores a check-in and audits it; conflict when its id is taken.
func (db *DB) CreateCheckin(ctx context.Context, actor string, c *models.Checkin) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(c).Error; err != nil {
			return translate(err, "checkin")
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "checkin", EntityType: "task", EntityID: c.TaskID,
			Details: map[string]any{"checkin": c.ID, "distance_m": c.DistanceM, "on_site": c.OnSite, "flags": c.Flags}})
	})
}

// FindInspectionByID returns an inspection, or not_found.
func (db *DB) FindInspectionByID(ctx context.Context, id string) (*models.Inspection, error) {
	var in models.Inspection
	if err := db.gdb.WithContext(ctx).Where("id = ?", id).Take(&in).Error; err != nil {
		return nil, translate(err, "inspection")
	}
	return &in, nil
}

// FindInspectionForTask returns a task's original result, or not_found.
func (db *DB) FindInspectionForTask(ctx context.Context, taskID string) (*models.Inspection, error) {
	var in models.Inspection
	if err := db.gdb.WithContext(ctx).Where("task_id = ? AND amends_id IS NULL", taskID).Order("created_at").Take(&in).Error; err != nil {
		return nil, translate(err, "inspection")
	}
	return &in, nil
}

// FindFindings returns the findings of inspections.
func (db *DB) FindFindings(ctx context.Context, inspectionIDs []string) ([]*models.Finding, error) {
	var out []*models.Finding
	if len(inspectionIDs) == 0 {
		return out, nil
	}
	if err := db.gdb.WithContext(ctx).Where("inspection_id IN ?", inspectionIDs).Order("id").Find(&out).Error; err != nil {
		return nil, translate(err, "inspection")
	}
	return out, nil
}

// FindTasksQueuedBy returns the tasks a visit to a task queued: its follow-up or its repeat.
func (db *DB) FindTasksQueuedBy(ctx context.Context, taskID string) ([]*models.Task, error) {
	var out []*models.Task
	if err := db.gdb.WithContext(ctx).Where("parent_task_id = ?", taskID).Order("created_at, id").Find(&out).Error; err != nil {
		return nil, translate(err, "task")
	}
	return out, nil
}

// FindAmendments returns the corrections of an inspection, oldest first.
func (db *DB) FindAmendments(ctx context.Context, id string) ([]*models.Inspection, error) {
	var out []*models.Inspection
	if err := db.gdb.WithContext(ctx).Where("amends_id = ?", id).Order("created_at").Find(&out).Error; err != nil {
		return nil, translate(err, "inspection")
	}
	return out, nil
}

// FindBusinessInspections returns a business's inspections, newest first.
func (db *DB) FindBusinessInspections(ctx context.Context, businessID string, since time.Time, limit int) ([]*models.Inspection, error) {
	var out []*models.Inspection
	q := db.gdb.WithContext(ctx).Where("business_id = ? AND finished_at >= ?", businessID, since.UTC()).Order("finished_at DESC")
	if limit > 0 {
		q = q.Limit(limit)
	}
	if err := q.Find(&out).Error; err != nil {
		return nil, translate(err, "inspection")
	}
	return out, nil
}

// CreateAmendment stores a correction and its findings, and audits it with what changed.
func (db *DB) CreateAmendment(ctx context.Context, actor string, in *models.Inspection, findings []*models.Finding) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		in.CreatedAt = db.Now()
		// SQLite keeps times as text and compares them as text: one zone for every row.
		in.StartedAt, in.FinishedAt = in.StartedAt.UTC(), in.FinishedAt.UTC()
		if err := tx.Create(in).Error; err != nil {
			return translate(err, "inspection")
		}
		for _, f := range findings {
			f.InspectionID, f.BusinessID = in.ID, in.BusinessID
		}
		if len(findings) > 0 {
			if err := tx.CreateInBatches(findings, db.batchSize()).Error; err != nil {
				return translate(err, "inspection")
			}
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "amend", EntityType: "inspection", EntityID: *in.AmendsID,
			Details: map[string]any{"amendment": in.ID, "outcome": in.Outcome, "findings": len(findings)}})
	})
}

// AddPhoto records a photo of an inspection; the same picture twice is one record.
func (db *DB) AddPhoto(ctx context.Context, actor string, p *models.Photo) (*models.Photo, bool, error) {
	var existing models.Photo
	err := db.gdb.WithContext(ctx).Where("inspection_id = ? AND sha256 = ?", p.InspectionID, p.SHA256).Take(&existing).Error
	if err == nil {
		return &existing, false, nil
	}
	if !errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, false, translate(err, "photo")
	}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		p.CreatedAt = db.Now()
		if err := tx.Create(p).Error; err != nil {
			return translate(err, "photo")
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "photo", EntityType: "inspection", EntityID: p.InspectionID, Details: map[string]any{"sha256": p.SHA256, "size": p.SizeBytes}})
	})
	if models.IsCode(err, models.ECONFLICT) {
		// The same upload raced with itself: the stored one is the answer.
		if e := db.gdb.WithContext(ctx).Where("inspection_id = ? AND sha256 = ?", p.InspectionID, p.SHA256).Take(&existing).Error; e == nil {
			return &existing, false, nil
		}
	}
	if err != nil {
		return nil, false, err
	}
	return p, true, nil
}

// FindPhotos returns an inspection's photos.
func (db *DB) FindPhotos(ctx context.Context, inspectionID string) ([]*models.Photo, error) {
	var out []*models.Photo
	if err := db.gdb.WithContext(ctx).Where("inspection_id = ?", inspectionID).Order("created_at").Find(&out).Error; err != nil {
		return nil, translate(err, "photo")
	}
	return out, nil
}

// FindPhoto returns one photo of an inspection, or not_found.
func (db *DB) FindPhoto(ctx context.Context, inspectionID, id string) (*models.Photo, error) {
	var p models.Photo
	if err := db.gdb.WithContext(ctx).Where("inspection_id = ? AND id = ?", inspectionID, id).Take(&p).Error; err != nil {
		return nil, translate(err, "photo")
	}
	return &p, nil
}

// TeamDayTasks returns every task decided for a team's day (released to it, those taken back
// since included) in route order, in one query, with what a phone's list needs beside: the
// businesses (only the fields a phone shows: id, name, category, licence and certificate
// numbers, tax code, address, phone, owner, position), when each release was decided, and which
// tasks have a check-in. A task decided twice for the day is listed once, with its latest
// decision. Every phone asks for this many times a day: the rows are scanned by hand, not by
// reflection.
func (db *DB) TeamDayTasks(ctx context.Context, teamID string, day models.Date) (tasks []*models.Task, businesses map[string]*models.Business,
	decidedAt map[string]time.Time, checkedIn map[string]bool, err error) {
	rows, err := db.gdb.WithContext(ctx).Raw(`SELECT t.id, t.plan_id, t.business_id, t.reason, t.status, t.window_start, t.window_end, t.team_id,
		t.released_on, t.route_order, t.inclusion_prob, t.parent_task_id, t.tip_id, t.version, t.created_at, t.updated_at,
		d.decided_at, EXISTS (SELECT 1 FROM checkins c WHERE c.task_id = t.id),
		b.id, b.name, b.category, b.licence_no, b.security_cert_no, b.tax_code, b.address, b.phone, b.owner_name, b.lat, b.lon
		FROM assignment_decisions d
		JOIN tasks t ON t.id = d.task_id
		JOIN businesses b ON b.id = t.business_id
		WHERE d.team_id = ? AND d.day = ?
		ORDER BY t.route_order, t.id, d.decided_at DESC`, teamID, day).Rows()
	if err != nil {
		return nil, nil, nil, nil, translate(err, "task")
	}
	defer rows.Close()
	businesses = map[string]*models.Business{}
	decidedAt = map[string]time.Time{}
	checkedIn = map[string]bool{}
	for rows.Next() {
		var t models.Task
		var b models.Business
		var at time.Time
		var checked bool
		if err := rows.Scan(&t.ID, &t.PlanID, &t.BusinessID, &t.Reason, &t.Status, &t.WindowStart, &t.WindowEnd, &t.TeamID,
			&t.ReleasedOn, &t.RouteOrder, &t.InclusionProb, &t.ParentTaskID, &t.TipID, &t.Version, &t.CreatedAt, &t.UpdatedAt,
			&at, &checked, &b.ID, &b.Name, &b.Category, &b.LicenceNo, &b.SecurityCertNo, &b.TaxCode, &b.Address, &b.Phone, &b.OwnerName, &b.Lat, &b.Lon); err != nil {
			return nil, nil, nil, nil, translate(err, "task")
		}
		if _, seen := decidedAt[t.ID]; seen {
			continue
		}
		tasks = append(tasks, &t)
		decidedAt[t.ID], checkedIn[t.ID], businesses[b.ID] = at, checked, &b
	}
	if err := rows.Err(); err != nil {
		return nil, nil, nil, nil, translate(err, "task")
	}
	return tasks, businesses, decidedAt, checkedIn, nil
}

// RecentInspections returns the n latest original (not amending) inspections of each of the
// businesses, by business then newest first, and their findings, in one query. The
// inspections carry only id, task, business, finish time and outcome; the findings only their
// inspection, business and code.
func (db *DB) RecentInspections(ctx context.Context, businessIDs []string, n int) ([]*models.Inspection, []*models.Finding, error) {
	if len(businessIDs) == 0 || n <= 0 {
		return nil, nil, nil
	}
	rows, err := db.gdb.WithContext(ctx).Raw(`SELECT x.id, x.task_id, x.business_id, x.finished_at, x.outcome, f.code
		FROM (
			SELECT i.id, i.task_id, i.business_id, i.finished_at, i.outcome,
				ROW_NUMBER() OVER (PARTITION BY i.business_id ORDER BY i.finished_at DESC, i.id DESC) AS rn
			FROM inspections i
			WHERE i.business_id IN ? AND i.amends_id IS NULL
		) x
		LEFT JOIN inspection_findings f ON f.inspection_id = x.id
		WHERE x.rn <= ?
		ORDER BY x.business_id, x.rn, f.id`, businessIDs, n).Rows()
	if err != nil {
		return nil, nil, translate(err, "inspection")
	}
	defer rows.Close()
	var ins []*models.Inspection
	var fs []*models.Finding
	var last *models.Inspection
	for rows.Next() {
		var in models.Inspection
		var code *string
		if err := rows.Scan(&in.ID, &in.TaskID, &in.BusinessID, &in.FinishedAt, &in.Outcome, &code); err != nil {
			return nil, nil, translate(err, "inspection")
		}
		if last == nil || last.ID != in.ID {
			last = &in
			ins = append(ins, last)
		}
		if code != nil {
			fs = append(fs, &models.Finding{InspectionID: in.ID, BusinessID: in.BusinessID, Code: *code})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, translate(err, "inspection")
	}
	return ins, fs, nil
}
