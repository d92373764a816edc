package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"os"

	"kiemtra/store"
)

// auditKey returns the key that signs the audit log: KIEMTRA_AUDIT_KEY, or one derived from
// KIEMTRA_SECRET, or (SQLite without a secret) from the secret kept in the data directory, made
// there on first use as serve makes it. None of them is in the database.
func (c *Config) auditKey() ([]byte, error) {
	if c.AuditKey != "" {
		return hex.DecodeString(c.AuditKey) // checked by Validate
	}
	secret := c.Secret
	if secret == "" {
		if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory %s: %w", c.DataDir, err)
		}
		s, err := loadOrCreateSecret(c.DataDir)
		if err != nil {
			return nil, err
		}
		secret = s
	}
	return store.DeriveAuditKey(secret), nil
}

// openStore opens the database for a command-line tool, with the audit key every audited write
// needs.
func openStore(ctx context.Context, cfg *Config, conns int) (*store.DB, error) {
	key, err := cfg.auditKey()
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, store.Options{URL: cfg.DatabaseURL, DataDir: cfg.DataDir, MaxOpenConns: conns, Logger: cfg.newLogger(), AuditKey: key})
}
