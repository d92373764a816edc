package report

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/reorg/reorgtest"
	"kiemtra/scheduler"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// rowList writes a report's rows as "level code name (version) in_scope" lines.
func rowList(r *Report) string {
	var out []string
	for _, x := range r.Rows {
		out = append(out, fmt.Sprintf("%s %s %s (%s) %d", x.Level, x.GSOCode, x.Name, x.AreaCode, x.InScope))
	}
	return strings.Join(out, "; ")
}

// reformPlan approves the old programme's 2025 plan, drawn in January on the 2021 wards (one
// business in two of each, 20, 20 and 10 in scope), and records the plan's visits of April.
func reformPlan(t *testing.T, db *store.DB, city *reorgtest.City) {
	t.Helper()
	ctx := context.Background()
	b := city.Businesses
	var items []*models.PlanItem
	for _, it := range []struct{ business, ward string }{
		{b[reorgtest.HungLoi][0], reorgtest.HungLoi}, {b[reorgtest.AnKhanh][0], reorgtest.AnKhanh}, {b[reorgtest.AnKhanh][1], reorgtest.AnKhanh}, {b[reorgtest.NhonAi][0], reorgtest.NhonAi},
	} {
		items = append(items, &models.PlanItem{BusinessID: it.business, Group: models.GroupMustCover, InclusionProb: 0.5, WeekStart: models.NewDate(2025, 1, 6), AreaCode: it.ward})
	}
	fig, _ := json.Marshal(models.PlanFigures{Year: 2025, Areas: []models.AreaFigures{{AreaCode: reorgtest.HungLoi, InScope: 20}, {AreaCode: reorgtest.AnKhanh, InScope: 20}, {AreaCode: reorgtest.NhonAi, InScope: 10}}})
	plan := &models.Plan{ProgrammeID: city.Old2021.ID, Year: 2025, Seed: "s", SeedSHA256: "x", Figures: string(fig), Feasible: true}
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
	outcome := map[string]string{b[reorgtest.AnKhanh][0]: models.OutcomeCompliant, b[reorgtest.AnKhanh][1]: models.OutcomeViolation, b[reorgtest.NhonAi][0]: models.OutcomeViolation}
	for _, tk := range tasks {
		o, ok := outcome[tk.BusinessID]
		if !ok {
			continue
		}
		at := reorgtest.InYear(2025, 4, 15)
		id := tk.ID
		if err := db.ApplyVisits(ctx, "t", []models.Visit{{Inspection: &models.Inspection{BusinessID: tk.BusinessID, TaskID: &id, StartedAt: at.Add(-time.Hour), FinishedAt: at, Outcome: o}}}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestReportsAcrossTheReorganisation(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		city := reorgtest.Build(t, db)
		reformPlan(t, db, city)
		violations, err := refdata.Violations()
		if err != nil {
			t.Fatal(err)
		}
		archive := &MemoryArchive{}
		svc := New(Config{Store: db, Archive: archive, Violations: violations, Now: reorgtest.Clock(hcm), Location: hcm, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		report := func(t *testing.T, period, programme, area string) *Report {
			t.Helper()
			per, err := ParsePeriod(period)
			if err != nil {
				t.Fatal(err)
			}
			q := Query{Period: per, Programme: programme, Area: area}
			if err := svc.Resolve(ctx, &q); err != nil {
				t.Fatalf("resolve %s: %v", period, err)
			}
			r, err := svc.Build(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}

		t.Run("the 2024 report lists the 2021 units, 31147 as Hưng Lợi", func(t *testing.T) {
			r := report(t, "2024", "", "")
			want := "district D1 Quận Ninh Kiều (D1) 4; ward 31147 Phường Hưng Lợi (31147) 2; ward 31149 Phường An Khánh (31149) 2; " +
				"district D2 Huyện Phong Điền (D2) 1; ward 31300 Xã Nhơn Ái (31300) 1"
			if got := rowList(r); got != want || r.Note != nil || r.ProgrammeCode != "KH-2021-2025" {
				t.Fatalf("rows %s, note %v", got, r.Note)
			}
			if nhonAi := r.Rows[4]; nhonAi.TipsReceived != 1 || nhonAi.Violations != 1 || nhonAi.ParentName != "Huyện Phong Điền" {
				t.Errorf("Nhơn Ái's tip and violation of 2024, in the ward it was in: %+v", nhonAi)
			}
			content, err := Render(r, FormatCSV)
			if err != nil {
				t.Fatal(err)
			}
			recs, err := ReadCSV(bytes.NewReader(content))
			if err != nil {
				t.Fatal(err)
			}
			if recs[2]["area_code"] != "31147" || recs[2]["name"] != "Phường Hưng Lợi" || recs[2]["level"] != "ward" || recs[2]["parent_code"] != "D1" {
				t.Errorf("the CSV's Hưng Lợi: %v", recs[2])
			}
			if sheet := r.DetailSheet(); sheet != "Chi tiết phường, xã" {
				t.Errorf("the detail sheet is %q", sheet)
			}
		})
		t.Run("the 2026 report lists the 2025 units, 31147 as Tân An", func(t *testing.T) {
			r := report(t, "2026-Q1", "", "")
			want := "commune 31147 Phường Tân An (31147@2025) 3; commune 31150 Xã Phong Điền (31150) 2; commune 31441 Xã Hòa An (31441) 2"
			if got := rowList(r); got != want || r.Note != nil || len(r.Levels) != 1 || r.Levels[0].Name != "Xã/Phường" {
				t.Fatalf("rows %s, note %v, levels %+v", got, r.Note, r.Levels)
			}
			content, err := Render(r, FormatXLSX)
			if err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(content))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			// One level: the communes are on the summary sheet, with their official codes.
			if got := strings.Join(f.GetSheetList(), "|"); got != SheetSummary+"|"+SheetViolations+"|"+SheetDefinitions {
				t.Errorf("sheets %s", got)
			}
			rows, _ := f.GetRows(SheetSummary)
			if len(rows) != firstRow-1+4 || rows[firstRow][0] != "Phường" || rows[firstRow][1] != "31147" || rows[firstRow][2] != "Phường Tân An" {
				t.Errorf("summary rows %d, first commune %v", len(rows), rows[min(firstRow, len(rows)-1)])
			}
			if units := cellText(t, f, SheetSummary, "A6"); units != "Đơn vị hành chính: theo các đơn vị có hiệu lực ngày 31/03/2026" {
				t.Errorf("the units line reads %q", units)
			}
		})
		t.Run("the 2025 report is on the 2025 units with a note, in both languages", func(t *testing.T) {
			r := report(t, "2025", "", "")
			if got := rowList(r); got != "commune 31147 Phường Tân An (31147@2025) 3; commune 31150 Xã Phong Điền (31150) 2" {
				t.Errorf("rows %s", got)
			}
			if r.Note == nil || r.Note.ReorganisedOn != reorgtest.Reform {
				t.Fatalf("note %+v", r.Note)
			}
			content, err := Render(r, FormatXLSX)
			if err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(content))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			vi, en := cellText(t, f, SheetSummary, "A6"), cellText(t, f, SheetSummary, "A8")
			if !strings.Contains(vi, "được tính cho đơn vị mà cơ sở thuộc về vào ngày 31/12/2025") || !strings.Contains(en, "attributed through each business's unit on 2025-12-31") {
				t.Errorf("the note: %q / %q", vi, en)
			}
			// The plan of January, drawn on the 2021 wards, is the sample of the 2025 units: each
			// selected business where it is at the year's end, each ward's population shared
			// among the units its selection went to (An Khánh's 20 half and half).
			tot, tanAn, phongDien := r.Total.Prevalence, r.Rows[0].Prevalence, r.Rows[1].Prevalence
			// Three inspected: too few to publish, each unit's share the weighted mean of its own.
			if tot == nil || tot.Sample != 3 || tot.Violating != 2 || tot.Share <= 0 || tot.Share >= 1 || tot.Quality != scheduler.QualitySuppressed {
				t.Errorf("the total's prevalence %+v", tot)
			}
			if tanAn == nil || tanAn.Sample != 1 || tanAn.Share != 0 || phongDien == nil || phongDien.Sample != 2 || phongDien.Share != 1 || phongDien.High != 1 || phongDien.Low <= 0 {
				t.Errorf("Tân An %+v, Phong Điền %+v", tanAn, phongDien)
			}
		})
		t.Run("the job keeps each period's report on its own units", func(t *testing.T) {
			if _, err := (&ArchiveJob{Service: svc}).Run(ctx, reorgtest.Clock(hcm)()); err != nil {
				t.Fatal(err)
			}
			list, _, _ := archive.FindArchived(ctx, models.ArchiveFilter{})
			byName := map[string]*Archived{}
			for _, a := range list {
				byName[a.FileName] = a
			}
			for name, want := range map[string]bool{
				"bao-cao-kiem-tra_2024_D1.xlsx": true, "bao-cao-kiem-tra_2025-H1_D2.xlsx": true, "bao-cao-kiem-tra_2025-H2_D1.xlsx": false,
				"bao-cao-kiem-tra_2025_92.xlsx": true, "bao-cao-kiem-tra_2026-Q3_92.csv": true, "bao-cao-kiem-tra_2026-H1_31147.xlsx": false,
			} {
				if _, ok := byName[name]; ok != want {
					t.Errorf("%s archived: %v, want %v", name, ok, want)
				}
			}
			// The 2024 file keeps the units it was made on.
			a, err := archive.FindArchivedByID(ctx, byName["bao-cao-kiem-tra_2024_92.csv"].ID)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(a.Content), "Phường Hưng Lợi") || strings.Contains(string(a.Content), "Phường Tân An") || a.AreaCode != reorgtest.Root {
				t.Errorf("the archived 2024 report: %.300s", a.Content)
			}
		})
	})
}
