package models

import (
	"context"
	"time"
)

// AuditEvent is one entry of the append-only audit log. Each entry's Hash covers its content and
// the previous entry's hash, so that editing or deleting an entry breaks the chain. Hash is an
// HMAC with a key kept outside the database, so that someone who can write the database cannot
// recompute the chain; events written before the key existed (Alg AuditAlgLegacy) carry a plain
// SHA-256 and are anchored by the first keyed event after them.
type AuditEvent struct {
	ID         int64     `json:"id" gorm:"primaryKey;autoIncrement"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"` // create, update, import, lookup ...
	EntityType string    `json:"entity_type"`
	EntityID   string    `json:"entity_id"`
	Details    string    `json:"details"` // JSON
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
	Alg        string    `json:"alg"`    // AuditAlgKeyed or AuditAlgLegacy
	KeyID      string    `json:"key_id"` // fingerprint of the key of a keyed event; "" for legacy ones
}

// TableName is the table of audit events.
func (AuditEvent) TableName() string { return "audit_events" }

// How an audit event's hash is made.
const (
	AuditAlgKeyed  = "hmac-sha256" // HMAC-SHA256 with the audit key
	AuditAlgLegacy = "sha256"      // plain SHA-256, before the audit key existed
)

// AuditHead is the signed summary of the whole log: how many events it holds and where it ends.
// It is updated with every append, so that deleting the newest events or appending one without
// the key no longer matches it.
type AuditHead struct {
	ID       int64  `json:"-" gorm:"primaryKey"` // always 1: one head per database
	Events   int64  `json:"events"`
	LastID   int64  `json:"last_id"`
	LastHash string `json:"last_hash"`
	KeyID    string `json:"key_id"`
	MAC      string `json:"mac" gorm:"column:mac"`
}

// TableName is the table of the audit head.
func (AuditHead) TableName() string { return "audit_head" }

// What VerifyAudit found wrong (AuditVerification.Problem).
const (
	AuditEdited        = "edited"              // an event's content does not match its hash
	AuditBrokenLink    = "broken_link"         // an event does not follow the one before it
	AuditOtherKey      = "other_key"           // an event was signed with a key other than this one
	AuditUnkeyedAfter  = "unkeyed_after_keyed" // an event without the key's signature after keyed ones
	AuditUnknownAlg    = "unknown_alg"         // an event names no hash algorithm kiemtra knows
	AuditHeadMissing   = "head_missing"        // the log has events but no signed head
	AuditHeadForged    = "head_forged"         // the head does not match its signature
	AuditHeadOtherKey  = "head_other_key"      // the head was signed with a key other than this one
	AuditEventsMissing = "events_missing"      // fewer events than the head counts: the newest were deleted
	AuditHeadMismatch  = "head_mismatch"       // the log does not end where the head says
)

// AuditVerification is the result of checking the whole log against its chain and its head.
type AuditVerification struct {
	OK        bool        `json:"ok"`
	Events    int64       `json:"events"`        // events read
	Legacy    int64       `json:"legacy_events"` // of which hashed before the audit key existed
	FirstBad  *AuditEvent `json:"first_bad"`     // the first event found wrong, when the problem is one event
	Problem   string      `json:"problem"`       // one of the Audit... problem codes; "" when OK
	Message   string      `json:"message"`       // the problem in English
	MessageVI string      `json:"message_vi"`    // the problem in Vietnamese
	Head      *AuditHead  `json:"head"`          // the signed head as stored; nil when there is none
	KeyID     string      `json:"key_id"`        // the fingerprint of the key the log was checked with
}

// AuditFilter selects audit events.
type AuditFilter struct {
	Actor      string
	EntityType string
	EntityID   string
	Action     string
	From, To   time.Time // At >= From and At < To; zero: unbounded
	Limit      int
	BeforeID   int64
}

// AuditStore reads the audit log; writes happen inside the transaction of the change they record.
type AuditStore interface {
	// FindAuditEvents returns matching events, newest first.
	FindAuditEvents(ctx context.Context, f AuditFilter) ([]*AuditEvent, error)
	// VerifyAudit checks every event's hash and link and the signed head; a broken log is a
	// result (OK false), not an error. Errors are internal (the database, or no audit key).
	VerifyAudit(ctx context.Context) (*AuditVerification, error)
}

// JobRun records one run of a scheduled job.
type JobRun struct {
	ID          int64      `json:"id" gorm:"primaryKey;autoIncrement"`
	Job         string     `json:"job"`
	Slot        string     `json:"slot"` // the schedule slot, so that replicas run a slot once; "<slot>#retry<n>" for a run again
	Kind        string     `json:"kind"` // JobScheduled, JobManual, JobRetry, JobCatchUp: what started the run
	StartedAt   time.Time  `json:"started_at"`
	HeartbeatAt *time.Time `json:"heartbeat_at"` // refreshed while it runs: a run whose heartbeat stops lost its runner
	FinishedAt  *time.Time `json:"finished_at"`
	Status      string     `json:"status"` // JobRunning, JobOK, JobFailed, JobSkipped
	Result      string     `json:"result"`
	Error       string     `json:"error"`
}

// Statuses of a job run.
const (
	JobRunning = "running"
	JobOK      = "ok"
	JobFailed  = "failed"
	JobSkipped = "skipped" // another run of the job was in progress
)

// What started a job run.
const (
	JobScheduled = "scheduled" // its slot's minute came
	JobManual    = "manual"    // a request (POST /api/v1/jobs/{name}/run); slot "manual-<uuid>"
	JobRetry     = "retry"     // its slot's run lost its replica; slot "<slot>#retry<n>"
	// JobCatchUp is a slot that passed while no replica ran, run once at the next start under
	// the slot it stands in for.
	JobCatchUp = "catch_up"
)

// JobStatus is a job as GET /api/v1/jobs shows it: its schedule and its latest run.
type JobStatus struct {
	Job      string  `json:"job"`
	Schedule string  `json:"schedule"` // the five-field cron spec in the users' time zone; "" for manual runs only
	LastRun  *JobRun `json:"last_run"` // nil when it never ran
}

// TableName is the table of job runs.
func (JobRun) TableName() string { return "job_runs" }
