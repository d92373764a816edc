// Package store persists kiemtra's data with gorm over an embedded SQLite file (the default, no
// set-up) or PostgreSQL (production, several replicas). One set of repository code serves both;
// the schema comes from the versioned SQL migrations in package migrations, never AutoMigrate.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"kiemtra/models"
)

// Dialects.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// Options configures Open.
type Options struct {
	// URL is a postgres:// URL; empty means SQLite in DataDir.
	URL string
	// DataDir holds kiemtra.db when URL is empty.
	DataDir string
	// MaxOpenConns bounds the PostgreSQL pool (default 20).
	MaxOpenConns int
	// Logger receives slow queries and database errors; nil discards them.
	Logger *slog.Logger
	// Now is the clock used for created_at/updated_at and audit times; nil means time.Now.
	Now func() time.Time
	// AuditKey signs the audit log (at least MinAuditKeyBytes). It must not live in the
	// database; without it every audited write and VerifyAudit fail.
	AuditKey []byte
	// Channels are the notification channels this service delivers on (models.Channel...);
	// a notification for another channel is not written. Nil writes every channel.
	Channels []string
}

// DB is an open database with its dialect. Repositories are methods on it.
type DB struct {
	gdb     *gorm.DB
	sqlDB   *sql.DB
	dialect string
	now     func() time.Time
	log     *slog.Logger
	where   string // what to name in error messages: a file path or host:port

	auditKey   []byte
	auditKeyID string
	channels   map[string]bool // nil: every channel
}

// Open connects to the database described by opts and checks that it answers. It does not
// migrate; call Migrate.
func Open(ctx context.Context, opts Options) (*DB, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(discard{}, nil))
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	gcfg := &gorm.Config{
		Logger:                 gormLogger{log: log, slow: 500 * time.Millisecond},
		NowFunc:                func() time.Time { return now().UTC().Truncate(time.Microsecond) },
		TranslateError:         true,
		SkipDefaultTransaction: true,
	}
	if n := len(opts.AuditKey); n > 0 && n < MinAuditKeyBytes {
		return nil, fmt.Errorf("open database: the audit key has %d bytes, fewer than %d", n, MinAuditKeyBytes)
	}
	db := &DB{now: now, log: log}
	if opts.Channels != nil {
		db.channels = map[string]bool{}
		for _, c := range opts.Channels {
			db.channels[c] = true
		}
	}
	if len(opts.AuditKey) > 0 {
		db.auditKey, db.auditKeyID = opts.AuditKey, AuditKeyID(opts.AuditKey)
	}
	var dialector gorm.Dialector
	if opts.URL == "" {
		if opts.DataDir == "" {
			return nil, errors.New("open database: no DATABASE_URL and no data directory")
		}
		if err := os.MkdirAll(opts.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("open database: create data directory %s: %w", opts.DataDir, err)
		}
		path := filepath.Join(opts.DataDir, "kiemtra.db")
		db.dialect, db.where = DialectSQLite, path
		dialector = sqlite.Open(sqliteDSN(path))
	} else {
		u, err := url.Parse(opts.URL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return nil, errors.New("open database: DATABASE_URL must be a postgres:// URL")
		}
		host := u.Host
		if host == "" {
			host = "localhost:5432"
		} else if _, _, err := net.SplitHostPort(host); err != nil {
			host = net.JoinHostPort(host, "5432")
		}
		db.dialect, db.where = DialectPostgres, host
		dialector = postgres.Open(opts.URL)
	}
	gdb, err := gorm.Open(dialector, gcfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database at %s: %w", db.dialect, db.where, err)
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, fmt.Errorf("open %s database at %s: %w", db.dialect, db.where, err)
	}
	db.gdb, db.sqlDB = gdb, sqlDB
	if db.dialect == DialectSQLite {
		// WAL lets readers run beside the one writer; more connections than this only wait on
		// the write lock.
		sqlDB.SetMaxOpenConns(4)
		sqlDB.SetMaxIdleConns(4)
	} else {
		n := opts.MaxOpenConns
		if n <= 0 {
			n = 20
		}
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("cannot reach the %s database at %s: %s", db.dialect, db.where, firstLine(err))
	}
	return db, nil
}

// sqliteDSN turns on what a service needs from SQLite: WAL so readers do not block the writer,
// foreign keys, a busy timeout instead of immediate "database is locked" errors, and IMMEDIATE
// transactions so that a transaction that reads then writes cannot deadlock with another.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode()
}

// Close closes the connection pool.
func (db *DB) Close() error { return db.sqlDB.Close() }

// Dialect returns DialectSQLite or DialectPostgres.
func (db *DB) Dialect() string { return db.dialect }

// Where names the database for messages: the SQLite file or the PostgreSQL host:port.
func (db *DB) Where() string { return db.where }

// Gorm returns the gorm handle, for packages (tests, benchmarks) that need raw access.
func (db *DB) Gorm() *gorm.DB { return db.gdb }

// SQL returns the database/sql handle.
func (db *DB) SQL() *sql.DB { return db.sqlDB }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s database at %s: %w", db.dialect, db.where, err)
	}
	return nil
}

// batchSize is how many rows one INSERT carries. The SQLite driver matches parameters in time
// that grows with the square of their number, so it gets small batches; PostgreSQL takes up to
// 65,535 parameters a statement.
func (db *DB) batchSize() int {
	if db.dialect == DialectSQLite {
		return 50
	}
	return 500
}

// Now returns the store's clock reading, in UTC with the microsecond precision both databases keep.
func (db *DB) Now() time.Time { return db.now().UTC().Truncate(time.Microsecond) }

// tx runs fn in a transaction on ctx.
func (db *DB) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return db.gdb.WithContext(ctx).Transaction(fn)
}

// translate maps driver errors to application errors once, for every repository. The driver's
// text (SQLSTATE, constraint and column names) stays in the error's cause for the log; users
// read a plain message in their language.
func translate(err error, kind string) error {
	if err == nil {
		return nil
	}
	en, vi := kindName(kind)
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return notFound(kind)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return &models.Error{Code: models.ECONFLICT, Message: "this " + en + " already exists", MessageVI: vi + " này đã tồn tại", Err: err}
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		e := models.Invalid(kind, "the %s refers to something that does not exist", "%s tham chiếu tới dữ liệu không tồn tại", en)
		e.MessageVI = vi + " tham chiếu tới dữ liệu không tồn tại"
		e.Details[0].MessageVI = e.MessageVI
		e.Err = err
		return e
	case IsUnavailable(err):
		return models.Unavailable(fmt.Errorf("%s: %w", kind, err))
	}
	return fmt.Errorf("%s: %w", kind, err)
}

func firstLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// Transaction runs fn with a DB whose every repository call joins one transaction: all of fn's
// writes are committed together or not at all. Repository methods that open their own
// transaction nest inside it as savepoints.
func (db *DB) Transaction(ctx context.Context, fn func(tx *DB) error) error {
	return db.gdb.WithContext(ctx).Transaction(func(g *gorm.DB) error {
		inner := *db
		inner.gdb = g
		return fn(&inner)
	})
}
