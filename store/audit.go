package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"kiemtra/models"
)

var _ models.AuditStore = (*DB)(nil)

// auditLockKey is the PostgreSQL advisory lock that serialises appends to the audit chain, so
// that two replicas never link two events to the same predecessor.
const auditLockKey = 0x6b696501

// auditEntry is one event to append.
type auditEntry struct {
	Action     string
	EntityType string
	EntityID   string
	Details    any
}

// appendAudit appends events to the hash chain inside tx. Call it in the transaction of the
// change it records so that the change and its audit stand or fall together.
func (db *DB) appendAudit(tx *gorm.DB, actor string, entries ...auditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	if db.dialect == DialectPostgres {
		// Keyed by schema too, so that databases sharing a server (tests, tenants) do not wait on
		// each other.
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?, hashtext(current_schema()))", int32(auditLockKey)).Error; err != nil {
			return fmt.Errorf("lock audit chain: %w", err)
		}
	}
	var prev string
	if err := tx.Raw("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1").Scan(&prev).Error; err != nil {
		return fmt.Errorf("read audit chain head: %w", err)
	}
	at := db.Now()
	events := make([]*models.AuditEvent, 0, len(entries))
	for _, e := range entries {
		details := ""
		if e.Details != nil {
			b, err := json.Marshal(e.Details)
			if err != nil {
				return fmt.Errorf("encode audit details: %w", err)
			}
			details = string(b)
		}
		ev := &models.AuditEvent{At: at, Actor: actor, Action: e.Action, EntityType: e.EntityType, EntityID: e.EntityID, Details: details, PrevHash: prev}
		ev.Hash = auditHash(ev)
		prev = ev.Hash
		events = append(events, ev)
	}
	if err := tx.CreateInBatches(events, db.batchSize()).Error; err != nil {
		return fmt.Errorf("append audit events: %w", err)
	}
	return nil
}

// auditHash covers every field of the event but its id and hash, and the previous hash.
func auditHash(e *models.AuditEvent) string {
	h := sha256.New()
	for _, f := range []string{e.PrevHash, e.At.UTC().Format(time.RFC3339Nano), e.Actor, e.Action, e.EntityType, e.EntityID, e.Details} {
		// Length prefixes keep ("ab","c") and ("a","bc") apart.
		fmt.Fprintf(h, "%d:%s|", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// FindAuditEvents returns matching events, newest first.
func (db *DB) FindAuditEvents(ctx context.Context, f models.AuditFilter) ([]*models.AuditEvent, error) {
	q := db.gdb.WithContext(ctx).Model(&models.AuditEvent{})
	if f.Actor != "" {
		q = q.Where("actor = ?", f.Actor)
	}
	if f.EntityType != "" {
		q = q.Where("entity_type = ?", f.EntityType)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var out []*models.AuditEvent
	if err := q.Order("id DESC").Limit(limit).Find(&out).Error; err != nil {
		return nil, translate(err, "audit")
	}
	return out, nil
}

// VerifyAuditChain walks the whole log in id order and returns the id of the first event whose
// hash or link does not match, or 0 when the chain is intact.
func (db *DB) VerifyAuditChain(ctx context.Context) (int64, error) {
	prev := ""
	var lastID int64
	for {
		var batch []*models.AuditEvent
		if err := db.gdb.WithContext(ctx).Where("id > ?", lastID).Order("id").Limit(2000).Find(&batch).Error; err != nil {
			return 0, translate(err, "audit")
		}
		if len(batch) == 0 {
			return 0, nil
		}
		for _, e := range batch {
			if e.PrevHash != prev || !strings.EqualFold(auditHash(e), e.Hash) {
				return e.ID, nil
			}
			prev = e.Hash
			lastID = e.ID
		}
	}
}
