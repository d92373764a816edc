package models

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Well-known agency codes: the rows migration 00014 seeds. The list itself is data (the agencies
// table, GET /api/v1/agencies): ministries and departments are merged and renamed (the labour
// department's social-evils work went to the health department in 2025), and an admin records
// that without a release. Code refers to these only where it needs a particular agency: the
// default lead of a programme and the demo's people.
const (
	AgencyPolice      = "police"       // Công an thành phố
	AgencyHealth      = "health"       // Sở Y tế
	AgencyCulture     = "culture"      // Sở Văn hóa, Thể thao và Du lịch
	AgencyHomeAffairs = "home_affairs" // Sở Nội vụ, which took over labour in 2025
	AgencyLabour      = "labour"       // Sở Lao động - Thương binh và Xã hội, dissolved in 2025
	AgencyEducation   = "education"    // Sở Giáo dục và Đào tạo
	AgencyJustice     = "justice"      // Sở Tư pháp
	AgencyCommune     = "commune"      // Ủy ban nhân dân xã, phường
	AgencyOther       = "other"
)

// DefaultLeadAgency leads a programme created without a lead: since March 2025 social-evils
// prevention belongs to the health sector (the Ministry of Health, and in a province its
// department of health), no longer to the labour ministry that was merged away.
const DefaultLeadAgency = AgencyHealth

// Agency levels: a department or the police of the city, or the people's committee of each
// commune-level unit (one agency standing for all of them).
const (
	AgencyLevelCity    = "city"
	AgencyLevelCommune = "commune"
)

// AgencyLevels lists the levels an agency may have; "" leaves it unsaid.
var AgencyLevels = []string{"", AgencyLevelCity, AgencyLevelCommune}

// Agency is a body whose officers sit on interagency teams, or that leads a programme. Agencies
// are never deleted: one that is dissolved is made inactive, so that the users and programmes
// that name it keep a meaning, while new ones cannot choose it.
type Agency struct {
	Code      string    `json:"code" gorm:"primaryKey"`
	NameVI    string    `json:"name_vi" gorm:"column:name_vi"`
	NameEN    string    `json:"name_en" gorm:"column:name_en"`
	ShortVI   string    `json:"short_vi" gorm:"column:short_vi"` // what a screen shows; "" shows NameVI
	Level     string    `json:"level"`
	Active    bool      `json:"active"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// TableName is the table of agencies.
func (Agency) TableName() string { return "agencies" }

// AgencyUpdate is a partial update of an agency by an admin; nil fields stay. The code never
// changes: users and programmes refer to it.
type AgencyUpdate struct {
	Version int     `json:"version"`
	NameVI  *string `json:"name_vi"`
	NameEN  *string `json:"name_en"`
	ShortVI *string `json:"short_vi"`
	Level   *string `json:"level"`
	Active  *bool   `json:"active"`
}

// Apply copies the fields upd sets onto a.
func (a *Agency) Apply(upd AgencyUpdate) {
	for _, f := range []struct {
		dst *string
		src *string
	}{{&a.NameVI, upd.NameVI}, {&a.NameEN, upd.NameEN}, {&a.ShortVI, upd.ShortVI}, {&a.Level, upd.Level}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if upd.Active != nil {
		a.Active = *upd.Active
	}
}

// Agency text limits: an official name with its city fits easily.
const (
	MaxAgencyNameRunes  = 200
	MaxAgencyShortRunes = 60
)

var agencyCodePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// CheckAgencyCode checks the form of an agency code: 2-40 lower-case ASCII letters, digits or
// '_', starting with a letter, so that it reads the same in a URL, a CSV file and a log.
func CheckAgencyCode(code string) error {
	if !agencyCodePattern.MatchString(code) {
		return Invalid("code", "must be 2-40 lower-case letters (a-z), digits or '_', starting with a letter", "phải gồm 2-40 chữ thường không dấu (a-z), chữ số hoặc '_', bắt đầu bằng chữ")
	}
	return nil
}

// Normalise trims the agency's names and puts them in Unicode NFC (see Business.Normalise).
func (a *Agency) Normalise() {
	for _, f := range []*string{&a.NameVI, &a.NameEN, &a.ShortVI} {
		*f = NFC(strings.TrimSpace(*f))
	}
}

// Validate normalises the agency's text (Normalise) and checks every field at once.
func (a *Agency) Validate() error {
	a.Normalise()
	var v Validation
	if err := CheckAgencyCode(a.Code); err != nil {
		v.AddError(err)
	}
	for _, f := range []struct {
		field, value string
		required     bool
		max          int
	}{
		{"name_vi", a.NameVI, true, MaxAgencyNameRunes},
		{"name_en", a.NameEN, true, MaxAgencyNameRunes},
		{"short_vi", a.ShortVI, false, MaxAgencyShortRunes},
	} {
		switch n := utf8.RuneCountInString(f.value); {
		case n == 0 && f.required:
			v.Add(f.field, "is required", "không được để trống")
		case n > f.max:
			v.Add(f.field, "must be at most %d characters", "dài tối đa %d ký tự", f.max)
		case strings.ContainsAny(f.value, "\r\n\t"):
			v.Add(f.field, "must be one line", "phải nằm trên một dòng")
		}
	}
	if !oneOf(a.Level, AgencyLevels) {
		v.Add("level", "must be empty or one of %s", "phải để trống hoặc là một trong %s", strings.Join(AgencyLevels[1:], ", "))
	}
	return v.Err()
}

// CheckAgencyChoice checks that a user or a programme may be given the agency code: a (nil when
// no agency has that code) must exist, and be active unless code is kept, the agency the record
// has already: a user of a dissolved agency stays valid on edits of its other fields, but no
// one is newly assigned to it. field names the input in the error.
func CheckAgencyChoice(field, code string, a *Agency, kept string) error {
	switch {
	case strings.TrimSpace(code) == "":
		return Invalid(field, "is required", "không được để trống")
	case a == nil:
		return Invalid(field, "unknown agency %q", "không có cơ quan %q", code)
	case !a.Active && code != kept:
		return Invalid(field, "the agency %[1]q (%[2]s) is no longer active: choose an active agency", "cơ quan %[1]q (%[3]s) không còn hoạt động: hãy chọn một cơ quan đang hoạt động", code, a.NameEN, a.NameVI)
	}
	return nil
}

// AgencyStore persists agencies.
type AgencyStore interface {
	// FindAgencies returns every agency, active or not, ordered by code.
	FindAgencies(ctx context.Context) ([]*Agency, error)
	// FindAgencyByCode returns not_found when no agency has the code.
	FindAgencyByCode(ctx context.Context, code string) (*Agency, error)
	// CreateAgency stores a validated agency and audits it; conflict when the code is taken.
	CreateAgency(ctx context.Context, actor string, a *Agency) error
	// UpdateAgency applies upd when upd.Version is current (conflict otherwise), validates the
	// result (invalid) and audits it; not_found when no agency has the code.
	UpdateAgency(ctx context.Context, actor, code string, upd AgencyUpdate) (*Agency, error)
}
