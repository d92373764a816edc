package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"kiemtra/models"
)

// LoadOpenTasks returns the tasks waiting in the pool (planned) with their businesses' positions
// and area paths and the team that inspected each business last, and counts per team the tasks
// already released for day.
func (db *DB) LoadOpenTasks(ctx context.Context, day models.Date) ([]models.OpenTaskRow, map[string]int, error) {
	g := db.gdb.WithContext(ctx)
	var rows []struct {
		models.Task
		BLat     float64 `gorm:"column:b_lat"`
		BLon     float64 `gorm:"column:b_lon"`
		AreaPath string  `gorm:"column:area_path"`
	}
	err := g.Table("tasks").Select("tasks.*, b.lat AS b_lat, b.lon AS b_lon, a.path AS area_path").
		Joins("JOIN businesses b ON b.id = tasks.business_id").
		Joins("JOIN areas a ON a.code = b.area_code").
		Where("tasks.status = ? AND b.status <> ?", models.TaskPlanned, models.BusinessClosed).
		Order("tasks.id").Scan(&rows).Error
	if err != nil {
		return nil, nil, translate(err, "task")
	}
	var last []struct {
		BusinessID string
		TeamID     string
	}
	// The latest inspection per business: its team is the one rotation avoids.
	err = g.Raw(`SELECT i.business_id, i.team_id FROM inspections i
		JOIN (SELECT business_id, MAX(finished_at) AS f FROM inspections WHERE team_id IS NOT NULL GROUP BY business_id) m
		  ON m.business_id = i.business_id AND m.f = i.finished_at
		WHERE i.team_id IS NOT NULL`).Scan(&last).Error
	if err != nil {
		return nil, nil, translate(err, "inspection")
	}
	lastTeam := make(map[string]string, len(last))
	for _, l := range last {
		lastTeam[l.BusinessID] = l.TeamID
	}
	out := make([]models.OpenTaskRow, len(rows))
	for i := range rows {
		t := rows[i].Task
		out[i] = models.OpenTaskRow{Task: &t, Lat: rows[i].BLat, Lon: rows[i].BLon, AreaPath: rows[i].AreaPath,
			LastTeamID: lastTeam[t.BusinessID], Urgent: t.Reason == models.ReasonTip}
	}
	var released []struct {
		TeamID string
		N      int
	}
	if err := g.Model(&models.Task{}).Select("team_id, COUNT(*) AS n").Where("released_on = ? AND team_id IS NOT NULL", day).
		Group("team_id").Scan(&released).Error; err != nil {
		return nil, nil, translate(err, "task")
	}
	already := map[string]int{}
	for _, r := range released {
		already[r.TeamID] = r.N
	}
	return out, already, nil
}

// ReleaseTasks sends the day's tasks to their teams in the route order given and records each
// decision, in one transaction. Only tasks still planned are released: a task taken by another
// run in the meantime makes the call fail with conflict, and nothing is released. The morning
// assignment uses ReleaseDay, which also renumbers each team's day.
func (db *DB) ReleaseTasks(ctx context.Context, actor string, day models.Date, decisions []*models.AssignmentDecision) error {
	if len(decisions) == 0 {
		return nil
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		return db.releaseTasks(tx, actor, day, decisions, nil)
	})
}

// ReleaseDay releases the day's new tasks (decisions) and reorders the route of each team that
// gets some, in one transaction. reorder holds the team's tasks released earlier for the day
// and not begun (FindOpenStops) at their new place; only their TaskID, TeamID and RouteOrder
// are read, and no decision is recorded for them. The route orders of decisions and reorder
// give each team's order; the store numbers them after the team's other tasks of the day (the
// visits begun or done, an urgent tip released meanwhile), so that a day's numbers never
// repeat, and writes the numbers back into decisions and reorder. A reordered task that is no
// longer released to its team, like a decision's task no longer planned, makes the call fail
// with conflict, and nothing changes. The notifications of the release (notes) are written in
// its transaction.
func (db *DB) ReleaseDay(ctx context.Context, actor string, day models.Date, decisions, reorder []*models.AssignmentDecision, notes ...*models.Notification) error {
	if len(decisions) == 0 && len(reorder) == 0 {
		return nil
	}
	return db.tx(ctx, func(tx *gorm.DB) error {
		byTeam := map[string][]*models.AssignmentDecision{}
		var teams []string
		for _, d := range append(slices.Clone(reorder), decisions...) {
			if _, ok := byTeam[d.TeamID]; !ok {
				teams = append(teams, d.TeamID)
			}
			byTeam[d.TeamID] = append(byTeam[d.TeamID], d)
		}
		slices.Sort(teams)
		for _, team := range teams {
			route := byTeam[team]
			slices.SortStableFunc(route, func(a, b *models.AssignmentDecision) int { return cmp.Compare(a.RouteOrder, b.RouteOrder) })
			ids := make([]string, len(route))
			for i, d := range route {
				ids[i] = d.TaskID
			}
			var after int
			if err := tx.Model(&models.Task{}).Select("COALESCE(MAX(route_order), 0)").
				Where("team_id = ? AND released_on = ? AND id NOT IN ?", team, day, ids).Scan(&after).Error; err != nil {
				return translate(err, "task")
			}
			for i, d := range route {
				d.RouteOrder = after + i + 1
			}
		}
		now := db.Now()
		for _, d := range reorder {
			res := tx.Model(&models.Task{}).Where("id = ? AND team_id = ? AND released_on = ? AND status = ?", d.TaskID, d.TeamID, day, models.TaskReleased).
				Updates(map[string]any{"route_order": d.RouteOrder, "version": gorm.Expr("version + 1"), "updated_at": now})
			if res.Error != nil {
				return translate(res.Error, "task")
			}
			if res.RowsAffected != 1 {
				return conflictf("task %s changed while the day was assigned: run the assignment again", "nhiệm vụ %s đã thay đổi trong khi phân công: hãy chạy phân công lại", d.TaskID)
			}
		}
		if err := db.releaseTasks(tx, actor, day, decisions, reorder); err != nil {
			return err
		}
		return db.insertNotifications(tx, notes)
	})
}

// releaseTasks releases planned tasks as decided and records the decisions; reordered are the
// tasks released earlier whose place changed (already written), for the audit and the teams'
// day versions.
func (db *DB) releaseTasks(tx *gorm.DB, actor string, day models.Date, decisions, reordered []*models.AssignmentDecision) error {
	now := db.Now()
	for _, d := range decisions {
		res := tx.Model(&models.Task{}).Where("id = ? AND status = ?", d.TaskID, models.TaskPlanned).Updates(map[string]any{
			"status": models.TaskReleased, "team_id": d.TeamID, "released_on": day, "route_order": d.RouteOrder,
			"version": gorm.Expr("version + 1"), "updated_at": now})
		if res.Error != nil {
			return translate(res.Error, "task")
		}
		if res.RowsAffected != 1 {
			return conflictf("task %s is no longer waiting: run the assignment again", "nhiệm vụ %s không còn chờ phân công: hãy chạy phân công lại", d.TaskID)
		}
		d.Day, d.DecidedAt, d.DecidedBy = day, now, actor
	}
	if len(decisions) > 0 {
		if err := tx.CreateInBatches(decisions, db.batchSize()).Error; err != nil {
			return translate(err, "task")
		}
	}
	details := map[string]any{"tasks": len(decisions)}
	if len(reordered) > 0 {
		details["reordered"] = len(reordered)
	}
	if err := db.appendAudit(tx, actor, auditEntry{Action: "release", EntityType: "assignment", EntityID: day.String(), Details: details}); err != nil {
		return err
	}
	ids := make([]string, 0, len(decisions)+len(reordered))
	for _, d := range append(slices.Clone(decisions), reordered...) {
		ids = append(ids, d.TaskID)
	}
	return db.touchTeamDays(tx, ids, nil)
}

// FindOpenStops returns the tasks released for day that their teams have not begun (still
// released, no check-in), with their businesses' positions and area paths, by team and route
// order: the part of each team's day that a later release may reorder.
func (db *DB) FindOpenStops(ctx context.Context, day models.Date) ([]models.OpenTaskRow, error) {
	var rows []struct {
		models.Task
		BLat     float64 `gorm:"column:b_lat"`
		BLon     float64 `gorm:"column:b_lon"`
		AreaPath string  `gorm:"column:area_path"`
	}
	err := db.gdb.WithContext(ctx).Table("tasks").Select("tasks.*, b.lat AS b_lat, b.lon AS b_lon, a.path AS area_path").
		Joins("JOIN businesses b ON b.id = tasks.business_id").
		Joins("JOIN areas a ON a.code = b.area_code").
		Where("tasks.released_on = ? AND tasks.status = ? AND tasks.team_id IS NOT NULL", day, models.TaskReleased).
		Where("NOT EXISTS (SELECT 1 FROM checkins c WHERE c.task_id = tasks.id)").
		Order("tasks.team_id, tasks.route_order, tasks.id").Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "task")
	}
	out := make([]models.OpenTaskRow, len(rows))
	for i := range rows {
		t := rows[i].Task
		out[i] = models.OpenTaskRow{Task: &t, Lat: rows[i].BLat, Lon: rows[i].BLon, AreaPath: rows[i].AreaPath, Urgent: t.Reason == models.ReasonTip}
	}
	return out, nil
}

// FindTeamDay returns a team's tasks released for a day in route order.
func (db *DB) FindTeamDay(ctx context.Context, teamID string, day models.Date) ([]*models.Task, error) {
	var out []*models.Task
	if err := db.gdb.WithContext(ctx).Where("team_id = ? AND released_on = ?", teamID, day).Order("route_order, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("team day: %w", err)
	}
	return out, nil
}

// CountReleased counts the tasks released for a day, to every team.
func (db *DB) CountReleased(ctx context.Context, day models.Date) (int, error) {
	var n int64
	err := db.gdb.WithContext(ctx).Model(&models.Task{}).Where("released_on = ?", day).Count(&n).Error
	return int(n), translate(err, "task")
}

// TasksTouchedSince returns the tasks released to a team for a day that changed after since,
// including those since taken back (returned to the pool, cancelled, given to another team).
func (db *DB) TasksTouchedSince(ctx context.Context, teamID string, day models.Date, since time.Time) ([]*models.Task, error) {
	var out []*models.Task
	err := db.gdb.WithContext(ctx).Where("updated_at > ? AND id IN (SELECT task_id FROM assignment_decisions WHERE team_id = ? AND day = ?)", since.UTC(), teamID, day).
		Order("id").Find(&out).Error
	return out, translate(err, "task")
}
