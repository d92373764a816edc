package scheduler_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/scheduler"
	"kiemtra/scheduler/plantest"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func ptr[T any](v T) *T { return &v }

// world stores a city, two districts with two wards each, a team per district and n businesses.
func world(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	areas := []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity}}
	for d := 1; d <= 2; d++ {
		dc := fmt.Sprintf("D%d", d)
		areas = append(areas, &models.Area{Code: dc, ParentCode: ptr("92"), Name: "Quận " + dc, Level: models.AreaLevelDistrict})
		for w := 1; w <= 2; w++ {
			areas = append(areas, &models.Area{Code: fmt.Sprintf("%s%d", dc, w), ParentCode: ptr(dc), Name: "Phường", Level: models.AreaLevelWard})
		}
	}
	if err := db.UpsertAreas(ctx, "t", areas); err != nil {
		t.Fatal(err)
	}
	wards := []string{"D11", "D12", "D21", "D22"}
	var bs []*models.Business
	for i := 0; i < n; i++ {
		bs = append(bs, &models.Business{Name: fmt.Sprintf("Karaoke %d", i), Category: "karaoke", LicenceNo: ptr(fmt.Sprintf("L%05d", i)),
			Lat: 10, Lon: 105, AreaCode: wards[i%4], Status: models.BusinessActive, OpenedOn: models.NewDate(2015, 1, 1)})
	}
	if err := db.CreateBusinesses(ctx, "t", bs); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"D1", "D2"} {
		if err := db.CreateTeam(ctx, "t", &models.Team{Name: "Tổ " + d, Level: models.TeamLevelDistrict, AreaCode: d, BaseLat: 10, BaseLon: 105, WeeklyCapacity: 10}); err != nil {
			t.Fatal(err)
		}
	}
}

func newService(t *testing.T, db *store.DB, today models.Date) *scheduler.Service {
	t.Helper()
	return scheduler.NewService(serviceConfig(t, db, today))
}

// serviceConfig is newService's configuration: a clock at 09:00 on today, numbered secrets.
func serviceConfig(t *testing.T, db *store.DB, today models.Date) scheduler.Config {
	t.Helper()
	cats, err := refdata.Categories()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	return scheduler.Config{Store: db, Categories: cats, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return today.Time(time.UTC).Add(9 * time.Hour) }, Location: time.UTC,
		Seed: func() string { n++; return fmt.Sprintf("test-seed-%d", n) }}
}

func programme(t *testing.T, svc *scheduler.Service) *models.Programme {
	t.Helper()
	p := &models.Programme{Code: "P1", Name: "Chương trình 2026-2030", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31)}
	if err := svc.CreateProgramme(context.Background(), "planner", p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProgrammeValidation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		svc := newService(t, db, models.NewDate(2026, 3, 1))
		ctx := context.Background()
		for _, tc := range []struct {
			name  string
			p     models.Programme
			field string
		}{
			{"reversed dates", models.Programme{Code: "X", Name: "x", StartsOn: models.NewDate(2030, 1, 1), EndsOn: models.NewDate(2026, 1, 1)}, "ends_on"},
			{"a share above 1", models.Programme{Code: "X", Name: "x", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31), MinYearlyShare: 1.2}, "min_yearly_share"},
			{"a negative share", models.Programme{Code: "X", Name: "x", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31), MinYearlyShare: -0.1}, "min_yearly_share"},
			{"a deadline after the end", models.Programme{Code: "X", Name: "x", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31), CoverageDeadline: models.NewDate(2031, 6, 1)}, "coverage_deadline"},
			{"an unknown category", models.Programme{Code: "X", Name: "x", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31), ScopeCategories: models.StringList{"casino"}}, "scope_categories"},
			{"no code", models.Programme{Name: "x", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31)}, "code"},
		} {
			t.Run(tc.name+" is invalid", func(t *testing.T) {
				p := tc.p
				err := svc.CreateProgramme(ctx, "planner", &p)
				if e := models.ErrorAs(err); e == nil || e.Code != models.EINVALID || e.Field != tc.field {
					t.Fatalf("error %v, want invalid on %s", err, tc.field)
				}
			})
		}
		p := programme(t, svc)
		if p.MinYearlyShare != 0.2 || p.CoverageDeadline != p.EndsOn || p.GraceDays != 60 {
			t.Errorf("defaults not applied: %+v", p)
		}
		dup := &models.Programme{Code: "P1", Name: "again", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31)}
		if err := svc.CreateProgramme(ctx, "planner", dup); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("duplicate code: %v, want conflict", err)
		}
	})
}

func TestPlanLifecycleApproveRevealVerify(t *testing.T) {
	clock := plantest.NewClock(time.Time{})
	storetest.RunWith(t, storetest.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock.Set(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
		world(t, db, 200)
		cfg := serviceConfig(t, db, models.NewDate(2026, 1, 5))
		cfg.Now = clock.Now
		svc := scheduler.NewService(cfg)
		p := programme(t, svc)

		if _, err := svc.DraftPlan(ctx, "planner", p.ID, 2031, models.DraftOptions{}); models.ErrorCode(err) != models.EINVALID {
			t.Errorf("a year outside the programme: %v", err)
		}
		if _, err := svc.DraftPlan(ctx, "planner", "nope", 2026, models.DraftOptions{}); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("an unknown programme: %v", err)
		}
		// 200 never inspected and no openings in the registry's history: the levelled rule draws
		// about 200 / 4.75 (the last year counting for three quarters), 42 with this year's
		// capacity, more than the 40 of the yearly share.
		const want = 42
		dry, err := svc.DraftPlanResult(ctx, "planner", p.Code, 2026, models.DraftOptions{DryRun: true})
		if err != nil || len(dry.Result.Items) != want || dry.Plan.ID != "" {
			t.Fatalf("dry run: %v, %+v", err, dry)
		}
		if plans, _ := db.FindPlans(ctx, p.ID); len(plans) != 0 {
			t.Fatal("a dry run stored a plan")
		}
		committed, err := svc.DraftPlan(ctx, "planner", p.ID, 2026, models.DraftOptions{})
		if err != nil {
			t.Fatal(err)
		}
		plan := plantest.DrawOn(t, svc, clock, time.UTC, committed)
		items, err := db.FindPlanItems(ctx, plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		if plan.SeedSHA256 != scheduler.SeedSHA256(plan.Seed) || plan.RevealedSeed() != "" || plan.Status != models.PlanDraft {
			t.Fatal("the seed is not committed, or is shown before it is revealed")
		}
		// Every ward progresses, and the district teams took their own wards.
		if len(items) != want || !plan.Feasible {
			t.Fatalf("plan: %d items, feasible %v", len(items), plan.Feasible)
		}
		approved, err := svc.Approve(ctx, "planner", plan.ID)
		if err != nil || approved.Status != models.PlanApproved {
			t.Fatalf("approve: %v %+v", err, approved)
		}
		tasks, total, err := db.FindTasks(ctx, models.TaskFilter{PlanID: plan.ID})
		if err != nil || total != want {
			t.Fatalf("tasks after approval: %d %v", total, err)
		}
		for _, tk := range tasks {
			if tk.Status != models.TaskPlanned || tk.Reason != models.ReasonCoverage || tk.WindowStart.Year != 2026 {
				t.Fatalf("task %+v", tk)
			}
		}
		if _, err := svc.Approve(ctx, "planner", plan.ID); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("approving twice: %v, want conflict", err)
		}
		if _, err := svc.DraftPlan(ctx, "planner", p.ID, 2026, models.DraftOptions{Reason: "again"}); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("a second plan while one is approved: %v, want conflict", err)
		}
		if _, err := svc.Verify(ctx, plan.ID); models.ErrorCode(err) != models.EPRECONDITION {
			t.Errorf("verify before reveal: %v, want precondition", err)
		}
		if _, err := svc.Reveal(ctx, "planner", plan.ID, false); models.ErrorCode(err) != models.EFORBIDDEN {
			t.Errorf("a planner revealing during the year: %v, want forbidden", err)
		}
		if _, err := svc.Reveal(ctx, "admin", plan.ID, true); err != nil {
			t.Fatal(err)
		}
		v, err := svc.Verify(ctx, plan.ID)
		if err != nil || !v.Matches || v.StoredItems != want {
			t.Fatalf("verify: %v %+v", err, v)
		}
		// Change one stored input: the verification must fail.
		stored, _ := db.FindPlanByID(ctx, plan.ID)
		tampered := stored.Inputs[:len(stored.Inputs)-2] + `,"holidays":["2026-05-19"]}`
		if tampered == stored.Inputs {
			t.Fatal("tampering did not change the inputs")
		}
		if err := db.Gorm().Exec("UPDATE plans SET inputs = ? WHERE id = ?", tampered, plan.ID).Error; err != nil {
			t.Fatal(err)
		}
		if v, err := svc.Verify(ctx, plan.ID); err != nil || v.Matches || v.InputsMatch {
			t.Fatalf("verify after changing an input: %v %+v", err, v)
		}
		db.Gorm().Exec("UPDATE plans SET inputs = ? WHERE id = ?", stored.Inputs, plan.ID)
		// Change one stored item: the verification must fail too.
		if err := db.Gorm().Exec("UPDATE plan_items SET grp = 'reinspection' WHERE plan_id = ? AND business_id = ?", plan.ID, items[0].BusinessID).Error; err != nil {
			t.Fatal(err)
		}
		if v, err := svc.Verify(ctx, plan.ID); err != nil || v.Matches || v.ItemsMatch {
			t.Fatalf("verify after changing an item: %v %+v", err, v)
		}
	})
}

func TestApprovalIsAllOrNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		world(t, db, 60)
		svc := newService(t, db, models.NewDate(2026, 1, 5))
		p := programme(t, svc)
		plan, items := plantest.Drawn(t, serviceConfig(t, db, models.NewDate(2026, 1, 5)), p.ID, 2026, models.DraftOptions{})
		// A task that already exists with the id the approval would need cannot be forced, so
		// break the approval another way: an item that points to a business that vanished.
		if err := db.Gorm().Exec("PRAGMA foreign_keys = OFF").Error; err == nil && db.Dialect() == store.DialectSQLite {
			defer db.Gorm().Exec("PRAGMA foreign_keys = ON")
		}
		if db.Dialect() == store.DialectPostgres {
			db.Gorm().Exec("ALTER TABLE plan_items DROP CONSTRAINT IF EXISTS plan_items_business_id_fkey")
		}
		if err := db.Gorm().Exec("UPDATE plan_items SET business_id = 'ghost' WHERE plan_id = ? AND business_id = ?", plan.ID, items[len(items)-1].BusinessID).Error; err != nil {
			t.Fatal(err)
		}
		db.Gorm().Exec("PRAGMA foreign_keys = ON")
		if _, err := svc.Approve(ctx, "planner", plan.ID); err == nil {
			t.Fatal("approval of a plan with a task for a missing business succeeded")
		}
		if _, n, _ := db.FindTasks(ctx, models.TaskFilter{PlanID: plan.ID}); n != 0 {
			t.Fatalf("%d tasks left behind by a failed approval", n)
		}
		if got, _ := db.FindPlanByID(ctx, plan.ID); got.Status != models.PlanDraft {
			t.Fatalf("plan status %s after a failed approval", got.Status)
		}
	})
}

func TestNightlyJobRequeuesAddsAndTopsUp(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		world(t, db, 100)
		// The last year of a programme: every never-inspected business is in the plan.
		svc := newService(t, db, models.NewDate(2030, 1, 2))
		p := programme(t, svc)
		plan, _ := plantest.Drawn(t, serviceConfig(t, db, models.NewDate(2030, 1, 2)), p.ID, 2030, models.DraftOptions{})
		if _, err := svc.Approve(ctx, "planner", plan.ID); err != nil {
			t.Fatal(err)
		}
		tasks, _, _ := db.FindTasks(ctx, models.TaskFilter{PlanID: plan.ID})
		// One visit refused: the job must queue a repeat.
		refused := tasks[0]
		if err := db.ApplyVisits(ctx, "team", []models.Visit{{Inspection: &models.Inspection{TaskID: &refused.ID, BusinessID: refused.BusinessID,
			StartedAt: time.Date(2030, 3, 4, 9, 0, 0, 0, time.UTC), FinishedAt: time.Date(2030, 3, 4, 9, 10, 0, 0, time.UTC), Outcome: models.OutcomeRefused}}}); err != nil {
			t.Fatal(err)
		}
		// A business opens in March of the last year: it must be added at once.
		late := &models.Business{Name: "Karaoke Mới", Category: "karaoke", LicenceNo: ptr("NEW-1"), Lat: 10, Lon: 105, AreaCode: "D11",
			Status: models.BusinessActive, OpenedOn: models.NewDate(2030, 3, 1)}
		if err := db.CreateBusinesses(ctx, "t", []*models.Business{late}); err != nil {
			t.Fatal(err)
		}
		job := &scheduler.NightlyJob{Service: svc, Store: db, Project: true}
		res, err := job.Run(ctx, time.Date(2030, 3, 5, 1, 30, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		// The run records the night's projection of the rest of the programme (here its last year).
		if !strings.Contains(res, "P1: the rest of the programme fits (") || !strings.Contains(res, "team-days)") {
			t.Errorf("the nightly run does not record the projection: %s", res)
		}
		repeat, _, _ := db.FindTasks(ctx, models.TaskFilter{BusinessID: refused.BusinessID, Statuses: []string{models.TaskPlanned}})
		if len(repeat) != 1 || repeat[0].Reason != models.ReasonRequeue || repeat[0].ParentTaskID == nil || *repeat[0].ParentTaskID != refused.ID {
			t.Fatalf("no repeat of the refused visit (%s): %+v", res, repeat)
		}
		added, _, _ := db.FindTasks(ctx, models.TaskFilter{BusinessID: late.ID})
		if len(added) != 1 || added[0].Status != models.TaskPlanned || added[0].WindowStart != models.NewDate(2030, 3, 6) {
			t.Fatalf("the new business was not added at once (%s): %+v", res, added)
		}
		// Running again changes nothing: the job is idempotent.
		if _, err := job.Run(ctx, time.Date(2030, 3, 5, 2, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if _, n, _ := db.FindTasks(ctx, models.TaskFilter{Statuses: []string{models.TaskPlanned}}); n != 101 {
			t.Fatalf("%d open tasks after a second run, want 101 (100 planned + 1 added, the refused one repeated)", n)
		}
	})
}

func TestNightlyJobTopsUpAfterClosures(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		world(t, db, 400)
		svc := newService(t, db, models.NewDate(2027, 1, 4))
		p := programme(t, svc)
		// The second year: U over four years is 100 visits, above the 80 of the share.
		plan, _ := plantest.Drawn(t, serviceConfig(t, db, models.NewDate(2027, 1, 4)), p.ID, 2027, models.DraftOptions{})
		if _, err := svc.Approve(ctx, "planner", plan.ID); err != nil {
			t.Fatal(err)
		}
		tasks, _, _ := db.FindTasks(ctx, models.TaskFilter{PlanID: plan.ID})
		// Thirty planned businesses close: 70 visits left would end the year below 20%.
		for _, tk := range tasks[:30] {
			b, _ := db.FindBusinessByID(ctx, tk.BusinessID)
			if _, err := db.UpdateBusiness(ctx, "t", b.ID, models.BusinessUpdate{Version: b.Version, Status: ptr(models.BusinessClosed), ClosedOn: ptr(models.NewDate(2027, 2, 1))}); err != nil {
				t.Fatal(err)
			}
		}
		ids := make([]string, 30)
		for i, tk := range tasks[:30] {
			ids[i] = tk.ID
		}
		if err := db.UpdateTaskStatus(ctx, "t", ids, models.TaskCancelled, nil); err != nil {
			t.Fatal(err)
		}
		// Forty businesses opened in January: never inspected, so the top-up would favour them,
		// but the year's share counts only those open on 1 January.
		var fresh []*models.Business
		for i := 0; i < 40; i++ {
			fresh = append(fresh, &models.Business{Name: fmt.Sprintf("Karaoke Mới %d", i), Category: "karaoke", LicenceNo: ptr(fmt.Sprintf("NEW-%d", i)),
				Lat: 10, Lon: 105, AreaCode: "D11", Status: models.BusinessActive, OpenedOn: models.NewDate(2027, 1, 20)})
		}
		if err := db.CreateBusinesses(ctx, "t", fresh); err != nil {
			t.Fatal(err)
		}
		// Fifteen of them already inspected (a tip, a patrol): they must not stand in for the
		// share's businesses either.
		var visits []models.Visit
		for _, b := range fresh[:15] {
			visits = append(visits, models.Visit{Inspection: &models.Inspection{BusinessID: b.ID, StartedAt: time.Date(2027, 1, 25, 9, 0, 0, 0, time.UTC),
				FinishedAt: time.Date(2027, 1, 25, 9, 30, 0, 0, time.UTC), Outcome: models.OutcomeCompliant}})
		}
		if err := db.ApplyVisits(ctx, "team", visits); err != nil {
			t.Fatal(err)
		}
		job := &scheduler.NightlyJob{Service: svc, Store: db}
		res, err := job.Run(ctx, time.Date(2027, 2, 2, 1, 30, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		isFresh := map[string]bool{}
		for _, b := range fresh {
			isFresh[b.ID] = true
		}
		planned, _, _ := db.FindTasks(ctx, models.TaskFilter{Statuses: []string{models.TaskPlanned}})
		open := 0
		for _, tk := range planned {
			if isFresh[tk.BusinessID] {
				t.Fatalf("the top-up drew a business opened after 1 January (%s)", res)
			}
			open++
		}
		// The plan's target is ceil(0.2 * 400) = 80: the job must bring the 70 open visits back
		// to at least 80.
		if open < 80 {
			t.Fatalf("%d open tasks after the top-up (%s), want at least 80", open, res)
		}
	})
}
