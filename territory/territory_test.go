package territory_test

import (
	"fmt"
	"testing"

	"kiemtra/models"
	"kiemtra/territory"
)

func TestUnitOnIsTheUnitOfTheDay(t *testing.T) {
	reform, later := models.NewDate(2025, 7, 1), models.NewDate(2030, 1, 1)
	moves := []models.AreaMove{
		{ID: 2, FromArea: "C1", ToArea: "N1", EffectiveOn: later},
		{ID: 1, FromArea: "W1", ToArea: "C1", EffectiveOn: reform},
	}
	for _, tc := range []struct {
		name  string
		moves []models.AreaMove
		day   models.Date
		want  string
	}{
		{"a business that never moved is in its unit", nil, models.NewDate(2024, 12, 31), "N1"},
		{"before the first move it was where that move took it from", moves, models.NewDate(2024, 12, 31), "W1"},
		{"on the day before a move it is still in the old unit", moves, reform.AddDays(-1), "W1"},
		{"on the day of a move it is in the new unit", moves, reform, "C1"},
		{"between two moves it is where the second took it from", moves, models.NewDate(2026, 12, 31), "C1"},
		{"after every move it is in its unit now", moves, later, "N1"},
		{"two moves on one date are taken in the order of their ids", []models.AreaMove{
			{ID: 9, FromArea: "B", EffectiveOn: reform}, {ID: 4, FromArea: "A", EffectiveOn: reform}}, models.NewDate(2025, 1, 1), "A"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := territory.UnitOn("N1", tc.moves, tc.day); got != tc.want {
				t.Errorf("UnitOn(%s) = %s, want %s", tc.day, got, tc.want)
			}
		})
	}
}

// city is the old city 92 (districts D1: 101, 102 and D2: 201) until 30 June 2025, and from 1
// July the units of a reorganisation: 101@2025 (101 whole, part of 102), 500 (the rest of 102,
// 201 and the external 64100), 600 (only external units), a unit 700 imported without lineage;
// and in 2030 units formed from them: 800 from 600, 900 from 500.
func city() ([]*models.Area, []models.AreaLineage) {
	old, reform, next := models.NewDate(2004, 1, 1), models.NewDate(2025, 7, 1), models.NewDate(2030, 1, 1)
	end := reform.AddDays(-1)
	var areas []*models.Area
	add := func(code, parentPath string, from, to models.Date) {
		areas = append(areas, &models.Area{Code: code, Path: parentPath + code + "/", ValidFrom: from, ValidTo: to})
	}
	add("92", "/", old, models.Date{})
	add("D1", "/92/", old, end)
	add("D2", "/92/", old, end)
	add("101", "/92/D1/", old, end)
	add("102", "/92/D1/", old, end)
	add("201", "/92/D2/", old, end)
	add("101@2025", "/92/", reform, models.Date{})
	add("500", "/92/", reform, next.AddDays(-1))
	add("600", "/92/", reform, next.AddDays(-1))
	add("700", "/92/", reform, models.Date{})
	add("800", "/92/", next, models.Date{})
	add("900", "/92/", next, models.Date{})
	add("93", "/", old, end) // another province, merged in
	add("64100", "/93/", old, end)
	lin := func(area, src, part, r string) models.AreaLineage {
		return models.AreaLineage{AreaCode: area, SourceCode: src, Part: part, ReorganisationID: r}
	}
	lineage := []models.AreaLineage{
		lin("101@2025", "101", models.PartFull, "r1"), lin("101@2025", "102", models.PartPartial, "r1"),
		lin("500", "102", models.PartPartial, "r1"), lin("500", "201", models.PartFull, "r1"), lin("500", "64100", models.PartFull, "r1"),
		lin("600", "64101", models.PartFull, "r1"), lin("600", "64103", models.PartPartial, "r1"),
		lin("800", "600", models.PartFull, "r2"), lin("900", "500", models.PartFull, "r2"),
	}
	return areas, lineage
}

func TestTheTerritoryOfAProgrammeIsItsAreaAsItWasAtItsStart(t *testing.T) {
	areas, lineage := city()
	byCode := map[string]*models.Area{}
	for _, a := range areas {
		byCode[a.Code] = a
	}
	for _, tc := range []struct {
		name  string
		root  string
		start models.Date
		want  string
	}{
		{"the old city's programme holds its units and those formed from them, not a unit formed only from another province's",
			"92", models.NewDate(2021, 1, 1), "[101 101@2025 102 201 500 700 900 92 D1 D2]"},
		{"a programme that starts after the reorganisation has the whole subtree and what descends from it",
			"92", models.NewDate(2026, 1, 1), "[101@2025 500 600 700 800 900 92]"},
		{"a district's programme holds the district's units only",
			"D1", models.NewDate(2021, 1, 1), "[101 102 D1]"},
		{"another province's units are not under the city",
			"93", models.NewDate(2021, 1, 1), "[64100 93]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := territory.Of(areas, lineage, byCode[tc.root], tc.start)
			if s := fmt.Sprint(got.Sorted()); s != tc.want {
				t.Errorf("territory %s", s)
			}
		})
	}
}

func TestUnitsOnADayAreThoseInForceInTheTerritory(t *testing.T) {
	areas, lineage := city()
	root := areas[0]
	old := territory.Of(areas, lineage, root, models.NewDate(2021, 1, 1))
	for _, tc := range []struct {
		name      string
		day       models.Date
		territory territory.Set
		want      string
	}{
		{"2024 is the 2021 map", models.NewDate(2024, 12, 31), old, "[92 D1 101 102 D2 201]"},
		{"the end of 2025 is the new map, less what came from outside", models.NewDate(2025, 12, 31), old, "[92 101@2025 500 700]"},
		{"without a territory every unit in force counts", models.NewDate(2025, 12, 31), nil, "[92 101@2025 500 600 700]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var codes []string
			for _, a := range territory.UnitsOn(areas, root, tc.day, tc.territory) {
				codes = append(codes, a.Code)
			}
			if s := fmt.Sprint(codes); s != tc.want {
				t.Errorf("units %s", s)
			}
		})
	}
}
