package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"kiemtra/demo"
	"kiemtra/models"
	"kiemtra/report"
)

// TestDashboardReportsInHeadlessChromium signs in as the demo planner and, from the reports
// panel, downloads the 2023 report of the previous programme (2021-2025) among the periods the
// server lists for it, then pages the kept reports under a programme and period filter and
// narrows them to a district, each page as the API gives it; at office size and at 360 px.
func TestDashboardReportsInHeadlessChromium(t *testing.T) {
	chromium := chromiumFor(t, "the dashboard's reports test")
	out := artifactsDir(t)
	m := startDemo(t, nil)
	ctx := context.Background()
	// The reports of 2021's first half, kept as the nightly job keeps them: the city's two
	// quarters and half-year and each district's half-year, as workbooks and CSV files.
	started := time.Now()
	res, err := (&report.ArchiveJob{Service: m.Reports()}).Run(ctx, time.Date(2021, 7, 2, 9, 0, 0, 0, m.Config.Location()))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("report archive: %s (%d ms)", res, time.Since(started).Milliseconds())
	old, err := m.DB().FindProgrammeByID(ctx, "KH237-2021-2025")
	if err != nil {
		t.Fatal(err)
	}
	_, total, err := m.Reports().Archived(ctx, models.ArchiveFilter{})
	if err != nil {
		t.Fatal(err)
	}
	h1 := models.ArchiveFilter{ProgrammeID: old.ID, Period: "2021-H1"}
	_, h1Total, err := m.Reports().Archived(ctx, h1)
	if err != nil || total < 12 || h1Total <= 10 || h1Total > 20 {
		t.Fatalf("the archive holds %d files, %d of 2021-H1 (%v); the test pages 2021-H1 by 10", total, h1Total, err)
	}
	_, periods, err := m.Reports().Periods(ctx, old.Code)
	if err != nil {
		t.Fatal(err)
	}
	downloads := t.TempDir()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("lang", "vi-VN"), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1366, 768))
	// Generous bounds: under the race detector a load of the merged city's figures takes about
	// ten seconds, and the 2023 report about as long; each step has a minute of its own.
	tctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(tctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	var mu sync.Mutex
	var jsErrors []string
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
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, stop := context.WithTimeout(bctx, time.Minute)
		defer stop()
		if err := chromedp.Do(sctx, actions...); err != nil {
			if png, serr := chromedp.Run(bctx, chromedp.FullScreenshot(100)); serr == nil {
				path := filepath.Join(out, "dashboard-reports-failure.png")
				if os.WriteFile(path, png, 0o644) == nil {
					t.Logf("screenshot of the failure: %s", path)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			t.Fatalf("%s: %v (script errors: %q)", what, err, jsErrors)
		}
	}
	visible := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.WaitVisible(chromedp.CSS(sel)) }
	ready := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.WaitReady(chromedp.CSS(sel)) }
	text := func(sel string) string {
		t.Helper()
		return strings.TrimSpace(evalJS[string](t, bctx, fmt.Sprintf(`(document.querySelector(%q) || {textContent: ''}).textContent`, sel)))
	}
	choose := func(sel, value string, then chromedp.Action[chromedp.Void]) {
		t.Helper()
		// In one step: the panel may draw the select again between two.
		do("choose "+value+" in "+sel,
			ready(sel+` option[value="`+value+`"]`),
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const s = document.querySelector(%q); s.value = %q; s.dispatchEvent(new Event('change', {bubbles: true})); })()`, sel, value)),
			then)
	}
	// shotPanel keeps a screenshot of the reports panel.
	shotPanel := func(name string) {
		t.Helper()
		sctx, stop := context.WithTimeout(bctx, time.Minute)
		defer stop()
		if err := chromedp.Do(sctx, chromedp.ScrollIntoView(chromedp.CSS(`#reports-panel`))); err != nil {
			t.Fatalf("scroll to the panel: %v", err)
		}
		screenshot(t, sctx, out, name, chromedp.Screenshot(chromedp.CSS(`#reports-panel`)))
	}
	// shownFiles lists the kept files the page shows, in order.
	shownFiles := func() []string {
		t.Helper()
		return evalJS[[]string](t, bctx, `Array.from(document.querySelectorAll('#archive-list button[data-file]')).map(b => b.dataset.file)`)
	}
	// apiFiles lists the files of the API's page under the filter, in the page's order (the
	// workbook before the CSV file of each report, as the page groups them).
	apiFiles := func(f models.ArchiveFilter) []string {
		t.Helper()
		items, _, err := m.Reports().Archived(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		order := map[string]int{}
		for _, a := range items {
			key := a.ProgrammeID + "|" + a.Period + "|" + a.AreaCode
			if _, ok := order[key]; !ok {
				order[key] = len(order)
			}
		}
		groups := make([][]string, len(order))
		for _, a := range items {
			i := order[a.ProgrammeID+"|"+a.Period+"|"+a.AreaCode]
			if a.Format == report.FormatXLSX {
				groups[i] = append([]string{a.FileName}, groups[i]...)
			} else {
				groups[i] = append(groups[i], a.FileName)
			}
		}
		for _, g := range groups {
			names = append(names, g...)
		}
		return names
	}

	do("start the browser", chromedp.Navigate("about:blank"))
	if _, err := chromedp.CallBrowser(bctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads}); err != nil {
		t.Fatalf("allow downloads: %v", err)
	}
	started = time.Now()
	do("sign in as the planner",
		chromedp.EmulateViewport(1366, 768),
		chromedp.Navigate("http://"+m.Addr()+"/dashboard/"),
		chromedp.SendKeys(chromedp.CSS(`#username`), "planner"),
		chromedp.SendKeys(chromedp.CSS(`#password`), demo.Password),
		chromedp.Click(chromedp.CSS(`#login-submit`)),
		visible(`#map[data-state="ready"]`),
		visible(`#reports-panel`),
		ready(`#report-period option[value="2026"]`))
	t.Logf("signed in, map drawn and the periods listed in %d ms", time.Since(started).Milliseconds())
	// The report's programme is the one on screen; its periods are the server's.
	if p := evalJS[string](t, bctx, `document.querySelector('#report-programme').value`); p != "PCMD-2026-2030" {
		t.Errorf("the report's programme is %q, want the one on screen", p)
	}

	// The previous programme: every period the server lists for it, newest first, closed.
	choose(`#report-programme`, old.Code, ready(`#report-period option[value="2021-Q1"]`))
	offered := evalJS[[]string](t, bctx, `Array.from(document.querySelectorAll('#report-period option')).map(o => o.value + ':' + o.dataset.closed)`)
	var want []string
	for _, p := range periods {
		want = append(want, fmt.Sprintf("%s:%v", p.Period, p.Closed))
	}
	if strings.Join(offered, " ") != strings.Join(want, " ") || len(offered) != 5*7 {
		t.Errorf("the 2021-2025 programme offers %v, want the server's %v", offered, want)
	}
	// 2023, on the units of its end: the city, its districts and their wards.
	choose(`#report-period`, "2023", ready(`#report-area option[data-level="ward"]`))
	if got := text(`#report-period option:checked`); got != "Năm 2023" {
		t.Errorf("2023 reads %q", got)
	}
	if n := evalJS[int](t, bctx, `document.querySelectorAll('#report-area option[data-level="district"]').length`); n != 9 {
		t.Errorf("2023 offers %d districts, want the old city's 9", n)
	}
	started = time.Now()
	do("download the 2023 report",
		chromedp.Click(chromedp.CSS(`#report-download`)),
		visible(`#report-status[data-state="done"]`))
	t.Logf("the 2023 report made and downloaded in %d ms", time.Since(started).Milliseconds())
	if s := text(`#report-status`); s != "Đã tải báo cáo năm 2023." {
		t.Errorf("after the download the panel says %q", s)
	}
	file := filepath.Join(downloads, "bao-cao-kiem-tra_2023_92.xlsx")
	var content []byte
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if content, err = os.ReadFile(file); err == nil && len(content) > 0 {
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(downloads)
			t.Fatalf("no %s downloaded (the folder holds %v)", file, entries)
		}
	}
	wb, err := excelize.OpenReader(bytes.NewReader(content))
	if err != nil {
		t.Fatalf("the download is not a workbook: %v", err)
	}
	props, err := wb.GetDocProps()
	wb.Close()
	if err != nil || !strings.Contains(props.Title, "Năm 2023") || props.Subject != old.Name {
		t.Errorf("the workbook is titled %q on %q (%v), want 2023 of %q", props.Title, props.Subject, err, old.Name)
	}
	shotPanel("dashboard-reports-1366x768.png")

	// The kept reports, ten a page: the programme and 2021's first half, page by page as the API
	// gives them.
	do("wait for the kept reports", ready(`#archive-list button[data-file]`))
	if got, want := text(`#archive-range`), fmt.Sprintf("1–%d trong %d tệp", min(total, 50), total); got != want {
		t.Errorf("the archive's first page reads %q, want %q", got, want)
	}
	choose(`#archive-limit`, "10", visible(`#archive-range`))
	do("wait for ten a page", chromedp.Poll[chromedp.Void](`document.querySelector('#archive-range').textContent.startsWith('1–10 ')`, chromedp.WithPollingTimeout(time.Minute)))
	choose(`#archive-programme`, old.Code, ready(`#archive-period option[value="2021-H1"]`))
	choose(`#archive-period`, "2021-H1", ready(`#archive-list tr[data-period="2021-H1"]`))
	do("wait for the filtered page", chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelector('#archive-range').textContent === '1–10 trong %d tệp'`, h1Total), chromedp.WithPollingTimeout(time.Minute)))
	page := h1
	page.Limit = 10
	if got, want := shownFiles(), apiFiles(page); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("the first page shows %v, the API %v", got, want)
	}
	if evalJS[bool](t, bctx, `!document.querySelector('#archive-prev').disabled || document.querySelector('#archive-next').disabled`) {
		t.Error("on the first page 'previous' is enabled or 'next' disabled")
	}
	do("next page",
		chromedp.Click(chromedp.CSS(`#archive-next`)),
		chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelector('#archive-range').textContent === '11–%d trong %d tệp'`, h1Total, h1Total), chromedp.WithPollingTimeout(time.Minute)))
	page.Offset = 10
	if got, want := shownFiles(), apiFiles(page); strings.Join(got, " ") != strings.Join(want, " ") || len(got) != h1Total-10 {
		t.Errorf("the second page shows %v, the API %v", got, want)
	}
	if evalJS[bool](t, bctx, `document.querySelector('#archive-prev').disabled || !document.querySelector('#archive-next').disabled`) {
		t.Error("on the last page 'previous' is disabled or 'next' enabled")
	}
	if n := evalJS[int](t, bctx, `document.querySelectorAll('#archive-list tr[data-period]:not([data-period="2021-H1"])').length`); n != 0 {
		t.Errorf("%d reports of other periods under the 2021-H1 filter", n)
	}
	shotPanel("dashboard-reports-archive-1366x768.png")

	// A district: its own half-year, the workbook and the CSV file, back on the first page.
	district := evalJS[string](t, bctx, `document.querySelector('#archive-area option[data-level="district"]').value`)
	choose(`#archive-area`, district, chromedp.Poll[chromedp.Void](`document.querySelector('#archive-range').textContent === '1–2 trong 2 tệp'`, chromedp.WithPollingTimeout(time.Minute)))
	page = h1
	page.Area, page.Limit = district, 10
	if got, want := shownFiles(), apiFiles(page); strings.Join(got, " ") != strings.Join(want, " ") || len(got) != 2 {
		t.Errorf("district %s shows %v, the API %v", district, got, want)
	}

	// A phone's width: the panel fits, its filters above the list.
	do("narrow the screen", chromedp.EmulateViewport(360, 740), chromedp.Sleep(300*time.Millisecond))
	if wide := evalJS[bool](t, bctx, `(() => { const p = document.querySelector('#reports-panel'); return p.scrollWidth > p.clientWidth + 1 || p.getBoundingClientRect().right > window.innerWidth + 1; })()`); wide {
		t.Error("at 360 px the reports panel is wider than the screen")
	}
	shotPanel("dashboard-reports-360x740.png")

	// English on request.
	do("switch to English", chromedp.EmulateViewport(1366, 768), chromedp.Click(chromedp.CSS(`.user .lang-switch`)), chromedp.Sleep(200*time.Millisecond))
	if got := text(`#archive-range`); got != "1–2 of 2 files" {
		t.Errorf("in English the range reads %q", got)
	}
	if got := text(`#report-period option:checked`); got != "Year 2023" {
		t.Errorf("in English 2023 reads %q", got)
	}
	if got := text(`#report-status`); got != "Report for year 2023 downloaded." {
		t.Errorf("in English the download's state reads %q", got)
	}
	shotPanel("dashboard-reports-en-1366x768.png")

	mu.Lock()
	defer mu.Unlock()
	if len(jsErrors) > 0 {
		t.Errorf("script errors: %q", jsErrors)
	}
}
