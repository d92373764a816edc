package api

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// cutProxy forwards TCP connections to a database until Cut, which closes every connection and
// refuses new ones: the database seen from the service goes away as in a network outage or a
// server restart.
type cutProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	cut    bool
}

func startCutProxy(t *testing.T, target string) *cutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &cutProxy{ln: ln, target: target}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			if p.cut {
				p.mu.Unlock()
				c.Close()
				up.Close()
				continue
			}
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	t.Cleanup(p.Cut)
	return p
}

// Cut closes the connections and the listener: new connections are refused.
func (p *cutProxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	p.ln.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// outageStore returns a migrated database and a function that takes it away: a closed pool on
// SQLite, a cut network path on PostgreSQL.
func outageStore(t *testing.T, dialect string) (*store.DB, func()) {
	t.Helper()
	if dialect == store.DialectSQLite {
		db := storetest.NewSQLite(t, storetest.Options{})
		return db, func() { db.Close() }
	}
	raw := storetest.PostgresURL(t)
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	host := u.Host
	if _, _, err := net.SplitHostPort(host); err != nil {
		host = net.JoinHostPort(host, "5432")
	}
	p := startCutProxy(t, host)
	u.Host = p.ln.Addr().String()
	q := u.Query()
	q.Set("connect_timeout", "2")
	u.RawQuery = q.Encode()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{URL: u.String(), MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return db, p.Cut
}

// TestDatabaseOutageAnswers503WithRetryAfter takes the database away under a running server:
// reads and writes answer 503 with Retry-After and a plain message in the caller's language,
// never a 500 or the driver's text; the checks that used to turn any store error into a 400
// "unknown area/team/user" answer the outage as one too.
func TestDatabaseOutageAnswers503WithRetryAfter(t *testing.T) {
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		t.Run(dialect, func(t *testing.T) {
			db, takeAway := outageStore(t, dialect)
			h := New(Config{Store: db, Readiness: readiness{}, Unavailable: store.IsUnavailable, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if w := do(t, h, "GET", "/api/v1/businesses", ""); w.Code != 200 {
				t.Fatalf("before the outage: %d %s", w.Code, w.Body)
			}
			takeAway()
			for _, tc := range []struct{ method, path, body string }{
				{"GET", "/api/v1/businesses", ""},
				{"GET", "/api/v1/areas", ""},
				{"POST", "/api/v1/teams", `{"name":"Tổ mới","level":"district","area_code":"916","base_lat":10.03,"base_lon":105.78,"weekly_capacity":10,"working_days":[1,2,3,4,5]}`},
				{"POST", "/api/v1/users", `{"username":"moi.1","display_name":"Người mới","role":"inspector","agency":"police","area_code":"916","password":"mot-mat-khau-du-dai-2026"}`},
			} {
				w := do(t, h, tc.method, tc.path, tc.body, "Content-Type", "application/json")
				e := decodeError(t, w)
				if w.Code != 503 || e.Code != models.EUNAVAILABLE || w.Header().Get("Retry-After") == "" {
					t.Errorf("%s %s during an outage: %d %s (Retry-After %q); want 503 with Retry-After", tc.method, tc.path, w.Code, w.Body, w.Header().Get("Retry-After"))
					continue
				}
				if e.Message != "hệ thống tạm thời không phục vụ được: xin thử lại sau ít phút" {
					t.Errorf("%s %s: message %q", tc.method, tc.path, e.Message)
				}
			}
			w := do(t, h, "GET", "/api/v1/businesses", "", "Accept-Language", "en")
			if e := decodeError(t, w); w.Code != 503 || !strings.HasPrefix(e.Message, "the service is briefly unavailable") {
				t.Errorf("in English: %d %s", w.Code, w.Body)
			}
		})
	}
}

// TestDuplicatesReadAsPlainMessages: a unique key taken answers 409 in the user's language,
// without the SQLSTATE, the constraint's name or English words in the Vietnamese text.
func TestDuplicatesReadAsPlainMessages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		if err := db.UpsertAreas(context.Background(), "t", []*models.Area{{Code: "92", Name: "Thành phố Cần Thơ", Level: models.AreaLevelCity}}); err != nil {
			t.Fatal(err)
		}
		u := &models.User{Username: "trung", DisplayName: "Người trùng", Role: models.RoleInspector, Agency: models.AgencyPolice, AreaCode: "92", PasswordHash: "x"}
		if err := db.CreateUser(context.Background(), "t", u); err != nil {
			t.Fatal(err)
		}
		again := *u
		again.ID = ""
		err := db.CreateUser(context.Background(), "t", &again)
		h := New(Config{Store: db, Readiness: readiness{}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		for _, tc := range []struct{ lang, want string }{
			{"vi", "người dùng này đã tồn tại"},
			{"en", "this user already exists"},
		} {
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			c.Request = httptest.NewRequest("POST", "/api/v1/users?lang="+tc.lang, nil)
			h.writeError(c, err)
			body := w.Body.String()
			if w.Code != 409 || decodeError(t, w).Message != tc.want {
				t.Errorf("%s: %d %s; want 409 %q", tc.lang, w.Code, body, tc.want)
			}
			for _, leak := range []string{"SQLSTATE", "23505", "UNIQUE", "unique", "constraint", "users"} {
				if strings.Contains(body, leak) {
					t.Errorf("%s: the answer shows the driver's %q: %s", tc.lang, leak, body)
				}
			}
		}
	})
}

// TestAClientThatWentAwayIsNotAServerError: whatever error the abandoned work returns (SQLite
// answers "interrupted"), a request whose client is gone is neither logged as an error nor
// counted as a 500.
func TestAClientThatWentAwayIsNotAServerError(t *testing.T) {
	var logs logBuffer
	h := New(Config{Store: storetest.NewSQLite(t, storetest.Options{}), Readiness: readiness{}, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w := httptest.NewRecorder()
	c, _ := gin.CreateTestContext(w)
	c.Request = httptest.NewRequest("GET", "/api/v1/businesses", nil).WithContext(ctx)
	h.writeError(c, errors.New("interrupted (9)"))
	if c.Writer.Status() == 500 || strings.Contains(logs.String(), "level=ERROR") {
		t.Fatalf("a client gone during a read: status %d, log %s", c.Writer.Status(), logs.String())
	}
	// A live client with the same error is an internal error, logged.
	w = httptest.NewRecorder()
	c, _ = gin.CreateTestContext(w)
	c.Request = httptest.NewRequest("GET", "/api/v1/businesses", nil).WithContext(context.WithoutCancel(ctx))
	h.writeError(c, errors.New("interrupted (9)"))
	if w.Code != 500 || !strings.Contains(logs.String(), "level=ERROR") {
		t.Fatalf("an internal error: %d, log %s", w.Code, logs.String())
	}
}

// A person on the public tip form reads an outage or a bug as the form again with a plain
// sentence, never as a JSON body.
func TestThePublicTipFormShowsFailuresAsAPage(t *testing.T) {
	h := New(Config{Store: storetest.NewSQLite(t, storetest.Options{}), Readiness: readiness{}, Unavailable: store.IsUnavailable, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, tc := range []struct {
		err    error
		status int
		want   string
	}{
		{models.Unavailable(errors.New("dial tcp: connection refused")), 503, "hệ thống tạm thời không phục vụ được"},
		{errors.New("a bug"), 500, "Chưa lưu được tin báo do lỗi của hệ thống"},
	} {
		w := httptest.NewRecorder()
		c, _ := gin.CreateTestContext(w)
		c.Request = httptest.NewRequest("POST", "/tip", nil)
		h.publicTipError(c, false, true, publicTipInput{}, tc.err)
		if w.Code != tc.status || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") || !strings.Contains(w.Body.String(), tc.want) || strings.Contains(w.Body.String(), "dial tcp") {
			t.Errorf("%v: %d %s %s", tc.err, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
	}
}
