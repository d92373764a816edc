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
		if err := db.appendAudit(tx, actor, auditEntry{Action: "checkin", EntityType: "task", EntityID: c.TaskID,
			Details: map[string]any{"checkin": c.ID, "distance_m": c.DistanceM, "on_site": c.OnSite, "flags": c.Flags}}); err != nil {
			return err
		}
		return db.touchTeamDays(tx, []string{c.TaskID}, nil) // the phones show the check-in
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

// FindLatestInspection returns the inspection that finished last, or not_found when there is
// none: where a demo database's history ends.
func (db *DB) FindLatestInspection(ctx context.Context) (*models.Inspection, error) {
	var in models.Inspection
	if err := db.gdb.WithContext(ctx).Order("finished_at DESC, id").Take(&in).Error; err != nil {
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

// EachTeamDayTask calls fn for every task decided for a team's day (released to it, those
// taken back since included), in route order, with what a phone's list needs beside: the
// business (only the fields a phone shows: id, name, category, licence and certificate
// numbers, tax code, address, phone, owner, position), when the release was decided, whether
// the task has a check-in, and the business's previous inspection (the latest original result
// that is not the task's own, with only its id, finish time and outcome; nil when there is
// none) with its violation codes. A task decided twice for the day comes once, with its latest
// decision. Every phone asks for this many times a day: it is one query, scanned by hand.
func (db *DB) EachTeamDayTask(ctx context.Context, teamID string, day models.Date,
	fn func(t *models.Task, b *models.Business, decidedAt time.Time, checkedIn bool, last *models.Inspection, codes []string)) error {
	rows, err := db.gdb.WithContext(ctx).Raw(`SELECT t.id, t.plan_id, t.business_id, t.reason, t.status, t.window_start, t.window_end, t.team_id,
		t.released_on, t.route_order, t.inclusion_prob, t.parent_task_id, t.tip_id, t.version, t.created_at, t.updated_at,
		d.decided_at, EXISTS (SELECT 1 FROM checkins c WHERE c.task_id = t.id),
		b.id, b.name, b.category, b.licence_no, b.security_cert_no, b.tax_code, b.address, b.phone, b.owner_name, b.lat, b.lon,
		li.id, li.finished_at, li.outcome, f.code
		FROM assignment_decisions d
		JOIN tasks t ON t.id = d.task_id
		JOIN businesses b ON b.id = t.business_id
		LEFT JOIN inspections li ON li.id = (
			SELECT i.id FROM inspections i
			WHERE i.business_id = t.business_id AND i.amends_id IS NULL AND (i.task_id IS NULL OR i.task_id <> t.id)
			ORDER BY i.finished_at DESC, i.id DESC LIMIT 1)
		LEFT JOIN inspection_findings f ON f.inspection_id = li.id
		WHERE d.team_id = ? AND d.day = ?
		ORDER BY t.route_order, t.id, d.decided_at DESC, f.id`, teamID, day).Rows()
	if err != nil {
		return translate(err, "task")
	}
	defer rows.Close()
	// One row per finding of the previous inspection (at least one per decision): a task is
	// complete when the next row is another task's.
	type pending struct {
		t         *models.Task
		b         *models.Business
		decidedAt time.Time
		checkedIn bool
		last      *models.Inspection
		codes     []string
	}
	var cur *pending
	flush := func() {
		if cur != nil {
			fn(cur.t, cur.b, cur.decidedAt, cur.checkedIn, cur.last, cur.codes)
		}
	}
	for rows.Next() {
		var t models.Task
		var b models.Business
		var at time.Time
		var checked bool
		var lastID, outcome, code *string
		var finished *time.Time
		if err := rows.Scan(&t.ID, &t.PlanID, &t.BusinessID, &t.Reason, &t.Status, &t.WindowStart, &t.WindowEnd, &t.TeamID,
			&t.ReleasedOn, &t.RouteOrder, &t.InclusionProb, &t.ParentTaskID, &t.TipID, &t.Version, &t.CreatedAt, &t.UpdatedAt,
			&at, &checked, &b.ID, &b.Name, &b.Category, &b.LicenceNo, &b.SecurityCertNo, &b.TaxCode, &b.Address, &b.Phone, &b.OwnerName, &b.Lat, &b.Lon,
			&lastID, &finished, &outcome, &code); err != nil {
			return translate(err, "task")
		}
		if cur != nil && cur.t.ID == t.ID {
			if at.Equal(cur.decidedAt) && code != nil {
				cur.codes = append(cur.codes, *code) // another finding
			}
			continue // or an older decision of the same task
		}
		flush()
		cur = &pending{t: &t, b: &b, decidedAt: at, checkedIn: checked}
		if lastID != nil && finished != nil && outcome != nil {
			cur.last = &models.Inspection{ID: *lastID, BusinessID: b.ID, FinishedAt: *finished, Outcome: *outcome}
			cur.codes = []string{}
			if code != nil {
				cur.codes = append(cur.codes, *code)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return translate(err, "task")
	}
	flush()
	return nil
}
