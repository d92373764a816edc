package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"

	"kiemtra/models"
)

// MigrateDownTo rolls the schema back to version, for tests that build a database as an older
// kiemtra left it.
func (db *DB) MigrateDownTo(ctx context.Context, version int64) error {
	p, err := db.provider(ctx, true)
	if err != nil {
		return err
	}
	if _, err := p.DownTo(ctx, version); err != nil {
		return fmt.Errorf("migrate %s down to %d: %w", db.where, version, err)
	}
	return nil
}

// AppendAuditEvents appends n events in one transaction, as one change with many audited rows
// (an import) does.
func (db *DB) AppendAuditEvents(ctx context.Context, actor string, n int) error {
	entries := make([]auditEntry, n)
	for i := range entries {
		entries[i] = auditEntry{Action: "bench", EntityType: "bench", EntityID: fmt.Sprint(i), Details: map[string]any{"i": i}}
	}
	return db.Transaction(ctx, func(tx *DB) error { return tx.appendAudit(tx.gdb, actor, entries...) })
}

// The chain's hash functions, for tests that forge events as someone without the key would.
var (
	LegacyAuditHash = legacyAuditHash
	AuditHeadMAC    = auditHeadMAC
)

// AuditEventMAC is an event's signature with key.
func AuditEventMAC(key []byte, e *models.AuditEvent) string {
	return auditEventMAC(hmac.New(sha256.New, key), e)
}

// MigrationLockID exposes the migration lock of a schema to the tests, which hold it from
// another connection.
var MigrationLockID = migrationLockID
