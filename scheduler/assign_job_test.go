package scheduler_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/scheduler"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// The morning job's week: Monday 2 March 2026 and the days after it.
var (
	jobMonday    = models.NewDate(2026, 3, 2)
	jobTuesday   = jobMonday.AddDays(1)
	jobWednesday = jobMonday.AddDays(2)
	jobSaturday  = jobMonday.AddDays(5)
)

// assignWorld is a city (92) of two districts (D1, D2, two wards each) with a team per
// district (D1: 10 a week, so 2 on Monday; D2: 6 a week, so 2 on Monday and 1 on the other
// days) and a city team (5 a week, 1 a day) that takes the overflow; each team has one member.
type assignWorld struct {
	db      *store.DB
	teams   map[string]*models.Team // D1, D2, city
	members map[string]*models.User // by team key
	biz     map[string]*models.Business
}

func newAssignWorld(t *testing.T, db *store.DB) *assignWorld {
	t.Helper()
	ctx := context.Background()
	areas := []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity}}
	for _, d := range []string{"D1", "D2"} {
		areas = append(areas, &models.Area{Code: d, ParentCode: ptr("92"), Name: "Quận " + d, Level: models.AreaLevelDistrict})
		for _, w := range []string{"1", "2"} {
			areas = append(areas, &models.Area{Code: d + w, ParentCode: ptr(d), Name: "Phường " + d + w, Level: models.AreaLevelWard})
		}
	}
	if err := db.UpsertAreas(ctx, "t", areas); err != nil {
		t.Fatal(err)
	}
	w := &assignWorld{db: db, teams: map[string]*models.Team{}, members: map[string]*models.User{}, biz: map[string]*models.Business{}}
	for _, tm := range []struct {
		key, area, level string
		weekly           int
		lon              float64
	}{
		{"D1", "D1", models.TeamLevelDistrict, 10, 105.70},
		{"D2", "D2", models.TeamLevelDistrict, 6, 105.80},
		{"city", "92", models.TeamLevelCity, 5, 105.75},
	} {
		team := &models.Team{Name: "Tổ " + tm.key, Level: tm.level, AreaCode: tm.area, BaseLat: 10.03, BaseLon: tm.lon, WeeklyCapacity: tm.weekly}
		if err := db.CreateTeam(ctx, "t", team); err != nil {
			t.Fatal(err)
		}
		w.teams[tm.key] = team
		u := &models.User{Username: "member." + strings.ToLower(tm.key), Role: models.RoleInspector, Agency: models.AgencyPolice, AreaCode: tm.area, TeamID: &team.ID}
		if err := db.CreateUser(ctx, "t", u); err != nil {
			t.Fatal(err)
		}
		w.members[tm.key] = u
	}
	return w
}

// addTask stores a business of the ward at a position of its own and an open task for it.
func (w *assignWorld) addTask(t *testing.T, key, ward string, reason string, start models.Date, closed bool) *models.Task {
	t.Helper()
	ctx := context.Background()
	b, ok := w.biz[key]
	if !ok {
		n := len(w.biz)
		lon := 105.70 + 0.002*float64(n%7)
		if ward[1] == '2' {
			lon += 0.1
		}
		b = &models.Business{Name: "Karaoke " + key, Category: "karaoke", LicenceNo: ptr("L-" + key), Lat: 10.0 + 0.003*float64(n), Lon: lon,
			AreaCode: ward, Status: models.BusinessActive, OpenedOn: models.NewDate(2015, 1, 1)}
		if closed {
			b.Status, b.ClosedOn = models.BusinessClosed, models.NewDate(2026, 1, 5)
		}
		if err := w.db.CreateBusinesses(ctx, "t", []*models.Business{b}); err != nil {
			t.Fatal(err)
		}
		w.biz[key] = b
	}
	task := &models.Task{BusinessID: b.ID, Reason: reason, Status: models.TaskPlanned, WindowStart: start, WindowEnd: models.NewDate(2026, 3, 31)}
	if err := w.db.CreateTasks(ctx, "t", []*models.Task{task}); err != nil {
		t.Fatal(err)
	}
	return task
}

// state reads every task by id.
func (w *assignWorld) state(t *testing.T) map[string]*models.Task {
	t.Helper()
	var ts []*models.Task
	if err := w.db.Gorm().Order("id").Find(&ts).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]*models.Task{}
	for _, x := range ts {
		out[x.ID] = x
	}
	return out
}

func (w *assignWorld) decisions(t *testing.T) []*models.AssignmentDecision {
	t.Helper()
	var ds []*models.AssignmentDecision
	if err := w.db.Gorm().Order("id").Find(&ds).Error; err != nil {
		t.Fatal(err)
	}
	return ds
}

func (w *assignWorld) teamKey(id string) string {
	for k, team := range w.teams {
		if team.ID == id {
			return k
		}
	}
	return "?" + id
}

func TestMorningJobReleasesTheDaysTasksWithinCapacity(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newAssignWorld(t, db)
		due := map[string]bool{}
		for i := 0; i < 6; i++ {
			due[w.addTask(t, fmt.Sprintf("d1-%d", i), []string{"D11", "D12"}[i%2], models.ReasonCoverage, jobMonday, false).ID] = true
		}
		for i := 0; i < 3; i++ {
			due[w.addTask(t, fmt.Sprintf("d2-%d", i), "D21", models.ReasonCoverage, jobMonday, false).ID] = true
		}
		later := w.addTask(t, "later", "D11", models.ReasonCoverage, jobWednesday, false)
		closed := w.addTask(t, "closed", "D12", models.ReasonCoverage, jobMonday, true)
		// One business with two open tasks: only the urgent tip goes today.
		twiceRoutine := w.addTask(t, "twice", "D21", models.ReasonReinspection, jobMonday, false)
		twiceTip := w.addTask(t, "twice", "D21", models.ReasonTip, jobMonday, false)
		due[twiceTip.ID] = true

		job := &scheduler.MorningJob{Store: db, Location: time.UTC}
		res, err := job.AssignDay(ctx, "test", jobMonday)
		if err != nil {
			t.Fatal(err)
		}
		capacity := map[string]int{"D1": 2, "D2": 2, "city": 1}
		perTeam := map[string]int{}
		for _, a := range res.Assignments {
			perTeam[w.teamKey(a.TeamID)]++
		}
		for _, td := range res.Teams {
			k := w.teamKey(td.TeamID)
			if td.Capacity != capacity[k] || td.Tasks != capacity[k] || perTeam[k] != capacity[k] {
				t.Errorf("team %s: %d tasks of capacity %d (%d assignments), want %d of %d", k, td.Tasks, td.Capacity, perTeam[k], capacity[k], capacity[k])
			}
		}
		st := w.state(t)
		released := map[string][]*models.Task{}
		for id, task := range st {
			if task.Status != models.TaskReleased {
				continue
			}
			if !due[id] {
				t.Errorf("task %s (%s, starting %s) was released but is not due on Monday", id, task.Reason, task.WindowStart)
			}
			if task.ReleasedOn != jobMonday || task.TeamID == nil {
				t.Errorf("released task %s: day %s team %v", id, task.ReleasedOn, task.TeamID)
				continue
			}
			released[*task.TeamID] = append(released[*task.TeamID], task)
		}
		if len(res.Assignments) != 5 {
			t.Fatalf("%d assignments, want 5 (2 + 2 + 1)", len(res.Assignments))
		}
		for _, id := range []string{later.ID, closed.ID, twiceRoutine.ID} {
			if st[id].Status != models.TaskPlanned {
				t.Errorf("task %s is %s, want planned", id, st[id].Status)
			}
		}
		if st[twiceTip.ID].Status != models.TaskReleased {
			t.Errorf("the urgent tip was not released")
		}
		// Each team's day is a route: orders 1..n, as FindTeamDay returns it.
		for teamID, tasks := range released {
			day, err := db.FindTeamDay(ctx, teamID, jobMonday)
			if err != nil {
				t.Fatal(err)
			}
			if len(day) != len(tasks) {
				t.Fatalf("team %s: FindTeamDay has %d tasks, %d released", w.teamKey(teamID), len(day), len(tasks))
			}
			for i, task := range day {
				if task.RouteOrder != i+1 {
					t.Errorf("team %s: stop %d has route order %d", w.teamKey(teamID), i+1, task.RouteOrder)
				}
			}
		}
		// Every release is recorded: who got what, when, why, decided by whom.
		ds := w.decisions(t)
		if len(ds) != 5 {
			t.Fatalf("%d decisions recorded, want 5", len(ds))
		}
		for _, d := range ds {
			task := st[d.TaskID]
			if d.Day != jobMonday || d.DecidedBy != "test" || d.DecidedAt.IsZero() || task.TeamID == nil || *task.TeamID != d.TeamID || task.RouteOrder != d.RouteOrder ||
				!slices.Contains([]string{scheduler.AssignReasonJurisdiction, scheduler.AssignReasonOverflow}, d.Reason) {
				t.Errorf("decision %+v for task %+v", d, task)
			}
			if w.teamKey(d.TeamID) == "city" && d.Reason != scheduler.AssignReasonOverflow {
				t.Errorf("the city team took %s for %q, want overflow", d.TaskID, d.Reason)
			}
		}

		// A second run the same day releases nothing, and no task is released twice.
		again, err := job.AssignDay(ctx, "test", jobMonday)
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Assignments) != 0 {
			t.Fatalf("the second run released %d more tasks", len(again.Assignments))
		}
		if n, _ := db.CountReleased(ctx, jobMonday); n != 5 {
			t.Fatalf("%d tasks released for Monday after two runs", n)
		}
		if ds := w.decisions(t); len(ds) != 5 {
			t.Fatalf("%d decisions after the second run", len(ds))
		}
		// Run (the cron entry point) is the same: nothing new for Monday.
		if msg, err := job.Run(ctx, jobMonday.Time(time.UTC).Add(6*time.Hour)); err != nil || msg != "0 visits released" {
			t.Fatalf("Run on Monday again: %q, %v", msg, err)
		}
	})
}

func TestMorningJobReleasesNothingOnDaysOff(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newAssignWorld(t, db)
		for i := 0; i < 4; i++ {
			w.addTask(t, fmt.Sprintf("b%d", i), "D11", models.ReasonCoverage, jobMonday, false)
		}
		for _, tc := range []struct {
			name string
			job  *scheduler.MorningJob
			day  models.Date
		}{
			{"a holiday", &scheduler.MorningJob{Store: db, Holidays: []models.Date{jobMonday}}, jobMonday},
			{"a Saturday", &scheduler.MorningJob{Store: db}, jobSaturday},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res, err := tc.job.AssignDay(ctx, "test", tc.day)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Assignments) != 0 || len(res.Unassigned) != 4 {
					t.Fatalf("%d released, %d left", len(res.Assignments), len(res.Unassigned))
				}
				if n, _ := db.CountReleased(ctx, tc.day); n != 0 || len(w.decisions(t)) != 0 {
					t.Fatalf("%d tasks released on %s", n, tc.name)
				}
			})
		}
		// The day after the holiday works as usual.
		res, err := (&scheduler.MorningJob{Store: db, Holidays: []models.Date{jobMonday}}).AssignDay(ctx, "test", jobTuesday)
		if err != nil || len(res.Assignments) != 3 {
			t.Fatalf("Tuesday: %v, %v; want 3 released (2 for D1, 1 city overflow)", res, err)
		}
	})
}

func TestMorningJobReleasesTheHorizon(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newAssignWorld(t, db)
		for i := 0; i < 8; i++ {
			w.addTask(t, fmt.Sprintf("b%d", i), "D21", models.ReasonCoverage, jobMonday, false)
		}
		// Monday 06:00 in Hanoi is Sunday 23:00 UTC: the day is the users' day.
		hanoi := time.FixedZone("ICT", 7*3600)
		job := &scheduler.MorningJob{Store: db, Location: hanoi, Horizon: 2}
		msg, err := job.Run(ctx, time.Date(2026, 3, 2, 6, 0, 0, 0, hanoi).UTC())
		if err != nil {
			t.Fatal(err)
		}
		// D2 has 2 on Monday and 1 on Tuesday, the city team 1 a day.
		mon, _ := db.CountReleased(ctx, jobMonday)
		tue, _ := db.CountReleased(ctx, jobTuesday)
		wed, _ := db.CountReleased(ctx, jobWednesday)
		if mon != 3 || tue != 2 || wed != 0 || msg != "5 visits released" {
			t.Fatalf("released Monday %d, Tuesday %d, Wednesday %d (%q); want 3, 2, 0", mon, tue, wed, msg)
		}
	})
}

func TestTheNightReturnsUnfinishedVisitsToThePool(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newAssignWorld(t, db)
		for i := 0; i < 3; i++ {
			w.addTask(t, fmt.Sprintf("b%d", i), "D11", models.ReasonCoverage, jobMonday, false)
		}
		job := &scheduler.MorningJob{Store: db}
		if _, err := job.AssignDay(ctx, "test", jobMonday); err != nil {
			t.Fatal(err)
		}
		day, err := db.FindTeamDay(ctx, w.teams["D1"].ID, jobMonday)
		if err != nil || len(day) != 2 {
			t.Fatalf("D1's Monday: %d tasks, %v", len(day), err)
		}
		// D1 inspects its first stop; the second is left undone.
		done, undone := day[0], day[1]
		in := &models.Inspection{TaskID: &done.ID, BusinessID: done.BusinessID, TeamID: &w.teams["D1"].ID, Outcome: models.OutcomeCompliant,
			StartedAt: jobMonday.Time(time.UTC).Add(9 * time.Hour), FinishedAt: jobMonday.Time(time.UTC).Add(10 * time.Hour), CreatedBy: "d1.lead"}
		if err := db.ApplyVisits(ctx, "d1.lead", []models.Visit{{Inspection: in}}); err != nil {
			t.Fatal(err)
		}
		cats, err := refdata.Categories()
		if err != nil {
			t.Fatal(err)
		}
		tuesdayNight := jobTuesday.Time(time.UTC).Add(90 * time.Minute)
		svc := scheduler.NewService(scheduler.Config{Store: db, Categories: cats, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Now: func() time.Time { return tuesdayNight }, Location: time.UTC})
		msg, err := (&scheduler.NightlyJob{Service: svc, Store: db}).Run(ctx, tuesdayNight)
		if err != nil {
			t.Fatal(err)
		}
		st := w.state(t)
		if st[done.ID].Status != models.TaskDone {
			t.Errorf("the inspected task is %s", st[done.ID].Status)
		}
		back := st[undone.ID]
		if back.Status != models.TaskPlanned || !back.ReleasedOn.IsZero() || back.RouteOrder != 0 {
			t.Fatalf("the unfinished task after the night (%q): %+v", msg, back)
		}
		// Tuesday's morning sends out the returned tasks again (D1's and the city team's
		// unfinished ones), never the done one.
		res, err := job.AssignDay(ctx, "test", jobTuesday)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, a := range res.Assignments {
			ids = append(ids, a.TaskID)
		}
		if len(ids) != 2 || !slices.Contains(ids, undone.ID) || slices.Contains(ids, done.ID) {
			t.Fatalf("Tuesday released %v; want the returned task %s and not the done %s", ids, undone.ID, done.ID)
		}
		// Decisions: one per task and day.
		seen := map[string]bool{}
		for _, d := range w.decisions(t) {
			k := d.TaskID + " " + d.Day.String()
			if seen[k] {
				t.Fatalf("task %s released twice on %s", d.TaskID, d.Day)
			}
			seen[k] = true
		}
	})
}

func TestTheTeamThatInspectedLastIsNotSentAgainWhenAnotherCanGo(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newAssignWorld(t, db)
		last := w.addTask(t, "seen", "D11", models.ReasonReinspection, jobMonday, false)
		w.addTask(t, "other", "D12", models.ReasonCoverage, jobMonday, false)
		// Two earlier inspections of the business: the later one by D1's team.
		for _, v := range []struct {
			team string
			at   time.Time
		}{
			{"city", time.Date(2024, 5, 1, 9, 0, 0, 0, time.UTC)},
			{"D1", time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)},
		} {
			in := &models.Inspection{BusinessID: last.BusinessID, TeamID: &w.teams[v.team].ID, Outcome: models.OutcomeCompliant, StartedAt: v.at, FinishedAt: v.at.Add(time.Hour), CreatedBy: "t"}
			if err := db.ApplyVisits(ctx, "t", []models.Visit{{Inspection: in}}); err != nil {
				t.Fatal(err)
			}
		}
		res, err := (&scheduler.MorningJob{Store: db}).AssignDay(ctx, "test", jobMonday)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, a := range res.Assignments {
			got[a.TaskID] = w.teamKey(a.TeamID) + " " + a.Reason
		}
		if got[last.ID] != "city "+scheduler.AssignReasonRotation {
			t.Fatalf("the task of the business D1 inspected last went to %q; want the city team by rotation (all: %v)", got[last.ID], got)
		}
	})
}

// routeOrders reads a team's day as FindTeamDay returns it: task ids and their route orders.
func (w *assignWorld) routeOrders(t *testing.T, key string, day models.Date) ([]string, []int) {
	t.Helper()
	tasks, err := w.db.FindTeamDay(context.Background(), w.teams[key].ID, day)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var orders []int
	for _, task := range tasks {
		ids = append(ids, task.ID)
		orders = append(orders, task.RouteOrder)
	}
	return ids, orders
}

// A second release to a team the same day (a second run after more tasks fell due, or after
// an urgent tip) makes one route of the day: the visits not begun are reordered with the new
// ones and numbered after the visits begun, and no number repeats.
func TestASecondReleaseReordersTheTeamsDay(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newAssignWorld(t, db)
		// D1 takes 4 a day; the city team has nothing to take.
		if err := db.Gorm().Model(&models.Team{}).Where("id = ?", w.teams["D1"].ID).Update("weekly_capacity", 20).Error; err != nil {
			t.Fatal(err)
		}
		first := []*models.Task{w.addTask(t, "a", "D11", models.ReasonCoverage, jobMonday, false), w.addTask(t, "b", "D12", models.ReasonCoverage, jobMonday, false)}
		job := &scheduler.MorningJob{Store: db, Location: time.UTC}
		if res, err := job.AssignDay(ctx, "test", jobMonday); err != nil || len(res.Assignments) != 2 || len(res.Reordered) != 0 {
			t.Fatalf("first run: %+v, %v", res, err)
		}
		ids, orders := w.routeOrders(t, "D1", jobMonday)
		if !slices.Equal(orders, []int{1, 2}) {
			t.Fatalf("first run: route orders %v", orders)
		}
		for _, task := range first {
			if !slices.Contains(ids, task.ID) {
				t.Fatalf("task %s was not released to D1", task.ID)
			}
		}

		// More tasks fall due (a tip, a repeat); the second run puts all four in one route.
		second := []*models.Task{w.addTask(t, "c", "D11", models.ReasonTip, jobMonday, false), w.addTask(t, "d", "D12", models.ReasonRequeue, jobMonday, false)}
		before := w.state(t)
		res, err := job.AssignDay(ctx, "test", jobMonday)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Assignments) != 2 || len(res.Reordered) != 2 {
			t.Fatalf("second run: %d released, %d reordered; want 2 and 2", len(res.Assignments), len(res.Reordered))
		}
		ids, orders = w.routeOrders(t, "D1", jobMonday)
		if !slices.Equal(orders, []int{1, 2, 3, 4}) {
			t.Fatalf("after the second run the day reads %v, want 1, 2, 3, 4", orders)
		}
		for _, task := range second {
			if !slices.Contains(ids, task.ID) {
				t.Fatalf("task %s was not released to D1", task.ID)
			}
		}
		// The day is a route from the base through all four (the summary rides the stored order).
		td := res.Teams[slices.IndexFunc(res.Teams, func(d scheduler.TeamDay) bool { return d.TeamID == w.teams["D1"].ID })]
		if td.Tasks != 2 || td.RouteLengthM <= 0 || td.RouteLengthM > td.UnorderedLengthM+1e-6 {
			t.Fatalf("D1's summary: %+v", td)
		}
		// A reordered task's phone learns its new place: the change is stamped.
		after := w.state(t)
		for _, task := range first {
			if after[task.ID].RouteOrder != before[task.ID].RouteOrder && after[task.ID].Version != before[task.ID].Version+1 {
				t.Errorf("task %s moved from %d to %d without a new version", task.ID, before[task.ID].RouteOrder, after[task.ID].RouteOrder)
			}
		}
		// Only the new tasks are decisions; the reordered ones keep their own.
		if ds := w.decisions(t); len(ds) != 4 {
			t.Fatalf("%d decisions, want 4", len(ds))
		}
		for _, d := range w.decisions(t) {
			if after[d.TaskID].Status != models.TaskReleased {
				t.Errorf("decision for %s, which is %s", d.TaskID, after[d.TaskID].Status)
			}
		}

		// The team begins its first stop; then one more task falls due and the team has room
		// for it (capacity 5 today). The begun stop keeps its number; the rest follow it.
		if err := db.Gorm().Model(&models.Team{}).Where("id = ?", w.teams["D1"].ID).Update("weekly_capacity", 25).Error; err != nil {
			t.Fatal(err)
		}
		begun := ids[0]
		if err := db.CreateCheckin(ctx, "t", &models.Checkin{ID: "ck-1", TaskID: begun, TeamID: &w.teams["D1"].ID, UserID: w.members["D1"].ID,
			Lat: 10, Lon: 105.7, ClientAt: jobMonday.Time(time.UTC).Add(8 * time.Hour), ServerAt: jobMonday.Time(time.UTC).Add(8 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		fifth := w.addTask(t, "e", "D12", models.ReasonCoverage, jobMonday, false)
		res, err = job.AssignDay(ctx, "test", jobMonday)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Assignments) != 1 || res.Assignments[0].TaskID != fifth.ID || len(res.Reordered) != 3 {
			t.Fatalf("third run: %+v", res)
		}
		ids, orders = w.routeOrders(t, "D1", jobMonday)
		if !slices.Equal(orders, []int{1, 2, 3, 4, 5}) || ids[0] != begun {
			t.Fatalf("after the third run the day reads %v (%v), want the begun stop %s first, then 2..5", orders, ids, begun)
		}
		for _, r := range res.Reordered {
			if r.TaskID == begun || r.RouteOrder < 2 {
				t.Errorf("reordered %+v", r)
			}
		}
	})
}

// An urgent tip appended to a team's day (at the end of its route) is reordered with the day
// at the next release, and a reordered task taken meanwhile fails the release as a whole.
func TestReleaseDayNumbersAfterTheOtherTasksOfTheDay(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newAssignWorld(t, db)
		team := w.teams["D1"].ID
		a, b, c := w.addTask(t, "a", "D11", models.ReasonCoverage, jobMonday, false), w.addTask(t, "b", "D11", models.ReasonCoverage, jobMonday, false), w.addTask(t, "c", "D12", models.ReasonCoverage, jobMonday, false)
		if err := db.ReleaseTasks(ctx, "t", jobMonday, []*models.AssignmentDecision{{TaskID: a.ID, TeamID: team, RouteOrder: 1}, {TaskID: b.ID, TeamID: team, RouteOrder: 2}}); err != nil {
			t.Fatal(err)
		}
		// a is done: b and the new c are numbered after it, in the order given.
		if err := db.Gorm().Model(&models.Task{}).Where("id = ?", a.ID).Update("status", models.TaskDone).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.ReleaseDay(ctx, "t", jobMonday, []*models.AssignmentDecision{{TaskID: c.ID, TeamID: team, RouteOrder: 1}},
			[]*models.AssignmentDecision{{TaskID: b.ID, TeamID: team, RouteOrder: 2}}); err != nil {
			t.Fatal(err)
		}
		ids, orders := w.routeOrders(t, "D1", jobMonday)
		if !slices.Equal(ids, []string{a.ID, c.ID, b.ID}) || !slices.Equal(orders, []int{1, 2, 3}) {
			t.Fatalf("the day: %v %v, want a, c, b as 1, 2, 3", ids, orders)
		}
		stops, err := db.FindOpenStops(ctx, jobMonday)
		if err != nil || len(stops) != 2 || stops[0].Task.ID != c.ID || stops[1].Task.ID != b.ID || stops[0].Lat == 0 {
			t.Fatalf("open stops: %+v, %v", stops, err)
		}
		// b was given back to the pool meanwhile: reordering it is a conflict, and the new
		// task d is not released either.
		d := w.addTask(t, "d", "D12", models.ReasonCoverage, jobMonday, false)
		if err := db.UpdateTaskStatus(ctx, "planner", []string{b.ID}, models.TaskPlanned, map[string]any{"released_on": nil, "route_order": 0}); err != nil {
			t.Fatal(err)
		}
		err = db.ReleaseDay(ctx, "t", jobMonday, []*models.AssignmentDecision{{TaskID: d.ID, TeamID: team, RouteOrder: 2}},
			[]*models.AssignmentDecision{{TaskID: b.ID, TeamID: team, RouteOrder: 1}})
		if !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("reordering a task taken back: %v, want conflict", err)
		}
		if st := w.state(t); st[d.ID].Status != models.TaskPlanned {
			t.Fatalf("d is %s after the failed release", st[d.ID].Status)
		}
	})
}

// A team whose members are all disabled (or gone) gets no visits: its district's tasks go to
// the city team's overflow or stay in the pool.
func TestATeamWithoutEnabledMembersGetsNoVisits(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newAssignWorld(t, db)
		for i := 0; i < 3; i++ {
			w.addTask(t, fmt.Sprintf("d2-%d", i), "D21", models.ReasonCoverage, jobMonday, false)
		}
		off := true
		if _, err := db.UpdateUser(ctx, "t", w.members["D2"].ID, models.UserUpdate{Disabled: &off}, ""); err != nil {
			t.Fatal(err)
		}
		res, err := (&scheduler.MorningJob{Store: db, Location: time.UTC}).AssignDay(ctx, "test", jobMonday)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, a := range res.Assignments {
			got[w.teamKey(a.TeamID)]++
		}
		if got["D2"] != 0 || got["city"] != 1 || len(res.Unassigned) != 2 {
			t.Fatalf("released %v, %d left; want none to D2, 1 to the city team, 2 left", got, len(res.Unassigned))
		}
		for _, td := range res.Teams {
			if td.TeamID == w.teams["D2"].ID {
				t.Fatalf("the memberless team is in the summary: %+v", td)
			}
		}
	})
}
