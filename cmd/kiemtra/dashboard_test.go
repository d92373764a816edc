package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"kiemtra/demo"
	"kiemtra/models"
)

// findChromium returns the path of a Chromium or Chrome binary on PATH, or "".
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// artifactsDir is where screenshots go: $KIEMTRA_ARTIFACTS, or artifacts/ at the repository root.
func artifactsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("KIEMTRA_ARTIFACTS")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		root := wd
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(root)
			if parent == root {
				root = wd
				break
			}
			root = parent
		}
		dir = filepath.Join(root, "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts directory: %v", err)
	}
	return dir
}

// startDemo runs the whole service on a temporary SQLite database filled with the demo data,
// with the clock set to the demo's day so that "this year" is the demo's year.
func startDemo(t *testing.T) *Main {
	t.Helper()
	cfg := DefaultConfig()
	cfg.DataDir = t.TempDir()
	cfg.Addr = "127.0.0.1:0"
	cfg.CronNightly, cfg.CronYearly, cfg.CronMorning = "off", "off", "off"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	m := NewMain(&cfg, log)
	day := demo.DefaultOptions().Today
	base, started := time.Date(day.Year, time.Month(day.Month), day.Day, 9, 0, 0, 0, cfg.Location()), time.Now()
	m.Now = func() time.Time { return base.Add(time.Since(started)) }
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.Open(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	if err := loadDemo(ctx, m.DB(), cfg.Location(), io.Discard, log); err != nil {
		cancel()
		m.Close()
		t.Fatal(err)
	}
	if err := m.Listen(); err != nil {
		cancel()
		m.Close()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		err := m.Serve(ctx)
		m.Close()
		done <- err
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return m
}

// drawnArea is one area path of the map as the page drew it.
type drawnArea struct {
	Code     string `json:"code"`
	Level    string `json:"level"`
	Coverage string `json:"coverage"`
	Progress string `json:"progress"`
}

const readAreas = `Array.from(document.querySelectorAll('#map path[data-code]')).map(p => ({
	code: p.dataset.code, level: p.dataset.level, coverage: p.dataset.coverage, progress: p.dataset.progress}))`

// TestDashboardInHeadlessChromium signs in as the demo planner, opens the ward map and checks
// that every ward is drawn with its figures, that the finished 2021-2025 programme shows full
// coverage and that this year's progress is shown; it logs the first render time and saves
// screenshots at office and tablet sizes.
func TestDashboardInHeadlessChromium(t *testing.T) {
	browser := findChromium()
	if browser == "" {
		t.Skip("no Chromium found on PATH (chromium, chromium-browser, google-chrome): install Debian's chromium (apt-get install chromium) to run the dashboard test")
	}
	if testing.Short() {
		t.Skip("the dashboard test starts a browser; skipped with -short")
	}
	out := artifactsDir(t)
	m := startDemo(t)
	wards, _, err := m.DB().FindAreas(context.Background(), models.AreaFilter{Level: models.AreaLevelWard})
	if err != nil {
		t.Fatal(err)
	}
	if len(wards) != 83 {
		t.Fatalf("the demo has %d wards, want 83", len(wards))
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "vi-VN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	// Any uncaught script error fails the test: the page must not break silently.
	var mu sync.Mutex
	var jsErrors []string
	chromedp.ListenTarget(bctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			mu.Lock()
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			jsErrors = append(jsErrors, msg)
			mu.Unlock()
		}
	})
	run := func(what string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(bctx, actions...); err != nil {
			mu.Lock()
			defer mu.Unlock()
			t.Fatalf("%s: %v (script errors: %q)", what, err, jsErrors)
		}
	}
	shot := func(name string) {
		t.Helper()
		var png []byte
		run("screenshot "+name, chromedp.CaptureScreenshot(&png))
		path := filepath.Join(out, name)
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}
	const ready = `#map[data-state="ready"]`

	// Start the browser first, so that its start-up is not counted in the render time.
	run("start the browser", chromedp.EmulateViewport(1366, 768), chromedp.Navigate("about:blank"))

	url := "http://" + m.Addr() + "/dashboard/"
	start := time.Now()
	run("open the sign-in form", chromedp.Navigate(url), chromedp.WaitVisible(`#login-form`, chromedp.ByQuery))
	shot("dashboard-login-1366x768.png")
	run("sign in as the planner",
		chromedp.SendKeys(`#username`, "planner", chromedp.ByQuery),
		chromedp.SendKeys(`#password`, demo.Password, chromedp.ByQuery),
		chromedp.Click(`#login-submit`, chromedp.ByQuery),
		chromedp.WaitVisible(ready, chromedp.ByQuery))
	wall := time.Since(start)
	var pageMS float64
	run("read the page's timing", chromedp.Evaluate(`window.kiemtraTimings.mapDrawn`, &pageMS))
	t.Logf("first render, navigation to map drawn (sign-in form included): %.0f ms in the page, %d ms by the test's clock (aim: under 2000 ms)", pageMS, wall.Milliseconds())

	// A reload with the session kept in sessionStorage is the dashboard's own first render.
	start = time.Now()
	run("reload with the session", chromedp.Reload(), chromedp.WaitVisible(ready, chromedp.ByQuery))
	reload := time.Since(start)
	run("read the page's timing", chromedp.Evaluate(`window.kiemtraTimings.mapDrawn`, &pageMS))
	t.Logf("first render after a reload (signed in): %.0f ms in the page, %d ms by the test's clock", pageMS, reload.Milliseconds())

	// This year's progress bar shows a percentage.
	var yearFigure, yearTitle string
	run("read this year's progress",
		chromedp.Text(`#kpi-year-figure`, &yearFigure, chromedp.ByQuery),
		chromedp.Text(`#kpi-year h3`, &yearTitle, chromedp.ByQuery))
	if !regexp.MustCompile(`^\d{1,3}([,.]\d)?%$`).MatchString(strings.TrimSpace(yearFigure)) {
		t.Errorf("this year's progress shows %q, want a percentage", yearFigure)
	}
	if !strings.Contains(yearTitle, strconv.Itoa(demo.DefaultOptions().Today.Year)) || !strings.Contains(yearTitle, "Chỉ tiêu năm") {
		t.Errorf("the yearly target is titled %q, want the Vietnamese title with the demo's year", yearTitle)
	}
	var progressNow string
	run("read the progress bar", chromedp.AttributeValue(`#kpi-year [role=progressbar]`, "aria-valuenow", &progressNow, nil, chromedp.ByQuery))
	if _, err := strconv.ParseFloat(progressNow, 64); err != nil {
		t.Errorf("the yearly progress bar's value is %q", progressNow)
	}

	// The ward map: every ward of the demo, each with its figures.
	run("switch to the ward map", chromedp.Click(`#level-ward`, chromedp.ByQuery), chromedp.WaitVisible(`#map[data-level="ward"]`, chromedp.ByQuery))
	var drawn []drawnArea
	run("read the wards", chromedp.Evaluate(readAreas, &drawn))
	checkWards(t, wards, drawn, "")
	shot("dashboard-1366x768.png")

	// A business point opens its details.
	run("open a business",
		chromedp.Click(`#map circle.pt.never_inspected`, chromedp.ByQuery),
		chromedp.WaitVisible(`#details-status`, chromedp.ByQuery))
	var detailsTitle string
	run("read the details", chromedp.Text(`#details-title`, &detailsTitle, chromedp.ByQuery))
	if strings.TrimSpace(detailsTitle) == "" {
		t.Error("the business details have no name")
	}
	run("close the details", chromedp.Click(`#details button.icon`, chromedp.ByQuery), chromedp.WaitNotVisible(`#details`, chromedp.ByQuery))

	// The finished 2021-2025 programme, in its last year: full coverage everywhere.
	run("choose the 2021-2025 programme",
		chromedp.Evaluate(`(() => { const s = document.querySelector('#programme'); s.value = 'KH237-2021-2025'; s.dispatchEvent(new Event('change', {bubbles: true})); })()`, nil),
		chromedp.WaitVisible(`#map[data-state="ready"][data-programme="KH237-2021-2025"][data-year="2025"]`, chromedp.ByQuery))
	var progValue, progFigure string
	run("read the programme's coverage",
		chromedp.AttributeValue(`#kpi-programme`, "data-value", &progValue, nil, chromedp.ByQuery),
		chromedp.Text(`#kpi-programme-figure`, &progFigure, chromedp.ByQuery))
	if progValue != "100" || strings.TrimSpace(progFigure) != "100%" {
		t.Errorf("the 2021-2025 programme shows coverage %q (%q), want 100%%", progFigure, progValue)
	}
	run("read the wards", chromedp.Evaluate(readAreas, &drawn))
	checkWards(t, wards, drawn, "100")
	var onTrack string
	run("read on track", chromedp.Text(`#on-track`, &onTrack, chromedp.ByQuery))
	t.Logf("2021-2025 in 2025: programme coverage %s, %s", progFigure, strings.TrimSpace(onTrack))
	shot("dashboard-1366x768-2021-2025.png")

	// Back to this year's programme, colour by this year's progress, and the tablet sizes.
	run("choose this year's programme",
		chromedp.Evaluate(`(() => { const s = document.querySelector('#programme'); s.value = s.options[0].value; s.dispatchEvent(new Event('change', {bubbles: true})); })()`, nil),
		chromedp.WaitVisible(`#map[data-state="ready"]:not([data-programme="KH237-2021-2025"])`, chromedp.ByQuery),
		chromedp.Click(`#metric-progress`, chromedp.ByQuery),
		chromedp.WaitVisible(`#map[data-metric="progress"]`, chromedp.ByQuery))
	for _, size := range []struct{ w, h int64 }{{1024, 768}, {768, 1024}} {
		run("resize", chromedp.EmulateViewport(size.w, size.h), chromedp.Sleep(300*time.Millisecond))
		var overflow bool
		run("check the width", chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow))
		if overflow {
			t.Errorf("at %dx%d the page is wider than the screen", size.w, size.h)
		}
		shot(fmt.Sprintf("dashboard-tablet-%dx%d.png", size.w, size.h))
	}

	mu.Lock()
	defer mu.Unlock()
	if len(jsErrors) > 0 {
		t.Errorf("script errors in the page:\n%s", strings.Join(jsErrors, "\n"))
	}
}

// checkWards checks that every ward is drawn once with numeric figures (and, when want is set,
// with that programme coverage).
func checkWards(t *testing.T, wards []*models.Area, drawn []drawnArea, want string) {
	t.Helper()
	seen := map[string]drawnArea{}
	for _, d := range drawn {
		if d.Level != models.AreaLevelWard {
			t.Errorf("area %s drawn at level %q on the ward map", d.Code, d.Level)
			continue
		}
		if _, dup := seen[d.Code]; dup {
			t.Errorf("ward %s drawn twice", d.Code)
		}
		seen[d.Code] = d
	}
	var missing []string
	for _, w := range wards {
		d, ok := seen[w.Code]
		if !ok {
			missing = append(missing, w.Code+" "+w.Name)
			continue
		}
		cov, err := strconv.ParseFloat(d.Coverage, 64)
		if err != nil || cov < 0 || cov > 100 {
			t.Errorf("ward %s (%s): data-coverage %q is not a percentage", w.Code, w.Name, d.Coverage)
		}
		if p, err := strconv.ParseFloat(d.Progress, 64); err != nil || p < 0 || p > 100 {
			t.Errorf("ward %s (%s): data-progress %q is not a percentage", w.Code, w.Name, d.Progress)
		}
		if want != "" && d.Coverage != want {
			t.Errorf("ward %s (%s): coverage %s%%, want %s%%", w.Code, w.Name, d.Coverage, want)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d of %d wards are not drawn: %s", len(missing), len(wards), strings.Join(missing, ", "))
	}
	if len(seen) != len(wards) {
		t.Errorf("%d wards drawn, the demo has %d", len(seen), len(wards))
	}
}
