package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
	"kiemtra/store/storetest"
)

type readiness struct{ err error }

func (r readiness) Ready(context.Context) error { return r.err }

func newTestServer(t *testing.T, ready error) *Server {
	t.Helper()
	db := storetest.NewSQLite(t, storetest.Options{})
	return New(Config{Store: db, Readiness: readiness{ready}, MaxBodyBytes: 1024, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// testAdmin is the caller of requests sent with do and raw: a city-wide administrator, so that
// tests of a resource are not tests of authorization (authz_test.go does that).
var testAdmin = &Principal{UserID: "test-admin", Username: "test-admin", Role: models.RoleAdmin, AreaCode: "92", AreaPath: "/92/"}

func do(t *testing.T, h http.Handler, method, path, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	req = req.WithContext(WithPrincipal(req.Context(), testAdmin))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if !strings.HasPrefix(path, "/boom") && !strings.HasPrefix(path, "/echo") {
		checkContract(t, req, []byte(body), w)
	}
	return w
}

// raw sends a request without the contract check, for requests the contract does not describe
// (unknown routes and methods).
func raw(t *testing.T, h http.Handler, method, path, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	req = req.WithContext(WithPrincipal(req.Context(), testAdmin))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// allowInTest opens a route that only a test registers.
func allowInTest(t *testing.T, route string) {
	policy[route] = access{public: true}
	t.Cleanup(func() { delete(policy, route) })
}

func decodeError(t *testing.T, w *httptest.ResponseRecorder) ErrorPayload {
	t.Helper()
	var b ErrorBody
	if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, w.Body)
	}
	return b.Error
}

func TestOperationalEndpoints(t *testing.T) {
	ok := newTestServer(t, nil)
	down := newTestServer(t, fmt.Errorf("%w: %w", &models.Error{Code: models.EUNAVAILABLE, Message: "migrations pending", MessageVI: "cấu trúc cơ sở dữ liệu chưa được cập nhật"},
		errors.New("2 migrations pending (schema version 8, this binary knows 10)")))
	for _, tc := range []struct {
		name   string
		s      *Server
		path   string
		status int
		has    string
	}{
		{"healthz answers while the process is up", ok, "/healthz", 200, `"status":"ok"`},
		{"readyz answers 200 when the database is ready", ok, "/readyz", 200, `"ready"`},
		{"readyz answers 503 with the reason when it is not", down, "/readyz?lang=en", 503, "not ready: migrations pending"},
		{"readyz gives the reason in Vietnamese by default", down, "/readyz", 503, "chưa sẵn sàng: cấu trúc cơ sở dữ liệu chưa được cập nhật"},
		{"healthz stays 200 when the database is not ready", down, "/healthz", 200, `"ok"`},
		{"metrics are in the Prometheus format", ok, "/metrics", 200, "go_goroutines"},
		{"stats counts the tables", ok, "/api/v1/stats", 200, `"businesses":0`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := do(t, tc.s, "GET", tc.path, "")
			if w.Code != tc.status || !strings.Contains(w.Body.String(), tc.has) {
				t.Fatalf("GET %s = %d %s; want %d containing %q", tc.path, w.Code, w.Body, tc.status, tc.has)
			}
		})
	}
}

// The public /readyz never shows what the driver said: host names, users and SQL go to the log.
func TestReadyzKeepsDriverTextInTheLog(t *testing.T) {
	var logged strings.Builder
	db := storetest.NewSQLite(t, storetest.Options{})
	driver := errors.New(`ping postgres database at db.internal:5432: failed to connect to user=kiemtra database=prod: SQLSTATE 28P01`)
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"a raw error", driver, "not ready: the database is not ready"},
		{"a reason wrapping the raw error", fmt.Errorf("%w: %w", &models.Error{Code: models.EUNAVAILABLE, Message: "the database does not answer", MessageVI: "cơ sở dữ liệu không trả lời"}, driver),
			"not ready: the database does not answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logged.Reset()
			s := New(Config{Store: db, Readiness: readiness{tc.err}, Logger: slog.New(slog.NewTextHandler(&logged, nil))})
			w := do(t, s, "GET", "/readyz?lang=en", "")
			if w.Code != 503 || decodeError(t, w).Message != tc.want {
				t.Fatalf("readyz = %d %s, want 503 %q", w.Code, w.Body, tc.want)
			}
			for _, leak := range []string{"db.internal", "user=", "SQLSTATE", "5432"} {
				if strings.Contains(w.Body.String(), leak) {
					t.Errorf("readyz shows %q: %s", leak, w.Body)
				}
			}
			if !strings.Contains(logged.String(), "SQLSTATE 28P01") {
				t.Errorf("the log lost the cause: %s", logged.String())
			}
		})
	}
}

func TestRequestsAreCountedInMetrics(t *testing.T) {
	s := newTestServer(t, nil)
	do(t, s, "GET", "/healthz", "")
	w := do(t, s, "GET", "/metrics", "")
	if !strings.Contains(w.Body.String(), `kiemtra_http_requests_total{method="GET",route="/healthz",status="200"} 1`) {
		t.Fatalf("metrics do not count the /healthz request:\n%s", w.Body)
	}
}

func TestRequestIDIsEchoedOrCreated(t *testing.T) {
	s := newTestServer(t, nil)
	w := do(t, s, "GET", "/healthz", "", "X-Request-ID", "phone-123")
	if got := w.Header().Get("X-Request-ID"); got != "phone-123" {
		t.Errorf("X-Request-ID = %q, want the caller's", got)
	}
	w = do(t, s, "GET", "/healthz", "", "X-Request-ID", strings.Repeat("x", 100))
	if got := w.Header().Get("X-Request-ID"); len(got) != 16 {
		t.Errorf("an overlong request id was kept: %q", got)
	}
}

func TestUnknownRoutesAnswerJSONErrorsInTheCallersLanguage(t *testing.T) {
	s := newTestServer(t, nil)
	w := raw(t, s, "GET", "/api/v1/nothing-here", "")
	e := decodeError(t, w)
	if w.Code != 404 || e.Code != models.ENOTFOUND || !strings.Contains(e.Message, "không có địa chỉ này") || e.RequestID == "" {
		t.Fatalf("unknown route = %d %+v", w.Code, e)
	}
	w = raw(t, s, "GET", "/api/v1/nothing-here", "", "Accept-Language", "en-GB,en;q=0.9")
	if e := decodeError(t, w); !strings.Contains(e.Message, "no such endpoint") {
		t.Fatalf("English was asked for: %+v", e)
	}
	w = raw(t, s, "DELETE", "/healthz", "")
	if w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("DELETE /healthz = %d, want 405", w.Code)
	}
}

func TestPanicsBecome500WithoutDetails(t *testing.T) {
	s := newTestServer(t, nil)
	s.engine.GET("/boom", func(*gin.Context) { panic("secret internal state") })
	allowInTest(t, "GET /boom")
	w := do(t, s, "GET", "/boom", "")
	e := decodeError(t, w)
	if w.Code != 500 || e.Code != models.EINTERNAL || strings.Contains(w.Body.String(), "secret") {
		t.Fatalf("panic answered %d %s", w.Code, w.Body)
	}
	if w := do(t, s, "GET", "/healthz", ""); w.Code != 200 {
		t.Fatal("the server does not answer after a panic")
	}
}

func TestBodiesOverTheLimitAre413(t *testing.T) {
	s := newTestServer(t, nil)
	var got error
	allowInTest(t, "POST /echo")
	s.engine.POST("/echo", func(c *gin.Context) {
		var v map[string]any
		if got = bindJSON(c, &v); got != nil {
			s.writeError(c, got)
			return
		}
		c.JSON(200, v)
	})
	big := `{"a":"` + strings.Repeat("x", 2000) + `"}`
	w := do(t, s, "POST", "/echo", big, "Content-Type", "application/json")
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("declared oversize body = %d %s", w.Code, w.Body)
	}
	// Without a Content-Length the limit still holds while reading.
	req := httptest.NewRequest("POST", "/echo", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("streamed oversize body = %d %s", rec.Code, rec.Body)
	}
}

func TestStrictJSONBindingNamesTheField(t *testing.T) {
	type body struct {
		Name  string  `json:"name"`
		Count int     `json:"count"`
		Lat   float64 `json:"lat"`
	}
	for _, tc := range []struct {
		name, in, field string
		en, vi          string // the messages, when they matter
	}{
		{"an unknown field is rejected", `{"name":"a","colour":"red"}`, "colour", "", ""},
		{"a wrong type names the field in both languages", `{"count":"three"}`, "count", "must be an integer, not a string", "phải là một số nguyên, không phải một chuỗi"},
		{"a number for a string", `{"name":12}`, "name", "must be a string, not a number", "phải là một chuỗi, không phải một số"},
		{"an object for a number", `{"lat":{}}`, "lat", "must be a number, not an object", "phải là một số, không phải một đối tượng"},
		{"malformed JSON", `{"name":`, "body", "", ""},
		{"an empty body", ``, "body", "", ""},
		{"two objects", `{"name":"a"}{"name":"b"}`, "body", "", ""},
		{"an array instead of an object", `[1,2]`, "body", "must be an object, not an array", "phải là một đối tượng, không phải một mảng"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b body
			err := decodeStrict([]byte(tc.in), &b)
			e := models.ErrorAs(err)
			if e == nil || e.Code != models.EINVALID || e.Field != tc.field {
				t.Fatalf("decodeStrict(%s) = %v, want invalid on %q", tc.in, err, tc.field)
			}
			if tc.en != "" && (e.Message != tc.en || e.MessageVI != tc.vi || e.Details[0].MessageVI != tc.vi) {
				t.Fatalf("messages %q / %q, want %q / %q", e.Message, e.MessageVI, tc.en, tc.vi)
			}
		})
	}
}
