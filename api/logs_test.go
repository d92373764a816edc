package api

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/registry"
	"kiemtra/store"
	"kiemtra/store/storetest"
	"kiemtra/tips"
)

// logBuffer collects a log that the server, the store and the pool write at once.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLogsHoldNoSecrets sends the failing requests that carry secrets (wrong and new passwords,
// forged and reused tokens, a duplicate account whose INSERT carries a password hash, a bad
// display name beside a new password, tips with their text and the reporter's contact) and
// scans everything the server and the store logged, at debug level, for those secrets.
func TestLogsHoldNoSecrets(t *testing.T) {
	var logs logBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	clk := &envClock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	const (
		wrongPassword = "Sai-mat-khau-cua-ke-do-2026"
		newPassword   = "Mat-khau-moi-that-dai-2026"
		tipText       = "Quán Hoa Mai cho thuê phòng theo giờ, có người môi giới"
		contact       = "0912 777 888"
	)
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Logger: log}, func(t *testing.T, db *store.DB) {
		env := newAuthEnv(t, db, clk)
		cats, err := refdata.CategorySet()
		if err != nil {
			t.Fatal(err)
		}
		reg := registry.New(registry.Config{Store: db, Categories: cats, Logger: log, Now: clk.Now, Location: time.UTC})
		tipSvc, err := tips.NewService(db, reg, tips.DeriveKey(envSecret), models.DefaultTipDeadlines(), clk.Now, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		h := New(Config{Store: db, Registry: reg, Readiness: readiness{}, Auth: env.svc, Passwords: env.svc, Tips: tipSvc, TipStore: db,
			Now: clk.Now, Location: time.UTC, Logger: log})
		var secrets []string

		if w := call(t, h, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"username":"planner","password":%q}`, wrongPassword)); w.Code != 401 {
			t.Fatalf("wrong password: %d %s", w.Code, w.Body)
		}
		sess := decodeInto[sessionBody](t, call(t, h, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"username":"admin","password":%q}`, envPassword)))
		admin := bearer(sess.AccessToken)
		secrets = append(secrets, sess.AccessToken, sess.RefreshToken)
		if w := call(t, h, "GET", "/api/v1/me", "", bearer(sess.AccessToken+"x")); w.Code != 401 {
			t.Fatalf("forged token: %d", w.Code)
		}
		next := decodeInto[sessionBody](t, call(t, h, "POST", "/api/v1/auth/refresh", refreshBody(sess.RefreshToken)))
		secrets = append(secrets, next.AccessToken, next.RefreshToken)
		if w := call(t, h, "POST", "/api/v1/auth/refresh", refreshBody(sess.RefreshToken)); w.Code != 401 {
			t.Fatalf("reused refresh token: %d", w.Code)
		}
		admin = env.as(t, "admin")
		dup := fmt.Sprintf(`{"username":"planner","display_name":"Người trùng","role":"planner","agency":"health","area_code":"92","password":%q}`, newPassword)
		if w := call(t, h, "POST", "/api/v1/users", dup, admin); w.Code != 409 {
			t.Fatalf("duplicate account: %d %s", w.Code, w.Body)
		}
		insp := env.users["insp1"]
		bad := fmt.Sprintf(`{"version":%d,"password":%q,"display_name":%q}`, insp.Version, newPassword, strings.Repeat("x", 300))
		if w := call(t, h, "PATCH", "/api/v1/users/"+insp.ID, bad, admin); w.Code != 400 {
			t.Fatalf("new password with a bad display name: %d %s", w.Code, w.Body)
		}
		badTip := fmt.Sprintf(`{"channel":"hotline","description":%q,"business_id":"no-such-business","reporter_contact":%q}`, tipText, contact)
		if w := call(t, h, "POST", "/api/v1/tips", badTip, admin); w.Code != 400 {
			t.Fatalf("tip of an unknown business: %d %s", w.Code, w.Body)
		}
		if w := publicTip(t, h, "203.0.113.7", fmt.Sprintf(`{"description":%q,"place":"Phường D11","contact":%q}`, tipText, contact)); w.Code != 202 {
			t.Fatalf("public tip: %d %s", w.Code, w.Body)
		}
		if w := call(t, h, "POST", "/api/v1/auth/logout", fmt.Sprintf(`{"refresh_token":%q,"password":%q}`, next.RefreshToken, newPassword)); w.Code != 400 {
			t.Fatalf("logout with an unknown field: %d %s", w.Code, w.Body)
		}

		out := logs.String()
		if !strings.Contains(out, "status=409") || !strings.Contains(out, "status=401") {
			t.Fatalf("the requests were not logged:\n%s", out)
		}
		// Parts of the number, not a four-digit prefix: request ids and UUIDs are hex and hold
		// "0912" by chance often enough to fail a run in a few hundred.
		secrets = append(secrets, envPassword, wrongPassword, newPassword, "argon2id", tipText, "Hoa Mai", contact, "777 888", "0912777888")
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("the log holds %q", s)
			}
		}
		if t.Failed() {
			t.Logf("log:\n%s", out)
		}
	})
}

// The limits' counts are kept in the database, but never an address or a username in the clear,
// and the public tip form's counts only to the minute: a dump cannot tell who sent a tip.
func TestTheLimitsStoreNoAddressOrUsername(t *testing.T) {
	clk := &envClock{t: time.Date(2026, 3, 2, 8, 0, 17, 123456000, time.UTC)}
	storetest.RunWith(t, storetest.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		env := newAuthEnv(t, db, clk)
		tipSvc, err := tips.NewService(db, nil, tips.DeriveKey(envSecret), models.DefaultTipDeadlines(), clk.Now, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		h := New(Config{Store: db, Readiness: readiness{}, Auth: env.svc, Passwords: env.svc, Tips: tipSvc, TipStore: db, Limits: db,
			LimitKey: []byte("the limits' key of the test"), Now: clk.Now, Location: time.UTC, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if w := call(t, h, "POST", "/api/v1/auth/login", `{"username":"planner","password":"Sai-mat-khau-cua-ke-do"}`, from("203.0.113.7")); w.Code != 401 {
			t.Fatalf("wrong password: %d", w.Code)
		}
		if w := publicTip(t, h, "198.51.100.77", `{"description":"Quán karaoke có tiếp viên nhỏ tuổi phục vụ sau nửa đêm","place":"Phường D11"}`); w.Code != 202 {
			t.Fatalf("public tip: %d %s", w.Code, w.Body)
		}
		var hits []struct {
			Bucket string
			At     time.Time
		}
		if err := db.Gorm().Raw("SELECT bucket, at FROM limiter_hits").Scan(&hits).Error; err != nil {
			t.Fatal(err)
		}
		tipHits := 0
		for _, h := range hits {
			for _, clear := range []string{"203.0.113", "198.51.100", "planner"} {
				if strings.Contains(h.Bucket, clear) {
					t.Errorf("a limit is stored under %q", h.Bucket)
				}
			}
			if strings.HasPrefix(h.Bucket, "tip-") {
				tipHits++
				if h.At.Second() != 0 || h.At.Nanosecond() != 0 {
					t.Errorf("a tip count is kept to the second: %s", h.At)
				}
			}
		}
		if tipHits != 2 || len(hits) < 3 {
			t.Fatalf("%d hits, %d of the tip form: %+v", len(hits), tipHits, hits)
		}
	})
}
