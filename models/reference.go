package models

// Category is a business category in the programme's scope.
type Category struct {
	Code                        string   `json:"code"`
	VI                          string   `json:"vi"`
	EN                          string   `json:"en"`
	ShortVI                     string   `json:"short_vi"`
	ShortEN                     string   `json:"short_en"`
	BaseRisk                    float64  `json:"base_risk"`
	SecurityCertificateRequired bool     `json:"security_certificate_required"`
	Legal                       []string `json:"legal"`
}

// ViolationType is a violation code that inspection findings use, with what a sanction of it
// rests on. A fine range is nil until planners enter it: the shipped catalogue gives none.
type ViolationType struct {
	Code           string   `json:"code"`
	VI             string   `json:"vi"`
	EN             string   `json:"en"`
	Severity       string   `json:"severity"` // low, medium, high, critical
	ReferToPolice  bool     `json:"refer_to_police"`
	LegalBasis     []string `json:"legal_basis"`     // the rules the duty comes from
	PenaltyArticle string   `json:"penalty_article"` // the article that sets the sanction; "" when not entered
	FineMinVND     *int64   `json:"fine_min_vnd"`
	FineMaxVND     *int64   `json:"fine_max_vnd"`
}

// ChecklistItem is one question of the inspection checklist.
type ChecklistItem struct {
	ID            string   `json:"id"`
	Categories    []string `json:"categories"`
	VI            string   `json:"vi"`
	EN            string   `json:"en"`
	Answer        string   `json:"answer"` // yes_no, ...
	NoIsViolation bool     `json:"no_is_violation"`
	Violation     string   `json:"violation"`
	Legal         []string `json:"legal"`
}

// Checklist is a versioned set of checklist items.
type Checklist struct {
	Version int             `json:"version"`
	Items   []ChecklistItem `json:"items"`
}

// Label is what a user reads for a code, in Vietnamese and English.
type Label struct {
	VI string `json:"vi"`
	EN string `json:"en"`
}

// OnSiteRule is when a check-in counts as at the business: within RadiusM plus the phone's
// reported accuracy, counting at most MaxAccuracyM of it.
type OnSiteRule struct {
	RadiusM      float64 `json:"radius_m"`
	MaxAccuracyM float64 `json:"max_accuracy_m"`
}

// Reference is every table the front-ends need to name codes: served once by the server
// instead of copied into each front-end.
type Reference struct {
	Categories []Category                  `json:"categories"`
	Violations []ViolationType             `json:"violations"`
	Labels     map[string]map[string]Label `json:"labels"` // kind (role, tip_status, ...) -> code -> label
	OnSite     OnSiteRule                  `json:"on_site"`
}

// Label kinds of Reference.Labels.
const (
	LabelRole           = "role"
	LabelTipStatus      = "tip_status"
	LabelTipType        = "tip_type"
	LabelTipSeverity    = "tip_severity"
	LabelTipHandling    = "tip_handling"
	LabelTipChannel     = "tip_channel"
	LabelTaskStatus     = "task_status"
	LabelTaskReason     = "task_reason"
	LabelOutcome        = "outcome"
	LabelBusinessStatus = "business_status"
	LabelPlanStatus     = "plan_status"
	LabelFlag           = "flag"
	LabelSeverity       = "severity"
	LabelSanctionStatus = "sanction_status"
	LabelSanctionForm   = "sanction_form"
	LabelCertStatus     = "certificate_status"
	LabelCertFlag       = "certificate_flag"
	LabelCertEvent      = "certificate_event"
)
