package store_test

import (
	"context"
	"maps"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// fieldSeed is a team with a user, two businesses and a task for each, released on 3 March.
type fieldSeed struct {
	team  *models.Team
	user  *models.User
	biz   []*models.Business
	tasks []*models.Task
	day   models.Date
}

func seedField(t *testing.T, db *store.DB) *fieldSeed {
	t.Helper()
	ctx := context.Background()
	seedAreas(t, db)
	s := &fieldSeed{day: models.NewDate(2026, 3, 3)}
	s.biz = []*models.Business{newBusiness("Karaoke Một", "L1", "31117"), newBusiness("Karaoke Hai", "L2", "31120")}
	if err := db.CreateBusinesses(ctx, "t", s.biz); err != nil {
		t.Fatal(err)
	}
	s.team = &models.Team{Name: "Tổ 1", Level: models.TeamLevelDistrict, AreaCode: "916", WeeklyCapacity: 10}
	if err := db.CreateTeam(ctx, "t", s.team); err != nil {
		t.Fatal(err)
	}
	s.user = &models.User{Username: "a1", Role: models.RoleInspector, AreaCode: "916", TeamID: &s.team.ID, Agency: models.AgencyPolice}
	if err := db.CreateUser(ctx, "t", s.user); err != nil {
		t.Fatal(err)
	}
	for _, b := range s.biz {
		s.tasks = append(s.tasks, &models.Task{BusinessID: b.ID, Reason: models.ReasonCoverage, Status: models.TaskPlanned, WindowStart: s.day, WindowEnd: s.day.AddDays(30), InclusionProb: 1})
	}
	if err := db.CreateTasks(ctx, "t", s.tasks); err != nil {
		t.Fatal(err)
	}
	var ds []*models.AssignmentDecision
	for i, task := range s.tasks {
		ds = append(ds, &models.AssignmentDecision{TaskID: task.ID, TeamID: s.team.ID, RouteOrder: i + 1})
	}
	if err := db.ReleaseTasks(ctx, "t", s.day, ds); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *fieldSeed) visit(id string, task *models.Task, outcome string, finished time.Time, codes ...string) models.Visit {
	in := &models.Inspection{ID: id, TaskID: &task.ID, BusinessID: task.BusinessID, TeamID: &s.team.ID, StartedAt: finished.Add(-30 * time.Minute),
		FinishedAt: finished, Outcome: outcome, ChecklistVersion: 1, Answers: "[]", Members: "[]", BodySHA256: id, CreatedBy: "a1"}
	v := models.Visit{Inspection: in}
	for _, c := range codes {
		v.Findings = append(v.Findings, &models.Finding{Code: c, Severity: "minor"})
	}
	return v
}

// dayRow is one task of EachTeamDayTask.
type dayRow struct {
	task      *models.Task
	biz       *models.Business
	decidedAt time.Time
	checkedIn bool
	last      *models.Inspection
	codes     []string
}

func teamDay(t *testing.T, db *store.DB, teamID string, day models.Date) []dayRow {
	t.Helper()
	var out []dayRow
	err := db.EachTeamDayTask(context.Background(), teamID, day, func(task *models.Task, b *models.Business, at time.Time, checked bool, last *models.Inspection, codes []string) {
		out = append(out, dayRow{task, b, at, checked, last, codes})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func rows(t *testing.T, db *store.DB, table, where string, args ...any) int {
	t.Helper()
	var n int64
	q := db.Gorm().Table(table)
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestApplyVisitsIsOneTransaction(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := seedField(t, db)
		fin := time.Date(2026, 3, 3, 9, 30, 0, 0, time.UTC)
		v := s.visit("i1", s.tasks[0], models.OutcomeViolation, fin, "HOURS", "FIRE_SAFETY")
		parent := s.tasks[0].ID
		v.NewTasks = []*models.Task{{BusinessID: s.biz[0].ID, Reason: models.ReasonFollowUp, Status: models.TaskPlanned, WindowStart: s.day.AddDays(1), WindowEnd: s.day.AddDays(30), ParentTaskID: &parent}}
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{v}); err != nil {
			t.Fatal(err)
		}
		task, _ := db.FindTaskByID(ctx, s.tasks[0].ID)
		b, _ := db.FindBusinessByID(ctx, s.biz[0].ID)
		if task.Status != models.TaskDone || task.Version != 3 || b.LastInspectedOn != s.day || b.RiskScore != s.biz[0].RiskScore+2 {
			t.Fatalf("after the visit: task %s v%d, business last %s risk %v", task.Status, task.Version, b.LastInspectedOn, b.RiskScore)
		}
		queued, err := db.FindTasksQueuedBy(ctx, parent)
		if err != nil || len(queued) != 1 || queued[0].Reason != models.ReasonFollowUp {
			t.Fatalf("queued: %v %v", queued, err)
		}
		before := [4]int{rows(t, db, "inspections", ""), rows(t, db, "inspection_findings", ""), rows(t, db, "tasks", ""), rows(t, db, "audit_events", "")}

		// A second result for the done task, batched with a good one: neither is kept.
		second := s.visit("i2", s.tasks[0], models.OutcomeCompliant, fin.Add(time.Hour))
		good := s.visit("i3", s.tasks[1], models.OutcomeViolation, fin, "HOURS")
		good.NewTasks = []*models.Task{{BusinessID: s.biz[1].ID, Reason: models.ReasonFollowUp, Status: models.TaskPlanned, WindowStart: s.day.AddDays(1), WindowEnd: s.day.AddDays(30)}}
		err = db.ApplyVisits(ctx, "a1", []models.Visit{good, second})
		if !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("a second result: %v", err)
		}
		after := [4]int{rows(t, db, "inspections", ""), rows(t, db, "inspection_findings", ""), rows(t, db, "tasks", ""), rows(t, db, "audit_events", "")}
		if after != before {
			t.Fatalf("a failed batch left rows: %v, then %v", before, after)
		}
		if task, _ := db.FindTaskByID(ctx, s.tasks[1].ID); task.Status != models.TaskReleased {
			t.Fatalf("the good visit's task is %s after the rollback", task.Status)
		}
		// The same id twice is a conflict too.
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{s.visit("i1", s.tasks[1], models.OutcomeCompliant, fin)}); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("a taken id: %v", err)
		}
	})
}

func TestAVisitIsNotLostToAPlannersEditFromAnOlderCopy(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := seedField(t, db)
		before, _ := db.FindBusinessByID(ctx, s.biz[0].ID) // the planner opens the business
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{s.visit("i1", s.tasks[0], models.OutcomeViolation, time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC), "HOURS")}); err != nil {
			t.Fatal(err)
		}
		phone := "0292 111 111"
		_, err := db.UpdateBusiness(ctx, "planner", before.ID, models.BusinessUpdate{Version: before.Version, Phone: &phone})
		if !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("an edit from the copy read before the visit: %v", err)
		}
		after, _ := db.FindBusinessByID(ctx, s.biz[0].ID)
		if after.RiskScore != before.RiskScore+1 || after.LastInspectedOn != s.day || after.Version != before.Version+1 {
			t.Fatalf("after the visit and the refused edit: risk %v, last %s, version %d", after.RiskScore, after.LastInspectedOn, after.Version)
		}
		if _, err := db.UpdateBusiness(ctx, "planner", before.ID, models.BusinessUpdate{Version: after.Version, Phone: &phone}); err != nil {
			t.Fatalf("the edit from a fresh copy: %v", err)
		}
		if b, _ := db.FindBusinessByID(ctx, s.biz[0].ID); b.RiskScore != after.RiskScore || b.LastInspectedOn != s.day || b.Phone != phone {
			t.Fatalf("after the edit: %+v", b)
		}
	})
}

func TestApplyVisitsKeepsTheLatestInspectionDate(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := seedField(t, db)
		later := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{s.visit("late", s.tasks[0], models.OutcomeCompliant, later)}); err != nil {
			t.Fatal(err)
		}
		// A result of an older visit (amended in from paper, a task without a plan) does not move
		// the date back.
		old := s.visit("old", s.tasks[0], models.OutcomeCompliant, later.AddDate(0, 0, -10))
		old.Inspection.TaskID = nil
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{old}); err != nil {
			t.Fatal(err)
		}
		if b, _ := db.FindBusinessByID(ctx, s.biz[0].ID); b.LastInspectedOn != s.day {
			t.Fatalf("last inspected %s, want %s", b.LastInspectedOn, s.day)
		}
		// A refusal is not an inspection: the date stays.
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{s.visit("refused", s.tasks[1], models.OutcomeRefused, later)}); err != nil {
			t.Fatal(err)
		}
		if b, _ := db.FindBusinessByID(ctx, s.biz[1].ID); !b.LastInspectedOn.IsZero() {
			t.Fatalf("a refusal set the date %s", b.LastInspectedOn)
		}
		if task, _ := db.FindTaskByID(ctx, s.tasks[1].ID); task.Status != models.TaskMissed {
			t.Fatalf("a refused task is %s", task.Status)
		}
	})
}

func TestAResultOfACancelledTaskIsKeptAndTheTaskStaysCancelled(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := seedField(t, db)
		if err := db.UpdateTaskStatus(ctx, "planner", []string{s.tasks[0].ID}, models.TaskCancelled, nil); err != nil {
			t.Fatal(err)
		}
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{s.visit("i1", s.tasks[0], models.OutcomeCompliant, time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC))}); err != nil {
			t.Fatal(err)
		}
		if task, _ := db.FindTaskByID(ctx, s.tasks[0].ID); task.Status != models.TaskCancelled {
			t.Fatalf("the task became %s", task.Status)
		}
		if in, err := db.FindInspectionForTask(ctx, s.tasks[0].ID); err != nil || in.ID != "i1" {
			t.Fatalf("the result: %v %v", in, err)
		}
	})
}

func TestFieldWorkLookups(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := seedField(t, db)
		t0 := time.Date(2026, 3, 3, 8, 0, 0, 0, time.UTC)

		day, ok, err := db.ReleasedTo(ctx, s.tasks[0].ID, s.team.ID)
		if err != nil || !ok || day != s.day {
			t.Fatalf("ReleasedTo: %s %v %v", day, ok, err)
		}
		if _, ok, err := db.ReleasedTo(ctx, s.tasks[0].ID, "another-team"); err != nil || ok {
			t.Fatalf("ReleasedTo another team: %v %v", ok, err)
		}

		// Check-ins: the team's previous one, a task's in order, which tasks have one.
		for i, ck := range []*models.Checkin{
			{ID: "c2", TaskID: s.tasks[0].ID, TeamID: &s.team.ID, UserID: s.user.ID, ClientAt: t0.Add(time.Hour), ServerAt: t0, BodySHA256: "x"},
			{ID: "c1", TaskID: s.tasks[0].ID, TeamID: &s.team.ID, UserID: s.user.ID, ClientAt: t0, ServerAt: t0, BodySHA256: "x", OnSite: true},
		} {
			if err := db.CreateCheckin(ctx, "a1", ck); err != nil {
				t.Fatalf("check-in %d: %v", i, err)
			}
		}
		if err := db.CreateCheckin(ctx, "a1", &models.Checkin{ID: "c1", TaskID: s.tasks[1].ID, UserID: s.user.ID, ClientAt: t0, ServerAt: t0}); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("a taken check-in id: %v", err)
		}
		if ck, err := db.FindCheckin(ctx, "c1"); err != nil || !ck.OnSite || !ck.ClientAt.Equal(t0) {
			t.Fatalf("FindCheckin: %+v %v", ck, err)
		}
		if _, err := db.FindCheckin(ctx, "nope"); !models.IsCode(err, models.ENOTFOUND) {
			t.Fatalf("an unknown check-in: %v", err)
		}
		cks, err := db.TaskCheckins(ctx, s.tasks[0].ID)
		if err != nil || len(cks) != 2 || cks[0].ID != "c1" || cks[1].ID != "c2" {
			t.Fatalf("TaskCheckins: %v %v", cks, err)
		}
		if prev, err := db.PreviousTeamCheckin(ctx, s.team.ID, t0.Add(90*time.Minute)); err != nil || prev.ID != "c2" {
			t.Fatalf("PreviousTeamCheckin: %v %v", prev, err)
		}
		if _, err := db.PreviousTeamCheckin(ctx, s.team.ID, t0); !models.IsCode(err, models.ENOTFOUND) {
			t.Fatalf("no check-in before the first: %v", err)
		}
		// The team's day: both tasks with their businesses, one checked in; a task taken back
		// is still listed (the phone learns it was withdrawn).
		if err := db.UpdateTaskStatus(ctx, "planner", []string{s.tasks[1].ID}, models.TaskPlanned, map[string]any{"released_on": nil}); err != nil {
			t.Fatal(err)
		}
		td := teamDay(t, db, s.team.ID, s.day)
		if len(td) != 2 || td[0].task.ID != s.tasks[0].ID || td[1].task.ID != s.tasks[1].ID || !td[1].task.ReleasedOn.IsZero() {
			t.Fatalf("EachTeamDayTask: %+v", td)
		}
		if !td[0].checkedIn || td[1].checkedIn || td[0].decidedAt.IsZero() || td[0].decidedAt.After(db.Now()) || td[0].last != nil {
			t.Fatalf("EachTeamDayTask: %+v", td[0])
		}
		if b := td[0].biz; b.ID != s.biz[0].ID || b.Name != "Karaoke Một" || b.LicenceNo == nil || *b.LicenceNo != "L1" || b.Lat != s.biz[0].Lat || b.Address == "" {
			t.Fatalf("EachTeamDayTask business: %+v", b)
		}
		// Released again the same day: listed once.
		if err := db.UpdateTaskStatus(ctx, "planner", []string{s.tasks[1].ID}, models.TaskPlanned, map[string]any{"team_id": nil}); err != nil {
			t.Fatal(err)
		}
		if err := db.ReleaseTasks(ctx, "t", s.day, []*models.AssignmentDecision{{TaskID: s.tasks[1].ID, TeamID: s.team.ID, RouteOrder: 3}}); err != nil {
			t.Fatal(err)
		}
		if td := teamDay(t, db, s.team.ID, s.day); len(td) != 2 || td[1].task.RouteOrder != 3 {
			t.Fatalf("EachTeamDayTask after a second release: %+v", td)
		}
		if td := teamDay(t, db, s.team.ID, s.day.AddDays(1)); len(td) != 0 {
			t.Fatalf("EachTeamDayTask of another day: %+v", td)
		}

		// Inspections: the original of a task, its amendments, the latest original per business.
		fin := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{s.visit("i1", s.tasks[0], models.OutcomeViolation, fin, "HOURS")}); err != nil {
			t.Fatal(err)
		}
		earlier := s.visit("i0", s.tasks[0], models.OutcomeCompliant, fin.AddDate(-1, 0, 0))
		earlier.Inspection.TaskID = nil
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{earlier}); err != nil {
			t.Fatal(err)
		}
		amend := &models.Inspection{ID: "i1a", TaskID: &s.tasks[0].ID, BusinessID: s.biz[0].ID, TeamID: &s.team.ID, StartedAt: fin.Add(-time.Hour), FinishedAt: fin.Add(time.Hour),
			Outcome: models.OutcomeCompliant, ChecklistVersion: 1, Answers: "[]", Members: "[]", AmendsID: ptr("i1"), CreatedBy: "a1"}
		if err := db.CreateAmendment(ctx, "lead", amend, nil); err != nil {
			t.Fatal(err)
		}
		if in, err := db.FindInspectionForTask(ctx, s.tasks[0].ID); err != nil || in.ID != "i1" {
			t.Fatalf("FindInspectionForTask: %v %v", in, err)
		}
		if _, err := db.FindInspectionForTask(ctx, s.tasks[1].ID); !models.IsCode(err, models.ENOTFOUND) {
			t.Fatalf("a task without a result: %v", err)
		}
		if am, err := db.FindAmendments(ctx, "i1"); err != nil || len(am) != 1 || am[0].ID != "i1a" {
			t.Fatalf("FindAmendments: %v %v", am, err)
		}
		// The previous inspection of a task's business is the latest original result that is
		// not the task's own: for task 0 (whose result is i1), last year's i0; for a second
		// task at the same business, i1 with its finding.
		later := &models.Task{BusinessID: s.biz[0].ID, Reason: models.ReasonTip, Status: models.TaskPlanned, WindowStart: s.day, WindowEnd: s.day.AddDays(3)}
		if err := db.CreateTasks(ctx, "t", []*models.Task{later}); err != nil {
			t.Fatal(err)
		}
		if err := db.ReleaseTasks(ctx, "t", s.day, []*models.AssignmentDecision{{TaskID: later.ID, TeamID: s.team.ID, RouteOrder: 9}}); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateCheckin(ctx, "a1", &models.Checkin{ID: "c9", TaskID: s.tasks[0].ID, TeamID: &s.team.ID, UserID: s.user.ID, ClientAt: t0, ServerAt: t0}); err != nil {
			t.Fatal(err) // a second check-in does not repeat the task
		}
		td = teamDay(t, db, s.team.ID, s.day)
		if len(td) != 3 || td[0].task.ID != s.tasks[0].ID || td[2].task.ID != later.ID {
			t.Fatalf("EachTeamDayTask with three tasks: %+v", td)
		}
		if l := td[0].last; l == nil || l.ID != "i0" || l.Outcome != models.OutcomeCompliant || len(td[0].codes) != 0 {
			t.Fatalf("the previous inspection of the inspected task: %+v %v", l, td[0].codes)
		}
		if l := td[2].last; l == nil || l.ID != "i1" || !l.FinishedAt.Equal(fin) || l.Outcome != models.OutcomeViolation || len(td[2].codes) != 1 || td[2].codes[0] != "HOURS" {
			t.Fatalf("the previous inspection of a second task: %+v %v", l, td[2].codes)
		}
		if td[1].last != nil {
			t.Fatalf("a business never inspected: %+v", td[1].last)
		}
		if fs, err := db.FindFindings(ctx, []string{"i1", "i0"}); err != nil || len(fs) != 1 || fs[0].Code != "HOURS" || fs[0].BusinessID != s.biz[0].ID {
			t.Fatalf("FindFindings: %v %v", fs, err)
		}
		hist, err := db.FindBusinessInspections(ctx, s.biz[0].ID, time.Time{}, 10)
		if err != nil || len(hist) != 3 || hist[0].ID != "i1a" {
			t.Fatalf("FindBusinessInspections: %d %v", len(hist), err)
		}

		// Photos: the same picture twice is one record.
		p := &models.Photo{ID: "p1", InspectionID: "i1", SHA256: "abc", ContentType: "image/jpeg", SizeBytes: 10, CreatedBy: "a1"}
		got, created, err := db.AddPhoto(ctx, "a1", p)
		if err != nil || !created || got.ID != "p1" {
			t.Fatalf("AddPhoto: %v %v %v", got, created, err)
		}
		got, created, err = db.AddPhoto(ctx, "a1", &models.Photo{ID: "p2", InspectionID: "i1", SHA256: "abc", ContentType: "image/jpeg", SizeBytes: 10, CreatedBy: "a1"})
		if err != nil || created || got.ID != "p1" {
			t.Fatalf("AddPhoto again: %v %v %v", got, created, err)
		}
		if _, _, err := db.AddPhoto(ctx, "a1", &models.Photo{ID: "p3", InspectionID: "i1a", SHA256: "abc", ContentType: "image/jpeg", CreatedBy: "a1"}); err != nil {
			t.Fatalf("the same picture on another inspection: %v", err)
		}
		if ps, err := db.FindPhotos(ctx, "i1"); err != nil || len(ps) != 1 {
			t.Fatalf("FindPhotos: %v %v", ps, err)
		}
		if _, err := db.FindPhoto(ctx, "i1a", "p1"); !models.IsCode(err, models.ENOTFOUND) {
			t.Fatalf("a photo of another inspection: %v", err)
		}
		if _, _, err := db.AddPhoto(ctx, "a1", &models.Photo{ID: "p4", InspectionID: "nope", SHA256: "def", ContentType: "image/jpeg", CreatedBy: "a1"}); err == nil {
			t.Fatal("a photo of no inspection was stored")
		}
	})
}

// A violation not found again at a later inspection is resolved on that day; a visit that did
// not get in (closed door) resolves nothing, and other businesses' findings are untouched.
func TestALaterInspectionResolvesCorrectedViolations(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := seedField(t, db)
		fin := time.Date(2026, 3, 3, 9, 30, 0, 0, time.UTC)
		followUp := func() *models.Task {
			t.Helper()
			task := &models.Task{BusinessID: s.biz[0].ID, Reason: models.ReasonFollowUp, Status: models.TaskPlanned, WindowStart: s.day, WindowEnd: s.day.AddDays(60), InclusionProb: 1}
			if err := db.CreateTasks(ctx, "t", []*models.Task{task}); err != nil {
				t.Fatal(err)
			}
			return task
		}
		apply := func(v models.Visit) {
			t.Helper()
			if err := db.ApplyVisits(ctx, "a1", []models.Visit{v}); err != nil {
				t.Fatal(err)
			}
		}
		resolved := func() map[string]string {
			t.Helper()
			var fs []*models.Finding
			if err := db.Gorm().Order("id").Find(&fs).Error; err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, f := range fs {
				out[f.InspectionID+"/"+f.Code] = f.ResolvedOn.String()
			}
			return out
		}
		apply(s.visit("i1", s.tasks[0], models.OutcomeViolation, fin, "HOURS", "FIRE_SAFETY"))
		apply(s.visit("other", s.tasks[1], models.OutcomeViolation, fin, "HOURS"))
		apply(s.visit("i2", followUp(), models.OutcomeClosed, fin.AddDate(0, 0, 5)))
		apply(s.visit("i3", followUp(), models.OutcomeViolation, fin.AddDate(0, 0, 10), "FIRE_SAFETY"))
		want := map[string]string{"i1/HOURS": "2026-03-13", "i1/FIRE_SAFETY": "", "other/HOURS": "", "i3/FIRE_SAFETY": ""}
		if got := resolved(); !maps.Equal(got, want) {
			t.Fatalf("after the second inspection: %v, want %v", got, want)
		}
		apply(s.visit("i4", followUp(), models.OutcomeCompliant, fin.AddDate(0, 0, 20)))
		want = map[string]string{"i1/HOURS": "2026-03-13", "i1/FIRE_SAFETY": "2026-03-23", "other/HOURS": "", "i3/FIRE_SAFETY": "2026-03-23"}
		if got := resolved(); !maps.Equal(got, want) {
			t.Fatalf("after the compliant inspection: %v, want %v", got, want)
		}
	})
}

// The latest inspection is the one that finished last, whichever was recorded last; none is
// not_found.
func TestFindLatestInspection(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := seedField(t, db)
		if _, err := db.FindLatestInspection(ctx); !models.IsCode(err, models.ENOTFOUND) {
			t.Fatalf("no inspection yet: %v", err)
		}
		fin := time.Date(2026, 3, 3, 9, 30, 0, 0, time.UTC)
		late := s.visit("i1", s.tasks[0], models.OutcomeCompliant, fin.Add(2*time.Hour))
		early := s.visit("i2", s.tasks[1], models.OutcomeCompliant, fin)
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{late}); err != nil {
			t.Fatal(err)
		}
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{early}); err != nil {
			t.Fatal(err)
		}
		if in, err := db.FindLatestInspection(ctx); err != nil || in.ID != "i1" || !in.FinishedAt.Equal(fin.Add(2*time.Hour)) {
			t.Fatalf("latest inspection: %+v %v", in, err)
		}
	})
}
