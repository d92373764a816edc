package models

// Category is a business category in the programme's scope.
type Category struct {
	Code                        string   `json:"code"`
	VI                          string   `json:"vi"`
	EN                          string   `json:"en"`
	BaseRisk                    float64  `json:"base_risk"`
	SecurityCertificateRequired bool     `json:"security_certificate_required"`
	Legal                       []string `json:"legal"`
}

// ViolationType is a violation code that inspection findings use.
type ViolationType struct {
	Code          string `json:"code"`
	VI            string `json:"vi"`
	EN            string `json:"en"`
	Severity      string `json:"severity"` // low, medium, high, critical
	ReferToPolice bool   `json:"refer_to_police"`
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
