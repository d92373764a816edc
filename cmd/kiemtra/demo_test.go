package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func TestDemoLoadsOnceAndIsReused(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		var out bytes.Buffer
		if err := loadDemo(ctx, db, &out, log); err != nil {
			t.Fatal(err)
		}
		first, err := db.Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		wards, _, err := db.FindAreas(ctx, models.AreaFilter{Level: models.AreaLevelWard})
		if err != nil {
			t.Fatal(err)
		}
		if first.Businesses < 1000 || len(wards) != 83 || first.AreasWithGeometry != first.Areas || first.Teams != 10 {
			t.Fatalf("demo data: %+v with %d wards", first, len(wards))
		}
		out.Reset()
		if err := loadDemo(ctx, db, &out, log); err != nil {
			t.Fatal(err)
		}
		again, _ := db.Count(ctx)
		if again != first || !strings.Contains(out.String(), "Reusing") {
			t.Fatalf("second load changed the data: %+v -> %+v (%s)", first, again, out.String())
		}
		if bad, err := db.VerifyAuditChain(ctx); err != nil || bad != 0 {
			t.Fatalf("audit chain after the demo load: %d %v", bad, err)
		}
	})
}
