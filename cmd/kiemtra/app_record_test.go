package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"golang.org/x/text/unicode/norm"

	"kiemtra/demo"
	"kiemtra/models"
	"kiemtra/pdftext"
)

// TestAppSignedRecordOffline: an inspector finishes an inspection offline with the record
// signed by a finger on the phone by both sides; online again, the queue sends the result and
// then the record; the record's PDF reads correctly and the audit log holds its hash.
func TestAppSignedRecordOffline(t *testing.T) {
	browserPath := chromiumFor(t, "the signed record test")
	if _, err := exec.LookPath("pdftotext"); err != nil {
		// CI requires it (KIEMTRA_REQUIRE_BROWSER, and .ci/run installs poppler-utils).
		if os.Getenv("KIEMTRA_REQUIRE_BROWSER") != "" {
			t.Fatal("pdftotext is missing: install poppler-utils")
		}
		t.Skip("pdftotext (poppler-utils) is not installed: the record's PDF cannot be read")
	}
	out := artifactsDir(t)
	srv := startAppServer(t)
	m := srv.m
	ctx := context.Background()
	city := appTeam(t, m, "city")
	stop := appRoute(t, m, city.ID)[0]

	tctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(tctx, appBrowserOptions(browserPath, t.TempDir())...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(bctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			screenshot(t, bctx, out, "app-record-failure.png", chromedp.CaptureScreenshot())
			t.Fatalf("%s: %v", what, err)
		}
	}
	call := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	visible := func(sel string) chromedp.Action[chromedp.Void] { return chromedp.WaitVisible(chromedp.CSS(sel)) }
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
	waitQueue := func(n int) chromedp.Action[chromedp.Void] {
		return visible(fmt.Sprintf(`#queue-count[data-n="%d"]`, n))
	}
	// sign draws a stroke with a finger across the canvas sel: touch events, as on a phone.
	sign := func(sel string, wave float64) {
		t.Helper()
		do("show "+sel, chromedp.ScrollIntoView(chromedp.CSS(sel)))
		box := evalJS[[]float64](t, bctx, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`, sel))
		x0, y0, w, h := box[0], box[1], box[2], box[3]
		touch := func(typ input.DispatchTouchEventType, x, y float64) {
			t.Helper()
			pts := []*input.TouchPoint{{X: x, Y: y}}
			if typ == input.DispatchTouchEventTypeTouchEnd {
				pts = []*input.TouchPoint{}
			}
			_, err := chromedp.Call(bctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: pts})
			call("touch "+sel, err)
		}
		touch(input.DispatchTouchEventTypeTouchStart, x0+w*0.1, y0+h*0.6)
		for i := 1; i <= 16; i++ {
			f := float64(i) / 16
			y := y0 + h*(0.6-0.3*f) + h*0.15*float64(i%3)*wave
			touch(input.DispatchTouchEventTypeTouchMove, x0+w*(0.1+0.8*f), y)
		}
		touch(input.DispatchTouchEventTypeTouchEnd, 0, 0)
		do("the signature is kept", visible(`.sign-block[data-signed="true"] `+sel))
	}

	call("emulate a phone", emulatePhone(bctx, srv))
	call("emulate the position", emulatePosition(bctx, srv, stop.biz.Lat, stop.biz.Lon, browser.PermissionSettingGranted))
	do("sign in", chromedp.Navigate(srv.url+"/app/"), visible(`#login-form`),
		chromedp.SendKeys(chromedp.CSS(`#username`), "city.1"), chromedp.SendKeys(chromedp.CSS(`#password`), demo.Password),
		click(`#login-submit`), visible(`#stops li:first-child a`))
	awaitJS[bool](t, bctx, `navigator.serviceWorker.ready.then(() => true)`)
	do("check in at the first stop", click(`#stops li:first-child a`), click(`#checkin-button`), visible(`#checkin-done`), waitQueue(0))
	do("open the checklist", click(`#start-inspection`), visible(`#checklist .item`))
	for _, id := range evalJS[[]string](t, bctx, `Array.from(document.querySelectorAll('#checklist .item')).map(e => e.dataset.id)`) {
		do("answer "+id, click(fmt.Sprintf(`#item-%s button[data-value="yes"]`, id)))
	}

	// Offline from here: the record is made and signed with no network.
	srv.down.Store(true)
	call("go offline", emulateNetwork(bctx, true, 0, -1, -1))
	do("offline", visible(`#offline-note`))
	const rep, statement = "Phạm Thị Hương", "Tôi đồng ý với kết quả kiểm tra và cam kết chấp hành."
	do("the representative", chromedp.SendKeys(chromedp.CSS(`#rep-name`), rep), chromedp.SendKeys(chromedp.CSS(`#rep-role`), "Quản lý cơ sở"),
		chromedp.SendKeys(chromedp.CSS(`#rep-statement`), statement))
	do("submitting unsigned is refused on the phone", click(`#submit`), visible(`#record-error`), waitQueue(0))
	if msg := evalJS[string](t, bctx, `document.querySelector('#record-error').innerText`); msg != "Cán bộ kiểm tra chưa ký biên bản." {
		t.Errorf("an unsigned record reads %q", msg)
	}
	sign(`#sign-inspector`, 1)
	if evalJS[bool](t, bctx, `!!document.querySelector('#record-error')`) {
		t.Error("the error stays after the inspector signed")
	}
	sign(`#sign-representative`, -1)
	do("show the record", chromedp.Evaluate[chromedp.Void](`document.querySelector('#record').scrollIntoView({block: 'start'})`))
	screenshot(t, bctx, out, "app-record-form-360x640.png", chromedp.CaptureScreenshot())
	do("show the signatures", chromedp.ScrollIntoView(chromedp.CSS(`#sign-representative`)))
	screenshot(t, bctx, out, "app-record-signatures-360x640.png", chromedp.CaptureScreenshot())
	do("submit offline", click(`#submit`), visible(`#result-state`), waitQueue(2))
	if _, err := m.DB().FindInspectionForTask(ctx, stop.task.ID); !models.IsCode(err, models.ENOTFOUND) {
		t.Fatalf("the server has a result while the phone is offline: %v", err)
	}

	srv.down.Store(false)
	call("go online", emulateNetwork(bctx, false, 0, -1, -1))
	// The app sends its queue as soon as the network is back.
	do("sync", waitQueue(0), click(`#queue-button`), visible(`#sent-list li`))
	screenshot(t, bctx, out, "app-record-sent-360x640.png", chromedp.CaptureScreenshot())

	insp, err := m.DB().FindInspectionForTask(ctx, stop.task.ID)
	if err != nil {
		t.Fatalf("the result did not reach the server: %v", err)
	}
	rec, err := m.DB().FindInspectionRecord(ctx, insp.ID)
	if err != nil {
		t.Fatalf("the record did not reach the server: %v", err)
	}
	if rec.RepresentativeName != rep || rec.Statement != statement || rec.Refused || len(rec.InspectorSignature) == 0 || len(rec.RepresentativeSignature) == 0 ||
		rec.InspectorSignatureSHA256 == rec.RepresentativeSignatureSHA256 {
		t.Errorf("the stored record: %+v", rec)
	}
	var audited int64
	call("read the audit log", m.DB().Gorm().Table("audit_events").Where("action = ? AND entity_id = ? AND details LIKE ? AND details LIKE ?",
		"sign_record", insp.ID, "%"+rec.RecordSHA256+"%", "%"+rec.RepresentativeSignatureSHA256+"%").Count(&audited).Error)
	if audited != 1 {
		t.Errorf("%d audit events hold the record's hash %s", audited, rec.RecordSHA256)
	}

	// The planner reads the PDF.
	var login struct {
		AccessToken string `json:"access_token"`
	}
	if code := apiCall(t, m, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"username":"planner","password":%q}`, demo.Password), "", &login); code != 200 {
		t.Fatalf("planner login: %d", code)
	}
	req, _ := http.NewRequest("GET", "http://"+m.Addr()+"/api/v1/inspections/"+insp.ID+"/record.pdf", nil)
	req.Header.Set("Authorization", "Bearer "+login.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Record-SHA256") != rec.RecordSHA256 {
		t.Fatalf("record.pdf: %d %s", resp.StatusCode, resp.Header)
	}
	text := strings.Join(strings.Fields(pdftext.Text(t, pdf)), " ")
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BIÊN BẢN KIỂM TRA", stop.biz.Name, rep, statement, city.Name, rec.RecordSHA256} {
		if !strings.Contains(text, norm.NFC.String(want)) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "CHƯA ĐƯỢC KÝ") {
		t.Error("the synced record prints as unsigned")
	}
	if err := os.WriteFile(filepath.Join(out, "app-record.pdf"), pdf, 0o644); err != nil {
		t.Error(err)
	}
}
