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

	"kiemtra/demo"
)

// screenshot captures the page (or what capture selects) into the artifacts directory dir as
// name, for a person to look at, and logs where.
func screenshot(t *testing.T, ctx context.Context, dir, name string, capture chromedp.Action[[]byte]) {
	t.Helper()
	png, err := chromedp.Run(ctx, capture)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// pageSession is one headless Chromium tab for a page test: Vietnamese first, the pages'
// Content-Security-Policy watched, every step bounded in time; it stops with the test.
type pageSession struct {
	t   *testing.T
	ctx context.Context
	csp *cspWatch
	out string
}

// newPageSession starts the browser for what (skipped, or failed in CI, without Chromium);
// the whole session ends after total, so start the service first: making the demo takes minutes
// under the race detector.
func newPageSession(t *testing.T, what string, total time.Duration) *pageSession {
	t.Helper()
	browser := chromiumFor(t, what)
	ctx, cancel := context.WithTimeout(context.Background(), total)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, append(appBrowserOptions(browser, t.TempDir()), chromedp.Flag("accept-lang", "vi-VN,vi"))...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(1280, 800), chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start the browser: %v", err)
	}
	p := &pageSession{t: t, ctx: bctx, out: artifactsDir(t)}
	p.csp = watchCSP(t, bctx)
	t.Cleanup(func() { p.csp.check(t) })
	return p
}

// Do runs one step of a person's task, failing the test with its name if it does not finish
// within 20 seconds.
func (p *pageSession) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	sctx, stop := context.WithTimeout(p.ctx, 20*time.Second)
	defer stop()
	if err := chromedp.Do(sctx, actions...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// Text is the visible text of the first element sel matches.
func (p *pageSession) Text(sel string) string {
	p.t.Helper()
	sctx, stop := context.WithTimeout(p.ctx, 20*time.Second)
	defer stop()
	s, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("read %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// Shot saves the whole page as name in the artifacts directory.
func (p *pageSession) Shot(name string) {
	p.t.Helper()
	screenshot(p.t, p.ctx, p.out, name, chromedp.FullScreenshot(100))
}

// Viewport resizes the tab: 1280x800 for an office screen, 360x640 for a phone.
func (p *pageSession) Viewport(w, h int) {
	p.t.Helper()
	p.Do(fmt.Sprintf("resize to %dx%d", w, h), chromedp.EmulateViewport(int64(w), int64(h)))
}

// SignIn signs username in with the demo password on the sign-in form at base+path (the
// dashboard's and the office app's forms have the same fields) and waits for wait.
func (p *pageSession) SignIn(base, path, username, wait string) {
	p.t.Helper()
	p.Do("sign in as "+username,
		chromedp.Navigate(base+path),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), username),
		chromedp.SendKeys(chromedp.CSS(`#password`), demo.Password),
		chromedp.Click(chromedp.CSS(`#login-submit`)),
		chromedp.WaitVisible(chromedp.CSS(wait)),
	)
}

// WaitText waits up to ten seconds for the first element sel matches to read want (a page that
// redraws replaces its nodes, so it is read afresh each time) and answers what it last read.
func (p *pageSession) WaitText(sel, want string) string {
	p.t.Helper()
	expr := fmt.Sprintf(`(document.querySelector(%q)?.textContent || "").trim()`, sel)
	var got string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		v, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			p.t.Fatalf("read %s: %v", sel, err)
		}
		if got = strings.TrimSpace(v); got == want || time.Now().After(deadline) {
			return got
		}
	}
}
