package report

import (
	"context"
	"strings"
	"testing"

	"kiemtra/models"
)

func TestProgrammePeriodsListWhatHasBegunNewestFirst(t *testing.T) {
	old := &models.Programme{Code: "OLD", StartsOn: models.NewDate(2021, 1, 1), EndsOn: models.NewDate(2025, 12, 31), CoverageDeadline: models.NewDate(2025, 12, 31)}
	cur := &models.Programme{Code: "NEW", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31), CoverageDeadline: models.NewDate(2030, 12, 31)}
	// A programme that starts in July and ends in March: only the periods it ran in.
	short := &models.Programme{Code: "S", StartsOn: models.NewDate(2024, 7, 1), EndsOn: models.NewDate(2025, 3, 31), CoverageDeadline: models.NewDate(2025, 3, 31)}
	for _, tc := range []struct {
		name  string
		p     *models.Programme
		today models.Date
		want  string // period:closed:units_on, newest first
	}{
		{"on the first day of a programme", cur, models.NewDate(2026, 1, 1), "2026:o:2026-01-01 2026-H1:o:2026-01-01 2026-Q1:o:2026-01-01"},
		{"in the fourth quarter", cur, models.NewDate(2026, 12, 2),
			"2026:o:2026-12-02 2026-H2:o:2026-12-02 2026-Q4:o:2026-12-02 2026-Q3:c:2026-09-30 2026-H1:c:2026-06-30 2026-Q2:c:2026-06-30 2026-Q1:c:2026-03-31"},
		{"before it begins", cur, models.NewDate(2025, 12, 31), ""},
		{"a programme that has ended", short, models.NewDate(2026, 12, 2),
			"2025:c:2025-03-31 2025-H1:c:2025-03-31 2025-Q1:c:2025-03-31 2024:c:2024-12-31 2024-H2:c:2024-12-31 2024-Q4:c:2024-12-31 2024-Q3:c:2024-09-30"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range ProgrammePeriods(tc.p, tc.today) {
				state := "o"
				if p.Closed {
					state = "c"
				}
				got = append(got, p.Period+":"+state+":"+p.UnitsOn.String())
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("got  %s\nwant %s", strings.Join(got, " "), tc.want)
			}
		})
	}
	t.Run("a finished five-year programme has every period, each accepted by a report", func(t *testing.T) {
		ps := ProgrammePeriods(old, models.NewDate(2026, 12, 2))
		if len(ps) != 5*7 || ps[0].Period != "2025" || ps[len(ps)-1].Period != "2021-Q1" || ps[0].Name != "Năm 2025" || ps[0].NameEN != "year 2025" {
			t.Fatalf("%d periods, from %+v to %+v", len(ps), ps[0], ps[len(ps)-1])
		}
		for _, p := range ps {
			per, err := ParsePeriod(p.Period)
			if err != nil || !runsIn(old, per) || !p.Closed {
				t.Errorf("%s: %v, runs in it %v, closed %v", p.Period, err, runsIn(old, per), p.Closed)
			}
		}
	})
}

func TestMemoryArchiveFiltersAndPages(t *testing.T) {
	ctx := context.Background()
	m := &MemoryArchive{AreaPath: func(code string) string {
		return map[string]string{"92": "/92/", "D1": "/92/D1/", "31117": "/92/D1/31117/", "31117@2025": "/92/31117@2025/"}[code]
	}}
	for _, a := range []*Archived{
		{ProgrammeID: "old", Period: "2025-H1", AreaCode: "92", Format: FormatXLSX, FileName: "1"},
		{ProgrammeID: "old", Period: "2025-H1", AreaCode: "D1", Format: FormatXLSX, FileName: "2"},
		{ProgrammeID: "old", Period: "2025-H1", AreaCode: "31117", Format: FormatCSV, FileName: "3"},
		{ProgrammeID: "new", Period: "2026-Q1", AreaCode: "31117@2025", Format: FormatXLSX, FileName: "4"},
		{ProgrammeID: "new", Period: "2026-Q1", AreaCode: "92", Format: FormatCSV, FileName: "5"},
	} {
		if _, err := m.SaveArchived(ctx, "t", a); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name  string
		f     models.ArchiveFilter
		want  string
		total int
	}{
		{"everything, newest first", models.ArchiveFilter{}, "5 4 3 2 1", 5},
		{"a page", models.ArchiveFilter{Limit: 2, Offset: 1}, "4 3", 5},
		{"past the end", models.ArchiveFilter{Offset: 9}, "", 5},
		{"a programme", models.ArchiveFilter{ProgrammeID: "old"}, "3 2 1", 3},
		{"a period and a format", models.ArchiveFilter{Period: "2026-Q1", Format: FormatCSV}, "5", 1},
		{"an official code", models.ArchiveFilter{Area: "31117"}, "4 3", 2},
		{"a version", models.ArchiveFilter{Area: "31117@2025"}, "4", 1},
		{"a jurisdiction", models.ArchiveFilter{AreaPath: "/92/D1/"}, "3 2", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list, total, err := m.FindArchived(ctx, tc.f)
			var got []string
			for _, a := range list {
				got = append(got, a.FileName)
			}
			if err != nil || strings.Join(got, " ") != tc.want || total != tc.total {
				t.Errorf("got %v (total %d, %v), want %s (total %d)", got, total, err, tc.want, tc.total)
			}
		})
	}
}
