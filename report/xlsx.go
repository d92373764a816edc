package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"kiemtra/models"
)

// Sheet names of the workbook; the detail sheet is named after the level it lists
// (DetailSheet).
const (
	SheetSummary    = "Tổng hợp"
	SheetViolations = "Vi phạm theo loại"
	// SheetDefinitions defines every figure of the report, as the dashboard's tooltips do.
	SheetDefinitions = "Định nghĩa chỉ số"
)

// DetailSheet names the sheet of a report's lowest level when the area has levels above it
// ("Chi tiết phường, xã" for the 2021 wards), or "" when it has one level only (the 2025
// communes, all on the summary sheet).
func (r *Report) DetailSheet() string {
	if len(r.Levels) < 2 {
		return ""
	}
	name := []rune("Chi tiết " + strings.ToLower(strings.ReplaceAll(r.Levels[len(r.Levels)-1].Name, "/", ", ")))
	if len(name) > 31 { // Excel's limit
		name = name[:31]
	}
	return string(name)
}

// Layout of every sheet: the title and notes, then the Vietnamese headings, the English ones,
// and the rows.
const (
	headRow  = 9
	firstRow = headRow + 2
	labels   = 3 // columns before the figures: level or district, code, name
)

// sheetStyles are the workbook's cell styles.
type sheetStyles struct {
	title, note, noteEN, head, headEN, text, textBold, num, numBold, pct, pctBold int
}

func newStyles(f *excelize.File) (*sheetStyles, error) {
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1}, {Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	wrap := &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"}
	fill := func(color string) excelize.Fill {
		return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
	}
	bold := &excelize.Font{Bold: true}
	st := &sheetStyles{}
	for _, d := range []struct {
		dst *int
		s   excelize.Style
	}{
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&st.note, excelize.Style{Font: &excelize.Font{Size: 10}}},
		{&st.noteEN, excelize.Style{Font: &excelize.Font{Size: 9, Italic: true, Color: "666666"}}},
		{&st.head, excelize.Style{Font: bold, Alignment: wrap, Border: border, Fill: fill("DDEBF7")}},
		{&st.headEN, excelize.Style{Font: &excelize.Font{Italic: true, Size: 9, Color: "444444"}, Alignment: wrap, Border: border, Fill: fill("F2F2F2")}},
		{&st.text, excelize.Style{Border: border}},
		{&st.textBold, excelize.Style{Border: border, Font: bold}},
		{&st.num, excelize.Style{Border: border, NumFmt: 3}}, // #,##0
		{&st.numBold, excelize.Style{Border: border, NumFmt: 3, Font: bold}},
		{&st.pct, excelize.Style{Border: border, NumFmt: 10}}, // 0.00%
		{&st.pctBold, excelize.Style{Border: border, NumFmt: 10, Font: bold}},
	} {
		id, err := f.NewStyle(&d.s)
		if err != nil {
			return nil, err
		}
		*d.dst = id
	}
	return st, nil
}

// XLSX writes a report as a workbook: a summary sheet (the total and each unit of the top level),
// a detail sheet (each unit of the lowest level, with the unit it sits in) when there are
// levels in between, and a sheet of violations by type, each with the report's header, headings
// in Vietnamese with English below them, numbers as numbers and shares as percentages, sized
// columns and the headings frozen. Units are named by their official codes.
func XLSX(r *Report) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return nil, err
	}
	detail := r.DetailSheet()
	for _, name := range []string{detail, SheetViolations, SheetDefinitions} {
		if name == "" {
			continue
		}
		if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
	}
	summary := r.SummaryRows()
	var low models.LevelInfo
	if len(r.Levels) > 0 {
		low = r.Levels[len(r.Levels)-1]
	}
	var lowRows []*Row
	for i := range r.Rows {
		if len(r.Levels) > 1 && r.Rows[i].Level == low.Level {
			lowRows = append(lowRows, &r.Rows[i])
		}
	}
	w := &sheetWriter{f: f, st: st, r: r}
	w.table(SheetSummary, [labels][2]string{{"Cấp", "Level"}, {"Mã địa bàn", "Area code"}, {"Tên địa bàn", "Area"}}, summary,
		func(row *Row) [labels]string { return [labels]string{r.levelName(row), shownCode(row), row.Name} }, figureColumns)
	if detail != "" {
		above := r.Levels[len(r.Levels)-2]
		w.table(detail, [labels][2]string{{above.Name, above.NameEN}, {"Mã " + strings.ToLower(low.Name), low.NameEN + " code"}, {low.Name, low.NameEN}}, lowRows,
			func(row *Row) [labels]string { return [labels]string{row.ParentName, shownCode(row), row.Name} }, figureColumns)
	}
	byType := []column{measureColumn(models.MeasureViolations, func(row *Row) any { return row.Violations })}
	for _, v := range r.ViolationTypes {
		code := v.Code
		byType = append(byType, column{code, v.VI, fmt.Sprintf("%s (%s)", v.EN, code), false, func(row *Row) any { return row.ByCode[code] }})
	}
	w.table(SheetViolations, [labels][2]string{{"Cấp", "Level"}, {"Mã địa bàn", "Area code"}, {"Tên địa bàn", "Area"}}, r.ordered(),
		func(row *Row) [labels]string { return [labels]string{r.levelName(row), shownCode(row), row.Name} }, byType)
	w.definitions()
	if w.err != nil {
		return nil, w.err
	}
	if detail != "" {
		if err := f.AutoFilter(detail, fmt.Sprintf("A%d:%s", headRow+1, cell(labels+len(figureColumns), headRow+1+len(lowRows))), nil); err != nil {
			return nil, err
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: "Báo cáo kết quả kiểm tra " + r.PeriodName + " - " + r.AreaName, Creator: "kiemtra",
		Subject: r.ProgrammeName, Created: r.GeneratedAt.UTC().Format(time.RFC3339), Language: "vi-VN"}); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// definitions writes a line per figure of the report: its key (the CSV heading's and the API's
// name), its names and its definitions, from the vocabulary.
func (w *sheetWriter) definitions() {
	heads := []string{"Mã (key)", "Chỉ số", "Measure", "Định nghĩa", "Definition"}
	for i, h := range heads {
		w.set(SheetDefinitions, i+1, 1, h, w.st.head)
	}
	for i, c := range figureColumns {
		m := models.MeasureOf(c.key)
		for j, v := range []string{m.Key, m.Name, m.NameEN, m.Definition, m.DefinitionEN} {
			w.set(SheetDefinitions, j+1, i+2, v, w.st.text)
		}
	}
	for col, width := range map[string]float64{"A": 24, "B": 34, "C": 30, "D": 80, "E": 80} {
		if w.err == nil {
			w.err = w.f.SetColWidth(SheetDefinitions, col, col, width)
		}
	}
}

func rowPtrs(rows []Row) []*Row {
	out := make([]*Row, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	return out
}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// sheetWriter writes sheets and keeps the first error.
type sheetWriter struct {
	f   *excelize.File
	st  *sheetStyles
	r   *Report
	err error
}

func (w *sheetWriter) set(sheet string, col, row int, v any, style int) {
	if w.err != nil {
		return
	}
	c := cell(col, row)
	if v != nil {
		if w.err = w.f.SetCellValue(sheet, c, v); w.err != nil {
			return
		}
	}
	w.err = w.f.SetCellStyle(sheet, c, c, style)
}

// table writes one sheet: the header block, the two heading rows and a line per row.
func (w *sheetWriter) table(sheet string, heads [labels][2]string, rows []*Row, label func(*Row) [labels]string, cols []column) {
	f := w.f
	vi, en := w.r.notes()
	title := "BÁO CÁO KẾT QUẢ KIỂM TRA CƠ SỞ KINH DOANH DỊCH VỤ - " + strings.ToUpper(w.r.PeriodName)
	w.set(sheet, 1, 1, title, w.st.title)
	for i, line := range vi {
		w.set(sheet, 1, 2+i, line, w.st.note)
	}
	w.set(sheet, 1, 2+len(vi), en, w.st.noteEN)
	for i, h := range heads {
		w.set(sheet, i+1, headRow, h[0], w.st.head)
		w.set(sheet, i+1, headRow+1, h[1], w.st.headEN)
	}
	for i, c := range cols {
		w.set(sheet, labels+1+i, headRow, c.vi, w.st.head)
		w.set(sheet, labels+1+i, headRow+1, c.en, w.st.headEN)
	}
	for n, row := range rows {
		y := firstRow + n
		text, num, pct := w.st.text, w.st.num, w.st.pct
		if row.Level == LevelTotal {
			text, num, pct = w.st.textBold, w.st.numBold, w.st.pctBold
		}
		for i, v := range label(row) {
			w.set(sheet, i+1, y, v, text)
		}
		for i, c := range cols {
			style, v := num, c.value(row)
			if c.pct {
				style = pct
			}
			if q, ok := v.(string); ok { // a flag: read in Vietnamese
				style, v = text, qualityVI[q]
			}
			w.set(sheet, labels+1+i, y, v, style)
		}
	}
	if w.err != nil {
		return
	}
	last := labels + len(cols)
	widths := []float64{14, 12, 28}
	if sheet != SheetSummary && sheet != SheetViolations {
		widths[0] = 22
	}
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if w.err = f.SetColWidth(sheet, col, col, wd); w.err != nil {
			return
		}
	}
	from, _ := excelize.ColumnNumberToName(labels + 1)
	to, _ := excelize.ColumnNumberToName(last)
	width := 15.0
	if sheet == SheetViolations {
		width = 20
	}
	if w.err = f.SetColWidth(sheet, from, to, width); w.err != nil {
		return
	}
	if w.err = f.SetRowHeight(sheet, headRow, 78); w.err != nil {
		return
	}
	if w.err = f.SetRowHeight(sheet, headRow+1, 36); w.err != nil {
		return
	}
	top := cell(labels+1, firstRow)
	w.err = f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: labels, YSplit: firstRow - 1, TopLeftCell: top, ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomRight"}}})
}
