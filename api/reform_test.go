package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"kiemtra/coverage"
	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/reorg/reorgtest"
	"kiemtra/report"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// The coverage and report endpoints on a city reorganised on 1 July 2025: an official code names
// the unit of the period's last day, levels are those of that day, and a caller's jurisdiction
// is checked on the unit so named.
func TestFiguresAcrossTheReformThroughTheAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		reorgtest.Build(t, db)
		clock := reorgtest.Clock(time.UTC)
		violations, err := refdata.Violations()
		if err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		reports := report.New(report.Config{Store: db, Archive: &report.MemoryArchive{}, Violations: violations, Location: time.UTC, Now: clock, Logger: log})
		h := New(Config{Store: db, Readiness: db, Plans: db, Coverage: coverage.New(db, clock, time.UTC), Reports: reports, Location: time.UTC, Now: clock, Logger: log})
		city := &Principal{UserID: "p", Username: "planner", Role: models.RolePlanner, AreaCode: reorgtest.Root, AreaPath: "/92/"}
		// A planner of Tân An, the 2025 ward that took the code 31147.
		tanAn := &Principal{UserID: "t", Username: "tanan", Role: models.RolePlanner, AreaCode: reorgtest.TanAn, AreaPath: "/92/31147@2025/"}

		get := func(p *Principal, path string) (int, models.Coverage, ErrorPayload) {
			t.Helper()
			w := doAs(t, h, p, "GET", path, "")
			var cov models.Coverage
			var e ErrorPayload
			if w.Code == 200 {
				json.Unmarshal(w.Body.Bytes(), &cov)
			} else {
				e = decodeError(t, w)
			}
			return w.Code, cov, e
		}
		if code, cov, _ := get(city, "/api/v1/coverage?programme=KH-2021-2025&year=2024&area=31147"); code != 200 || cov.Area != reorgtest.HungLoi || cov.Total.Name != "Phường Hưng Lợi" {
			t.Errorf("31147 in 2024: %d %s %s", code, cov.Area, cov.Total.Name)
		}
		if code, cov, _ := get(city, "/api/v1/coverage?year=2026&area=31147"); code != 200 || cov.Area != reorgtest.TanAn || cov.Total.Name != "Phường Tân An" || cov.Total.GSOCode != "31147" {
			t.Errorf("31147 in 2026: %d %s %s", code, cov.Area, cov.Total.Name)
		}
		if code, cov, _ := get(city, "/api/v1/coverage?year=2026"); code != 200 || cov.Level != models.AreaLevelCommune || len(cov.Rows) != 3 || len(cov.Levels) != 2 || cov.Note != nil {
			t.Errorf("2026: %d level %s, %d rows, levels %+v", code, cov.Level, len(cov.Rows), cov.Levels)
		}
		if code, cov, _ := get(city, "/api/v1/coverage?programme=KH-2021-2025&year=2025"); code != 200 || cov.Note == nil || cov.UnitsOn != models.NewDate(2025, 12, 31) {
			t.Errorf("2025: %d note %+v", code, cov.Note)
		}
		if code, _, e := get(city, "/api/v1/coverage?year=2026&level=district"); code != 400 || e.Field != "level" || !strings.Contains(e.Message, "city, commune") {
			t.Errorf("a level of 2021 in 2026: %d %+v", code, e)
		}
		if code, _, e := get(city, "/api/v1/coverage?year=2026&area=D1"); code != 400 || e.Field != "area" {
			t.Errorf("an abolished district in 2026: %d %+v", code, e)
		}
		// Tân An's planner sees Tân An by its official code, and not Hưng Lợi, the unit that code
		// named in 2024, nor what is outside.
		if code, cov, _ := get(tanAn, "/api/v1/coverage?year=2026&area=31147"); code != 200 || cov.Area != reorgtest.TanAn {
			t.Errorf("Tân An's own unit: %d %s", code, cov.Area)
		}
		for _, path := range []string{"/api/v1/coverage?programme=KH-2021-2025&year=2024&area=31147", "/api/v1/coverage?year=2026&area=31150"} {
			if code, _, e := get(tanAn, path); code != 404 || e.Field != "area" {
				t.Errorf("%s for Tân An's planner: %d %+v", path, code, e)
			}
		}
		// The map's areas are the year's.
		w := doAs(t, h, city, "GET", "/api/v1/coverage.geojson?programme=KH-2021-2025&year=2024&level=ward", "")
		var fc struct {
			UnitsOn  string `json:"units_on"`
			Features []struct {
				ID       string          `json:"id"`
				Geometry json.RawMessage `json:"geometry"`
			} `json:"features"`
		}
		json.Unmarshal(w.Body.Bytes(), &fc)
		var ids []string
		for _, f := range fc.Features {
			if string(f.Geometry) == "null" {
				t.Errorf("%s has no polygon", f.ID)
			}
			ids = append(ids, f.ID)
		}
		if w.Code != 200 || fc.UnitsOn != "2024-12-31" || strings.Join(ids, " ") != "31147 31149 31300" {
			t.Errorf("the 2024 wards' map: %d %s %v", w.Code, fc.UnitsOn, ids)
		}
		// A report by an official code, named by it.
		w = doAs(t, h, city, "GET", "/api/v1/reports?period=2026-Q1&area=31147&format=csv", "")
		if w.Code != 200 || !strings.Contains(w.Header().Get("Content-Disposition"), "bao-cao-kiem-tra_2026-Q1_31147.csv") || !strings.Contains(w.Body.String(), "Phường Tân An") {
			t.Errorf("Tân An's report: %d %v", w.Code, w.Header())
		}
		if w := doAs(t, h, tanAn, "GET", "/api/v1/reports?period=2024&area=31147&format=json", ""); w.Code != 404 {
			t.Errorf("Hưng Lợi's 2024 report for Tân An's planner: %d", w.Code)
		}
		// The kept reports of the units that ended are named as they were.
		if _, err := (&report.ArchiveJob{Service: reports}).Run(context.Background(), clock()); err != nil {
			t.Fatal(err)
		}
		w = doAs(t, h, city, "GET", "/api/v1/reports/archive?limit=500", "")
		var list struct {
			Items []struct {
				AreaCode string `json:"area_code"`
				AreaName string `json:"area_name"`
				Period   string `json:"period"`
			} `json:"items"`
		}
		json.Unmarshal(w.Body.Bytes(), &list)
		found := false
		for _, it := range list.Items {
			found = found || it.AreaCode == reorgtest.D1 && it.AreaName == "Quận Ninh Kiều" && it.Period == "2024"
		}
		if w.Code != 200 || !found {
			t.Errorf("the archive: %d, Ninh Kiều's 2024 report named: %v", w.Code, found)
		}
	})
}
