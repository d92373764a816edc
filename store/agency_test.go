package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func TestTheAgenciesOfCanThoAreSeeded(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		as, err := db.FindAgencies(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]*models.Agency{}
		var codes []string
		for _, a := range as {
			got[a.Code] = a
			codes = append(codes, a.Code)
			if a.NameVI == "" || a.NameEN == "" || a.ShortVI == "" || a.Version != 1 || a.CreatedAt.IsZero() {
				t.Errorf("%s is incomplete: %+v", a.Code, a)
			}
			for _, s := range []string{a.NameVI, a.ShortVI} {
				if !norm.NFC.IsNormalString(s) {
					t.Errorf("%s: %q is not NFC", a.Code, s)
				}
			}
			if err := (*a).Validate(); err != nil {
				t.Errorf("%s does not pass its own validation: %v", a.Code, err)
			}
		}
		// 00014 seeded the first nine, 00024 the bodies Section VI of Plan 237 gives reporting duties.
		want := []string{"commune", "court", "culture", "education", "fatherland_front", "health", "home_affairs", "information", "justice", "labour", "other", "police", "press", "procuracy", "science", "womens_union"}
		if len(codes) != len(want) {
			t.Fatalf("codes %v; want %v", codes, want)
		}
		for i := range want {
			if codes[i] != want[i] {
				t.Fatalf("codes %v; want %v in that order", codes, want)
			}
		}
		for code, short := range map[string]string{"health": "Sở Y tế", "home_affairs": "Sở Nội vụ", "police": "Công an thành phố", "culture": "Sở Văn hóa, Thể thao và Du lịch"} {
			if got[code].ShortVI != short || !got[code].Active {
				t.Errorf("%s: %q active %v; want %q, active", code, got[code].ShortVI, got[code].Active, short)
			}
		}
		if l := got["labour"]; l.Active || l.NameVI != "Sở Lao động - Thương binh và Xã hội thành phố Cần Thơ" {
			t.Errorf("the labour department, dissolved in 2025, is %+v; want it kept, inactive", l)
		}
		if got["commune"].Level != models.AgencyLevelCommune || got["health"].Level != models.AgencyLevelCity {
			t.Errorf("levels: commune %q, health %q", got["commune"].Level, got["health"].Level)
		}
	})
}

// Users stored before agencies were data keep their agency: a code the seed has is that agency,
// any other becomes an inactive agency named by its code.
func TestMigrationKeepsEveryUsersAgency(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.UpsertAreas(ctx, "t", []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity}}); err != nil {
			t.Fatal(err)
		}
		p := &models.Programme{Code: "KH-237", Name: "Kế hoạch 237", StartsOn: models.NewDate(2021, 1, 1), EndsOn: models.NewDate(2025, 12, 31)}
		p.ApplyDefaults()
		if err := db.CreateProgramme(ctx, "t", p); err != nil {
			t.Fatal(err)
		}
		if err := db.MigrateDownTo(ctx, 13); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC)
		for _, u := range []struct{ id, agency string }{{"u1", "labour"}, {"u2", "police"}, {"u3", "army"}, {"u4", "army"}} {
			exec(t, db, "INSERT INTO users (id, username, display_name, agency, role, area_code, password_hash, disabled, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				u.id, u.id, "Người "+u.id, u.agency, models.RoleInspector, "92", "x", false, 1, now, now)
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			code   string
			active bool
		}{{"labour", false}, {"police", true}, {"army", false}} {
			a, err := db.FindAgencyByCode(ctx, c.code)
			if err != nil || a.Active != c.active {
				t.Errorf("agency %s after the migration: %+v %v; want active %v", c.code, a, err, c.active)
			}
		}
		army, _ := db.FindAgencyByCode(ctx, "army")
		if army != nil && (army.NameVI != "army" || army.NameEN != "army") {
			t.Errorf("an unknown code becomes an agency named by it: %+v", army)
		}
		for id, agency := range map[string]string{"u1": "labour", "u3": "army"} {
			u, err := db.FindUserByID(ctx, id)
			if err != nil || u.Agency != agency {
				t.Errorf("user %s: %+v %v; want agency %s", id, u, err, agency)
			}
		}
		// An older programme has no lead recorded: the migration does not invent one.
		stored, err := db.FindProgrammeByID(ctx, "KH-237")
		if err != nil || stored.LeadAgency != nil {
			t.Fatalf("programme after the migration: %+v %v; want no lead agency", stored, err)
		}
	})
}

func TestAgencyChangesAreValidatedVersionedAndAudited(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := &models.Agency{Code: "industry_trade", NameVI: norm.NFD.String("Sở Công Thương thành phố Cần Thơ"), NameEN: "Can Tho Department of Industry and Trade",
			ShortVI: " Sở Công Thương ", Level: models.AgencyLevelCity, Active: true}
		if err := db.CreateAgency(ctx, "admin", a); err != nil {
			t.Fatal(err)
		}
		if a.Version != 1 || a.NameVI != "Sở Công Thương thành phố Cần Thơ" || a.ShortVI != "Sở Công Thương" {
			t.Fatalf("created %+v; want version 1, NFC and trimmed names", a)
		}
		t.Run("a taken code is a conflict", func(t *testing.T) {
			err := db.CreateAgency(ctx, "admin", &models.Agency{Code: "health", NameVI: "Sở Y tế", NameEN: "Health"})
			if models.ErrorCode(err) != models.ECONFLICT {
				t.Fatalf("error %v; want conflict", err)
			}
		})
		t.Run("a bad agency is invalid and stores nothing", func(t *testing.T) {
			err := db.CreateAgency(ctx, "admin", &models.Agency{Code: "Bad Code", NameVI: "Cơ quan", NameEN: "Agency"})
			if e := models.ErrorAs(err); e == nil || e.Code != models.EINVALID || e.Field != "code" {
				t.Fatalf("error %v; want invalid code", err)
			}
			if _, err := db.FindAgencyByCode(ctx, "Bad Code"); !models.IsCode(err, models.ENOTFOUND) {
				t.Fatalf("stored: %v", err)
			}
		})
		upd, err := db.UpdateAgency(ctx, "admin", "industry_trade", models.AgencyUpdate{Version: 1, ShortVI: ptr("Sở CT"), Active: ptr(false)})
		if err != nil || upd.Version != 2 || upd.ShortVI != "Sở CT" || upd.Active || upd.NameVI != a.NameVI {
			t.Fatalf("update: %+v %v", upd, err)
		}
		t.Run("a stale version is a conflict and changes nothing", func(t *testing.T) {
			_, err := db.UpdateAgency(ctx, "admin", "industry_trade", models.AgencyUpdate{Version: 1, NameEN: ptr("Trade")})
			if models.ErrorCode(err) != models.ECONFLICT {
				t.Fatalf("error %v; want conflict", err)
			}
			stored, err := db.FindAgencyByCode(ctx, "industry_trade")
			if err != nil || stored.NameEN != a.NameEN || stored.Version != 2 {
				t.Fatalf("stored %+v %v", stored, err)
			}
		})
		t.Run("an empty name is invalid", func(t *testing.T) {
			_, err := db.UpdateAgency(ctx, "admin", "industry_trade", models.AgencyUpdate{Version: 2, NameVI: ptr("  ")})
			if e := models.ErrorAs(err); e == nil || e.Code != models.EINVALID || e.Field != "name_vi" {
				t.Fatalf("error %v; want invalid name_vi", err)
			}
		})
		t.Run("an unknown code is not found", func(t *testing.T) {
			_, err := db.UpdateAgency(ctx, "admin", "army", models.AgencyUpdate{Version: 1, NameEN: ptr("Army")})
			if !models.IsCode(err, models.ENOTFOUND) {
				t.Fatalf("error %v; want not_found", err)
			}
		})
		t.Run("a change that changes nothing keeps the version", func(t *testing.T) {
			same, err := db.UpdateAgency(ctx, "admin", "industry_trade", models.AgencyUpdate{Version: 2, ShortVI: ptr("Sở CT")})
			if err != nil || same.Version != 2 {
				t.Fatalf("%+v %v", same, err)
			}
		})
		events, err := db.FindAuditEvents(ctx, models.AuditFilter{EntityType: "agency", EntityID: "industry_trade"})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 2 || events[0].Action != "update" || events[1].Action != "create" || events[0].Actor != "admin" {
			t.Fatalf("audit events: %+v", events)
		}
		var details map[string]any
		if err := json.Unmarshal([]byte(events[0].Details), &details); err != nil {
			t.Fatal(err)
		}
		if len(details) != 2 || details["short_vi"] != "Sở CT" || details["active"] != false {
			t.Fatalf("the update's audit holds %v; want short_vi and active only", details)
		}
		if v, err := db.VerifyAudit(ctx); err != nil || !v.OK {
			t.Fatalf("VerifyAudit = %+v, %v", v, err)
		}
	})
}

// The store keeps every user's agency in the agencies table, whichever caller writes the user;
// whether a new user may pick an inactive one is the callers' rule.
func TestAUsersAgencyMustBeInTheTable(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedAreas(t, db)
		err := db.CreateUser(ctx, "t", &models.User{Username: "army.1", Agency: "army", Role: models.RoleInspector, AreaCode: "92", PasswordHash: "x"})
		if e := models.ErrorAs(err); e == nil || e.Code != models.EINVALID || e.Field != "agency" {
			t.Fatalf("create with an unknown agency: %v; want invalid agency", err)
		}
		if _, err := db.FindUserByUsername(ctx, "army.1"); !models.IsCode(err, models.ENOTFOUND) {
			t.Fatalf("stored: %v", err)
		}
		u := &models.User{Username: "lan", Agency: models.AgencyLabour, Role: models.RoleInspector, AreaCode: "92", PasswordHash: "x"}
		if err := db.CreateUser(ctx, "t", u); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateUser(ctx, "t", u.ID, models.UserUpdate{Version: 1, Agency: ptr("army")}, ""); !models.IsCode(err, models.EINVALID) {
			t.Fatalf("update to an unknown agency: %v; want invalid", err)
		}
		got, err := db.UpdateUser(ctx, "t", u.ID, models.UserUpdate{Version: 1, Agency: ptr(models.AgencyHealth)}, "")
		if err != nil || got.Agency != models.AgencyHealth {
			t.Fatalf("update to health: %+v %v", got, err)
		}
	})
}
