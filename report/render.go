package report

import (
	"encoding/json"
	"fmt"
	"strings"

	"kiemtra/models"
	"kiemtra/scheduler"
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

// measureColumn is the column of a measure: its key, names and kind come from the vocabulary,
// so that a report heads a figure as the dashboard and the API name it.
func measureColumn(key string, value func(r *Row) any) column {
	m := models.MeasureOf(key)
	return column{key: m.Key, vi: m.Name, en: m.NameEN, pct: m.Kind == models.MeasureShare || m.Kind == models.MeasureEstimate, value: value}
}

// figureColumns are the figures of every row, in the order of the sheets and the CSV file.
var figureColumns = []column{
	measureColumn(models.MeasureInScope, func(r *Row) any { return r.InScope }),
	measureColumn(models.MeasureOpenAtStart, func(r *Row) any { return r.OpenAtStart }),
	measureColumn(models.MeasureInspections, func(r *Row) any { return r.Inspections }),
	measureColumn(models.MeasureInspected, func(r *Row) any { return r.Inspected }),
	measureColumn(models.MeasureInspectedOpenAtStart, func(r *Row) any { return r.InspectedOpenAtStart }),
	measureColumn(models.MeasureShareInspected, func(r *Row) any { return r.Share }),
	measureColumn(models.MeasureEligible, func(r *Row) any { return r.Eligible }),
	measureColumn(models.MeasureCovered, func(r *Row) any { return r.Covered }),
	measureColumn(models.MeasureCoverage, func(r *Row) any { return r.Coverage }),
	measureColumn(models.MeasureNeverInspected, func(r *Row) any { return r.NeverInspected }),
	measureColumn(models.MeasureViolations, func(r *Row) any { return r.Violations }),
	measureColumn(models.MeasureViolating, func(r *Row) any { return r.Violating }),
	measureColumn(models.MeasureFollowUpsDue, func(r *Row) any { return r.FollowUpsDue }),
	measureColumn(models.MeasureFollowUpsDone, func(r *Row) any { return r.FollowUpsDone }),
	measureColumn(models.MeasureTipsReceived, func(r *Row) any { return r.TipsReceived }),
	measureColumn(models.MeasureTipsVerified, func(r *Row) any { return intOrNil(r.TipsVerified) }),
	measureColumn(models.MeasureTipsHandled, func(r *Row) any { return intOrNil(r.TipsHandled) }),
	measureColumn(models.MeasureTipsInTime, func(r *Row) any { return intOrNil(r.TipsInTime) }),
	measureColumn(models.MeasureTipsOverdue, func(r *Row) any { return intOrNil(r.TipsOverdue) }),
	measureColumn(models.MeasureSanctionDecisions, func(r *Row) any { return r.Decisions }),
	measureColumn(models.MeasureSanctionWarnings, func(r *Row) any { return r.Warnings }),
	measureColumn(models.MeasureSanctionFines, func(r *Row) any { return r.Fines }),
	measureColumn(models.MeasureSanctionFinesAmount, func(r *Row) any { return r.FinesAmount }),
	measureColumn(models.MeasureSanctionFinesPaid, func(r *Row) any { return r.FinesPaid }),
	measureColumn(models.MeasureSanctionCollected, func(r *Row) any { return r.FinesPaidSum }),
	measureColumn(models.MeasureSanctionConfiscation, func(r *Row) any { return r.Confiscations }),
	measureColumn(models.MeasureSanctionSuspensions, func(r *Row) any { return r.Suspensions }),
	measureColumn(models.MeasureSanctionWithdrawals, func(r *Row) any { return r.Withdrawals }),
	measureColumn(models.MeasureSanctionReferrals, func(r *Row) any { return r.Referrals }),
	measureColumn(models.MeasureSanctionOverdue, func(r *Row) any { return r.SanctionFigures.Overdue }),
	measureColumn(models.MeasurePrevalence, func(r *Row) any { return estimate(r, func(e float64, _, _ float64) float64 { return e }) }),
	measureColumn(models.MeasurePrevalenceLow, func(r *Row) any { return estimate(r, func(_, lo, _ float64) float64 { return lo }) }),
	measureColumn(models.MeasurePrevalenceHigh, func(r *Row) any { return estimate(r, func(_, _, hi float64) float64 { return hi }) }),
	measureColumn(models.MeasurePrevalenceSample, func(r *Row) any {
		if r.Prevalence == nil {
			return nil
		}
		return r.Prevalence.Sample
	}),
	measureColumn(models.MeasurePrevalenceQuality, func(r *Row) any {
		if r.Prevalence == nil {
			return nil
		}
		return r.Prevalence.Quality
	}),
}

// qualityVI is how the workbook reads an estimate's quality.
var qualityVI = map[string]string{scheduler.QualityOK: "Đủ tin cậy", scheduler.QualityLow: "Độ tin cậy thấp", scheduler.QualitySuppressed: "Không công bố"}

func intOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// estimate is a figure of a row's prevalence estimate; a suppressed one is left blank.
func estimate(r *Row, pick func(share, low, high float64) float64) any {
	if r.Prevalence == nil || r.Prevalence.Quality == scheduler.QualitySuppressed {
		return nil
	}
	return pick(r.Prevalence.Share, r.Prevalence.Low, r.Prevalence.High)
}

// levelName is the Vietnamese name of a row's level: its unit's type, or its level's name.
func (r *Report) levelName(row *Row) string {
	switch {
	case row.Level == LevelTotal:
		return "Tổng cộng"
	case row.Level == LevelUnplaced:
		return "Chưa xác định"
	case row.TypeName != "":
		return row.TypeName
	}
	return r.level(row.Level).Name
}

// ordered lists a report's rows as the CSV file and the violations sheet give them: the total,
// then every unit followed by the units under it, then the tips placed in no unit.
func (r *Report) ordered() []*Row {
	out := []*Row{&r.Total}
	for i := range r.Rows {
		out = append(out, &r.Rows[i])
	}
	if r.Unplaced != nil {
		out = append(out, r.Unplaced)
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
	note := "Tỷ lệ vi phạm ước tính: bình quân có trọng số của các cơ sở được kiểm tra trong mẫu ngẫu nhiên của kế hoạch năm đã phê duyệt, khoảng tin cậy 95% (Jeffreys, theo cỡ mẫu hiệu dụng); để trống khi dưới 5 cơ sở của mẫu được kiểm tra, ghi \"độ tin cậy thấp\" khi cỡ mẫu hiệu dụng dưới 30."
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
