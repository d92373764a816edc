// Package tips is the pipeline of tips and complaints: every tip is received, verified,
// classified and handled, in that order, each step by someone at a time, within deadlines that
// depend on its severity. An urgent tip becomes an inspection task for the team of the place,
// released at once. The reporter's contact is sealed with AES-GCM and opened for a tip officer
// only on request, audited (ReadContact).
package tips

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"kiemtra/geo"
	"kiemtra/models"
)

// Store is what the tip pipeline reads and writes.
type Store interface {
	CreateTip(ctx context.Context, actor string, t *models.Tip) error
	FindTipByID(ctx context.Context, id string) (*models.Tip, error)
	// FindTipByTrackingCode returns the tip with a tracking code, or not_found.
	FindTipByTrackingCode(ctx context.Context, code string) (*models.Tip, error)
	FindTips(ctx context.Context, f models.TipFilter) ([]*models.Tip, int, error)
	// SaveTip stores t when t.Version is current (conflict otherwise), with an audit event; when
	// task is not nil it is created and released to its team in the same transaction, and so
	// are the notifications (notes) of the step: written only if the step commits.
	SaveTip(ctx context.Context, actor, action string, t *models.Tip, task *models.Task, notes ...*models.Notification) error
	// EscalateTip records the escalation of one missed deadline of t (t.EscalatedAt and
	// t.EscalatedTo set) and stores t when its version is current; it answers false, storing
	// nothing, when that deadline was escalated before, and a conflict when t changed meanwhile.
	// The notifications (notes) are stored with the escalation, and only with it.
	EscalateTip(ctx context.Context, actor string, t *models.Tip, deadline string, due time.Time, notes ...*models.Notification) (bool, error)
	FindBusinessByID(ctx context.Context, id string) (*models.Business, error)
	FindTeams(ctx context.Context) ([]*models.Team, error)
	// CountEnabledMembers counts each team's members who are not disabled.
	CountEnabledMembers(ctx context.Context) (map[string]int, error)
	FindAreaByCode(ctx context.Context, code string) (*models.Area, error)
	FindUsers(ctx context.Context) ([]*models.User, error)
	FindInspectionForTask(ctx context.Context, taskID string) (*models.Inspection, error)
	// EnqueueNotifications writes notifications to the outbox, once per event key, user and
	// channel (a deadline coming near is no write of its own).
	EnqueueNotifications(ctx context.Context, notes []*models.Notification) error
	// RecordTipContactRead audits that actor read the reporter's contact of tip id.
	RecordTipContactRead(ctx context.Context, actor, id string) error
}

// Locator places a point in an area (the registry's index).
type Locator interface {
	Locate(ctx context.Context, lat, lon float64) (code, path string)
}

// Service runs the pipeline.
type Service struct {
	store     Store
	locate    Locator
	seal      cipher.AEAD
	trackKey  []byte
	deadlines models.TipDeadlines
	now       func() time.Time
	loc       *time.Location
}

// NewService returns the pipeline. key seals reporters' contacts (32 bytes: AES-256).
func NewService(store Store, locate Locator, key []byte, deadlines models.TipDeadlines, now func() time.Time, loc *time.Location) (*Service, error) {
	if len(key) != 32 {
		return nil, errors.New("the tip contact key must be 32 bytes")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	if loc == nil {
		loc = time.UTC
	}
	return &Service{store: store, locate: locate, seal: aead, trackKey: TrackingKey(key), deadlines: deadlines, now: now, loc: loc}, nil
}

// DeriveKey makes the contact key from the service's secret when no key is configured: one
// secret to keep, and a key used for nothing else.
func DeriveKey(secret string) []byte {
	h := sha256.Sum256([]byte("kiemtra/tip-contact-key/v1\x00" + secret))
	return h[:]
}

// Seal encrypts a reporter's contact for storage.
func (s *Service) Seal(plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	nonce := make([]byte, s.seal.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := s.seal.Seal(nonce, nonce, []byte(plain), []byte("tip-contact"))
	return "v1:" + base64.RawStdEncoding.EncodeToString(out), nil
}

// Open decrypts a stored contact.
func (s *Service) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	b64, ok := strings.CutPrefix(sealed, "v1:")
	if !ok {
		return "", errors.New("unknown sealed contact format")
	}
	raw, err := base64.RawStdEncoding.DecodeString(b64)
	if err != nil || len(raw) < s.seal.NonceSize() {
		return "", errors.New("damaged sealed contact")
	}
	plain, err := s.seal.Open(nil, raw[:s.seal.NonceSize()], raw[s.seal.NonceSize():], []byte("tip-contact"))
	if err != nil {
		return "", fmt.Errorf("open sealed contact: %w", err)
	}
	return string(plain), nil
}

// ReadContact opens the reporter's contact of tip id for actor and audits the reading: the
// contact is shown only once the audit event is stored. It answers not_found when the tip has
// no contact, and a conflict when the contact cannot be opened (sealed with an earlier key).
func (s *Service) ReadContact(ctx context.Context, actor, id string) (string, error) {
	t, err := s.store.FindTipByID(ctx, id)
	if err != nil {
		return "", err
	}
	if t.ReporterContactEnc == "" {
		return "", models.NotFound("contact", "the reporter left no contact", "người báo không để lại thông tin liên hệ")
	}
	contact, err := s.Open(t.ReporterContactEnc)
	if err != nil {
		return "", models.NewError(models.ECONFLICT, "the reporter's contact cannot be opened: it was sealed with a key the service no longer has", "không mở được thông tin liên hệ của người báo: thông tin được niêm phong bằng khóa mà hệ thống không còn giữ")
	}
	if err := s.store.RecordTipContactRead(ctx, actor, t.ID); err != nil {
		return "", err
	}
	return contact, nil
}

// Input is a new tip. ID is optional: a client that sends its own UUID can retry safely.
type Input struct {
	ID              string     `json:"id"`
	Channel         string     `json:"channel"`
	ReceivedAt      *time.Time `json:"received_at"`
	Description     string     `json:"description"`
	BusinessID      string     `json:"business_id"`
	Lat             *float64   `json:"lat"`
	Lon             *float64   `json:"lon"`
	Place           string     `json:"place"`
	ReporterContact string     `json:"reporter_contact"`
	Severity        string     `json:"severity"` // a first guess; classification decides
	// AreaCode is a ward or commune the sender chose (the public form's select): the tip's area
	// when neither its business nor its position places it.
	AreaCode string `json:"area_code"`
	// PhotoSHA256 names a photo already in the photo store, its metadata removed.
	PhotoSHA256 string `json:"-"`
}

// Create records a tip like CreateTracked, without answering the tracking secret (a tip taken by
// an officer has a code, for reference, but nobody to give the secret to).
func (s *Service) Create(ctx context.Context, actor string, in Input) (*models.Tip, bool, error) {
	t, _, created, err := s.CreateTracked(ctx, actor, in)
	return t, created, err
}

// CreateTracked records a tip, placed by its business or its position, with its verification and
// handling deadlines from the (first-guess) severity. When in.ID names a stored tip the call is
// a retry: the same content from the same actor answers the stored tip (created false);
// different content is a conflict. A new tip gets a tracking code and secret: the secret is
// answered once, here, and only its keyed hash is stored (a retry answers no secret: "").
func (s *Service) CreateTracked(ctx context.Context, actor string, in Input) (*models.Tip, string, bool, error) {
	id := uuid.NewString()
	if in.ID != "" {
		u, err := uuid.Parse(in.ID)
		if err != nil || len(in.ID) != 36 {
			return nil, "", false, models.Invalid("id", "must be a UUID such as 0b5d4e6a-8f1c-4a57-9a4e-2f7f1f0c3b12", "phải là một UUID, ví dụ 0b5d4e6a-8f1c-4a57-9a4e-2f7f1f0c3b12")
		}
		id = u.String()
		if prev, done, err := s.retried(ctx, actor, id, in); done {
			return prev, "", false, err
		}
	}
	now := s.now().UTC()
	var v models.Validation
	if !models.ValidTipChoice(in.Channel, models.TipChannels) {
		v.Add("channel", "must be one of %s", "phải là một trong %s", models.TipChoices(models.TipChannels))
	}
	// Every channel passes here: text that is not text is refused whichever form or API sent it.
	for _, f := range []struct{ name, value string }{{"description", in.Description}, {"place", in.Place}, {"reporter_contact", in.ReporterContact}, {"channel", in.Channel}, {"severity", in.Severity}} {
		if err := models.CheckText(f.name, f.value); err != nil {
			v.AddError(err)
		}
	}
	desc := strings.TrimSpace(in.Description)
	switch n := utf8.RuneCountInString(desc); {
	case n == 0:
		v.Add("description", "is required: what was seen, where, when", "là bắt buộc: đã thấy gì, ở đâu, khi nào")
	case n < 10:
		v.Add("description", "is too short to act on", "quá ngắn để xử lý")
	case n > 4000:
		v.Add("description", "is longer than 4000 characters", "dài quá 4000 ký tự")
	}
	if len([]rune(in.Place)) > 300 {
		v.Add("place", "is longer than 300 characters", "dài quá 300 ký tự")
	}
	if len([]rune(in.ReporterContact)) > 300 {
		v.Add("reporter_contact", "is longer than 300 characters", "dài quá 300 ký tự")
	}
	received := now
	if in.ReceivedAt != nil {
		// What the databases keep: a retry compares it with the stored time.
		received = in.ReceivedAt.UTC().Truncate(time.Microsecond)
		if received.After(now.Add(5 * time.Minute)) {
			v.Add("received_at", "is in the future", "là thời điểm trong tương lai")
		} else if received.Before(now.AddDate(-1, 0, 0)) {
			v.Add("received_at", "is more than a year ago", "đã quá một năm")
		}
	}
	sev := in.Severity
	if sev == "" {
		sev = "normal"
	}
	if !models.ValidTipChoice(sev, models.TipSeverities) {
		v.Add("severity", "must be one of %s", "phải là một trong %s", models.TipChoices(models.TipSeverities))
	}
	if (in.Lat == nil) != (in.Lon == nil) {
		v.Add("lat", "give both lat and lon, or neither", "cần cả vĩ độ và kinh độ, hoặc không có cả hai")
	} else if in.Lat != nil {
		if err := models.ValidateLatLon(*in.Lat, *in.Lon); err != nil {
			v.AddError(err)
		}
	}
	t := &models.Tip{ID: id, Channel: in.Channel, ReceivedAt: received, ReceivedBy: actor, Description: desc, Lat: in.Lat, Lon: in.Lon,
		Place: strings.TrimSpace(in.Place), Status: models.TipReceived, Severity: sev}
	if in.BusinessID != "" {
		b, err := s.store.FindBusinessByID(ctx, in.BusinessID)
		switch {
		case err != nil && !models.IsCode(err, models.ENOTFOUND):
			return nil, "", false, err
		case err != nil:
			v.Add("business_id", "unknown business", "không có cơ sở này")
		default:
			t.BusinessID, t.AreaCode = &b.ID, &b.AreaCode
		}
	}
	// A position picked on the map is more precise than the commune chosen from the list.
	if t.AreaCode == nil && t.Lat != nil && s.locate != nil {
		if code, _ := s.locate.Locate(ctx, *t.Lat, *t.Lon); code != "" {
			t.AreaCode = &code
		}
	}
	if in.AreaCode != "" {
		a, err := s.store.FindAreaByCode(ctx, in.AreaCode)
		switch {
		case err != nil && !models.IsCode(err, models.ENOTFOUND):
			return nil, "", false, err
		case err != nil || !a.ValidOn(models.DateOf(now.In(s.loc))):
			v.Add("area_code", "is not a ward or commune of today: choose one from the list", "không phải phường, xã hiện nay: hãy chọn trong danh sách")
		case t.AreaCode == nil:
			t.AreaCode = &a.Code
		}
	}
	t.PhotoSHA256 = in.PhotoSHA256
	if in.BusinessID == "" && in.Lat == nil && t.Place == "" && in.AreaCode == "" {
		v.Add("place", "say where: a business, a position or a place", "cần cho biết ở đâu: một cơ sở, một vị trí hoặc một địa điểm")
	}
	if err := v.Err(); err != nil {
		return nil, "", false, err
	}
	sealed, err := s.Seal(strings.TrimSpace(in.ReporterContact))
	if err != nil {
		return nil, "", false, err
	}
	t.ReporterContactEnc = sealed
	s.setDeadlines(t)
	// A conflict that is not a retry is a tracking code drawn twice: draw again.
	for attempt := 0; ; attempt++ {
		secret, err := s.issueTracking(t)
		if err != nil {
			return nil, "", false, err
		}
		err = s.store.CreateTip(ctx, actor, t)
		if err == nil {
			return t, secret, true, nil
		}
		if !models.IsCode(err, models.ECONFLICT) || attempt == 3 {
			return nil, "", false, err
		}
		// Two identical retries at once: the loser answers like a later retry would.
		if in.ID != "" {
			if prev, done, rerr := s.retried(ctx, actor, id, in); done {
				return prev, "", false, rerr
			}
		}
	}
}

// retried reports whether tip id is already stored (done), and then answers the stored tip when
// in is what created it, or a conflict.
func (s *Service) retried(ctx context.Context, actor, id string, in Input) (*models.Tip, bool, error) {
	prev, err := s.store.FindTipByID(ctx, id)
	switch {
	case models.IsCode(err, models.ENOTFOUND):
		return nil, false, nil
	case err != nil:
		return nil, true, err
	}
	same, err := s.sameInput(prev, actor, in)
	if err != nil {
		return nil, true, err
	}
	if !same {
		return nil, true, models.NewError(models.ECONFLICT, "tip %s already exists with different content", "tin báo %s đã tồn tại với nội dung khác", id)
	}
	return prev, true, nil
}

// sameInput reports whether in, sent by actor, is the input that created t. The business and
// the severity are compared while the tip is still received: verification and classification
// may change them afterwards.
func (s *Service) sameInput(t *models.Tip, actor string, in Input) (bool, error) {
	contact, err := s.Open(t.ReporterContactEnc)
	if err != nil {
		return false, err
	}
	sameFloat := func(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }
	same := t.ReceivedBy == actor && t.Channel == in.Channel && t.Description == strings.TrimSpace(in.Description) &&
		t.Place == strings.TrimSpace(in.Place) && contact == strings.TrimSpace(in.ReporterContact) &&
		sameFloat(t.Lat, in.Lat) && sameFloat(t.Lon, in.Lon) && t.PhotoSHA256 == in.PhotoSHA256
	// Without received_at the tip was dated on arrival: a retry cannot repeat that instant.
	if in.ReceivedAt != nil && !t.ReceivedAt.Equal(in.ReceivedAt.UTC().Truncate(time.Microsecond)) {
		same = false
	}
	if t.Status == models.TipReceived {
		sev := in.Severity
		if sev == "" {
			sev = "normal"
		}
		biz := ""
		if t.BusinessID != nil {
			biz = *t.BusinessID
		}
		same = same && t.Severity == sev && biz == in.BusinessID
	}
	return same, nil
}

// setDeadlines dates the verification and handling deadlines from receipt and severity.
func (s *Service) setDeadlines(t *models.Tip) {
	vd := t.ReceivedAt.Add(s.deadlines.Verify[t.Severity])
	hd := t.ReceivedAt.Add(s.deadlines.Handle[t.Severity])
	t.VerifyDue, t.HandleDue = &vd, &hd
}

// TransitionInput moves a tip to its next step.
type TransitionInput struct {
	Version    int    `json:"version"`
	To         string `json:"to"`          // verifying, classified or handled
	BusinessID string `json:"business_id"` // verifying, classified: the business the tip turned out to be about
	Place      string `json:"place"`       // verifying, classified: where, in words, when no business is known
	Type       string `json:"type"`        // classified: prostitution, trafficking, minors, drugs, other
	Severity   string `json:"severity"`    // classified: urgent, high, normal
	Handling   string `json:"handling"`    // handled: inspection, referred, dismissed
	Note       string `json:"note"`        // handled: the reason (required to dismiss or refer)
	// PublicResult is required to handle: what the reporter reads at /tip/status (10 to 1000
	// characters, no names the reporter should not learn).
	PublicResult string `json:"public_result"`
}

// Transition moves a tip one step on. A step cannot be skipped or undone. Classifying a tip as
// urgent creates an inspection task for the team of its place and releases it at once; handling
// it by inspection needs that inspection's result.
func (s *Service) Transition(ctx context.Context, actor, id string, in TransitionInput) (*models.Tip, error) {
	t, err := s.store.FindTipByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if in.Version != t.Version {
		return nil, models.NewError(models.ECONFLICT, "tip %s was changed by someone else: reload it", "tin báo %s đã được người khác cập nhật: hãy tải lại", id)
	}
	next := models.NextTipStatus(t.Status)
	if in.To != next {
		if next == "" {
			en, vi := closedPhrase(t.Status)
			return nil, conflict(fmt.Sprintf("the tip was %s: no step follows", en), fmt.Sprintf("tin báo %s: không còn bước nào tiếp theo", vi))
		}
		nextEN, nextVI := stepPhrase(next)
		if toEN, toVI := stepPhrase(in.To); toEN != "" {
			return nil, invalid("to", fmt.Sprintf("this tip must be %s first: it cannot be %s yet, and no step is skipped or undone", nextEN, toEN),
				fmt.Sprintf("tin báo này phải được %s trước, chưa thể %s: không được bỏ qua hay quay lại bước nào", nextVI, toVI))
		}
		return nil, invalid("to", fmt.Sprintf("the next step of this tip is to have it %s (to: %s)", nextEN, next), fmt.Sprintf("bước tiếp theo của tin báo này là %s", nextVI))
	}
	now := s.now().UTC()
	var task *models.Task
	var notes []*models.Notification
	var v models.Validation
	if in.BusinessID != "" {
		if in.To == models.TipHandled {
			return nil, models.Invalid("business_id", "is set while verifying or classifying", "được xác định khi xác minh hoặc phân loại")
		}
		b, err := s.store.FindBusinessByID(ctx, in.BusinessID)
		if models.IsCode(err, models.ENOTFOUND) {
			return nil, models.Invalid("business_id", "unknown business", "không có cơ sở này")
		} else if err != nil {
			return nil, err
		}
		t.BusinessID, t.AreaCode = &b.ID, &b.AreaCode
	}
	if place := strings.TrimSpace(in.Place); place != "" {
		if in.To == models.TipHandled {
			return nil, models.Invalid("place", "is set while verifying or classifying", "được xác định khi xác minh hoặc phân loại")
		}
		if err := models.CheckText("place", place); err != nil {
			return nil, err
		}
		if len([]rune(place)) > 300 {
			return nil, models.Invalid("place", "is longer than 300 characters", "dài quá 300 ký tự")
		}
		t.Place = place
	}
	switch in.To {
	case models.TipVerifying:
		t.VerifyingAt, t.VerifyingBy = &now, actor
	case models.TipClassified:
		if !models.ValidTipChoice(in.Type, models.TipTypes) {
			v.Add("type", "must be one of %s", "phải là một trong %s", models.TipChoices(models.TipTypes))
		}
		if !models.ValidTipChoice(in.Severity, models.TipSeverities) {
			v.Add("severity", "must be one of %s", "phải là một trong %s", models.TipChoices(models.TipSeverities))
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
		t.TipType, t.ClassifiedAt, t.ClassifiedBy = in.Type, &now, actor
		if in.Severity != t.Severity {
			t.Severity = in.Severity
			hd := t.ReceivedAt.Add(s.deadlines.Handle[t.Severity])
			t.HandleDue = &hd
		}
		if t.Severity == "urgent" {
			if task, notes, err = s.urgentTask(ctx, t); err != nil {
				return nil, err
			}
			t.TaskID = &task.ID
		}
	case models.TipHandled:
		if !models.ValidTipChoice(in.Handling, models.TipHandlings) {
			v.Add("handling", "must be one of %s", "phải là một trong %s", models.TipChoices(models.TipHandlings))
		}
		if (in.Handling == "dismissed" || in.Handling == "referred") && strings.TrimSpace(in.Note) == "" {
			v.Add("note", "give the reason", "hãy ghi lý do")
		}
		if in.Handling == "inspection" {
			if t.TaskID == nil {
				v.Add("handling", "the tip has no inspection task: classify it urgent, or refer or dismiss it", "tin báo không có nhiệm vụ kiểm tra: hãy phân loại khẩn, hoặc chuyển hoặc loại bỏ")
			} else if _, err := s.store.FindInspectionForTask(ctx, *t.TaskID); err != nil {
				v.Add("handling", "the inspection of the tip has no result yet", "việc kiểm tra theo tin báo chưa có kết quả")
			}
		}
		if len([]rune(in.Note)) > 2000 {
			v.Add("note", "is longer than 2000 characters", "dài quá 2000 ký tự")
		}
		if err := checkPublicResult(in.PublicResult); err != nil {
			v.AddError(err)
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
		t.HandledAt, t.HandledBy, t.Handling, t.HandlingNote = &now, actor, in.Handling, strings.TrimSpace(in.Note)
		t.PublicResult = strings.TrimSpace(in.PublicResult)
	}
	t.Status = in.To
	if err := s.store.SaveTip(ctx, actor, in.To, t, task, notes...); err != nil {
		return nil, err
	}
	return t, nil
}

// checkPublicResult checks the result text written for the public.
func checkPublicResult(text string) error {
	if err := models.CheckText("public_result", text); err != nil {
		return err
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(text)); {
	case n == 0:
		return models.Invalid("public_result", "is required: the result the reporter will read (10 to 1000 characters)", "là bắt buộc: kết quả người báo tin sẽ đọc (từ 10 đến 1000 ký tự)")
	case n < 10:
		return models.Invalid("public_result", "is too short: write at least 10 characters for the reporter", "quá ngắn: hãy viết ít nhất 10 ký tự cho người báo tin")
	case n > 1000:
		return models.Invalid("public_result", "is longer than 1000 characters", "dài quá 1000 ký tự")
	}
	return nil
}

// stepPhrase names the step that takes a tip to status, as a past participle in English and
// as a verb in Vietnamese, for the rule messages: users read steps, never status codes. It
// answers "" for a status no step leads to.
func stepPhrase(status string) (en, vi string) {
	switch status {
	case models.TipVerifying:
		return "verified", "xác minh"
	case models.TipClassified:
		return "classified", "phân loại"
	case models.TipHandled:
		return "handled", "xử lý"
	}
	return "", ""
}

// closedPhrase says how a tip that needs no more work ended.
func closedPhrase(status string) (en, vi string) {
	if status == models.TipMerged {
		return "merged into another tip", "đã được gộp vào tin báo khác"
	}
	return "handled", "đã được xử lý xong"
}

// conflict is a conflict whose two messages were formatted apart (their arguments differ).
func conflict(en, vi string) *models.Error {
	return &models.Error{Code: models.ECONFLICT, Message: en, MessageVI: vi}
}

// invalid is an invalid field whose two messages were formatted apart.
func invalid(field, en, vi string) *models.Error {
	e := conflict(en, vi)
	e.Code, e.Field = models.EINVALID, field
	e.Details = []models.FieldError{{Field: field, Message: en, MessageVI: vi}}
	return e
}

// urgentTask makes the inspection task of an urgent tip: for its business, for the most local
// team whose jurisdiction holds the place, released today; and the notifications that tell the
// team (UrgentTipNotifications), stored with the task.
func (s *Service) urgentTask(ctx context.Context, t *models.Tip) (*models.Task, []*models.Notification, error) {
	if t.BusinessID == nil {
		return nil, nil, models.Invalid("business_id", "an urgent tip needs the business it is about before a team can be sent: set it first", "tin báo khẩn cần xác định cơ sở trước khi cử tổ kiểm tra")
	}
	b, err := s.store.FindBusinessByID(ctx, *t.BusinessID)
	if err != nil {
		return nil, nil, err
	}
	area, err := s.store.FindAreaByCode(ctx, b.AreaCode)
	if err != nil {
		return nil, nil, err
	}
	team, err := s.teamFor(ctx, area.Path)
	if err != nil {
		return nil, nil, err
	}
	users, err := s.store.FindUsers(ctx)
	if err != nil {
		return nil, nil, err
	}
	today := models.DateOf(s.now().In(s.loc))
	tipID := t.ID
	task := &models.Task{ID: uuid.NewString(), BusinessID: b.ID, Reason: models.ReasonTip, Status: models.TaskReleased, WindowStart: today,
		WindowEnd: models.DateOf(t.HandleDue.In(s.loc)), TeamID: &team.ID, ReleasedOn: today, InclusionProb: 1, TipID: &tipID}
	return task, UrgentTipNotifications(t, task, b, team, users), nil
}

// teamFor finds the most local team whose jurisdiction holds the area and that has someone to
// send: an urgent visit given to a team without enabled members would wait for nobody.
func (s *Service) teamFor(ctx context.Context, path string) (*models.Team, error) {
	teams, err := s.store.FindTeams(ctx)
	if err != nil {
		return nil, err
	}
	members, err := s.store.CountEnabledMembers(ctx)
	if err != nil {
		return nil, err
	}
	var best *models.Team
	bestLen := -1
	for _, tm := range teams {
		if members[tm.ID] == 0 {
			continue
		}
		for _, u := range tm.Units() {
			a, err := s.store.FindAreaByCode(ctx, u)
			if err != nil || !strings.HasPrefix(path, a.Path) {
				continue
			}
			if len(a.Path) > bestLen {
				best, bestLen = tm, len(a.Path)
			}
		}
	}
	if best == nil {
		return nil, models.NewError(models.ECONFLICT, "no team's jurisdiction holds the place of the tip", "không có tổ công tác nào phụ trách địa bàn của tin báo")
	}
	return best, nil
}

// MergeRadiusM and MergeWindow decide which tips are offered for merging: about the same
// business, or within 50 m, within 30 days of each other.
const (
	MergeRadiusM = 50
	MergeWindow  = 30 * 24 * time.Hour
)

// Similar lists the open tips that may be about the same thing as tip id.
func (s *Service) Similar(ctx context.Context, id string) ([]*models.Tip, error) {
	t, err := s.store.FindTipByID(ctx, id)
	if err != nil {
		return nil, err
	}
	all, _, err := s.store.FindTips(ctx, models.TipFilter{})
	if err != nil {
		return nil, err
	}
	var out []*models.Tip
	for _, o := range all {
		if o.ID == t.ID || o.Status == models.TipMerged || math.Abs(o.ReceivedAt.Sub(t.ReceivedAt).Hours()) > MergeWindow.Hours() {
			continue
		}
		same := t.BusinessID != nil && o.BusinessID != nil && *t.BusinessID == *o.BusinessID
		if !same && t.Lat != nil && o.Lat != nil {
			same = geo.DistanceM(*t.Lat, *t.Lon, *o.Lat, *o.Lon) <= MergeRadiusM
		}
		if same {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ReceivedAt.Before(out[j].ReceivedAt) })
	return out, nil
}

// Merge folds tip id into another open tip about the same thing: it is closed as merged and
// counted with the other.
func (s *Service) Merge(ctx context.Context, actor, id, into string, version int) (*models.Tip, error) {
	if id == into {
		return nil, models.Invalid("into", "a tip cannot be merged into itself", "không thể gộp tin báo vào chính nó")
	}
	similar, err := s.Similar(ctx, id)
	if err != nil {
		return nil, err
	}
	ok := false
	for _, o := range similar {
		if o.ID == into && o.Open() {
			ok = true
		}
	}
	if !ok {
		return nil, models.Invalid("into", "tip %s is not an open tip about the same business or place within 30 days", "tin báo %s không phải tin báo đang xử lý về cùng cơ sở hoặc địa điểm trong 30 ngày", into)
	}
	t, err := s.store.FindTipByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if version != t.Version {
		return nil, models.NewError(models.ECONFLICT, "tip %s was changed by someone else: reload it", "tin báo %s đã được người khác cập nhật: hãy tải lại", id)
	}
	if !t.Open() {
		en, vi := closedPhrase(t.Status)
		return nil, conflict(fmt.Sprintf("tip %s was %s already", id, en), fmt.Sprintf("tin báo %s %s", id, vi))
	}
	t.Status, t.MergedInto = models.TipMerged, &into
	if err := s.store.SaveTip(ctx, actor, models.TipActionMerge, t, nil); err != nil {
		return nil, err
	}
	return t, nil
}
