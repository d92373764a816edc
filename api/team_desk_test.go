package api

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"kiemtra/models"
)

func TestWeekRunsMondayToSunday(t *testing.T) {
	for _, tc := range []struct{ day, mon, sun string }{
		{"2026-03-03", "2026-03-02", "2026-03-08"}, // a Tuesday
		{"2026-03-02", "2026-03-02", "2026-03-08"}, // a Monday
		{"2026-03-08", "2026-03-02", "2026-03-08"}, // a Sunday
		{"2026-01-01", "2025-12-29", "2026-01-04"}, // across the year
	} {
		d, _ := models.ParseDate(tc.day)
		mon, sun := weekOf(d)
		if mon.String() != tc.mon || sun.String() != tc.sun {
			t.Errorf("the week of %s is %s..%s, want %s..%s", tc.day, mon, sun, tc.mon, tc.sun)
		}
	}
}

func TestWorkDaysTellWhatBecameOfEachVisit(t *testing.T) {
	ict := time.FixedZone("ICT", 7*3600)
	mon, tue := models.NewDate(2026, 3, 2), models.NewDate(2026, 3, 3)
	team, other := "A", "B"
	p := func(s string) *string { return &s }
	decided := time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC)
	dec := func(task string, day models.Date, teamID string, order int, later time.Duration) *models.AssignmentDecision {
		return &models.AssignmentDecision{TaskID: task, Day: day, TeamID: teamID, RouteOrder: order, DecidedAt: decided.Add(later)}
	}
	task := func(id, status string, teamID *string, released models.Date, order int) *models.Task {
		return &models.Task{ID: id, BusinessID: "b-" + id, Reason: models.ReasonCoverage, Status: status, TeamID: teamID, ReleasedOn: released, RouteOrder: order}
	}
	w := &models.TeamWork{
		Decisions: []*models.AssignmentDecision{
			dec("done", mon, team, 1, 0), dec("closed", mon, team, 2, 0), dec("late", mon, team, 3, 0), dec("gone", mon, team, 4, 0),
			dec("moved", mon, team, 5, 0), dec("moved", mon, other, 1, time.Hour),
			dec("late", tue, team, 1, 24*time.Hour), dec("open", tue, team, 2, 24*time.Hour),
		},
		Tasks: map[string]*models.Task{
			"done":   task("done", models.TaskDone, p(team), mon, 1),
			"closed": task("closed", models.TaskMissed, p(team), mon, 2),
			"late":   task("late", models.TaskDone, p(team), tue, 1),
			"gone":   task("gone", models.TaskCancelled, p(team), models.Date{}, 0),
			"moved":  task("moved", models.TaskReleased, p(other), mon, 1),
			"open":   task("open", models.TaskReleased, p(team), tue, 7),
		},
		Businesses: map[string]*models.Business{"b-done": {ID: "b-done", Name: "Karaoke Một"}},
		Results: map[string]*models.TaskResult{
			"done":   {InspectionID: "i1", TeamID: p(team), FinishedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, ict), Outcome: models.OutcomeViolation},
			"closed": {InspectionID: "i2", TeamID: p(team), FinishedAt: time.Date(2026, 3, 2, 10, 0, 0, 0, ict), Outcome: models.OutcomeClosed},
			// Finished at 00:30 on Tuesday in Vietnam (Monday in UTC): Tuesday's visit.
			"late": {InspectionID: "i3", TeamID: p(team), FinishedAt: time.Date(2026, 3, 3, 0, 30, 0, 0, ict), Outcome: models.OutcomeCompliant},
		},
		Queued: map[string][]*models.Task{"done": {{ID: "f1", Reason: models.ReasonFollowUp, Status: models.TaskPlanned}}},
	}
	// An urgent tip's visit on Monday, never on the team's route.
	w.Tasks["tip"] = &models.Task{ID: "tip", BusinessID: "b-tip", Reason: models.ReasonTip, Status: models.TaskDone}
	w.Results["tip"] = &models.TaskResult{InspectionID: "i4", TeamID: p(team), FinishedAt: time.Date(2026, 3, 2, 15, 0, 0, 0, ict), Outcome: models.OutcomeCompliant}
	days := WorkDays(w, team, []models.Date{mon, tue}, ict)
	type want struct{ state, outcome, why string }
	check := func(d WorkDay, exp map[string]want) {
		t.Helper()
		if len(d.Stops) != len(exp) {
			t.Fatalf("%s has %d stops, want %d: %+v", d.Day, len(d.Stops), len(exp), d.Stops)
		}
		for _, s := range d.Stops {
			if got := (want{s.State, s.Outcome, s.Why}); got != exp[s.TaskID] {
				t.Errorf("%s: %s is %+v, want %+v", d.Day, s.TaskID, got, exp[s.TaskID])
			}
		}
	}
	check(days[0], map[string]want{
		"done":   {StopDone, models.OutcomeViolation, ""},
		"closed": {StopMissed, models.OutcomeClosed, models.OutcomeClosed},
		"late":   {StopNotVisited, "", WhyNotReached},
		"gone":   {StopNotVisited, "", WhyCancelled},
		"moved":  {StopNotVisited, "", WhyReassigned},
		"tip":    {StopDone, models.OutcomeCompliant, ""},
	})
	check(days[1], map[string]want{"late": {StopDone, models.OutcomeCompliant, ""}, "open": {StopOpen, "", ""}})
	if last := days[0].Stops[len(days[0].Stops)-1]; last.TaskID != "tip" || last.RouteOrder != 0 {
		t.Errorf("a visit off the route comes last: %+v", last)
	}
	if d := days[0]; d.Planned != 6 || d.Done != 2 || d.Missed != 1 || d.NotVisited != 3 || d.FollowUps != 1 ||
		d.Outcomes[models.OutcomeViolation] != 1 || d.NotVisitedWhy[WhyNotReached] != 1 || d.Stops[0].Business.Name != "Karaoke Một" {
		t.Errorf("Monday's counts: %+v", d)
	}
	if d := days[1]; d.Stops[1].RouteOrder != 7 || d.Open != 1 {
		t.Errorf("an open stop keeps the task's current route order: %+v", d)
	}
}

// teamLead adds the lead of a team to the field environment.
func (env *fieldEnv) teamLead(t *testing.T, name string, team *models.Team) *Principal {
	t.Helper()
	u := &models.User{Username: name, DisplayName: name, Agency: models.AgencyPolice, Role: models.RoleTeamLead, AreaCode: team.AreaCode, TeamID: &team.ID}
	if err := env.db.CreateUser(context.Background(), "t", u); err != nil {
		t.Fatal(err)
	}
	return &Principal{UserID: u.ID, Username: name, Role: models.RoleTeamLead, AreaCode: team.AreaCode,
		AreaPath: models.AreaPath(models.AreaPath("", "92"), team.AreaCode), TeamID: team.ID}
}

func TestTheTeamLeadsDesk(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		ctx := context.Background()
		leadA, leadB := env.teamLead(t, "leadA", env.teamA), env.teamLead(t, "leadB", env.teamB)
		day := env.teamDay(t, env.teamA)
		env.clk.Set(at(12, 0))
		compliant := result(t, day[0], models.OutcomeCompliant, at(8, 0))
		violation := result(t, day[1], models.OutcomeViolation, at(9, 0), "K03")
		closed := result(t, day[2], models.OutcomeClosed, at(10, 0))
		for _, body := range []map[string]any{compliant, violation, closed} {
			if w := env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, body)); w.Code != 201 {
				t.Fatalf("result: %d %s", w.Code, w.Body)
			}
		}
		weekPath := "/api/v1/teams/" + env.teamA.ID + "/week?date=2026-03-03"
		week := decode[TeamWeekView](t, env.do(t, leadA, "GET", weekPath, ""))
		if week.From.String() != "2026-03-02" || week.To.String() != "2026-03-08" || len(week.Days) != 7 {
			t.Fatalf("the week: %+v", week)
		}
		tue := week.Days[1]
		if tue.Planned != len(day) || tue.Done != 2 || tue.Missed != 1 || tue.Open != len(day)-3 || tue.FollowUps < 1 ||
			tue.Outcomes[models.OutcomeViolation] != 1 || tue.Outcomes[models.OutcomeClosed] != 1 {
			t.Errorf("Tuesday: %+v", tue)
		}
		for _, d := range week.Days[2:] {
			if !d.Hidden || len(d.Stops) != 0 {
				t.Errorf("%s is shown to the lead before it began", d.Day)
			}
		}
		if pl := decode[TeamWeekView](t, env.do(t, env.planner, "GET", weekPath, "")); pl.Days[2].Hidden {
			t.Error("a planner's week hides the days ahead")
		}

		listPath := "/api/v1/teams/" + env.teamA.ID + "/inspections?from=2026-03-02&to=2026-03-03"
		list := decode[TeamInspectionsView](t, env.do(t, leadA, "GET", listPath, ""))
		if len(list.Items) != 3 || list.ToReview != 3 {
			t.Fatalf("to review: %+v", list)
		}
		flags := map[string]string{}
		for _, it := range list.Items {
			flags[it.ID] = strings.Join(it.Flags, ",")
		}
		if f := flags[violation["id"].(string)]; f != "violation,off_site,no_photos" {
			t.Errorf("the violation's flags: %q", f)
		}
		if f := flags[closed["id"].(string)]; f != "off_site" {
			t.Errorf("the closed door's flags: %q", f)
		}

		// Reviews.
		id := compliant["id"].(string)
		reviewPath := "/api/v1/inspections/" + id + "/review"
		w := env.do(t, leadA, "POST", reviewPath, `{"note":"Đã xem, ổn","version":1}`)
		first := decode[TeamInspectionItem](t, w)
		if w.Code != 201 || !first.Reviewed || first.Review == nil || first.Review.ReviewedBy != "leadA" || first.Review.Note != "Đã xem, ổn" {
			t.Fatalf("review: %d %s", w.Code, w.Body)
		}
		w = env.do(t, leadA, "POST", reviewPath, `{"note":"Đã xem, ổn","version":1}`)
		if again := decode[TeamInspectionItem](t, w); w.Code != 200 || again.Review.ID != first.Review.ID {
			t.Fatalf("a retried review: %d %s", w.Code, w.Body)
		}
		if n := env.count(t, "inspection_reviews", ""); n != 1 {
			t.Fatalf("%d reviews stored", n)
		}
		if n := env.count(t, "audit_events", "action = ? AND entity_id = ?", "review", id); n != 1 {
			t.Fatalf("%d audit events for the review", n)
		}
		// A correction makes version 2: a review of version 1 is stale, the lead reviews again.
		fix := result(t, day[0], models.OutcomeViolation, at(8, 0), "K03")
		if w := env.do(t, env.a2, "POST", "/api/v1/inspections/"+id+"/amendments", jsonBody(t, fix)); w.Code != 201 {
			t.Fatalf("amend: %d %s", w.Code, w.Body)
		}
		for _, tc := range []struct {
			name   string
			p      *Principal
			path   string
			body   string
			status int
			field  string
		}{
			{"a stale version", leadA, reviewPath, `{"note":"x","version":1}`, 409, ""},
			{"another team's lead", leadB, reviewPath, `{"note":"x","version":2}`, 404, "inspection"},
			{"an inspector", env.a1, reviewPath, `{"note":"x","version":2}`, 403, ""},
			{"a planner", env.planner, reviewPath, `{"note":"x","version":2}`, 403, ""},
			{"no version", leadA, reviewPath, `{"note":"x"}`, 400, "version"},
			{"a note too long", leadA, reviewPath, `{"note":"` + strings.Repeat("ă", models.MaxReviewNote+1) + `","version":2}`, 400, "note"},
			{"an unknown field", leadA, reviewPath, `{"note":"x","version":2,"ok":true}`, 400, "ok"},
			{"a version as text", leadA, reviewPath, `{"note":"x","version":"2"}`, 400, "version"},
			{"an unknown inspection", leadA, "/api/v1/inspections/" + uuid.NewString() + "/review", `{"version":1}`, 404, "inspection"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := env.do(t, tc.p, "POST", tc.path, tc.body)
				if e := decodeError(t, w); w.Code != tc.status || e.Field != tc.field {
					t.Fatalf("%d %q, want %d %q: %s", w.Code, e.Field, tc.status, tc.field, w.Body)
				}
				if n := env.count(t, "inspection_reviews", ""); n != 1 {
					t.Fatalf("a refused review was stored (%d)", n)
				}
			})
		}
		// The correction's own id reviews its original.
		w = env.do(t, leadA, "POST", "/api/v1/inspections/"+fix["id"].(string)+"/review", `{"version":2}`)
		if r := decode[TeamInspectionItem](t, w); w.Code != 201 || r.ID != id || r.Version != 2 || r.Review.Version != 2 || r.Outcome != models.OutcomeViolation {
			t.Fatalf("review of version 2: %d %s", w.Code, w.Body)
		}
		if w := env.do(t, leadA, "POST", reviewPath, `{"note":"khác","version":2}`); w.Code != 409 {
			t.Fatalf("a second review of a reviewed version: %d %s", w.Code, w.Body)
		}
		list = decode[TeamInspectionsView](t, env.do(t, leadA, "GET", listPath, ""))
		if list.ToReview != 2 {
			t.Errorf("%d left to review, want 2", list.ToReview)
		}

		// The lists' bad input and authorisation.
		for _, tc := range []struct {
			name   string
			p      *Principal
			path   string
			status int
			field  string
		}{
			{"another team's lead reads the week", leadB, weekPath, 404, "team"},
			{"another team's lead reads the list", leadB, listPath, 404, "team"},
			{"a lead asks for tomorrow", leadA, "/api/v1/teams/" + env.teamA.ID + "/week?date=2026-03-04", 403, ""},
			{"an inspector reads the week", env.a1, weekPath, 403, ""},
			{"a bad date", leadA, "/api/v1/teams/" + env.teamA.ID + "/week?date=3/3/2026", 400, "date"},
			{"a bad from", leadA, "/api/v1/teams/" + env.teamA.ID + "/inspections?from=x", 400, "from"},
			{"a bad to", leadA, "/api/v1/teams/" + env.teamA.ID + "/inspections?to=x", 400, "to"},
			{"from after to", leadA, "/api/v1/teams/" + env.teamA.ID + "/inspections?from=2026-03-04&to=2026-03-03", 400, "from"},
			{"a period too long", leadA, "/api/v1/teams/" + env.teamA.ID + "/inspections?from=2025-01-01&to=2026-03-03", 400, "to"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := env.do(t, tc.p, "GET", tc.path, "")
				if e := decodeError(t, w); w.Code != tc.status || e.Field != tc.field {
					t.Fatalf("%d %q, want %d %q: %s", w.Code, e.Field, tc.status, tc.field, w.Body)
				}
			})
		}

		// After the night the visits the team did not reach went back to the pool.
		env.clk.Set(time.Date(2026, 3, 4, 0, 30, 0, 0, ict))
		if _, err := env.nightly.Run(ctx, env.clk.Now()); err != nil {
			t.Fatal(err)
		}
		env.clk.Set(time.Date(2026, 3, 4, 8, 0, 0, 0, ict))
		week = decode[TeamWeekView](t, env.do(t, leadA, "GET", weekPath, ""))
		if tue := week.Days[1]; tue.Open != 0 || tue.NotVisited != len(day)-3 || tue.NotVisitedWhy[WhyNotReached] != len(day)-3 {
			t.Errorf("Tuesday after the night: %+v", tue)
		}
		if week.Days[2].Hidden || !week.Days[3].Hidden {
			t.Error("on Wednesday the lead sees Wednesday and not Thursday")
		}
	})
}
