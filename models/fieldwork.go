package models

import (
	"strings"
	"time"
)

// Review flags: what a planner should look at in a check-in or a result. A flagged record is
// kept; nothing a team sends is dropped.
const (
	FlagOffSite          = "off_site"          // farther from the business than 100 m plus the accuracy
	FlagMocked           = "mocked_location"   // the phone says the position is simulated
	FlagZeroAccuracy     = "zero_accuracy"     // an accuracy of 0 m: no real GPS reports that
	FlagImpossibleTravel = "impossible_travel" // the team's previous check-in is too far for the time between
	FlagOutsideTaskDay   = "outside_task_day"  // not on the day the task was released for
	FlagShortVisit       = "short_visit"       // finished sooner after it started than the minimum visit
	FlagNoCheckin        = "no_checkin"        // a result without a check-in at the business
)

// Flags is a set of review flags stored as comma-separated text.
type Flags []string

// Add adds a flag once.
func (f *Flags) Add(flag string) {
	for _, x := range *f {
		if x == flag {
			return
		}
	}
	*f = append(*f, flag)
}

// String joins the flags for storage.
func (f Flags) String() string { return strings.Join(f, ",") }

// ParseFlags reads stored flags.
func ParseFlags(s string) Flags {
	if s == "" {
		return Flags{}
	}
	return Flags(strings.Split(s, ","))
}

// Checkin is a team's arrival at a business, with the phone's position.
type Checkin struct {
	ID         string    `json:"id" gorm:"primaryKey"`
	TaskID     string    `json:"task_id"`
	TeamID     *string   `json:"team_id"`
	UserID     string    `json:"user_id"`
	Lat        float64   `json:"lat"`
	Lon        float64   `json:"lon"`
	AccuracyM  float64   `json:"accuracy_m"`
	Mocked     bool      `json:"mocked"`
	ClientAt   time.Time `json:"at"`
	ServerAt   time.Time `json:"server_at"`
	DistanceM  float64   `json:"distance_m"`
	OnSite     bool      `json:"on_site"`
	Flags      string    `json:"-"`
	BodySHA256 string    `json:"-"`
}

// TableName is the table of check-ins.
func (Checkin) TableName() string { return "checkins" }

// Photo is a picture attached to an inspection; the bytes live in the photo store under their
// SHA-256.
type Photo struct {
	ID           string     `json:"id" gorm:"primaryKey"`
	InspectionID string     `json:"inspection_id"`
	SHA256       string     `json:"sha256" gorm:"column:sha256"`
	ContentType  string     `json:"content_type"`
	SizeBytes    int64      `json:"size_bytes"`
	Width        int        `json:"width"`
	Height       int        `json:"height"`
	Lat          *float64   `json:"lat"`
	Lon          *float64   `json:"lon"`
	TakenAt      *time.Time `json:"taken_at"`
	CreatedBy    string     `json:"created_by"`
	CreatedAt    time.Time  `json:"created_at"`
}

// TableName is the table of photos.
func (Photo) TableName() string { return "photos" }

// Answer is one checklist answer.
type Answer struct {
	ItemID string `json:"item_id"`
	Answer string `json:"answer"` // yes, no, na
	Note   string `json:"note,omitempty"`
}

// FindingInput is a violation a team records.
type FindingInput struct {
	Code string `json:"code"`
	Note string `json:"note,omitempty"`
}
