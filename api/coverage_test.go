package api

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"kiemtra/models"
	"kiemtra/report"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func TestCoverageEndpoints(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		h := newPlanServer(t, db).srv
		planner := &Principal{Username: "planner", Role: models.RolePlanner, AreaCode: "92", AreaPath: "/92/"}
		district := &Principal{Username: "d1", Role: models.RolePlanner, AreaCode: "D1", AreaPath: "/92/D1/"}
		if w := doAs(t, h, planner, "POST", "/api/v1/programmes", `{"code":"P","name":"P","starts_on":"2026-01-01","ends_on":"2030-12-31","root_area_code":"92"}`); w.Code != 201 {
			t.Fatal(w.Body)
		}
		w := doAs(t, h, planner, "GET", "/api/v1/coverage?level=ward", "")
		var cov models.Coverage
		json.Unmarshal(w.Body.Bytes(), &cov)
		if w.Code != 200 || len(cov.Rows) != 4 || cov.Total.InScope != 120 || cov.Year != 2026 {
			t.Fatalf("coverage: %d rows %d active %d: %s", w.Code, len(cov.Rows), cov.Total.InScope, w.Body)
		}
		w = doAs(t, h, district, "GET", "/api/v1/coverage?level=ward", "")
		json.Unmarshal(w.Body.Bytes(), &cov)
		if w.Code != 200 || len(cov.Rows) != 2 || cov.Area != "D1" {
			t.Fatalf("a district planner sees its own wards: %d %+v", w.Code, cov.Rows)
		}
		for _, tc := range []struct {
			name, path string
			status     int
			field      string
		}{
			{"another district is not found", "/api/v1/coverage?area=D2", 404, "area"},
			{"a year outside the programme", "/api/v1/coverage?year=2031", 400, "year"},
			{"a year that has not begun", "/api/v1/coverage?year=2027", 400, "year"},
			{"an unknown level", "/api/v1/coverage?level=province", 400, "level"},
			{"an unknown programme", "/api/v1/coverage?programme=nope", 400, "programme"},
			{"a bad year", "/api/v1/coverage?year=soon", 400, "year"},
			{"points must be a boolean", "/api/v1/coverage.geojson?points=maybe", 400, "points"},
			{"an unknown category", "/api/v1/coverage?category=foo", 400, "category"},
			{"an unknown category on the map", "/api/v1/coverage.geojson?category=foo", 400, "category"},
			{"an unknown category in the burn-down", "/api/v1/coverage/burndown?category=foo", 400, "category"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := doAs(t, h, district, "GET", tc.path, "")
				if e := decodeError(t, w); w.Code != tc.status || e.Field != tc.field {
					t.Fatalf("%d %+v, want %d on %s", w.Code, e, tc.status, tc.field)
				}
			})
		}
		t.Run("an unknown category is named in Vietnamese and in English", func(t *testing.T) {
			for lang, want := range map[string]string{"": `không có loại hình "foo" trong danh mục`, "en": `unknown category "foo"`} {
				req := httptest.NewRequest("GET", "/api/v1/coverage?category=foo", nil)
				if lang != "" {
					req.Header.Set("Accept-Language", lang)
				}
				req = req.WithContext(WithPrincipal(req.Context(), planner))
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if e := decodeError(t, w); w.Code != 400 || e.Field != "category" || !strings.Contains(e.Message, want) {
					t.Errorf("Accept-Language %q: %d %+v, want a message with %q", lang, w.Code, e, want)
				}
			}
		})
		w = doAs(t, h, planner, "GET", "/api/v1/coverage.geojson?level=ward&points=true", "")
		var fc struct {
			Features []struct {
				Properties map[string]any `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &fc); err != nil || w.Code != 200 || len(fc.Features) != 4+120 {
			t.Fatalf("geojson: %d %v %d features", w.Code, err, len(fc.Features))
		}
		statuses := map[string]int{}
		for _, f := range fc.Features {
			if f.Properties["kind"] == "business" {
				statuses[f.Properties["status"].(string)]++
			}
		}
		if statuses[models.MapNeverInspected] != 120 {
			t.Fatalf("statuses %v", statuses)
		}
		if _, ok := geoTop(t, doAs(t, h, planner, "GET", "/api/v1/coverage.geojson", ""))["base_map"]; ok {
			t.Error("a base map without KIEMTRA_TILE_URL")
		}
		t.Run("the server's base map reaches the map's data", func(t *testing.T) {
			saved := h.reports
			defer func() { h.reports = saved }()
			h.reports = report.New(report.Config{Store: db, Archive: &report.MemoryArchive{}, BaseMap: report.BaseMap{TileURL: "https://tiles.example.vn/{z}/{x}/{y}.png", Attribution: "© Bản đồ \"Cần Thơ\""}})
			got := geoTop(t, doAs(t, h, planner, "GET", "/api/v1/coverage.geojson", ""))["base_map"]
			if want := map[string]any{"tile_url": "https://tiles.example.vn/{z}/{x}/{y}.png", "attribution": `© Bản đồ "Cần Thơ"`}; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("base_map %v, want %v", got, want)
			}
		})
		w = doAs(t, h, planner, "GET", "/api/v1/coverage/burndown", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"never_inspected":120`) {
			t.Fatalf("burndown: %d %s", w.Code, w.Body)
		}
	})
}

// geoTop decodes a FeatureCollection's top level.
func geoTop(t *testing.T, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || w.Code != 200 {
		t.Fatalf("%d %v %.200s", w.Code, err, w.Body)
	}
	return out
}
