package store

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"kiemtra/migrations"
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

func (db *DB) provider() (*goose.Provider, error) {
	fsys, err := migrations.FS(db.dialect)
	if err != nil {
		return nil, err
	}
	dialect := goose.DialectSQLite3
	opts := []goose.ProviderOption{goose.WithSlog(slog.New(slog.NewTextHandler(io.Discard, nil)))}
	if db.dialect == DialectPostgres {
		dialect = goose.DialectPostgres
		// Replicas that start together must not run the same migration twice.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, db.sqlDB, fsys, opts...)
}

// SchemaState reads the applied version and compares it with the embedded migrations.
func (db *DB) SchemaState(ctx context.Context) (SchemaState, error) {
	p, err := db.provider()
	if err != nil {
		return SchemaState{}, fmt.Errorf("schema state: %w", err)
	}
	srcs := p.ListSources()
	st := SchemaState{Latest: srcs[len(srcs)-1].Version}
	cur, err := p.GetDBVersion(ctx)
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
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate %s: %w", db.where, err)
	}
	if err := db.sealAuditHead(ctx); err != nil {
		return nil, fmt.Errorf("migrate %s: %w", db.where, err)
	}
	out := make([]MigrationStatus, 0, len(res))
	for _, r := range res {
		out = append(out, MigrationStatus{Version: r.Source.Version, Name: r.Source.Path, Applied: true})
	}
	return out, nil
}

// MigrationStatuses lists every known migration and whether it is applied.
func (db *DB) MigrationStatuses(ctx context.Context) ([]MigrationStatus, error) {
	p, err := db.provider()
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

// Ready reports whether the database answers and its schema is exactly current.
func (db *DB) Ready(ctx context.Context) error {
	if err := db.Ping(ctx); err != nil {
		return err
	}
	st, err := db.SchemaState(ctx)
	if err != nil {
		return err
	}
	switch {
	case st.TooNew():
		return fmt.Errorf("schema version %d is newer than this binary (%d)", st.Current, st.Latest)
	case st.Pending > 0:
		return fmt.Errorf("%d migrations pending", st.Pending)
	}
	return nil
}
