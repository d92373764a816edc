package store_test

import (
	"context"
	"testing"

	"kiemtra/store"
	"kiemtra/store/storetest"
)

// BenchmarkVerifyAudit100k checks a log of 100,000 events, as `kiemtra audit verify` does.
func BenchmarkVerifyAudit100k(b *testing.B) {
	for _, tc := range []struct {
		name string
		open func(testing.TB, storetest.Options) *store.DB
	}{{store.DialectSQLite, storetest.NewSQLite}, {store.DialectPostgres, storetest.NewPostgres}} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			db := tc.open(b, storetest.Options{})
			for i := 0; i < 10; i++ {
				if err := db.AppendAuditEvents(ctx, "bench", 10000); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for range b.N {
				v, err := db.VerifyAudit(ctx)
				if err != nil || !v.OK || v.Events != 100000 {
					b.Fatalf("verify: %+v %v", v, err)
				}
			}
		})
	}
}
