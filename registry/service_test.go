package registry_test

import (
	"context"
	"encoding/json"
	"golang.org/x/text/unicode/norm"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"kiemtra/geo"
	"kiemtra/models"
	"kiemtra/registry"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// Points of the demo areas used below (see registry/testdata: the sample files use them too).
const (
	caiKheLat, caiKheLon = 10.0531, 105.7862 // in ward 31117 Phường Cái Khế
	anHoaLat, anHoaLon   = 10.0463, 105.7684 // in ward 31120 Phường An Hòa
	hanoiLat, hanoiLon   = 21.0285, 105.8542 // outside Can Tho
)

// newBusiness returns a valid business at the position, as a planner would type it.
func newBusiness(name string, lat, lon float64) *models.Business {
	return &models.Business{Name: name, Category: "karaoke", Address: "12 Trần Phú", Phone: "0292 3821 234",
		Lat: lat, Lon: lon, Status: models.BusinessActive, OpenedOn: models.NewDate(2019, time.May, 20)}
}

func mustCreate(t *testing.T, svc *registry.Service, b *models.Business) *models.Business {
	t.Helper()
	out, created, err := svc.CreateBusiness(context.Background(), "planner", b)
	if err != nil || !created {
		t.Fatalf("create %q: created %v, err %v", b.Name, created, err)
	}
	return out
}

// wantInvalid fails unless err is an invalid error naming field among its problems.
func wantInvalid(t *testing.T, err error, field string) *models.Error {
	t.Helper()
	e := models.ErrorAs(err)
	if e == nil || e.Code != models.EINVALID {
		t.Fatalf("err = %v, want invalid on %s", err, field)
	}
	if e.Field == field {
		return e
	}
	for _, d := range e.Details {
		if d.Field == field {
			return e
		}
	}
	t.Fatalf("err = %v, want a problem on %s", err, field)
	return nil
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := models.ErrorCode(err); got != code {
		t.Fatalf("err = %v (code %q), want %s", err, got, code)
	}
}

func auditOf(t *testing.T, db *store.DB, id string) []*models.AuditEvent {
	t.Helper()
	evs, err := db.FindAuditEvents(context.Background(), models.AuditFilter{EntityType: "business", EntityID: id})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func TestCreateBusiness(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newDemoService(t, db)

		t.Run("the ward is derived from the coordinates", func(t *testing.T) {
			in := newBusiness("Karaoke Hoa Hồng", caiKheLat, caiKheLon)
			in.LicenceNo = ptr(" 57/gp-ubnd")
			b := mustCreate(t, svc, in)
			stored := mustFindBusiness(t, db, b.ID)
			if stored.AreaCode != "31117" || stored.Version != 1 || stored.Licence() != "57/GP-UBND" {
				t.Fatalf("stored area %q version %d licence %q; want ward 31117, version 1, the licence normalised", stored.AreaCode, stored.Version, stored.Licence())
			}
			if stored.StatusSince != in.OpenedOn {
				t.Errorf("status_since %v, want the opening date %v", stored.StatusSince, in.OpenedOn)
			}
			evs := auditOf(t, db, b.ID)
			if len(evs) != 1 || evs[0].Action != "create" || evs[0].Actor != "planner" || !strings.Contains(evs[0].Details, `"area_code":"31117"`) {
				t.Fatalf("audit events %+v, want one create by planner naming the ward", evs)
			}
		})

		t.Run("a position outside every area is refused on lat and nothing is stored", func(t *testing.T) {
			before := countBusinesses(t, db)
			_, _, err := svc.CreateBusiness(ctx, "planner", newBusiness("Quán Hà Nội", hanoiLat, hanoiLon))
			e := wantInvalid(t, err, "lat")
			if !strings.Contains(e.Message, "outside every area") {
				t.Errorf("message %q does not say why", e.Message)
			}
			if countBusinesses(t, db) != before {
				t.Fatal("a refused business was stored")
			}
		})

		t.Run("an opening date in the future is refused", func(t *testing.T) {
			b := newBusiness("Karaoke Tương Lai", caiKheLat, caiKheLon)
			b.OpenedOn = testToday.AddDays(1)
			_, _, err := svc.CreateBusiness(ctx, "planner", b)
			wantInvalid(t, err, "opened_on")
		})

		t.Run("bad fields are each named", func(t *testing.T) {
			for _, tc := range []struct {
				name, field string
				edit        func(b *models.Business)
			}{
				{"no name", "name", func(b *models.Business) { b.Name = "" }},
				{"an unknown category", "category", func(b *models.Business) { b.Category = "casino" }},
				{"no coordinates", "lat", func(b *models.Business) { b.Lat, b.Lon = 0, 0 }},
				{"swapped coordinates", "lat", func(b *models.Business) { b.Lat, b.Lon = b.Lon, b.Lat }},
				{"an unknown status", "status", func(b *models.Business) { b.Status = "gone" }},
				{"a closing date on an open business", "closed_on", func(b *models.Business) { b.ClosedOn = models.NewDate(2024, 1, 1) }},
				{"a licence number that is too short", "licence_no", func(b *models.Business) { b.LicenceNo = ptr("AB") }},
				{"a phone number that is not one", "phone", func(b *models.Business) { b.Phone = "12345" }},
				{"a tax code of the wrong length", "tax_code", func(b *models.Business) { b.TaxCode = "12345" }},
				{"an id that is not a UUID", "id", func(b *models.Business) { b.ID = "abc" }},
			} {
				t.Run(tc.name, func(t *testing.T) {
					b := newBusiness("Karaoke Sai", caiKheLat, caiKheLon)
					tc.edit(b)
					before := countBusinesses(t, db)
					_, _, err := svc.CreateBusiness(ctx, "planner", b)
					wantInvalid(t, err, tc.field)
					if countBusinesses(t, db) != before {
						t.Fatal("an invalid business was stored")
					}
				})
			}
		})

		t.Run("a licence number already registered is a conflict naming it", func(t *testing.T) {
			b := newBusiness("Karaoke Khác", anHoaLat, anHoaLon)
			b.LicenceNo = ptr("57/GP-UBND")
			_, _, err := svc.CreateBusiness(ctx, "planner", b)
			wantCode(t, err, models.ECONFLICT)
			if e := models.ErrorAs(err); e.Field != "licence_no" {
				t.Errorf("conflict on %q, want licence_no", e.Field)
			}
		})

		t.Run("a create with the client's id is safe to retry", func(t *testing.T) {
			id := uuid.NewString()
			in := func() *models.Business {
				b := newBusiness("Nhà nghỉ Bình Minh", anHoaLat, anHoaLon)
				b.ID, b.Category, b.LicenceNo = id, "accommodation", ptr("58/GP-UBND")
				return b
			}
			first, created, err := svc.CreateBusiness(ctx, "planner", in())
			if err != nil || !created {
				t.Fatalf("first create: created %v, err %v", created, err)
			}
			before, audits := countBusinesses(t, db), countAudit(t, db)
			again, created, err := svc.CreateBusiness(ctx, "planner", in())
			if err != nil || created || again.ID != first.ID || again.Version != 1 || again.AreaCode != "31120" {
				t.Fatalf("retry: created %v, err %v, business %+v; want the stored business, not created", created, err, again)
			}
			if countBusinesses(t, db) != before || countAudit(t, db) != audits {
				t.Fatal("a retry stored something")
			}
			// The same name typed on a phone whose keyboard composes accents (NFD) is the same retry.
			nfd := in()
			nfd.Name = norm.NFD.String(nfd.Name)
			if again, created, err := svc.CreateBusiness(ctx, "planner", nfd); err != nil || created || again.ID != first.ID {
				t.Fatalf("a retry in NFD: created %v, err %v", created, err)
			}
			for _, edit := range []func(b *models.Business){
				func(b *models.Business) { b.Name = "Nhà nghỉ Bình Minh 2" },
				func(b *models.Business) { b.Status = models.BusinessSuspended },
			} {
				other := in()
				edit(other)
				_, _, err = svc.CreateBusiness(ctx, "planner", other)
				wantCode(t, err, models.ECONFLICT)
			}
			if got := mustFindBusiness(t, db, id); got.Name != "Nhà nghỉ Bình Minh" || got.Version != 1 {
				t.Fatalf("a conflicting retry changed the business: %+v", got)
			}
		})

		t.Run("a closed business gets its closing date", func(t *testing.T) {
			b := newBusiness("Karaoke Đã Đóng", anHoaLat, anHoaLon)
			b.Status = models.BusinessClosed
			out := mustCreate(t, svc, b)
			if out.ClosedOn != testToday || out.StatusSince != testToday {
				t.Fatalf("closed_on %v status_since %v, want today %v", out.ClosedOn, out.StatusSince, testToday)
			}
		})
	})
}

func TestUpdateBusiness(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newDemoService(t, db)
		b := mustCreate(t, svc, newBusiness("Karaoke Hoa Hồng", caiKheLat, caiKheLon))

		t.Run("a stale version is a conflict and changes nothing", func(t *testing.T) {
			audits := countAudit(t, db)
			_, err := svc.UpdateBusiness(ctx, "planner", b.ID, models.BusinessUpdate{Version: b.Version + 1, Name: ptr("Karaoke Khác")})
			wantCode(t, err, models.ECONFLICT)
			if got := mustFindBusiness(t, db, b.ID); got.Name != b.Name || got.Version != b.Version {
				t.Fatalf("a stale update changed the business: %+v", got)
			}
			if countAudit(t, db) != audits {
				t.Fatal("a refused update wrote an audit event")
			}
		})

		t.Run("an unknown id is not found", func(t *testing.T) {
			_, err := svc.UpdateBusiness(ctx, "planner", uuid.NewString(), models.BusinessUpdate{Version: 1, Name: ptr("X")})
			wantCode(t, err, models.ENOTFOUND)
		})

		t.Run("moving the business re-derives its ward", func(t *testing.T) {
			out, err := svc.UpdateBusiness(ctx, "planner", b.ID, models.BusinessUpdate{Version: 1, Lat: ptr(anHoaLat), Lon: ptr(anHoaLon)})
			if err != nil {
				t.Fatal(err)
			}
			stored := mustFindBusiness(t, db, b.ID)
			if out.AreaCode != "31120" || stored.AreaCode != "31120" || stored.Version != 2 || stored.Lat != anHoaLat {
				t.Fatalf("after the move: answered %+v, stored %+v; want ward 31120, version 2", out, stored)
			}
			evs := auditOf(t, db, b.ID)
			var details map[string][2]any
			if len(evs) != 2 || evs[0].Action != "update" || json.Unmarshal([]byte(evs[0].Details), &details) != nil {
				t.Fatalf("audit events %+v, want create then update", evs)
			}
			if d := details["area_code"]; d[0] != "31117" || d[1] != "31120" {
				t.Errorf("the update's audit records area_code %v, want [31117 31120] (details %s)", d, evs[0].Details)
			}
			if _, ok := details["lat"]; !ok {
				t.Errorf("the update's audit does not record lat: %s", evs[0].Details)
			}
		})

		t.Run("moving it outside every area is refused on lat", func(t *testing.T) {
			_, err := svc.UpdateBusiness(ctx, "planner", b.ID, models.BusinessUpdate{Version: 2, Lat: ptr(hanoiLat), Lon: ptr(hanoiLon)})
			wantInvalid(t, err, "lat")
			if got := mustFindBusiness(t, db, b.ID); got.Version != 2 || got.AreaCode != "31120" {
				t.Fatalf("a refused move changed the business: %+v", got)
			}
		})

		t.Run("closing sets closed_on and status_since and keeps the business", func(t *testing.T) {
			out, err := svc.UpdateBusiness(ctx, "planner", b.ID, models.BusinessUpdate{Version: 2, Status: ptr(models.BusinessClosed)})
			if err != nil {
				t.Fatal(err)
			}
			if out.Status != models.BusinessClosed || out.ClosedOn != testToday || out.StatusSince != testToday || out.Version != 3 {
				t.Fatalf("closed business %+v; want closed today, version 3", out)
			}
			if _, err := db.FindBusinessByID(ctx, b.ID); err != nil {
				t.Fatalf("a closed business is gone: %v", err)
			}
		})

		t.Run("reopening clears closed_on", func(t *testing.T) {
			out, err := svc.UpdateBusiness(ctx, "planner", b.ID, models.BusinessUpdate{Version: 3, Status: ptr(models.BusinessActive)})
			if err != nil {
				t.Fatal(err)
			}
			if !out.ClosedOn.IsZero() || out.StatusSince != testToday || out.Version != 4 {
				t.Fatalf("reopened business %+v; want no closed_on, status_since today", out)
			}
		})

		t.Run("closing on a past date dates the status from it", func(t *testing.T) {
			closed := models.NewDate(2026, time.October, 15)
			out, err := svc.UpdateBusiness(ctx, "planner", b.ID, models.BusinessUpdate{Version: 4, Status: ptr(models.BusinessClosed), ClosedOn: &closed})
			if err != nil {
				t.Fatal(err)
			}
			if out.ClosedOn != closed || out.StatusSince != closed {
				t.Fatalf("closed_on %v status_since %v, want both %v", out.ClosedOn, out.StatusSince, closed)
			}
		})

		t.Run("a closing date in the future is refused", func(t *testing.T) {
			future := testToday.AddDays(3)
			_, err := svc.UpdateBusiness(ctx, "planner", b.ID, models.BusinessUpdate{Version: 5, ClosedOn: &future})
			wantInvalid(t, err, "closed_on")
		})

		t.Run("taking another business's licence number is a conflict", func(t *testing.T) {
			other := newBusiness("Karaoke Khác", caiKheLat, caiKheLon)
			other.LicenceNo = ptr("99/GP-UBND")
			mustCreate(t, svc, other)
			_, err := svc.UpdateBusiness(ctx, "planner", b.ID, models.BusinessUpdate{Version: 5, LicenceNo: ptr("99/gp-ubnd")})
			wantCode(t, err, models.ECONFLICT)
		})

		t.Run("every change is audited in order", func(t *testing.T) {
			evs := auditOf(t, db, b.ID)
			var actions []string
			for _, e := range evs {
				actions = append(actions, e.Action)
			}
			// Newest first: create, move, close, reopen, close on a date.
			if want := []string{"update", "update", "update", "update", "create"}; !slices.Equal(actions, want) {
				t.Fatalf("audit actions %v, want %v", actions, want)
			}
			if v, err := db.VerifyAudit(ctx); err != nil || !v.OK {
				t.Fatalf("audit log broken: %+v %v", v, err)
			}
		})
	})
}

// offset returns the point about dn metres north and de metres east of (lat, lon).
func offset(lat, lon, dn, de float64) (float64, float64) {
	const mPerDegLat = 110_574.0
	mPerDegLon := 111_320.0 * 0.98475 // cos(10.03 degrees)
	return lat + dn/mPerDegLat, lon + de/mPerDegLon
}

func TestNearBusinesses(t *testing.T) {
	const lat, lon, radius = 10.0340, 105.7880, 500.0
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newDemoService(t, db)
		type spot struct {
			name, category, status string
			dn, de                 float64
		}
		spots := []spot{
			{"Karaoke Một Trăm", "karaoke", models.BusinessActive, 100, 0},
			{"Quán Bar Hai Trăm Rưỡi", "bar", models.BusinessActive, 0, 250},
			{"Karaoke Bốn Trăm", "karaoke", models.BusinessSuspended, -400, 0},
			{"Karaoke Ba Trăm", "karaoke", models.BusinessActive, 0, -300},
			{"Karaoke Bảy Trăm", "karaoke", models.BusinessActive, 700, 0},
			{"Karaoke Xa", "karaoke", models.BusinessActive, 3000, 3000},
		}
		ids := map[string]string{}
		for _, s := range spots {
			b := newBusiness(s.name, 0, 0)
			b.Lat, b.Lon = offset(lat, lon, s.dn, s.de)
			b.Category, b.Status = s.category, s.status
			ids[s.name] = mustCreate(t, svc, b).ID
		}
		if err := svc.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		names := func(items []*models.NearBusiness) []string {
			var out []string
			for _, it := range items {
				out = append(out, it.Name)
			}
			return out
		}

		t.Run("only businesses within the radius, nearest first, with their distance", func(t *testing.T) {
			items, total, err := svc.NearBusinesses(ctx, models.BusinessFilter{}, lat, lon, radius, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"Karaoke Một Trăm", "Quán Bar Hai Trăm Rưỡi", "Karaoke Ba Trăm", "Karaoke Bốn Trăm"}
			if got := names(items); !slices.Equal(got, want) || total != 4 {
				t.Fatalf("near = %v (total %d), want %v", got, total, want)
			}
			for _, it := range items {
				d := geo.DistanceM(lat, lon, it.Lat, it.Lon)
				if it.DistanceM > radius || d-it.DistanceM > 0.1 || it.DistanceM-d > 0.1 {
					t.Errorf("%s: distance_m %v, computed %v", it.Name, it.DistanceM, d)
				}
			}
		})

		t.Run("filters apply", func(t *testing.T) {
			for _, tc := range []struct {
				name   string
				filter models.BusinessFilter
				want   []string
			}{
				{"category", models.BusinessFilter{Category: "bar"}, []string{"Quán Bar Hai Trăm Rưỡi"}},
				{"status", models.BusinessFilter{Status: models.BusinessSuspended}, []string{"Karaoke Bốn Trăm"}},
				{"category and status", models.BusinessFilter{Category: "karaoke", Status: models.BusinessActive}, []string{"Karaoke Một Trăm", "Karaoke Ba Trăm"}},
				{"name, without accents", models.BusinessFilter{Q: "bon tram"}, []string{"Karaoke Bốn Trăm"}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					items, total, err := svc.NearBusinesses(ctx, tc.filter, lat, lon, radius, 0, 0)
					if err != nil {
						t.Fatal(err)
					}
					if got := names(items); !slices.Equal(got, tc.want) || total != len(tc.want) {
						t.Fatalf("near = %v (total %d), want %v", got, total, tc.want)
					}
				})
			}
		})

		t.Run("pages by offset keep the order and the total", func(t *testing.T) {
			var got []string
			for off := 0; ; off += 3 {
				items, total, err := svc.NearBusinesses(ctx, models.BusinessFilter{}, lat, lon, radius, off, 3)
				if err != nil {
					t.Fatal(err)
				}
				if total != 4 {
					t.Fatalf("total %d at offset %d", total, off)
				}
				if len(items) == 0 {
					break
				}
				got = append(got, names(items)...)
			}
			if want := []string{"Karaoke Một Trăm", "Quán Bar Hai Trăm Rưỡi", "Karaoke Ba Trăm", "Karaoke Bốn Trăm"}; !slices.Equal(got, want) {
				t.Fatalf("pages = %v, want %v", got, want)
			}
			items, _, err := svc.NearBusinesses(ctx, models.BusinessFilter{}, lat, lon, radius, 99, 3)
			if err != nil || len(items) != 0 {
				t.Fatalf("past the end: %v, %v", names(items), err)
			}
		})

		t.Run("a business moved away is measured where it is now", func(t *testing.T) {
			nlat, nlon := offset(lat, lon, 900, 0)
			if _, err := svc.UpdateBusiness(ctx, "planner", ids["Karaoke Một Trăm"], models.BusinessUpdate{Version: 1, Lat: &nlat, Lon: &nlon}); err != nil {
				t.Fatal(err)
			}
			items, _, err := svc.NearBusinesses(ctx, models.BusinessFilter{}, lat, lon, radius, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Contains(names(items), "Karaoke Một Trăm") {
				t.Fatalf("a business moved 900 m away is still within 500 m: %v", names(items))
			}
		})

		t.Run("a created business is found after the indexes are refreshed", func(t *testing.T) {
			b := newBusiness("Karaoke Mới", 0, 0)
			b.Lat, b.Lon = offset(lat, lon, 0, 50)
			mustCreate(t, svc, b)
			if err := svc.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			items, _, err := svc.NearBusinesses(ctx, models.BusinessFilter{}, lat, lon, radius, 0, 1)
			if err != nil || len(items) != 1 || items[0].Name != "Karaoke Mới" {
				t.Fatalf("nearest = %v, %v; want the new business", names(items), err)
			}
		})

		t.Run("the background loop refreshes the indexes after a write", func(t *testing.T) {
			runCtx, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { svc.Run(runCtx, time.Hour); close(done) }()
			t.Cleanup(func() { cancel(); <-done })
			b := newBusiness("Karaoke Sát Vách", 0, 0)
			b.Lat, b.Lon = offset(lat, lon, 10, 0)
			mustCreate(t, svc, b)
			deadline := time.Now().Add(10 * time.Second)
			for {
				items, _, err := svc.NearBusinesses(ctx, models.BusinessFilter{}, lat, lon, radius, 0, 1)
				if err != nil {
					t.Fatal(err)
				}
				if len(items) == 1 && items[0].Name == "Karaoke Sát Vách" {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("the new business is not found 10 s after the write: nearest %v", names(items))
				}
				time.Sleep(10 * time.Millisecond)
			}
		})
	})
}
