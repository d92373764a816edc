package models

import (
	"strings"
	"time"
)

// Tip statuses, in the only order a tip may move through them.
const (
	TipReceived   = "received"
	TipVerifying  = "verifying"
	TipClassified = "classified"
	TipHandled    = "handled"
	TipMerged     = "merged" // folded into another tip about the same place
)

// TipStatuses lists the workflow's steps in order.
var TipStatuses = []string{TipReceived, TipVerifying, TipClassified, TipHandled}

// Tip channels, types, severities and handlings.
var (
	TipChannels   = []string{"hotline", "mail", "in_person", "referral", "web"}
	TipTypes      = []string{"prostitution", "trafficking", "minors", "drugs", "other"}
	TipSeverities = []string{"urgent", "high", "normal"}
	TipHandlings  = []string{"inspection", "referred", "dismissed"}
)

// Tip is a tip or complaint about a violation, from the hotline, mail, in person, a referral or
// the public form.
type Tip struct {
	ID                 string     `json:"id" gorm:"primaryKey"`
	Channel            string     `json:"channel"`
	ReceivedAt         time.Time  `json:"received_at"`
	ReceivedBy         string     `json:"received_by"`
	Description        string     `json:"description"`
	BusinessID         *string    `json:"business_id"`
	Lat                *float64   `json:"lat"`
	Lon                *float64   `json:"lon"`
	Place              string     `json:"place"`
	AreaCode           *string    `json:"area_code"`
	ReporterContactEnc string     `json:"-"`
	Status             string     `json:"status"`
	TipType            string     `json:"type"`
	Severity           string     `json:"severity"`
	VerifyingAt        *time.Time `json:"verifying_at"`
	VerifyingBy        string     `json:"verifying_by"`
	ClassifiedAt       *time.Time `json:"classified_at"`
	ClassifiedBy       string     `json:"classified_by"`
	HandledAt          *time.Time `json:"handled_at"`
	HandledBy          string     `json:"handled_by"`
	Handling           string     `json:"handling"`
	HandlingNote       string     `json:"handling_note"`
	TaskID             *string    `json:"task_id"`
	MergedInto         *string    `json:"merged_into"`
	VerifyDue          *time.Time `json:"verify_due"`
	HandleDue          *time.Time `json:"handle_due"`
	EscalatedAt        *time.Time `json:"escalated_at"`
	EscalatedTo        string     `json:"escalated_to"`
	// TrackingCode is the reference the reporter was given ("TB-7K3M-Q9XD"); nil for tips from
	// before tracking. TrackingSecretHash is the keyed hash of the secret given with it, never
	// the secret.
	TrackingCode       *string `json:"tracking_code"`
	TrackingSecretHash string  `json:"-"`
	// PublicResult is what the reporter reads at /tip/status once the tip is handled, written by
	// the tip officer who handles it.
	PublicResult string `json:"public_result"`
	// PhotoSHA256 names the photo sent with the tip (EXIF removed) in the photo store; "" for none.
	PhotoSHA256 string    `json:"photo_sha256,omitempty"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// TableName is the table of tips.
func (Tip) TableName() string { return "tips" }

// Open reports whether the tip still needs work.
func (t *Tip) Open() bool { return t.Status != TipHandled && t.Status != TipMerged }

// Overdue reports whether the tip missed its current deadline at now.
func (t *Tip) Overdue(now time.Time) bool {
	switch t.Status {
	case TipReceived:
		return t.VerifyDue != nil && now.After(*t.VerifyDue)
	case TipVerifying, TipClassified:
		return t.HandleDue != nil && now.After(*t.HandleDue)
	}
	return false
}

// HandledInTime reports whether a handled tip was handled by its deadline.
func (t *Tip) HandledInTime() bool {
	return t.Status == TipHandled && t.HandledAt != nil && (t.HandleDue == nil || !t.HandledAt.After(*t.HandleDue))
}

// NextTipStatus is the only status a tip in status may move to ("" when none).
func NextTipStatus(status string) string {
	for i, s := range TipStatuses {
		if s == status && i+1 < len(TipStatuses) {
			return TipStatuses[i+1]
		}
	}
	return ""
}

// The audit log's actions on a tip, in the order they usually come: the pipeline's steps are
// named after the status they reach.
const (
	TipActionReceive     = "receive"
	TipActionMerge       = "merge"
	TipActionEscalate    = "escalate"
	TipActionContactRead = "contact_read" // a tip officer read the reporter's sealed contact
)

// TipDeadlines are how long a tip of each severity may wait to be verified and to be handled.
type TipDeadlines struct {
	Verify map[string]time.Duration
	Handle map[string]time.Duration
}

// DefaultTipDeadlines: an urgent tip is verified within a day and handled within a week.
func DefaultTipDeadlines() TipDeadlines {
	return TipDeadlines{
		Verify: map[string]time.Duration{"urgent": 24 * time.Hour, "high": 48 * time.Hour, "normal": 5 * 24 * time.Hour},
		Handle: map[string]time.Duration{"urgent": 7 * 24 * time.Hour, "high": 15 * 24 * time.Hour, "normal": 30 * 24 * time.Hour},
	}
}

// Public tip statuses: what the reporter reads at /tip/status. Verifying covers verifying and
// classified (the public does not learn the severity).
const (
	TipPublicReceived  = "received"
	TipPublicVerifying = "verifying"
	TipPublicHandled   = "handled"
)

// TipPublicStatus is everything the public may know of a tip: no names, no business, no severity.
type TipPublicStatus struct {
	Code       string `json:"code"`
	Status     string `json:"status"` // received, verifying or handled
	ReceivedOn Date   `json:"received_on"`
	HandledOn  *Date  `json:"handled_on,omitempty"`
	Result     string `json:"result,omitempty"` // the result written for the public, once handled
}

// PublicStatusOf is the public status of t for the reporter of the tip with code, received at
// received (t is the tip it was merged into, if it was), with days in loc.
func PublicStatusOf(t *Tip, code string, received time.Time, loc *time.Location) *TipPublicStatus {
	out := &TipPublicStatus{Code: code, Status: TipPublicReceived, ReceivedOn: DateOf(received.In(loc))}
	switch t.Status {
	case TipVerifying, TipClassified:
		out.Status = TipPublicVerifying
	case TipHandled:
		out.Status = TipPublicHandled
		if t.HandledAt != nil {
			d := DateOf(t.HandledAt.In(loc))
			out.HandledOn = &d
		}
		out.Result = t.PublicResult
	case TipMerged:
		// Merged beyond the hops followed: the work goes on elsewhere.
		out.Status = TipPublicVerifying
	}
	return out
}

// TipFilter selects tips.
type TipFilter struct {
	BusinessID string
	Status     string
	Severity   string
	UnitPath   string // only tips placed in this unit's subtree (a filter the caller chose)
	AreaPath   string // only tips placed in this subtree (tips without a place are city-wide)
	Overdue    bool
	Now        time.Time
	After      string
	Limit      int
}

// TipFigures are the tip counts a report shows.
type TipFigures struct {
	Received      int `json:"received"`
	Verified      int `json:"verified"`
	Handled       int `json:"handled"`
	HandledInTime int `json:"handled_in_time"`
	Overdue       int `json:"overdue"`
}

// ValidTipChoice reports whether v is one of list.
func ValidTipChoice(v string, list []string) bool { return oneOf(v, list) }

// TipChoices joins a list for messages.
func TipChoices(list []string) string { return strings.Join(list, ", ") }
