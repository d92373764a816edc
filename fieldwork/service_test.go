package fieldwork

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

var ict = time.FixedZone("ICT", 7*3600)

// fieldFixture is one team with two inspectors and two tasks released to it for 3 March 2026.
type fieldFixture struct {
	s       *Service
	db      *store.DB
	a1, a2  Caller
	tasks   []*models.Task
	biz     *models.Business
	release models.Date
	v1      *models.Checklist // the checklist the fixture's results answer
}

func newFieldFixture(t *testing.T, db *store.DB, now func() time.Time) *fieldFixture {
	t.Helper()
	ctx := context.Background()
	p := func(s string) *string { return &s }
	if err := db.UpsertAreas(ctx, "t", []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity},
		{Code: "D1", ParentCode: p("92"), Name: "Quận 1", Level: models.AreaLevelDistrict}}); err != nil {
		t.Fatal(err)
	}
	b := &models.Business{Name: "Karaoke", Category: "karaoke", Lat: 10.03, Lon: 105.77, AreaCode: "D1", Status: models.BusinessActive}
	b2 := &models.Business{Name: "Karaoke 2", Category: "karaoke", Lat: 10.04, Lon: 105.77, AreaCode: "D1", Status: models.BusinessActive}
	if err := db.CreateBusinesses(ctx, "t", []*models.Business{b, b2}); err != nil {
		t.Fatal(err)
	}
	team := &models.Team{Name: "Tổ 1", Level: models.TeamLevelDistrict, AreaCode: "D1", WeeklyCapacity: 10}
	if err := db.CreateTeam(ctx, "t", team); err != nil {
		t.Fatal(err)
	}
	f := &fieldFixture{db: db, biz: b, release: models.NewDate(2026, 3, 3)}
	for i, name := range []string{"a1", "a2"} {
		u := &models.User{Username: name, Role: models.RoleInspector, AreaCode: "D1", TeamID: &team.ID, Agency: models.AgencyPolice}
		if err := db.CreateUser(ctx, "t", u); err != nil {
			t.Fatal(err)
		}
		c := Caller{UserID: u.ID, Username: name, Role: u.Role, TeamID: team.ID}
		if i == 0 {
			f.a1 = c
		} else {
			f.a2 = c
		}
	}
	for _, bb := range []*models.Business{b, b2} {
		f.tasks = append(f.tasks, &models.Task{BusinessID: bb.ID, Reason: models.ReasonCoverage, Status: models.TaskPlanned,
			WindowStart: f.release, WindowEnd: f.release.AddDays(30), InclusionProb: 0.5})
	}
	if err := db.CreateTasks(ctx, "t", f.tasks); err != nil {
		t.Fatal(err)
	}
	var ds []*models.AssignmentDecision
	for i, task := range f.tasks {
		ds = append(ds, &models.AssignmentDecision{TaskID: task.ID, TeamID: team.ID, RouteOrder: i + 1, Reason: "jurisdiction"})
	}
	if err := db.ReleaseTasks(ctx, "t", f.release, ds); err != nil {
		t.Fatal(err)
	}
	f.v1, _ = refdata.Checklist()
	cats, _ := refdata.CategorySet()
	f.s = New(Config{Store: db, Categories: cats, Now: now, Location: ict})
	return f
}

func (f *fieldFixture) input(t *testing.T, task *models.Task, outcome string, start time.Time, no ...string) InspectionInput {
	t.Helper()
	in := InspectionInput{ID: uuid.NewString(), TaskID: task.ID, StartedAt: &start, Outcome: outcome, ChecklistVersion: 1}
	end := start.Add(40 * time.Minute)
	in.FinishedAt = &end
	if models.Inspected(outcome) {
		for _, it := range f.v1.Items {
			if applies(it, "karaoke") {
				a := "yes"
				for _, n := range no {
					if n == it.ID {
						a = "no"
					}
				}
				in.Answers = append(in.Answers, models.Answer{ItemID: it.ID, Answer: a})
			}
		}
	}
	return in
}

func countRows(t *testing.T, db *store.DB, table, where string, args ...any) int {
	t.Helper()
	var n int64
	if err := db.Gorm().Table(table).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestConcurrentCopiesOfOneResultAreStoredOnce(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 3, 3, 12, 0, 0, 0, ict) }
	storetest.RunWith(t, storetest.Options{Now: func() time.Time { return time.Date(2026, 3, 3, 6, 0, 0, 0, ict) }}, func(t *testing.T, db *store.DB) {
		f := newFieldFixture(t, db, now)
		ctx := context.Background()
		in := f.input(t, f.tasks[0], models.OutcomeViolation, time.Date(2026, 3, 3, 9, 0, 0, 0, ict), "K03")
		const n = 8
		var wg sync.WaitGroup
		created := make(chan string, n)
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(c Caller) {
				defer wg.Done()
				v, ok, err := f.s.SubmitInspection(ctx, c, in)
				if err != nil {
					errs <- err
					return
				}
				if ok {
					created <- v.ID
				}
				if v.ID != in.ID || len(v.Findings) != 1 || len(v.NewTasks) != 1 {
					errs <- models.Errorf(models.EINTERNAL, "copy answered %s with %d findings and %d new tasks", v.ID, len(v.Findings), len(v.NewTasks))
				}
			}([]Caller{f.a1, f.a2}[i%2])
		}
		wg.Wait()
		close(created)
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if len(created) != 1 {
			t.Fatalf("%d copies answered created", len(created))
		}
		if c := countRows(t, db, "inspections", "task_id = ?", f.tasks[0].ID); c != 1 {
			t.Fatalf("%d results stored", c)
		}
		if c := countRows(t, db, "tasks", "parent_task_id = ?", f.tasks[0].ID); c != 1 {
			t.Fatalf("%d follow-ups stored", c)
		}
		if c := countRows(t, db, "inspection_findings", "inspection_id = ?", in.ID); c != 1 {
			t.Fatalf("%d findings stored", c)
		}
	})
}

func TestTwoResultsForOneTaskRaceAndOneWins(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 3, 3, 12, 0, 0, 0, ict) }
	storetest.RunWith(t, storetest.Options{Now: func() time.Time { return time.Date(2026, 3, 3, 6, 0, 0, 0, ict) }}, func(t *testing.T, db *store.DB) {
		f := newFieldFixture(t, db, now)
		ctx := context.Background()
		const n = 6
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins, conflicts := 0, 0
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				in := f.input(t, f.tasks[1], []string{models.OutcomeCompliant, models.OutcomeRefused}[i%2], time.Date(2026, 3, 3, 9, i, 0, 0, ict))
				_, ok, err := f.s.SubmitInspection(ctx, f.a1, in)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil && ok:
					wins++
				case models.IsCode(err, models.ECONFLICT):
					conflicts++
				default:
					t.Errorf("result %d: %v %v", i, ok, err)
				}
			}(i)
		}
		wg.Wait()
		if wins != 1 || conflicts != n-1 {
			t.Fatalf("%d won, %d conflicts", wins, conflicts)
		}
		if c := countRows(t, db, "inspections", "task_id = ?", f.tasks[1].ID); c != 1 {
			t.Fatalf("%d results stored", c)
		}
		if c := countRows(t, db, "tasks", "parent_task_id = ?", f.tasks[1].ID); c > 1 {
			t.Fatalf("%d repeats stored", c)
		}
	})
}

func TestConcurrentCopiesOfOneCheckinAreStoredOnce(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 3, 3, 12, 0, 0, 0, ict) }
	storetest.RunWith(t, storetest.Options{Now: now}, func(t *testing.T, db *store.DB) {
		f := newFieldFixture(t, db, now)
		ctx := context.Background()
		lat, lon, acc := f.biz.Lat, f.biz.Lon, 5.0
		when := time.Date(2026, 3, 3, 8, 0, 0, 0, ict)
		in := CheckinInput{ID: uuid.NewString(), Lat: &lat, Lon: &lon, AccuracyM: &acc, At: &when}
		var wg sync.WaitGroup
		var mu sync.Mutex
		created := 0
		for i := 0; i < 6; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, ok, err := f.s.Checkin(ctx, f.a1, f.tasks[0].ID, in)
				mu.Lock()
				defer mu.Unlock()
				if err != nil || r.ID != in.ID || !r.OnSite {
					t.Errorf("check-in copy: %+v %v", r, err)
				}
				if ok {
					created++
				}
			}()
		}
		wg.Wait()
		if created != 1 || countRows(t, db, "checkins", "id = ?", in.ID) != 1 {
			t.Fatalf("%d copies created", created)
		}
	})
}

// A task the plan gives the team but that was not released to it yet is as unknown to the team
// as another team's: the answer must not tell the team which businesses it will visit later.
func TestATaskNotReleasedYetIsNotFound(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 3, 3, 12, 0, 0, 0, ict) }
	storetest.RunWith(t, storetest.Options{Now: now}, func(t *testing.T, db *store.DB) {
		f := newFieldFixture(t, db, now)
		ctx := context.Background()
		later := &models.Task{BusinessID: f.biz.ID, Reason: models.ReasonCoverage, Status: models.TaskPlanned, TeamID: &f.a1.TeamID,
			WindowStart: f.release.AddDays(7), WindowEnd: f.release.AddDays(30)}
		if err := db.CreateTasks(ctx, "t", []*models.Task{later}); err != nil {
			t.Fatal(err)
		}
		lat, lon, acc, at := f.biz.Lat, f.biz.Lon, 10.0, now()
		for _, tc := range []struct {
			name, task string
		}{
			{"a task planned for the team", later.ID},
			{"an unknown task", "no-such-task"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, _, err := f.s.Checkin(ctx, f.a1, tc.task, CheckinInput{Lat: &lat, Lon: &lon, AccuracyM: &acc, At: &at})
				if e := models.ErrorAs(err); e == nil || e.Code != models.ENOTFOUND || e.Field != "task" {
					t.Fatalf("check-in: %v, want not_found on task", err)
				}
				in := f.input(t, later, models.OutcomeClosed, now().Add(-time.Hour))
				in.TaskID = tc.task
				_, _, err = f.s.SubmitInspection(ctx, f.a1, in)
				if e := models.ErrorAs(err); e == nil || e.Code != models.ENOTFOUND || e.Field != "task" {
					t.Fatalf("result: %v, want not_found on task", err)
				}
			})
		}
		if n := countRows(t, db, "checkins", "task_id = ?", later.ID); n != 0 {
			t.Fatalf("%d check-ins stored for the task", n)
		}
	})
}
