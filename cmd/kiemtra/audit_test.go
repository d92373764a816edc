package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// auditCLIWorld is a migrated database with five audited changes, and the environment that
// points `kiemtra audit verify` at it.
type auditCLIWorld struct {
	env    map[string]string
	db     *store.DB
	events []*models.AuditEvent
}

func newAuditCLIWorld(t *testing.T, dialect string) *auditCLIWorld {
	t.Helper()
	w := &auditCLIWorld{}
	cfg := DefaultConfig()
	if dialect == store.DialectSQLite {
		cfg.DataDir = t.TempDir()
		w.env = map[string]string{"KIEMTRA_DATA_DIR": cfg.DataDir}
	} else {
		cfg.DatabaseURL, cfg.Secret = storetest.PostgresURL(t), testSecret
		w.env = map[string]string{"DATABASE_URL": cfg.DatabaseURL, "KIEMTRA_SECRET": cfg.Secret}
	}
	ctx := context.Background()
	db, err := openStore(ctx, &cfg, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if err := db.RecordLookup(ctx, fmt.Sprintf("officer-%d", i), nil, fmt.Sprintf("L%d", i), "renewal"); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Gorm().Order("id").Find(&w.events).Error; err != nil {
		t.Fatal(err)
	}
	w.db = db
	return w
}

func (w *auditCLIWorld) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if err := w.db.Gorm().Exec(sql, args...).Error; err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// forgedHash is what someone without the audit key can sign an event with: a key of their own.
func forgedHash(parts ...string) string {
	m := hmac.New(sha256.New, []byte("a key that is not the audit key"))
	m.Write([]byte(strings.Join(parts, "|")))
	return hex.EncodeToString(m.Sum(nil))
}

// TestAuditVerifyCommand checks the exit status and report of `kiemtra audit verify` on an
// intact log and after each of the four tamperings, on both dialects.
func TestAuditVerifyCommand(t *testing.T) {
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		t.Run(dialect, func(t *testing.T) {
			t.Run("an intact log exits 0 with the head", func(t *testing.T) {
				w := newAuditCLIWorld(t, dialect)
				code, out, errOut := runCLI(t, w.env, "audit", "verify")
				last := w.events[4]
				if code != 0 || !strings.Contains(out, "audit log intact: 5 events") || !strings.Contains(out, fmt.Sprintf("head: events 5, last id %d, last hash %s", last.ID, last.Hash)) {
					t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
				}
			})
			for _, tc := range []struct {
				name, problem string
				bad           int // index of the event named as the first bad one; -1: none
				tamper        func(t *testing.T, w *auditCLIWorld)
			}{
				{"an edited middle event", models.AuditEdited, 2, func(t *testing.T, w *auditCLIWorld) {
					w.exec(t, "UPDATE audit_events SET actor = 'someone-else' WHERE id = ?", w.events[2].ID)
				}},
				{"the newest events deleted", models.AuditEventsMissing, -1, func(t *testing.T, w *auditCLIWorld) {
					w.exec(t, "DELETE FROM audit_events WHERE id > ?", w.events[2].ID)
				}},
				{"an edited event with the chain recomputed without the key", models.AuditEdited, 2, func(t *testing.T, w *auditCLIWorld) {
					prev := w.events[1].Hash
					for i, e := range w.events[2:] {
						actor := e.Actor
						if i == 0 {
							actor = "someone-else"
						}
						h := forgedHash(prev, actor, e.Action, e.Details)
						w.exec(t, "UPDATE audit_events SET actor = ?, prev_hash = ?, hash = ? WHERE id = ?", actor, prev, h, e.ID)
						prev = h
					}
				}},
				{"an appended forged event", models.AuditEdited, 5, func(t *testing.T, w *auditCLIWorld) {
					last := w.events[4]
					w.exec(t, "INSERT INTO audit_events (at, actor, action, entity_type, entity_id, details, prev_hash, hash, alg, key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
						last.At, "officer-1", "licensing_lookup", "business", "(none)", last.Details, last.Hash, forgedHash(last.Hash, "officer-1"), last.Alg, last.KeyID)
				}},
			} {
				t.Run(tc.name+" exits 1", func(t *testing.T) {
					w := newAuditCLIWorld(t, dialect)
					tc.tamper(t, w)
					code, out, errOut := runCLI(t, w.env, "audit", "verify")
					if code != 1 || !strings.Contains(out, "audit log NOT intact ("+tc.problem+")") || !strings.Contains(errOut, "does not verify") {
						t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
					}
					if tc.bad < 0 {
						if strings.Contains(out, "first bad event") {
							t.Fatalf("a first bad event is named for a problem of the whole log:\n%s", out)
						}
						return
					}
					id := w.events[4].ID + 1
					if tc.bad < len(w.events) {
						id = w.events[tc.bad].ID
					}
					if !strings.Contains(out, fmt.Sprintf("first bad event: id %d at ", id)) {
						t.Fatalf("the report does not name event %d:\n%s", id, out)
					}
				})
			}
			t.Run("another valid key names the key instead of tampering", func(t *testing.T) {
				w := newAuditCLIWorld(t, dialect)
				w.env["KIEMTRA_AUDIT_KEY"] = strings.Repeat("ab", 32)
				code, out, _ := runCLI(t, w.env, "audit", "verify")
				if code != 1 || !strings.Contains(out, "("+models.AuditOtherKey+")") || !strings.Contains(out, store.AuditKeyID([]byte(strings.Repeat("\xab", 32)))) {
					t.Fatalf("exit %d\nstdout: %s", code, out)
				}
			})
		})
	}
}

func TestAuditVerifyUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name     string
		args     []string
		env      map[string]string
		code     int
		contains string
	}{
		{"audit needs verify", []string{"audit"}, nil, 2, "Usage: kiemtra audit verify"},
		{"an unknown audit action is a usage error", []string{"audit", "repair"}, nil, 2, "Usage: kiemtra audit verify"},
		{"-h prints the flags", []string{"audit", "verify", "-h"}, nil, 2, "-database-url"},
		{"a bad audit key names the variable", []string{"audit", "verify"}, map[string]string{"KIEMTRA_DATA_DIR": dir, "KIEMTRA_AUDIT_KEY": "short"}, 1, "KIEMTRA_AUDIT_KEY"},
		{"a database not migrated is not migrated by verify", []string{"audit", "verify"}, map[string]string{"KIEMTRA_DATA_DIR": dir}, 1, "kiemtra migrate up"},
		{"help lists the command", []string{"help"}, nil, 0, "audit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.env, tc.args...)
			if code != tc.code || !strings.Contains(out+errOut, tc.contains) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant it to contain %q", code, tc.code, out, errOut, tc.contains)
			}
		})
	}
}
