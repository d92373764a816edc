package reorg_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/reorg"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func ptr(s string) *string { return &s }

// seed stores the old city of the pure tests (92 with D1: 101, 102 and D2: 201), businesses in
// each ward, a tip, a district team and users.
func seed(t *testing.T, db *store.DB) (bizByWard map[string][]string, team *models.Team) {
	t.Helper()
	ctx := context.Background()
	start := models.NewDate(2004, 1, 1)
	var areas []*models.Area
	for _, a := range []struct{ code, parent, level, name string }{
		{"92", "", models.AreaLevelCity, "Thành phố Cần Thơ"},
		{"D1", "92", models.AreaLevelDistrict, "Quận Một"}, {"D2", "92", models.AreaLevelDistrict, "Quận Hai"},
		{"101", "D1", models.AreaLevelWard, "Phường Hưng Lợi"}, {"102", "D1", models.AreaLevelWard, "Phường An Bình"},
		{"201", "D2", models.AreaLevelWard, "Phường Tân An"},
	} {
		x := &models.Area{Code: a.code, Name: a.name, Level: a.level, ValidFrom: start}
		if a.parent != "" {
			x.ParentCode = ptr(a.parent)
		}
		areas = append(areas, x)
	}
	if err := db.UpsertAreas(ctx, "t", areas); err != nil {
		t.Fatal(err)
	}
	bizByWard = map[string][]string{}
	for _, b := range []struct {
		ward     string
		lat, lon float64
	}{{"101", 10.03, 105.01}, {"101", 10.04, 105.02}, {"102", 10.02, 105.021}, {"102", 10.02, 105.079}, {"201", 10.02, 105.09}} {
		biz := &models.Business{Name: "Karaoke " + b.ward, Category: "karaoke", Lat: b.lat, Lon: b.lon, AreaCode: b.ward, Status: models.BusinessActive, OpenedOn: models.NewDate(2018, 1, 1)}
		if err := db.CreateBusinesses(ctx, "t", []*models.Business{biz}); err != nil {
			t.Fatal(err)
		}
		bizByWard[b.ward] = append(bizByWard[b.ward], biz.ID)
	}
	tip := &models.Tip{Channel: "hotline", ReceivedAt: time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC), ReceivedBy: "t", Description: "Nghi có mua bán dâm", Status: models.TipReceived,
		Severity: "normal", BusinessID: &bizByWard["201"][0], AreaCode: ptr("201")}
	if err := db.CreateTip(ctx, "t", tip); err != nil {
		t.Fatal(err)
	}
	team = &models.Team{Name: "Tổ Quận Một", Level: models.TeamLevelDistrict, AreaCode: "D1", BaseLat: 10.03, BaseLon: 105.02, WeeklyCapacity: 10}
	if err := db.CreateTeam(ctx, "t", team); err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct{ name, area string }{{"d1.planner", "D1"}, {"city.planner", "92"}} {
		if err := db.CreateUser(ctx, "t", &models.User{Username: u.name, DisplayName: u.name, Role: models.RolePlanner, Agency: models.AgencyHealth, AreaCode: u.area, PasswordHash: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	return bizByWard, team
}

func spec() models.ReorgSpec {
	return models.ReorgSpec{Name: "Nghị quyết thử", EffectiveOn: models.NewDate(2025, 7, 1), Parent: "92", Units: []models.ReorgUnit{
		{Code: "101", Name: "Phường Tân An", Lat: 10.02, Lon: 105.02, From: []models.ReorgSource{
			{Code: "101", Part: models.PartFull, Province: "Thành phố Cần Thơ"}, {Code: "102", Part: models.PartPartial, Province: "Thành phố Cần Thơ"}}},
		{Code: "500", Name: "Xã Năm", Lat: 10.02, Lon: 105.08, From: []models.ReorgSource{
			{Code: "102", Part: models.PartPartial, Province: "Thành phố Cần Thơ"}, {Code: "201", Part: models.PartFull, Province: "Thành phố Cần Thơ"},
			{Code: "64100", Part: models.PartFull, Province: "Tỉnh Hậu Giang"}}},
	}}
}

func count(t *testing.T, db *store.DB, sql string, args ...any) int {
	t.Helper()
	var n int64
	if err := db.Gorm().Raw(sql, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestAReorganisationIsImportedReviewedAndAppliedOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		biz, team := seed(t, db)
		svc := reorg.NewService(db, nil)

		dry, err := svc.Import(ctx, "planner", spec(), true)
		if err != nil || dry.ID != "" || len(dry.Reviews) != 2 || len(dry.Teams) != 1 || len(dry.Users) != 1 || dry.MovedBusinesses != 5 {
			t.Fatalf("dry run: %+v, %v", dry, err)
		}
		if list, _ := db.FindReorganisations(ctx); len(list) != 0 {
			t.Fatal("a dry run stored the reorganisation")
		}
		draft, err := svc.Import(ctx, "planner", spec(), false)
		if err != nil || draft.ID == "" {
			t.Fatalf("import: %v", err)
		}
		if _, err := svc.Import(ctx, "planner", spec(), false); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("the same reorganisation imported twice: %v", err)
		}
		if _, err := svc.Apply(ctx, "planner", draft.ID); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("applied with open decisions: %v", err)
		}
		if _, err := svc.Settle(ctx, "planner", draft.ID, models.ReorgItemReview, biz["102"][0], []string{"201"}); !models.IsCode(err, models.EINVALID) {
			t.Fatalf("a review settled outside its candidates: %v", err)
		}
		if _, err := svc.Settle(ctx, "planner", draft.ID, models.ReorgItemReview, biz["102"][1], []string{"101@2025"}); err != nil {
			t.Fatalf("settle a review: %v", err)
		}
		if n, err := svc.AcceptProposals(ctx, "planner", draft.ID); err != nil || n != 3 {
			t.Fatalf("accept proposals: %d, %v", n, err)
		}
		before := count(t, db, "SELECT COUNT(*) FROM businesses") + count(t, db, "SELECT COUNT(*) FROM tips")
		applied, err := svc.Apply(ctx, "planner", draft.ID)
		if err != nil {
			t.Fatalf("apply: %v", err)
		}
		if applied.MovedBusinesses != 5 || applied.MovedTips != 1 {
			t.Fatalf("applied %+v", applied)
		}
		if after := count(t, db, "SELECT COUNT(*) FROM businesses") + count(t, db, "SELECT COUNT(*) FROM tips"); after != before {
			t.Fatalf("businesses and tips: %d before, %d after", before, after)
		}
		if _, err := svc.Apply(ctx, "planner", draft.ID); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("a second apply: %v", err)
		}

		// The map of each day, and the code reused.
		old, err := db.FindAreaOn(ctx, "101", models.NewDate(2024, 6, 1))
		if err != nil || old.Name != "Phường Hưng Lợi" || old.ValidTo != models.NewDate(2025, 6, 30) {
			t.Fatalf("101 in 2024: %+v %v", old, err)
		}
		now, err := db.FindAreaOn(ctx, "101", models.NewDate(2026, 12, 2))
		if err != nil || now.Code != "101@2025" || now.Name != "Phường Tân An" || now.Path != "/92/101@2025/" {
			t.Fatalf("101 in 2026: %+v %v", now, err)
		}
		for day, want := range map[models.Date]int{models.NewDate(2024, 6, 1): 6, models.NewDate(2026, 12, 2): 3} {
			if areas, _, err := db.FindAreas(ctx, models.AreaFilter{On: day}); err != nil || len(areas) != want {
				t.Fatalf("the tree of %s has %d units, want %d (%v)", day, len(areas), want, err)
			}
		}
		// Businesses moved, their history kept; the team and the user follow.
		b, _ := db.FindBusinessByID(ctx, biz["102"][1])
		if b.AreaCode != "101@2025" {
			t.Fatalf("the settled business is in %s", b.AreaCode)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM area_moves WHERE from_area = '102' AND effective_on = ?", models.NewDate(2025, 7, 1)); n != 2 {
			t.Fatalf("%d moves recorded from 102", n)
		}
		tm, _ := db.FindTeamByID(ctx, team.ID)
		if len(tm.Areas) != 2 || tm.AreaCode != "92" || tm.Level != models.TeamLevelCluster {
			t.Fatalf("the team after: %+v", tm)
		}
		u, _ := db.FindUserByUsername(ctx, "d1.planner")
		if u.AreaCode != "92" {
			t.Fatalf("the district planner's jurisdiction: %s", u.AreaCode)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM businesses WHERE area_code IN ('101','102','201','D1','D2')"); n != 0 {
			t.Fatalf("%d businesses left in ended units", n)
		}
		if v, err := db.VerifyAudit(ctx); err != nil || !v.OK {
			t.Fatalf("audit after apply: %+v %v", v, err)
		}
	})
}

// A reorganisation with problems is refused with its report, and nothing is stored.
func TestABadReorganisationIsRefusedWhole(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seed(t, db)
		s := spec()
		s.Units[0].From = append(s.Units[0].From, models.ReorgSource{Code: "777", Part: models.PartFull, Province: "Thành phố Cần Thơ"})
		rep, err := reorg.NewService(db, nil).Import(ctx, "planner", s, false)
		var pe *reorg.ProblemsError
		if !models.IsCode(err, models.EINVALID) || rep == nil || len(rep.Problems) != 1 || !asProblems(err, &pe) {
			t.Fatalf("import: %+v, %v", rep, err)
		}
		if list, _ := db.FindReorganisations(ctx); len(list) != 0 {
			t.Fatal("a refused reorganisation was stored")
		}
	})
}

func asProblems(err error, target **reorg.ProblemsError) bool { return errors.As(err, target) }
