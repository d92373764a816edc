package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/demo"
	"kiemtra/models"
)

// TestPublicTipTrackingInHeadlessChromium follows a member of the public on a fresh demo: they
// send a tip on /tip (a commune chosen, the place tapped on the map), write down the code and
// secret the done page shows, and once a tip officer has handled the tip through the API, read
// its status and the result written for them at /tip/status. A wrong secret learns nothing.
func TestPublicTipTrackingInHeadlessChromium(t *testing.T) {
	m := startDemo(t, nil)
	p := newPageSession(t, "the public tip tracking test", 90*time.Second)
	bctx := p.ctx
	do := p.Do
	text := p.Text
	shots := func(name string) {
		t.Helper()
		for _, size := range []struct{ w, h int }{{1280, 800}, {360, 640}} {
			p.Viewport(size.w, size.h)
			p.Shot(fmt.Sprintf("%s-%dx%d.png", name, size.w, size.h))
		}
	}
	base := "http://" + m.Addr()

	// The form: a commune from the list, and the place tapped on the map (drawn by tip.js).
	do("open the form", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(base+"/tip"), chromedp.WaitVisible(chromedp.CSS(`#pick-map svg`)))
	// Tapping a commune's dot chooses it in the select; tapping beside the dots marks the spot.
	at := func(expr string) (float64, float64) {
		t.Helper()
		xy := evalJS[[]float64](t, bctx, `(() => { const r = `+expr+`.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2, r.left, r.top]; })()`)
		return xy[0], xy[1]
	}
	x, y := at(`document.querySelectorAll('#pick-map .pm-point circle')[3]`)
	do("tap a commune on the map", chromedp.MouseClickXY(x, y), chromedp.WaitVisible(chromedp.CSS(`#pick-map .pm-point.selected`)))
	commune := evalJS[string](t, bctx, `document.querySelector('#area').value`)
	if commune == "" {
		t.Fatal("tapping a commune's dot chose nothing")
	}
	corner := evalJS[[]float64](t, bctx, `(() => { const r = document.querySelector('#pick-map svg').getBoundingClientRect(); return [r.left + 6, r.top + 6]; })()`)
	do("fill the form",
		chromedp.SendKeys(chromedp.CSS(`#description`), "Nhà nghỉ cho người lạ dẫn khách vào phòng nhiều lần trong đêm"),
		chromedp.SendKeys(chromedp.CSS(`#place`), "Nhà nghỉ gần chợ"),
		chromedp.MouseClickXY(corner[0], corner[1]),
		chromedp.WaitVisible(chromedp.CSS(`#pick-clear`)))
	if lat := evalJS[string](t, bctx, `document.querySelector('#lat').value`); lat == "" {
		t.Fatal("tapping the map set no position")
	}
	shots("public-tip-form")
	do("send the tip", chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#tip-secret`)))
	code, secret := text(`#tip-code`), text(`#tip-secret`)
	if !strings.HasPrefix(code, "TB-") || len(secret) != 14 || !strings.Contains(text(`.receipt`), "một lần") {
		t.Fatalf("the done page shows code %q, secret %q: %s", code, secret, text(`.receipt`))
	}
	shots("public-tip-done")

	// A tip officer takes it from received to handled through the API.
	var login struct {
		AccessToken string `json:"access_token"`
	}
	if c := apiCall(t, m, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"username":"tips","password":%q}`, demo.Password), "", &login); c != 200 {
		t.Fatalf("login: %d", c)
	}
	var list struct {
		Items []struct {
			ID           string  `json:"id"`
			TrackingCode *string `json:"tracking_code"`
			AreaCode     *string `json:"area_code"`
			Version      int     `json:"version"`
		} `json:"items"`
	}
	if c := apiCall(t, m, "GET", "/api/v1/tips?status=received", "", login.AccessToken, &list); c != 200 {
		t.Fatalf("list: %d", c)
	}
	id := ""
	for _, it := range list.Items {
		if it.TrackingCode != nil && *it.TrackingCode == code {
			id = it.ID
			// The spot beside the city's communes is in none: the commune chosen places the tip.
			if it.AreaCode == nil || *it.AreaCode != commune {
				t.Errorf("the tip's area is %v, want the commune %s chosen on the map", it.AreaCode, commune)
			}
		}
	}
	if id == "" {
		t.Fatalf("the officer does not find the tip %s", code)
	}
	result := "Đoàn kiểm tra đã xác minh tại nhà nghỉ và lập biên bản xử lý vi phạm theo quy định."
	for i, step := range []string{`"to":"verifying"`, `"to":"classified","type":"prostitution","severity":"normal"`,
		`"to":"handled","handling":"referred","note":"Chuyển Công an phường","public_result":"` + result + `"`} {
		var tp models.Tip
		if c := apiCall(t, m, "POST", "/api/v1/tips/"+id+"/transition", fmt.Sprintf(`{"version":%d,%s}`, i+1, step), login.AccessToken, &tp); c != 200 {
			t.Fatalf("step %s: %d", step, c)
		}
	}

	// The reporter reads the status; the code comes in the done page's link, the secret typed.
	do("open the status page", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(base+"/tip/status?code="+code), chromedp.WaitVisible(chromedp.CSS(`#secret`)))
	shots("public-tip-status-ask")
	do("read the status", chromedp.SendKeys(chromedp.CSS(`#secret`), strings.ToLower(secret)), chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`#tip-state`)))
	if st, res := text(`#tip-state`), text(`#tip-result`); st != "Đã xử lý" || res != result {
		t.Fatalf("the status page reads %q, %q", st, res)
	}
	shots("public-tip-status")

	// A wrong secret learns nothing: the same page as for a code that does not exist.
	do("a wrong secret", chromedp.Navigate(base+"/tip/status?code="+code), chromedp.WaitVisible(chromedp.CSS(`#secret`)),
		chromedp.SendKeys(chromedp.CSS(`#secret`), "2222-2222-2222"), chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.bad`)))
	page := text(`main`)
	if !strings.Contains(page, "Không có tin báo nào với mã và mật mã này") || strings.Contains(page, "Đã xử lý") || strings.Contains(page, "biên bản") {
		t.Fatalf("a wrong secret reads: %s", page)
	}
	p.Shot("public-tip-status-wrong-360x640.png")
}
