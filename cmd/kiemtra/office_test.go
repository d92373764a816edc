package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestOfficeSendsEveryRoleToItsWork signs in from the one sign-in page (/dashboard/) as users
// whose work is not the dashboard: an inspector is taken to the office app, which tells them
// their work is the phone app and links it, in Vietnamese and, after the switch, in English; a
// viewer who opens the office app reads the registry and is linked to the dashboard, a planner's
// dashboard links the office app; a tip officer who signs in to
// the phone app is sent to the office pages.
func TestOfficeSendsEveryRoleToItsWork(t *testing.T) {
	m := startDemo(t, nil)
	p := newPageSession(t, "the office app's sign-in test", 90*time.Second)
	base := "http://" + m.Addr()

	p.SignIn(base, "/dashboard/", "city.1", `.elsewhere`)
	if url := evalJS[string](t, p.ctx, `location.pathname`); url != "/office/" {
		t.Errorf("an inspector signed in at the dashboard lands on %s, want /office/", url)
	}
	if got := p.WaitText(`.elsewhere h1`, "Công việc của bạn ở trang khác"); got != "Công việc của bạn ở trang khác" {
		t.Errorf("the inspector reads %q", got)
	}
	if href := evalJS[string](t, p.ctx, `document.querySelector('.elsewhere a').getAttribute('href')`); href != "/app/" {
		t.Errorf("the inspector's link goes to %q, want /app/", href)
	}
	if role := p.WaitText(`#user-role`, "Thành viên đoàn kiểm tra"); role != "Thành viên đoàn kiểm tra" {
		t.Errorf("the inspector's role reads %q", role)
	}
	p.Shot("office-inspector-vi-1280x800.png")
	p.Do("switch to English", chromedp.Click(chromedp.CSS(`.topbar .lang-switch`)))
	if got := p.WaitText(`.elsewhere h1`, "Your work is on another page"); got != "Your work is on another page" {
		t.Errorf("after the switch the inspector reads %q", got)
	}
	p.Viewport(360, 640)
	p.Shot("office-inspector-en-360x640.png")
	p.Do("switch back", chromedp.Click(chromedp.CSS(`.topbar .lang-switch`)))
	p.WaitText(`.elsewhere h1`, "Công việc của bạn ở trang khác")
	p.Do("sign out", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))

	p.Viewport(1280, 800)
	// A viewer reads the registry in the office app (nothing to change there) and is linked
	// back to the dashboard.
	p.SignIn(base, "/office/", "viewer", `#reg-list`)
	if path := evalJS[string](t, p.ctx, `location.hash`); path != "#/registry" {
		t.Errorf("a viewer in the office app lands on %s, want the registry", path)
	}
	if evalJS[bool](t, p.ctx, `!!document.querySelector('#reg-add, #reg-import, #reg-edit')`) {
		t.Error("a viewer is offered changes to the registry")
	}
	if href := evalJS[string](t, p.ctx, `document.querySelector('#nav a[href="/dashboard/"]')?.getAttribute('href') || ""`); href != "/dashboard/" {
		t.Errorf("the viewer's link to the dashboard is %q", href)
	}
	p.Do("sign the viewer out", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))

	// A planner stays on the dashboard, which links the office app's desks.
	p.SignIn(base, "/dashboard/", "planner", `#office-link`)
	if got := p.Text(`#office-link`); got != "Trang làm việc" {
		t.Errorf("the dashboard's link to the office app reads %q", got)
	}
	p.Do("sign the planner out", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))

	// A tip officer who opens the phone app is told it is the teams' and where their work is.
	p.SignIn(base, "/app/", "tips", `#office-link`)
	if got := p.Text(`#login-error`); !strings.Contains(got, "dành cho thành viên đoàn kiểm tra") || strings.Contains(got, "tip_officer") {
		t.Errorf("a tip officer in the phone app reads %q", got)
	}
	if signedIn := evalJS[bool](t, p.ctx, `!!document.querySelector('#login-form')`); !signedIn {
		t.Error("the phone app let a tip officer past its sign-in")
	}
}
