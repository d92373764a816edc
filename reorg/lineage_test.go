package reorg_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"kiemtra/reorg/reorgtest"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func lineageOf(t *testing.T, db *store.DB) string {
	t.Helper()
	rows, err := db.FindAreaLineage(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range rows {
		out = append(out, fmt.Sprintf("%s<-%s %s", l.AreaCode, l.SourceCode, l.Part))
	}
	return strings.Join(out, ", ")
}

// Applying a reorganisation records where each new unit came from: the versions it was formed
// from, and by their official codes the units of another province that the database never held.
// A reorganisation applied before the lineage existed gets it from its stored spec when the
// database is migrated.
func TestApplyingAReorganisationRecordsTheLineage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		city := reorgtest.Build(t, db)
		const want = "31147@2025<-31147 full, 31147@2025<-31149 partial, 31150<-31149 partial, 31150<-31300 full, 31150<-31321 partial, " +
			"31441<-31420 full, 31441<-31423 partial"
		if got := lineageOf(t, db); got != want {
			t.Fatalf("lineage after the apply:\n %s\nwant\n %s", got, want)
		}
		rows, _ := db.FindAreaLineage(ctx)
		if rows[0].ReorganisationID != city.ReorgID {
			t.Errorf("lineage of reorganisation %s, want %s", rows[0].ReorganisationID, city.ReorgID)
		}
		// As a database applied before the lineage migration: none; migrating writes it again.
		if err := db.Gorm().Exec("DELETE FROM area_lineage").Error; err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if got := lineageOf(t, db); got != want {
			t.Fatalf("lineage after the backfill:\n %s\nwant\n %s", got, want)
		}
		// Once there, migrating again changes nothing.
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(strings.Split(lineageOf(t, db), ", ")); n != 7 {
			t.Errorf("%d lineage records after a second migration", n)
		}
	})
}
