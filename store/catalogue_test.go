package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// TestSeededCataloguesAreTheShippedFiles keeps the rows migration 00021 seeds equal to the files
// in refdata: one source for the checklist and the violation codes.
func TestSeededCataloguesAreTheShippedFiles(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		shipped, err := refdata.Checklists()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range shipped {
			got, err := db.FindChecklistVersion(ctx, want.Version)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Items, want.Items) {
				t.Errorf("checklist version %d in the database differs from refdata", want.Version)
			}
		}
		vs, err := refdata.Violations()
		if err != nil {
			t.Fatal(err)
		}
		cat, err := db.FindViolationCatalogue(ctx, 0)
		if err != nil || cat.Version != 1 || !reflect.DeepEqual(cat.Violations, vs) {
			t.Fatalf("the violation catalogue in the database differs from refdata: %v", err)
		}
	})
}

func TestCatalogueVersionsAreAddedOnTheCurrentOneAndKept(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cur, err := db.CurrentChecklistVersion(ctx)
		if err != nil || cur != 2 {
			t.Fatalf("current version %d, %v", cur, err)
		}
		base, err := db.FindChecklistVersion(ctx, 0)
		if err != nil || base.Version != 2 {
			t.Fatalf("current checklist: %+v %v", base, err)
		}
		next := &models.ChecklistVersion{Checklist: models.Checklist{Version: 3, Items: base.Items[:3]}, Category: "karaoke", Note: "Rút gọn"}
		next.Items[0].VI = "Có giấy phép hợp lệ?"
		if err := db.CreateChecklistVersion(ctx, "planner", next); err != nil {
			t.Fatal(err)
		}
		stale := &models.ChecklistVersion{Checklist: models.Checklist{Version: 3, Items: base.Items}, Category: "bar"}
		err = db.CreateChecklistVersion(ctx, "planner", stale)
		var e *models.Error
		if !errors.As(err, &e) || e.Code != models.ECONFLICT || e.Field != "base_version" {
			t.Fatalf("a save on a version no longer current: %v", err)
		}
		if err := db.CreateChecklistVersion(ctx, "planner", &models.ChecklistVersion{Checklist: models.Checklist{Version: 9, Items: base.Items}}); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("a save skipping versions: %v", err)
		}
		got, err := db.FindChecklistVersion(ctx, 3)
		if err != nil || len(got.Items) != 3 || got.Items[0].VI != "Có giấy phép hợp lệ?" || got.Category != "karaoke" || got.CreatedBy != "planner" || got.CreatedAt.IsZero() {
			t.Fatalf("version 3: %+v %v", got, err)
		}
		old, err := db.FindChecklistVersion(ctx, 1)
		if err != nil || old.Items[0].VI != "Có giấy chứng nhận đăng ký kinh doanh hợp lệ?" {
			t.Fatalf("version 1 after an edit: %+v %v", old, err)
		}
		if _, err := db.FindChecklistVersion(ctx, 7); !models.IsCode(err, models.ENOTFOUND) {
			t.Fatalf("an unknown version: %v", err)
		}
		hist, err := db.FindChecklistVersions(ctx)
		if err != nil || len(hist) != 3 || hist[0].Version != 3 || hist[0].Count != 3 || hist[2].Version != 1 || hist[2].CreatedBy != "kiemtra" {
			t.Fatalf("history: %+v %v", hist, err)
		}
		if n := rows(t, db, "audit_events", "entity_type = ? AND entity_id = ?", "checklist", "3"); n != 1 {
			t.Fatalf("%d audit events for version 3", n)
		}

		cat, err := db.FindViolationCatalogue(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := int64(1_000_000), int64(3_000_000)
		cat.Violations[0].FineMinVND, cat.Violations[0].FineMaxVND, cat.Violations[0].PenaltyArticle = &lo, &hi, "Nghị định 282/2025/NĐ-CP"
		cat.Version++
		if err := db.CreateViolationCatalogue(ctx, "admin", cat); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateViolationCatalogue(ctx, "admin", &models.ViolationCatalogue{Version: 2, Violations: cat.Violations}); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("a second save of version 2: %v", err)
		}
		v2, err := db.FindViolationCatalogue(ctx, 2)
		if err != nil || *v2.Violations[0].FineMaxVND != hi || v2.Violations[1].FineMinVND != nil {
			t.Fatalf("version 2: %+v %v", v2, err)
		}
		v1, err := db.FindViolationCatalogue(ctx, 1)
		if err != nil || v1.Violations[0].FineMinVND != nil {
			t.Fatalf("version 1 after an edit: %+v %v", v1, err)
		}
		vh, err := db.FindViolationCatalogues(ctx)
		if err != nil || len(vh) != 2 || vh[0].CreatedBy != "admin" {
			t.Fatalf("catalogue history: %+v %v", vh, err)
		}
	})
}
