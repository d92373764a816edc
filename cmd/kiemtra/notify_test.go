package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"kiemtra/models"
	"kiemtra/store/storetest"
	"kiemtra/tips"
)

// mailbox is an SMTP server on the loopback that keeps what it receives.
type mailbox struct {
	mu   sync.Mutex
	msgs []string
	port int
}

func newMailbox(t *testing.T) *mailbox {
	t.Helper()
	mb := &mailbox{}
	s := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &mailboxSession{mb: mb}, nil }))
	s.Domain = "localhost"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	mb.port = l.Addr().(*net.TCPAddr).Port
	return mb
}

func (mb *mailbox) count() int {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return len(mb.msgs)
}

type mailboxSession struct{ mb *mailbox }

func (s *mailboxSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *mailboxSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *mailboxSession) Reset()                               {}
func (s *mailboxSession) Logout() error                        { return nil }
func (s *mailboxSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.mb.mu.Lock()
	s.mb.msgs = append(s.mb.msgs, string(b))
	s.mb.mu.Unlock()
	return nil
}

// urgentTipThroughMain stores a team with a lead and a business, and classifies a tip about it
// urgent through the running service's tip pipeline.
func urgentTipThroughMain(t *testing.T, m *Main) {
	t.Helper()
	ctx := context.Background()
	db := m.DB()
	p := func(s string) *string { return &s }
	if err := db.UpsertAreas(ctx, "t", []*models.Area{{Code: "92", Name: "Thành phố Cần Thơ", Level: models.AreaLevelCity},
		{Code: "916", ParentCode: p("92"), Name: "Quận Ninh Kiều", Level: models.AreaLevelDistrict}}); err != nil {
		t.Fatal(err)
	}
	team := &models.Team{Name: "Đoàn Ninh Kiều", Level: models.TeamLevelDistrict, AreaCode: "916", BaseLat: 10, BaseLon: 105, WeeklyCapacity: 5}
	if err := db.CreateTeam(ctx, "t", team); err != nil {
		t.Fatal(err)
	}
	lead := &models.User{Username: "lead", DisplayName: "Phạm Quốc Cường", Role: models.RoleTeamLead, Agency: models.AgencyPolice, AreaCode: "916", TeamID: &team.ID}
	if err := db.CreateUser(ctx, "t", lead); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveNotificationSettings(ctx, lead.ID, models.NotificationSettingsUpdate{Email: "cuong@ninhkieu.cantho.gov.vn"}); err != nil {
		t.Fatal(err)
	}
	b := &models.Business{Name: "Karaoke Ánh Dương", Category: "karaoke", LicenceNo: p("L1"), Address: "12 Trần Văn Khéo", Lat: 10, Lon: 105, AreaCode: "916",
		Status: models.BusinessActive, OpenedOn: models.NewDate(2018, 1, 1)}
	if err := db.CreateBusinesses(ctx, "t", []*models.Business{b}); err != nil {
		t.Fatal(err)
	}
	tip, _, err := m.tips.Create(ctx, "tips", tips.Input{Channel: "hotline", Description: "Có tiếp viên nhỏ tuổi, gọi 0912 345 678", BusinessID: b.ID, Severity: "high"})
	if err != nil {
		t.Fatal(err)
	}
	if tip, err = m.tips.Transition(ctx, "tips", tip.ID, tips.TransitionInput{Version: tip.Version, To: models.TipVerifying}); err != nil {
		t.Fatal(err)
	}
	if _, err = m.tips.Transition(ctx, "tips", tip.ID, tips.TransitionInput{Version: tip.Version, To: models.TipClassified, Type: "minors", Severity: "urgent"}); err != nil {
		t.Fatal(err)
	}
}

// TestAServiceStoppedBetweenTheEventAndTheDeliveryMailsAfterItsRestartOnce: the urgent tip's
// e-mail is in the outbox when the service dies; the next start delivers it, once, and stops
// its worker with the service (startMain's cleanup waits for Serve to return).
func TestAServiceStoppedBetweenTheEventAndTheDeliveryMailsAfterItsRestartOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  func(t *testing.T) Config
	}{
		{"sqlite", func(t *testing.T) Config {
			c := DefaultConfig()
			c.DataDir = t.TempDir()
			return c
		}},
		{"postgres", func(t *testing.T) Config {
			c := DefaultConfig()
			c.DatabaseURL = storetest.PostgresURL(t)
			c.Secret = testSecret
			c.DataDir = t.TempDir()
			return c
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mb := newMailbox(t)
			cfg := tc.cfg(t)
			cfg.SMTPHost, cfg.SMTPPort, cfg.SMTPTLS, cfg.SMTPFrom = "127.0.0.1", mb.port, "none", "kiemtra <kiemtra@cantho.gov.vn>"
			// The first service commits the event and dies before its worker's first round:
			// opened, the tip classified through its pipeline, closed without serving.
			first := cfg
			if err := first.Validate(); err != nil {
				t.Fatal(err)
			}
			m := NewMain(&first, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err := m.Open(context.Background()); err != nil {
				t.Fatal(err)
			}
			urgentTipThroughMain(t, m)
			if err := m.Close(); err != nil {
				t.Fatal(err)
			}
			if mb.count() != 0 {
				t.Fatal("the first service mailed before it stopped")
			}
			second := cfg
			second.NotifyInterval = 100 * time.Millisecond
			startMain(t, second, nil)
			deadline := time.Now().Add(10 * time.Second)
			for mb.count() == 0 && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
			}
			time.Sleep(500 * time.Millisecond) // several more rounds
			if n := mb.count(); n != 1 {
				t.Fatalf("the restarted service sent %d mails, want exactly 1", n)
			}
			mb.mu.Lock()
			msg := mb.msgs[0]
			mb.mu.Unlock()
			if !strings.Contains(msg, "Karaoke") || strings.Contains(msg, "0912") {
				t.Fatalf("the mail:\n%s", msg)
			}
		})
	}
}

// The mail server and the worker's pace come from the environment; a wrong value is refused by
// the name of its variable.
func TestTheNotificationSettingsOfTheServiceAreConfiguredAndChecked(t *testing.T) {
	smtpOK := map[string]string{"KIEMTRA_SMTP_HOST": "mail.cantho.gov.vn", "KIEMTRA_SMTP_FROM": "kiemtra <kiemtra@cantho.gov.vn>"}
	with := func(extra map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range smtpOK {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		env   map[string]string
		error string // the variable named, "" for none
	}{
		{"nothing set: e-mail off", nil, ""},
		{"a host and a sender", smtpOK, ""},
		{"implicit TLS on 465", with(map[string]string{"KIEMTRA_SMTP_TLS": "tls", "KIEMTRA_SMTP_PORT": "465"}), ""},
		{"a port that is not a number", with(map[string]string{"KIEMTRA_SMTP_PORT": "smtp"}), "KIEMTRA_SMTP_PORT"},
		{"a port out of range", with(map[string]string{"KIEMTRA_SMTP_PORT": "70000"}), "KIEMTRA_SMTP_*"},
		{"an unknown TLS mode", with(map[string]string{"KIEMTRA_SMTP_TLS": "ssl3"}), "KIEMTRA_SMTP_*"},
		{"a host without a sender", map[string]string{"KIEMTRA_SMTP_HOST": "mail.cantho.gov.vn"}, "KIEMTRA_SMTP_*"},
		{"a sender that is no address", with(map[string]string{"KIEMTRA_SMTP_FROM": "kiemtra"}), "KIEMTRA_SMTP_*"},
		{"a sender without a host", map[string]string{"KIEMTRA_SMTP_FROM": "kiemtra@cantho.gov.vn"}, "KIEMTRA_SMTP_HOST"},
		{"a public URL that is a path", map[string]string{"KIEMTRA_PUBLIC_URL": "/kiemtra"}, "KIEMTRA_PUBLIC_URL"},
		{"an interval that is no duration", map[string]string{"KIEMTRA_NOTIFY_INTERVAL": "often"}, "KIEMTRA_NOTIFY_INTERVAL"},
		{"an interval too short", map[string]string{"KIEMTRA_NOTIFY_INTERVAL": "1ms"}, "KIEMTRA_NOTIFY_INTERVAL"},
		{"an SMS provider and its token", map[string]string{"KIEMTRA_SMS_URL": "https://sms.example.vn/v1/messages", "KIEMTRA_SMS_TOKEN": "t"}, ""},
		{"a Zalo provider on the local network", map[string]string{"KIEMTRA_ZALO_URL": "http://10.0.0.5:8080/zns", "KIEMTRA_ZALO_TOKEN": "t"}, ""},
		{"an SMS provider without its token", map[string]string{"KIEMTRA_SMS_URL": "https://sms.example.vn/v1/messages"}, "KIEMTRA_SMS_TOKEN"},
		{"an SMS token without its provider", map[string]string{"KIEMTRA_SMS_TOKEN": "t"}, "KIEMTRA_SMS_URL"},
		{"an SMS provider that is a bare host", map[string]string{"KIEMTRA_SMS_URL": "sms.example.vn", "KIEMTRA_SMS_TOKEN": "t"}, "KIEMTRA_SMS_URL"},
		{"a Zalo provider of another scheme", map[string]string{"KIEMTRA_ZALO_URL": "ftp://zalo.example.vn/", "KIEMTRA_ZALO_TOKEN": "t"}, "KIEMTRA_ZALO_URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			c.DataDir = t.TempDir()
			err := c.LoadEnv(func(name string) string { return tc.env[name] })
			if err == nil {
				err = c.Validate()
			}
			switch {
			case tc.error == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.error != "" && (err == nil || !strings.Contains(err.Error(), tc.error)):
				t.Fatalf("got %v, want an error naming %s", err, tc.error)
			}
		})
	}
}

// The outbox holds rows only for the channels the service delivers on: a channel off writes
// nothing (no row nobody would send), and every channel written has its sender.
func TestTheOutboxIsWrittenForTheConfiguredChannelsOnly(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"nothing configured: in the app only", nil, "in_app"},
		{"e-mail and SMS", map[string]string{"KIEMTRA_SMTP_HOST": "127.0.0.1", "KIEMTRA_SMTP_FROM": "kiemtra@cantho.gov.vn", "KIEMTRA_SMS_URL": "http://127.0.0.1:9/sms", "KIEMTRA_SMS_TOKEN": "t"}, "in_app,email,sms"},
		{"Zalo", map[string]string{"KIEMTRA_ZALO_URL": "https://zalo.example.vn/zns", "KIEMTRA_ZALO_TOKEN": "t"}, "in_app,zalo"},
		{"Web Push", map[string]string{"KIEMTRA_VAPID_PRIVATE_KEY": "jSZYHyi84FaKv1lJwYIJowD6WpDaPzlTkSe2wiH5_Oo", "KIEMTRA_VAPID_SUBJECT": "mailto:kiemtra@soyte.cantho.gov.vn"}, "in_app,push"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := DefaultConfig()
			c.DataDir = t.TempDir()
			if err := c.LoadEnv(func(name string) string { return tc.env[name] }); err != nil {
				t.Fatal(err)
			}
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(c.notificationChannels(), ","); got != tc.want {
				t.Fatalf("channels %s, want %s", got, tc.want)
			}
			m := NewMain(&c, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err := m.Open(context.Background()); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { m.Close() })
			urgentTipThroughMain(t, m)
			rows, err := m.DB().FindNotifications(context.Background(), models.NotificationFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range rows {
				if !strings.Contains(","+tc.want+",", ","+n.Channel+",") {
					t.Errorf("a row for the %s channel, which is off", n.Channel)
				}
			}
			if len(rows) == 0 {
				t.Fatal("the urgent tip wrote no row")
			}
		})
	}
}
