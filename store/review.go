package store

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"kiemtra/models"
)

var _ models.ReviewStore = (*DB)(nil)

// chunks calls fn with ids in batches small enough for an IN list on either database.
func chunks(ids []string, fn func(part []string) error) error {
	for i := 0; i < len(ids); i += 500 {
		if err := fn(ids[i:min(i+500, len(ids))]); err != nil {
			return err
		}
	}
	return nil
}

// FindTeamWork returns the team's work of the days from..to (both included, in loc): every
// decision of the tasks decided for the team in the period (any team, any day), the tasks the
// team visited in the period, those tasks now, their businesses, the results of their visits
// (the latest version's outcome) and the tasks those visits queued.
func (db *DB) FindTeamWork(ctx context.Context, teamID string, from, to models.Date, loc *time.Location) (*models.TeamWork, error) {
	g := db.gdb.WithContext(ctx)
	w := &models.TeamWork{Tasks: map[string]*models.Task{}, Businesses: map[string]*models.Business{},
		Results: map[string]*models.TaskResult{}, Queued: map[string][]*models.Task{}}
	err := g.Where("task_id IN (?)", g.Model(&models.AssignmentDecision{}).Select("task_id").Where("team_id = ? AND day >= ? AND day <= ?", teamID, from, to)).
		Order("day, decided_at, id").Find(&w.Decisions).Error
	if err != nil {
		return nil, translate(err, "task")
	}
	seen := map[string]bool{}
	var ids []string
	for _, d := range w.Decisions {
		if !seen[d.TaskID] {
			seen[d.TaskID] = true
			ids = append(ids, d.TaskID)
		}
	}
	// Visits the team recorded in the period for tasks it was not given that day (an urgent
	// tip's visit, a result sent after the night took the task back, history imported without
	// the mornings' decisions) are its work too.
	var visited []string
	err = g.Model(&models.Inspection{}).Where("team_id = ? AND amends_id IS NULL AND task_id IS NOT NULL AND finished_at >= ? AND finished_at < ?",
		teamID, from.Time(loc).UTC(), to.AddDays(1).Time(loc).UTC()).Order("finished_at, id").Pluck("task_id", &visited).Error
	if err != nil {
		return nil, translate(err, "inspection")
	}
	for _, id := range visited {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	var bizIDs []string
	err = chunks(ids, func(part []string) error {
		var tasks []*models.Task
		if err := g.Where("id IN ?", part).Find(&tasks).Error; err != nil {
			return translate(err, "task")
		}
		for _, t := range tasks {
			w.Tasks[t.ID] = t
			bizIDs = append(bizIDs, t.BusinessID)
		}
		var queued []*models.Task
		if err := g.Where("parent_task_id IN ?", part).Order("created_at, id").Find(&queued).Error; err != nil {
			return translate(err, "task")
		}
		for _, t := range queued {
			w.Queued[*t.ParentTaskID] = append(w.Queued[*t.ParentTaskID], t)
		}
		var originals []*models.Inspection
		if err := g.Select("id, task_id, team_id, finished_at, outcome").Where("task_id IN ? AND amends_id IS NULL", part).Order("created_at").Find(&originals).Error; err != nil {
			return translate(err, "inspection")
		}
		byID := map[string]*models.TaskResult{}
		var origIDs []string
		for _, in := range originals {
			if _, dup := w.Results[*in.TaskID]; dup {
				continue
			}
			r := &models.TaskResult{InspectionID: in.ID, TeamID: in.TeamID, FinishedAt: in.FinishedAt, Outcome: in.Outcome}
			w.Results[*in.TaskID], byID[in.ID] = r, r
			origIDs = append(origIDs, in.ID)
		}
		if len(origIDs) == 0 {
			return nil
		}
		var amendments []*models.Inspection
		if err := g.Select("id, amends_id, outcome, created_at").Where("amends_id IN ?", origIDs).Order("created_at, id").Find(&amendments).Error; err != nil {
			return translate(err, "inspection")
		}
		for _, a := range amendments {
			byID[*a.AmendsID].Outcome = a.Outcome // the latest comes last
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = chunks(bizIDs, func(part []string) error {
		var bs []*models.Business
		if err := g.Select("id, name, category, address, area_code, lat, lon").Where("id IN ?", part).Find(&bs).Error; err != nil {
			return translate(err, "business")
		}
		for _, b := range bs {
			w.Businesses[b.ID] = b
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// FindTeamInspections returns the team's original results finished in [from, to), newest first,
// at most limit, each with its latest version, that version's findings, the photos of every
// version and the latest review.
func (db *DB) FindTeamInspections(ctx context.Context, teamID string, from, to time.Time, limit int) ([]*models.TeamInspection, error) {
	var originals []*models.Inspection
	err := db.gdb.WithContext(ctx).Where("team_id = ? AND amends_id IS NULL AND finished_at >= ? AND finished_at < ?", teamID, from.UTC(), to.UTC()).
		Order("finished_at DESC, id").Limit(limit).Find(&originals).Error
	if err != nil {
		return nil, translate(err, "inspection")
	}
	return db.teamInspections(ctx, originals)
}

// FindTeamInspection returns one original result as a lead reviews it, or not_found (also for a
// correction's id: reviews are of originals).
func (db *DB) FindTeamInspection(ctx context.Context, id string) (*models.TeamInspection, error) {
	var in models.Inspection
	if err := db.gdb.WithContext(ctx).Where("id = ? AND amends_id IS NULL", id).Take(&in).Error; err != nil {
		return nil, translate(err, "inspection")
	}
	out, err := db.teamInspections(ctx, []*models.Inspection{&in})
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

func (db *DB) teamInspections(ctx context.Context, originals []*models.Inspection) ([]*models.TeamInspection, error) {
	g := db.gdb.WithContext(ctx)
	out := make([]*models.TeamInspection, len(originals))
	byID := map[string]*models.TeamInspection{}
	ids := make([]string, len(originals))
	bizIDs := make([]string, 0, len(originals))
	for i, in := range originals {
		out[i] = &models.TeamInspection{Original: in, Latest: in, Version: 1, Findings: []*models.Finding{}}
		byID[in.ID], ids[i] = out[i], in.ID
		bizIDs = append(bizIDs, in.BusinessID)
	}
	err := chunks(ids, func(part []string) error {
		var amendments []*models.Inspection
		if err := g.Where("amends_id IN ?", part).Order("created_at, id").Find(&amendments).Error; err != nil {
			return translate(err, "inspection")
		}
		versionOf := map[string]*models.TeamInspection{}
		all := append([]string{}, part...)
		for _, a := range amendments {
			ti := byID[*a.AmendsID]
			ti.Latest, ti.Version = a, ti.Version+1
			versionOf[a.ID] = ti
			all = append(all, a.ID)
		}
		for _, id := range part {
			versionOf[id] = byID[id]
		}
		var counts []struct {
			InspectionID string
			N            int
		}
		if err := g.Model(&models.Photo{}).Select("inspection_id, COUNT(*) AS n").Where("inspection_id IN ?", all).Group("inspection_id").Scan(&counts).Error; err != nil {
			return translate(err, "photo")
		}
		for _, c := range counts {
			versionOf[c.InspectionID].Photos += c.N
		}
		var findings []*models.Finding
		if err := g.Where("inspection_id IN ?", all).Order("id").Find(&findings).Error; err != nil {
			return translate(err, "inspection")
		}
		for _, f := range findings {
			if ti := versionOf[f.InspectionID]; ti.Latest.ID == f.InspectionID {
				ti.Findings = append(ti.Findings, f)
			}
		}
		var reviews []*models.InspectionReview
		if err := g.Where("inspection_id IN ?", part).Order("version, reviewed_at").Find(&reviews).Error; err != nil {
			return translate(err, "inspection")
		}
		for _, r := range reviews {
			byID[r.InspectionID].Review = r // the latest comes last
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	bizByID := map[string]*models.Business{}
	err = chunks(bizIDs, func(part []string) error {
		var bs []*models.Business
		if err := g.Select("id, name, category, address, area_code").Where("id IN ?", part).Find(&bs).Error; err != nil {
			return translate(err, "business")
		}
		for _, b := range bs {
			bizByID[b.ID] = b
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, ti := range out {
		ti.Business = bizByID[ti.Original.BusinessID]
	}
	return out, nil
}

// ReviewInspection records a lead's review of one version of an inspection and audits it. A
// retry (the same reviewer and note for the version) returns the stored review with created
// false; another review of a reviewed version is a conflict.
func (db *DB) ReviewInspection(ctx context.Context, actor string, r *models.InspectionReview) (*models.InspectionReview, bool, error) {
	find := func() (*models.InspectionReview, error) {
		var got models.InspectionReview
		err := db.gdb.WithContext(ctx).Where("inspection_id = ? AND version = ?", r.InspectionID, r.Version).Take(&got).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, nil
		}
		return &got, translate(err, "inspection")
	}
	same := func(got *models.InspectionReview) (*models.InspectionReview, bool, error) {
		if got.ReviewedBy == r.ReviewedBy && got.Note == r.Note {
			return got, false, nil
		}
		return nil, false, conflictf("version %d of this inspection was reviewed by %s already", "phiên bản %d của kết quả kiểm tra này đã được %s xem xét", got.Version, got.ReviewedBy)
	}
	if got, err := find(); err != nil || got != nil {
		if err != nil {
			return nil, false, err
		}
		return same(got)
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if r.ID == "" {
			r.ID = uuid.NewString()
		}
		r.ReviewedAt = db.Now()
		if err := tx.Create(r).Error; err != nil {
			return translate(err, "inspection")
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "review", EntityType: "inspection", EntityID: r.InspectionID,
			Details: map[string]any{"version": r.Version, "note": r.Note}})
	})
	if models.IsCode(err, models.ECONFLICT) {
		// Two tries of one review raced: the stored one decides.
		if got, e := find(); e == nil && got != nil {
			return same(got)
		}
	}
	if err != nil {
		return nil, false, err
	}
	return r, true, nil
}
