package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"kiemtra/indicators"
	"kiemtra/models"
	"kiemtra/places"
	"kiemtra/sanctions"
	"kiemtra/scheduler/plantest"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// noFiles is a site without pages.
type noFiles struct{}

func (noFiles) Serve(http.ResponseWriter, *http.Request, string) bool { return false }

// TestEveryRouteHasAPolicy keeps the policy table and the router in step: a route without a
// rule would be refused for everyone, a rule without a route is a typo.
func TestEveryRouteHasAPolicy(t *testing.T) {
	s := New(Config{Readiness: readiness{}, Web: noFiles{}})
	routes := map[string]bool{}
	for _, r := range s.engine.Routes() {
		key := r.Method + " " + r.Path
		routes[key] = true
		if _, ok := policy[key]; !ok {
			t.Errorf("route %s has no access rule", key)
		}
	}
	for key := range policy {
		if !routes[key] {
			t.Errorf("access rule for %s matches no route", key)
		}
	}
}

// authzCase is one endpoint of the matrix: how to call it for a resource inside or outside the
// caller's district, and who may.
type authzCase struct {
	method, path string // {in} is replaced by the resource inside the district, {out} ... outside
	body         string
	roles        []string // roles allowed at all
	city         bool     // only city-wide callers
	scoped       bool     // a district caller gets 404 for the outside resource
}

func TestAuthorizationMatrix(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		env := newPlanServer(t, db)
		env.srv.reports = newReportService(t, db)
		env.srv.places, env.srv.placeStore = places.New(db, fieldWards{}), db
		env.srv.indicators = indicators.New(db, env.srv.reports, planClock, time.UTC)
		env.srv.indicatorStore = db
		indicatorRoles := []string{models.RoleAdmin, models.RolePlanner, models.RoleViewer, models.RoleReportingOfficer}
		submitterRoles := []string{models.RoleAdmin, models.RolePlanner, models.RoleReportingOfficer}
		ctx := context.Background()
		h := env.srv
		bizIn, bizOut := firstBusinessIn(t, db, "D1"), firstBusinessIn(t, db, "D2")
		teams, _ := db.FindTeams(ctx)
		teamIn, teamOut := teams[0].ID, teams[1].ID
		if teams[0].AreaCode != "D1" {
			teamIn, teamOut = teamOut, teamIn
		}
		// A programme with a draft plan, so that the plan endpoints have something to act on.
		w := do(t, h, "POST", "/api/v1/programmes", `{"code":"P","name":"P","starts_on":"2026-01-01","ends_on":"2030-12-31"}`)
		if w.Code != 201 {
			t.Fatalf("programme: %d %s", w.Code, w.Body)
		}
		w = do(t, h, "POST", "/api/v1/programmes/P/plans", `{"year":2026}`)
		var plan struct{ ID string }
		json.Unmarshal(w.Body.Bytes(), &plan)
		// A business the plan selects in each district, for "why this business": the plan is
		// drawn on its draw's evening, and the clock goes back for the rest of the matrix.
		committed, err := db.FindPlanByID(ctx, plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		env.clock.Set(committed.DrawDate.Time(time.UTC).Add(18 * time.Hour))
		if _, err := env.planner.DrawPlan(ctx, "planner", plan.ID, plantest.Result); err != nil {
			t.Fatal(err)
		}
		env.clock.Set(planClock())
		items, err := db.FindPlanItems(ctx, plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		var itemIn, itemOut string
		for _, it := range items {
			a, err := db.FindAreaByCode(ctx, it.AreaCode)
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(a.Path, "/92/D1/") {
				itemIn = it.BusinessID
			} else if strings.HasPrefix(a.Path, "/92/D2/") {
				itemOut = it.BusinessID
			}
		}
		if itemIn == "" || itemOut == "" {
			t.Fatalf("the plan selects no business in D1 (%q) or D2 (%q)", itemIn, itemOut)
		}
		// In-district and out-of-district records: users, tasks released to each district's
		// team, their inspections, tips. The callers exist as users (u-<role>, in D1's team) so
		// that a check-in can record who made it.
		for _, role := range models.Roles {
			u := &models.User{ID: "u-" + role, Username: role, Agency: models.AgencyPolice, Role: role, AreaCode: "D1", TeamID: &teamIn, PasswordHash: "x"}
			if err := db.CreateUser(ctx, "t", u); err != nil {
				t.Fatal(err)
			}
		}
		userOut := &models.User{Username: "outsider", Agency: models.AgencyLabour, Role: models.RoleInspector, AreaCode: "D2", TeamID: &teamOut, PasswordHash: "x"}
		if err := db.CreateUser(ctx, "t", userOut); err != nil {
			t.Fatal(err)
		}
		day := models.DateOf(planClock())
		released := func(biz, team string) (checkin, inspected *models.Task) {
			checkin = &models.Task{BusinessID: biz, Reason: models.ReasonCoverage, Status: models.TaskPlanned, WindowStart: day, WindowEnd: day.AddDays(7)}
			inspected = &models.Task{BusinessID: biz, Reason: models.ReasonTip, Status: models.TaskPlanned, WindowStart: day, WindowEnd: day.AddDays(7)}
			if err := db.CreateTasks(ctx, "t", []*models.Task{checkin, inspected}); err != nil {
				t.Fatal(err)
			}
			if err := db.ReleaseTasks(ctx, "t", day, []*models.AssignmentDecision{{TaskID: checkin.ID, TeamID: team, RouteOrder: 1}, {TaskID: inspected.ID, TeamID: team, RouteOrder: 2}}); err != nil {
				t.Fatal(err)
			}
			return checkin, inspected
		}
		taskIn, doneIn := released(bizIn, teamIn)
		taskOut, doneOut := released(bizOut, teamOut)
		inspection := func(id string, task *models.Task, team string) {
			finished := planClock().Add(-time.Hour)
			in := &models.Inspection{ID: id, TaskID: &task.ID, BusinessID: task.BusinessID, TeamID: &team, StartedAt: finished.Add(-30 * time.Minute), FinishedAt: finished,
				Outcome: models.OutcomeClosed, ChecklistVersion: 1, Answers: "[]", Members: "[]", BodySHA256: id, CreatedBy: "t"}
			if err := db.ApplyVisits(ctx, "t", []models.Visit{{Inspection: in}}); err != nil {
				t.Fatal(err)
			}
		}
		inspection("insp-in", doneIn, teamIn)
		inspection("insp-out", doneOut, teamOut)
		tip := func(area string) string {
			tp := &models.Tip{Channel: "hotline", ReceivedAt: planClock(), ReceivedBy: "t", Description: "Tin báo " + area, AreaCode: &area, Status: models.TipReceived}
			if err := db.CreateTip(ctx, "t", tp); err != nil {
				t.Fatal(err)
			}
			return tp.ID
		}
		tipIn, tipOut := tip("D1"), tip("D2")
		sanction := func(biz string) string {
			sn, _, err := env.srv.sanctions.Propose(ctx, "t", sanctions.ProposeInput{BusinessID: biz, ViolationCode: "HOURS"})
			if err != nil {
				t.Fatal(err)
			}
			return sn.ID
		}
		sanctionIn, sanctionOut := sanction(bizIn), sanction(bizOut)
		bizLat, bizLon := map[string]float64{}, map[string]float64{}
		for _, id := range []string{bizIn, bizOut} {
			b, err := db.FindBusinessByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			bizLat[id], bizLon[id] = b.Lat, b.Lon
		}
		checkinBody := fmt.Sprintf(`{"lat":%g,"lon":%g,"accuracy_m":10,"at":%q}`, bizLat[bizIn], bizLon[bizIn], planClock().Format(time.RFC3339))

		all := everyone
		plannersOnly := []string{models.RoleAdmin, models.RolePlanner}
		readersOnly := []string{models.RoleAdmin, models.RolePlanner, models.RoleViewer}
		teamRoles := []string{models.RoleTeamLead, models.RoleInspector}
		tipRoles := []string{models.RoleTipOfficer, models.RoleAdmin, models.RolePlanner}
		sanctionRoles := []string{models.RoleAdmin, models.RolePlanner, models.RoleViewer, models.RoleTeamLead, models.RoleLicensingOfficer}
		resultRoles := []string{models.RoleAdmin, models.RolePlanner, models.RoleViewer, models.RoleTeamLead, models.RoleInspector, models.RoleLicensingOfficer}
		cases := []authzCase{
			{"GET", "/api/v1/me", "", all, false, false},
			{"GET", "/api/v1/me/notifications", "", all, false, false},
			{"POST", "/api/v1/me/notifications/none/read", "", all, false, false},
			{"GET", "/api/v1/me/notification-settings", "", all, false, false},
			{"PUT", "/api/v1/me/notification-settings", `{"version":0}`, all, false, false},
			{"GET", "/api/v1/notifications/outbox", "", []string{models.RoleAdmin}, false, false},
			{"GET", "/api/v1/push/key", "", all, false, false},
			{"GET", "/api/v1/me/push-subscriptions", "", all, false, false},
			{"POST", "/api/v1/me/push-subscriptions", `{}`, all, false, false},
			{"DELETE", "/api/v1/me/push-subscriptions?endpoint=x", "", all, false, false},
			{"GET", "/api/v1/stats", "", all, true, false},
			{"GET", "/api/v1/areas", "", all, false, false},
			{"GET", "/api/v1/areas/D1", "", all, false, false},
			{"POST", "/api/v1/areas/import?dry_run=true", `{"type":"FeatureCollection","features":[]}`, []string{models.RoleAdmin}, true, false},
			{"GET", "/api/v1/businesses?area={area}", "", all, false, true},
			{"GET", "/api/v1/businesses/{biz}", "", all, false, true},
			{"POST", "/api/v1/businesses", `{"name":"x"}`, plannersOnly, false, false},
			{"PATCH", "/api/v1/businesses/{biz}", `{"version":99}`, plannersOnly, false, true},
			{"POST", "/api/v1/businesses/import?dry_run=true", "name,category,lat,lon\n", plannersOnly, true, false},
			{"GET", "/api/v1/businesses/export?format=csv", "", plannersOnly, false, false},
			{"GET", "/api/v1/programmes", "", readersOnly, false, false},
			{"POST", "/api/v1/programmes", `{}`, plannersOnly, true, false},
			{"GET", "/api/v1/programmes/P", "", readersOnly, false, false},
			{"PATCH", "/api/v1/programmes/P", `{"version":99}`, plannersOnly, true, false},
			{"GET", "/api/v1/programmes/P/plans", "", readersOnly, false, false},
			{"POST", "/api/v1/programmes/P/plans", `{"year":2026,"dry_run":true}`, plannersOnly, true, false},
			{"GET", "/api/v1/plans/{plan}", "", readersOnly, false, false},
			{"GET", "/api/v1/plans/{plan}/items", "", plannersOnly, false, false},
			{"GET", "/api/v1/plans/{plan}/tasks", "", plannersOnly, false, false},
			{"GET", "/api/v1/plans/{plan}/items/{item}/risk", "", plannersOnly, false, true},
			{"POST", "/api/v1/plans/nope/draw", `{"result":"123456"}`, plannersOnly, true, false},
			{"POST", "/api/v1/plans/nope/approve", "", plannersOnly, true, false},
			{"POST", "/api/v1/plans/nope/reveal", "", plannersOnly, true, false},
			{"GET", "/api/v1/plans/{plan}/verify", "", all, false, false},
			{"GET", "/api/v1/jobs", "", plannersOnly, true, false},
			{"POST", "/api/v1/jobs/nope/run", "", []string{models.RoleAdmin}, true, false},
			{"GET", "/api/v1/users", "", []string{models.RoleAdmin}, false, false},
			{"POST", "/api/v1/users", `{}`, []string{models.RoleAdmin}, false, false},
			{"GET", "/api/v1/users/{user}", "", []string{models.RoleAdmin}, false, true},
			{"PATCH", "/api/v1/users/{user}", `{"version":99}`, []string{models.RoleAdmin}, false, true},
			{"GET", "/api/v1/agencies", "", all, false, false},
			{"GET", "/api/v1/agencies/health", "", all, false, false},
			{"POST", "/api/v1/agencies", `{}`, []string{models.RoleAdmin}, true, false},
			{"PATCH", "/api/v1/agencies/health", `{"version":99}`, []string{models.RoleAdmin}, true, false},
			{"GET", "/api/v1/teams", "", []string{models.RoleAdmin, models.RolePlanner, models.RoleViewer, models.RoleTeamLead}, false, false},
			{"POST", "/api/v1/teams", `{}`, plannersOnly, false, false},
			{"GET", "/api/v1/teams/{team}", "", []string{models.RoleAdmin, models.RolePlanner, models.RoleViewer, models.RoleTeamLead, models.RoleInspector}, false, true},
			{"PATCH", "/api/v1/teams/{team}", `{"version":99}`, plannersOnly, false, true},
			{"GET", "/api/v1/teams/{team}/day?date=2026-03-02", "", []string{models.RoleAdmin, models.RolePlanner, models.RoleTeamLead}, false, true},
			{"GET", "/api/v1/teams/{team}/week?date=2026-03-02", "", []string{models.RoleAdmin, models.RolePlanner, models.RoleTeamLead}, false, true},
			{"GET", "/api/v1/teams/{team}/inspections", "", []string{models.RoleAdmin, models.RolePlanner, models.RoleTeamLead}, false, true},
			{"POST", "/api/v1/inspections/{insp}/review", `{"version":1}`, []string{models.RoleTeamLead}, false, true},
			{"POST", "/api/v1/assignments/run", `{"date":"2020-01-01"}`, plannersOnly, true, false},
			{"GET", "/api/v1/me/assignments", "", teamRoles, false, false},
			{"GET", "/api/v1/checklists?category=karaoke", "", all, false, false},
			{"GET", "/api/v1/checklists/versions", "", all, false, false},
			{"PUT", "/api/v1/checklists/karaoke", `{"base_version":0,"items":[]}`, plannersOnly, false, false},
			{"GET", "/api/v1/violations?version=1", "", all, false, false},
			{"GET", "/api/v1/violations/versions", "", all, false, false},
			{"PUT", "/api/v1/violations", `{"base_version":0,"violations":[]}`, plannersOnly, false, false},
			{"POST", "/api/v1/tasks/none/checkin", `{}`, teamRoles, false, false},
			{"POST", "/api/v1/tasks/{task}/checkin", checkinBody, teamRoles, false, true},
			{"POST", "/api/v1/inspections", `{}`, teamRoles, false, false},
			{"POST", "/api/v1/inspections/none/amendments", `{}`, teamRoles, false, false},
			{"POST", "/api/v1/inspections/none/photos", `x`, teamRoles, false, false},
			{"PUT", "/api/v1/inspections/none/record", `{}`, teamRoles, false, false},
			{"POST", "/api/v1/sync", `{}`, teamRoles, false, false},
			{"GET", "/api/v1/inspections/none", "", resultRoles, false, false},
			{"GET", "/api/v1/inspections/{insp}", "", resultRoles, false, true},
			{"GET", "/api/v1/inspections/none/photos/none", "", resultRoles, false, false},
			{"GET", "/api/v1/inspections/{insp}/record.pdf", "", resultRoles, false, true},
			{"GET", "/api/v1/inspections/none/record.pdf", "", resultRoles, false, false},
			{"GET", "/api/v1/businesses/{biz}/inspections", "", resultRoles, false, true},
			{"GET", "/api/v1/coverage?programme=P&area={area}", "", readersOnly, false, true},
			{"GET", "/api/v1/coverage.geojson?programme=P&area={area}", "", readersOnly, false, true},
			{"GET", "/api/v1/reports?period=2026-Q1&format=json&area={area}", "", readersOnly, false, true},
			{"GET", "/api/v1/reports/periods", "", indicatorRoles, false, false},
			{"GET", "/api/v1/reports/archive", "", readersOnly, false, false},
			{"GET", "/api/v1/reports/archive/1", "", readersOnly, false, false},
			{"GET", "/api/v1/coverage/burndown?programme=P&area={area}", "", readersOnly, false, true},
			{"POST", "/api/v1/tips", `{}`, []string{models.RoleTipOfficer, models.RoleAdmin}, false, false},
			{"GET", "/api/v1/tips", "", tipRoles, false, false},
			{"GET", "/api/v1/tips/none", "", tipRoles, false, false},
			{"GET", "/api/v1/tips/{tip}", "", tipRoles, false, true},
			{"POST", "/api/v1/tips/none/transition", `{}`, tipRoles, false, false},
			{"POST", "/api/v1/tips/{tip}/transition", `{"version":99,"to":"verifying"}`, tipRoles, false, true},
			{"GET", "/api/v1/tips/none/similar", "", tipRoles, false, false},
			{"GET", "/api/v1/tips/{tip}/similar", "", tipRoles, false, true},
			{"POST", "/api/v1/tips/none/merge", `{}`, tipRoles, false, false},
			{"GET", "/api/v1/tips/none/photo", "", []string{models.RoleTipOfficer, models.RoleAdmin}, false, false},
			{"GET", "/api/v1/tips/{tip}/timeline", "", tipRoles, false, true},
			{"POST", "/api/v1/tips/none/contact", "", []string{models.RoleTipOfficer}, false, false},
			{"GET", "/api/v1/licensing/check?licence_no=L0001", "", []string{models.RoleLicensingOfficer}, false, false},
			{"GET", "/api/v1/licensing/lookups", "", []string{models.RoleLicensingOfficer, models.RoleAdmin}, false, false},
			{"GET", "/api/v1/audit", "", []string{models.RoleAdmin}, true, false},
			{"GET", "/api/v1/areas/reorganisations", "", plannersOnly, true, false},
			{"POST", "/api/v1/areas/reorganisations?dry_run=true", `{"effective_on":"2025-07-01","units":[{"code":"X1","name":"Xã Một","lat":10.02,"lon":105.02,"from":[{"code":"D11","part":"full"}]}]}`, []string{models.RoleAdmin}, true, false},
			{"GET", "/api/v1/areas/reorganisations/none", "", plannersOnly, true, false},
			{"GET", "/api/v1/areas/reorganisations/none/review", "", plannersOnly, true, false},
			{"PUT", "/api/v1/areas/reorganisations/none/review/x", `{"area_code":"D11"}`, []string{models.RoleAdmin}, true, false},
			{"PUT", "/api/v1/areas/reorganisations/none/teams/x", `{"areas":["D11"]}`, []string{models.RoleAdmin}, true, false},
			{"PUT", "/api/v1/areas/reorganisations/none/users/x", `{"area_code":"D11"}`, []string{models.RoleAdmin}, true, false},
			{"POST", "/api/v1/areas/reorganisations/none/accept-proposals", "", []string{models.RoleAdmin}, true, false},
			{"POST", "/api/v1/areas/reorganisations/none/apply", "", []string{models.RoleAdmin}, true, false},
			{"GET", "/api/v1/audit/verify", "", []string{models.RoleAdmin}, true, false},
			{"GET", "/api/v1/sanctions", "", sanctionRoles, false, false},
			{"POST", "/api/v1/sanctions", `{}`, []string{models.RoleAdmin, models.RolePlanner, models.RoleTeamLead}, false, false},
			{"GET", "/api/v1/sanctions/{sanction}", "", sanctionRoles, false, true},
			{"PATCH", "/api/v1/sanctions/{sanction}", `{"version":99,"referral":{"referred_on":"2026-03-01"}}`, plannersOnly, false, true},
			{"GET", "/api/v1/businesses/{biz}/certificate", "", sanctionRoles, false, true},
			{"GET", "/api/v1/places", "", readersOnly, false, false},
			{"POST", "/api/v1/places/import", "kind,name,lat,lon\n", plannersOnly, false, false},
			{"DELETE", "/api/v1/places/none", "", plannersOnly, false, false},
			{"GET", "/api/v1/businesses/{biz}/distance-check", "", all, false, true},
			{"GET", "/api/v1/programmes/P/indicators", "", indicatorRoles, false, false},
			{"PUT", "/api/v1/programmes/P/indicators", `{"version":99,"indicators":[]}`, plannersOnly, true, false},
			{"GET", "/api/v1/indicators/progress?programme=P&period=2026-Q1", "", indicatorRoles, false, false},
			{"GET", "/api/v1/indicators/report-notes?programme=P&period=2026-Q1", "", indicatorRoles, false, false},
			{"PUT", "/api/v1/indicators/report-notes?programme=P&period=2026-Q1", `{"version":99}`, plannersOnly, true, false},
			{"GET", "/api/v1/indicators/owed?programme=P&period=2026-H1", "", indicatorRoles, false, false},
			{"GET", "/api/v1/indicators/reminders?programme=P", "", submitterRoles, false, false},
			{"POST", "/api/v1/indicators/outreach_communes/submissions", `{}`, submitterRoles, false, false},
			{"GET", "/api/v1/indicators/submissions?programme=P", "", indicatorRoles, false, false},
			{"GET", "/api/v1/indicators/submissions/none", "", indicatorRoles, false, false},
			{"POST", "/api/v1/indicators/submissions/none/accept", "", plannersOnly, true, false},
			{"POST", "/api/v1/indicators/submissions/none/return", `{"comment":"x"}`, plannersOnly, true, false},
			{"POST", "/api/v1/indicators/attachments?name=x", "", submitterRoles, false, false},
			{"GET", "/api/v1/indicators/attachments/none", "", indicatorRoles, false, false},
		}
		covered := map[string]bool{}
		for _, tc := range cases {
			for _, role := range models.Roles {
				for _, city := range []bool{true, false} {
					for _, inside := range []bool{true, false} {
						p := &Principal{UserID: "u-" + role, Username: role, Role: role, AreaCode: "D1", AreaPath: "/92/D1/", TeamID: teamIn}
						if city {
							p.AreaCode, p.AreaPath = "92", "/92/"
						}
						biz, team, area, user, task, insp, tp, item, sn := bizIn, teamIn, "D1", "u-viewer", taskIn.ID, "insp-in", tipIn, itemIn, sanctionIn
						if !inside {
							biz, team, area, user, task, insp, tp, item, sn = bizOut, teamOut, "D2", userOut.ID, taskOut.ID, "insp-out", tipOut, itemOut, sanctionOut
						}
						path := strings.NewReplacer("{biz}", biz, "{team}", team, "{area}", area, "{plan}", plan.ID, "{user}", user,
							"{task}", task, "{insp}", insp, "{tip}", tp, "{item}", item, "{sanction}", sn).Replace(tc.path)
						want := "allowed"
						switch {
						case !allowed(tc.roles, role) || (tc.city && !city):
							want = "403"
						case tc.scoped && !city && !inside:
							want = "404"
						}
						// The police's licensing officers check sanctions and certificates city-wide.
						if want == "404" && (strings.HasPrefix(tc.path, "/api/v1/sanctions/") || strings.HasSuffix(tc.path, "/certificate")) && role == models.RoleLicensingOfficer {
							want = "allowed"
						}
						// Tip officers take in the whole city's tips, wherever they sit.
						if want == "404" && strings.HasPrefix(tc.path, "/api/v1/tips/") && role == models.RoleTipOfficer {
							want = "allowed"
						}
						// Inspectors and team leads see only their own team, its tasks and its results,
						// even from a city-wide jurisdiction.
						for _, prefix := range []string{"/api/v1/teams/{team}", "/api/v1/tasks/{task}", "/api/v1/inspections/{insp}"} {
							if want == "allowed" && strings.HasPrefix(tc.path, prefix) && (role == models.RoleInspector || role == models.RoleTeamLead) && !inside {
								want = "404"
							}
						}
						w := send(h, p, tc.method, path, tc.body)
						got := "allowed"
						// A seeded record inside the jurisdiction must be found: a 404 there is a
						// failure, while on the "none" rows it is the answer for everyone.
						if w.Code == 403 || w.Code == 401 {
							got = "403"
						} else if w.Code == 404 && (want != "allowed" || tc.scoped) {
							got = "404"
						}
						if got != want {
							t.Errorf("%s %s as %s (city %v, inside %v): %d %s, want %s", tc.method, path, role, city, inside, w.Code, w.Body.String(), want)
						}
					}
				}
			}
			covered[tc.method+" "+routeOf(h, tc.method, tc.path)] = true
		}
		// Every non-public route is in the matrix.
		var missing []string
		for key, rule := range policy {
			if !rule.public && !covered[key] {
				missing = append(missing, key)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("routes missing from the matrix: %v", missing)
		}
		// Without a sign-in every non-public route is 401.
		for _, tc := range cases {
			path := strings.NewReplacer("{biz}", bizIn, "{team}", teamIn, "{area}", "D1", "{plan}", plan.ID, "{user}", "u-viewer",
				"{task}", taskIn.ID, "{insp}", "insp-in", "{tip}", tipIn, "{item}", itemIn, "{sanction}", sanctionIn).Replace(tc.path)
			if w := send(h, nil, tc.method, path, tc.body); w.Code != 401 {
				t.Errorf("%s %s without a sign-in: %d", tc.method, path, w.Code)
			}
		}
	})
}

func send(h http.Handler, p *Principal, method, path, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if strings.HasPrefix(body, "{") {
		req.Header.Set("Content-Type", "application/json")
	}
	if p != nil {
		req = req.WithContext(WithPrincipal(req.Context(), p))
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// routeOf finds the route pattern a path matches, for the coverage check.
func routeOf(s *Server, method, path string) string {
	path = strings.SplitN(path, "?", 2)[0]
	var found string
	for _, r := range s.engine.Routes() {
		if r.Method != method {
			continue
		}
		if matchPattern(r.Path, path) && (found == "" || strings.Count(r.Path, ":") < strings.Count(found, ":")) {
			found = r.Path
		}
	}
	return found
}

func matchPattern(pattern, path string) bool {
	pp, ps := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(pp) != len(ps) {
		return false
	}
	for i := range pp {
		// A placeholder ({biz}) stands for a route's parameter, never for a fixed segment
		// (/businesses/export is not /businesses/:id).
		if strings.HasPrefix(pp[i], ":") {
			continue
		}
		if strings.HasPrefix(ps[i], "{") {
			return false
		}
		if pp[i] != ps[i] {
			return false
		}
	}
	return true
}

func firstBusinessIn(t *testing.T, db *store.DB, area string) string {
	t.Helper()
	bs, _, err := db.FindBusinesses(context.Background(), models.BusinessFilter{Area: area, Limit: 1})
	if err != nil || len(bs) == 0 {
		t.Fatalf("no business in %s: %v", area, err)
	}
	return bs[0].ID
}
