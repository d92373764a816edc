package models

// RiskFactor is one factor of a business's risk score in a yearly plan.
type RiskFactor struct {
	Name string `json:"name"` // category, violations, tips, last_inspected, opened, nearby
	VI   string `json:"vi"`
	EN   string `json:"en"`
	// Value is what the factor reads from the business's history (a count, a weighted count,
	// years, a base risk); Contribution is the multiplier it applies to the score.
	Value        float64 `json:"value"`
	Contribution float64 `json:"contribution"`
}

// PlanItemRisk says why a plan selected a business: its risk score and factors as the plan's
// stored inputs give them, and its inclusion probability beside the uniform one of its stratum.
type PlanItemRisk struct {
	PlanID     string  `json:"plan_id"`
	BusinessID string  `json:"business_id"`
	AreaCode   string  `json:"area_code"`
	Group      string  `json:"group"`
	Rules      int     `json:"rules"`
	Score      float64 `json:"score"`
	// Capped is true when the factors' product lay outside the score's bounds.
	Capped  bool         `json:"capped"`
	Factors []RiskFactor `json:"factors"`
	// InclusionProb is the business's chance of selection recorded with the item; UniformProb
	// the chance uniform sampling of its stratum (group and ward) would have given; Floor the
	// least share of UniformProb the plan's rules guarantee (0 before rules v2).
	InclusionProb float64 `json:"inclusion_prob"`
	UniformProb   float64 `json:"uniform_prob"`
	Floor         float64 `json:"floor"`
}
