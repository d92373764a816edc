package report

import (
	"fmt"

	"kiemtra/models"
)

// Column is one figure of a report's rows as the workbook and the CSV file give it: its key (the
// CSV heading and the API's name), its headings, whether it is a share (printed as a
// percentage), and its value in a row: an int, a float64, a string (a quality flag, see
// QualityVI) or nil for an empty cell. Other renderings (the official report's PDF) read the
// same columns, so that their figures are the workbook's.
type Column struct {
	Key, VI, EN string
	Share       bool
	Value       func(r *Row) any
}

// FigureColumns lists the figures of every row, in the order of the workbook's sheets.
func FigureColumns() []Column {
	out := make([]Column, len(figureColumns))
	for i, c := range figureColumns {
		out[i] = Column{Key: c.key, VI: c.vi, EN: c.en, Share: c.pct, Value: c.value}
	}
	return out
}

// ViolationColumns lists the columns of the violations sheet: the findings, then each
// violation type of the report.
func (r *Report) ViolationColumns() []Column {
	v := measureColumn(models.MeasureViolations, func(row *Row) any { return row.Violations })
	out := []Column{{Key: v.key, VI: v.vi, EN: v.en, Value: v.value}}
	for _, t := range r.ViolationTypes {
		code := t.Code
		out = append(out, Column{Key: code, VI: t.VI, EN: fmt.Sprintf("%s (%s)", t.EN, code), Value: func(row *Row) any { return row.ByCode[code] }})
	}
	return out
}

// SummaryRows lists the rows of the workbook's summary sheet: the total, each unit of the top
// level, and the tips placed in no unit when there are any.
func (r *Report) SummaryRows() []*Row {
	out := []*Row{&r.Total}
	if len(r.Levels) > 0 {
		for i := range r.Rows {
			if r.Rows[i].Level == r.Levels[0].Level {
				out = append(out, &r.Rows[i])
			}
		}
	}
	if r.Unplaced != nil {
		out = append(out, r.Unplaced)
	}
	return out
}

// LevelName is the Vietnamese name of a row's level as the workbook prints it: "Tổng cộng",
// its unit's type, or its level's name.
func (r *Report) LevelName(row *Row) string { return r.levelName(row) }

// ShownCode is a row's unit as users know it: its official code.
func ShownCode(row *Row) string { return shownCode(row) }

// QualityVI is how the workbook reads an estimate's quality flag.
func QualityVI(q string) string { return qualityVI[q] }

// NotesVI are the Vietnamese lines the workbook prints under its title: the programme, the
// area, the period and the day the figures are counted to, when the report was made, the units,
// and what the estimates mean.
func (r *Report) NotesVI() []string {
	vi, _ := r.notes()
	return vi
}
