package notify_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/notify"
	"kiemtra/notify/pushtest"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// pushWorld is the fixture with a push service, the server's VAPID keys and a worker that
// delivers in the app, by push and by e-mail.
type pushWorld struct {
	*fixture
	peer   *pushtest.Peer
	smtp   *smtpPeer
	worker *notify.Worker
}

func newPushWorld(t *testing.T, db *store.DB, clk *clock) *pushWorld {
	t.Helper()
	vapid, _, err := notify.GenerateVAPID("mailto:kiemtra@soyte.cantho.gov.vn")
	if err != nil {
		t.Fatal(err)
	}
	w := &pushWorld{fixture: newFixture(t, db, clk.Now), peer: pushtest.Start(t, vapid.Public), smtp: newSMTPPeer(t)}
	mailer, err := notify.NewMailer(notify.SMTPConfig{Host: w.smtp.Addr, Port: w.smtp.Port, User: "kiemtra", Password: "mật khẩu thử", TLS: notify.TLSNone,
		From: "kiemtra <kiemtra@socialabour.cantho.gov.vn>", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	channels := map[string]notify.Channel{models.ChannelInApp: notify.InApp{}, models.ChannelEmail: mailer,
		models.ChannelPush: notify.NewWebPush(vapid, db, nil)}
	w.worker = notify.NewWorker(db, channels, renderer(t), notify.Config{Owner: "test", Lease: time.Minute, Backoff: 30 * time.Second, MaxAttempts: 3}, clk.Now, vietnam(t), nil)
	return w
}

// subscribe subscribes a new device of u at the push service, as the app does.
func (w *pushWorld) subscribe(t *testing.T, u *models.User, lang string) *pushtest.Device {
	t.Helper()
	d := w.peer.NewDevice(t)
	s, err := d.Subscription(lang).Validate([]string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.db.SavePushSubscription(context.Background(), u.ID, s); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestAnUrgentTipIsPushedToTheTeamsPhonesInOneCycle(t *testing.T) {
	clk := &clock{t: noon}
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Channels: []string{models.ChannelInApp, models.ChannelPush, models.ChannelEmail}}, func(t *testing.T, db *store.DB) {
		clk.Set(noon)
		ctx := context.Background()
		w := newPushWorld(t, db, clk)
		phoneA := w.subscribe(t, w.inspector, "vi")
		phoneB := w.subscribe(t, w.inspector2, "en")
		old := w.subscribe(t, w.inspector2, "vi")
		w.peer.Unsubscribe(old) // the browser dropped it: the push service answers 410
		tip, err := w.classifyUrgent(t, w.svc)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := w.worker.RunOnce(ctx); err != nil || n != 7 {
			t.Fatalf("one cycle claimed %d (want the three members in the app and by push, the lead by e-mail): %v", n, err)
		}
		rows := outbox(t, db)
		for k, want := range map[string]string{
			w.inspector.ID + "/push": models.NotificationSent, w.inspector2.ID + "/push": models.NotificationSent,
			w.inspector.ID + "/in_app": models.NotificationSent, w.lead.ID + "/email": models.NotificationSent,
			w.lead.ID + "/push": models.NotificationSkipped, // no device subscribed
		} {
			if n := rows[k]; n == nil || n.State != want {
				t.Fatalf("row %s: %+v, want %s", k, n, want)
			}
		}
		if !strings.Contains(rows[w.lead.ID+"/push"].LastError, "no device") {
			t.Errorf("the lead's push was skipped for %q", rows[w.lead.ID+"/push"].LastError)
		}
		got := w.peer.Received()
		if len(got) != 2 || len(w.peer.Refused()) != 0 {
			t.Fatalf("the push service got %d pushes, refused %v", len(got), w.peer.Refused())
		}
		byEndpoint := map[string]pushtest.Received{}
		for _, g := range got {
			byEndpoint[g.Endpoint] = g
		}
		a, b := byEndpoint[phoneA.Endpoint], byEndpoint[phoneB.Endpoint]
		if a.Message.Title != "Nhiệm vụ kiểm tra khẩn: Karaoke Ánh Dương" || a.Message.Link != "/app/#/task/"+*tip.TaskID || a.Urgency != "high" ||
			a.Topic != strings.ReplaceAll(rows[w.inspector.ID+"/push"].ID, "-", "") || a.Message.ID != rows[w.inspector.ID+"/push"].ID {
			t.Fatalf("the inspector's phone got %+v", a)
		}
		if b.Message.Title != "Urgent inspection: Karaoke Ánh Dương" || !strings.Contains(b.Message.Body, "today") {
			t.Fatalf("the phone subscribed in English got %+v", b)
		}
		if subs, _ := db.FindPushSubscriptions(ctx, w.inspector2.ID); len(subs) != 1 || subs[0].Endpoint != phoneB.Endpoint {
			t.Fatalf("the gone subscription was not forgotten: %+v", subs)
		}
		if len(w.smtp.messages()) != 1 {
			t.Fatalf("the lead's mail: %d messages", len(w.smtp.messages()))
		}
		var texts []string
		for _, g := range got {
			texts = append(texts, g.Message.Title, g.Message.Body, g.Message.Link)
		}
		noReporterInAnyMessage(t, w.fixture, db, w.smtp, texts...)
	})
}

func TestAPushTheServiceCannotTakeNowIsSentLater(t *testing.T) {
	clk := &clock{t: noon}
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Channels: []string{models.ChannelInApp, models.ChannelPush}}, func(t *testing.T, db *store.DB) {
		clk.Set(noon)
		ctx := context.Background()
		w := newPushWorld(t, db, clk)
		w.subscribe(t, w.inspector, "vi")
		if _, err := w.classifyUrgent(t, w.svc); err != nil {
			t.Fatal(err)
		}
		w.peer.FailNext(1)
		if _, err := w.worker.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		n := outbox(t, db)[w.inspector.ID+"/push"]
		if n.State != models.NotificationQueued || n.Attempts != 1 || !strings.Contains(n.LastError, "503") {
			t.Fatalf("after a 503: %+v", n)
		}
		clk.Set(noon.Add(31 * time.Second))
		if _, err := w.worker.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		if n := outbox(t, db)[w.inspector.ID+"/push"]; n.State != models.NotificationSent || len(w.peer.Received()) != 1 {
			t.Fatalf("after the backoff: %+v, %d pushes", n, len(w.peer.Received()))
		}
	})
}

// A device that cannot take pushes any more (subscribed with an old key: 403) is forgotten and
// does not hold back the others; a message every device refuses (400) fails at once.
func TestADeviceThatRefusesPushesDoesNotHoldTheOthersBack(t *testing.T) {
	clk := &clock{t: noon}
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Channels: []string{models.ChannelInApp, models.ChannelPush}}, func(t *testing.T, db *store.DB) {
		clk.Set(noon)
		ctx := context.Background()
		w := newPushWorld(t, db, clk)
		w.subscribe(t, w.inspector, "vi")
		stale := w.subscribe(t, w.inspector, "vi")
		w.peer.Answer(stale, http.StatusForbidden)
		only := w.subscribe(t, w.inspector2, "vi")
		w.peer.Answer(only, http.StatusBadRequest)
		if _, err := w.classifyUrgent(t, w.svc); err != nil {
			t.Fatal(err)
		}
		if _, err := w.worker.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		rows := outbox(t, db)
		if n := rows[w.inspector.ID+"/push"]; n.State != models.NotificationSent || n.Attempts != 1 {
			t.Fatalf("the push to a phone beside a stale one: %+v", n)
		}
		if subs, _ := db.FindPushSubscriptions(ctx, w.inspector.ID); len(subs) != 1 || subs[0].Endpoint == stale.Endpoint {
			t.Fatalf("the stale subscription is kept: %+v", subs)
		}
		if n := rows[w.inspector2.ID+"/push"]; n.State != models.NotificationFailed || n.Attempts != 1 || !strings.Contains(n.LastError, "400") {
			t.Fatalf("a push every device refuses: %+v", n)
		}
	})
}
