package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/scheduler"
)

// addDueTasks stores n businesses in each of the wards with a coverage task due this week.
func (env *authEnv) addDueTasks(t *testing.T, n int, wards ...string) {
	t.Helper()
	ctx := t.Context()
	south := map[string][2]float64{"D11": {10.0, 105.0}, "D12": {10.05, 105.0}, "D21": {10.0, 105.1}, "D22": {10.05, 105.1}}
	var tasks []*models.Task
	for _, w := range wards {
		for i := 0; i < n; i++ {
			c := south[w]
			b := &models.Business{Name: fmt.Sprintf("Quán %s-%d", w, i), Category: "karaoke", Lat: c[0] + 0.005 + 0.004*float64(i%10), Lon: c[1] + 0.005 + 0.009*float64((i*7)%10),
				AreaCode: w, Status: models.BusinessActive, OpenedOn: models.NewDate(2018, 1, 1)}
			if err := env.db.CreateBusinesses(ctx, "t", []*models.Business{b}); err != nil {
				t.Fatal(err)
			}
			tasks = append(tasks, &models.Task{BusinessID: b.ID, Reason: models.ReasonCoverage, Status: models.TaskPlanned,
				WindowStart: models.NewDate(2026, 3, 2), WindowEnd: models.NewDate(2026, 3, 31)})
		}
	}
	if err := env.db.CreateTasks(ctx, "t", tasks); err != nil {
		t.Fatal(err)
	}
}

// runAssignment posts to /assignments/run; the answer is checked against docs/openapi.yaml.
func runAssignment(t *testing.T, h http.Handler, body string, opts ...reqOpt) *httptest.ResponseRecorder {
	t.Helper()
	return call(t, h, "POST", "/api/v1/assignments/run", body, opts...)
}

func TestAssignmentOnDemandAndTheTeamsDay(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		h := env.srv
		env.addDueTasks(t, 6, "D11", "D12", "D21")
		planner := env.as(t, "planner")
		for _, tc := range []struct{ name, body string }{
			{"a day in the past", `{"date":"2026-03-01"}`},
			// The release horizon is today only: tomorrow's visits are not known yet.
			{"tomorrow beyond a horizon of one day", `{"date":"2026-03-03"}`},
			{"a day two weeks ahead", `{"date":"2026-03-16"}`},
			{"not a date", `{"date":"2 March"}`},
			{"an unknown field", `{"day":"2026-03-02"}`},
		} {
			t.Run(tc.name+" is 400", func(t *testing.T) {
				w := runAssignment(t, h, tc.body, planner)
				if e := decodeError(t, w); w.Code != 400 || e.Field == "" {
					t.Fatalf("%d %s", w.Code, w.Body)
				}
			})
		}
		// The assignment releases every district's visits (the city team takes the overflow)
		// and answers every team's day: a district planner may not run it.
		for _, user := range []string{"lead1", "d1planner", "d1admin"} {
			w := runAssignment(t, h, `{}`, env.as(t, user))
			if e := decodeError(t, w); w.Code != http.StatusForbidden || e.Code != models.EFORBIDDEN {
				t.Fatalf("%s running the assignment: %d %s", user, w.Code, w.Body)
			}
		}
		if n, _ := env.db.CountReleased(t.Context(), models.NewDate(2026, 3, 2)); n != 0 {
			t.Fatalf("a refused run released %d visits", n)
		}
		w := runAssignment(t, h, "", planner) // today: Monday 2 March
		sum := decodeInto[models.AssignmentSummary](t, w)
		// Each team has 2 visits on a Monday (10 a week over five days).
		if w.Code != 200 || sum.Day != models.NewDate(2026, 3, 2) || sum.Released != 6 || sum.Unassigned != 12 {
			t.Fatalf("run: %d %s", w.Code, w.Body)
		}
		if w := runAssignment(t, h, `{"date":"2026-03-02"}`, planner); w.Code != 200 || decodeInto[models.AssignmentSummary](t, w).Released != 0 {
			t.Fatalf("a second run of the day released more: %d %s", w.Code, w.Body)
		}

		lead := env.as(t, "lead1")
		w = call(t, h, "GET", "/api/v1/teams/"+env.teams["T1"].ID+"/day", "", lead)
		day := decodeInto[TeamDayView](t, w)
		if w.Code != 200 || len(day.Stops) != 2 || day.Stats[models.TaskReleased] != 2 {
			t.Fatalf("T1's day: %d %s", w.Code, w.Body)
		}
		for i, s := range day.Stops {
			if s.Task.RouteOrder != i+1 || s.Task.TeamID == nil || *s.Task.TeamID != env.teams["T1"].ID || s.Business.ID != s.Task.BusinessID {
				t.Fatalf("stop %d: %+v", i, s.Task)
			}
		}
		w = call(t, h, "GET", "/api/v1/teams/"+env.teams["T1"].ID+"/day?date=2026-03-03", "", planner)
		if day := decodeInto[TeamDayView](t, w); w.Code != 200 || len(day.Stops) != 0 {
			t.Fatalf("tomorrow is not released yet: %d %s", w.Code, w.Body)
		}
		// A team lead sees its team's days up to today, like its phone; planners look ahead.
		if w := call(t, h, "GET", "/api/v1/teams/"+env.teams["T1"].ID+"/day?date=2026-03-03", "", lead); w.Code != http.StatusForbidden {
			t.Fatalf("a team lead reading tomorrow: %d %s", w.Code, w.Body)
		}
		if w := call(t, h, "GET", "/api/v1/teams/"+env.teams["T1"].ID+"/day?date=2026-02-27", "", lead); w.Code != 200 {
			t.Fatalf("a team lead reading last Friday: %d %s", w.Code, w.Body)
		}
		if w := call(t, h, "GET", "/api/v1/teams/"+env.teams["T1"].ID+"/day?date=March", "", lead); w.Code != 400 {
			t.Fatalf("a bad date: %d", w.Code)
		}
		for _, tc := range []struct {
			user, team string
			status     int
		}{
			{"lead1", "T2", 404},
			{"lead1", "T1b", 404},
			{"d1planner", "T2", 404},
			{"d1planner", "T1b", 200},
			{"planner", "T2", 200},
			{"insp1", "T1", 403},
		} {
			if w := call(t, h, "GET", "/api/v1/teams/"+env.teams[tc.team].ID+"/day", "", env.as(t, tc.user)); w.Code != tc.status {
				t.Errorf("%s reading %s's day: %d, want %d", tc.user, tc.team, w.Code, tc.status)
			}
		}
	})
}

// With a release horizon of two days (KIEMTRA_RELEASE_HORIZON_DAYS=2) a planner may release
// tomorrow's visits on demand, and no later day's.
func TestAssignmentOnDemandStaysWithinTheReleaseHorizon(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		env.addDueTasks(t, 6, "D11", "D21")
		env.srv.assigner = &scheduler.MorningJob{Store: env.db, Location: time.UTC, Horizon: 2}
		planner := env.as(t, "planner")
		w := runAssignment(t, env.srv, `{"date":"2026-03-03"}`, planner)
		if sum := decodeInto[models.AssignmentSummary](t, w); w.Code != 200 || sum.Day != models.NewDate(2026, 3, 3) || sum.Released == 0 {
			t.Fatalf("tomorrow within the horizon: %d %s", w.Code, w.Body)
		}
		w = runAssignment(t, env.srv, `{"date":"2026-03-04"}`, planner, english())
		if e := decodeError(t, w); w.Code != 400 || e.Field != "date" || !strings.Contains(e.Message, "2026-03-03") {
			t.Fatalf("the day after tomorrow: %d %s", w.Code, w.Body)
		}
		if n, _ := env.db.CountReleased(t.Context(), models.NewDate(2026, 3, 4)); n != 0 {
			t.Fatalf("%d visits released beyond the horizon", n)
		}
	})
}
