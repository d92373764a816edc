package main

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/models"
)

// TestOfficePlansDesk walks a planner through next year's plan on the demo of demoToday: with
// the city's team and Ninh Kiều's down to one visit a week the preview shows the shortfall by
// unit in team-days (one team alone cannot make one: the city team covers every district), with
// the capacity restored it fits; a second draft is refused without its reason, then committed
// for the next Wednesday's draw; that evening the result makes the selection, the approval
// (after a confirmation) makes the tasks, and "why this business" explains one. A viewer reads
// the figures but never the selection. At 1280x800 and 360x640, in Vietnamese and English.
func TestOfficePlansDesk(t *testing.T) {
	chromiumFor(t, "the plans desk test") // skip before the demo is made when there is no browser
	cfg := DefaultConfig()
	loc := cfg.Location()
	clock := newTestClock(demoToday, loc)
	m := startAt(t, demoDataDir(t), clock, nil)
	base := "http://" + m.Addr()
	ctx := context.Background()
	db := m.DB()
	teams, err := db.FindTeams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var lowered []*models.Team
	full := map[string]int{}
	for _, x := range teams {
		if x.Level == models.TeamLevelCity || strings.HasSuffix(x.Name, "Ninh Kiều") {
			lowered = append(lowered, x)
			full[x.ID] = x.WeeklyCapacity
		}
	}
	if len(lowered) != 2 {
		t.Fatalf("the demo's city and Ninh Kiều teams: %d found", len(lowered))
	}
	setCapacity := func(low bool) {
		t.Helper()
		for _, x := range lowered {
			fresh, err := db.FindTeamByID(ctx, x.ID)
			if err != nil {
				t.Fatal(err)
			}
			fresh.WeeklyCapacity = full[x.ID]
			if low {
				fresh.WeeklyCapacity = 1
			}
			if err := db.SaveTeam(ctx, "test", fresh, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	prog := func() *models.Programme {
		progs, err := db.FindProgrammes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range progs {
			if p.StartsOn.Year <= 2027 && p.EndsOn.Year >= 2027 {
				return p
			}
		}
		t.Fatal("no programme holds 2027")
		return nil
	}()
	plan2027 := func(status string) *models.Plan {
		t.Helper()
		plans, err := db.FindPlans(ctx, prog.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, pl := range plans {
			if pl.Year == 2027 && pl.Status == status {
				return pl
			}
		}
		t.Fatalf("no 2027 plan is %s", status)
		return nil
	}
	hash := func(h string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`location.hash = "` + h + `"`)
	}

	setCapacity(true)
	want, err := m.Planner().DraftPlan(ctx, "test", prog.ID, 2027, models.DraftOptions{DryRun: true})
	if err != nil || want.Feasible || want.Shortfall == 0 {
		t.Fatalf("the dry run with two teams at one visit a week: %v, shortfall %d", err, want.Shortfall)
	}
	var wantFig models.PlanFigures
	if err := json.Unmarshal([]byte(want.Figures), &wantFig); err != nil {
		t.Fatal(err)
	}
	first := plan2027(models.PlanCommitted) // the yearly job's, for the draw of demoToday

	p := newPageSession(t, "the plans desk test", 3*time.Minute)
	p.SignIn(base, "/office/", "planner", "#desk")
	p.Do("open the plans", hash("#/plans"), chromedp.WaitVisible(chromedp.CSS(`#plans-table tr[data-plan="`+first.ID+`"]`)))
	if got := p.Text(`#plans-table tr[data-plan="` + first.ID + `"]`); !strings.Contains(got, "Đã cam kết, chờ kết quả quay số") || !strings.Contains(got, "Lần 1") {
		t.Errorf("the committed plan's row reads %q", got)
	}
	p.NoRawCodes("the plans desk: the list")
	// The programmes desk links a programme's plans with its code in the route's query.
	var old *models.Programme
	progs, err := db.FindProgrammes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range progs {
		if x.EndsOn.Year < 2026 {
			old = x
		}
	}
	if old == nil {
		t.Fatal("the demo has no finished programme")
	}
	p.Do("the finished programme's plans", hash("#/plans?programme="+old.Code), chromedp.WaitVisible(chromedp.CSS(`#plans-table tr[data-status="approved"]`)))
	if got := evalJS[string](t, p.ctx, `document.querySelector('#plans-programme').value`); got != old.Code {
		t.Errorf("the finished programme's plans show %q", got)
	}
	p.Do("back to the programme in force", hash("#/plans"), chromedp.WaitVisible(chromedp.CSS(`#plans-table tr[data-plan="`+first.ID+`"]`)))

	// The preview with too little capacity: the shortfall, by unit and in team-days.
	p.Do("preview 2027 short of capacity", chromedp.SetValue(chromedp.CSS(`#plans-year`), "2027"),
		chromedp.Click(chromedp.CSS(`#plans-preview`)), chromedp.WaitVisible(chromedp.CSS(`#plans-preview-result #plans-shortfall[data-feasible="no"]`)))
	short := p.Text(`#plans-shortfall`)
	if !strings.Contains(short, "Thiếu năng lực: "+viNum(want.Shortfall)+" lượt kiểm tra không tổ nào còn năng lực") || !strings.Contains(short, "ngày công của tổ") {
		t.Errorf("the shortfall reads %q", short)
	}
	if n := evalJS[int](t, p.ctx, `document.querySelectorAll('#plans-shortfall-areas li').length`); n == 0 {
		t.Error("the shortfall names no unit")
	}
	if got := p.Text(`#plans-fig-total`); !strings.Contains(got, viNum(wantFig.Total)) {
		t.Errorf("the preview's total reads %q", got)
	}
	if got := p.Text(`#plans-fig-must`); !strings.Contains(got, "số cơ sở trong phạm vi") {
		t.Errorf("the never-inspected tile reads %q", got)
	}
	bars := evalJS[int](t, p.ctx, `document.querySelectorAll('#plans-chart rect').length`)
	rows := evalJS[int](t, p.ctx, `document.querySelectorAll('#plans-weeks-table tbody tr').length`)
	if bars < 40 || bars != rows || evalJS[int](t, p.ctx, `document.querySelectorAll('#plans-chart polyline').length`) != 1 {
		t.Errorf("the week chart has %d bars and its table %d rows", bars, rows)
	}
	if got := p.Text(`#plans-units tbody tr`); !strings.Contains(got, "Phường") && !strings.Contains(got, "Xã") {
		t.Errorf("the units table names no unit: %q", got)
	}
	p.NoRawCodes("the plans desk: a preview short of capacity")
	p.Shot("office-plans-preview-short-vi-1280x800.png")

	// Restored: it fits.
	setCapacity(false)
	p.Do("preview again", chromedp.Click(chromedp.CSS(`#plans-preview`)),
		chromedp.WaitVisible(chromedp.CSS(`#plans-preview-result #plans-shortfall[data-feasible="yes"]`)))

	// A second draft of 2027 needs its reason, beside the field; then it is committed.
	p.Do("commit without a reason", chromedp.SetValue(chromedp.CSS(`#plans-draw-date`), "2026-12-09"),
		chromedp.Click(chromedp.CSS(`#plans-commit`)), chromedp.WaitVisible(chromedp.CSS(`#plans-reason-error:not([hidden])`)))
	if got := p.Text(`#plans-reason-error`); !strings.HasPrefix(got, "Lý do lập lại: ") {
		t.Errorf("the missing reason reads %q", got)
	}
	p.Do("commit with a reason", chromedp.SendKeys(chromedp.CSS(`#plans-reason`), "Cập nhật danh sách cơ sở mới đăng ký"),
		chromedp.Click(chromedp.CSS(`#plans-commit`)), chromedp.WaitVisible(chromedp.CSS(`#plans-draw-step`)))
	mine := plan2027(models.PlanCommitted)
	if mine.ID == first.ID || mine.Attempt != 2 || mine.DrawDate != models.NewDate(2026, 12, 9) || mine.Reason == "" {
		t.Fatalf("the committed plan: %+v", mine)
	}
	if got := p.Text(`#plans-title`); got != "Kế hoạch năm 2027 · lần 2" {
		t.Errorf("the plan's title reads %q", got)
	}
	if n := evalJS[int](t, p.ctx, `document.querySelectorAll('#plans-items').length`); n != 0 {
		t.Error("a committed plan lists a selection")
	}
	p.NoRawCodes("the plans desk: a committed plan")
	p.Shot("office-plans-committed-vi-1280x800.png")

	// The draw's evening: the result makes the selection.
	clock.Set(time.Date(2026, 12, 9, 18, 5, 0, 0, loc))
	p.Do("enter the result", chromedp.SendKeys(chromedp.CSS(`#plans-result`), "654321"), chromedp.Click(chromedp.CSS(`#plans-draw`)),
		chromedp.WaitVisible(chromedp.CSS(`#plans-approve`)), chromedp.WaitVisible(chromedp.CSS(`#plans-items tr[data-business]`)))
	drawn := plan2027(models.PlanDraft)
	if drawn.ID != mine.ID || drawn.DrawResult != "654321" {
		t.Fatalf("the drawn plan: %+v", drawn)
	}
	p.Do("why this business", chromedp.Click(chromedp.CSS(`#plans-items tr[data-business] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#plans-items tr.plans-why:not([hidden]) ul`)))
	if got := p.Text(`#plans-items tr.plans-why`); !strings.Contains(got, "Điểm rủi ro") || !strings.Contains(got, "xác suất được chọn") {
		t.Errorf("why this business reads %q", got)
	}
	if got := p.Text(`#plans-mix-group`); !strings.Contains(got, "Chưa từng được kiểm tra") {
		t.Errorf("the risk mix by group reads %q", got)
	}
	p.NoRawCodes("the plans desk: a drawn plan")
	p.Shot("office-plans-drawn-vi-1280x800.png")

	// Approved after a confirmation.
	p.Do("ask to approve", chromedp.Click(chromedp.CSS(`#plans-approve`)), chromedp.WaitVisible(chromedp.CSS(`#plans-approve-confirm`)))
	if got := p.Text(`#plans-approve-confirm`); !strings.Contains(got, "Phê duyệt kế hoạch năm 2027 với") {
		t.Errorf("the confirmation reads %q", got)
	}
	p.Do("confirm", chromedp.Click(chromedp.CSS(`#plans-approve-confirm-yes`)), chromedp.WaitVisible(chromedp.CSS(`#plans-progress`)),
		chromedp.WaitVisible(chromedp.CSS(`#plans-items tr[data-business]`)))
	if got := plan2027(models.PlanApproved); got.ID != mine.ID {
		t.Errorf("the approved plan is %s, want %s", got.ID, mine.ID)
	}
	if _, n, err := db.FindTasks(ctx, models.TaskFilter{PlanID: mine.ID, Limit: 1}); err != nil || n == 0 {
		t.Errorf("the approval made %d tasks (%v)", n, err)
	}
	if got := p.Text(`#plans-progress`); !strings.Contains(got, "Trong kế hoạch, chưa giao: ") {
		t.Errorf("the tasks read %q", got)
	}
	p.NoRawCodes("the plans desk: an approved plan")
	p.Shot("office-plans-approved-vi-1280x800.png")
	p.Viewport(360, 640)
	if w := evalJS[int](t, p.ctx, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("at 360 px the plan is %d px wide", w)
	}
	p.Viewport(1280, 800)

	// In English.
	p.Do("switch to English", chromedp.Click(chromedp.CSS(`#app-view .lang-switch`)))
	if got := p.WaitText(`#plans-title`, "The 2027 plan · draft 2"); got != "The 2027 plan · draft 2" {
		t.Errorf("in English the title reads %q", got)
	}
	if got := p.Text(`#plans-shortfall`); got != "The teams have the capacity: every visit has a team and a week." {
		t.Errorf("in English the capacity reads %q", got)
	}
	p.Shot("office-plans-approved-en-1280x800.png")
	p.Do("back to Vietnamese", chromedp.Click(chromedp.CSS(`#app-view .lang-switch`)))
	p.WaitText(`#plans-title`, "Kế hoạch năm 2027 · lần 2")

	// A viewer reads the figures, never the selection.
	p.Do("sign out", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	p.SignIn(base, "/office/", "viewer", "#desk")
	p.Do("the viewer opens the plan", hash("#/plans/"+mine.ID), chromedp.WaitVisible(chromedp.CSS(`#plans-figures`)))
	time.Sleep(500 * time.Millisecond) // the planner's selection would come after the figures
	for _, sel := range []string{"#plans-items", "#plans-mix", "#plans-approve", "#plans-draft"} {
		if n := evalJS[int](t, p.ctx, `document.querySelectorAll('`+sel+`').length`); n != 0 {
			t.Errorf("the viewer sees %s", sel)
		}
	}
	p.NoRawCodes("the plans desk: the viewer")
	p.Shot("office-plans-viewer-vi-1280x800.png")
	p.Viewport(360, 640)
	if w := evalJS[int](t, p.ctx, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("at 360 px the viewer's plan is %d px wide", w)
	}
	p.Shot("office-plans-viewer-vi-360x640.png")
	p.Viewport(1280, 800)

	// An admin reveals the seed early, after a confirmation; the public page then shows the
	// server's re-derivation of the selection.
	p.Do("sign out the viewer", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	p.SignIn(base, "/office/", "admin", "#desk")
	p.Do("reveal", hash("#/plans/"+mine.ID), chromedp.WaitVisible(chromedp.CSS(`#plans-reveal`)), chromedp.Click(chromedp.CSS(`#plans-reveal`)),
		chromedp.WaitVisible(chromedp.CSS(`#plans-reveal-confirm`)), chromedp.Click(chromedp.CSS(`#plans-reveal-confirm-yes`)),
		chromedp.WaitVisible(chromedp.CSS(`#plans-revealed`)))
	if got, err := db.FindPlanByID(ctx, mine.ID); err != nil || got.SeedRevealedAt == nil {
		t.Fatalf("the plan's seed is not revealed (%v)", err)
	}
	items, err := db.FindPlanItems(ctx, mine.ID)
	if err != nil {
		t.Fatal(err)
	}
	p.Do("the public page", chromedp.Navigate(base+"/verify/"+mine.ID), chromedp.WaitVisible(chromedp.CSS(`#check-result`)))
	if got := p.Text(`#check-result`); !strings.HasPrefix(got, "Khớp: rút lại từ đầu vào và hạt giống đã công bố cho đúng "+strconv.Itoa(len(items))+" cơ sở") {
		t.Errorf("the verification page says %q", got)
	}
	p.Shot("verify-revealed-vi-1280x800.png")
}

// viNum writes a count as a Vietnamese reader does (1.073).
func viNum(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}
