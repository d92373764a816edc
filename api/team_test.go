package api

import (
	"encoding/json"
	"kiemtra/auth"
	"net/http"
	"slices"
	"strings"
	"testing"

	"kiemtra/models"
)

// teamBody is the answer of the team endpoints.
type teamBody struct {
	ID          string        `json:"id"`
	AreaCode    string        `json:"area_code"`
	Version     int           `json:"version"`
	WorkingDays []int         `json:"working_days"`
	Members     []models.User `json:"members"`
	Warnings    []string      `json:"warnings"`
}

func (b teamBody) memberNames() string {
	var out []string
	for _, m := range b.Members {
		out = append(out, m.Username)
	}
	return strings.Join(out, ",")
}

// teamJSON is a POST /teams body for a D1 team of insp1 (labour) and lead1 (police), with
// changes.
func (env *authEnv) teamJSON(change func(m map[string]any)) string {
	m := map[string]any{"name": "Tổ liên ngành mới", "level": "district", "area_code": "D1", "base_lat": 10.03, "base_lon": 105.04,
		"weekly_capacity": 12, "working_days": []int{1, 2, 3, 4, 5, 6}, "members": []string{env.users["insp1"].ID, env.users["lead1"].ID}}
	if change != nil {
		change(m)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func TestCreateTeam(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		h := env.srv
		planner := env.as(t, "planner")
		for _, tc := range []struct {
			name   string
			change func(m map[string]any)
			field  string
		}{
			{"no members", func(m map[string]any) { m["members"] = []string{} }, "members"},
			{"members left out", func(m map[string]any) { delete(m, "members") }, "members"},
			{"an unknown member", func(m map[string]any) { m["members"] = []string{"nobody"} }, "members"},
			{"a disabled member", func(m map[string]any) { m["members"] = []string{env.users["off"].ID} }, "members"},
			// insp1b works in ward D11 and could not open the district team's tasks elsewhere.
			{"a member from a ward of the district", func(m map[string]any) { m["members"] = []string{env.users["insp1"].ID, env.users["insp1b"].ID} }, "members"},
			{"a base in another district", func(m map[string]any) { m["base_lat"], m["base_lon"] = 10.03, 105.15 }, "base_lat"},
			{"a base outside the city", func(m map[string]any) { m["base_lat"], m["base_lon"] = 10.5, 105.05 }, "base_lat"},
			{"a base on the equator below the district", func(m map[string]any) { m["base_lat"], m["base_lon"] = 0.0, 105.05 }, "base_lat"},
			{"no base", func(m map[string]any) { m["base_lat"], m["base_lon"] = 0.0, 0.0 }, "base_lat"},
			{"an unknown area", func(m map[string]any) { m["area_code"] = "X9" }, "area_code"},
			{"an unknown level", func(m map[string]any) { m["level"] = "province" }, "level"},
			{"a ward team of a district", func(m map[string]any) { m["level"] = "ward" }, "level"},
			{"a city team of a district", func(m map[string]any) { m["level"] = "city" }, "level"},
			{"no name", func(m map[string]any) { m["name"] = "  " }, "name"},
			{"a capacity of 0", func(m map[string]any) { m["weekly_capacity"] = 0 }, "weekly_capacity"},
			{"no working days", func(m map[string]any) { m["working_days"] = []int{} }, "working_days"},
			{"a working day 8", func(m map[string]any) { m["working_days"] = []int{1, 8} }, "working_days"},
		} {
			t.Run(tc.name+" is 400", func(t *testing.T) {
				w := call(t, h, "POST", "/api/v1/teams", env.teamJSON(tc.change), planner, english())
				if e := decodeError(t, w); w.Code != 400 || e.Field != tc.field {
					t.Fatalf("%d %s; want 400 on %s", w.Code, w.Body, tc.field)
				}
			})
		}
		t.Run("a district planner cannot make a team of another district", func(t *testing.T) {
			w := call(t, h, "POST", "/api/v1/teams", env.teamJSON(func(m map[string]any) {
				m["area_code"], m["base_lat"], m["base_lon"], m["members"] = "D2", 10.03, 105.15, []string{env.users["insp2"].ID}
			}), env.as(t, "d1planner"))
			if e := decodeError(t, w); w.Code != 400 || e.Field != "area_code" {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
		})
		t.Run("an interagency team is created, and the team it empties is named", func(t *testing.T) {
			w := call(t, h, "POST", "/api/v1/teams", env.teamJSON(nil), planner, english())
			b := decodeInto[teamBody](t, w)
			// insp1 and lead1 were T1's members: T1 is left without one.
			if w.Code != http.StatusCreated || b.memberNames() != "insp1,lead1" || len(b.Warnings) != 1 || !strings.Contains(b.Warnings[0], `team "Tổ T1" has no enabled member left`) || !slices.Equal(b.WorkingDays, []int{1, 2, 3, 4, 5, 6}) ||
				w.Header().Get("Location") != "/api/v1/teams/"+b.ID {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			u, _ := env.db.FindUserByID(t.Context(), env.users["insp1"].ID)
			if u.TeamID == nil || *u.TeamID != b.ID {
				t.Fatalf("insp1's team is %v", u.TeamID)
			}
		})
		t.Run("a team of one agency is created with a warning", func(t *testing.T) {
			w := call(t, h, "POST", "/api/v1/teams", env.teamJSON(func(m map[string]any) {
				m["area_code"], m["base_lat"], m["base_lon"], m["members"] = "D2", 10.03, 105.15, []string{env.users["insp2"].ID}
			}), planner, english())
			b := decodeInto[teamBody](t, w)
			// insp2 was T2's only member: T2 is left empty, which the answer says too.
			if w.Code != http.StatusCreated || len(b.Warnings) != 2 || !strings.Contains(b.Warnings[0], "two agencies") ||
				!strings.Contains(b.Warnings[1], "Tổ T2") || !strings.Contains(b.Warnings[1], "no enabled member") {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
		})
	})
}

func TestUpdateTeam(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		h := env.srv
		planner := env.as(t, "planner")
		w := call(t, h, "POST", "/api/v1/teams", env.teamJSON(nil), planner)
		team := decodeInto[teamBody](t, w)
		if w.Code != http.StatusCreated {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
		path := "/api/v1/teams/" + team.ID
		w = call(t, h, "PATCH", path, `{"version":1,"members":["`+env.users["lead1"].ID+`","`+env.users["viewer1"].ID+`"],"weekly_capacity":15}`, planner)
		b := decodeInto[teamBody](t, w)
		if w.Code != 200 || b.Version != 2 || b.memberNames() != "lead1,viewer1" {
			t.Fatalf("replace the members: %d %s", w.Code, w.Body)
		}
		for _, name := range []string{"insp1"} {
			if u, _ := env.db.FindUserByID(t.Context(), env.users[name].ID); u.TeamID != nil {
				t.Errorf("%s is still in a team (%s) after the members were replaced", name, *u.TeamID)
			}
		}
		w = call(t, h, "PATCH", path, `{"version":2,"name":"Tổ đổi tên"}`, planner)
		if b := decodeInto[teamBody](t, w); w.Code != 200 || b.memberNames() != "lead1,viewer1" {
			t.Fatalf("a change without members keeps them: %d %s", w.Code, w.Body)
		}
		for _, tc := range []struct {
			name, body string
			status     int
			field      string
		}{
			{"a stale version is 409", `{"version":2,"name":"x"}`, 409, ""},
			{"a missing version is 400", `{"name":"x"}`, 400, "version"},
			{"an empty member list is 400", `{"version":3,"members":[]}`, 400, "members"},
			{"a base moved out of the jurisdiction is 400", `{"version":3,"base_lon":105.15}`, 400, "base_lat"},
			{"a jurisdiction that does not hold the base is 400", `{"version":3,"area_code":"D2"}`, 400, "base_lat"},
			{"an unknown member is 400", `{"version":3,"members":["nobody"]}`, 400, "members"},
			{"a ward inspector in the district team is 400", `{"version":3,"members":["` + env.users["insp1b"].ID + `"]}`, 400, "members"},
			{"a decision number without its date is 400", `{"version":3,"decision_no":"12/QĐ-UBND","decision_by":"Chủ tịch UBND"}`, 400, "decision_date"},
			{"a decision date without its number is 400", `{"version":3,"decision_date":"2026-01-05","decision_by":"Chủ tịch UBND"}`, 400, "decision_no"},
			{"a decision date that is no date is 400", `{"version":3,"decision_no":"12/QĐ-UBND","decision_date":"5/1/2026","decision_by":"Chủ tịch UBND"}`, 400, "decision_date"},
			{"a decision without its signer is 400", `{"version":3,"decision_no":"12/QĐ-UBND","decision_date":"2026-01-05"}`, 400, "decision_by"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := call(t, h, "PATCH", path, tc.body, planner)
				if e := decodeError(t, w); w.Code != tc.status || e.Field != tc.field {
					t.Fatalf("%d %s; want %d on %q", w.Code, w.Body, tc.status, tc.field)
				}
			})
		}
		type decision struct {
			Version      int         `json:"version"`
			DecisionNo   string      `json:"decision_no"`
			DecisionDate models.Date `json:"decision_date"`
			DecisionBy   string      `json:"decision_by"`
		}
		w = call(t, h, "PATCH", path, `{"version":3,"decision_no":" 12/QĐ-UBND ","decision_date":"2026-01-05","decision_by":"Chủ tịch UBND thành phố"}`, planner)
		if b := decodeInto[decision](t, w); w.Code != 200 || b.DecisionNo != "12/QĐ-UBND" || b.DecisionDate != models.NewDate(2026, 1, 5) || b.Version != 4 {
			t.Fatalf("record the team's decision: %d %s", w.Code, w.Body)
		}
		w = call(t, h, "PATCH", path, `{"version":4,"decision_no":""}`, planner)
		if b := decodeInto[decision](t, w); w.Code != 200 || b.DecisionNo != "" || !b.DecisionDate.IsZero() || b.DecisionBy != "" {
			t.Fatalf("an empty number removes the whole decision: %d %s", w.Code, w.Body)
		}
		if w := call(t, h, "PATCH", "/api/v1/teams/nope", `{"version":1,"name":"x"}`, planner); w.Code != 404 {
			t.Fatalf("an unknown team: %d", w.Code)
		}
		if w := call(t, h, "PATCH", "/api/v1/teams/"+env.teams["T2"].ID, `{"version":1,"name":"x"}`, env.as(t, "d1planner")); w.Code != 404 {
			t.Fatalf("a D1 planner changing a D2 team: %d", w.Code)
		}
	})
}

func TestTeamsAreSeenOnlyWhereTheCallerMaySeeThem(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		h := env.srv
		for _, tc := range []struct {
			user      string
			list      []string // teams listed (nil: the list is forbidden)
			get, miss []string // teams answered 200 and 404
		}{
			{"planner", []string{"T1", "T1b", "T2"}, []string{"T1", "T1b", "T2"}, nil},
			{"d1planner", []string{"T1", "T1b"}, []string{"T1", "T1b"}, []string{"T2"}},
			{"viewer1", []string{"T1", "T1b"}, []string{"T1", "T1b"}, []string{"T2"}},
			{"lead1", []string{"T1"}, []string{"T1"}, []string{"T1b", "T2"}},
			{"insp1", nil, []string{"T1"}, []string{"T1b", "T2"}},
			{"insp1b", nil, []string{"T1b"}, []string{"T1", "T2"}},
		} {
			t.Run(tc.user, func(t *testing.T) {
				tok := env.as(t, tc.user)
				w := call(t, h, "GET", "/api/v1/teams", "", tok)
				if tc.list == nil {
					if w.Code != http.StatusForbidden {
						t.Fatalf("list: %d, want 403", w.Code)
					}
				} else {
					var got []string
					for _, b := range decodeInto[struct{ Items []teamBody }](t, w).Items {
						for key, team := range env.teams {
							if team.ID == b.ID {
								got = append(got, key)
							}
						}
					}
					slices.Sort(got)
					if w.Code != 200 || !slices.Equal(got, tc.list) {
						t.Fatalf("list: %d %v, want %v", w.Code, got, tc.list)
					}
				}
				for _, key := range tc.get {
					if w := call(t, h, "GET", "/api/v1/teams/"+env.teams[key].ID, "", tok); w.Code != 200 {
						t.Errorf("GET %s: %d, want 200", key, w.Code)
					}
				}
				for _, key := range tc.miss {
					w := call(t, h, "GET", "/api/v1/teams/"+env.teams[key].ID, "", tok)
					if e := decodeError(t, w); w.Code != 404 || e.Code != models.ENOTFOUND {
						t.Errorf("GET %s: %d, want 404", key, w.Code)
					}
				}
			})
		}
	})
}

// A team moved to another area keeps only members who may work there: without a new member
// list the current members are checked against the new area.
func TestMovingATeamChecksItsCurrentMembers(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		h := env.srv
		planner := env.as(t, "planner")
		path := "/api/v1/teams/" + env.teams["T1b"].ID
		// T1b (ward D11, member insp1b of D11) moved to the ward D12, base and all.
		w := call(t, h, "PATCH", path, `{"version":1,"area_code":"D12","base_lat":10.07,"base_lon":105.04}`, planner)
		if e := decodeError(t, w); w.Code != 400 || e.Field != "area_code" {
			t.Fatalf("moving T1b away from its member: %d %s", w.Code, w.Body)
		}
		// As a district team of a ward: the level does not fit.
		w = call(t, h, "PATCH", path, `{"version":1,"level":"district"}`, planner)
		if e := decodeError(t, w); w.Code != 400 || e.Field != "level" {
			t.Fatalf("a district team of a ward: %d %s", w.Code, w.Body)
		}
		// With a member of the district, the move is fine; insp1's team T1 keeps lead1.
		w = call(t, h, "PATCH", path, `{"version":1,"area_code":"D12","base_lat":10.07,"base_lon":105.04,"members":["`+env.users["insp1"].ID+`"]}`, planner, english())
		b := decodeInto[teamBody](t, w)
		if w.Code != 200 || b.AreaCode != "D12" || b.memberNames() != "insp1" || len(b.Warnings) != 1 || !strings.Contains(b.Warnings[0], "two agencies") {
			t.Fatalf("moving T1b with a new member: %d %s", w.Code, w.Body)
		}
	})
}

// Disabled members neither count as an agency of the team nor keep it staffed.
func TestTeamWarningsIgnoreDisabledMembers(t *testing.T) {
	user := func(agency string, disabled bool) *models.User {
		return &models.User{Agency: agency, Disabled: disabled}
	}
	for _, tc := range []struct {
		name    string
		members []*models.User
		want    []string
	}{
		{"police and labour", []*models.User{user("police", false), user("labour", false)}, nil},
		{"police, and labour disabled", []*models.User{user("police", false), user("labour", true)}, []string{"two agencies"}},
		{"every member disabled", []*models.User{user("police", true), user("labour", true)}, []string{"no enabled member"}},
		{"no members", nil, []string{"no enabled member"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := TeamWarnings(tc.members, false)
			if len(got) != len(tc.want) {
				t.Fatalf("warnings %q, want %q", got, tc.want)
			}
			for i := range got {
				if !strings.Contains(got[i], tc.want[i]) {
					t.Fatalf("warnings %q, want %q", got, tc.want)
				}
			}
			if vi := TeamWarnings(tc.members, true); len(vi) != len(got) || (len(vi) > 0 && vi[0] == got[0]) {
				t.Fatalf("Vietnamese warnings %q", vi)
			}
		})
	}
}

// Since the district level went, a team serves a cluster of communes: its jurisdiction is the
// smallest unit holding them, its members must cover that unit, and its units must be in force.
func TestAClusterTeamServesASetOfUnits(t *testing.T) {
	runAuthEnv(t, func(t *testing.T, env *authEnv) {
		planner := env.as(t, "planner")
		cluster := func(change func(m map[string]any)) string {
			return env.teamJSON(func(m map[string]any) {
				delete(m, "area_code")
				delete(m, "level")
				m["areas"] = []string{"D11", "D21"}
				m["base_lat"], m["base_lon"] = 10.03, 105.04
				m["members"] = []string{env.users["admin"].ID, env.users["planner"].ID}
				if change != nil {
					change(m)
				}
			})
		}
		for _, tc := range []struct {
			name   string
			change func(m map[string]any)
			field  string
		}{
			{"an unknown unit", func(m map[string]any) { m["areas"] = []string{"D11", "X9"} }, "areas"},
			{"a unit twice", func(m map[string]any) { m["areas"] = []string{"D11", "D11"} }, "areas"},
			{"an area_code that does not hold them", func(m map[string]any) { m["area_code"] = "D1" }, "area_code"},
			{"members who do not cover the cluster", func(m map[string]any) { m["members"] = []string{env.users["insp1"].ID} }, "members"},
		} {
			t.Run(tc.name+" is 400", func(t *testing.T) {
				w := call(t, env.srv, "POST", "/api/v1/teams", cluster(tc.change), planner, english())
				if e := decodeError(t, w); w.Code != 400 || e.Field != tc.field {
					t.Fatalf("%d %s; want 400 on %s", w.Code, w.Body, tc.field)
				}
			})
		}
		w := call(t, env.srv, "POST", "/api/v1/teams", cluster(nil), planner, english())
		var b struct {
			teamBody
			Level string   `json:"level"`
			Areas []string `json:"areas"`
		}
		json.Unmarshal(w.Body.Bytes(), &b)
		if w.Code != http.StatusCreated || b.AreaCode != "92" || b.Level != models.TeamLevelCluster || !slices.Equal(b.Areas, []string{"D11", "D21"}) {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		tm, _ := env.db.FindTeamByID(t.Context(), b.ID)
		if !slices.Equal(tm.Areas, []string{"D11", "D21"}) {
			t.Fatalf("stored units %v", tm.Areas)
		}

		// A member of the cluster is an officer of the city, but works and sees only the
		// cluster: its businesses are listed and open, one of another ward is not found.
		outside := &models.Business{Name: "Karaoke Bắc", Category: "karaoke", Lat: 10.075, Lon: 105.05, AreaCode: "D12", Status: models.BusinessActive, OpenedOn: models.NewDate(2018, 1, 1)}
		if err := env.db.CreateBusinesses(t.Context(), "t", []*models.Business{outside}); err != nil {
			t.Fatal(err)
		}
		hash, err := auth.HashPassword(envPassword, envParams)
		if err != nil {
			t.Fatal(err)
		}
		member := &models.User{Username: "cluster1", DisplayName: "Người cụm", Role: models.RoleInspector, Agency: models.AgencyHealth, AreaCode: "92", PasswordHash: hash, TeamID: &b.ID}
		if err := env.db.CreateUser(t.Context(), "t", member); err != nil {
			t.Fatal(err)
		}
		env.users["cluster1"] = member
		as := env.as(t, "cluster1")
		var page struct {
			Items []models.Business `json:"items"`
		}
		w = call(t, env.srv, "GET", "/api/v1/businesses", "", as)
		json.Unmarshal(w.Body.Bytes(), &page)
		var got []string
		for _, it := range page.Items {
			got = append(got, it.AreaCode)
		}
		slices.Sort(got)
		if w.Code != 200 || !slices.Equal(got, []string{"D11", "D21"}) {
			t.Fatalf("the cluster member's businesses: %d %v", w.Code, got)
		}
		for path, want := range map[string]int{
			"/api/v1/businesses/" + env.biz["D11"]: 200,
			"/api/v1/businesses/" + env.biz["D21"]: 200,
			"/api/v1/businesses/" + outside.ID:     404,
			"/api/v1/businesses?area=D12":          404,
			"/api/v1/businesses?area=D21":          200,
		} {
			if w := call(t, env.srv, "GET", path, "", as); w.Code != want {
				t.Errorf("the cluster member reading %s: %d, want %d", path, w.Code, want)
			}
		}
		// The city-wide planner still sees the city.
		if w := call(t, env.srv, "GET", "/api/v1/businesses/"+outside.ID, "", planner); w.Code != 200 {
			t.Errorf("the planner reading a business outside the cluster: %d", w.Code)
		}
	})
}
