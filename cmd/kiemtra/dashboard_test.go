package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
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
	"github.com/chromedp/chromedp/kb"

	"kiemtra/demo"
	"kiemtra/models"
	"kiemtra/report"
	"kiemtra/scheduler"
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

// envRequireBrowser, when set (CI sets it), makes a browser test fail instead of skip when no
// Chromium is found: a skipped browser test would pass silently.
const envRequireBrowser = "KIEMTRA_REQUIRE_BROWSER"

// chromiumFor returns the browser a test or benchmark drives, or skips it (fails it under
// KIEMTRA_REQUIRE_BROWSER) when none is installed; -short skips it too.
func chromiumFor(tb testing.TB, what string) string {
	tb.Helper()
	if testing.Short() {
		tb.Skipf("%s starts a browser; skipped with -short", what)
	}
	path := findChromium()
	if path == "" {
		msg := fmt.Sprintf("no Chromium found on PATH (chromium, chromium-browser, google-chrome): install Debian's chromium (apt-get install chromium) to run %s", what)
		if os.Getenv(envRequireBrowser) != "" {
			tb.Fatal(msg + " (" + envRequireBrowser + " is set)")
		}
		tb.Skip(msg)
	}
	return path
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
// with the clock set to the demo's day so that "this year" is the demo's year; set changes the
// configuration first.
func startDemo(tb testing.TB, set func(*Config)) *Main {
	tb.Helper()
	return startIn(tb, demoDataDir(tb), demoToday, set)
}

// startIn runs the whole service on the SQLite database in dir, with the clock set to day.
func startIn(tb testing.TB, dir string, day models.Date, set func(*Config)) *Main {
	tb.Helper()
	cfg := DefaultConfig()
	return startAt(tb, dir, newTestClock(day, cfg.Location()), set)
}

// testClock runs from 09:00 on a chosen day at the wall clock's pace; a test can move it (to
// a plan's draw).
type testClock struct {
	mu            sync.Mutex
	base, started time.Time
}

func newTestClock(day models.Date, loc *time.Location) *testClock {
	return &testClock{base: day.Time(loc).Add(9 * time.Hour), started: time.Now()}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(time.Since(c.started))
}

// Set moves the clock to t, from where it runs on.
func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.base, c.started = t, time.Now()
}

// startAt is startIn on a clock the test holds.
func startAt(tb testing.TB, dir string, clock *testClock, set func(*Config)) *Main {
	tb.Helper()
	cfg := DefaultConfig()
	cfg.DataDir = dir
	cfg.Addr = "127.0.0.1:0"
	cfg.CronNightly, cfg.CronYearly, cfg.CronMorning = "off", "off", "off"
	if set != nil {
		set(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	m := NewMain(&cfg, log)
	m.Now = clock.Now
	ctx, cancel := context.WithCancel(context.Background())
	if err := m.Open(ctx); err != nil {
		cancel()
		tb.Fatal(err)
	}
	if err := m.Listen(); err != nil {
		cancel()
		m.Close()
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		err := m.Serve(ctx)
		m.Close()
		done <- err
	}()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("serve: %v", err)
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

// TestDashboardInHeadlessChromium signs in as the demo planner and checks that today's map draws
// every commune of the merged city with its figures, that 2024 is drawn on the old city's
// districts and wards, that the finished 2021-2025 programme shows full coverage and that this
// year's progress is shown; it logs the first render time and saves screenshots at office and
// tablet sizes.
func TestDashboardInHeadlessChromium(t *testing.T) {
	browser := chromiumFor(t, "the dashboard test")
	out := artifactsDir(t)
	// A base map on the server (KIEMTRA_TILE_URL): a path of this server that has no tiles, so
	// that the page asks for them but the screenshots stay as without one.
	const tiles = "/no-tiles/{z}/{x}/{y}.png"
	cfg := DefaultConfig()
	clock := newTestClock(demoToday, cfg.Location())
	m := startAt(t, demoDataDir(t), clock, func(c *Config) { c.TileURL = tiles })
	// Today's map has the 103 communes of the merged city; the old city's 83 wards are its history.
	communes, _, err := m.DB().FindAreas(context.Background(), models.AreaFilter{Level: models.AreaLevelCommune, On: models.NewDate(2026, 12, 2)})
	if err != nil {
		t.Fatal(err)
	}
	wards, _, err := m.DB().FindAreas(context.Background(), models.AreaFilter{Level: models.AreaLevelWard, On: models.NewDate(2024, 6, 1)})
	if err != nil {
		t.Fatal(err)
	}
	// The old city's communes: those its wards went to, the 2021-2025 programme's territory.
	var oldCity []*models.Area
	for _, a := range communes {
		var n int64
		if err := m.DB().Gorm().Raw(`SELECT COUNT(*) FROM area_lineage l JOIN areas s ON s.code = l.source_code AND s.valid_to IS NOT NULL WHERE l.area_code = ?`, a.Code).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			oldCity = append(oldCity, a)
		}
	}
	// The reports of the first closed periods (2021's quarters and half-year), kept as the
	// nightly job keeps them: enough for the page's list, including a district's, without
	// making all six years' (hundreds of files, minutes under the race detector).
	started := time.Now()
	res, err := (&report.ArchiveJob{Service: m.Reports()}).Run(context.Background(), time.Date(2021, 7, 2, 9, 0, 0, 0, m.Config.Location()))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("report archive of the demo: %s (%d ms)", res, time.Since(started).Milliseconds())
	if len(communes) != 103 || len(wards) != 83 || len(oldCity) != 32 {
		t.Fatalf("the demo has %d communes today (%d of the old city) and %d wards in 2024, want 103 (32) and 83", len(communes), len(oldCity), len(wards))
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.Headless,
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
	// Generous bounds: under the race detector each load of the merged city's figures takes
	// about ten seconds (the render times above are logged, not limited, here).
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	// Any uncaught script error fails the test: the page must not break silently.
	var mu sync.Mutex
	var jsErrors []string
	scriptErrors := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), jsErrors...)
	}
	if err := chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok && e.ExceptionDetails != nil {
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			mu.Lock()
			jsErrors = append(jsErrors, msg)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("start the browser: %v", err)
	}
	// do runs steps with a time limit of their own, so that on failure the browser still answers
	// for a screenshot of what went wrong.
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, stop := context.WithTimeout(bctx, time.Minute)
		defer stop()
		if err := chromedp.Do(sctx, actions...); err != nil {
			if png, serr := chromedp.Run(bctx, chromedp.CaptureScreenshot()); serr == nil {
				path := filepath.Join(out, "dashboard-failure.png")
				if os.WriteFile(path, png, 0o644) == nil {
					t.Logf("screenshot of the failure: %s", path)
				}
			}
			t.Fatalf("%s: %v (script errors: %q)", what, err, scriptErrors())
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	attr := func(sel, name string) string {
		t.Helper()
		a, err := chromedp.Run(bctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
		if err != nil {
			t.Fatalf("read %s of %s: %v", name, sel, err)
		}
		return a.Value
	}
	// save keeps a screenshot of the viewport, or of the whole page when full is set.
	save := func(name string, full bool) {
		t.Helper()
		evalJS[chromedp.Void](t, bctx, `window.scrollTo(0, 0)`)
		capture := chromedp.CaptureScreenshot()
		if full {
			capture = chromedp.FullScreenshot(100) // 100: PNG
		}
		screenshot(t, bctx, out, name, capture)
	}
	shot := func(name string) { t.Helper(); save(name, false) }
	visible := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.WaitVisible(chromedp.CSS(sel)) }
	const ready = `#map[data-state="ready"]`

	// Start the browser first, so that its start-up is not counted in the render time.
	do("start the browser", chromedp.EmulateViewport(1366, 768), chromedp.Navigate("about:blank"))
	csp := watchCSP(t, bctx)

	url := "http://" + m.Addr() + "/dashboard/"
	// A refused password leaves the form with a message and an empty password field.
	do("try a wrong password",
		chromedp.Navigate(url),
		chromedp.SendKeys(chromedp.CSS(`#username`), "planner"),
		chromedp.SendKeys(chromedp.CSS(`#password`), "not-the-password"),
		chromedp.Click(chromedp.CSS(`#login-submit`)),
		visible(`#login-error`))
	if msg := text(`#login-error`); !strings.HasPrefix(msg, "Tên đăng nhập") {
		t.Errorf("a wrong password shows %q", msg)
	}
	if v := evalJS[string](t, bctx, `document.querySelector('#password').value`); v != "" {
		t.Error("the password field keeps a refused password")
	}
	shot("dashboard-login-1366x768.png")

	// The first render: from the navigation, through the sign-in form, to the map drawn.
	start := time.Now()
	do("open the sign-in form", chromedp.Navigate(url), visible(`#login-form`))
	signInForm := time.Since(start)
	do("sign in as the planner",
		chromedp.SendKeys(chromedp.CSS(`#username`), "planner"),
		chromedp.SendKeys(chromedp.CSS(`#password`), demo.Password),
		chromedp.Click(chromedp.CSS(`#login-submit`)),
		visible(ready))
	wall := time.Since(start)
	pageMS := evalJS[float64](t, bctx, `window.kiemtraTimings.mapDrawn`)
	t.Logf("sign-in form shown %d ms after navigation", signInForm.Milliseconds())
	t.Logf("first render, navigation to map drawn (sign-in form included): %.0f ms in the page, %d ms by the test's clock (aim: under 2000 ms)", pageMS, wall.Milliseconds())

	// A reload with the session kept in sessionStorage is the dashboard's own first render.
	start = time.Now()
	do("reload with the session", chromedp.Reload(), visible(ready))
	reload := time.Since(start)
	pageMS = evalJS[float64](t, bctx, `window.kiemtraTimings.mapDrawn`)
	t.Logf("first render after a reload (signed in): %.0f ms in the page, %d ms by the test's clock", pageMS, reload.Milliseconds())

	shot("dashboard-1366x768-districts.png")

	// The same figure under the same name on the dashboard, in the API and in the workbook, for
	// (period, unit) pairs of both programmes and both maps.
	figs := newFigureSource(t, m)
	firstUnit := `document.querySelector('#area-table tbody tr.top').dataset.code`
	thisYear, _ := strconv.Atoi(attr(`#kpi-year`, "data-year"))
	pairs := checkSameFigures(t, bctx, figs, attr(`#map`, "data-programme"), thisYear, []string{"", evalJS[string](t, bctx, firstUnit)})

	// The server's base map reaches the map: tiles are asked for from the configured server.
	if href := evalJS[string](t, bctx, `(document.querySelector('#map g.tiles image') || {getAttribute: () => ''}).getAttribute('href')`); !strings.HasPrefix(href, "/no-tiles/") {
		t.Errorf("the map's first tile is %q, want one of %s", href, tiles)
	}
	// Agencies are shown by their names: the planner's, and the programme's lead.
	do("wait for the programme's lead", visible(`#kpi-lead`))
	if a := text(`#user-agency`); a != "Sở Y tế" {
		t.Errorf("the planner's agency reads %q, want Sở Y tế", a)
	}
	if a := text(`#kpi-lead`); a != "Cơ quan chủ trì: Sở Y tế" {
		t.Errorf("the programme's lead reads %q", a)
	}
	// The side panel is named in the page's language.
	if label := attr(`section.side`, "aria-label"); label != "Tiến độ so với chỉ tiêu" {
		t.Errorf("the side panel is labelled %q", label)
	}
	// The kept reports: one line per report with a button per file, named and sized as the API
	// says (the demo's districts keep their half-years and years).
	type keptFile struct {
		File, Text string
	}
	do("wait for the kept reports", chromedp.WaitReady(chromedp.CSS(`#reports-body table.reports button[data-file]`)))
	kept := evalJS[[]keptFile](t, bctx, `Array.from(document.querySelectorAll('#reports-body table.reports button[data-file]')).map(b => ({file: b.dataset.file, text: b.textContent}))`)
	var districtReport bool
	for _, k := range kept {
		if !regexp.MustCompile(`^bao-cao-kiem-tra_\d{4}(-[QH]\d)?_\w+\.(xlsx|csv)$`).MatchString(k.File) || !regexp.MustCompile(`^(XLSX|CSV) · [\d.,]+ (B|KB|MB)$`).MatchString(k.Text) {
			t.Errorf("a kept report's button: %+v", k)
		}
		districtReport = districtReport || strings.HasSuffix(k.File, "_916.xlsx")
	}
	if len(kept) == 0 || !districtReport {
		t.Errorf("%d kept report files; a district's (916) among them: %v", len(kept), districtReport)
	}

	// An access token the server refuses is renewed once with the refresh token, for all the
	// requests that were refused at the same time, and the dashboard carries on.
	do("reload with a refused access token",
		chromedp.Evaluate[chromedp.Void](`(() => { const s = JSON.parse(sessionStorage.getItem('kiemtra.session')); s.access_token = 'not-a-token'; sessionStorage.setItem('kiemtra.session', JSON.stringify(s)); })()`),
		chromedp.Reload(),
		visible(ready))
	if evalJS[bool](t, bctx, `JSON.parse(sessionStorage.getItem('kiemtra.session')).access_token === 'not-a-token'`) {
		t.Error("the refused access token was not renewed")
	}

	// This year's progress bar shows a percentage, under the Vietnamese title with the demo's year.
	if fig := text(`#kpi-year-figure`); !regexp.MustCompile(`^\d{1,3}(,\d)?%$`).MatchString(fig) {
		t.Errorf("this year's progress shows %q, want a percentage such as 12,6%%", fig)
	}
	if title := text(`#kpi-year h3`); title != fmt.Sprintf("Chỉ tiêu năm %d", demoToday.Year) {
		t.Errorf("the yearly target is titled %q", title)
	}
	if v := attr(`#kpi-year [role=progressbar]`, "aria-valuenow"); !isPercentage(v) {
		t.Errorf("the yearly progress bar's value is %q", v)
	}

	// Today's map: every commune of the merged city, each with its figures, and no district.
	do("wait for the communes", visible(`#map[data-level="commune"]`))
	if evalJS[bool](t, bctx, `!document.querySelector('#levels').hidden`) {
		t.Error("the 2026 map offers levels to choose, but 2026 has communes only")
	}
	checkUnits(t, models.AreaLevelCommune, communes, evalJS[[]drawnArea](t, bctx, readAreas), "")
	shot("dashboard-1366x768.png")

	// The estimated prevalence of every commune and of the city, as the server gives it: in the
	// demo's year some communes' samples are large enough, most small (marked), a few too small
	// to print (suppressed).
	seen := checkPrevalence(t, bctx, m, attr(`#map`, "data-programme"), thisYear, "vi", `#area-table tbody tr.top, #area-table tfoot tr.total`)
	if seen[scheduler.QualityOK] == 0 || seen[scheduler.QualityLow] == 0 || seen[scheduler.QualitySuppressed] == 0 {
		t.Errorf("the table's estimates by quality: %v, want some of each of ok, low and suppressed", seen)
	}
	t.Logf("estimated prevalence in the table: %v", seen)
	if fig := text(`#kpi-prevalence-figure`); !regexp.MustCompile(`^\d{1,3}(,\d)?%$`).MatchString(fig) {
		t.Errorf("the city's estimated prevalence reads %q, want a percentage", fig)
	}
	if ci := text(`#kpi-prevalence .kpi-side`); !strings.HasPrefix(ci, "KTC 95%: ") {
		t.Errorf("the city's interval reads %q", ci)
	}
	if card := text(`#kpi-prevalence`); strings.Contains(card, "null") || strings.Contains(card, "undefined") || !strings.Contains(card, "cơ sở có vi phạm") {
		t.Errorf("the city's estimate card reads %q", card)
	}
	// At 1280x800, the table's estimate column beside the legend: sorted by the estimate, the
	// suppressed and marked communes come first.
	do("show the estimates at 1280x800", chromedp.EmulateViewport(1280, 800),
		chromedp.Click(chromedp.CSS(`#area-table button[data-sort="prevalence"]`)),
		visible(`#area-table th[aria-sort="ascending"] button[data-sort="prevalence"]`))
	evalJS[chromedp.Void](t, bctx, `document.querySelector('#table-panel').scrollIntoView({block: 'start'})`)
	screenshot(t, bctx, out, "dashboard-1280x800-prevalence.png", chromedp.CaptureScreenshot())
	do("unit with a suppressed estimate", chromedp.Click(chromedp.CSS(`#area-table tr.top:has(td.prevalence[data-quality="suppressed"]) th button.link`)),
		visible(`#kpi-prevalence[data-quality="suppressed"]`))
	if fig := text(`#kpi-prevalence`); !strings.Contains(fig, "(dưới 5 cơ sở được kiểm tra)") || strings.Contains(fig, "%") || strings.Contains(fig, "có vi phạm") {
		t.Errorf("a suppressed unit's card reads %q: want the reason, and neither a share nor the count of violators it would give away", fig)
	}
	shot("dashboard-1280x800-suppressed-unit.png")
	do("unit with a low estimate", chromedp.Click(chromedp.CSS(`#area-table tr.top:has(td.prevalence[data-quality="low"]) th button.link`)),
		visible(`#kpi-prevalence[data-quality="low"]`))
	if card := text(`#kpi-prevalence`); !strings.Contains(card, prevalenceWords["vi"].low) || !strings.Contains(text(`#kpi-prevalence-figure`), "*") {
		t.Errorf("a low estimate's card reads %q: want the mark and %q", card, prevalenceWords["vi"].low)
	}
	do("back to the office screen", chromedp.EmulateViewport(1366, 768),
		chromedp.Click(chromedp.CSS(`#area-table button[data-sort="prevalence"]`)),
		chromedp.Click(chromedp.CSS(`#breadcrumb li:first-child button`)), visible(`#map[data-selected="92"]`))

	// A business point opens its details, with its status and history.
	do("open a business", chromedp.Click(chromedp.CSS(`#map circle.pt.never_inspected`)), visible(`#details-status`))
	if name := text(`#details-title`); name == "" {
		t.Error("the business details have no name")
	}
	shot("dashboard-1366x768-business.png")
	do("close the details", chromedp.Click(chromedp.CSS(`#details button.icon`)), chromedp.WaitNotVisible(chromedp.CSS(`#details`)))

	// A commune clicked on the map becomes the selection: the figures follow it. 31147 is the
	// code the reform reused: today it is Phường Tân An.
	// The click goes to the unit's shape itself: at its centre, a business's point may lie on top.
	clickUnit := func(code string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector('#map path[data-code=%q]').dispatchEvent(new MouseEvent('click', {bubbles: true}))`, code))
	}
	do("drill down to a commune",
		clickUnit("31147@2025"),
		visible(`#map[data-selected="31147@2025"]`))
	if area := text(`#kpi-area`); area != "Phường Tân An" {
		t.Errorf("after a click on 31147 the figures are of %q, want Phường Tân An", area)
	}
	do("wait for the commune's burn-down", visible(`#burndown svg`))
	// The selected unit keeps the focus for the keyboard; it is shown by its stroke, never by
	// the browser's focus ring round its box.
	if o := evalJS[string](t, bctx, `getComputedStyle(document.activeElement).outlineStyle`); o != "none" {
		t.Errorf("the focused unit has the outline %q", o)
	}
	shot("dashboard-1366x768-ward.png")
	// The keyboard reaches the communes: Enter opens one, Escape goes up to the city.
	do("open a commune with the keyboard",
		chromedp.Focus(chromedp.CSS(`#map path[data-code="31135@2025"]`)),
		chromedp.KeyEvent(kb.Enter),
		visible(`#map[data-selected="31135@2025"]`),
		chromedp.KeyEvent(kb.Escape),
		visible(`#map[data-selected="92"]`))

	// The table lists the communes; sorted by coverage; the whole page is kept as a screenshot.
	if n := evalJS[int](t, bctx, `document.querySelectorAll('#area-table tbody tr.top').length`); n != 103 {
		t.Errorf("the table has %d rows, want the 103 communes", n)
	}
	do("sort by programme coverage", chromedp.Click(chromedp.CSS(`#area-table button[data-sort="coverage"]`)), visible(`#area-table th[aria-sort="ascending"]`))
	covs := evalJS[[]float64](t, bctx, `Array.from(document.querySelectorAll('#area-table tr.top td.coverage')).map(td => parseFloat(td.textContent.replace(/\./g, '').replace(',', '.')))`)
	if len(covs) != 103 || !sort.Float64sAreSorted(covs) {
		t.Errorf("communes sorted by coverage: %d, sorted %v", len(covs), sort.Float64sAreSorted(covs))
	}
	save("dashboard-1366x768-full-page.png", true)

	// Before the reform: 2024 of the 2021-2025 programme is the old city's districts and wards,
	// and 31147 is Phường Hưng Lợi again.
	do("choose the 2021-2025 programme",
		chromedp.SetValue(chromedp.CSS(`#programme`), "KH237-2021-2025"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#programme').dispatchEvent(new Event('change', {bubbles: true}))`),
		visible(`#map[data-state="ready"][data-programme="KH237-2021-2025"]`),
		chromedp.SetValue(chromedp.CSS(`#year`), "2024"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#year').dispatchEvent(new Event('change', {bubbles: true}))`),
		visible(`#map[data-state="ready"][data-programme="KH237-2021-2025"][data-year="2024"]`))
	if got := evalJS[string](t, bctx, `Array.from(document.querySelectorAll('#levels button')).map(b => b.id).join(' ')`); got != "level-district level-ward" {
		t.Errorf("2024's levels: %q, want the districts and the wards", got)
	}
	if n := evalJS[int](t, bctx, `document.querySelectorAll('#area-table tbody tr.top').length`); n != 9 {
		t.Errorf("2024's table has %d districts, want the old city's 9", n)
	}
	pairs += checkSameFigures(t, bctx, figs, "KH237-2021-2025", 2024, []string{"", evalJS[string](t, bctx, firstUnit)})
	do("switch to the ward map", chromedp.Click(chromedp.CSS(`#level-ward`)), visible(`#map[data-level="ward"]`))
	checkUnits(t, models.AreaLevelWard, wards, evalJS[[]drawnArea](t, bctx, readAreas), "")
	do("open Hưng Lợi", clickUnit("31147"), visible(`#map[data-selected="31147"]`))
	if area := text(`#kpi-area`); area != "Phường Hưng Lợi" {
		t.Errorf("in 2024, 31147 reads %q, want Phường Hưng Lợi", area)
	}
	// The drill-down's wards carry their estimates too, from the same answer.
	subs := checkPrevalence(t, bctx, m, "KH237-2021-2025", 2024, "vi", `#area-table tbody tr.sub`)
	t.Logf("2024: the estimates of the wards of the open district: %v", subs)
	shot("dashboard-1366x768-2024-wards.png")
	do("back to the city", chromedp.Click(chromedp.CSS(`#breadcrumb li:first-child button`)), visible(`#map[data-selected="92"]`))

	// The finished 2021-2025 programme, in its last year: full coverage in every commune of
	// its territory (the old city's), on the units in force at the year's end, with the note.
	do("choose 2025",
		chromedp.SetValue(chromedp.CSS(`#year`), "2025"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#year').dispatchEvent(new Event('change', {bubbles: true}))`),
		visible(`#map[data-state="ready"][data-programme="KH237-2021-2025"][data-year="2025"]`))
	if v, fig := attr(`#kpi-programme`, "data-value"), text(`#kpi-programme-figure`); v != "100" || fig != "100%" {
		t.Errorf("the 2021-2025 programme shows coverage %q (data-value %q), want 100%%", fig, v)
	}
	if note := text(`#units-note`); !strings.Contains(note, "01/07/2025") {
		t.Errorf("2025 spans the reorganisation, but the note reads %q", note)
	}
	checkUnits(t, models.AreaLevelCommune, oldCity, evalJS[[]drawnArea](t, bctx, readAreas), "100")
	pairs += checkSameFigures(t, bctx, figs, "KH237-2021-2025", 2025, []string{"", evalJS[string](t, bctx, firstUnit)})
	if pairs < 5 {
		t.Errorf("%d (period, unit) pairs compared, want at least 5", pairs)
	}
	t.Logf("the dashboard, the API and the workbook agree on %d figures for %d (period, unit) pairs", pairs*len(sameFigureMeasures), pairs)
	// Under full coverage no business is "never inspected": those opened within the grace period
	// before the deadline have a legend line of their own.
	if n := evalJS[int](t, bctx, `document.querySelectorAll('#map circle.pt.never_inspected').length`); n != 0 {
		t.Errorf("%d businesses never inspected under 100%% coverage", n)
	}
	if evalJS[int](t, bctx, `document.querySelectorAll('#map circle.pt.newly_opened').length`) > 0 {
		if label := text(`#legend li[data-status="newly_opened"] .lg-label`); label != "Mới mở, chưa phải kiểm tra" {
			t.Errorf("the newly opened businesses' legend reads %q", label)
		}
	}
	t.Logf("2021-2025 in 2025: programme coverage %s, %s", text(`#kpi-programme-figure`), strings.Join(strings.Fields(text(`#on-track`)), " "))
	shot("dashboard-1366x768-2021-2025.png")

	// Back to this year's programme coloured by this year's progress, at tablet sizes.
	do("choose this year's programme",
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector('#programme'); s.value = s.options[0].value; s.dispatchEvent(new Event('change', {bubbles: true})); })()`),
		visible(`#map[data-state="ready"]:not([data-programme="KH237-2021-2025"])`),
		chromedp.Click(chromedp.CSS(`#metric-progress`)),
		visible(`#map[data-metric="progress"]`))
	for _, size := range []struct{ w, h int64 }{{1024, 768}, {768, 1024}} {
		do("resize", chromedp.EmulateViewport(size.w, size.h), chromedp.Sleep(300*time.Millisecond))
		if evalJS[bool](t, bctx, `document.documentElement.scrollWidth > window.innerWidth + 1`) {
			t.Errorf("at %dx%d the page is wider than the screen", size.w, size.h)
		}
		shot(fmt.Sprintf("dashboard-tablet-%dx%d.png", size.w, size.h))
	}
	// The yearly plans: the 2027 plan waits for today's draw.
	checkSanctionsCard(t, bctx, m)
	checkTargetsPanel(t, bctx, m, out)
	checkPlansPanel(t, bctx, m, out)

	// English on request.
	do("switch to English", chromedp.Click(chromedp.CSS(`.user .lang-switch`)))
	if title := text(`#plans-title`); title != "Yearly inspection plans" {
		t.Errorf("in English the plans panel is titled %q", title)
	}
	if title := text(`#kpi-year h3`); !strings.HasSuffix(title, "target") {
		t.Errorf("in English the yearly target is titled %q", title)
	}
	if label := attr(`section.side`, "aria-label"); label != "Progress against the targets" {
		t.Errorf("in English the side panel is labelled %q", label)
	}
	do("back to the office screen", chromedp.EmulateViewport(1366, 768), chromedp.Sleep(300*time.Millisecond))
	if a := text(`#user-agency`); a != "Can Tho Department of Health" {
		t.Errorf("in English the planner's agency reads %q", a)
	}
	if a := text(`#kpi-lead`); a != "Lead agency: Can Tho Department of Health" {
		t.Errorf("in English the programme's lead reads %q", a)
	}
	shot("dashboard-1366x768-en.png")
	seen = checkPrevalence(t, bctx, m, attr(`#map`, "data-programme"), thisYear, "en", `#area-table tbody tr.top, #area-table tfoot tr.total`)
	if seen[scheduler.QualityOK] == 0 || seen[scheduler.QualityLow] == 0 || seen[scheduler.QualitySuppressed] == 0 {
		t.Errorf("in English the table's estimates by quality: %v, want some of each", seen)
	}
	if ci := text(`#kpi-prevalence .kpi-side`); !strings.HasPrefix(ci, "95% CI: ") {
		t.Errorf("in English the city's interval reads %q", ci)
	}
	do("the estimates in English at 1280x800", chromedp.EmulateViewport(1280, 800), chromedp.Sleep(300*time.Millisecond))
	// English headings are wider: the table scrolls sideways in its box; the shot shows its end.
	evalJS[chromedp.Void](t, bctx, `(() => { document.querySelector('#table-panel').scrollIntoView({block: 'start'}); const w = document.querySelector('#table-panel .table-wrap'); w.scrollLeft = w.scrollWidth; })()`)
	screenshot(t, bctx, out, "dashboard-1280x800-prevalence-en.png", chromedp.CaptureScreenshot())

	if errs := scriptErrors(); len(errs) > 0 {
		t.Errorf("script errors in the page:\n%s", strings.Join(errs, "\n"))
	}
	csp.check(t)
}

// evalJS evaluates a JavaScript expression in the page and decodes its value.
func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func isPercentage(s string) bool {
	v, err := strconv.ParseFloat(s, 64)
	return err == nil && v >= 0 && v <= 100
}

// checkUnits checks that the map draws exactly units, at level, each with its figures (and the
// coverage want, when set).
func checkUnits(t *testing.T, level string, wards []*models.Area, drawn []drawnArea, want string) {
	t.Helper()
	seen := map[string]drawnArea{}
	for _, d := range drawn {
		if d.Level != level {
			t.Errorf("area %s drawn at level %q on the %s map", d.Code, d.Level, level)
			continue
		}
		if _, dup := seen[d.Code]; dup {
			t.Errorf("unit %s drawn twice", d.Code)
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
		if !isPercentage(d.Coverage) {
			t.Errorf("unit %s (%s): data-coverage %q is not a percentage", w.Code, w.Name, d.Coverage)
		}
		if !isPercentage(d.Progress) {
			t.Errorf("unit %s (%s): data-progress %q is not a percentage", w.Code, w.Name, d.Progress)
		}
		if want != "" && d.Coverage != want {
			t.Errorf("unit %s (%s): coverage %s%%, want %s%%", w.Code, w.Name, d.Coverage, want)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d of %d units are not drawn: %s", len(missing), len(wards), strings.Join(missing, ", "))
	}
	if len(seen) != len(wards) {
		t.Errorf("%d units drawn, the demo has %d", len(seen), len(wards))
	}
}

// shownEstimate is one cell of the table's estimated prevalence column as the page drew it.
type shownEstimate struct {
	Code    string `json:"code"`
	Quality string `json:"quality"`
	Value   string `json:"value"`
	Text    string `json:"text"`
	Title   string `json:"title"`
}

// prevalenceTexts are the words the page marks the estimates with, in one language.
type prevalenceTexts struct {
	low, suppressed, legend string
}

var prevalenceWords = map[string]prevalenceTexts{
	"vi": {low: "Ít mẫu: khoảng tin cậy rộng, chỉ mang tính tham khảo", suppressed: "(dưới 5 cơ sở được kiểm tra)",
		legend: "mẫu ngẫu nhiên của kế hoạch năm (có trọng số theo xác suất được chọn), không phải từ tất cả các lượt kiểm tra"},
	"en": {low: "Few sample businesses: a wide interval, for reference only", suppressed: "(fewer than 5 inspected)",
		legend: "the year plan's random sample (weighted by the chance of selection), not from all inspections"},
}

// checkPrevalence checks the table's estimated prevalence against GET /coverage for the year on
// screen: each row's quality is the server's, an ok figure is printed as it is, a low one with
// the mark and its tooltip, a suppressed one as a dash with the reason and no figure; the legend
// says where the figures come from. It returns how many rows of each quality it saw. It signs
// in afresh: the test's clock may have moved past an earlier token's life.
func checkPrevalence(t *testing.T, ctx context.Context, m *Main, programme string, year int, lang, rows string) map[string]int {
	t.Helper()
	f := newFigureSource(t, m)
	var cov struct {
		Area       string             `json:"area"`
		Prevalence *report.Prevalence `json:"prevalence"`
	}
	if code := apiCall(t, f.m, "GET", fmt.Sprintf("/api/v1/coverage?programme=%s&year=%d", programme, year), "", f.token, &cov); code != 200 || cov.Prevalence == nil {
		t.Fatalf("coverage %s %d: %d, prevalence %v", programme, year, code, cov.Prevalence)
	}
	words := prevalenceWords[lang]
	sel := strings.Split(rows, ",")
	for i := range sel {
		sel[i] = strings.TrimSpace(sel[i]) + " td.prevalence"
	}
	shown := evalJS[[]shownEstimate](t, ctx, fmt.Sprintf(`Array.from(document.querySelectorAll(%q)).map(td => ({
		code: td.parentElement.dataset.code, quality: td.dataset.quality, value: td.dataset.value,
		text: td.textContent, title: td.firstElementChild ? td.firstElementChild.title : ''}))`, strings.Join(sel, ", ")))
	if len(shown) == 0 {
		t.Fatalf("no estimated prevalence in %s", rows)
	}
	seen := map[string]int{}
	for _, s := range shown {
		e := cov.Prevalence.Units[s.Code]
		if s.Code == cov.Area {
			e = cov.Prevalence.Total
		}
		want := "none"
		if e != nil {
			want = e.Quality
		}
		seen[s.Quality]++
		if s.Quality != want {
			t.Errorf("%s: the page shows quality %q, the API %q", s.Code, s.Quality, want)
			continue
		}
		switch want {
		case scheduler.QualityOK, scheduler.QualityLow:
			v, err := strconv.ParseFloat(s.Value, 64)
			if err != nil || math.Abs(v-e.Share) > 1e-9 || !regexp.MustCompile(`^\d{1,3}([.,]\d)?%`).MatchString(s.Text) {
				t.Errorf("%s (%s): shows %q (value %q), the API's share is %v", s.Code, want, s.Text, s.Value, e.Share)
			}
			if marked := strings.Contains(s.Text, "*"); marked != (want == scheduler.QualityLow) || (want == scheduler.QualityLow) != (s.Title == words.low) {
				t.Errorf("%s (%s): %q titled %q: a low figure, and only it, carries the mark and the tooltip %q", s.Code, want, s.Text, s.Title, words.low)
			}
		case scheduler.QualitySuppressed:
			if s.Value != "" || strings.Contains(s.Text, "%") || !strings.HasPrefix(s.Text, "—") || !strings.Contains(s.Text, words.suppressed) {
				t.Errorf("%s (suppressed): shows %q (value %q), want a dash and %q, no figure", s.Code, s.Text, s.Value, words.suppressed)
			}
		default:
			if strings.TrimSpace(s.Text) != "—" {
				t.Errorf("%s (no sample): shows %q", s.Code, s.Text)
			}
		}
	}
	if legend := evalJS[string](t, ctx, `document.querySelector('#prevalence-legend').textContent`); !strings.Contains(legend, words.legend) || !strings.Contains(legend, "*") || !strings.Contains(legend, "—") {
		t.Errorf("the legend reads %q, want it to say %q and explain the mark * and the dash —", legend, words.legend)
	}
	return seen
}
