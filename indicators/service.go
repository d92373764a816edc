package indicators

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"kiemtra/models"
	"kiemtra/report"
)

// Store is what the indicators read and write.
type Store interface {
	models.IndicatorStore
	FindProgrammeByID(ctx context.Context, id string) (*models.Programme, error)
	FindAreaOn(ctx context.Context, code string, day models.Date) (*models.Area, error)
	FindAreas(ctx context.Context, f models.AreaFilter) ([]*models.Area, int, error)
	FindAgencies(ctx context.Context) ([]*models.Agency, error)
	FindAreaLineage(ctx context.Context) ([]models.AreaLineage, error)
	// FindUsers returns every user: the reporting officers a returned figure notifies.
	FindUsers(ctx context.Context) ([]*models.User, error)
	FindReportNotes(ctx context.Context, programmeID, period string) (*models.ReportNotes, error)
	SaveReportNotes(ctx context.Context, actor, programmeID, period string, version int, difficulties, proposals models.Lines) (*models.ReportNotes, error)
}

// Reports computes the period reports whose figures the computed indicators take, so that an
// indicator and the inspection report never disagree (report.Service).
type Reports interface {
	Resolve(ctx context.Context, q *report.Query) error
	Build(ctx context.Context, q report.Query) (*report.Report, error)
}

// Service keeps indicator sets and submissions and computes progress.
type Service struct {
	store   Store
	reports Reports
	now     func() time.Time
	loc     *time.Location
}

// New returns a service; now and loc give the users' calendar day (deadlines and locks).
func New(store Store, reports Reports, now func() time.Time, loc *time.Location) *Service {
	if now == nil {
		now = time.Now
	}
	if loc == nil {
		loc = time.UTC
	}
	return &Service{store: store, reports: reports, now: now, loc: loc}
}

// Today is the users' calendar day.
func (s *Service) Today() models.Date { return models.DateOf(s.now().In(s.loc)) }

// Caller is who asks: the user's role, agency and jurisdiction. Covers reports whether an area
// (by its path) is inside the jurisdiction.
type Caller struct {
	Username string
	Role     string
	Agency   string
	CityWide bool
	Covers   func(areaPath string) bool
}

// Programme finds a programme by id or code; invalid (field programme) when unknown.
func (s *Service) Programme(ctx context.Context, id string) (*models.Programme, error) {
	if strings.TrimSpace(id) == "" {
		return nil, models.Invalid("programme", "is required", "không được để trống")
	}
	p, err := s.store.FindProgrammeByID(ctx, id)
	if models.IsCode(err, models.ENOTFOUND) {
		return nil, models.Invalid("programme", "unknown programme %q", "không có chương trình %q", id)
	}
	return p, err
}

// Set returns the programme's indicator set: the stored one, or DefaultSet (version 0) until a
// planner saves it.
func (s *Service) Set(ctx context.Context, p *models.Programme) (*models.IndicatorSet, error) {
	set, err := s.store.FindIndicatorSet(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	if set.Version == 0 {
		set.Indicators = DefaultSet(p)
	}
	return set, nil
}

// SaveSet validates and stores a programme's whole set when version is current.
func (s *Service) SaveSet(ctx context.Context, actor string, p *models.Programme, version int, list []*models.Indicator) (*models.IndicatorSet, error) {
	agencies, err := s.agencyCodes(ctx)
	if err != nil {
		return nil, err
	}
	if err := models.ValidateIndicatorSet(list, agencies); err != nil {
		return nil, err
	}
	return s.store.SaveIndicatorSet(ctx, actor, p.ID, version, list)
}

func (s *Service) agencyCodes(ctx context.Context) (map[string]bool, error) {
	ags, err := s.store.FindAgencies(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, a := range ags {
		out[a.Code] = true
	}
	return out, nil
}

func indicatorOf(set *models.IndicatorSet, code string) *models.Indicator {
	for _, ind := range set.Indicators {
		if ind.Code == code {
			return ind
		}
	}
	return nil
}

// SubmitInput is a unit's figure for one indicator and period.
type SubmitInput struct {
	ID          string   `json:"id"` // the client's id: a retried POST is the same submission
	Programme   string   `json:"programme"`
	Period      string   `json:"period"`
	Unit        string   `json:"unit"` // a commune-level area's code (official or version) or an agency code
	Numerator   *float64 `json:"numerator"`
	Denominator *float64 `json:"denominator"`
	Value       *float64 `json:"value"`
	Narrative   string   `json:"narrative"`
	Reason      string   `json:"reason"`
	Attachments []string `json:"attachments"`
}

func forbiddenUnit(en, vi string, args ...any) error {
	e := models.NewError(models.EFORBIDDEN, en, vi, args...)
	e.Field = "unit"
	e.Details = []models.FieldError{{Field: "unit", Message: e.Message, MessageVI: e.MessageVI}}
	return e
}

// Submit records a unit's figure as a new version: the first, a correction of a returned one,
// or a change of an accepted one. A figure awaiting review is not replaced (conflict: the lead
// department returns it first). After the period's deadline a reason is required. created is
// false for a retry of a stored submission.
func (s *Service) Submit(ctx context.Context, c Caller, code string, in SubmitInput) (*models.IndicatorSubmission, bool, error) {
	if in.ID != "" {
		if _, err := uuid.Parse(in.ID); err != nil {
			return nil, false, models.Invalid("id", "must be a UUID chosen by the client", "phải là một UUID do ứng dụng tạo")
		}
	}
	p, err := s.Programme(ctx, in.Programme)
	if err != nil {
		return nil, false, err
	}
	set, err := s.Set(ctx, p)
	if err != nil {
		return nil, false, err
	}
	ind := indicatorOf(set, code)
	if ind == nil {
		return nil, false, models.NotFound("indicator", "the programme has no indicator "+code, "chương trình không có chỉ tiêu "+code)
	}
	if ind.Source == models.IndicatorComputed {
		return nil, false, models.Invalid("indicator", "%s is computed by kiemtra from its records: it is not submitted", "chỉ tiêu %s do kiemtra tự tính từ dữ liệu: không nhập báo cáo", code)
	}
	sub := &models.IndicatorSubmission{ID: in.ID, ProgrammeID: p.ID, IndicatorCode: code, Period: in.Period, Unit: strings.TrimSpace(in.Unit),
		Numerator: in.Numerator, Denominator: in.Denominator, Value: in.Value, Narrative: in.Narrative, Reason: in.Reason,
		Attachments: models.StringList(in.Attachments), State: models.SubmissionSubmitted, SubmittedBy: c.Username}
	today := s.Today()
	per, perr := models.ParseReportingPeriod("period", in.Period)
	locked := perr == nil && per.Locked(today)
	var stored *models.IndicatorSubmission
	if in.ID != "" {
		got, err := s.store.FindSubmissionByID(ctx, in.ID)
		switch {
		case err == nil:
			// A retry is judged as it was when it first arrived: one sent before the lock and
			// retried after it needs no reason.
			stored, locked = got, got.Late
		case !models.IsCode(err, models.ENOTFOUND):
			return nil, false, err
		}
	}
	if err := sub.Validate(ind, locked); err != nil {
		return nil, false, err
	}
	if per.End().Before(p.StartsOn) || per.Start().After(p.EndsOn) {
		return nil, false, models.Invalid("period", "%s is outside the programme (%s to %s)", "kỳ %s nằm ngoài thời gian của chương trình (%s đến %s)", per, p.StartsOn, p.EndsOn)
	}
	if today.Before(per.Start()) {
		return nil, false, models.Invalid("period", "%s has not begun", "kỳ %s chưa bắt đầu", per)
	}
	if sub.Unit, err = s.ownedUnit(ctx, c, p, ind, per, sub.Unit); err != nil {
		return nil, false, err
	}
	for _, a := range sub.Attachments {
		if _, err := s.store.FindAttachment(ctx, a); models.IsCode(err, models.ENOTFOUND) {
			return nil, false, models.Invalid("attachments", "unknown attachment %s: upload it first", "không có tệp %s: hãy tải tệp lên trước", a)
		} else if err != nil {
			return nil, false, err
		}
	}
	if stored != nil {
		if stored.SameContent(sub) {
			return stored, false, nil
		}
		return nil, false, models.NewError(models.ECONFLICT, "submission %s exists with other figures", "đã có báo cáo %s với số liệu khác", sub.ID)
	}
	if sub.ID == "" {
		sub.ID = uuid.NewString()
	}
	prev, err := s.store.FindSubmissions(ctx, models.SubmissionFilter{ProgrammeID: p.ID, IndicatorCode: code, Period: sub.Period, Unit: sub.Unit, LatestOnly: true})
	if err != nil {
		return nil, false, err
	}
	sub.Version = 1
	if len(prev) > 0 {
		last := prev[len(prev)-1]
		if last.State == models.SubmissionSubmitted {
			return nil, false, models.NewError(models.ECONFLICT, "version %d of this figure awaits the lead department's review: it can be corrected once returned", "phiên bản %d của số liệu này đang chờ cơ quan chủ trì duyệt: chỉ sửa được khi bị trả lại", last.Version)
		}
		sub.Version = last.Version + 1
	}
	sub.Late = locked
	return s.store.CreateSubmission(ctx, c.Username, sub)
}

// ownedUnit checks that the caller may report for the unit and returns its canonical code: an
// area's version code for a commune-level indicator, an agency code otherwise. Administrators
// may enter any unit's figure (a unit without an account sends it on paper).
func (s *Service) ownedUnit(ctx context.Context, c Caller, p *models.Programme, ind *models.Indicator, per models.ReportingPeriod, unit string) (string, error) {
	admin := c.Role == models.RoleAdmin
	if !admin && c.Role != models.RoleReportingOfficer && c.Role != models.RolePlanner {
		return "", models.NewError(models.EFORBIDDEN, "only reporting officers and planners submit figures", "chỉ cán bộ báo cáo và cán bộ lập kế hoạch được gửi số liệu")
	}
	switch ind.Level {
	case models.IndicatorLevelCommune:
		// The unit the code names on the period's last day, which must sit just below the
		// programme's area (a district before the 2025 reorganisation, a commune after).
		root, err := s.rootOn(ctx, p, per.End())
		if err != nil {
			return "", err
		}
		a, err := s.store.FindAreaOn(ctx, unit, per.End())
		if err != nil && !models.IsCode(err, models.ENOTFOUND) {
			return "", err
		}
		if err != nil || a.ParentCode == nil || *a.ParentCode != root.Code || !a.ValidOn(per.End()) {
			return "", models.Invalid("unit", "%q is not a local unit of the programme on %s", "%q không phải đơn vị cấp cơ sở của chương trình vào ngày %s", unit, per.End())
		}
		// A local unit's figure is its people's committee's: a department's officer, even a
		// city-wide one, does not enter it.
		if !admin && c.Role == models.RoleReportingOfficer && c.Agency != models.AgencyCommune {
			return "", forbiddenUnit("%s is reported by the local units' people's committees, not by %s", "chỉ tiêu %s do Ủy ban nhân dân cấp cơ sở báo cáo, không phải %s", ind.Code, c.Agency)
		}
		if !admin && (c.Covers == nil || !c.Covers(a.Path)) {
			return "", forbiddenUnit("%s (%s) is not in your jurisdiction: you report for your own unit only", "%s (%s) không thuộc địa bàn của bạn: bạn chỉ báo cáo cho đơn vị mình", a.Name, unit)
		}
		return a.Code, nil
	case models.IndicatorLevelDepartment:
		ags, err := s.departments(ctx)
		if err != nil {
			return "", err
		}
		known := false
		for _, a := range ags {
			known = known || a.Code == unit
		}
		if !known {
			return "", models.Invalid("unit", "%q is not a department that reports", "%q không phải cơ quan báo cáo", unit)
		}
		if !admin && c.Agency != unit {
			return "", forbiddenUnit("you report for your own agency (%s), not %s", "bạn chỉ báo cáo cho cơ quan mình (%s), không cho %s", c.Agency, unit)
		}
		return unit, nil
	default:
		if unit != ind.Agency {
			return "", models.Invalid("unit", "%s is reported for the city by %s", "chỉ tiêu %s do %s báo cáo cho toàn thành phố", ind.Code, ind.Agency)
		}
		if !admin && (c.Agency != unit || !c.CityWide) {
			return "", forbiddenUnit("only a city-wide officer of %s reports %s", "chỉ cán bộ phụ trách toàn thành phố của %s được báo cáo chỉ tiêu %s", unit, ind.Code)
		}
		return unit, nil
	}
}

// MayReview reports whether the caller reviews the programme's figures: an administrator, or a
// city-wide planner of the programme's lead agency.
func MayReview(c Caller, p *models.Programme) bool {
	if c.Role == models.RoleAdmin {
		return true
	}
	lead := models.DefaultLeadAgency
	if p.LeadAgency != nil && *p.LeadAgency != "" {
		lead = *p.LeadAgency
	}
	return c.Role == models.RolePlanner && c.CityWide && c.Agency == lead
}

// Review accepts a submitted figure, or returns it with a comment (required) for correction;
// a return notifies the unit's reporting officers, in the transaction of the return.
func (s *Service) Review(ctx context.Context, c Caller, id string, accept bool, comment string) (*models.IndicatorSubmission, error) {
	sub, err := s.store.FindSubmissionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := s.store.FindProgrammeByID(ctx, sub.ProgrammeID)
	if err != nil {
		return nil, err
	}
	if !MayReview(c, p) {
		return nil, models.NewError(models.EFORBIDDEN, "only the lead department's planners review figures", "chỉ cán bộ của cơ quan chủ trì được duyệt số liệu")
	}
	comment = models.NFC(strings.TrimSpace(comment))
	state := models.SubmissionAccepted
	if !accept {
		state = models.SubmissionReturned
		if comment == "" {
			return nil, models.Invalid("comment", "is required: tell the unit what to correct", "không được để trống: hãy nêu điều đơn vị cần sửa")
		}
	}
	if utf8.RuneCountInString(comment) > models.MaxCommentRunes {
		return nil, models.Invalid("comment", "must be at most %d characters", "dài tối đa %d ký tự", models.MaxCommentRunes)
	}
	var notes []*models.Notification
	if state == models.SubmissionReturned {
		if notes, err = s.returnedNotifications(ctx, p, sub); err != nil {
			return nil, err
		}
	}
	return s.store.ReviewSubmission(ctx, c.Username, id, state, comment, notes...)
}

// Attach stores a file of evidence and returns it (without its content).
func (s *Service) Attach(ctx context.Context, actor, name string, content []byte) (*models.IndicatorAttachment, error) {
	name = models.NFC(strings.TrimSpace(name))
	if name == "" || utf8.RuneCountInString(name) > 200 || strings.ContainsAny(name, "/\\\r\n") {
		return nil, models.Invalid("name", "a file name of 1-200 characters is required", "cần tên tệp dài 1-200 ký tự")
	}
	if len(content) == 0 {
		return nil, models.Invalid("file", "is empty", "tệp rỗng")
	}
	if len(content) > models.MaxAttachmentBytes {
		return nil, &models.Error{Code: models.ETOOLARGE, Field: "file", Message: fmt.Sprintf("a file of evidence is at most %d MB", models.MaxAttachmentBytes>>20),
			MessageVI: fmt.Sprintf("tệp minh chứng tối đa %d MB", models.MaxAttachmentBytes>>20)}
	}
	ct := http.DetectContentType(content)
	switch {
	case ct == "application/pdf", strings.HasPrefix(ct, "image/jpeg"), strings.HasPrefix(ct, "image/png"):
	default:
		return nil, &models.Error{Code: models.EUNSUPPORTEDTYPE, Field: "file", Message: "evidence must be a PDF, JPEG or PNG file", MessageVI: "tệp minh chứng phải là PDF, JPEG hoặc PNG"}
	}
	sum := sha256.Sum256(content)
	a := &models.IndicatorAttachment{ID: uuid.NewString(), Name: name, ContentType: ct, Size: len(content), SHA256: hex.EncodeToString(sum[:]), Content: content}
	if err := s.store.CreateAttachment(ctx, actor, a); err != nil {
		return nil, err
	}
	return a, nil
}

// communeUnits are the local units of a period: the units just below the programme's area in
// force on the period's last day (the districts until the 2025 reorganisation, the communes
// and wards after it), in path order.
func (s *Service) communeUnits(ctx context.Context, p *models.Programme, per models.ReportingPeriod) ([]*models.Area, error) {
	root, err := s.rootOn(ctx, p, per.End())
	if err != nil {
		return nil, err
	}
	areas, _, err := s.store.FindAreas(ctx, models.AreaFilter{On: per.End(), Under: root.Code, NoGeometry: true})
	if err != nil {
		return nil, err
	}
	var out []*models.Area
	for _, a := range areas {
		if a.ParentCode != nil && *a.ParentCode == root.Code {
			out = append(out, a)
		}
	}
	return out, nil
}

func (s *Service) rootOn(ctx context.Context, p *models.Programme, day models.Date) (*models.Area, error) {
	if p.RootAreaCode != nil && *p.RootAreaCode != "" {
		return s.store.FindAreaOn(ctx, *p.RootAreaCode, day)
	}
	areas, _, err := s.store.FindAreas(ctx, models.AreaFilter{On: day, Limit: 1, NoGeometry: true})
	if err != nil {
		return nil, err
	}
	if len(areas) == 0 {
		return nil, models.Invalid("programme", "the programme has no area", "chương trình không có địa bàn")
	}
	return areas[0], nil
}

// departments are the active city-level agencies: those that owe a department-level figure.
func (s *Service) departments(ctx context.Context) ([]*models.Agency, error) {
	ags, err := s.store.FindAgencies(ctx)
	if err != nil {
		return nil, err
	}
	var out []*models.Agency
	for _, a := range ags {
		if a.Active && a.Level == models.AgencyLevelCity {
			out = append(out, a)
		}
	}
	return out, nil
}

// MayRead reports whether the caller may read a submission: reporting officers their own
// units' figures, everyone else who follows the programme all of them.
func (s *Service) MayRead(ctx context.Context, c Caller, sub *models.IndicatorSubmission) (bool, error) {
	if c.Role != models.RoleReportingOfficer {
		return true, nil
	}
	p, err := s.store.FindProgrammeByID(ctx, sub.ProgrammeID)
	if err != nil {
		return false, err
	}
	set, err := s.Set(ctx, p)
	if err != nil {
		return false, err
	}
	ind := indicatorOf(set, sub.IndicatorCode)
	per, err := models.ParseReportingPeriod("period", sub.Period)
	if ind == nil || err != nil {
		return false, nil
	}
	units, err := s.unitsOf(ctx, p, ind, per)
	if err != nil {
		return false, err
	}
	for _, u := range units {
		if u.Code == sub.Unit {
			return owns(c, ind, u), nil
		}
	}
	return false, nil
}
