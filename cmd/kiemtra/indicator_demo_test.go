package main

import (
	"context"
	"testing"
	"time"

	"kiemtra/demo"
	"kiemtra/indicators"
	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/report"
)

// TestIndicatorProgressOnTheDemo computes the demo's progress: the computed indicators equal
// the period report's figures, the local units' trend runs across the 2025 reorganisation
// (districts before, communes after, a commune's earlier years through its district), and the
// current programme's half-year shows the returned figure.
func TestIndicatorProgressOnTheDemo(t *testing.T) {
	db := openDataDir(t, demoDataDir(t))
	ctx := context.Background()
	violations, err := refdata.Violations()
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	loc := cfg.Location()
	now := func() time.Time { return demoToday.Time(loc).Add(10 * time.Hour) }
	reports := report.New(report.Config{Store: db, Violations: violations, Now: now, Location: loc})
	svc := indicators.New(db, reports, now, loc)

	old, err := svc.Programme(ctx, "KH237-2021-2025")
	if err != nil {
		t.Fatal(err)
	}
	year := models.ReportingPeriod{Kind: models.PeriodYear, Year: 2025}
	pr, err := svc.Progress(ctx, old, year, "")
	if err != nil {
		t.Fatal(err)
	}
	q := report.Query{Period: report.Period{Kind: report.KindYear, Year: 2025}, Programme: old.ID}
	if err := reports.Resolve(ctx, &q); err != nil {
		t.Fatal(err)
	}
	rep, err := reports.Build(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	share, cov, crimes := pr.Row(models.IndicatorInspectionShare), pr.Row(models.IndicatorCoverage), pr.Row(models.IndicatorCrimesHandled)
	if int(*share.Total.Numerator) != rep.Total.InspectedOpenAtStart || int(*share.Total.Denominator) != rep.Total.OpenAtStart ||
		int(*cov.Total.Numerator) != rep.Total.Covered || int(*cov.Total.Denominator) != rep.Total.Eligible || int(*crimes.Total.Value) != rep.Total.Referrals {
		t.Fatalf("share %+v coverage %+v crimes %+v; report %+v", share.Total, cov.Total, crimes.Total, rep.Total)
	}
	if len(share.Trend) != 5 || share.Trend[0].Period != "2021" || len(share.Units) != len(rep.RowsOf(rep.Levels[0].Level)) {
		t.Errorf("share trend %+v, %d units", share.Trend, len(share.Units))
	}
	out := pr.Row("outreach_communes")
	if len(out.Trend) != 10 || out.Trend[7].Value == nil || out.Trend[9].Value == nil || out.Expected != 103 || out.Submitted == 0 {
		t.Fatalf("outreach: %d units expected, %d submitted, trend %+v", out.Expected, out.Submitted, out.Trend)
	}
	// A commune with an account reported after the reorganisation; before it, its district did.
	var via bool
	for _, u := range out.Units {
		if len(u.Trend) == 10 && u.Trend[9].Value != nil && len(u.Trend[0].Via) > 0 && u.Trend[0].Value != nil {
			via = true
		}
	}
	if !via {
		t.Error("no commune shows its district's figures before the reorganisation")
	}
	if len(pr.NarrativesByAgency()[models.AgencyPolice]) == 0 || len(pr.NarrativesByAgency()[models.AgencyCommune]) == 0 {
		t.Errorf("narratives by agency: %d", len(pr.Narratives))
	}

	cur, err := svc.Programme(ctx, "PCMD-2026-2030")
	if err != nil {
		t.Fatal(err)
	}
	h1, err := svc.Progress(ctx, cur, models.ReportingPeriod{Kind: models.PeriodHalf, Year: 2026, N: 1}, "")
	if err != nil {
		t.Fatal(err)
	}
	returned := 0
	for _, u := range h1.Row("outreach_communes").Units {
		if u.State == models.SubmissionReturned {
			returned++
		}
	}
	if returned != 1 {
		t.Errorf("%d returned figures in 2026-H1, want 1", returned)
	}
}

// TestIndicatorsServedOnTheDemo signs the demo's press officer in and reads its reminders and
// the programme's progress through the running service: the service main wires is the one the
// API answers with, and the officer's own agency comes from its account.
func TestIndicatorsServedOnTheDemo(t *testing.T) {
	m := startDemo(t, nil)
	if m.Indicators() == nil {
		t.Fatal("Main has no indicator service")
	}
	var s struct {
		AccessToken string `json:"access_token"`
	}
	if code := apiCall(t, m, "POST", "/api/v1/auth/login", `{"username":"baocao.bao","password":"`+demo.Password+`"}`, "", &s); code != 200 {
		t.Fatalf("login: %d", code)
	}
	var owed struct{ Owed []indicators.Owed }
	if code := apiCall(t, m, "GET", "/api/v1/indicators/reminders?programme=PCMD-2026-2030", "", s.AccessToken, &owed); code != 200 {
		t.Fatalf("reminders: %d", code)
	}
	for _, o := range owed.Owed {
		if o.Unit.Code != "press" {
			t.Errorf("the press officer is reminded of %+v", o)
		}
	}
	var pr indicators.Progress
	if code := apiCall(t, m, "GET", "/api/v1/indicators/progress?programme=PCMD-2026-2030&period=2026-Q3", "", s.AccessToken, &pr); code != 200 || pr.Row("press_news") == nil {
		t.Fatalf("progress: %d %+v", code, pr)
	}
	if r := pr.Row("press_news"); len(r.Periods) != 3 || r.Total.Value == nil || len(r.Trend) < 9 {
		t.Errorf("press news in 2026-Q3: %+v", r)
	}
}
