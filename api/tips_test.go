package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/scheduler"
	"kiemtra/store"
	"kiemtra/store/storetest"
	"kiemtra/tips"
)

// publicTip posts the public form as JSON from an address.
func publicTip(t *testing.T, h *Server, ip, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", "/tip", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = ip + ":40000"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestTipFromThePublicFormToAnInspectionHandledInTime(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		env := newPlanServer(t, db)
		h := env.srv
		officer := &Principal{UserID: "u-tips", Username: "tips", Role: models.RoleTipOfficer, AreaCode: "92", AreaPath: "/92/"}
		planner := &Principal{UserID: "u-plan", Username: "planner", Role: models.RolePlanner, AreaCode: "92", AreaPath: "/92/"}

		// The public form: no sign-in; a flood from one address is stopped.
		body := `{"description":"Quán karaoke có tiếp viên dưới 18 tuổi phục vụ phòng kín","place":"Phường D11","contact":"0912 345 678"}`
		if w := publicTip(t, h, "203.0.113.7", body); w.Code != 202 || !strings.Contains(w.Body.String(), "received") {
			t.Fatalf("public tip: %d %s", w.Code, w.Body)
		}
		if w := publicTip(t, h, "203.0.113.8", `{"description":"ngắn","place":""}`); w.Code != 400 {
			t.Fatalf("a tip without a description: %d %s", w.Code, w.Body)
		}
		for i := 0; i < publicTipsPerHour; i++ {
			publicTip(t, h, "203.0.113.9", body)
		}
		if w := publicTip(t, h, "203.0.113.9", body); w.Code != 429 {
			t.Fatalf("the 6th tip in an hour from one address: %d", w.Code)
		}
		w := doAs(t, h, officer, "GET", "/api/v1/tips?status=received", "")
		var list struct {
			Items []TipView `json:"items"`
		}
		json.Unmarshal(w.Body.Bytes(), &list)
		if w.Code != 200 || len(list.Items) != 1+publicTipsPerHour || list.Items[0].ReporterContact == nil || *list.Items[0].ReporterContact != "0912 345 678" {
			t.Fatalf("tips for the tip officer: %d %s", w.Code, w.Body)
		}
		tip := list.Items[len(list.Items)-1]
		if w := doAs(t, h, planner, "GET", "/api/v1/tips/"+tip.ID, ""); w.Code != 200 || strings.Contains(w.Body.String(), "0912") {
			t.Fatalf("a planner must not see the reporter's contact: %s", w.Body)
		}
		var stored models.Tip
		db.Gorm().Where("id = ?", tip.ID).Take(&stored)
		if strings.Contains(stored.ReporterContactEnc, "0912") || !strings.HasPrefix(stored.ReporterContactEnc, "v1:") {
			t.Fatalf("the contact is not sealed at rest: %q", stored.ReporterContactEnc)
		}

		// Skipping a step or going back is refused.
		if w := doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":1,"to":"classified","type":"minors","severity":"urgent"}`); w.Code != 400 || decodeError(t, w).Field != "to" {
			t.Fatalf("skipping verification: %d %s", w.Code, w.Body)
		}
		biz := firstBusinessIn(t, db, "D1")
		w = doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":1,"to":"verifying","business_id":"`+biz+`"}`)
		if w.Code != 200 {
			t.Fatalf("verify: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":2,"to":"received"}`); w.Code != 400 {
			t.Fatalf("going back: %d", w.Code)
		}
		if w := doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":1,"to":"classified","type":"minors","severity":"urgent"}`); w.Code != 409 {
			t.Fatalf("a stale version: %d", w.Code)
		}
		w = doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":2,"to":"classified","type":"minors","severity":"urgent"}`)
		var classified TipView
		json.Unmarshal(w.Body.Bytes(), &classified)
		if w.Code != 200 || classified.TaskID == nil {
			t.Fatalf("classify urgent: %d %s", w.Code, w.Body)
		}
		// The urgent task is released at once to the team of the business's district.
		task, err := db.FindTaskByID(ctx, *classified.TaskID)
		if err != nil {
			t.Fatal(err)
		}
		team, _ := db.FindTeamByID(ctx, *task.TeamID)
		if task.Status != models.TaskReleased || task.Reason != models.ReasonTip || team.AreaCode != "D1" || task.ReleasedOn != models.NewDate(2026, 3, 2) {
			t.Fatalf("urgent task %+v for team %s", task, team.AreaCode)
		}
		if w := doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":3,"to":"handled","handling":"inspection"}`); w.Code != 400 {
			t.Fatalf("handled by an inspection that has no result: %d %s", w.Code, w.Body)
		}
		// The team sees it, goes and records a violation.
		member := &models.User{Username: "d1.1", Agency: models.AgencyLabour, Role: models.RoleInspector, AreaCode: "D1", TeamID: &team.ID, PasswordHash: "x"}
		if err := db.CreateUser(ctx, "t", member); err != nil {
			t.Fatal(err)
		}
		inspector := &Principal{UserID: member.ID, Username: "d1.1", Role: models.RoleInspector, AreaCode: "D1", AreaPath: "/92/D1/", TeamID: team.ID}
		w = doAs(t, h, inspector, "GET", "/api/v1/me/assignments", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), *classified.TaskID) || !strings.Contains(w.Body.String(), `"reason":"tip"`) {
			t.Fatalf("the team's day lacks the urgent task: %d %s", w.Code, w.Body)
		}
		cl, _ := refdata.Checklist()
		var answers []string
		for _, it := range cl.Items {
			for _, c := range it.Categories {
				if c == "karaoke" {
					a := "yes"
					if it.ID == "G03" {
						a = "no"
					}
					answers = append(answers, fmt.Sprintf(`{"item_id":%q,"answer":%q}`, it.ID, a))
				}
			}
		}
		// The clocks stand still at 09:00, when the task was made: the visit fits before the
		// allowed skew.
		start := planClock()
		result := fmt.Sprintf(`{"id":%q,"task_id":%q,"started_at":%q,"finished_at":%q,"outcome":"violation","checklist_version":1,"answers":[%s]}`,
			uuid.NewString(), *classified.TaskID, start.Format(time.RFC3339), start.Add(4*time.Minute).Format(time.RFC3339), strings.Join(answers, ","))
		if w := doAs(t, h, inspector, "POST", "/api/v1/inspections", result); w.Code != 201 {
			t.Fatalf("result: %d %s", w.Code, w.Body)
		}
		w = doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":3,"to":"handled","handling":"inspection"}`)
		var handled TipView
		json.Unmarshal(w.Body.Bytes(), &handled)
		if w.Code != 200 || handled.Status != models.TipHandled || !handled.HandledInTime() {
			t.Fatalf("handled: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":4,"to":"handled","handling":"dismissed","note":"x"}`); w.Code != 409 {
			t.Fatalf("handling twice: %d", w.Code)
		}

		// A licensing check on the business shows the inspection and writes one audit event.
		b, _ := db.FindBusinessByID(ctx, biz)
		police := &Principal{UserID: "u-police", Username: "police", Role: models.RoleLicensingOfficer, AreaCode: "92", AreaPath: "/92/"}
		w = doAs(t, h, police, "GET", "/api/v1/licensing/check?licence_no="+strings.ToLower(b.Licence())+"&purpose=HS-2026-117", "")
		var rep struct {
			Summary     string `json:"summary"`
			Inspections []struct {
				Outcome string `json:"outcome"`
			} `json:"inspections"`
			Tips []map[string]any `json:"tips"`
		}
		json.Unmarshal(w.Body.Bytes(), &rep)
		if w.Code != 200 || rep.Summary != "open_violations" || len(rep.Inspections) != 1 || len(rep.Tips) != 1 || strings.Contains(w.Body.String(), "0912") {
			t.Fatalf("licensing check: %d %s", w.Code, w.Body)
		}
		events, _ := db.FindAuditEvents(ctx, models.AuditFilter{Action: "licensing_lookup", Actor: "police"})
		if len(events) != 1 || events[0].EntityID != biz || !strings.Contains(events[0].Details, "HS-2026-117") {
			t.Fatalf("lookup audit: %+v", events)
		}
		for _, who := range []*Principal{planner, inspector} {
			if w := doAs(t, h, who, "GET", "/api/v1/licensing/check?licence_no=L0001&purpose=x123", ""); w.Code != 403 {
				t.Fatalf("%s calling the licensing check: %d", who.Role, w.Code)
			}
		}
		if w := doAs(t, h, police, "GET", "/api/v1/licensing/check?licence_no=L0001", ""); w.Code != 400 || decodeError(t, w).Field != "purpose" {
			t.Fatalf("a check without purpose: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, police, "GET", "/api/v1/licensing/lookups", ""); w.Code != 200 || !strings.Contains(w.Body.String(), "HS-2026-117") {
			t.Fatalf("own lookups: %d %s", w.Code, w.Body)
		}
	})
}

func TestOverdueTipsAreEscalated(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newPlanServer(t, db) // the city and its teams
		if err := db.CreateUser(ctx, "t", &models.User{Username: "planner", Agency: models.AgencyLabour, Role: models.RolePlanner, AreaCode: "92", PasswordHash: "x"}); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
		svc, err := tips.NewService(db, nil, tips.DeriveKey("k"), models.DefaultTipDeadlines(), func() time.Time { return now }, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		received := now.Add(-30 * time.Hour)
		late, err := svc.Create(ctx, "tips", tips.Input{Channel: "hotline", ReceivedAt: &received, Description: "Nghi có hoạt động mại dâm tại nhà nghỉ", Place: "Phường D11", Severity: "urgent"})
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := svc.Create(ctx, "tips", tips.Input{Channel: "hotline", Description: "Tin báo mới, còn trong hạn xác minh", Place: "Phường D12"})
		if err != nil {
			t.Fatal(err)
		}
		job := &tips.EscalationJob{Service: svc}
		res, err := job.Run(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindTipByID(ctx, late.ID)
		if got.EscalatedAt == nil || got.EscalatedTo != "planner" {
			t.Fatalf("the overdue tip was not escalated (%s): %+v", res, got)
		}
		if g, _ := db.FindTipByID(ctx, fresh.ID); g.EscalatedAt != nil {
			t.Fatal("a tip within its deadline was escalated")
		}
		if res2, _ := job.Run(ctx, now.Add(time.Hour)); !strings.HasPrefix(res2, "0 ") {
			t.Fatalf("a second run escalated again: %s", res2)
		}
		_ = scheduler.Job(job)
	})
}
