package models

import (
	"testing"
)

func f64(x float64) *float64 { return &x }

func TestSubmissionValidate(t *testing.T) {
	share := &Indicator{Code: "outreach_communes", Kind: IndicatorShare, Period: PeriodHalf, TargetMin: 0.7}
	count := &Indicator{Code: "press_news", Kind: IndicatorCount, Period: PeriodMonth, TargetMin: 1}
	for _, tc := range []struct {
		name   string
		ind    *Indicator
		s      IndicatorSubmission
		locked bool
		field  string // "" valid
	}{
		{"a share within 100% is valid", share, IndicatorSubmission{Period: "2026-h1", Unit: "u", Numerator: f64(7), Denominator: f64(10)}, false, ""},
		{"a share above 100% names the numerator", share, IndicatorSubmission{Period: "2026-H1", Unit: "u", Numerator: f64(11), Denominator: f64(10)}, false, "numerator"},
		{"a denominator of 0 names the denominator", share, IndicatorSubmission{Period: "2026-H1", Unit: "u", Numerator: f64(0), Denominator: f64(0)}, false, "denominator"},
		{"a negative numerator is refused", share, IndicatorSubmission{Period: "2026-H1", Unit: "u", Numerator: f64(-1), Denominator: f64(10)}, false, "numerator"},
		{"a missing denominator is refused", share, IndicatorSubmission{Period: "2026-H1", Unit: "u", Numerator: f64(1)}, false, "denominator"},
		{"an unknown period format is refused", share, IndicatorSubmission{Period: "2026-S1", Unit: "u", Numerator: f64(1), Denominator: f64(2)}, false, "period"},
		{"a quarter for a half-yearly indicator is refused", share, IndicatorSubmission{Period: "2026-Q1", Unit: "u", Numerator: f64(1), Denominator: f64(2)}, false, "period"},
		{"month 13 is refused", count, IndicatorSubmission{Period: "2026-13", Unit: "u", Value: f64(2)}, false, "period"},
		{"a figure after the lock without a reason is refused", share, IndicatorSubmission{Period: "2026-H1", Unit: "u", Numerator: f64(1), Denominator: f64(2)}, true, "reason"},
		{"a figure after the lock with a reason is valid", share, IndicatorSubmission{Period: "2026-H1", Unit: "u", Numerator: f64(1), Denominator: f64(2), Reason: "số liệu của trường bổ sung"}, true, ""},
		{"a count is valid", count, IndicatorSubmission{Period: "2026-03", Unit: "u", Value: f64(4)}, false, ""},
		{"a negative count is refused", count, IndicatorSubmission{Period: "2026-03", Unit: "u", Value: f64(-4)}, false, "value"},
		{"a fractional count is refused", count, IndicatorSubmission{Period: "2026-03", Unit: "u", Value: f64(1.5)}, false, "value"},
		{"a count with a denominator is refused", count, IndicatorSubmission{Period: "2026-03", Unit: "u", Value: f64(1), Denominator: f64(3)}, false, "numerator"},
		{"no unit is refused", count, IndicatorSubmission{Period: "2026-03", Value: f64(1)}, false, "unit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.s
			err := s.Validate(tc.ind, tc.locked)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("got %v, want valid", err)
				}
				return
			}
			e := ErrorAs(err)
			if e == nil || e.Code != EINVALID || e.Field != tc.field || e.MessageVI == "" {
				t.Fatalf("got %v, want invalid %s", err, tc.field)
			}
		})
	}
	t.Run("a share's value is derived", func(t *testing.T) {
		s := IndicatorSubmission{Period: "2026-h1", Unit: "u", Numerator: f64(7), Denominator: f64(10)}
		if err := s.Validate(share, false); err != nil || s.Value == nil || *s.Value != 0.7 || s.Period != "2026-H1" {
			t.Fatalf("got %v %v %q", err, s.Value, s.Period)
		}
	})
}

func TestReportingPeriodDeadline(t *testing.T) {
	for _, tc := range []struct {
		in, canon      string
		start, end, dl string
	}{
		{"2026-03", "2026-03", "2026-03-01", "2026-03-31", "2026-04-15"},
		{"2026-q1", "2026-Q1", "2026-01-01", "2026-03-31", "2026-04-15"},
		{"2026-H2", "2026-H2", "2026-07-01", "2026-12-31", "2027-01-15"},
		{"2025", "2025", "2025-01-01", "2025-12-31", "2026-01-15"},
		{"2024-02", "2024-02", "2024-02-01", "2024-02-29", "2024-03-15"},
	} {
		p, err := ParseReportingPeriod("period", tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if p.String() != tc.canon || p.Start().String() != tc.start || p.End().String() != tc.end || p.Deadline().String() != tc.dl {
			t.Errorf("%s: got %s %s %s %s", tc.in, p, p.Start(), p.End(), p.Deadline())
		}
	}
	p, _ := ParseReportingPeriod("period", "2026-Q1")
	if p.Locked(NewDate(2026, 4, 15)) || !p.Locked(NewDate(2026, 4, 16)) {
		t.Error("the period must lock the day after its deadline")
	}
}

func TestIndicatorValidate(t *testing.T) {
	ok := func() *Indicator {
		return &Indicator{Code: "outreach", NameVI: "Tuyên truyền", NameEN: "Outreach", NumeratorVI: "xã", DenominatorVI: "tổng số xã", Kind: IndicatorShare, Level: IndicatorLevelCommune, Period: PeriodHalf, Agency: "health", Source: IndicatorSubmitted, TargetMin: 0.7}
	}
	for _, tc := range []struct {
		name  string
		edit  func(*Indicator)
		field string
	}{
		{"a complete share is valid", func(*Indicator) {}, ""},
		{"a share target above 1 is refused", func(i *Indicator) { i.TargetMin = 70 }, "target_min"},
		{"an unknown agency is refused", func(i *Indicator) { i.Agency = "nobody" }, "agency"},
		{"an unknown period kind is refused", func(i *Indicator) { i.Period = "week" }, "period"},
		{"a computed code kiemtra cannot compute is refused", func(i *Indicator) { i.Source = IndicatorComputed }, "source"},
		{"a change range upside down is refused", func(i *Indicator) { i.Kind, i.TargetMin, i.TargetMax = IndicatorChange, 0.05, 0.03 }, "target_max"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ind := ok()
			tc.edit(ind)
			err := ind.Validate(map[string]bool{"health": true})
			if tc.field == "" && err != nil || tc.field != "" && (ErrorAs(err) == nil || ErrorAs(err).Field != tc.field) {
				t.Fatalf("got %v, want %q", err, tc.field)
			}
		})
	}
	t.Run("a set names the place of a wrong field and a code twice", func(t *testing.T) {
		err := ValidateIndicatorSet([]*Indicator{ok(), ok()}, nil)
		if e := ErrorAs(err); e == nil || e.Field != "indicators[1].code" {
			t.Fatalf("got %v", err)
		}
	})
}
