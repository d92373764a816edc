package registry_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"kiemtra/demo"
	"kiemtra/geo"
	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/registry"
	"kiemtra/store"
)

// testLoc is the users' calendar (Vietnam, UTC+7) and testNow the service's clock: the demo
// data's "today", so that the demo's dates are in the past.
var (
	testLoc   = time.FixedZone("ICT", 7*3600)
	testNow   = time.Date(2026, time.November, 1, 9, 0, 0, 0, testLoc)
	testToday = models.DateOf(testNow)
)

var (
	demoOnce     sync.Once
	demoAreas    []*models.Area
	demoAreaFile []byte
	demoErr      error
)

// mustDemoAreas returns the demo's Can Tho areas (a city, 9 districts, 83 wards) and the GeoJSON
// file demo.Load imports them from; they are generated once per test binary.
func mustDemoAreas(tb testing.TB) ([]*models.Area, []byte) {
	tb.Helper()
	demoOnce.Do(func() {
		u, err := refdata.CanTho2021()
		if err != nil {
			demoErr = err
			return
		}
		if demoAreas, demoErr = demo.Areas(u); demoErr != nil {
			return
		}
		demoAreaFile, demoErr = geo.AreaFeatureCollection(demoAreas, func(a *models.Area) map[string]any {
			return map[string]any{"type_name": a.TypeName, "lat": a.Lat, "lon": a.Lon, "valid_from": a.ValidFrom}
		})
	})
	if demoErr != nil {
		tb.Fatalf("demo areas: %v", demoErr)
	}
	return demoAreas, demoAreaFile
}

func mustCategorySet(tb testing.TB) map[string]bool {
	tb.Helper()
	cats, err := refdata.CategorySet()
	if err != nil {
		tb.Fatal(err)
	}
	return cats
}

// newTestService returns a registry over st whose "today" is testToday.
func newTestService(tb testing.TB, st registry.Store) *registry.Service {
	tb.Helper()
	names, err := refdata.Categories()
	if err != nil {
		tb.Fatal(err)
	}
	return registry.New(registry.Config{
		Store:         st,
		Categories:    mustCategorySet(tb),
		CategoryNames: names,
		Logger:        slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:           func() time.Time { return testNow },
		Location:      testLoc,
	})
}

// newDemoService returns a registry over db with the demo areas imported.
func newDemoService(tb testing.TB, db *store.DB) *registry.Service {
	tb.Helper()
	svc := newTestService(tb, db)
	mustImportDemoAreas(tb, svc)
	return svc
}

func mustImportDemoAreas(tb testing.TB, svc *registry.Service) {
	tb.Helper()
	_, file := mustDemoAreas(tb)
	rep, err := svc.ImportAreas(context.Background(), "test", bytes.NewReader(file), false)
	if err != nil {
		tb.Fatalf("import demo areas: %v", err)
	}
	if len(rep.Problems) > 0 {
		tb.Fatalf("import demo areas: %+v", rep.Problems)
	}
}

// countBusinesses returns how many businesses are stored.
func countBusinesses(tb testing.TB, db *store.DB) int64 {
	tb.Helper()
	n, err := db.Count(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return n.Businesses
}

// countAudit returns how many audit events are stored.
func countAudit(tb testing.TB, db *store.DB) int64 {
	tb.Helper()
	n, err := db.Count(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return n.AuditEvents
}

func mustFindBusiness(tb testing.TB, db *store.DB, id string) *models.Business {
	tb.Helper()
	b, err := db.FindBusinessByID(context.Background(), id)
	if err != nil {
		tb.Fatalf("find business %s: %v", id, err)
	}
	return b
}

func ptr[T any](v T) *T { return &v }
