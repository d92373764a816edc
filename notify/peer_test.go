package notify_test

import (
	"context"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"kiemtra/models"
	"kiemtra/notify"
	"kiemtra/refdata"
	"kiemtra/store"
	"kiemtra/tips"
)

// received is one message the test's SMTP server accepted, decoded.
type received struct {
	From, To  string
	MessageID string
	Subject   string // decoded from its RFC 2047 words
	Body      string // decoded from quoted-printable
	Raw       string
}

// smtpPeer is a real SMTP server on the loopback, started by the test: it asks for PLAIN
// authentication, receives messages and can refuse the next ones.
type smtpPeer struct {
	Addr string
	Port int

	mu      sync.Mutex
	got     []received
	refuse  int // refuse this many next messages with a temporary error
	authed  []string
	closeFn func()
}

func newSMTPPeer(t *testing.T) *smtpPeer {
	t.Helper()
	p := &smtpPeer{}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &peerSession{p: p}, nil }))
	s.Domain = "localhost"
	s.AllowInsecureAuth = true // the loopback: no TLS in the test
	s.EnableSMTPUTF8 = true
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(l)
	t.Cleanup(func() { s.Close() })
	p.Addr = "127.0.0.1"
	p.Port = l.Addr().(*net.TCPAddr).Port
	return p
}

func (p *smtpPeer) messages() []received {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]received(nil), p.got...)
}

func (p *smtpPeer) refuseNext(n int) {
	p.mu.Lock()
	p.refuse = n
	p.mu.Unlock()
}

type peerSession struct {
	p        *smtpPeer
	from, to string
}

func (s *peerSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *peerSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != "kiemtra" || password != "mật khẩu thử" {
			return errors.New("bad credentials")
		}
		s.p.mu.Lock()
		s.p.authed = append(s.p.authed, username)
		s.p.mu.Unlock()
		return nil
	}), nil
}

func (s *peerSession) Mail(from string, _ *smtp.MailOptions) error { s.from = from; return nil }
func (s *peerSession) Rcpt(to string, _ *smtp.RcptOptions) error   { s.to = to; return nil }
func (s *peerSession) Reset()                                      {}
func (s *peerSession) Logout() error                               { return nil }

func (s *peerSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.p.mu.Lock()
	defer s.p.mu.Unlock()
	if s.p.refuse > 0 {
		s.p.refuse--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return err
	}
	var body io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body = quotedprintable.NewReader(msg.Body)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	s.p.got = append(s.p.got, received{From: s.from, To: s.to, MessageID: msg.Header.Get("Message-Id"), Subject: subject, Body: string(b), Raw: string(raw)})
	return nil
}

// fixture is a city with one district team: an inspector, a second inspector, a lead (with a
// notification address), a disabled inspector, and a member of another team; a business in the
// team's ward, and a tip about it from a reporter who left a phone number.
type fixture struct {
	db                               *store.DB
	svc                              *tips.Service
	team, other                      *models.Team
	inspector, inspector2, lead      *models.User
	disabled, outsider               *models.User
	officer, planner                 *models.User
	business                         *models.Business
	tip                              *models.Tip
	contact, reporterName, tipSecret string
}

const fixtureDescription = "Tôi là Trần Thị Mai, quán karaoke có tiếp viên dưới 18 tuổi phục vụ phòng kín, gọi tôi số 0912 345 678"

func newFixture(t *testing.T, db *store.DB, now func() time.Time) *fixture {
	t.Helper()
	ctx := context.Background()
	ptr := func(s string) *string { return &s }
	areas := []*models.Area{
		{Code: "92", Name: "Thành phố Cần Thơ", Level: models.AreaLevelCity},
		{Code: "916", ParentCode: ptr("92"), Name: "Quận Ninh Kiều", Level: models.AreaLevelDistrict},
		{Code: "31117", ParentCode: ptr("916"), Name: "Phường Cái Khế", Level: models.AreaLevelWard},
		{Code: "917", ParentCode: ptr("92"), Name: "Quận Ô Môn", Level: models.AreaLevelDistrict},
	}
	if err := db.UpsertAreas(ctx, "test", areas); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, contact: "0912 345 678", reporterName: "Trần Thị Mai"}
	f.team = &models.Team{Name: "Đoàn liên ngành Ninh Kiều", Level: models.TeamLevelDistrict, AreaCode: "916", BaseLat: 10.03, BaseLon: 105.78, WeeklyCapacity: 10}
	f.other = &models.Team{Name: "Đoàn liên ngành Ô Môn", Level: models.TeamLevelDistrict, AreaCode: "917", BaseLat: 10.1, BaseLon: 105.6, WeeklyCapacity: 10}
	for _, tm := range []*models.Team{f.team, f.other} {
		if err := db.CreateTeam(ctx, "test", tm); err != nil {
			t.Fatal(err)
		}
	}
	user := func(name, display, role string, team *models.Team, disabled bool) *models.User {
		u := &models.User{Username: name, DisplayName: display, Agency: "police", Role: role, AreaCode: team.AreaCode, TeamID: &team.ID, PasswordHash: "x", Disabled: disabled}
		if err := db.CreateUser(ctx, "test", u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.inspector = user("nk.an", "Nguyễn Văn An", models.RoleInspector, f.team, false)
	f.inspector2 = user("nk.binh", "Lê Thị Bình", models.RoleInspector, f.team, false)
	f.lead = user("nk.cuong", "Phạm Quốc Cường", models.RoleTeamLead, f.team, false)
	f.disabled = user("nk.dung", "Võ Văn Dũng", models.RoleInspector, f.team, true)
	f.outsider = user("om.em", "Đặng Văn Em", models.RoleInspector, f.other, false)
	cityUser := func(name, display, role string) *models.User {
		u := &models.User{Username: name, DisplayName: display, Agency: "police", Role: role, AreaCode: "92", PasswordHash: "x"}
		if err := db.CreateUser(ctx, "test", u); err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.officer = cityUser("tips", "Hồ Thị Giang", models.RoleTipOfficer)
	f.planner = cityUser("city.planner", "Trương Văn Hải", models.RolePlanner)
	if _, err := db.SaveNotificationSettings(ctx, f.lead.ID, models.NotificationSettingsUpdate{Email: "cuong.pq@ninhkieu.cantho.gov.vn"}); err != nil {
		t.Fatal(err)
	}
	licence := "KD-0001"
	f.business = &models.Business{Name: "Karaoke Ánh Dương", Category: "karaoke", LicenceNo: &licence, Address: "12 đường Trần Văn Khéo",
		Lat: 10.04, Lon: 105.78, AreaCode: "31117", Status: models.BusinessActive, OpenedOn: models.NewDate(2018, 5, 1)}
	if err := db.CreateBusinesses(ctx, "test", []*models.Business{f.business}); err != nil {
		t.Fatal(err)
	}
	svc, err := tips.NewService(db, nil, tips.DeriveKey("notify test"), models.DefaultTipDeadlines(), now, vietnam(t))
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	received := now().Add(-time.Hour)
	tip, secret, _, err := svc.CreateTracked(ctx, "tips", tips.Input{Channel: "hotline", ReceivedAt: &received, Description: fixtureDescription,
		BusinessID: f.business.ID, ReporterContact: f.contact + " (" + f.reporterName + ")", Severity: "high"})
	if err != nil {
		t.Fatal(err)
	}
	f.tipSecret = secret
	if f.tip, err = svc.Transition(ctx, "tips", tip.ID, tips.TransitionInput{Version: tip.Version, To: models.TipVerifying}); err != nil {
		t.Fatal(err)
	}
	return f
}

// classifyUrgent takes the tip to classified, urgent, through svc.
func (f *fixture) classifyUrgent(t *testing.T, svc *tips.Service) (*models.Tip, error) {
	t.Helper()
	return svc.Transition(context.Background(), "tips", f.tip.ID, tips.TransitionInput{Version: f.tip.Version, To: models.TipClassified, Type: "minors", Severity: "urgent"})
}

func vietnam(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// newWorker returns a worker over db with the in-app channel and a mailer to peer.
func newWorker(t *testing.T, db *store.DB, peer *smtpPeer, now func() time.Time) (*notify.Worker, *notify.Mailer) {
	t.Helper()
	channels := map[string]notify.Channel{models.ChannelInApp: notify.InApp{}}
	var m *notify.Mailer
	if peer != nil {
		var err error
		m, err = notify.NewMailer(notify.SMTPConfig{Host: peer.Addr, Port: peer.Port, User: "kiemtra", Password: "mật khẩu thử", TLS: notify.TLSNone,
			From: "kiemtra <kiemtra@socialabour.cantho.gov.vn>", BaseURL: "https://kiemtra.cantho.gov.vn", Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		channels[models.ChannelEmail] = m
	}
	return notify.NewWorker(db, channels, renderer(t), notify.Config{Owner: "test", Lease: time.Minute, Backoff: 30 * time.Second, MaxAttempts: 3}, now, vietnam(t), nil), m
}

func renderer(t *testing.T) *notify.Renderer {
	t.Helper()
	cats, err := refdata.Categories()
	if err != nil {
		t.Fatal(err)
	}
	return notify.NewRenderer(cats)
}

// clock is a settable clock for the store and the worker.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// outbox returns every row of the outbox, by user and channel.
func outbox(t *testing.T, db *store.DB) map[string]*models.Notification {
	t.Helper()
	rows, err := db.FindNotifications(context.Background(), models.NotificationFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*models.Notification{}
	for _, n := range rows {
		out[n.UserID+"/"+n.Channel] = n
	}
	return out
}
