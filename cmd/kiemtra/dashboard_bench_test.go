package main

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/demo"
)

// BenchmarkDashboardFirstRender opens the planners' dashboard on the demo in headless Chromium
// at 1366x768, each iteration in a new browser profile so that nothing is cached, and signs in
// as the planner, as TestDashboardInHeadlessChromium does (issue 7: aim under 2 s).
// ms-to-map/op is the time from the navigation to the map drawn, the sign-in form included, as
// the page measures it (window.kiemtraTimings.mapDrawn); ns/op is the same by the benchmark's
// clock. ms-to-map-signed-in/op is the map drawn after a reload with the session kept (the
// browser's cache warm). The browser's start is not timed.
//
//	go test -run x -bench 'Dashboard' -benchtime 3x ./cmd/kiemtra/
func BenchmarkDashboardFirstRender(b *testing.B) {
	browserPath := chromiumForBench(b)
	m := startDemo(b, nil)
	url := "http://" + m.Addr() + "/dashboard/"
	const ready = `#map[data-state="ready"]`
	var first, signedIn float64
	for b.Loop() {
		b.StopTimer()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		// The app's browser at the dashboard test's office screen size.
		opts := append(appBrowserOptions(browserPath, b.TempDir()), chromedp.WindowSize(1366, 768))
		actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
		bctx, cancelBrowser := chromedp.NewContext(actx)
		mustDo(b, "start the browser", chromedp.Do(bctx, chromedp.EmulateViewport(1366, 768), chromedp.Navigate("about:blank")))
		b.StartTimer()
		mustDo(b, "sign in and draw the map", chromedp.Do(bctx,
			chromedp.Navigate(url),
			chromedp.WaitVisible(chromedp.CSS(`#login-form`)),
			chromedp.SendKeys(chromedp.CSS(`#username`), "planner"),
			chromedp.SendKeys(chromedp.CSS(`#password`), demo.Password),
			chromedp.Click(chromedp.CSS(`#login-submit`)),
			chromedp.WaitVisible(chromedp.CSS(ready))))
		b.StopTimer()
		first += awaitJS[float64](b, bctx, `window.kiemtraTimings.mapDrawn`)
		mustDo(b, "reload with the session", chromedp.Do(bctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(ready))))
		signedIn += awaitJS[float64](b, bctx, `window.kiemtraTimings.mapDrawn`)
		cancelBrowser()
		cancelAlloc()
		cancel()
		b.StartTimer()
	}
	b.ReportMetric(first/float64(b.N), "ms-to-map/op")
	b.ReportMetric(signedIn/float64(b.N), "ms-to-map-signed-in/op")
}
