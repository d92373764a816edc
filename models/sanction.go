package models

import (
	"context"
	"encoding/json"
	"slices"
	"time"
)

// Sanction statuses. A sanction's status follows from what it records (Sanction.Derive): a
// proposal, then a decision, then compliance (the fine paid and every measure done); a referral
// to the police takes it out of the administrative path at any step.
const (
	SanctionProposed = "proposed" // a team lead or planner proposed it from a finding
	SanctionDecided  = "decided"  // the competent authority's decision is recorded
	SanctionComplied = "complied" // the fine is paid and every remedial measure is done
	SanctionReferred = "referred" // handed to the police (criminal signs)
)

// SanctionStatuses lists the statuses in their order.
var SanctionStatuses = []string{SanctionProposed, SanctionDecided, SanctionComplied, SanctionReferred}

// Sanction forms, as reports count them.
const (
	FormWarning      = "warning"
	FormFine         = "fine"
	FormConfiscation = "confiscation"
	FormSuspension   = "suspension"
	FormWithdrawal   = "withdrawal"
	FormRemedial     = "remedial"
)

// SanctionForms lists the forms in the order of the reports.
var SanctionForms = []string{FormWarning, FormFine, FormConfiscation, FormSuspension, FormWithdrawal, FormRemedial}

// FinePaymentDays is how long a fined business has to pay from the decision (Law on Handling
// Administrative Violations, Art. 73: ten days from receiving the decision).
const FinePaymentDays = 10

// Penalty is what the catalogue says of a violation code for a sanction: the article that
// sanctions it and the fine range for an individual (VND). SecurityOrder marks a sanction on
// security and order (Decree 96/2016 Art. 18.2 counts them).
type Penalty struct {
	Code          string `json:"code"`
	Article       string `json:"article"`
	FineMin       int64  `json:"fine_min"`
	FineMax       int64  `json:"fine_max"`
	SecurityOrder bool   `json:"security_order"`
	Verified      bool   `json:"verified"`
}

// RemedialMeasure is a remedial measure of a decision, with its deadline and when it was done.
type RemedialMeasure struct {
	Text     string `json:"text"`
	Deadline Date   `json:"deadline"`
	DoneOn   Date   `json:"done_on"`
}

// Sanction is the administrative sanction of a business for a violation, from the proposal to
// compliance or a referral to the police.
type Sanction struct {
	ID            string  `json:"id" gorm:"primaryKey"`
	BusinessID    string  `json:"business_id"`
	AreaCode      string  `json:"area_code"` // the business's unit when proposed
	InspectionID  *string `json:"inspection_id"`
	ViolationCode string  `json:"violation_code"`
	Status        string  `json:"status"`
	// The proposal: the catalogue's article and range when it was made.
	PenaltyArticle string    `json:"penalty_article"`
	FineMin        int64     `json:"fine_min"`
	FineMax        int64     `json:"fine_max"`
	SecurityOrder  bool      `json:"security_order"`
	ProposalNote   string    `json:"proposal_note"`
	ProposedBy     string    `json:"proposed_by"`
	ProposedAt     time.Time `json:"proposed_at"`
	// The decision.
	DecisionNo      string            `json:"decision_no"`
	DecisionDate    Date              `json:"decision_date"`
	Authority       string            `json:"authority"`
	Warning         bool              `json:"warning"`
	FineAmount      int64             `json:"fine_amount"`
	Confiscation    string            `json:"confiscation"`
	SuspensionStart Date              `json:"suspension_start"`
	SuspensionEnd   Date              `json:"suspension_end"`
	Withdrawal      bool              `json:"withdrawal"`
	WithdrawalStart Date              `json:"withdrawal_start"`
	WithdrawalEnd   Date              `json:"withdrawal_end"`
	MeasuresJSON    string            `json:"-" gorm:"column:measures"`
	Measures        []RemedialMeasure `json:"measures" gorm:"-"`
	DecidedBy       string            `json:"decided_by"`
	DecidedAt       *time.Time        `json:"decided_at"`
	FollowUpTaskID  *string           `json:"follow_up_task_id"`
	// Compliance.
	PaidOn     Date   `json:"paid_on"`
	PaidAmount int64  `json:"paid_amount"`
	ReceiptNo  string `json:"receipt_no"`
	// The referral to the police.
	ReferredOn      Date   `json:"referred_on"`
	PoliceCaseNo    string `json:"police_case_no"`
	ReferralOutcome string `json:"referral_outcome"`

	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// TableName is the table of sanctions.
func (Sanction) TableName() string { return "sanctions" }

// EncodeMeasures writes Measures into the stored column.
func (s *Sanction) EncodeMeasures() {
	if s.Measures == nil {
		s.Measures = []RemedialMeasure{}
	}
	b, _ := json.Marshal(s.Measures)
	s.MeasuresJSON = string(b)
}

// DecodeMeasures reads Measures from the stored column.
func (s *Sanction) DecodeMeasures() {
	s.Measures = []RemedialMeasure{}
	if s.MeasuresJSON != "" {
		_ = json.Unmarshal([]byte(s.MeasuresJSON), &s.Measures)
	}
}

// Decided reports whether the decision is recorded.
func (s *Sanction) Decided() bool { return s.DecisionNo != "" }

// Forms lists the decision's forms in the reports' order.
func (s *Sanction) Forms() []string {
	out := []string{}
	if !s.Decided() {
		return out
	}
	if s.Warning {
		out = append(out, FormWarning)
	}
	if s.FineAmount > 0 {
		out = append(out, FormFine)
	}
	if s.Confiscation != "" {
		out = append(out, FormConfiscation)
	}
	if !s.SuspensionEnd.IsZero() {
		out = append(out, FormSuspension)
	}
	if s.Withdrawal {
		out = append(out, FormWithdrawal)
	}
	if len(s.Measures) > 0 {
		out = append(out, FormRemedial)
	}
	return out
}

// FineDue is the last day to pay the fine (zero without a fine).
func (s *Sanction) FineDue() Date {
	if !s.Decided() || s.FineAmount == 0 {
		return Date{}
	}
	return s.DecisionDate.AddDays(FinePaymentDays)
}

// NextDue is the earliest deadline still open: the fine's payment or a measure not done (zero
// when nothing is pending).
func (s *Sanction) NextDue() Date {
	if !s.Decided() || s.Status == SanctionReferred {
		return Date{}
	}
	var due Date
	if s.FineAmount > 0 && s.PaidOn.IsZero() {
		due = s.FineDue()
	}
	for _, m := range s.Measures {
		if m.DoneOn.IsZero() && !m.Deadline.IsZero() && (due.IsZero() || m.Deadline.Before(due)) {
			due = m.Deadline
		}
	}
	return due
}

// Overdue reports whether a deadline has passed on today with its step not done.
func (s *Sanction) Overdue(today Date) bool {
	d := s.NextDue()
	return !d.IsZero() && d.Before(today)
}

// Derive sets the status from what the sanction records.
func (s *Sanction) Derive() {
	switch {
	case !s.ReferredOn.IsZero():
		s.Status = SanctionReferred
	case !s.Decided():
		s.Status = SanctionProposed
	case (s.FineAmount == 0 || !s.PaidOn.IsZero()) && !slices.ContainsFunc(s.Measures, func(m RemedialMeasure) bool { return m.DoneOn.IsZero() }):
		s.Status = SanctionComplied
	default:
		s.Status = SanctionDecided
	}
}

// MaxSanctionText is the longest free text of a sanction (a note, a measure, an outcome).
const MaxSanctionText = 1000

// SanctionFilter selects sanctions.
type SanctionFilter struct {
	BusinessID string
	Status     string
	AreaPath   string // businesses (by the sanction's unit) in this subtree
	Overdue    bool
	Today      Date           // for Overdue
	From, To   Date           // decided (or proposed, while undecided) on From..To, both included
	Loc        *time.Location // the users' calendar, for the proposals' days
	Limit      int
}

// Certificate statuses.
const (
	CertValid     = "valid"
	CertSuspended = "suspended"
	CertWithdrawn = "withdrawn"
	CertNone      = "none" // the registry knows no certificate of the business
)

// Certificate flags.
const (
	// FlagArt18 is raised when Decree 96/2016 Art. 18.2's condition is met: sanctioned at
	// least twice in 12 months on security and order.
	FlagArt18 = "art18_repeat_sanctions"
)

// Certificate is a business's security-and-order certificate as the police see it (Decree
// 96/2016): its number, when it was issued, its status and the flag the nightly rule raises.
type Certificate struct {
	BusinessID     string     `json:"business_id" gorm:"primaryKey"`
	Number         string     `json:"number"`
	IssuedOn       Date       `json:"issued_on"`
	Status         string     `json:"status"`
	SuspendedUntil Date       `json:"suspended_until"`
	WithdrawnOn    Date       `json:"withdrawn_on"`
	WithdrawnUntil Date       `json:"withdrawn_until"` // the end of a withdrawal for a period (Art. 18.2: 3-6 months)
	Flag           string     `json:"flag"`
	FlaggedAt      *time.Time `json:"flagged_at"`
	FlagReason     string     `json:"flag_reason"`
	Version        int        `json:"version"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// TableName is the table of certificates.
func (Certificate) TableName() string { return "security_certificates" }

// StatusOn is the certificate's status on a day: a suspension ends by itself.
func (c *Certificate) StatusOn(today Date) string {
	if c.Status == CertSuspended && !c.SuspendedUntil.IsZero() && c.SuspendedUntil.Before(today) {
		return CertValid
	}
	return c.Status
}

// CertificateEvent is one step in a certificate's history.
type CertificateEvent struct {
	ID         int64     `json:"id" gorm:"primaryKey;autoIncrement"`
	BusinessID string    `json:"business_id"`
	At         time.Time `json:"at"`
	Event      string    `json:"event"` // issued, suspend, withdraw, flag
	Status     string    `json:"status"`
	StartsOn   Date      `json:"starts_on"`
	Until      Date      `json:"until"`
	SanctionID *string   `json:"sanction_id"`
	Note       string    `json:"note"`
	Actor      string    `json:"actor"`
}

// TableName is the table of certificate history.
func (CertificateEvent) TableName() string { return "certificate_events" }

// CertificateView is a certificate with its history, newest first.
type CertificateView struct {
	*Certificate
	History []*CertificateEvent `json:"history"`
}

// SanctionFigures counts sanctions for a report: decisions by form, fines decided and
// collected (count and amount, VND), referrals.
type SanctionFigures struct {
	Decisions     int   `json:"sanction_decisions"`
	Warnings      int   `json:"sanction_warnings"`
	Fines         int   `json:"sanction_fines"`
	FinesAmount   int64 `json:"sanction_fines_amount"`
	FinesPaid     int   `json:"sanction_fines_paid"`
	FinesPaidSum  int64 `json:"sanction_fines_collected"`
	Confiscations int   `json:"sanction_confiscations"`
	Suspensions   int   `json:"sanction_suspensions"`
	Withdrawals   int   `json:"sanction_withdrawals"`
	Referrals     int   `json:"sanction_referrals"`
	Overdue       int   `json:"sanction_overdue"`
}

// Add adds another unit's figures.
func (f *SanctionFigures) Add(o SanctionFigures) {
	f.Decisions += o.Decisions
	f.Warnings += o.Warnings
	f.Fines += o.Fines
	f.FinesAmount += o.FinesAmount
	f.FinesPaid += o.FinesPaid
	f.FinesPaidSum += o.FinesPaidSum
	f.Confiscations += o.Confiscations
	f.Suspensions += o.Suspensions
	f.Withdrawals += o.Withdrawals
	f.Referrals += o.Referrals
	f.Overdue += o.Overdue
}

// SanctionStore keeps sanctions and certificates.
type SanctionStore interface {
	// CreateSanction stores a proposal; created is false when s.ID names a stored sanction with
	// the same business, violation and inspection (a retry); conflict when it differs.
	CreateSanction(ctx context.Context, actor string, s *Sanction) (stored *Sanction, created bool, err error)
	// FindSanctionByID returns not_found when the id is unknown.
	FindSanctionByID(ctx context.Context, id string) (*Sanction, error)
	// FindSanctions returns matching sanctions, newest first, and their count.
	FindSanctions(ctx context.Context, f SanctionFilter) ([]*Sanction, int, error)
	// SaveSanction stores s when version is current (conflict otherwise), audits action, creates
	// task when given (the follow-up visit) and applies cert (a suspension or withdrawal of the
	// certificate) in one transaction.
	SaveSanction(ctx context.Context, actor, action string, s *Sanction, version int, task *Task, cert *CertificateEvent) error
	// FindCertificate returns a business's certificate and history (status none without
	// one); not_found for an unknown business.
	FindCertificate(ctx context.Context, businessID string) (*CertificateView, error)
	// FlagCertificate raises a flag on a business's certificate unless it is raised already
	// (raised false), creating the certificate from the registry's number when missing.
	FlagCertificate(ctx context.Context, actor, businessID, flag, reason string) (raised bool, err error)
	// SecuritySanctionsSince returns the decided sanctions on security and order dated on or
	// after since, of every business, for the nightly rule.
	SecuritySanctionsSince(ctx context.Context, since Date) ([]*Sanction, error)
}
