package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/models"
)

// TestVerifyPageInHeadlessChromium opens a plan's public verification page as an outsider
// would, without signing in, on a tiny database: before the reveal it shows the hashes and says
// the seed is not revealed; after it, the seed and the bundle's link, whose file `kiemtra
// verify-plan` re-derives. Nothing is refused by the page's policy.
func TestVerifyPageInHeadlessChromium(t *testing.T) {
	browser := chromiumFor(t, "the verification page test")
	out := artifactsDir(t)
	cfg := DefaultConfig()
	clock := newTestClock(models.NewDate(2026, 3, 2), cfg.Location())
	m := startAt(t, t.TempDir(), clock, nil)
	ctx := context.Background()
	p := func(s string) *string { return &s }
	areas := []*models.Area{{Code: "V0", Name: "Thành phố thử", Level: models.AreaLevelCity}}
	for _, w := range []string{"V1", "V2"} {
		areas = append(areas, &models.Area{Code: w, ParentCode: p("V0"), Name: "Phường " + w, Level: models.AreaLevelWard})
	}
	if err := m.db.UpsertAreas(ctx, "t", areas); err != nil {
		t.Fatal(err)
	}
	var bs []*models.Business
	for i := 0; i < 20; i++ {
		bs = append(bs, &models.Business{Name: fmt.Sprintf("Karaoke %d", i), Category: "karaoke", LicenceNo: p(fmt.Sprintf("V%03d", i)), Lat: 10, Lon: 105,
			AreaCode: []string{"V1", "V2"}[i%2], Status: models.BusinessActive, OpenedOn: models.NewDate(2018, 1, 1)})
	}
	if err := m.db.CreateBusinesses(ctx, "t", bs); err != nil {
		t.Fatal(err)
	}
	if err := m.db.CreateTeam(ctx, "t", &models.Team{Name: "Tổ thử", Level: models.TeamLevelDistrict, AreaCode: "V0", BaseLat: 10, BaseLon: 105, WeeklyCapacity: 8}); err != nil {
		t.Fatal(err)
	}
	prog := &models.Programme{Code: "VP", Name: "Chương trình thử 2026-2030", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31), RootAreaCode: p("V0")}
	if err := m.planner.CreateProgramme(ctx, "planner", prog); err != nil {
		t.Fatal(err)
	}
	committed, err := m.planner.DraftPlan(ctx, "planner", prog.ID, 2026, models.DraftOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The draw's evening: the planner enters its result.
	clock.Set(committed.DrawDate.Time(cfg.Location()).Add(18 * time.Hour))
	plan, err := m.planner.DrawPlan(ctx, "planner", committed.ID, "123456")
	if err != nil {
		t.Fatal(err)
	}
	items, err := m.db.FindPlanItems(ctx, plan.ID)
	if err != nil || len(items) == 0 {
		t.Fatalf("draw: %v, %d items", err, len(items))
	}

	bctxTimeout, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(bctxTimeout, append(appBrowserOptions(browser, t.TempDir()), chromedp.Flag("accept-lang", "vi-VN,vi"))...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start the browser: %v", err)
	}
	csp := watchCSP(t, bctx)
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, stop := context.WithTimeout(bctx, 15*time.Second)
		defer stop()
		if err := chromedp.Do(sctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
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
	shot := func(name string) {
		t.Helper()
		screenshot(t, bctx, out, name, chromedp.FullScreenshot(100))
	}
	page := "http://" + m.Addr() + "/verify/" + plan.ID

	do("open the page before the reveal", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#not-revealed`)))
	if h1 := text(`h1`); h1 != "Kiểm chứng kế hoạch kiểm tra năm 2026" {
		t.Errorf("the title reads %q", h1)
	}
	if got := text(`#seed-sha256`); got != plan.SeedSHA256 {
		t.Errorf("the page shows the seed hash %q, want %q", got, plan.SeedSHA256)
	}
	if got := text(`#secret-sha256`); got != plan.SecretSHA256 {
		t.Errorf("the page shows the secret's hash %q, want %q", got, plan.SecretSHA256)
	}
	if got := text(`#draw-result`); !strings.HasPrefix(got, "123456") {
		t.Errorf("the page shows the draw result %q", got)
	}
	if got := text(`#total`); !strings.HasPrefix(got, fmt.Sprint(len(items))) {
		t.Errorf("the page counts %q selected, want %d", got, len(items))
	}
	if bg := evalJS[string](t, bctx, `getComputedStyle(document.querySelector('#not-revealed')).backgroundColor`); bg != "rgb(255, 246, 220)" {
		t.Errorf("the page's style did not apply (notice background %s)", bg)
	}
	shot("verify-before-reveal-1280x800.png")

	if _, err := m.planner.Reveal(ctx, "admin", plan.ID, true); err != nil {
		t.Fatal(err)
	}
	do("open the page after the reveal", chromedp.EmulateViewport(360, 640), chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(`#bundle`)))
	if got := text(`#seed`); got != plan.Seed {
		t.Errorf("the page shows the seed %q", got)
	}
	if cmd := text(`#command`); !strings.HasPrefix(cmd, "kiemtra verify-plan ") {
		t.Errorf("the command reads %q", cmd)
	}
	shot("verify-after-reveal-360x640.png")
	// What the link downloads is what verify-plan checks.
	bundle := awaitJS[string](t, bctx, `fetch(document.querySelector('#bundle').href).then(r => r.text())`)
	file := filepath.Join(t.TempDir(), "bundle.json")
	if err := os.WriteFile(file, []byte(bundle), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runCLI(t, nil, "verify-plan", file); code != 0 || !strings.Contains(stdout, "khớp / matches") {
		t.Fatalf("verify-plan on the downloaded bundle: exit %d\n%s%s", code, stdout, stderr)
	}
	do("switch to English", chromedp.Click(chromedp.CSS(`a[hreflang=en]`)), chromedp.WaitVisible(chromedp.CSS(`a[hreflang=vi]`)))
	if h1 := text(`h1`); h1 != "Verify the 2026 inspection plan" {
		t.Errorf("in English the title reads %q", h1)
	}
	csp.check(t)
}
