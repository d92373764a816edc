package report

import (
	"encoding/json"
	"fmt"
	"strings"

	"kiemtra/models"
)

// Formats of a report: a workbook, a CSV file, or JSON (the dashboard's, and a file for tools).
const (
	FormatXLSX = "xlsx"
	FormatCSV  = "csv"
	FormatJSON = "json"
)

// CheckFormat returns invalid unless format is one a report is written in.
func CheckFormat(format string) error {
	if format != FormatXLSX && format != FormatCSV && format != FormatJSON {
		return models.Invalid("format", "%q is not a report format: use xlsx, csv or json", "%q không phải định dạng báo cáo: dùng xlsx, csv hoặc json", format)
	}
	return nil
}

// Render writes a report in a format (xlsx, csv or json). Its text is put in Unicode NFC first:
// names are normalised when they are stored, but areas and older records may hold decomposed
// Vietnamese, which Excel shows and sorts as other letters.
func Render(r *Report, format string) ([]byte, error) {
	if err := CheckFormat(format); err != nil {
		return nil, err
	}
	r = r.NFC()
	switch format {
	case FormatXLSX:
		return XLSX(r)
	case FormatCSV:
		return CSV(r)
	}
	return json.Marshal(r)
}

// NFC returns a copy of the report whose text (programme, area, row and violation names) is in
// Unicode normalisation form C.
func (r *Report) NFC() *Report {
	c := *r
	c.ProgrammeCode, c.ProgrammeName, c.AreaName = models.NFC(c.ProgrammeCode), models.NFC(c.ProgrammeName), models.NFC(c.AreaName)
	row := func(x Row) Row {
		x.Name, x.TypeName, x.ParentName = models.NFC(x.Name), models.NFC(x.TypeName), models.NFC(x.ParentName)
		return x
	}
	c.Total = row(c.Total)
	c.Rows = make([]Row, len(r.Rows))
	for i, x := range r.Rows {
		c.Rows[i] = row(x)
	}
	c.Levels = make([]models.LevelInfo, len(r.Levels))
	for i, l := range r.Levels {
		l.Name, l.NameEN = models.NFC(l.Name), models.NFC(l.NameEN)
		c.Levels[i] = l
	}
	c.ViolationTypes = make([]models.ViolationType, len(r.ViolationTypes))
	for i, v := range r.ViolationTypes {
		v.VI, v.EN = models.NFC(v.VI), models.NFC(v.EN)
		c.ViolationTypes[i] = v
	}
	return &c
}

// ContentType is the media type of a report format.
func ContentType(format string) string {
	switch format {
	case FormatXLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case FormatJSON:
		return "application/json; charset=utf-8"
	}
	return "text/csv; charset=utf-8"
}

// FileName names a report's file by the area's official code: bao-cao-kiem-tra_2025-Q4_92.xlsx.
func FileName(period, areaCode, format string) string {
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, areaCode)
	return fmt.Sprintf("bao-cao-kiem-tra_%s_%s.%s", period, safe, format)
}

// column is one figure of a report row, with its headings in Vietnamese and English and its
// key in CSV files.
type column struct {
	key, vi, en string
	pct         bool             // a share, formatted as a percentage
	value       func(r *Row) any // an int, a float64, or nil for an empty cell
}

// figureColumns are the figures of every row, in the order of the sheets and the CSV file.
var figureColumns = []column{
	{"in_scope", "Cơ sở thuộc diện quản lý (cuối kỳ)", "In-scope businesses (open at the period's end)", false, func(r *Row) any { return r.InScope }},
	{"open_at_start", "Cơ sở hoạt động đầu kỳ", "Open at the period's start", false, func(r *Row) any { return r.OpenAtStart }},
	{"inspections", "Số lượt kiểm tra", "Inspections done", false, func(r *Row) any { return r.Inspections }},
	{"inspected", "Số cơ sở được kiểm tra", "Businesses inspected", false, func(r *Row) any { return r.Inspected }},
	{"inspected_open_at_start", "Trong đó: cơ sở hoạt động đầu kỳ", "of which open at the start", false, func(r *Row) any { return r.InspectedOpenAtStart }},
	{"share", "Tỷ lệ cơ sở được kiểm tra trong kỳ", "Share inspected in the period", true, func(r *Row) any { return r.Share }},
	{"eligible", "Cơ sở phải kiểm tra trong chương trình", "Businesses the programme must cover", false, func(r *Row) any { return r.Eligible }},
	{"covered", "Đã kiểm tra ít nhất một lần trong chương trình", "Covered by the programme", false, func(r *Row) any { return r.Covered }},
	{"coverage", "Tỷ lệ bao phủ của chương trình (cuối kỳ)", "Programme coverage (period end)", true, func(r *Row) any { return r.Coverage }},
	{"violations", "Số hành vi vi phạm phát hiện", "Violations found", false, func(r *Row) any { return r.Violations }},
	{"violating", "Số cơ sở vi phạm", "Businesses with violations", false, func(r *Row) any { return r.Violating }},
	{"follow_ups", "Số lượt phúc tra được giao", "Follow-ups created", false, func(r *Row) any { return r.FollowUps }},
	{"follow_ups_done", "Số lượt phúc tra đã thực hiện", "Follow-ups done", false, func(r *Row) any { return r.FollowUpsDone }},
	{"tips_received", "Tin báo, tố giác tiếp nhận", "Tips received", false, func(r *Row) any { return r.TipsReceived }},
	{"tips_verified", "Tin báo đã xác minh", "Tips verified", false, func(r *Row) any { return intOrNil(r.TipsVerified) }},
	{"tips_handled", "Tin báo đã xử lý", "Tips handled", false, func(r *Row) any { return intOrNil(r.TipsHandled) }},
	{"tips_in_time", "Tin báo xử lý đúng hạn", "Tips handled in time", false, func(r *Row) any { return intOrNil(r.TipsInTime) }},
	{"tips_overdue", "Tin báo quá hạn chưa xác minh, chưa xử lý", "Tips overdue (a deadline missed)", false, func(r *Row) any { return intOrNil(r.TipsOverdue) }},
	{"prevalence", "Tỷ lệ cơ sở vi phạm ước tính", "Estimated violation prevalence", true, func(r *Row) any { return estimate(r, func(e float64, _, _ float64) float64 { return e }) }},
	{"prevalence_low", "Cận dưới (khoảng tin cậy 95%)", "95% interval: low", true, func(r *Row) any { return estimate(r, func(_, lo, _ float64) float64 { return lo }) }},
	{"prevalence_high", "Cận trên (khoảng tin cậy 95%)", "95% interval: high", true, func(r *Row) any { return estimate(r, func(_, _, hi float64) float64 { return hi }) }},
	{"prevalence_sample", "Số cơ sở của mẫu đã kiểm tra", "Sample businesses inspected", false, func(r *Row) any {
		if r.Prevalence == nil {
			return nil
		}
		return r.Prevalence.Sample
	}},
}

func intOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func estimate(r *Row, pick func(share, low, high float64) float64) any {
	if r.Prevalence == nil {
		return nil
	}
	return pick(r.Prevalence.Share, r.Prevalence.Low, r.Prevalence.High)
}

// levelName is the Vietnamese name of a row's level: its unit's type, or its level's name.
func (r *Report) levelName(row *Row) string {
	switch {
	case row.Level == LevelTotal:
		return "Tổng cộng"
	case row.TypeName != "":
		return row.TypeName
	}
	return r.level(row.Level).Name
}

// ordered lists a report's rows as the CSV file and the violations sheet give them: the total,
// then every unit followed by the units under it.
func (r *Report) ordered() []*Row {
	out := []*Row{&r.Total}
	for i := range r.Rows {
		out = append(out, &r.Rows[i])
	}
	return out
}

// notes are the lines under a report's title: the programme, the area, the period, when it was
// generated, and what the figures mean.
func (r *Report) notes() (vi []string, en string) {
	period := fmt.Sprintf("Kỳ báo cáo: %s (từ ngày %s đến ngày %s)", r.PeriodName, formatDate(r.Start), formatDate(r.End))
	if r.ToDate {
		period += fmt.Sprintf(", số liệu tính đến ngày %s (kỳ chưa kết thúc)", formatDate(r.AsOf))
	} else if r.AsOf != r.End {
		period += fmt.Sprintf(", số liệu tính đến ngày %s (hạn hoàn thành của chương trình)", formatDate(r.AsOf))
	}
	units := fmt.Sprintf("Đơn vị hành chính: theo các đơn vị có hiệu lực ngày %s", formatDate(r.UnitsOn))
	if r.Note != nil {
		units = r.Note.MessageVI
	}
	vi = []string{
		fmt.Sprintf("Chương trình: %s (%s)", r.ProgrammeName, r.ProgrammeCode),
		fmt.Sprintf("Địa bàn: %s (mã %s)", r.AreaName, r.areaCode()),
		period,
		fmt.Sprintf("Thời điểm lập: %s (giờ %s)", r.GeneratedAt.Format("02/01/2006 15:04"), r.TimeZone),
		units,
	}
	note := "Tỷ lệ vi phạm ước tính: ước lượng Horvitz-Thompson từ mẫu ngẫu nhiên của kế hoạch năm đã phê duyệt, khoảng tin cậy 95%."
	if r.Total.TipsHandled == nil {
		note += " Tin báo đã xác minh, đã xử lý, xử lý đúng hạn và quá hạn: chưa được ghi nhận trong hệ thống (để trống)."
	} else {
		note += " Tin báo đã xác minh, đã xử lý, đúng hạn và quá hạn: tình trạng tại thời điểm cuối kỳ (hoặc thời điểm lập nếu kỳ chưa kết thúc)."
	}
	vi = append(vi, note)
	toDate := ""
	if r.ToDate {
		toDate = fmt.Sprintf(", figures to date as of %s", r.AsOf)
	}
	units = fmt.Sprintf(" Units: those in force on %s.", r.UnitsOn)
	if r.Note != nil {
		units = " " + r.Note.Message
	}
	en = fmt.Sprintf("Inspection report for %s (%s to %s%s), programme %s, area %s (%s), generated %s %s.%s The second heading row gives the headings in English.",
		r.PeriodNameEN, r.Start, r.End, toDate, r.ProgrammeCode, r.AreaName, r.areaCode(), r.GeneratedAt.Format("2006-01-02 15:04"), r.TimeZone, units)
	return vi, en
}

// FileName names the report's file in a format, by its area's official code.
func (r *Report) FileName(format string) string { return FileName(r.Period, r.areaCode(), format) }

// areaCode is the report's area as users know it: its official code.
func (r *Report) areaCode() string {
	if r.AreaGSO != "" {
		return r.AreaGSO
	}
	return r.AreaCode
}

// shownCode is a row's unit as users know it: its official code.
func shownCode(row *Row) string {
	if row.GSOCode != "" {
		return row.GSOCode
	}
	return row.AreaCode
}
