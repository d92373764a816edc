package main

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/models"
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
