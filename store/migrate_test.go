package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// readyzBudget is how long /readyz gives Ready before it answers 503.
const readyzBudget = 3 * time.Second

// holdLock takes a PostgreSQL session advisory lock on a connection of its own, as a migration
// running on another replica does, until the test ends.
func holdLock(t *testing.T, db *store.DB, id int64) {
	t.Helper()
	ctx := context.Background()
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", id).Scan(&got); err != nil || !got {
		t.Fatalf("take advisory lock %d: %v %v", id, got, err)
	}
}

func currentSchema(t *testing.T, db *store.DB) string {
	t.Helper()
	var s string
	if err := db.SQL().QueryRow("SELECT current_schema()").Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReadinessDoesNotWaitForAMigrationLock(t *testing.T) {
	db := storetest.NewPostgres(t, storetest.Options{})
	// A migration of this schema runs on another replica.
	holdLock(t, db, store.MigrationLockID(currentSchema(t, db)))
	ctx, cancel := context.WithTimeout(context.Background(), readyzBudget)
	defer cancel()
	if err := db.Ready(ctx); err != nil {
		t.Fatalf("Ready while a migration holds the lock: %v", err)
	}
	st, err := db.SchemaState(ctx)
	if err != nil || st.Pending != 0 || st.Current != st.Latest || st.Current == 0 {
		t.Fatalf("schema state read beside the lock: %+v %v", st, err)
	}
}

// openUnmigrated opens a fresh PostgreSQL schema without migrating it.
func openUnmigrated(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), store.Options{URL: storetest.PostgresURL(t), MaxOpenConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestEachSchemaMigratesUnderItsOwnLock(t *testing.T) {
	busy := storetest.NewPostgres(t, storetest.Options{})
	holdLock(t, busy, store.MigrationLockID(currentSchema(t, busy)))
	fresh := openUnmigrated(t)
	ctx, cancel := context.WithTimeout(context.Background(), readyzBudget)
	defer cancel()
	if _, err := fresh.Migrate(ctx); err != nil {
		t.Fatalf("migrate a schema while another schema migrates: %v", err)
	}
	// The schema's own lock still keeps two migrations of it apart.
	other := openUnmigrated(t)
	holdLock(t, other, store.MigrationLockID(currentSchema(t, other)))
	short, cancel2 := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel2()
	if _, err := other.Migrate(short); err == nil {
		t.Fatal("a migration ran while another held the schema's lock")
	}
}

func TestReadinessNamesTheReasonWithoutDriverText(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.Gorm().Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)", 99999, true).Error; err != nil {
			t.Fatal(err)
		}
		err := db.Ready(ctx)
		e := models.ErrorAs(err)
		if e == nil || e.Code != models.EUNAVAILABLE || e.Message != "the database schema is newer than this binary" || e.MessageVI == "" {
			t.Fatalf("Ready on a newer schema: %#v %v", e, err)
		}
		if !strings.Contains(err.Error(), "99999") {
			t.Errorf("the log loses the versions: %v", err)
		}
		if err := db.Gorm().Exec("DELETE FROM goose_db_version WHERE version_id >= ?", 99999).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm().Exec("DELETE FROM goose_db_version WHERE version_id = (SELECT MAX(version_id) FROM goose_db_version)").Error; err != nil {
			t.Fatal(err)
		}
		if e := models.ErrorAs(db.Ready(ctx)); e == nil || e.Code != models.EUNAVAILABLE || e.Message != "migrations pending" {
			t.Fatalf("Ready with a migration pending: %#v", e)
		}
		db.Close()
		err = db.Ready(ctx)
		if e := models.ErrorAs(err); e == nil || e.Code != models.EUNAVAILABLE || e.Message != "the database does not answer" || strings.Contains(e.Message+e.MessageVI, "closed") {
			t.Fatalf("Ready on a closed database: %#v %v", e, err)
		}
	})
}
