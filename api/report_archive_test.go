package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/report"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// storeArchive keeps a test's archive in the store's reports table, as the service's does, so
// that the filters are those of the real queries on both dialects.
type storeArchive struct{ db *store.DB }

func (a storeArchive) SaveArchived(ctx context.Context, actor string, r *report.Archived) (bool, error) {
	f := store.ReportFile(*r)
	created, err := a.db.SaveReportFile(ctx, actor, &f)
	*r = report.Archived(f)
	return created, err
}

func (a storeArchive) FindArchived(ctx context.Context, f models.ArchiveFilter) ([]*report.Archived, int, error) {
	files, total, err := a.db.FindReportFiles(ctx, f)
	out := make([]*report.Archived, len(files))
	for i, x := range files {
		r := report.Archived(*x)
		out[i] = &r
	}
	return out, total, err
}

func (a storeArchive) ArchivedAreas(ctx context.Context, f models.ArchiveFilter) ([]string, error) {
	return a.db.FindReportFileAreas(ctx, f)
}

func (a storeArchive) FindArchivedByID(ctx context.Context, id int64) (*report.Archived, error) {
	f, err := a.db.FindReportFile(ctx, id)
	if err != nil {
		return nil, err
	}
	r := report.Archived(*f)
	return &r, nil
}

func (a storeArchive) ArchivedExists(ctx context.Context, programmeID, period, areaCode, format string) (bool, error) {
	return a.db.ReportFileExists(ctx, programmeID, period, areaCode, format)
}

// archivePage is the archive list's answer.
type archivePage struct {
	Items      []archivedItem
	Total      int
	Limit      int
	Offset     int
	NextOffset *int `json:"next_offset"`
	Areas      []ArchiveArea
}

func getArchive(t *testing.T, h *Server, p *Principal, q string) archivePage {
	t.Helper()
	w := doAs(t, h, p, "GET", "/api/v1/reports/archive"+q, "")
	var page archivePage
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || w.Code != 200 {
		t.Fatalf("GET archive%s as %s: %d %v %s", q, p.Username, w.Code, err, w.Body)
	}
	return page
}

func TestReportArchiveFiltersAndPages(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		env := newPlanServer(t, db)
		violations, err := refdata.Violations()
		if err != nil {
			t.Fatal(err)
		}
		reports := report.New(report.Config{Store: db, Archive: storeArchive{db}, Violations: violations, Location: time.UTC,
			Now: func() time.Time { return time.Date(2026, 8, 20, 9, 0, 0, 0, time.UTC) }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		env.srv.reports = reports
		h := env.srv
		city := &Principal{UserID: "p", Username: "planner", Role: models.RolePlanner, AreaCode: "92", AreaPath: "/92/"}
		district := &Principal{UserID: "d", Username: "d1", Role: models.RolePlanner, AreaCode: "D1", AreaPath: "/92/D1/"}
		ward := &Principal{UserID: "w", Username: "w21", Role: models.RoleViewer, AreaCode: "D21", AreaPath: "/92/D2/D21/"}
		if w := doAs(t, h, city, "POST", "/api/v1/programmes", `{"code":"P","name":"Chương trình 2026-2030","starts_on":"2026-01-01","ends_on":"2030-12-31","root_area_code":"92"}`); w.Code != 201 {
			t.Fatalf("programme: %d %s", w.Code, w.Body)
		}
		// The city's Q1, Q2 and H1 and each district's H1, as workbooks and CSV files.
		if _, err := (&report.ArchiveJob{Service: reports}).Run(ctx, time.Date(2026, 7, 2, 2, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		all := getArchive(t, h, city, "")
		if len(all.Items) != 10 || all.Total != 10 || all.Limit != 50 || all.Offset != 0 || all.NextOffset != nil {
			t.Fatalf("the whole archive: %d items, total %d, limit %d, next %v", len(all.Items), all.Total, all.Limit, all.NextOffset)
		}

		t.Run("the units with reports, for the unit filter", func(t *testing.T) {
			for _, tc := range []struct {
				caller *Principal
				query  string
				want   string
			}{
				{city, "", "92:Cần Thơ D1:Quận D1 D2:Quận D2"},
				{city, "?period=2026-Q1&area=D1", "92:Cần Thơ"}, // the unit chosen does not narrow its own choices
				{district, "", "D1:Quận D1"},
				{ward, "", ""},
			} {
				var got []string
				for _, a := range getArchive(t, h, tc.caller, tc.query).Areas {
					got = append(got, a.Code+":"+a.Name)
				}
				if strings.Join(got, " ") != tc.want {
					t.Errorf("%s%s: %v, want %s", tc.caller.Username, tc.query, got, tc.want)
				}
			}
		})
		t.Run("pages follow one another without gaps or repeats", func(t *testing.T) {
			var ids []int64
			next, pages := 0, 0
			for {
				page := getArchive(t, h, city, fmt.Sprintf("?limit=4&offset=%d", next))
				pages++
				if page.Total != 10 || page.Limit != 4 || page.Offset != next || len(page.Items) > 4 {
					t.Fatalf("page at %d: %d items, total %d, limit %d, offset %d", next, len(page.Items), page.Total, page.Limit, page.Offset)
				}
				for _, it := range page.Items {
					ids = append(ids, it.ID)
				}
				if page.NextOffset == nil {
					break
				}
				if *page.NextOffset != next+4 {
					t.Fatalf("after offset %d the next page is at %d", next, *page.NextOffset)
				}
				next = *page.NextOffset
			}
			if pages != 3 || len(ids) != 10 {
				t.Fatalf("%d pages, %d reports", pages, len(ids))
			}
			for i, it := range all.Items {
				if ids[i] != it.ID {
					t.Fatalf("report %d of the pages is %d, of the whole list %d", i, ids[i], it.ID)
				}
			}
			if past := getArchive(t, h, city, "?offset=20"); len(past.Items) != 0 || past.Total != 10 || past.NextOffset != nil {
				t.Errorf("past the end: %+v", past)
			}
		})

		progID := all.Items[0].ProgrammeID
		for _, tc := range []struct {
			name   string
			caller *Principal
			query  string
			want   []string // the files, newest first
		}{
			{"a period, written in either case", city, "?period=2026-h1&format=xlsx", []string{"bao-cao-kiem-tra_2026-H1_D2.xlsx", "bao-cao-kiem-tra_2026-H1_D1.xlsx", "bao-cao-kiem-tra_2026-H1_92.xlsx"}},
			{"a quarter in CSV", city, "?period=2026-Q2&format=csv", []string{"bao-cao-kiem-tra_2026-Q2_92.csv"}},
			{"a unit", city, "?area=D1", []string{"bao-cao-kiem-tra_2026-H1_D1.csv", "bao-cao-kiem-tra_2026-H1_D1.xlsx"}},
			{"the city's own reports", city, "?area=92&format=xlsx", []string{"bao-cao-kiem-tra_2026-H1_92.xlsx", "bao-cao-kiem-tra_2026-Q2_92.xlsx", "bao-cao-kiem-tra_2026-Q1_92.xlsx"}},
			{"a programme by its code", city, "?programme=P&period=2026-Q1", []string{"bao-cao-kiem-tra_2026-Q1_92.csv", "bao-cao-kiem-tra_2026-Q1_92.xlsx"}},
			{"a programme by its id", city, "?programme=" + progID + "&period=2026-Q1&format=csv", []string{"bao-cao-kiem-tra_2026-Q1_92.csv"}},
			{"a period with no report", city, "?period=2026-Q3", nil},
			{"a district planner: the district's own", district, "", []string{"bao-cao-kiem-tra_2026-H1_D1.csv", "bao-cao-kiem-tra_2026-H1_D1.xlsx"}},
			{"a district planner filtering on the district", district, "?area=D1&format=csv", []string{"bao-cao-kiem-tra_2026-H1_D1.csv"}},
			{"a district planner: no quarter of the city", district, "?period=2026-Q1", nil},
			{"a ward's viewer: no report of the ward's own", ward, "", nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				page := getArchive(t, h, tc.caller, tc.query)
				var got []string
				for _, it := range page.Items {
					got = append(got, it.FileName)
				}
				if strings.Join(got, " ") != strings.Join(tc.want, " ") || page.Total != len(tc.want) {
					t.Errorf("got %v (total %d), want %v", got, page.Total, tc.want)
				}
			})
		}

		for _, tc := range []struct {
			name   string
			caller *Principal
			query  string
			status int
			field  string
		}{
			{"a limit of 0", city, "?limit=0", 400, "limit"},
			{"a limit over 500", city, "?limit=501", 400, "limit"},
			{"a limit that is not a number", city, "?limit=all", 400, "limit"},
			{"a negative offset", city, "?offset=-1", 400, "offset"},
			{"an offset that is not a number", city, "?offset=x", 400, "offset"},
			{"a period written otherwise", city, "?period=Q1/2026", 400, "period"},
			{"a quarter that does not exist", city, "?period=2026-Q5", 400, "period"},
			{"a format the archive does not keep", city, "?format=json", 400, "format"},
			{"an unknown format", city, "?format=pdf", 400, "format"},
			{"an unknown programme", city, "?programme=NOPE", 400, "programme"},
			{"an unknown unit", city, "?area=nowhere", 404, "area"},
			{"another district", district, "?area=D2", 404, "area"},
			{"a ward of another district", district, "?area=D21", 404, "area"},
			{"the city, above a district planner", district, "?area=92", 404, "area"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := doAs(t, h, tc.caller, "GET", "/api/v1/reports/archive"+tc.query, "")
				if e := decodeError(t, w); w.Code != tc.status || e.Field != tc.field {
					t.Fatalf("%d %+v, want %d on %s", w.Code, e, tc.status, tc.field)
				}
			})
		}
		t.Run("a bad value is explained in Vietnamese and English", func(t *testing.T) {
			for lang, want := range map[string]string{"": "phải là số nguyên không âm", "en": "must be a whole number, 0 or more"} {
				req := httptest.NewRequest("GET", "/api/v1/reports/archive?offset=-5", nil)
				if lang != "" {
					req.Header.Set("Accept-Language", lang)
				}
				req = req.WithContext(WithPrincipal(req.Context(), city))
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if e := decodeError(t, w); w.Code != 400 || e.Field != "offset" || e.Message != want {
					t.Errorf("Accept-Language %q: %d %+v, want %q", lang, w.Code, e, want)
				}
			}
		})

		t.Run("the periods of a programme", func(t *testing.T) {
			var got struct {
				ProgrammeCode string `json:"programme_code"`
				Items         []report.PeriodInfo
			}
			for _, q := range []string{"?programme=P", ""} {
				w := doAs(t, h, district, "GET", "/api/v1/reports/periods"+q, "")
				if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 200 {
					t.Fatalf("%d %v %s", w.Code, err, w.Body)
				}
				var names []string
				for _, p := range got.Items {
					names = append(names, fmt.Sprintf("%s:%v", p.Period, p.Closed))
				}
				// 20 August 2026: the third quarter and the second half have begun.
				if got.ProgrammeCode != "P" || strings.Join(names, " ") != "2026:false 2026-H2:false 2026-Q3:false 2026-H1:true 2026-Q2:true 2026-Q1:true" {
					t.Errorf("periods%s: %s %v", q, got.ProgrammeCode, names)
				}
				if len(got.Items) > 3 && (got.Items[0].UnitsOn != models.NewDate(2026, 8, 20) || got.Items[3].UnitsOn != models.NewDate(2026, 6, 30) || got.Items[2].Name != "Quý III năm 2026") {
					t.Errorf("the year's units are of %s, the first half's of %s; Q3 is named %q", got.Items[0].UnitsOn, got.Items[3].UnitsOn, got.Items[2].Name)
				}
			}
			w := doAs(t, h, city, "GET", "/api/v1/reports/periods?programme=NOPE", "")
			if e := decodeError(t, w); w.Code != 400 || e.Field != "programme" {
				t.Errorf("an unknown programme: %d %+v", w.Code, e)
			}
		})
	})
}
