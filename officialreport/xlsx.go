package officialreport

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"kiemtra/report"
)

// SheetReport is the workbook's first sheet: the document itself. The inspection figures follow
// on the period report's own sheets (report.SheetSummary and the others), unchanged.
const SheetReport = "Báo cáo"

// sheet columns: STT, indicator, target, result, met, note; text spans them all.
var sheetWidths = []float64{6, 44, 20, 20, 14, 30}

// XLSX renders the report as an editable workbook: the document on its first sheet (the same
// heading, sections and signature block as the PDF, the targets as a table), then the period
// report's sheets as report.XLSX writes them.
func XLSX(in Input) ([]byte, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p := in.nfc()
	base, err := report.XLSX(p.Inspection)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(base))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := f.NewSheet(SheetReport); err != nil {
		return nil, err
	}
	if err := f.MoveSheet(SheetReport, f.GetSheetName(0)); err != nil {
		return nil, err
	}
	x, err := newSheet(f)
	if err != nil {
		return nil, err
	}
	x.write(p)
	if x.err != nil {
		return nil, x.err
	}
	idx, err := f.GetSheetIndex(SheetReport)
	if err != nil {
		return nil, err
	}
	f.SetActiveSheet(idx)
	if err := f.SetDocProps(&excelize.DocProperties{Title: "Báo cáo " + p.Doc.Title(), Creator: "kiemtra", Subject: p.Doc.ProgrammeName, Language: "vi-VN"}); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type sheet struct {
	f                                                        *excelize.File
	y                                                        int
	err                                                      error
	center, centerBold, title, text, bold, head, cell, cellC int
	small                                                    int
}

func newSheet(f *excelize.File) (*sheet, error) {
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1}, {Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	wrap := func(h string) *excelize.Alignment {
		return &excelize.Alignment{WrapText: true, Vertical: "top", Horizontal: h}
	}
	s := &sheet{f: f, y: 1}
	for _, d := range []struct {
		dst *int
		st  excelize.Style
	}{
		{&s.center, excelize.Style{Alignment: wrap("center")}},
		{&s.centerBold, excelize.Style{Alignment: wrap("center"), Font: &excelize.Font{Bold: true}}},
		{&s.title, excelize.Style{Alignment: wrap("center"), Font: &excelize.Font{Bold: true, Size: 14}}},
		{&s.text, excelize.Style{Alignment: wrap("justify")}},
		{&s.bold, excelize.Style{Alignment: wrap("left"), Font: &excelize.Font{Bold: true}}},
		{&s.small, excelize.Style{Alignment: wrap("left"), Font: &excelize.Font{Size: 9}}},
		{&s.head, excelize.Style{Alignment: wrap("center"), Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}},
		{&s.cell, excelize.Style{Alignment: wrap("left"), Border: border}},
		{&s.cellC, excelize.Style{Alignment: wrap("center"), Border: border}},
	} {
		id, err := f.NewStyle(&d.st)
		if err != nil {
			return nil, err
		}
		*d.dst = id
	}
	for i, wd := range sheetWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(SheetReport, col, col, wd); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *sheet) set(col, row int, v string, style int) {
	if s.err != nil {
		return
	}
	c, _ := excelize.CoordinatesToCellName(col, row)
	if s.err = s.f.SetCellValue(SheetReport, c, v); s.err == nil {
		s.err = s.f.SetCellStyle(SheetReport, c, c, style)
	}
}

// span writes text across columns from..to of the current row, merged, with a height for the
// lines it takes, and moves to the next row.
func (s *sheet) span(from, to int, v string, style int) {
	s.spanAt(s.y, from, to, v, style)
	s.y++
}

func (s *sheet) spanAt(row, from, to int, v string, style int) {
	s.set(from, row, v, style)
	if s.err != nil {
		return
	}
	a, _ := excelize.CoordinatesToCellName(from, row)
	b, _ := excelize.CoordinatesToCellName(to, row)
	if from != to {
		s.err = s.f.MergeCell(SheetReport, a, b)
	}
	w := 0.0
	for i := from; i <= to; i++ {
		w += sheetWidths[i-1]
	}
	s.grow(row, lines(v, w))
}

// grow makes a row tall enough for n lines.
func (s *sheet) grow(row, n int) {
	if s.err != nil || n <= 1 {
		return
	}
	h, err := s.f.GetRowHeight(SheetReport, row)
	if err != nil {
		s.err = err
		return
	}
	if want := float64(n) * 15; want > h {
		s.err = s.f.SetRowHeight(SheetReport, row, want)
	}
}

// lines estimates how many lines text takes in a width of w characters.
func lines(text string, w float64) int {
	n := 0
	for _, l := range strings.Split(text, "\n") {
		n += max(1, int(math.Ceil(float64(utf8.RuneCountInString(l))*1.1/w)))
	}
	return n
}

func (s *sheet) write(p *Input) {
	d := &p.Doc
	last := len(sheetWidths)
	// The heading: the issuing body over columns A-B, the motto over C-F.
	number := d.Number
	if number == "" {
		number = "......"
	}
	s.spanAt(1, 1, 2, strings.ToUpper(d.IssuerParent), s.center)
	s.spanAt(2, 1, 2, strings.ToUpper(d.Issuer), s.centerBold)
	s.spanAt(3, 1, 2, "Số: "+number, s.center)
	s.spanAt(1, 3, last, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", s.centerBold)
	s.spanAt(2, 3, last, "Độc lập - Tự do - Hạnh phúc", s.centerBold)
	s.spanAt(3, 3, last, d.DateLine(), s.center)
	s.y = 5
	s.span(1, last, "BÁO CÁO", s.title)
	s.span(1, last, d.Title(), s.centerBold)
	if d.Recipient != "" {
		s.span(1, last, "Kính gửi: "+d.Recipient+".", s.center)
	}
	s.y++
	ref := d.PlanRef
	if ref == "" {
		ref = d.ProgrammeName
	}
	s.span(1, last, fmt.Sprintf("Thực hiện %s, %s báo cáo kết quả thực hiện %s như sau:", ref, d.Issuer, lowerFirst(d.PeriodName)), s.text)

	s.span(1, last, "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", s.bold)
	if len(p.Targets) == 0 {
		s.span(1, last, "Chưa có chỉ tiêu được theo dõi trong kỳ.", s.text)
	} else {
		for i, h := range []string{"STT", "Chỉ tiêu", "Chỉ tiêu kế hoạch", "Kết quả", "Đánh giá", "Ghi chú"} {
			s.set(i+1, s.y, h, s.head)
		}
		s.y++
		for i, t := range p.Targets {
			name := t.Name
			if t.Code != "" {
				name = t.Code + ". " + t.Name
			}
			n := 1
			for k, v := range []string{fmt.Sprint(i + 1), name, t.Target, t.Result, MetText(t.Met), t.Note} {
				style := s.cell
				if k != 1 && k != 5 {
					style = s.cellC
				}
				s.set(k+1, s.y, v, style)
				n = max(n, lines(v, sheetWidths[k]))
			}
			s.grow(s.y, n)
			s.y++
		}
	}

	s.span(1, last, "II. KẾT QUẢ KIỂM TRA CÁC CƠ SỞ KINH DOANH DỊCH VỤ", s.bold)
	for _, line := range p.Inspection.NotesVI() {
		s.span(1, last, line, s.small)
	}
	sheets := []string{report.SheetSummary}
	if ds := p.Inspection.DetailSheet(); ds != "" {
		sheets = append(sheets, ds)
	}
	sheets = append(sheets, report.SheetViolations, report.SheetDefinitions)
	s.span(1, last, "Số liệu chi tiết tại các trang tính: "+strings.Join(quoteAll(sheets), ", ")+".", s.text)

	s.span(1, last, "III. KẾT QUẢ THỰC HIỆN CỦA CÁC SỞ, NGÀNH, ĐỊA PHƯƠNG", s.bold)
	if len(p.Narratives) == 0 {
		s.span(1, last, "Chưa có báo cáo của các sở, ngành, địa phương trong kỳ.", s.text)
	}
	for i, n := range p.Narratives {
		s.span(1, last, fmt.Sprintf("%d. %s", i+1, n.Agency), s.bold)
		for _, para := range paragraphs(n.Text) {
			s.span(1, last, para, s.text)
		}
	}
	s.span(1, last, "IV. KHÓ KHĂN, VƯỚNG MẮC", s.bold)
	s.list(p.Difficulties, "Không có khó khăn, vướng mắc được báo cáo trong kỳ.")
	s.span(1, last, "V. ĐỀ XUẤT, KIẾN NGHỊ", s.bold)
	s.list(p.Proposals, "Không có đề xuất, kiến nghị trong kỳ.")
	s.span(1, last, fmt.Sprintf("Trên đây là báo cáo kết quả thực hiện %s %s của %s./.", d.ProgrammeName, lowerFirst(d.PeriodName), d.Issuer), s.text)
	s.y++

	// The copies-to list under A-B, the signature block under D-F.
	y := s.y
	s.spanAt(y, 1, 2, "Nơi nhận:", s.bold)
	for i, c := range d.CopiesTo {
		s.spanAt(y+1+i, 1, 2, "- "+c, s.small)
	}
	for i, t := range d.SignerTitle {
		s.spanAt(y+i, 4, last, strings.ToUpper(t), s.centerBold)
	}
	sy := y + len(d.SignerTitle)
	s.spanAt(sy, 4, last, "(Ký, ghi rõ họ tên, đóng dấu)", s.center)
	s.spanAt(sy+5, 4, last, d.SignerName, s.centerBold)
	s.y = max(y+1+len(d.CopiesTo), sy+6)
}

func (s *sheet) list(items []string, none string) {
	if len(items) == 0 {
		s.span(1, len(sheetWidths), none, s.text)
	}
	for _, it := range items {
		s.span(1, len(sheetWidths), "- "+it, s.text)
	}
}

func quoteAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = "“" + x + "”"
	}
	return out
}
