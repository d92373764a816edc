package coverage_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"kiemtra/coverage"
	"kiemtra/models"
	"kiemtra/reorg/reorgtest"
	"kiemtra/store"
	"kiemtra/store/storetest"
	"kiemtra/territory"
)

// rowsOf writes a coverage's rows as "code name active/inspected_year/covered" lines.
func rowsOf(c *models.Coverage) string {
	var out []string
	for _, r := range c.Rows {
		out = append(out, fmt.Sprintf("%s %s %d/%d/%d", r.AreaCode, r.Name, r.InScope, r.InspectedOpenAtStart, r.Covered))
	}
	return strings.Join(out, "; ")
}

func TestFiguresAcrossTheReorganisation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		city := reorgtest.Build(t, db)
		svc := coverage.New(db, reorgtest.Clock(loc), loc)
		query := func(t *testing.T, prog *models.Programme, year int, level, area string) (models.CoverageQuery, *models.Coverage) {
			t.Helper()
			q := models.CoverageQuery{Programme: prog, Year: year, Level: level, Area: area}
			if err := svc.Resolve(ctx, &q); err != nil {
				t.Fatalf("resolve: %v", err)
			}
			cov, err := svc.Coverage(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return q, cov
		}
		levels := func(c *models.Coverage) string {
			var out []string
			for _, l := range c.Levels {
				out = append(out, fmt.Sprintf("%s %s/%s %d", l.Level, l.Name, l.NameEN, l.Units))
			}
			return strings.Join(out, "; ")
		}

		t.Run("a year before the reorganisation is on the 2021 units, each business where it was", func(t *testing.T) {
			q, cov := query(t, city.Old2021, 2024, "", reorgtest.Root)
			if q.Level != models.AreaLevelDistrict || cov.UnitsOn != models.NewDate(2024, 12, 31) || cov.Note != nil {
				t.Errorf("level %s, units of %s, note %+v", q.Level, cov.UnitsOn, cov.Note)
			}
			if got := levels(cov); got != "city Thành phố/city 1; district Huyện/Quận/rural district/urban district 2; ward Phường/Xã/ward/commune 3" {
				t.Errorf("levels %s", got)
			}
			_, wards := query(t, city.Old2021, 2024, models.AreaLevelWard, reorgtest.Root)
			if got := rowsOf(wards); got != "31147 Phường Hưng Lợi 2/1/1; 31149 Phường An Khánh 2/0/0; 31300 Xã Nhơn Ái 1/1/1" {
				t.Errorf("2024 wards: %s", got)
			}
			if wards.Total.Violations != 1 || wards.Rows[0].GSOCode != "31147" || wards.Rows[0].ParentCode != reorgtest.D1 {
				t.Errorf("total %+v, first row %+v", wards.Total.WardCounts, wards.Rows[0])
			}
			// The map's points are in the units of the day.
			pts, err := svc.Points(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			in := map[string]int{}
			for _, p := range pts {
				in[p.AreaCode]++
			}
			if fmt.Sprint(in) != "map[31147:2 31149:2 31300:1]" {
				t.Errorf("points by unit %v", in)
			}
		})
		t.Run("a year that spans it is on the units of its end, with a note, and only the old city's", func(t *testing.T) {
			q, cov := query(t, city.Old2021, 2025, "", reorgtest.Root)
			if q.Level != models.AreaLevelCommune || levels(cov) != "city Thành phố/city 1; commune Phường/Xã/ward/commune 2" {
				t.Errorf("level %s, levels %s", q.Level, levels(cov))
			}
			// Hưng Lợi's two and An Khánh's western one are Tân An's: inspected in 2024, March
			// and September 2025; Nhơn Ái's, inspected in 2024, and An Khánh's eastern one are
			// Phong Điền's. Hòa An, formed from Hậu Giang's communes, is not the programme's.
			if got := rowsOf(cov); got != "31147@2025 Phường Tân An 3/2/3; 31150 Xã Phong Điền 2/0/1" {
				t.Errorf("2025 units: %s", got)
			}
			if cov.Total.InScope != 5 || cov.Rows[0].GSOCode != "31147" {
				t.Errorf("total %+v", cov.Total.WardCounts)
			}
			n := cov.Note
			if n == nil || n.ReorganisedOn != reorgtest.Reform || n.UnitsOn != models.NewDate(2025, 12, 31) ||
				!strings.Contains(n.MessageVI, "có hiệu lực ngày 31/12/2025") || !strings.Contains(n.MessageVI, "từ ngày 01/07/2025") ||
				!strings.Contains(n.Message, "attributed through each business's unit on 2025-12-31") {
				t.Errorf("note %+v", n)
			}
		})
		t.Run("a year after it is on the 2025 units, the merged province's included", func(t *testing.T) {
			_, cov := query(t, city.New2026, 2026, "", reorgtest.Root)
			if got := rowsOf(cov); got != "31147@2025 Phường Tân An 3/1/1; 31150 Xã Phong Điền 2/0/0; 31441 Xã Hòa An 2/1/1" || cov.Note != nil {
				t.Errorf("2026 units: %s, note %+v", got, cov.Note)
			}
		})
		t.Run("an official code names the unit of the day", func(t *testing.T) {
			q, cov := query(t, city.Old2021, 2024, "", "31147")
			if q.Area != reorgtest.HungLoi || cov.Total.Name != "Phường Hưng Lợi" {
				t.Errorf("31147 in 2024: %s %s", q.Area, cov.Total.Name)
			}
			q, cov = query(t, city.New2026, 2026, "", "31147")
			if q.Area != reorgtest.TanAn || cov.Total.Name != "Phường Tân An" || cov.Total.GSOCode != "31147" || cov.Total.InScope != 3 {
				t.Errorf("31147 in 2026: %s %+v", q.Area, cov.Total)
			}
		})
		t.Run("a unit formed only from another province's is outside the old programme", func(t *testing.T) {
			_, cov := query(t, city.Old2021, 2025, "", reorgtest.HoaAn)
			if cov.Total.InScope != 0 || len(cov.Rows) != 1 || cov.Rows[0].InScope != 0 {
				t.Errorf("Hòa An in 2025: %+v", cov.Total.WardCounts)
			}
		})
		t.Run("bad queries name the field", func(t *testing.T) {
			for _, tc := range []struct {
				name      string
				prog      *models.Programme
				year      int
				level     string
				area      string
				code, msg string
			}{
				{"a level that no unit has that day", city.New2026, 2026, models.AreaLevelWard, reorgtest.Root, models.EINVALID, "city, commune"},
				{"a district that had ended", city.New2026, 2026, "", reorgtest.D1, models.EINVALID, "Quận Ninh Kiều (D1)"},
				{"an unknown area", city.New2026, 2026, "", "99999", models.ENOTFOUND, "99999"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					q := models.CoverageQuery{Programme: tc.prog, Year: tc.year, Level: tc.level, Area: tc.area}
					err := svc.Resolve(ctx, &q)
					e := models.ErrorAs(err)
					if e == nil || e.Code != tc.code || !strings.Contains(e.Message, tc.msg) || (tc.code == models.EINVALID && e.MessageVI == e.Message) {
						t.Fatalf("Resolve = %+v", e)
					}
				})
			}
		})
		t.Run("an abolished district's burn-down stops on its last day", func(t *testing.T) {
			q := models.CoverageQuery{Programme: city.Old2021, Year: 2024, Area: reorgtest.D1}
			if err := svc.Resolve(ctx, &q); err != nil {
				t.Fatal(err)
			}
			b, err := svc.Burndown(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			last := b.Points[len(b.Points)-1]
			if last.Date != reorgtest.Reform.AddDays(-1) || last.Eligible != 4 || last.Covered != 2 {
				t.Errorf("last point %+v", last)
			}
		})
	})
}

// The attribution the SQL does is territory.UnitOn: the stored moves give every business of the
// city the unit the figures put it in.
func TestTheStoredMovesAttributeAsUnitOn(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		city := reorgtest.Build(t, db)
		var moves []models.AreaMove
		if err := db.Gorm().Where("entity_type = ?", "business").Find(&moves).Error; err != nil {
			t.Fatal(err)
		}
		byBusiness := map[string][]models.AreaMove{}
		for _, m := range moves {
			byBusiness[m.EntityID] = append(byBusiness[m.EntityID], m)
		}
		svc := coverage.New(db, reorgtest.Clock(loc), loc)
		for _, year := range []int{2024, 2025} {
			q := models.CoverageQuery{Programme: city.Old2021, Year: year, Area: reorgtest.Root}
			if err := svc.Resolve(ctx, &q); err != nil {
				t.Fatal(err)
			}
			pts, err := svc.Points(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range pts {
				b, err := db.FindBusinessByID(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				if want := territory.UnitOn(b.AreaCode, byBusiness[p.ID], q.AsOf); p.AreaCode != want {
					t.Errorf("%d: %s is in %s, UnitOn says %s", year, p.Name, p.AreaCode, want)
				}
			}
			if len(pts) != 5 {
				t.Errorf("%d: %d businesses, want the old city's 5", year, len(pts))
			}
		}
	})
}

func TestANoteIsMadeForAPeriodThatSpansAReorganisation(t *testing.T) {
	reform := models.NewDate(2025, 7, 1)
	for _, tc := range []struct {
		name      string
		applied   []models.Date
		from, on  models.Date
		wantOnDay models.Date
	}{
		{"none applied", nil, models.NewDate(2021, 1, 1), models.NewDate(2025, 12, 31), models.Date{}},
		{"a period before it", []models.Date{reform}, models.NewDate(2021, 1, 1), models.NewDate(2024, 12, 31), models.Date{}},
		{"a period after it", []models.Date{reform}, models.NewDate(2026, 1, 1), models.NewDate(2026, 12, 2), models.Date{}},
		{"a period that begins on its date has nothing before it", []models.Date{reform}, reform, models.NewDate(2025, 9, 30), models.Date{}},
		{"a period that spans it", []models.Date{reform}, models.NewDate(2021, 1, 1), models.NewDate(2025, 12, 31), reform},
		{"a period that ends on its date", []models.Date{reform}, models.NewDate(2025, 1, 1), reform, reform},
		{"the latest of two", []models.Date{models.NewDate(2023, 1, 1), reform}, models.NewDate(2021, 1, 1), models.NewDate(2025, 12, 31), reform},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := coverage.Note(tc.applied, tc.from, tc.on)
			switch {
			case tc.wantOnDay.IsZero() && n != nil:
				t.Errorf("a note %+v", n)
			case !tc.wantOnDay.IsZero() && (n == nil || n.ReorganisedOn != tc.wantOnDay || n.UnitsOn != tc.on || n.Message == "" || n.MessageVI == ""):
				t.Errorf("note %+v, want one of %s", n, tc.wantOnDay)
			}
		})
	}
}

func TestLevelsAreNamedFromTheirUnitsTypes(t *testing.T) {
	units := []*models.Area{
		{Code: "92", Level: "city", TypeName: "Thành phố", Depth: 0},
		{Code: "a", Level: "commune", TypeName: "Xã", Depth: 1}, {Code: "b", Level: "commune", TypeName: "Phường", Depth: 1}, {Code: "c", Level: "commune", TypeName: "Xã", Depth: 1},
		{Code: "d", Level: "special", Depth: 1},
	}
	var got []string
	for _, l := range coverage.Levels(units) {
		got = append(got, fmt.Sprintf("%s=%s/%s(%d)", l.Level, l.Name, l.NameEN, l.Units))
	}
	if s := strings.Join(got, " "); s != "city=Thành phố/city(1) commune=Xã/Phường/commune/ward(3) special=special/special(1)" {
		t.Errorf("levels %s", s)
	}
}
