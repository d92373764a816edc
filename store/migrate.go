package store

import (
	"context"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"kiemtra/migrations"
	"kiemtra/models"
)

// MigrationStatus is one migration and whether it is applied.
type MigrationStatus struct {
	Version int64
	Name    string
	Applied bool
}

// SchemaState summarises the database's schema against the migrations this binary knows.
type SchemaState struct {
	Current int64 // highest version applied in the database (0: none)
	Latest  int64 // highest version this binary knows
	Pending int   // known versions not yet applied
}

// TooNew reports whether the database was migrated by a newer kiemtra.
func (s SchemaState) TooNew() bool { return s.Current > s.Latest }

// gooseTable is where goose records the applied migrations.
const gooseTable = "goose_db_version"

// provider is goose over the embedded migrations; locked adds the migration lock, which
// Migrate and MigrationStatuses take and reading the sources does not need.
func (db *DB) provider(ctx context.Context, locked bool) (*goose.Provider, error) {
	fsys, err := migrations.FS(db.dialect)
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	opts := []goose.ProviderOption{goose.WithSlog(slog.New(slog.NewTextHandler(io.Discard, nil)))}
	if db.dialect == DialectPostgres {
		dialect = goose.DialectPostgres
	}
	if locked && db.dialect == DialectPostgres {
		// Replicas that start together must not run the same migration twice; databases in
		// other schemas of the server (tenants, tests) have nothing to wait for, so each schema
		// has its own lock.
		id, err := db.migrationLockID(ctx)
		if err != nil {
			return nil, err
		}
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(id))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, db.sqlDB, fsys, opts...)
}

// migrationLockID is the advisory lock that serialises migrations of the current schema.
func (db *DB) migrationLockID(ctx context.Context) (int64, error) {
	var schema string
	if err := db.sqlDB.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return 0, fmt.Errorf("current schema of %s: %w", db.where, err)
	}
	return migrationLockID(schema), nil
}

func migrationLockID(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("kiemtra-migrations/" + schema))
	return int64(h.Sum64() >> 1)
}

// SchemaState reads the applied version and compares it with the embedded migrations. It reads
// goose's table without taking the migration lock: /readyz asks it, and a probe must not wait
// behind a migration that runs (or another probe).
func (db *DB) SchemaState(ctx context.Context) (SchemaState, error) {
	p, err := db.provider(ctx, false)
	if err != nil {
		return SchemaState{}, fmt.Errorf("schema state: %w", err)
	}
	srcs := p.ListSources()
	st := SchemaState{Latest: srcs[len(srcs)-1].Version}
	cur, err := db.appliedVersion(ctx)
	if err != nil {
		return st, fmt.Errorf("schema state of %s: %w", db.where, err)
	}
	st.Current = cur
	// Migrations are applied in order (goose refuses gaps by default), so every known version
	// above the current one is pending.
	for _, s := range srcs {
		if s.Version > cur {
			st.Pending++
		}
	}
	return st, nil
}

// appliedVersion is the highest applied version in goose's table; 0 when there is no table yet
// (a new database).
func (db *DB) appliedVersion(ctx context.Context) (int64, error) {
	exists := "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)"
	if db.dialect == DialectPostgres {
		exists = "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1)"
	}
	var ok bool
	if err := db.sqlDB.QueryRowContext(ctx, exists, gooseTable).Scan(&ok); err != nil {
		return 0, err
	}
	if !ok {
		return 0, nil
	}
	var v int64
	err := db.sqlDB.QueryRowContext(ctx, "SELECT COALESCE(MAX(version_id), 0) FROM "+gooseTable+" WHERE is_applied").Scan(&v)
	return v, err
}

// auditHeadMigration is the migration that keys the audit chain; the log's signed head is
// sealed when it is applied, and never again.
const auditHeadMigration = 10

// Migrate applies every pending migration. It refuses a database whose schema is newer than
// this binary, because running old code on a newer schema can corrupt data.
func (db *DB) Migrate(ctx context.Context) ([]MigrationStatus, error) {
	st, err := db.SchemaState(ctx)
	if err != nil {
		return nil, err
	}
	if st.TooNew() {
		return nil, fmt.Errorf("the database at %s has schema version %d, newer than this kiemtra knows (%d): run a newer kiemtra", db.where, st.Current, st.Latest)
	}
	p, err := db.provider(ctx, true)
	if err != nil {
		return nil, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate %s: %w", db.where, err)
	}
	out := make([]MigrationStatus, 0, len(res))
	for _, r := range res {
		out = append(out, MigrationStatus{Version: r.Source.Version, Name: r.Source.Path, Applied: true})
		if r.Source.Version == auditHeadMigration {
			if err := db.sealAuditHead(ctx); err != nil {
				return nil, fmt.Errorf("migrate %s: %w", db.where, err)
			}
		}
	}
	// Not only after the lineage migration: a start that stopped between it and this step
	// finishes the job the next time.
	if err := db.backfillLineage(ctx); err != nil {
		return nil, fmt.Errorf("migrate %s: area lineage: %w", db.where, err)
	}
	return out, nil
}

// MigrationStatuses lists every known migration and whether it is applied.
func (db *DB) MigrationStatuses(ctx context.Context) ([]MigrationStatus, error) {
	p, err := db.provider(ctx, true)
	if err != nil {
		return nil, err
	}
	statuses, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status of %s: %w", db.where, err)
	}
	out := make([]MigrationStatus, 0, len(statuses))
	for _, s := range statuses {
		out = append(out, MigrationStatus{Version: s.Source.Version, Name: s.Source.Path, Applied: s.State == goose.StateApplied})
	}
	return out, nil
}

// Ready reports whether the database answers and its schema is exactly current. A failure is
// an unavailable error whose message is plain and safe to show on the public /readyz; the cause
// (driver text, host names, versions) is wrapped in it for the log.
func (db *DB) Ready(ctx context.Context) error {
	if err := db.Ping(ctx); err != nil {
		return notReady(err, "the database does not answer", "cơ sở dữ liệu không trả lời")
	}
	st, err := db.SchemaState(ctx)
	if err != nil {
		return notReady(err, "the schema version cannot be read", "không đọc được phiên bản cấu trúc cơ sở dữ liệu")
	}
	switch {
	case st.TooNew():
		return notReady(fmt.Errorf("schema version %d is newer than this binary (%d)", st.Current, st.Latest),
			"the database schema is newer than this binary", "cấu trúc cơ sở dữ liệu mới hơn phiên bản phần mềm này")
	case st.Pending > 0:
		return notReady(fmt.Errorf("%d migrations pending (schema version %d, this binary knows %d)", st.Pending, st.Current, st.Latest),
			"migrations pending", "cấu trúc cơ sở dữ liệu chưa được cập nhật")
	}
	return nil
}

func notReady(cause error, en, vi string) error {
	return fmt.Errorf("%w: %w", &models.Error{Code: models.EUNAVAILABLE, Message: en, MessageVI: vi}, cause)
}
