package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"kiemtra/fieldwork"
	"kiemtra/models"
	"kiemtra/photos"
	"kiemtra/places"
	"kiemtra/record"
	"kiemtra/refdata"
	"kiemtra/registry"
	"kiemtra/scheduler"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// ict is Vietnam's time zone, the zone the field-work tests live in: a day boundary that is
// not UTC's catches dates taken in the wrong zone.
var ict = time.FixedZone("ICT", 7*3600)

// testClock is a clock the test moves by hand; the store, the server and the services share it
// so that created_at, updated_at and "now" agree.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// fieldDay is the working day the field-work tests walk: Tuesday 3 March 2026.
var fieldDay = models.NewDate(2026, 3, 3)

// at is a time of fieldDay in Vietnam.
func at(hour, minute int) time.Time {
	return time.Date(2026, 3, 3, hour, minute, 0, 0, ict)
}

// fieldEnv is a small city with two district teams, their phones' users, an approved plan and
// the day's tasks released by the morning job.
type fieldEnv struct {
	srv     *Server
	db      *store.DB
	clk     *testClock
	morning *scheduler.MorningJob
	nightly *scheduler.NightlyJob
	plan    *models.Plan
	teamA   *models.Team // district D1
	teamB   *models.Team // district D2
	// Inspectors of team A (two), team B (one), a planner of the city.
	a1, a2, b1, planner *Principal
	outsider            *models.User // a user of no team, for members checks
	// Businesses by name.
	biz map[string]*models.Business
}

func runField(t *testing.T, fn func(t *testing.T, env *fieldEnv)) {
	clk := &testClock{t: at(6, 0)}
	storetest.RunWith(t, storetest.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		clk.Set(at(6, 0))
		fn(t, newFieldEnv(t, db, clk))
	})
}

// newFieldEnv stores the city and releases fieldDay's tasks at 06:00. Team A (D1) gets six
// karaoke bars a few hundred metres apart in Ninh Kieu and one 20 km north; team B (D2) gets
// three.
func newFieldEnv(t testing.TB, db *store.DB, clk *testClock) *fieldEnv {
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
	env := &fieldEnv{db: db, clk: clk, biz: map[string]*models.Business{}}
	var bs []*models.Business
	add := func(name, area string, lat, lon float64) {
		b := &models.Business{Name: name, Category: "karaoke", LicenceNo: p("L-" + name), Address: "1 Đường " + name, Phone: "0292 000 000",
			OwnerName: "Chủ " + name, Lat: lat, Lon: lon, AreaCode: area, Status: models.BusinessActive, OpenedOn: models.NewDate(2018, 1, 1)}
		bs = append(bs, b)
		env.biz[name] = b
	}
	for i := 0; i < 6; i++ {
		add(fmt.Sprintf("A%d", i), []string{"D11", "D12"}[i%2], 10.030+float64(i)*0.004, 105.770)
	}
	add("Far", "D12", 10.210, 105.770) // 20 km north of A0
	for i := 0; i < 3; i++ {
		add(fmt.Sprintf("B%d", i), "D21", 10.000+float64(i)*0.004, 105.700)
	}
	if err := db.CreateBusinesses(ctx, "t", bs); err != nil {
		t.Fatal(err)
	}
	env.teamA = &models.Team{Name: "Tổ D1", Level: models.TeamLevelDistrict, AreaCode: "D1", BaseLat: 10.03, BaseLon: 105.77, WeeklyCapacity: 40}
	env.teamB = &models.Team{Name: "Tổ D2", Level: models.TeamLevelDistrict, AreaCode: "D2", BaseLat: 10.00, BaseLon: 105.70, WeeklyCapacity: 40}
	for _, tm := range []*models.Team{env.teamA, env.teamB} {
		if err := db.CreateTeam(ctx, "t", tm); err != nil {
			t.Fatal(err)
		}
	}
	user := func(name, role, area string, team *models.Team) *Principal {
		u := &models.User{Username: name, DisplayName: name, Agency: models.AgencyPolice, Role: role, AreaCode: area}
		if team != nil {
			u.TeamID = &team.ID
		}
		if err := db.CreateUser(ctx, "t", u); err != nil {
			t.Fatal(err)
		}
		pr := &Principal{UserID: u.ID, Username: u.Username, Role: role, AreaCode: area, AreaPath: models.AreaPath(models.AreaPath("", "92"), area)}
		if area == "92" {
			pr.AreaPath = models.AreaPath("", "92")
		}
		if team != nil {
			pr.TeamID = team.ID
		}
		return pr
	}
	env.a1 = user("a1", models.RoleInspector, "D1", env.teamA)
	env.a2 = user("a2", models.RoleInspector, "D1", env.teamA)
	env.b1 = user("b1", models.RoleInspector, "D2", env.teamB)
	env.planner = user("planner", models.RolePlanner, "92", nil)
	out := &models.User{Username: "outsider", Role: models.RoleInspector, AreaCode: "D1", Agency: models.AgencyPolice}
	if err := db.CreateUser(ctx, "t", out); err != nil {
		t.Fatal(err)
	}
	env.outsider = out

	// An approved plan whose items are all due this week.
	prog := &models.Programme{Code: "P", Name: "Kế hoạch", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31), RootAreaCode: p("92")}
	prog.ApplyDefaults()
	if err := db.CreateProgramme(ctx, "t", prog); err != nil {
		t.Fatal(err)
	}
	figures, _ := json.Marshal(models.PlanFigures{Year: 2026, RemainingYears: 5, InScope: len(bs), Total: len(bs), Feasible: true,
		ShortfallAreas: []models.AreaShortfall{}, Areas: []models.AreaFigures{}, Weeks: []models.WeekFigures{}})
	plan := &models.Plan{ProgrammeID: prog.ID, Year: 2026, SeedSHA256: "x", Inputs: "{}", Figures: string(figures), Feasible: true, CreatedBy: "t"}
	var items []*models.PlanItem
	for _, b := range bs {
		items = append(items, &models.PlanItem{BusinessID: b.ID, Group: models.GroupMustCover, InclusionProb: 1, WeekStart: models.NewDate(2026, 3, 2), AreaCode: b.AreaCode})
	}
	if err := db.CreatePlan(ctx, "t", plan, items); err != nil {
		t.Fatal(err)
	}
	approved, err := db.ApprovePlan(ctx, "t", plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	env.plan = approved

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cats, _ := refdata.Categories()
	catSet, _ := refdata.CategorySet()
	planner := scheduler.NewService(scheduler.Config{Store: db, Categories: cats, Logger: log, Now: clk.Now, Location: ict})
	env.morning = &scheduler.MorningJob{Store: db, Location: ict}
	env.nightly = &scheduler.NightlyJob{Service: planner, Store: db}
	reg := registry.New(registry.Config{Store: db, Categories: catSet, Logger: log, Now: clk.Now, Location: ict})
	field := fieldwork.New(fieldwork.Config{Store: db, Categories: catSet, Logger: log, Now: clk.Now, Location: ict})
	violations, err := refdata.Violations()
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := photos.NewStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	env.srv = New(Config{Store: db, Registry: reg, Readiness: readiness{}, Planner: planner, Assigner: env.morning, TeamDays: db, Now: clk.Now, Location: ict,
		FieldWork: field, Field: db, Photos: db, PhotoBlobs: blobs, Plans: db, Logger: log, Outbox: db, Places: places.New(db, fieldWards{}), PlaceStore: db,
		Records: record.New(record.Config{Store: db, Versions: db, Violations: violations, Location: ict, Now: clk.Now})})

	if _, err := env.morning.Run(ctx, clk.Now()); err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour) // 07:00: the teams set out
	return env
}

// do sends a request as p, with optional header pairs, and checks the answer against the
// contract (a gzip answer is checked once decoded).
func (env *fieldEnv) do(t *testing.T, p *Principal, method, path, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if p != nil {
		req = req.WithContext(WithPrincipal(req.Context(), p))
	}
	w := httptest.NewRecorder()
	env.srv.ServeHTTP(w, req)
	checked := w
	if w.Header().Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatalf("%s %s: Content-Encoding gzip but the body is not gzip: %v", method, path, err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s %s: the gzip body does not decode: %v", method, path, err)
		}
		checked = httptest.NewRecorder()
		for k, v := range w.Header() {
			checked.Header()[k] = v
		}
		checked.Header().Del("Content-Encoding")
		checked.Code = w.Code
		checked.Body = bytes.NewBuffer(plain)
	}
	checkContract(t, req, []byte(body), checked)
	return w
}

// jsonBody marshals v for a request.
func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %T: %v: %s", v, err, w.Body)
	}
	return v
}

// teamDay returns the tasks released to a team today, in route order, and the business of each.
func (env *fieldEnv) teamDay(t *testing.T, team *models.Team) []*models.Task {
	t.Helper()
	ts, err := env.db.FindTeamDay(context.Background(), team.ID, fieldDay)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// businessOf returns the business of a task.
func (env *fieldEnv) businessOf(t *testing.T, task *models.Task) *models.Business {
	t.Helper()
	b, err := env.db.FindBusinessByID(context.Background(), task.BusinessID)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// taskAt returns the task of team's day at the named business.
func (env *fieldEnv) taskAt(t *testing.T, team *models.Team, name string) *models.Task {
	t.Helper()
	for _, task := range env.teamDay(t, team) {
		if task.BusinessID == env.biz[name].ID {
			return task
		}
	}
	t.Fatalf("no task at %s in the day of %s", name, team.Name)
	return nil
}

// checkinBody is a check-in at a position and time.
func checkinBody(id string, lat, lon, acc float64, when time.Time) map[string]any {
	m := map[string]any{"lat": lat, "lon": lon, "accuracy_m": acc, "at": when.Format(time.RFC3339)}
	if id != "" {
		m["id"] = id
	}
	return m
}

// answers answers every karaoke checklist item: "yes" (or "no" for the listed items).
func answers(t *testing.T, no ...string) []map[string]any {
	t.Helper()
	cl, err := refdata.Checklist()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, it := range cl.Items {
		for _, c := range it.Categories {
			if c != "karaoke" {
				continue
			}
			a := "yes"
			for _, n := range no {
				if n == it.ID {
					a = "no"
				}
			}
			out = append(out, map[string]any{"item_id": it.ID, "answer": a})
		}
	}
	return out
}

// result is an inspection body: started at start, 30 minutes long.
func result(t *testing.T, task *models.Task, outcome string, start time.Time, no ...string) map[string]any {
	t.Helper()
	m := map[string]any{"id": uuid.NewString(), "task_id": task.ID, "started_at": start.Format(time.RFC3339),
		"finished_at": start.Add(30 * time.Minute).Format(time.RFC3339), "outcome": outcome, "checklist_version": 1}
	if models.Inspected(outcome) {
		m["answers"] = answers(t, no...)
	}
	return m
}

// count counts rows of a table matching a condition.
func (env *fieldEnv) count(t *testing.T, table, where string, args ...any) int {
	t.Helper()
	var n int64
	q := env.db.Gorm().Table(table)
	if where != "" {
		q = q.Where(where, args...)
	}
	if err := q.Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func (env *fieldEnv) task(t *testing.T, id string) *models.Task {
	t.Helper()
	task, err := env.db.FindTaskByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return task
}

func TestAFullDayInTheField(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		ctx := context.Background()
		day := env.teamDay(t, env.teamA)
		if len(day) < 6 {
			t.Fatalf("team A got %d tasks, want at least 6", len(day))
		}

		// The route, in order, with what the phone needs.
		w := env.do(t, env.a1, "GET", "/api/v1/me/assignments", "")
		if w.Code != 200 {
			t.Fatalf("assignments: %d %s", w.Code, w.Body)
		}
		etag := w.Header().Get("ETag")
		if !strings.HasPrefix(etag, `W/"`) {
			// Answers under one tag hold the same day, not the same bytes: the cursor moves.
			t.Fatalf("ETag %q is not weak", etag)
		}
		got := decode[Assignments](t, w)
		if !got.Full || got.Day != fieldDay || got.TeamID != env.teamA.ID || len(got.Items) != len(day) || got.Cursor == "" {
			t.Fatalf("assignments: full %v day %s team %s items %d cursor %q", got.Full, got.Day, got.TeamID, len(got.Items), got.Cursor)
		}
		for i, it := range got.Items {
			b := env.businessOf(t, day[i])
			if it.TaskID != day[i].ID || it.RouteOrder != i+1 || it.Status != models.TaskReleased || it.Reason != models.ReasonCoverage ||
				it.DueDate != models.NewDate(2026, 12, 31) || it.ChecklistVersion != 2 || it.CheckedIn || it.LastInspection != nil {
				t.Errorf("item %d: %+v", i, it)
			}
			bb := it.Business
			if bb.ID != b.ID || bb.Name != b.Name || bb.Category != "karaoke" || bb.Address != b.Address || bb.Lat != b.Lat || bb.Lon != b.Lon ||
				bb.LicenceNo == nil || *bb.LicenceNo != *b.LicenceNo || bb.Phone != b.Phone || bb.OwnerName != b.OwnerName {
				t.Errorf("item %d business: %+v, want %+v", i, bb, b)
			}
		}
		if w := env.do(t, env.a1, "GET", "/api/v1/me/assignments", "", "If-None-Match", etag); w.Code != 304 || w.Body.Len() != 0 {
			t.Fatalf("If-None-Match with the current ETag: %d %q", w.Code, w.Body)
		}
		if w := env.do(t, env.a1, "GET", "/api/v1/me/assignments", "", "If-None-Match", `"stale", `+etag); w.Code != 304 {
			t.Fatalf("If-None-Match with a list holding the current ETag: %d", w.Code)
		}
		if w := env.do(t, env.a1, "GET", "/api/v1/me/assignments", "", "If-None-Match", `"stale"`); w.Code != 200 {
			t.Fatalf("If-None-Match with another ETag: %d", w.Code)
		}
		// The other member of the team sees the same day; gzip when asked.
		w = env.do(t, env.a2, "GET", "/api/v1/me/assignments", "", "Accept-Encoding", "gzip")
		if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
			t.Fatalf("gzip: %d %v", w.Code, w.Header())
		}
		zr, err := gzip.NewReader(w.Body)
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := io.ReadAll(zr)
		var gz Assignments
		if err := json.Unmarshal(plain, &gz); err != nil || len(gz.Items) != len(day) || gz.Items[0].TaskID != day[0].ID {
			t.Fatalf("gzip body: %v %s", err, plain)
		}
		if w := env.do(t, env.a2, "GET", "/api/v1/me/assignments", "", "Accept-Encoding", "gzip", "If-None-Match", etag); w.Code != 304 || w.Header().Get("Content-Encoding") != "" || w.Body.Len() != 0 {
			t.Fatalf("304 with gzip asked: %d %v %q", w.Code, w.Header(), w.Body)
		}
		if w := env.do(t, env.b1, "GET", "/api/v1/me/assignments", ""); w.Code != 200 || decode[Assignments](t, w).Items[0].TaskID == day[0].ID {
			t.Fatalf("team B sees team A's day: %d", w.Code)
		}
		cursor := got.Cursor

		// First stop: check in on site, submit a compliant result, replay it.
		first, b0 := day[0], env.businessOf(t, day[0])
		env.clk.Set(at(8, 0))
		ck := checkinBody(uuid.NewString(), b0.Lat+0.0002, b0.Lon, 12, at(7, 59))
		w = env.do(t, env.a1, "POST", "/api/v1/tasks/"+first.ID+"/checkin", jsonBody(t, ck))
		res := decode[fieldwork.CheckinResult](t, w)
		if w.Code != 201 || !res.OnSite || res.DistanceM > 30 || res.DistanceM < 15 || len(res.Flags) != 0 || res.TaskID != first.ID || !res.ServerAt.Equal(at(8, 0)) {
			t.Fatalf("check-in on site: %d %+v", w.Code, res)
		}
		if w := env.do(t, env.a1, "POST", "/api/v1/tasks/"+first.ID+"/checkin", jsonBody(t, ck)); w.Code != 200 || decode[fieldwork.CheckinResult](t, w).ID != res.ID {
			t.Fatalf("check-in retry: %d %s", w.Code, w.Body)
		}
		env.clk.Set(at(8, 45))
		compliant := result(t, first, models.OutcomeCompliant, at(8, 0))
		compliant["members"] = []string{env.a2.UserID}
		compliant["notes"] = "Cơ sở chấp hành tốt"
		w = env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, compliant))
		if w.Code != 201 || w.Header().Get("Location") != "/api/v1/inspections/"+compliant["id"].(string) {
			t.Fatalf("submit: %d %s", w.Code, w.Body)
		}
		view := decode[fieldwork.InspectionView](t, w)
		if view.Outcome != models.OutcomeCompliant || len(view.Findings) != 0 || len(view.NewTasks) != 0 || len(view.Flags) != 0 ||
			len(view.Members) != 2 || view.Members[0] != env.a1.UserID || view.BusinessID != b0.ID || view.TeamID == nil || *view.TeamID != env.teamA.ID {
			t.Fatalf("submitted view: %+v", view)
		}
		env.clk.Advance(time.Minute)
		w = env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, compliant))
		if w.Code != 200 || decode[fieldwork.InspectionView](t, w).ID != view.ID {
			t.Fatalf("replay: %d %s", w.Code, w.Body)
		}
		if n := env.count(t, "inspections", "task_id = ?", first.ID); n != 1 {
			t.Fatalf("%d inspections stored for one result and its replay", n)
		}
		changed := map[string]any{}
		for k, v := range compliant {
			changed[k] = v
		}
		changed["notes"] = "khác"
		if w := env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, changed)); w.Code != 409 {
			t.Fatalf("another body under the same id: %d %s", w.Code, w.Body)
		}
		changed["id"] = uuid.NewString()
		if w := env.do(t, env.a2, "POST", "/api/v1/inspections", jsonBody(t, changed)); w.Code != 409 {
			t.Fatalf("a second result for a done task: %d %s", w.Code, w.Body)
		}
		if n := env.count(t, "inspections", "task_id = ?", first.ID); n != 1 {
			t.Fatalf("%d inspections stored after the conflicts", n)
		}
		if task := env.task(t, first.ID); task.Status != models.TaskDone {
			t.Fatalf("the task is %s after its result", task.Status)
		}
		if b := env.businessOf(t, first); b.LastInspectedOn != fieldDay {
			t.Fatalf("last inspected on %s, want %s", b.LastInspectedOn, fieldDay)
		}

		// A photo of the visit.
		jpg := testJPEG(t, 64, 48, 1)
		w = env.upload(t, env.a1, view.ID, "photo.jpg", jpg)
		if w.Code != 201 {
			t.Fatalf("photo: %d %s", w.Code, w.Body)
		}
		photo := decode[models.Photo](t, w)
		if photo.ContentType != "image/jpeg" || photo.Width != 64 || photo.Height != 48 || photo.SizeBytes != int64(len(jpg)) || photo.InspectionID != view.ID {
			t.Fatalf("photo: %+v", photo)
		}
		if w := env.upload(t, env.a2, view.ID, "again.jpg", jpg); w.Code != 200 || decode[models.Photo](t, w).ID != photo.ID {
			t.Fatalf("the same photo again: %d %s", w.Code, w.Body)
		}
		w = env.do(t, env.a2, "GET", "/api/v1/inspections/"+view.ID+"/photos/"+photo.ID, "")
		if w.Code != 200 || !bytes.Equal(w.Body.Bytes(), jpg) || w.Header().Get("Content-Type") != "image/jpeg" {
			t.Fatalf("photo back: %d %s, %d bytes", w.Code, w.Header().Get("Content-Type"), w.Body.Len())
		}

		// The business's history and the inspection itself.
		w = env.do(t, env.planner, "GET", "/api/v1/businesses/"+b0.ID+"/inspections", "")
		var hist struct {
			Items []HistoryItem `json:"items"`
		}
		json.Unmarshal(w.Body.Bytes(), &hist)
		if w.Code != 200 || len(hist.Items) != 1 || hist.Items[0].ID != view.ID || hist.Items[0].Outcome != models.OutcomeCompliant {
			t.Fatalf("history: %d %s", w.Code, w.Body)
		}
		w = env.do(t, env.a2, "GET", "/api/v1/inspections/"+view.ID, "")
		detail := decode[struct {
			Notes  string          `json:"notes"`
			Photos []*models.Photo `json:"photos"`
		}](t, w)
		if w.Code != 200 || detail.Notes != "Cơ sở chấp hành tốt" || len(detail.Photos) != 1 {
			t.Fatalf("inspection: %d %s", w.Code, w.Body)
		}
		if w := env.do(t, env.b1, "GET", "/api/v1/inspections/"+view.ID, ""); w.Code != 404 {
			t.Fatalf("another team reads the result: %d", w.Code)
		}

		// The plan's progress moved.
		w = env.do(t, env.planner, "GET", "/api/v1/plans/"+env.plan.ID, "")
		pv := decode[struct {
			Progress map[string]int `json:"progress"`
		}](t, w)
		if w.Code != 200 || pv.Progress[models.TaskDone] != 1 {
			t.Fatalf("plan progress: %d %v", w.Code, pv.Progress)
		}

		// A violation queues a follow-up within 30 days and raises the risk.
		second, b1 := day[1], env.businessOf(t, day[1])
		env.clk.Set(at(10, 0))
		viol := result(t, second, models.OutcomeViolation, at(9, 15), "K03")
		viol["findings"] = []map[string]any{{"code": "FIRE_SAFETY", "note": "bình chữa cháy hết hạn"}}
		w = env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, viol))
		if w.Code != 201 {
			t.Fatalf("violation: %d %s", w.Code, w.Body)
		}
		vv := decode[fieldwork.InspectionView](t, w)
		codes := []string{}
		for _, f := range vv.Findings {
			codes = append(codes, f.Code)
		}
		sort.Strings(codes)
		if strings.Join(codes, ",") != "FIRE_SAFETY,HOURS" || len(vv.NewTasks) != 1 {
			t.Fatalf("violation view: findings %v new tasks %d", codes, len(vv.NewTasks))
		}
		fu := vv.NewTasks[0]
		if fu.Reason != models.ReasonFollowUp || fu.Status != models.TaskPlanned || fu.ParentTaskID == nil || *fu.ParentTaskID != second.ID ||
			fu.PlanID == nil || *fu.PlanID != env.plan.ID || fu.BusinessID != b1.ID || fu.WindowStart.Before(fieldDay) || fieldDay.DaysUntil(fu.WindowEnd) > 30 {
			t.Fatalf("follow-up: %+v", fu)
		}
		if b := env.businessOf(t, second); b.RiskScore <= b1.RiskScore || b.LastInspectedOn != fieldDay {
			t.Fatalf("after a violation: risk %v (was %v), last inspected %s", b.RiskScore, b1.RiskScore, b.LastInspectedOn)
		}
		// Its replay answers the same result, findings and follow-up included.
		w = env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, viol))
		rv := decode[fieldwork.InspectionView](t, w)
		if w.Code != 200 || len(rv.Findings) != 2 || len(rv.NewTasks) != 1 || rv.NewTasks[0].ID != fu.ID {
			t.Fatalf("violation replay: %d findings %d new tasks %d", w.Code, len(rv.Findings), len(rv.NewTasks))
		}

		// A refusal misses the task and queues a repeat.
		third := day[2]
		env.clk.Set(at(11, 0))
		w = env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, result(t, third, models.OutcomeRefused, at(10, 30))))
		rf := decode[fieldwork.InspectionView](t, w)
		if w.Code != 201 || len(rf.NewTasks) != 1 || rf.NewTasks[0].Reason != models.ReasonRequeue || rf.NewTasks[0].Status != models.TaskPlanned {
			t.Fatalf("refused: %d %s", w.Code, w.Body)
		}
		if task := env.task(t, third.ID); task.Status != models.TaskMissed {
			t.Fatalf("a refused task is %s", task.Status)
		}
		if b := env.businessOf(t, third); !b.LastInspectedOn.IsZero() {
			t.Fatalf("a refusal counts as an inspection: %s", b.LastInspectedOn)
		}
		prog, err := env.db.PlanProgress(ctx, env.plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		if prog[models.TaskDone] != 2 || prog[models.TaskMissed] != 1 || prog[models.TaskPlanned] < 2 {
			t.Fatalf("plan progress after three visits: %v", prog)
		}

		// Delta sync: the three visited tasks come back as updated, nothing else.
		env.clk.Advance(time.Minute)
		w = env.do(t, env.a1, "GET", "/api/v1/me/assignments?since="+cursor, "")
		delta := decode[Assignments](t, w)
		if w.Code != 200 || delta.Full || len(delta.Items) != 0 || len(delta.Added) != 0 || len(delta.Withdrawn) != 0 {
			t.Fatalf("delta: %d %s", w.Code, w.Body)
		}
		updated := map[string]*AssignmentItem{}
		for _, it := range delta.Updated {
			updated[it.TaskID] = it
		}
		if len(updated) != 3 || updated[first.ID] == nil || updated[second.ID] == nil || updated[third.ID] == nil ||
			updated[first.ID].Status != models.TaskDone || !updated[first.ID].CheckedIn || updated[third.ID].Status != models.TaskMissed ||
			updated[first.ID].LastInspection != nil { // a task's own result is not its previous inspection
			t.Fatalf("delta updated: %s", w.Body)
		}
		// Nothing changed since: an empty delta, and then 304 for it.
		w = env.do(t, env.a1, "GET", "/api/v1/me/assignments?since="+delta.Cursor, "")
		empty := decode[Assignments](t, w)
		if len(empty.Updated)+len(empty.Added)+len(empty.Withdrawn) != 0 {
			t.Fatalf("a delta with nothing new: %s", w.Body)
		}
		if w := env.do(t, env.a1, "GET", "/api/v1/me/assignments?since="+delta.Cursor, "", "If-None-Match", w.Header().Get("ETag")); w.Code != 304 {
			t.Fatalf("the same empty delta again: %d", w.Code)
		}

		// A task taken back from the team appears as withdrawn.
		back := day[3]
		env.clk.Advance(time.Minute)
		if err := env.db.UpdateTaskStatus(ctx, "planner", []string{back.ID}, models.TaskPlanned, map[string]any{"released_on": nil, "route_order": 0}); err != nil {
			t.Fatal(err)
		}
		env.clk.Advance(time.Minute)
		w = env.do(t, env.a1, "GET", "/api/v1/me/assignments?since="+empty.Cursor, "")
		wd := decode[Assignments](t, w)
		if w.Code != 200 || len(wd.Withdrawn) != 1 || wd.Withdrawn[0] != back.ID || len(wd.Updated) != 0 || len(wd.Added) != 0 {
			t.Fatalf("withdrawn: %d %s", w.Code, w.Body)
		}
		full := decode[Assignments](t, env.do(t, env.a1, "GET", "/api/v1/me/assignments", ""))
		for _, it := range full.Items {
			if it.TaskID == back.ID {
				t.Fatal("the withdrawn task is still in the full day")
			}
		}
		// A task given to the team later in the day appears as added, with the business's
		// previous inspection (this morning's violation).
		extra := &models.Task{PlanID: &env.plan.ID, BusinessID: second.BusinessID, Reason: models.ReasonTip, Status: models.TaskPlanned, WindowStart: fieldDay, WindowEnd: fieldDay.AddDays(3), InclusionProb: 1}
		env.clk.Advance(time.Minute)
		if err := env.db.CreateTasks(ctx, "t", []*models.Task{extra}); err != nil {
			t.Fatal(err)
		}
		if err := env.db.ReleaseTasks(ctx, "t", fieldDay, []*models.AssignmentDecision{{TaskID: extra.ID, TeamID: env.teamA.ID, RouteOrder: 9}}); err != nil {
			t.Fatal(err)
		}
		env.clk.Advance(time.Minute)
		w = env.do(t, env.a1, "GET", "/api/v1/me/assignments?since="+wd.Cursor, "")
		ad := decode[Assignments](t, w)
		if w.Code != 200 || len(ad.Added) != 1 || ad.Added[0].TaskID != extra.ID || ad.Added[0].Reason != models.ReasonTip || len(ad.Updated) != 0 || len(ad.Withdrawn) != 0 {
			t.Fatalf("added: %d %s", w.Code, w.Body)
		}
		li := ad.Added[0].LastInspection
		if li == nil || li.Date != fieldDay || li.Outcome != models.OutcomeViolation || strings.Join(li.Violations, ",") != "FIRE_SAFETY,HOURS" && strings.Join(li.Violations, ",") != "HOURS,FIRE_SAFETY" {
			t.Fatalf("the added task's last inspection: %+v", li)
		}
		// A released task cancelled by a planner leaves the day: withdrawn, and gone from it.
		gone := day[4]
		env.clk.Advance(time.Minute)
		if err := env.db.UpdateTaskStatus(ctx, "planner", []string{gone.ID}, models.TaskCancelled, nil); err != nil {
			t.Fatal(err)
		}
		env.clk.Advance(time.Minute)
		w = env.do(t, env.a1, "GET", "/api/v1/me/assignments?since="+ad.Cursor, "")
		cd := decode[Assignments](t, w)
		if len(cd.Withdrawn) != 1 || cd.Withdrawn[0] != gone.ID || len(cd.Updated)+len(cd.Added) != 0 {
			t.Fatalf("a cancelled task: %s", w.Body)
		}
		full = decode[Assignments](t, env.do(t, env.a1, "GET", "/api/v1/me/assignments", ""))
		for _, it := range full.Items {
			if it.TaskID == gone.ID {
				t.Fatal("the cancelled task is still in the full day")
			}
		}
		if len(full.Items) != len(day)-1 { // less back and gone, plus extra
			t.Fatalf("the day has %d items, want %d", len(full.Items), len(day)-1)
		}
		// A cursor of another day starts the day afresh; a cursor that is not one is refused.
		old := encodeSyncCursor(fieldDay.AddDays(-1), at(7, 0))
		if w := env.do(t, env.a1, "GET", "/api/v1/me/assignments?since="+old, ""); w.Code != 200 || !decode[Assignments](t, w).Full {
			t.Fatalf("yesterday's cursor: %d %s", w.Code, w.Body)
		}
		if w := env.do(t, env.a1, "GET", "/api/v1/me/assignments?since=nonsense!", ""); w.Code != 400 || decodeError(t, w).Field != "since" {
			t.Fatalf("a bad cursor: %d %s", w.Code, w.Body)
		}
	})
}

// TestDeltaSyncDoesNotLoseALateCommit: a change whose updated_at is older than the cursor a
// phone already holds (a transaction that took its time stamp before another one committed
// and read) still reaches the phone.
func TestDeltaSyncDoesNotLoseALateCommit(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		day := env.teamDay(t, env.teamA)
		w := env.do(t, env.a1, "GET", "/api/v1/me/assignments", "")
		cur := decode[Assignments](t, w).Cursor
		// Two writes stamped a few milliseconds apart: the later stamp commits and is read first.
		stamp := env.clk.Now().UTC()
		if err := env.db.Gorm().Table("tasks").Where("id = ?", day[0].ID).Updates(map[string]any{"route_order": 7, "version": 3, "updated_at": stamp.Add(2 * time.Millisecond)}).Error; err != nil {
			t.Fatal(err)
		}
		w = env.do(t, env.a1, "GET", "/api/v1/me/assignments?since="+cur, "")
		d1 := decode[Assignments](t, w)
		if len(d1.Updated) != 1 || d1.Updated[0].TaskID != day[0].ID {
			t.Fatalf("first change: %s", w.Body)
		}
		if err := env.db.Gorm().Table("tasks").Where("id = ?", day[1].ID).Updates(map[string]any{"route_order": 8, "version": 3, "updated_at": stamp.Add(time.Millisecond)}).Error; err != nil {
			t.Fatal(err)
		}
		env.clk.Advance(time.Minute)
		w = env.do(t, env.a1, "GET", "/api/v1/me/assignments?since="+d1.Cursor, "")
		d2 := decode[Assignments](t, w)
		found := false
		for _, it := range d2.Updated {
			found = found || it.TaskID == day[1].ID
		}
		if !found {
			t.Fatalf("the late commit was lost: %s", w.Body)
		}
	})
}

// upload posts a photo as multipart form data.
func (env *fieldEnv) upload(t *testing.T, p *Principal, inspectionID, name string, data []byte) *httptest.ResponseRecorder {
	t.Helper()
	body, ct := multipartFile(t, name, data)
	req := httptest.NewRequest("POST", "/api/v1/inspections/"+inspectionID+"/photos", bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req = req.WithContext(WithPrincipal(req.Context(), p))
	w := httptest.NewRecorder()
	env.srv.ServeHTTP(w, req)
	checkContract(t, req, nil, w)
	return w
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

var _ = http.StatusOK

// stored counts what field work writes, to check that a refused request wrote nothing.
func (env *fieldEnv) stored(t *testing.T) string {
	t.Helper()
	return fmt.Sprintf("checkins %d, inspections %d, findings %d, tasks %d, photos %d", env.count(t, "checkins", ""), env.count(t, "inspections", ""),
		env.count(t, "inspection_findings", ""), env.count(t, "tasks", ""), env.count(t, "photos", ""))
}

func rfc(t time.Time) string { return t.Format(time.RFC3339) }

// with returns a copy of m with the given keys set (a nil value deletes the key).
func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

func TestBadFieldInputIsRefusedWithTheFieldNamed(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		ctx := context.Background()
		day := env.teamDay(t, env.teamA)
		task, b := day[0], env.businessOf(t, day[0])
		other := env.teamDay(t, env.teamB)[0]
		// A task pencilled in for team A but never released to it, and one released to no one.
		unreleased := &models.Task{BusinessID: b.ID, Reason: models.ReasonTip, Status: models.TaskPlanned, TeamID: &env.teamA.ID,
			WindowStart: fieldDay.AddDays(10), WindowEnd: fieldDay.AddDays(20), InclusionProb: 1}
		pool := &models.Task{BusinessID: b.ID, Reason: models.ReasonTip, Status: models.TaskPlanned, WindowStart: fieldDay.AddDays(10), WindowEnd: fieldDay.AddDays(20), InclusionProb: 1}
		if err := env.db.CreateTasks(ctx, "t", []*models.Task{unreleased, pool}); err != nil {
			t.Fatal(err)
		}
		env.clk.Set(at(10, 0))
		good := result(t, task, models.OutcomeCompliant, at(9, 0))
		allYes := answers(t)
		swap := func(i int, kv ...any) []map[string]any {
			out := make([]map[string]any, len(allYes))
			copy(out, allYes)
			out[i] = with(out[i], kv...)
			return out
		}
		before := env.stored(t)
		for _, tc := range []struct {
			name   string
			p      *Principal
			body   string
			status int
			field  string
		}{
			{"a missing started_at", env.a1, jsonBody(t, with(good, "started_at", nil)), 400, "started_at"},
			{"a missing finished_at", env.a1, jsonBody(t, with(good, "finished_at", nil)), 400, "finished_at"},
			{"a missing task_id", env.a1, jsonBody(t, with(good, "task_id", nil)), 400, "task_id"},
			{"a missing id", env.a1, jsonBody(t, with(good, "id", nil)), 400, "id"},
			{"an id that is not a UUID", env.a1, jsonBody(t, with(good, "id", "result-1")), 400, "id"},
			{"an extra field", env.a1, jsonBody(t, with(good, "colour", "red")), 400, "colour"},
			{"an extra field in an answer", env.a1, jsonBody(t, with(good, "answers", swap(0, "score", 3))), 400, "score"},
			{"an unknown outcome", env.a1, jsonBody(t, with(good, "outcome", "ok")), 400, "outcome"},
			{"an outcome of the wrong type", env.a1, jsonBody(t, with(good, "outcome", 1)), 400, "outcome"},
			{"an unknown checklist version", env.a1, jsonBody(t, with(good, "checklist_version", 99)), 400, "checklist_version"},
			{"no checklist version", env.a1, jsonBody(t, with(good, "checklist_version", 0)), 400, "checklist_version"},
			{"a checklist version that is not a number", env.a1, jsonBody(t, with(good, "checklist_version", "one")), 400, "checklist_version"},
			{"a finish in the future", env.a1, jsonBody(t, with(good, "finished_at", at(11, 0).Format(time.RFC3339))), 400, "finished_at"},
			{"a start before the task existed", env.a1, jsonBody(t, with(good, "started_at", at(5, 0).Format(time.RFC3339), "finished_at", at(5, 30).Format(time.RFC3339))), 400, "started_at"},
			{"a start weeks ago", env.a1, jsonBody(t, with(good, "started_at", at(9, 0).AddDate(0, 0, -20).Format(time.RFC3339))), 400, "finished_at"},
			{"a finish before the start", env.a1, jsonBody(t, with(good, "finished_at", at(8, 0).Format(time.RFC3339))), 400, "finished_at"},
			{"a start that is not a time", env.a1, jsonBody(t, with(good, "started_at", "NaN")), 400, "started_at"},
			{"a start without a zone", env.a1, jsonBody(t, with(good, "started_at", "2026-03-03T09:00:00")), 400, "started_at"},
			{"an unknown checklist item", env.a1, jsonBody(t, with(good, "answers", swap(3, "item_id", "Z99"))), 400, "answers[3].item_id"},
			{"an item of another kind of business", env.a1, jsonBody(t, with(good, "answers", append(swap(0), map[string]any{"item_id": "M01", "answer": "yes"}))), 400, "answers[14].item_id"},
			{"an answer that is not yes, no or na", env.a1, jsonBody(t, with(good, "answers", swap(2, "answer", "maybe"))), 400, "answers[2].answer"},
			{"an item answered twice", env.a1, jsonBody(t, with(good, "answers", append(swap(0), allYes[0]))), 400, "answers[14].item_id"},
			{"missing checklist answers", env.a1, jsonBody(t, with(good, "answers", allYes[:5])), 400, "answers"},
			{"no answers at all", env.a1, jsonBody(t, with(good, "answers", nil)), 400, "answers"},
			{"an unknown violation code", env.a1, jsonBody(t, with(good, "outcome", "violation", "findings", []map[string]any{{"code": "NOPE"}})), 400, "findings[0].code"},
			{"compliant with a no on a violation item", env.a1, jsonBody(t, with(good, "answers", swap(0, "answer", "no"))), 400, "outcome"},
			{"compliant with a finding", env.a1, jsonBody(t, with(good, "findings", []map[string]any{{"code": "HOURS"}})), 400, "outcome"},
			{"a violation without a finding", env.a1, jsonBody(t, with(good, "outcome", "violation")), 400, "outcome"},
			{"a refusal with answers", env.a1, jsonBody(t, with(good, "outcome", "refused")), 400, "answers"},
			{"a member not in the team", env.a1, jsonBody(t, with(good, "members", []string{env.b1.UserID})), 400, "members[0]"},
			{"a member of no team", env.a1, jsonBody(t, with(good, "members", []string{env.a2.UserID, env.outsider.ID})), 400, "members[1]"},
			{"notes too long", env.a1, jsonBody(t, with(good, "notes", strings.Repeat("x", 4001))), 400, "notes"},
			{"a task of another team", env.a1, jsonBody(t, with(good, "task_id", other.ID)), 404, "task"},
			{"an unknown task", env.a1, jsonBody(t, with(good, "task_id", "no-such-task")), 404, "task"},
			{"a task of the pool released to no one", env.a1, jsonBody(t, with(good, "task_id", pool.ID)), 404, "task"},
			{"a task of the team not released yet", env.a1, jsonBody(t, with(good, "task_id", unreleased.ID)), 404, "task"},
			{"a planner may not record results", env.planner, jsonBody(t, good), 403, ""},
			{"malformed JSON", env.a1, `{"id":`, 400, "body"},
			{"an array instead of an object", env.a1, `[]`, 400, "body"},
		} {
			t.Run("inspection: "+tc.name, func(t *testing.T) {
				w := env.do(t, tc.p, "POST", "/api/v1/inspections", tc.body)
				e := decodeError(t, w)
				if w.Code != tc.status || e.Field != tc.field {
					t.Fatalf("%d field %q, want %d %q: %s", w.Code, e.Field, tc.status, tc.field, w.Body)
				}
				if e.Message == "" {
					t.Fatal("no message")
				}
			})
		}
		ck := checkinBody("", b.Lat, b.Lon, 10, at(9, 0))
		for _, tc := range []struct {
			name   string
			task   string
			body   string
			status int
			field  string
		}{
			{"a latitude over 90", task.ID, jsonBody(t, with(ck, "lat", 91.0)), 400, "lat"},
			{"a longitude under -180", task.ID, jsonBody(t, with(ck, "lon", -180.5)), 400, "lon"},
			{"a negative accuracy", task.ID, jsonBody(t, with(ck, "accuracy_m", -1)), 400, "accuracy_m"},
			{"an absurd accuracy", task.ID, jsonBody(t, with(ck, "accuracy_m", 1e7)), 400, "accuracy_m"},
			{"a missing latitude", task.ID, jsonBody(t, with(ck, "lat", nil)), 400, "lat"},
			{"a missing time", task.ID, jsonBody(t, with(ck, "at", nil)), 400, "at"},
			{"a time in the future", task.ID, jsonBody(t, with(ck, "at", rfc(time.Date(2026, 3, 3, 11, 0, 0, 0, ict)))), 400, "at"},
			{"a time weeks ago", task.ID, jsonBody(t, with(ck, "at", rfc(time.Date(2026, 2, 3, 9, 0, 0, 0, ict)))), 400, "at"},
			{"a latitude that is a string", task.ID, `{"lat":"NaN","lon":105.77,"accuracy_m":5,"at":"2026-03-03T09:00:00+07:00"}`, 400, "lat"},
			{"a latitude past float64", task.ID, `{"lat":1e999,"lon":105.77,"accuracy_m":5,"at":"2026-03-03T09:00:00+07:00"}`, 400, "lat"},
			{"a bare NaN", task.ID, `{"lat":NaN,"lon":105.77,"accuracy_m":5,"at":"2026-03-03T09:00:00+07:00"}`, 400, "body"},
			{"a time that is not a time", task.ID, jsonBody(t, with(ck, "at", "yesterday")), 400, "at"},
			{"an extra field", task.ID, jsonBody(t, with(ck, "speed", 3)), 400, "speed"},
			{"an id that is not a UUID", task.ID, jsonBody(t, with(ck, "id", "abc")), 400, "id"},
			{"mocked that is not a boolean", task.ID, jsonBody(t, with(ck, "mocked", "yes")), 400, "mocked"},
			{"a task of another team", other.ID, jsonBody(t, ck), 404, "task"},
			{"an unknown task", "nope", jsonBody(t, ck), 404, "task"},
			{"a task of the team not released yet", unreleased.ID, jsonBody(t, ck), 404, "task"},
		} {
			t.Run("checkin: "+tc.name, func(t *testing.T) {
				w := env.do(t, env.a1, "POST", "/api/v1/tasks/"+tc.task+"/checkin", tc.body)
				e := decodeError(t, w)
				if w.Code != tc.status || e.Field != tc.field {
					t.Fatalf("%d field %q, want %d %q: %s", w.Code, e.Field, tc.status, tc.field, w.Body)
				}
			})
		}
		if after := env.stored(t); after != before {
			t.Fatalf("refused requests stored something: before %s, after %s", before, after)
		}

		t.Run("a replayed check-in with a changed body is a conflict", func(t *testing.T) {
			id := uuid.NewString()
			if w := env.do(t, env.a1, "POST", "/api/v1/tasks/"+task.ID+"/checkin", jsonBody(t, with(ck, "id", id))); w.Code != 201 {
				t.Fatalf("first: %d %s", w.Code, w.Body)
			}
			n := env.stored(t)
			if w := env.do(t, env.a1, "POST", "/api/v1/tasks/"+task.ID+"/checkin", jsonBody(t, with(ck, "id", id, "lat", b.Lat+0.01))); w.Code != 409 {
				t.Fatalf("changed body: %d %s", w.Code, w.Body)
			}
			if w := env.do(t, env.b1, "POST", "/api/v1/tasks/"+task.ID+"/checkin", jsonBody(t, with(ck, "id", id))); w.Code != 409 {
				t.Fatalf("the same id and body from another team: %d %s", w.Code, w.Body)
			}
			if env.stored(t) != n {
				t.Fatal("a conflicting check-in was stored")
			}
		})
		t.Run("a replayed result with a changed body is a conflict", func(t *testing.T) {
			if w := env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, good)); w.Code != 201 {
				t.Fatalf("first: %d %s", w.Code, w.Body)
			}
			n := env.stored(t)
			for _, changed := range []map[string]any{with(good, "notes", "sửa"), with(good, "outcome", "refused", "answers", nil), with(good, "task_id", day[1].ID)} {
				w := env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, changed))
				if e := decodeError(t, w); w.Code != 409 || e.Code != models.ECONFLICT {
					t.Fatalf("changed body: %d %s", w.Code, w.Body)
				}
			}
			if w := env.do(t, env.b1, "POST", "/api/v1/inspections", jsonBody(t, good)); w.Code != 409 {
				t.Fatalf("another team replaying the body: %d %s", w.Code, w.Body)
			}
			if env.stored(t) != n {
				t.Fatal("a conflicting result was stored")
			}
		})
		t.Run("bodies that are not JSON are refused", func(t *testing.T) {
			w := env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, good), "Content-Type", "text/plain")
			if w.Code != 415 {
				t.Fatalf("text/plain: %d %s", w.Code, w.Body)
			}
		})
	})
}

func TestCheckinsAreKeptAndFlaggedForReview(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		day := env.teamDay(t, env.teamA)
		byBiz := map[string]*models.Task{}
		for _, task := range day {
			byBiz[task.BusinessID] = task
		}
		a0, a3, far := byBiz[env.biz["A0"].ID], byBiz[env.biz["A3"].ID], byBiz[env.biz["Far"].ID]
		if a0 == nil || a3 == nil || far == nil {
			t.Fatal("team A's day lacks A0, A3 or Far")
		}
		env.clk.Set(at(12, 0))
		checkin := func(t *testing.T, p *Principal, task *models.Task, body map[string]any) fieldwork.CheckinResult {
			t.Helper()
			w := env.do(t, p, "POST", "/api/v1/tasks/"+task.ID+"/checkin", jsonBody(t, body))
			if w.Code != 201 {
				t.Fatalf("check-in: %d %s", w.Code, w.Body)
			}
			return decode[fieldwork.CheckinResult](t, w)
		}
		flags := func(r fieldwork.CheckinResult) string {
			s := append([]string{}, r.Flags...)
			sort.Strings(s)
			return strings.Join(s, ",")
		}
		b0 := env.biz["A0"]
		// About 1 km north of A0 (0.009 degrees of latitude).
		r := checkin(t, env.a1, a0, checkinBody("", b0.Lat+0.009, b0.Lon, 15, at(8, 0)))
		if r.OnSite || flags(r) != models.FlagOffSite || r.DistanceM < 950 || r.DistanceM > 1050 {
			t.Fatalf("1 km away: %+v", r)
		}
		// 300 m away with 250 m of accuracy is on site; with 1 km of accuracy it counts as 250.
		r = checkin(t, env.a1, a0, checkinBody("", b0.Lat+0.0027, b0.Lon, 250, at(8, 1)))
		if !r.OnSite || flags(r) != "" {
			t.Fatalf("300 m, accuracy 250: %+v", r)
		}
		r = checkin(t, env.a1, a0, checkinBody("", b0.Lat+0.0040, b0.Lon, 1000, at(8, 2)))
		if r.OnSite || flags(r) != models.FlagOffSite {
			t.Fatalf("440 m, accuracy 1000: %+v", r)
		}
		r = checkin(t, env.a1, a0, with(checkinBody("", b0.Lat, b0.Lon, 8, at(8, 3)), "mocked", true))
		if !r.OnSite || flags(r) != models.FlagMocked {
			t.Fatalf("mocked: %+v", r)
		}
		r = checkin(t, env.a2, a0, checkinBody("", b0.Lat, b0.Lon, 0, at(8, 4)))
		if flags(r) != models.FlagZeroAccuracy {
			t.Fatalf("accuracy 0: %+v", r)
		}
		// Far is 20 km from A0: five minutes later is impossible, two hours later is not.
		bf := env.biz["Far"]
		r = checkin(t, env.a1, far, checkinBody("", bf.Lat, bf.Lon, 10, at(8, 9)))
		if !r.OnSite || flags(r) != models.FlagImpossibleTravel {
			t.Fatalf("20 km in 5 minutes: %+v", r)
		}
		r = checkin(t, env.a2, far, checkinBody("", bf.Lat, bf.Lon, 10, at(10, 30)))
		if flags(r) != "" {
			t.Fatalf("20 km in two hours: %+v", r)
		}
		// Team B's check-ins do not count against team A's travel.
		bb := env.biz["B0"]
		r = checkin(t, env.b1, env.teamDay(t, env.teamB)[0], checkinBody("", bb.Lat, bb.Lon, 10, at(10, 31)))
		if flags(r) != "" {
			t.Fatalf("team B's first check-in: %+v", r)
		}
		// The evening before the task's day.
		b3 := env.biz["A3"]
		r = checkin(t, env.a1, a3, checkinBody("", b3.Lat, b3.Lon, 10, time.Date(2026, 3, 2, 22, 0, 0, 0, ict)))
		if flags(r) != models.FlagOutsideTaskDay {
			t.Fatalf("the day before: %+v", r)
		}
		if n := env.count(t, "checkins", "flags <> ''"); n != 6 {
			t.Fatalf("%d flagged check-ins stored, want 6", n)
		}
		if n := env.count(t, "checkins", ""); n != 9 {
			t.Fatalf("%d check-ins stored, want 9", n)
		}
	})
}

func TestResultsAreFlaggedForReview(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		day := env.teamDay(t, env.teamA)
		env.clk.Set(at(15, 0))
		submit := func(t *testing.T, body map[string]any) []string {
			t.Helper()
			w := env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, body))
			if w.Code != 201 {
				t.Fatalf("submit: %d %s", w.Code, w.Body)
			}
			f := decode[fieldwork.InspectionView](t, w).Flags
			sort.Strings(f)
			return f
		}
		b := env.businessOf(t, day[0])
		if w := env.do(t, env.a1, "POST", "/api/v1/tasks/"+day[0].ID+"/checkin", jsonBody(t, checkinBody("", b.Lat, b.Lon, 5, at(8, 0)))); w.Code != 201 {
			t.Fatal(w.Body)
		}
		if f := submit(t, result(t, day[0], models.OutcomeCompliant, at(8, 0))); len(f) != 0 {
			t.Fatalf("a 30-minute visit after an on-site check-in: %v", f)
		}
		short := result(t, day[1], models.OutcomeCompliant, at(9, 0))
		short["finished_at"] = at(9, 4).Format(time.RFC3339)
		if f := submit(t, short); strings.Join(f, ",") != "no_checkin,short_visit" {
			t.Fatalf("a 4-minute visit without a check-in: %v", f)
		}
		// A refusal takes a minute and is not a short visit.
		quick := result(t, day[2], models.OutcomeRefused, at(10, 0))
		quick["finished_at"] = at(10, 1).Format(time.RFC3339)
		if f := submit(t, quick); strings.Join(f, ",") != "no_checkin" {
			t.Fatalf("a one-minute refusal: %v", f)
		}
		// Team B's on-site check-in at a task does not vouch for team A's result.
		if n := env.count(t, "inspections", "flags LIKE ?", "%short_visit%"); n != 1 {
			t.Fatalf("%d results flagged short", n)
		}
	})
}

func TestAnOfflineResultIsTakenAfterTheNightReturnedTheTask(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		ctx := context.Background()
		day := env.teamDay(t, env.teamA)
		late := day[len(day)-1]
		// The phone visited at 16:00 but had no signal; the night returned the task to the pool.
		env.clk.Set(time.Date(2026, 3, 4, 0, 30, 0, 0, ict))
		if _, err := env.nightly.Run(ctx, env.clk.Now()); err != nil {
			t.Fatal(err)
		}
		if task := env.task(t, late.ID); task.Status != models.TaskPlanned || !task.ReleasedOn.IsZero() {
			t.Fatalf("after the night the task is %s released on %s", task.Status, task.ReleasedOn)
		}
		env.clk.Set(time.Date(2026, 3, 4, 8, 0, 0, 0, ict))
		body := result(t, late, models.OutcomeCompliant, at(16, 0))
		w := env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, body))
		v := decode[fieldwork.InspectionView](t, w)
		if w.Code != 201 || len(v.Flags) != 1 || v.Flags[0] != models.FlagNoCheckin {
			t.Fatalf("the late result: %d %s", w.Code, w.Body)
		}
		if task := env.task(t, late.ID); task.Status != models.TaskDone {
			t.Fatalf("the late result left the task %s", task.Status)
		}
		// A result started on another day than the task's is flagged.
		other := day[0]
		w = env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, result(t, other, models.OutcomeCompliant, time.Date(2026, 3, 4, 7, 0, 0, 0, ict))))
		if v := decode[fieldwork.InspectionView](t, w); w.Code != 201 || !strings.Contains(strings.Join(v.Flags, ","), models.FlagOutsideTaskDay) {
			t.Fatalf("a result the next day: %d %s", w.Code, w.Body)
		}
		// Team B, which never had the task, still may not.
		if w := env.do(t, env.b1, "POST", "/api/v1/inspections", jsonBody(t, result(t, day[1], models.OutcomeCompliant, at(16, 0)))); w.Code != 404 {
			t.Fatalf("another team: %d", w.Code)
		}
	})
}

func TestAResultForACancelledTaskIsKept(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		ctx := context.Background()
		day := env.teamDay(t, env.teamA)
		env.clk.Set(at(12, 0))
		if err := env.db.UpdateTaskStatus(ctx, "planner", []string{day[0].ID, day[1].ID}, models.TaskCancelled, nil); err != nil {
			t.Fatal(err)
		}
		w := env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, result(t, day[0], models.OutcomeCompliant, at(9, 0))))
		if w.Code != 201 {
			t.Fatalf("a result for a cancelled task: %d %s", w.Code, w.Body)
		}
		if task := env.task(t, day[0].ID); task.Status != models.TaskCancelled {
			t.Fatalf("the cancelled task became %s", task.Status)
		}
		// A closed door at a cancelled task queues no repeat.
		w = env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, result(t, day[1], models.OutcomeClosed, at(10, 0))))
		if v := decode[fieldwork.InspectionView](t, w); w.Code != 201 || len(v.NewTasks) != 0 {
			t.Fatalf("closed at a cancelled task: %d %s", w.Code, w.Body)
		}
	})
}

func TestAmendmentsKeepTheOriginal(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		day := env.teamDay(t, env.teamA)
		env.clk.Set(at(12, 0))
		orig := result(t, day[0], models.OutcomeCompliant, at(9, 0))
		w := env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, orig))
		if w.Code != 201 {
			t.Fatal(w.Body)
		}
		origID := orig["id"].(string)
		before := decode[map[string]any](t, env.do(t, env.a1, "GET", "/api/v1/inspections/"+origID, ""))

		// The team lead's correction: a "no" on the hours, so a violation.
		fix := result(t, day[0], models.OutcomeViolation, at(9, 0), "K03")
		fix["notes"] = "Sửa: cơ sở mở quá giờ"
		w = env.do(t, env.a2, "POST", "/api/v1/inspections/"+origID+"/amendments", jsonBody(t, fix))
		am := decode[fieldwork.InspectionView](t, w)
		if w.Code != 201 || am.AmendsID == nil || *am.AmendsID != origID || am.ID != fix["id"] || am.Outcome != models.OutcomeViolation || len(am.Findings) != 1 {
			t.Fatalf("amend: %d %s", w.Code, w.Body)
		}
		w = env.do(t, env.a2, "POST", "/api/v1/inspections/"+origID+"/amendments", jsonBody(t, fix))
		if r := decode[fieldwork.InspectionView](t, w); w.Code != 200 || r.ID != am.ID || len(r.Findings) != 1 {
			t.Fatalf("amendment replay: %d %s", w.Code, w.Body)
		}
		after := decode[struct {
			Outcome    string               `json:"outcome"`
			Notes      string               `json:"notes"`
			CreatedAt  time.Time            `json:"created_at"`
			Amendments []*models.Inspection `json:"amendments"`
		}](t, env.do(t, env.a1, "GET", "/api/v1/inspections/"+origID, ""))
		if after.Outcome != before["outcome"] || after.Notes != before["notes"] || after.Outcome != models.OutcomeCompliant ||
			len(after.Amendments) != 1 || after.Amendments[0].ID != am.ID {
			t.Fatalf("the original after the amendment: %+v", after)
		}
		if n := env.count(t, "audit_events", "action = ? AND entity_id = ?", "amend", origID); n != 1 {
			t.Fatalf("%d audit events for the amendment", n)
		}
		if n := env.count(t, "inspections", "task_id = ?", day[0].ID); n != 2 {
			t.Fatalf("%d records for the task, want the original and its amendment", n)
		}
		for _, tc := range []struct {
			name   string
			p      *Principal
			target string
			body   map[string]any
			status int
			field  string
		}{
			{"another team may not amend", env.b1, origID, with(fix, "id", uuid.NewString()), 404, "inspection"},
			{"an unknown result", env.a1, uuid.NewString(), with(fix, "id", uuid.NewString()), 404, "inspection"},
			{"an amendment is not amended", env.a1, am.ID, with(fix, "id", uuid.NewString()), 400, "id"},
			{"the same id with another body", env.a1, origID, with(fix, "notes", "khác"), 409, ""},
			{"the original's id", env.a1, origID, with(fix, "id", origID), 409, ""},
			{"an unknown checklist item", env.a1, origID, with(fix, "id", uuid.NewString(), "answers", []map[string]any{{"item_id": "Z1", "answer": "yes"}}), 400, "answers[0].item_id"},
			{"a finish in the future", env.a1, origID, with(fix, "id", uuid.NewString(), "finished_at", at(13, 0).Format(time.RFC3339)), 400, "finished_at"},
			{"a start before the task existed", env.a1, origID, with(fix, "id", uuid.NewString(), "started_at", at(5, 0).Format(time.RFC3339), "finished_at", at(5, 20).Format(time.RFC3339)), 400, "started_at"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				n := env.stored(t)
				w := env.do(t, tc.p, "POST", "/api/v1/inspections/"+tc.target+"/amendments", jsonBody(t, tc.body))
				if e := decodeError(t, w); w.Code != tc.status || e.Field != tc.field {
					t.Fatalf("%d %q, want %d %q: %s", w.Code, e.Field, tc.status, tc.field, w.Body)
				}
				if env.stored(t) != n {
					t.Fatal("a refused amendment was stored")
				}
			})
		}
	})
}

func TestAcceptEncodingIsRead(t *testing.T) {
	for _, tc := range []struct {
		header string
		gzip   bool
	}{
		{"", false},
		{"gzip", true},
		{"gzip, deflate, br", true},
		{"br;q=1.0, gzip;q=0.8", true},
		{"GZIP", true},
		{"*", true},
		{"gzip;q=0", false},
		{"gzip; q=0.0, identity", false},
		{"identity", false},
		{"deflate", false},
		{"x-gzip", true},
		{"gzipped", false},
	} {
		if got := acceptsGzip(tc.header); got != tc.gzip {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.header, got, tc.gzip)
		}
	}
}

func TestChecklistsForThePhones(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		w := env.do(t, env.a1, "GET", "/api/v1/checklists?category=karaoke", "")
		cl := decode[models.Checklist](t, w)
		shipped, err := refdata.Checklists()
		if err != nil {
			t.Fatal(err)
		}
		if w.Code != 200 || cl.Version != 2 || len(cl.Items) != len(shipped[1].ForCategory("karaoke")) {
			t.Fatalf("karaoke checklist: %d %s", w.Code, w.Body)
		}
		for _, it := range cl.Items {
			if it.ID == "" || it.VI == "" || it.EN == "" || (it.NoIsViolation && it.Violation == "") {
				t.Errorf("item %+v", it)
			}
		}
		if w := env.do(t, env.a1, "GET", "/api/v1/checklists?category=karaoke", "", "If-None-Match", w.Header().Get("ETag")); w.Code != 304 {
			t.Fatalf("If-None-Match: %d", w.Code)
		}
		if w := env.do(t, env.planner, "GET", "/api/v1/checklists", "", "Accept-Encoding", "gzip"); w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("every checklist, gzipped: %d %v", w.Code, w.Header())
		}
		if w := env.do(t, env.planner, "GET", "/api/v1/checklists", "", "Accept-Encoding", "gzip;q=0"); w.Code != 200 || w.Header().Get("Content-Encoding") != "" {
			t.Fatalf("gzip refused by the client: %d %v", w.Code, w.Header())
		}
		if w := env.do(t, env.a1, "GET", "/api/v1/checklists?category=casino", ""); w.Code != 400 || decodeError(t, w).Field != "category" {
			t.Fatalf("an unknown category: %d %s", w.Code, w.Body)
		}
		if w := env.do(t, env.planner, "GET", "/api/v1/me/assignments", ""); w.Code != 403 {
			t.Fatalf("a planner's assignments: %d", w.Code)
		}
		noTeam := &Principal{UserID: env.outsider.ID, Username: "outsider", Role: models.RoleInspector, AreaCode: "D1", AreaPath: "/92/D1/"}
		if w := env.do(t, noTeam, "GET", "/api/v1/me/assignments", ""); w.Code != 403 {
			t.Fatalf("an inspector of no team: %d", w.Code)
		}
		if w := env.do(t, noTeam, "POST", "/api/v1/inspections", jsonBody(t, result(t, env.teamDay(t, env.teamA)[0], models.OutcomeClosed, at(6, 30)))); w.Code != 403 {
			t.Fatalf("a result from an inspector of no team: %d %s", w.Code, w.Body)
		}
	})
}

func TestANightInspectionIsDatedInVietnam(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		task := env.teamDay(t, env.teamA)[0]
		// A bar checked from 00:30 to 01:10 on 4 March in Can Tho: 17:30 UTC on 3 March.
		env.clk.Set(time.Date(2026, 3, 4, 2, 0, 0, 0, ict))
		body := result(t, task, models.OutcomeCompliant, time.Date(2026, 3, 4, 0, 30, 0, 0, ict))
		w := env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, body))
		if w.Code != 201 {
			t.Fatalf("submit: %d %s", w.Code, w.Body)
		}
		if b := env.businessOf(t, task); b.LastInspectedOn != models.NewDate(2026, 3, 4) {
			t.Fatalf("last inspected on %s, want 2026-03-04", b.LastInspectedOn)
		}
		// The amendment is stored in UTC like every result, and sorts with them.
		fix := with(body, "id", uuid.NewString(), "notes", "sửa")
		if w := env.do(t, env.a1, "POST", "/api/v1/inspections/"+body["id"].(string)+"/amendments", jsonBody(t, fix)); w.Code != 201 {
			t.Fatalf("amend: %d %s", w.Code, w.Body)
		}
		hist, err := env.db.FindBusinessInspections(context.Background(), task.BusinessID, time.Date(2026, 3, 3, 17, 0, 0, 0, time.UTC), 10)
		if err != nil || len(hist) != 2 {
			t.Fatalf("history since 17:00 UTC: %d %v", len(hist), err)
		}
	})
}

// TestGzipAnswersArriveWholeOverTheWire: a recorder does not hold a response to its
// Content-Length; a real connection does.
func TestGzipAnswersArriveWholeOverTheWire(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			env.srv.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), env.a1)))
		}))
		defer ts.Close()
		for _, tc := range []struct {
			path       string
			compressed bool
		}{
			{"/api/v1/me/assignments", true},
			{"/api/v1/checklists", true},
			{"/api/v1/checklists?category=nope", false}, // a short error is not worth compressing
			{"/api/v1/me/assignments?since=" + encodeSyncCursor(fieldDay, at(23, 0)), false},
		} {
			// The default transport asks for gzip and decodes it; a cut answer is an error.
			resp, err := http.Get(ts.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || resp.Uncompressed != tc.compressed || !json.Valid(body) || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
				t.Fatalf("GET %s: %d, compressed %v, %d bytes, %v", tc.path, resp.StatusCode, resp.Uncompressed, len(body), err)
			}
			if !tc.compressed && resp.ContentLength != int64(len(body)) {
				t.Fatalf("GET %s: Content-Length %d for %d bytes", tc.path, resp.ContentLength, len(body))
			}
		}
	})
}

func TestAPanicUnderGzipAnswersAPlainError(t *testing.T) {
	s := newTestServer(t, nil)
	s.engine.GET("/boom-gzip", gzipped, func(c *gin.Context) { panic("secret") })
	allowInTest(t, "GET /boom-gzip")
	for i := 0; i < 3; i++ { // the pooled compressor is not reused half-written
		w := raw(t, s, "GET", "/boom-gzip", "", "Accept-Encoding", "gzip")
		if w.Code != 500 || w.Header().Get("Content-Encoding") != "" || decodeError(t, w).Code != models.EINTERNAL {
			t.Fatalf("panic under gzip: %d %v %q", w.Code, w.Header(), w.Body)
		}
	}
}
