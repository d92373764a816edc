package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"kiemtra/auth"
	"kiemtra/models"
	"kiemtra/reorg/reorgtest"
)

// reformDataDir is a data directory holding the small city of reorgtest (its 2021 map
// reorganised on 1 July 2025) and a city-wide planner.
func reformDataDir(t *testing.T, password string) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := openStore(ctx, dataDirConfig(dir), 4)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	reorgtest.Build(t, db)
	hash, err := auth.HashPassword(password, auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, "t", &models.User{Username: "planner", DisplayName: "Cán bộ kế hoạch", Role: models.RolePlanner, Agency: models.AgencyHealth,
		AreaCode: reorgtest.Root, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestDashboardAcrossTheReform shows, on a city whose units were reorganised on 1 July 2025,
// that the dashboard draws and tabulates each year's own units with the level names of the
// data: 2026 on the communes (one level, no level switch), 2025 on the communes with the note
// that earlier figures are attributed through each business's unit at the year's end, and 2024
// on the districts and wards of the 2021 map, 31147 being Hưng Lợi there and Tân An in 2026.
func TestDashboardAcrossTheReform(t *testing.T) {
	browser := chromiumFor(t, "the dashboard's reform test")
	const password = "Mật-khẩu-thử-2026"
	m := startIn(t, reformDataDir(t, password), reorgtest.Today, nil)

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("lang", "vi-VN"), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 800))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	var mu sync.Mutex
	var jsErrors []string
	if err := chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok && e.ExceptionDetails != nil {
			mu.Lock()
			jsErrors = append(jsErrors, e.ExceptionDetails.Text)
			if e.ExceptionDetails.Exception != nil {
				jsErrors = append(jsErrors, e.ExceptionDetails.Exception.Description)
			}
			mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("start the browser: %v", err)
	}
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, stop := context.WithTimeout(bctx, 15*time.Second)
		defer stop()
		if err := chromedp.Do(sctx, actions...); err != nil {
			if png, serr := chromedp.Run(bctx, chromedp.CaptureScreenshot()); serr == nil {
				path := filepath.Join(artifactsDir(t), "dashboard-reform-failure.png")
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
	drawn := func() string {
		t.Helper()
		return evalJS[string](t, bctx, `Array.from(document.querySelectorAll('#map path[data-code]')).map(p => p.dataset.code + ':' + p.dataset.level).join(' ')`)
	}
	tableRows := func() string {
		t.Helper()
		return evalJS[string](t, bctx, `Array.from(document.querySelectorAll('#area-table tbody tr')).map(r => r.className.split(' ')[0] + ':' + r.querySelector('th').textContent.trim()).join(' | ')`)
	}
	choose := func(sel, value, ready string) {
		t.Helper()
		do("choose "+value,
			chromedp.SetValue(chromedp.CSS(sel), value),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('`+sel+`').dispatchEvent(new Event('change', {bubbles: true}))`),
			visible(ready))
	}

	do("sign in",
		chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate("http://"+m.Addr()+"/dashboard/"),
		chromedp.SendKeys(chromedp.CSS(`#username`), "planner"),
		chromedp.SendKeys(chromedp.CSS(`#password`), password),
		chromedp.Click(chromedp.CSS(`#login-submit`)),
		visible(`#map[data-state="ready"][data-year="2026"]`))

	// 2026: the communes, one level, no switch between levels, no note.
	if got := drawn(); got != "31147@2025:commune 31150:commune 31441:commune" {
		t.Errorf("2026 draws %s", got)
	}
	if got := tableRows(); got != "top:Phường Tân An | top:Xã Phong Điền | top:Xã Hòa An" {
		t.Errorf("2026's table: %s", got)
	}
	if evalJS[bool](t, bctx, `!document.querySelector('#levels').hidden || !document.querySelector('#units-note').hidden`) {
		t.Error("2026 shows a level switch or a note")
	}

	// 2025 in the old city's programme: the communes of its end that came from the old city, and
	// the note.
	choose(`#programme`, "KH-2021-2025", `#map[data-state="ready"][data-programme="KH-2021-2025"][data-year="2025"]`)
	if got := drawn(); got != "31147@2025:commune 31150:commune" {
		t.Errorf("2025 draws %s", got)
	}
	if note := evalJS[string](t, bctx, `document.querySelector('#units-note').hidden ? '' : document.querySelector('#units-note').textContent`); !strings.Contains(note, "sắp xếp lại từ ngày 01/07/2025") {
		t.Errorf("2025's note reads %q", note)
	}

	// 2024: the 2021 map, districts then wards, named from the data.
	choose(`#year`, "2024", `#map[data-state="ready"][data-year="2024"]`)
	if got := drawn(); got != "D1:district D2:district" {
		t.Errorf("2024 draws %s", got)
	}
	if got := evalJS[string](t, bctx, `Array.from(document.querySelectorAll('#levels button')).map(b => b.id + '=' + b.textContent).join(' ')`); got != "level-district=Huyện/Quận level-ward=Phường/Xã" {
		t.Errorf("2024's levels: %s", got)
	}
	do("open Ninh Kiều in the table", chromedp.Click(chromedp.CSS(`#area-table button[data-toggle="D1"]`)), visible(`#area-table tr.top[data-code="D1"] + tr.sub`))
	if got := tableRows(); got != "top:▾Quận Ninh Kiều | sub:Phường Hưng Lợi | sub:Phường An Khánh | top:▸Huyện Phong Điền" {
		t.Errorf("2024's table: %s", got)
	}
	do("draw the wards", chromedp.Click(chromedp.CSS(`#level-ward`)), visible(`#map[data-level="ward"]`))
	if got := drawn(); got != "31147:ward 31149:ward 31300:ward" {
		t.Errorf("2024's wards: %s", got)
	}
	do("open Hưng Lợi", chromedp.Click(chromedp.CSS(`#map path[data-code="31147"]`)), visible(`#map[data-selected="31147"]`))
	if area, kind := evalJS[string](t, bctx, `document.querySelector('#kpi-area').textContent`), evalJS[string](t, bctx, `document.querySelector('#kpi-level').textContent`); area != "Phường Hưng Lợi" || kind != "Phường" {
		t.Errorf("31147 in 2024 is %q (%q)", area, kind)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(jsErrors) > 0 {
		t.Errorf("script errors: %q", jsErrors)
	}
}
