package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"kiemtra/models"
)

// Period kinds.
const (
	KindYear    = "year"
	KindHalf    = "half"
	KindQuarter = "quarter"
)

// Period is a reporting period: a calendar year, a half-year or a quarter. The city's labour
// department reports quarterly, six-monthly and yearly; districts six-monthly and yearly.
type Period struct {
	Kind string // year, half or quarter
	Year int
	N    int // 1-4 for a quarter, 1-2 for a half-year, 0 for a year
}

// ParsePeriod reads "2026", "2026-H1" or "2026-Q3" (letters in either case).
func ParsePeriod(s string) (Period, error) {
	bad := models.Invalid("period", "%q is not a period such as 2026, 2026-H1 or 2026-Q1", "%q không phải kỳ báo cáo hợp lệ, ví dụ 2026, 2026-H1 hoặc 2026-Q1", s)
	s = strings.ToUpper(strings.TrimSpace(s))
	yearPart, rest, hasRest := strings.Cut(s, "-")
	if len(yearPart) != 4 {
		return Period{}, bad
	}
	year, err := strconv.Atoi(yearPart)
	if err != nil || year < 2000 || year > 2100 {
		return Period{}, bad
	}
	if !hasRest {
		return Period{Kind: KindYear, Year: year}, nil
	}
	if len(rest) != 2 {
		return Period{}, bad
	}
	n := int(rest[1] - '0')
	switch {
	case rest[0] == 'Q' && n >= 1 && n <= 4:
		return Period{Kind: KindQuarter, Year: year, N: n}, nil
	case rest[0] == 'H' && n >= 1 && n <= 2:
		return Period{Kind: KindHalf, Year: year, N: n}, nil
	}
	return Period{}, bad
}

// String is the period's canonical name: 2026, 2026-H1, 2026-Q3.
func (p Period) String() string {
	switch p.Kind {
	case KindQuarter:
		return fmt.Sprintf("%d-Q%d", p.Year, p.N)
	case KindHalf:
		return fmt.Sprintf("%d-H%d", p.Year, p.N)
	}
	return strconv.Itoa(p.Year)
}

// months is the period's length in months.
func (p Period) months() int {
	switch p.Kind {
	case KindQuarter:
		return 3
	case KindHalf:
		return 6
	}
	return 12
}

// Start is the period's first day.
func (p Period) Start() models.Date {
	if p.Kind == KindYear {
		return models.NewDate(p.Year, 1, 1)
	}
	return models.NewDate(p.Year, time.Month((p.N-1)*p.months()+1), 1)
}

// End is the period's last day.
func (p Period) End() models.Date {
	s := p.Start()
	return models.NewDate(s.Year, s.Month+time.Month(p.months()), 1).AddDays(-1)
}

var romanQuarter = [...]string{"", "I", "II", "III", "IV"}

// NameVI is the period as Vietnamese reports name it: "Quý I năm 2026", "6 tháng đầu năm 2026".
func (p Period) NameVI() string {
	switch {
	case p.Kind == KindQuarter:
		return fmt.Sprintf("Quý %s năm %d", romanQuarter[p.N], p.Year)
	case p.Kind == KindHalf && p.N == 1:
		return fmt.Sprintf("6 tháng đầu năm %d", p.Year)
	case p.Kind == KindHalf:
		return fmt.Sprintf("6 tháng cuối năm %d", p.Year)
	}
	return fmt.Sprintf("Năm %d", p.Year)
}

// NameEN is the period in English: "Q1 2026", "first half of 2026", "year 2026".
func (p Period) NameEN() string {
	switch {
	case p.Kind == KindQuarter:
		return fmt.Sprintf("Q%d %d", p.N, p.Year)
	case p.Kind == KindHalf && p.N == 1:
		return fmt.Sprintf("first half of %d", p.Year)
	case p.Kind == KindHalf:
		return fmt.Sprintf("second half of %d", p.Year)
	}
	return fmt.Sprintf("year %d", p.Year)
}

// PeriodsOf lists the periods of a year in the order they close: each quarter, and after the
// second quarter the first half, after the fourth the second half and the year.
func PeriodsOf(year int) []Period {
	return []Period{
		{KindQuarter, year, 1}, {KindQuarter, year, 2}, {KindHalf, year, 1},
		{KindQuarter, year, 3}, {KindQuarter, year, 4}, {KindHalf, year, 2}, {Kind: KindYear, Year: year},
	}
}

// ClosedPeriods lists, in the order they closed, the periods of a programme that ended before
// today: the reports the scheduled job keeps.
func ClosedPeriods(p *models.Programme, today models.Date) []Period {
	var out []Period
	for y := p.FirstYear(); y <= p.LastYear() && y <= today.Year; y++ {
		for _, per := range PeriodsOf(y) {
			if per.End().Before(today) && runsIn(p, per) {
				out = append(out, per)
			}
		}
	}
	return out
}

// runsIn reports whether a programme ran during some of the period: one of its plan years, and
// between its first day and its coverage deadline.
func runsIn(p *models.Programme, per Period) bool {
	return p.HasYear(per.Year) && !per.End().Before(p.StartsOn) && !p.CoverageDeadline.Before(per.Start())
}

// formatDate writes a date the Vietnamese way: 31/03/2026.
func formatDate(d models.Date) string {
	return fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year)
}

// PeriodInfo is a period a programme can be reported for, as the dashboard offers it.
type PeriodInfo struct {
	Period string      `json:"period"` // 2025, 2025-H1, 2025-Q3
	Kind   string      `json:"kind"`   // year, half or quarter
	Name   string      `json:"name"`   // Vietnamese: Quý III năm 2025
	NameEN string      `json:"name_en"`
	Start  models.Date `json:"start"`
	End    models.Date `json:"end"`
	// UnitsOn is the day whose units the report lists: the period's end, the programme's
	// coverage deadline or today, whichever is first (Resolve's as-of day).
	UnitsOn models.Date `json:"units_on"`
	// Closed: the period ended before today, so its figures are final (and the job archives it).
	Closed bool `json:"closed"`
}

// ProgrammePeriods lists the periods of a programme that have begun by today, newest first and
// within a year the year, then the second half, its quarters, the first half and its quarters:
// every period GET /reports accepts for the programme.
func ProgrammePeriods(p *models.Programme, today models.Date) []PeriodInfo {
	var out []PeriodInfo
	for y := min(p.LastYear(), today.Year); y >= p.FirstYear(); y-- {
		ps := PeriodsOf(y)
		for i := len(ps) - 1; i >= 0; i-- {
			per := ps[i]
			if today.Before(per.Start()) || !runsIn(p, per) {
				continue
			}
			on := per.End()
			if p.CoverageDeadline.Before(on) {
				on = p.CoverageDeadline
			}
			if today.Before(on) {
				on = today
			}
			out = append(out, PeriodInfo{Period: per.String(), Kind: per.Kind, Name: per.NameVI(), NameEN: per.NameEN(),
				Start: per.Start(), End: per.End(), UnitsOn: on, Closed: per.End().Before(today)})
		}
	}
	return out
}
