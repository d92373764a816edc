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

	"kiemtra/models"
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
		// Signed with the key of the template's secret.key, which every copy keeps.
		db, err := openStore(ctx, dataDirConfig(dir), 4)
		if err != nil {
			demoErr = err
			return
		}
		defer db.Close()
		if _, err := db.Migrate(ctx); err != nil {
			demoErr = err
			return
		}
		setup, err := testDemoSetup(dir)
		if err != nil {
			demoErr = err
			return
		}
		if err := loadDemo(ctx, db, setup, io.Discard, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
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
	for _, name := range []string{"kiemtra.db", "secret.key"} {
		b, err := os.ReadFile(filepath.Join(demoTemplate, name))
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, name), b, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	return dst
}

// demoToday is the day the tests' demo is made on: fixed, so that the figures the tests check
// do not move with the calendar (kiemtra demo makes its demo as of the day it runs).
var demoToday = models.NewDate(2026, 12, 2)

// testDemoSetup is the demo of demoToday, with the tip contact key of the data directory's
// secret (dir "": the tests' configured secret).
func testDemoSetup(dir string) (demoSetup, error) {
	cfg := DefaultConfig()
	cfg.Secret = testSecret
	if dir != "" {
		s, err := loadOrCreateSecret(dir)
		if err != nil {
			return demoSetup{}, err
		}
		cfg.Secret = s
	}
	return demoSetup{Today: demoToday, Location: time.UTC, TipKey: cfg.tipKey()}, nil
}

// dataDirConfig is the default configuration on the SQLite database in dir.
func dataDirConfig(dir string) *Config {
	cfg := DefaultConfig()
	cfg.DataDir = dir
	return &cfg
}

// openDataDir opens the SQLite database in dir as the commands do, with the audit key of the
// directory's secret.
func openDataDir(tb testing.TB, dir string) *store.DB {
	tb.Helper()
	db, err := openStore(context.Background(), dataDirConfig(dir), 4)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoTemplate != "" {
		os.RemoveAll(demoTemplate)
	}
	os.Exit(code)
}

// mustDemoSetup is testDemoSetup for a test.
func mustDemoSetup(tb testing.TB, dir string) demoSetup {
	tb.Helper()
	s, err := testDemoSetup(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
