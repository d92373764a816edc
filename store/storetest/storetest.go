// Package storetest runs a test body against every available database: SQLite always, and
// PostgreSQL when KIEMTRA_TEST_POSTGRES_URL is set. Each run gets a fresh, migrated database
// (a temporary SQLite file, or a new PostgreSQL schema that is dropped afterwards).
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"kiemtra/store"
)

// EnvPostgresURL names the variable that enables the PostgreSQL runs.
const EnvPostgresURL = "KIEMTRA_TEST_POSTGRES_URL"

// AuditKey is the audit key of the test databases, unless Options.AuditKey says otherwise; a
// test that opens the same database again passes it too.
var AuditKey = []byte("kiemtra storetest audit key, not a secret")

// Options tune the databases a test gets.
type Options struct {
	Now      func() time.Time // the store's clock; nil means time.Now
	Logger   *slog.Logger     // receives the store's log (failed and slow queries); nil discards it
	AuditKey []byte           // the key that signs the audit log; nil means AuditKey
	Channels []string         // the notification channels written (store.Options.Channels); nil means all
}

func (o Options) auditKey() []byte {
	if o.AuditKey == nil {
		return AuditKey
	}
	return o.AuditKey
}

// Run calls fn once per available dialect, as subtests named "sqlite" and "postgres".
func Run(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	RunWith(t, Options{}, fn)
}

// RunWith is Run with options.
func RunWith(t *testing.T, opts Options, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run(store.DialectSQLite, func(t *testing.T) {
		fn(t, NewSQLite(t, opts))
	})
	t.Run(store.DialectPostgres, func(t *testing.T) {
		fn(t, NewPostgres(t, opts))
	})
}

// RunReplicas calls fn once per available dialect with two handles on one fresh database, as
// two replicas of the service have: what one writes, the other reads.
func RunReplicas(t *testing.T, opts Options, fn func(t *testing.T, a, b *store.DB)) {
	t.Helper()
	t.Run(store.DialectSQLite, func(t *testing.T) {
		o := store.Options{DataDir: t.TempDir(), Now: opts.Now, Logger: opts.Logger, AuditKey: opts.auditKey(), Channels: opts.Channels}
		fn(t, open(t, o), open(t, o))
	})
	t.Run(store.DialectPostgres, func(t *testing.T) {
		o := store.Options{URL: PostgresURL(t), MaxOpenConns: 8, Now: opts.Now, Logger: opts.Logger, AuditKey: opts.auditKey(), Channels: opts.Channels}
		fn(t, open(t, o), open(t, o))
	})
}

// NewSQLite returns a migrated SQLite database in a temporary directory.
func NewSQLite(tb testing.TB, opts Options) *store.DB {
	tb.Helper()
	return open(tb, store.Options{DataDir: tb.TempDir(), Now: opts.Now, Logger: opts.Logger, AuditKey: opts.auditKey(), Channels: opts.Channels})
}

// NewPostgres returns a migrated PostgreSQL database in a fresh schema, or skips the test when
// KIEMTRA_TEST_POSTGRES_URL is not set.
func NewPostgres(tb testing.TB, opts Options) *store.DB {
	tb.Helper()
	return open(tb, store.Options{URL: PostgresURL(tb), MaxOpenConns: 8, Now: opts.Now, Logger: opts.Logger, AuditKey: opts.auditKey(), Channels: opts.Channels})
}

// PostgresURL returns a URL for a fresh PostgreSQL schema (created now, dropped when the test
// ends) without opening it, for tests that start the whole service. It skips the test when
// KIEMTRA_TEST_POSTGRES_URL is not set.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv(EnvPostgresURL)
	if base == "" {
		tb.Skipf("PostgreSQL tests skipped: %s is not set (for example postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable)", EnvPostgresURL)
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", EnvPostgresURL, err)
	}
	ctx := context.Background()
	admin, err := store.Open(ctx, store.Options{URL: base, MaxOpenConns: 2})
	if err != nil {
		tb.Fatalf("open %s: %v", EnvPostgresURL, err)
	}
	schema := "kt_" + randomHex(6)
	if err := admin.Gorm().WithContext(ctx).Exec("CREATE SCHEMA " + schema).Error; err != nil {
		admin.Close()
		tb.Fatalf("create schema %s: %v", schema, err)
	}
	tb.Cleanup(func() {
		if err := admin.Gorm().Exec("DROP SCHEMA " + schema + " CASCADE").Error; err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// opened remembers how each test database was opened, for Reopen.
var opened sync.Map // *store.DB -> store.Options

func open(tb testing.TB, o store.Options) *store.DB {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, o)
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	opened.Store(db, o)
	tb.Cleanup(func() { opened.Delete(db); db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		tb.Fatalf("migrate test database: %v", err)
	}
	return db
}

// Reopen opens the database of db (one from this package) a second time with other options,
// as another process with another configuration would; it does not migrate.
func Reopen(tb testing.TB, db *store.DB, opts Options) *store.DB {
	tb.Helper()
	o, ok := opened.Load(db)
	if !ok {
		tb.Fatal("Reopen: the database was not opened by storetest, or is closed")
	}
	so := o.(store.Options)
	so.Now, so.AuditKey = opts.Now, opts.auditKey()
	again, err := store.Open(context.Background(), so)
	if err != nil {
		tb.Fatalf("reopen test database: %v", err)
	}
	tb.Cleanup(func() { again.Close() })
	return again
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// SetLastInspected sets each business's last inspection date from its inspected visits (not
// corrections), as ApplyVisits keeps it, for cities written with bulk SQL in benchmarks. The
// date is the visit's date in UTC, so the bulk rows must finish on the same date in the users'
// zone.
func SetLastInspected(tb testing.TB, db *store.DB) {
	tb.Helper()
	sql := `UPDATE businesses SET last_inspected_on = (SELECT date(MAX(i.finished_at)) FROM inspections i
		WHERE i.business_id = businesses.id AND i.outcome IN ('compliant', 'violation') AND i.amends_id IS NULL)`
	if db.Dialect() == store.DialectPostgres {
		sql = `UPDATE businesses b SET last_inspected_on = x.d FROM (SELECT business_id, (MAX(finished_at) AT TIME ZONE 'UTC')::date AS d
			FROM inspections WHERE outcome IN ('compliant', 'violation') AND amends_id IS NULL GROUP BY business_id) x WHERE x.business_id = b.id`
	}
	if err := db.Gorm().Exec(sql).Error; err != nil {
		tb.Fatalf("set the last inspection dates: %v", err)
	}
}
