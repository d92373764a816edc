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
	"sync"
	"testing"
	"time"

	"kiemtra/auth"
	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/registry"
	"kiemtra/scheduler"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// The tests in this file and in user_test.go, team_test.go and assignment_test.go sign in for
// real: a real auth.Service, the real authenticate middleware, no injected principal.

const (
	envSecret   = "api-test-secret-9c41e7b2d05f386a"
	envPassword = "password-of-the-test"
)

var envParams = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}

// envClock is the clock of an authEnv: the server, the store, the registry and the auth
// service all read it, and a test moves it.
type envClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *envClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *envClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// authEnv is a small city with geometry: the city 92 (lon 105.0-105.2, lat 10.0-10.1), districts
// D1 (west half) and D2 (east half), each cut into two wards (D11, D12 south and north of 10.05);
// a business in D11 and one in D21; teams T1 (D1), T1b (ward D11) and T2 (D2); and users:
//
//	admin, planner        city-wide
//	d1admin, d1planner    D1
//	lead1, insp1          T1 (D1); lead1 is team_lead
//	insp1b                T1b (D11)
//	insp2                 T2 (D2)
//	viewer1               D1
//	off                   disabled, D1
type authEnv struct {
	srv   *Server
	db    *store.DB
	svc   *auth.Service
	clock *envClock
	users map[string]*models.User
	teams map[string]*models.Team
	biz   map[string]string // ward -> business id
}

// square is a GeoJSON polygon of a lon/lat box.
func square(lon0, lat0, lon1, lat1 float64) string {
	return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}`,
		lon0, lat0, lon1, lat0, lon1, lat1, lon0, lat1, lon0, lat0)
}

func newAuthEnv(t *testing.T, db *store.DB, clk *envClock) *authEnv {
	t.Helper()
	ctx := context.Background()
	p := func(s string) *string { return &s }
	area := func(code, parent, level string, lon0, lat0, lon1, lat1 float64) *models.Area {
		a := &models.Area{Code: code, Name: "Khu " + code, Level: level, Lat: (lat0 + lat1) / 2, Lon: (lon0 + lon1) / 2, Geometry: square(lon0, lat0, lon1, lat1)}
		if parent != "" {
			a.ParentCode = p(parent)
		}
		return a
	}
	areas := []*models.Area{
		area("92", "", models.AreaLevelCity, 105.0, 10.0, 105.2, 10.1),
		area("D1", "92", models.AreaLevelDistrict, 105.0, 10.0, 105.1, 10.1),
		area("D2", "92", models.AreaLevelDistrict, 105.1, 10.0, 105.2, 10.1),
		area("D11", "D1", models.AreaLevelWard, 105.0, 10.0, 105.1, 10.05),
		area("D12", "D1", models.AreaLevelWard, 105.0, 10.05, 105.1, 10.1),
		area("D21", "D2", models.AreaLevelWard, 105.1, 10.0, 105.2, 10.05),
		area("D22", "D2", models.AreaLevelWard, 105.1, 10.05, 105.2, 10.1),
	}
	if err := db.UpsertAreas(ctx, "t", areas); err != nil {
		t.Fatal(err)
	}
	env := &authEnv{db: db, clock: clk, users: map[string]*models.User{}, teams: map[string]*models.Team{}, biz: map[string]string{}}
	for _, b := range []*models.Business{
		{Name: "Karaoke Tây", Category: "karaoke", Lat: 10.025, Lon: 105.05, AreaCode: "D11", Status: models.BusinessActive, OpenedOn: models.NewDate(2018, 1, 1)},
		{Name: "Karaoke Đông", Category: "karaoke", Lat: 10.025, Lon: 105.15, AreaCode: "D21", Status: models.BusinessActive, OpenedOn: models.NewDate(2018, 1, 1)},
	} {
		if err := db.CreateBusinesses(ctx, "t", []*models.Business{b}); err != nil {
			t.Fatal(err)
		}
		env.biz[b.AreaCode] = b.ID
	}
	for _, tm := range []struct {
		key, area, level string
		lat, lon         float64
	}{
		{"T1", "D1", models.TeamLevelDistrict, 10.06, 105.05},
		{"T1b", "D11", models.TeamLevelWard, 10.02, 105.04},
		{"T2", "D2", models.TeamLevelDistrict, 10.06, 105.15},
	} {
		team := &models.Team{Name: "Tổ " + tm.key, Level: tm.level, AreaCode: tm.area, BaseLat: tm.lat, BaseLon: tm.lon, WeeklyCapacity: 10}
		if err := db.CreateTeam(ctx, "t", team); err != nil {
			t.Fatal(err)
		}
		env.teams[tm.key] = team
	}
	hash, err := auth.HashPassword(envPassword, envParams)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct{ name, role, agency, area, team string }{
		{"admin", models.RoleAdmin, models.AgencyOther, "92", ""},
		{"planner", models.RolePlanner, models.AgencyLabour, "92", ""},
		{"d1admin", models.RoleAdmin, models.AgencyOther, "D1", ""},
		{"d1planner", models.RolePlanner, models.AgencyLabour, "D1", ""},
		{"lead1", models.RoleTeamLead, models.AgencyPolice, "D1", "T1"},
		{"insp1", models.RoleInspector, models.AgencyLabour, "D1", "T1"},
		{"insp1b", models.RoleInspector, models.AgencyCulture, "D11", "T1b"},
		{"insp2", models.RoleInspector, models.AgencyCulture, "D2", "T2"},
		{"viewer1", models.RoleViewer, models.AgencyOther, "D1", ""},
		{"off", models.RoleInspector, models.AgencyHealth, "D1", ""},
	} {
		m := &models.User{Username: u.name, DisplayName: "Người " + u.name, Role: u.role, Agency: u.agency, AreaCode: u.area, PasswordHash: hash, Disabled: u.name == "off"}
		if u.team != "" {
			id := env.teams[u.team].ID
			m.TeamID = &id
		}
		if err := db.CreateUser(ctx, "t", m); err != nil {
			t.Fatal(err)
		}
		env.users[u.name] = m
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if env.svc, err = auth.NewService(db, envSecret, clk.Now, envParams); err != nil {
		t.Fatal(err)
	}
	cats, err := refdata.CategorySet()
	if err != nil {
		t.Fatal(err)
	}
	reg := registry.New(registry.Config{Store: db, Categories: cats, Logger: log, Now: clk.Now, Location: time.UTC})
	env.srv = New(Config{Store: db, Registry: reg, Readiness: readiness{}, Auth: env.svc, Passwords: env.svc,
		Assigner: &scheduler.MorningJob{Store: db, Location: time.UTC}, TeamDays: db, Limits: db, Now: clk.Now, Location: time.UTC, Logger: log})
	return env
}

// runAuthEnv runs fn on both dialects with a fresh authEnv; the clock starts on Monday 2 March
// 2026 at 08:00 UTC.
func runAuthEnv(t *testing.T, fn func(t *testing.T, env *authEnv)) {
	t.Helper()
	clk := &envClock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	storetest.RunWith(t, storetest.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		fn(t, newAuthEnv(t, db, clk))
	})
}

// reqOpt changes a request before call sends it.
type reqOpt func(*http.Request)

// withAuth sets the Authorization header to exactly v.
func withAuth(v string) reqOpt { return func(r *http.Request) { r.Header.Set("Authorization", v) } }

// bearer sends an access token.
func bearer(token string) reqOpt { return withAuth("Bearer " + token) }

// from sets the client's address.
func from(ip string) reqOpt { return func(r *http.Request) { r.RemoteAddr = ip + ":40000" } }

// english asks for English messages.
func english() reqOpt { return func(r *http.Request) { r.Header.Set("Accept-Language", "en") } }

// call sends a request as a real client does (no principal in the context: only what the
// headers carry) and checks the answer against docs/openapi.yaml.
func call(t *testing.T, h http.Handler, method, path, body string, opts ...reqOpt) *httptest.ResponseRecorder {
	t.Helper()
	w, req := send2(h, method, path, body, opts...)
	checkContract(t, req, []byte(body), w)
	return w
}

func send2(h http.Handler, method, path, body string, opts ...reqOpt) (*httptest.ResponseRecorder, *http.Request) {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, o := range opts {
		o(req)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w, req
}

// sessionBody is the answer of login and refresh.
type sessionBody struct {
	AccessToken  string      `json:"access_token"`
	RefreshToken string      `json:"refresh_token"`
	TokenType    string      `json:"token_type"`
	ExpiresIn    int         `json:"expires_in"`
	User         models.User `json:"user"`
}

// meBody is the answer of GET /me.
type meBody struct {
	User         models.User  `json:"user"`
	Team         *models.Team `json:"team"`
	Jurisdiction *AreaRef     `json:"jurisdiction"`
}

func decodeInto[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("body is not the expected JSON: %v: %s", err, w.Body)
	}
	return v
}

// login signs a user in through the API and returns its session.
func (env *authEnv) login(t *testing.T, username string, opts ...reqOpt) sessionBody {
	t.Helper()
	w := call(t, env.srv, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"username":%q,"password":%q}`, username, envPassword), opts...)
	if w.Code != http.StatusOK {
		t.Fatalf("login %s: %d %s", username, w.Code, w.Body)
	}
	return decodeInto[sessionBody](t, w)
}

// as signs a user in and returns the option that sends its access token.
func (env *authEnv) as(t *testing.T, username string) reqOpt {
	t.Helper()
	return bearer(env.login(t, username).AccessToken)
}

func refreshBody(tok string) string { return fmt.Sprintf(`{"refresh_token":%q}`, tok) }

// want401 checks an answer is 401 with a Bearer challenge.
func want401(t *testing.T, w *httptest.ResponseRecorder, what string) ErrorPayload {
	t.Helper()
	e := decodeError(t, w)
	if w.Code != http.StatusUnauthorized || e.Code != models.EUNAUTHORIZED || !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") {
		t.Fatalf("%s: %d %s (WWW-Authenticate %q); want 401 with a Bearer challenge", what, w.Code, w.Body, w.Header().Get("WWW-Authenticate"))
	}
	return e
}

func TestSignInThenMe(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		h := env.srv
		w := call(t, h, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"username":"Lead1","password":%q}`, envPassword))
		if w.Code != 200 || w.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("login: %d %s (Cache-Control %q)", w.Code, w.Body, w.Header().Get("Cache-Control"))
		}
		s := decodeInto[sessionBody](t, w)
		if s.TokenType != "Bearer" || s.ExpiresIn != 900 || s.User.Username != "lead1" || strings.Contains(w.Body.String(), "argon2") {
			t.Fatalf("session: %s", w.Body)
		}
		w = call(t, h, "GET", "/api/v1/me", "", bearer(s.AccessToken))
		me := decodeInto[meBody](t, w)
		if w.Code != 200 || me.User.Role != models.RoleTeamLead || me.Team == nil || me.Team.ID != env.teams["T1"].ID || me.Jurisdiction == nil || me.Jurisdiction.Code != "D1" {
			t.Fatalf("GET /me: %d %s", w.Code, w.Body)
		}
		// A city-wide user without a team.
		w = call(t, h, "GET", "/api/v1/me", "", env.as(t, "planner"))
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"team":null`) || !strings.Contains(w.Body.String(), `"code":"92"`) {
			t.Fatalf("GET /me as the planner: %d %s", w.Code, w.Body)
		}
		// The token is the caller: the principal a token carries decides what it may do.
		if w := call(t, h, "GET", "/api/v1/users", "", env.as(t, "insp1")); w.Code != http.StatusForbidden {
			t.Fatalf("an inspector listing users: %d", w.Code)
		}
		if w := call(t, h, "GET", "/api/v1/users", "", env.as(t, "admin")); w.Code != http.StatusOK {
			t.Fatalf("the admin listing users: %d %s", w.Code, w.Body)
		}
	})
}

func TestFailedSignInsAllAnswerTheSame401(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		var first string
		for _, tc := range []struct{ name, body string }{
			{"a wrong password", `{"username":"insp1","password":"not the password"}`},
			{"an unknown user", fmt.Sprintf(`{"username":"nobody","password":%q}`, envPassword)},
			{"a disabled user", fmt.Sprintf(`{"username":"off","password":%q}`, envPassword)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := call(t, env.srv, "POST", "/api/v1/auth/login", tc.body, english())
				e := want401(t, w, tc.name)
				if first == "" {
					first = e.Message
				}
				if e.Message != first || e.Field != "" || strings.Contains(w.Body.String(), "access_token") {
					t.Fatalf("%s answered %s; the first failure answered %q", tc.name, w.Body, first)
				}
			})
		}
		for _, tc := range []struct{ name, body, field string }{
			{"no password", `{"username":"insp1"}`, "password"},
			{"an unknown field", `{"username":"insp1","password":"x","otp":"1"}`, "otp"},
			{"not JSON", `username=insp1`, "body"},
		} {
			t.Run(tc.name+" is 400", func(t *testing.T) {
				w := call(t, env.srv, "POST", "/api/v1/auth/login", tc.body)
				if e := decodeError(t, w); w.Code != 400 || e.Field != tc.field {
					t.Fatalf("%d %s, want 400 on %s", w.Code, w.Body, tc.field)
				}
			})
		}
	})
}

func TestRequestsWithoutAGoodTokenAre401(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		good := env.login(t, "insp1").AccessToken
		// A token issued 16 minutes ago by a service with the same secret.
		past := &envClock{t: env.clock.Now().Add(-16 * time.Minute)}
		old, err := auth.NewService(env.db, envSecret, past.Now, envParams)
		if err != nil {
			t.Fatal(err)
		}
		expired, err := old.Login(context.Background(), "insp1", envPassword, "10.9.9.9", "test")
		if err != nil {
			t.Fatal(err)
		}
		otherKey, err := auth.NewService(env.db, "another-api-test-secret-5e4d3c2b1a09f8", env.clock.Now, envParams)
		if err != nil {
			t.Fatal(err)
		}
		forged, err := otherKey.Login(context.Background(), "insp1", envPassword, "10.9.9.9", "test")
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(good, ".")
		for _, tc := range []struct {
			name string
			opts []reqOpt
		}{
			{"no Authorization header", nil},
			{"a Basic header", []reqOpt{withAuth("Basic aW5zcDE6cGFzc3dvcmQ=")}},
			{"Bearer without a token", []reqOpt{withAuth("Bearer")}},
			{"Bearer and spaces", []reqOpt{withAuth("Bearer    ")}},
			{"a token without the scheme", []reqOpt{withAuth(good)}},
			{"a token that is not a JWT", []reqOpt{bearer("garbage")}},
			{"a tampered token", []reqOpt{bearer(parts[0] + "." + parts[1] + "x." + parts[2])}},
			{"a token with another signature", []reqOpt{bearer(parts[0] + "." + parts[1] + "." + strings.Split(forged.AccessToken, ".")[2])}},
			{"a token signed with another secret", []reqOpt{bearer(forged.AccessToken)}},
			{"an expired token", []reqOpt{bearer(expired.AccessToken)}},
			{"a refresh token", []reqOpt{bearer(expired.RefreshToken)}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := call(t, env.srv, "GET", "/api/v1/me", "", tc.opts...)
				want401(t, w, tc.name)
			})
		}
		if w := call(t, env.srv, "GET", "/api/v1/me", "", withAuth("bearer "+good)); w.Code != 200 {
			t.Fatalf("the scheme in lower case: %d", w.Code)
		}
		// Clients send their (expired) access token with every request, refresh included:
		// public endpoints do not look at it.
		w := call(t, env.srv, "POST", "/api/v1/auth/refresh", refreshBody(expired.RefreshToken), bearer(expired.AccessToken))
		if w.Code != 200 {
			t.Fatalf("refresh with an expired access token attached: %d %s", w.Code, w.Body)
		}
		w = call(t, env.srv, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"username":"insp1","password":%q}`, envPassword), withAuth("Bearer garbage"))
		if w.Code != 200 {
			t.Fatalf("login with a stale Authorization header: %d %s", w.Code, w.Body)
		}
		if w := call(t, env.srv, "GET", "/healthz", "", withAuth("Bearer garbage")); w.Code != 200 {
			t.Fatalf("healthz with a bad token: %d", w.Code)
		}
	})
}

func TestDisablingAUserCutsItsAccessAtTheNextRequest(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		h := env.srv
		admin := env.as(t, "admin")
		s := env.login(t, "insp1")
		if w := call(t, h, "GET", "/api/v1/me", "", bearer(s.AccessToken)); w.Code != 200 {
			t.Fatalf("before: %d", w.Code)
		}
		id := env.users["insp1"].ID
		w := call(t, h, "PATCH", "/api/v1/users/"+id, `{"version":1,"disabled":true}`, admin)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"disabled":true`) {
			t.Fatalf("disable: %d %s", w.Code, w.Body)
		}
		want401(t, call(t, h, "GET", "/api/v1/me", "", bearer(s.AccessToken)), "the access token of a disabled user")
		want401(t, call(t, h, "POST", "/api/v1/auth/refresh", refreshBody(s.RefreshToken)), "the refresh token of a disabled user")
		want401(t, call(t, h, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"username":"insp1","password":%q}`, envPassword)), "signing in while disabled")
		w = call(t, h, "PATCH", "/api/v1/users/"+id, `{"version":2,"disabled":false}`, admin)
		if w.Code != 200 {
			t.Fatalf("enable: %d %s", w.Code, w.Body)
		}
		// Enabling does not bring the old session back; signing in again works.
		want401(t, call(t, h, "POST", "/api/v1/auth/refresh", refreshBody(s.RefreshToken)), "the old refresh token after enabling")
		if w := call(t, h, "GET", "/api/v1/me", "", env.as(t, "insp1")); w.Code != 200 {
			t.Fatalf("after enabling: %d", w.Code)
		}
	})
}

func TestRefreshAndLogoutThroughTheAPI(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		h := env.srv
		s1 := env.login(t, "insp2")
		w := call(t, h, "POST", "/api/v1/auth/refresh", refreshBody(s1.RefreshToken))
		if w.Code != 200 || w.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("refresh: %d %s", w.Code, w.Body)
		}
		s2 := decodeInto[sessionBody](t, w)
		if s2.RefreshToken == s1.RefreshToken || s2.User.Username != "insp2" {
			t.Fatalf("refresh did not rotate: %s", w.Body)
		}
		if w := call(t, h, "GET", "/api/v1/me", "", bearer(s2.AccessToken)); w.Code != 200 {
			t.Fatalf("the new access token: %d", w.Code)
		}
		// Reuse of the first token: 401, and the newest token of the family is revoked too.
		want401(t, call(t, h, "POST", "/api/v1/auth/refresh", refreshBody(s1.RefreshToken)), "a used refresh token")
		want401(t, call(t, h, "POST", "/api/v1/auth/refresh", refreshBody(s2.RefreshToken)), "the newest token after reuse")
		want401(t, call(t, h, "GET", "/api/v1/me", "", bearer(s2.AccessToken)), "the newest access token after reuse")

		s3 := env.login(t, "insp2")
		if w := call(t, h, "GET", "/api/v1/me", "", bearer(s3.AccessToken)); w.Code != 200 {
			t.Fatalf("before logout: %d", w.Code)
		}
		if w := call(t, h, "POST", "/api/v1/auth/logout", refreshBody(s3.RefreshToken)); w.Code != http.StatusNoContent {
			t.Fatalf("logout: %d %s", w.Code, w.Body)
		}
		want401(t, call(t, h, "POST", "/api/v1/auth/refresh", refreshBody(s3.RefreshToken)), "refresh after logout")
		want401(t, call(t, h, "GET", "/api/v1/me", "", bearer(s3.AccessToken)), "the access token after logout")
		if w := call(t, h, "POST", "/api/v1/auth/logout", refreshBody(s3.RefreshToken)); w.Code != http.StatusNoContent {
			t.Fatalf("second logout: %d", w.Code)
		}
		for _, body := range []string{`{}`, `{"refresh_token":""}`, `{"token":"x"}`} {
			if w := call(t, h, "POST", "/api/v1/auth/refresh", body); w.Code != 400 {
				t.Errorf("refresh %s: %d, want 400", body, w.Code)
			}
			if w := call(t, h, "POST", "/api/v1/auth/logout", body); w.Code != 400 {
				t.Errorf("logout %s: %d, want 400", body, w.Code)
			}
		}
		want401(t, call(t, h, "POST", "/api/v1/auth/refresh", refreshBody("never-issued")), "an unknown refresh token")
	})
}

func TestFailedSignInsAreRateLimitedWithRetryAfter(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		h := env.srv
		bad := `{"username":"insp2","password":"wrong password"}`
		good := fmt.Sprintf(`{"username":"insp2","password":%q}`, envPassword)
		// The owner signed in from its office before.
		if w := call(t, h, "POST", "/api/v1/auth/login", good, from("198.51.100.1")); w.Code != 200 {
			t.Fatalf("the owner's first sign-in: %d %s", w.Code, w.Body)
		}
		// Five wrong passwords from one address lock that address out of the account for the
		// rest of the window.
		for i := 0; i < 5; i++ {
			want401(t, call(t, h, "POST", "/api/v1/auth/login", bad, from("198.51.100.66")), "a wrong password")
		}
		w := call(t, h, "POST", "/api/v1/auth/login", good, from("198.51.100.66"))
		if e := decodeError(t, w); w.Code != http.StatusTooManyRequests || e.Code != models.ERATELIMITED || w.Header().Get("Retry-After") != "900" {
			t.Fatalf("sixth attempt from the guessing address: %d %s Retry-After %q; want 429 with Retry-After 900", w.Code, w.Body, w.Header().Get("Retry-After"))
		}
		// Another new address is only delayed, by seconds: the account has five failures.
		w = call(t, h, "POST", "/api/v1/auth/login", good, from("198.51.100.77"))
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "1" {
			t.Fatalf("from a new address: %d Retry-After %q; want 429 with Retry-After 1", w.Code, w.Header().Get("Retry-After"))
		}
		// The owner's office is not held up.
		if w := call(t, h, "POST", "/api/v1/auth/login", good, from("198.51.100.1")); w.Code != 200 {
			t.Fatalf("the owner from its office during the attack: %d %s", w.Code, w.Body)
		}
		env.clock.Advance(time.Second)
		if w := call(t, h, "POST", "/api/v1/auth/login", good, from("198.51.100.77")); w.Code != 200 {
			t.Fatalf("from the new address after its wait: %d %s", w.Code, w.Body)
		}
		env.clock.Advance(10 * time.Minute)
		w = call(t, h, "POST", "/api/v1/auth/login", good, from("198.51.100.66"))
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "299" {
			t.Fatalf("the guessing address 10 minutes later: %d Retry-After %q; want 429 with Retry-After 299", w.Code, w.Header().Get("Retry-After"))
		}
		env.clock.Advance(5 * time.Minute)
		if w := call(t, h, "POST", "/api/v1/auth/login", good, from("198.51.100.66")); w.Code != 200 {
			t.Fatalf("after the window: %d %s", w.Code, w.Body)
		}
		// Twenty failures from one address, each for another name, lock the address; a made-up
		// X-Forwarded-For (no proxy is trusted here) does not make them other addresses.
		for i := 0; i < 20; i++ {
			spoof := func(r *http.Request) { r.Header.Set("X-Forwarded-For", fmt.Sprintf("10.66.0.%d", i)) }
			call(t, h, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"username":"guess%d","password":"x"}`, i), from("203.0.113.5"), spoof)
		}
		w = call(t, h, "POST", "/api/v1/auth/login", good, from("203.0.113.5"))
		if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
			t.Fatalf("from the guessing address: %d %v", w.Code, w.Header())
		}
		if w := call(t, h, "POST", "/api/v1/auth/login", good, from("203.0.113.6")); w.Code != 200 {
			t.Fatalf("from another address: %d %s", w.Code, w.Body)
		}
	})
}

// A header may carry any bytes: a user agent that is not text is stored as text, on both
// databases, instead of failing the sign-in (PostgreSQL refused it with a 500).
func TestSignInWithAUserAgentThatIsNotText(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		ua := func(r *http.Request) { r.Header.Set("User-Agent", "Mozilla/5.0 \xff\xfe\x00 (điện thoại)") }
		s := env.login(t, "insp1", ua)
		if w := call(t, env.srv, "POST", "/api/v1/auth/refresh", refreshBody(s.RefreshToken), ua); w.Code != 200 {
			t.Fatalf("refresh: %d %s", w.Code, w.Body)
		}
	})
}
