package main

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"kiemtra/api"
	"kiemtra/indicators"
	"kiemtra/models"
	"kiemtra/officialreport"
	"kiemtra/report"
)

// officialContent fills the official periodic report from the programme's indicators: each
// target's result for the period, and the narratives the departments and units had accepted,
// in a section per agency. The two inspection targets come from the period report itself (so
// that the report's inspection figures are the same in every part of it), not from the
// indicators' copy of them.
type officialContent struct {
	indicators *indicators.Service
	agencies   interface {
		FindAgencies(ctx context.Context) ([]*models.Agency, error)
	}
}

var _ api.OfficialSource = officialContent{}

func (o officialContent) OfficialContent(ctx context.Context, q report.Query, rep *report.Report) (*api.OfficialContent, error) {
	per, err := models.ParseReportingPeriod("period", q.Period.String())
	if err != nil {
		return nil, err
	}
	area := q.Area
	if q.Prog.RootAreaCode != nil && area == *q.Prog.RootAreaCode {
		area = ""
	}
	pr, err := o.indicators.Progress(ctx, q.Prog, per, area)
	if models.IsCode(err, models.EINVALID) && area != "" {
		// A unit the indicators are not measured in (a district of the old city): the
		// programme's figures, which the report's own inspection part still narrows.
		pr, err = o.indicators.Progress(ctx, q.Prog, per, "")
	}
	if err != nil {
		return nil, fmt.Errorf("the official report's targets: %w", err)
	}
	out := &api.OfficialContent{Targets: api.InspectionTargets(q.Prog, rep)}
	notes, err := o.indicators.ReportNotes(ctx, q.Prog, per)
	if err != nil {
		return nil, fmt.Errorf("the official report's difficulties and proposals: %w", err)
	}
	out.Difficulties, out.Proposals = notes.Difficulties, notes.Proposals
	for _, row := range pr.Rows {
		ind := row.Indicator
		if ind.Code == models.IndicatorInspectionShare || ind.Code == models.IndicatorCoverage {
			continue
		}
		t := officialreport.Target{Name: ind.NameVI, Target: targetText(ind, row.Target), Result: figureText(ind, row.Total), Met: row.Total.Met, Note: row.NoteVI}
		if ind.Source == models.IndicatorSubmitted && row.Expected > 0 {
			note := fmt.Sprintf("%d/%d đơn vị đã báo cáo", row.Submitted, row.Expected)
			if t.Note != "" {
				note = t.Note + "; " + note
			}
			t.Note = note
		}
		out.Targets = append(out.Targets, t)
	}
	names := map[string]string{}
	if list, err := o.agencies.FindAgencies(ctx); err == nil {
		for _, a := range list {
			names[a.Code] = a.NameVI
		}
	}
	by := pr.NarrativesByAgency()
	codes := make([]string, 0, len(by))
	for c := range by {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		var parts []string
		for _, n := range by[c] {
			head := n.NameVI
			if n.UnitName != "" {
				head = n.UnitName + " — " + head
			}
			parts = append(parts, head+": "+strings.TrimSpace(n.Text))
		}
		name := names[c]
		if name == "" {
			name = c
		}
		out.Narratives = append(out.Narratives, officialreport.Narrative{Agency: name, Text: strings.Join(parts, "\n")})
	}
	return out, nil
}

// targetText writes a target as the plan does: "≥ 70%", "≥ 1", "tăng 3-5%/năm".
func targetText(ind *models.Indicator, target float64) string {
	switch ind.Kind {
	case models.IndicatorShare:
		return "≥ " + shortPercent(target)
	case models.IndicatorChange:
		if ind.TargetMax > 0 {
			return fmt.Sprintf("tăng %s–%s/năm", shortPercent(ind.TargetMin), shortPercent(ind.TargetMax))
		}
		return "tăng ≥ " + shortPercent(ind.TargetMin) + "/năm"
	}
	return "≥ " + officialreport.Number(int64(math.Round(target)))
}

// figureText writes a result: a share with its numerator and denominator, a count, or a count
// with its change on a year before.
func figureText(ind *models.Indicator, f indicators.Figure) string {
	switch {
	case ind.Kind == models.IndicatorShare && f.Numerator != nil && f.Denominator != nil && *f.Denominator > 0:
		return fmt.Sprintf("%s (%s/%s)", officialreport.Percent(*f.Numerator / *f.Denominator),
			officialreport.Number(int64(math.Round(*f.Numerator))), officialreport.Number(int64(math.Round(*f.Denominator))))
	case ind.Kind == models.IndicatorChange && f.Value != nil && f.Change != nil:
		sign := "+"
		if *f.Change < 0 {
			sign = "−"
		}
		return fmt.Sprintf("%s (%s%s so với cùng kỳ)", officialreport.Number(int64(math.Round(*f.Value))), sign, officialreport.Percent(math.Abs(*f.Change)))
	case ind.Kind != models.IndicatorShare && f.Value != nil:
		return officialreport.Number(int64(math.Round(*f.Value)))
	}
	return "Chưa có số liệu"
}

// shortPercent drops the decimals of a whole percentage (70%, 2,50%).
func shortPercent(x float64) string {
	p := officialreport.Percent(x)
	if strings.HasSuffix(p, ",00%") {
		return strings.TrimSuffix(p, ",00%") + "%"
	}
	return p
}
