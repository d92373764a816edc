package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/report"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// newReportService returns a report service over db with an archive in memory, on the clock of
// newPlanServer (2 March 2026).
func newReportService(t *testing.T, db *store.DB) *report.Service {
	t.Helper()
	violations, err := refdata.Violations()
	if err != nil {
		t.Fatal(err)
	}
	archive := &report.MemoryArchive{AreaPath: func(code string) string {
		a, err := db.FindAreaByCode(context.Background(), code)
		if err != nil {
			return ""
		}
		return a.Path
	}}
	return report.New(report.Config{Store: db, Archive: archive, Violations: violations, Location: time.UTC,
		Now: func() time.Time { return time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

func TestReportsThroughTheAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		env := newPlanServer(t, db)
		reports := newReportService(t, db)
		env.srv.reports = reports
		h := env.srv
		city := &Principal{UserID: "p", Username: "planner", Role: models.RolePlanner, AreaCode: "92", AreaPath: "/92/"}
		district := &Principal{UserID: "d", Username: "d1", Role: models.RolePlanner, AreaCode: "D1", AreaPath: "/92/D1/"}
		viewer := &Principal{UserID: "v", Username: "viewer", Role: models.RoleViewer, AreaCode: "D2", AreaPath: "/92/D2/"}
		if w := doAs(t, h, city, "POST", "/api/v1/programmes", `{"code":"P","name":"Chương trình 2026-2030","starts_on":"2026-01-01","ends_on":"2030-12-31","root_area_code":"92"}`); w.Code != 201 {
			t.Fatalf("programme: %d %s", w.Code, w.Body)
		}
		// Two inspections in February, one with a violation.
		bs, _, _ := db.FindBusinesses(ctx, models.BusinessFilter{Area: "D1", Limit: 2})
		at := time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC)
		var visits []models.Visit
		for i, b := range bs {
			v := models.Visit{Inspection: &models.Inspection{BusinessID: b.ID, StartedAt: at.Add(-time.Hour), FinishedAt: at, Outcome: models.OutcomeCompliant}}
			if i == 0 {
				v.Inspection.Outcome = models.OutcomeViolation
				v.Findings = []*models.Finding{{Code: "LAB_MINOR", Severity: "high"}}
			}
			visits = append(visits, v)
		}
		if err := db.ApplyVisits(ctx, "t", visits); err != nil {
			t.Fatal(err)
		}

		t.Run("a workbook to download", func(t *testing.T) {
			w := doAs(t, h, city, "GET", "/api/v1/reports?period=2026-Q1&format=xlsx", "")
			if w.Code != 200 || w.Header().Get("Content-Disposition") != `attachment; filename="bao-cao-kiem-tra_2026-Q1_92.xlsx"` ||
				w.Header().Get("Content-Type") != report.ContentType(report.FormatXLSX) {
				t.Fatalf("%d %v", w.Code, w.Header())
			}
			f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if v, _ := f.GetCellValue(report.SheetSummary, "A4"); !strings.Contains(v, "tính đến ngày 02/03/2026") {
				t.Errorf("the quarter in progress is not marked to date: %q", v)
			}
		})
		t.Run("a CSV file with a byte order mark", func(t *testing.T) {
			w := doAs(t, h, city, "GET", "/api/v1/reports?period=2026-Q1&format=csv", "")
			if w.Code != 200 || !strings.HasPrefix(w.Body.String(), "\ufeffCấp (level)") || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/csv") ||
				!strings.Contains(w.Header().Get("Content-Disposition"), "bao-cao-kiem-tra_2026-Q1_92.csv") {
				t.Fatalf("%d %v %.200s", w.Code, w.Header(), w.Body)
			}
			if n := strings.Count(w.Body.String(), "\n"); n != 1+1+2+4 {
				t.Errorf("%d lines: want a heading, the total, 2 districts and 4 wards", n)
			}
		})
		t.Run("JSON agrees with the coverage figures", func(t *testing.T) {
			w := doAs(t, h, city, "GET", "/api/v1/reports?period=2026&format=json", "")
			var rep report.Report
			if err := json.Unmarshal(w.Body.Bytes(), &rep); err != nil || w.Code != 200 {
				t.Fatalf("%d %v %s", w.Code, err, w.Body)
			}
			cw := send(h, city, "GET", "/api/v1/coverage?programme=P&year=2026", "")
			var cov models.Coverage
			if err := json.Unmarshal(cw.Body.Bytes(), &cov); err != nil || cw.Code != 200 {
				t.Fatalf("coverage %d %s", cw.Code, cw.Body)
			}
			tot := rep.Total
			if !rep.ToDate || tot.InScope != 120 || tot.Inspections != 2 || tot.Violations != 1 || tot.ByCode["LAB_MINOR"] != 1 ||
				tot.InspectedOpenAtStart != cov.Total.InspectedOpenAtStart || tot.Covered != cov.Total.Covered || tot.Eligible != cov.Total.Eligible ||
				tot.Coverage != cov.Total.Coverage || tot.Share != cov.Total.Share || len(rep.RowsOf(models.AreaLevelDistrict)) != len(cov.Rows) {
				t.Fatalf("report %+v\ncoverage %+v", tot, cov.Total)
			}
		})
		t.Run("a district planner gets the district", func(t *testing.T) {
			w := doAs(t, h, district, "GET", "/api/v1/reports?period=2026-Q1&format=json", "")
			var rep report.Report
			json.Unmarshal(w.Body.Bytes(), &rep)
			if w.Code != 200 || rep.AreaCode != "D1" || len(rep.RowsOf(models.AreaLevelWard)) != 2 || rep.Total.Inspections != 2 {
				t.Fatalf("%d %s %d rows", w.Code, rep.AreaCode, len(rep.Rows))
			}
			if w := doAs(t, h, viewer, "GET", "/api/v1/reports?period=2026-Q1&format=json&area=D21", ""); w.Code != 200 {
				t.Fatalf("a viewer's ward: %d %s", w.Code, w.Body)
			}
		})
		t.Run("an unknown format names the formats, in Vietnamese and English", func(t *testing.T) {
			for lang, want := range map[string]string{"": "dùng xlsx, csv, json, pdf (báo cáo chính thức) hoặc official.xlsx", "en": "use xlsx, csv, json, pdf (the official report) or official.xlsx"} {
				req := httptest.NewRequest("GET", "/api/v1/reports?period=2026-Q1&format=docx", nil)
				if lang != "" {
					req.Header.Set("Accept-Language", lang)
				}
				req = req.WithContext(WithPrincipal(req.Context(), city))
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if e := decodeError(t, w); w.Code != 400 || e.Field != "format" || !strings.Contains(e.Message, want) {
					t.Errorf("Accept-Language %q: %d %+v, want %q", lang, w.Code, e, want)
				}
			}
		})
		t.Run("JSON names are composed (NFC)", func(t *testing.T) {
			if err := db.Gorm().Exec("UPDATE areas SET name = ? WHERE code = 'D11'", norm.NFD.String("Phường Tân An")).Error; err != nil {
				t.Fatal(err)
			}
			defer db.Gorm().Exec("UPDATE areas SET name = 'Phường D11' WHERE code = 'D11'")
			w := doAs(t, h, city, "GET", "/api/v1/reports?period=2026-Q1&format=json", "")
			if w.Code != 200 || !strings.Contains(w.Body.String(), `"Phường Tân An"`) || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
				t.Fatalf("%d %v %.300s", w.Code, w.Header(), w.Body)
			}
		})
		for _, tc := range []struct {
			name   string
			caller *Principal
			query  string
			status int
			field  string
		}{
			{"no period", city, "format=xlsx", 400, "period"},
			{"an unknown period format", city, "period=2026-Q5", 400, "period"},
			{"a period written otherwise", city, "period=Q1/2026", 400, "period"},
			{"a period that has not begun", city, "period=2026-Q2", 400, "period"},
			{"a year in the future", city, "period=2031", 400, "period"},
			{"a year no programme ran in", city, "period=2025", 400, "programme"},
			{"a programme that did not run in the period", city, "period=2025-Q4&programme=P", 400, "programme"},
			{"an unknown programme", city, "period=2026-Q1&programme=NOPE", 400, "programme"},
			{"an unknown format", city, "period=2026-Q1&format=docx", 400, "format"},
			{"an area outside the caller's jurisdiction", district, "period=2026-Q1&area=D2", 404, "area"},
			{"a ward outside the caller's jurisdiction", district, "period=2026-Q1&area=D21", 404, "area"},
			{"an unknown area", city, "period=2026-Q1&area=nowhere", 404, "area"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := doAs(t, h, tc.caller, "GET", "/api/v1/reports?"+tc.query, "")
				if e := decodeError(t, w); w.Code != tc.status || e.Field != tc.field {
					t.Fatalf("%d %+v, want %d on %s", w.Code, e, tc.status, tc.field)
				}
			})
		}

		t.Run("the archive serves what the job kept", func(t *testing.T) {
			job := &report.ArchiveJob{Service: reports}
			if _, err := job.Run(ctx, time.Date(2026, 7, 2, 2, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
			w := doAs(t, h, city, "GET", "/api/v1/reports/archive", "")
			var list struct{ Items []report.Archived }
			json.Unmarshal(w.Body.Bytes(), &list)
			// The city's Q1, Q2 and H1 and each district's H1, as workbooks and CSV files.
			if w.Code != 200 || len(list.Items) != 10 || list.Items[0].Period != "2026-H1" || list.Items[9].FileName != "bao-cao-kiem-tra_2026-Q1_92.xlsx" {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			// A district's planner lists the district's reports, not the city's.
			w = doAs(t, h, district, "GET", "/api/v1/reports/archive", "")
			var mine struct{ Items []report.Archived }
			json.Unmarshal(w.Body.Bytes(), &mine)
			if w.Code != 200 || len(mine.Items) != 2 || mine.Items[0].AreaCode != "D1" || mine.Items[1].FileName != "bao-cao-kiem-tra_2026-H1_D1.xlsx" {
				t.Fatalf("a district's archive: %d %s", w.Code, w.Body)
			}
			if w := doAs(t, h, district, "GET", fmt.Sprintf("/api/v1/reports/archive/%d", mine.Items[1].ID), ""); w.Code != 200 ||
				w.Header().Get("Content-Disposition") != `attachment; filename="bao-cao-kiem-tra_2026-H1_D1.xlsx"` {
				t.Fatalf("a district downloads its report: %d %v", w.Code, w.Header())
			}
			q1 := list.Items[9]
			w = doAs(t, h, city, "GET", fmt.Sprintf("/api/v1/reports/archive/%d", q1.ID), "")
			if w.Code != 200 || w.Header().Get("Content-Disposition") != `attachment; filename="bao-cao-kiem-tra_2026-Q1_92.xlsx"` || w.Header().Get("ETag") != `"`+q1.SHA256+`"` || int64(w.Body.Len()) != q1.SizeBytes {
				t.Fatalf("download: %d %v %d bytes", w.Code, w.Header(), w.Body.Len())
			}
			if _, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes())); err != nil {
				t.Fatalf("the download is not a workbook: %v", err)
			}
			for _, bad := range []struct {
				caller *Principal
				path   string
				status int
			}{
				{district, fmt.Sprintf("/api/v1/reports/archive/%d", q1.ID), 404},
				{city, "/api/v1/reports/archive/999", 404},
				{city, "/api/v1/reports/archive/latest", 404},
				{city, "/api/v1/reports/archive?limit=0", 400},
			} {
				if w := doAs(t, h, bad.caller, "GET", bad.path, ""); w.Code != bad.status {
					t.Errorf("GET %s as %s: %d, want %d", bad.path, bad.caller.Username, w.Code, bad.status)
				}
			}
		})
	})
}
