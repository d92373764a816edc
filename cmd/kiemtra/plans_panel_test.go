package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/models"
	"kiemtra/report"
)

// checkPlansPanel reads the dashboard's yearly plans on the demo of demoToday, whose 2027 plan
// the yearly job committed on 1 December for the draw of 2 December: the panel lists it waiting
// for its draw, and sends a planner to the office app's plans desk to enter the result and
// approve it (TestOfficePlannerWalk goes on there), without a form of its own.
func checkPlansPanel(t *testing.T, bctx context.Context, m *Main, out string) {
	t.Helper()
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, stop := context.WithTimeout(bctx, time.Minute)
		defer stop()
		if err := chromedp.Do(sctx, actions...); err != nil {
			screenshot(t, bctx, out, "dashboard-plans-failure.png", chromedp.CaptureScreenshot())
			t.Fatalf("%s: %v", what, err)
		}
	}
	progs, err := m.DB().FindProgrammes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var committed *models.Plan
	var code string
	for _, p := range progs {
		plans, err := m.DB().FindPlans(context.Background(), p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, pl := range plans {
			if pl.Year == 2027 && pl.Status == models.PlanCommitted {
				committed, code = pl, p.Code
			}
		}
	}
	if committed == nil {
		t.Fatal("no 2027 plan is committed")
	}
	row := `#plans-table tr[data-plan="` + committed.ID + `"]`
	do("show the plans", chromedp.EmulateViewport(1280, 800), chromedp.ScrollIntoView(chromedp.CSS(`#plans-panel`)), chromedp.WaitVisible(chromedp.CSS(row)))
	if got := evalJS[string](t, bctx, `document.querySelector('`+row+` td:nth-child(3)').textContent`); got != "Đã cam kết, chờ kết quả quay số" {
		t.Errorf("the committed plan's status reads %q", got)
	}
	if got := evalJS[string](t, bctx, `document.querySelector('`+row+` a.plans-open').getAttribute('href')`); got != "/office/#/plans/"+committed.ID {
		t.Errorf("the committed plan links %q", got)
	}
	if got := evalJS[string](t, bctx, `document.querySelector('#plans-office-link').getAttribute('href')`); got != "/office/#/plans?programme="+code {
		t.Errorf("the panel sends planners to %q", got)
	}
	if n := evalJS[int](t, bctx, `document.querySelectorAll('#plans-panel form, #plans-panel input').length`); n != 0 {
		t.Errorf("the panel has %d forms or inputs of its own", n)
	}
	screenshot(t, bctx, out, "dashboard-plans-1280x800.png", chromedp.CaptureScreenshot())
}

// checkSanctionsCard reads the dashboard's card of the year's sanctions in the unit on screen:
// its figures are the period report's, which the files carry too.
func checkSanctionsCard(t *testing.T, bctx context.Context, m *Main) {
	t.Helper()
	sctx, stop := context.WithTimeout(bctx, time.Minute)
	defer stop()
	if err := chromedp.Do(sctx, chromedp.WaitReady(chromedp.CSS(`#kpi-sanctions[data-ready="true"] [data-measure="sanction_decisions"]`))); err != nil {
		html, _ := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(`#kpi-sanctions`)))
		t.Fatalf("the sanctions card: %v (it reads %q, key %q)", err, html, evalJS[string](t, bctx, `document.querySelector('#kpi-sanctions').dataset.key || ""`))
	}
	key := evalJS[string](t, bctx, `document.querySelector('#kpi-sanctions').dataset.key`)
	parts := strings.Split(key, "|")
	if len(parts) != 3 {
		t.Fatalf("the sanctions card's key %q", key)
	}
	period, err := report.ParsePeriod(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	q := report.Query{Period: period, Programme: parts[0], Area: parts[2]}
	if err := m.Reports().Resolve(context.Background(), &q); err != nil {
		t.Fatal(err)
	}
	rep, err := m.Reports().Build(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	for measure, want := range map[string]int64{"sanction_decisions": int64(rep.Total.Decisions), "sanction_fines_amount": rep.Total.FinesAmount,
		"sanction_suspensions": int64(rep.Total.Suspensions), "sanction_overdue": int64(rep.Total.Overdue)} {
		got := evalJS[string](t, bctx, `document.querySelector('#kpi-sanctions [data-measure="`+measure+`"]').dataset.value`)
		if got != strconv.FormatInt(want, 10) {
			t.Errorf("the card's %s is %s, the report's %d", measure, got, want)
		}
	}
	if rep.Total.Decisions == 0 {
		t.Errorf("the demo's %s has no sanction decided in %s", parts[2], parts[1])
	}
}

// checkTargetsPanel reads the dashboard's panel of the plan's targets: for the programme and
// year on screen, every indicator of the progress API, its result and whether it is met, and
// a link for planners to the office app's targets desk.
func checkTargetsPanel(t *testing.T, bctx context.Context, m *Main, out string) {
	t.Helper()
	sctx, stop := context.WithTimeout(bctx, time.Minute)
	defer stop()
	if err := chromedp.Do(sctx, chromedp.ScrollIntoView(chromedp.CSS(`#targets-panel`)), chromedp.WaitVisible(chromedp.CSS(`#targets-table tbody tr`))); err != nil {
		screenshot(t, bctx, out, "dashboard-targets-failure.png", chromedp.CaptureScreenshot())
		t.Fatalf("the targets panel: %v", err)
	}
	code := evalJS[string](t, bctx, `document.querySelector('#programme').value`)
	year := evalJS[string](t, bctx, `document.querySelector('#targets-summary').textContent.match(/\d{4}/)[0]`)
	per, err := models.ParseReportingPeriod("period", year)
	if err != nil {
		t.Fatal(err)
	}
	p, err := m.Indicators().Programme(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := m.Indicators().Progress(context.Background(), p, per, "")
	if err != nil {
		t.Fatal(err)
	}
	if n := evalJS[int](t, bctx, `document.querySelectorAll('#targets-table tbody tr').length`); n != len(pr.Rows) {
		t.Errorf("the panel lists %d indicators, the API %d", n, len(pr.Rows))
	}
	for _, r := range pr.Rows {
		met := ""
		if r.Total.Met != nil {
			met = strconv.FormatBool(*r.Total.Met)
		}
		if got := evalJS[string](t, bctx, `(document.querySelector('#targets-table tr[data-indicator="`+r.Indicator.Code+`"]') || {dataset: {met: "missing"}}).dataset.met`); got != met {
			t.Errorf("%s reads met %q, the API %q", r.Indicator.Code, got, met)
		}
	}
	if got := evalJS[string](t, bctx, `document.querySelector('#targets-office-link').getAttribute('href')`); got != "/office/#/indicators?period="+year {
		t.Errorf("the panel sends planners to %q", got)
	}
	screenshot(t, bctx, out, "dashboard-targets-1280x800.png", chromedp.CaptureScreenshot())
}
