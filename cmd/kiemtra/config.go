package main

import (
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"kiemtra/auth"
	"kiemtra/models"
	"kiemtra/notify"
	"kiemtra/scheduler"
)

// Config is everything kiemtra reads from its environment. Defaults come first, then the
// environment variables, then command-line flags. Every field is documented in docs/operations.md.
type Config struct {
	DatabaseURL     string        // DATABASE_URL: postgres://...; empty means embedded SQLite
	DataDir         string        // KIEMTRA_DATA_DIR: SQLite file, photos, generated secrets
	Addr            string        // KIEMTRA_ADDR: host:port to listen on
	LogLevel        string        // KIEMTRA_LOG_LEVEL: debug, info, warn, error
	LogFormat       string        // KIEMTRA_LOG_FORMAT: text or json
	TimeZone        string        // KIEMTRA_TZ: IANA zone of the users' calendar
	Secret          string        // KIEMTRA_SECRET: signs access tokens; required with PostgreSQL
	MaxBodyBytes    int64         // KIEMTRA_MAX_BODY_BYTES: default request body limit
	DBMaxConns      int           // KIEMTRA_DB_MAX_CONNS: PostgreSQL pool size
	ShutdownTimeout time.Duration // KIEMTRA_SHUTDOWN_TIMEOUT: time given to in-flight requests
	CronNightly     string        // KIEMTRA_CRON_NIGHTLY: when the nightly planning job runs
	CronYearly      string        // KIEMTRA_CRON_YEARLY: when next year's plans are drafted
	CronMorning     string        // KIEMTRA_CRON_MORNING: when the day's visits are released to the teams
	CronReports     string        // KIEMTRA_CRON_REPORTS: when the reports of closed periods are archived
	ReleaseHorizon  int           // KIEMTRA_RELEASE_HORIZON_DAYS: days of visits released ahead
	MinVisit        time.Duration // KIEMTRA_MIN_VISIT: shorter inspections are flagged for review
	TipKey          string        // KIEMTRA_TIP_KEY: 64 hex digits sealing reporters' contacts
	AuditKey        string        // KIEMTRA_AUDIT_KEY: 64 hex digits signing the audit log
	TipDeadlines    string        // KIEMTRA_TIP_DEADLINES: severity=verify/handle, ...
	CronTips        string        // KIEMTRA_CRON_TIPS: when overdue tips are escalated
	TrustedProxies  string        // KIEMTRA_TRUSTED_PROXIES: comma-separated proxy addresses whose X-Forwarded-For is believed
	TileURL         string        // KIEMTRA_TILE_URL: the dashboard's base-map tiles ({z}/{x}/{y}); empty: no base map
	TileAttribution string        // KIEMTRA_TILE_ATTRIBUTION: the credit line the tile server requires
	PlanRiskFloor   float64       // KIEMTRA_PLAN_RISK_FLOOR: least share of the uniform inclusion probability new plans give every business
	SMTPHost        string        // KIEMTRA_SMTP_HOST: the mail server notifications go through; empty: no e-mail
	SMTPPort        int           // KIEMTRA_SMTP_PORT: default 587 (465 with KIEMTRA_SMTP_TLS=tls)
	SMTPUser        string        // KIEMTRA_SMTP_USER: empty: no authentication
	SMTPPassword    string        // KIEMTRA_SMTP_PASSWORD
	SMTPFrom        string        // KIEMTRA_SMTP_FROM: the sender of notification e-mails
	SMTPTLS         string        // KIEMTRA_SMTP_TLS: starttls (default), opportunistic, tls or none
	PublicURL       string        // KIEMTRA_PUBLIC_URL: the address users open (links in e-mails); empty: paths only
	NotifyInterval  time.Duration // KIEMTRA_NOTIFY_INTERVAL: how often the outbox is looked at
	VAPIDPrivateKey string        // KIEMTRA_VAPID_PRIVATE_KEY: the Web Push key (kiemtra vapid-keys makes one); empty: no push
	VAPIDSubject    string        // KIEMTRA_VAPID_SUBJECT: the operator's mailto: or https: contact for the push services
	PushHosts       string        // KIEMTRA_PUSH_HOSTS: comma-separated push services' hosts the browsers' subscriptions may name
	SMSURL          string        // KIEMTRA_SMS_URL: the SMS provider's endpoint; empty: no SMS
	SMSToken        string        // KIEMTRA_SMS_TOKEN: its bearer token
	ZaloURL         string        // KIEMTRA_ZALO_URL: the Zalo provider's endpoint; empty: no Zalo
	ZaloToken       string        // KIEMTRA_ZALO_TOKEN: its bearer token

	location *time.Location
}

// DefaultConfig returns the configuration used when nothing is set.
func DefaultConfig() Config {
	return Config{
		DataDir:         "./kiemtra-data",
		Addr:            "127.0.0.1:8080",
		LogLevel:        "info",
		LogFormat:       "text",
		TimeZone:        "Asia/Ho_Chi_Minh",
		MaxBodyBytes:    1 << 20,
		DBMaxConns:      20,
		ShutdownTimeout: 20 * time.Second,
		CronNightly:     "30 1 * * *",
		CronYearly:      "0 6 1 12 *",
		CronMorning:     "0 6 * * *",
		CronReports:     "0 2 * * *",
		ReleaseHorizon:  1,
		MinVisit:        10 * time.Minute,
		TipDeadlines:    "urgent=24h/168h,high=48h/360h,normal=120h/720h",
		CronTips:        "15 * * * *",
		PlanRiskFloor:   scheduler.DefaultRiskFloor,
		SMTPTLS:         notify.TLSStartTLS,
		NotifyInterval:  5 * time.Second,
		PushHosts:       DefaultPushHosts,
	}
}

// configError names the variable (or flag) that is wrong.
type configError struct {
	name, problem string
}

func (e *configError) Error() string { return e.name + ": " + e.problem }

// LoadEnv overlays the environment on c. getenv is os.Getenv in production.
func (c *Config) LoadEnv(getenv func(string) string) error {
	str := func(name string, dst *string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	str("DATABASE_URL", &c.DatabaseURL)
	str("KIEMTRA_DATA_DIR", &c.DataDir)
	str("KIEMTRA_ADDR", &c.Addr)
	str("KIEMTRA_LOG_LEVEL", &c.LogLevel)
	str("KIEMTRA_LOG_FORMAT", &c.LogFormat)
	str("KIEMTRA_TZ", &c.TimeZone)
	str("KIEMTRA_SECRET", &c.Secret)
	str("KIEMTRA_CRON_NIGHTLY", &c.CronNightly)
	str("KIEMTRA_CRON_YEARLY", &c.CronYearly)
	str("KIEMTRA_CRON_MORNING", &c.CronMorning)
	str("KIEMTRA_TIP_KEY", &c.TipKey)
	str("KIEMTRA_AUDIT_KEY", &c.AuditKey)
	str("KIEMTRA_TIP_DEADLINES", &c.TipDeadlines)
	str("KIEMTRA_CRON_TIPS", &c.CronTips)
	str("KIEMTRA_TRUSTED_PROXIES", &c.TrustedProxies)
	str("KIEMTRA_CRON_REPORTS", &c.CronReports)
	str("KIEMTRA_TILE_URL", &c.TileURL)
	str("KIEMTRA_TILE_ATTRIBUTION", &c.TileAttribution)
	str("KIEMTRA_SMTP_HOST", &c.SMTPHost)
	str("KIEMTRA_SMTP_USER", &c.SMTPUser)
	str("KIEMTRA_SMTP_PASSWORD", &c.SMTPPassword)
	str("KIEMTRA_SMTP_FROM", &c.SMTPFrom)
	str("KIEMTRA_SMTP_TLS", &c.SMTPTLS)
	str("KIEMTRA_PUBLIC_URL", &c.PublicURL)
	str("KIEMTRA_VAPID_PRIVATE_KEY", &c.VAPIDPrivateKey)
	str("KIEMTRA_VAPID_SUBJECT", &c.VAPIDSubject)
	str("KIEMTRA_PUSH_HOSTS", &c.PushHosts)
	str("KIEMTRA_SMS_URL", &c.SMSURL)
	str("KIEMTRA_SMS_TOKEN", &c.SMSToken)
	str("KIEMTRA_ZALO_URL", &c.ZaloURL)
	str("KIEMTRA_ZALO_TOKEN", &c.ZaloToken)
	if v := getenv("KIEMTRA_SMTP_PORT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return &configError{"KIEMTRA_SMTP_PORT", fmt.Sprintf("%q is not a port number such as 587", v)}
		}
		c.SMTPPort = n
	}
	if v := getenv("KIEMTRA_NOTIFY_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return &configError{"KIEMTRA_NOTIFY_INTERVAL", fmt.Sprintf("%q is not a duration such as 5s", v)}
		}
		c.NotifyInterval = d
	}
	if v := getenv("KIEMTRA_MIN_VISIT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return &configError{"KIEMTRA_MIN_VISIT", fmt.Sprintf("%q is not a duration such as 10m", v)}
		}
		c.MinVisit = d
	}
	if v := getenv("KIEMTRA_PLAN_RISK_FLOOR"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return &configError{"KIEMTRA_PLAN_RISK_FLOOR", fmt.Sprintf("%q is not a number such as 0.5", v)}
		}
		c.PlanRiskFloor = f
	}
	if v := getenv("KIEMTRA_RELEASE_HORIZON_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return &configError{"KIEMTRA_RELEASE_HORIZON_DAYS", fmt.Sprintf("%q is not a whole number of days", v)}
		}
		c.ReleaseHorizon = n
	}
	if v := getenv("KIEMTRA_MAX_BODY_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return &configError{"KIEMTRA_MAX_BODY_BYTES", fmt.Sprintf("%q is not a whole number of bytes", v)}
		}
		c.MaxBodyBytes = n
	}
	if v := getenv("KIEMTRA_DB_MAX_CONNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return &configError{"KIEMTRA_DB_MAX_CONNS", fmt.Sprintf("%q is not a whole number", v)}
		}
		c.DBMaxConns = n
	}
	if v := getenv("KIEMTRA_SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return &configError{"KIEMTRA_SHUTDOWN_TIMEOUT", fmt.Sprintf("%q is not a duration such as 20s", v)}
		}
		c.ShutdownTimeout = d
	}
	return nil
}

// RegisterFlags adds the flags that may override the environment to fs.
func (c *Config) RegisterFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "PostgreSQL URL (env DATABASE_URL); empty: embedded SQLite")
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "data directory (env KIEMTRA_DATA_DIR)")
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address host:port (env KIEMTRA_ADDR)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error (env KIEMTRA_LOG_LEVEL)")
}

// Validate checks every field and names the variable at fault.
func (c *Config) Validate() error {
	var errs []error
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		switch {
		case err != nil:
			errs = append(errs, &configError{"DATABASE_URL", "is not a URL"})
		case u.Scheme != "postgres" && u.Scheme != "postgresql":
			errs = append(errs, &configError{"DATABASE_URL", fmt.Sprintf("scheme %q is not supported: use postgres://user:password@host:5432/dbname, or leave it empty for embedded SQLite", u.Scheme)})
		}
		if c.Secret == "" {
			errs = append(errs, &configError{"KIEMTRA_SECRET", "must be set when DATABASE_URL is set, so that every replica signs tokens with the same key: generate one with `openssl rand -hex 32`"})
		}
	} else if c.DataDir == "" {
		errs = append(errs, &configError{"KIEMTRA_DATA_DIR", "must not be empty when DATABASE_URL is empty"})
	}
	if c.Secret != "" {
		if err := auth.CheckSecret(c.Secret); err != nil {
			errs = append(errs, &configError{"KIEMTRA_SECRET", err.Error()})
		}
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, &configError{"KIEMTRA_ADDR", fmt.Sprintf("%q is not host:port", c.Addr)})
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		errs = append(errs, &configError{"KIEMTRA_LOG_LEVEL", err.Error()})
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, &configError{"KIEMTRA_LOG_FORMAT", fmt.Sprintf("%q must be text or json", c.LogFormat)})
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil || c.TimeZone == "" {
		errs = append(errs, &configError{"KIEMTRA_TZ", fmt.Sprintf("%q is not a known time zone such as Asia/Ho_Chi_Minh", c.TimeZone)})
	}
	c.location = loc
	if c.MaxBodyBytes < 1024 || c.MaxBodyBytes > 1<<30 {
		errs = append(errs, &configError{"KIEMTRA_MAX_BODY_BYTES", "must be between 1024 and 1073741824"})
	}
	if c.DBMaxConns < 1 || c.DBMaxConns > 1000 {
		errs = append(errs, &configError{"KIEMTRA_DB_MAX_CONNS", "must be between 1 and 1000"})
	}
	for _, s := range []struct{ name, spec string }{{"KIEMTRA_CRON_NIGHTLY", c.CronNightly}, {"KIEMTRA_CRON_YEARLY", c.CronYearly}, {"KIEMTRA_CRON_MORNING", c.CronMorning}, {"KIEMTRA_CRON_REPORTS", c.CronReports}, {"KIEMTRA_CRON_TIPS", c.CronTips}} {
		if s.spec == "off" {
			continue
		}
		if _, err := cron.ParseStandard(s.spec); err != nil {
			errs = append(errs, &configError{s.name, fmt.Sprintf("%q is not a cron schedule such as \"30 1 * * *\" (or \"off\"): %v", s.spec, err)})
		}
	}
	if !(c.PlanRiskFloor > 0 && c.PlanRiskFloor <= 1) {
		errs = append(errs, &configError{"KIEMTRA_PLAN_RISK_FLOOR", "must be above 0 and at most 1 (1: uniform sampling inside each ward)"})
	}
	if c.ReleaseHorizon < 1 || c.ReleaseHorizon > 7 {
		errs = append(errs, &configError{"KIEMTRA_RELEASE_HORIZON_DAYS", "must be from 1 to 7: targets released further ahead could be tipped off"})
	}
	for _, p := range c.Proxies() {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				errs = append(errs, &configError{"KIEMTRA_TRUSTED_PROXIES", fmt.Sprintf("%q is neither an IP address nor a CIDR range", p)})
			}
		}
	}
	if c.TipKey != "" {
		if k, err := hex.DecodeString(c.TipKey); err != nil || len(k) != 32 {
			errs = append(errs, &configError{"KIEMTRA_TIP_KEY", "must be 64 hexadecimal digits (32 bytes), for example from `openssl rand -hex 32`"})
		}
	}
	if c.AuditKey != "" {
		if k, err := hex.DecodeString(c.AuditKey); err != nil || len(k) != 32 {
			errs = append(errs, &configError{"KIEMTRA_AUDIT_KEY", "must be 64 hexadecimal digits (32 bytes), for example from `openssl rand -hex 32`"})
		}
	}
	if _, err := ParseTipDeadlines(c.TipDeadlines); err != nil {
		errs = append(errs, &configError{"KIEMTRA_TIP_DEADLINES", err.Error()})
	}
	if c.MinVisit < 0 || c.MinVisit > 4*time.Hour {
		errs = append(errs, &configError{"KIEMTRA_MIN_VISIT", "must be between 0 and 4h"})
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, &configError{"KIEMTRA_SHUTDOWN_TIMEOUT", "must be positive"})
	}
	if err := checkTileURL(c.TileURL); err != nil {
		errs = append(errs, &configError{"KIEMTRA_TILE_URL", err.Error()})
	}
	if c.TileAttribution != "" && c.TileURL == "" {
		errs = append(errs, &configError{"KIEMTRA_TILE_ATTRIBUTION", "is set but KIEMTRA_TILE_URL is empty"})
	}
	if err := c.SMTP().Validate(); err != nil {
		errs = append(errs, &configError{"KIEMTRA_SMTP_*", err.Error()})
	}
	if c.SMTPHost == "" && (c.SMTPUser != "" || c.SMTPFrom != "") {
		errs = append(errs, &configError{"KIEMTRA_SMTP_HOST", "is empty while other KIEMTRA_SMTP_ variables are set: e-mail would be off"})
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, &configError{"KIEMTRA_PUBLIC_URL", fmt.Sprintf("%q is not an http(s) address such as https://kiemtra.cantho.gov.vn", c.PublicURL)})
		}
	}
	if c.VAPIDPrivateKey != "" {
		if _, err := notify.ParseVAPID(c.VAPIDPrivateKey, c.VAPIDSubject); err != nil {
			errs = append(errs, &configError{"KIEMTRA_VAPID_*", err.Error()})
		}
	} else if c.VAPIDSubject != "" {
		errs = append(errs, &configError{"KIEMTRA_VAPID_PRIVATE_KEY", "is empty while KIEMTRA_VAPID_SUBJECT is set: push would be off (kiemtra vapid-keys makes a key)"})
	}
	if len(c.pushHosts()) == 0 {
		errs = append(errs, &configError{"KIEMTRA_PUSH_HOSTS", "names no host"})
	}
	if c.NotifyInterval < 100*time.Millisecond || c.NotifyInterval > 10*time.Minute {
		errs = append(errs, &configError{"KIEMTRA_NOTIFY_INTERVAL", "must be between 100ms and 10m"})
	}
	for _, p := range []struct {
		name string
		cfg  notify.HTTPProviderConfig
	}{{"KIEMTRA_SMS", c.SMSProvider()}, {"KIEMTRA_ZALO", c.ZaloProvider()}} {
		switch {
		case p.cfg.URL == "" && p.cfg.Token != "":
			errs = append(errs, &configError{p.name + "_URL", "is empty while " + p.name + "_TOKEN is set: the channel would be off"})
		case p.cfg.URL == "":
		case notify.ValidateProviderURL(p.cfg.URL) != nil:
			errs = append(errs, &configError{p.name + "_URL", notify.ValidateProviderURL(p.cfg.URL).Error()})
		case p.cfg.Token == "":
			errs = append(errs, &configError{p.name + "_TOKEN", "must be set with " + p.name + "_URL: the provider's bearer token"})
		}
	}
	return errors.Join(errs...)
}

// DefaultPushHosts are the push services of the browsers inspectors use: Chrome and the
// Android browsers built on it, Firefox, Safari, Edge.
const DefaultPushHosts = "fcm.googleapis.com,updates.push.services.mozilla.com,web.push.apple.com,*.push.apple.com,*.notify.windows.com"

// pushHosts lists KIEMTRA_PUSH_HOSTS.
func (c *Config) pushHosts() []string {
	var out []string
	for _, h := range strings.Split(c.PushHosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			out = append(out, h)
		}
	}
	return out
}

// VAPID is the server's Web Push identity, nil when push is off (checked by Validate).
func (c *Config) VAPID() *notify.VAPID {
	if c.VAPIDPrivateKey == "" {
		return nil
	}
	v, err := notify.ParseVAPID(c.VAPIDPrivateKey, c.VAPIDSubject)
	if err != nil {
		return nil
	}
	return v
}

// SMSProvider is the SMS provider's endpoint; its URL is empty when SMS is off.
func (c *Config) SMSProvider() notify.HTTPProviderConfig {
	return notify.HTTPProviderConfig{URL: c.SMSURL, Token: c.SMSToken}
}

// ZaloProvider is the Zalo provider's endpoint; its URL is empty when Zalo is off.
func (c *Config) ZaloProvider() notify.HTTPProviderConfig {
	return notify.HTTPProviderConfig{URL: c.ZaloURL, Token: c.ZaloToken}
}

// SMTP is the mail server of the notifications; its Host is empty when e-mail is off.
func (c *Config) SMTP() notify.SMTPConfig {
	return notify.SMTPConfig{Host: c.SMTPHost, Port: c.SMTPPort, User: c.SMTPUser, Password: c.SMTPPassword, From: c.SMTPFrom, TLS: c.SMTPTLS, BaseURL: c.PublicURL}
}

// checkTileURL accepts an empty tile URL (no base map), or an http(s) URL or a path on this
// server with the {z}, {x} and {y} placeholders of a Web Mercator tile server.
func checkTileURL(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(strings.NewReplacer("{z}", "0", "{x}", "0", "{y}", "0").Replace(s))
	switch {
	case err != nil || (u.Scheme != "https" && u.Scheme != "http" && !(u.Scheme == "" && u.Host == "" && strings.HasPrefix(s, "/"))):
		return fmt.Errorf("%q must be an http(s) URL, or a path on this server, such as https://tiles.example.vn/{z}/{x}/{y}.png", s)
	case !strings.Contains(s, "{z}") || !strings.Contains(s, "{x}") || !strings.Contains(s, "{y}"):
		return fmt.Errorf("%q must contain {z}, {x} and {y}, such as https://tiles.example.vn/{z}/{x}/{y}.png", s)
	}
	return nil
}

// Location returns the validated time zone.
func (c *Config) Location() *time.Location {
	if c.location == nil {
		return time.UTC
	}
	return c.location
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(s))); err != nil {
		return 0, fmt.Errorf("%q must be debug, info, warn or error", s)
	}
	return l, nil
}

// newLogger builds the process logger from the configuration.
func (c *Config) newLogger() *slog.Logger {
	lvl, _ := parseLevel(c.LogLevel)
	opts := &slog.HandlerOptions{Level: lvl}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// ParseTipDeadlines reads "urgent=24h/168h,high=48h/360h,normal=120h/720h": per severity, the
// time to verify a tip and the time to handle it.
func ParseTipDeadlines(s string) (models.TipDeadlines, error) {
	d := models.TipDeadlines{Verify: map[string]time.Duration{}, Handle: map[string]time.Duration{}}
	for _, part := range strings.Split(s, ",") {
		sev, spans, ok := strings.Cut(strings.TrimSpace(part), "=")
		verify, handle, ok2 := strings.Cut(spans, "/")
		if !ok || !ok2 {
			return d, fmt.Errorf("%q is not severity=verify/handle, such as urgent=24h/168h", part)
		}
		v, err1 := time.ParseDuration(verify)
		h, err2 := time.ParseDuration(handle)
		if err1 != nil || err2 != nil || v <= 0 || h < v {
			return d, fmt.Errorf("%q: durations such as 24h, the handling one not shorter than the verifying one", part)
		}
		if !slices.Contains(models.TipSeverities, sev) {
			return d, fmt.Errorf("%q: unknown severity %q (one of %s)", part, sev, strings.Join(models.TipSeverities, ", "))
		}
		if _, twice := d.Verify[sev]; twice {
			return d, fmt.Errorf("%q: the severity %q is given twice", part, sev)
		}
		d.Verify[sev], d.Handle[sev] = v, h
	}
	for _, sev := range models.TipSeverities {
		if _, ok := d.Verify[sev]; !ok {
			return d, fmt.Errorf("no deadline for the severity %q", sev)
		}
	}
	return d, nil
}

// Proxies returns the trusted proxy addresses.
func (c *Config) Proxies() []string {
	var out []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
