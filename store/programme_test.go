package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func TestProgrammeUpdatesAreVersionedAndAudited(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := &models.Programme{Code: "KH-2026", Name: "Kế hoạch 2026-2030", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31)}
		p.ApplyDefaults()
		if err := db.CreateProgramme(ctx, "planner", p); err != nil {
			t.Fatal(err)
		}
		next := *p
		next.GraceDays, next.ScopeCategories, next.Code = 30, models.StringList{"karaoke", "massage"}, "OTHER"
		if err := db.UpdateProgramme(ctx, "planner", &next); err != nil {
			t.Fatal(err)
		}
		if next.Version != 2 || next.Code != "KH-2026" {
			t.Errorf("after the update: version %d code %s; want 2 and the code kept", next.Version, next.Code)
		}
		stale := *p // still version 1
		stale.Name = "Tên khác"
		if err := db.UpdateProgramme(ctx, "planner", &stale); models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("stale version: error %v, want conflict", err)
		}
		same := next
		if err := db.UpdateProgramme(ctx, "planner", &same); err != nil || same.Version != 2 {
			t.Fatalf("an update that changes nothing: version %d, %v; want 2 and no error", same.Version, err)
		}
		stored, err := db.FindProgrammeByID(ctx, "KH-2026")
		if err != nil || stored.GraceDays != 30 || stored.Name != p.Name || stored.Version != 2 || len(stored.ScopeCategories) != 2 {
			t.Fatalf("stored: %+v %v", stored, err)
		}
		gone := *stored
		gone.ID = "nope"
		if err := db.UpdateProgramme(ctx, "planner", &gone); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("unknown id: %v, want not_found", err)
		}
		events, err := db.FindAuditEvents(ctx, models.AuditFilter{EntityType: "programme", EntityID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 2 || events[0].Action != "update" || events[0].Actor != "planner" {
			t.Fatalf("audit events: %+v", events)
		}
		var details map[string][2]any
		if err := json.Unmarshal([]byte(events[0].Details), &details); err != nil {
			t.Fatalf("details %s: %v", events[0].Details, err)
		}
		if len(details) != 2 || details["grace_days"][1] != float64(30) || details["scope_categories"][1] != "karaoke,massage" {
			t.Errorf("the update's audit holds %v; want grace_days and scope_categories", details)
		}
		if v, err := db.VerifyAudit(ctx); err != nil || !v.OK {
			t.Fatalf("VerifyAudit = %+v, %v; want intact", v, err)
		}
	})
}
