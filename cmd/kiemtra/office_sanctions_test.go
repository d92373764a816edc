package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/models"
	"kiemtra/sanctions"
)

// TestOfficeSanctionsDesk is a sanction's follow-through on a fresh demo: a planner proposes a
// sanction for a business with a certificate, records a fine decision (an amount outside the
// catalogue's range is refused beside its field, and what was typed stays) and its payment; a
// second sanction on security and order in the year and the nightly rule raise the
// certificate's flag; the police officer's lookup shows both sanctions and the flag.
func TestOfficeSanctionsDesk(t *testing.T) {
	chromiumFor(t, "the sanctions desk test") // skip before the demo is made when there is no browser
	m := startDemo(t, nil)
	p := newPageSession(t, "the sanctions desk test", 2*time.Minute)
	base := "http://" + m.Addr()
	ctx := context.Background()
	var biz struct {
		ID, Name, LicenceNo string
	}
	if err := m.db.Gorm().Raw(`SELECT id, name, licence_no FROM businesses b WHERE status = 'active' AND licence_no IS NOT NULL AND security_cert_no <> ''
		AND NOT EXISTS (SELECT 1 FROM sanctions s WHERE s.business_id = b.id) ORDER BY id LIMIT 1`).Scan(&biz).Error; err != nil || biz.ID == "" {
		t.Fatalf("a business with a certificate and no sanction in the demo: %+v %v", biz, err)
	}
	hash := func(h string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`location.hash = ` + "`" + h + "`")
	}

	p.SignIn(base, "/office/", "planner", "#desk")
	p.Do("the sanctions list", hash("#/sanctions"), chromedp.WaitVisible(chromedp.CSS(`#san-list`)))
	p.NoRawCodes("the sanctions desk: the list")
	p.Shot("office-sanctions-list-vi-1280x800.png")
	p.Do("propose", hash("#/sanctions/new?business="+biz.ID), chromedp.WaitReady(chromedp.CSS(`#san-business option[value="`+biz.ID+`"]`)),
		chromedp.SetValue(chromedp.CSS(`#san-violation`), "RES_STAFF"),
		chromedp.Click(chromedp.CSS(`#san-propose`)),
		chromedp.WaitVisible(chromedp.CSS(`#san-decision-form`)))
	if got := p.Text(`#san-proposal`); !strings.Contains(got, "500.000 – 1.000.000 đồng") {
		t.Errorf("the proposal reads %q", got)
	}
	// An amount above the range: refused beside the field, the form as typed.
	p.Do("a fine above the range",
		chromedp.SendKeys(chromedp.CSS(`#san-d-number`), "27/QĐ-XPHC"),
		chromedp.SendKeys(chromedp.CSS(`#san-d-authority`), "Chủ tịch UBND phường Ninh Kiều"),
		chromedp.SendKeys(chromedp.CSS(`#san-d-fine`), "5000000"),
		chromedp.Click(chromedp.CSS(`#san-decision-form-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#san-d-fine-error`)))
	p.NoRawCodes("the sanctions desk: a refused decision")
	if got := p.Text(`#san-d-fine-error`); !strings.Contains(got, "ngoài khung phạt") {
		t.Errorf("the fine's error reads %q", got)
	}
	if v := evalJS[string](t, p.ctx, `document.querySelector('#san-d-number').value`); v != "27/QĐ-XPHC" {
		t.Errorf("after the refusal the number reads %q", v)
	}
	p.Shot("office-sanctions-refused-vi-1280x800.png")
	p.Do("a fine within the range",
		chromedp.SetValue(chromedp.CSS(`#san-d-fine`), "800000"),
		chromedp.Click(chromedp.CSS(`#san-decision-form-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#san-payment-form`)))
	p.Do("the payment",
		chromedp.SendKeys(chromedp.CSS(`#san-p-receipt`), "BL-0042"),
		chromedp.Click(chromedp.CSS(`#san-payment-form-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#san-paid`)))
	p.NoRawCodes("the sanctions desk: a paid fine")
	p.Shot("office-sanctions-paid-vi-1280x800.png")
	p.Viewport(360, 640)
	if w := evalJS[int](t, p.ctx, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("at 360 px the sanction's page is %d px wide", w)
	}
	p.Shot("office-sanctions-paid-vi-360x640.png")
	p.Viewport(1280, 800)
	p.Do("in English", chromedp.Click(chromedp.CSS(`#app-view .lang-switch`)))
	if got := p.WaitText(`#san-status`, "Complied with"); got != "Complied with" {
		t.Errorf("in English the status reads %q", got)
	}
	p.Shot("office-sanctions-paid-en-1280x800.png")
	p.Do("back to Vietnamese", chromedp.Click(chromedp.CSS(`#app-view .lang-switch`)))
	list, _, err := m.db.FindSanctions(ctx, models.SanctionFilter{BusinessID: biz.ID})
	if err != nil || len(list) != 1 || list[0].DecisionNo != "27/QĐ-XPHC" || list[0].FineAmount != 800000 || list[0].PaidAmount != 800000 || list[0].Status != models.SanctionComplied {
		t.Fatalf("the stored sanction: %+v %v", list, err)
	}

	// A second sanction on security and order in the year, and the nightly rule.
	s2, _, err := m.sanctions.Propose(ctx, "planner", sanctions.ProposeInput{BusinessID: biz.ID, ViolationCode: "MAS_FACILITY"})
	if err != nil {
		t.Fatal(err)
	}
	today := m.sanctions.Today()
	if _, err := m.sanctions.Update(ctx, "planner", s2.ID, sanctions.UpdateInput{Version: s2.Version,
		Decision: &sanctions.DecisionInput{Number: "31/QĐ-XPHC", Date: today, Authority: "Chủ tịch UBND phường Ninh Kiều", Warning: true}}); err != nil {
		t.Fatal(err)
	}
	if msg, err := (&sanctions.CertificateJob{Service: m.sanctions}).Run(ctx, m.Now()); err != nil || !strings.Contains(msg, "flags raised") {
		t.Fatalf("the nightly rule: %q %v", msg, err)
	}
	if c, err := m.db.FindCertificate(ctx, biz.ID); err != nil || c.Flag != models.FlagArt18 {
		t.Fatalf("the certificate: %+v %v", c, err)
	}

	// The police officer's lookup.
	p.Do("sign out", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	p.SignIn(base, "/office/", "police", `#lic-form`)
	p.Do("look the licence up",
		chromedp.SetValue(chromedp.CSS(`#lic-kind`), "licence_no"),
		chromedp.SendKeys(chromedp.CSS(`#lic-text`), biz.LicenceNo),
		chromedp.SendKeys(chromedp.CSS(`#lic-purpose`), "HS-2026-0777"),
		chromedp.Click(chromedp.CSS(`#lic-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`#lic-cert-flag`)))
	p.NoRawCodes("the licensing desk: the certificate's flag")
	if got := p.Text(`#lic-cert-flag`); !strings.Contains(got, "Điều 18.2") {
		t.Errorf("the flag reads %q", got)
	}
	table := p.Text(`#lic-sanction-table`)
	for _, want := range []string{"27/QĐ-XPHC", "31/QĐ-XPHC", "Phạt 800.000 đồng", "Cảnh cáo"} {
		if !strings.Contains(table, want) {
			t.Errorf("the police's sanctions lack %q: %s", want, table)
		}
	}
	p.Shot("office-licensing-sanctions-vi-1280x800.png")
}
