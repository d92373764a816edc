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
