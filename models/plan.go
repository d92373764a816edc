package models

import (
	"context"
	"time"
)

// Plan statuses.
const (
	// PlanCommitted: the inputs and the server's secret are committed (their hashes published)
	// and the plan waits for the public draw that completes its seed; no selection exists yet.
	PlanCommitted  = "committed"
	PlanDraft      = "draft"      // figures and selection made; no tasks yet
	PlanApproved   = "approved"   // its selection became tasks; at most one per programme and year
	PlanSuperseded = "superseded" // a draft replaced by a newer draft of the same year
)

// Plan groups.
const (
	GroupMustCover = "must_cover"   // never inspected in the programme
	GroupReinspect = "reinspection" // inspected before, drawn again by risk
	GroupAddedLate = "added"        // joined during the year (opened in the last year)
)

// Seed sources: where a plan's seed came from.
const (
	// SeedSourceServer: the server drew the seed when it drafted the plan, after the inputs were
	// known (the plans before the lottery seeds). Whoever runs the server could re-draft until a
	// selection suited them, so such a plan's fairness rests on trust in the operator.
	SeedSourceServer = "server"
	// SeedSourceLottery: the seed is derived from a secret committed with the inputs and the
	// result of a named public lottery draw held after the commit (DESIGN.md, "The planner").
	SeedSourceLottery = "lottery"
)

// DrawSource is a public draw whose result completes a plan's seed: drawn in public by a body
// the inspection agencies do not control, and published the same day.
type DrawSource struct {
	Code   string       `json:"code"`
	Name   string       `json:"name"`
	NameVI string       `json:"name_vi"`
	Day    time.Weekday `json:"weekday"`
	// ResultsFrom is the local time from which the day's result is known ("16:40"): a result
	// entered earlier cannot be the draw's.
	ResultsFrom string `json:"results_from"`
	Digits      int    `json:"digits"` // of the result that the seed uses
}

// DrawCanTho is the weekly draw of the Can Tho lottery company (Xổ số kiến thiết Cần Thơ), on
// Wednesdays from 16:15; the seed uses its special prize, six digits.
var DrawCanTho = DrawSource{Code: "xskt-cantho", Name: "Can Tho lottery (xổ số kiến thiết), special prize",
	NameVI: "Xổ số kiến thiết Cần Thơ, giải đặc biệt", Day: time.Wednesday, ResultsFrom: "16:40", Digits: 6}

// DrawSources are the draws a plan may name, by code.
var DrawSources = map[string]DrawSource{DrawCanTho.Code: DrawCanTho}

// DraftOptions are a planner's choices when drafting a yearly plan.
type DraftOptions struct {
	DryRun bool // figures only: nothing is stored or committed
	// DrawDate is the date of the public draw that will complete the seed: after today, on the
	// source's weekday; zero: the source's next draw.
	DrawDate   Date
	DrawSource string // zero: DrawCanTho
	// Reason is required when the year already has a plan: a second draft is published as such.
	Reason string
}

// Plan is a programme's yearly plan: which businesses to inspect and in which week. The plan
// is committed first (its inputs and a secret, by their hashes, published before the seed
// exists); the seed then comes from the secret and the result of a named public draw held
// after the commit, and the selection from the seed. The secret stays hidden until the year
// is over, so that nobody can tell who is next; then anyone can re-derive the selection.
type Plan struct {
	ID             string     `json:"id" gorm:"primaryKey"`
	ProgrammeID    string     `json:"programme_id"`
	Year           int        `json:"year"`
	Status         string     `json:"status"`
	Seed           string     `json:"-"`
	SeedSHA256     string     `json:"seed_sha256"` // empty until the draw
	SeedRevealedAt *time.Time `json:"seed_revealed_at"`
	SeedSource     string     `json:"seed_source"`
	Secret         string     `json:"-"`
	SecretSHA256   string     `json:"secret_sha256"`
	DrawSource     string     `json:"draw_source"`
	DrawDate       Date       `json:"draw_date"`
	DrawResult     string     `json:"draw_result"`
	DrawnBy        string     `json:"drawn_by"`
	DrawnAt        *time.Time `json:"drawn_at"`
	// Attempt counts the plans committed for the programme's year, this one included; Reason
	// says why a plan after the first was drafted.
	Attempt int    `json:"attempt"`
	Reason  string `json:"reason"`
	// Projection is the JSON of the feasibility projection of the rest of the programme made
	// with the plan (scheduler.Projection).
	Projection string     `json:"-"`
	Inputs     string     `json:"-"` // JSON of the planner's inputs, for verification
	Figures    string     `json:"-"` // JSON of PlanFigures
	Feasible   bool       `json:"feasible"`
	Shortfall  int        `json:"shortfall"`
	CreatedBy  string     `json:"created_by"`
	ApprovedBy string     `json:"approved_by"`
	ApprovedAt *time.Time `json:"approved_at"`
	Version    int        `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// TableName is the table of plans.
func (Plan) TableName() string { return "plans" }

// RevealedSeed returns the seed once it has been revealed, or "".
func (p *Plan) RevealedSeed() string {
	if p.SeedRevealedAt == nil {
		return ""
	}
	return p.Seed
}

// RevealedSecret returns the committed secret once the seed has been revealed, or "".
func (p *Plan) RevealedSecret() string {
	if p.SeedRevealedAt == nil {
		return ""
	}
	return p.Secret
}

// PlanItem is one selected business of a plan.
type PlanItem struct {
	PlanID        string  `json:"plan_id" gorm:"primaryKey"`
	BusinessID    string  `json:"business_id" gorm:"primaryKey"`
	Group         string  `json:"group" gorm:"column:grp"`
	InclusionProb float64 `json:"inclusion_prob"`
	WeekStart     Date    `json:"week_start"` // zero when no team had capacity left: the shortfall
	AreaCode      string  `json:"area_code"`
}

// TableName is the table of plan items.
func (PlanItem) TableName() string { return "plan_items" }

// PlanFigures are a plan's numbers: the targets and how the selection meets them.
type PlanFigures struct {
	Year           int `json:"year"`
	RemainingYears int `json:"remaining_years"`
	// InScope counts the businesses active in the programme's scope on the planning date.
	InScope int `json:"in_scope"`
	// Uninspected counts those not yet inspected in the programme (U).
	Uninspected int `json:"uninspected"`
	// MustCover is ceil(|U| / remaining years), all of U in the last year.
	MustCover int `json:"must_cover"`
	// ShareTarget is ceil(min_yearly_share x in_scope).
	ShareTarget int `json:"share_target"`
	// Reinspections are drawn from businesses already inspected in the programme.
	Reinspections int `json:"reinspections"`
	// Total = MustCover + Reinspections, at least ShareTarget.
	Total          int             `json:"total"`
	Feasible       bool            `json:"feasible"`
	Shortfall      int             `json:"shortfall"` // tasks that no team has capacity for this year
	ShortfallAreas []AreaShortfall `json:"shortfall_areas"`
	Areas          []AreaFigures   `json:"areas"`
	Weeks          []WeekFigures   `json:"weeks"`
}

// AreaFigures are a plan's numbers for one ward.
type AreaFigures struct {
	AreaCode      string `json:"area_code"`
	InScope       int    `json:"in_scope"`
	Uninspected   int    `json:"uninspected"`
	MustCover     int    `json:"must_cover"`
	Reinspections int    `json:"reinspections"`
}

// WeekFigures are a plan's load in one week against the teams' capacity.
type WeekFigures struct {
	WeekStart Date `json:"week_start"`
	Planned   int  `json:"planned"`
	Capacity  int  `json:"capacity"`
}

// AreaShortfall says where capacity is missing: tasks that fit no team's week, and how many team
// working days would be needed to do them.
type AreaShortfall struct {
	AreaCode        string  `json:"area_code"`
	Tasks           int     `json:"tasks"`
	MissingTeamDays float64 `json:"missing_team_days"`
}

// PlanStore persists plans and turns approved plans into tasks.
type PlanStore interface {
	// FindPlanByID returns not_found when the id is unknown.
	FindPlanByID(ctx context.Context, id string) (*Plan, error)
	// FindPlans returns the plans of a programme (every programme when empty), newest first.
	FindPlans(ctx context.Context, programmeID string) ([]*Plan, error)
	// FindPlanItems returns a plan's selection ordered by week then business.
	FindPlanItems(ctx context.Context, planID string) ([]*PlanItem, error)
	// CreatePlan stores a plan (committed, or a draft with its items), superseding the older
	// committed plans and drafts of the same year.
	CreatePlan(ctx context.Context, actor string, p *Plan, items []*PlanItem) error
	// DrawPlan records a committed plan's draw result, seed, figures and selection, making it a
	// draft; conflict when the plan is not committed.
	DrawPlan(ctx context.Context, actor string, p *Plan, items []*PlanItem) (*Plan, error)
	// ApprovePlan turns a draft's items into tasks in one transaction; conflict when the year
	// already has an approved plan or the plan is not a draft.
	ApprovePlan(ctx context.Context, actor, planID string) (*Plan, error)
	// RevealPlanSeed publishes a plan's seed.
	RevealPlanSeed(ctx context.Context, actor, planID string) (*Plan, error)
}

// PlanningFacts is what the planner needs from the database about the registry and its history.
type PlanningFacts struct {
	Businesses []*Business
	// Covered lists the businesses inspected (compliant or violation) on or after the
	// programme's start.
	Covered       map[string]bool
	LastInspected map[string]Date
	Violations    map[string]int // findings in the five years before the planning date
	Tips          map[string]int // tips in the year before the planning date
	// Outcomes counts the visits (original records) of the three years before the planning date
	// by outcome.
	Outcomes map[string]int
	// Findings are the violations found in the five years before the planning date (the latest
	// version of each record, amendments applied), oldest first: the risk score's severity, recency and nearby signals.
	Findings []FindingFact
}

// FindingFact is one violation found, as the planner's risk score reads it.
type FindingFact struct {
	BusinessID string
	Code       string
	Severity   string // as recorded with the finding; empty for findings recorded without one
	Found      Date   // the day the inspection finished
}

// PlanVerification says whether a plan's selection is what its revealed seed and stored inputs give.
type PlanVerification struct {
	PlanID      string `json:"plan_id"`
	Matches     bool   `json:"matches"`
	SeedMatches bool   `json:"seed_matches"` // sha256(seed) is the published commitment
	InputsMatch bool   `json:"inputs_match"` // the inputs hash the audit log recorded at creation
	ItemsMatch  bool   `json:"items_match"`  // re-running the selection gives the stored items
	Seed        string `json:"seed"`         //
	SeedSource  string `json:"seed_source"`  //
	// For a lottery seed: sha256(secret) is the commitment made with the inputs, the seed is the
	// secret and the draw's result put together, and the draw came after the commit.
	SecretMatches   bool     `json:"secret_matches"`
	SeedDerives     bool     `json:"seed_derives"`
	DrawAfterCommit bool     `json:"draw_after_commit"`
	Warnings        []string `json:"warnings"`       // what the check cannot prove
	SeedSHA256      string   `json:"seed_sha256"`    //
	InputsSHA256    string   `json:"inputs_sha256"`  //
	Differences     []string `json:"differences"`    // the first few differences found
	StoredItems     int      `json:"stored_items"`   //
	ComputedItems   int      `json:"computed_items"` //
}
