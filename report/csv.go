package report

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"time"
)

// utf8BOM starts the CSV file so that Excel on Vietnamese Windows reads it as UTF-8.
const utf8BOM = "\ufeff"

// CSV writes a report as one table: a row for the total and each unit (each followed by the
// units under it), told apart by the level column (total, or the unit's level: data). Codes are
// official codes (area_code, parent_code); unit_version is the unit version a row is of.
// Headings read "Vietnamese (key)"; shares are fractions (0.25 is 25%); a figure not recorded
// is an empty cell.
func CSV(r *Report) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	w := csv.NewWriter(&buf)
	head := []string{"Cấp (level)", "Mã địa bàn (area_code)", "Tên địa bàn (name)", "Mã đơn vị cấp trên (parent_code)", "Đơn vị cấp trên (parent_name)",
		"Phiên bản đơn vị (unit_version)"}
	for _, c := range figureColumns {
		head = append(head, c.vi+" ("+c.key+")")
	}
	for _, v := range r.ViolationTypes {
		head = append(head, v.VI+" ("+v.Code+")")
	}
	head = append(head, "Kỳ báo cáo (period)", "Số liệu đến ngày (as_of)", "Chương trình (programme)", "Thời điểm lập (generated_at)")
	if err := w.Write(head); err != nil {
		return nil, err
	}
	for _, row := range r.ordered() {
		rec := []string{row.Level, shownCode(row), row.Name, row.ParentGSOCode, row.ParentName, row.AreaCode}
		for _, c := range figureColumns {
			rec = append(rec, csvValue(c.value(row)))
		}
		for _, v := range r.ViolationTypes {
			rec = append(rec, strconv.Itoa(row.ByCode[v.Code]))
		}
		rec = append(rec, r.Period, r.AsOf.String(), r.ProgrammeCode, r.GeneratedAt.Format(time.RFC3339))
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func csvValue(v any) string {
	switch x := v.(type) {
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	return ""
}
