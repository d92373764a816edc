package models

import (
	"encoding/json"
	"time"
)

// PlanBundleFormat names the version of the verification bundle's layout. A reader refuses a
// bundle of another format rather than guess what its fields mean.
const PlanBundleFormat = "kiemtra-plan-bundle/2"

// PlanBundleFormatV1 is the layout before lottery seeds (no secret, draw or commits); such a
// bundle, downloaded before, still checks.
const PlanBundleFormatV1 = "kiemtra-plan-bundle/1"

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
	// SeedSource is where the seed came from (SeedSourceServer, SeedSourceLottery).
	SeedSource string `json:"seed_source"`
	// SecretSHA256 is the commitment to the server's part of the seed, recorded with the inputs
	// hash before the draw; Draw names the public draw that completes the seed.
	SecretSHA256 string    `json:"secret_sha256,omitempty"`
	Draw         *PlanDraw `json:"draw,omitempty"`
	// Commits are every plan committed for the programme's year, oldest first: a second one is
	// a re-draft, and one made once an earlier plan's draw was known is marked.
	Commits []PlanCommit `json:"commits"`
	// Warnings say, in English and Vietnamese, what the bundle cannot prove.
	Warnings   []string `json:"warnings"`
	WarningsVI []string `json:"warnings_vi"`
	// SeedDerivation says how the seed drives the draws.
	SeedDerivation string           `json:"seed_derivation"`
	Counts         PlanBundleCounts `json:"counts"`
	// Notice says, in English and Vietnamese, what is not in the bundle yet.
	Notice   string `json:"notice,omitempty"`
	NoticeVI string `json:"notice_vi,omitempty"`
	// After the reveal only.
	Secret         string          `json:"secret,omitempty"`
	Seed           string          `json:"seed,omitempty"`
	SeedRevealedAt *time.Time      `json:"seed_revealed_at,omitempty"`
	Inputs         json.RawMessage `json:"inputs,omitempty"` // the planner's inputs, as stored
	// Selection is the stored plan's items ordered by business id.
	Selection []PlanBundleItem `json:"selection,omitempty"`
}

// PlanDraw is the public draw a plan's seed waits for, and its result once entered.
type PlanDraw struct {
	Source     string     `json:"source"`
	Name       string     `json:"name"`
	NameVI     string     `json:"name_vi"`
	Date       Date       `json:"date"`
	Result     string     `json:"result,omitempty"`
	EnteredAt  *time.Time `json:"entered_at,omitempty"`
	SeedSHA256 string     `json:"seed_sha256,omitempty"` // recorded when the result was entered
}

// PlanCommit is one plan committed for a programme's year.
type PlanCommit struct {
	PlanID      string    `json:"plan_id"`
	Attempt     int       `json:"attempt"`
	CommittedAt time.Time `json:"committed_at"`
	Status      string    `json:"status"`
	Reason      string    `json:"reason,omitempty"`
	SeedSource  string    `json:"seed_source"`
	DrawDate    Date      `json:"draw_date,omitempty"`
	// AfterEarlierDraw: committed on or after the draw date of an earlier plan of the year, when
	// that plan's selection could be known; AfterEarlierSelection: after an earlier plan had a
	// selection at all (a server seed, or a draw result entered).
	AfterEarlierDraw      bool `json:"after_earlier_draw"`
	AfterEarlierSelection bool `json:"after_earlier_selection"`
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
