package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"kiemtra/api"
	"kiemtra/auth"
	"kiemtra/coverage"
	"kiemtra/fieldwork"
	"kiemtra/indicators"
	"kiemtra/licensing"
	"kiemtra/models"
	"kiemtra/notify"
	"kiemtra/photos"
	"kiemtra/places"
	"kiemtra/record"
	"kiemtra/refdata"
	"kiemtra/registry"
	"kiemtra/reorg"
	"kiemtra/report"
	"kiemtra/sanctions"
	"kiemtra/scheduler"
	"kiemtra/store"
	"kiemtra/tips"
	"kiemtra/web"
)

// Main is the running service: configuration, database, HTTP server. A test starts one on a
// temporary database and port 0.
type Main struct {
	Config *Config
	Log    *slog.Logger
	Now    func() time.Time

	db        *store.DB
	registry  *registry.Service
	planner   *scheduler.Service
	runner    *scheduler.Runner
	morning   *scheduler.MorningJob
	reports   *report.Service
	auth      *auth.Service
	field     *fieldwork.Service
	records   *record.Service
	photos    *photos.Store
	tips      *tips.Service
	sanctions *sanctions.Service
	notifier  *notify.Worker
	wording   *notify.Renderer
	server    *http.Server
	listener  net.Listener

	// indicators keeps the programme's indicators; the official report reads its Progress.
	indicators *indicators.Service

	// wrap, when set, wraps the HTTP handler; tests use it to add slow endpoints.
	wrap func(http.Handler) http.Handler
}

// NewMain returns a service for cfg (already validated).
func NewMain(cfg *Config, log *slog.Logger) *Main {
	return &Main{Config: cfg, Log: log, Now: time.Now}
}

// Open connects to the database, refuses a schema newer than this binary and applies pending
// migrations, and loads (or, for SQLite, creates) the signing secret.
func (m *Main) Open(ctx context.Context) error {
	auditKey, err := m.Config.auditKey()
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, store.Options{
		URL:          m.Config.DatabaseURL,
		DataDir:      m.Config.DataDir,
		MaxOpenConns: m.Config.DBMaxConns,
		Logger:       m.Log,
		Now:          m.Now,
		AuditKey:     auditKey,
		Channels:     m.Config.notificationChannels(),
	})
	if err != nil {
		return err
	}
	m.db = db
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	for _, a := range applied {
		m.Log.Info("migration applied", "version", a.Version, "file", a.Name)
	}
	if m.Config.Secret == "" {
		secret, err := loadOrCreateSecret(m.Config.DataDir)
		if err != nil {
			return err
		}
		m.Config.Secret = secret
	}
	cats, err := refdata.CategorySet()
	if err != nil {
		return err
	}
	categories, err := refdata.Categories()
	if err != nil {
		return err
	}
	m.registry = registry.New(registry.Config{Store: db, Categories: cats, CategoryNames: categories, Logger: m.Log, Now: m.Now, Location: m.Config.Location()})
	days, err := refdata.HolidayDates()
	if err != nil {
		return err
	}
	violations, err := refdata.Violations()
	if err != nil {
		return err
	}
	m.planner = scheduler.NewService(scheduler.Config{Store: db, Categories: categories, Holidays: days, Logger: m.Log, Now: m.Now, Location: m.Config.Location(),
		Violations: violations, RiskFloor: m.Config.PlanRiskFloor})
	m.runner = scheduler.NewRunner(db, m.Log, m.Now, m.Config.Location())
	m.morning = &scheduler.MorningJob{Store: db, Holidays: days, Location: m.Config.Location(), Horizon: m.Config.ReleaseHorizon}
	if m.reports, err = newReportService(m, db); err != nil {
		return err
	}
	m.indicators = indicators.New(db, m.reports, m.Now, m.Config.Location())
	if m.auth, err = auth.NewService(db, m.Config.Secret, m.Now, auth.DefaultPasswordParams); err != nil {
		return err
	}
	m.field = fieldwork.New(fieldwork.Config{Store: db, Categories: cats, Logger: m.Log, Now: m.Now, Location: m.Config.Location(), MinVisit: m.Config.MinVisit})
	// The record prints the checklist's texts and legal references.
	checklist, err := refdata.Checklist()
	if err != nil {
		return err
	}
	ref, err := refdata.Reference(models.OnSiteRule{RadiusM: fieldwork.OnSiteRadiusM, MaxAccuracyM: fieldwork.MaxAccuracyM})
	if err != nil {
		return err
	}
	m.records = record.New(record.Config{Store: db, Versions: db, Checklist: checklist, Violations: violations, Reference: ref, Location: m.Config.Location(), Now: m.Now})
	// Photos live in the data directory; replicas behind a load balancer share it (a network
	// volume), see docs/operations.md.
	if m.photos, err = photos.NewStore(filepath.Join(m.Config.DataDir, "photos")); err != nil {
		return fmt.Errorf("photo store in KIEMTRA_DATA_DIR: %w", err)
	}
	m.photos.Location = m.Config.Location()
	key := m.Config.tipKey()
	deadlines, err := ParseTipDeadlines(m.Config.TipDeadlines)
	if err != nil {
		return err
	}
	if m.tips, err = tips.NewService(db, m.registry, key, deadlines, m.Now, m.Config.Location()); err != nil {
		return err
	}
	penalties, err := refdata.Penalties()
	if err != nil {
		return err
	}
	m.sanctions = sanctions.New(db, penalties, m.Now, m.Config.Location())
	if err := m.openNotifier(db, categories); err != nil {
		return err
	}
	// The jobs come last: each holds a service made above, and a nil one would panic at its
	// first scheduled run, hours after a start that looked fine.
	for _, j := range []struct {
		spec string
		job  scheduler.Job
	}{
		{m.Config.CronNightly, &scheduler.NightlyJob{Service: m.planner, Store: db, Project: true}},
		{m.Config.CronYearly, &scheduler.YearlyJob{Service: m.planner}},
		{m.Config.CronMorning, m.morning},
		{m.Config.CronTips, &tips.EscalationJob{Service: m.tips}},
		// The certificates' rule runs with the nightly job: the day's decisions are in by then.
		{m.Config.CronNightly, &sanctions.CertificateJob{Service: m.sanctions}},
		// Overdue sanctions are notified with the nightly job too, once per deadline.
		{m.Config.CronNightly, &sanctions.OverdueJob{Service: m.sanctions, Store: db}},
		// So are the indicator figures due soon or late, once per unit, period and phase.
		{m.Config.CronNightly, &indicators.DueJob{Service: m.indicators, Store: db}},
		{m.Config.CronReports, &report.ArchiveJob{Service: m.reports}},
	} {
		spec := j.spec
		if spec == "off" {
			spec = ""
		}
		if err := m.runner.Add(spec, j.job); err != nil {
			return err
		}
	}
	m.Log.Info("database ready", "dialect", db.Dialect(), "where", db.Where())
	return nil
}

// notificationChannels are the channels this service delivers on: in the app always, the
// others when configured, each listed below with the setting that turns it on. The store writes no row for any other channel (a row nobody
// would send), and openNotifier registers a sender for each of these.
func (c *Config) notificationChannels() []string {
	out := []string{models.ChannelInApp}
	for _, ch := range []struct {
		name string
		on   bool
	}{
		{models.ChannelEmail, c.SMTPHost != ""},
		{models.ChannelPush, c.VAPIDPrivateKey != ""},
		{models.ChannelSMS, c.SMSURL != ""},
		{models.ChannelZalo, c.ZaloURL != ""},
	} {
		if ch.on {
			out = append(out, ch.name)
		}
	}
	return out
}

// openNotifier builds the worker that delivers the outbox: in the app always, by e-mail when
// KIEMTRA_SMTP_HOST is set, by Web Push when KIEMTRA_VAPID_PRIVATE_KEY is, by SMS and Zalo when
// KIEMTRA_SMS_URL and KIEMTRA_ZALO_URL are.
func (m *Main) openNotifier(db *store.DB, categories []models.Category) error {
	m.wording = notify.NewRenderer(categories)
	channels := map[string]notify.Channel{models.ChannelInApp: notify.InApp{}}
	mailer, err := notify.NewMailer(m.Config.SMTP())
	if err != nil {
		return fmt.Errorf("KIEMTRA_SMTP_*: %w", err)
	}
	if mailer != nil {
		channels[models.ChannelEmail] = mailer
	}
	if v := m.Config.VAPID(); v != nil {
		channels[models.ChannelPush] = notify.NewWebPush(v, db, nil)
	}
	for _, p := range []struct {
		channel, env string
		cfg          notify.HTTPProviderConfig
	}{{models.ChannelSMS, "KIEMTRA_SMS_*", m.Config.SMSProvider()}, {models.ChannelZalo, "KIEMTRA_ZALO_*", m.Config.ZaloProvider()}} {
		provider, err := notify.NewHTTPProvider(p.cfg)
		if err != nil {
			return fmt.Errorf("%s: %w", p.env, err)
		}
		if provider != nil {
			channels[p.channel] = notify.NewTexter(p.channel, provider, m.Config.PublicURL)
		}
	}
	for _, ch := range m.Config.notificationChannels() {
		if channels[ch] == nil {
			return fmt.Errorf("notifications: the %s channel is written to the outbox but has no sender", ch)
		}
	}
	host, _ := os.Hostname()
	m.notifier = notify.NewWorker(db, channels, m.wording, notify.Config{Owner: fmt.Sprintf("%s/%d", host, os.Getpid()), Interval: m.Config.NotifyInterval},
		m.Now, m.Config.Location(), m.Log)
	return nil
}

// pushAPI is Web Push for the API: off (no key) unless KIEMTRA_VAPID_PRIVATE_KEY is set.
func (m *Main) pushAPI() api.PushConfig {
	v := m.Config.VAPID()
	if v == nil {
		return api.PushConfig{}
	}
	return api.PushConfig{Store: m.db, PublicKey: v.Public, Hosts: m.Config.pushHosts()}
}

// tipKey is the key that seals tip reporters' contacts: KIEMTRA_TIP_KEY, or one derived from
// the secret (loaded by Open when it is kept in the data directory).
func (c *Config) tipKey() []byte {
	if c.TipKey != "" {
		key, _ := hex.DecodeString(c.TipKey) // checked by Validate
		return key
	}
	return tips.DeriveKey(c.Secret)
}

// Auth returns the authentication service (after Open).
func (m *Main) Auth() *auth.Service { return m.auth }

// Registry returns the registry service (after Open).
func (m *Main) Registry() *registry.Service { return m.registry }

// Planner returns the planning service (after Open).
func (m *Main) Planner() *scheduler.Service { return m.planner }

// Morning returns the morning assignment job (after Open).
func (m *Main) Morning() *scheduler.MorningJob { return m.morning }

// Runner returns the job runner (after Open).
func (m *Main) Runner() *scheduler.Runner { return m.runner }

// DB returns the open database (after Open).
func (m *Main) DB() *store.DB { return m.db }

// Listen binds the HTTP address; Addr then tells the real port when the configured one is 0.
func (m *Main) Listen() error {
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (KIEMTRA_ADDR): %w", m.Config.Addr, err)
	}
	m.listener = ln
	registry := prometheus.NewRegistry()
	registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	assets, err := web.NewAssets()
	if err != nil {
		return err
	}
	reference, err := refdata.Reference(models.OnSiteRule{RadiusM: fieldwork.OnSiteRadiusM, MaxAccuracyM: fieldwork.MaxAccuracyM})
	if err != nil {
		return err
	}
	handler := api.New(api.Config{
		Store:          m.db,
		Registry:       m.registry,
		Auth:           m.auth,
		Passwords:      m.auth,
		Planner:        m.planner,
		Assigner:       m.morning,
		TeamDays:       m.db,
		FieldWork:      m.field,
		Field:          m.db,
		Photos:         m.db,
		PhotoBlobs:     m.photos,
		Records:        m.records,
		Coverage:       coverage.New(m.db, m.Now, m.Config.Location()).WithProjector(m.planner),
		Tips:           m.tips,
		TipStore:       m.db,
		Licensing:      licensing.New(m.db, m.Now, m.Config.Location()),
		Sanctions:      m.sanctions,
		SanctionStore:  m.db,
		TrustedProxies: m.Config.Proxies(),
		Limits:         m.db,
		LimitKey:       auth.DeriveLimitKey(m.Config.Secret),
		Reports:        m.reports,
		Indicators:     m.indicators,
		Official:       officialContent{indicators: m.indicators, agencies: m.db},
		IndicatorStore: m.db,
		Notifications:  m.db,
		NotifyText:     m.wording,
		Push:           m.pushAPI(),
		NotifyChannels: m.Config.notificationChannels(),
		Outbox:         m.db,
		Plans:          m.db,
		Jobs:           jobsAPI{m.runner, m.db},
		Reorgs:         reorg.NewService(m.db, m.registry.Refresh),
		Places:         places.New(m.db, m.registry),
		PlaceStore:     m.db,
		Reference:      reference,
		Readiness:      m.db,
		Unavailable:    store.IsUnavailable,
		Logger:         m.Log,
		Metrics:        registry,
		MaxBodyBytes:   m.Config.MaxBodyBytes,
		Version:        buildVersion(),
		Location:       m.Config.Location(),
		Now:            m.Now,
		Web:            assets,
	})
	var h http.Handler = handler
	if m.wrap != nil {
		h = m.wrap(h)
	}
	m.server = &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads from phones on slow networks
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn),
	}
	return nil
}

// Addr returns the address the service listens on.
func (m *Main) Addr() string {
	if m.listener == nil {
		return m.Config.Addr
	}
	return m.listener.Addr().String()
}

// Serve answers requests until ctx is cancelled, then lets in-flight requests finish (up to the
// shutdown timeout) before it returns.
func (m *Main) Serve(ctx context.Context) error {
	if err := m.registry.Refresh(ctx); err != nil {
		return err
	}
	bg, stopBG := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		// Other replicas' changes reach this one's in-memory indexes within this interval.
		m.registry.Run(bg, 30*time.Second)
	}()
	wg.Add(1)
	go func() {
		defer wg.Done()
		// Delivers the outbox until the service stops; what it had not delivered waits in the
		// outbox for the next start (or another replica).
		m.notifier.Run(bg)
	}()
	m.runner.Start()
	defer func() { m.runner.Stop(); stopBG(); wg.Wait() }()
	errc := make(chan error, 1)
	go func() { errc <- m.server.Serve(m.listener) }()
	base := "http://" + m.Addr()
	// Every address a user needs, so that whoever starts the service can pass them on.
	m.Log.Info("serving", "addr", base, "version", buildVersion(), "dashboard", base+"/dashboard/", "office", base+"/office/", "app", base+"/app/",
		"tip_form", base+"/tip", "api", base+"/api/v1/")
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	m.Log.Info("shutting down: finishing in-flight requests", "timeout", m.Config.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), m.Config.ShutdownTimeout)
	defer cancel()
	if err := m.server.Shutdown(sctx); err != nil {
		return fmt.Errorf("graceful shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http server: %w", err)
	}
	return nil
}

// Close releases the database; call it after Serve returns so that no request is cut off.
func (m *Main) Close() error {
	if m.listener != nil {
		m.listener.Close() // already closed after Serve; this is for a failure before it
	}
	if m.db != nil {
		err := m.db.Close()
		m.db = nil
		return err
	}
	return nil
}

// loadOrCreateSecret keeps a random signing secret in the data directory, so that a laptop
// install needs no configuration and tokens survive a restart.
func loadOrCreateSecret(dir string) (string, error) {
	path := filepath.Join(dir, "secret.key")
	b, err := os.ReadFile(path)
	if err == nil {
		s := strings.TrimSpace(string(b))
		if err := auth.CheckSecret(s); err != nil {
			return "", fmt.Errorf("%s holds a secret that %w; delete the file (a random one is made at the next start) or set KIEMTRA_SECRET", path, err)
		}
		return s, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("read secret: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", err
	}
	s := hex.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write secret: %w", err)
	}
	return s, nil
}

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "serve", "[flags]")
	cfg, err := loadConfig(env, fs, args)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, cfg.newLogger(), serveHooks{})
}

// serveHooks let a command add work to serve: prepare runs after the database is open and
// migrated and before the port is bound (the demo loads its data there); started runs once the
// port is bound, before requests are served.
type serveHooks struct {
	prepare func(ctx context.Context, m *Main) error
	started func(m *Main)
}

// serve opens, listens and serves until ctx ends.
func serve(ctx context.Context, cfg *Config, log *slog.Logger, hooks serveHooks) error {
	m := NewMain(cfg, log)
	defer m.Close()
	if err := m.Open(ctx); err != nil {
		return err
	}
	if hooks.prepare != nil {
		if err := hooks.prepare(ctx, m); err != nil {
			return err
		}
	}
	if err := m.Listen(); err != nil {
		return err
	}
	if hooks.started != nil {
		hooks.started(m)
	}
	return m.Serve(ctx)
}

// jobsAPI joins the runner (names, manual runs) and the store (run history) for the API.
type jobsAPI struct {
	*scheduler.Runner
	*store.DB
}
