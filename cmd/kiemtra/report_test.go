package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"kiemtra/api"
	"kiemtra/coverage"
	"kiemtra/models"
	"kiemtra/report"
	"kiemtra/scheduler"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// asAdmin sends a GET as a city-wide administrator of the city area.
func asAdmin(h http.Handler, city, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	req = req.WithContext(api.WithPrincipal(req.Context(), &api.Principal{UserID: "admin", Username: "admin", Role: models.RoleAdmin, AreaCode: city, AreaPath: "/" + city + "/"}))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// The "Done when": on the demo data, `kiemtra report --period 2025 --format xlsx`
// writes a workbook whose totals equal the coverage API's for 2025; the CSV file says the same;
// bad input is refused naming what is wrong. The demo is loaded once.
func TestReportCommandOnTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo")
	}
	ctx := context.Background()
	dir := demoDataDir(t)
	cfg := DefaultConfig()
	cfg.DataDir = dir
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db := openDataDir(t, dir)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cities, _, err := db.FindAreas(ctx, models.AreaFilter{Level: models.AreaLevelCity})
	if err != nil || len(cities) != 1 {
		t.Fatalf("the demo's city: %v %v", cities, err)
	}
	city := cities[0].Code
	// The coverage API, as the dashboard calls it.
	h := api.New(api.Config{Store: db, Readiness: db, Plans: db, Coverage: coverage.New(db, time.Now, cfg.Location()), Location: cfg.Location(), Logger: log})
	w := asAdmin(h, city, "/api/v1/coverage?year=2025")
	var cov models.Coverage
	if err := json.Unmarshal(w.Body.Bytes(), &cov); err != nil || w.Code != 200 {
		t.Fatalf("GET /coverage?year=2025: %d %s", w.Code, w.Body)
	}
	if cov.ProgrammeCode != "KH237-2021-2025" || cov.Total.Coverage != 1 || cov.Total.Covered == 0 {
		t.Fatalf("the finished programme: %s at %v (%d of %d)", cov.ProgrammeCode, cov.Total.Coverage, cov.Total.Covered, cov.Total.Eligible)
	}
	env := map[string]string{"KIEMTRA_DATA_DIR": dir}

	t.Run("the workbook's totals are the coverage API's", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "bao-cao.xlsx")
		code, out, errOut := runCLI(t, env, "report", "--period", "2025", "--format", "xlsx", "--out", path)
		if code != 0 || !strings.Contains(out, "wrote "+path) {
			t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
		}
		f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(report.SheetSummary, excelize.Options{RawCellValue: true})
		if err != nil || len(rows) < 10 {
			t.Fatalf("summary sheet: %d rows, %v", len(rows), err)
		}
		col := map[string]int{}
		for i, h := range rows[9] { // the English headings
			col[h] = i
		}
		total := rows[10]
		num := func(heading string) float64 {
			t.Helper()
			i, ok := col[heading]
			if !ok || i >= len(total) {
				t.Fatalf("no column %q in %v", heading, rows[9])
			}
			v, err := strconv.ParseFloat(total[i], 64)
			if err != nil {
				t.Fatalf("%s: %q is not a number", heading, total[i])
			}
			return v
		}
		c := cov.Total
		for _, f := range []struct {
			heading string
			want    float64
		}{
			{models.MeasureOf(models.MeasureOpenAtStart).NameEN, float64(c.OpenAtStart)},
			{models.MeasureOf(models.MeasureInScope).NameEN, float64(c.InScope)},
			{models.MeasureOf(models.MeasureInspections).NameEN, float64(c.Inspections)},
			{models.MeasureOf(models.MeasureInspected).NameEN, float64(c.Inspected)},
			{models.MeasureOf(models.MeasureInspectedOpenAtStart).NameEN, float64(c.InspectedOpenAtStart)},
			{models.MeasureOf(models.MeasureShareInspected).NameEN, c.Share},
			{models.MeasureOf(models.MeasureEligible).NameEN, float64(c.Eligible)},
			{models.MeasureOf(models.MeasureCovered).NameEN, float64(c.Covered)},
			{models.MeasureOf(models.MeasureCoverage).NameEN, c.Coverage},
			{models.MeasureOf(models.MeasureNeverInspected).NameEN, float64(c.NeverInspected)},
			{models.MeasureOf(models.MeasureViolations).NameEN, float64(c.Violations)},
			{models.MeasureOf(models.MeasureViolating).NameEN, float64(c.Violating)},
		} {
			if got := num(f.heading); got != f.want {
				t.Errorf("%s: workbook %v, coverage API %v", f.heading, got, f.want)
			}
		}
		t.Logf("2025 on the demo: %d open on 1 January, %d inspections, %d inspected (%.2f%%), coverage %d of %d (%.0f%%), %d violations",
			c.OpenAtStart, c.Inspections, c.InspectedOpenAtStart, c.Share*100, c.Covered, c.Eligible, c.Coverage*100, c.Violations)
		if len(rows) != 10+1+len(cov.Rows) {
			t.Errorf("%d summary rows, want the total and %d districts", len(rows)-10, len(cov.Rows))
		}
		if !strings.Contains(rows[1][0], "KH237-2021-2025") || !strings.Contains(rows[3][0], "Năm 2025") {
			t.Errorf("header: %q %q", rows[1][0], rows[3][0])
		}
	})

	t.Run("the CSV file says the same", func(t *testing.T) {
		code, out, errOut := runCLI(t, env, "report", "--period", "2025", "--format", "csv", "--out", "-")
		if code != 0 || !strings.HasPrefix(out, "\ufeff") || !strings.Contains(errOut, "KH237-2021-2025 2025") {
			t.Fatalf("exit %d\n%.300s\n%s", code, out, errOut)
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		key := map[string]int{}
		for i, h := range recs[0] {
			key[h[strings.LastIndex(h, "(")+1:len(h)-1]] = i
		}
		levels := map[string]int{}
		for _, r := range recs[1:] {
			levels[r[key["level"]]]++
		}
		// 2025 spans the reorganisation: it is reported on the units in force on 31 December,
		// the old city's communes (the programme's territory), with no district.
		if levels["total"] != 1 || levels[models.AreaLevelCommune] != len(cov.Rows) || len(cov.Rows) != 32 || len(levels) != 2 {
			t.Fatalf("rows by level %v, coverage rows %d", levels, len(cov.Rows))
		}
		tot := recs[1]
		c := cov.Total
		for k, want := range map[string]string{"level": "total", "area_code": city, "inspected_open_at_start": strconv.Itoa(c.InspectedOpenAtStart), "covered": strconv.Itoa(c.Covered),
			"eligible": strconv.Itoa(c.Eligible), "coverage": "1", "inspections": strconv.Itoa(c.Inspections), "period": "2025", "programme": "KH237-2021-2025"} {
			if tot[key[k]] != want {
				t.Errorf("CSV total %s = %q, want %q", k, tot[key[k]], want)
			}
		}
	})

	// A year before the reform is reported on the 2021 units, one after on the 2025 units; the
	// code 31147 reused by the reform names the unit it named then.
	t.Run("each year on its own map", func(t *testing.T) {
		for _, tc := range []struct {
			period string
			levels map[string]int
			unit   string
		}{
			{"2024", map[string]int{"total": 1, "district": 9, "ward": 83}, "Phường Hưng Lợi"},
			{"2025", map[string]int{"total": 1, models.AreaLevelCommune: 32}, "Phường Tân An"},
			// This year's tips include some given only as a place, not located yet: their row.
			{"2026", map[string]int{"total": 1, models.AreaLevelCommune: 103, report.LevelUnplaced: 1}, "Phường Tân An"},
		} {
			code, out, errOut := runCLI(t, env, "report", "--period", tc.period, "--format", "csv", "--out", "-")
			if code != 0 {
				t.Fatalf("%s: exit %d: %s", tc.period, code, errOut)
			}
			recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			levels, name := map[string]int{}, ""
			for _, r := range recs[1:] {
				levels[r[0]]++
				if r[1] == "31147" {
					name = r[2]
				}
			}
			if !maps.Equal(levels, tc.levels) || name != tc.unit {
				t.Errorf("%s: rows by level %v, want %v; 31147 is %q, want %q", tc.period, levels, tc.levels, name, tc.unit)
			}
			// Follow-ups belong to the year of the violation that asked for them (the demo
			// writes them all on the day it loads): each year of the replay has some, and no
			// more done than due, nor more due than violating inspections could ask for.
			col := map[string]int{}
			for i, h := range recs[0] {
				col[h[strings.LastIndex(h, "(")+1:len(h)-1]] = i
			}
			num := func(k string) int {
				n, err := strconv.Atoi(recs[1][col[k]])
				if err != nil {
					t.Fatalf("%s: total %s = %q", tc.period, k, recs[1][col[k]])
				}
				return n
			}
			if fu, done, insp := num("follow_ups_due"), num("follow_ups_done"), num("inspections"); fu == 0 || done > fu || fu > insp {
				t.Errorf("%s: %d follow-ups due, %d done, %d inspections", tc.period, fu, done, insp)
			}
		}
	})

	t.Run("bad input is refused naming the field", func(t *testing.T) {
		for _, tc := range []struct {
			args     []string
			code     int
			contains string
		}{
			{[]string{"report", "--format", "xlsx"}, 2, "--period is required"},
			{[]string{"report", "--period", "2025-Q7"}, 1, "invalid period"},
			{[]string{"report", "--period", "2025", "--format", "pdf"}, 1, "invalid format"},
			{[]string{"report", "--period", "2019"}, 1, "invalid programme"},
			{[]string{"report", "--period", "2030-Q1"}, 1, "invalid period"},
			{[]string{"report", "--period", "2024", "--programme", "PCMD-2026-2030"}, 1, "invalid programme"},
			{[]string{"report", "--period", "2025", "--area", "nowhere"}, 1, "not_found area"},
			{[]string{"report", "--period", "2025", "--bogus"}, 2, "bogus"},
		} {
			code, out, errOut := runCLI(t, env, tc.args...)
			if code != tc.code || !strings.Contains(out+errOut, tc.contains) {
				t.Errorf("%v: exit %d (want %d)\n%s%s\nwant %q", tc.args, code, tc.code, out, errOut, tc.contains)
			}
		}
	})
}

// The job archives each closed period's report once, on both databases, and the archive
// endpoints serve what it kept.
func TestReportJobArchivesThroughTheStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := func(s string) *string { return &s }
		if err := db.UpsertAreas(ctx, "t", []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity},
			{Code: "D1", ParentCode: p("92"), Name: "Quận 1", Level: models.AreaLevelDistrict}, {Code: "W1", ParentCode: p("D1"), Name: "Phường 1", Level: models.AreaLevelWard}}); err != nil {
			t.Fatal(err)
		}
		var bs []*models.Business
		for i := 0; i < 5; i++ {
			bs = append(bs, &models.Business{Name: fmt.Sprintf("Karaoke %d", i), Category: "karaoke", Lat: 10, Lon: 105, AreaCode: "W1", OpenedOn: models.NewDate(2020, 1, 1)})
		}
		if err := db.CreateBusinesses(ctx, "t", bs); err != nil {
			t.Fatal(err)
		}
		prog := &models.Programme{Code: "P", Name: "P", StartsOn: models.NewDate(2025, 1, 1), EndsOn: models.NewDate(2026, 12, 31), RootAreaCode: p("92")}
		prog.ApplyDefaults()
		if err := db.CreateProgramme(ctx, "t", prog); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2025, 5, 5, 3, 0, 0, 0, time.UTC)
		if err := db.ApplyVisits(ctx, "t", []models.Visit{{Inspection: &models.Inspection{BusinessID: bs[0].ID, StartedAt: at, FinishedAt: at, Outcome: models.OutcomeCompliant}}}); err != nil {
			t.Fatal(err)
		}
		cfg := DefaultConfig()
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		now := func() time.Time { return time.Date(2026, 8, 15, 2, 0, 0, 0, cfg.Location()) }
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		m := &Main{Config: &cfg, Log: log, Now: now}
		svc, err := newReportService(m, db)
		if err != nil {
			t.Fatal(err)
		}
		runner := scheduler.NewRunner(db, log, now, cfg.Location())
		if err := runner.Add("", &report.ArchiveJob{Service: svc}); err != nil {
			t.Fatal(err)
		}
		run, err := runner.RunNow(ctx, "reports")
		// Ten periods of the city (2025's seven, 2026's Q1, Q2 and H1) and four of the district
		// (halves and the year), each as a workbook and a CSV file.
		if err != nil || run.Status != "ok" || !strings.Contains(run.Result, "archived 28 reports") {
			t.Fatalf("first run: %+v %v", run, err)
		}
		if run, err = runner.RunNow(ctx, "reports"); err != nil || run.Result != "nothing to do" {
			t.Fatalf("second run: %+v %v", run, err)
		}
		// A replica archiving the same report at the same time stores nothing twice.
		dup := &report.Archived{Period: "2025", AreaCode: "92", ProgrammeID: prog.ID, Format: report.FormatXLSX, FileName: "x.xlsx", GeneratedAt: now(), SHA256: "x", Content: []byte("x")}
		if created, err := (reportArchive{db}).SaveArchived(ctx, "t", dup); err != nil || created {
			t.Fatalf("a second 2025 report: created %v, %v", created, err)
		}
		h := api.New(api.Config{Store: db, Readiness: db, Plans: db, Reports: svc, Location: cfg.Location(), Logger: log})
		w := asAdmin(h, "92", "/api/v1/reports/archive?limit=3")
		var list struct{ Items []report.Archived }
		if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil || w.Code != 200 {
			t.Fatalf("list: %d %s", w.Code, w.Body)
		}
		if len(list.Items) != 3 || list.Items[0].FileName != "bao-cao-kiem-tra_2026-H1_D1.csv" || list.Items[1].FileName != "bao-cao-kiem-tra_2026-H1_D1.xlsx" ||
			list.Items[2].FileName != "bao-cao-kiem-tra_2026-H1_92.csv" || list.Items[0].SizeBytes == 0 {
			t.Fatalf("newest first: %+v", list.Items)
		}
		all, _, _ := db.FindReportFiles(ctx, models.ArchiveFilter{})
		var year *store.ReportFile
		for _, f := range all {
			if f.Period == "2025" && f.AreaCode == "92" && f.Format == report.FormatXLSX {
				year = f
			}
		}
		if len(all) != 28 || year == nil || year.Content != nil {
			t.Fatalf("%d archived; the list carries no content", len(all))
		}
		w = asAdmin(h, "92", fmt.Sprintf("/api/v1/reports/archive/%d", year.ID))
		if w.Code != 200 || w.Header().Get("Content-Disposition") != `attachment; filename="bao-cao-kiem-tra_2025_92.xlsx"` || int64(w.Body.Len()) != year.SizeBytes {
			t.Fatalf("download: %d %v", w.Code, w.Header())
		}
		f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()), excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if v, _ := f.GetCellValue(report.SheetSummary, "F11"); v != "1" {
			t.Errorf("the 2025 workbook's inspections: %q", v)
		}
		if v, err := db.VerifyAudit(ctx); err != nil || !v.OK {
			t.Fatalf("audit log: %+v %v", v, err)
		}
	})
}

// KIEMTRA_TILE_URL reaches the dashboard's map data: GET /coverage.geojson carries it as
// base_map; without it there is none. A URL without the tile placeholders is refused.
func TestTileURLReachesTheMapData(t *testing.T) {
	ctx := context.Background()
	db := storetest.NewSQLite(t, storetest.Options{})
	p := func(s string) *string { return &s }
	if err := db.UpsertAreas(ctx, "t", []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity},
		{Code: "D1", ParentCode: p("92"), Name: "Quận 1", Level: models.AreaLevelDistrict}}); err != nil {
		t.Fatal(err)
	}
	prog := &models.Programme{Code: "P", Name: "P", StartsOn: models.NewDate(2025, 1, 1), EndsOn: models.NewDate(2026, 12, 31), RootAreaCode: p("92")}
	prog.ApplyDefaults()
	if err := db.CreateProgramme(ctx, "t", prog); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, ""},
		{map[string]string{"KIEMTRA_TILE_URL": "https://tiles.example.vn/{z}/{x}/{y}.png", "KIEMTRA_TILE_ATTRIBUTION": "© Bản đồ Cần Thơ"},
			`"base_map":{"tile_url":"https://tiles.example.vn/{z}/{x}/{y}.png","attribution":"© Bản đồ Cần Thơ"}`},
		{map[string]string{"KIEMTRA_TILE_URL": "/tiles/{z}/{x}/{y}.png"}, `"base_map":{"tile_url":"/tiles/{z}/{x}/{y}.png"}`},
	} {
		cfg := DefaultConfig()
		if err := cfg.LoadEnv(func(k string) string { return tc.env[k] }); err != nil {
			t.Fatal(err)
		}
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		now := func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, cfg.Location()) }
		svc, err := newReportService(&Main{Config: &cfg, Log: log, Now: now}, db)
		if err != nil {
			t.Fatal(err)
		}
		h := api.New(api.Config{Store: db, Readiness: db, Plans: db, Reports: svc, Coverage: coverage.New(db, now, cfg.Location()), Location: cfg.Location(), Logger: log})
		w := asAdmin(h, "92", "/api/v1/coverage.geojson")
		body := w.Body.String()
		if w.Code != 200 || (tc.want == "" && strings.Contains(body, "base_map")) || !strings.Contains(body, tc.want) {
			t.Errorf("%v: %d %.300s", tc.env, w.Code, body)
		}
	}
	for _, bad := range []map[string]string{
		{"KIEMTRA_TILE_URL": "https://tiles.example.vn/tile.png"},
		{"KIEMTRA_TILE_URL": "ftp://tiles.example.vn/{z}/{x}/{y}.png"},
		{"KIEMTRA_TILE_URL": "tiles/{z}/{x}/{y}.png"},
		{"KIEMTRA_TILE_ATTRIBUTION": "© someone"},
	} {
		cfg := DefaultConfig()
		if err := cfg.LoadEnv(func(k string) string { return bad[k] }); err != nil {
			t.Fatal(err)
		}
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), "KIEMTRA_TILE_") {
			t.Errorf("%v: %v, want an error naming the variable", bad, err)
		}
	}
}

func TestReportScheduleIsValidated(t *testing.T) {
	code, out, errOut := runCLI(t, map[string]string{"KIEMTRA_CRON_REPORTS": "every day", "KIEMTRA_DATA_DIR": t.TempDir()}, "migrate", "status")
	if code != 1 || !strings.Contains(out+errOut, "KIEMTRA_CRON_REPORTS") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
}
