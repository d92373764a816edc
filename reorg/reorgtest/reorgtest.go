// Package reorgtest builds, for tests, a small city across a reorganisation of its units, made
// the way a planner makes one (reorg.Service: import, accept the proposals, apply): the figures,
// the reports and the dashboard are tested on it.
package reorgtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/reorg"
	"kiemtra/store"
)

// The city's days.
var (
	Reform = models.NewDate(2025, 7, 1)  // the reorganisation's effective date
	Today  = models.NewDate(2026, 12, 2) // the day the tests are run at
	Old    = models.NewDate(2004, 1, 1)  // the 2021 map's units start
	Opened = models.NewDate(2018, 1, 1)  // the old city's businesses open
	Later  = models.NewDate(2015, 3, 1)  // the businesses registered after the reform opened
)

// InYear is 10:00 in Vietnam on a day: the time of the city's inspections.
func InYear(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 3, 0, 0, 0, time.UTC) }

// Unit codes. 31147 is reused: Phường Hưng Lợi until 30 June 2025, Phường Tân An (31147@2025)
// from 1 July.
const (
	Root      = "92"
	D1        = "D1"    // Quận Ninh Kiều: 31147 Hưng Lợi, 31149 An Khánh
	D2        = "D2"    // Huyện Phong Điền: 31300 Xã Nhơn Ái
	HungLoi   = "31147" // the 2021 ward
	AnKhanh   = "31149"
	NhonAi    = "31300"
	TanAn     = "31147@2025" // the 2025 ward that took the code: Hưng Lợi whole, part of An Khánh
	PhongDien = "31150"      // the rest of An Khánh, Nhơn Ái, and a commune of Hậu Giang
	HoaAn     = "31441"      // formed only from Hậu Giang's units: not the old city's
)

// City is what Build stored.
type City struct {
	Old2021, New2026 *models.Programme // KH-2021-2025 and KH-2026-2030, both over the city
	ReorgID          string
	// Businesses by the unit they were registered in: the 2021 wards', and HoaAn's, registered
	// after the reform.
	Businesses map[string][]string
}

func square(lon1, lat1, lon2, lat2 float64) string {
	return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}`, lon1, lat1, lon2, lat1, lon2, lat2, lon1, lat2, lon1, lat1)
}

// Spec is the reorganisation of the city on Reform, with polygons for the new units (so that
// the businesses of the split An Khánh are placed by their positions).
func Spec() models.ReorgSpec {
	cantho, haugiang := "Thành phố Cần Thơ", "Tỉnh Hậu Giang"
	return models.ReorgSpec{Name: "Nghị quyết thử về sắp xếp đơn vị hành chính cấp xã", EffectiveOn: Reform, Parent: Root, Level: models.AreaLevelCommune,
		Units: []models.ReorgUnit{
			{Code: "31147", Name: "Phường Tân An", Lat: 10.025, Lon: 105.735, Geometry: models.RawJSON(square(105.70, 10.00, 105.77, 10.05)),
				From: []models.ReorgSource{{Code: HungLoi, Part: models.PartFull, Province: cantho}, {Code: AnKhanh, Part: models.PartPartial, Province: cantho}}},
			{Code: PhongDien, Name: "Xã Phong Điền", Lat: 9.975, Lon: 105.75,
				Geometry: models.RawJSON(`{"type":"Polygon","coordinates":[[[105.7,9.95],[105.8,9.95],[105.8,10.05],[105.77,10.05],[105.77,10],[105.7,10],[105.7,9.95]]]}`),
				From: []models.ReorgSource{{Code: AnKhanh, Part: models.PartPartial, Province: cantho}, {Code: NhonAi, Part: models.PartFull, Province: cantho},
					{Code: "31321", Name: "Xã Tân Phước Hưng", Part: models.PartPartial, Province: haugiang}}},
			{Code: HoaAn, Name: "Xã Hòa An", Lat: 9.925, Lon: 105.75, Geometry: models.RawJSON(square(105.70, 9.90, 105.80, 9.95)),
				From: []models.ReorgSource{{Code: "31420", Name: "Xã Hòa An", Part: models.PartFull, Province: haugiang}, {Code: "31423", Name: "Xã Hiệp Hưng", Part: models.PartPartial, Province: haugiang}}},
		}}
}

// Build stores the 2021 map of the city (two districts over three wards, with polygons; the
// reorganisation ends them), five
// businesses, their inspections of 2024 and 2025 and a tip of 2024, the two programmes, applies
// the reorganisation, then registers two businesses in HoaAn and the inspections of 2026.
func Build(tb testing.TB, db *store.DB) *City {
	tb.Helper()
	ctx := context.Background()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	p := func(s string) *string { return &s }
	areas := []*models.Area{
		{Code: Root, Name: "Thành phố Cần Thơ", TypeName: "Thành phố", Level: models.AreaLevelCity, Lat: 10, Lon: 105.75, ValidFrom: Old, Geometry: square(105.70, 9.90, 105.80, 10.05)},
		{Code: D1, ParentCode: p(Root), Name: "Quận Ninh Kiều", TypeName: "Quận", Level: models.AreaLevelDistrict, Lat: 10.025, Lon: 105.75, ValidFrom: Old, Geometry: square(105.70, 10.00, 105.80, 10.05)},
		{Code: D2, ParentCode: p(Root), Name: "Huyện Phong Điền", TypeName: "Huyện", Level: models.AreaLevelDistrict, Lat: 9.975, Lon: 105.75, ValidFrom: Old, Geometry: square(105.70, 9.95, 105.80, 10.00)},
		{Code: HungLoi, ParentCode: p(D1), Name: "Phường Hưng Lợi", TypeName: "Phường", Level: models.AreaLevelWard, Lat: 10.025, Lon: 105.725, ValidFrom: Old, Geometry: square(105.70, 10.00, 105.75, 10.05)},
		{Code: AnKhanh, ParentCode: p(D1), Name: "Phường An Khánh", TypeName: "Phường", Level: models.AreaLevelWard, Lat: 10.025, Lon: 105.775, ValidFrom: Old, Geometry: square(105.75, 10.00, 105.80, 10.05)},
		{Code: NhonAi, ParentCode: p(D2), Name: "Xã Nhơn Ái", TypeName: "Xã", Level: models.AreaLevelWard, Lat: 9.975, Lon: 105.75, ValidFrom: Old, Geometry: square(105.70, 9.95, 105.80, 10.00)},
	}
	must(db.UpsertAreas(ctx, "reorgtest", areas))
	c := &City{Businesses: map[string][]string{}}
	register := func(unit string, opened models.Date, at ...[2]float64) {
		tb.Helper()
		for i, pt := range at {
			b := &models.Business{Name: fmt.Sprintf("Karaoke %s số %d", unit, i+1), Category: "karaoke", LicenceNo: p(fmt.Sprintf("GP-%s-%d", unit, i+1)),
				Lat: pt[0], Lon: pt[1], AreaCode: unit, Status: models.BusinessActive, OpenedOn: opened}
			must(db.CreateBusinesses(ctx, "reorgtest", []*models.Business{b}))
			c.Businesses[unit] = append(c.Businesses[unit], b.ID)
		}
	}
	register(HungLoi, Opened, [2]float64{10.02, 105.72}, [2]float64{10.03, 105.73})
	register(AnKhanh, Opened, [2]float64{10.02, 105.76}, [2]float64{10.03, 105.79})
	register(NhonAi, Opened, [2]float64{9.97, 105.75})
	c.Old2021 = &models.Programme{Code: "KH-2021-2025", Name: "Kế hoạch 2021-2025", StartsOn: models.NewDate(2021, 1, 1), EndsOn: models.NewDate(2025, 12, 31), RootAreaCode: p(Root)}
	c.New2026 = &models.Programme{Code: "KH-2026-2030", Name: "Kế hoạch 2026-2030", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31), RootAreaCode: p(Root)}
	for _, prog := range []*models.Programme{c.Old2021, c.New2026} {
		prog.ApplyDefaults()
		must(db.CreateProgramme(ctx, "reorgtest", prog))
	}
	visit := func(at time.Time, business, outcome string, codes ...string) {
		tb.Helper()
		v := models.Visit{Inspection: &models.Inspection{BusinessID: business, StartedAt: at.Add(-time.Hour), FinishedAt: at, Outcome: outcome}}
		for _, code := range codes {
			v.Findings = append(v.Findings, &models.Finding{Code: code, Severity: "high"})
		}
		must(db.ApplyVisits(ctx, "reorgtest", []models.Visit{v}))
	}
	visit(InYear(2024, 5, 10), c.Businesses[HungLoi][0], models.OutcomeCompliant)
	visit(InYear(2024, 5, 11), c.Businesses[NhonAi][0], models.OutcomeViolation, "LIC_REG")
	visit(InYear(2025, 3, 10), c.Businesses[AnKhanh][0], models.OutcomeCompliant)
	tip := &models.Tip{Channel: "hotline", ReceivedAt: InYear(2024, 6, 1), ReceivedBy: "reorgtest", Description: "Hoạt động quá giờ", Status: models.TipReceived,
		Severity: "normal", BusinessID: &c.Businesses[NhonAi][0], AreaCode: p(NhonAi)}
	must(db.CreateTip(ctx, "reorgtest", tip))

	svc := reorg.NewService(db, nil)
	rep, err := svc.Import(ctx, "reorgtest", Spec(), false)
	must(err)
	c.ReorgID = rep.ID
	_, err = svc.AcceptProposals(ctx, "reorgtest", rep.ID)
	must(err)
	_, err = svc.Apply(ctx, "reorgtest", rep.ID)
	must(err)

	visit(InYear(2025, 9, 10), c.Businesses[HungLoi][1], models.OutcomeCompliant)
	register(HoaAn, Later, [2]float64{9.92, 105.72}, [2]float64{9.93, 105.78})
	visit(InYear(2026, 3, 10), c.Businesses[HungLoi][0], models.OutcomeCompliant)
	visit(InYear(2026, 3, 11), c.Businesses[HoaAn][0], models.OutcomeCompliant)
	return c
}

// Clock is the tests' clock: Today at 10:00 in loc.
func Clock(loc *time.Location) func() time.Time {
	return func() time.Time { return Today.Time(loc).Add(10 * time.Hour) }
}
