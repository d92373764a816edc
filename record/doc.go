// Package record makes the inspection record (biên bản kiểm tra): its content, built from one
// version of an inspection and the data around it; the signatures a phone sends for it; and its
// PDF in the official layout, with an embedded DejaVu font so that Vietnamese reads on any
// reader.
package record

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"kiemtra/models"
)

// Doc is the content of a record as it is printed and hashed. A signed record keeps the Doc of
// the moment it was signed, so that later renames of a team or a business do not change it.
type Doc struct {
	InspectionID string `json:"inspection_id"`
	OriginalID   string `json:"original_id"`
	// Version is the inspection's version: 1 the original result, 2 its first amendment...
	Version  int    `json:"version"`
	Agency   string `json:"agency"` // the issuing body
	Team     string `json:"team"`
	Decision string `json:"decision"` // the plan and the task the team acted on
	// TeamDecision cites the decision that set the team up. omitempty: records signed before
	// teams carried one keep the hash they were signed with.
	TeamDecision   string         `json:"team_decision,omitempty"`
	Place          string         `json:"place"`
	StartedAt      time.Time      `json:"started_at"`
	FinishedAt     time.Time      `json:"finished_at"`
	Participants   []Participant  `json:"participants"`
	Business       Business       `json:"business"`
	Representative Representative `json:"representative"`
	Outcome        string         `json:"outcome"` // its Vietnamese name
	Answers        []AnswerLine   `json:"answers"`
	Findings       []FindingLine  `json:"findings"`
	Notes          string         `json:"notes"`
	Statement      string         `json:"statement"`
	Refused        bool           `json:"refused"`
	RefusalNote    string         `json:"refusal_note"`
	Inspector      string         `json:"inspector"` // who signed for the team
	// The signatures' SHA-256; both empty on a record not signed yet.
	InspectorSignatureSHA256      string `json:"inspector_signature_sha256"`
	RepresentativeSignatureSHA256 string `json:"representative_signature_sha256"`
}

// Participant is a team member present at the inspection.
type Participant struct {
	Name   string `json:"name"`
	Agency string `json:"agency"`
}

// Business is the inspected business as the record names it.
type Business struct {
	Name           string `json:"name"`
	Category       string `json:"category"`
	Address        string `json:"address"`
	LicenceNo      string `json:"licence_no"`
	SecurityCertNo string `json:"security_cert_no"`
	TaxCode        string `json:"tax_code"`
	OwnerName      string `json:"owner_name"`
}

// Representative is who received the team for the business.
type Representative struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// AnswerLine is one checklist question and its answer.
type AnswerLine struct {
	ItemID   string   `json:"item_id"`
	Question string   `json:"question"`
	Answer   string   `json:"answer"` // its Vietnamese name
	Note     string   `json:"note"`
	Legal    []string `json:"legal"`
}

// FindingLine is one violation found, with its legal references.
type FindingLine struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Severity string   `json:"severity"`
	Note     string   `json:"note"`
	Legal    []string `json:"legal"`
}

// Signed reports whether the record carries the team's signature.
func (d *Doc) Signed() bool { return d.InspectorSignatureSHA256 != "" }

// Hash is the SHA-256 of the record's content, the value the audit log holds.
func (d *Doc) Hash() (string, []byte, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return "", nil, fmt.Errorf("encoding the record: %w", err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:]), b, nil
}

// Facts is what a record is built from: one inspection version and what it points to. Task,
// Plan and Record may be nil.
type Facts struct {
	Inspection *models.Inspection
	Version    int
	Findings   []*models.Finding
	Business   *models.Business
	Team       *models.Team
	Task       *models.Task
	Plan       *models.Plan
	Members    []*models.User // in the order the inspection lists them
	Agencies   map[string]*models.Agency
	Record     *models.InspectionRecord
	Signer     *models.User // who signed for the team
	Checklist  *models.Checklist
	Violations []models.ViolationType
	Reference  *models.Reference
	Location   *time.Location
}

// Build makes a record's content from its facts.
func Build(f Facts) (*Doc, error) {
	in := f.Inspection
	loc := f.Location
	if loc == nil {
		loc = time.UTC
	}
	d := &Doc{InspectionID: in.ID, OriginalID: in.ID, Version: f.Version, StartedAt: in.StartedAt.In(loc), FinishedAt: in.FinishedAt.In(loc),
		Notes: in.Notes, Participants: []Participant{}, Answers: []AnswerLine{}, Findings: []FindingLine{}}
	if in.AmendsID != nil {
		d.OriginalID = *in.AmendsID
	}
	if d.Version < 1 {
		d.Version = 1
	}
	label := func(kind, code string) string {
		if f.Reference != nil {
			if l, ok := f.Reference.Labels[kind][code]; ok && l.VI != "" {
				return l.VI
			}
		}
		return code
	}
	d.Outcome = label("outcome", in.Outcome)
	if b := f.Business; b != nil {
		d.Business = Business{Name: b.Name, Category: categoryName(f.Reference, b.Category), Address: b.Address, SecurityCertNo: b.SecurityCertNo,
			TaxCode: b.TaxCode, OwnerName: b.OwnerName}
		if b.LicenceNo != nil {
			d.Business.LicenceNo = *b.LicenceNo
		}
		d.Place = b.Address
	}
	agencyName := func(code string) string {
		if a := f.Agencies[code]; a != nil && a.NameVI != "" {
			return a.NameVI
		}
		return code
	}
	for _, u := range f.Members {
		d.Participants = append(d.Participants, Participant{Name: displayName(u), Agency: agencyName(u.Agency)})
	}
	if f.Team != nil {
		d.Team = f.Team.Name
		d.TeamDecision = f.Team.DecisionText()
	}
	// The issuing body is the agency of whoever signs for the team, else of the first member.
	switch {
	case f.Signer != nil:
		d.Agency = agencyName(f.Signer.Agency)
	case len(f.Members) > 0:
		d.Agency = agencyName(f.Members[0].Agency)
	}
	if f.Signer != nil {
		d.Inspector = displayName(f.Signer)
	}
	var decision []string
	if f.Plan != nil {
		decision = append(decision, fmt.Sprintf("Kế hoạch kiểm tra năm %d (số %s)", f.Plan.Year, f.Plan.ID))
	}
	if f.Task != nil {
		decision = append(decision, "Nhiệm vụ "+f.Task.ID+": "+label("task_reason", f.Task.Reason))
	}
	d.Decision = strings.Join(decision, "; ")

	items := map[string]models.ChecklistItem{}
	legalOf := map[string][]string{}
	if f.Checklist != nil {
		for _, it := range f.Checklist.Items {
			items[it.ID] = it
			if it.Violation != "" {
				legalOf[it.Violation] = appendNew(legalOf[it.Violation], it.Legal...)
			}
		}
	}
	var answers []models.Answer
	if in.Answers != "" {
		if err := json.Unmarshal([]byte(in.Answers), &answers); err != nil {
			return nil, fmt.Errorf("reading the answers of %s: %w", in.ID, err)
		}
	}
	answerName := map[string]string{"yes": "Có", "no": "Không", "na": "Không áp dụng"}
	for _, a := range answers {
		it := items[a.ItemID]
		q := it.VI
		if q == "" {
			q = a.ItemID
		}
		d.Answers = append(d.Answers, AnswerLine{ItemID: a.ItemID, Question: q, Answer: answerName[a.Answer], Note: a.Note, Legal: nonNil(it.Legal)})
	}
	names := map[string]models.ViolationType{}
	for _, v := range f.Violations {
		names[v.Code] = v
	}
	findings := append([]*models.Finding(nil), f.Findings...)
	sort.SliceStable(findings, func(i, j int) bool { return findings[i].Code < findings[j].Code })
	for _, fd := range findings {
		name := names[fd.Code].VI
		if name == "" {
			name = fd.Code
		}
		d.Findings = append(d.Findings, FindingLine{Code: fd.Code, Name: name, Severity: label("severity", fd.Severity), Note: fd.Note, Legal: nonNil(legalOf[fd.Code])})
	}
	if r := f.Record; r != nil {
		d.Representative = Representative{Name: r.RepresentativeName, Role: r.RepresentativeRole}
		d.Statement, d.Refused, d.RefusalNote = r.Statement, r.Refused, r.RefusalNote
		d.InspectorSignatureSHA256, d.RepresentativeSignatureSHA256 = r.InspectorSignatureSHA256, r.RepresentativeSignatureSHA256
	}
	return d, nil
}

func categoryName(ref *models.Reference, code string) string {
	if ref != nil {
		for _, c := range ref.Categories {
			if c.Code == code {
				return c.VI
			}
		}
	}
	return code
}

func displayName(u *models.User) string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

func appendNew(list []string, xs ...string) []string {
	for _, x := range xs {
		found := false
		for _, y := range list {
			found = found || x == y
		}
		if !found {
			list = append(list, x)
		}
	}
	return list
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
