package models

import (
	"context"
	"database/sql/driver"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Programme is a multi-year inspection programme, such as Can Tho's Plan 237/KH-UBND for
// 2021-2025: at least MinYearlyShare of the in-scope businesses inspected every year, and every
// one of them inspected by CoverageDeadline. Programmes are data: the next one is configured the
// same way.
type Programme struct {
	ID               string     `json:"id" gorm:"primaryKey"`
	Code             string     `json:"code"`
	Name             string     `json:"name"`
	StartsOn         Date       `json:"starts_on"`
	EndsOn           Date       `json:"ends_on"`
	MinYearlyShare   float64    `json:"min_yearly_share"`
	CoverageDeadline Date       `json:"coverage_deadline"`
	GraceDays        int        `json:"grace_days"` // businesses opened this close to the deadline need not be covered
	ScopeCategories  StringList `json:"scope_categories"`
	RootAreaCode     *string    `json:"root_area_code"`
	// LeadAgency is the agency that leads the programme and reports on it (an agency code);
	// nil for programmes stored before agencies were data.
	LeadAgency *string   `json:"lead_agency"`
	Version    int       `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// TableName is the table of programmes.
func (Programme) TableName() string { return "programmes" }

// Programme defaults.
const (
	DefaultMinYearlyShare = 0.20
	DefaultGraceDays      = 60
)

// ApplyDefaults fills the optional fields a planner may leave out.
func (p *Programme) ApplyDefaults() {
	if p.MinYearlyShare == 0 {
		p.MinYearlyShare = DefaultMinYearlyShare
	}
	if p.CoverageDeadline.IsZero() {
		p.CoverageDeadline = p.EndsOn
	}
	if p.GraceDays == 0 {
		p.GraceDays = DefaultGraceDays
	}
	if p.LeadAgency == nil || *p.LeadAgency == "" {
		lead := DefaultLeadAgency
		p.LeadAgency = &lead
	}
}

// Normalise puts the programme's code and name in Unicode NFC (see Business.Normalise).
func (p *Programme) Normalise() {
	p.Code, p.Name = NFC(p.Code), NFC(p.Name)
}

// Validate normalises the programme's text (Normalise) and checks it; categories are the known
// codes.
func (p *Programme) Validate(categories map[string]bool) error {
	p.Normalise()
	var v Validation
	if strings.TrimSpace(p.Code) == "" {
		v.Add("code", "is required", "không được để trống")
	}
	if strings.TrimSpace(p.Name) == "" {
		v.Add("name", "is required", "không được để trống")
	}
	if p.StartsOn.IsZero() {
		v.Add("starts_on", "is required", "không được để trống")
	}
	if p.EndsOn.IsZero() {
		v.Add("ends_on", "is required", "không được để trống")
	}
	if !p.StartsOn.IsZero() && !p.EndsOn.IsZero() {
		if !p.StartsOn.Before(p.EndsOn) {
			v.Add("ends_on", "must be after the start date", "phải sau ngày bắt đầu")
		} else if p.EndsOn.Year-p.StartsOn.Year > 20 {
			v.Add("ends_on", "a programme lasts at most 20 years", "chương trình kéo dài tối đa 20 năm")
		}
	}
	if math.IsNaN(p.MinYearlyShare) || p.MinYearlyShare <= 0 || p.MinYearlyShare > 1 {
		v.Add("min_yearly_share", "must be above 0 and at most 1 (100%%)", "phải lớn hơn 0 và không quá 1 (100%%)")
	}
	// Only against a period that makes sense: a deadline left to default to a wrong end date
	// is the end date's problem, not a second one.
	if !p.CoverageDeadline.IsZero() && !p.StartsOn.IsZero() && p.StartsOn.Before(p.EndsOn) &&
		(p.CoverageDeadline.Before(p.StartsOn) || p.CoverageDeadline.After(p.EndsOn)) {
		v.Add("coverage_deadline", "must be between the start and the end dates", "phải nằm trong thời gian của chương trình")
	}
	if p.GraceDays < 0 || p.GraceDays > 365 {
		v.Add("grace_days", "must be between 0 and 365", "phải từ 0 đến 365")
	}
	for _, c := range p.ScopeCategories {
		if categories != nil && !categories[c] {
			v.Add("scope_categories", "unknown category %q", "loại hình %q không có trong danh mục", c)
		}
	}
	return v.Err()
}

// FirstYear is the calendar year the programme starts in.
func (p *Programme) FirstYear() int { return p.StartsOn.Year }

// LastYear is the calendar year of the coverage deadline: the year in which every remaining
// business must be inspected.
func (p *Programme) LastYear() int { return p.CoverageDeadline.Year }

// HasYear reports whether year is one of the programme's plan years.
func (p *Programme) HasYear(year int) bool { return year >= p.FirstYear() && year <= p.LastYear() }

// RemainingYears is the number of plan years from year to the deadline, year included.
func (p *Programme) RemainingYears(year int) int { return p.LastYear() - year + 1 }

// InScope reports whether a business of this category is in the programme's scope (all
// categories when the scope lists none).
func (p *Programme) InScope(category string) bool {
	if len(p.ScopeCategories) == 0 {
		return true
	}
	for _, c := range p.ScopeCategories {
		if c == category {
			return true
		}
	}
	return false
}

// StringList is a set of short codes stored as comma-separated text.
type StringList []string

// Value stores the list as "a,b,c".
func (l StringList) Value() (driver.Value, error) {
	s := append([]string(nil), l...)
	sort.Strings(s)
	return strings.Join(s, ","), nil
}

// Scan reads "a,b,c".
func (l *StringList) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("cannot scan %T into a list", src)
	}
	*l = nil
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// ProgrammeUpdate is a planner's change to a programme (PATCH /programmes/{id}): the fields
// sent change, the others stay. Version is the version the planner read (optimistic locking).
type ProgrammeUpdate struct {
	Version int `json:"version"`
	// Code cannot change (plans, reports and their archives name the programme by it); it is
	// accepted only so that a change of it is refused by name rather than as an unknown field.
	Code             *string   `json:"code"`
	Name             *string   `json:"name"`
	StartsOn         *Date     `json:"starts_on"`
	EndsOn           *Date     `json:"ends_on"`
	MinYearlyShare   *float64  `json:"min_yearly_share"`
	CoverageDeadline *Date     `json:"coverage_deadline"`
	GraceDays        *int      `json:"grace_days"`
	ScopeCategories  *[]string `json:"scope_categories"` // an empty list: every category
	RootAreaCode     *string   `json:"root_area_code"`   // "": the whole registry
	LeadAgency       *string   `json:"lead_agency"`
}

// ApplyUpdate sets the fields upd carries (all but the code, which CheckProgrammeEdit guards).
func (p *Programme) ApplyUpdate(upd ProgrammeUpdate) {
	if upd.Name != nil {
		p.Name = strings.TrimSpace(*upd.Name)
	}
	if upd.StartsOn != nil {
		p.StartsOn = *upd.StartsOn
	}
	if upd.EndsOn != nil {
		p.EndsOn = *upd.EndsOn
	}
	if upd.MinYearlyShare != nil {
		p.MinYearlyShare = *upd.MinYearlyShare
	}
	if upd.CoverageDeadline != nil {
		p.CoverageDeadline = *upd.CoverageDeadline
	}
	if upd.GraceDays != nil {
		p.GraceDays = *upd.GraceDays
	}
	if upd.ScopeCategories != nil {
		p.ScopeCategories = StringList(append([]string(nil), *upd.ScopeCategories...))
		sort.Strings(p.ScopeCategories)
	}
	if upd.RootAreaCode != nil {
		if c := strings.TrimSpace(*upd.RootAreaCode); c == "" {
			p.RootAreaCode = nil
		} else {
			p.RootAreaCode = &c
		}
	}
	if upd.LeadAgency != nil {
		c := strings.TrimSpace(*upd.LeadAgency)
		p.LeadAgency = &c
	}
}

// planStatusWords name a plan's status in the edit rules' messages (English, Vietnamese).
var planStatusWords = map[string][2]string{
	PlanCommitted: {"committed", "đã cam kết"},
	PlanDraft:     {"draft", "bản nháp"},
	PlanApproved:  {"approved", "đã phê duyệt"},
}

// CheckProgrammeEdit checks the rules that protect a programme's plans when it is edited from
// cur to next: the code stays, and every year that has a committed, draft or approved plan
// stays one of the programme's plan years (a plan outside its programme could neither be
// approved nor reported against). plans are the programme's plans; the problems name the
// field to change back.
func CheckProgrammeEdit(cur, next *Programme, upd ProgrammeUpdate, plans []*Plan) error {
	var v Validation
	if upd.Code != nil && NFC(strings.TrimSpace(*upd.Code)) != cur.Code {
		v.Add("code", "cannot change: plans and reports name the programme by it (it stays %s)",
			"không được thay đổi: kế hoạch và báo cáo gọi chương trình bằng mã này (giữ nguyên %s)", cur.Code)
	}
	// The latest plan of a year speaks for it (FindPlans answers newest first).
	seen := map[int]bool{}
	for _, pl := range plans {
		words, live := planStatusWords[pl.Status]
		if !live || seen[pl.Year] {
			continue
		}
		seen[pl.Year] = true
		var field string
		switch {
		case pl.Year < next.StartsOn.Year:
			field = "starts_on"
		case pl.Year > next.EndsOn.Year:
			field = "ends_on"
		case pl.Year > next.CoverageDeadline.Year:
			field = "coverage_deadline"
		default:
			continue
		}
		v.Add(field, "the programme has a plan for %[1]d (%[2]s): the year %[1]d must stay inside the programme",
			"chương trình đã có kế hoạch năm %[1]d (%[3]s): năm %[1]d phải nằm trong thời gian của chương trình", pl.Year, words[0], words[1])
	}
	return v.Err()
}

// ProgrammeStore persists programmes.
type ProgrammeStore interface {
	// FindProgrammeByID returns not_found when neither an id nor a code matches.
	FindProgrammeByID(ctx context.Context, idOrCode string) (*Programme, error)
	// FindProgrammes returns every programme, newest first.
	FindProgrammes(ctx context.Context) ([]*Programme, error)
	// CreateProgramme stores a validated programme; conflict when the code is taken.
	CreateProgramme(ctx context.Context, actor string, p *Programme) error
	// UpdateProgramme stores a validated programme over the stored one of its id when p.Version
	// is the stored version (conflict otherwise), bumps the version and audits the changed
	// fields; the code never changes. not_found for an unknown id.
	UpdateProgramme(ctx context.Context, actor string, p *Programme) error
}
