// Package api is kiemtra's HTTP interface: the gin router, handlers per resource, the middleware
// every request passes (request id, logs, metrics, recovery, body limits) and the one mapping from
// application errors to HTTP statuses.
package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"kiemtra/auth"
	"kiemtra/docs"
	"kiemtra/models"
)

// Readiness is what /readyz asks: is the database reachable and its schema current?
type Readiness interface {
	Ready(ctx context.Context) error
}

// Store is every repository the handlers use.
type Store interface {
	UpdateUser(ctx context.Context, actor, id string, upd models.UserUpdate, passwordHash string) (*models.User, error)
	SaveTeam(ctx context.Context, actor string, t *models.Team, members []string) error
	Count(ctx context.Context) (models.Counts, error)
	models.AreaStore
	models.BusinessStore
	models.TeamStore
	models.UserStore
	models.AuditStore
	models.ReorgStore
	models.AgencyStore
	models.LineageStore
}

// Registry is the business registry's logic: validation against the area index, imports and
// near queries. Plain reads go straight to the Store.
type Registry interface {
	// CreateBusiness validates b, derives its ward from the coordinates and stores it. created
	// is false when b.ID names a business already stored with the same content (a retry).
	CreateBusiness(ctx context.Context, actor string, b *models.Business) (stored *models.Business, created bool, err error)
	// UpdateBusiness applies upd when its version is current (conflict otherwise).
	UpdateBusiness(ctx context.Context, actor, id string, upd models.BusinessUpdate) (*models.Business, error)
	// NearBusinesses returns businesses matching f within radiusM of a point, nearest first.
	NearBusinesses(ctx context.Context, f models.BusinessFilter, lat, lon, radiusM float64, offset, limit int) ([]*models.NearBusiness, int, error)
	// ImportBusinessesWith reads a CSV, .xlsx or GeoJSON file and applies its valid rows.
	ImportBusinessesWith(ctx context.Context, actor string, r io.Reader, opts models.BusinessImportOptions) (*models.ImportReport, error)
	// ImportAreasWith reads a GeoJSON FeatureCollection of areas (in any naming docs/areas.md
	// lists) and stores them when all are valid.
	ImportAreasWith(ctx context.Context, actor string, r io.Reader, opts models.AreaImportOptions) (*models.AreaImportReport, error)
	// Export writes the businesses f matches as a registry file (registry.ExportCSV or
	// registry.ExportXLSX) that imports again as it is.
	Export(ctx context.Context, actor string, w io.Writer, f models.BusinessFilter, format string, vi bool) (int, error)
	// AreaPath returns an area's materialised path from the in-memory index, or "".
	AreaPath(ctx context.Context, code string) string
	// Contains reports whether an area contains a point.
	Contains(ctx context.Context, areaCode string, lat, lon float64) bool
	// Locate returns the code and path of the smallest area containing a point ("" outside).
	Locate(ctx context.Context, lat, lon float64) (code, path string)
}

// Outbox writes notifications to the outbox (store.DB.EnqueueNotifications): one per event
// key, user and channel, however often it is called.
type Outbox interface {
	EnqueueNotifications(ctx context.Context, notes []*models.Notification) error
}

// Config holds the server's dependencies and settings; main builds it.
type Config struct {
	Store      Store
	Readiness  Readiness
	Logger     *slog.Logger
	Registry   Registry
	Auth       Authenticator
	Passwords  PasswordHasher
	Planner    Planner
	Assigner   Assigner
	TeamDays   TeamDayStore
	FieldWork  FieldWork
	Field      FieldStore
	Photos     PhotoService
	PhotoBlobs PhotoBlobs
	Records    Records // the signed inspection records
	Coverage   CoverageService
	Tips       Tips
	TipStore   TipStore
	Licensing  Licensing
	Sanctions  Sanctions
	// SanctionStore reads sanctions and certificates.
	SanctionStore models.SanctionStore
	Reports       ReportService
	Plans         PlanStore
	Jobs          Jobs
	Reorgs        Reorganisations
	Places        Places               // the register of places a dance hall keeps away from
	PlaceStore    models.PlaceStore    // reads that register
	Reference     *models.Reference    // the tables GET /api/v1/reference serves
	Metrics       *prometheus.Registry // nil: a new one
	MaxBodyBytes  int64                // default limit of a request body
	Version       string
	Location      *time.Location // the time zone users live in
	Now           func() time.Time
	Web           StaticFiles // static pages served at /; nil: none
	// Notifications is the outbox and the users' notification settings; nil: the
	// notification endpoints answer 503.
	Notifications models.NotificationStore
	// NotifyText words notifications for the in-app list (notify.Renderer).
	NotifyText NotificationRenderer
	// Push is Web Push; without a store or key the app is told push is off.
	Push PushConfig
	// NotifyChannels are the channels the service delivers on, which the settings offer;
	// nil: every channel.
	NotifyChannels []string
	// Outbox takes the notifications of events that are no write of the store (a result the
	// sync refused); nil: none are written.
	Outbox Outbox
	// Unavailable tells errors that mean the database cannot answer now (answered 503 with
	// Retry-After) from bugs (500); main passes store.IsUnavailable. nil: only errors that carry
	// the unavailable code.
	Unavailable func(error) bool
	// TrustedProxies are the addresses whose X-Forwarded-For is believed; none by default, so
	// that a client cannot pick its own address to dodge the per-address limits.
	TrustedProxies []string
	// Limits keeps the counts of the public tip form's and the licensing lookups' limits: the
	// database, so that every replica enforces one limit; nil counts in this process only.
	Limits models.HitStore
	// LimitKey keys the hash under which the limits store their keys (auth.DeriveLimitKey of the
	// secret, the same on every replica), so that no address is stored in the clear.
	LimitKey []byte
	// Official supplies the official report's targets and narratives (GET /reports?format=pdf);
	// nil: the inspection targets from the period report (InspectionTargets) and no narratives.
	Official OfficialSource

	// Indicators keeps the programme's indicators; IndicatorStore reads their submissions.
	Indicators     Indicators
	IndicatorStore models.IndicatorStore
}

// Server handles kiemtra's HTTP requests.
type Server struct {
	store          Store
	ready          Readiness
	log            *slog.Logger
	registry       Registry
	auth           Authenticator
	passwords      PasswordHasher
	planner        Planner
	assigner       Assigner
	teamDays       TeamDayStore
	fieldwork      FieldWork
	field          FieldStore
	photos         PhotoService
	records        Records
	blobs          PhotoBlobs
	coverageSvc    CoverageService
	tips           Tips
	tipStore       TipStore
	licensing      Licensing
	sanctions      Sanctions
	sanctionStore  models.SanctionStore
	limits         *auth.Limits
	tipLimiter     *auth.Limiter
	tipCity        *auth.Limiter
	lookupLimiter  *auth.Limiter
	reports        ReportService
	official       OfficialSource
	notifications  models.NotificationStore
	renderer       NotificationRenderer
	push           PushConfig
	notifyChannels []string
	outbox         Outbox
	plans          PlanStore
	jobs           Jobs
	reorgs         Reorganisations
	places         Places
	placeStore     models.PlaceStore
	reference      *models.Reference
	reorgStore     models.ReorgStore
	metrics        *prometheus.Registry
	maxBody        int64
	version        string
	loc            *time.Location
	now            func() time.Time
	engine         *gin.Engine
	unavailable    func(error) bool
	csp            string       // the Content-Security-Policy of every answer
	trusted        []*net.IPNet // KIEMTRA_TRUSTED_PROXIES

	// tipStatusLimiter counts the look-ups of /tip/status per address.
	tipStatusLimiter *auth.Limiter

	// bodyLimits overrides the default body limit for routes that take files.
	bodyLimits map[string]int64

	indicators     Indicators
	indicatorStore models.IndicatorStore

	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inflight prometheus.Gauge
}

// New builds the server and its routes.
func New(cfg Config) *Server {
	gin.SetMode(gin.ReleaseMode)
	s := &Server{
		store:          cfg.Store,
		ready:          cfg.Readiness,
		log:            cfg.Logger,
		registry:       cfg.Registry,
		auth:           cfg.Auth,
		passwords:      cfg.Passwords,
		planner:        cfg.Planner,
		assigner:       cfg.Assigner,
		teamDays:       cfg.TeamDays,
		fieldwork:      cfg.FieldWork,
		field:          cfg.Field,
		photos:         cfg.Photos,
		records:        cfg.Records,
		blobs:          cfg.PhotoBlobs,
		coverageSvc:    cfg.Coverage,
		tips:           cfg.Tips,
		tipStore:       cfg.TipStore,
		licensing:      cfg.Licensing,
		sanctions:      cfg.Sanctions,
		sanctionStore:  cfg.SanctionStore,
		reports:        cfg.Reports,
		official:       cfg.Official,
		notifications:  cfg.Notifications,
		renderer:       cfg.NotifyText,
		push:           cfg.Push,
		notifyChannels: cfg.NotifyChannels,
		outbox:         cfg.Outbox,
		plans:          cfg.Plans,
		jobs:           cfg.Jobs,
		reorgs:         cfg.Reorgs,
		places:         cfg.Places,
		placeStore:     cfg.PlaceStore,
		reference:      cfg.Reference,
		reorgStore:     cfg.Store,
		metrics:        cfg.Metrics,
		maxBody:        cfg.MaxBodyBytes,
		version:        cfg.Version,
		loc:            cfg.Location,
		now:            cfg.Now,
		bodyLimits:     map[string]int64{},
		unavailable:    cfg.Unavailable,
	}
	s.indicators, s.indicatorStore = cfg.Indicators, cfg.IndicatorStore
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.metrics == nil {
		s.metrics = prometheus.NewRegistry()
		s.metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	if s.maxBody <= 0 {
		s.maxBody = 1 << 20
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.now == nil {
		s.now = time.Now
	}
	hits := cfg.Limits
	if hits == nil {
		hits = auth.NewMemoryHits()
	}
	s.limits = auth.NewLimits(hits, s.now, cfg.LimitKey)
	s.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "kiemtra_http_requests_total", Help: "HTTP requests by method, route and status.",
	}, []string{"method", "route", "status"})
	s.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "kiemtra_http_request_duration_seconds", Help: "HTTP request latency by method and route.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"method", "route"})
	tileOrigin := ""
	if s.reports != nil {
		tileOrigin = tileOriginOf(s.reports.BaseMap().TileURL)
	}
	s.csp = contentSecurityPolicy(tileOrigin)
	s.trusted = parseProxies(cfg.TrustedProxies)
	s.inflight = prometheus.NewGauge(prometheus.GaugeOpts{Name: "kiemtra_http_requests_in_flight", Help: "HTTP requests being served."})
	s.metrics.MustRegister(s.requests, s.duration, s.inflight)

	e := gin.New()
	if err := e.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		// gin trusts every address until a list is set: on a bad list trust none, so that no
		// client picks its own address.
		s.log.Error("KIEMTRA_TRUSTED_PROXIES: no proxy is trusted", "err", err)
		_ = e.SetTrustedProxies(nil)
	}
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	e.Use(s.requestID, s.securityHeaders, s.recover, s.logAndMeasure, s.limitBody, s.authenticate, s.authorize, s.checkParams)
	e.NoRoute(func(c *gin.Context) {
		s.writeError(c, models.NewError(models.ENOTFOUND, "no such endpoint: %s %s", "không có địa chỉ này: %s %s", c.Request.Method, c.Request.URL.Path))
	})
	e.NoMethod(func(c *gin.Context) {
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, ErrorBody{Error: ErrorPayload{
			Code: "method_not_allowed", RequestID: requestID(c),
			Message: pick(wantsVietnamese(c), "method not allowed: "+c.Request.Method, "không hỗ trợ phương thức "+c.Request.Method),
		}})
	})
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", gin.WrapH(promhttp.HandlerFor(s.metrics, promhttp.HandlerOpts{Registry: s.metrics})))
	if cfg.Web != nil {
		// The planners' dashboard is the home page; the phones' app lives under /app/.
		e.GET("/", func(c *gin.Context) { c.Redirect(http.StatusFound, "/dashboard/") })
		e.GET("/static/*file", s.static(cfg.Web, ""))
		e.GET("/dashboard/*file", s.static(cfg.Web, "dashboard"))
		e.GET("/app/*file", s.static(cfg.Web, "app"))
		e.GET("/office/*file", s.static(cfg.Web, "office"))
		e.GET("/shared/*file", s.static(cfg.Web, "shared"))
	}
	v1 := e.Group("/api/v1")
	s.registerMetaRoutes(v1)
	s.registerReferenceRoutes(v1)
	s.registerAuthRoutes(v1)
	s.registerReorgRoutes(v1)
	s.registerAreaRoutes(v1)
	s.registerBusinessRoutes(v1)
	s.registerImportRoutes(v1)
	s.registerPlanRoutes(v1)
	s.registerTeamRoutes(v1)
	s.registerUserRoutes(v1)
	s.registerAgencyRoutes(v1)
	s.registerAssignmentRoutes(v1)
	s.registerFieldRoutes(v1)
	s.registerPhotoRoutes(v1)
	s.registerRecordRoutes(v1)
	s.registerCoverageRoutes(v1)
	s.registerTipRoutes(e, v1)
	s.registerVerifyRoutes(e)
	s.registerLicensingRoutes(v1)
	s.registerSanctionRoutes(v1)
	s.registerPlaceRoutes(v1)
	s.registerReportRoutes(v1)
	s.registerIndicatorRoutes(v1)
	s.registerAuditRoutes(v1)
	s.registerNotificationRoutes(v1)
	s.registerPushRoutes(v1)
	s.engine = e
	return s
}

// StaticFiles serves the embedded pages (web.Assets).
type StaticFiles interface {
	// Serve writes the file name and reports whether it exists.
	Serve(w http.ResponseWriter, r *http.Request, name string) bool
}

// static serves the files under dir; an unknown file gets the API's 404.
func (s *Server) static(files StaticFiles, dir string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !files.Serve(c.Writer, c.Request, dir+c.Param("file")) {
			s.writeError(c, models.NewError(models.ENOTFOUND, "no such file: %s", "không có tệp này: %s", c.Request.URL.Path))
		}
	}
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok", "version": s.version})
}

func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	if err := s.ready.Ready(ctx); err != nil {
		// Anyone may ask /readyz: the driver's text (hosts, users, SQL) goes to the log only,
		// the answer names the reason in plain words.
		s.log.Warn("not ready", "err", err)
		en, vi := "the database is not ready", "cơ sở dữ liệu chưa sẵn sàng"
		if e := models.ErrorAs(err); e != nil && e.Code == models.EUNAVAILABLE {
			en, vi = e.Message, e.MessageVI
		}
		c.AbortWithStatusJSON(http.StatusServiceUnavailable, ErrorBody{Error: ErrorPayload{
			Code: models.EUNAVAILABLE, RequestID: requestID(c),
			Message: pick(wantsVietnamese(c), "not ready: "+en, "chưa sẵn sàng: "+vi),
		}})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}

// stats answers the row counts of the main tables.
func (s *Server) stats(c *gin.Context) {
	n, err := s.store.Count(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, n)
}

func (s *Server) registerMetaRoutes(g *gin.RouterGroup) {
	g.GET("/version", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"version": s.version}) })
	g.GET("/stats", s.stats)
	// Reference data: the front-ends label and define every figure from it.
	g.GET("/measures", func(c *gin.Context) {
		c.Header("Cache-Control", "public, max-age=3600")
		c.JSON(http.StatusOK, gin.H{"measures": models.Measures(), "map_statuses": models.MapStatuses()})
	})
	g.GET("/openapi.yaml", func(c *gin.Context) { c.Data(http.StatusOK, "application/yaml", docs.OpenAPI) })
}

const (
	ctxRequestID = "kiemtra.request_id"
	ctxLogger    = "kiemtra.logger"
)

// requestID takes the caller's X-Request-ID when it is sane, or makes one, and echoes it.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if len(id) == 0 || len(id) > 64 || !printableASCII(id) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Set(ctxRequestID, id)
	c.Header("X-Request-ID", id)
	c.Set(ctxLogger, s.log.With("request_id", id))
	c.Next()
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func requestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

func loggerFrom(c *gin.Context, fallback *slog.Logger) *slog.Logger {
	if l, ok := c.Get(ctxLogger); ok {
		return l.(*slog.Logger)
	}
	return fallback
}

// recover turns a panic in a handler into a 500 with the request id, and logs the stack.
func (s *Server) recover(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			loggerFrom(c, s.log).Error("panic", "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				s.writeError(c, fmt.Errorf("panic: %v", r))
			}
			c.Abort()
		}
	}()
	c.Next()
}

// logAndMeasure writes one structured log line and the metrics for every request.
func (s *Server) logAndMeasure(c *gin.Context) {
	start := time.Now()
	s.inflight.Inc()
	c.Next()
	s.inflight.Dec()
	d := time.Since(start)
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	status := c.Writer.Status()
	s.requests.WithLabelValues(c.Request.Method, route, strconv.Itoa(status)).Inc()
	s.duration.WithLabelValues(c.Request.Method, route).Observe(d.Seconds())
	level := slog.LevelInfo
	switch {
	case status == http.StatusServiceUnavailable:
		// An outage is logged once as a warning by writeError; each request is not a bug.
		level = slog.LevelWarn
	case status >= 500:
		level = slog.LevelError
	case route == "/healthz" || route == "/readyz" || route == "/metrics":
		level = slog.LevelDebug
	}
	attrs := []any{"method", c.Request.Method, "path", c.Request.URL.Path, "route", route, "status", status,
		"duration_ms", float64(d.Microseconds()) / 1000, "bytes", c.Writer.Size()}
	// The public tip form promises anonymity: its senders' addresses are not written down.
	if !strings.HasPrefix(route, "/tip") {
		attrs = append(attrs, "ip", c.ClientIP())
	}
	if p := principal(c); p != nil {
		attrs = append(attrs, "user", p.Username)
	}
	loggerFrom(c, s.log).Log(c.Request.Context(), level, "request", attrs...)
}

// limitBody caps every request body; routes that take files register a larger limit.
func (s *Server) limitBody(c *gin.Context) {
	limit := s.maxBody
	if l, ok := s.bodyLimits[c.FullPath()]; ok {
		limit = l
	}
	if c.Request.ContentLength > limit {
		s.writeError(c, models.NewError(models.ETOOLARGE, "request body of %d bytes is over the limit of %d bytes", "nội dung yêu cầu %d byte vượt giới hạn %d byte", c.Request.ContentLength, limit))
		return
	}
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	}
	c.Next()
}
