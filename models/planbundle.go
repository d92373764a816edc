package models

import (
	"encoding/json"
	"time"
)

// PlanBundleFormat names the version of the verification bundle's layout. A reader refuses a
// bundle of another format rather than guess what its fields mean.
const PlanBundleFormat = "kiemtra-plan-bundle/1"

// PlanBundle is a plan's public verification bundle: everything an outsider needs to re-derive
// the plan's selection without a database or an account (`kiemtra verify-plan FILE`,
// docs/verification.md). Before the seed is revealed it holds only the commitments (the inputs
// hash and the seed hash) and the counts: Inputs, Seed and Selection are left out, because the
// selection tells who is inspected next.
type PlanBundle struct {
	Format        string `json:"format"`
	PlanID        string `json:"plan_id"`
	ProgrammeID   string `json:"programme_id"`
	ProgrammeCode string `json:"programme_code"`
	ProgrammeName string `json:"programme_name"`
	Year          int    `json:"year"`
	Status        string `json:"status"`
	Revealed      bool   `json:"revealed"`
	// CommittedAt is when the plan, its inputs hash and its seed hash were recorded.
	CommittedAt time.Time `json:"committed_at"`
	// InputsSHA256 is the hash the audit log recorded when the plan was created: SHA-256 of the
	// inputs' compact JSON text.
	InputsSHA256 string `json:"inputs_sha256"`
	// SeedSHA256 is the published commitment to the seed: SHA-256 of the seed's text.
	SeedSHA256 string `json:"seed_sha256"`
	// SeedDerivation says how the seed drives the draws.
	SeedDerivation string           `json:"seed_derivation"`
	Counts         PlanBundleCounts `json:"counts"`
	// Notice says, in English and Vietnamese, what is not in the bundle yet.
	Notice   string `json:"notice,omitempty"`
	NoticeVI string `json:"notice_vi,omitempty"`
	// After the reveal only.
	Seed           string          `json:"seed,omitempty"`
	SeedRevealedAt *time.Time      `json:"seed_revealed_at,omitempty"`
	Inputs         json.RawMessage `json:"inputs,omitempty"` // the planner's inputs, as stored
	// Selection is the stored plan's items ordered by business id.
	Selection []PlanBundleItem `json:"selection,omitempty"`
}

// PlanBundleCounts are a plan's headline figures, public before the reveal.
type PlanBundleCounts struct {
	InScope       int `json:"in_scope"`
	Uninspected   int `json:"uninspected"`
	MustCover     int `json:"must_cover"`
	Reinspections int `json:"reinspections"`
	Total         int `json:"total"`
}

// PlanBundleItem is one selected business with its group, inclusion probability and week.
type PlanBundleItem struct {
	BusinessID    string  `json:"business_id"`
	Group         string  `json:"group"`
	InclusionProb float64 `json:"inclusion_prob"`
	WeekStart     Date    `json:"week_start"` // zero when no team had capacity left
	AreaCode      string  `json:"area_code"`
}
