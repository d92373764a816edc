package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"kiemtra/coverage"
	"kiemtra/fieldwork"
	"kiemtra/licensing"
	"kiemtra/models"
	"kiemtra/photos"
	"kiemtra/record"
	"kiemtra/refdata"
	"kiemtra/registry"
	"kiemtra/reorg"
	"kiemtra/scheduler"
	"kiemtra/scheduler/plantest"
	"kiemtra/store"
	"kiemtra/store/storetest"
	"kiemtra/tips"
)

func mustTips(t *testing.T, db *store.DB, reg *registry.Service, now func() time.Time) *tips.Service {
	t.Helper()
	svc, err := tips.NewService(db, reg, tips.DeriveKey("test secret for the tip contact key"), models.DefaultTipDeadlines(), now, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// doAs sends a request as the given caller and checks the answer against the contract.
func doAs(t *testing.T, h http.Handler, p *Principal, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if p != nil {
		req = req.WithContext(WithPrincipal(req.Context(), p))
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	checkContract(t, req, []byte(body), w)
	return w
}

// planClock is the clock of the servers newPlanServer builds: 2 March 2026, 09:00 UTC. Tests
// that compare times the store writes with times the services check give the store the same
// clock (storetest.RunWith with Options{Now: planClock}).
func planClock() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }

type planTestEnv struct {
	srv     *Server
	db      *store.DB
	runner  *scheduler.Runner
	planner *scheduler.Service
	// clock is the planning service's: a test moves it to a plan's draw.
	clock *plantest.Clock
}

// newPlanServer stores a small city (two districts, four wards, a team each, 120 businesses) and
// a server with the planning service and the job runner, on the given database.
func newPlanServer(t *testing.T, db *store.DB) *planTestEnv {
	t.Helper()
	return newPlanServerAt(t, db, plantest.NewClock(planClock()))
}

// newPlanServerAt is newPlanServer with the planning service on clock (the store's too, when
// the test opened it so: the plans' commitments are dated by the audit log).
func newPlanServerAt(t *testing.T, db *store.DB, clock *plantest.Clock) *planTestEnv {
	t.Helper()
	ctx := context.Background()
	p := func(s string) *string { return &s }
	areas := []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity}}
	for _, d := range []string{"D1", "D2"} {
		areas = append(areas, &models.Area{Code: d, ParentCode: p("92"), Name: "Quận " + d, Level: models.AreaLevelDistrict})
		for _, w := range []string{"1", "2"} {
			areas = append(areas, &models.Area{Code: d + w, ParentCode: p(d), Name: "Phường " + d + w, Level: models.AreaLevelWard})
		}
	}
	if err := db.UpsertAreas(ctx, "t", areas); err != nil {
		t.Fatal(err)
	}
	var bs []*models.Business
	for i := 0; i < 120; i++ {
		bs = append(bs, &models.Business{Name: fmt.Sprintf("Karaoke %d", i), Category: "karaoke", LicenceNo: p(fmt.Sprintf("L%04d", i)), Lat: 10, Lon: 105,
			AreaCode: []string{"D11", "D12", "D21", "D22"}[i%4], Status: models.BusinessActive, OpenedOn: models.NewDate(2018, 1, 1)})
	}
	if err := db.CreateBusinesses(ctx, "t", bs); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"D1", "D2"} {
		team := &models.Team{Name: "Tổ " + d, Level: models.TeamLevelDistrict, AreaCode: d, BaseLat: 10, BaseLon: 105, WeeklyCapacity: 8}
		if err := db.CreateTeam(ctx, "t", team); err != nil {
			t.Fatal(err)
		}
		// A team without enabled members gets no work.
		member := &models.User{Username: "insp-" + strings.ToLower(d), Role: models.RoleInspector, Agency: models.AgencyPolice, AreaCode: d, TeamID: &team.ID}
		if err := db.CreateUser(ctx, "t", member); err != nil {
			t.Fatal(err)
		}
	}
	cats, _ := refdata.Categories()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := planClock
	planner := scheduler.NewService(scheduler.Config{Store: db, Categories: cats, Logger: log, Now: clock.Now, Location: time.UTC})
	runner := scheduler.NewRunner(db, log, now, time.UTC)
	if err := runner.Add("", &scheduler.NightlyJob{Service: planner, Store: db}); err != nil {
		t.Fatal(err)
	}
	catSet, _ := refdata.CategorySet()
	reg := registry.New(registry.Config{Store: db, Categories: catSet, Logger: log, Now: now, Location: time.UTC})
	field := fieldwork.New(fieldwork.Config{Store: db, Categories: catSet, Logger: log, Now: now, Location: time.UTC})
	blobs, err := photos.NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	srv := New(Config{Store: db, Registry: reg, Readiness: readiness{}, Planner: planner, Assigner: &scheduler.MorningJob{Store: db, Location: time.UTC}, TeamDays: db, Now: now, Location: time.UTC,
		FieldWork: field, Field: db, Photos: db, PhotoBlobs: blobs, Coverage: coverage.New(db, now, time.UTC),
		Records: record.New(record.Config{Store: db, Versions: db, Now: now}),
		Tips:    mustTips(t, db, reg, now), TipStore: db, Licensing: licensing.New(db, now, time.UTC), Limits: db,
		Sanctions: mustSanctions(t, db, now), SanctionStore: db, Notifications: db, Plans: db, Jobs: struct {
			*scheduler.Runner
			*store.DB
		}{runner, db}, Reorgs: reorg.NewService(db, reg.Refresh), Logger: log})
	return &planTestEnv{srv: srv, db: db, runner: runner, planner: planner, clock: clock}
}

func TestPlansThroughTheAPI(t *testing.T) {
	clock := plantest.NewClock(planClock())
	storetest.RunWith(t, storetest.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		clock.Set(planClock())
		env := newPlanServerAt(t, db, clock)
		h := env.srv
		planner := &Principal{Username: "planner", Role: models.RolePlanner}
		admin := &Principal{Username: "admin", Role: models.RoleAdmin}

		w := doAs(t, h, planner, "POST", "/api/v1/programmes", `{"code":"P","name":"Kế hoạch","starts_on":"2026-12-31","ends_on":"2026-01-01"}`)
		if e := decodeError(t, w); w.Code != 400 || e.Field != "ends_on" {
			t.Fatalf("reversed dates: %d %+v", w.Code, e)
		}
		w = doAs(t, h, planner, "POST", "/api/v1/programmes", `{"code":"P","name":"Kế hoạch","starts_on":"2026-01-01","ends_on":"2030-12-31","min_yearly_share":1.5}`)
		if e := decodeError(t, w); w.Code != 400 || e.Field != "min_yearly_share" {
			t.Fatalf("share 1.5: %d %+v", w.Code, e)
		}
		w = doAs(t, h, planner, "POST", "/api/v1/programmes", `{"code":"P","name":"Kế hoạch 2026-2030","starts_on":"2026-01-01","ends_on":"2030-12-31","root_area_code":"92"}`)
		if w.Code != 201 {
			t.Fatalf("create programme: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, planner, "GET", "/api/v1/programmes/P", ""); w.Code != 200 {
			t.Fatalf("get programme by code: %d", w.Code)
		}
		w = doAs(t, h, planner, "POST", "/api/v1/programmes/P/plans", `{"year":2035}`)
		if e := decodeError(t, w); w.Code != 400 || e.Field != "year" {
			t.Fatalf("a year outside the programme: %d %+v", w.Code, e)
		}
		w = doAs(t, h, planner, "POST", "/api/v1/programmes/P/plans", `{"year":2026,"dry_run":true}`)
		if w.Code != 200 {
			t.Fatalf("dry run: %d %s", w.Code, w.Body)
		}
		w = doAs(t, h, planner, "POST", "/api/v1/programmes/P/plans", `{"year":2026,"draw_date":"2026-03-05"}`)
		if e := decodeError(t, w); w.Code != 400 || e.Field != "draw_date" || !strings.Contains(e.Message, "thứ Tư") {
			t.Fatalf("a Thursday draw: %d %+v", w.Code, e)
		}
		w = doAs(t, h, planner, "POST", "/api/v1/programmes/P/plans", `{"year":2026}`)
		if w.Code != 201 {
			t.Fatalf("commit: %d %s", w.Code, w.Body)
		}
		var plan struct {
			ID           string             `json:"id"`
			Status       string             `json:"status"`
			Seed         *string            `json:"seed"`
			SecretSHA256 string             `json:"secret_sha256"`
			DrawDate     models.Date        `json:"draw_date"`
			Figures      models.PlanFigures `json:"figures"`
			Projection   *models.Projection `json:"projection"`
		}
		json.Unmarshal(w.Body.Bytes(), &plan)
		// The projection of the rest of the programme is stored with the plan.
		if plan.Status != models.PlanCommitted || plan.SecretSHA256 == "" || plan.DrawDate != models.NewDate(2026, 3, 4) ||
			plan.Projection == nil || plan.Projection.MadeIn != 2026 || len(plan.Projection.Years) != 5 {
			t.Fatalf("committed: %s", w.Body)
		}
		if w := doAs(t, h, planner, "POST", "/api/v1/plans/"+plan.ID+"/approve", ""); w.Code != 412 {
			t.Fatalf("approve before the draw: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, planner, "POST", "/api/v1/plans/"+plan.ID+"/draw", `{"result":"123456"}`); w.Code != 412 {
			t.Fatalf("a result before the draw: %d %s", w.Code, w.Body)
		}
		clock.Set(time.Date(2026, 3, 4, 18, 0, 0, 0, time.UTC))
		w = doAs(t, h, planner, "POST", "/api/v1/plans/"+plan.ID+"/draw", `{"result":"12 345"}`)
		if e := decodeError(t, w); w.Code != 400 || e.Field != "result" {
			t.Fatalf("five digits: %d %+v", w.Code, e)
		}
		if w := doAs(t, h, &Principal{Username: "insp", Role: models.RoleInspector}, "POST", "/api/v1/plans/"+plan.ID+"/draw", `{"result":"123456"}`); w.Code != 403 {
			t.Fatalf("an inspector entering a draw: %d", w.Code)
		}
		w = doAs(t, h, planner, "POST", "/api/v1/plans/"+plan.ID+"/draw", `{"result":"123456"}`)
		if w.Code != 200 {
			t.Fatalf("draw: %d %s", w.Code, w.Body)
		}
		json.Unmarshal(w.Body.Bytes(), &plan)
		if plan.Status != models.PlanDraft {
			t.Fatalf("drawn: %s", w.Body)
		}
		// 120 never inspected, no openings in the registry's history: the levelled rule draws
		// 120 / 4.75 = 25.3, 25 with this year's capacity from the draw's week in March (the
		// yearly share is 24).
		if plan.Seed != nil || plan.Figures.Total != 25 || plan.Figures.MustCover != 25 || plan.Figures.ShareTarget != 24 {
			t.Fatalf("draft: seed shown %v, figures %+v", plan.Seed, plan.Figures)
		}
		if w := doAs(t, h, planner, "GET", "/api/v1/plans/"+plan.ID+"/items", ""); w.Code != 200 || !strings.Contains(w.Body.String(), "inclusion_prob") ||
			!strings.Contains(w.Body.String(), `"business_name":"Karaoke `) || !strings.Contains(w.Body.String(), `"category":"karaoke"`) {
			t.Fatalf("items: %d %.300s", w.Code, w.Body)
		}
		if w := doAs(t, h, planner, "POST", "/api/v1/plans/"+plan.ID+"/approve", ""); w.Code != 200 {
			t.Fatalf("approve: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, planner, "POST", "/api/v1/plans/"+plan.ID+"/approve", ""); w.Code != 409 {
			t.Fatalf("approve twice: %d", w.Code)
		}
		if w := doAs(t, h, planner, "POST", "/api/v1/programmes/P/plans", `{"year":2026,"reason":"again"}`); w.Code != 409 {
			t.Fatalf("a second plan while one is approved: %d", w.Code)
		}
		// Walk the tasks in pages of 10.
		seen, cursor := 0, ""
		for page := 0; page < 5; page++ {
			path := "/api/v1/plans/" + plan.ID + "/tasks?limit=10"
			if cursor != "" {
				path += "&cursor=" + cursor
			}
			w := doAs(t, h, planner, "GET", path, "")
			var pg struct {
				Items      []models.Task `json:"items"`
				NextCursor *string       `json:"next_cursor"`
			}
			json.Unmarshal(w.Body.Bytes(), &pg)
			seen += len(pg.Items)
			if pg.NextCursor == nil {
				break
			}
			cursor = *pg.NextCursor
		}
		if seen != 25 {
			t.Fatalf("walked %d tasks, want 25", seen)
		}
		if w := doAs(t, h, planner, "GET", "/api/v1/plans/"+plan.ID+"/verify", ""); w.Code != 412 {
			t.Fatalf("verify before reveal: %d", w.Code)
		}
		if w := doAs(t, h, planner, "POST", "/api/v1/plans/"+plan.ID+"/reveal", ""); w.Code != 403 {
			t.Fatalf("a planner revealing in the year: %d", w.Code)
		}
		w = doAs(t, h, admin, "POST", "/api/v1/plans/"+plan.ID+"/reveal", "")
		json.Unmarshal(w.Body.Bytes(), &plan)
		if w.Code != 200 || plan.Seed == nil {
			t.Fatalf("reveal: %d %s", w.Code, w.Body)
		}
		w = doAs(t, h, planner, "GET", "/api/v1/plans/"+plan.ID+"/verify", "")
		var v models.PlanVerification
		json.Unmarshal(w.Body.Bytes(), &v)
		if w.Code != 200 || !v.Matches {
			t.Fatalf("verify: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, planner, "GET", "/api/v1/plans/nope", ""); w.Code != 404 {
			t.Fatalf("unknown plan: %d", w.Code)
		}
		w = doAs(t, h, admin, "POST", "/api/v1/jobs/nightly/run", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"status":"ok"`) {
			t.Fatalf("run the nightly job: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, admin, "POST", "/api/v1/jobs/nope/run", ""); w.Code != 404 {
			t.Fatalf("unknown job: %d", w.Code)
		}
		if w := doAs(t, h, admin, "GET", "/api/v1/jobs", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"nightly"`) {
			t.Fatalf("jobs: %d %s", w.Code, w.Body)
		}
	})
}

func TestAProgrammeIsLedByAnActiveAgency(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		h := newPlanServer(t, db).srv
		planner := &Principal{Username: "planner", Role: models.RolePlanner}
		body := func(code, lead string) string {
			return `{"code":"` + code + `","name":"Chương trình 2026-2030","starts_on":"2026-01-01","ends_on":"2030-12-31"` + lead + `}`
		}
		for _, tc := range []struct{ name, lead string }{
			{"an unknown agency", `,"lead_agency":"army"`},
			{"the dissolved labour department", `,"lead_agency":"labour"`},
		} {
			t.Run(tc.name+" is 400", func(t *testing.T) {
				w := doAs(t, h, planner, "POST", "/api/v1/programmes", body("P", tc.lead))
				if e := decodeError(t, w); w.Code != 400 || e.Field != "lead_agency" {
					t.Fatalf("%d %s", w.Code, w.Body)
				}
			})
		}
		t.Run("without a lead, the health department leads", func(t *testing.T) {
			w := doAs(t, h, planner, "POST", "/api/v1/programmes", body("P", ""))
			if p := decodeInto[models.Programme](t, w); w.Code != 201 || p.LeadAgency == nil || *p.LeadAgency != models.AgencyHealth {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
		})
		t.Run("another active agency may lead", func(t *testing.T) {
			w := doAs(t, h, planner, "POST", "/api/v1/programmes", body("Q", `,"lead_agency":"police"`))
			if p := decodeInto[models.Programme](t, w); w.Code != 201 || *p.LeadAgency != models.AgencyPolice {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			w = doAs(t, h, planner, "GET", "/api/v1/programmes/Q", "")
			if p := decodeInto[models.Programme](t, w); w.Code != 200 || p.LeadAgency == nil || *p.LeadAgency != models.AgencyPolice {
				t.Fatalf("stored: %d %s", w.Code, w.Body)
			}
		})
	})
}
