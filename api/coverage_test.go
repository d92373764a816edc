package api

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/report"
	"kiemtra/scheduler"
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

// TestCoveragePrevalence checks that GET /coverage carries the estimated prevalence of the area
// and of each unit under it, with the quality the reports print: a unit whose whole sample was
// inspected is ok, one with a handful of inspected businesses marked low, one with three
// suppressed, and one without an inspected business absent; a category has no estimate.
func TestCoveragePrevalence(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := newPlanServer(t, db).srv
		h.reports = newReportService(t, db)
		planner := &Principal{Username: "planner", Role: models.RolePlanner, AreaCode: "92", AreaPath: "/92/"}
		if w := doAs(t, h, planner, "POST", "/api/v1/programmes", `{"code":"P","name":"P","starts_on":"2026-01-01","ends_on":"2030-12-31","root_area_code":"92"}`); w.Code != 201 {
			t.Fatal(w.Body)
		}
		prog, err := db.FindProgrammeByID(ctx, "P")
		if err != nil {
			t.Fatal(err)
		}
		bs, _, err := db.FindBusinesses(ctx, models.BusinessFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		byWard := map[string][]string{}
		for _, b := range bs {
			byWard[b.AreaCode] = append(byWard[b.AreaCode], b.ID)
		}
		// Drawn with probability 1/2 from each ward's 30: all 30 of D11 (sampled from 60 as
		// the weights say), 10 of D12, 3 of D21, 2 of D22.
		drawn := map[string]int{"D11": 30, "D12": 10, "D21": 3, "D22": 2}
		var items []*models.PlanItem
		fig := models.PlanFigures{Year: 2026}
		for ward, n := range drawn {
			fig.Areas = append(fig.Areas, models.AreaFigures{AreaCode: ward, InScope: 30})
			for _, id := range byWard[ward][:n] {
				items = append(items, &models.PlanItem{BusinessID: id, Group: models.GroupMustCover, InclusionProb: 0.5, WeekStart: models.NewDate(2026, 1, 5), AreaCode: ward})
			}
		}
		figJSON, _ := json.Marshal(fig)
		plan := &models.Plan{ProgrammeID: prog.ID, Year: 2026, Seed: "s", SeedSHA256: "x", Figures: string(figJSON), Feasible: true}
		if err := db.CreatePlan(ctx, "t", plan, items); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ApprovePlan(ctx, "t", plan.ID); err != nil {
			t.Fatal(err)
		}
		tasks, _, err := db.FindTasks(ctx, models.TaskFilter{PlanID: plan.ID})
		if err != nil {
			t.Fatal(err)
		}
		taskOf := map[string]string{}
		for _, tk := range tasks {
			taskOf[tk.BusinessID] = tk.ID
		}
		// Inspected: all of D11 (a third violating), 8 of D12 (2 violating), all 3 of D21 (1
		// violating), none of D22 (refused).
		inspected := map[string]int{"D11": 30, "D12": 8, "D21": 3}
		at := time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC)
		var visits []models.Visit
		for ward, n := range drawn {
			for i, id := range byWard[ward][:n] {
				task := taskOf[id]
				outcome := models.OutcomeRefused
				if i < inspected[ward] {
					outcome = models.OutcomeCompliant
					if i%3 == 0 {
						outcome = models.OutcomeViolation
					}
				}
				v := models.Visit{Inspection: &models.Inspection{BusinessID: id, TaskID: &task, StartedAt: at.Add(-time.Hour), FinishedAt: at, Outcome: outcome}}
				if outcome == models.OutcomeViolation {
					v.Findings = []*models.Finding{{Code: "LIC_REG", Severity: "high"}}
				}
				visits = append(visits, v)
			}
		}
		if err := db.ApplyVisits(ctx, "t", visits); err != nil {
			t.Fatal(err)
		}

		var ans struct {
			Rows       []models.CoverageRow `json:"rows"`
			Prevalence *report.Prevalence   `json:"prevalence"`
		}
		w := doAs(t, h, planner, "GET", "/api/v1/coverage?level=ward", "")
		if err := json.Unmarshal(w.Body.Bytes(), &ans); err != nil || w.Code != 200 || ans.Prevalence == nil {
			t.Fatalf("coverage: %d %v %.300s", w.Code, err, w.Body)
		}
		p := ans.Prevalence
		if len(p.Plans) != 1 || p.Plans[0] != plan.ID || p.MinSample != scheduler.MinSample || p.MinEffective != scheduler.MinEffective {
			t.Errorf("plans %v, thresholds %d %v", p.Plans, p.MinSample, p.MinEffective)
		}
		for _, tc := range []struct {
			unit              string
			sample, violating int
			quality           string
			share, low, high  float64 // checked when share > 0
		}{
			{"D11", 30, 10, scheduler.QualityOK, 1.0 / 3, 0.2, 0.5},
			{"D12", 8, 3, scheduler.QualityLow, 0, 0, 0},
			{"D21", 3, 1, scheduler.QualitySuppressed, 0, 0, 0},
			// The district holds its two wards' samples.
			{"D1", 38, 13, scheduler.QualityOK, 0, 0, 0},
			{"D2", 3, 1, scheduler.QualitySuppressed, 0, 0, 0},
		} {
			e := p.Units[tc.unit]
			if e == nil {
				t.Errorf("%s has no estimate", tc.unit)
				continue
			}
			if e.Sample != tc.sample || e.Violating != tc.violating || e.Quality != tc.quality || e.Low > e.Share || e.Share > e.High {
				t.Errorf("%s: %+v, want %d inspected, %d violating, %s", tc.unit, e, tc.sample, tc.violating, tc.quality)
			}
			if tc.share > 0 && (math.Abs(e.Share-tc.share) > 1e-3 || e.Low < tc.low || e.High > tc.high) {
				t.Errorf("%s: share %v in [%v, %v], want %.4f within [%v, %v]", tc.unit, e.Share, e.Low, e.High, tc.share, tc.low, tc.high)
			}
		}
		if e, ok := p.Units["D22"]; ok {
			t.Errorf("D22, refused everywhere, has an estimate: %+v", e)
		}
		if p.Total == nil || p.Total.Sample != 41 || p.Total.Quality != scheduler.QualityOK {
			t.Errorf("the city's estimate: %+v", p.Total)
		}
		// The same estimates, by the same code, as the year's report.
		w = doAs(t, h, planner, "GET", "/api/v1/reports?period=2026&format=json", "")
		var rep report.Report
		if err := json.Unmarshal(w.Body.Bytes(), &rep); err != nil || w.Code != 200 {
			t.Fatalf("report: %d %v", w.Code, err)
		}
		for _, r := range rep.Rows {
			if fmt.Sprint(r.Prevalence) != fmt.Sprint(p.Units[r.AreaCode]) {
				t.Errorf("%s: the report estimates %+v, the coverage API %+v", r.AreaCode, r.Prevalence, p.Units[r.AreaCode])
			}
		}
		// One category: the sample is the whole scope's, so no estimate.
		w = doAs(t, h, planner, "GET", "/api/v1/coverage?category=karaoke", "")
		var cat map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &cat); err != nil || w.Code != 200 {
			t.Fatalf("a category: %d %v", w.Code, err)
		}
		if v, ok := cat["prevalence"]; !ok || v != nil {
			t.Errorf("a category's prevalence: %v (present %v), want null", v, ok)
		}
	})
}
