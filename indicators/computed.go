package indicators

import (
	"context"

	"kiemtra/models"
	"kiemtra/report"
)

// reportCache builds each period's inspection report once per progress computation.
type reportCache struct {
	s     *Service
	p     *models.Programme
	area  string
	built map[string]*report.Report
}

// get returns the report of a period, or nil when the programme cannot be reported for it (it
// had not begun, or the programme did not run then).
func (rc *reportCache) get(ctx context.Context, per report.Period) (*report.Report, error) {
	key := per.String()
	if r, ok := rc.built[key]; ok {
		return r, nil
	}
	q := report.Query{Period: per, Programme: rc.p.ID, Area: rc.area}
	if err := rc.s.reports.Resolve(ctx, &q); err != nil {
		// A period the programme cannot be reported for, or an area that did not exist then (a
		// commune before the 2025 reorganisation): no figure, not a failure.
		if models.IsCode(err, models.EINVALID) || models.IsCode(err, models.ENOTFOUND) {
			rc.built[key] = nil
			return nil, nil
		}
		return nil, err
	}
	r, err := rc.s.reports.Build(ctx, q)
	if err != nil {
		return nil, err
	}
	rc.built[key] = r
	return r, nil
}

// reportPeriod is the report period a computed indicator reads for per: the year containing it
// for a yearly indicator; per itself for a quarterly one unless per is a month (its quarter).
func reportPeriod(ind *models.Indicator, per models.ReportingPeriod) report.Period {
	switch {
	case ind.Period == models.PeriodYear || per.Kind == models.PeriodYear:
		return report.Period{Kind: report.KindYear, Year: per.Year}
	case per.Kind == models.PeriodHalf:
		return report.Period{Kind: report.KindHalf, Year: per.Year, N: per.N}
	case per.Kind == models.PeriodQuarter:
		return report.Period{Kind: report.KindQuarter, Year: per.Year, N: per.N}
	}
	return report.Period{Kind: report.KindQuarter, Year: per.Year, N: (per.N-1)/3 + 1}
}

// rowFigure reads an indicator's figure from one row of the inspection report, the same figures
// the report prints: the yearly share (businesses open on 1 January inspected), the coverage
// (inspected at least once of those to cover), tips handled in time of those handled or overdue,
// and the referrals to the police (crimes handled).
func rowFigure(ind *models.Indicator, r report.Row) Figure {
	share := func(num, den int) Figure {
		f := Figure{Numerator: ptr(float64(num)), Denominator: ptr(float64(den))}
		if den > 0 {
			f.Value = ptr(float64(num) / float64(den))
			met := ind.Met(*f.Value)
			f.Met = &met
		}
		return f
	}
	switch ind.Code {
	case models.IndicatorInspectionShare:
		return share(r.InspectedOpenAtStart, r.OpenAtStart)
	case models.IndicatorCoverage:
		return share(r.Covered, r.Eligible)
	case models.IndicatorTipsInTime:
		if r.TipsInTime == nil || r.TipsHandled == nil || r.TipsOverdue == nil {
			return Figure{}
		}
		return share(*r.TipsInTime, *r.TipsHandled+*r.TipsOverdue)
	case models.IndicatorCrimesHandled:
		return Figure{Value: ptr(float64(r.Referrals))}
	}
	return Figure{}
}

func (s *Service) computed(ctx context.Context, rc *reportCache, p *models.Programme, ind *models.Indicator, per models.ReportingPeriod) (IndicatorProgress, error) {
	rp := reportPeriod(ind, per)
	row := IndicatorProgress{Indicator: ind, Periods: []string{rp.String()}, Target: ind.TargetMin, Units: []UnitFigure{}, Trend: []TrendPoint{},
		NoteVI: "Tính từ dữ liệu kiểm tra, tin báo và xử phạt của kiemtra, như báo cáo định kỳ.", NoteEN: "Computed from kiemtra's inspections, tips and sanctions, as in the period report."}
	rep, err := rc.get(ctx, rp)
	if err != nil || rep == nil {
		return row, err
	}
	var prev *report.Report
	if ind.Kind == models.IndicatorChange {
		pp := rp
		pp.Year--
		if prev, err = rc.get(ctx, pp); err != nil {
			return row, err
		}
	}
	prevRows := map[string]report.Row{}
	if prev != nil {
		for _, r := range prev.Rows {
			prevRows[r.GSOCode] = r
		}
	}
	row.Total = rowFigure(ind, rep.Total)
	if prev != nil {
		row.Total = withChange(ind, row.Total, rowFigure(ind, prev.Total))
	}
	level := ""
	if len(rep.Levels) > 0 {
		level = rep.Levels[0].Level
	}
	for _, r := range rep.Rows {
		if r.Level != level {
			continue
		}
		uf := UnitFigure{Unit: Unit{Code: r.AreaCode, GSO: r.GSOCode, Name: unitName(r.TypeName, r.Name), Agency: ind.Agency}, Figure: rowFigure(ind, r), State: models.IndicatorComputed}
		if pr, ok := prevRows[r.GSOCode]; ok {
			uf.Figure = withChange(ind, uf.Figure, rowFigure(ind, pr))
		}
		row.Units = append(row.Units, uf)
	}
	row.Expected, row.Submitted = len(row.Units), len(row.Units)
	// The trend is yearly whatever the indicator's period: one report per programme year, on the
	// units of each year's end (so a year before the 2025 reorganisation counts the same
	// businesses as the report printed then).
	for y := p.StartsOn.Year; y <= per.Year; y++ {
		yr, err := rc.get(ctx, report.Period{Kind: report.KindYear, Year: y})
		if err != nil {
			return row, err
		}
		if yr == nil {
			continue
		}
		pt := TrendPoint{Period: yr.Period, Figure: rowFigure(ind, yr.Total)}
		if ind.Kind == models.IndicatorChange {
			py, err := rc.get(ctx, report.Period{Kind: report.KindYear, Year: y - 1})
			if err != nil {
				return row, err
			}
			if py != nil {
				pt.Figure = withChange(ind, pt.Figure, rowFigure(ind, py.Total))
			}
		}
		row.Trend = append(row.Trend, pt)
	}
	return row, nil
}
