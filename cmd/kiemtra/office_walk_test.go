package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/models"
)

// TestOfficePlannerWalk is a planner's year-end on the demo, every step on a screen: a registry
// file with bad lines is checked (the bad lines shown, nothing stored) and its good lines
// confirmed; next year's plan is previewed after the city's team and Ninh Kiều's are lowered to
// one visit a week in the people desk (the shortfall by unit, in team-days), the capacities are
// restored and the preview fits; the plan the yearly job committed gets its draw result (refused
// in the morning, kept as typed; taken in the evening) and is approved after a confirmation; on the first working morning of the
// year, once the morning assignment has run, a team's day lists the plan's visits.
func TestOfficePlannerWalk(t *testing.T) {
	chromiumFor(t, "the planner's walk") // skip before the demo is made when there is no browser
	// The users' calendar: the draw's evening and the morning are Can Tho's.
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	clock := newTestClock(demoToday, loc)
	m := startAt(t, demoDataDir(t), clock, nil)
	base := "http://" + m.Addr()
	ctx := context.Background()
	db := m.DB()
	hash := func(h string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`location.hash = "` + h + `"`)
	}

	// The file: two good lines beside a business of the demo, three bad ones.
	some, _, err := db.FindBusinesses(ctx, models.BusinessFilter{Q: "hoa hong", Limit: 1})
	if err != nil || len(some) == 0 {
		t.Fatalf("the demo's Hoa Hồng: %v", err)
	}
	near := some[0]
	csv := "Tên cơ sở,Loại hình,Địa chỉ,Vĩ độ,Kinh độ,Điện thoại,Trạng thái\n" +
		fmt.Sprintf("Karaoke Phương Nam,%s,11 Đường Mới,%.6f,%.6f,0292 3000 222,Đang hoạt động\n", near.Category, near.Lat+0.001, near.Lon) +
		fmt.Sprintf(",%s,12 Đường Mới,%.6f,%.6f,,\n", near.Category, near.Lat, near.Lon+0.001) +
		fmt.Sprintf("Quán Số Sai,%s,13 Đường Mới,%.6f,%.6f,12345,\n", near.Category, near.Lat, near.Lon+0.002) +
		fmt.Sprintf("Nhà nghỉ Không Rõ,%s,14 Đường Mới,%.6f,%.6f,,mở cửa\n", near.Category, near.Lat+0.002, near.Lon) +
		fmt.Sprintf("Spa Hồng Ngọc,%s,15 Đường Mới,%.6f,%.6f,,\n", near.Category, near.Lat-0.001, near.Lon)
	file := filepath.Join(t.TempDir(), "danh-sach-co-so.csv")
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}

	// The teams whose capacity the planner lowers.
	teams, err := db.FindTeams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var lowered []*models.Team
	for _, x := range teams {
		if x.Level == models.TeamLevelCity || strings.HasSuffix(x.Name, "Ninh Kiều") {
			lowered = append(lowered, x)
		}
	}
	if len(lowered) != 2 {
		t.Fatalf("the demo's city and Ninh Kiều teams: %d found", len(lowered))
	}
	committed := func() *models.Plan {
		t.Helper()
		plans, err := db.FindPlans(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, pl := range plans {
			if pl.Year == 2027 && pl.Status != models.PlanSuperseded {
				return pl
			}
		}
		t.Fatal("no plan for 2027")
		return nil
	}
	plan := committed()
	if plan.Status != models.PlanCommitted || plan.DrawDate != demoToday {
		t.Fatalf("the yearly job's 2027 plan is %s for the draw of %s", plan.Status, plan.DrawDate)
	}

	p := newPageSession(t, "the planner's walk", 3*time.Minute)
	p.SignIn(base, "/office/", "planner", "#desk")

	// 1. The registry file: the dry run shows the bad lines, then the good ones go in.
	before, err := db.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p.Do("check the file", hash("#/registry/import"), chromedp.WaitVisible(chromedp.CSS(`#reg-import-form`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#reg-import-file`), []string{file}, chromedp.NodeReady),
		chromedp.Click(chromedp.CSS(`#reg-import-check`)),
		chromedp.WaitVisible(chromedp.CSS(`#reg-import-rejected`)))
	if n := evalJS[int](t, p.ctx, `document.querySelectorAll('#reg-import-rejected tbody tr').length`); n != 3 {
		t.Errorf("the dry run shows %d bad lines, want 3: %s", n, p.Text(`#reg-import-result`))
	}
	rejected := p.Text(`#reg-import-rejected`)
	for _, want := range []string{"Tên cơ sở", "Điện thoại", "Tình trạng hoạt động", "mở cửa"} {
		if !strings.Contains(rejected, want) {
			t.Errorf("the bad lines lack %q: %s", want, rejected)
		}
	}
	p.NoRawCodes("the walk: the file's bad lines")
	p.Shot("office-walk-import-check-vi-1280x800.png")
	p.Do("confirm the good lines", chromedp.Click(chromedp.CSS(`#reg-import-confirm`)), chromedp.WaitVisible(chromedp.CSS(`#reg-import-summary.notice`)))
	after, err := db.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Businesses != before.Businesses+2 {
		t.Errorf("the import stored %d businesses, want the 2 good lines", after.Businesses-before.Businesses)
	}

	// 2. Capacity lowered in the people desk; next year's preview is short.
	setCapacity := func(x *models.Team, n int) {
		t.Helper()
		p.Do(fmt.Sprintf("set %s's capacity to %d", x.Name, n), hash("#/people"), chromedp.WaitVisible(chromedp.CSS(`#people-teams`)),
			hash("#/people/team/"+x.ID), chromedp.WaitVisible(chromedp.CSS(`#people-capacity`)),
			chromedp.SetValue(chromedp.CSS(`#people-capacity`), fmt.Sprint(n)),
			chromedp.Click(chromedp.CSS(`#people-save`)))
		if n < x.WeeklyCapacity { // a lower capacity is confirmed first
			p.Do("confirm the lower capacity", chromedp.WaitVisible(chromedp.CSS(`#people-confirm-yes`)), chromedp.Click(chromedp.CSS(`#people-confirm-yes`)))
		}
		p.Do("saved", chromedp.WaitVisible(chromedp.CSS(`#people-status .notice`)))
		if got, err := db.FindTeamByID(ctx, x.ID); err != nil || got.WeeklyCapacity != n {
			t.Fatalf("%s's capacity is not %d (%v)", x.Name, n, err)
		}
	}
	for _, x := range lowered {
		setCapacity(x, 1)
	}
	preview := func(feasible string) {
		t.Helper()
		p.Do("preview 2027", hash("#/plans"), chromedp.WaitVisible(chromedp.CSS(`#plans-year`)),
			chromedp.SetValue(chromedp.CSS(`#plans-year`), "2027"),
			chromedp.Click(chromedp.CSS(`#plans-preview`)),
			chromedp.WaitVisible(chromedp.CSS(`#plans-preview-result #plans-shortfall[data-feasible="`+feasible+`"]`)))
	}
	preview("no")
	if short := p.Text(`#plans-shortfall`); !strings.Contains(short, "Thiếu năng lực") || !strings.Contains(short, "ngày công của tổ") {
		t.Errorf("the shortfall reads %q", short)
	}
	if n := evalJS[int](t, p.ctx, `document.querySelectorAll('#plans-shortfall-areas li').length`); n == 0 {
		t.Error("the shortfall names no unit")
	}
	p.NoRawCodes("the walk: the preview short of capacity")
	p.Shot("office-walk-shortfall-vi-1280x800.png")
	for _, x := range lowered {
		setCapacity(x, x.WeeklyCapacity)
	}
	preview("yes")

	// 3. The draw's day: in the morning the result is not out and is refused, kept as typed;
	// in the evening it makes the selection, and the plan is approved.
	p.Do("enter the result in the morning", hash("#/plans/"+plan.ID), chromedp.WaitVisible(chromedp.CSS(`#plans-result`)),
		chromedp.SendKeys(chromedp.CSS(`#plans-result`), "271 828"), chromedp.Click(chromedp.CSS(`#plans-draw`)),
		chromedp.WaitVisible(chromedp.CSS(`#plans-draw-error:not([hidden]), #plans-result-error:not([hidden])`)))
	if got := p.Text(`#plans-draw-step`); !strings.Contains(got, "chưa diễn ra") {
		t.Errorf("a result before the draw is refused with %q", got)
	}
	if got := evalJS[string](t, p.ctx, `document.querySelector('#plans-result').value`); got != "271 828" {
		t.Errorf("the refused result is not kept: %q", got)
	}
	p.NoRawCodes("the walk: a result before the draw")
	p.Shot("office-walk-draw-refused-vi-1280x800.png")
	clock.Set(plan.DrawDate.Time(loc).Add(18*time.Hour + 5*time.Minute))
	p.Do("enter the result in the evening", chromedp.Click(chromedp.CSS(`#plans-draw`)), chromedp.WaitVisible(chromedp.CSS(`#plans-approve`)))
	if got := committed(); got.Status != models.PlanDraft || got.DrawResult != "271828" {
		t.Errorf("after the draw the plan is %s with the result %q", got.Status, got.DrawResult)
	}
	p.Do("approve", chromedp.Click(chromedp.CSS(`#plans-approve`)), chromedp.WaitVisible(chromedp.CSS(`#plans-approve-confirm-yes`)),
		chromedp.Click(chromedp.CSS(`#plans-approve-confirm-yes`)), chromedp.WaitVisible(chromedp.CSS(`#plans-progress`)))
	if got := committed(); got.ID != plan.ID || got.Status != models.PlanApproved {
		t.Fatalf("the 2027 plan is %s (%s), want %s approved", got.ID, got.Status, plan.ID)
	}
	p.NoRawCodes("the walk: the approved plan")
	p.Shot("office-walk-approved-vi-1280x800.png")

	// 4. The first working morning of 2027: the morning assignment releases the plan's visits.
	morning := time.Date(2027, 1, 4, 6, 0, 0, 0, loc)
	clock.Set(morning)
	if _, err := m.Morning().Run(ctx, morning); err != nil {
		t.Fatal(err)
	}
	released, n, err := db.FindTasks(ctx, models.TaskFilter{PlanID: plan.ID, Statuses: []string{models.TaskReleased}, Limit: 1000})
	if err != nil || n == 0 {
		t.Fatalf("the morning released %d of the plan's visits (%v)", n, err)
	}
	perTeam := map[string][]string{}
	for _, x := range released {
		if x.TeamID != nil && x.ReleasedOn == models.DateOf(morning) {
			perTeam[*x.TeamID] = append(perTeam[*x.TeamID], x.ID)
		}
	}
	var team string
	for id, ids := range perTeam {
		if team == "" || len(ids) > len(perTeam[team]) || (len(ids) == len(perTeam[team]) && id < team) {
			team = id
		}
	}
	if team == "" {
		t.Fatal("no team has visits released this morning")
	}
	// A month later the session has ended: the planner signs in again.
	p.Do("sign out", chromedp.Navigate(base+"/office/"), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	p.SignIn(base, "/office/", "planner", "#desk")
	p.Do("open the teams' work", hash("#/team"), chromedp.WaitVisible(chromedp.CSS(`#team-list tr[data-team="`+team+`"] a`)),
		chromedp.Click(chromedp.CSS(`#team-list tr[data-team="`+team+`"] a`)),
		chromedp.WaitVisible(chromedp.CSS(`#team-progress`)))
	if got := p.Text(`.team-dayname`); !strings.Contains(got, "04/01/2027") {
		t.Errorf("the team's day is %q, want 4 January 2027", got)
	}
	listed := evalJS[[]string](t, p.ctx, `[...document.querySelectorAll('.team-stops tbody tr')].map(r => r.dataset.task)`)
	for _, id := range perTeam[team] {
		if !slices.Contains(listed, id) {
			t.Errorf("the team's day lacks the visit %s released this morning (it lists %d)", id, len(listed))
		}
	}
	p.NoRawCodes("the walk: a team's morning")
	p.Shot("office-walk-team-day-vi-1280x800.png")
	p.Do("in English", chromedp.Click(chromedp.CSS(`#app-view .lang-switch`)), chromedp.WaitVisible(chromedp.CSS(`#team-progress`)))
	if got := p.WaitText(`.team-tabs a.active`, "Today"); got != "Today" {
		t.Errorf("in English the day's tab reads %q", got)
	}
	p.Shot("office-walk-team-day-en-1280x800.png")
}
