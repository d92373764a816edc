package models

import (
	"context"
	"time"
)

// Plan statuses.
const (
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

// Plan is a programme's yearly plan: which businesses to inspect and in which week. The seed
// that drove the random selection stays secret until the year is over; its SHA-256 is published
// when the plan is created, so that anyone can later check that the selection was not made by hand.
type Plan struct {
	ID             string     `json:"id" gorm:"primaryKey"`
	ProgrammeID    string     `json:"programme_id"`
	Year           int        `json:"year"`
	Status         string     `json:"status"`
	Seed           string     `json:"-"`
	SeedSHA256     string     `json:"seed_sha256"`
	SeedRevealedAt *time.Time `json:"seed_revealed_at"`
	Inputs         string     `json:"-"` // JSON of the planner's inputs, for verification
	Figures        string     `json:"-"` // JSON of PlanFigures
	Feasible       bool       `json:"feasible"`
	Shortfall      int        `json:"shortfall"`
	CreatedBy      string     `json:"created_by"`
	ApprovedBy     string     `json:"approved_by"`
	ApprovedAt     *time.Time `json:"approved_at"`
	Version        int        `json:"version"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
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
	// CreatePlan stores a draft and its items, superseding older drafts of the same year.
	CreatePlan(ctx context.Context, actor string, p *Plan, items []*PlanItem) error
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
	PlanID        string   `json:"plan_id"`
	Matches       bool     `json:"matches"`
	SeedMatches   bool     `json:"seed_matches"`   // sha256(seed) is the published commitment
	InputsMatch   bool     `json:"inputs_match"`   // the inputs hash the audit log recorded at creation
	ItemsMatch    bool     `json:"items_match"`    // re-running the selection gives the stored items
	Seed          string   `json:"seed"`           //
	SeedSHA256    string   `json:"seed_sha256"`    //
	InputsSHA256  string   `json:"inputs_sha256"`  //
	Differences   []string `json:"differences"`    // the first few differences found
	StoredItems   int      `json:"stored_items"`   //
	ComputedItems int      `json:"computed_items"` //
}
