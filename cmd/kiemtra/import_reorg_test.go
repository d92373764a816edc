package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"kiemtra/demo"
	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/registry"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// The "Done when" for the command: on a database with the old city's 2021 units, its
// registry, teams and users, `kiemtra import reorganisation` of the embedded 2025 mapping (no
// polygons) lists the businesses per new unit, the reviews and the teams and users to map;
// applying refuses while decisions are open, then moves everything with the counts equal; a
// second apply is refused.
func TestImportReorganisationOfTheCantho2025Mapping(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  func(t *testing.T) map[string]string
	}{
		{store.DialectSQLite, func(t *testing.T) map[string]string { return map[string]string{"KIEMTRA_DATA_DIR": t.TempDir()} }},
		{store.DialectPostgres, func(t *testing.T) map[string]string {
			return map[string]string{"DATABASE_URL": storetest.PostgresURL(t), "KIEMTRA_SECRET": testSecret}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := tc.env(t)
			db := load2021Registry(t, env)
			file := "../../refdata/data/cantho_units_2025.json"
			count := func(q string) int {
				t.Helper()
				var n int64
				if err := db.Gorm().Raw(q).Scan(&n).Error; err != nil {
					t.Fatal(err)
				}
				return int(n)
			}
			before := [3]int{count("SELECT COUNT(*) FROM businesses"), count("SELECT COUNT(*) FROM tasks"), count("SELECT COUNT(*) FROM tips")}

			code, out, errOut := runCLI(t, env, "import", "reorganisation", file, "--dry-run", "--json")
			if code != 0 {
				t.Fatalf("dry run: exit %d: %s", code, errOut)
			}
			var dry models.ReorgReport
			if err := json.Unmarshal([]byte(out), &dry); err != nil {
				t.Fatalf("dry run's report: %v\n%s", err, out)
			}
			perUnit := 0
			for _, u := range dry.Units {
				perUnit += u.Businesses
			}
			// 103 new units; the old city's 1,500 businesses all move (some of a split ward
			// to review, with their candidates); the nine district teams and their members
			// are to be mapped; the city team and the city-wide users keep their unit.
			if len(dry.Units) != 103 || dry.MovedBusinesses != 1500 || perUnit != 1500 || len(dry.Reviews) == 0 ||
				len(dry.Teams) != 9 || len(dry.Users) != 27 || dry.Before != dry.After || len(dry.Problems) != 0 || len(dry.External) == 0 {
				t.Fatalf("dry run: %d units, %d moved (%d per unit), %d reviews, %d teams, %d users, %+v -> %+v, problems %v",
					len(dry.Units), dry.MovedBusinesses, perUnit, len(dry.Reviews), len(dry.Teams), len(dry.Users), dry.Before, dry.After, dry.Problems)
			}
			for _, r := range dry.Reviews {
				if len(strings.Split(r.Candidates, ",")) < 2 {
					t.Fatalf("review of %s without a choice: %s", r.SubjectID, r.Candidates)
				}
			}
			if n := count("SELECT COUNT(*) FROM reorganisations"); n != 0 {
				t.Fatalf("the dry run stored %d reorganisations", n)
			}

			// Applying with open decisions is refused, and nothing moves.
			if code, _, errOut := runCLI(t, env, "import", "reorganisation", file, "--apply"); code == 0 || !strings.Contains(errOut, "open") {
				t.Fatalf("apply with open decisions: exit %d: %s", code, errOut)
			}
			if n := count("SELECT COUNT(*) FROM area_moves"); n != 0 {
				t.Fatalf("%d moves after a refused apply", n)
			}
			code, out, errOut = runCLI(t, env, "import", "reorganisation", file, "--accept-proposals", "--apply")
			if code != 0 || !strings.Contains(out, "applied") {
				t.Fatalf("accept and apply: exit %d: %s\n%s", code, errOut, out)
			}
			after := [3]int{count("SELECT COUNT(*) FROM businesses"), count("SELECT COUNT(*) FROM tasks"), count("SELECT COUNT(*) FROM tips")}
			if after != before || count("SELECT COUNT(*) FROM area_moves WHERE entity_type = 'business'") != 1500 {
				t.Fatalf("businesses, tasks, tips: %v before, %v after", before, after)
			}
			if n := count("SELECT COUNT(*) FROM businesses b JOIN areas a ON a.code = b.area_code WHERE a.valid_to IS NOT NULL"); n != 0 {
				t.Fatalf("%d businesses left in ended units", n)
			}
			if code, _, errOut := runCLI(t, env, "import", "reorganisation", file, "--apply"); code == 0 || !strings.Contains(errOut, "applied") {
				t.Fatalf("a second apply: exit %d: %s", code, errOut)
			}
			hungLoi, err := db.FindAreaOn(context.Background(), "31147", models.NewDate(2024, 6, 1))
			if err != nil || hungLoi.Name != "Phường Hưng Lợi" {
				t.Fatalf("31147 in 2024: %+v %v", hungLoi, err)
			}
			tanAn, err := db.FindAreaOn(context.Background(), "31147", models.NewDate(2026, 12, 2))
			if err != nil || tanAn.Name != "Phường Tân An" {
				t.Fatalf("31147 in 2026: %+v %v", tanAn, err)
			}
		})
	}
}

// load2021Registry stores the demo's 2021 map, registry, teams and users (no history) in the
// database env names, and returns it open.
func load2021Registry(t *testing.T, env map[string]string) *store.DB {
	t.Helper()
	ctx := context.Background()
	cfg := DefaultConfig()
	if err := cfg.LoadEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	db, err := openStore(ctx, &cfg, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	ds, err := demo.Generate(demo.DefaultOptions(demoToday))
	if err != nil {
		t.Fatal(err)
	}
	cats, err := refdata.CategorySet()
	if err != nil {
		t.Fatal(err)
	}
	err = db.Transaction(ctx, func(tx *store.DB) error {
		reg := registry.New(registry.Config{Store: tx, Categories: cats, Now: func() time.Time { return ds.Today.Time(time.UTC) }})
		return demo.Load(ctx, tx, reg, ds)
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}
