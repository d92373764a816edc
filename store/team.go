package store

import (
	"context"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"kiemtra/models"
)

var _ models.TeamStore = (*DB)(nil)

// FindTeamByID returns the team, or not_found.
func (db *DB) FindTeamByID(ctx context.Context, id string) (*models.Team, error) {
	var t models.Team
	g := db.gdb.WithContext(ctx)
	if err := g.Where("id = ?", id).Take(&t).Error; err != nil {
		return nil, translate(err, "team")
	}
	if err := loadTeamUnits(g, []*models.Team{&t}); err != nil {
		return nil, err
	}
	return &t, nil
}

// loadTeamUnits fills each team's Areas from team_areas.
func loadTeamUnits(tx *gorm.DB, teams []*models.Team) error {
	if len(teams) == 0 {
		return nil
	}
	ids := make([]string, len(teams))
	for i, t := range teams {
		ids[i] = t.ID
	}
	units, err := teamUnits(tx, ids)
	if err != nil {
		return err
	}
	for _, t := range teams {
		t.Areas = units[t.ID]
		if len(t.Areas) == 0 {
			t.Areas = []string{t.AreaCode}
		}
	}
	return nil
}

// saveTeamUnits replaces the units a team serves (its AreaCode alone when Areas is empty).
func saveTeamUnits(tx *gorm.DB, t *models.Team) error {
	t.Areas = t.Units()
	if err := tx.Exec("DELETE FROM team_areas WHERE team_id = ?", t.ID).Error; err != nil {
		return translate(err, "team")
	}
	for _, a := range t.Areas {
		if err := tx.Exec("INSERT INTO team_areas (team_id, area_code) VALUES (?, ?)", t.ID, a).Error; err != nil {
			return translate(err, "team")
		}
	}
	return nil
}

// FindTeams returns every team ordered by level and name.
func (db *DB) FindTeams(ctx context.Context) ([]*models.Team, error) {
	var out []*models.Team
	g := db.gdb.WithContext(ctx)
	if err := g.Order("level, name").Find(&out).Error; err != nil {
		return nil, translate(err, "team")
	}
	if err := loadTeamUnits(g, out); err != nil {
		return nil, err
	}
	return out, nil
}

// CreateTeam inserts a team and writes an audit event.
func (db *DB) CreateTeam(ctx context.Context, actor string, t *models.Team) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		if t.ID == "" {
			t.ID = uuid.NewString()
		}
		if t.WorkingDays == "" {
			t.WorkingDays = models.DefaultWorkingDays
		}
		t.Version = 1
		if err := tx.Create(t).Error; err != nil {
			return translate(err, "team")
		}
		if err := saveTeamUnits(tx, t); err != nil {
			return err
		}
		return db.appendAudit(tx, actor, auditEntry{Action: "create", EntityType: "team", EntityID: t.ID, Details: map[string]any{"name": t.Name, "area_code": t.AreaCode, "areas": t.Areas, "weekly_capacity": t.WeeklyCapacity}})
	})
}

// FindTeamMembers returns the users of a team ordered by username.
func (db *DB) FindTeamMembers(ctx context.Context, teamID string) ([]*models.User, error) {
	var out []*models.User
	if err := db.gdb.WithContext(ctx).Where("team_id = ?", teamID).Order("username").Find(&out).Error; err != nil {
		return nil, translate(err, "user")
	}
	return out, nil
}

// CountEnabledMembers counts the members of each team who are not disabled; a team without any
// is absent from the map.
func (db *DB) CountEnabledMembers(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		TeamID string
		N      int
	}
	if err := db.gdb.WithContext(ctx).Model(&models.User{}).Select("team_id, COUNT(*) AS n").
		Where("team_id IS NOT NULL AND disabled = ?", false).Group("team_id").Scan(&rows).Error; err != nil {
		return nil, translate(err, "user")
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.TeamID] = r.N
	}
	return out, nil
}

// SaveTeam creates (empty id) or updates (version must be current) a team and, when members is
// not nil, makes exactly those users its members, in one transaction.
func (db *DB) SaveTeam(ctx context.Context, actor string, t *models.Team, members []string) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		now := db.Now()
		action := "update"
		if t.ID == "" {
			action = "create"
			t.ID, t.Version, t.CreatedAt, t.UpdatedAt = uuid.NewString(), 1, now, now
			if err := tx.Create(t).Error; err != nil {
				return translate(err, "team")
			}
		} else {
			res := tx.Model(&models.Team{}).Where("id = ? AND version = ?", t.ID, t.Version).Updates(map[string]any{
				"name": t.Name, "level": t.Level, "area_code": t.AreaCode, "base_lat": t.BaseLat, "base_lon": t.BaseLon,
				"weekly_capacity": t.WeeklyCapacity, "working_days": t.WorkingDays,
				"decision_no": t.DecisionNo, "decision_date": t.DecisionDate, "decision_by": t.DecisionBy, "version": t.Version + 1, "updated_at": now})
			if res.Error != nil {
				return translate(res.Error, "team")
			}
			if res.RowsAffected != 1 {
				return conflictf("team %s was changed by someone else: reload it", "tổ %s đã được người khác sửa: hãy tải lại", t.Name)
			}
			t.Version++
			t.UpdatedAt = now
		}
		if err := saveTeamUnits(tx, t); err != nil {
			return err
		}
		if members != nil {
			if err := tx.Model(&models.User{}).Where("team_id = ? AND id NOT IN ?", t.ID, append(members, "")).
				Updates(map[string]any{"team_id": nil, "version": gorm.Expr("version + 1"), "updated_at": now}).Error; err != nil {
				return translate(err, "user")
			}
			if len(members) > 0 {
				if err := tx.Model(&models.User{}).Where("id IN ?", members).
					Updates(map[string]any{"team_id": t.ID, "version": gorm.Expr("version + 1"), "updated_at": now}).Error; err != nil {
					return translate(err, "user")
				}
			}
		}
		return db.appendAudit(tx, actor, auditEntry{Action: action, EntityType: "team", EntityID: t.ID,
			Details: map[string]any{"name": t.Name, "area_code": t.AreaCode, "areas": t.Areas, "weekly_capacity": t.WeeklyCapacity, "working_days": t.WorkingDays, "members": members}})
	})
}
