package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"kiemtra/models"
)

// TestOfficeLicensingDesk is the police officer's check before a certificate, on a fresh demo:
// signed in at the dashboard's sign-in, they look a business up by a part of its name typed
// without accents; without a purpose the desk stops them and asks nothing of the server, with
// a purpose too short the server's message is shown; with one, the candidates show on a list
// and a map, the chosen business's record shows its history, prints with the lookup's audit id,
// and the lookup is in the officer's history.
func TestOfficeLicensingDesk(t *testing.T) {
	m := startDemo(t, nil)
	p := newPageSession(t, "the licensing desk test", 2*time.Minute)
	base := "http://" + m.Addr()
	lookups := func() int {
		t.Helper()
		ev, err := m.db.FindAuditEvents(context.Background(), models.AuditFilter{Action: "licensing_lookup", Actor: "police", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		return len(ev)
	}

	p.SignIn(base, "/dashboard/", "police", `#lic-form`)
	if path := evalJS[string](t, p.ctx, `location.pathname + location.hash`); path != "/office/#/licensing" {
		t.Errorf("the police officer lands on %s", path)
	}

	// No purpose: stopped in the page, nothing asked.
	p.Do("search without a purpose",
		chromedp.SendKeys(chromedp.CSS(`#lic-text`), "hoa hong"),
		chromedp.Click(chromedp.CSS(`#lic-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#lic-purpose-error`)))
	p.NoRawCodes("the licensing desk: without a purpose")
	if got := p.Text(`#lic-purpose-error`); !strings.Contains(got, "lý do tra cứu") {
		t.Errorf("without a purpose the officer reads %q", got)
	}
	if n := lookups(); n != 0 {
		t.Errorf("a search without a purpose was sent: %d lookups audited", n)
	}
	if evalJS[bool](t, p.ctx, `!!document.querySelector('#lic-candidates')`) {
		t.Error("candidates shown without a purpose")
	}
	// Too short: the server refuses, in Vietnamese, naming the field as the form does.
	p.Do("search with a purpose too short",
		chromedp.SendKeys(chromedp.CSS(`#lic-purpose`), "ab"),
		chromedp.Click(chromedp.CSS(`#lic-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#lic-error .alert`)))
	p.NoRawCodes("the licensing desk: a too short purpose")
	if got := p.Text(`#lic-error`); !strings.Contains(got, "Lý do tra cứu: quá ngắn") {
		t.Errorf("a short purpose reads %q", got)
	}
	p.Shot("office-licensing-no-purpose-vi-1280x800.png")

	// With a purpose: the candidates, listed and on the map.
	evalJS[bool](t, p.ctx, `document.querySelector('#lic-purpose').value = ''; true`)
	p.Do("search with a purpose",
		chromedp.SendKeys(chromedp.CSS(`#lic-purpose`), "HS-2026-0042"),
		chromedp.Click(chromedp.CSS(`#lic-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#lic-candidates .lic-candidate`)))
	p.NoRawCodes("the licensing desk: the candidates")
	cands := evalJS[int](t, p.ctx, `document.querySelectorAll('#lic-candidates .lic-candidate').length`)
	points := evalJS[int](t, p.ctx, `document.querySelectorAll('#lic-candidates .pm-point').length`)
	if cands < 2 || points != cands {
		t.Errorf("%d candidates with %d points on the map", cands, points)
	}
	if !strings.Contains(p.Text(`#lic-candidates .lic-candidate b`), "Hoa Hồng") {
		t.Errorf("the first candidate is %q", p.Text(`#lic-candidates .lic-candidate b`))
	}
	p.Shot("office-licensing-candidates-vi-1280x800.png")
	p.Viewport(360, 640)
	p.Shot("office-licensing-candidates-vi-360x640.png")
	p.Viewport(1280, 800)

	// The business's record: the lookup's id and purpose, the officer, the history.
	p.Do("open the first candidate",
		chromedp.Click(chromedp.CSS(`#lic-candidates .lic-candidate button`)),
		chromedp.WaitVisible(chromedp.CSS(`#lic-report`)))
	p.NoRawCodes("the licensing desk: the report")
	id, err := strconv.ParseInt(p.Text(`#lic-lookup-id`), 10, 64)
	if err != nil || id <= 0 {
		t.Fatalf("the lookup id reads %q", p.Text(`#lic-lookup-id`))
	}
	record := p.Text(`#lic-record`)
	for _, want := range []string{"Lê Văn Cấp Phép", "HS-2026-0042", "Số giấy phép kinh doanh:"} {
		if !strings.Contains(record, want) {
			t.Errorf("the record lacks %q: %s", want, record)
		}
	}
	if name := p.Text(`#lic-biz-name`); !strings.Contains(name, "Hoa Hồng") {
		t.Errorf("the report is about %q", name)
	}
	if s := p.Text(`#lic-summary`); s == "" || strings.Contains(s, "_") {
		t.Errorf("the summary reads %q", s)
	}
	if n := lookups(); n != 2 {
		t.Errorf("%d lookups audited, want the search and the report", n)
	}
	p.Shot("office-licensing-report-vi-1280x800.png")

	// Print: the button prints; the print media shows the record and the report only.
	// A headless browser has no printer: the test stands in for the print dialog.
	evalJS[bool](t, p.ctx, `window.print = () => { window.__printed = true; }; true`)
	p.Do("print", chromedp.Click(chromedp.CSS(`#lic-print`)))
	if !evalJS[bool](t, p.ctx, `window.__printed === true`) {
		t.Error("the print button did not print")
	}
	media := func(m string) {
		t.Helper()
		if _, err := chromedp.Call(p.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m}); err != nil {
			t.Fatalf("emulate %q media: %v", m, err)
		}
	}
	media("print")
	hidden := evalJS[string](t, p.ctx, `['.topbar', '#lic-form', '.lic-tabs', '#lic-print'].filter(s => { const e = document.querySelector(s); return e && getComputedStyle(e).display !== 'none'; }).join(',')`)
	if hidden != "" || !evalJS[bool](t, p.ctx, `getComputedStyle(document.querySelector('#lic-record')).display !== 'none'`) {
		t.Errorf("printed with %q showing", hidden)
	}
	p.Shot("office-licensing-print-vi-1280x800.png")
	media("")
	p.Viewport(360, 640)
	p.Shot("office-licensing-report-vi-360x640.png")

	// By licence number: a business with a violation not yet put right, named in words.
	var pick struct {
		LicenceNo string
		Code      string
	}
	if err := m.db.Gorm().Raw(`SELECT b.licence_no, f.code FROM businesses b JOIN inspection_findings f ON f.business_id = b.id
		WHERE b.licence_no IS NOT NULL AND f.resolved_on IS NULL ORDER BY b.id LIMIT 1`).Scan(&pick).Error; err != nil || pick.LicenceNo == "" {
		t.Fatalf("a business with an open violation in the demo: %+v %v", pick, err)
	}
	p.Viewport(1280, 800)
	evalJS[bool](t, p.ctx, `document.querySelector('#lic-text').value = ''; true`)
	p.Do("look a licence up",
		chromedp.SetValue(chromedp.CSS(`#lic-kind`), "licence_no"),
		chromedp.SendKeys(chromedp.CSS(`#lic-text`), pick.LicenceNo),
		chromedp.Click(chromedp.CSS(`#lic-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#lic-open li`)))
	p.NoRawCodes("the licensing desk: a report with open violations")
	if open := p.Text(`#lic-open`); strings.Contains(open, pick.Code) || !strings.Contains(p.Text(`#lic-summary`), "chưa khắc phục") {
		t.Errorf("the open violations read %q under %q", open, p.Text(`#lic-summary`))
	}
	if id2 := p.Text(`#lic-lookup-id`); id2 == strconv.FormatInt(id, 10) {
		t.Errorf("the second lookup shows the first one's id %s", id2)
	}
	p.Shot("office-licensing-violations-vi-1280x800.png")
	p.Viewport(360, 640)

	// The officer's history lists the lookups, newest first.
	p.Do("open the history", chromedp.Click(chromedp.CSS(`.lic-tabs a[href="#/licensing/history"]`)), chromedp.WaitVisible(chromedp.CSS(`#lic-history tbody tr`)))
	p.NoRawCodes("the licensing desk: the history")
	if first := p.Text(`#lic-history tbody tr`); !strings.Contains(first, pick.LicenceNo) {
		t.Errorf("the history's first row is not the licence lookup: %s", first)
	}
	second := p.Text(`#lic-history tbody tr:nth-child(2)`)
	for _, want := range []string{strconv.FormatInt(id, 10), "HS-2026-0042", "Số giấy phép kinh doanh", "Hoa Hồng"} {
		if !strings.Contains(second, want) {
			t.Errorf("the history's row of the first report lacks %q: %s", want, second)
		}
	}
	if rows := evalJS[int](t, p.ctx, `document.querySelectorAll('#lic-history tbody tr').length`); rows != 3 {
		t.Errorf("the history lists %d lookups, want 3", rows)
	}
	p.Shot("office-licensing-history-vi-360x640.png")
	p.Viewport(1280, 800)
	p.Shot("office-licensing-history-vi-1280x800.png")

	// In English, the same history.
	p.Do("switch to English", chromedp.Click(chromedp.CSS(`.topbar .lang-switch`)))
	if got := p.WaitText(`#lic-history h1`, "My lookups"); got != "My lookups" {
		t.Errorf("the history in English is headed %q", got)
	}
	if row := p.Text(`#lic-history tbody tr:nth-child(2)`); !strings.Contains(row, "Business licence number") {
		t.Errorf("the history's row in English reads %q", row)
	}
	p.Shot("office-licensing-history-en-1280x800.png")
}
