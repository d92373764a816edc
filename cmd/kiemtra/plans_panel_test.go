package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/models"
)

// checkPlansPanel walks a planner through the dashboard's yearly plans on the demo of
// demoToday, whose 2027 plan the yearly job committed on 1 December for the draw of 2 December:
// the result typed in the morning is refused with the server's reason and kept in the form; in
// the evening it makes the selection, and the plan is approved after a confirmation.
func checkPlansPanel(t *testing.T, bctx context.Context, m *Main, clock *testClock, out string) {
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
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	plan := func(status string) *models.Plan {
		t.Helper()
		progs, err := m.DB().FindProgrammes(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range progs {
			plans, err := m.DB().FindPlans(context.Background(), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, pl := range plans {
				if pl.Year == 2027 && pl.Status == status {
					return pl
				}
			}
		}
		t.Fatalf("no 2027 plan is %s", status)
		return nil
	}
	committed := plan(models.PlanCommitted)
	row := `#plans-table tr[data-plan="` + committed.ID + `"]`
	form := `form[data-step="draw"][data-plan="` + committed.ID + `"]`
	do("show the plans", chromedp.EmulateViewport(1280, 800), chromedp.ScrollIntoView(chromedp.CSS(`#plans-panel`)), chromedp.WaitVisible(chromedp.CSS(form)))
	if got := text(row + ` td:nth-child(3)`); got != "Đã cam kết, chờ kết quả quay số" {
		t.Errorf("the committed plan's status reads %q", got)
	}
	if got := text(form + ` p.note`); !strings.Contains(got, "Xổ số kiến thiết Cần Thơ kỳ quay ngày 02/12/2026") {
		t.Errorf("the draw form says %q", got)
	}
	// 09:00 on the draw's day: the result is not out yet.
	do("enter the result in the morning",
		chromedp.SendKeys(chromedp.CSS(form+` input`), "123 456"),
		chromedp.Click(chromedp.CSS(form+` button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(form+` p.error`)))
	if msg := text(form + ` p.error`); !strings.Contains(msg, "chưa diễn ra") {
		t.Errorf("a result before the draw is refused with %q", msg)
	}
	if v := evalJS[string](t, bctx, `document.querySelector('`+form+` input').value`); v != "123 456" {
		t.Errorf("the refused result is not kept in the form: %q", v)
	}
	screenshot(t, bctx, out, "dashboard-plans-before-draw-1280x800.png", chromedp.CaptureScreenshot())

	clock.Set(time.Date(2026, 12, 2, 18, 5, 0, 0, m.Config.Location()))
	approve := `form[data-step="approve"][data-plan="` + committed.ID + `"]`
	do("enter the result in the evening", chromedp.Click(chromedp.CSS(form+` button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(approve)))
	if got := text(row + ` td:nth-child(3)`); got != "Đã chọn, chờ phê duyệt" {
		t.Errorf("the drawn plan's status reads %q", got)
	}
	if got := text(row + ` td:nth-child(4)`); !strings.Contains(got, "123456") {
		t.Errorf("the drawn plan's draw reads %q", got)
	}
	if drawn := plan(models.PlanDraft); drawn.DrawResult != "123456" || drawn.SeedSHA256 == "" {
		t.Errorf("the stored plan after the draw: result %q, seed hash %q", drawn.DrawResult, drawn.SeedSHA256)
	}
	do("ask to approve", chromedp.Click(chromedp.CSS(approve+` button`)), chromedp.WaitVisible(chromedp.CSS(approve+` p.warn`)))
	screenshot(t, bctx, out, "dashboard-plans-approve-1280x800.png", chromedp.CaptureScreenshot())
	do("confirm the approval", chromedp.Click(chromedp.CSS(approve+` button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(row+`[data-status="approved"]`)))
	if got := text(row + ` td:nth-child(3)`); got != "Đã phê duyệt" {
		t.Errorf("the approved plan's status reads %q", got)
	}
	if tasks, n, err := m.DB().FindTasks(context.Background(), models.TaskFilter{PlanID: committed.ID, Limit: 1}); err != nil || n == 0 || len(tasks) == 0 {
		t.Errorf("the approval made %d tasks (%v)", n, err)
	}
	screenshot(t, bctx, out, "dashboard-plans-approved-1280x800.png", chromedp.CaptureScreenshot())
}
