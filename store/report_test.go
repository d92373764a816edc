package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// TestArchivedReportsAreFilteredAndPaged keeps a few reports of two programmes and lists them
// by programme, period, unit (a version, or every version of an official code), format and
// jurisdiction, a page at a time with the total of the matches.
func TestArchivedReportsAreFilteredAndPaged(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedAreas(t, db)
		// Ward 31117 ended with the reorganisation; its code names a commune of the new map.
		if err := db.UpsertAreas(ctx, "test", []*models.Area{
			{Code: "31117@2025", GSOCode: "31117", ParentCode: ptr("92"), Name: "Phường Ninh Kiều", Level: models.AreaLevelCommune, ValidFrom: models.NewDate(2025, 7, 1)},
		}); err != nil {
			t.Fatal(err)
		}
		if err := db.Gorm().Exec("UPDATE areas SET valid_to = ? WHERE code = '31117'", models.NewDate(2025, 6, 30)).Error; err != nil {
			t.Fatal(err)
		}
		old := &models.Programme{Code: "OLD", Name: "2021-2025", StartsOn: models.NewDate(2021, 1, 1), EndsOn: models.NewDate(2025, 12, 31), CoverageDeadline: models.NewDate(2025, 12, 31), MinYearlyShare: 0.2}
		cur := &models.Programme{Code: "NEW", Name: "2026-2030", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31), CoverageDeadline: models.NewDate(2030, 12, 31), MinYearlyShare: 0.2}
		for _, p := range []*models.Programme{old, cur} {
			if err := db.CreateProgramme(ctx, "test", p); err != nil {
				t.Fatal(err)
			}
		}
		at := time.Date(2026, 1, 2, 2, 0, 0, 0, time.UTC)
		var saved []string // oldest first
		save := func(p *models.Programme, period, area, format string) {
			t.Helper()
			name := fmt.Sprintf("%s_%s_%s.%s", p.Code, period, area, format)
			at = at.Add(time.Minute)
			f := &store.ReportFile{Period: period, AreaCode: area, ProgrammeID: p.ID, Format: format, FileName: name, GeneratedAt: at, SHA256: "x", Content: []byte(name)}
			if created, err := db.SaveReportFile(ctx, "scheduler", f); err != nil || !created {
				t.Fatalf("save %s: %v %v", name, created, err)
			}
			saved = append(saved, name)
		}
		for _, format := range []string{"xlsx", "csv"} {
			save(old, "2025-H1", "92", format)
			save(old, "2025-H1", "916", format)
			save(old, "2025-H1", "31117", format)
			save(old, "2025", "92", format)
			save(cur, "2026-Q1", "92", format)
			save(cur, "2026-Q1", "31117@2025", format)
		}
		list := func(f models.ArchiveFilter) ([]string, int) {
			t.Helper()
			files, total, err := db.FindReportFiles(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, x := range files {
				if len(x.Content) != 0 {
					t.Errorf("%s is listed with its content", x.FileName)
				}
				names = append(names, x.FileName)
			}
			return names, total
		}
		newest := func(names ...string) string { return strings.Join(names, " ") }

		for _, tc := range []struct {
			name   string
			filter models.ArchiveFilter
			want   string
		}{
			{"a programme", models.ArchiveFilter{ProgrammeID: cur.ID, Format: "xlsx"}, newest("NEW_2026-Q1_31117@2025.xlsx", "NEW_2026-Q1_92.xlsx")},
			{"a period", models.ArchiveFilter{Period: "2025", Format: "csv"}, newest("OLD_2025_92.csv")},
			{"a programme's period", models.ArchiveFilter{ProgrammeID: old.ID, Period: "2025-H1", Format: "csv"}, newest("OLD_2025-H1_31117.csv", "OLD_2025-H1_916.csv", "OLD_2025-H1_92.csv")},
			{"an official code: every version of it", models.ArchiveFilter{Area: "31117", Format: "xlsx"}, newest("NEW_2026-Q1_31117@2025.xlsx", "OLD_2025-H1_31117.xlsx")},
			{"a version: that version only", models.ArchiveFilter{Area: "31117@2025"}, newest("NEW_2026-Q1_31117@2025.csv", "NEW_2026-Q1_31117@2025.xlsx")},
			{"a district", models.ArchiveFilter{Area: "916"}, newest("OLD_2025-H1_916.csv", "OLD_2025-H1_916.xlsx")},
			{"a district's jurisdiction", models.ArchiveFilter{AreaPath: "/92/916/", Format: "csv"}, newest("OLD_2025-H1_31117.csv", "OLD_2025-H1_916.csv")},
			{"a jurisdiction and a unit outside it", models.ArchiveFilter{AreaPath: "/92/916/", Area: "92"}, ""},
			{"a unit nobody knows", models.ArchiveFilter{Area: "nowhere"}, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, total := list(tc.filter)
				if strings.Join(got, " ") != tc.want || total != len(got) {
					t.Errorf("got %v (total %d), want %s", got, total, tc.want)
				}
			})
		}
		t.Run("pages", func(t *testing.T) {
			var all []string
			for off := 0; ; off += 5 {
				page, total := list(models.ArchiveFilter{Limit: 5, Offset: off})
				if total != len(saved) {
					t.Fatalf("total %d, want %d", total, len(saved))
				}
				if len(page) == 0 {
					break
				}
				all = append(all, page...)
			}
			for i, name := range all {
				if want := saved[len(saved)-1-i]; name != want {
					t.Fatalf("report %d of the pages is %s, want %s (newest first)", i, name, want)
				}
			}
			if len(all) != len(saved) {
				t.Fatalf("the pages hold %d reports, want %d", len(all), len(saved))
			}
			if page, total := list(models.ArchiveFilter{ProgrammeID: old.ID, Limit: 3, Offset: 6}); len(page) != 2 || total != 8 {
				t.Errorf("the last page of a programme's 8: %v (total %d)", page, total)
			}
		})
	})
}
