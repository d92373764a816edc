package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"kiemtra/demo"
	"kiemtra/models"
)

// TestOfficeCataloguesDesk walks a planner through the checklist editor on a fresh demo: a
// question left empty is refused beside its field, the edited question saved as a new version
// (kept in the database, the old one still readable in the desk); an inspector's phone, signed
// in before the edit, shows the new text after its next sync; and a result answered on the old
// version is still accepted by the API while an unknown version is refused naming the field.
func TestOfficeCataloguesDesk(t *testing.T) {
	chromiumFor(t, "the catalogues desk test") // skip before the demo is made when there is no browser
	cfg := DefaultConfig()
	clock := newTestClock(demoToday, cfg.Location())
	m := startAt(t, demoDataDir(t), clock, nil)
	base := "http://" + m.Addr()
	ctx := context.Background()
	if _, err := m.Morning().Assign(ctx, "test", demoToday); err != nil {
		t.Fatal(err)
	}
	// An inspector whose team has at least two visits today.
	users, err := m.DB().FindUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var inspector *models.User
	var route []*models.Task
	for _, u := range users {
		if u.Role != models.RoleInspector || u.TeamID == nil {
			continue
		}
		r, err := m.DB().FindTeamDay(ctx, *u.TeamID, demoToday)
		if err != nil {
			t.Fatal(err)
		}
		if len(r) >= 2 {
			inspector, route = u, r
			break
		}
	}
	if inspector == nil {
		t.Fatal("no demo team has two visits today")
	}
	before, err := m.DB().FindChecklistVersion(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	oldText := before.Items[0].VI
	const newText = "Có giấy chứng nhận đăng ký kinh doanh còn hiệu lực, đúng ngành nghề?"
	setText := func(sel, v string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.value = %q; e.dispatchEvent(new Event("input", {bubbles: true})); })()`, sel, v))
	}
	itemText := fmt.Sprintf(`(document.querySelector('#item-%s')?.textContent || '')`, before.Items[0].ID)

	p := newPageSession(t, "the catalogues desk test", 3*time.Minute)

	// The phone syncs the checklist in force before the edit.
	first := route[0]
	p.SignIn(base, "/app/", inspector.Username, `a[href="#/task/`+first.ID+`"]`)
	p.Do("open the first stop's checklist", chromedp.Evaluate[chromedp.Void](`location.hash = "#/task/`+first.ID+`/check"`),
		chromedp.WaitVisible(chromedp.CSS(`#item-`+before.Items[0].ID)))
	if got := evalJS[string](t, p.ctx, itemText); !strings.Contains(got, oldText) {
		t.Fatalf("before the edit the phone reads %q", got)
	}

	// The planner edits the first karaoke question (shared by every category).
	p.SignIn(base, "/office/", "planner", "#desk")
	p.Do("open the karaoke checklist", chromedp.Evaluate[chromedp.Void](`location.hash = "#/catalogues/checklist/karaoke"`),
		chromedp.WaitVisible(chromedp.CSS(`#cat-item-0-vi`)))
	if got := p.Text(`#cat-version-badge`); got != fmt.Sprintf("Phiên bản %d, đang dùng", before.Version) {
		t.Errorf("the version reads %q", got)
	}
	p.NoRawCodes("the catalogues desk: the karaoke checklist")
	p.Shot("office-catalogues-checklist-vi-1280x800.png")
	p.Do("empty the question and save", setText(`#cat-item-0-vi`, " "), chromedp.Click(chromedp.CSS(`#cat-save`)),
		chromedp.WaitVisible(chromedp.CSS(`#cat-item-0-vi-error:not([hidden])`)))
	if got := p.Text(`#cat-item-0-vi-error`); got != "Mục 1 · Câu hỏi (tiếng Việt): cần câu hỏi tiếng Việt" {
		t.Errorf("an empty question is refused with %q", got)
	}
	p.Do("type the new question and save", setText(`#cat-item-0-vi`, newText), setText(`#cat-note`, "Sửa câu hỏi G01"),
		chromedp.Click(chromedp.CSS(`#cat-save`)), chromedp.WaitVisible(chromedp.CSS(`#cat-saved`)))
	if got := p.Text(`#cat-version-badge`); got != fmt.Sprintf("Phiên bản %d, đang dùng", before.Version+1) {
		t.Errorf("after the save the version reads %q", got)
	}
	after, err := m.DB().FindChecklistVersion(ctx, 0)
	if err != nil || after.Version != before.Version+1 || after.Items[0].VI != newText || after.Category != "karaoke" || after.CreatedBy != "planner" {
		t.Fatalf("the stored version: %+v %v", after, err)
	}
	// The old version is read from the history.
	p.Do("read the old version", chromedp.Click(chromedp.CSS(fmt.Sprintf(`#cat-history tr[data-version="%d"] a.cat-read`, before.Version))),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#cat-version-badge[data-version="%d"]`, before.Version))))
	if v := evalJS[string](t, p.ctx, `document.querySelector('#cat-item-0-vi').value`); v != oldText {
		t.Errorf("the old version's question reads %q", v)
	}
	if evalJS[bool](t, p.ctx, `!!document.querySelector('#cat-save')`) {
		t.Error("an old version offers to save")
	}
	// In English.
	p.Do("switch to English", chromedp.Click(chromedp.CSS(`#app-view .lang-switch`)))
	if got := p.WaitText(`#cat-version-badge`, fmt.Sprintf("Version %d: an old version, read only", before.Version)); got != fmt.Sprintf("Version %d: an old version, read only", before.Version) {
		t.Errorf("in English the badge reads %q", got)
	}
	p.Shot("office-catalogues-old-version-en-1280x800.png")
	p.Do("back to Vietnamese", chromedp.Click(chromedp.CSS(`#app-view .lang-switch`)))
	p.Do("the violation catalogue", chromedp.Evaluate[chromedp.Void](`location.hash = "#/catalogues/violations"`),
		chromedp.WaitVisible(chromedp.CSS(`#cat-v-0-fine_min_vnd`)))
	p.NoRawCodes("the catalogues desk: the violation catalogue")
	p.Viewport(360, 640)
	p.Shot("office-catalogues-violations-vi-360x640.png")
	p.Viewport(1280, 800)

	// The phone's next sync brings the new version.
	p.Do("back to the phone", chromedp.Navigate(base+"/app/#/route"), chromedp.WaitVisible(chromedp.CSS(`a[href="#/task/`+first.ID+`"]`)))
	var got string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		p.Do("open the first stop's checklist again", chromedp.Evaluate[chromedp.Void](`location.hash = "#/task/`+first.ID+`/check"`),
			chromedp.WaitVisible(chromedp.CSS(`#item-`+before.Items[0].ID)))
		if got = evalJS[string](t, p.ctx, itemText); strings.Contains(got, newText) {
			break
		}
		p.Do("to the route", chromedp.Evaluate[chromedp.Void](`location.hash = "#/route"`))
	}
	if !strings.Contains(got, newText) {
		t.Fatalf("after the sync the phone reads %q", got)
	}
	p.Viewport(360, 640)
	p.Shot("app-catalogues-new-version-360x640.png")

	// A result on the old version, as a phone that started offline sends it: accepted; an
	// unknown version is refused naming the field.
	// The demo's tasks were made at the wall clock's time, after the demo's morning: the result
	// is sent then, a day late, as a phone offline since the visit would.
	clock.Set(time.Now().Add(2 * time.Minute))
	var login struct {
		AccessToken string `json:"access_token"`
	}
	if code := apiCall(t, m, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"username":%q,"password":%q}`, inspector.Username, demo.Password), "", &login); code != 200 {
		t.Fatalf("the inspector's login: %d", code)
	}
	second := route[1]
	biz, err := m.DB().FindBusinessByID(ctx, second.BusinessID)
	if err != nil {
		t.Fatal(err)
	}
	var answers []models.Answer
	for _, it := range before.ForCategory(biz.Category) {
		answers = append(answers, models.Answer{ItemID: it.ID, Answer: "yes"})
	}
	now := m.Now()
	start := second.CreatedAt.Add(time.Second)
	body := func(version int) string {
		b, _ := json.Marshal(map[string]any{"id": uuid.NewString(), "task_id": second.ID, "started_at": start.Format(time.RFC3339),
			"finished_at": now.Format(time.RFC3339), "outcome": models.OutcomeCompliant, "checklist_version": version, "answers": answers})
		return string(b)
	}
	if code := apiCall(t, m, "POST", "/api/v1/inspections", body(99), login.AccessToken, nil); code != 400 {
		t.Errorf("a result on an unknown version: %d", code)
	}
	var saved models.Inspection
	if code := apiCall(t, m, "POST", "/api/v1/inspections", body(before.Version), login.AccessToken, &saved); code != 201 || saved.ChecklistVersion != before.Version {
		t.Fatalf("a result on the old version: %d %+v", code, apiProblem(t, m, "POST", "/api/v1/inspections", body(before.Version), login.AccessToken))
	}
	if stored, err := m.DB().FindInspectionByID(ctx, saved.ID); err != nil || stored.ChecklistVersion != before.Version {
		t.Fatalf("the stored result: %+v %v", stored, err)
	}
}

// apiProblem answers the body of a refused request, for a failure's message.
func apiProblem(t *testing.T, m *Main, method, path, body, token string) string {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+m.Addr()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
