package notify_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
	"kiemtra/notify"
	"kiemtra/store"
	"kiemtra/store/storetest"
	"kiemtra/tips"
)

var textChannels = []string{models.ChannelInApp, models.ChannelEmail, models.ChannelSMS, models.ChannelZalo}

// newTextWorker returns a worker over db in the app and on the text channels given.
func newTextWorker(t *testing.T, db *store.DB, now func() time.Time, texts map[string]notify.Channel) *notify.Worker {
	t.Helper()
	channels := map[string]notify.Channel{models.ChannelInApp: notify.InApp{}}
	for k, v := range texts {
		channels[k] = v
	}
	return notify.NewWorker(db, channels, renderer(t), notify.Config{Owner: "test", Lease: time.Minute, Backoff: 30 * time.Second, MaxAttempts: 3}, now, vietnam(t), nil)
}

func TestATextMessageReachesOnlyThePhoneOfWhoSwitchedItOn(t *testing.T) {
	clk := &clock{t: noon}
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Channels: textChannels}, func(t *testing.T, db *store.DB) {
		clk.Set(noon)
		ctx := context.Background()
		f := newFixture(t, db, clk.Now)
		sms, zalo := newProviderPeer(t, "mã-sms-thử"), newProviderPeer(t, "zalo-token")
		// The officer gave a phone and switched the overdue tips on by SMS, not by Zalo; the
		// planner switched SMS on but gave no phone.
		if _, err := db.SaveNotificationSettings(ctx, f.officer.ID, models.NotificationSettingsUpdate{Phone: "0987 654 321",
			Kinds: models.NotificationKindSettings{models.NotifyTipOverdue: {models.ChannelSMS: true}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveNotificationSettings(ctx, f.planner.ID, models.NotificationSettingsUpdate{
			Kinds: models.NotificationKindSettings{models.NotifyTipOverdue: {models.ChannelSMS: true, models.ChannelZalo: true}}}); err != nil {
			t.Fatal(err)
		}
		late := f.tip.HandleDue.Add(time.Hour)
		clk.Set(late)
		if _, err := (&tips.EscalationJob{Service: f.svc}).Run(ctx, late); err != nil {
			t.Fatal(err)
		}
		w := newTextWorker(t, db, clk.Now, map[string]notify.Channel{models.ChannelSMS: texter(t, models.ChannelSMS, sms), models.ChannelZalo: texter(t, models.ChannelZalo, zalo)})
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		rows := outbox(t, db)
		row := rows[f.officer.ID+"/sms"]
		if row == nil || row.State != models.NotificationSent || row.Attempts != 1 {
			t.Fatalf("the officer's SMS: %+v", row)
		}
		sms.refused(t)
		got := sms.got()
		if len(got) != 1 || sms.took(row.ID) != 1 {
			t.Fatalf("the SMS provider got %d requests, want 1: %+v", len(got), got)
		}
		r := got[0]
		if r.Auth != "Bearer mã-sms-thử" || r.Key != row.ID || r.Msg.ID != row.ID || !strings.HasPrefix(r.ContentType, "application/json") {
			t.Fatalf("the request's token %q, key %q, id %q, type %q; the row is %s", r.Auth, r.Key, r.Msg.ID, r.ContentType, row.ID)
		}
		wantText := "Tin báo quá hạn xử lý về Karaoke Ánh Dương\nXem chi tiết: https://kiemtra.cantho.gov.vn/office/#/tips/" + f.tip.ID
		if r.Msg.Phone != "+84987654321" || r.Msg.Channel != models.ChannelSMS || r.Msg.Text != wantText || !norm.NFC.IsNormalString(r.Msg.Text) {
			t.Fatalf("the message %+v, want the text %q to +84987654321", r.Msg, wantText)
		}
		if n := len(zalo.got()); n != 0 {
			t.Fatalf("the Zalo provider got %d requests: nobody with a phone switched Zalo on", n)
		}
		for k, want := range map[string]string{
			f.officer.ID + "/zalo": "switched off", // opt-in: not switched on
			f.planner.ID + "/sms":  "no phone number",
			f.planner.ID + "/zalo": "no phone number",
		} {
			if n := rows[k]; n == nil || n.State != models.NotificationSkipped || !strings.Contains(n.LastError, want) {
				t.Errorf("%s: %+v, want skipped (%s)", k, n, want)
			}
		}
		if n, err := w.RunOnce(ctx); err != nil || n != 0 || len(sms.got()) != 1 {
			t.Fatalf("a second round sent again: %d %v", n, err)
		}
		noReporterInAnyMessage(t, f, db, newSMTPPeer(t), r.Msg.Text)
	})
}

// textTo queues a text message of kind urgent_tip to the lead, who gave a phone and switched
// the kind on for the channel.
func textTo(t *testing.T, db *store.DB, f *fixture, channel, key string) *models.Notification {
	t.Helper()
	ctx := context.Background()
	s, err := db.FindNotificationSettings(ctx, f.lead.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s.Phone == "" || !s.Enabled(models.NotifyUrgentTip, channel) {
		kinds := s.Kinds
		if kinds[models.NotifyUrgentTip] == nil {
			kinds[models.NotifyUrgentTip] = models.ChannelSwitch{}
		}
		kinds[models.NotifyUrgentTip][channel] = true
		if _, err := db.SaveNotificationSettings(ctx, f.lead.ID, models.NotificationSettingsUpdate{Version: s.Version, Email: s.Email, Phone: "+84912000111", Kinds: kinds}); err != nil {
			t.Fatal(err)
		}
	}
	n := &models.Notification{UserID: f.lead.ID, Channel: channel, Kind: models.NotifyUrgentTip, EventKey: key,
		Params: models.NotificationParams{"business_name": f.business.Name}, Link: "/office/"}
	if err := db.EnqueueNotifications(ctx, []*models.Notification{n}); err != nil {
		t.Fatal(err)
	}
	return n
}

// row reads one row of the outbox by id.
func row(t *testing.T, db *store.DB, id string) *models.Notification {
	t.Helper()
	rows, err := db.FindNotifications(context.Background(), models.NotificationFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range rows {
		if n.ID == id {
			return n
		}
	}
	t.Fatalf("no row %s in the outbox", id)
	return nil
}

func TestAProviderThatFailsIsRetriedAndOneThatRefusesFailsTheMessageAtOnce(t *testing.T) {
	clk := &clock{t: noon}
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Channels: textChannels}, func(t *testing.T, db *store.DB) {
		clk.Set(noon)
		ctx := context.Background()
		f := newFixture(t, db, clk.Now)
		peer := newProviderPeer(t, "zalo-token")
		w := newTextWorker(t, db, clk.Now, map[string]notify.Channel{models.ChannelZalo: texter(t, models.ChannelZalo, peer)})

		t.Run("a 500 is retried after the backoff and delivered once", func(t *testing.T) {
			n := textTo(t, db, f, models.ChannelZalo, "e500")
			peer.answer(http.StatusInternalServerError)
			w.RunOnce(ctx)
			got := row(t, db, n.ID)
			if got.State != models.NotificationQueued || got.Attempts != 1 || !got.NextAttemptAt.Equal(clk.Now().Add(30*time.Second)) || !strings.Contains(got.LastError, "500") {
				t.Fatalf("after a 500: %s attempts %d next %v error %q", got.State, got.Attempts, got.NextAttemptAt, got.LastError)
			}
			clk.Set(clk.Now().Add(30 * time.Second))
			w.RunOnce(ctx)
			if got = row(t, db, n.ID); got.State != models.NotificationSent || got.Attempts != 2 || got.LastError != "" {
				t.Fatalf("the retry: %s attempts %d error %q", got.State, got.Attempts, got.LastError)
			}
			if peer.took(n.ID) != 1 {
				t.Fatalf("the provider accepted the message %d times, want once", peer.took(n.ID))
			}
		})
		t.Run("a 429 is retried too", func(t *testing.T) {
			n := textTo(t, db, f, models.ChannelZalo, "e429")
			peer.answer(http.StatusTooManyRequests)
			w.RunOnce(ctx)
			if got := row(t, db, n.ID); got.State != models.NotificationQueued || got.Attempts != 1 || !strings.Contains(got.LastError, "429") {
				t.Fatalf("after a 429: %s attempts %d error %q", got.State, got.Attempts, got.LastError)
			}
			clk.Set(clk.Now().Add(30 * time.Second))
			w.RunOnce(ctx)
			if got := row(t, db, n.ID); got.State != models.NotificationSent || peer.took(n.ID) != 1 {
				t.Fatalf("the retry after a 429: %s, reached %d", got.State, peer.took(n.ID))
			}
		})
		t.Run("a 400 fails the message at once", func(t *testing.T) {
			n := textTo(t, db, f, models.ChannelZalo, "e400")
			peer.answer(http.StatusBadRequest)
			before := len(peer.got())
			w.RunOnce(ctx)
			got := row(t, db, n.ID)
			if got.State != models.NotificationFailed || got.Attempts != 1 || !strings.Contains(got.LastError, "400") || !strings.Contains(got.LastError, notify.ErrRejected.Error()) {
				t.Fatalf("after a 400: %s attempts %d error %q, want failed after one attempt", got.State, got.Attempts, got.LastError)
			}
			for i := 0; i < 3; i++ {
				clk.Set(clk.Now().Add(time.Hour))
				if c, _ := w.RunOnce(ctx); c != 0 {
					t.Fatal("a refused message was claimed again")
				}
			}
			if after := len(peer.got()); after != before+1 || peer.took(n.ID) != 0 {
				t.Fatalf("the provider got %d requests for the refused message, want 1", after-before)
			}
		})
		peer.refused(t)

		t.Run("no answer at all is retried", func(t *testing.T) {
			gone := httptest.NewServer(http.NotFoundHandler())
			gone.Close() // nothing listens there any more
			p, err := notify.NewHTTPProvider(notify.HTTPProviderConfig{URL: gone.URL + "/v1/messages", Token: "t", Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			down := newTextWorker(t, db, clk.Now, map[string]notify.Channel{models.ChannelSMS: notify.NewTexter(models.ChannelSMS, p, "")})
			n := textTo(t, db, f, models.ChannelSMS, "down")
			down.RunOnce(ctx)
			if got := row(t, db, n.ID); got.State != models.NotificationQueued || got.Attempts != 1 || got.LastError == "" {
				t.Fatalf("a provider that does not answer: %s attempts %d error %q", got.State, got.Attempts, got.LastError)
			}
		})
	})
}

func TestAWorkerKilledAfterTheProviderAcceptedResendsTheSameIdempotencyKey(t *testing.T) {
	clk := &clock{t: noon}
	storetest.RunWith(t, storetest.Options{Now: clk.Now, Channels: textChannels}, func(t *testing.T, db *store.DB) {
		clk.Set(noon)
		f := newFixture(t, db, clk.Now)
		peer := newProviderPeer(t, "sms-token")
		n := textTo(t, db, f, models.ChannelSMS, "killed")
		// The process dies right after the provider accepted the message, before the mark.
		ctx, cancel := context.WithCancel(context.Background())
		doomed := notify.NewWorker(db, map[string]notify.Channel{models.ChannelSMS: dying{cancel: cancel, next: texter(t, models.ChannelSMS, peer), after: true}},
			renderer(t), notify.Config{Owner: "doomed", Lease: time.Minute}, clk.Now, vietnam(t), nil)
		if _, err := doomed.RunOnce(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("the killed round: %v", err)
		}
		if got := row(t, db, n.ID); got.State != models.NotificationQueued || len(peer.got()) != 1 {
			t.Fatalf("after the kill the row is %s, the provider got %d", got.State, len(peer.got()))
		}
		clk.Set(noon.Add(2 * time.Minute))
		restarted := newTextWorker(t, storetest.Reopen(t, db, storetest.Options{Now: clk.Now}), clk.Now,
			map[string]notify.Channel{models.ChannelSMS: texter(t, models.ChannelSMS, peer)})
		if _, err := restarted.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		peer.refused(t)
		got := peer.got()
		if len(got) != 2 || got[0].Key != n.ID || got[1].Key != n.ID || got[0].Msg != got[1].Msg {
			t.Fatalf("a message handed over twice must carry one Idempotency-Key, the row's id %s: %+v", n.ID, got)
		}
		// Both were accepted: a provider that honours the key sends the second as the first.
		if peer.took(n.ID) != 2 {
			t.Fatalf("the provider accepted the message %d times, want the two hand-overs", peer.took(n.ID))
		}
		if r := row(t, db, n.ID); r.State != models.NotificationSent {
			t.Fatalf("the row is %s", r.State)
		}
	})
}

func TestATextMessageIsTheTitleAndTheLinkAndNeverTooLong(t *testing.T) {
	long := strings.Repeat("Karaoke Ánh Dương ", 40)
	for _, tc := range []struct {
		name, base, link, title string
		want                    string
	}{
		{"the title and the absolute link", "https://kiemtra.cantho.gov.vn/", "/office/#/tips/T1", "Tin báo quá hạn xử lý",
			"Tin báo quá hạn xử lý\nXem chi tiết: https://kiemtra.cantho.gov.vn/office/#/tips/T1"},
		{"no public URL: no link", "", "/office/#/tips/T1", "Tin báo quá hạn xử lý", "Tin báo quá hạn xử lý"},
		{"no link", "https://kiemtra.cantho.gov.vn", "", "Kế hoạch năm 2026\n không còn khả thi", "Kế hoạch năm 2026 không còn khả thi"},
		{"a long title is cut, the link kept", "https://kiemtra.cantho.gov.vn", "/office/#/tips/T1", long, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx := notify.NewTexter(models.ChannelSMS, nil, tc.base)
			got := tx.Text(&models.Notification{Link: tc.link}, notify.Text{TitleVI: tc.title, TitleEN: "English", BodyVI: "thân", BodyEN: "body"})
			if tc.want != "" && got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			if n := utf8.RuneCountInString(got); n > notify.MaxTextRunes || !utf8.ValidString(got) || strings.Contains(got, "English") {
				t.Fatalf("%d characters (at most %d): %q", n, notify.MaxTextRunes, got)
			}
			if tc.want == "" && (!strings.HasSuffix(got, "\nXem chi tiết: https://kiemtra.cantho.gov.vn/office/#/tips/T1") || !strings.Contains(got, "…")) {
				t.Fatalf("the cut message %q", got)
			}
		})
	}
}

func TestAProviderIsConfiguredWithAnHTTPAddressAndItsToken(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  notify.HTTPProviderConfig
		ok   bool
	}{
		{"off", notify.HTTPProviderConfig{}, true},
		{"https and a token", notify.HTTPProviderConfig{URL: "https://sms.example.vn/v1/messages", Token: "t"}, true},
		{"http on the local network", notify.HTTPProviderConfig{URL: "http://10.0.0.5:8080/send", Token: "t"}, true},
		{"no token", notify.HTTPProviderConfig{URL: "https://sms.example.vn/v1/messages"}, false},
		{"a token without a URL", notify.HTTPProviderConfig{Token: "t"}, false},
		{"another scheme", notify.HTTPProviderConfig{URL: "ftp://sms.example.vn/", Token: "t"}, false},
		{"no host", notify.HTTPProviderConfig{URL: "https:///v1", Token: "t"}, false},
		{"a bare host", notify.HTTPProviderConfig{URL: "sms.example.vn", Token: "t"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := notify.NewHTTPProvider(tc.cfg)
			if (err == nil) != tc.ok {
				t.Fatalf("err %v, want ok %v", err, tc.ok)
			}
			if tc.ok && (p == nil) != (tc.cfg.URL == "") {
				t.Fatalf("provider %v for URL %q", p, tc.cfg.URL)
			}
		})
	}
}
