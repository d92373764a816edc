package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"kiemtra/models"
)

// userJSON is a POST /users body with one field replaced.
func userJSON(change func(m map[string]any)) string {
	m := map[string]any{"username": "new.user", "display_name": "Người mới", "agency": "health", "role": "inspector", "area_code": "D2", "password": "long enough password"}
	change(m)
	b, _ := json.Marshal(m)
	return string(b)
}

func TestCreateUser(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		h := env.srv
		admin := env.as(t, "admin")
		for _, tc := range []struct {
			name   string
			change func(m map[string]any)
			field  string
		}{
			{"a one-letter username", func(m map[string]any) { m["username"] = "a" }, "username"},
			{"a username with a space", func(m map[string]any) { m["username"] = "new user" }, "username"},
			{"a username starting with a dot", func(m map[string]any) { m["username"] = ".new" }, "username"},
			{"a username with accents", func(m map[string]any) { m["username"] = "người" }, "username"},
			{"a username of 41 characters", func(m map[string]any) { m["username"] = strings.Repeat("u", 41) }, "username"},
			{"an unknown role", func(m map[string]any) { m["role"] = "boss" }, "role"},
			{"no role", func(m map[string]any) { delete(m, "role") }, "role"},
			{"an unknown agency", func(m map[string]any) { m["agency"] = "army" }, "agency"},
			{"an unknown area", func(m map[string]any) { m["area_code"] = "X9" }, "area_code"},
			{"an unknown team", func(m map[string]any) { m["team_id"] = "no-such-team" }, "team_id"},
			{"a short password", func(m map[string]any) { m["password"] = "short" }, "password"},
			{"no password", func(m map[string]any) { delete(m, "password") }, "password"},
			{"an unknown field", func(m map[string]any) { m["is_admin"] = true }, "is_admin"},
		} {
			t.Run(tc.name+" is 400", func(t *testing.T) {
				w := call(t, h, "POST", "/api/v1/users", userJSON(tc.change), admin)
				if e := decodeError(t, w); w.Code != 400 || e.Field != tc.field {
					t.Fatalf("%d %s; want 400 on %s", w.Code, w.Body, tc.field)
				}
			})
		}
		t.Run("every wrong field is named at once", func(t *testing.T) {
			w := call(t, h, "POST", "/api/v1/users", userJSON(func(m map[string]any) { m["role"], m["agency"], m["password"] = "boss", "army", "x" }), admin)
			e := decodeError(t, w)
			var fields []string
			for _, d := range e.Details {
				fields = append(fields, d.Field)
			}
			if w.Code != 400 || strings.Join(fields, ",") != "role,agency,password" {
				t.Fatalf("%d, fields %v", w.Code, fields)
			}
		})
		var created models.User
		t.Run("a good user is created, in lower case, without its hash", func(t *testing.T) {
			w := call(t, h, "POST", "/api/v1/users", userJSON(func(m map[string]any) { m["username"], m["team_id"] = " New.User ", env.teams["T2"].ID }), admin)
			if w.Code != http.StatusCreated || strings.Contains(w.Body.String(), "argon2") || strings.Contains(w.Body.String(), "password") {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			created = decodeInto[models.User](t, w)
			if created.Username != "new.user" || created.TeamID == nil || *created.TeamID != env.teams["T2"].ID || w.Header().Get("Location") != "/api/v1/users/"+created.ID {
				t.Fatalf("created %+v, Location %q", created, w.Header().Get("Location"))
			}
			w = call(t, h, "POST", "/api/v1/auth/login", `{"username":"new.user","password":"long enough password"}`)
			if w.Code != 200 {
				t.Fatalf("the new user cannot sign in: %d %s", w.Code, w.Body)
			}
		})
		t.Run("a taken username is 409", func(t *testing.T) {
			for _, name := range []string{"new.user", "INSP1"} {
				w := call(t, h, "POST", "/api/v1/users", userJSON(func(m map[string]any) { m["username"] = name }), admin)
				if e := decodeError(t, w); w.Code != http.StatusConflict || e.Code != models.ECONFLICT || e.Field != "username" {
					t.Fatalf("%s: %d %s", name, w.Code, w.Body)
				}
			}
		})
		t.Run("an unknown user is 404", func(t *testing.T) {
			if w := call(t, h, "GET", "/api/v1/users/nobody", "", admin); w.Code != 404 {
				t.Fatalf("%d", w.Code)
			}
			if w := call(t, h, "PATCH", "/api/v1/users/nobody", `{"version":1,"display_name":"x"}`, admin); w.Code != 404 {
				t.Fatalf("%d", w.Code)
			}
		})
	})
}

func TestUpdateUser(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		h := env.srv
		admin := env.as(t, "admin")
		id := env.users["insp1"].ID
		path := "/api/v1/users/" + id
		w := call(t, h, "PATCH", path, `{"version":1,"display_name":"Lan Nguyễn","agency":"culture"}`, admin)
		if u := decodeInto[models.User](t, w); w.Code != 200 || u.Version != 2 || u.DisplayName != "Lan Nguyễn" || u.Agency != "culture" {
			t.Fatalf("update: %d %s", w.Code, w.Body)
		}
		for _, tc := range []struct {
			name, body string
			status     int
			field      string
		}{
			{"a stale version is 409", `{"version":1,"display_name":"x"}`, 409, ""},
			{"a missing version is 400", `{"display_name":"x"}`, 400, "version"},
			{"an unknown role is 400", `{"version":2,"role":"boss"}`, 400, "role"},
			{"an unknown area is 400", `{"version":2,"area_code":"X9"}`, 400, "area_code"},
			{"an unknown team is 400", `{"version":2,"team_id":"nope"}`, 400, "team_id"},
			{"a short password is 400", `{"version":2,"password":"short"}`, 400, "password"},
			{"the display name as the password is 400", `{"version":2,"password":"Lan Nguyễn 1990"}`, 400, "password"},
			{"the display name being set as the password is 400", `{"version":2,"display_name":"Phạm Thị Hồng Nhung","password":"phamthihongnhung"}`, 400, "password"},
			{"the username as the password is 400", `{"version":2,"password":"Insp1.2026!!"}`, 400, "password"},
			{"a common password with digits is 400", `{"version":2,"password":"password1234"}`, 400, "password"},
			{"the demo password is 400", `{"version":2,"password":"kiemtra-demo"}`, 400, "password"},
			{"twelve NULs are 400", `{"version":2,"password":"\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000"}`, 400, "password"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := call(t, h, "PATCH", path, tc.body, admin)
				if e := decodeError(t, w); w.Code != tc.status || e.Field != tc.field {
					t.Fatalf("%d %s; want %d on %q", w.Code, w.Body, tc.status, tc.field)
				}
			})
		}
		t.Run("an empty team id takes the user out of its team", func(t *testing.T) {
			w := call(t, h, "PATCH", path, `{"version":2,"team_id":""}`, admin)
			if w.Code != 200 || !strings.Contains(w.Body.String(), `"team_id":null`) {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
		})
		t.Run("a new password replaces the old one and ends the sessions", func(t *testing.T) {
			s := env.login(t, "insp1")
			w := call(t, h, "PATCH", path, `{"version":3,"password":"a brand new password"}`, admin)
			if w.Code != 200 {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			want401(t, call(t, h, "POST", "/api/v1/auth/refresh", refreshBody(s.RefreshToken)), "a session from before the change")
			want401(t, call(t, h, "GET", "/api/v1/me", "", bearer(s.AccessToken)), "an access token from before the change")
			want401(t, call(t, h, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"username":"insp1","password":%q}`, envPassword)), "the old password")
			if w := call(t, h, "POST", "/api/v1/auth/login", `{"username":"insp1","password":"a brand new password"}`); w.Code != 200 {
				t.Fatalf("the new password: %d", w.Code)
			}
		})
		t.Run("disabling a user ends its sessions", func(t *testing.T) {
			s := env.login(t, "insp2")
			w := call(t, h, "PATCH", "/api/v1/users/"+env.users["insp2"].ID, `{"version":1,"disabled":true}`, admin)
			if w.Code != 200 {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			var live int64
			env.db.Gorm().Model(&models.RefreshToken{}).Where("user_id = ? AND revoked_at IS NULL", env.users["insp2"].ID).Count(&live)
			if live != 0 {
				t.Fatalf("%d sessions left", live)
			}
			want401(t, call(t, h, "POST", "/api/v1/auth/refresh", refreshBody(s.RefreshToken)), "refresh")
		})
		t.Run("an admin cannot lock itself out", func(t *testing.T) {
			self := "/api/v1/users/" + env.users["admin"].ID
			for _, tc := range []struct{ body, field string }{
				{`{"version":1,"disabled":true}`, "disabled"},
				{`{"version":1,"role":"planner"}`, "role"},
			} {
				w := call(t, h, "PATCH", self, tc.body, admin)
				if e := decodeError(t, w); w.Code != 400 || e.Field != tc.field {
					t.Fatalf("%s: %d %s", tc.body, w.Code, w.Body)
				}
			}
			if w := call(t, h, "GET", "/api/v1/me", "", admin); w.Code != 200 {
				t.Fatalf("the admin lost access: %d", w.Code)
			}
			// Another admin may.
			w := call(t, h, "PATCH", "/api/v1/users/"+env.users["d1admin"].ID, `{"version":1,"role":"viewer"}`, admin)
			if w.Code != 200 {
				t.Fatalf("demoting another admin: %d %s", w.Code, w.Body)
			}
		})
	})
}

func TestADistrictAdminManagesOnlyItsDistrictsUsers(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		h := env.srv
		d1 := env.as(t, "d1admin")
		w := call(t, h, "GET", "/api/v1/users", "", d1)
		list := decodeInto[struct{ Items []models.User }](t, w)
		var names []string
		for _, u := range list.Items {
			names = append(names, u.Username)
		}
		if w.Code != 200 || strings.Join(names, ",") != "d1admin,d1planner,insp1,insp1b,lead1,off,viewer1" {
			t.Fatalf("the users a D1 admin sees: %d %v", w.Code, names)
		}
		for _, name := range []string{"insp2", "admin"} {
			if w := call(t, h, "GET", "/api/v1/users/"+env.users[name].ID, "", d1); w.Code != 404 {
				t.Errorf("GET %s: %d, want 404", name, w.Code)
			}
			if w := call(t, h, "PATCH", "/api/v1/users/"+env.users[name].ID, `{"version":1,"disabled":true}`, d1); w.Code != 404 {
				t.Errorf("PATCH %s: %d, want 404", name, w.Code)
			}
		}
		for _, tc := range []struct {
			name   string
			change func(m map[string]any)
			field  string
		}{
			{"a city-wide admin", func(m map[string]any) { m["role"], m["area_code"] = "admin", "92" }, "area_code"},
			{"a user of another district", func(m map[string]any) { m["area_code"] = "D2" }, "area_code"},
			{"a member of another district's team", func(m map[string]any) { m["area_code"], m["team_id"] = "D1", env.teams["T2"].ID }, "team_id"},
		} {
			t.Run(tc.name+" cannot be created", func(t *testing.T) {
				w := call(t, h, "POST", "/api/v1/users", userJSON(tc.change), d1)
				if e := decodeError(t, w); w.Code != 400 || e.Field != tc.field {
					t.Fatalf("%d %s", w.Code, w.Body)
				}
			})
		}
		if w := call(t, h, "PATCH", "/api/v1/users/"+env.users["insp1"].ID, `{"version":1,"area_code":"92"}`, d1); w.Code != 400 {
			t.Fatalf("moving a user out of the district: %d %s", w.Code, w.Body)
		}
		w = call(t, h, "POST", "/api/v1/users", userJSON(func(m map[string]any) { m["area_code"], m["team_id"] = "D11", env.teams["T1b"].ID }), d1)
		if w.Code != http.StatusCreated {
			t.Fatalf("a user of a ward of the district: %d %s", w.Code, w.Body)
		}
	})
}

func TestConcurrentUpdatesOfOneUserVersionGiveOneWinner(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		admin := env.as(t, "admin")
		path := "/api/v1/users/" + env.users["viewer1"].ID
		const n = 8
		codes := make([]int, n)
		var wg sync.WaitGroup
		for i := range codes {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				w, _ := send2(env.srv, "PATCH", path, fmt.Sprintf(`{"version":1,"display_name":"Tên %d"}`, i), admin)
				codes[i] = w.Code
			}(i)
		}
		wg.Wait()
		ok := 0
		for _, c := range codes {
			switch c {
			case 200:
				ok++
			case 409:
			default:
				t.Fatalf("statuses %v: want 200 once and 409 for the others", codes)
			}
		}
		u, err := env.db.FindUserByID(t.Context(), env.users["viewer1"].ID)
		if ok != 1 || err != nil || u.Version != 2 {
			t.Fatalf("statuses %v, stored version %d: %d updates of version 1 succeeded", codes, u.Version, ok)
		}
	})
}

// userBody is the answer of PATCH /users/{id}: the user and the warnings about the change.
type userBody struct {
	models.User
	Warnings []string `json:"warnings"`
}

// A user's jurisdiction must cover its team's area, as for the members a planner gives a team:
// otherwise the user could not open its own team's tasks.
func TestAUsersJurisdictionCoversItsTeam(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		h := env.srv
		admin := env.as(t, "admin")
		for _, tc := range []struct {
			name   string
			change func(m map[string]any)
			field  string
		}{
			{"a D2 user in a D1 team", func(m map[string]any) { m["area_code"], m["team_id"] = "D2", env.teams["T1"].ID }, "team_id"},
			{"a ward user in its district's team", func(m map[string]any) { m["area_code"], m["team_id"] = "D11", env.teams["T1"].ID }, "team_id"},
		} {
			t.Run(tc.name+" cannot be created", func(t *testing.T) {
				w := call(t, h, "POST", "/api/v1/users", userJSON(tc.change), admin)
				if e := decodeError(t, w); w.Code != 400 || e.Field != tc.field {
					t.Fatalf("%d %s", w.Code, w.Body)
				}
			})
		}
		for _, tc := range []struct {
			name, user, body, field string
		}{
			{"a member moved to a ward of its team's district", "insp1", `{"version":1,"area_code":"D11"}`, "area_code"},
			{"a member moved to another district", "insp1", `{"version":1,"area_code":"D2"}`, "area_code"},
			{"a D1 member put in the D2 team", "insp1", `{"version":1,"team_id":"` + env.teams["T2"].ID + `"}`, "team_id"},
			{"a ward member put in the district team", "insp1b", `{"version":1,"team_id":"` + env.teams["T1"].ID + `"}`, "team_id"},
		} {
			t.Run(tc.name+" is 400", func(t *testing.T) {
				w := call(t, h, "PATCH", "/api/v1/users/"+env.users[tc.user].ID, tc.body, admin)
				if e := decodeError(t, w); w.Code != 400 || e.Field != tc.field {
					t.Fatalf("%d %s; want 400 on %s", w.Code, w.Body, tc.field)
				}
			})
		}
		// A ward member given the whole district still covers its ward team; a new user of the
		// district joins the district team.
		w := call(t, h, "PATCH", "/api/v1/users/"+env.users["insp1b"].ID, `{"version":1,"area_code":"D1"}`, admin)
		if u := decodeInto[userBody](t, w); w.Code != 200 || u.AreaCode != "D1" || len(u.Warnings) != 0 {
			t.Fatalf("widening a member's jurisdiction: %d %s", w.Code, w.Body)
		}
		w = call(t, h, "POST", "/api/v1/users", userJSON(func(m map[string]any) { m["area_code"], m["team_id"] = "D1", env.teams["T1"].ID }), admin)
		if w.Code != http.StatusCreated {
			t.Fatalf("a D1 user in the D1 team: %d %s", w.Code, w.Body)
		}
	})
}

// Taking the last enabled member out of a team is accepted (an account must be closable at
// once) with a warning naming the team, which gets no visits until it has a member again.
func TestTakingATeamsLastMemberWarns(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		h := env.srv
		admin := env.as(t, "admin")
		patch := func(user, body string) userBody {
			t.Helper()
			w := call(t, h, "PATCH", "/api/v1/users/"+env.users[user].ID, body, admin, english())
			if w.Code != 200 {
				t.Fatalf("PATCH %s %s: %d %s", user, body, w.Code, w.Body)
			}
			return decodeInto[userBody](t, w)
		}
		// T1 keeps lead1.
		if u := patch("insp1", `{"version":1,"team_id":""}`); u.TeamID != nil || len(u.Warnings) != 0 {
			t.Fatalf("insp1 out of T1: %+v", u)
		}
		// T2's only member is disabled; T1b's only member leaves it.
		if u := patch("insp2", `{"version":1,"disabled":true}`); len(u.Warnings) != 1 || !strings.Contains(u.Warnings[0], "Tổ T2") || !strings.Contains(u.Warnings[0], "no enabled member") {
			t.Fatalf("disabling insp2: %+v", u)
		}
		if u := patch("insp1b", `{"version":1,"team_id":""}`); len(u.Warnings) != 1 || !strings.Contains(u.Warnings[0], "Tổ T1b") {
			t.Fatalf("insp1b out of T1b: %+v", u)
		}
		// The teams say so too.
		planner := env.as(t, "planner")
		for _, key := range []string{"T2", "T1b"} {
			w := call(t, h, "GET", "/api/v1/teams/"+env.teams[key].ID, "", planner, english())
			if b := decodeInto[teamBody](t, w); w.Code != 200 || len(b.Warnings) != 1 || !strings.Contains(b.Warnings[0], "no enabled member") {
				t.Fatalf("%s: %d %s", key, w.Code, w.Body)
			}
		}
		// Enabling insp2 again (or anything that does not empty a team) warns of nothing.
		if u := patch("insp2", `{"version":2,"disabled":false}`); len(u.Warnings) != 0 {
			t.Fatalf("enabling insp2: %+v", u)
		}
	})
}
