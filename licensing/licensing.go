// Package licensing answers a police officer's question before a security-and-order certificate
// is issued or renewed: what do inspections say about this business? It shows history only:
// never planned or released tasks, never a tip's reporter. Every lookup is audited with its
// purpose.
package licensing

import (
	"context"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"kiemtra/models"
)

// Store is what a licensing check reads.
type Store interface {
	FindBusinesses(ctx context.Context, f models.BusinessFilter) ([]*models.Business, int, error)
	FindBusinessInspections(ctx context.Context, businessID string, since time.Time, limit int) ([]*models.Inspection, error)
	FindFindings(ctx context.Context, inspectionIDs []string) ([]*models.Finding, error)
	FindTeamByID(ctx context.Context, id string) (*models.Team, error)
	FindTasks(ctx context.Context, f models.TaskFilter) ([]*models.Task, int, error)
	FindTips(ctx context.Context, f models.TipFilter) ([]*models.Tip, int, error)
	FindAreaByCode(ctx context.Context, code string) (*models.Area, error)
	FindSanctions(ctx context.Context, f models.SanctionFilter) ([]*models.Sanction, int, error)
	FindCertificate(ctx context.Context, businessID string) (*models.CertificateView, error)
	// AuditLookup audits a lookup (who, which businesses or none, why) and returns the audit
	// event's id.
	AuditLookup(ctx context.Context, actor string, l models.LookupRecord) (int64, error)
}

// Query is an officer's lookup: one of licence_no, tax_code or q, and why.
type Query struct {
	LicenceNo string
	TaxCode   string
	Q         string
	Purpose   string
}

// Summaries of a business's record.
const (
	SummaryClear              = "clear"               // inspected, never a violation
	SummaryViolationsResolved = "violations_resolved" // violations found, all resolved
	SummaryOpenViolations     = "open_violations"     // a violation not yet resolved
	SummaryNeverInspected     = "never_inspected"     // no inspection in the last five years
)

// InspectionRecord is one inspection in the answer.
type InspectionRecord struct {
	ID         string            `json:"id"`
	Date       models.Date       `json:"date"`
	Team       string            `json:"team"`
	Outcome    string            `json:"outcome"`
	Violations []*models.Finding `json:"violations"`
	FollowUp   string            `json:"follow_up"` // none, pending, done
	Amendments int               `json:"amendments"`
	FinishedAt time.Time         `json:"finished_at"`
}

// TipRecord is a tip about the business, without its reporter.
type TipRecord struct {
	ID         string     `json:"id"`
	ReceivedAt time.Time  `json:"received_at"`
	Status     string     `json:"status"`
	Type       string     `json:"type"`
	Handling   string     `json:"handling"`
	HandledAt  *time.Time `json:"handled_at"`
}

// Report is the answer about one business.
type Report struct {
	Business       *models.Business   `json:"business"`
	AreaName       string             `json:"area_name"` // the business's ward or commune
	Summary        string             `json:"summary"`
	Inspections    []InspectionRecord `json:"inspections"`
	OpenViolations []*models.Finding  `json:"open_violations"`
	Tips           []TipRecord        `json:"tips"`
	// Sanctions of the business, newest first (every one: a certificate counts them over the
	// last 12 months, Decree 96/2016 Art. 18.2), and its certificate with the nightly rule's flag.
	Sanctions   []SanctionRecord        `json:"sanctions"`
	Certificate *models.CertificateView `json:"certificate"`
	// CertificateStatus is the certificate's status today (a suspension ends by itself).
	CertificateStatus string      `json:"certificate_status"`
	Since             models.Date `json:"since"`
	CheckedAt         time.Time   `json:"checked_at"`
}

// Result is the answer to a check: the report of the one business found, or the candidates, and
// the audit id of the lookup, which a printed record of it carries.
type Result struct {
	Report     *Report
	Candidates []Candidate
	LookupID   int64
	Purpose    string
	CheckedAt  time.Time
}

// Candidate is a business that may be the one meant.
type Candidate struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	Address   string  `json:"address"`
	LicenceNo *string `json:"licence_no"`
	TaxCode   string  `json:"tax_code"`
	Status    string  `json:"status"`
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	AreaCode  string  `json:"area_code"`
	AreaName  string  `json:"area_name"`
}

// SanctionRecord is a sanction as the police read it.
type SanctionRecord struct {
	*models.Sanction
	Forms   []string `json:"forms"`
	Overdue bool     `json:"overdue"`
}

// Service answers licensing checks.
type Service struct {
	store Store
	now   func() time.Time
	loc   *time.Location
}

// New returns the service.
func New(store Store, now func() time.Time, loc *time.Location) *Service {
	if now == nil {
		now = time.Now
	}
	if loc == nil {
		loc = time.UTC
	}
	return &Service{store: store, now: now, loc: loc}
}

// Validate checks a query: exactly one key, and a purpose.
func (q *Query) Validate() error {
	var v models.Validation
	keys := 0
	for _, k := range []string{q.LicenceNo, q.TaxCode, q.Q} {
		if strings.TrimSpace(k) != "" {
			keys++
		}
	}
	if keys != 1 {
		v.Add("licence_no", "give exactly one of licence_no, tax_code or q", "cần đúng một trong licence_no, tax_code hoặc q")
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(q.Purpose)); {
	case n == 0:
		v.Add("purpose", "is required: say why you look (for example the application number)", "là bắt buộc: ghi lý do tra cứu (ví dụ số hồ sơ đề nghị)")
	case n < 3:
		v.Add("purpose", "is too short", "quá ngắn")
	case n > 200:
		v.Add("purpose", "is longer than 200 characters", "dài quá 200 ký tự")
	}
	if len([]rune(q.Q)) > 100 {
		v.Add("q", "is longer than 100 characters", "dài quá 100 ký tự")
	}
	return v.Err()
}

// Check answers an exact lookup (licence or tax code) with the business's report, or a search
// (q) with candidates. An exact lookup that finds nothing is not_found, with the near matches as
// candidates. Every lookup that passes validation is audited, the not-found ones too.
func (s *Service) Check(ctx context.Context, actor string, q Query) (*Result, error) {
	// A key of blanks is no key: trimmed once here, the checks and the branch below agree.
	q.LicenceNo, q.TaxCode, q.Q = strings.TrimSpace(q.LicenceNo), strings.TrimSpace(q.TaxCode), strings.TrimSpace(q.Q)
	if err := q.Validate(); err != nil {
		return nil, err
	}
	res := &Result{Purpose: strings.TrimSpace(q.Purpose), CheckedAt: s.now().UTC()}
	audit := func(key string, bs []*models.Business) error {
		l := models.LookupRecord{Query: key, Purpose: res.Purpose, BusinessIDs: make([]string, len(bs)), BusinessNames: make([]string, len(bs))}
		for i, b := range bs {
			l.BusinessIDs[i], l.BusinessNames[i] = b.ID, b.Name
		}
		id, err := s.store.AuditLookup(ctx, actor, l)
		res.LookupID = id
		return err
	}
	if q.Q != "" {
		bs, _, err := s.store.FindBusinesses(ctx, models.BusinessFilter{Q: q.Q, Limit: 20, NoCount: true})
		if err != nil {
			return nil, err
		}
		if err := audit("q="+q.Q, bs); err != nil {
			return nil, err
		}
		res.Candidates = s.candidates(ctx, bs)
		return res, nil
	}
	f := models.BusinessFilter{Limit: 2, NoCount: true}
	key := ""
	if q.LicenceNo != "" {
		key = "licence_no=" + q.LicenceNo
		f.Licences = []string{models.NormaliseLicence(q.LicenceNo)}
	} else {
		key = "tax_code=" + q.TaxCode
		f.TaxCode = q.TaxCode
	}
	bs, _, err := s.store.FindBusinesses(ctx, f)
	if err != nil {
		return nil, err
	}
	if len(bs) == 0 {
		near, err := s.near(ctx, q)
		if err != nil {
			return nil, err
		}
		if err := audit(key, nil); err != nil {
			return nil, err
		}
		res.Candidates = s.candidates(ctx, near)
		return res, models.NotFound("business", "no business has this number", "không có cơ sở nào mang số này")
	}
	b := bs[0]
	rep, err := s.report(ctx, b)
	if err != nil {
		return nil, err
	}
	if err := audit(key, bs[:1]); err != nil {
		return nil, err
	}
	res.Report = rep
	return res, nil
}

// near finds businesses whose number looks like the one asked: the same digits, or one typed
// with a character wrong, missing or extra.
func (s *Service) near(ctx context.Context, q Query) ([]*models.Business, error) {
	want := models.NormaliseLicence(q.LicenceNo + q.TaxCode)
	digits := onlyDigits(want)
	if len(digits) < 4 {
		return nil, nil
	}
	// Search by the first and the last digits (one of them survives a typo), then keep the
	// numbers within two edits of the one asked.
	seen := map[string]bool{}
	var out []*models.Business
	for _, part := range []string{want[:min(5, len(want))], want[max(0, len(want)-5):]} {
		bs, _, err := s.store.FindBusinesses(ctx, models.BusinessFilter{Q: part, Limit: 200, NoCount: true})
		if err != nil {
			return nil, err
		}
		for _, b := range bs {
			if seen[b.ID] {
				continue
			}
			for _, have := range []string{models.NormaliseLicence(b.Licence()), b.TaxCode} {
				if have != "" && (editDistance(have, want) <= 2 || onlyDigits(have) == digits) {
					out = append(out, b)
					seen[b.ID] = true
					break
				}
			}
		}
	}
	return out, nil
}

// candidates lists businesses with where they are (a point and the ward's name) so that several
// can be told apart on a map.
func (s *Service) candidates(ctx context.Context, bs []*models.Business) []Candidate {
	out := make([]Candidate, 0, len(bs))
	names := map[string]string{}
	for _, b := range bs {
		out = append(out, Candidate{ID: b.ID, Name: b.Name, Address: b.Address, LicenceNo: b.LicenceNo, TaxCode: b.TaxCode, Status: b.Status,
			Lat: b.Lat, Lon: b.Lon, AreaCode: b.AreaCode, AreaName: s.areaName(ctx, names, b.AreaCode)})
	}
	return out
}

// areaName names an area, remembering the names already read; an area it cannot read has no
// name (the answer does not fail for a label).
func (s *Service) areaName(ctx context.Context, seen map[string]string, code string) string {
	if code == "" {
		return ""
	}
	if n, ok := seen[code]; ok {
		return n
	}
	n := ""
	if a, err := s.store.FindAreaByCode(ctx, code); err == nil {
		n = strings.TrimSpace(a.Name)
	}
	seen[code] = n
	return n
}

// report gathers five years of a business's history.
func (s *Service) report(ctx context.Context, b *models.Business) (*Report, error) {
	now := s.now()
	since := models.DateOf(now.In(s.loc).AddDate(-5, 0, 0))
	ins, err := s.store.FindBusinessInspections(ctx, b.ID, since.Time(s.loc), 500)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(ins))
	for i, in := range ins {
		ids[i] = in.ID
	}
	findings, err := s.store.FindFindings(ctx, ids)
	if err != nil {
		return nil, err
	}
	byIns := map[string][]*models.Finding{}
	for _, f := range findings {
		byIns[f.InspectionID] = append(byIns[f.InspectionID], f)
	}
	tasks, _, err := s.store.FindTasks(ctx, models.TaskFilter{BusinessID: b.ID})
	if err != nil {
		return nil, err
	}
	followUps := map[string]string{} // parent task -> status of its follow-up
	for _, t := range tasks {
		if t.Reason == models.ReasonFollowUp && t.ParentTaskID != nil {
			st := "pending"
			if t.Status == models.TaskDone {
				st = "done"
			}
			followUps[*t.ParentTaskID] = st
		}
	}
	// A corrected result is what the police must see: the latest amendment's outcome and
	// findings stand in for the original's.
	amendments := map[string]int{}
	latest := map[string]*models.Inspection{}
	for _, in := range ins {
		if in.AmendsID != nil {
			amendments[*in.AmendsID]++
			if l := latest[*in.AmendsID]; l == nil || in.CreatedAt.After(l.CreatedAt) {
				latest[*in.AmendsID] = in
			}
		}
	}
	rep := &Report{Business: b, AreaName: s.areaName(ctx, map[string]string{}, b.AreaCode), Inspections: []InspectionRecord{}, OpenViolations: []*models.Finding{}, Tips: []TipRecord{}, Since: since, CheckedAt: now.UTC()}
	teamNames := map[string]string{}
	inspected := false
	for _, in := range ins {
		if in.AmendsID != nil {
			continue
		}
		outcome, violations := in.Outcome, byIns[in.ID]
		if a := latest[in.ID]; a != nil {
			outcome, violations = a.Outcome, byIns[a.ID]
		}
		r := InspectionRecord{ID: in.ID, Date: models.DateOf(in.FinishedAt.In(s.loc)), Outcome: outcome, Violations: violations, FollowUp: "none",
			Amendments: amendments[in.ID], FinishedAt: in.FinishedAt}
		if r.Violations == nil {
			r.Violations = []*models.Finding{}
		}
		if in.TeamID != nil {
			if _, ok := teamNames[*in.TeamID]; !ok {
				if t, err := s.store.FindTeamByID(ctx, *in.TeamID); err == nil {
					teamNames[*in.TeamID] = t.Name
				}
			}
			r.Team = teamNames[*in.TeamID]
		}
		if in.TaskID != nil {
			if st, ok := followUps[*in.TaskID]; ok {
				r.FollowUp = st
			}
		}
		if models.Inspected(outcome) {
			inspected = true
		}
		for _, f := range r.Violations {
			if f.ResolvedOn.IsZero() {
				rep.OpenViolations = append(rep.OpenViolations, f)
			}
		}
		rep.Inspections = append(rep.Inspections, r)
	}
	sort.Slice(rep.Inspections, func(i, j int) bool { return rep.Inspections[i].FinishedAt.After(rep.Inspections[j].FinishedAt) })
	hadViolation := false
	for _, r := range rep.Inspections {
		if len(r.Violations) > 0 {
			hadViolation = true
		}
	}
	switch {
	case len(rep.OpenViolations) > 0:
		rep.Summary = SummaryOpenViolations
	case !inspected:
		rep.Summary = SummaryNeverInspected
	case hadViolation:
		rep.Summary = SummaryViolationsResolved
	default:
		rep.Summary = SummaryClear
	}
	tips, _, err := s.store.FindTips(ctx, models.TipFilter{BusinessID: b.ID})
	if err != nil {
		return nil, err
	}
	for _, t := range tips {
		rep.Tips = append(rep.Tips, TipRecord{ID: t.ID, ReceivedAt: t.ReceivedAt, Status: t.Status, Type: t.TipType, Handling: t.Handling, HandledAt: t.HandledAt})
	}
	today := models.DateOf(now.In(s.loc))
	sns, _, err := s.store.FindSanctions(ctx, models.SanctionFilter{BusinessID: b.ID, Loc: s.loc, Today: today})
	if err != nil {
		return nil, err
	}
	rep.Sanctions = make([]SanctionRecord, 0, len(sns))
	for _, sn := range sns {
		rep.Sanctions = append(rep.Sanctions, SanctionRecord{Sanction: sn, Forms: sn.Forms(), Overdue: sn.Overdue(today)})
	}
	if rep.Certificate, err = s.store.FindCertificate(ctx, b.ID); err != nil {
		return nil, err
	}
	rep.CertificateStatus = rep.Certificate.StatusOn(today)
	return rep, nil
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// editDistance is the Levenshtein distance between two short strings.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
