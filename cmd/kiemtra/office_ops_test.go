package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/models"
)

// TestOfficeOpsDeskInHeadlessChromium is an administrator's operations desk on a fresh demo:
// the jobs in words with their schedules, the morning assignment run now (confirmed first; the
// run is recorded as a manual one), the audit log filtered to the routes released, and the
// log's chain verified intact, at 1280x800 and 360x640; a planner then reads the jobs only.
func TestOfficeOpsDeskInHeadlessChromium(t *testing.T) {
	chromiumFor(t, "the operations desk test") // skip before the demo is made when there is no browser
	m := startDemo(t, nil)
	base := "http://" + m.Addr()
	ctx := context.Background()

	// The session's time runs from here: making the demo under -race takes minutes.
	p := newPageSession(t, "the operations desk test", 2*time.Minute)
	p.SignIn(base, "/office/", "admin", `#nav a[data-desk="ops"]`)
	p.Do("open the operations desk", chromedp.Click(chromedp.CSS(`#nav a[data-desk="ops"]`)), chromedp.WaitVisible(chromedp.CSS(`#desk .ops-job`)))
	job := `.ops-job[data-job="morning_assignment"]`
	if got := p.Text(job + ` h2`); got != "Giao việc buổi sáng" {
		t.Errorf("the morning job is named %q", got)
	}
	// The demo's tests run the tip escalation hourly and archive reports daily; the others by hand.
	if got := p.Text(`.ops-job[data-job="tip_escalation"] .ops-schedule`); got != "Lịch chạy: Hằng giờ, vào phút thứ 15" {
		t.Errorf("the tip escalation's schedule reads %q", got)
	}
	if got := p.Text(`.ops-job[data-job="reports"] .ops-schedule`); got != "Lịch chạy: Hằng ngày lúc 02:00" {
		t.Errorf("the report archive's schedule reads %q", got)
	}
	p.NoRawCodes("the jobs screen")
	p.Shot("office-ops-jobs-1280x800.png")

	// Run now: the button asks first, then runs and says how it went.
	p.Do("run the morning assignment now",
		chromedp.Click(chromedp.CSS(job+` .ops-run`)),
		chromedp.WaitVisible(chromedp.CSS(job+` .ops-confirm`)),
		chromedp.Click(chromedp.CSS(job+` .ops-run-yes`)),
		chromedp.WaitVisible(chromedp.CSS(job+` .ops-run-result [data-status]`)))
	if got := p.Text(job + ` .ops-run-result`); !strings.HasPrefix(got, "Đã chạy xong “Giao việc buổi sáng”: Thành công.") {
		t.Errorf("the run's result reads %q", got)
	}
	runs, err := m.DB().FindJobRuns(ctx, "morning_assignment", 1)
	if err != nil || len(runs) != 1 || runs[0].Kind != models.JobManual || runs[0].Status != models.JobOK {
		t.Fatalf("the morning assignment's last run: %+v (%v)", runs, err)
	}
	if got := p.Text(job + ` .ops-job-head .ops-status`); got != "Thành công" {
		t.Errorf("the job's status reads %q after the run", got)
	}
	p.NoRawCodes("the jobs screen after a run")
	p.Shot("office-ops-run-1280x800.png")

	// The audit log, filtered to the routes released: the run's events, by the system.
	p.Do("filter the audit log by action",
		chromedp.Click(chromedp.CSS(`.ops-tabs a[href="#/ops/audit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#ops-f-action`)),
		chromedp.SetValue(chromedp.CSS(`#ops-f-action`), "release"),
		chromedp.Click(chromedp.CSS(`#ops-audit-show`)),
		chromedp.WaitVisible(chromedp.CSS(`#ops-audit[data-shown*="action=release"]`)))
	events, err := m.DB().FindAuditEvents(ctx, models.AuditFilter{Action: "release", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if n := evalJS[int](t, p.ctx, `document.querySelectorAll('.ops-audit tbody tr').length`); n != len(events) || n == 0 {
		t.Errorf("the filtered log lists %d events, the database %d", n, len(events))
	}
	if n := evalJS[int](t, p.ctx, `document.querySelectorAll('.ops-audit tbody tr:not([data-action="release"])').length`); n != 0 {
		t.Errorf("%d events of other actions listed", n)
	}
	first := `.ops-audit tbody tr:first-child`
	if got := p.Text(first + ` td:nth-child(3)`); got != "Giao lộ trình cho các tổ" {
		t.Errorf("the action reads %q", got)
	}
	if got := p.Text(first + ` td:nth-child(2)`); got != "Hệ thống (tác vụ tự động)" {
		t.Errorf("the actor of the job's event reads %q", got)
	}

	// The chain check.
	p.Do("verify the audit chain", chromedp.Click(chromedp.CSS(`#ops-verify`)),
		chromedp.WaitVisible(chromedp.CSS(`#ops-verify-result [data-ok]`)))
	if got := p.Text(`#ops-verify-result`); !strings.HasPrefix(got, "Chuỗi nhật ký nguyên vẹn: đã kiểm tra") {
		t.Errorf("the chain check reads %q", got)
	}
	p.NoRawCodes("the audit log")
	p.Shot("office-ops-audit-1280x800.png")

	p.Viewport(360, 640)
	p.NoRawCodes("the audit log on a phone")
	p.Shot("office-ops-audit-360x640.png")
	p.Do("open the jobs on a phone", chromedp.Navigate(base+"/office/#/ops"), chromedp.WaitVisible(chromedp.CSS(job)))
	p.Shot("office-ops-jobs-360x640.png")

	// A planner reads the jobs, without their buttons nor the audit log (the API refuses both).
	p.Viewport(1280, 800)
	p.Do("sign out", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	p.SignIn(base, "/office/", "planner", `#nav a[data-desk="ops"]`)
	p.Do("open the operations desk as a planner", chromedp.Click(chromedp.CSS(`#nav a[data-desk="ops"]`)), chromedp.WaitVisible(chromedp.CSS(`#desk .ops-job`)))
	if n := evalJS[int](t, p.ctx, `document.querySelectorAll('.ops-run, .ops-tabs a[href="#/ops/audit"]').length`); n != 0 {
		t.Errorf("a planner is offered %d things the API refuses", n)
	}
	p.NoRawCodes("the jobs screen of a planner")
}
