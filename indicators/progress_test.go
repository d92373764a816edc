package indicators

import (
	"math"
	"testing"

	"kiemtra/models"
)

func sub(code, period, unit string, version int, state string, num, den float64) *models.IndicatorSubmission {
	v := num / den
	return &models.IndicatorSubmission{IndicatorCode: code, Period: period, Unit: unit, Version: version, State: state, Numerator: &num, Denominator: &den, Value: &v}
}

// TestUnitTrendAcrossTheReorganisation: a commune formed in 2025 from part of a district shows
// the district's figures for the years before it existed, marked with the district, and its own
// after; the latest accepted version counts, not a newer one awaiting review.
func TestUnitTrendAcrossTheReorganisation(t *testing.T) {
	ind := &models.Indicator{Code: "local_plans", Kind: models.IndicatorShare, Period: models.PeriodYear, TargetMin: 1}
	p := &models.Programme{StartsOn: models.NewDate(2023, 1, 1), EndsOn: models.NewDate(2026, 12, 31)}
	ix := indexSubmissions([]*models.IndicatorSubmission{
		sub("local_plans", "2023", "916", 1, models.SubmissionAccepted, 0, 1),
		sub("local_plans", "2024", "916", 1, models.SubmissionAccepted, 1, 1),
		sub("local_plans", "2024", "916", 2, models.SubmissionSubmitted, 0, 1), // a correction awaiting review
		sub("local_plans", "2025", "31117", 1, models.SubmissionAccepted, 1, 1),
	})
	// 31117 was formed from the wards 91601 and 91602 of district 916, which reported then.
	lineage := map[string][]string{"31117": {"91601", "91602"}, ancestorsKey + "91601": {"916"}, ancestorsKey + "91602": {"916"}}
	got := unitTrend(ix, lineage, ind, p, models.ReportingPeriod{Kind: models.PeriodYear, Year: 2026}, "31117")
	want := []struct {
		period string
		value  *float64
		via    []string
	}{{"2023", ptr(0), []string{"916"}}, {"2024", ptr(1), []string{"916"}}, {"2025", ptr(1), nil}, {"2026", nil, nil}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i, w := range want {
		g := got[i]
		if g.Period != w.period || (g.Value == nil) != (w.value == nil) || g.Value != nil && *g.Value != *w.value || len(g.Via) != len(w.via) || len(w.via) > 0 && g.Via[0] != w.via[0] {
			t.Errorf("%s: got %+v via %v, want %v via %v", w.period, g.Figure, g.Via, w.value, w.via)
		}
	}
	if m := got[0].Met; m == nil || *m {
		t.Errorf("2023 (no plan) must not meet the target: %v", m)
	}
}

func TestFiguresAgainstTargets(t *testing.T) {
	press := &models.Indicator{Code: "press_news", Kind: models.IndicatorCount, Period: models.PeriodMonth, TargetMin: 1}
	crimes := &models.Indicator{Code: "crimes", Kind: models.IndicatorChange, Period: models.PeriodYear, TargetMin: 0.03, TargetMax: 0.05}
	t.Run("a monthly count over a quarter is judged against three months' target", func(t *testing.T) {
		q := models.ReportingPeriod{Kind: models.PeriodQuarter, Year: 2026, N: 1}
		ps := countedPeriods(press.Period, q)
		if len(ps) != 3 || ps[0].String() != "2026-01" || ps[2].String() != "2026-03" {
			t.Fatalf("%v", ps)
		}
		f := figureOf(press, 0, 0, 2, 2, len(ps))
		if *f.Value != 2 || *f.Met {
			t.Errorf("2 items in a quarter meet a target of 1 a month: %+v", f)
		}
	})
	t.Run("a yearly indicator in a quarter is the year's", func(t *testing.T) {
		ps := countedPeriods(models.PeriodYear, models.ReportingPeriod{Kind: models.PeriodQuarter, Year: 2026, N: 2})
		if len(ps) != 1 || ps[0].String() != "2026" {
			t.Fatalf("%v", ps)
		}
	})
	t.Run("a change meets its target from its least rise", func(t *testing.T) {
		for _, tc := range []struct {
			now, before float64
			met         bool
		}{{104, 100, true}, {103, 100, true}, {102, 100, false}, {90, 100, false}} {
			f := withChange(crimes, figureOf(crimes, 0, 0, tc.now, 1, 1), figureOf(crimes, 0, 0, tc.before, 1, 1))
			if f.Change == nil || math.Abs(*f.Change-(tc.now-tc.before)/tc.before) > 1e-12 || *f.Met != tc.met {
				t.Errorf("%v over %v: %+v", tc.now, tc.before, f)
			}
		}
		if f := withChange(crimes, figureOf(crimes, 0, 0, 5, 1, 1), figureOf(crimes, 0, 0, 0, 1, 1)); f.Change != nil || f.Met != nil {
			t.Errorf("a change from nothing has no rate: %+v", f)
		}
	})
}
