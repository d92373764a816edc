package registry_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"kiemtra/demo"
	"kiemtra/refdata"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

const benchRows = 100_000

var (
	benchOnce sync.Once
	benchFile []byte
	benchErr  error
)

// benchImportFile is a 100,000-row registry file as a licensing office would send it: every row
// valid, spread over the demo wards (crowded in the towns), each with its own licence number.
func benchImportFile(b *testing.B) []byte {
	b.Helper()
	areas, _ := mustDemoAreas(b)
	benchOnce.Do(func() {
		cats, err := refdata.Categories()
		if err != nil {
			benchErr = err
			return
		}
		bs, err := demo.Businesses(7, areas, cats, benchRows, testToday)
		if err != nil {
			benchErr = err
			return
		}
		benchFile = demo.BusinessesCSV(bs, areas)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchFile
}

// BenchmarkImport100k imports 100,000 new rows into a fresh database with the demo areas, in one
// transaction, and reports rows per second. The aim is 20,000 rows/s on PostgreSQL.
func BenchmarkImport100k(b *testing.B) {
	file := benchImportFile(b)
	run := func(b *testing.B, open func(testing.TB) *store.DB) {
		ctx := context.Background()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			db := open(b)
			svc := newDemoService(b, db)
			if err := svc.Refresh(ctx); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			rep, err := svc.ImportBusinesses(ctx, "bench", bytes.NewReader(file), "bench.csv", false)
			if err != nil {
				b.Fatal(err)
			}
			if rep.Created != benchRows || len(rep.Rejected) != 0 {
				b.Fatalf("created %d of %d, %d rejected: %+v", rep.Created, benchRows, len(rep.Rejected), rep.Rejected[:min(3, len(rep.Rejected))])
			}
		}
		b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	}
	b.Run(store.DialectSQLite, func(b *testing.B) {
		run(b, func(tb testing.TB) *store.DB { return storetest.NewSQLite(tb, storetest.Options{}) })
	})
	b.Run(store.DialectPostgres, func(b *testing.B) {
		run(b, func(tb testing.TB) *store.DB { return storetest.NewPostgres(tb, storetest.Options{}) })
	})
}
