package main

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"kiemtra/geo"
	"kiemtra/models"
	"kiemtra/places"
)

// TestAppShowsTheRegisterUnderTheDistanceItem turns two stops of the city team's day into dance
// halls, one with a school 150 m away in the register of places and one with nothing within
// 200 m, and reads on the phone what the register says under checklist item D04 of each; the
// item is still unanswered (the inspector answers).
func TestAppShowsTheRegisterUnderTheDistanceItem(t *testing.T) {
	chromiumFor(t, "the app's distance hint test")
	srv := startAppServer(t)
	m := srv.m
	ctx := context.Background()
	stops := appRoute(t, m, appTeam(t, m, "city").ID)
	hall := stops[0]
	var far *appStop
	for i := range stops[1:] {
		s := &stops[i+1]
		if geo.DistanceM(hall.biz.Lat, hall.biz.Lon, s.biz.Lat, s.biz.Lon) > 1000 {
			far = s
			break
		}
	}
	if far == nil {
		t.Fatal("no stop of the day is 1 km from the first")
	}
	cat := places.DanceHallCategory
	for _, s := range []appStop{hall, *far} {
		if _, err := m.DB().UpdateBusiness(ctx, "test", s.biz.ID, models.BusinessUpdate{Version: s.biz.Version, Category: &cat}); err != nil {
			t.Fatal(err)
		}
	}
	lat := hall.biz.Lat + 150/geo.EarthRadiusM*180/math.Pi
	csv := fmt.Sprintf("Loại,Tên,Vĩ độ,Kinh độ\nTrường học,Trường THCS Kiểm Tra,%.6f,%.6f\n", lat, hall.biz.Lon)
	if _, err := places.New(m.DB(), m.Registry()).Import(ctx, "test", nil, strings.NewReader(csv), "p.csv", 1<<20); err != nil {
		t.Fatal(err)
	}

	p := newPageSession(t, "the app's distance hint test", 2*time.Minute)
	if err := emulatePhone(p.ctx, srv); err != nil {
		t.Fatal(err)
	}
	// Without the location permission the visit goes on without a check-in.
	if err := emulatePosition(p.ctx, srv, hall.biz.Lat, hall.biz.Lon, browser.PermissionSettingDenied); err != nil {
		t.Fatal(err)
	}
	click := func(sel string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`new Promise((resolve, reject) => {
			const end = Date.now() + 15000;
			(function attempt() {
				const e = document.querySelector(%q);
				if (e && e.getClientRects().length > 0 && !e.disabled) { e.click(); resolve(); }
				else if (Date.now() > end) reject(new Error('nothing to click at ' + %q));
				else setTimeout(attempt, 50);
			})();
		})`, sel, sel), chromedp.EvalAwaitPromise)
	}
	p.SignIn(srv.url, "/app/", "city.1", "#stops li")
	open := func(s appStop) {
		p.Do("open the checklist of "+s.biz.Name,
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`location.hash = %q`, "#/task/"+s.task.ID)),
			chromedp.WaitVisible(chromedp.CSS(`#checkin-button`)), click(`#checkin-button`), click(`#checkin-skip`),
			chromedp.WaitVisible(chromedp.CSS(`#item-D04 .distance-hint`)))
	}
	open(hall)
	if got := p.Text(`#item-D04 .distance-hint`); got != "⚠ Cách Trường THCS Kiểm Tra 150 m theo sổ địa điểm — cần kiểm tra" {
		t.Errorf("under D04 of the hall near the school: %q", got)
	}
	if a := evalJS[string](t, p.ctx, `document.querySelector('#item-D04').dataset.answer`); a != "" {
		t.Errorf("D04 is answered %q before the inspector answers", a)
	}
	p.Do("scroll to D04", chromedp.ScrollIntoView(chromedp.CSS(`#item-D04`)))
	screenshot(t, p.ctx, p.out, "app-d04-distance-hint-vi-360x640.png", chromedp.CaptureScreenshot())
	open(*far)
	if got := p.Text(`#item-D04 .distance-hint`); !strings.Contains(got, "Không có trường học, bệnh viện, cơ sở tôn giáo, di tích nào trong 200 m theo sổ địa điểm") {
		t.Errorf("under D04 of the hall with nothing near: %q", got)
	}
}
