package officialreport

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/go-pdf/fpdf"

	"kiemtra/pdffont"
)

const font = pdffont.Family

// Page layout (Decree 30/2020/NĐ-CP, Appendix I: A4, left margin 30-35 mm, right 15-20 mm, top
// and bottom 20-25 mm).
const (
	marginLeft   = 30.0
	marginRight  = 15.0
	marginTop    = 20.0
	marginBottom = 20.0
	pageWidth    = 210.0
	width        = pageWidth - marginLeft - marginRight
	// figuresPerTable is how many inspection figures fit beside the unit columns at 7 pt.
	figuresPerTable = 6
	figureWidth     = 18.0
)

// PDF renders the report as an A4 document.
func PDF(in Input) ([]byte, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p := in.nfc()
	d := &p.Doc
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(d.Date)
	pdf.SetModificationDate(d.Date)
	pdf.SetTitle("Báo cáo "+d.Title(), true)
	pdf.SetAuthor(d.Issuer, true)
	pdffont.Register(pdf)
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetAutoPageBreak(true, marginBottom)
	pdf.SetFooterFunc(func() {
		if pdf.PageNo() == 1 {
			return
		}
		pdf.SetY(-14)
		pdf.SetFont(font, "", 8)
		pdf.CellFormat(0, 4, fmt.Sprint(pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	w := &writer{pdf: pdf}

	// The heading: the issuing body on the left, the national motto on the right, the number
	// under the one and the place and date under the other.
	top := pdf.GetY()
	leftW, rightX, rightW := 70.0, marginLeft+70, width-70
	pdf.SetXY(marginLeft-10, top)
	pdf.SetFont(font, "", 10.5)
	if d.IssuerParent != "" {
		pdf.MultiCell(leftW+10, 5, strings.ToUpper(d.IssuerParent), "", "C", false)
	}
	pdf.SetX(marginLeft - 10)
	pdf.SetFont(font, "B", 10.5)
	pdf.MultiCell(leftW+10, 5, strings.ToUpper(d.Issuer), "", "C", false)
	mid := marginLeft - 10 + (leftW+10)/2
	pdf.Line(mid-12, pdf.GetY()+0.5, mid+12, pdf.GetY()+0.5)
	pdf.Ln(2.5)
	pdf.SetX(marginLeft - 10)
	pdf.SetFont(font, "", 10.5)
	number := d.Number
	if number == "" {
		number = "......"
	}
	pdf.MultiCell(leftW+10, 5, "Số: "+number, "", "C", false)
	left := pdf.GetY()
	pdf.SetXY(rightX, top)
	pdf.SetFont(font, "B", 10.5)
	pdf.MultiCell(rightW+5, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "", "C", false)
	pdf.SetX(rightX)
	pdf.SetFont(font, "B", 11)
	pdf.MultiCell(rightW+5, 5.5, "Độc lập - Tự do - Hạnh phúc", "", "C", false)
	rmid := rightX + (rightW+5)/2
	pdf.Line(rmid-28, pdf.GetY()+0.3, rmid+28, pdf.GetY()+0.3)
	pdf.Ln(2.5)
	pdf.SetX(rightX)
	pdf.SetFont(font, "", 10.5)
	pdf.MultiCell(rightW+5, 5, d.DateLine(), "", "C", false)
	pdf.SetY(max(left, pdf.GetY()) + 8)

	pdf.SetFont(font, "B", 13)
	pdf.CellFormat(width, 7, "BÁO CÁO", "", 1, "C", false, 0, "")
	pdf.SetFont(font, "B", 11.5)
	pdf.MultiCell(width, 6, d.Title(), "", "C", false)
	pdf.Line(marginLeft+width/2-20, pdf.GetY()+1, marginLeft+width/2+20, pdf.GetY()+1)
	pdf.Ln(5)
	if d.Recipient != "" {
		pdf.SetFont(font, "", 11.5)
		pdf.CellFormat(width, 6, "Kính gửi: "+d.Recipient+".", "", 1, "C", false, 0, "")
		pdf.Ln(3)
	}
	ref := d.PlanRef
	if ref == "" {
		ref = d.ProgrammeName
	}
	w.para(fmt.Sprintf("Thực hiện %s, %s báo cáo kết quả thực hiện %s như sau:", ref, d.Issuer, lowerFirst(d.PeriodName)))

	w.heading("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")
	if len(p.Targets) == 0 {
		w.para("Chưa có chỉ tiêu được theo dõi trong kỳ.")
	} else {
		rows := make([][]string, len(p.Targets))
		for i, t := range p.Targets {
			name := t.Name
			if t.Code != "" {
				name = t.Code + ". " + t.Name
			}
			rows[i] = []string{fmt.Sprint(i + 1), name, t.Target, t.Result, MetText(t.Met), t.Note}
		}
		w.table([]float64{11, 48, 25, 25, 27, width - 136}, []string{"STT", "Chỉ tiêu", "Chỉ tiêu kế hoạch", "Kết quả", "Đánh giá", "Ghi chú"},
			[]string{"C", "L", "C", "C", "C", "L"}, rows, nil, 8.5)
	}

	w.heading("II. KẾT QUẢ KIỂM TRA CÁC CƠ SỞ KINH DOANH DỊCH VỤ")
	r := p.Inspection
	for _, line := range r.NotesVI() {
		w.small(line)
	}
	summary := r.SummaryRows()
	bold := map[int]bool{0: true}
	for n, t := range inspectionTables(r, figuresPerTable) {
		w.caption(fmt.Sprintf("Bảng %d. %s", n+1, t.title))
		widths := []float64{12, width - 12 - float64(figuresPerTable)*figureWidth}
		heads := []string{"Mã", "Địa bàn"}
		aligns := []string{"C", "L"}
		for _, c := range t.cols {
			widths = append(widths, figureWidth)
			heads = append(heads, c.VI)
			aligns = append(aligns, "R")
		}
		rows := make([][]string, len(summary))
		for i, row := range summary {
			code, name := rowLabels(row)
			cells := []string{code, name}
			for _, c := range t.cols {
				cells = append(cells, FormatValue(c, c.Value(row)))
			}
			rows[i] = cells
		}
		w.table(widths, heads, aligns, rows, bold, 7)
	}

	w.heading("III. KẾT QUẢ THỰC HIỆN CỦA CÁC SỞ, NGÀNH, ĐỊA PHƯƠNG")
	if len(p.Narratives) == 0 {
		w.para("Chưa có báo cáo của các sở, ngành, địa phương trong kỳ.")
	}
	for i, n := range p.Narratives {
		w.subheading(fmt.Sprintf("%d. %s", i+1, n.Agency))
		for _, para := range paragraphs(n.Text) {
			w.para(para)
		}
	}
	w.heading("IV. KHÓ KHĂN, VƯỚNG MẮC")
	w.list(p.Difficulties, "Không có khó khăn, vướng mắc được báo cáo trong kỳ.")
	w.heading("V. ĐỀ XUẤT, KIẾN NGHỊ")
	w.list(p.Proposals, "Không có đề xuất, kiến nghị trong kỳ.")
	pdf.Ln(2)
	w.para(fmt.Sprintf("Trên đây là báo cáo kết quả thực hiện %s %s của %s./.", d.ProgrammeName, lowerFirst(d.PeriodName), d.Issuer))

	// The copies-to list on the left, the signature block on the right.
	if pdf.GetY() > 230 {
		pdf.AddPage()
	}
	pdf.Ln(4)
	y := pdf.GetY()
	pdf.SetXY(marginLeft, y)
	pdf.SetFont(font, "B", 9.5)
	pdf.CellFormat(75, 5, "Nơi nhận:", "", 2, "L", false, 0, "")
	pdf.SetFont(font, "", 8.5)
	for _, c := range d.CopiesTo {
		pdf.SetX(marginLeft)
		pdf.MultiCell(75, 4.2, "- "+c, "", "L", false)
	}
	leftEnd := pdf.GetY()
	pdf.SetXY(marginLeft+80, y)
	pdf.SetFont(font, "B", 11)
	for _, t := range d.SignerTitle {
		pdf.SetX(marginLeft + 80)
		pdf.CellFormat(width-80, 5.5, strings.ToUpper(t), "", 2, "C", false, 0, "")
	}
	pdf.SetX(marginLeft + 80)
	pdf.SetFont(font, "", 9)
	pdf.CellFormat(width-80, 5, "(Ký, ghi rõ họ tên, đóng dấu)", "", 2, "C", false, 0, "")
	pdf.SetXY(marginLeft+80, pdf.GetY()+22)
	pdf.SetFont(font, "B", 11)
	pdf.CellFormat(width-80, 6, d.SignerName, "", 2, "C", false, 0, "")
	pdf.SetY(max(leftEnd, pdf.GetY()))

	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("rendering the official report: %w", err)
	}
	return b.Bytes(), nil
}

// writer draws the blocks of the report's body.
type writer struct{ pdf *fpdf.Fpdf }

func (w *writer) para(s string) {
	w.pdf.SetFont(font, "", 11)
	w.pdf.SetX(marginLeft)
	w.pdf.MultiCell(width, 5.6, s, "", "J", false)
	w.pdf.Ln(1)
}

func (w *writer) small(s string) {
	w.pdf.SetFont(font, "", 9)
	w.pdf.SetX(marginLeft)
	w.pdf.MultiCell(width, 4.4, s, "", "L", false)
}

func (w *writer) heading(s string) {
	if w.pdf.GetY() > 250 {
		w.pdf.AddPage()
	}
	w.pdf.Ln(2.5)
	w.pdf.SetFont(font, "B", 11)
	w.pdf.SetX(marginLeft)
	w.pdf.MultiCell(width, 6, s, "", "L", false)
	w.pdf.Ln(0.5)
}

func (w *writer) subheading(s string) {
	if w.pdf.GetY() > 255 {
		w.pdf.AddPage()
	}
	w.pdf.Ln(1.5)
	w.pdf.SetFont(font, "B", 10)
	w.pdf.SetX(marginLeft)
	w.pdf.MultiCell(width, 5.4, s, "", "L", false)
}

// caption is a table's title, kept on the page of the table's heading and first row.
func (w *writer) caption(s string) {
	_, pageH := w.pdf.GetPageSize()
	if w.pdf.GetY()+48 > pageH-marginBottom {
		w.pdf.AddPage()
	}
	w.subheading(s)
}

func (w *writer) list(items []string, none string) {
	if len(items) == 0 {
		w.para(none)
	}
	for _, it := range items {
		w.para("- " + it)
	}
}

// table draws a bordered table whose cells wrap, its heading repeated on every page it spans;
// the rows whose index bold holds are bold.
func (w *writer) table(widths []float64, heads, aligns []string, rows [][]string, bold map[int]bool, size float64) {
	pdf := w.pdf
	line := size * 0.5
	_, pageH := pdf.GetPageSize()
	limit := pageH - marginBottom - 2
	var head func()
	drawRow := func(cells []string, style string, fill bool, align func(i int) string) {
		pdf.SetFont(font, style, size)
		lines := make([][]string, len(cells))
		sizes := make([]float64, len(cells))
		n := 1
		for i, c := range cells {
			sizes[i] = size
			// A figure is never broken over two lines (150.100.0 / 00 reads as two numbers):
			// one too wide for its column is set smaller instead.
			if align(i) == "R" && !strings.Contains(c, " ") {
				if sw := pdf.GetStringWidth(c); sw > widths[i]-1.6 {
					sizes[i] = size * (widths[i] - 1.6) / sw
				}
				lines[i] = []string{c}
				continue
			}
			lines[i] = pdf.SplitText(c, widths[i]-1.6)
			n = max(n, len(lines[i]))
		}
		h := float64(n)*line + 1.6
		if pdf.GetY()+h > limit {
			pdf.AddPage()
			if !fill { // a row that goes on a new page has the heading above it again
				head()
				pdf.SetFont(font, style, size)
			}
		}
		y, x := pdf.GetY(), marginLeft
		for i := range cells {
			mode := "D"
			if fill {
				pdf.SetFillColor(230, 236, 245)
				mode = "FD"
			}
			pdf.Rect(x, y, widths[i], h, mode)
			pdf.SetFont(font, style, sizes[i])
			for k, l := range lines[i] {
				pdf.SetXY(x+0.8, y+0.8+float64(k)*line)
				pdf.CellFormat(widths[i]-1.6, line, l, "", 0, align(i), false, 0, "")
			}
			pdf.SetFont(font, style, size)
			x += widths[i]
		}
		pdf.SetXY(marginLeft, y+h)
	}
	head = func() { drawRow(heads, "B", true, func(int) string { return "C" }) }
	pdf.SetAutoPageBreak(false, marginBottom)
	defer pdf.SetAutoPageBreak(true, marginBottom)
	pdf.SetDrawColor(90, 90, 90)
	pdf.SetLineWidth(0.15)
	// The heading and the first row stay together.
	if pdf.GetY()+40 > limit {
		pdf.AddPage()
	}
	head()
	for i, r := range rows {
		style := ""
		if bold[i] {
			style = "B"
		}
		drawRow(r, style, false, func(k int) string { return aligns[k] })
	}
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetLineWidth(0.2)
	pdf.Ln(2)
}
