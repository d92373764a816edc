package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/api"
	"kiemtra/models"
)

// TestTeamLeadDeskInHeadlessChromium signs a team lead in at /dashboard/ on a fresh demo (made on
// Wednesday demoToday: Monday's and Tuesday's visits are done, today's are released): the lead
// lands on the team's day with its progress, reads the week by day, opens one of the team's
// inspections and marks it reviewed with a note, at 1280x800 and 360x640.
func TestTeamLeadDeskInHeadlessChromium(t *testing.T) {
	chromiumFor(t, "the team lead's desk test") // skip before the demo is made when there is no browser
	m := startDemo(t, nil)
	base := "http://" + m.Addr()
	ctx := context.Background()
	loc := m.Config.Location()

	// Today's routes are released at 06:00 (the morning job is off in tests).
	if _, err := m.Morning().Assign(ctx, "test", demoToday); err != nil {
		t.Fatal(err)
	}
	// The lead whose team has the most visits today (the demo's December is the programme's
	// last weeks: a few visits a day).
	mon := demoToday.AddDays(-2)
	days := make([]models.Date, 7)
	for i := range days {
		days[i] = mon.AddDays(i)
	}
	users, err := m.DB().FindUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var lead *models.User
	var week []api.WorkDay
	best := 0
	for _, u := range users {
		if u.Role != models.RoleTeamLead || u.TeamID == nil {
			continue
		}
		w, err := m.DB().FindTeamWork(ctx, *u.TeamID, days[0], days[6], loc)
		if err != nil {
			t.Fatal(err)
		}
		wd := api.WorkDays(w, *u.TeamID, days, loc)
		if wd[2].Planned > best {
			lead, week, best = u, wd, wd[2].Planned
		}
	}
	if lead == nil {
		t.Fatal("no demo team has visits today")
	}
	// The team's first visit of the day is done by 08:30.
	route, err := m.DB().FindTeamDay(ctx, *lead.TeamID, demoToday)
	if err != nil || len(route) == 0 {
		t.Fatalf("today's route: %d (%v)", len(route), err)
	}
	done := demoToday.Time(loc).Add(8*time.Hour + 30*time.Minute)
	first := &models.Inspection{ID: "office-team-first", TaskID: &route[0].ID, BusinessID: route[0].BusinessID, TeamID: lead.TeamID,
		StartedAt: done.Add(-40 * time.Minute), FinishedAt: done, Outcome: models.OutcomeViolation, ChecklistVersion: 1, Answers: "[]", Members: "[]",
		BodySHA256: "office-team-first", CreatedBy: strings.TrimSuffix(lead.Username, ".lead") + ".1", Flags: models.FlagNoCheckin}
	followUp := &models.Task{PlanID: route[0].PlanID, BusinessID: route[0].BusinessID, Reason: models.ReasonFollowUp, Status: models.TaskPlanned,
		WindowStart: demoToday.AddDays(14), WindowEnd: demoToday.AddDays(28), ParentTaskID: &route[0].ID}
	if err := m.DB().ApplyVisits(ctx, "test", []models.Visit{{Inspection: first, Findings: []*models.Finding{{Code: "HOURS", Severity: "medium"}},
		NewTasks: []*models.Task{followUp}}}); err != nil {
		t.Fatal(err)
	}
	w, err := m.DB().FindTeamWork(ctx, *lead.TeamID, days[0], days[6], loc)
	if err != nil {
		t.Fatal(err)
	}
	week = api.WorkDays(w, *lead.TeamID, days, loc)
	reviews, err := m.DB().FindTeamInspections(ctx, *lead.TeamID, demoToday.AddDays(-6).Time(loc), demoToday.AddDays(1).Time(loc), 500)
	if err != nil || len(reviews) == 0 {
		t.Fatalf("the team's inspections to review: %d (%v)", len(reviews), err)
	}
	target := reviews[0]
	for _, ti := range reviews {
		if len(ti.ReviewFlags()) > len(target.ReviewFlags()) {
			target = ti
		}
	}

	// The session's time runs from here: making the demo under -race takes minutes.
	p := newPageSession(t, "the team lead's desk test", 2*time.Minute)

	// Today: the progress line.
	p.SignIn(base, "/dashboard/", lead.Username, `#team-progress`)
	today := week[2]
	want := fmt.Sprintf("Đã kiểm tra %d trên %d cơ sở được giao", today.Done, today.Planned)
	if got := p.WaitText(`#team-progress`, want); got != want {
		t.Errorf("the day's progress reads %q, want %q", got, want)
	}
	if n := evalJS[int](t, p.ctx, `document.querySelectorAll('.team-stops tbody tr').length`); n != today.Planned {
		t.Errorf("the day lists %d stops, want %d", n, today.Planned)
	}
	wantFollowUp := "Kiểm tra việc khắc phục vi phạm: từ 16/12/2026 đến 30/12/2026 (Trong kế hoạch, chưa giao)"
	if got := p.Text(`.team-stops tr[data-task="` + route[0].ID + `"] .team-queued li`); got != wantFollowUp {
		t.Errorf("the first stop's follow-up reads %q, want %q", got, wantFollowUp)
	}
	checkNoRawCodes(t, p)
	p.Shot("office-team-today-1280x800.png")

	// The week: each day's counts, the days after today not shown yet.
	p.Do("open the week", chromedp.Evaluate[chromedp.Void](`location.hash = "#/team/week"`), chromedp.WaitVisible(chromedp.CSS(`#team-week`)))
	for i, d := range week[:3] {
		sel := fmt.Sprintf(`#team-week tr[data-day="%s"] td:nth-child(3)`, d.Day)
		if got := p.WaitText(sel, fmt.Sprint(d.Done)); got != fmt.Sprint(d.Done) {
			t.Errorf("day %d of the week shows %q inspected, want %d", i, got, d.Done)
		}
	}
	if got := p.Text(fmt.Sprintf(`#team-week tr[data-day="%s"] td:nth-child(2)`, days[3])); got != "Chưa đến ngày" {
		t.Errorf("tomorrow reads %q", got)
	}
	checkNoRawCodes(t, p)
	p.Shot("office-team-week-1280x800.png")

	// To review: the list, then one inspection marked reviewed.
	p.Do("open the list to review", chromedp.Evaluate[chromedp.Void](`location.hash = "#/team/review"`), chromedp.WaitVisible(chromedp.CSS(`#team-review`)))
	if n := evalJS[int](t, p.ctx, `document.querySelectorAll('#team-review tbody tr').length`); n != len(reviews) {
		t.Errorf("the list shows %d inspections, want %d", n, len(reviews))
	}
	checkNoRawCodes(t, p)
	p.Shot("office-team-review-1280x800.png")
	p.Do("open an inspection", chromedp.Click(chromedp.CSS(`#team-review tr[data-inspection="`+target.Original.ID+`"] a.button`)),
		chromedp.WaitVisible(chromedp.CSS(`#team-review-submit`)))
	if len(target.Findings) > 0 {
		if got := p.Text(`.team-findings li b`); got == target.Findings[0].Code || got == "" {
			t.Errorf("the finding reads %q, not the violation's name", got)
		}
	}
	checkNoRawCodes(t, p)
	p.Do("mark it reviewed",
		chromedp.SendKeys(chromedp.CSS(`#team-review-note`), "Đã xem, đề nghị tổ chụp ảnh đầy đủ"),
		chromedp.Click(chromedp.CSS(`#team-review-submit`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice`)))
	if got := p.Text(`#team-review-status`); !strings.HasPrefix(got, "Đã xem: "+lead.DisplayName) {
		t.Errorf("the review reads %q", got)
	}
	p.Shot("office-team-reviewed-1280x800.png")
	ti, err := m.DB().FindTeamInspection(ctx, target.Original.ID)
	if err != nil || !ti.Reviewed() || ti.Review.ReviewedBy != lead.Username || ti.Review.Note != "Đã xem, đề nghị tổ chụp ảnh đầy đủ" {
		t.Fatalf("the stored review: %+v (%v)", ti, err)
	}

	// A phone's width.
	p.Viewport(360, 640)
	p.Do("back to the list", chromedp.Evaluate[chromedp.Void](`location.hash = "#/team/review"`),
		chromedp.WaitVisible(chromedp.CSS(`#team-review tr[data-inspection="`+target.Original.ID+`"][data-reviewed="true"]`)))
	p.Shot("office-team-review-360x640.png")

	// A violation found: the lead proposes its sanction from the inspection; the planners decide it.
	var found *models.TeamInspection
	for _, ti := range reviews {
		if len(ti.Findings) > 0 && ti.Latest.ID == ti.Original.ID {
			found = ti
			break
		}
	}
	if found == nil {
		t.Fatal("the team's week holds no inspection with a finding to propose a sanction for")
	}
	p.Viewport(1280, 800)
	p.Do("open an inspection with a finding", chromedp.Evaluate[chromedp.Void](`location.hash = "#/team/review"`),
		chromedp.WaitVisible(chromedp.CSS(`#team-review tr[data-inspection="`+found.Original.ID+`"] a.button`)),
		chromedp.Click(chromedp.CSS(`#team-review tr[data-inspection="`+found.Original.ID+`"] a.button`)),
		chromedp.WaitVisible(chromedp.CSS(`#team-propose`)))
	p.Do("propose a sanction", chromedp.Click(chromedp.CSS(`#team-propose`)),
		chromedp.WaitVisible(chromedp.CSS(`#san-propose`)))
	p.Do("the inspection is chosen", chromedp.WaitReady(chromedp.CSS(`#san-inspection option[value="`+found.Latest.ID+`"]`)))
	if got := evalJS[string](t, p.ctx, `document.querySelector('#san-inspection').value`); got != found.Latest.ID {
		t.Errorf("the proposal is for the inspection %q, want %q", got, found.Latest.ID)
	}
	if got := evalJS[string](t, p.ctx, `document.querySelector('#san-violation').value`); got != found.Findings[0].Code {
		t.Errorf("the proposal names the violation %q, want the finding's %q", got, found.Findings[0].Code)
	}
	p.Shot("office-team-propose-1280x800.png")
	p.Do("send the proposal", chromedp.SendKeys(chromedp.CSS(`#san-note`), "Đề nghị xử phạt theo biên bản"),
		chromedp.Click(chromedp.CSS(`#san-propose`)), chromedp.WaitVisible(chromedp.CSS(`#san-status`)))
	p.Shot("office-team-proposed-1280x800.png")
	if got := p.Text(`#desk`); !strings.Contains(got, "Tổ trưởng đề xuất") {
		t.Errorf("the lead's proposal page does not say the decision is the planners': %q", got)
	}
	checkNoRawCodes(t, p)
	proposed, _, err := m.DB().FindSanctions(ctx, models.SanctionFilter{BusinessID: found.Business.ID, Status: models.SanctionProposed})
	if err != nil || len(proposed) == 0 || proposed[0].ProposedBy != lead.Username || proposed[0].InspectionID == nil || *proposed[0].InspectionID != found.Latest.ID {
		t.Errorf("the stored proposal: %+v (%v)", proposed, err)
	}
	p.Viewport(360, 640)
	p.Do("back to today", chromedp.Evaluate[chromedp.Void](`location.hash = "#/team"`), chromedp.WaitVisible(chromedp.CSS(`#team-progress`)))
	p.Shot("office-team-today-360x640.png")
	if w := evalJS[int](t, p.ctx, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("the day is %d px wide on a 360 px phone", w)
	}
}

// checkNoRawCodes fails when the desk's text holds a code a person should not read.
func checkNoRawCodes(t *testing.T, p *pageSession) {
	t.Helper()
	text := evalJS[string](t, p.ctx, `document.querySelector('#desk').innerText`)
	for _, code := range []string{"team_lead", "not_reached", "not_visited", "reassigned", "compliant", "violation", "closed", "refused",
		"not_found", "released", "planned", "missed", "coverage", "reinspection", "requeue", "follow_up", "off_site", "no_photos", "no_checkin", "short_visit", "medium", "critical", "minor"} {
		if strings.Contains(text, code) {
			t.Errorf("the screen shows the raw code %q", code)
		}
	}
}
