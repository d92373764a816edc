package store

import (
	"context"
	"errors"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// teamDayVersion is a row of team_day_versions.
type teamDayVersion struct {
	TeamID  string `gorm:"primaryKey"`
	Version int64
}

func (teamDayVersion) TableName() string { return "team_day_versions" }

// TeamDayVersion returns the version of what a team's phones show for a day: a number that
// every write changing it moves on, in the write's own transaction (0 before the first). The
// writes are the release of tasks to the team and the reordering of its route, a task's status
// (check-in, result, cancellation, return to the pool), an urgent tip's task, an edit of a
// business the team was given and any visit to such a business (its previous inspection).
// Amendments and photos change nothing a phone's list shows.
func (db *DB) TeamDayVersion(ctx context.Context, teamID string) (int64, error) {
	var v teamDayVersion
	err := db.gdb.WithContext(ctx).Where("team_id = ?", teamID).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, translate(err, "team")
	}
	return v.Version, nil
}

// touchTeamDays moves on the day version of every team that was ever given one of the tasks,
// or a task of one of the businesses (a few rows: a business has a few tasks a year, and a
// needless move costs a phone one full answer). Call it last in the write's transaction, after
// its audit event: on PostgreSQL the audit lock serialises the writers, so no two transactions
// take these rows in opposite orders.
func (db *DB) touchTeamDays(tx *gorm.DB, taskIDs, businessIDs []string) error {
	teams := map[string]bool{}
	collect := func(q string, ids []string) error {
		for i := 0; i < len(ids); i += 500 {
			var got []string
			if err := tx.Raw(q, ids[i:min(i+500, len(ids))]).Scan(&got).Error; err != nil {
				return translate(err, "team")
			}
			for _, t := range got {
				teams[t] = true
			}
		}
		return nil
	}
	if err := collect("SELECT DISTINCT team_id FROM assignment_decisions WHERE task_id IN ?", taskIDs); err != nil {
		return err
	}
	if err := collect(`SELECT DISTINCT d.team_id FROM assignment_decisions d JOIN tasks t ON t.id = d.task_id
		WHERE t.business_id IN ?`, businessIDs); err != nil {
		return err
	}
	ids := make([]string, 0, len(teams))
	for t := range teams {
		ids = append(ids, t)
	}
	if len(ids) == 0 {
		return nil
	}
	// A phone's delta (GET /me/assignments?since=) lists the tasks changed since its cursor: the
	// tasks whose day the write changed without changing the task itself (a teammate's check-in,
	// a business edit, another team's visit) must be changed too, or the version would move
	// while the delta stayed empty and the next 304 would keep the phone's old copy.
	if err := touchTasks(tx, "id IN ?", taskIDs, db.Now()); err != nil {
		return err
	}
	if err := touchTasks(tx, "business_id IN ?", businessIDs, db.Now()); err != nil {
		return err
	}
	return db.bumpTeamDays(tx, ids)
}

// touchTasks moves on updated_at of the tasks ever given to a team among those matching cond
// for ids, in batches.
func touchTasks(tx *gorm.DB, cond string, ids []string, at time.Time) error {
	for i := 0; i < len(ids); i += 500 {
		err := tx.Exec("UPDATE tasks SET updated_at = ? WHERE "+cond+" AND id IN (SELECT task_id FROM assignment_decisions)", at, ids[i:min(i+500, len(ids))]).Error
		if err != nil {
			return translate(err, "task")
		}
	}
	return nil
}

// bumpTeamDays moves on the day version of the teams, in the order of their ids.
func (db *DB) bumpTeamDays(tx *gorm.DB, teamIDs []string) error {
	if len(teamIDs) == 0 {
		return nil
	}
	teamIDs = slices.Clone(teamIDs)
	slices.Sort(teamIDs)
	rows := make([]teamDayVersion, 0, len(teamIDs))
	for _, id := range slices.Compact(teamIDs) {
		rows = append(rows, teamDayVersion{TeamID: id, Version: 1})
	}
	err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "team_id"}},
		DoUpdates: clause.Assignments(map[string]any{"version": gorm.Expr("team_day_versions.version + 1")})}).Create(&rows).Error
	return translate(err, "team")
}
