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

func TestDrawDatesAndResults(t *testing.T) {
	src := models.DrawCanTho
	wed := models.NewDate(2026, 12, 9)
	for _, tc := range []struct {
		today, want models.Date
	}{
		{models.NewDate(2026, 12, 3), wed},                          // a Thursday: next Wednesday
		{models.NewDate(2026, 12, 8), wed},                          // the day before
		{models.NewDate(2026, 12, 9), models.NewDate(2026, 12, 16)}, // a draw day: the next one, its result may be known today
	} {
		if got := scheduler.NextDraw(src, tc.today); got != tc.want {
			t.Errorf("next draw after %s: %s, want %s", tc.today, got, tc.want)
		}
	}
	today := models.NewDate(2026, 12, 3)
	for _, tc := range []struct {
		date models.Date
		ok   bool
	}{
		{wed, true},
		{models.NewDate(2026, 12, 2), false}, // held yesterday
		{today, false},
		{models.NewDate(2026, 12, 10), false}, // a Thursday: no draw
		{models.NewDate(2027, 1, 13), false},  // 41 days ahead
	} {
		err := scheduler.CheckDrawDate(src, tc.date, today)
		if e := models.ErrorAs(err); tc.ok != (err == nil) || (err != nil && (e == nil || e.Field != "draw_date")) {
			t.Errorf("draw date %s: %v", tc.date, err)
		}
	}
	for in, want := range map[string]string{"123456": "123456", " 12 34 56 ": "123456", "12-34.56": "123456", "12345": "", "1234567": "", "12a456": "", "１２３４５６": ""} {
		got, err := scheduler.CheckDrawResult(src, in)
		if got != want || (want == "") != (err != nil) {
			t.Errorf("result %q: %q %v, want %q", in, got, err, want)
		}
		if err != nil && models.ErrorAs(err).Field != "result" {
			t.Errorf("result %q: the error names %q", in, models.ErrorAs(err).Field)
		}
	}
	// Every part of the derivation changes the seed.
	base := scheduler.LotterySeed("s", src.Code, wed, "123456")
	for _, other := range []string{
		scheduler.LotterySeed("t", src.Code, wed, "123456"),
		scheduler.LotterySeed("s", "other", wed, "123456"),
		scheduler.LotterySeed("s", src.Code, wed.AddDays(7), "123456"),
		scheduler.LotterySeed("s", src.Code, wed, "123457"),
	} {
		if other == base {
			t.Fatalf("a changed part of the derivation gave the same seed %s", base)
		}
	}
}

// TestAPlanIsCommittedBeforeItsSeedExistsAndARedraftShows walks the commit-reveal of a plan: the
// inputs and the secret are recorded before the draw, the result cannot be entered before the
// draw is held, and a second plan drafted for the year once the first one's selection is known
// is published as such, with its reason.
func TestAPlanIsCommittedBeforeItsSeedExistsAndARedraftShows(t *testing.T) {
	clock := plantest.NewClock(time.Time{})
	storetest.RunWith(t, storetest.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock.Set(time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)) // a Thursday
		world(t, db, 80)
		cfg := serviceConfig(t, db, models.NewDate(2026, 12, 3))
		cfg.Now = clock.Now
		svc := scheduler.NewService(cfg)
		p := &models.Programme{Code: "P", Name: "Chương trình 2026-2030", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31)}
		if err := svc.CreateProgramme(ctx, "planner", p); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.DraftPlan(ctx, "planner", p.ID, 2027, models.DraftOptions{DrawDate: models.NewDate(2026, 12, 10)}); models.ErrorCode(err) != models.EINVALID {
			t.Fatalf("a Thursday draw: %v", err)
		}
		first, err := svc.DraftPlan(ctx, "planner", p.ID, 2027, models.DraftOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if first.Status != models.PlanCommitted || first.Seed != "" || first.SeedSHA256 != "" || first.DrawDate != models.NewDate(2026, 12, 9) || first.Attempt != 1 {
			t.Fatalf("committed plan: %+v", first)
		}
		if items, _ := db.FindPlanItems(ctx, first.ID); len(items) != 0 {
			t.Fatalf("a committed plan has %d items before its draw", len(items))
		}
		events, err := db.FindAuditEvents(ctx, models.AuditFilter{EntityType: "plan", EntityID: first.ID, Action: "create"})
		if err != nil || len(events) != 1 {
			t.Fatalf("audit of the commitment: %v %d", err, len(events))
		}
		var committed map[string]any
		_ = json.Unmarshal([]byte(events[0].Details), &committed)
		if committed["inputs_sha256"] != scheduler.InputsSHA256(first.Inputs) || committed["secret_sha256"] != first.SecretSHA256 || committed["draw_date"] != "2026-12-09" {
			t.Fatalf("the commitment's audit entry: %v", committed)
		}
		for name, err := range map[string]error{
			"approve": func() error { _, err := svc.Approve(ctx, "planner", first.ID); return err }(),
			"reveal":  func() error { _, err := svc.Reveal(ctx, "admin", first.ID, true); return err }(),
		} {
			if models.ErrorCode(err) != models.EPRECONDITION {
				t.Errorf("%s before the draw: %v, want precondition", name, err)
			}
		}
		// The morning of the draw: its result is not known yet.
		clock.Set(time.Date(2026, 12, 9, 10, 0, 0, 0, time.UTC))
		if _, err := svc.DrawPlan(ctx, "planner", first.ID, "123456"); models.ErrorCode(err) != models.EPRECONDITION {
			t.Fatalf("a result before the draw: %v", err)
		}
		clock.Set(time.Date(2026, 12, 9, 18, 0, 0, 0, time.UTC))
		if _, err := svc.DrawPlan(ctx, "planner", first.ID, "12345"); models.ErrorAs(err) == nil || models.ErrorAs(err).Field != "result" {
			t.Fatalf("five digits: %v", err)
		}
		drawn, err := svc.DrawPlan(ctx, "planner", first.ID, "12 34 56")
		if err != nil || drawn.Status != models.PlanDraft || drawn.DrawResult != "123456" ||
			drawn.Seed != scheduler.LotterySeed("test-seed-1", models.DrawCanTho.Code, first.DrawDate, "123456") {
			t.Fatalf("draw: %v %+v", err, drawn)
		}
		if again, err := svc.DrawPlan(ctx, "planner", first.ID, "123456"); err != nil || again.Seed != drawn.Seed {
			t.Fatalf("the same result again (a retried request): %v", err)
		}
		if _, err := svc.DrawPlan(ctx, "planner", first.ID, "654321"); models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("another result for a drawn plan: %v, want conflict", err)
		}
		items, _ := db.FindPlanItems(ctx, first.ID)
		if len(items) == 0 {
			t.Fatal("the draw made no selection")
		}

		// The planner does not like the selection and drafts again: a reason is required, and the
		// new plan is published as a re-draft made after the first one's selection was known.
		if _, err := svc.DraftPlan(ctx, "planner", p.ID, 2027, models.DraftOptions{}); models.ErrorAs(err) == nil || models.ErrorAs(err).Field != "reason" {
			t.Fatalf("a second plan without a reason: %v", err)
		}
		second, err := svc.DraftPlan(ctx, "planner", p.ID, 2027, models.DraftOptions{Reason: "Sổ đăng ký thiếu 12 cơ sở mới"})
		if err != nil || second.Attempt != 2 || second.DrawDate != models.NewDate(2026, 12, 16) {
			t.Fatalf("re-draft: %v %+v", err, second)
		}
		if old, _ := db.FindPlanByID(ctx, first.ID); old.Status != models.PlanSuperseded {
			t.Fatalf("the first plan is %s after the re-draft", old.Status)
		}
		if _, err := svc.Approve(ctx, "planner", first.ID); models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("approving the superseded plan: %v", err)
		}
		b, err := svc.PlanBundle(ctx, second.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Commits) != 2 || b.Commits[0].PlanID != first.ID || b.Commits[1].PlanID != second.ID || !b.Commits[1].AfterEarlierSelection ||
			!b.Commits[1].AfterEarlierDraw || b.Commits[1].Reason != "Sổ đăng ký thiếu 12 cơ sở mới" || b.Commits[0].AfterEarlierSelection {
			t.Fatalf("the re-draft's commits: %+v", b.Commits)
		}
		if len(b.Warnings) != 1 || len(b.WarningsVI) != 1 || !strings.Contains(b.WarningsVI[0], "lần lập thứ 2") || !strings.Contains(b.Warnings[0], second.ID) {
			t.Fatalf("the re-draft's warnings: %v %v", b.Warnings, b.WarningsVI)
		}
		// The first plan's own bundle lists the re-draft too: whoever checks either sees both.
		if fb, _ := svc.PlanBundle(ctx, first.ID); len(fb.Commits) != 2 || len(fb.Warnings) != 1 {
			t.Fatalf("the first plan's bundle: %+v", fb.Commits)
		}
		events, _ = db.FindAuditEvents(ctx, models.AuditFilter{EntityType: "plan", EntityID: second.ID, Action: "create"})
		if len(events) != 1 || !strings.Contains(events[0].Details, first.ID) || !strings.Contains(events[0].Details, "Sổ đăng ký") {
			t.Fatalf("the re-draft's audit entry: %+v", events)
		}
		if _, err := svc.DrawPlan(ctx, "planner", first.ID, "123456"); models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("drawing a superseded plan: %v", err)
		}
	})
}
