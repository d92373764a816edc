package officialreport

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
	"kiemtra/pdftext"
	"kiemtra/report"
	"kiemtra/scheduler"
)

func ptr[T any](v T) *T { return &v }

// testReport is a quarter's inspection report of a city with two districts, with a fine large
// enough to need thousands separators and a prevalence estimate.
func testReport() *report.Report {
	row := func(level, code, name string, inScope, inspections int, fines int64) report.Row {
		return report.Row{Level: level, AreaCode: code + "@2021", GSOCode: code, Name: name, InScope: inScope, OpenAtStart: inScope - 1,
			Inspections: inspections, Inspected: inspections, InspectedOpenAtStart: inspections, Share: float64(inspections) / float64(inScope-1),
			Eligible: inScope, Covered: inspections, Coverage: float64(inspections) / float64(inScope), NeverInspected: inScope - inspections,
			Violations: 2, Violating: 1, ByCode: map[string]int{"LAB_MINOR": 2}, TipsReceived: 3, TipsHandled: ptr(2),
			SanctionFigures: models.SanctionFigures{Decisions: 1, Fines: 1, FinesAmount: fines}}
	}
	d1 := row(models.AreaLevelDistrict, "916", "Quận Ninh Kiều", 801, 161, 7_500_000)
	d2 := row(models.AreaLevelDistrict, "917", "Quận Bình Thủy", 433, 80, 0)
	// The city's fines are too wide for their column at the table's size: set smaller, never broken.
	total := row(report.LevelTotal, "92", "Thành phố Cần Thơ", 1234, 241, 1_150_100_000)
	total.Violations, total.ByCode["LAB_MINOR"] = 4, 4
	total.Prevalence = &scheduler.Estimate{Share: 0.125, Low: 0.08, High: 0.19, Sample: 40, Quality: scheduler.QualityLow}
	return &report.Report{Period: "2026-Q1", PeriodName: "Quý I năm 2026", PeriodNameEN: "Q1 2026", Start: models.NewDate(2026, 1, 1), End: models.NewDate(2026, 3, 31),
		AsOf: models.NewDate(2026, 3, 31), ProgrammeCode: "KH237", ProgrammeName: "Kế hoạch 237/KH-UBND", AreaCode: "92@2021", AreaGSO: "92", AreaName: "Thành phố Cần Thơ",
		GeneratedAt: time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC), TimeZone: "Asia/Ho_Chi_Minh", UnitsOn: models.NewDate(2026, 3, 31),
		ViolationTypes: []models.ViolationType{{Code: "LAB_MINOR", VI: "Sử dụng lao động chưa đủ 18 tuổi", EN: "Under-age staff"}},
		Levels:         []models.LevelInfo{{Level: models.AreaLevelDistrict, Name: "Quận/Huyện", NameEN: "District", Units: 2}},
		Total:          total, Rows: []report.Row{d1, d2}}
}

// testInput is a report whose text is given decomposed (NFD), as older data may hold it.
func testInput() Input {
	nfd := norm.NFD.String
	return Input{
		Doc: Document{IssuerParent: nfd("UBND thành phố Cần Thơ"), Issuer: nfd("Sở Y tế"), Number: "15/BC-SYT", Place: "Cần Thơ",
			Date: time.Date(2026, 4, 3, 0, 0, 0, 0, time.UTC), PeriodName: "Quý I năm 2026", ProgrammeName: nfd("Kế hoạch 237/KH-UBND phòng, chống mại dâm giai đoạn 2021-2025"),
			Recipient: "Ủy ban nhân dân thành phố Cần Thơ", CopiesTo: []string{"Như trên;", "Bộ Y tế;", "Lưu: VT."},
			SignerTitle: []string{"KT. Giám đốc", "Phó Giám đốc"}, SignerName: "Nguyễn Thị Hồng"},
		Targets: []Target{
			{Code: "T01", Name: "Kiểm tra ít nhất 20% cơ sở kinh doanh dịch vụ mỗi năm", Target: "≥ 20%/năm", Result: "19,61%", Met: ptr(false)},
			{Code: "T02", Name: "Cơ sở được kiểm tra ít nhất một lần", Target: "100%", Result: "19,53%", Note: "đến 31/12/2025"},
		},
		Narratives:   []Narrative{{Agency: "Công an thành phố", Text: nfd("Triệt phá 2 ổ nhóm môi giới mại dâm.\nKhởi tố 3 vụ án.")}},
		Difficulties: []string{"Lực lượng kiểm tra liên ngành còn mỏng."},
		Proposals:    []string{"Bổ sung kinh phí cho đoàn kiểm tra."},
		Inspection:   testReport(),
	}
}

// rowLine says whether a line holds every cell of a table row in order; the row's last cell may
// wrap onto the next line ("Độ tin cậy" / "thấp").
func rowLine(lines []string, cells []string) bool {
	want := strings.Join(cells, " ")
	for i, l := range lines {
		if strings.Contains(l, want) || i+1 < len(lines) && strings.Contains(l+" "+lines[i+1], want) {
			return true
		}
	}
	return false
}

func TestPDF(t *testing.T) {
	b, err := PDF(testInput())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", b[:16])
	}
	if dir := os.Getenv("KIEMTRA_ARTIFACTS"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "official-report-sample.pdf"), b, 0o644)
	}
	lines := pdftext.Lines(t, b)
	text := strings.Join(lines, "\n")
	if !norm.NFC.IsNormalString(text) {
		t.Error("the PDF's text is not in NFC")
	}
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "UBND THÀNH PHỐ CẦN THƠ", "SỞ Y TẾ",
		"Số: 15/BC-SYT", "Cần Thơ, ngày 03 tháng 04 năm 2026", "BÁO CÁO", "Kính gửi: Ủy ban nhân dân thành phố Cần Thơ.",
		"I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "II. KẾT QUẢ KIỂM TRA CÁC CƠ SỞ KINH DOANH DỊCH VỤ", "III. KẾT QUẢ THỰC HIỆN CỦA CÁC SỞ, NGÀNH, ĐỊA PHƯƠNG",
		"IV. KHÓ KHĂN, VƯỚNG MẮC", "V. ĐỀ XUẤT, KIẾN NGHỊ", "1. Công an thành phố", "Triệt phá 2 ổ nhóm môi giới mại dâm.", "Khởi tố 3 vụ án.",
		"- Lực lượng kiểm tra liên ngành còn mỏng.", "- Bổ sung kinh phí cho đoàn kiểm tra.", "Nơi nhận:", "- Lưu: VT.",
		"KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Thị Hồng", "Chưa đạt", "Chưa đánh giá"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	t.Run("the title names the programme and the period", func(t *testing.T) {
		flat := strings.Join(strings.Fields(text), " ")
		if !strings.Contains(flat, "Kết quả thực hiện Kế hoạch 237/KH-UBND phòng, chống mại dâm giai đoạn 2021-2025 quý I năm 2026") {
			t.Errorf("no title in:\n%s", text)
		}
	})
	t.Run("the inspection tables hold the report's figures, formatted", func(t *testing.T) {
		for _, cells := range [][]string{
			{"92", "Tổng cộng", "1.234", "1.233", "241", "241", "241", "19,55%"},
			{"916", "Quận Ninh Kiều", "801", "800", "161", "161", "161", "20,12%"},
			{"917", "Quận Bình Thủy", "433", "432", "80", "80", "80", "18,52%"},
			{"92", "Tổng cộng", "12,50%", "8,00%", "19,00%", "40", "Độ tin cậy thấp"},
			{"916", "Quận Ninh Kiều", "2", "2"}, // violations, then by code
		} {
			if !rowLine(lines, cells) {
				t.Errorf("no line with %q in:\n%s", cells, text)
			}
		}
		if !strings.Contains(text, "7.500.000") {
			t.Error("the fines' amount is not printed with thousands separators")
		}
		if !strings.Contains(text, "1.150.100.000") {
			t.Error("a figure wider than its column is broken over two lines")
		}
	})
	t.Run("every figure of every summary row is in a table", func(t *testing.T) {
		r := testReport()
		for _, tb := range inspectionTables(r, figuresPerTable) {
			for _, row := range r.SummaryRows() {
				code, name := rowLabels(row)
				cells := []string{code, name}
				for _, c := range tb.cols {
					cells = append(cells, FormatValue(c, c.Value(row)))
				}
				if !rowLine(lines, cells) {
					t.Errorf("table %q: no line with %q", tb.title, cells)
				}
			}
		}
	})
}

func TestPDFWithoutDepartmentsSaysSo(t *testing.T) {
	in := testInput()
	in.Narratives, in.Difficulties, in.Proposals, in.Targets = nil, nil, nil, nil
	b, err := PDF(in)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pdftext.Lines(t, b), "\n")
	for _, want := range []string{"Chưa có báo cáo của các sở, ngành, địa phương trong kỳ.", "Chưa có chỉ tiêu được theo dõi trong kỳ.", "Không có đề xuất, kiến nghị trong kỳ."} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q", want)
		}
	}
}

func TestInputWithoutIssuerOrReportIsInvalid(t *testing.T) {
	for _, c := range []struct {
		name, field string
		edit        func(*Input)
	}{
		{"no issuer", "issuer", func(in *Input) { in.Doc.Issuer = " " }},
		{"no date", "date", func(in *Input) { in.Doc.Date = time.Time{} }},
		{"no inspection report", "inspection", func(in *Input) { in.Inspection = nil }},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := testInput()
			c.edit(&in)
			for name, render := range map[string]func(Input) ([]byte, error){"pdf": PDF, "xlsx": XLSX} {
				_, err := render(in)
				if e := models.ErrorAs(err); e == nil || e.Code != models.EINVALID || e.Field != c.field {
					t.Errorf("%s: %v, want invalid %s", name, err, c.field)
				}
			}
		})
	}
}

func TestXLSX(t *testing.T) {
	b, err := XLSX(testInput())
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) < 2 || got[0] != SheetReport || got[1] != report.SheetSummary {
		t.Fatalf("sheets %q: want the report first, then the period report's", got)
	}
	rows, err := f.GetRows(SheetReport)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, r := range rows {
		all = append(all, strings.Join(r, "|"))
	}
	text := strings.Join(all, "\n")
	if !norm.NFC.IsNormalString(text) {
		t.Error("the sheet's text is not in NFC")
	}
	for _, want := range []string{"UBND THÀNH PHỐ CẦN THƠ", "SỞ Y TẾ", "Số: 15/BC-SYT", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Cần Thơ, ngày 03 tháng 04 năm 2026", "BÁO CÁO", "Kết quả thực hiện Kế hoạch 237/KH-UBND phòng, chống mại dâm giai đoạn 2021-2025 quý I năm 2026",
		"1|T01. Kiểm tra ít nhất 20% cơ sở kinh doanh dịch vụ mỗi năm|≥ 20%/năm|19,61%|Chưa đạt", "1. Công an thành phố", "Khởi tố 3 vụ án.",
		"- Bổ sung kinh phí cho đoàn kiểm tra.", "Nơi nhận:", "KT. GIÁM ĐỐC", "Nguyễn Thị Hồng"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report sheet lacks %q:\n%s", want, text)
		}
	}
	t.Run("the inspection sheets are the period report's", func(t *testing.T) {
		base, err := report.XLSX(testReport())
		if err != nil {
			t.Fatal(err)
		}
		g, err := excelize.OpenReader(bytes.NewReader(base))
		if err != nil {
			t.Fatal(err)
		}
		defer g.Close()
		for _, sh := range g.GetSheetList() {
			want, _ := g.GetRows(sh)
			got, err := f.GetRows(sh)
			if err != nil {
				t.Fatalf("%s: %v", sh, err)
			}
			if strings.Join(flatten(got), "\x00") != strings.Join(flatten(want), "\x00") {
				t.Errorf("sheet %q differs from the period report's", sh)
			}
		}
	})
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, strings.Join(r, "\x01"))
	}
	return out
}

func TestFormatValue(t *testing.T) {
	share, count := report.Column{Share: true}, report.Column{}
	for _, c := range []struct {
		col  report.Column
		v    any
		want string
	}{
		{count, 0, "0"}, {count, 999, "999"}, {count, 1234, "1.234"}, {count, int64(88_250_000), "88.250.000"}, {count, -1500, "-1.500"},
		{share, 0.2, "20,00%"}, {share, 0.19556, "19,56%"}, {count, nil, "-"}, {count, scheduler.QualityLow, "Độ tin cậy thấp"},
	} {
		if got := FormatValue(c.col, c.v); got != c.want {
			t.Errorf("FormatValue(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}
