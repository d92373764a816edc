package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/models"
)

// TestOfficePeopleDesk walks an admin through the desk of teams and accounts on a fresh demo:
// the teams with their members and capacity; a new inspector's account (its password shown
// once), a taken username refused next to its field in Vietnamese; the inspector added to a
// district team, then disabled; and the team's weekly capacity lowered (the desk says what that
// means before saving) and restored; at 1280x800 and 360x640.
func TestOfficePeopleDesk(t *testing.T) {
	chromiumFor(t, "the people desk test") // skip before the demo is made when there is no browser
	m := startDemo(t, nil)
	base := "http://" + m.Addr()
	ctx := context.Background()
	teams, err := m.DB().FindTeams(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var team *models.Team
	for _, x := range teams {
		if x.Level != models.TeamLevelCity && x.WeeklyCapacity > 5 {
			team = x
			break
		}
	}
	if team == nil {
		t.Fatal("the demo has no team below the city's")
	}
	user := func(username string) *models.User {
		t.Helper()
		u, err := m.DB().FindUserByUsername(ctx, username)
		if err != nil {
			t.Fatalf("user %s: %v", username, err)
		}
		return u
	}
	capacity := func() int {
		t.Helper()
		x, err := m.DB().FindTeamByID(ctx, team.ID)
		if err != nil {
			t.Fatal(err)
		}
		return x.WeeklyCapacity
	}
	hash := func(h string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`location.hash = "` + h + `"`)
	}

	p := newPageSession(t, "the people desk test", 2*time.Minute)
	p.SignIn(base, "/office/", "admin", "#desk")

	// The teams.
	p.Do("open the teams", hash("#/people"), chromedp.WaitVisible(chromedp.CSS(`#people-teams tr[data-team="`+team.ID+`"]`)))
	row := p.Text(`#people-teams tr[data-team="` + team.ID + `"]`)
	full := strconv.Itoa(team.WeeklyCapacity)
	for _, want := range []string{team.Name, full + " lượt kiểm tra", "T2, T3, T4, T5, T6", "Y tế"} {
		if !strings.Contains(row, want) {
			t.Errorf("the team's row lacks %q: %s", want, row)
		}
	}
	p.NoRawCodes("the people desk: the teams")
	p.Shot("office-people-teams-vi-1280x800.png")
	p.Viewport(360, 640)
	p.Shot("office-people-teams-vi-360x640.png")
	p.Viewport(1280, 800)
	// In English too.
	p.Do("switch to English", chromedp.Click(chromedp.CSS(`#app-view .lang-switch`)))
	if got := p.WaitText(`.desk-people section h1`, "Teams"); got != "Teams" {
		t.Errorf("in English the teams' title reads %q", got)
	}
	if got := p.Text(`#people-teams tr[data-team="` + team.ID + `"]`); !strings.Contains(got, full+" inspections") || !strings.Contains(got, "Mon, Tue") {
		t.Errorf("in English the team's row reads %s", got)
	}
	p.Shot("office-people-teams-en-1280x800.png")
	p.Do("back to Vietnamese", chromedp.Click(chromedp.CSS(`#app-view .lang-switch`)))
	if got := p.WaitText(`.desk-people section h1`, "Tổ công tác"); got != "Tổ công tác" {
		t.Errorf("back in Vietnamese the teams' title reads %q", got)
	}

	// The accounts list says who signs in with which username.
	p.Do("the accounts", hash("#/people/users"), chromedp.WaitVisible(chromedp.CSS(`#people-users tr[data-username="planner"]`)))
	if got := p.Text(`#people-users tr[data-username="planner"] .people-username`); got != "planner" {
		t.Errorf("the planner's row shows the username %q", got)
	}

	// A new inspector in the team's district, with no team yet.
	fill := func(username string) {
		t.Helper()
		p.Do("fill the new account "+username, hash("#/people/users"), chromedp.WaitVisible(chromedp.CSS(`#people-users`)),
			hash("#/people/users/new"), chromedp.WaitVisible(chromedp.CSS(`#people-user-form`)),
			chromedp.SendKeys(chromedp.CSS(`#people-username`), username),
			chromedp.SendKeys(chromedp.CSS(`#people-name`), "Nguyễn Thị Mới"),
			chromedp.SetValue(chromedp.CSS(`#people-role`), models.RoleInspector),
			chromedp.SetValue(chromedp.CSS(`#people-agency`), models.AgencyHealth),
			chromedp.SetValue(chromedp.CSS(`#people-area`), team.AreaCode),
			chromedp.Click(chromedp.CSS(`#people-create`)))
	}
	fill("thanhtra.moi")
	p.Do("the account is made", chromedp.WaitVisible(chromedp.CSS(`#people-password`)))
	p.NoRawCodes("the people desk: the new account")
	password := p.Text(`#people-password-value`)
	if len(password) < 16 {
		t.Errorf("the new password reads %q", password)
	}
	p.Shot("office-people-created-vi-1280x800.png")
	created := user("thanhtra.moi")
	if created.Role != models.RoleInspector || created.AreaCode != team.AreaCode || created.TeamID != nil || created.Disabled {
		t.Errorf("the new account is %+v", created)
	}

	// The same username again: refused next to the field, in Vietnamese.
	fill("thanhtra.moi")
	p.Do("a taken username", chromedp.WaitVisible(chromedp.CSS(`#people-username-error:not([hidden])`)))
	if got := p.Text(`#people-username-error`); got != "Tên đăng nhập: đã được dùng cho một tài khoản khác (thanhtra.moi)" {
		t.Errorf("a taken username reads %q", got)
	}
	p.NoRawCodes("the people desk: a taken username")
	p.Shot("office-people-taken-vi-1280x800.png")
	p.Viewport(360, 640)
	p.Shot("office-people-taken-vi-360x640.png")
	p.Viewport(1280, 800)

	// Into the team.
	p.Do("add to the team", hash("#/people/team/"+team.ID),
		chromedp.WaitVisible(chromedp.CSS(`#people-add summary`)),
		chromedp.Click(chromedp.CSS(`#people-add summary`)),
		chromedp.SendKeys(chromedp.CSS(`#people-member-filter`), "nguyen thi moi"),
		chromedp.WaitVisible(chromedp.CSS(`#people-members input[value="`+created.ID+`"]`)),
		chromedp.Click(chromedp.CSS(`#people-members input[value="`+created.ID+`"]`)),
		chromedp.Click(chromedp.CSS(`#people-save`)),
		chromedp.WaitVisible(chromedp.CSS(`#people-status .notice`)))
	if u := user("thanhtra.moi"); u.TeamID == nil || *u.TeamID != team.ID {
		t.Errorf("the inspector's team is %v, want %s", u.TeamID, team.ID)
	}
	p.NoRawCodes("the people desk: the team")
	p.Shot("office-people-team-vi-1280x800.png")

	// No member left: said before anything is sent, and cancelled.
	evalJS[bool](t, p.ctx, `document.querySelectorAll('#people-members input:checked').forEach(i => i.click()); true`)
	p.Do("untick every member", chromedp.Click(chromedp.CSS(`#people-save`)), chromedp.WaitVisible(chromedp.CSS(`#people-confirm .people-confirm`)))
	if got := p.Text(`#people-confirm`); !strings.Contains(got, "Tổ sẽ không còn thành viên nào đang hoạt động") {
		t.Errorf("emptying the team warns %q", got)
	}
	p.Do("cancel", chromedp.Click(chromedp.CSS(`#people-confirm-no`)))
	if n := len(mustMembers(t, m, team.ID)); n != 4 {
		t.Errorf("the team has %d members after a cancelled change, want 4", n)
	}

	// Disabled.
	p.Do("open the inspector", hash("#/people/users/"+created.ID), chromedp.WaitVisible(chromedp.CSS(`#people-toggle`)),
		chromedp.Click(chromedp.CSS(`#people-toggle`)),
		chromedp.WaitVisible(chromedp.CSS(`#people-status .notice`)))
	if got := p.Text(`#people-user-status`); got != "Đã khóa" {
		t.Errorf("the account's status reads %q", got)
	}
	if u := user("thanhtra.moi"); !u.Disabled {
		t.Error("the inspector is not disabled in the database")
	}
	p.NoRawCodes("the people desk: the disabled account")
	p.Shot("office-people-user-vi-1280x800.png")
	p.Viewport(360, 640)
	p.Shot("office-people-user-vi-360x640.png")
	p.Viewport(1280, 800)

	// The audit log holds what was done to the account, by whom, and its chain is intact.
	p.Do("read the account's audit log", chromedp.Click(chromedp.CSS(`#people-user-audit`)),
		chromedp.WaitVisible(chromedp.CSS(`#ops-audit[data-shown*="entity_id=`+created.ID+`"]`)))
	events, err := m.DB().FindAuditEvents(ctx, models.AuditFilter{EntityType: "user", EntityID: created.ID, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if n := evalJS[int](t, p.ctx, `document.querySelectorAll('.ops-audit tbody tr').length`); n != len(events) || n < 2 {
		t.Errorf("the account's log lists %d events, the database %d (create, disable)", n, len(events))
	}
	if got := p.Text(`.ops-audit tbody`); !strings.Contains(got, "Quản trị hệ thống (admin)") || !strings.Contains(got, "Tạo mới") ||
		!strings.Contains(got, "Tài khoản · Nguyễn Thị Mới") {
		t.Errorf("the account's log reads %q", got)
	}
	p.Do("verify the audit chain", chromedp.Click(chromedp.CSS(`#ops-verify`)), chromedp.WaitVisible(chromedp.CSS(`#ops-verify-result [data-ok]`)))
	if got := p.Text(`#ops-verify-result`); !strings.HasPrefix(got, "Chuỗi nhật ký nguyên vẹn") {
		t.Errorf("the chain check reads %q", got)
	}
	p.NoRawCodes("the account's audit log")
	p.Shot("office-people-audit-vi-1280x800.png")

	p.Do("the accounts", hash("#/people/users"), chromedp.WaitVisible(chromedp.CSS(`#people-users tr[data-user="`+created.ID+`"]`)))
	if got := p.Text(`#people-users tr[data-user="` + created.ID + `"]`); !strings.Contains(got, "Nguyễn Thị Mới") || !strings.Contains(got, "Đã khóa") || !strings.Contains(got, team.Name) {
		t.Errorf("the account's row reads %s", got)
	}
	p.NoRawCodes("the people desk: the accounts")
	p.Shot("office-people-users-vi-1280x800.png")

	// The capacity lowered (said before saving), then restored.
	setCapacity := func(n string) {
		t.Helper()
		p.Do("set the capacity to "+n, hash("#/people"), chromedp.WaitVisible(chromedp.CSS(`#people-teams`)),
			hash("#/people/team/"+team.ID), chromedp.WaitVisible(chromedp.CSS(`#people-capacity`)),
			chromedp.SetValue(chromedp.CSS(`#people-capacity`), n),
			chromedp.Click(chromedp.CSS(`#people-save`)))
	}
	setCapacity("5")
	p.Do("the lower capacity is confirmed", chromedp.WaitVisible(chromedp.CSS(`#people-confirm .people-confirm`)))
	if got := p.Text(`#people-confirm`); !strings.Contains(got, "Năng lực mỗi tuần giảm từ "+full+" xuống 5") {
		t.Errorf("lowering the capacity warns %q", got)
	}
	p.NoRawCodes("the people desk: a lower capacity")
	p.Shot("office-people-capacity-vi-1280x800.png")
	p.Viewport(360, 640)
	p.Shot("office-people-capacity-vi-360x640.png")
	p.Viewport(1280, 800)
	p.Do("save the lower capacity", chromedp.Click(chromedp.CSS(`#people-confirm-yes`)), chromedp.WaitVisible(chromedp.CSS(`#people-status .notice`)))
	if n := capacity(); n != 5 {
		t.Errorf("the capacity is %d, want 5", n)
	}
	setCapacity(full)
	p.Do("the capacity is restored", chromedp.WaitVisible(chromedp.CSS(`#people-status .notice`)))
	if n := capacity(); n != team.WeeklyCapacity {
		t.Errorf("the capacity is %d, want %d again", n, team.WeeklyCapacity)
	}

	// The decision that set the team up, which its records cite: a date cleared is named, then
	// a whole new decision is kept.
	p.Do("clear the decision's date", hash("#/people"), chromedp.WaitVisible(chromedp.CSS(`#people-teams`)),
		hash("#/people/team/"+team.ID), chromedp.WaitVisible(chromedp.CSS(`#people-decision-no`)),
		chromedp.SetValue(chromedp.CSS(`#people-decision-date`), ""),
		chromedp.Click(chromedp.CSS(`#people-save`)), chromedp.WaitVisible(chromedp.CSS(`#people-decision-date-error`)))
	if got := p.Text(`#people-decision-date-error`); !strings.Contains(got, "bắt buộc khi đã nhập số quyết định") {
		t.Errorf("a decision without its date reads %q", got)
	}
	p.Shot("office-people-decision-vi-1280x800.png")
	p.Do("enter a whole decision", chromedp.SetValue(chromedp.CSS(`#people-decision-no`), "88/QĐ-UBND"),
		chromedp.SetValue(chromedp.CSS(`#people-decision-date`), "2026-03-02"),
		chromedp.Click(chromedp.CSS(`#people-save`)), chromedp.WaitVisible(chromedp.CSS(`#people-status .notice`)))
	if got, err := m.DB().FindTeamByID(context.Background(), team.ID); err != nil || got.DecisionNo != "88/QĐ-UBND" || got.DecisionDate != models.NewDate(2026, 3, 2) || got.DecisionBy == "" {
		t.Errorf("the team's decision is %+v (%v)", got, err)
	}
}

// mustMembers is a team's members in the database.
func mustMembers(t *testing.T, m *Main, team string) []*models.User {
	t.Helper()
	us, err := m.DB().FindTeamMembers(context.Background(), team)
	if err != nil {
		t.Fatal(err)
	}
	return us
}
