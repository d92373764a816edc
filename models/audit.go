package models

import (
	"context"
	"time"
)

// AuditEvent is one entry of the append-only audit log. Each entry's Hash covers its content and
// the previous entry's hash, so that editing or deleting an entry breaks the chain.
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
}

// TableName is the table of audit events.
func (AuditEvent) TableName() string { return "audit_events" }

// AuditFilter selects audit events.
type AuditFilter struct {
	Actor      string
	EntityType string
	EntityID   string
	Action     string
	Limit      int
	BeforeID   int64
}

// AuditStore reads the audit log; writes happen inside the transaction of the change they record.
type AuditStore interface {
	// FindAuditEvents returns matching events, newest first.
	FindAuditEvents(ctx context.Context, f AuditFilter) ([]*AuditEvent, error)
	// VerifyAuditChain recomputes every hash; it returns the id of the first broken entry, or 0.
	VerifyAuditChain(ctx context.Context) (int64, error)
}

// JobRun records one run of a scheduled job.
type JobRun struct {
	ID          int64      `json:"id" gorm:"primaryKey;autoIncrement"`
	Job         string     `json:"job"`
	Slot        string     `json:"slot"` // the schedule slot, so that replicas run a slot once; "<slot>#retry<n>" for a run again
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

// TableName is the table of job runs.
func (JobRun) TableName() string { return "job_runs" }
