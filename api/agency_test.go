package api

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"kiemtra/models"
)

// agencyJSON is a POST /agencies body with one field replaced.
func agencyJSON(change func(m map[string]any)) string {
	m := map[string]any{"code": "industry_trade", "name_vi": "Sở Công Thương thành phố Cần Thơ", "name_en": "Can Tho Department of Industry and Trade", "short_vi": "Sở Công Thương", "level": "city"}
	change(m)
	b, _ := json.Marshal(m)
	return string(b)
}

func TestAgenciesThroughTheAPI(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		h := env.srv
		admin := env.as(t, "admin")
		t.Run("every signed-in user reads them, the inactive ones flagged", func(t *testing.T) {
			for _, who := range []string{"insp1", "viewer1", "d1admin"} {
				w := call(t, h, "GET", "/api/v1/agencies", "", env.as(t, who))
				var body struct{ Items []models.Agency }
				if err := json.Unmarshal(w.Body.Bytes(), &body); w.Code != 200 || err != nil {
					t.Fatalf("%s: %d %s", who, w.Code, w.Body)
				}
				active := map[string]bool{}
				for _, a := range body.Items {
					active[a.Code] = a.Active
				}
				// 9 from migration 00014, 7 more from 00024 (the bodies Plan 237 Section VI gives reporting duties).
				if len(body.Items) != 16 || !active["health"] || active["labour"] || !active["home_affairs"] || active["information"] || !active["press"] {
					t.Fatalf("%s: %s", who, w.Body)
				}
			}
			w := call(t, h, "GET", "/api/v1/agencies/health", "", env.as(t, "insp1"))
			if a := decodeInto[models.Agency](t, w); w.Code != 200 || a.ShortVI != "Sở Y tế" {
				t.Fatalf("one agency: %d %s", w.Code, w.Body)
			}
			if w := call(t, h, "GET", "/api/v1/agencies/army", "", admin); w.Code != 404 {
				t.Fatalf("an unknown agency: %d", w.Code)
			}
			if w := call(t, h, "GET", "/api/v1/agencies", ""); w.Code != 401 {
				t.Fatalf("without a sign-in: %d", w.Code)
			}
		})
		t.Run("only a city-wide admin adds or changes one", func(t *testing.T) {
			for _, who := range []string{"planner", "insp1", "viewer1", "d1admin"} {
				if w := call(t, h, "POST", "/api/v1/agencies", agencyJSON(func(map[string]any) {}), env.as(t, who)); w.Code != 403 {
					t.Fatalf("POST as %s: %d %s", who, w.Code, w.Body)
				}
				if w := call(t, h, "PATCH", "/api/v1/agencies/health", `{"version":1,"short_vi":"Y tế"}`, env.as(t, who)); w.Code != 403 {
					t.Fatalf("PATCH as %s: %d %s", who, w.Code, w.Body)
				}
			}
		})
		for _, tc := range []struct {
			name   string
			change func(m map[string]any)
			field  string
		}{
			{"a code in capitals", func(m map[string]any) { m["code"] = "Trade" }, "code"},
			{"a code with a space", func(m map[string]any) { m["code"] = "industry trade" }, "code"},
			{"no code", func(m map[string]any) { delete(m, "code") }, "code"},
			{"no Vietnamese name", func(m map[string]any) { delete(m, "name_vi") }, "name_vi"},
			{"a blank English name", func(m map[string]any) { m["name_en"] = "   " }, "name_en"},
			{"a name with a NUL", func(m map[string]any) { m["name_vi"] = "Sở\u0000Công Thương" }, "name_vi"},
			{"a short name on two lines", func(m map[string]any) { m["short_vi"] = "Sở\nCông Thương" }, "short_vi"},
			{"an unknown level", func(m map[string]any) { m["level"] = "district" }, "level"},
			{"an unknown field", func(m map[string]any) { m["parent"] = "health" }, "parent"},
		} {
			t.Run("POST with "+tc.name+" is 400", func(t *testing.T) {
				w := call(t, h, "POST", "/api/v1/agencies", agencyJSON(tc.change), admin)
				if e := decodeError(t, w); w.Code != 400 || e.Field != tc.field {
					t.Fatalf("%d %s; want 400 on %s", w.Code, w.Body, tc.field)
				}
			})
		}
		t.Run("an admin adds one, in NFC, active by default", func(t *testing.T) {
			decomposed := agencyJSON(func(m map[string]any) { m["short_vi"] = "So\u031b\u0309 Co\u0302ng Thu\u031bo\u031bng" })
			w := call(t, h, "POST", "/api/v1/agencies", decomposed, admin)
			a := decodeInto[models.Agency](t, w)
			if w.Code != 201 || a.ShortVI != "Sở Công Thương" || !a.Active || a.Version != 1 || w.Header().Get("Location") != "/api/v1/agencies/industry_trade" {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			if w := call(t, h, "POST", "/api/v1/agencies", agencyJSON(func(map[string]any) {}), admin); w.Code != 409 {
				t.Fatalf("the same code again: %d %s", w.Code, w.Body)
			}
		})
		for _, tc := range []struct {
			name, path, body string
			status           int
			field            string
		}{
			{"a missing version is 400", "/api/v1/agencies/industry_trade", `{"short_vi":"Sở CT"}`, 400, "version"},
			{"a stale version is 409", "/api/v1/agencies/industry_trade", `{"version":7,"short_vi":"Sở CT"}`, 409, ""},
			{"an empty name is 400", "/api/v1/agencies/industry_trade", `{"version":1,"name_vi":""}`, 400, "name_vi"},
			{"a new code is 400: codes never change", "/api/v1/agencies/industry_trade", `{"version":1,"code":"trade"}`, 400, "code"},
			{"an unknown agency is 404", "/api/v1/agencies/army", `{"version":1,"name_en":"Army"}`, 404, "agency"},
		} {
			t.Run("PATCH: "+tc.name, func(t *testing.T) {
				w := call(t, h, "PATCH", tc.path, tc.body, admin)
				if e := decodeError(t, w); w.Code != tc.status || e.Field != tc.field {
					t.Fatalf("%d %s; want %d on %q", w.Code, w.Body, tc.status, tc.field)
				}
			})
		}
		t.Run("an admin makes one inactive: new users cannot choose it", func(t *testing.T) {
			w := call(t, h, "PATCH", "/api/v1/agencies/industry_trade", `{"version":1,"active":false}`, admin)
			if a := decodeInto[models.Agency](t, w); w.Code != 200 || a.Active || a.Version != 2 {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			w = call(t, h, "POST", "/api/v1/users", userJSON(func(m map[string]any) { m["agency"] = "industry_trade" }), admin)
			if e := decodeError(t, w); w.Code != 400 || e.Field != "agency" {
				t.Fatalf("a new user of the inactive agency: %d %s", w.Code, w.Body)
			}
			events, err := env.db.FindAuditEvents(context.Background(), models.AuditFilter{EntityType: "agency", EntityID: "industry_trade"})
			if err != nil || len(events) != 2 || events[0].Action != "update" || events[0].Actor != "admin" {
				t.Fatalf("audit: %+v %v", events, err)
			}
		})
	})
}

// The labour department was dissolved in 2025: its officers stay valid users, nobody new joins it.
func TestUsersOfAnInactiveAgency(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		h := env.srv
		admin := env.as(t, "admin")
		t.Run("a new user of the dissolved labour department is 400", func(t *testing.T) {
			w := call(t, h, "POST", "/api/v1/users", userJSON(func(m map[string]any) { m["agency"] = models.AgencyLabour }), admin)
			e := decodeError(t, w)
			if w.Code != 400 || e.Field != "agency" || !strings.Contains(e.Message, "Sở Lao động") {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
		})
		insp1 := "/api/v1/users/" + env.users["insp1"].ID // of the labour department
		t.Run("a user of it keeps it on an edit of another field", func(t *testing.T) {
			w := call(t, h, "PATCH", insp1, `{"version":1,"display_name":"Nguyễn Thị Lan"}`, admin)
			if u := decodeInto[models.User](t, w); w.Code != 200 || u.Agency != models.AgencyLabour {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
		})
		t.Run("a form sending the user's agency back unchanged is accepted", func(t *testing.T) {
			w := call(t, h, "PATCH", insp1, `{"version":2,"agency":"labour","display_name":"Nguyễn Thị Lan"}`, admin)
			if w.Code != 200 {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
		})
		t.Run("another user moving to it is 400", func(t *testing.T) {
			w := call(t, h, "PATCH", "/api/v1/users/"+env.users["insp2"].ID, `{"version":1,"agency":"labour"}`, admin)
			if e := decodeError(t, w); w.Code != 400 || e.Field != "agency" {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
		})
		t.Run("an unknown agency is 400", func(t *testing.T) {
			w := call(t, h, "PATCH", "/api/v1/users/"+env.users["insp2"].ID, `{"version":1,"agency":"army"}`, admin)
			if e := decodeError(t, w); w.Code != 400 || e.Field != "agency" {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
		})
		t.Run("the user moves to the health department, which took the work over", func(t *testing.T) {
			w := call(t, h, "PATCH", insp1, `{"version":3,"agency":"health"}`, admin)
			if u := decodeInto[models.User](t, w); w.Code != 200 || u.Agency != models.AgencyHealth {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			// Having left it, the user cannot go back to the dissolved department.
			w = call(t, h, "PATCH", insp1, `{"version":4,"agency":"labour"}`, admin)
			if e := decodeError(t, w); w.Code != 400 || e.Field != "agency" {
				t.Fatalf("back to labour: %d %s", w.Code, w.Body)
			}
		})
	})
}
