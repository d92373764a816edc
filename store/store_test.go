package store_test

import (
	"context"
	"golang.org/x/text/unicode/norm"
	"testing"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func ptr[T any](v T) *T { return &v }

// seedAreas stores a small tree: city 92, district 916 with wards 31117 and 31120, district 917
// with ward 31150.
func seedAreas(t *testing.T, db *store.DB) {
	t.Helper()
	areas := []*models.Area{
		{Code: "31117", ParentCode: ptr("916"), Name: "Phường Cái Khế", Level: models.AreaLevelWard},
		{Code: "916", ParentCode: ptr("92"), Name: "Quận Ninh Kiều", Level: models.AreaLevelDistrict},
		{Code: "92", Name: "Thành phố Cần Thơ", Level: models.AreaLevelCity},
		{Code: "31120", ParentCode: ptr("916"), Name: "Phường An Hòa", Level: models.AreaLevelWard},
		{Code: "917", ParentCode: ptr("92"), Name: "Quận Ô Môn", Level: models.AreaLevelDistrict},
		{Code: "31150", ParentCode: ptr("917"), Name: "Phường Châu Văn Liêm", Level: models.AreaLevelWard},
	}
	if err := db.UpsertAreas(context.Background(), "test", areas); err != nil {
		t.Fatalf("UpsertAreas: %v", err)
	}
}

func TestMigrationsApplyOnceAndReportStatus(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		applied, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second Migrate applied %d migrations, want 0", len(applied))
		}
		st, err := db.MigrationStatuses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 0 {
			t.Fatal("no migrations listed")
		}
		for _, s := range st {
			if !s.Applied {
				t.Errorf("migration %d %s not applied", s.Version, s.Name)
			}
		}
		if err := db.Ready(ctx); err != nil {
			t.Errorf("Ready on a migrated database: %v", err)
		}
	})
}

func TestDatabaseWithNewerSchemaIsRefused(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.Gorm().Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)", 99999, true).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err == nil {
			t.Fatal("Migrate accepted a database migrated by a newer binary")
		}
		if err := db.Ready(ctx); err == nil {
			t.Fatal("Ready is true on a schema newer than the binary")
		}
	})
}

func TestAreaTreeHasPathsAndSubtreeQueries(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedAreas(t, db)
		ward, err := db.FindAreaByCode(ctx, "31117")
		if err != nil {
			t.Fatal(err)
		}
		if ward.Path != "/92/916/31117/" || ward.Depth != 2 {
			t.Errorf("ward path %q depth %d, want /92/916/31117/ 2", ward.Path, ward.Depth)
		}
		under, n, err := db.FindAreas(ctx, models.AreaFilter{Under: "916"})
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 || len(under) != 3 || under[0].Code != "916" {
			t.Errorf("areas under 916: %d (%v), want 916 and its two wards", n, codes(under))
		}
		wards, _, err := db.FindAreas(ctx, models.AreaFilter{Level: models.AreaLevelWard})
		if err != nil || len(wards) != 3 {
			t.Errorf("wards: %v %v", codes(wards), err)
		}
		if _, err := db.FindAreaByCode(ctx, "nope"); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("unknown area: error %v, want not_found", err)
		}
	})
}

func TestAreaUpsertRejectsBadTrees(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, tc := range []struct {
			name  string
			areas []*models.Area
		}{
			{"an unknown parent", []*models.Area{{Code: "1", ParentCode: ptr("missing"), Name: "x", Level: "ward"}}},
			{"a cycle", []*models.Area{{Code: "1", ParentCode: ptr("2"), Name: "x", Level: "ward"}, {Code: "2", ParentCode: ptr("1"), Name: "y", Level: "ward"}}},
			{"a duplicate code", []*models.Area{{Code: "1", Name: "x", Level: "city"}, {Code: "1", Name: "y", Level: "city"}}},
			{"an empty code", []*models.Area{{Name: "x", Level: "city"}}},
		} {
			t.Run(tc.name+" is invalid and stores nothing", func(t *testing.T) {
				err := db.UpsertAreas(ctx, "test", tc.areas)
				if models.ErrorCode(err) != models.EINVALID {
					t.Fatalf("error %v, want invalid", err)
				}
				if _, n, _ := db.FindAreas(ctx, models.AreaFilter{}); n != 0 {
					t.Fatalf("%d areas stored after a rejected upsert", n)
				}
			})
		}
	})
}

func codes(as []*models.Area) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Code)
	}
	return out
}

func newBusiness(name, licence, ward string) *models.Business {
	return &models.Business{Name: name, Category: "karaoke", LicenceNo: ptr(licence), Address: "số 1 đường 30 Tháng 4",
		Lat: 10.03, Lon: 105.77, AreaCode: ward, Status: models.BusinessActive, OpenedOn: models.NewDate(2015, 3, 1)}
}

func TestBusinessesAreFoundByAccentFreeTextAndArea(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedAreas(t, db)
		bs := []*models.Business{
			newBusiness("Karaoke Hoa Hồng", "57A8000001", "31117"),
			newBusiness("Nhà nghỉ Thanh Bình", "57A8000002", "31120"),
			newBusiness("Massage Ngọc Lan", "57A8000003", "31150"),
		}
		if err := db.CreateBusinesses(ctx, "test", bs); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			f    models.BusinessFilter
			want []string
		}{
			{"q without accents finds the accented name", models.BusinessFilter{Q: "hoa hong"}, []string{"Karaoke Hoa Hồng"}},
			{"q with accents and capitals", models.BusinessFilter{Q: "THANH BÌNH"}, []string{"Nhà nghỉ Thanh Bình"}},
			{"q finds a licence number", models.BusinessFilter{Q: "57a8000003"}, []string{"Massage Ngọc Lan"}},
			{"a district includes its wards", models.BusinessFilter{Area: "916"}, []string{"Karaoke Hoa Hồng", "Nhà nghỉ Thanh Bình"}},
			{"the city includes everything", models.BusinessFilter{Area: "92"}, []string{"Karaoke Hoa Hồng", "Nhà nghỉ Thanh Bình", "Massage Ngọc Lan"}},
			{"a wildcard in q is literal", models.BusinessFilter{Q: "%"}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, n, err := db.FindBusinesses(ctx, tc.f)
				if err != nil {
					t.Fatal(err)
				}
				if n != len(tc.want) || !sameNames(got, tc.want) {
					t.Fatalf("got %d %v, want %v", n, names(got), tc.want)
				}
			})
		}
	})
}

func names(bs []*models.Business) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b.Name)
	}
	return out
}

func sameNames(bs []*models.Business, want []string) bool {
	got := map[string]bool{}
	for _, b := range bs {
		got[b.Name] = true
	}
	if len(got) != len(want) {
		return false
	}
	for _, w := range want {
		if !got[w] {
			return false
		}
	}
	return true
}

func TestBusinessUpdatesAreVersionedAndAudited(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedAreas(t, db)
		b := newBusiness("Karaoke Hoa Hồng", "57A8000001", "31117")
		if err := db.CreateBusinesses(ctx, "planner", []*models.Business{b}); err != nil {
			t.Fatal(err)
		}
		upd, err := db.UpdateBusiness(ctx, "planner", b.ID, models.BusinessUpdate{Version: 1, Status: ptr(models.BusinessClosed), ClosedOn: ptr(models.NewDate(2026, 5, 1))})
		if err != nil {
			t.Fatal(err)
		}
		if upd.Version != 2 || upd.Status != models.BusinessClosed {
			t.Errorf("after update: version %d status %s", upd.Version, upd.Status)
		}
		_, err = db.UpdateBusiness(ctx, "planner", b.ID, models.BusinessUpdate{Version: 1, Name: ptr("Karaoke Mới")})
		if models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("stale version: error %v, want conflict", err)
		}
		stored, err := db.FindBusinessByID(ctx, b.ID)
		if err != nil || stored.Name != "Karaoke Hoa Hồng" || stored.Version != 2 || stored.ClosedOn != models.NewDate(2026, 5, 1) {
			t.Fatalf("stored after a refused update: %+v %v", stored, err)
		}
		events, err := db.FindAuditEvents(ctx, models.AuditFilter{EntityType: "business", EntityID: b.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 2 || events[0].Action != "update" || events[1].Action != "create" || events[0].Actor != "planner" {
			t.Fatalf("audit events: %+v", events)
		}
		if v, err := db.VerifyAudit(ctx); err != nil || !v.OK {
			t.Fatalf("VerifyAudit = %+v, %v; want intact", v, err)
		}
		// Rewriting history must be detectable.
		if err := db.Gorm().Exec("UPDATE audit_events SET actor = 'someone-else' WHERE id = ?", events[1].ID).Error; err != nil {
			t.Fatal(err)
		}
		if v, err := db.VerifyAudit(ctx); err != nil || v.FirstBad == nil || v.FirstBad.ID != events[1].ID {
			t.Fatalf("VerifyAudit after tampering = %+v, %v; want event %d", v, err, events[1].ID)
		}
	})
}

func TestDuplicateLicenceIsAConflictAndStoresNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedAreas(t, db)
		if err := db.CreateBusinesses(ctx, "t", []*models.Business{newBusiness("A", "L1", "31117")}); err != nil {
			t.Fatal(err)
		}
		err := db.CreateBusinesses(ctx, "t", []*models.Business{newBusiness("B", "L2", "31117"), newBusiness("C", "L1", "31117")})
		if models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("error %v, want conflict", err)
		}
		if _, n, _ := db.FindBusinesses(ctx, models.BusinessFilter{}); n != 1 {
			t.Fatalf("%d businesses stored, want 1 (the batch is one transaction)", n)
		}
		err = db.CreateBusinesses(ctx, "t", []*models.Business{newBusiness("D", "L3", "no-such-ward")})
		if models.ErrorCode(err) != models.EINVALID {
			t.Fatalf("unknown ward: error %v, want invalid", err)
		}
	})
}

func TestTransactionRollsBackEveryWrite(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedAreas(t, db)
		err := db.Transaction(ctx, func(tx *store.DB) error {
			if err := tx.CreateBusinesses(ctx, "t", []*models.Business{newBusiness("A", "L1", "31117")}); err != nil {
				return err
			}
			return tx.CreateBusinesses(ctx, "t", []*models.Business{newBusiness("B", "L1", "31117")})
		})
		if models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("error %v, want conflict", err)
		}
		if _, n, _ := db.FindBusinesses(ctx, models.BusinessFilter{}); n != 0 {
			t.Fatalf("%d businesses survived a rolled-back transaction", n)
		}
	})
}

func TestAreaNamesAreStoredInNFC(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		name := "Phường Cái Khế"
		a := &models.Area{Code: "92", Name: norm.NFD.String(name), TypeName: norm.NFD.String("Thành phố"), Level: models.AreaLevelCity}
		if err := db.UpsertAreas(ctx, "test", []*models.Area{a}); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindAreaByCode(ctx, "92")
		if err != nil || got.Name != name || got.TypeName != "Thành phố" {
			t.Fatalf("stored %q / %q (%v), want the NFC forms", got.Name, got.TypeName, err)
		}
	})
}
