package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/models"
)

// TestOfficeNotificationSettings walks a planner through the notifications desk on a fresh
// demo: the list, then the settings (a quiet hour without its end and a phone that is not a
// mobile number are named beside their fields; an e-mail kind switched off, an SMS kind
// switched on, the phone, normalized, and quiet hours are kept), and an admin through the outbox.
func TestOfficeNotificationSettings(t *testing.T) {
	chromiumFor(t, "the notifications desk test")
	// The settings offer the channels the service delivers on: e-mail and SMS are set up here
	// (a mail server and a provider that take every message), Zalo and push are not.
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusAccepted) }))
	t.Cleanup(provider.Close)
	mb := newMailbox(t)
	m := startDemo(t, func(c *Config) {
		c.SMSURL, c.SMSToken = provider.URL+"/sms", "thử"
		c.SMTPHost, c.SMTPPort, c.SMTPTLS, c.SMTPFrom = "127.0.0.1", mb.port, "none", "kiemtra@soyte.cantho.gov.vn"
	})
	base := "http://" + m.Addr()
	p := newPageSession(t, "the notifications desk test", 2*time.Minute)
	hash := func(h string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`location.hash = "` + h + `"`)
	}
	p.SignIn(base, "/office/", "planner", `#desk`)
	p.Do("the list", hash("#/notifications"), chromedp.WaitVisible(chromedp.CSS(`#nt-unread`)))
	p.NoRawCodes("the notifications")
	p.Do("the settings", hash("#/notifications/settings"), chromedp.WaitVisible(chromedp.CSS(`#nt-kinds tr[data-kind="sanction_overdue"]`)))
	p.NoRawCodes("the notification settings")
	if got := evalJS[string](t, p.ctx, `[...document.querySelectorAll('#nt-kinds thead th')].map((th) => th.textContent).join('|')`); got != "Loại thông báo|Trong ứng dụng|Thư điện tử|Tin nhắn SMS" {
		t.Errorf("the planner's channels read %q", got)
	}
	if got := evalJS[string](t, p.ctx, `[...document.querySelectorAll('#nt-kinds tbody tr')].map((tr) => tr.dataset.kind).join(',')`); got != "tip_overdue,sanction_overdue,plan_infeasible,submission_returned" {
		t.Errorf("the planner is offered the kinds %q", got)
	}
	box := `#nt-kinds tr[data-kind="sanction_overdue"] input[data-channel="email"]`
	p.Do("a quiet hour without its end", chromedp.Click(chromedp.CSS(box)),
		chromedp.SetValue(chromedp.CSS(`#nt-email`), "ke.hoach@syt.cantho.gov.vn"), chromedp.SetValue(chromedp.CSS(`#nt-phone`), "0292 123"),
		chromedp.SetValue(chromedp.CSS(`#nt-quiet-start`), "22:00"), chromedp.SetValue(chromedp.CSS(`#nt-quiet-end`), ""),
		chromedp.Click(chromedp.CSS(`#nt-save`)), chromedp.WaitVisible(chromedp.CSS(`#nt-quiet-end-error`)))
	if got := p.Text(`#nt-quiet-end-error`); !strings.Contains(got, "giờ yên lặng cần cả giờ bắt đầu và giờ kết thúc") {
		t.Errorf("a quiet hour without its end reads %q", got)
	}
	if got := p.Text(`#nt-phone-error`); !strings.Contains(got, "không phải số di động Việt Nam") {
		t.Errorf("a phone that is not a mobile number reads %q", got)
	}
	p.Shot("office-notifications-refused-vi-1280x800.png")
	sms := `#nt-kinds tr[data-kind="sanction_overdue"] input[data-channel="sms"]`
	if evalJS[bool](t, p.ctx, `document.querySelector('`+sms+`').checked`) {
		t.Error("SMS reads as on before the planner switched it on")
	}
	p.Do("save the settings", chromedp.SetValue(chromedp.CSS(`#nt-quiet-end`), "06:30"), chromedp.SetValue(chromedp.CSS(`#nt-phone`), "0987 654 321"),
		chromedp.Click(chromedp.CSS(sms)), chromedp.Click(chromedp.CSS(`#nt-save`)), chromedp.WaitVisible(chromedp.CSS(`#nt-notice`)))
	p.Do("read them again", hash("#/notifications"), chromedp.WaitVisible(chromedp.CSS(`#nt-unread`)),
		hash("#/notifications/settings"), chromedp.WaitVisible(chromedp.CSS(`#nt-phone`)))
	if got := evalJS[string](t, p.ctx, `document.querySelector('#nt-phone').value`); got != "+84987654321" {
		t.Errorf("the phone reads %q after saving, want +84987654321", got)
	}
	if !evalJS[bool](t, p.ctx, `document.querySelector('`+sms+`').checked`) {
		t.Error("the SMS switched on reads as off after saving")
	}
	if evalJS[bool](t, p.ctx, `document.querySelector('`+box+`').checked`) {
		t.Error("the switched-off kind reads as on after saving")
	}
	u, err := m.DB().FindUserByUsername(context.Background(), "planner")
	if err != nil {
		t.Fatal(err)
	}
	st, err := m.DB().FindNotificationSettings(context.Background(), u.ID)
	if err != nil || st.QuietStart != "22:00" || st.QuietEnd != "06:30" || st.Email != "ke.hoach@syt.cantho.gov.vn" ||
		st.Phone != "+84987654321" || !st.Enabled(models.NotifySanctionOverdue, models.ChannelSMS) {
		t.Errorf("the stored settings: %+v (%v)", st, err)
	}
	p.Shot("office-notifications-settings-vi-1280x800.png")
	p.Viewport(360, 640)
	p.Shot("office-notifications-settings-vi-360x640.png")
	if w := evalJS[int](t, p.ctx, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("the settings are %d px wide on a 360 px phone", w)
	}
	p.Viewport(1280, 800)
	p.Do("sign out", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))

	p.SignIn(base, "/office/", "admin", `#desk`)
	p.Do("the outbox", hash("#/notifications/outbox"), chromedp.WaitVisible(chromedp.CSS(`#nt-outbox, #nt-outbox-none`)))
	p.NoRawCodes("the outbox")
	p.Shot("office-notifications-outbox-vi-1280x800.png")
}
