package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
	"kiemtra/notify"
	"kiemtra/refdata"
	"kiemtra/sanctions"
	"kiemtra/store"
	"kiemtra/store/storetest"
	"kiemtra/tips"
)

// noon of a working day in Can Tho, in UTC.
var noon = time.Date(2026, 3, 10, 5, 0, 0, 0, time.UTC)

func TestAnUrgentTipNotifiesItsTeamInTheAppAndMailsTheLead(t *testing.T) {
	clk := &clock{t: noon}
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Channels: []string{models.ChannelInApp, models.ChannelEmail}}, func(t *testing.T, db *store.DB) {
		clk.Set(noon)
		ctx := context.Background()
		f := newFixture(t, db, clk.Now)
		peer := newSMTPPeer(t)
		if got := outbox(t, db); len(got) != 0 {
			t.Fatalf("verifying a tip notifies nobody, got %d rows", len(got))
		}
		tip, err := f.classifyUrgent(t, f.svc)
		if err != nil {
			t.Fatal(err)
		}
		rows := outbox(t, db)
		want := []string{f.inspector.ID + "/in_app", f.inspector2.ID + "/in_app", f.lead.ID + "/in_app", f.lead.ID + "/email"}
		if len(rows) != len(want) {
			t.Fatalf("the outbox has %d rows, want %d (the team's enabled members in the app, the lead by e-mail): %v", len(rows), len(want), rows)
		}
		for _, k := range want {
			n := rows[k]
			if n == nil || n.State != models.NotificationQueued || n.Kind != models.NotifyUrgentTip || n.Params["task_id"] != *tip.TaskID {
				t.Fatalf("row %s: %+v", k, n)
			}
		}
		w, m := newWorker(t, db, peer, clk.Now)
		if n, err := w.RunOnce(ctx); err != nil || n != 4 {
			t.Fatalf("one worker cycle delivered %d: %v", n, err)
		}
		rows = outbox(t, db)
		for _, k := range want {
			if n := rows[k]; n.State != models.NotificationSent || n.SentAt == nil || n.Attempts != 1 {
				t.Fatalf("after one cycle, row %s: %+v", k, n)
			}
		}
		inbox, err := db.FindInbox(ctx, f.inspector.ID, 0)
		if err != nil || len(inbox) != 1 || inbox[0].Link != "/app/#/task/"+*tip.TaskID {
			t.Fatalf("the inspector's inbox: %v %v", inbox, err)
		}
		mails := peer.messages()
		if len(mails) != 1 {
			t.Fatalf("the SMTP server got %d messages, want 1", len(mails))
		}
		got := mails[0]
		if got.To != "cuong.pq@ninhkieu.cantho.gov.vn" || got.From != "kiemtra@socialabour.cantho.gov.vn" {
			t.Fatalf("envelope %s -> %s", got.From, got.To)
		}
		if wantSubject := "Nhiệm vụ kiểm tra khẩn: Karaoke Ánh Dương"; got.Subject != wantSubject || !norm.NFC.IsNormalString(got.Subject) {
			t.Fatalf("subject %q, want %q", got.Subject, wantSubject)
		}
		for _, s := range []string{"Có tin báo khẩn về cơ sở Karaoke Ánh Dương, 12 đường Trần Văn Khéo", "Tổ Đoàn liên ngành Ninh Kiều", "ngày 10/03/2026",
			"https://kiemtra.cantho.gov.vn/office/#/team/day/2026-03-10", "Urgent inspection: Karaoke Ánh Dương"} {
			if !strings.Contains(got.Body, s) {
				t.Errorf("the mail's body lacks %q:\n%s", s, got.Body)
			}
		}
		if got.MessageID != "<"+m.MessageID(rows[f.lead.ID+"/email"].ID)+">" {
			t.Errorf("Message-ID %q is not the notification's", got.MessageID)
		}
		if len(peer.authed) == 0 {
			t.Error("the mailer sent without authenticating")
		}
		if !strings.Contains(got.Raw, "charset=UTF-8") {
			t.Errorf("the mail does not declare UTF-8:\n%s", got.Raw)
		}
		if n, err := w.RunOnce(ctx); err != nil || n != 0 || len(peer.messages()) != 1 {
			t.Fatalf("a second cycle delivered again: %d %v", n, err)
		}
		noReporterInAnyMessage(t, f, db, peer)
	})
}

// noReporterInAnyMessage scans every message sent (mails as received, every outbox row's
// params, link and rendered text, and the texts sent given) for the reporter's contact, name, and the tip's free text.
func noReporterInAnyMessage(t *testing.T, f *fixture, db *store.DB, peer *smtpPeer, sent ...string) {
	t.Helper()
	secrets := []string{f.contact, "0912345678", "345 678", f.reporterName, "tiếp viên dưới 18 tuổi", f.tipSecret}
	if f.tip.TrackingCode != nil {
		secrets = append(secrets, *f.tip.TrackingCode)
	}
	texts := append([]string(nil), sent...)
	for _, m := range peer.messages() {
		texts = append(texts, m.Raw, m.Subject, m.Body)
	}
	r := renderer(t)
	for _, n := range outbox(t, db) {
		txt := r.Render(n)
		texts = append(texts, n.Link, txt.TitleVI, txt.TitleEN, txt.BodyVI, txt.BodyEN)
		for k, v := range n.Params {
			texts = append(texts, k, v)
		}
	}
	if len(texts) == 0 {
		t.Fatal("nothing was sent to scan")
	}
	for _, s := range texts {
		for _, secret := range secrets {
			if secret != "" && strings.Contains(s, secret) {
				t.Fatalf("a message contains the reporter's %q:\n%s", secret, s)
			}
		}
	}
}

func TestNoNotificationUnlessTheTipsTransactionCommits(t *testing.T) {
	clk := &clock{t: noon}
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Channels: []string{models.ChannelInApp, models.ChannelEmail}}, func(t *testing.T, db *store.DB) {
		clk.Set(noon)
		ctx := context.Background()
		f := newFixture(t, db, clk.Now)
		t.Run("the caller's transaction rolls back", func(t *testing.T) {
			rollback := errors.New("rolled back by the test")
			err := db.Transaction(ctx, func(tx *store.DB) error {
				svc, err := tips.NewService(tx, nil, tips.DeriveKey("notify test"), models.DefaultTipDeadlines(), clk.Now, vietnam(t))
				if err != nil {
					return err
				}
				if _, err := f.classifyUrgent(t, svc); err != nil {
					return err
				}
				if got := outbox(t, tx); len(got) != 4 {
					t.Errorf("inside the transaction the outbox has %d rows, want 4", len(got))
				}
				return rollback
			})
			if !errors.Is(err, rollback) {
				t.Fatalf("transaction: %v", err)
			}
			if got := outbox(t, db); len(got) != 0 {
				t.Fatalf("the rolled-back classification left %d notifications", len(got))
			}
			if tip, _ := db.FindTipByID(ctx, f.tip.ID); tip.Status != models.TipVerifying || tip.TaskID != nil {
				t.Fatalf("the rolled-back tip is %s with task %v", tip.Status, tip.TaskID)
			}
		})
		t.Run("a notification that cannot be written undoes the step", func(t *testing.T) {
			tip, _ := db.FindTipByID(ctx, f.tip.ID)
			tip.Status = models.TipClassified
			bad := &models.Notification{UserID: "no such user", Channel: models.ChannelInApp, Kind: models.NotifyUrgentTip, EventKey: "x"}
			if err := db.SaveTip(ctx, "tips", models.TipClassified, tip, nil, bad); err == nil {
				t.Fatal("a notification to nobody was stored")
			}
			if again, _ := db.FindTipByID(ctx, f.tip.ID); again.Status != models.TipVerifying || again.Version != f.tip.Version {
				t.Fatalf("the tip moved without its notification: %s v%d", again.Status, again.Version)
			}
		})
		t.Run("a stale classification notifies nobody", func(t *testing.T) {
			stale := *f
			stale.tip = &models.Tip{ID: f.tip.ID, Version: f.tip.Version - 1}
			if _, err := stale.classifyUrgent(t, f.svc); !models.IsCode(err, models.ECONFLICT) {
				t.Fatalf("stale: %v", err)
			}
			if got := outbox(t, db); len(got) != 0 {
				t.Fatalf("a refused step left %d notifications", len(got))
			}
		})
		t.Run("the committed step notifies once, even when written twice", func(t *testing.T) {
			tip, err := f.classifyUrgent(t, f.svc)
			if err != nil {
				t.Fatal(err)
			}
			if got := outbox(t, db); len(got) != 4 {
				t.Fatalf("the committed classification left %d notifications, want 4", len(got))
			}
			again := UrgentAgain(t, db, tip)
			if got := outbox(t, db); len(got) != 4 || again != nil {
				t.Fatalf("the same event written again made %d rows (%v)", len(got), again)
			}
		})
	})
}

// UrgentAgain writes the notifications of tip's urgent classification a second time, as a
// retried event would.
func UrgentAgain(t *testing.T, db *store.DB, tip *models.Tip) error {
	t.Helper()
	ctx := context.Background()
	task, err := db.FindTaskByID(ctx, *tip.TaskID)
	if err != nil {
		t.Fatal(err)
	}
	team, err := db.FindTeamByID(ctx, *task.TeamID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.FindBusinessByID(ctx, task.BusinessID)
	if err != nil {
		t.Fatal(err)
	}
	users, err := db.FindUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return db.EnqueueNotifications(ctx, tips.UrgentTipNotifications(tip, task, b, team, users))
}

// dying is a channel whose process dies: before the message is handed over (after false) or
// right after the server accepted it (after true), it ends the worker's context.
type dying struct {
	next   notify.Channel
	after  bool
	cancel context.CancelFunc
}

func (d dying) Deliver(ctx context.Context, n *models.Notification, to notify.Recipient, text notify.Text) error {
	if d.after {
		if err := d.next.Deliver(ctx, n, to, text); err != nil {
			return err
		}
	}
	d.cancel()
	return ctx.Err()
}

func TestAWorkerKilledBeforeDeliveryDeliversAfterRestartExactlyOnce(t *testing.T) {
	clk := &clock{t: noon}
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Channels: []string{models.ChannelInApp, models.ChannelEmail}}, func(t *testing.T, db *store.DB) {
		clk.Set(noon)
		f := newFixture(t, db, clk.Now)
		peer := newSMTPPeer(t)
		if _, err := f.classifyUrgent(t, f.svc); err != nil {
			t.Fatal(err)
		}
		// The service is killed mid-round: it claimed the rows and dies handing the first over.
		ctx, cancel := context.WithCancel(context.Background())
		_, m := newWorker(t, db, peer, clk.Now)
		w := notify.NewWorker(db, map[string]notify.Channel{models.ChannelInApp: dying{cancel: cancel}, models.ChannelEmail: dying{cancel: cancel, next: m}},
			renderer(t), notify.Config{Owner: "doomed", Lease: time.Minute}, clk.Now, vietnam(t), nil)
		if _, err := w.RunOnce(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("the killed round: %v", err)
		}
		if len(peer.messages()) != 0 {
			t.Fatal("a mail left before the kill")
		}
		for k, n := range outbox(t, db) {
			if n.State != models.NotificationQueued {
				t.Fatalf("after the kill, %s is %s", k, n.State)
			}
		}
		// Restarted, as another process on the same database: the rows wait for their lease.
		again := storetest.Reopen(t, db, storetest.Options{Now: clk.Now})
		restarted, _ := newWorker(t, again, peer, clk.Now)
		if n, err := restarted.RunOnce(context.Background()); err != nil || n != 0 {
			t.Fatalf("rows leased to the dead worker were claimed before the lease ended: %d %v", n, err)
		}
		clk.Set(noon.Add(61 * time.Second))
		if n, err := restarted.RunOnce(context.Background()); err != nil || n != 4 {
			t.Fatalf("after the lease: %d %v", n, err)
		}
		for i := 0; i < 3; i++ {
			clk.Set(clk.Now().Add(5 * time.Minute))
			if n, err := restarted.RunOnce(context.Background()); err != nil || n != 0 {
				t.Fatalf("a later round claimed %d: %v", n, err)
			}
		}
		if got := peer.messages(); len(got) != 1 {
			t.Fatalf("the lead got %d mails, want exactly 1", len(got))
		}
		for k, n := range outbox(t, again) {
			if n.State != models.NotificationSent || n.Attempts != 1 {
				t.Fatalf("%s: %s after %d attempts", k, n.State, n.Attempts)
			}
		}
	})
}

func TestAWorkerKilledAfterTheServerAcceptedResendsTheSameMessageID(t *testing.T) {
	clk := &clock{t: noon}
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Channels: []string{models.ChannelInApp, models.ChannelEmail}}, func(t *testing.T, db *store.DB) {
		clk.Set(noon)
		f := newFixture(t, db, clk.Now)
		peer := newSMTPPeer(t)
		if _, err := f.classifyUrgent(t, f.svc); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		_, m := newWorker(t, db, peer, clk.Now)
		w := notify.NewWorker(db, map[string]notify.Channel{models.ChannelEmail: dying{cancel: cancel, next: m, after: true}},
			renderer(t), notify.Config{Owner: "doomed", Lease: time.Minute}, clk.Now, vietnam(t), nil)
		if _, err := w.RunOnce(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("the killed round: %v", err)
		}
		clk.Set(noon.Add(2 * time.Minute))
		restarted, _ := newWorker(t, db, peer, clk.Now)
		if _, err := restarted.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		got := peer.messages()
		if len(got) != 2 || got[0].MessageID != got[1].MessageID || got[0].MessageID == "" {
			t.Fatalf("a mail handed over twice must carry one Message-ID for the receiver to drop the repeat: %d mails %v", len(got), got)
		}
		if n := outbox(t, db)[f.lead.ID+"/email"]; n.State != models.NotificationSent {
			t.Fatalf("the mail's row is %s", n.State)
		}
	})
}

func TestWorkerStopsWithItsContext(t *testing.T) {
	db := storetest.NewSQLite(t, storetest.Options{})
	w, _ := newWorker(t, db, nil, time.Now)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx); close(done) }()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the worker did not stop with its context")
	}
}

func TestAFailedMailIsRetriedWithBackoffThenFailed(t *testing.T) {
	clk := &clock{t: noon}
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Channels: []string{models.ChannelInApp, models.ChannelEmail}}, func(t *testing.T, db *store.DB) {
		clk.Set(noon)
		ctx := context.Background()
		f := newFixture(t, db, clk.Now)
		peer := newSMTPPeer(t)
		if _, err := f.classifyUrgent(t, f.svc); err != nil {
			t.Fatal(err)
		}
		w, _ := newWorker(t, db, peer, clk.Now) // MaxAttempts 3, backoff 30s
		peer.refuseNext(1)
		w.RunOnce(ctx)
		n := outbox(t, db)[f.lead.ID+"/email"]
		if n.State != models.NotificationQueued || n.Attempts != 1 || !n.NextAttemptAt.Equal(noon.Add(30*time.Second)) || !strings.Contains(n.LastError, "451") {
			t.Fatalf("after a refusal: %s attempts %d next %v error %q", n.State, n.Attempts, n.NextAttemptAt, n.LastError)
		}
		if c, _ := w.RunOnce(ctx); c != 0 {
			t.Fatal("a row was retried before its backoff")
		}
		clk.Set(noon.Add(30 * time.Second))
		w.RunOnce(ctx)
		if n = outbox(t, db)[f.lead.ID+"/email"]; n.State != models.NotificationSent || n.Attempts != 2 || n.LastError != "" || len(peer.messages()) != 1 {
			t.Fatalf("the retry: %s attempts %d error %q mails %d", n.State, n.Attempts, n.LastError, len(peer.messages()))
		}

		// A server that refuses every time: 30s, then 60s, then failed after the third attempt.
		another := UrgentAgainFor(t, db, f, "another")
		peer.refuseNext(10)
		var failedRow *models.Notification
		for i, wait := range []time.Duration{0, 30 * time.Second, 60 * time.Second} {
			clk.Set(clk.Now().Add(wait))
			w.RunOnce(ctx)
			rows, _ := db.FindNotifications(ctx, models.NotificationFilter{UserID: f.lead.ID, Channel: models.ChannelEmail})
			for _, r := range rows {
				if r.ID == another.ID {
					failedRow = r
				}
			}
			if failedRow == nil || failedRow.Attempts != i+1 {
				t.Fatalf("attempt %d recorded as %d", i+1, failedRow.Attempts)
			}
		}
		if failedRow.State != models.NotificationFailed {
			t.Fatalf("after the last attempt the row is %s", failedRow.State)
		}
	})
}

// UrgentAgainFor queues a mail to the lead under another event key.
func UrgentAgainFor(t *testing.T, db *store.DB, f *fixture, key string) *models.Notification {
	t.Helper()
	n := &models.Notification{UserID: f.lead.ID, Channel: models.ChannelEmail, Kind: models.NotifyUrgentTip, EventKey: key,
		Params: models.NotificationParams{"business_name": f.business.Name}, Link: "/office/"}
	if err := db.EnqueueNotifications(context.Background(), []*models.Notification{n}); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSettingsAndQuietHoursAreRespected(t *testing.T) {
	// 23:00 in Can Tho.
	night := time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC)
	clk := &clock{t: night}
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Channels: []string{models.ChannelInApp, models.ChannelEmail}}, func(t *testing.T, db *store.DB) {
		clk.Set(night)
		ctx := context.Background()
		f := newFixture(t, db, clk.Now)
		peer := newSMTPPeer(t)
		quiet := models.NotificationSettingsUpdate{QuietStart: "22:00", QuietEnd: "06:30"}
		for _, u := range []*models.User{f.inspector} {
			if _, err := db.SaveNotificationSettings(ctx, u.ID, quiet); err != nil {
				t.Fatal(err)
			}
		}
		// The second inspector switched the kind off in the app.
		if _, err := db.SaveNotificationSettings(ctx, f.inspector2.ID, models.NotificationSettingsUpdate{
			Kinds: models.NotificationKindSettings{models.NotifyUrgentTip: {models.ChannelInApp: false}}}); err != nil {
			t.Fatal(err)
		}
		s, _ := db.FindNotificationSettings(ctx, f.lead.ID)
		if _, err := db.SaveNotificationSettings(ctx, f.lead.ID, models.NotificationSettingsUpdate{Version: s.Version, Email: s.Email, QuietStart: "22:00", QuietEnd: "06:30"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.classifyUrgent(t, f.svc); err != nil {
			t.Fatal(err)
		}
		w, _ := newWorker(t, db, peer, clk.Now)
		w.RunOnce(ctx)
		rows := outbox(t, db)
		if n := rows[f.inspector.ID+"/in_app"]; n.State != models.NotificationSent {
			t.Errorf("an urgent visit waits for the inspector's quiet hours: %s", n.State)
		}
		if n := rows[f.inspector2.ID+"/in_app"]; n.State != models.NotificationSkipped || n.LastError == "" {
			t.Errorf("a kind switched off was %s (%q)", n.State, n.LastError)
		}
		morning := time.Date(2026, 3, 10, 23, 30, 0, 0, time.UTC) // 06:30 on the 11th in Can Tho
		if n := rows[f.lead.ID+"/email"]; n.State != models.NotificationQueued || n.Attempts != 0 || !n.NextAttemptAt.Equal(morning) {
			t.Errorf("the lead's mail during quiet hours: %s attempts %d next %v, want queued until %v", n.State, n.Attempts, n.NextAttemptAt, morning)
		}
		if len(peer.messages()) != 0 {
			t.Fatal("a mail was sent during the lead's quiet hours")
		}
		clk.Set(morning.Add(-time.Minute))
		if c, _ := w.RunOnce(ctx); c != 0 {
			t.Fatal("the held mail was claimed before the quiet hours ended")
		}
		clk.Set(morning)
		w.RunOnce(ctx)
		if n := outbox(t, db)[f.lead.ID+"/email"]; n.State != models.NotificationSent || len(peer.messages()) != 1 {
			t.Fatalf("after the quiet hours the mail is %s, %d sent", n.State, len(peer.messages()))
		}
	})
}

func TestDecide(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
	at := func(h, m int) time.Time { return time.Date(2026, 3, 10, h, m, 0, 0, loc) }
	quiet := &models.NotificationSettings{QuietStart: "22:00", QuietEnd: "06:30"}
	off := &models.NotificationSettings{Kinds: models.NotificationKindSettings{models.NotifyUrgentTip: {models.ChannelEmail: false}}}
	mail := &models.Notification{Kind: models.NotifyUrgentTip, Channel: models.ChannelEmail}
	urgent := &models.Notification{Kind: models.NotifyUrgentTip, Channel: models.ChannelInApp, BypassQuiet: true}
	user := &models.User{}
	for _, tc := range []struct {
		name  string
		n     *models.Notification
		u     *models.User
		s     *models.NotificationSettings
		now   time.Time
		want  notify.Action
		until time.Time
	}{
		{"no settings: delivered", mail, user, &models.NotificationSettings{}, at(23, 0), notify.Deliver, time.Time{}},
		{"before quiet hours: delivered", mail, user, quiet, at(21, 59), notify.Deliver, time.Time{}},
		{"in the evening: held until the morning", mail, user, quiet, at(22, 0), notify.Hold, at(6, 30).AddDate(0, 0, 1)},
		{"after midnight: held until the same morning", mail, user, quiet, at(3, 0), notify.Hold, at(6, 30)},
		{"at the end of quiet hours: delivered", mail, user, quiet, at(6, 30), notify.Deliver, time.Time{}},
		{"an urgent visit passes quiet hours", urgent, user, quiet, at(23, 0), notify.Deliver, time.Time{}},
		{"a kind switched off on the channel is skipped", mail, user, off, at(12, 0), notify.Skip, time.Time{}},
		{"the kind stays on on other channels", urgent, user, off, at(12, 0), notify.Deliver, time.Time{}},
		{"a disabled user gets nothing", urgent, &models.User{Disabled: true}, quiet, at(12, 0), notify.Skip, time.Time{}},
		{"daytime quiet hours", mail, user, &models.NotificationSettings{QuietStart: "12:00", QuietEnd: "13:30"}, at(12, 15), notify.Hold, at(13, 30)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, until, _ := notify.Decide(tc.n, tc.u, tc.s, tc.now, loc)
			if got != tc.want || !until.Equal(tc.until) {
				t.Fatalf("got %v until %v, want %v until %v", got, until, tc.want, tc.until)
			}
		})
	}
}

func TestBackoffDoublesUpToItsCap(t *testing.T) {
	for _, tc := range []struct {
		attempt int
		want    time.Duration
	}{{1, 30 * time.Second}, {2, time.Minute}, {3, 2 * time.Minute}, {8, 64 * time.Minute}, {9, 90 * time.Minute}, {50, 90 * time.Minute}} {
		if got := notify.Backoff(tc.attempt, 30*time.Second, 90*time.Minute); got != tc.want {
			t.Errorf("attempt %d: %v, want %v", tc.attempt, got, tc.want)
		}
	}
}

func TestAMissedDeadlineNotifiesTheTipOfficerAndThePlannersOnce(t *testing.T) {
	clk := &clock{t: noon}
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Channels: []string{models.ChannelInApp, models.ChannelEmail}}, func(t *testing.T, db *store.DB) {
		clk.Set(noon)
		ctx := context.Background()
		f := newFixture(t, db, clk.Now)
		peer := newSMTPPeer(t)
		if _, err := db.SaveNotificationSettings(ctx, f.planner.ID, models.NotificationSettingsUpdate{Email: "hai.tv@soyte.cantho.gov.vn"}); err != nil {
			t.Fatal(err)
		}
		job := &tips.EscalationJob{Service: f.svc}
		if _, err := job.Run(ctx, clk.Now()); err != nil {
			t.Fatal(err)
		}
		if got := outbox(t, db); len(got) != 0 {
			t.Fatalf("a tip within its deadlines notified %d", len(got))
		}
		late := f.tip.HandleDue.Add(time.Hour)
		clk.Set(late)
		for i := 0; i < 2; i++ {
			if _, err := job.Run(ctx, late); err != nil {
				t.Fatal(err)
			}
		}
		rows := outbox(t, db)
		want := []string{f.officer.ID + "/in_app", f.officer.ID + "/email", f.planner.ID + "/in_app", f.planner.ID + "/email"}
		if len(rows) != len(want) {
			t.Fatalf("the missed deadline made %d rows, want %d (once, however many runs): %v", len(rows), len(want), rows)
		}
		for _, k := range want {
			if n := rows[k]; n == nil || n.Kind != models.NotifyTipOverdue || n.Params["deadline"] != "handle" || n.Link != "/office/#/tips/"+f.tip.ID {
				t.Fatalf("row %s: %+v", k, n)
			}
		}
		w, _ := newWorker(t, db, peer, clk.Now)
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		mails := peer.messages()
		if len(mails) != 1 || mails[0].To != "hai.tv@soyte.cantho.gov.vn" || mails[0].Subject != "Tin báo quá hạn xử lý về Karaoke Ánh Dương" {
			t.Fatalf("mails: %+v", mails)
		}
		wantDue := f.tip.HandleDue.In(vietnam(t)).Format("15:04 02/01/2006")
		if !strings.Contains(mails[0].Body, "quá hạn xử lý lúc "+wantDue) {
			t.Fatalf("the body does not say when it was due (%s):\n%s", wantDue, mails[0].Body)
		}
		// The officer has no address: the mail is skipped, said so in the outbox.
		if n := outbox(t, db)[f.officer.ID+"/email"]; n.State != models.NotificationSkipped || !strings.Contains(n.LastError, "no e-mail address") {
			t.Fatalf("the officer's mail: %s %q", n.State, n.LastError)
		}
		noReporterInAnyMessage(t, f, db, peer)
	})
}

func TestEveryKindIsWordedInVietnameseAndEnglish(t *testing.T) {
	r := renderer(t)
	params := map[string]models.NotificationParams{
		models.NotifyUrgentTip:       {"business_name": "Karaoke Ánh Dương", "business_address": "12 Trần Văn Khéo", "category": "karaoke", "team_name": "Tổ 1", "day": "2026-03-10", "task_id": "T"},
		models.NotifyTipOverdue:      {"deadline": "verify", "due": "09:00 11/03/2026", "severity": "urgent", "place": "Phường Cái Khế", "tip_id": "X"},
		models.NotifyTipDueSoon:      {"deadline": "handle", "due": "09:00 11/03/2026", "severity": "high", "place": "Karaoke Ánh Dương", "tip_id": "X"},
		models.NotifyTeamDay:         {"day": "2026-03-10", "visits": "3", "change": "released"},
		models.NotifyPlanInfeasible:  {"programme_code": "CT-2026", "programme_name": "Chương trình 2026-2030", "year": "2026", "open": "120", "capacity": "80", "shortfall": "40"},
		models.NotifySanctionOverdue: {"business_name": "Karaoke Ánh Dương", "due": "2026-03-10", "step": "fine", "decision_no": "12/QĐ-XPHC", "sanction_id": "S"},
		models.NotifyResultRejected:  {"operation": "inspection", "id": "I", "task_id": "T", "business_name": "Karaoke Ánh Dương", "code": "invalid", "field": "findings"},
		models.NotifySubmissionDue: {"programme_id": "P", "programme_name": "Chương trình 2026-2030", "period": "2026-Q1", "unit": "31120", "unit_name": "Quận Ninh Kiều",
			"due": "2026-04-15", "phase": "late", "figures": "2"},
		models.NotifySubmissionReturned: {"programme_id": "P", "programme_name": "Chương trình 2026-2030", "indicator": "outreach", "indicator_vi": "Tuyên truyền",
			"indicator_en": "Outreach", "period": "2026-H1", "unit": "31120", "unit_name": "Quận Ninh Kiều", "due": "2026-07-15", "version": "2", "submission_id": "S"},
	}
	for _, kind := range models.NotificationKinds {
		t.Run(kind, func(t *testing.T) {
			p, ok := params[kind]
			if !ok {
				t.Fatalf("no params for %s in this test", kind)
			}
			txt := r.Render(&models.Notification{Kind: kind, Params: p})
			for _, s := range []string{txt.TitleVI, txt.TitleEN, txt.BodyVI, txt.BodyEN} {
				if strings.TrimSpace(s) == "" || !norm.NFC.IsNormalString(s) || strings.Contains(s, "Thông báo mới") {
					t.Fatalf("%s is worded %+v", kind, txt)
				}
			}
			if txt.TitleVI == txt.TitleEN {
				t.Fatalf("%s has no Vietnamese title: %q", kind, txt.TitleVI)
			}
		})
	}
	if txt := r.Render(&models.Notification{Kind: "from_a_newer_version"}); txt.TitleVI != "Thông báo mới" {
		t.Fatalf("an unknown kind: %+v", txt)
	}
}

func TestAnOverdueSanctionIsNotifiedOncePerDeadline(t *testing.T) {
	clk := &clock{t: noon}
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Channels: []string{models.ChannelInApp, models.ChannelEmail}}, func(t *testing.T, db *store.DB) {
		clk.Set(noon)
		ctx := context.Background()
		f := newFixture(t, db, clk.Now)
		pens, err := refdata.Penalties()
		if err != nil {
			t.Fatal(err)
		}
		svc := sanctions.New(db, pens, clk.Now, vietnam(t))
		sn, _, err := svc.Propose(ctx, f.lead.Username, sanctions.ProposeInput{BusinessID: f.business.ID, ViolationCode: "HOURS"})
		if err != nil {
			t.Fatal(err)
		}
		if sn, err = svc.Update(ctx, f.planner.Username, sn.ID, sanctions.UpdateInput{Version: sn.Version, Decision: &sanctions.DecisionInput{
			Number: "12/QĐ-XPHC", Date: models.NewDate(2026, 2, 20), Authority: "Chủ tịch UBND phường", FineAmount: 15000000}}); err != nil {
			t.Fatal(err)
		}
		job := &sanctions.OverdueJob{Service: svc, Store: db}
		// The fine is due ten days after the decision, on 2 March; the job runs on 10 March.
		for i := 0; i < 2; i++ {
			if _, err := job.Run(ctx, clk.Now()); err != nil {
				t.Fatal(err)
			}
		}
		rows := outbox(t, db)
		want := []string{f.planner.ID + "/in_app", f.planner.ID + "/email", f.lead.ID + "/in_app", f.lead.ID + "/email"}
		if len(rows) != len(want) {
			t.Fatalf("the overdue fine made %d rows, want %d (the city's planner and the proposer, once): %v", len(rows), len(want), rows)
		}
		for _, k := range want {
			n := rows[k]
			if n == nil || n.Kind != models.NotifySanctionOverdue || n.Params["step"] != "fine" || n.Params["due"] != "2026-03-02" || n.Params["business_name"] != f.business.Name {
				t.Fatalf("row %s: %+v", k, n)
			}
		}
		// Paid: nothing more is due, and a later run adds nothing.
		if _, err := svc.Update(ctx, f.planner.Username, sn.ID, sanctions.UpdateInput{Version: sn.Version, Payment: &sanctions.PaymentInput{
			PaidOn: models.NewDate(2026, 3, 10), Amount: 15000000, ReceiptNo: "BL1"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := job.Run(ctx, clk.Now().Add(48*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got := outbox(t, db); len(got) != len(want) {
			t.Fatalf("a paid sanction was notified again: %d rows", len(got))
		}
	})
}

// slow is a channel that takes a minute per message (on the test's clock).
type slow struct {
	clk  *clock
	sent *int
}

func (s slow) Deliver(context.Context, *models.Notification, notify.Recipient, notify.Text) error {
	s.clk.Set(s.clk.Now().Add(time.Minute))
	*s.sent++
	return nil
}

func TestAWorkerStopsItsBatchBeforeItsLeaseRunsOut(t *testing.T) {
	clk := &clock{t: noon}
	db := storetest.NewSQLite(t, storetest.Options{Now: clk.Now})
	ctx := context.Background()
	f := newFixture(t, db, clk.Now)
	var notes []*models.Notification
	for i := 0; i < 6; i++ {
		notes = append(notes, &models.Notification{UserID: f.inspector.ID, Channel: models.ChannelInApp, Kind: models.NotifyUrgentTip, EventKey: "slow" + string(rune('a'+i))})
	}
	if err := db.EnqueueNotifications(ctx, notes); err != nil {
		t.Fatal(err)
	}
	sent := 0
	w := notify.NewWorker(db, map[string]notify.Channel{models.ChannelInApp: slow{clk, &sent}}, renderer(t), notify.Config{Lease: 4 * time.Minute}, clk.Now, vietnam(t), nil)
	if n, err := w.RunOnce(ctx); err != nil || n != 6 {
		t.Fatalf("claimed %d: %v", n, err)
	}
	// A four-minute lease: the third message starts at 2m, the fourth would start past half of it.
	if sent != 3 {
		t.Fatalf("%d messages sent in one batch, want 3 (stopped past half the lease)", sent)
	}
	clk.Set(clk.Now().Add(2 * time.Minute)) // the lease of the rest ends
	if n, _ := w.RunOnce(ctx); n != 3 || sent != 6 {
		t.Fatalf("the rest: claimed %d, sent %d in all", n, sent)
	}
}

func TestATipNearItsDeadlineWarnsItsOfficerOnce(t *testing.T) {
	clk := &clock{t: noon}
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Channels: []string{models.ChannelInApp, models.ChannelEmail}}, func(t *testing.T, db *store.DB) {
		clk.Set(noon)
		ctx := context.Background()
		f := newFixture(t, db, clk.Now)
		job := &tips.EscalationJob{Service: f.svc}
		due := *f.tip.HandleDue
		for _, tc := range []struct {
			name string
			at   time.Time
			want int
		}{
			{"seven hours before: not yet", due.Add(-7 * time.Hour), 0},
			{"five hours before: the officer who verified it, in the app and by e-mail", due.Add(-5 * time.Hour), 2},
			{"an hour later: not again", due.Add(-4 * time.Hour), 2},
		} {
			t.Run(tc.name, func(t *testing.T) {
				clk.Set(tc.at)
				if _, err := job.Run(ctx, tc.at); err != nil {
					t.Fatal(err)
				}
				rows := outbox(t, db)
				if len(rows) != tc.want {
					t.Fatalf("%d rows, want %d: %v", len(rows), tc.want, rows)
				}
				for k, n := range rows {
					if n.UserID != f.officer.ID || n.Kind != models.NotifyTipDueSoon || n.Params["deadline"] != "handle" {
						t.Fatalf("%s: %+v", k, n)
					}
				}
			})
		}
		if txt := renderer(t).Render(outbox(t, db)[f.officer.ID+"/in_app"]); txt.TitleVI != "Tin báo sắp đến hạn xử lý về Karaoke Ánh Dương" {
			t.Fatalf("worded %+v", txt)
		}
	})
}

func TestTheWorkerPurgesTheOldOutboxOnceADay(t *testing.T) {
	clk := &clock{t: noon}
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Channels: []string{models.ChannelInApp, models.ChannelEmail}}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk.Set(noon)
		f := newFixture(t, db, clk.Now)
		w, _ := newWorker(t, db, nil, clk.Now) // the default retention: 180 days
		const day = 24 * time.Hour
		// a, delivered 200 days before noon; b, delivered 180 days before noon plus six hours;
		// q, still queued (due next year) from 200 days ago; c, delivered at noon.
		enqueue := func(at time.Time, key string, due time.Time) *models.Notification {
			t.Helper()
			clk.Set(at)
			n := &models.Notification{UserID: f.inspector.ID, Channel: models.ChannelInApp, Kind: models.NotifyUrgentTip, EventKey: key, NextAttemptAt: due}
			if err := db.EnqueueNotifications(ctx, []*models.Notification{n}); err != nil {
				t.Fatal(err)
			}
			if _, err := w.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			return n
		}
		a := enqueue(noon.Add(-200*day), "a", time.Time{})
		q := enqueue(noon.Add(-200*day), "q", noon.AddDate(1, 0, 0))
		b := enqueue(noon.Add(-180*day+6*time.Hour), "b", time.Time{})
		present := func(when string, want map[*models.Notification]bool) {
			t.Helper()
			rows, err := db.FindNotifications(ctx, models.NotificationFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, r := range rows {
				got[r.ID] = true
			}
			for n, keep := range want {
				if got[n.ID] != keep {
					t.Errorf("%s: row %s kept %v, want %v", when, n.EventKey, got[n.ID], keep)
				}
			}
		}
		present("before", map[*models.Notification]bool{a: true, b: true, q: true})
		c := enqueue(noon, "c", time.Time{}) // the round at noon
		present("at noon", map[*models.Notification]bool{a: false, b: true, c: true, q: true})
		// Twelve hours on, b is past the retention, but the cleanup ran less than a day ago.
		clk.Set(noon.Add(12 * time.Hour))
		w.RunOnce(ctx)
		present("twelve hours on", map[*models.Notification]bool{b: true, c: true, q: true})
		clk.Set(noon.Add(day))
		w.RunOnce(ctx)
		present("a day on", map[*models.Notification]bool{b: false, c: true, q: true})
	})
}
