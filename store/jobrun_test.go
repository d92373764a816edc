package store_test

import (
	"context"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// Runs recorded before runs had a kind get theirs from their slot.
func TestMigrationGivesEveryJobRunItsKind(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.MigrateDownTo(ctx, 16); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 11, 30, 1, 30, 0, 0, time.UTC)
		for _, slot := range []string{"2026-11-30T01:30", "manual-0b7c", "2026-11-29T01:30#retry1"} {
			exec(t, db, "INSERT INTO job_runs (job, slot, started_at, finished_at, status, result, error) VALUES (?, ?, ?, ?, ?, '', '')",
				"nightly", slot, at, at, models.JobOK)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		runs, err := db.FindJobRuns(ctx, "nightly", 10)
		if err != nil || len(runs) != 3 {
			t.Fatalf("runs: %v %v", runs, err)
		}
		want := map[string]string{"2026-11-30T01:30": models.JobScheduled, "manual-0b7c": models.JobManual, "2026-11-29T01:30#retry1": models.JobRetry}
		for _, r := range runs {
			if r.Kind != want[r.Slot] {
				t.Errorf("slot %s: kind %q, want %q", r.Slot, r.Kind, want[r.Slot])
			}
		}
	})
}

func TestTheFirstJobRunDatesTheServiceOnTheDatabase(t *testing.T) {
	var now time.Time
	storetest.RunWith(t, storetest.Options{Now: func() time.Time { return now }}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if at, ok, err := db.FirstJobRunStart(ctx); err != nil || ok || !at.IsZero() {
			t.Fatalf("a new database: %v %v %v", at, ok, err)
		}
		first := time.Date(2026, 11, 20, 8, 15, 0, 0, time.UTC)
		for i, c := range []struct{ job, slot, kind string }{
			{"tip_escalation", "2026-11-20T15:15", models.JobScheduled},
			{"yearly_plan", "2026-12-01T06:00", models.JobCatchUp},
		} {
			now = first.Add(time.Duration(i) * 240 * time.Hour)
			run, ok, err := db.ClaimJobRun(ctx, c.job, c.slot, c.kind)
			if err != nil || !ok || run.Kind != c.kind {
				t.Fatalf("claim %v: %+v %v %v", c, run, ok, err)
			}
		}
		if at, ok, err := db.FirstJobRunStart(ctx); err != nil || !ok || !at.Equal(first) {
			t.Fatalf("first run start: %v %v %v, want %v", at, ok, err, first)
		}
		if runs, err := db.FindJobRuns(ctx, "yearly_plan", 1); err != nil || len(runs) != 1 || runs[0].Kind != models.JobCatchUp {
			t.Fatalf("the catch-up as stored: %+v %v", runs, err)
		}
		// The slot is claimed once, whatever kind the second claim would record.
		if run, ok, err := db.ClaimJobRun(ctx, "yearly_plan", "2026-12-01T06:00", models.JobScheduled); err != nil || ok || run != nil {
			t.Fatalf("a second claim of the slot: %+v %v %v", run, ok, err)
		}
	})
}
