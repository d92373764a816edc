package models

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// Notification channels.
const (
	ChannelInApp = "in_app" // the notification list of the inspectors' app and the office app
	ChannelPush  = "push"   // Web Push to the installed app, on each device the user subscribed
	ChannelEmail = "email"  // an e-mail over SMTP, for office users
	ChannelSMS   = "sms"    // a text message through the SMS provider, to the settings' phone
	ChannelZalo  = "zalo"   // a Zalo message through the Zalo provider, to the settings' phone
)

// NotificationChannels lists the channels a user can switch per kind.
var NotificationChannels = []string{ChannelInApp, ChannelPush, ChannelEmail, ChannelSMS, ChannelZalo}

// FieldChannels are the channels of a notification for field staff: the app's list and a push
// to their phone.
var FieldChannels = []string{ChannelInApp, ChannelPush}

// OfficeChannels are the channels of a notification for office staff: the list, e-mail, and
// the paid messages (SMS, Zalo) for those who switched them on.
var OfficeChannels = []string{ChannelInApp, ChannelEmail, ChannelSMS, ChannelZalo}

// NotificationChoices are the kinds that can reach a user of role, and the channels they can
// be reached on of those the service delivers (delivered), in the order of NotificationKinds
// and NotificationChannels: what a settings screen offers. Push is the inspectors' app's
// (field staff), e-mail and the paid messages the office's. A role not named gets every kind.
func NotificationChoices(role string, delivered []string) (kinds, channels []string) {
	field := []string{NotifyUrgentTip, NotifyTeamDay, NotifyResultRejected}
	byRole := map[string][]string{
		RoleInspector:        field,
		RoleTeamLead:         append(slices.Clone(field), NotifySanctionOverdue),
		RoleTipOfficer:       {NotifyTipDueSoon, NotifyTipOverdue},
		RolePlanner:          {NotifyTipOverdue, NotifySanctionOverdue, NotifyPlanInfeasible, NotifySubmissionReturned},
		RoleReportingOfficer: {NotifySubmissionDue, NotifySubmissionReturned},
		RoleLicensingOfficer: {},
		RoleViewer:           {},
	}
	mine, ok := byRole[role]
	for _, k := range NotificationKinds {
		if !ok || slices.Contains(mine, k) {
			kinds = append(kinds, k)
		}
	}
	var want []string
	switch role {
	case RoleInspector:
		want = FieldChannels
	case RoleTeamLead, RoleAdmin:
		want = NotificationChannels
	default:
		want = OfficeChannels
	}
	for _, c := range NotificationChannels {
		if slices.Contains(want, c) && slices.Contains(delivered, c) {
			channels = append(channels, c)
		}
	}
	return kinds, channels
}

// optIn are the channels off until the user switches a kind on: a text message costs money
// and reaches a private phone, so nobody gets one without asking.
var optIn = map[string]bool{ChannelSMS: true, ChannelZalo: true}

// Notification states. A row is queued until the worker delivers it (sent), gives up after its
// last attempt (failed), or finds nothing to deliver to (skipped: the kind or channel is off for
// the user, no e-mail address, e-mail not configured). An in-app notification the user opened
// is read.
const (
	NotificationQueued  = "queued"
	NotificationSent    = "sent"
	NotificationFailed  = "failed"
	NotificationSkipped = "skipped"
	NotificationRead    = "read"
)

// NotificationStates lists the states, for the outbox filter.
var NotificationStates = []string{NotificationQueued, NotificationSent, NotificationFailed, NotificationSkipped, NotificationRead}

// Notification kinds: what happened. The front-ends render a kind and its params in Vietnamese
// or English; the server renders them the same way for e-mail (notify.Render).
const (
	// NotifyUrgentTip: a tip was classified urgent and a visit sent to the recipient's team
	// today. Params: business_name, business_address, category, day, task_id. Never the tip's
	// text or its reporter.
	NotifyUrgentTip = "urgent_tip"
	// NotifyTipOverdue: a tip missed its verification or handling deadline and was escalated.
	// Params: deadline (verify or handle), due ("15:04 02/01/2006" in the users' zone),
	// severity, place (a business's or an area's name), tip_id.
	NotifyTipOverdue = "tip_overdue"
	// NotifyTeamDay: the morning release gave the recipient's team its visits of a day
	// (change "released"), or changed a day already released (change "changed"). Params: day,
	// visits (how many new), change. Never which businesses.
	NotifyTeamDay = "team_day"
	// NotifySanctionOverdue: a sanction's next deadline passed with its step not done. Params:
	// business_name, due (YYYY-MM-DD), step (fine or measure), decision_no, sanction_id.
	NotifySanctionOverdue = "sanction_overdue"
	// NotifyPlanInfeasible: the nightly job found that a programme's plan of the year no longer
	// fits the teams' remaining capacity. Params: programme_code, programme_name, year, open
	// (visits left), capacity (places left), shortfall.
	NotifyPlanInfeasible = "plan_infeasible"
	// NotifyTipDueSoon: a tip's next deadline is less than tips.DueSoon away. The params of
	// NotifyTipOverdue.
	NotifyTipDueSoon = "tip_due_soon"
	// NotifyResultRejected: the server refused a result the phone sent (an inspection, a
	// check-in, a signed record); the phone keeps it for correction. Params: operation
	// (checkin, inspection or record), id (the result's), task_id, business_name (when the task
	// is the caller's team's), code (the error code) and field (the field refused, if one). Never
	// the server's message, which may repeat what was typed.
	NotifyResultRejected = "result_rejected"
	// NotifySubmissionDue: a unit's figures of a period are due soon (phase "soon") or late
	// (phase "late"). Params: programme_id, programme_name, period, unit, unit_name, due
	// (YYYY-MM-DD), phase, figures (how many indicators owed).
	NotifySubmissionDue = "submission_due"
	// NotifySubmissionReturned: a planner returned a unit's submitted figures for correction.
	// Params: programme_id, programme_name, indicator, indicator_vi, indicator_en, period, unit,
	// unit_name, due (YYYY-MM-DD), version, submission_id. Never the reviewer's comment, which
	// the desk shows to those who may read it.
	NotifySubmissionReturned = "submission_returned"
)

// NotificationKinds lists the kinds a user can switch off.
var NotificationKinds = []string{NotifyUrgentTip, NotifyTipDueSoon, NotifyTipOverdue, NotifyTeamDay, NotifySanctionOverdue, NotifyPlanInfeasible,
	NotifyResultRejected, NotifySubmissionDue, NotifySubmissionReturned}

// NotificationParams are the values a kind's text is made from (names of businesses, dates,
// ids): never free text typed by the public, never a reporter's identity.
type NotificationParams map[string]string

// Value stores the params as a JSON object.
func (p NotificationParams) Value() (driver.Value, error) {
	if p == nil {
		return "{}", nil
	}
	b, err := json.Marshal(map[string]string(p))
	return string(b), err
}

// Scan reads the params from their JSON column; NULL reads as none.
func (p *NotificationParams) Scan(src any) error {
	m := map[string]string{}
	if err := scanJSONColumn("notification params", src, &m); err != nil {
		return err
	}
	*p = m
	return nil
}

// scanJSONColumn reads a JSON text column into dst, leaving dst as it is for NULL.
func scanJSONColumn(what string, src, dst any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case nil:
		return nil
	default:
		return fmt.Errorf("%s: cannot scan %T", what, src)
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// Notification is one message to one user on one channel: a row of the outbox. Its ID is
// stable across retries, so a channel can drop a message it already has (the e-mail's
// Message-ID, the in-app row itself).
type Notification struct {
	ID      string             `json:"id" gorm:"primaryKey"`
	UserID  string             `json:"user_id"`
	Channel string             `json:"channel"`
	Kind    string             `json:"kind"`
	Params  NotificationParams `json:"params" gorm:"type:text"`
	Link    string             `json:"link"` // a path of the web app or the office app, such as /app/#/task/ID
	// EventKey names the event ("urgent_tip:<tip id>"): one notification per event, user and
	// channel, so that an event written twice (a retried request) notifies once.
	EventKey string `json:"-"`
	// BypassQuiet delivers during the user's quiet hours (an urgent visit for an inspector).
	BypassQuiet   bool       `json:"-"`
	State         string     `json:"state"`
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"last_error"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LockedUntil   *time.Time `json:"-"`
	LockedBy      string     `json:"-"`
	CreatedAt     time.Time  `json:"created_at"`
	SentAt        *time.Time `json:"sent_at"`
	ReadAt        *time.Time `json:"read_at"`
}

// TableName is the outbox.
func (Notification) TableName() string { return "notifications" }

// NotificationText is a notification rendered for people: a title and a body in Vietnamese
// and English.
type NotificationText struct {
	TitleVI string `json:"title_vi"`
	TitleEN string `json:"title_en"`
	BodyVI  string `json:"body_vi"`
	BodyEN  string `json:"body_en"`
}

// NotificationFilter selects rows of the outbox.
type NotificationFilter struct {
	UserID  string // one user's
	Channel string
	State   string
	Limit   int // at most this many, newest first (default 100, at most 500)
}

// ChannelSwitch says which channels a kind is delivered on; a channel not named is on.
type ChannelSwitch map[string]bool

// NotificationKindSettings are the switches of each kind; a kind not named is on everywhere.
type NotificationKindSettings map[string]ChannelSwitch

// Value stores the switches as a JSON object.
func (k NotificationKindSettings) Value() (driver.Value, error) {
	if k == nil {
		return "{}", nil
	}
	b, err := json.Marshal(map[string]ChannelSwitch(k))
	return string(b), err
}

// Scan reads the switches from their JSON column; NULL reads as none.
func (k *NotificationKindSettings) Scan(src any) error {
	m := map[string]ChannelSwitch{}
	if err := scanJSONColumn("notification settings", src, &m); err != nil {
		return err
	}
	*k = m
	return nil
}

// NotificationSettings are one user's choices: which kinds reach them on which channel, the
// address e-mails go to, and quiet hours ("22:00" to "06:30", in the users' time zone; both
// empty for none) during which a notification waits until they end.
type NotificationSettings struct {
	UserID     string                   `json:"-" gorm:"primaryKey"`
	Email      string                   `json:"email"`
	Phone      string                   `json:"phone"` // for SMS and Zalo, as +84xxxxxxxxx
	Kinds      NotificationKindSettings `json:"kinds" gorm:"type:text"`
	QuietStart string                   `json:"quiet_start"`
	QuietEnd   string                   `json:"quiet_end"`
	Version    int                      `json:"version"`
	UpdatedAt  time.Time                `json:"updated_at"`
}

// TableName is the table of notification settings.
func (NotificationSettings) TableName() string { return "notification_settings" }

// Enabled reports whether kind reaches the user on channel: on unless switched off.
func (s *NotificationSettings) Enabled(kind, channel string) bool {
	if s == nil {
		return !optIn[channel]
	}
	on, set := s.Kinds[kind][channel]
	if !set {
		return !optIn[channel]
	}
	return on
}

// parseClock reads "HH:MM" as minutes after midnight.
func parseClock(s string) (int, bool) {
	t, err := time.Parse("15:04", s)
	if err != nil || len(s) != 5 {
		return 0, false
	}
	return t.Hour()*60 + t.Minute(), true
}

// Validate checks the settings: known kinds and channels, an e-mail address that parses, quiet
// hours both set (and different) or both empty.
func (s *NotificationSettings) Validate() error {
	var v Validation
	s.Email = strings.TrimSpace(s.Email)
	if s.Email != "" {
		if a, err := mail.ParseAddress(s.Email); err != nil || a.Address != s.Email || len(s.Email) > 254 {
			v.Add("email", "is not an e-mail address such as can.bo@socialabour.gov.vn", "không phải địa chỉ e-mail, ví dụ can.bo@socialabour.gov.vn")
		}
	}
	if p, ok := NormalizePhone(s.Phone); ok {
		s.Phone = p
	} else {
		v.Add("phone", "is not a Vietnamese mobile number such as 0912 345 678 or +84 912 345 678", "không phải số di động Việt Nam, ví dụ 0912 345 678 hoặc +84 912 345 678")
	}
	for kind, sw := range s.Kinds {
		if !oneOf(kind, NotificationKinds) {
			v.Add("kinds."+kind, "unknown kind: one of %s", "không có loại thông báo này: một trong %s", strings.Join(NotificationKinds, ", "))
			continue
		}
		for ch := range sw {
			if !oneOf(ch, NotificationChannels) {
				v.Add("kinds."+kind+"."+ch, "unknown channel: one of %s", "không có kênh này: một trong %s", strings.Join(NotificationChannels, ", "))
			}
		}
	}
	_, okS := parseClock(s.QuietStart)
	_, okE := parseClock(s.QuietEnd)
	switch {
	case s.QuietStart == "" && s.QuietEnd == "":
	case s.QuietStart != "" && !okS:
		v.Add("quiet_start", "must be a time of day such as 22:00", "phải là giờ trong ngày, ví dụ 22:00")
	case s.QuietEnd != "" && !okE:
		v.Add("quiet_end", "must be a time of day such as 06:30", "phải là giờ trong ngày, ví dụ 06:30")
	case s.QuietStart == "" || s.QuietEnd == "":
		v.Add("quiet_end", "quiet hours need a start and an end (or neither)", "giờ yên lặng cần cả giờ bắt đầu và giờ kết thúc (hoặc bỏ trống cả hai)")
	case s.QuietStart == s.QuietEnd:
		v.Add("quiet_end", "must differ from quiet_start", "phải khác giờ bắt đầu")
	}
	return v.Err()
}

// NormalizePhone reads a Vietnamese mobile number, written 0912345678 or +84912345678 (spaces,
// dots and dashes between the digits allowed), as +84912345678; "" stays "". It answers false
// for anything else: a landline or a number from abroad cannot receive the providers' messages.
func NormalizePhone(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	digits := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-':
			return -1
		}
		return r
	}, s)
	switch {
	case strings.HasPrefix(digits, "+84"):
		digits = digits[3:]
	case strings.HasPrefix(digits, "0"):
		digits = digits[1:]
	default:
		return "", false
	}
	if len(digits) != 9 || !strings.ContainsRune("35789", rune(digits[0])) {
		return "", false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return "+84" + digits, true
}

// QuietUntil answers the end of the quiet hours that now falls in, in loc (the users' zone),
// and false when now is outside them. Quiet hours may cross midnight (22:00 to 06:30).
func (s *NotificationSettings) QuietUntil(now time.Time, loc *time.Location) (time.Time, bool) {
	if s == nil {
		return time.Time{}, false
	}
	start, ok1 := parseClock(s.QuietStart)
	end, ok2 := parseClock(s.QuietEnd)
	if !ok1 || !ok2 || start == end {
		return time.Time{}, false
	}
	local := now.In(loc)
	m := local.Hour()*60 + local.Minute()
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	at := func(day, minutes int) time.Time {
		d := midnight.AddDate(0, 0, day)
		return time.Date(d.Year(), d.Month(), d.Day(), minutes/60, minutes%60, 0, 0, loc)
	}
	if start < end { // within one day
		if m >= start && m < end {
			return at(0, end), true
		}
		return time.Time{}, false
	}
	switch { // across midnight
	case m >= start:
		return at(1, end), true
	case m < end:
		return at(0, end), true
	}
	return time.Time{}, false
}

// NotificationSettingsUpdate is what a user sends to change their settings.
type NotificationSettingsUpdate struct {
	Version    int                      `json:"version"` // 0 for a user who never saved settings
	Email      string                   `json:"email"`
	Phone      string                   `json:"phone"`
	Kinds      NotificationKindSettings `json:"kinds"`
	QuietStart string                   `json:"quiet_start"`
	QuietEnd   string                   `json:"quiet_end"`
}

// NotificationStore is the outbox and the users' settings.
type NotificationStore interface {
	// FindNotifications returns rows of the outbox, newest first.
	FindNotifications(ctx context.Context, f NotificationFilter) ([]*Notification, error)
	// MarkNotificationRead marks the in-app notification id of user read; not_found when it is
	// not theirs or not delivered yet. Reading twice keeps the first time.
	MarkNotificationRead(ctx context.Context, userID, id string) (*Notification, error)
	// FindNotificationSettings returns a user's settings; a user who never saved any gets the
	// defaults (everything on, no quiet hours, version 0).
	FindNotificationSettings(ctx context.Context, userID string) (*NotificationSettings, error)
	// FindInbox returns a user's delivered in-app notifications (sent or read), newest first.
	FindInbox(ctx context.Context, userID string, limit int) ([]*Notification, error)
	// CountUnread counts a user's delivered in-app notifications not yet read, all of them.
	CountUnread(ctx context.Context, userID string) (int, error)
	// SaveNotificationSettings stores a user's settings when upd.Version is current (conflict
	// otherwise; invalid for bad settings).
	SaveNotificationSettings(ctx context.Context, userID string, upd NotificationSettingsUpdate) (*NotificationSettings, error)
}
