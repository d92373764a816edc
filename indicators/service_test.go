package indicators_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kiemtra/indicators"
	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// TestSubmissionsAroundTheLock runs a half-year's figure past its deadline (15 July) on both
// dialects: a retry after the lock of a figure sent before it is the same submission, a
// correction after it needs a reason and is late, and a district planner cannot report for
// another district.
func TestSubmissionsAroundTheLock(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := func(s string) *string { return &s }
		if err := db.UpsertAreas(ctx, "t", []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity},
			{Code: "D1", ParentCode: p("92"), Name: "Ninh Kiều", TypeName: "Quận", Level: models.AreaLevelDistrict},
			{Code: "D2", ParentCode: p("92"), Name: "Cái Răng", TypeName: "Quận", Level: models.AreaLevelDistrict}}); err != nil {
			t.Fatal(err)
		}
		prog := &models.Programme{Code: "P", Name: "P", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31), RootAreaCode: p("92")}
		prog.ApplyDefaults()
		if err := db.CreateProgramme(ctx, "t", prog); err != nil {
			t.Fatal(err)
		}
		clock := time.Date(2026, 7, 14, 9, 0, 0, 0, time.UTC)
		svc := indicators.New(db, nil, func() time.Time { return clock }, time.UTC)
		officer := indicators.Caller{Username: "d1", Role: models.RoleReportingOfficer, Agency: models.AgencyCommune, Covers: func(path string) bool { return strings.HasPrefix(path, "/92/D1/") }}
		lead := indicators.Caller{Username: "lead", Role: models.RolePlanner, Agency: models.AgencyHealth, CityWide: true}
		n, d := 5.0, 8.0
		in := indicators.SubmitInput{ID: "6a0e4f0e-8a4b-4d0c-9a57-3b1f3f5c9a01", Programme: "P", Period: "2026-H1", Unit: "D1", Numerator: &n, Denominator: &d}
		first, created, err := svc.Submit(ctx, officer, "outreach_communes", in)
		if err != nil || !created || first.Late {
			t.Fatalf("%+v %v %v", first, created, err)
		}
		clock = time.Date(2026, 7, 16, 9, 0, 0, 0, time.UTC)
		if again, created, err := svc.Submit(ctx, officer, "outreach_communes", in); err != nil || created || again.ID != first.ID {
			t.Fatalf("a retry after the lock: %+v %v %v", again, created, err)
		}
		if _, err := svc.Review(ctx, lead, first.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		n = 6
		in.ID = "6a0e4f0e-8a4b-4d0c-9a57-3b1f3f5c9a02"
		if _, _, err := svc.Submit(ctx, officer, "outreach_communes", in); models.ErrorAs(err) == nil || models.ErrorAs(err).Field != "reason" {
			t.Fatalf("a correction after the lock without a reason: %v", err)
		}
		in.Reason = "Bổ sung buổi tuyên truyền tại phường An Hòa"
		second, _, err := svc.Submit(ctx, officer, "outreach_communes", in)
		if err != nil || second.Version != 2 || !second.Late || second.Reason == "" {
			t.Fatalf("%+v %v", second, err)
		}
		in.ID, in.Unit = "", "D2"
		if _, _, err := svc.Submit(ctx, officer, "outreach_communes", in); models.ErrorCode(err) != models.EFORBIDDEN || models.ErrorAs(err).Field != "unit" {
			t.Fatalf("another district: %v", err)
		}
		owed, err := svc.Owed(ctx, prog, models.ReportingPeriod{Kind: models.PeriodHalf, Year: 2026, N: 1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var units []string
		for _, o := range owed {
			if o.Indicator == "outreach_communes" {
				units = append(units, o.Unit.Code)
				if !o.Overdue {
					t.Errorf("%+v is not overdue after the deadline", o)
				}
			}
		}
		if len(units) != 1 || units[0] != "D2" {
			t.Fatalf("owed %v", units)
		}
	})
}
