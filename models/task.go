package models

import (
	"context"
	"time"
)

// Task statuses.
const (
	TaskPlanned   = "planned"   // in the pool, waiting for its week
	TaskReleased  = "released"  // sent to a team's phones for a day
	TaskDone      = "done"      // inspected
	TaskMissed    = "missed"    // the visit failed (closed door, refused, not found); a new task was queued
	TaskCancelled = "cancelled" // no longer needed (the business closed, the plan was replaced)
)

// Task reasons, shown to the team so that it knows why it is there.
const (
	ReasonCoverage     = "coverage"     // never inspected in the programme
	ReasonReinspection = "reinspection" // drawn again by risk
	ReasonRequeue      = "requeue"      // a repeat of a missed visit
	ReasonFollowUp     = "follow_up"    // a check that a violation was corrected
	ReasonTip          = "tip"          // an urgent tip
)

// Task is one visit to one business, planned for a window of days.
type Task struct {
	ID            string    `json:"id" gorm:"primaryKey"`
	PlanID        *string   `json:"plan_id"`
	BusinessID    string    `json:"business_id"`
	Reason        string    `json:"reason"`
	Status        string    `json:"status"`
	WindowStart   Date      `json:"window_start"`
	WindowEnd     Date      `json:"window_end"`
	TeamID        *string   `json:"team_id"`
	ReleasedOn    Date      `json:"released_on"`
	RouteOrder    int       `json:"route_order"`
	InclusionProb float64   `json:"inclusion_prob"`
	ParentTaskID  *string   `json:"parent_task_id"`
	TipID         *string   `json:"tip_id"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// TableName is the table of tasks.
func (Task) TableName() string { return "tasks" }

// Open reports whether the task still waits for a visit.
func (t *Task) Open() bool { return t.Status == TaskPlanned || t.Status == TaskReleased }

// TaskFilter selects tasks.
type TaskFilter struct {
	AreaPath   string // only tasks of businesses in this subtree
	PlanID     string
	BusinessID string
	TeamID     string
	Statuses   []string
	After      string
	Limit      int
}

// TaskStore persists tasks.
type TaskStore interface {
	// FindTaskByID returns not_found when the id is unknown.
	FindTaskByID(ctx context.Context, id string) (*Task, error)
	// FindTasks returns matching tasks ordered by id, and their total count.
	FindTasks(ctx context.Context, f TaskFilter) ([]*Task, int, error)
}

// Inspection outcomes.
const (
	OutcomeCompliant = "compliant"
	OutcomeViolation = "violation"
	OutcomeClosed    = "closed"
	OutcomeRefused   = "refused"
	OutcomeNotFound  = "not_found"
)

// Outcomes lists every outcome.
var Outcomes = []string{OutcomeCompliant, OutcomeViolation, OutcomeClosed, OutcomeRefused, OutcomeNotFound}

// Inspected reports whether an outcome counts as an inspection (the team got in and checked).
func Inspected(outcome string) bool {
	return outcome == OutcomeCompliant || outcome == OutcomeViolation
}

// Inspection is the recorded result of a visit. Results are append-only: a correction is a new
// record that amends the original.
type Inspection struct {
	ID               string    `json:"id" gorm:"primaryKey"`
	TaskID           *string   `json:"task_id"`
	BusinessID       string    `json:"business_id"`
	TeamID           *string   `json:"team_id"`
	StartedAt        time.Time `json:"started_at"`
	FinishedAt       time.Time `json:"finished_at"`
	Outcome          string    `json:"outcome"`
	ChecklistVersion int       `json:"checklist_version"`
	Answers          string    `json:"-"` // JSON
	Members          string    `json:"-"` // JSON
	Notes            string    `json:"notes"`
	BodySHA256       string    `json:"-"`
	AmendsID         *string   `json:"amends_id"`
	Flags            string    `json:"-"`
	CreatedBy        string    `json:"created_by"`
	CreatedAt        time.Time `json:"created_at"`
}

// TableName is the table of inspections.
func (Inspection) TableName() string { return "inspections" }

// Finding is one violation found in an inspection.
type Finding struct {
	ID           int64  `json:"-" gorm:"primaryKey;autoIncrement"`
	InspectionID string `json:"-"`
	BusinessID   string `json:"-"`
	Code         string `json:"code"`
	Severity     string `json:"severity"`
	Note         string `json:"note"`
	ResolvedOn   Date   `json:"resolved_on"`
}

// TableName is the table of findings.
func (Finding) TableName() string { return "inspection_findings" }

// Visit is what one visit to a business changes, applied in one transaction: the inspection
// record (whatever the outcome), its findings, the task it closes, and the tasks it creates (a
// repeat of a failed visit, a follow-up of a violation).
type Visit struct {
	Inspection *Inspection
	Findings   []*Finding
	NewTasks   []*Task
}

// JobRunStore records runs of scheduled jobs so that each slot runs once across replicas.
type JobRunStore interface {
	// ClaimJobRun records the start of a job's slot, started as kind (JobScheduled, ...);
	// claimed is false when another replica (or an earlier run) already has it.
	ClaimJobRun(ctx context.Context, job, slot, kind string) (run *JobRun, claimed bool, err error)
	// HeartbeatJobRun records that a run is still running.
	HeartbeatJobRun(ctx context.Context, id int64) error
	// FindStaleJobRuns returns the runs still running whose heartbeat is older than before.
	FindStaleJobRuns(ctx context.Context, before time.Time) ([]*JobRun, error)
	// TakeOverJobRun marks a stale run failed with reason unless it finished, beat or was
	// taken over meanwhile (taken false); with a retrySlot it claims that slot of the job in
	// the same change and returns its run (nil when the slot was claimed already).
	TakeOverJobRun(ctx context.Context, run *JobRun, before time.Time, reason, retrySlot string) (retry *JobRun, taken bool, err error)
	// FinishJobRun records the end of a run.
	FinishJobRun(ctx context.Context, run *JobRun) error
	// FindJobRuns returns the latest runs, newest first.
	FindJobRuns(ctx context.Context, job string, limit int) ([]*JobRun, error)
	// FirstJobRunStart returns when the first run of any job recorded in the database started:
	// since when a service has been running its jobs there. ok is false when no job ever ran.
	FirstJobRunStart(ctx context.Context) (at time.Time, ok bool, err error)
}

// YearState is a year's work as the nightly job sees it.
type YearState struct {
	InspectedThisYear map[string]bool  // businesses inspected (compliant or violation) this year
	OpenTasks         map[string]*Task // business -> an open task
	MissedUnrequeued  []*Task          // missed tasks with no repeat queued yet
	StaleReleased     []*Task          // released before today and not done
}

// OpenTaskRow is an open task with what the morning assignment needs of its business.
type OpenTaskRow struct {
	Task       *Task
	Lat, Lon   float64
	AreaPath   string
	LastTeamID string // the team of the business's latest inspection
	Urgent     bool
}

// AssignmentDecision records why a task went to a team on a day.
type AssignmentDecision struct {
	ID         int64     `json:"id" gorm:"primaryKey;autoIncrement"`
	Day        Date      `json:"day"`
	TaskID     string    `json:"task_id"`
	TeamID     string    `json:"team_id"`
	RouteOrder int       `json:"route_order"`
	Reason     string    `json:"reason"`
	DecidedAt  time.Time `json:"decided_at"`
	DecidedBy  string    `json:"decided_by"`
}

// TableName is the table of assignment decisions.
func (AssignmentDecision) TableName() string { return "assignment_decisions" }

// AssignmentSummary is the outcome of a day's assignment.
type AssignmentSummary struct {
	Day        Date             `json:"day"`
	Released   int              `json:"released"`
	Unassigned int              `json:"unassigned"` // due visits left for later days
	Teams      []TeamDaySummary `json:"teams"`
}

// TeamDaySummary is one team's day: what it got, its capacity, and how far it rides.
type TeamDaySummary struct {
	TeamID           string  `json:"team_id"`
	Tasks            int     `json:"tasks"`
	Capacity         int     `json:"capacity"`
	RouteLengthM     float64 `json:"route_length_m"`
	UnorderedLengthM float64 `json:"unordered_length_m"`
}
