package models

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Indicator kinds: what a figure is and how it meets its target.
const (
	// IndicatorShare is a numerator over a denominator (communes running outreach over all
	// communes); the target is a minimum share (0.70).
	IndicatorShare = "share"
	// IndicatorCount is a count in the period (press items in a month); the target is a minimum
	// count.
	IndicatorCount = "count"
	// IndicatorChange is a count compared with the same period a year before (crimes handled);
	// the target is a change between TargetMin and TargetMax (+0.03 to +0.05); reaching the
	// minimum meets it.
	IndicatorChange = "change"
)

// IndicatorKinds lists the kinds.
var IndicatorKinds = []string{IndicatorShare, IndicatorCount, IndicatorChange}

// Indicator levels: who the figure is measured for.
const (
	IndicatorLevelCity       = "city"       // one figure for the city, from the responsible agency
	IndicatorLevelCommune    = "commune"    // one figure per local unit (districts before 2025, communes after)
	IndicatorLevelDepartment = "department" // one figure per city department (an agency)
)

// IndicatorLevels lists the levels.
var IndicatorLevels = []string{IndicatorLevelCity, IndicatorLevelCommune, IndicatorLevelDepartment}

// Indicator sources.
const (
	IndicatorComputed  = "computed"  // kiemtra counts it from its own records
	IndicatorSubmitted = "submitted" // the responsible units enter it
)

// IndicatorSources lists the sources.
var IndicatorSources = []string{IndicatorComputed, IndicatorSubmitted}

// Codes of the indicators kiemtra computes itself; any other code of source computed is refused.
const (
	IndicatorInspectionShare = "inspection_share"    // businesses open on 1 January inspected in the year
	IndicatorCoverage        = "inspection_coverage" // businesses inspected at least once in the programme
	IndicatorTipsInTime      = "tips_in_time"        // tips handled within their deadlines
	IndicatorCrimesHandled   = "crimes_handled"      // referrals to the police from sanctions, year on year
)

// ComputedIndicators lists the codes kiemtra can compute.
var ComputedIndicators = []string{IndicatorInspectionShare, IndicatorCoverage, IndicatorTipsInTime, IndicatorCrimesHandled}

// Indicator is one measurable target of a programme (Plan 237/KH-UBND Section III): what is
// counted, for whom, how often, by whom, and the target.
type Indicator struct {
	ProgrammeID   string `json:"programme_id" gorm:"primaryKey"`
	Code          string `json:"code" gorm:"primaryKey"`
	Position      int    `json:"position"` // the order of the set
	Section       string `json:"section"`  // the plan's section, e.g. "III.1"
	NameVI        string `json:"name_vi" gorm:"column:name_vi"`
	NameEN        string `json:"name_en" gorm:"column:name_en"`
	DefinitionVI  string `json:"definition_vi" gorm:"column:definition_vi"`
	DefinitionEN  string `json:"definition_en" gorm:"column:definition_en"`
	Kind          string `json:"kind"`
	NumeratorVI   string `json:"numerator_vi" gorm:"column:numerator_vi"`
	NumeratorEN   string `json:"numerator_en" gorm:"column:numerator_en"`
	DenominatorVI string `json:"denominator_vi" gorm:"column:denominator_vi"`
	DenominatorEN string `json:"denominator_en" gorm:"column:denominator_en"`
	// TargetMin is the target: a share (0.7), a count (1), or the least yearly change (0.03).
	// TargetMax is the upper end of a change's range (0.05); 0 otherwise.
	TargetMin float64 `json:"target_min"`
	TargetMax float64 `json:"target_max"`
	Level     string  `json:"level"`
	Period    string  `json:"period"` // month, quarter, half or year
	Agency    string  `json:"agency"` // the responsible agency's code
	Source    string  `json:"source"`
}

// TableName is the table of indicators.
func (Indicator) TableName() string { return "indicators" }

// IndicatorSet is the indicator set a programme carries; Version guards edits as a programme's
// version does.
type IndicatorSet struct {
	ProgrammeID string       `json:"programme_id"`
	Version     int          `json:"version"`
	UpdatedAt   time.Time    `json:"updated_at"`
	UpdatedBy   string       `json:"updated_by"`
	Indicators  []*Indicator `json:"indicators"`
}

// Met reports whether a value meets the indicator's target (for a change, the value is the
// change, +0.04 for 4%).
func (ind *Indicator) Met(value float64) bool {
	return value+1e-9 >= ind.TargetMin
}

var indicatorCodePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// Indicator text limits.
const (
	MaxIndicatorNameRunes       = 300
	MaxIndicatorDefinitionRunes = 2000
)

// Normalise trims the indicator's text and puts it in Unicode NFC.
func (ind *Indicator) Normalise() {
	for _, f := range []*string{&ind.NameVI, &ind.NameEN, &ind.DefinitionVI, &ind.DefinitionEN, &ind.NumeratorVI, &ind.NumeratorEN, &ind.DenominatorVI, &ind.DenominatorEN, &ind.Section} {
		*f = NFC(strings.TrimSpace(*f))
	}
	ind.Code, ind.Agency = strings.TrimSpace(ind.Code), strings.TrimSpace(ind.Agency)
}

// Validate normalises the indicator and checks every field; agencies are the known agency codes
// (nil: not checked).
func (ind *Indicator) Validate(agencies map[string]bool) error {
	ind.Normalise()
	var v Validation
	if !indicatorCodePattern.MatchString(ind.Code) {
		v.Add("code", "must be 2-40 lower-case letters (a-z), digits or '_', starting with a letter", "phải gồm 2-40 chữ thường không dấu (a-z), chữ số hoặc '_', bắt đầu bằng chữ")
	}
	for _, f := range []struct {
		field, value string
		required     bool
		max          int
	}{
		{"name_vi", ind.NameVI, true, MaxIndicatorNameRunes},
		{"name_en", ind.NameEN, true, MaxIndicatorNameRunes},
		{"definition_vi", ind.DefinitionVI, false, MaxIndicatorDefinitionRunes},
		{"definition_en", ind.DefinitionEN, false, MaxIndicatorDefinitionRunes},
		{"numerator_vi", ind.NumeratorVI, ind.Kind == IndicatorShare, MaxIndicatorNameRunes},
		{"numerator_en", ind.NumeratorEN, false, MaxIndicatorNameRunes},
		{"denominator_vi", ind.DenominatorVI, ind.Kind == IndicatorShare, MaxIndicatorNameRunes},
		{"denominator_en", ind.DenominatorEN, false, MaxIndicatorNameRunes},
	} {
		switch n := utf8.RuneCountInString(f.value); {
		case n == 0 && f.required:
			v.Add(f.field, "is required", "không được để trống")
		case n > f.max:
			v.Add(f.field, "must be at most %d characters", "dài tối đa %d ký tự", f.max)
		}
	}
	if !oneOf(ind.Kind, IndicatorKinds) {
		v.Add("kind", "must be one of %s", "phải là một trong %s", strings.Join(IndicatorKinds, ", "))
	}
	if !oneOf(ind.Level, IndicatorLevels) {
		v.Add("level", "must be one of %s", "phải là một trong %s", strings.Join(IndicatorLevels, ", "))
	}
	if !oneOf(ind.Period, PeriodKinds) {
		v.Add("period", "must be one of %s", "phải là một trong %s", strings.Join(PeriodKinds, ", "))
	}
	if !oneOf(ind.Source, IndicatorSources) {
		v.Add("source", "must be one of %s", "phải là một trong %s", strings.Join(IndicatorSources, ", "))
	} else if ind.Source == IndicatorComputed && !oneOf(ind.Code, ComputedIndicators) {
		v.Add("source", "kiemtra computes only %s; %q must be submitted", "kiemtra chỉ tự tính %s; chỉ tiêu %q phải do đơn vị báo cáo", strings.Join(ComputedIndicators, ", "), ind.Code)
	}
	if ind.Agency == "" {
		v.Add("agency", "is required: the agency responsible for the figure", "không được để trống: cơ quan chịu trách nhiệm về số liệu")
	} else if agencies != nil && !agencies[ind.Agency] {
		v.Add("agency", "unknown agency %q", "không có cơ quan %q", ind.Agency)
	}
	switch {
	case math.IsNaN(ind.TargetMin) || math.IsNaN(ind.TargetMax) || math.IsInf(ind.TargetMin, 0) || math.IsInf(ind.TargetMax, 0):
		v.Add("target_min", "must be a number", "phải là một số")
	case ind.Kind == IndicatorShare && (ind.TargetMin <= 0 || ind.TargetMin > 1):
		v.Add("target_min", "a share's target must be above 0 and at most 1 (100%%)", "chỉ tiêu tỷ lệ phải lớn hơn 0 và không quá 1 (100%%)")
	case ind.Kind == IndicatorCount && (ind.TargetMin < 0 || ind.TargetMin != math.Trunc(ind.TargetMin)):
		v.Add("target_min", "a count's target must be a whole number, 0 or more", "chỉ tiêu số lượng phải là số nguyên không âm")
	case ind.Kind == IndicatorChange && (ind.TargetMin < -1 || ind.TargetMin > 10):
		v.Add("target_min", "a change's target must be between -1 (-100%%) and 10 (+1000%%)", "chỉ tiêu mức tăng phải từ -1 (-100%%) đến 10 (+1000%%)")
	case ind.Kind == IndicatorChange && ind.TargetMax != 0 && ind.TargetMax < ind.TargetMin:
		v.Add("target_max", "must be at least target_min", "phải không nhỏ hơn target_min")
	case ind.Kind != IndicatorChange && ind.TargetMax != 0:
		v.Add("target_max", "only a change has a range: leave it 0", "chỉ chỉ tiêu mức tăng có khoảng: để 0")
	}
	return v.Err()
}

// ValidateIndicatorSet checks a whole set: each indicator (errors named indicators[i].field) and
// no code twice.
func ValidateIndicatorSet(list []*Indicator, agencies map[string]bool) error {
	var v Validation
	seen := map[string]bool{}
	if len(list) > 100 {
		v.Add("indicators", "a set has at most 100 indicators", "một bộ có tối đa 100 chỉ tiêu")
	}
	for i, ind := range list {
		if ind == nil {
			v.Add(fmt.Sprintf("indicators[%d]", i), "is empty", "không có nội dung")
			continue
		}
		if err := ind.Validate(agencies); err != nil {
			v.AddError(RenameFields(err, func(f string) string { return fmt.Sprintf("indicators[%d].%s", i, f) }))
		}
		if seen[ind.Code] {
			v.Add(fmt.Sprintf("indicators[%d].code", i), "%q is in the set twice", "chỉ tiêu %q có hai lần trong bộ", ind.Code)
		}
		seen[ind.Code] = true
	}
	return v.Err()
}

// Period kinds of indicators and their submissions.
const (
	PeriodMonth   = "month"
	PeriodQuarter = "quarter"
	PeriodHalf    = "half"
	PeriodYear    = "year"
)

// PeriodKinds lists the period kinds, shortest first.
var PeriodKinds = []string{PeriodMonth, PeriodQuarter, PeriodHalf, PeriodYear}

// ReportingPeriod is a month, quarter, half-year or year: "2026-03", "2026-Q1", "2026-H1", "2026".
type ReportingPeriod struct {
	Kind string
	Year int
	N    int // 1-12 for a month, 1-4 a quarter, 1-2 a half, 0 a year
}

// ParseReportingPeriod reads "2026", "2026-H1", "2026-Q3" or "2026-03"; field names the input
// in the error.
func ParseReportingPeriod(field, s string) (ReportingPeriod, error) {
	bad := Invalid(field, "%q is not a period such as 2026, 2026-H1, 2026-Q1 or 2026-03", "%q không phải kỳ hợp lệ, ví dụ 2026, 2026-H1, 2026-Q1 hoặc 2026-03", s)
	u := strings.ToUpper(strings.TrimSpace(s))
	yp, rest, has := strings.Cut(u, "-")
	if len(yp) != 4 {
		return ReportingPeriod{}, bad
	}
	year, err := strconv.Atoi(yp)
	if err != nil || year < 2000 || year > 2100 {
		return ReportingPeriod{}, bad
	}
	if !has {
		return ReportingPeriod{Kind: PeriodYear, Year: year}, nil
	}
	if len(rest) != 2 {
		return ReportingPeriod{}, bad
	}
	if rest[0] == 'Q' || rest[0] == 'H' {
		n := int(rest[1] - '0')
		switch {
		case rest[0] == 'Q' && n >= 1 && n <= 4:
			return ReportingPeriod{Kind: PeriodQuarter, Year: year, N: n}, nil
		case rest[0] == 'H' && n >= 1 && n <= 2:
			return ReportingPeriod{Kind: PeriodHalf, Year: year, N: n}, nil
		}
		return ReportingPeriod{}, bad
	}
	m, err := strconv.Atoi(rest)
	if err != nil || m < 1 || m > 12 {
		return ReportingPeriod{}, bad
	}
	return ReportingPeriod{Kind: PeriodMonth, Year: year, N: m}, nil
}

// String is the period's canonical name.
func (p ReportingPeriod) String() string {
	switch p.Kind {
	case PeriodMonth:
		return fmt.Sprintf("%d-%02d", p.Year, p.N)
	case PeriodQuarter:
		return fmt.Sprintf("%d-Q%d", p.Year, p.N)
	case PeriodHalf:
		return fmt.Sprintf("%d-H%d", p.Year, p.N)
	}
	return strconv.Itoa(p.Year)
}

// Months is the period's length in months.
func (p ReportingPeriod) Months() int {
	switch p.Kind {
	case PeriodMonth:
		return 1
	case PeriodQuarter:
		return 3
	case PeriodHalf:
		return 6
	}
	return 12
}

// Start is the period's first day.
func (p ReportingPeriod) Start() Date {
	if p.Kind == PeriodYear {
		return NewDate(p.Year, 1, 1)
	}
	return NewDate(p.Year, time.Month((p.N-1)*p.Months()+1), 1)
}

// End is the period's last day.
func (p ReportingPeriod) End() Date {
	s := p.Start()
	return DateOf(time.Date(s.Year, s.Month+time.Month(p.Months()), 1, 0, 0, 0, 0, time.UTC)).AddDays(-1)
}

// Deadline is the last day a unit may submit the period's figures before the period locks: the
// 15th of the month after the period ends. Plan 237 Section VII has the departments and the
// local committees report to the city through the lead department, which consolidates and
// reports on; the 15th leaves the units two weeks after the period to count and the lead
// department the second half of the month to review, return and consolidate before its own
// report to the city People's Committee. The deadline is the same for every kind of period so
// that the units learn one rule.
func (p ReportingPeriod) Deadline() Date {
	e := p.End().AddDays(1)
	return NewDate(e.Year, e.Month, 15)
}

// Locked reports whether the period is locked on a day (after its deadline).
func (p ReportingPeriod) Locked(today Date) bool { return today.After(p.Deadline()) }

// Previous is the same period a year before (what a change compares with).
func (p ReportingPeriod) Previous() ReportingPeriod { q := p; q.Year--; return q }

// PeriodsIn lists the periods of a kind from the one containing from to the one containing to.
func PeriodsIn(kind string, from, to Date) []ReportingPeriod {
	var out []ReportingPeriod
	n := ReportingPeriod{Kind: kind}.Months()
	for y := from.Year; y <= to.Year; y++ {
		for i := 1; i <= 12/n; i++ {
			p := ReportingPeriod{Kind: kind, Year: y, N: i}
			if kind == PeriodYear {
				p.N = 0
			}
			if !p.End().Before(from) && !p.Start().After(to) {
				out = append(out, p)
			}
		}
	}
	return out
}

// periodWords name the period kinds in messages (English, Vietnamese, an example).
var periodWords = map[string][3]string{
	PeriodMonth:   {"a month", "một tháng", "2026-03"},
	PeriodQuarter: {"a quarter", "một quý", "2026-Q1"},
	PeriodHalf:    {"a half-year", "sáu tháng", "2026-H1"},
	PeriodYear:    {"a year", "một năm", "2026"},
}

// Submission states.
const (
	SubmissionSubmitted = "submitted" // awaits the lead department's review
	SubmissionReturned  = "returned"  // sent back with a comment; the unit corrects it
	SubmissionAccepted  = "accepted"  // counts in the progress and the report
)

// IndicatorSubmission is one version of a unit's figure for an indicator and a period. A
// correction is a new version; the figure that counts is the latest accepted one.
type IndicatorSubmission struct {
	ID            string   `json:"id" gorm:"primaryKey"` // chosen by the client: a retried POST is the same submission
	ProgrammeID   string   `json:"programme_id"`
	IndicatorCode string   `json:"indicator_code"`
	Period        string   `json:"period"`
	Unit          string   `json:"unit"` // a commune-level area (its version code) or an agency code
	Version       int      `json:"version"`
	Numerator     *float64 `json:"numerator"`
	Denominator   *float64 `json:"denominator"`
	Value         *float64 `json:"value"` // a count; for a share, numerator / denominator
	Narrative     string   `json:"narrative"`
	// Attachments are evidence (minutes, lists, photos of an event) as small files stored with
	// the submission (indicator_attachments), by id.
	Attachments   StringList `json:"attachments"`
	State         string     `json:"state"`
	ReviewComment string     `json:"review_comment"`
	ReviewedBy    string     `json:"reviewed_by"`
	ReviewedAt    *time.Time `json:"reviewed_at"`
	// Reason is why a figure came after the period locked (a late one or a correction); required then.
	Reason      string    `json:"reason"`
	Late        bool      `json:"late"` // submitted after the deadline
	SubmittedBy string    `json:"submitted_by"`
	SubmittedAt time.Time `json:"submitted_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// TableName is the table of submissions.
func (IndicatorSubmission) TableName() string { return "indicator_submissions" }

// Submission text limits.
const (
	MaxNarrativeRunes = 8000
	MaxReasonRunes    = 1000
	MaxCommentRunes   = 2000
	MaxFigure         = 1e9
)

// Validate normalises the submission and checks it against its indicator: the period's form and
// kind, the figures (no negative number, a denominator above 0, a share at most 100%), and a
// reason when the period is locked. It derives Value for a share.
func (s *IndicatorSubmission) Validate(ind *Indicator, locked bool) error {
	s.Narrative, s.Reason = NFC(strings.TrimSpace(s.Narrative)), NFC(strings.TrimSpace(s.Reason))
	var v Validation
	if p, err := ParseReportingPeriod("period", s.Period); err != nil {
		v.AddError(err)
	} else if p.Kind != ind.Period {
		w := periodWords[ind.Period]
		v.Problems = append(v.Problems, FieldError{Field: "period",
			Message:   fmt.Sprintf("%s is reported for %s, such as %s", ind.Code, w[0], w[2]),
			MessageVI: fmt.Sprintf("chỉ tiêu %s báo cáo theo %s, ví dụ %s", ind.Code, w[1], w[2])})
	} else {
		s.Period = p.String()
	}
	if strings.TrimSpace(s.Unit) == "" {
		v.Add("unit", "is required", "không được để trống")
	}
	checkFigure := func(field string, f *float64) bool {
		switch {
		case f == nil:
			v.Add(field, "is required", "không được để trống")
		case math.IsNaN(*f) || math.IsInf(*f, 0):
			v.Add(field, "must be a number", "phải là một số")
		case *f < 0:
			v.Add(field, "must not be negative", "không được là số âm")
		case *f > MaxFigure:
			v.Add(field, "must be at most %.0f", "không được vượt quá %.0f", MaxFigure)
		default:
			return true
		}
		return false
	}
	if ind.Kind == IndicatorShare {
		okN := checkFigure("numerator", s.Numerator)
		okD := checkFigure("denominator", s.Denominator)
		if okD && *s.Denominator == 0 {
			v.Add("denominator", "must be above 0: a share of nothing cannot be reported", "phải lớn hơn 0: không thể tính tỷ lệ trên tổng số bằng 0")
			okD = false
		}
		if okN && okD && *s.Numerator > *s.Denominator {
			v.Add("numerator", "%g is more than the denominator %g: a share cannot be above 100%%", "%g lớn hơn mẫu số %g: tỷ lệ không thể vượt quá 100%%", *s.Numerator, *s.Denominator)
		}
		if okN && okD && *s.Numerator <= *s.Denominator {
			val := *s.Numerator / *s.Denominator
			s.Value = &val
		}
	} else {
		if s.Numerator != nil || s.Denominator != nil {
			v.Add("numerator", "%s is a count: send value, not numerator and denominator", "chỉ tiêu %s là số lượng: gửi value, không gửi tử số và mẫu số", ind.Code)
		}
		if checkFigure("value", s.Value) && *s.Value != math.Trunc(*s.Value) {
			v.Add("value", "must be a whole number", "phải là số nguyên")
		}
	}
	if n := utf8.RuneCountInString(s.Narrative); n > MaxNarrativeRunes {
		v.Add("narrative", "must be at most %d characters", "dài tối đa %d ký tự", MaxNarrativeRunes)
	}
	switch n := utf8.RuneCountInString(s.Reason); {
	case locked && n == 0:
		v.Add("reason", "the period is locked (its deadline has passed): say why this figure comes now", "kỳ báo cáo đã khóa (đã quá hạn): hãy nêu lý do gửi số liệu lúc này")
	case n > MaxReasonRunes:
		v.Add("reason", "must be at most %d characters", "dài tối đa %d ký tự", MaxReasonRunes)
	}
	if len(s.Attachments) > 10 {
		v.Add("attachments", "at most 10 files", "tối đa 10 tệp")
	}
	return v.Err()
}

// SameContent reports whether t carries the same figures as s (an idempotent retry).
func (s *IndicatorSubmission) SameContent(t *IndicatorSubmission) bool {
	eq := func(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	// A share's value is derived from its numerator and denominator, so those decide.
	sameValue := s.Numerator != nil || eq(s.Value, t.Value)
	return s.ProgrammeID == t.ProgrammeID && s.IndicatorCode == t.IndicatorCode && s.Period == t.Period && s.Unit == t.Unit &&
		eq(s.Numerator, t.Numerator) && eq(s.Denominator, t.Denominator) && sameValue && s.Narrative == t.Narrative
}

// IndicatorAttachment is a small file of evidence kept with submissions (at most
// MaxAttachmentBytes): minutes of a meeting, a list of participants, a photo of an event.
type IndicatorAttachment struct {
	ID          string    `json:"id" gorm:"primaryKey"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int       `json:"size"`
	SHA256      string    `json:"sha256" gorm:"column:sha256"`
	Content     []byte    `json:"-"`
	UploadedBy  string    `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// TableName is the table of attachments.
func (IndicatorAttachment) TableName() string { return "indicator_attachments" }

// MaxAttachmentBytes bounds one attachment: a scanned page or a photo; the evidence is a sign,
// not an archive.
const MaxAttachmentBytes = 2 << 20

// SubmissionFilter selects submissions; empty fields match all.
type SubmissionFilter struct {
	ProgrammeID   string
	IndicatorCode string
	Period        string
	Periods       []string
	Unit          string
	Units         []string
	State         string
	LatestOnly    bool // only the latest version of each (indicator, period, unit)
}

// IndicatorStore persists indicator sets and submissions.
type IndicatorStore interface {
	// FindIndicatorSet returns a programme's set (an empty set of version 0 when none is stored).
	FindIndicatorSet(ctx context.Context, programmeID string) (*IndicatorSet, error)
	// SaveIndicatorSet replaces a programme's set when version is current (conflict otherwise;
	// invalid when an indicator that has submissions would be removed).
	SaveIndicatorSet(ctx context.Context, actor, programmeID string, version int, list []*Indicator) (*IndicatorSet, error)
	// CreateSubmission stores a new version of a figure: version must be the next one for its
	// indicator, period and unit (conflict otherwise). A retry with the same id and content
	// returns the stored one with created false; the same id with another content is a conflict.
	CreateSubmission(ctx context.Context, actor string, s *IndicatorSubmission) (*IndicatorSubmission, bool, error)
	// FindSubmissionByID returns not_found when unknown.
	FindSubmissionByID(ctx context.Context, id string) (*IndicatorSubmission, error)
	// FindSubmissions returns the matching submissions by indicator, period, unit and version.
	FindSubmissions(ctx context.Context, f SubmissionFilter) ([]*IndicatorSubmission, error)
	// ReviewSubmission moves a submitted one to accepted or returned with a comment, and writes
	// notes to the outbox in the same transaction; conflict when it is no longer submitted, or a
	// newer version exists (and no note is written).
	ReviewSubmission(ctx context.Context, actor, id, state, comment string, notes ...*Notification) (*IndicatorSubmission, error)
	// CreateAttachment stores a file of evidence.
	CreateAttachment(ctx context.Context, actor string, a *IndicatorAttachment) error
	// FindAttachment returns a file with its content, or not_found.
	FindAttachment(ctx context.Context, id string) (*IndicatorAttachment, error)
}
