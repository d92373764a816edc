package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"kiemtra/scheduler"
	"kiemtra/store/storetest"
)

// testSecret is a KIEMTRA_SECRET that passes auth.CheckSecret.
const testSecret = "cmd-test-secret-8f1c2e9d7b6a5f4e3d2c1b0a"

// runCLI runs a command line with the given environment and returns the exit status and output.
func runCLI(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code := Run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestCommandLineUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name     string
		args     []string
		env      map[string]string
		code     int
		contains string
	}{
		{"help lists the commands", []string{"help"}, nil, 0, "migrate"},
		{"no command prints usage", nil, nil, 2, "Usage: kiemtra"},
		{"an unknown command is a usage error", []string{"frobnicate"}, nil, 2, `unknown command "frobnicate"`},
		{"an unknown flag is a usage error", []string{"serve", "--no-such-flag"}, nil, 2, "no-such-flag"},
		{"migrate needs up or status", []string{"migrate"}, nil, 2, "up|status"},
		{"version prints the version", []string{"version"}, nil, 0, "kiemtra "},
		{"a bad time zone names the variable", []string{"migrate", "status", "--data-dir", dir}, map[string]string{"KIEMTRA_TZ": "Mars/Olympus"}, 1, "KIEMTRA_TZ"},
		{"a bad log level names the variable", []string{"migrate", "status", "--data-dir", dir}, map[string]string{"KIEMTRA_LOG_LEVEL": "loud"}, 1, "KIEMTRA_LOG_LEVEL"},
		{"a MySQL URL names the variable", []string{"migrate", "status"}, map[string]string{"DATABASE_URL": "mysql://x/y", "KIEMTRA_SECRET": testSecret}, 1, "DATABASE_URL"},
		{"PostgreSQL without a shared secret names the variable", []string{"migrate", "status"}, map[string]string{"DATABASE_URL": "postgres://localhost/x"}, 1, "KIEMTRA_SECRET"},
		{"32 identical characters as the secret name the variable", []string{"migrate", "status", "--data-dir", dir}, map[string]string{"KIEMTRA_SECRET": strings.Repeat("s", 32)}, 1, "KIEMTRA_SECRET: is too weak"},
		{"a short secret names the variable", []string{"migrate", "status", "--data-dir", dir}, map[string]string{"KIEMTRA_SECRET": "0123456789abcdef"}, 1, "KIEMTRA_SECRET: is too weak"},
		{"a bad address names the variable", []string{"serve"}, map[string]string{"KIEMTRA_ADDR": "8080", "KIEMTRA_DATA_DIR": dir}, 1, "KIEMTRA_ADDR"},
		{"a bad body limit names the variable", []string{"serve"}, map[string]string{"KIEMTRA_MAX_BODY_BYTES": "lots", "KIEMTRA_DATA_DIR": dir}, 1, "KIEMTRA_MAX_BODY_BYTES"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.env, tc.args...)
			if code != tc.code || !strings.Contains(out+errOut, tc.contains) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant it to contain %q", code, tc.code, out, errOut, tc.contains)
			}
			if strings.Contains(errOut, "goroutine ") {
				t.Fatalf("a stack trace was printed: %s", errOut)
			}
		})
	}
}

func TestUnreachableDatabaseIsNamedWithoutAStackTrace(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "postgres://kiemtra@127.0.0.1:1/kiemtra?sslmode=disable&connect_timeout=2", "KIEMTRA_SECRET": testSecret}
	code, _, errOut := runCLI(t, env, "migrate", "status")
	if code != 1 || !strings.Contains(errOut, "127.0.0.1:1") || strings.Contains(errOut, "goroutine ") {
		t.Fatalf("exit %d, stderr %q; want 1 naming 127.0.0.1:1", code, errOut)
	}
}

func TestMigrateUpThenStatusOnSQLite(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"KIEMTRA_DATA_DIR": dir}
	code, out, errOut := runCLI(t, env, "migrate", "up")
	if code != 0 || !strings.Contains(out, "applied 1 ") {
		t.Fatalf("migrate up: %d %s %s", code, out, errOut)
	}
	code, out, _ = runCLI(t, env, "migrate", "status")
	if code != 0 || strings.Contains(out, "pending") || !strings.Contains(out, "applied") {
		t.Fatalf("migrate status: %d %s", code, out)
	}
	code, out, _ = runCLI(t, env, "migrate", "up")
	if code != 0 || !strings.Contains(out, "already current") {
		t.Fatalf("second migrate up: %d %s", code, out)
	}
}

func TestMigrateUpThenStatusOnPostgreSQL(t *testing.T) {
	url := storetest.PostgresURL(t)
	env := map[string]string{"DATABASE_URL": url, "KIEMTRA_SECRET": testSecret}
	if code, out, errOut := runCLI(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate up: %d %s %s", code, out, errOut)
	}
	code, out, _ := runCLI(t, env, "migrate", "status")
	if code != 0 || strings.Contains(out, "pending") || !strings.Contains(out, "postgres database") {
		t.Fatalf("migrate status: %d %s", code, out)
	}
}

// startMain runs the whole service on a temporary database and a free port.
func startMain(t *testing.T, cfg Config, wrap func(http.Handler) http.Handler) (*Main, context.CancelFunc, chan error) {
	t.Helper()
	cfg.Addr = "127.0.0.1:0"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	m := NewMain(&cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	m.wrap = wrap
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	if err := m.Listen(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		err := m.Serve(ctx)
		m.Close()
		done <- err
	}()
	t.Cleanup(func() { cancel(); <-done })
	return m, cancel, done
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeAnswersHealthAndReadinessOnBothDialects(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  func(t *testing.T) Config
	}{
		{"sqlite", func(t *testing.T) Config {
			c := DefaultConfig()
			c.DataDir = t.TempDir()
			return c
		}},
		{"postgres", func(t *testing.T) Config {
			c := DefaultConfig()
			c.DatabaseURL = storetest.PostgresURL(t)
			c.Secret = testSecret
			return c
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _, _ := startMain(t, tc.cfg(t), nil)
			for _, path := range []string{"/healthz", "/readyz"} {
				if code, body := get(t, "http://"+m.Addr()+path); code != 200 {
					t.Errorf("GET %s = %d %s", path, code, body)
				}
			}
		})
	}
}

func TestShutdownLetsInFlightRequestsFinish(t *testing.T) {
	cfg := DefaultConfig()
	cfg.DataDir = t.TempDir()
	entered := make(chan struct{})
	slow := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/slow" {
				close(entered)
				time.Sleep(300 * time.Millisecond)
				io.WriteString(w, "finished")
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	m, cancel, done := startMain(t, cfg, slow)
	var wg sync.WaitGroup
	var code int
	var body string
	wg.Add(1)
	go func() {
		defer wg.Done()
		code, body = get(t, "http://"+m.Addr()+"/slow")
	}()
	<-entered
	cancel()
	wg.Wait()
	if code != 200 || body != "finished" {
		t.Fatalf("in-flight request got %d %q during shutdown", code, body)
	}
	if err := <-done; err != nil {
		t.Fatalf("Serve returned %v", err)
	}
	done <- nil // for the cleanup
	if _, err := http.Get("http://" + m.Addr() + "/healthz"); err == nil {
		t.Fatal("the server still answers after shutdown")
	}
}

// Two replicas on one PostgreSQL database fire the same cron slot at once: the job runs once.
func TestTwoReplicasRunAJobSlotOnce(t *testing.T) {
	url := storetest.PostgresURL(t)
	newReplica := func() *Main {
		cfg := DefaultConfig()
		cfg.DatabaseURL, cfg.Secret, cfg.Addr = url, testSecret, "127.0.0.1:0"
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		m := NewMain(&cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err := m.Open(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		return m
	}
	a, b := newReplica(), newReplica()
	ctx := context.Background()
	const slot = "2026-11-27T01:30"
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, m := range []*Main{a, b} {
		wg.Add(1)
		go func(i int, m *Main) {
			defer wg.Done()
			_, errs[i] = m.Runner().RunSlot(ctx, "nightly", slot)
		}(i, m)
	}
	wg.Wait()
	ran := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ran++
		case errors.Is(err, scheduler.ErrSlotTaken):
		default:
			t.Fatalf("run: %v", err)
		}
	}
	runs, err := a.DB().FindJobRuns(ctx, "nightly", 10)
	if err != nil {
		t.Fatal(err)
	}
	if ran != 1 || len(runs) != 1 || runs[0].Slot != slot || runs[0].Status != "ok" {
		t.Fatalf("%d replicas ran the slot; runs recorded: %+v", ran, runs)
	}
	// A later slot runs again, on whichever replica fires first.
	if _, err := b.Runner().RunSlot(ctx, "nightly", "2026-11-28T01:30"); err != nil {
		t.Fatal(err)
	}
}

// TestEveryJobRunsThroughMain runs each scheduled job as the runner does, with the services
// Open wired into it, on an empty database: a job holding a service that was not made yet
// fails here instead of at its first scheduled run in production.
func TestEveryJobRunsThroughMain(t *testing.T) {
	cfg := DefaultConfig()
	cfg.DataDir, cfg.Addr = t.TempDir(), "127.0.0.1:0"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	m := NewMain(&cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	jobs := m.Runner().Jobs()
	if want := []string{"certificate_flags", "morning_assignment", "nightly", "reports", "sanction_overdue", "submission_due", "tip_escalation", "yearly_plan"}; !slices.Equal(jobs, want) {
		t.Fatalf("jobs %v, want %v", jobs, want)
	}
	for _, name := range jobs {
		run, err := m.Runner().RunNow(context.Background(), name)
		if err != nil || run.Status != "ok" {
			t.Errorf("%s: %v %+v", name, err, run)
		}
	}
}

func TestTheDataDirectorysSecretIsRandomAndAWeakOneIsRefused(t *testing.T) {
	dir := t.TempDir()
	s, err := loadOrCreateSecret(dir)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := loadOrCreateSecret(dir); err != nil || again != s {
		t.Fatalf("the second start read %q, %v; want the first one's secret", again, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "secret.key"), []byte(strings.Repeat("k", 40)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = loadOrCreateSecret(dir)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "secret.key")) || !strings.Contains(err.Error(), "too weak") || !strings.Contains(err.Error(), "KIEMTRA_SECRET") {
		t.Fatalf("a weak secret.key: %v", err)
	}
}
