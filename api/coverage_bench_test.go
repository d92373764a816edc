package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"kiemtra/coverage"
	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func benchPoints(n int) []models.BusinessCoverage {
	pts := make([]models.BusinessCoverage, n)
	statuses := []string{models.MapInspectedThisYear, models.MapCoveredInProgramme, models.MapNeverInspected, models.MapOverdue, models.MapClosed}
	for i := range pts {
		pts[i] = models.BusinessCoverage{ID: fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i), Name: fmt.Sprintf("Karaoke Hoa Hồng số %d", i), Category: "karaoke",
			Lat: 10 + float64(i%1000)/10000, Lon: 105.7 + float64(i%997)/10000, AreaCode: "31117", Status: statuses[i%5], LastInspected: models.NewDate(2026, 3, 1+i%28)}
	}
	return pts
}

// BenchmarkPointsGeoJSON100k writes 100,000 businesses as GeoJSON points by hand, as the
// coverage map does; BenchmarkPointsEncodingJSON100k does the same with encoding/json, for the
// ratio.
func BenchmarkPointsGeoJSON100k(b *testing.B) {
	pts := benchPoints(100_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf := make([]byte, 0, len(pts)*220)
		buf = append(buf, `{"type":"FeatureCollection","features":[`...)
		for k, p := range pts {
			if k > 0 {
				buf = append(buf, ',')
			}
			buf = appendPointFeature(buf, p)
		}
		buf = append(buf, "]}"...)
		b.SetBytes(int64(len(buf)))
	}
}

func BenchmarkPointsEncodingJSON100k(b *testing.B) {
	pts := benchPoints(100_000)
	type geometry struct {
		Type        string     `json:"type"`
		Coordinates [2]float64 `json:"coordinates"`
	}
	type props struct {
		Kind          string  `json:"kind"`
		Name          string  `json:"name"`
		Category      string  `json:"category"`
		AreaCode      string  `json:"area_code"`
		Status        string  `json:"status"`
		LastInspected *string `json:"last_inspected"`
	}
	type feature struct {
		Type       string   `json:"type"`
		ID         string   `json:"id"`
		Geometry   geometry `json:"geometry"`
		Properties props    `json:"properties"`
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fc := struct {
			Type     string    `json:"type"`
			Features []feature `json:"features"`
		}{Type: "FeatureCollection", Features: make([]feature, len(pts))}
		for k, p := range pts {
			li := p.LastInspected.String()
			fc.Features[k] = feature{"Feature", p.ID, geometry{"Point", [2]float64{p.Lon, p.Lat}}, props{"business", p.Name, p.Category, p.AreaCode, p.Status, &li}}
		}
		out, err := json.Marshal(fc)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(out)))
	}
}

func TestHandWrittenGeoJSONMatchesEncodingJSON(t *testing.T) {
	for _, p := range []models.BusinessCoverage{
		{ID: "a", Name: `Quán "Ốc" <Bà Ba> & con\cháu`, Category: "bar", Lat: 10.123456, Lon: 105.654321, AreaCode: "31117", Status: models.MapClosed},
		{ID: "b", Name: "bad \xff utf8 \u2028", Category: "spa", Lat: -1.5, Lon: 0, Status: models.MapOverdue, LastInspected: models.NewDate(2025, 1, 2)},
	} {
		var got map[string]any
		if err := json.Unmarshal(appendPointFeature(nil, p), &got); err != nil {
			t.Fatalf("%q: not JSON: %v", p.Name, err)
		}
		props := got["properties"].(map[string]any)
		if props["name"] != stringsToValid(p.Name) || props["status"] != p.Status {
			t.Errorf("round trip of %q gave %v", p.Name, props)
		}
	}
}

// stringsToValid is what encoding/json makes of a string with invalid UTF-8.
func stringsToValid(s string) string {
	b, _ := json.Marshal(s)
	var out string
	json.Unmarshal(b, &out)
	return out
}

// benchCity stores a city of n businesses over four wards (with polygons) and m inspections
// from January 2021 to the clock's day (31 August 2025), a quarter of them violations with a finding and one in 400 corrected with
// a finding of its own, and a planned task for every fifth business in a week of 2025; SQL
// generates the rows in the database. It returns a server whose coverage service's clock is
// 1 September 2025.
func benchCity(b *testing.B, db *store.DB, n, m int) http.Handler {
	b.Helper()
	ctx := context.Background()
	square := func(lon, lat float64) string {
		return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]]}`, lon, lat, lon+0.05, lat, lon+0.05, lat+0.05, lon, lat+0.05, lon, lat)
	}
	p := func(s string) *string { return &s }
	areas := []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity}}
	for i, d := range []string{"D1", "D2"} {
		areas = append(areas, &models.Area{Code: d, ParentCode: p("92"), Name: "Quận " + d, Level: models.AreaLevelDistrict})
		for j, w := range []string{"1", "2"} {
			areas = append(areas, &models.Area{Code: d + w, ParentCode: p(d), Name: "Phường " + d + w, Level: models.AreaLevelWard, Geometry: square(105.7+0.05*float64(j), 10+0.05*float64(i))})
		}
	}
	if err := db.UpsertAreas(ctx, "bench", areas); err != nil {
		b.Fatal(err)
	}
	prog := &models.Programme{Code: "P", Name: "Chương trình 2021-2025", StartsOn: models.NewDate(2021, 1, 1), EndsOn: models.NewDate(2025, 12, 31), RootAreaCode: p("92")}
	prog.ApplyDefaults()
	if err := db.CreateProgramme(ctx, "bench", prog); err != nil {
		b.Fatal(err)
	}
	g := db.Gorm()
	now := time.Now().UTC()
	exec := func(sql string, args ...any) {
		b.Helper()
		if err := g.Exec(sql, args...).Error; err != nil {
			b.Fatal(err)
		}
	}
	if db.Dialect() == store.DialectPostgres {
		exec(`INSERT INTO businesses (id, name, category, licence_no, lat, lon, area_code, status, opened_on, search_text, created_at, updated_at)
			SELECT 'b' || i, 'Karaoke Hoa Hồng ' || i, 'karaoke', 'L' || i, 10 + (i % 1000) / 10000.0, 105.7 + (i % 997) / 10000.0,
			       (ARRAY['D11','D12','D21','D22'])[1 + i % 4], CASE WHEN i % 10 = 0 THEN 'closed' ELSE 'active' END,
			       DATE '2015-01-01' + (i % 4000), '', ?, ? FROM generate_series(1, ?) AS i`, now, now, n)
		exec(`INSERT INTO inspections (id, business_id, started_at, finished_at, outcome, created_at)
			SELECT 'i' || i, 'b' || (1 + (i::bigint * 7919) % ?), TIMESTAMPTZ '2021-01-01' + (i % 1704) * INTERVAL '1 day', TIMESTAMPTZ '2021-01-01' + (i % 1704) * INTERVAL '1 day' + INTERVAL '40 minutes',
			       (ARRAY['compliant','compliant','violation','refused'])[1 + i % 4], ? FROM generate_series(1, ?) AS i`, n, now, m)
		exec(`INSERT INTO inspections (id, business_id, started_at, finished_at, outcome, amends_id, created_at)
			SELECT 'a' || id, business_id, started_at, finished_at, 'violation', id, created_at + INTERVAL '1 hour' FROM inspections WHERE outcome = 'violation' AND substr(id, 2)::bigint % 400 = 2`)
		exec(`INSERT INTO tasks (id, business_id, reason, status, window_start, window_end, created_at, updated_at)
			SELECT 't' || i, 'b' || i, 'coverage', 'planned', DATE '2025-01-06' + 7 * (i % 52), DATE '2025-12-31', ?, ? FROM generate_series(5, ?, 5) AS i`, now, now, n)
	} else {
		exec(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
			INSERT INTO businesses (id, name, category, licence_no, lat, lon, area_code, status, opened_on, search_text, created_at, updated_at)
			SELECT 'b' || i, 'Karaoke Hoa Hồng ' || i, 'karaoke', 'L' || i, 10 + (i % 1000) / 10000.0, 105.7 + (i % 997) / 10000.0,
			       CASE i % 4 WHEN 0 THEN 'D11' WHEN 1 THEN 'D12' WHEN 2 THEN 'D21' ELSE 'D22' END, CASE WHEN i % 10 = 0 THEN 'closed' ELSE 'active' END,
			       date('2015-01-01', '+' || (i % 4000) || ' days'), '', ?, ? FROM s`, n, now, now)
		exec(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
			INSERT INTO inspections (id, business_id, started_at, finished_at, outcome, created_at)
			SELECT 'i' || i, 'b' || (1 + (i * 7919) % ?), strftime('%Y-%m-%d %H:%M:%S+00:00', '2021-01-01', '+' || (i % 1704) || ' days'),
			       strftime('%Y-%m-%d %H:%M:%S+00:00', '2021-01-01', '+' || (i % 1704) || ' days', '+40 minutes'),
			       CASE i % 4 WHEN 2 THEN 'violation' WHEN 3 THEN 'refused' ELSE 'compliant' END, ? FROM s`, m, n, now)
		exec(`INSERT INTO inspections (id, business_id, started_at, finished_at, outcome, amends_id, created_at)
			SELECT 'a' || id, business_id, started_at, finished_at, 'violation', id, ? FROM inspections WHERE outcome = 'violation' AND CAST(substr(id, 2) AS INTEGER) % 400 = 2`, now.Add(time.Hour))
		exec(`WITH RECURSIVE s(i) AS (SELECT 5 UNION ALL SELECT i + 5 FROM s WHERE i + 5 <= ?)
			INSERT INTO tasks (id, business_id, reason, status, window_start, window_end, created_at, updated_at)
			SELECT 't' || i, 'b' || i, 'coverage', 'planned', date('2025-01-06', '+' || (7 * (i % 52)) || ' days'), '2025-12-31', ?, ? FROM s`, n, now, now)
	}
	exec(`INSERT INTO inspection_findings (inspection_id, business_id, code, severity) SELECT id, business_id, 'LIC_REG', 'high' FROM inspections WHERE outcome = 'violation'`)
	storetest.SetLastInspected(b, db)
	exec(`ANALYZE`)
	clock := func() time.Time { return time.Date(2025, 9, 1, 10, 0, 0, 0, time.UTC) }
	return New(Config{Store: db, Readiness: db, Plans: db, Coverage: coverage.New(db, clock, time.UTC), Location: time.UTC, Now: clock,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// benchGeoJSONRequest measures the whole GET /api/v1/coverage.geojson?level=ward&points=true
// request for a city-wide planner, as the dashboard sends it: the coverage figures, the points
// query, the hand-written GeoJSON and the gzip compression.
func benchGeoJSONRequest(b *testing.B, h http.Handler, n int) {
	planner := &Principal{Username: "planner", Role: models.RolePlanner, AreaCode: "92", AreaPath: "/92/"}
	get := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/api/v1/coverage.geojson?level=ward&points=true&year=2025", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		req = req.WithContext(WithPrincipal(req.Context(), planner))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	w := get()
	if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
		b.Fatalf("%d %v %.300s", w.Code, w.Header(), w.Body)
	}
	gzipped := w.Body.Len()
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		b.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	if got := bytes.Count(plain, []byte(`"kind":"business"`)); got != n {
		b.Fatalf("%d points, want %d", got, n)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if w := get(); w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
	b.ReportMetric(float64(gzipped)/1e6, "MB-gzip")
	b.ReportMetric(float64(len(plain))/1e6, "MB-plain")
}

// geoJSONRequestSizes are the cities of the whole-request benchmarks: 100,000 businesses with
// the inspections of a five-year programme at its pace (20% a year and more: 200,000), and with
// the million inspections of the coverage benchmark.
var geoJSONRequestSizes = []struct {
	name        string
	inspections int
}{{"200k-inspections", 200_000}, {"1M-inspections", 1_000_000}}

// BenchmarkCoverageGeoJSONRequest100kSQLite is the whole map request over 100,000 businesses on
// the embedded database (the aim: under 300 ms).
func BenchmarkCoverageGeoJSONRequest100kSQLite(b *testing.B) {
	for _, size := range geoJSONRequestSizes {
		b.Run(size.name, func(b *testing.B) {
			db := storetest.NewSQLite(b, storetest.Options{})
			benchGeoJSONRequest(b, benchCity(b, db, 100_000, size.inspections), 100_000)
		})
	}
}

// BenchmarkCoverageGeoJSONRequest100kPostgres is the same on PostgreSQL.
func BenchmarkCoverageGeoJSONRequest100kPostgres(b *testing.B) {
	if os.Getenv(storetest.EnvPostgresURL) == "" {
		b.Skip("needs " + storetest.EnvPostgresURL)
	}
	for _, size := range geoJSONRequestSizes {
		b.Run(size.name, func(b *testing.B) {
			db := storetest.NewPostgres(b, storetest.Options{})
			benchGeoJSONRequest(b, benchCity(b, db, 100_000, size.inspections), 100_000)
		})
	}
}
