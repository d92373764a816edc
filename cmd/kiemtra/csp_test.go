package main

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"
)

// cspWatch collects what the browser refused under the pages' Content-Security-Policy, in
// every page the tab loads: an inline style or script the policy blocks breaks a screen
// silently, so the browser tests fail on it.
type cspWatch struct {
	mu   sync.Mutex
	msgs []string
}

// watchCSP starts collecting in the tab of ctx (after its first action has started it).
func watchCSP(t testing.TB, ctx context.Context) *cspWatch {
	t.Helper()
	w := &cspWatch{}
	if err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*cdplog.EventEntryAdded); ok && e.Entry != nil &&
			(e.Entry.Source == cdplog.EntrySourceSecurity || e.Entry.Source == cdplog.EntrySourceViolation) &&
			strings.Contains(e.Entry.Text, "Content Security Policy") {
			w.mu.Lock()
			w.msgs = append(w.msgs, e.Entry.Text+" ("+e.Entry.URL+")")
			w.mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("listen for policy violations: %v", err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enable the browser's log: %v", err)
	}
	return w
}

// check fails the test for every violation seen so far.
func (w *cspWatch) check(t testing.TB) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, m := range w.msgs {
		t.Errorf("the page broke the Content-Security-Policy: %s", m)
	}
}

// TestPublicTipFormInHeadlessChromium sends a tip as a member of the public would, on a phone
// and on a desktop, under the service's security headers: the form reads in Vietnamese, takes
// the tip, confirms it (the receipt offers no link that would lose its secret), and opens the form
// again in English; nothing is refused by the page's policy.
func TestPublicTipFormInHeadlessChromium(t *testing.T) {
	browser := chromiumFor(t, "the tip form test")
	out := artifactsDir(t)
	m := startDemo(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// A phone set to Vietnamese, as most of the public's are.
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, append(appBrowserOptions(browser, t.TempDir()), chromedp.Flag("accept-lang", "vi-VN,vi"))...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, stop := context.WithTimeout(bctx, 15*time.Second)
		defer stop()
		if err := chromedp.Do(sctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	shot := func(name string) {
		t.Helper()
		screenshot(t, bctx, out, name, chromedp.FullScreenshot(100))
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	// The browser starts with the first action on its own context: a shorter-lived one would
	// close it when it ends.
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start the browser: %v", err)
	}
	csp := watchCSP(t, bctx)
	form := "http://" + m.Addr() + "/tip"
	for _, size := range []struct {
		w, h int64
		name string
	}{{360, 640, "360x640"}, {1280, 800, "1280x800"}} {
		do("open the form at "+size.name, chromedp.EmulateViewport(size.w, size.h), chromedp.Navigate(form), chromedp.WaitVisible(chromedp.CSS(`#description`)))
		if h1 := text(`h1`); h1 != "Gửi tin báo về vi phạm" {
			t.Errorf("the form's title reads %q", h1)
		}
		// The stylesheet applied: the button is the service's blue, not the browser's grey.
		if bg := evalJS[string](t, bctx, `getComputedStyle(document.querySelector('button')).backgroundColor`); bg != "rgb(11, 61, 145)" {
			t.Errorf("the form's style did not apply (button background %s)", bg)
		}
		shot("tip-form-" + size.name + ".png")
	}
	do("send a tip",
		chromedp.SendKeys(chromedp.CSS(`#description`), "Quán karaoke ở đường 30/4 cho tiếp viên ngồi phòng kín sau nửa đêm"),
		chromedp.SendKeys(chromedp.CSS(`#place`), "Karaoke Ánh Sao, đường 30/4, Ninh Kiều"),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.ok`)))
	if ok := text(`.ok`); !strings.Contains(ok, "tin báo") {
		t.Errorf("after sending, the page says %q", ok)
	}
	shot("tip-form-sent-1280x800.png")
	if n := evalJS[int](t, bctx, `document.querySelectorAll('a[hreflang]').length`); n != 0 {
		t.Errorf("the receipt offers %d language links: following one would lose the secret, shown once", n)
	}
	do("send another tip, in English", chromedp.Click(chromedp.CSS(`a[href^="/tip?"]`)), chromedp.WaitVisible(chromedp.CSS(`a[hreflang=en]`)),
		chromedp.Click(chromedp.CSS(`a[hreflang=en]`)), chromedp.WaitVisible(chromedp.CSS(`a[hreflang=vi]`)))
	if h1 := text(`h1`); h1 != "Report a violation" {
		t.Errorf("in English the title reads %q", h1)
	}
	csp.check(t)
}
