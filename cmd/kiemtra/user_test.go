package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// userCLIWorld is a database with a city (92), districts D1 and D2, the ward D11 of D1 and a team
// of D1, and the environment that points `kiemtra user` at it.
type userCLIWorld struct {
	env  map[string]string
	open func(t *testing.T) *store.DB
	team *models.Team
}

func newUserCLIWorld(t *testing.T, dialect string) *userCLIWorld {
	t.Helper()
	w := &userCLIWorld{}
	cfg := DefaultConfig()
	switch dialect {
	case store.DialectSQLite:
		dir := t.TempDir()
		w.env = map[string]string{"KIEMTRA_DATA_DIR": dir}
		cfg.DataDir = dir
	default:
		url := storetest.PostgresURL(t)
		w.env = map[string]string{"DATABASE_URL": url, "KIEMTRA_SECRET": testSecret}
		cfg.DatabaseURL, cfg.Secret = url, w.env["KIEMTRA_SECRET"]
	}
	w.open = func(t *testing.T) *store.DB {
		t.Helper()
		db, err := openStore(context.Background(), &cfg, 2)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
		return db
	}
	ctx := context.Background()
	db := w.open(t)
	p := func(s string) *string { return &s }
	if err := db.UpsertAreas(ctx, "t", []*models.Area{
		{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity},
		{Code: "D1", ParentCode: p("92"), Name: "Quận 1", Level: models.AreaLevelDistrict},
		{Code: "D2", ParentCode: p("92"), Name: "Quận 2", Level: models.AreaLevelDistrict},
		{Code: "D11", ParentCode: p("D1"), Name: "Phường 11", Level: models.AreaLevelWard},
	}); err != nil {
		t.Fatal(err)
	}
	w.team = &models.Team{Name: "Tổ D1", Level: models.TeamLevelDistrict, AreaCode: "D1", BaseLat: 10.03, BaseLon: 105.77, WeeklyCapacity: 10}
	if err := db.CreateTeam(ctx, "t", w.team); err != nil {
		t.Fatal(err)
	}
	return w
}

// run runs `kiemtra user ...` with the password on standard input.
func (w *userCLIWorld) run(t *testing.T, password string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &Env{Stdin: strings.NewReader(password + "\n"), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return w.env[k] }}
	code := Run(context.Background(), e, append([]string{"user"}, args...))
	return code, out.String(), errb.String()
}

// TestUserAdd checks `kiemtra user add` as the API checks POST /users: the username's form, the
// role, agency and area, and a team that exists and lies in the user's jurisdiction.
func TestUserAdd(t *testing.T) {
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		t.Run(dialect, func(t *testing.T) {
			w := newUserCLIWorld(t, dialect)
			const password = "long enough password"
			add := func(username, role, area, team string, extra ...string) []string {
				args := []string{"add", "--username", username, "--role", role, "--area", area, "--agency", "police"}
				if team != "" {
					args = append(args, "--team", team)
				}
				return append(args, extra...)
			}
			team := w.team.ID
			for _, tc := range []struct {
				name     string
				args     []string
				code     int
				contains string // in standard error (or output when the command succeeds)
				stored   string // the username stored, "" for none
			}{
				{"a district inspector of its district's team", add(" Lan.Nguyen ", models.RoleInspector, "D1", team), 0, "user lan.nguyen added", "lan.nguyen"},
				{"a city-wide lead of a district team", add("city.lead", models.RoleTeamLead, "92", team), 0, "user city.lead added", "city.lead"},
				{"a planner without a team", add("planner-2", models.RolePlanner, "D2", ""), 0, "user planner-2 added", "planner-2"},
				{"a one-letter username", add("a", models.RoleInspector, "D1", ""), 1, "username", ""},
				{"a username with a space", add("lan nguyen", models.RoleInspector, "D1", ""), 1, "username", ""},
				{"a username with accents", add("người", models.RoleInspector, "D1", ""), 1, "username", ""},
				{"a username starting with a dot", add(".lan", models.RoleInspector, "D1", ""), 1, "username", ""},
				{"a username of 41 characters", add(strings.Repeat("u", 41), models.RoleInspector, "D1", ""), 1, "username", ""},
				{"an unknown role", add("boss", "boss", "D1", ""), 1, "role", ""},
				{"an unknown agency", add("army", models.RoleInspector, "D1", "", "--agency", "army"), 1, "agency", ""},
				{"a dissolved agency, with the active ones listed", add("labour.1", models.RoleInspector, "D1", "", "--agency", models.AgencyLabour), 1, "active agencies: commune, court, culture, education, fatherland_front, health, home_affairs, justice, other, police, press, procuracy, science, womens_union", ""},
				{"a health department inspector", add("health.1", models.RoleInspector, "D1", "", "--agency", models.AgencyHealth), 0, "user health.1 added", "health.1"},
				{"an unknown area", add("nowhere", models.RoleInspector, "X9", ""), 1, "area", ""},
				{"an unknown team", add("teamless", models.RoleInspector, "D1", "no-such-team"), 1, "unknown team", ""},
				{"a user of another district in the team", add("d2.member", models.RoleInspector, "D2", team), 1, "does not cover", ""},
				{"a ward user in its district's team", add("ward.member", models.RoleInspector, "D11", team), 1, "does not cover", ""},
				{"every wrong flag at once", add("x", "boss", "X9", "no-such-team"), 1, "4 fields are invalid", ""},
				{"a taken username", add("LAN.NGUYEN", models.RoleInspector, "D1", ""), 1, "conflict", ""},
				{"no username", []string{"add", "--role", "inspector", "--area", "D1"}, 2, "--username is required", ""},
			} {
				t.Run(tc.name, func(t *testing.T) {
					db := w.open(t)
					before, err := db.FindUsers(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					code, out, errOut := w.run(t, password, tc.args...)
					text := errOut
					if code == 0 {
						text = out
					}
					if code != tc.code || !strings.Contains(text, tc.contains) {
						t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant it to contain %q", code, tc.code, out, errOut, tc.contains)
					}
					after, err := db.FindUsers(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					if tc.stored == "" {
						if len(after) != len(before) {
							t.Fatalf("%d users stored by a refused command", len(after)-len(before))
						}
						return
					}
					u, err := db.FindUserByUsername(context.Background(), tc.stored)
					if err != nil || len(after) != len(before)+1 {
						t.Fatalf("user %s: %v (%d users, were %d)", tc.stored, err, len(after), len(before))
					}
					wantTeam := ""
					for i := 0; i+1 < len(tc.args); i++ {
						if tc.args[i] == "--team" {
							wantTeam = tc.args[i+1]
						}
					}
					gotTeam := ""
					if u.TeamID != nil {
						gotTeam = *u.TeamID
					}
					if gotTeam != wantTeam {
						t.Fatalf("user %s is in team %q, want %q", tc.stored, gotTeam, wantTeam)
					}
				})
			}
			t.Run("a weak password is refused with its reason", func(t *testing.T) {
				db := w.open(t)
				for _, tc := range []struct{ name, password, contains string }{
					{"the username with digits", "pw.user.2026", "username"},
					{"the display name", "Trần Văn Phú", "display name"},
					{"the demo password", "kiemtra-demo", "demo password"},
					{"a common password with digits", "password1234", "common password"},
					{"twelve NULs", strings.Repeat("\x00", 12), "control characters"},
				} {
					code, _, errOut := w.run(t, tc.password, add("pw.user", models.RoleInspector, "D1", "", "--display-name", "Trần Văn Phú")...)
					if code != 1 || !strings.Contains(errOut, tc.contains) {
						t.Fatalf("%s: exit %d, %s; want 1 about %q", tc.name, code, errOut, tc.contains)
					}
					if _, err := db.FindUserByUsername(context.Background(), "pw.user"); !models.IsCode(err, models.ENOTFOUND) {
						t.Fatalf("%s: the user was stored: %v", tc.name, err)
					}
				}
				if code, _, errOut := w.run(t, "kiemtra-demo", "passwd", "--username", "lan.nguyen"); code != 1 || !strings.Contains(errOut, "demo password") {
					t.Fatalf("passwd to the demo password: exit %d, %s", code, errOut)
				}
			})
		})
	}
}
