package reorg

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"kiemtra/models"
)

func ptr(s string) *string { return &s }

// square is a GeoJSON polygon of a lon/lat box.
func square(lon0, lat0, lon1, lat1 float64) models.RawJSON {
	return models.RawJSON(fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}`,
		lon0, lat0, lon1, lat0, lon1, lat1, lon0, lat1, lon0, lat0))
}

// oldCity is a city 92 with districts D1 (wards 101, 102) and D2 (ward 201), in force since
// 2004; ward 999 ended in 2019.
func oldCity() []*models.Area {
	start := models.NewDate(2004, 1, 1)
	a := func(code, parent, level, name, path string) *models.Area {
		x := &models.Area{Code: code, GSOCode: code, Name: name, Level: level, Path: path, ValidFrom: start}
		if parent != "" {
			x.ParentCode = ptr(parent)
		}
		return x
	}
	ended := a("999", "D1", models.AreaLevelWard, "Phường Cũ", "/92/D1/999/")
	ended.ValidTo = models.NewDate(2019, 12, 31)
	late := a("301", "D2", models.AreaLevelWard, "Phường Muộn", "/92/D2/301/")
	late.ValidFrom = models.NewDate(2025, 9, 1)
	return []*models.Area{
		a("92", "", models.AreaLevelCity, "Thành phố Cần Thơ", "/92/"),
		a("D1", "92", models.AreaLevelDistrict, "Quận Một", "/92/D1/"),
		a("D2", "92", models.AreaLevelDistrict, "Quận Hai", "/92/D2/"),
		a("101", "D1", models.AreaLevelWard, "Phường Hưng Lợi", "/92/D1/101/"),
		a("102", "D1", models.AreaLevelWard, "Phường An Bình", "/92/D1/102/"),
		a("201", "D2", models.AreaLevelWard, "Phường Tân An", "/92/D2/201/"),
		ended, late,
	}
}

var day = models.NewDate(2025, 7, 1)

// spec: unit 101 reuses the code of ward 101 (which it takes whole with a part of 102); unit
// 500 takes the rest of 102 and all of 201, and a commune of another province.
func spec() models.ReorgSpec {
	return models.ReorgSpec{Name: "Nghị quyết thử", EffectiveOn: day, Parent: "92", Units: []models.ReorgUnit{
		{Code: "101", Name: "Phường Tân An", Lat: 10.02, Lon: 105.02, From: []models.ReorgSource{
			{Code: "101", Part: models.PartFull, Province: "Thành phố Cần Thơ"}, {Code: "102", Part: models.PartPartial, Province: "Thành phố Cần Thơ"}}},
		{Code: "500", Name: "Xã Năm", Lat: 10.02, Lon: 105.08, From: []models.ReorgSource{
			{Code: "102", Part: models.PartPartial, Province: "Thành phố Cần Thơ"}, {Code: "201", Part: models.PartFull, Province: "Thành phố Cần Thơ"},
			{Code: "64100", Name: "Xã Ngoài", Part: models.PartFull, Province: "Tỉnh Hậu Giang"}}},
	}}
}

func state() State {
	return State{
		Areas: oldCity(),
		Businesses: []models.ReorgPlace{
			{ID: "b101", AreaCode: "101", Lat: 10.03, Lon: 105.05, HasPoint: true}, // full source: moves whatever its point
			{ID: "b102w", AreaCode: "102", Lat: 10.02, Lon: 105.021, HasPoint: true},
			{ID: "b102e", AreaCode: "102", Lat: 10.02, Lon: 105.079, HasPoint: true},
			{ID: "b201", AreaCode: "201", Lat: 10.02, Lon: 105.09, HasPoint: true},
			{ID: "b92", AreaCode: "92", Lat: 10.02, Lon: 105.05, HasPoint: true}, // the city stays
		},
		Tips:      []models.ReorgPlace{{ID: "t1", AreaCode: "102", BusinessID: "b102e"}, {ID: "t2", AreaCode: "201"}},
		Teams:     []models.ReorgTeam{{ID: "team-d1", Name: "Tổ Quận Một", Units: []string{"D1"}}, {ID: "team-city", Units: []string{"92"}}},
		Users:     []models.ReorgUser{{ID: "u-d1", Username: "d1.planner", AreaCode: "D1"}, {ID: "u-201", Username: "p201", AreaCode: "201"}, {ID: "u-city", AreaCode: "92"}},
		OpenTasks: 7,
	}
}

func moveOf(p *Plan, id string) string {
	for _, m := range p.Moves {
		if m.EntityID == id {
			return m.To
		}
	}
	return ""
}

func TestAReorganisationStartsEndsAndMoves(t *testing.T) {
	p := Make(spec(), state(), nil)
	r := p.Report
	if len(r.Problems) != 0 {
		t.Fatalf("problems: %+v", r.Problems)
	}
	if len(p.NewAreas) != 2 || p.NewAreas[0].Code != "101@2025" || p.NewAreas[0].GSOCode != "101" || p.NewAreas[1].Code != "500" ||
		p.NewAreas[0].ValidFrom != day || *p.NewAreas[0].ParentCode != "92" || p.NewAreas[0].Level != models.AreaLevelCommune || p.NewAreas[0].TypeName != "Phường" {
		t.Fatalf("new units %+v %+v", p.NewAreas[0], p.NewAreas[1])
	}
	if want := []string{"101", "102", "201", "D1", "D2"}; !slices.Equal(p.Ending, want) {
		t.Fatalf("ending %v, want %v (the late ward 301 keeps D2 alive? no: it is not in force the day before)", p.Ending, want)
	}
	if !slices.Equal(r.External, []string{"64100"}) {
		t.Fatalf("external sources %v", r.External)
	}
	for id, want := range map[string]string{"b101": "101@2025", "b201": "500", "b102w": "101@2025", "b102e": "500", "b92": "", "t1": "500", "t2": "500"} {
		if got := moveOf(p, id); got != want {
			t.Errorf("%s goes to %q, want %q", id, got, want)
		}
	}
	// The partial source's businesses are placed by the nearest unit, without polygons, and listed.
	if len(r.Reviews) != 2 || r.Open != len(r.Reviews)+len(r.Teams)+len(r.Users) {
		t.Fatalf("reviews %+v, open %d", r.Reviews, r.Open)
	}
	if len(r.Teams) != 1 || r.Teams[0].SubjectID != "team-d1" || r.Teams[0].Proposed != `["101@2025","500"]` {
		t.Fatalf("teams %+v", r.Teams)
	}
	users := map[string]string{}
	for _, u := range r.Users {
		users[u.SubjectID] = u.Proposed
	}
	if len(users) != 2 || users["u-d1"] != `["92"]` || users["u-201"] != `["500"]` {
		t.Fatalf("users %v", users)
	}
	if r.MovedBusinesses != 4 || r.MovedTips != 2 || r.Before != r.After || r.Before.Businesses != 5 {
		t.Fatalf("report %+v", r)
	}
}

func TestPolygonsPlaceThePartialSources(t *testing.T) {
	s := spec()
	s.Units[0].Geometry = square(105.0, 10.0, 105.05, 10.1)
	s.Units[1].Geometry = square(105.05, 10.0, 105.1, 10.1)
	p := Make(s, state(), nil)
	if len(p.Report.Problems) != 0 || len(p.Report.Reviews) != 0 {
		t.Fatalf("problems %+v reviews %+v", p.Report.Problems, p.Report.Reviews)
	}
	if moveOf(p, "b102w") != "101@2025" || moveOf(p, "b102e") != "500" || p.Report.Units[0].ByPolygon != 1 {
		t.Fatalf("moves %+v units %+v", p.Moves, p.Report.Units)
	}
}

// After the reform the communes sit under the city: one of them split in two leaves its
// neighbours as they are, while a district left beside communes is still the old map.
func TestACommuneSplitBesideItsNeighbours(t *testing.T) {
	start := models.NewDate(2025, 7, 1)
	a := func(code, parent, level, name string) *models.Area {
		x := &models.Area{Code: code, GSOCode: code, Name: name, Level: level, Path: "/92/" + code + "/", ValidFrom: start}
		if parent != "" {
			x.ParentCode = ptr(parent)
		} else {
			x.Path = "/92/"
		}
		return x
	}
	st := State{
		Areas: []*models.Area{a("92", "", models.AreaLevelCity, "Thành phố Cần Thơ"), a("C1", "92", models.AreaLevelCommune, "Phường Một"),
			a("C2", "92", models.AreaLevelCommune, "Xã Hai")},
		Businesses: []models.ReorgPlace{{ID: "b1", AreaCode: "C1", Lat: 10.02, Lon: 105.01, HasPoint: true}, {ID: "b2", AreaCode: "C2", Lat: 10.02, Lon: 105.2, HasPoint: true}},
	}
	split := models.ReorgSpec{Name: "Chia Phường Một", EffectiveOn: models.NewDate(2026, 12, 1), Parent: "92", Units: []models.ReorgUnit{
		{Code: "N1", Name: "Phường Tây", Lat: 10.02, Lon: 105.0, From: []models.ReorgSource{{Code: "C1", Part: models.PartPartial}}},
		{Code: "N2", Name: "Phường Đông", Lat: 10.02, Lon: 105.05, From: []models.ReorgSource{{Code: "C1", Part: models.PartPartial}}},
	}}
	p := Make(split, st, nil)
	if len(p.Report.Problems) != 0 || !slices.Equal(p.Ending, []string{"C1"}) || len(p.Report.Reviews) != 1 || moveOf(p, "b1") != "N1" || moveOf(p, "b2") != "" {
		t.Fatalf("problems %+v, ending %v, reviews %d, moves %+v", p.Report.Problems, p.Ending, len(p.Report.Reviews), p.Moves)
	}
	st.Areas = append(st.Areas, a("D9", "92", models.AreaLevelDistrict, "Huyện Chín"))
	found := false
	for _, pr := range Make(split, st, nil).Report.Problems {
		found = found || (pr.Kind == "left_in_force" && pr.Source == "D9")
	}
	if !found {
		t.Fatal("a district left beside the new communes is not reported")
	}
}

func TestSettledReviewsDecide(t *testing.T) {
	settled := map[string]*models.ReorgItem{ItemKey(models.ReorgItemReview, "b102e"): {Settled: `["101@2025"]`}}
	p := Make(spec(), state(), settled)
	if moveOf(p, "b102e") != "101@2025" || p.Report.Open != 4 {
		t.Fatalf("b102e to %s, open %d", moveOf(p, "b102e"), p.Report.Open)
	}
}

func TestBadReorganisationsAreReported(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*models.ReorgSpec)
		kind string
	}{
		{"no date", func(s *models.ReorgSpec) { s.EffectiveOn = models.Date{} }, "no_date"},
		{"an unknown source", func(s *models.ReorgSpec) {
			s.Units[0].From = append(s.Units[0].From, models.ReorgSource{Code: "777", Part: models.PartFull, Province: "Thành phố Cần Thơ"})
		}, "unknown_source"},
		{"a source already ended", func(s *models.ReorgSpec) {
			s.Units[0].From = append(s.Units[0].From, models.ReorgSource{Code: "999", Part: models.PartFull})
		}, "source_ended"},
		{"a date before a source's start", func(s *models.ReorgSpec) {
			s.Units[1].From = append(s.Units[1].From, models.ReorgSource{Code: "301", Part: models.PartFull})
		}, "date_before_start"},
		{"a source in full twice", func(s *models.ReorgSpec) {
			s.Units[1].From = append(s.Units[1].From, models.ReorgSource{Code: "101", Part: models.PartFull})
		}, "full_twice"},
		{"a source in full and in part", func(s *models.ReorgSpec) {
			s.Units[1].From = append(s.Units[1].From, models.ReorgSource{Code: "101", Part: models.PartPartial})
		}, "full_and_partial"},
		{"a bad part", func(s *models.ReorgSpec) { s.Units[0].From[0].Part = "half" }, "invalid_part"},
		{"a ward forgotten beside its merged neighbours", func(s *models.ReorgSpec) {
			s.Units[0].From = s.Units[0].From[1:] // 101 is no longer a source
		}, "left_in_force"},
		{"a unit twice", func(s *models.ReorgSpec) { s.Units = append(s.Units, s.Units[0]) }, "duplicate_unit"},
		{"an unknown parent", func(s *models.ReorgSpec) { s.Parent = "93" }, "unknown_parent"},
		{"overlapping new units", func(s *models.ReorgSpec) {
			s.Units[0].Geometry = square(105.0, 10.0, 105.06, 10.1)
			s.Units[1].Geometry = square(105.04, 10.0, 105.1, 10.1)
		}, "overlap"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := spec()
			tc.edit(&s)
			r := Make(s, state(), nil).Report
			found := false
			for _, pr := range r.Problems {
				found = found || pr.Kind == tc.kind
				if pr.Message == "" || pr.MessageVI == "" || strings.Contains(pr.MessageVI, "business") {
					t.Errorf("problem %+v lacks a message in both languages", pr)
				}
			}
			if !found {
				t.Fatalf("problems %+v, want one of kind %s", r.Problems, tc.kind)
			}
		})
	}
}

// A business registered in an ending district (not in a ward) has no source to follow: without
// a position it cannot be placed, and that stops the reorganisation.
func TestABusinessWithNowhereToGoIsAProblem(t *testing.T) {
	st := state()
	st.Businesses = append(st.Businesses, models.ReorgPlace{ID: "bd1", AreaCode: "D1"})
	r := Make(spec(), st, nil).Report
	if len(r.Problems) != 1 || r.Problems[0].Kind != "no_target" || !strings.Contains(r.Problems[0].MessageVI, "cơ sở bd1") {
		t.Fatalf("problems %+v", r.Problems)
	}
}
