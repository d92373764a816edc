package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kiemtra/models"
)

// TestOfficeProgrammesDesk walks a planner through the programmes desk on a fresh demo: the
// list names everything in words; a new programme that ends before it starts and asks for
// 150% a year is refused with each problem beside its field and what was typed kept; fixed,
// it is created; its grace period is edited; someone else renames it meanwhile, the page names
// the change and the planner keeps their own; the form reads in English too.
func TestOfficeProgrammesDesk(t *testing.T) {
	chromiumFor(t, "the programmes desk test")
	m := startDemo(t, nil)
	p := newPageSession(t, "the programmes desk test", 2*time.Minute)
	base := "http://" + m.Addr()
	ctx := context.Background()
	const code, name = "PCMD-2031-2035", "Chương trình phòng, chống mại dâm 2031-2035"

	p.SignIn(base, "/office/", "planner", "#desk")
	p.Do("open the programmes", chromedp.Navigate(base+"/office/#/programmes"), chromedp.WaitVisible(chromedp.CSS(`#prg-list tbody tr`)))
	row := p.Text(`#prg-list tr[data-code="PCMD-2026-2030"]`)
	for _, want := range []string{"01/01/2026 – 31/12/2030", "20%", "Tất cả loại hình", "Sở Y tế", "Xem kế hoạch hằng năm"} {
		if !strings.Contains(row, want) {
			t.Errorf("the 2026-2030 programme's row lacks %q: %s", want, row)
		}
	}
	if href := evalJS[string](t, p.ctx, `document.querySelector('#prg-list tr[data-code="PCMD-2026-2030"] a.prg-plans').getAttribute('href')`); href != "#/plans?programme=PCMD-2026-2030" {
		t.Errorf("the link to the plans is %q", href)
	}
	p.NoRawCodes("the programmes: the list")
	p.Shot("office-programmes-list-vi-1280x800.png")

	// A new programme with two mistakes: each problem beside its field, the typing kept.
	p.Do("send a programme that ends before it starts, at 150% a year",
		chromedp.Click(chromedp.CSS(`#prg-add`)),
		chromedp.WaitVisible(chromedp.CSS(`#prg-form`)),
		chromedp.SendKeys(chromedp.CSS(`#prg-f-code`), code),
		chromedp.SendKeys(chromedp.CSS(`#prg-f-name`), name),
		chromedp.SetValue(chromedp.CSS(`#prg-f-starts_on`), "2031-01-01"),
		chromedp.SetValue(chromedp.CSS(`#prg-f-ends_on`), "2030-06-30"),
		chromedp.SetValue(chromedp.CSS(`#prg-f-min_yearly_share`), "150"),
		chromedp.Click(chromedp.CSS(`#prg-f-scope_categories input[value="karaoke"]`)),
		chromedp.Click(chromedp.CSS(`#prg-save`)),
		chromedp.WaitVisible(chromedp.CSS(`#prg-f-ends_on-error`)))
	if got := p.Text(`#prg-f-ends_on-error`); !strings.Contains(got, "Phải sau ngày bắt đầu") {
		t.Errorf("the end date's problem reads %q", got)
	}
	if got := p.Text(`#prg-f-min_yearly_share-error`); !strings.Contains(got, "không quá 1 (100%)") {
		t.Errorf("the share's problem reads %q", got)
	}
	if !evalJS[bool](t, p.ctx, `document.querySelector('#prg-form-error').hidden && document.querySelector('#prg-f-name-error').hidden &&
		document.querySelector('#prg-f-coverage_deadline-error').hidden`) {
		t.Error("the problems are not only beside their fields (or the deadline left empty has one too)")
	}
	if got := evalJS[string](t, p.ctx, `document.querySelector('#prg-f-code').value + "|" + document.querySelector('#prg-f-min_yearly_share').value`); got != code+"|150" {
		t.Errorf("after the refusal the form holds %q", got)
	}
	p.NoRawCodes("the programmes: a refused new programme")
	p.Shot("office-programmes-new-refused-vi-1280x800.png")
	p.Viewport(360, 640)
	p.Shot("office-programmes-new-refused-vi-360x640.png")
	p.Viewport(1280, 800)

	p.Do("fix the end and the share, and save",
		chromedp.SetValue(chromedp.CSS(`#prg-f-ends_on`), "2035-12-31"),
		chromedp.SetValue(chromedp.CSS(`#prg-f-min_yearly_share`), "25"),
		chromedp.Click(chromedp.CSS(`#prg-save`)),
		chromedp.WaitVisible(chromedp.CSS(`#prg-note .notice`)))
	if got := p.WaitText(`#prg-name`, name); got != name {
		t.Errorf("the created programme's page is titled %q", got)
	}

	// The grace period.
	p.Do("edit the grace period",
		chromedp.SetValue(chromedp.CSS(`#prg-f-grace_days`), "30"),
		chromedp.Click(chromedp.CSS(`#prg-save`)))
	if got := p.WaitText(`#prg-note`, "Đã lưu."); got != "Đã lưu." {
		t.Errorf("after the edit the note reads %q", got)
	}
	stored, err := m.DB().FindProgrammeByID(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	if stored.GraceDays != 30 || stored.Version != 2 || stored.MinYearlyShare != 0.25 || stored.EndsOn != models.NewDate(2035, 12, 31) ||
		stored.CoverageDeadline != stored.EndsOn || strings.Join(stored.ScopeCategories, ",") != "karaoke" || stored.RootAreaCode == nil || stored.LeadAgency == nil || *stored.LeadAgency != models.AgencyHealth {
		t.Errorf("stored: %+v", stored)
	}

	// Someone else renames it while the planner changes the grace period again.
	renamed := *stored
	renamed.Name = "Chương trình 2031-2035 (đã sửa tên)"
	if err := m.DB().UpdateProgramme(ctx, "other.planner", &renamed); err != nil {
		t.Fatal(err)
	}
	p.Do("save over the other change",
		chromedp.SetValue(chromedp.CSS(`#prg-f-grace_days`), "45"),
		chromedp.Click(chromedp.CSS(`#prg-save`)),
		chromedp.WaitVisible(chromedp.CSS(`#prg-conflict-list`)))
	if got := p.Text(`#prg-conflict`); !strings.Contains(got, "Tên chương trình: “"+name+"” thành “"+renamed.Name+"”") {
		t.Errorf("the conflict reads %s", got)
	}
	if got := evalJS[string](t, p.ctx, `document.querySelector('#prg-f-name').value + "|" + document.querySelector('#prg-f-grace_days').value`); got != renamed.Name+"|45" {
		t.Errorf("after the conflict the form holds %q: want their name and my grace period", got)
	}
	p.NoRawCodes("the programmes: a version conflict")
	p.Shot("office-programmes-conflict-vi-1280x800.png")
	p.Do("keep mine", chromedp.Click(chromedp.CSS(`#prg-keep-mine`)))
	if got := p.WaitText(`#prg-note`, "Đã lưu."); got != "Đã lưu." {
		t.Errorf("after keeping mine the note reads %q", got)
	}
	if got, err := m.DB().FindProgrammeByID(ctx, code); err != nil || got.GraceDays != 45 || got.Name != renamed.Name || got.Version != 4 {
		t.Errorf("after keeping mine: %+v %v; want their name, my 45 days, version 4", got, err)
	}

	p.Do("switch to English", chromedp.Click(chromedp.CSS(`#app-view .lang-switch`)))
	if got := p.WaitText(`label[for="prg-f-grace_days"]`, "Grace period (days)"); got != "Grace period (days)" {
		t.Errorf("in English the grace period's label reads %q", got)
	}
	if got := evalJS[string](t, p.ctx, `document.querySelector('#prg-f-lead_agency').selectedOptions[0].textContent`); got == "" || strings.Contains(got, "Sở") {
		t.Errorf("in English the lead agency reads %q", got)
	}
	p.Shot("office-programmes-edit-en-1280x800.png")
}
