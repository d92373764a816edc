package places_test

import (
	"context"
	"strings"
	"testing"

	"kiemtra/models"
	"kiemtra/places"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// wards locates by longitude: west of 105.77 is ward 31150 (district 917), east of it ward
// 31117 (district 916); south of 9 is outside every ward.
type wards struct{}

func (wards) Locate(_ context.Context, lat, lon float64) (string, string) {
	switch {
	case lat < 9:
		return "", ""
	case lon < 105.77:
		return "31150", "/92/917/31150/"
	default:
		return "31117", "/92/916/31117/"
	}
}

func seedAreas(t *testing.T, db *store.DB) {
	t.Helper()
	ptr := func(s string) *string { return &s }
	if err := db.UpsertAreas(context.Background(), "test", []*models.Area{
		{Code: "92", Name: "Thành phố Cần Thơ", Level: models.AreaLevelCity},
		{Code: "916", ParentCode: ptr("92"), Name: "Quận Ninh Kiều", Level: models.AreaLevelDistrict},
		{Code: "917", ParentCode: ptr("92"), Name: "Quận Ô Môn", Level: models.AreaLevelDistrict},
		{Code: "31117", ParentCode: ptr("916"), Name: "Phường Cái Khế", Level: models.AreaLevelWard},
		{Code: "31150", ParentCode: ptr("917"), Name: "Phường Châu Văn Liêm", Level: models.AreaLevelWard},
	}); err != nil {
		t.Fatal(err)
	}
}

const file = "kind,name,address,lat,lon\n" +
	"school,Trường THCS Cái Khế,12 Trần Phú,10.0452,105.7861\n" +
	"hospital,Bệnh viện Đa khoa,4 Châu Văn Liêm,10.0341,105.7854\n" +
	"relic,Đình Bình Thủy,Bình Thủy,10.0667,105.7437\n"

func TestImportIsAllOrNothingAndIdempotent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedAreas(t, db)
		svc := places.New(db, wards{})
		rep, err := svc.Import(ctx, "planner", nil, strings.NewReader(file), "diadiem.csv", 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != 3 || rep.Created != 3 || rep.Updated != 0 {
			t.Fatalf("first import: %+v", rep)
		}
		v1, err := db.PlacesVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("the same file again updates the same places", func(t *testing.T) {
			rep, err := svc.Import(ctx, "planner", nil, strings.NewReader(strings.ReplaceAll(file, "12 Trần Phú", "14 Trần Phú")), "diadiem.csv", 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Created != 0 || rep.Updated != 3 {
				t.Fatalf("second import: %+v", rep)
			}
			all, err := db.FindPlaces(ctx, models.PlaceFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 3 {
				t.Fatalf("%d places after the re-import, want 3", len(all))
			}
			school, _ := db.FindPlaces(ctx, models.PlaceFilter{Kind: models.PlaceSchool})
			if len(school) != 1 || school[0].Address != "14 Trần Phú" || school[0].AreaCode != "31117" {
				t.Errorf("schools: %+v", school)
			}
		})
		t.Run("a file with one bad row stores nothing", func(t *testing.T) {
			bad := "kind,name,lat,lon\nschool,Trường Mới,10.05,105.79\nschool,Trường Xa,8.5,105.79\n"
			_, err := svc.Import(ctx, "planner", nil, strings.NewReader(bad), "x.csv", 1<<20)
			if e := models.ErrorAs(err); e == nil || e.Code != models.EINVALID || e.Details[0].Field != "rows[3].lat" {
				t.Fatalf("got %v, want invalid on rows[3].lat", err)
			}
			all, _ := db.FindPlaces(ctx, models.PlaceFilter{})
			if len(all) != 3 {
				t.Errorf("%d places, want 3: the good row was stored", len(all))
			}
		})
		t.Run("a district planner imports only inside the district", func(t *testing.T) {
			covers := func(path string) bool { return strings.HasPrefix(path, "/92/916/") }
			_, err := svc.Import(ctx, "district", covers, strings.NewReader(file), "diadiem.csv", 1<<20)
			if e := models.ErrorAs(err); e == nil || e.Code != models.EINVALID || e.Details[0].Field != "rows[4].lat" || len(e.Details) != 1 {
				t.Fatalf("got %v, want invalid on rows[4].lat only", err)
			}
		})
		t.Run("the check finds the hospital near a dance hall", func(t *testing.T) {
			hall := &models.Business{ID: "b", Category: places.DanceHallCategory, Lat: 10.0350, Lon: 105.7854}
			chk, err := svc.Check(ctx, hall)
			if err != nil {
				t.Fatal(err)
			}
			if chk == nil || chk.RadiusM != 200 || len(chk.Places) != 1 || chk.Places[0].Name != "Bệnh viện Đa khoa" || chk.Places[0].DistanceM < 90 || chk.Places[0].DistanceM > 110 {
				t.Fatalf("check: %+v", chk)
			}
			karaoke := *hall
			karaoke.Category = "karaoke"
			if chk, err := svc.Check(ctx, &karaoke); err != nil || chk != nil {
				t.Errorf("karaoke: %+v %v", chk, err)
			}
			far := *hall
			far.Lat = 10.0400
			if chk, err := svc.Check(ctx, &far); err != nil || chk == nil || len(chk.Places) != 0 {
				t.Errorf("far: %+v %v", chk, err)
			}
		})
		t.Run("a delete removes the place and changes the version", func(t *testing.T) {
			all, _ := db.FindPlaces(ctx, models.PlaceFilter{Kind: models.PlaceRelic})
			if err := db.DeletePlace(ctx, "planner", all[0].ID); err != nil {
				t.Fatal(err)
			}
			if err := db.DeletePlace(ctx, "planner", all[0].ID); !models.IsCode(err, models.ENOTFOUND) {
				t.Errorf("second delete: %v, want not_found", err)
			}
			if _, err := db.FindPlaceByID(ctx, all[0].ID); !models.IsCode(err, models.ENOTFOUND) {
				t.Errorf("find: %v, want not_found", err)
			}
			v2, _ := db.PlacesVersion(ctx)
			if v2 == v1 {
				t.Errorf("version %q did not change", v2)
			}
		})
	})
}
