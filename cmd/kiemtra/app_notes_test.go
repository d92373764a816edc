package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/chromedp"

	"kiemtra/models"
	"kiemtra/notify"
	"kiemtra/notify/pushtest"
	"kiemtra/tips"
)

// TestAnUrgentTipReachesTheInspectorsPhone classifies a tip urgent on a running service with
// push and e-mail set up, runs one cycle of its notification worker, and checks each channel:
// the push service got the push for the inspector's phone (VAPID checked, decrypted), the
// team lead's e-mail reached the SMTP server, and on the phone the bell counts it, the list
// shows it and opening it leads to the visit. The push received is then handed to the app's
// service worker, which shows it.
func TestAnUrgentTipReachesTheInspectorsPhone(t *testing.T) {
	chromiumFor(t, "the app's notifications test")
	mb := newMailbox(t)
	vapid, private, err := notify.GenerateVAPID("mailto:kiemtra@soyte.cantho.gov.vn")
	if err != nil {
		t.Fatal(err)
	}
	peer := pushtest.Start(t, vapid.Public)
	srv := startAppServerWith(t, func(c *Config) {
		c.VAPIDPrivateKey, c.VAPIDSubject, c.PushHosts = private, vapid.Subject, "127.0.0.1"
		c.SMTPHost, c.SMTPPort, c.SMTPTLS, c.SMTPFrom = "127.0.0.1", mb.port, "none", "kiemtra@soyte.cantho.gov.vn"
		c.NotifyInterval = 10 * time.Minute // the test runs the worker's cycle itself
	})
	m := srv.m
	ctx := context.Background()
	db := m.DB()
	// The service's worker delivers the morning's release when it starts, then waits ten
	// minutes: once that first cycle is over, the cycle below is the only one.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		q, err := db.FindNotifications(ctx, models.NotificationFilter{State: models.NotificationQueued})
		if err != nil {
			t.Fatal(err)
		}
		if len(q) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d notifications still queued after the worker's first cycle", len(q))
		}
	}

	// A business nobody visits today, and the team the tip pipeline sends there.
	city := appTeam(t, m, "city")
	today := map[string]bool{}
	for _, s := range appRoute(t, m, city.ID) {
		today[s.biz.ID] = true
	}
	var biz []*models.Business
	if err := db.Gorm().Where("status = ?", models.BusinessActive).Order("id").Limit(200).Find(&biz).Error; err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(biz, func(b *models.Business) bool { return !today[b.ID] })
	if i < 0 {
		t.Fatal("no business outside today's route")
	}
	b := biz[i]
	tip, _, err := m.tips.Create(ctx, "tips", tips.Input{Channel: "hotline", Description: "Quán có tiếp viên nhỏ tuổi, tôi là Trần Thị Mai, gọi 0912 345 678", BusinessID: b.ID, Severity: "high", ReporterContact: "0912 345 678"})
	if err != nil {
		t.Fatal(err)
	}
	if tip, err = m.tips.Transition(ctx, "tips", tip.ID, tips.TransitionInput{Version: tip.Version, To: models.TipVerifying}); err != nil {
		t.Fatal(err)
	}
	if tip, err = m.tips.Transition(ctx, "tips", tip.ID, tips.TransitionInput{Version: tip.Version, To: models.TipClassified, Type: "minors", Severity: "urgent"}); err != nil {
		t.Fatal(err)
	}
	// Who the visit went to: the inspector subscribed this phone to push (headless Chromium
	// reaches no push service, so the subscription is the test push service's), the lead gave
	// an e-mail address. Both are read when the worker delivers.
	task, err := db.FindTaskByID(ctx, *tip.TaskID)
	if err != nil || task.TeamID == nil {
		t.Fatalf("the urgent visit: %+v %v", task, err)
	}
	users, err := db.FindUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var inspector, lead *models.User
	for _, u := range users {
		if u.TeamID != nil && *u.TeamID == *task.TeamID && !u.Disabled {
			if u.Role == models.RoleInspector && inspector == nil {
				inspector = u
			}
			if u.Role == models.RoleTeamLead && lead == nil {
				lead = u
			}
		}
	}
	if inspector == nil || lead == nil {
		t.Fatalf("team %s has no inspector or no lead", *task.TeamID)
	}
	phone := peer.NewDevice(t)
	sub, err := phone.Subscription("vi").Validate(m.Config.pushHosts())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SavePushSubscription(ctx, inspector.ID, sub); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveNotificationSettings(ctx, lead.ID, models.NotificationSettingsUpdate{Email: "truong.doan@cantho.gov.vn"}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.notifier.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	// The morning's release may have pushed the team's day too; the urgent visit is pushed once.
	var pushed []pushtest.Received
	for _, r := range peer.Received() {
		if r.Message.Kind == models.NotifyUrgentTip {
			pushed = append(pushed, r)
		}
	}
	if len(pushed) != 1 || pushed[0].Endpoint != phone.Endpoint || len(peer.Refused()) != 0 {
		t.Fatalf("after one cycle the push service got %+v, refused %v", pushed, peer.Refused())
	}
	want := "Nhiệm vụ kiểm tra khẩn: " + b.Name
	if got := pushed[0].Message; got.Title != want || got.Link != "/app/#/task/"+*tip.TaskID {
		t.Fatalf("the push: %+v", got)
	}
	mb.mu.Lock()
	mails := append([]string(nil), mb.msgs...)
	mb.mu.Unlock()
	if len(mails) != 1 || !strings.Contains(mails[0], "truong.doan@cantho.gov.vn") {
		t.Fatalf("the SMTP server got %d mails: %q", len(mails), mails)
	}
	for _, secret := range []string{"0912 345 678", "0912345678", "Trần Thị Mai", "nhỏ tuổi"} {
		if strings.Contains(mails[0], secret) || strings.Contains(pushed[0].Message.Body, secret) || strings.Contains(pushed[0].Message.Title, secret) {
			t.Fatalf("a message names the reporter's %q", secret)
		}
	}

	p := newPageSession(t, "the app's notifications test", 2*time.Minute)
	if err := emulatePhone(p.ctx, srv); err != nil {
		t.Fatal(err)
	}
	var regMu sync.Mutex
	var regs []*serviceworker.Registration
	if err := chromedp.Listen(p.ctx, func(ev any) {
		if e, ok := ev.(*serviceworker.EventWorkerRegistrationUpdated); ok {
			regMu.Lock()
			regs = append(regs, e.Registrations...)
			regMu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(p.ctx, serviceworker.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.CallBrowser(p.ctx, browser.SetPermission, browser.SetPermissionParams{
		Permission: &browser.PermissionDescriptor{Name: "notifications"}, Setting: browser.PermissionSettingGranted, Origin: srv.url}); err != nil {
		t.Fatal(err)
	}
	inbox, err := db.FindInbox(ctx, inspector.ID, 0)
	if err != nil || len(inbox) == 0 || inbox[0].Kind != models.NotifyUrgentTip {
		t.Fatalf("the inspector's inbox: %v %v", inbox, err)
	}
	p.SignIn(srv.url, "/app/", inspector.Username, "#stops li, #view")
	if n := fmt.Sprint(len(inbox)); p.WaitText(`#notes-count`, n) != n {
		t.Fatalf("the bell counts %q, want %s", p.Text(`#notes-count`), n)
	}
	urgent := `#notes-list li[data-kind="urgent_tip"]`
	p.Do("the list", chromedp.Click(chromedp.CSS(`#notes-button`)), chromedp.WaitVisible(chromedp.CSS(urgent)))
	if got := p.Text(urgent + ` strong`); got != want {
		t.Errorf("the list shows %q", got)
	}
	screenshot(t, p.ctx, p.out, "app-notifications-vi-360x640.png", chromedp.CaptureScreenshot())
	p.Do("open it", chromedp.Click(chromedp.CSS(urgent+` button`)))
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if h := evalJS[string](t, p.ctx, `location.hash`); h == "#/task/"+*tip.TaskID {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("opening the notification led to %q", h)
		}
	}
	for deadline := time.Now().Add(10 * time.Second); inbox[0].ReadAt == nil; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("opening the notification did not mark it read on the server")
		}
		inbox, _ = db.FindInbox(ctx, inspector.ID, 0)
	}

	// The inspector switches the route's pushes off and sets quiet hours, on the phone.
	p.Do("the settings", chromedp.Evaluate[chromedp.Void](`location.hash = "#/notes/settings"`),
		chromedp.WaitVisible(chromedp.CSS(`fieldset[data-kind="team_day"] input[data-channel="push"]`)),
		chromedp.Click(chromedp.CSS(`fieldset[data-kind="team_day"] input[data-channel="push"]`)),
		chromedp.SetValue(chromedp.CSS(`#quiet-start`), "22:00"), chromedp.SetValue(chromedp.CSS(`#quiet-end`), "06:00"),
		chromedp.Click(chromedp.CSS(`#note-settings-save`)), chromedp.WaitVisible(chromedp.CSS(`#note-settings-saved`)))
	st, err := db.FindNotificationSettings(ctx, inspector.ID)
	if err != nil || st.Enabled(models.NotifyTeamDay, models.ChannelPush) || !st.Enabled(models.NotifyTeamDay, models.ChannelInApp) ||
		!st.Enabled(models.NotifyUrgentTip, models.ChannelPush) || st.QuietStart != "22:00" || st.QuietEnd != "06:00" {
		t.Errorf("the settings saved on the phone: %+v %v", st, err)
	}
	screenshot(t, p.ctx, p.out, "app-notification-settings-vi-360x640.png", chromedp.FullScreenshot(100))

	// The service worker shows the push it is handed (the payload as the push service
	// delivered it, decrypted).
	p.Do("the account", chromedp.Evaluate[chromedp.Void](`location.hash = "#/me"`), chromedp.WaitVisible(chromedp.CSS(`#push-card button, #push-state`)))
	var reg *serviceworker.Registration
	for deadline := time.Now().Add(10 * time.Second); reg == nil; time.Sleep(100 * time.Millisecond) {
		regMu.Lock()
		for _, r := range regs {
			if strings.HasPrefix(r.ScopeURL, srv.url+"/app/") && !r.IsDeleted {
				reg = r
			}
		}
		regMu.Unlock()
		if reg == nil && time.Now().After(deadline) {
			t.Fatal("the app's service worker did not register")
		}
	}
	payload, _ := json.Marshal(pushed[0].Message)
	if _, err := chromedp.Call(p.ctx, serviceworker.DeliverPushMessage, serviceworker.DeliverPushMessageParams{Origin: srv.url, RegistrationID: reg.RegistrationID, Data: string(payload)}); err != nil {
		t.Fatal(err)
	}
	shown := ""
	for deadline := time.Now().Add(10 * time.Second); shown == ""; time.Sleep(200 * time.Millisecond) {
		shown, err = chromedp.Run(p.ctx, chromedp.Evaluate[string](`navigator.serviceWorker.ready.then((r) => r.getNotifications()).then((ns) => ns.map((n) => n.title + '|' + n.tag).join(','))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if shown == "" && time.Now().After(deadline) {
			t.Fatal("the service worker showed no notification for the push")
		}
	}
	if wantShown := fmt.Sprintf("%s|%s", want, pushed[0].Message.ID); shown != wantShown {
		t.Errorf("the service worker shows %q, want %q", shown, wantShown)
	}
	screenshot(t, p.ctx, p.out, "app-account-push-vi-360x640.png", chromedp.CaptureScreenshot())
}
