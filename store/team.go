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
	if err := db.gdb.WithContext(ctx).Where("id = ?", id).Take(&t).Error; err != nil {
		return nil, translate(err, "team")
	}
	return &t, nil
}

// FindTeams returns every team ordered by level and name.
func (db *DB) FindTeams(ctx context.Context) ([]*models.Team, error) {
	var out []*models.Team
	if err := db.gdb.WithContext(ctx).Order("level, name").Find(&out).Error; err != nil {
		return nil, translate(err, "team")
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
		return db.appendAudit(tx, actor, auditEntry{Action: "create", EntityType: "team", EntityID: t.ID, Details: map[string]any{"name": t.Name, "area_code": t.AreaCode, "weekly_capacity": t.WeeklyCapacity}})
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
				"weekly_capacity": t.WeeklyCapacity, "working_days": t.WorkingDays, "version": t.Version + 1, "updated_at": now})
			if res.Error != nil {
				return translate(res.Error, "team")
			}
			if res.RowsAffected != 1 {
				return conflictf("team %s was changed by someone else: reload it", "tổ %s đã được người khác sửa: hãy tải lại", t.Name)
			}
			t.Version++
			t.UpdatedAt = now
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
			Details: map[string]any{"name": t.Name, "area_code": t.AreaCode, "weekly_capacity": t.WeeklyCapacity, "working_days": t.WorkingDays, "members": members}})
	})
}
