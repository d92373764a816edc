package models

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Team levels.
const (
	TeamLevelCity     = "city"
	TeamLevelDistrict = "district"
	TeamLevelWard     = "ward"
)

// Team is an interagency inspection team: officers of several agencies who inspect together in
// one jurisdiction, starting from a base.
type Team struct {
	ID             string    `json:"id" gorm:"primaryKey"`
	Name           string    `json:"name"`
	Level          string    `json:"level"`
	AreaCode       string    `json:"area_code"` // jurisdiction
	BaseLat        float64   `json:"base_lat"`
	BaseLon        float64   `json:"base_lon"`
	WeeklyCapacity int       `json:"weekly_capacity"` // inspections per working week
	WorkingDays    Weekdays  `json:"working_days"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// TableName is the table of teams.
func (Team) TableName() string { return "teams" }

// Weekdays is a set of working days stored as "1,2,3,4,5" (Monday is 1, Sunday 7, ISO 8601).
type Weekdays string

// DefaultWorkingDays is Monday to Friday.
const DefaultWorkingDays Weekdays = "1,2,3,4,5"

// Has reports whether the set includes wd.
func (w Weekdays) Has(wd time.Weekday) bool {
	iso := int(wd)
	if iso == 0 {
		iso = 7
	}
	for _, p := range strings.Split(string(w), ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(p)); err == nil && n == iso {
			return true
		}
	}
	return false
}

// Count returns the number of days in the set.
func (w Weekdays) Count() int {
	n := 0
	for d := time.Sunday; d <= time.Saturday; d++ {
		if w.Has(d) {
			n++
		}
	}
	return n
}

// TeamStore persists teams.
type TeamStore interface {
	// FindTeamByID returns not_found when the id is unknown.
	FindTeamByID(ctx context.Context, id string) (*Team, error)
	// FindTeams returns every team ordered by level and name.
	FindTeams(ctx context.Context) ([]*Team, error)
	// CreateTeam inserts a team and writes an audit event.
	CreateTeam(ctx context.Context, actor string, t *Team) error
}
