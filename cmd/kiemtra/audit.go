package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"kiemtra/models"
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
	return store.Open(ctx, store.Options{URL: cfg.DatabaseURL, DataDir: cfg.DataDir, MaxOpenConns: conns, Logger: cfg.newLogger(), AuditKey: key,
		Channels: cfg.notificationChannels()})
}

// errAuditBroken is the failure of `kiemtra audit verify` on a log that does not verify; the
// report has been printed.
var errAuditBroken = errors.New("the audit log does not verify (see above)")

// runAudit checks the audit log: exit 0 when it is intact, 1 with the first bad event otherwise.
func runAudit(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "audit", "verify [flags]")
	if len(args) == 0 || args[0] != "verify" {
		fs.Usage()
		return errUsage
	}
	cfg, err := loadConfig(env, fs, args[1:])
	if err != nil {
		return err
	}
	db, err := openStore(ctx, cfg, 2)
	if err != nil {
		return err
	}
	defer db.Close()
	// Verify reads; it does not migrate a database it was only asked to check.
	if err := db.Ready(ctx); err != nil {
		return fmt.Errorf("%s database at %s: %w (run `kiemtra migrate up` first)", db.Dialect(), db.Where(), err)
	}
	v, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	printVerification(env.Stdout, v, cfg.Location())
	if !v.OK {
		return errAuditBroken
	}
	return nil
}

// printVerification writes the result for an operator, with the head in full so that it can be
// recorded outside the database and compared later.
func printVerification(w io.Writer, v *models.AuditVerification, loc *time.Location) {
	if v.OK {
		fmt.Fprintf(w, "audit log intact: %d events (%d of them written before the audit key)\n", v.Events, v.Legacy)
	} else {
		fmt.Fprintf(w, "audit log NOT intact (%s): %s\n  %s\n", v.Problem, v.Message, v.MessageVI)
		if e := v.FirstBad; e != nil {
			fmt.Fprintf(w, "first bad event: id %d at %s by %q: %s %s %s\n", e.ID, e.At.In(loc).Format(time.RFC3339), e.Actor, e.Action, e.EntityType, e.EntityID)
		}
		fmt.Fprintf(w, "events that checked out before the problem: %d\n", v.Events)
	}
	if h := v.Head; h != nil {
		fmt.Fprintf(w, "head: events %d, last id %d, last hash %s, key id %s, mac %s\n", h.Events, h.LastID, h.LastHash, h.KeyID, h.MAC)
	} else {
		fmt.Fprintln(w, "head: none")
	}
	fmt.Fprintf(w, "checked with the audit key %s\n", v.KeyID)
}
