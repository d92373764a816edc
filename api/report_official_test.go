package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"kiemtra/models"
	"kiemtra/officialreport"
	"kiemtra/pdftext"
	"kiemtra/report"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func TestOfficialReportThroughTheAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		env := newPlanServer(t, db)
		env.srv.reports = newReportService(t, db)
		h := env.srv
		city := &Principal{UserID: "p", Username: "planner", Role: models.RolePlanner, AreaCode: "92", AreaPath: "/92/"}
		if w := doAs(t, h, city, "POST", "/api/v1/programmes", `{"code":"P","name":"Kế hoạch 237/KH-UBND phòng, chống mại dâm","starts_on":"2026-01-01","ends_on":"2030-12-31","root_area_code":"92"}`); w.Code != 201 {
			t.Fatalf("programme: %d %s", w.Code, w.Body)
		}
		// Three inspections in February in both districts, one with a violation.
		var visits []models.Visit
		for i, area := range []string{"D1", "D1", "D2"} {
			bs, _, _ := db.FindBusinesses(ctx, models.BusinessFilter{Area: area, Limit: 2})
			at := time.Date(2026, 2, 10+i, 9, 0, 0, 0, time.UTC)
			v := models.Visit{Inspection: &models.Inspection{BusinessID: bs[i%2].ID, StartedAt: at.Add(-time.Hour), FinishedAt: at, Outcome: models.OutcomeCompliant}}
			if i == 0 {
				v.Inspection.Outcome = models.OutcomeViolation
				v.Findings = []*models.Finding{{Code: "LAB_MINOR", Severity: "high"}}
			}
			visits = append(visits, v)
		}
		if err := db.ApplyVisits(ctx, "t", visits); err != nil {
			t.Fatal(err)
		}
		jw := doAs(t, h, city, "GET", "/api/v1/reports?period=2026-Q1&format=json", "")
		var rep report.Report
		if err := json.Unmarshal(jw.Body.Bytes(), &rep); err != nil || jw.Code != 200 || rep.Total.Inspections != 3 {
			t.Fatalf("%d %v %d inspections", jw.Code, err, rep.Total.Inspections)
		}

		t.Run("the PDF's inspection tables are the JSON report's", func(t *testing.T) {
			w := doAs(t, h, city, "GET", "/api/v1/reports?period=2026-Q1&format=pdf", "")
			if w.Code != 200 || w.Header().Get("Content-Type") != "application/pdf" ||
				w.Header().Get("Content-Disposition") != `attachment; filename="bao-cao-chuong-trinh_2026-Q1_92.pdf"` {
				t.Fatalf("%d %v", w.Code, w.Header())
			}
			lines := pdftext.Lines(t, w.Body.Bytes())
			text := strings.Join(lines, "\n")
			flat := strings.Join(strings.Fields(text), " ")
			for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "UBND CẦN THƠ", "SỞ Y TẾ", "Số: /BC-SYT", "Cần Thơ, ngày 02 tháng 03 năm 2026",
				"Kính gửi: Ủy ban nhân dân Cần Thơ.", "Kiểm tra ít nhất 20% số cơ sở", "2,50% (3/120", "Chưa đánh giá", "KT. GIÁM ĐỐC"} {
				if !strings.Contains(flat, want) {
					t.Errorf("the PDF lacks %q:\n%s", want, text)
				}
			}
			rows := rep.SummaryRows()
			if len(rows) != 3 {
				t.Fatalf("%d summary rows, want the total and 2 districts", len(rows))
			}
			for _, row := range rows {
				name := row.Name
				if row.Level == report.LevelTotal {
					name = "Tổng cộng"
				}
				// The figures come six to a table, then the violations six to a table, each row
				// after the unit's code and name.
				for _, cols := range [][]report.Column{report.FigureColumns(), rep.ViolationColumns()} {
					for i := 0; i < len(cols); i += 6 {
						cells := []string{report.ShownCode(row), name}
						for _, c := range cols[i:min(i+6, len(cols))] {
							cells = append(cells, officialreport.FormatValue(c, c.Value(row)))
						}
						if !pdftext.HasRow(lines, cells) {
							t.Errorf("no line with %q in the PDF", cells)
						}
					}
				}
			}
		})
		t.Run("the signer's name typed under the signature", func(t *testing.T) {
			w := doAs(t, h, city, "GET", "/api/v1/reports?period=2026-Q1&format=pdf&signer="+url.QueryEscape("  Nguyễn   Thị Hồng "), "")
			if w.Code != 200 {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			if text := strings.Join(pdftext.Lines(t, w.Body.Bytes()), "\n"); !strings.Contains(text, "Nguyễn Thị Hồng") {
				t.Errorf("the PDF does not name the signer:\n%s", text)
			}
			for _, tc := range []struct{ name, query string }{
				{"digits", "&format=pdf&signer=" + url.QueryEscape("Hồng 123")},
				{"too long", "&format=pdf&signer=" + strings.Repeat("a", 81)},
				{"not the official report", "&format=xlsx&signer=" + url.QueryEscape("Nguyễn Thị Hồng")},
			} {
				w := doAs(t, h, city, "GET", "/api/v1/reports?period=2026-Q1"+tc.query, "")
				if w.Code != 400 || !strings.Contains(w.Body.String(), `"signer"`) {
					t.Errorf("%s: %d %s", tc.name, w.Code, w.Body)
				}
			}
		})
		t.Run("a source's targets and narratives replace the default", func(t *testing.T) {
			h.official = fixedSource{content: &OfficialContent{Targets: []officialreport.Target{{Code: "3.2", Name: "Xã có kế hoạch riêng", Target: "100%", Result: "95%"}},
				Narratives: []officialreport.Narrative{{Agency: "Sở Giáo dục và Đào tạo", Text: "Tuyên truyền cho 12.000 học sinh."}}, Proposals: []string{"Tăng kinh phí tuyên truyền."}}}
			defer func() { h.official = nil }()
			w := doAs(t, h, city, "GET", "/api/v1/reports?period=2026-Q1&format=pdf", "")
			if w.Code != 200 {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			text := strings.Join(pdftext.Lines(t, w.Body.Bytes()), "\n")
			for _, want := range []string{"3.2. Xã có kế hoạch", "1. Sở Giáo dục và Đào tạo", "Tuyên truyền cho 12.000 học sinh.", "- Tăng kinh phí tuyên truyền."} {
				if !strings.Contains(text, want) {
					t.Errorf("the PDF lacks %q", want)
				}
			}
			if strings.Contains(text, "Kiểm tra ít nhất 20%") {
				t.Error("the default targets are printed beside the source's")
			}
		})
		t.Run("the official workbook has the document first and the period report's sheets unchanged", func(t *testing.T) {
			w := doAs(t, h, city, "GET", "/api/v1/reports?period=2026-Q1&format=official.xlsx", "")
			if w.Code != 200 || !strings.Contains(w.Header().Get("Content-Disposition"), "bao-cao-chuong-trinh_2026-Q1_92.xlsx") {
				t.Fatalf("%d %v", w.Code, w.Header())
			}
			f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if sheets := f.GetSheetList(); sheets[0] != officialreport.SheetReport || sheets[1] != report.SheetSummary {
				t.Fatalf("sheets %q", sheets)
			}
			b, _ := f.GetCellValue(officialreport.SheetReport, "A2")
			total, _ := f.GetCellValue(report.SheetSummary, "F11") // the total's inspections
			if b != "SỞ Y TẾ" || total != "3" {
				t.Errorf("issuer %q, inspections %q", b, total)
			}
		})
		t.Run("the period report's workbook is unchanged", func(t *testing.T) {
			w := doAs(t, h, city, "GET", "/api/v1/reports?period=2026-Q1&format=xlsx", "")
			f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if sheets := f.GetSheetList(); w.Code != 200 || sheets[0] != report.SheetSummary {
				t.Fatalf("%d %q", w.Code, sheets)
			}
		})
	})
}

func TestInspectionTargets(t *testing.T) {
	prog := &models.Programme{MinYearlyShare: 0.2, CoverageDeadline: models.NewDate(2025, 12, 31)}
	year := func(y int, share, coverage float64, toDate bool) *report.Report {
		r := &report.Report{Start: models.NewDate(y, 1, 1), End: models.NewDate(y, 12, 31), AsOf: models.NewDate(y, 12, 31), ToDate: toDate}
		r.Total = report.Row{Share: share, InspectedOpenAtStart: int(share * 100), OpenAtStart: 100, Coverage: coverage, Covered: int(coverage * 100), Eligible: 100,
			NeverInspected: 100 - int(coverage*100)}
		return r
	}
	quarter := year(2024, 0.3, 0.5, false)
	quarter.End, quarter.AsOf = models.NewDate(2024, 3, 31), models.NewDate(2024, 3, 31)
	for _, c := range []struct {
		name               string
		rep                *report.Report
		share, cover       string // Đạt, Chưa đạt, Chưa đánh giá
		shareNote, result0 string
	}{
		{"a year that ended above the share", year(2024, 0.25, 0.6, false), "Đạt", "Chưa đánh giá", "", "25,00% (25/100 cơ sở)"},
		{"a year that ended below the share", year(2024, 0.15, 0.6, false), "Chưa đạt", "Chưa đánh giá", "", "15,00% (15/100 cơ sở)"},
		{"a year in progress is not judged", year(2024, 0.25, 0.6, true), "Chưa đánh giá", "Chưa đánh giá", "Chỉ tiêu năm; số liệu tính đến ngày 31/12/2024", ""},
		{"a quarter is not judged on the yearly share", quarter, "Chưa đánh giá", "Chưa đánh giá", "Chỉ tiêu năm; số liệu trong kỳ", ""},
		{"the last year judges the coverage: all covered", year(2025, 0.25, 1, false), "Đạt", "Đạt", "", ""},
		{"the last year judges the coverage: some never inspected", year(2025, 0.25, 0.9, false), "Đạt", "Chưa đạt", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := InspectionTargets(prog, c.rep)
			if len(got) != 2 || officialreport.MetText(got[0].Met) != c.share || officialreport.MetText(got[1].Met) != c.cover || got[0].Note != c.shareNote {
				t.Fatalf("%+v", got)
			}
			if c.result0 != "" && got[0].Result != c.result0 {
				t.Errorf("result %q, want %q", got[0].Result, c.result0)
			}
			if got[0].Target != "≥ 20%/năm" || got[1].Target != "100% đến 31/12/2025" {
				t.Errorf("targets %q, %q", got[0].Target, got[1].Target)
			}
		})
	}
}

func TestOfficialDocument(t *testing.T) {
	prog := &models.Programme{Name: "Kế hoạch 237/KH-UBND"}
	rep := &report.Report{PeriodName: "Quý I năm 2026", AreaName: "Cần Thơ"}
	day := time.Date(2026, 4, 3, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name                                 string
		lead                                 *models.Agency
		city                                 *models.Area
		parent, issuer, number, place, recip string
		title                                string
	}{
		{"the health department under the city", &models.Agency{NameVI: "Sở Y tế thành phố Cần Thơ", ShortVI: "Sở Y tế"}, &models.Area{Name: "Thành phố Cần Thơ", TypeName: "Thành phố"},
			"UBND Thành phố Cần Thơ", "Sở Y tế", "      /BC-SYT", "Cần Thơ", "Ủy ban nhân dân thành phố Cần Thơ", "KT. GIÁM ĐỐC|PHÓ GIÁM ĐỐC"},
		{"a name without its type", &models.Agency{NameVI: "Công an thành phố"}, &models.Area{Name: "Cần Thơ", TypeName: "Thành phố"},
			"UBND Thành phố Cần Thơ", "Công an thành phố", "      /BC-CATP", "Cần Thơ", "Ủy ban nhân dân thành phố Cần Thơ", "KT. GIÁM ĐỐC|PHÓ GIÁM ĐỐC"},
		{"a committee signs for its members", &models.Agency{NameVI: "Ủy ban nhân dân xã, phường"}, nil,
			"UBND Cần Thơ", "Ủy ban nhân dân xã, phường", "      /BC-UBNDXP", "Cần Thơ", "Ủy ban nhân dân Cần Thơ", "TM. ỦY BAN NHÂN DÂN|KT. CHỦ TỊCH|PHÓ CHỦ TỊCH"},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := OfficialDocument(prog, c.lead, c.city, rep, day)
			got := []string{d.IssuerParent, d.Issuer, d.Number, d.Place, d.Recipient, strings.Join(d.SignerTitle, "|")}
			want := []string{c.parent, c.issuer, c.number, c.place, c.recip, c.title}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("got %q\nwant %q", got, want)
			}
			if d.DateLine() != "Cần Thơ, ngày 03 tháng 04 năm 2026" || d.Title() != "Kết quả thực hiện Kế hoạch 237/KH-UBND quý I năm 2026" {
				t.Errorf("%q / %q", d.DateLine(), d.Title())
			}
		})
	}
}

// fixedSource is an OfficialSource that answers the same content for every period.
type fixedSource struct{ content *OfficialContent }

func (f fixedSource) OfficialContent(context.Context, report.Query, *report.Report) (*OfficialContent, error) {
	return f.content, nil
}
