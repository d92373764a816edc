package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// otherKey is a key that is not the test databases' audit key: the key of someone who can write
// the database but does not hold the real one.
var otherKey = []byte("not the audit key, but just as long as one")

// seedAudit writes n audited changes (one event each) and returns the events, oldest first.
func seedAudit(t *testing.T, db *store.DB, n int) []*models.AuditEvent {
	t.Helper()
	ctx := context.Background()
	for i := 1; i <= n; i++ {
		if err := db.RecordLookup(ctx, fmt.Sprintf("officer-%d", i), []string{fmt.Sprintf("biz-%d", i)}, fmt.Sprintf("L%04d", i), "renewal"); err != nil {
			t.Fatal(err)
		}
	}
	return auditLog(t, db)
}

// auditLog returns every event, oldest first.
func auditLog(t *testing.T, db *store.DB) []*models.AuditEvent {
	t.Helper()
	var out []*models.AuditEvent
	if err := db.Gorm().Order("id").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func mustVerify(t *testing.T, db *store.DB) *models.AuditVerification {
	t.Helper()
	v, err := db.VerifyAudit(context.Background())
	if err != nil {
		t.Fatalf("VerifyAudit: %v", err)
	}
	return v
}

func exec(t *testing.T, db *store.DB, sql string, args ...any) {
	t.Helper()
	if err := db.Gorm().Exec(sql, args...).Error; err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// saveEvent overwrites a stored event with e, as someone with write access to the database would.
func saveEvent(t *testing.T, db *store.DB, e *models.AuditEvent) {
	t.Helper()
	if err := db.Gorm().Save(e).Error; err != nil {
		t.Fatal(err)
	}
}

// recompute rewrites the chain from index i to the end after an edit, as someone without the
// audit key can: with a key of their own, or as plain SHA-256 events of before the key.
func recompute(t *testing.T, db *store.DB, events []*models.AuditEvent, i int, legacy bool) {
	t.Helper()
	for ; i < len(events); i++ {
		e := events[i]
		if i > 0 {
			e.PrevHash = events[i-1].Hash
		}
		if legacy {
			e.Alg, e.KeyID = models.AuditAlgLegacy, ""
			e.Hash = store.LegacyAuditHash(e)
		} else {
			e.Hash = store.AuditEventMAC(otherKey, e)
		}
		saveEvent(t, db, e)
	}
}

// forgeHead stores a head over events, signed with a key other than the audit key.
func forgeHead(t *testing.T, db *store.DB, events []*models.AuditEvent) {
	t.Helper()
	last := events[len(events)-1]
	h := &models.AuditHead{ID: 1, Events: int64(len(events)), LastID: last.ID, LastHash: last.Hash, KeyID: last.KeyID}
	h.MAC = store.AuditHeadMAC(otherKey, h)
	if err := db.Gorm().Save(h).Error; err != nil {
		t.Fatal(err)
	}
}

func TestAnIntactAuditLogVerifiesWithItsHead(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		if v := mustVerify(t, db); !v.OK || v.Events != 0 || v.Head == nil || v.Head.Events != 0 {
			t.Fatalf("a new database: %+v; want intact, with a head sealed by the migration", v)
		}
		events := seedAudit(t, db, 5)
		v := mustVerify(t, db)
		last := events[len(events)-1]
		if !v.OK || v.Events != 5 || v.Legacy != 0 || v.FirstBad != nil || v.Problem != "" {
			t.Fatalf("intact log: %+v", v)
		}
		if v.Head.Events != 5 || v.Head.LastID != last.ID || v.Head.LastHash != last.Hash || v.Head.KeyID != v.KeyID || v.KeyID != store.AuditKeyID(storetest.AuditKey) {
			t.Fatalf("head %+v, want 5 events ending at %d %s, key %s", v.Head, last.ID, last.Hash, v.KeyID)
		}
		for _, e := range events {
			if e.Alg != models.AuditAlgKeyed || e.KeyID != v.KeyID {
				t.Fatalf("event %d: alg %q key %q", e.ID, e.Alg, e.KeyID)
			}
		}
	})
}

// TestAuditTamperingIsDetected is the four tamperings (an edited middle event, the newest
// events deleted, an edit with the chain recomputed without the key, a forged event appended),
// each in the ways someone who can write the database but lacks the key could try it.
func TestAuditTamperingIsDetected(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tamper  func(t *testing.T, db *store.DB, ev []*models.AuditEvent)
		problem string
		bad     int // index of the first bad event; -1: the problem is no single event
	}{
		{"an edited middle event", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			exec(t, db, "UPDATE audit_events SET actor = 'someone-else' WHERE id = ?", ev[2].ID)
		}, models.AuditEdited, 2},
		{"edited details of the first event", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			exec(t, db, `UPDATE audit_events SET details = '{"query":"L9999"}' WHERE id = ?`, ev[0].ID)
		}, models.AuditEdited, 0},
		{"the newest events deleted", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			exec(t, db, "DELETE FROM audit_events WHERE id > ?", ev[2].ID)
		}, models.AuditEventsMissing, -1},
		{"every event deleted", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			exec(t, db, "DELETE FROM audit_events")
		}, models.AuditEventsMissing, -1},
		{"the newest events deleted and the head's count lowered to match", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			exec(t, db, "DELETE FROM audit_events WHERE id > ?", ev[2].ID)
			exec(t, db, "UPDATE audit_head SET events = 3, last_id = ?, last_hash = ?", ev[2].ID, ev[2].Hash)
		}, models.AuditHeadForged, -1},
		{"the newest events deleted and the head re-signed with another key", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			exec(t, db, "DELETE FROM audit_events WHERE id > ?", ev[2].ID)
			forgeHead(t, db, ev[:3])
		}, models.AuditHeadForged, -1},
		{"the head deleted with the newest events", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			exec(t, db, "DELETE FROM audit_events WHERE id > ?", ev[2].ID)
			exec(t, db, "DELETE FROM audit_head")
		}, models.AuditHeadMissing, -1},
		{"the whole log and its head deleted", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			exec(t, db, "DELETE FROM audit_events")
			exec(t, db, "DELETE FROM audit_head")
		}, models.AuditHeadMissing, -1},
		{"a middle event deleted", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			exec(t, db, "DELETE FROM audit_events WHERE id = ?", ev[2].ID)
		}, models.AuditBrokenLink, 3},
		{"the oldest event deleted", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			exec(t, db, "DELETE FROM audit_events WHERE id = ?", ev[0].ID)
		}, models.AuditBrokenLink, 1},
		{"an edit with the chain recomputed with another key", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			ev[2].Actor = "someone-else"
			recompute(t, db, ev, 2, false)
		}, models.AuditEdited, 2},
		{"an edit with the chain and the head recomputed with another key", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			ev[2].Actor = "someone-else"
			recompute(t, db, ev, 2, false)
			forgeHead(t, db, ev)
		}, models.AuditEdited, 2},
		{"an edit with the rest of the chain recomputed as plain SHA-256", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			ev[2].Actor = "someone-else"
			recompute(t, db, ev, 2, true)
		}, models.AuditUnkeyedAfter, 2},
		{"an edit with the whole chain recomputed as plain SHA-256", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			ev[2].Actor = "someone-else"
			recompute(t, db, ev, 0, true)
		}, models.AuditHeadMismatch, -1},
		{"a forged event appended", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			last := ev[len(ev)-1]
			f := &models.AuditEvent{At: last.At.Add(time.Minute), Actor: "officer-1", Action: "licensing_lookup", EntityType: "business", EntityID: "biz-1",
				Details: `{"query":"L0001"}`, PrevHash: last.Hash, Alg: models.AuditAlgKeyed, KeyID: last.KeyID}
			f.Hash = store.AuditEventMAC(otherKey, f)
			if err := db.Gorm().Create(f).Error; err != nil {
				t.Fatal(err)
			}
		}, models.AuditEdited, 5},
		{"a forged event appended as plain SHA-256", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			last := ev[len(ev)-1]
			f := &models.AuditEvent{At: last.At.Add(time.Minute), Actor: "officer-1", Action: "licensing_lookup", EntityType: "business", EntityID: "biz-1",
				PrevHash: last.Hash, Alg: models.AuditAlgLegacy}
			f.Hash = store.LegacyAuditHash(f)
			if err := db.Gorm().Create(f).Error; err != nil {
				t.Fatal(err)
			}
		}, models.AuditUnkeyedAfter, 5},
		{"a copy of a signed event appended", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			f := *ev[4]
			f.ID, f.PrevHash = 0, ev[4].Hash
			if err := db.Gorm().Create(&f).Error; err != nil {
				t.Fatal(err)
			}
		}, models.AuditEdited, 5},
		{"the head rolled back to an earlier count", func(t *testing.T, db *store.DB, ev []*models.AuditEvent) {
			exec(t, db, "UPDATE audit_head SET events = events - 1")
		}, models.AuditHeadForged, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T, db *store.DB) {
				ev := seedAudit(t, db, 5)
				tc.tamper(t, db, ev)
				v := mustVerify(t, db)
				if v.OK || v.Problem != tc.problem || v.Message == "" || v.MessageVI == "" {
					t.Fatalf("verify after tampering: %+v; want problem %s", v, tc.problem)
				}
				switch {
				case tc.bad < 0 && v.FirstBad != nil:
					t.Fatalf("first bad event %+v; want none (the problem is the log as a whole)", v.FirstBad)
				case tc.bad >= 0 && tc.bad < len(ev) && (v.FirstBad == nil || v.FirstBad.ID != ev[tc.bad].ID):
					t.Fatalf("first bad event %+v; want %d", v.FirstBad, ev[tc.bad].ID)
				case tc.bad >= len(ev) && (v.FirstBad == nil || v.FirstBad.ID <= ev[len(ev)-1].ID):
					t.Fatalf("first bad event %+v; want the appended one", v.FirstBad)
				}
				// A restart (which migrates) and new, honest events do not hide the tampering.
				if _, err := db.Migrate(context.Background()); err != nil {
					t.Fatal(err)
				}
				seedAudit(t, db, 2)
				if again := mustVerify(t, db); again.OK || again.Problem == "" {
					t.Fatalf("after two more appends the tampering is gone: %+v", again)
				}
			})
		})
	}
}

// After the newest events were deleted, the next honest event still follows the last one the
// head signed, so verify points at the gap.
func TestAppendAfterTruncationPointsAtTheGap(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ev := seedAudit(t, db, 5)
		exec(t, db, "DELETE FROM audit_events WHERE id > ?", ev[2].ID)
		after := seedAudit(t, db, 1)
		v := mustVerify(t, db)
		if v.Problem != models.AuditBrokenLink || v.FirstBad == nil || v.FirstBad.ID != after[len(after)-1].ID || !strings.Contains(v.Message, "deleted") {
			t.Fatalf("verify: %+v; want a broken link at the new event %d", v, after[len(after)-1].ID)
		}
	})
}

// An event of another key is "signed with another key", not "tampered with": after a key change
// verify names both keys.
func TestEventsOfAnotherKeyAreNamedAsSuch(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ev := seedAudit(t, db, 3)
		other := storetest.Reopen(t, db, storetest.Options{AuditKey: otherKey})
		v := mustVerify(t, other)
		if v.Problem != models.AuditOtherKey || v.FirstBad == nil || v.FirstBad.ID != ev[0].ID ||
			!strings.Contains(v.Message, store.AuditKeyID(storetest.AuditKey)) || !strings.Contains(v.Message, store.AuditKeyID(otherKey)) {
			t.Fatalf("verify with another key: %+v", v)
		}
		// The new key cannot check the old head, so it leaves it as it was: the old key still
		// verifies its own events and then stops at the first event of the new key.
		if err := other.RecordLookup(context.Background(), "officer", nil, "L1", "renewal"); err != nil {
			t.Fatal(err)
		}
		v = mustVerify(t, db)
		if v.Problem != models.AuditOtherKey || v.FirstBad == nil || v.FirstBad.ID <= ev[2].ID || v.Head.Events != 3 {
			t.Fatalf("verify with the old key after an append with the new one: %+v", v)
		}
	})
}

// The legacy hash is byte for byte the one kiemtra wrote before the audit key: the vector was
// computed with that version's auditHash.
func TestLegacyAuditHashIsTheOldChain(t *testing.T) {
	e := &models.AuditEvent{At: time.Date(2025, 6, 1, 8, 1, 0, 123456000, time.UTC), Actor: "planner", Action: "create", EntityType: "business",
		EntityID: "biz-1", Details: `{"name":"Karaoke Hoa Hồng"}`}
	if got, want := store.LegacyAuditHash(e), "4b26af8d2a326793c94b82be75fca9731495b03767b855ddbdfb4f87a4a751d0"; got != want {
		t.Fatalf("legacy hash %s; want %s", got, want)
	}
}

// The derived key is what docs/operations.md tells operators to compute with openssl when they
// pin it before rotating KIEMTRA_SECRET: a change here would lock every derived-key log out.
func TestDerivedAuditKeyIsStable(t *testing.T) {
	got := fmt.Sprintf("%x", store.DeriveAuditKey(strings.Repeat("s", 32)))
	if want := "7b9bbe12b2ccbfe43e5e0f4c9b2c8b9c2f10cb94dff2dee480467d0a24b2e6db"; got != want {
		t.Fatalf("DeriveAuditKey = %s; want %s", got, want)
	}
}

// legacyEvents writes events as kiemtra did before the audit key: plain SHA-256, on the schema
// before migration 10, then migrates.
func legacyEvents(t *testing.T, db *store.DB, n int) []*models.AuditEvent {
	t.Helper()
	ctx := context.Background()
	if err := db.MigrateDownTo(ctx, 9); err != nil {
		t.Fatal(err)
	}
	prev := ""
	at := time.Date(2025, 6, 1, 8, 0, 0, 123456000, time.UTC)
	for i := 1; i <= n; i++ {
		e := &models.AuditEvent{At: at.Add(time.Duration(i) * time.Minute), Actor: "planner", Action: "create", EntityType: "business",
			EntityID: fmt.Sprintf("biz-%d", i), Details: fmt.Sprintf(`{"name":"Karaoke %d"}`, i), PrevHash: prev}
		e.Hash = store.LegacyAuditHash(e)
		exec(t, db, "INSERT INTO audit_events (at, actor, action, entity_type, entity_id, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			e.At, e.Actor, e.Action, e.EntityType, e.EntityID, e.Details, e.PrevHash, e.Hash)
		prev = e.Hash
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return auditLog(t, db)
}

// A log written before the audit key still verifies after the migration, is anchored by the
// head the migration signs and by the first keyed event, and cannot be rewritten without the key.
func TestALegacyAuditChainIsMigratedAndAnchored(t *testing.T) {
	t.Run("it verifies before and after new events", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T, db *store.DB) {
			ev := legacyEvents(t, db, 3)
			for _, e := range ev {
				if e.Alg != models.AuditAlgLegacy || e.KeyID != "" {
					t.Fatalf("migrated event %d: alg %q key %q; want legacy", e.ID, e.Alg, e.KeyID)
				}
			}
			v := mustVerify(t, db)
			if !v.OK || v.Events != 3 || v.Legacy != 3 || v.Head == nil || v.Head.Events != 3 || v.Head.LastHash != ev[2].Hash {
				t.Fatalf("migrated legacy log: %+v (head %+v)", v, v.Head)
			}
			after := seedAudit(t, db, 2)
			if after[3].PrevHash != ev[2].Hash || after[3].Alg != models.AuditAlgKeyed {
				t.Fatalf("the first keyed event %+v does not follow the last legacy one %s", after[3], ev[2].Hash)
			}
			if v := mustVerify(t, db); !v.OK || v.Events != 5 || v.Legacy != 3 || v.Head.Events != 5 {
				t.Fatalf("legacy then keyed: %+v", v)
			}
		})
	})
	for _, tc := range []struct {
		name    string
		keyed   int // keyed events after the legacy ones
		problem string
		bad     int // index of the first bad event; -1: none
	}{
		{"a legacy event edited and the legacy chain recomputed, before any keyed event", 0, models.AuditHeadMismatch, -1},
		{"a legacy event edited and the legacy chain recomputed, under a keyed event", 2, models.AuditBrokenLink, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T, db *store.DB) {
				legacyEvents(t, db, 3)
				ev := seedAudit(t, db, tc.keyed)
				ev[1].Actor = "someone-else"
				recompute(t, db, ev[:3], 1, true)
				v := mustVerify(t, db)
				if v.OK || v.Problem != tc.problem {
					t.Fatalf("verify: %+v; want %s", v, tc.problem)
				}
				if (tc.bad < 0) != (v.FirstBad == nil) || (tc.bad >= 0 && v.FirstBad.ID != ev[tc.bad].ID) {
					t.Fatalf("first bad event %+v; want index %d", v.FirstBad, tc.bad)
				}
			})
		})
	}
	t.Run("a legacy log whose head was deleted is not re-signed once keyed events exist", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T, db *store.DB) {
			legacyEvents(t, db, 2)
			seedAudit(t, db, 1)
			exec(t, db, "DELETE FROM audit_head")
			seedAudit(t, db, 1)
			if v := mustVerify(t, db); v.Problem != models.AuditHeadMissing {
				t.Fatalf("verify: %+v; want head_missing", v)
			}
		})
	})
}

func TestTheAuditKeyIsRequired(t *testing.T) {
	ctx := context.Background()
	if _, err := store.Open(ctx, store.Options{DataDir: t.TempDir(), AuditKey: []byte("short")}); err == nil || !strings.Contains(err.Error(), "audit key") {
		t.Fatalf("Open with a 5-byte audit key: %v; want a refusal naming the audit key", err)
	}
	db, err := store.Open(ctx, store.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordLookup(ctx, "officer", nil, "L1", "renewal"); err == nil || !strings.Contains(err.Error(), "audit key") {
		t.Fatalf("an audited write without a key: %v; want an error naming the audit key", err)
	}
	if _, err := db.VerifyAudit(ctx); err == nil {
		t.Fatal("VerifyAudit without a key succeeded")
	}
}

func TestAuditEventsAreFilteredByTime(t *testing.T) {
	var now time.Time
	clock := func() time.Time { return now }
	storetest.RunWith(t, storetest.Options{Now: clock}, func(t *testing.T, db *store.DB) {
		now = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
		seedAudit(t, db, 2)
		now = now.Add(24 * time.Hour)
		seedAudit(t, db, 1)
		ctx := context.Background()
		for _, tc := range []struct {
			name     string
			from, to time.Time
			want     int
		}{
			{"from the second day", time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), time.Time{}, 1},
			{"before the second day", time.Time{}, time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC), 2},
			{"to is exclusive", time.Time{}, time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), 0},
			{"from is inclusive", time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC), time.Date(2026, 3, 2, 8, 0, 1, 0, time.UTC), 2},
		} {
			evs, err := db.FindAuditEvents(ctx, models.AuditFilter{From: tc.from, To: tc.to})
			if err != nil || len(evs) != tc.want {
				t.Errorf("%s: %d events, %v; want %d", tc.name, len(evs), err, tc.want)
			}
		}
	})
}
