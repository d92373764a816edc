package scheduler_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/scheduler"
	"kiemtra/scheduler/plantest"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// roundTrip writes a bundle as a file would hold it (indented) and reads it back.
func roundTrip(t *testing.T, b *models.PlanBundle) *models.PlanBundle {
	t.Helper()
	raw, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	var out models.PlanBundle
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return &out
}

func hasDifference(v *models.PlanVerification, part string) bool {
	for _, d := range v.Differences {
		if strings.Contains(d, part) {
			return true
		}
	}
	return false
}

func TestAPlansBundleReDerivesItsSelectionWithoutADatabase(t *testing.T) {
	clock := plantest.NewClock(time.Time{})
	storetest.RunWith(t, storetest.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock.Set(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
		world(t, db, 120)
		cfg := serviceConfig(t, db, models.NewDate(2026, 1, 5))
		cfg.Now = clock.Now
		svc := scheduler.NewService(cfg)
		p := programme(t, svc)
		committed, err := svc.DraftPlan(ctx, "planner", p.ID, 2026, models.DraftOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// Committed: the inputs and the secret are published by their hashes, the draw is named,
		// and no seed exists yet.
		atCommit, err := svc.PlanBundle(ctx, committed.ID)
		if err != nil {
			t.Fatal(err)
		}
		if atCommit.SeedSource != models.SeedSourceLottery || atCommit.SeedSHA256 != "" || atCommit.SecretSHA256 != scheduler.SeedSHA256("test-seed-1") ||
			atCommit.InputsSHA256 != scheduler.InputsSHA256(committed.Inputs) || atCommit.Draw == nil || atCommit.Draw.Date != models.NewDate(2026, 1, 7) ||
			atCommit.Draw.Result != "" || !strings.Contains(atCommit.NoticeVI, "Xổ số kiến thiết Cần Thơ") || len(atCommit.Commits) != 1 || len(atCommit.Warnings) != 0 {
			t.Fatalf("the committed plan's bundle: %+v", atCommit)
		}
		plan := plantest.DrawOn(t, svc, clock, time.UTC, committed)
		items, err := db.FindPlanItems(ctx, plan.ID)
		if err != nil {
			t.Fatal(err)
		}

		before, err := svc.PlanBundle(ctx, plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		if before.Revealed || before.Seed != "" || before.Inputs != nil || before.Selection != nil || before.NoticeVI == "" {
			t.Fatalf("before the reveal the bundle shows more than the commitments: %+v", before)
		}
		if before.SeedSHA256 != plan.SeedSHA256 || before.InputsSHA256 != scheduler.InputsSHA256(plan.Inputs) || before.Counts.Total != len(items) || before.Counts.InScope != 120 ||
			before.Draw.Result != plantest.Result || before.Draw.SeedSHA256 != plan.SeedSHA256 || before.SecretSHA256 != atCommit.SecretSHA256 {
			t.Fatalf("commitments or counts: %+v", before)
		}
		raw, _ := json.Marshal(before)
		for _, it := range items {
			if strings.Contains(string(raw), it.BusinessID) {
				t.Fatalf("the bundle names selected business %s before the reveal", it.BusinessID)
			}
		}
		if v := scheduler.CheckPlanBundle(before); v.Matches || !hasDifference(v, "not revealed") {
			t.Fatalf("an unrevealed bundle checks: %+v", v)
		}
		if _, err := svc.PlanBundle(ctx, "nope"); models.ErrorCode(err) != models.ENOTFOUND {
			t.Fatalf("unknown plan: %v", err)
		}

		if _, err := svc.Reveal(ctx, "admin", plan.ID, true); err != nil {
			t.Fatal(err)
		}
		revealed, err := svc.PlanBundle(ctx, plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !revealed.Revealed || revealed.Seed != plan.Seed || revealed.Secret != "test-seed-1" || len(revealed.Selection) != len(items) || revealed.Format != models.PlanBundleFormat {
			t.Fatalf("revealed bundle: %+v", revealed)
		}
		t.Run("the bundle as downloaded re-derives", func(t *testing.T) {
			v := scheduler.CheckPlanBundle(roundTrip(t, revealed))
			if !v.Matches || v.ComputedItems != len(items) || len(v.Differences) != 0 {
				t.Fatalf("%+v", v)
			}
		})
		t.Run("a changed field of a business fails on the inputs hash", func(t *testing.T) {
			b := roundTrip(t, revealed)
			var in scheduler.Input
			if err := json.Unmarshal(b.Inputs, &in); err != nil {
				t.Fatal(err)
			}
			in.Businesses[0].Violations += 3
			b.Inputs, _ = json.Marshal(in)
			v := scheduler.CheckPlanBundle(b)
			if v.Matches || v.InputsMatch || !v.SeedMatches || !hasDifference(v, "inputs: their hash") {
				t.Fatalf("%+v", v)
			}
		})
		t.Run("a changed seed fails on the seed hash and on the selection", func(t *testing.T) {
			b := roundTrip(t, revealed)
			b.Seed = "another seed"
			v := scheduler.CheckPlanBundle(b)
			if v.Matches || v.SeedMatches || !v.InputsMatch || v.ItemsMatch || !hasDifference(v, "seed: sha256(seed)") || !hasDifference(v, "selected by the seed but not in the plan") {
				t.Fatalf("%+v", v)
			}
		})
		t.Run("a changed selection names the businesses", func(t *testing.T) {
			b := roundTrip(t, revealed)
			dropped := b.Selection[0].BusinessID
			b.Selection[0].BusinessID = "someone-else"
			v := scheduler.CheckPlanBundle(b)
			if v.Matches || v.ItemsMatch || !v.InputsMatch || !v.SeedMatches ||
				!hasDifference(v, "business "+dropped+" is selected by the seed but not in the plan") ||
				!hasDifference(v, "business someone-else is in the plan's selection but not selected by the seed") {
				t.Fatalf("%+v", v)
			}
			b = roundTrip(t, revealed)
			b.Selection[1].InclusionProb /= 2
			if v := scheduler.CheckPlanBundle(b); v.ItemsMatch || !hasDifference(v, "business "+b.Selection[1].BusinessID+": the plan has") {
				t.Fatalf("a changed probability: %+v", v)
			}
		})
		t.Run("another draw result fails on the seed's derivation", func(t *testing.T) {
			b := roundTrip(t, revealed)
			b.Draw.Result = "654321"
			v := scheduler.CheckPlanBundle(b)
			if v.Matches || v.SeedDerives || !v.SecretMatches || !v.SeedMatches || !hasDifference(v, "the secret and the draw result 654321") {
				t.Fatalf("%+v", v)
			}
		})
		t.Run("another secret fails on the commitment", func(t *testing.T) {
			b := roundTrip(t, revealed)
			b.Secret = "test-seed-2"
			v := scheduler.CheckPlanBundle(b)
			if v.Matches || v.SecretMatches || v.SeedDerives || !hasDifference(v, "secret: sha256(secret)") {
				t.Fatalf("%+v", v)
			}
		})
		t.Run("a commitment dated on the draw's day fails", func(t *testing.T) {
			b := roundTrip(t, revealed)
			b.CommittedAt = b.Draw.Date.Time(time.UTC).Add(2 * time.Hour)
			v := scheduler.CheckPlanBundle(b)
			if v.Matches || v.DrawAfterCommit || !hasDifference(v, "not before the draw") {
				t.Fatalf("%+v", v)
			}
		})
		t.Run("another format is refused", func(t *testing.T) {
			b := roundTrip(t, revealed)
			b.Format = "kiemtra-plan-bundle/9"
			if v := scheduler.CheckPlanBundle(b); v.Matches || !hasDifference(v, "format") {
				t.Fatalf("%+v", v)
			}
		})
		t.Run("the signed-in verify agrees", func(t *testing.T) {
			v, err := svc.Verify(ctx, plan.ID)
			if err != nil || !v.Matches {
				t.Fatalf("%v %+v", err, v)
			}
		})
	})
}
