package models

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Team levels.
const (
	TeamLevelCity     = "city"
	TeamLevelDistrict = "district"
	TeamLevelWard     = "ward"
	TeamLevelCommune  = "commune" // one commune-level unit of the 2025 map
	// TeamLevelCluster serves a planner-defined set of units (communes, since the district
	// level went); its AreaCode is the smallest unit holding them all.
	TeamLevelCluster = "cluster"
)

// TeamLevels lists the team levels.
var TeamLevels = []string{TeamLevelCity, TeamLevelDistrict, TeamLevelWard, TeamLevelCommune, TeamLevelCluster}

// TeamLevelFor is the level of a team that serves the one unit a: city for a root, else the
// unit's level.
func TeamLevelFor(a *Area) string {
	switch {
	case a.ParentCode == nil:
		return TeamLevelCity
	case a.Level == AreaLevelDistrict, a.Level == AreaLevelWard, a.Level == AreaLevelCommune:
		return a.Level
	}
	return TeamLevelCluster
}

// Team is an interagency inspection team: officers of several agencies who inspect together in
// one jurisdiction, starting from a base.
type Team struct {
	ID       string `json:"id" gorm:"primaryKey"`
	Name     string `json:"name"`
	Level    string `json:"level"`
	AreaCode string `json:"area_code"` // jurisdiction: the smallest unit holding Areas
	// Areas are the units the team serves (a cluster of communes, or just AreaCode); empty
	// means AreaCode alone.
	Areas          []string `json:"areas" gorm:"-"`
	BaseLat        float64  `json:"base_lat"`
	BaseLon        float64  `json:"base_lon"`
	WeeklyCapacity int      `json:"weekly_capacity"` // inspections per working week
	WorkingDays    Weekdays `json:"working_days"`
	// The decision that set the team up (quyết định thành lập đoàn kiểm tra liên ngành), which
	// its inspection records cite as their basis: its number, date and who signed it.
	DecisionNo   string    `json:"decision_no"`
	DecisionDate Date      `json:"decision_date"`
	DecisionBy   string    `json:"decision_by"`
	Version      int       `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// TableName is the table of teams.
func (Team) TableName() string { return "teams" }

// Units returns the units the team serves: Areas, or AreaCode when none are set.
func (t *Team) Units() []string {
	if len(t.Areas) > 0 {
		return t.Areas
	}
	return []string{t.AreaCode}
}

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
	// FindTeamMembers returns the users of a team ordered by username.
	FindTeamMembers(ctx context.Context, teamID string) ([]*User, error)
}

// TeamUpdate is a partial update of a team; nil fields stay.
type TeamUpdate struct {
	Version        int       `json:"version"`
	Name           *string   `json:"name"`
	Level          *string   `json:"level"`
	AreaCode       *string   `json:"area_code"`
	BaseLat        *float64  `json:"base_lat"`
	BaseLon        *float64  `json:"base_lon"`
	WeeklyCapacity *int      `json:"weekly_capacity"`
	WorkingDays    *[]int    `json:"working_days"`
	Members        *[]string `json:"members"`       // user ids; replaces the member list
	Areas          *[]string `json:"areas"`         // the units the team serves; replaces the set
	DecisionNo     *string   `json:"decision_no"`   // "" removes the whole decision
	DecisionDate   *string   `json:"decision_date"` // YYYY-MM-DD; "" removes the date
	DecisionBy     *string   `json:"decision_by"`
}

// WeekdaysOf builds a Weekdays set from ISO day numbers (1 Monday ... 7 Sunday).
func WeekdaysOf(days []int) (Weekdays, error) {
	seen := map[int]bool{}
	var parts []string
	for _, d := range days {
		if d < 1 || d > 7 {
			return "", Invalid("working_days", "day %d is not 1 (Monday) to 7 (Sunday)", "ngày %d không nằm trong 1 (thứ Hai) đến 7 (Chủ nhật)", d)
		}
		if !seen[d] {
			seen[d] = true
			parts = append(parts, strconv.Itoa(d))
		}
	}
	if len(parts) == 0 {
		return "", Invalid("working_days", "a team works at least one day a week", "tổ phải làm việc ít nhất một ngày mỗi tuần")
	}
	sort.Strings(parts)
	return Weekdays(strings.Join(parts, ",")), nil
}

// Days returns the set as ISO day numbers.
func (w Weekdays) Days() []int {
	var out []int
	for d := 1; d <= 7; d++ {
		if w.Has(time.Weekday(d % 7)) {
			out = append(out, d)
		}
	}
	return out
}

// Validate checks the fields of a team that need nothing else to check.
func (t *Team) Validate() error {
	var v Validation
	if strings.TrimSpace(t.Name) == "" {
		v.Add("name", "is required", "không được để trống")
	}
	if !oneOf(t.Level, TeamLevels) {
		v.Add("level", "must be one of %s", "phải là một trong %s", strings.Join(TeamLevels, ", "))
	}
	if t.AreaCode == "" {
		v.Add("area_code", "is required", "không được để trống")
	}
	if err := ValidateLatLon(t.BaseLat, t.BaseLon); err != nil {
		e := ErrorAs(err)
		v.Add("base_"+e.Field, "%s", "%s", e.Message)
		v.Problems[len(v.Problems)-1].MessageVI = e.MessageVI
	}
	if t.WeeklyCapacity < 1 || t.WeeklyCapacity > 500 {
		v.Add("weekly_capacity", "must be from 1 to 500 inspections a week", "phải từ 1 đến 500 cuộc kiểm tra mỗi tuần")
	}
	if t.WorkingDays.Count() == 0 {
		v.Add("working_days", "a team works at least one day a week", "tổ phải làm việc ít nhất một ngày mỗi tuần")
	}
	t.checkDecision(&v)
	return v.Err()
}

// checkDecision asks for the whole decision or none of it: a record citing a number without a
// date, or a date without a number, would not identify the decision.
func (t *Team) checkDecision(v *Validation) {
	t.DecisionNo, t.DecisionBy = strings.TrimSpace(t.DecisionNo), strings.TrimSpace(t.DecisionBy)
	if t.DecisionNo == "" && t.DecisionDate.IsZero() && t.DecisionBy == "" {
		return
	}
	if t.DecisionNo == "" {
		v.Add("decision_no", "is required with the decision's date or signer", "bắt buộc khi đã nhập ngày hoặc người ký quyết định")
	} else if len([]rune(t.DecisionNo)) > 60 {
		v.Add("decision_no", "is longer than 60 characters", "dài quá 60 ký tự")
	}
	if t.DecisionDate.IsZero() {
		v.Add("decision_date", "is required with the decision's number", "bắt buộc khi đã nhập số quyết định")
	}
	if t.DecisionBy == "" {
		v.Add("decision_by", "is required: who signed the decision (for example Chủ tịch UBND thành phố)", "bắt buộc: người ký quyết định (ví dụ Chủ tịch UBND thành phố)")
	} else if len([]rune(t.DecisionBy)) > 200 {
		v.Add("decision_by", "is longer than 200 characters", "dài quá 200 ký tự")
	}
}

// DecisionText is how a record cites the team's decision, in Vietnamese; "" when the team has
// none recorded.
func (t *Team) DecisionText() string {
	if t.DecisionNo == "" || t.DecisionDate.IsZero() {
		return ""
	}
	s := fmt.Sprintf("Quyết định số %s ngày %02d/%02d/%d", t.DecisionNo, t.DecisionDate.Day, int(t.DecisionDate.Month), t.DecisionDate.Year)
	if t.DecisionBy != "" {
		s += " của " + t.DecisionBy
	}
	return s + " về việc thành lập đoàn kiểm tra liên ngành"
}
