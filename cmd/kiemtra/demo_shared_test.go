package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"kiemtra/store"
)

// The demo takes seconds to load, and minutes under the race detector (the SQLite driver is C
// translated to Go, and checkptr checks every pointer it touches). Tests that only read it share
// one load per test binary, each on a copy of its own.
var (
	demoOnce     sync.Once
	demoTemplate string
	demoErr      error
)

// demoDataDir returns a fresh data directory holding a copy of the demo database.
func demoDataDir(tb testing.TB) string {
	tb.Helper()
	demoOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kiemtra-demo-template-")
		if err != nil {
			demoErr = err
			return
		}
		demoTemplate = dir
		ctx := context.Background()
		db, err := store.Open(ctx, store.Options{DataDir: dir})
		if err != nil {
			demoErr = err
			return
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			demoErr = err
			return
		}
		if err := loadDemo(ctx, db, time.UTC, io.Discard, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
			demoErr = err
			return
		}
		// One file to copy: fold the write-ahead log into the database.
		demoErr = db.Gorm().Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error
	})
	if demoErr != nil {
		tb.Fatalf("demo template: %v", demoErr)
	}
	dst := tb.TempDir()
	b, err := os.ReadFile(filepath.Join(demoTemplate, "kiemtra.db"))
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, "kiemtra.db"), b, 0o600); err != nil {
		tb.Fatal(err)
	}
	return dst
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoTemplate != "" {
		os.RemoveAll(demoTemplate)
	}
	os.Exit(code)
}
