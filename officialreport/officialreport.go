// Package officialreport writes the programme's official periodic report to the city People's
// Committee (a quarter, a half-year or a year) in the layout of a Vietnamese administrative
// document (Decree 30/2020/NĐ-CP): the national heading and the issuing body, the number, the
// place and date, the title, the recipient, the results per target, the inspection figures (the
// period report of package report, with its columns and figures unchanged), the departments'
// narratives, the difficulties and the proposals, the copies-to list and the signature block. It
// renders a PDF and an XLSX workbook from an Input and nothing else: no database, no HTTP.
package officialreport

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"kiemtra/models"
	"kiemtra/report"
)

// Document is what the report says about itself: who issues it, its number and date, the
// period and the programme, to whom it goes and who signs it.
type Document struct {
	// IssuerParent is the body above the issuer ("UBND THÀNH PHỐ CẦN THƠ"); Issuer the issuing
	// agency, the programme's lead ("SỞ Y TẾ"). Printed in capitals.
	IssuerParent string
	Issuer       string
	// Number is the document's number and symbol as the clerical office registers it, printed
	// after "Số: " ("15/BC-SYT"; ".../BC-SYT" before it is registered).
	Number string
	Place  string    // the place of the date line: "Cần Thơ"
	Date   time.Time // the day the report is signed
	// PeriodName names the period as a Vietnamese report does ("Quý I năm 2026").
	PeriodName string
	// ProgrammeName is the programme as the title names it ("Kế hoạch 237/KH-UBND phòng,
	// chống mại dâm giai đoạn 2021-2025"); PlanRef the text the opening cites it by ("Kế hoạch
	// số 237/KH-UBND ngày 22/11/2021 của UBND thành phố"; empty: ProgrammeName).
	ProgrammeName string
	PlanRef       string
	Recipient     string   // after "Kính gửi: ": "Ủy ban nhân dân thành phố Cần Thơ"
	CopiesTo      []string // the "Nơi nhận:" list, each line as printed after "- "
	// SignerTitle is the signature block's title lines ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC");
	// SignerName the signer's name, empty until it is known.
	SignerTitle []string
	SignerName  string
}

// Target is one line of the results per target: the indicator, its target and the result of
// the period, whether it is met (nil: not judged in this period) and a note.
type Target struct {
	Code   string
	Name   string
	Target string
	Result string
	Met    *bool
	Note   string
}

// Narrative is a department's or a unit's account of its part of the programme in the period.
type Narrative struct {
	Agency string
	Text   string // paragraphs separated by blank lines or new lines
}

// Input is everything a report is rendered from.
type Input struct {
	Doc          Document
	Targets      []Target
	Narratives   []Narrative
	Difficulties []string
	Proposals    []string
	// Inspection is the period report of the inspections, rendered with its own columns.
	Inspection *report.Report
}

// Validate checks what a report cannot be written without.
func (in *Input) Validate() error {
	var v models.Validation
	if strings.TrimSpace(in.Doc.Issuer) == "" {
		v.Add("issuer", "is required: the programme's lead agency", "bắt buộc: cơ quan chủ trì chương trình")
	}
	if in.Doc.Date.IsZero() {
		v.Add("date", "is required", "không được để trống")
	}
	if in.Inspection == nil {
		v.Add("inspection", "is required: the period's inspection report", "bắt buộc: báo cáo kết quả kiểm tra của kỳ")
	}
	return v.Err()
}

// nfc returns a copy of the input whose text is in Unicode NFC, as report.Render does for the
// period report: stored names are normalised, but older data may be decomposed.
func (in *Input) nfc() *Input {
	c := *in
	d := &c.Doc
	for _, p := range []*string{&d.IssuerParent, &d.Issuer, &d.Number, &d.Place, &d.PeriodName, &d.ProgrammeName, &d.PlanRef, &d.Recipient, &d.SignerName} {
		*p = models.NFC(*p)
	}
	d.CopiesTo, d.SignerTitle = nfcAll(d.CopiesTo), nfcAll(d.SignerTitle)
	c.Targets = make([]Target, len(in.Targets))
	for i, t := range in.Targets {
		t.Code, t.Name, t.Target, t.Result, t.Note = models.NFC(t.Code), models.NFC(t.Name), models.NFC(t.Target), models.NFC(t.Result), models.NFC(t.Note)
		c.Targets[i] = t
	}
	c.Narratives = make([]Narrative, len(in.Narratives))
	for i, n := range in.Narratives {
		c.Narratives[i] = Narrative{Agency: models.NFC(n.Agency), Text: models.NFC(n.Text)}
	}
	c.Difficulties, c.Proposals = nfcAll(in.Difficulties), nfcAll(in.Proposals)
	if in.Inspection != nil {
		c.Inspection = in.Inspection.NFC()
	}
	return &c
}

func nfcAll(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = models.NFC(x)
	}
	return out
}

// Title is the report's title line under "BÁO CÁO".
func (d *Document) Title() string {
	t := "Kết quả thực hiện " + d.ProgrammeName
	if d.PeriodName != "" {
		t += " " + lowerFirst(d.PeriodName)
	}
	return t
}

// DateLine is the place and date line: "Cần Thơ, ngày 02 tháng 03 năm 2026".
func (d *Document) DateLine() string {
	place := d.Place
	if place == "" {
		place = "......"
	}
	return fmt.Sprintf("%s, ngày %02d tháng %02d năm %d", place, d.Date.Day(), int(d.Date.Month()), d.Date.Year())
}

// FileName names an official report's file after its period report's
// (bao-cao-chuong-trinh_2026-Q1_92.pdf), with the extension ext.
func FileName(r *report.Report, ext string) string {
	return "bao-cao-chuong-trinh" + strings.TrimPrefix(r.FileName(ext), "bao-cao-kiem-tra")
}

// MetText is how the results table judges a target.
func MetText(met *bool) string {
	switch {
	case met == nil:
		return "Chưa đánh giá"
	case *met:
		return "Đạt"
	}
	return "Chưa đạt"
}

// FormatValue prints a figure of the inspection tables as a Vietnamese report writes it: whole
// numbers with dots between thousands (1.234), shares as percentages with two decimals and a
// decimal comma (20,50%), a quality flag in words, and "-" for an empty cell.
func FormatValue(c report.Column, v any) string {
	switch x := v.(type) {
	case nil:
		return "-"
	case int:
		return thousands(int64(x))
	case int64:
		return thousands(x)
	case float64:
		if c.Share {
			return Percent(x)
		}
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return thousands(int64(x))
		}
		return strings.Replace(strconv.FormatFloat(x, 'f', 2, 64), ".", ",", 1)
	case string:
		if q := report.QualityVI(x); q != "" {
			return q
		}
		return x
	}
	return fmt.Sprint(v)
}

// Percent prints a share (0.205) as "20,50%".
func Percent(x float64) string {
	return strings.Replace(strconv.FormatFloat(x*100, 'f', 2, 64), ".", ",", 1) + "%"
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// paragraphs splits a narrative into its non-empty lines.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// inspectionTable is a part of the inspection figures small enough for a page's width: the
// row labels and a run of columns.
type inspectionTable struct {
	title string
	cols  []report.Column
}

// inspectionTables cuts the period report's figure columns, then its violation columns, into
// runs of at most per columns.
func inspectionTables(r *report.Report, per int) []inspectionTable {
	var out []inspectionTable
	cut := func(title string, cols []report.Column) {
		for i := 0; i < len(cols); i += per {
			part := cols[i:min(i+per, len(cols))]
			t := title
			if len(cols) > per {
				t = fmt.Sprintf("%s (%d/%d)", title, i/per+1, (len(cols)+per-1)/per)
			}
			out = append(out, inspectionTable{title: t, cols: part})
		}
	}
	cut("Số liệu kiểm tra", report.FigureColumns())
	cut("Vi phạm theo loại", r.ViolationColumns())
	return out
}

// rowLabels are a row's label cells in the inspection tables: its unit's official code and
// name ("Tổng cộng" for the total: the area is named above the tables).
func rowLabels(row *report.Row) (code, name string) {
	switch row.Level {
	case report.LevelTotal:
		return report.ShownCode(row), "Tổng cộng"
	case report.LevelUnplaced:
		return "", "Chưa xác định địa bàn"
	}
	return report.ShownCode(row), row.Name
}

// Number writes a whole number as Vietnamese documents do (1.234.567).
func Number(n int64) string { return thousands(n) }
