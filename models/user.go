package models

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Roles decide what a user may do; the jurisdiction (an area) decides where.
const (
	RoleAdmin            = "admin"
	RolePlanner          = "planner"
	RoleTeamLead         = "team_lead"
	RoleInspector        = "inspector"
	RoleLicensingOfficer = "licensing_officer"
	RoleTipOfficer       = "tip_officer"
	RoleViewer           = "viewer"
	// RoleReportingOfficer enters a unit's figures of the programme's indicators: the officer
	// of a department (its agency) or of a commune's people's committee (its area).
	RoleReportingOfficer = "reporting_officer"
)

// Roles lists every role.
var Roles = []string{RoleAdmin, RolePlanner, RoleTeamLead, RoleInspector, RoleLicensingOfficer, RoleTipOfficer, RoleViewer, RoleReportingOfficer}

// User is a person who signs in.
type User struct {
	ID           string    `json:"id" gorm:"primaryKey"`
	Username     string    `json:"username"`
	DisplayName  string    `json:"display_name"`
	Agency       string    `json:"agency"` // an agency code (Agency)
	Role         string    `json:"role"`
	AreaCode     string    `json:"area_code"` // jurisdiction; the city's code for city-wide users
	TeamID       *string   `json:"team_id"`
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled"`
	Version      int       `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// TableName is the table of users.
func (User) TableName() string { return "users" }

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool { return oneOf(r, Roles) }

// UserStore persists users.
type UserStore interface {
	// FindUserByID returns not_found when the id is unknown.
	FindUserByID(ctx context.Context, id string) (*User, error)
	// FindUserByUsername returns not_found when the username is unknown.
	FindUserByUsername(ctx context.Context, username string) (*User, error)
	// FindUsers returns every user ordered by username.
	FindUsers(ctx context.Context) ([]*User, error)
	// CreateUser inserts a user; conflict when the username is taken, invalid when no agency
	// (active or not) has its agency code.
	CreateUser(ctx context.Context, actor string, u *User) error
}

// Session is one sign-in of one device: the family of refresh tokens the sign-in started, whose
// id every access token of the session carries. Ending it (logout, a refresh token used twice,
// an admin changing the password or disabling the user) ends its access tokens at their next
// request, not when they expire.
type Session struct {
	ID        string     `gorm:"primaryKey"` // the family_id of its refresh tokens
	UserID    string     //
	CreatedAt time.Time  //
	RevokedAt *time.Time //
	IP        string     `gorm:"column:ip"` // where the sign-in came from
	UserAgent string     //
}

// TableName is the table of sessions.
func (Session) TableName() string { return "sessions" }

// RefreshToken is one link of a session: a refresh token is used once and replaced by the next
// of the same family. Presenting a used token again means it was stolen: the family is revoked.
type RefreshToken struct {
	ID        string     `gorm:"primaryKey"`
	UserID    string     //
	FamilyID  string     //
	TokenHash string     // SHA-256 of the token; the token itself is never stored
	ExpiresAt time.Time  //
	UsedAt    *time.Time //
	RevokedAt *time.Time //
	CreatedAt time.Time  //
	IP        string     `gorm:"column:ip"`
	UserAgent string     //
}

// TableName is the table of refresh tokens.
func (RefreshToken) TableName() string { return "refresh_tokens" }

// UserUpdate is a partial update of a user by an admin; nil fields stay.
type UserUpdate struct {
	Version     int     `json:"version"`
	DisplayName *string `json:"display_name"`
	Agency      *string `json:"agency"`
	Role        *string `json:"role"`
	AreaCode    *string `json:"area_code"`
	TeamID      *string `json:"team_id"` // "" removes the user from its team
	Disabled    *bool   `json:"disabled"`
	Password    *string `json:"password"`
}

// MaxDisplayNameRunes bounds a display name: a full Vietnamese name with a title fits easily.
const MaxDisplayNameRunes = 100

// CheckDisplayName checks a display name (already trimmed): required, at most
// MaxDisplayNameRunes characters, one line.
func CheckDisplayName(name string) error {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return Invalid("display_name", "is required: the name colleagues know the user by", "là bắt buộc: tên mà đồng nghiệp biết người dùng này")
	case n > MaxDisplayNameRunes:
		return Invalid("display_name", "must be at most %d characters", "dài tối đa %d ký tự", MaxDisplayNameRunes)
	case strings.ContainsAny(name, "\r\n\t"):
		return Invalid("display_name", "must be one line", "phải nằm trên một dòng")
	}
	return nil
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,39}$`)

// CheckUsername checks the form of a username (already trimmed and lower-cased): the API and
// `kiemtra user add` accept the same names.
func CheckUsername(username string) error {
	if !usernamePattern.MatchString(username) {
		return Invalid("username", "must be 2-40 lower-case letters, digits, '.', '_' or '-', starting with a letter or a digit", "phải gồm 2-40 chữ thường, chữ số, '.', '_' hoặc '-', bắt đầu bằng chữ hoặc chữ số")
	}
	return nil
}
