package api

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func TestTipDesk(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := newPlanServer(t, db).srv
		officer := &Principal{UserID: "u-tips", Username: "tips", Role: models.RoleTipOfficer, AreaCode: "92", AreaPath: "/92/"}
		admin := &Principal{UserID: "u-admin", Username: "admin", Role: models.RoleAdmin, AreaCode: "92", AreaPath: "/92/"}
		planner := &Principal{UserID: "u-plan", Username: "planner", Role: models.RolePlanner, AreaCode: "92", AreaPath: "/92/"}
		d2 := &Principal{UserID: "u-d2", Username: "d2.planner", Role: models.RolePlanner, AreaCode: "D2", AreaPath: "/92/D2/"}
		if err := db.CreateUser(ctx, "t", &models.User{Username: "tips", DisplayName: "Nguyễn Thị Tin", Role: models.RoleTipOfficer, Agency: models.AgencyPolice, AreaCode: "92", PasswordHash: "x"}); err != nil {
			t.Fatal(err)
		}
		biz := firstBusinessIn(t, db, "D11")
		create := func(body string) TipView {
			t.Helper()
			w := doAs(t, h, officer, "POST", "/api/v1/tips", body)
			var v TipView
			if json.Unmarshal(w.Body.Bytes(), &v); w.Code != 201 {
				t.Fatalf("create: %d %s", w.Code, w.Body)
			}
			return v
		}
		tip := create(`{"channel":"hotline","description":"Quán karaoke có tiếp viên dưới 18 tuổi","business_id":"` + biz + `","reporter_contact":"0912 345 678"}`)
		bare := create(`{"channel":"hotline","description":"Nhà nghỉ có dấu hiệu chứa mại dâm","place":"Phường D21","severity":"high"}`)

		t.Run("a tip's view says there is a contact and never shows it", func(t *testing.T) {
			for _, p := range []*Principal{officer, admin, planner} {
				w := doAs(t, h, p, "GET", "/api/v1/tips/"+tip.ID, "")
				var v TipView
				json.Unmarshal(w.Body.Bytes(), &v)
				if w.Code != 200 || !v.HasContact || strings.Contains(w.Body.String(), "0912") {
					t.Fatalf("%s: %d %s", p.Role, w.Code, w.Body)
				}
			}
		})

		t.Run("only a tip officer opens the contact, and the reading is audited", func(t *testing.T) {
			for _, p := range []*Principal{admin, planner} {
				if w := doAs(t, h, p, "POST", "/api/v1/tips/"+tip.ID+"/contact", ""); w.Code != 403 || strings.Contains(w.Body.String(), "0912") {
					t.Fatalf("%s opens the contact: %d %s", p.Role, w.Code, w.Body)
				}
			}
			if w := doAs(t, h, nil, "POST", "/api/v1/tips/"+tip.ID+"/contact", ""); w.Code != 401 {
				t.Fatalf("without sign-in: %d", w.Code)
			}
			if n := contactReads(t, db, tip.ID); n != 0 {
				t.Fatalf("%d readings audited before any was allowed", n)
			}
			w := doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/contact", "")
			var c TipContact
			json.Unmarshal(w.Body.Bytes(), &c)
			if w.Code != 200 || c.Contact != "0912 345 678" || c.ReadBy != "tips" || c.TipID != tip.ID || w.Header().Get("Cache-Control") != "no-store" {
				t.Fatalf("the officer opens the contact: %d %s", w.Code, w.Body)
			}
			events, _ := db.FindAuditEvents(ctx, models.AuditFilter{EntityType: "tip", EntityID: tip.ID, Action: models.TipActionContactRead})
			if len(events) != 1 || events[0].Actor != "tips" || !events[0].At.Equal(planClock()) || strings.Contains(events[0].Details, "0912") {
				t.Fatalf("the reading's audit: %+v", events)
			}
		})

		t.Run("opening a contact that is not there", func(t *testing.T) {
			for _, tc := range []struct {
				name, id, field string
			}{
				{"an unknown tip", "no-such-tip", ""},
				{"a tip without a contact", bare.ID, "contact"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					w := doAs(t, h, officer, "POST", "/api/v1/tips/"+tc.id+"/contact", "")
					if w.Code != 404 || tc.field != "" && decodeError(t, w).Field != tc.field {
						t.Fatalf("%d %s", w.Code, w.Body)
					}
				})
			}
			if n := contactReads(t, db, bare.ID); n != 0 {
				t.Fatalf("a missing contact audited as read %d times", n)
			}
		})

		t.Run("an urgent tip's view carries its task, its team and its day", func(t *testing.T) {
			if w := doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":1,"to":"verifying"}`); w.Code != 200 {
				t.Fatalf("verify: %d %s", w.Code, w.Body)
			}
			w := doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":2,"to":"classified","type":"minors","severity":"urgent"}`)
			var v TipView
			json.Unmarshal(w.Body.Bytes(), &v)
			today := models.NewDate(2026, 3, 2)
			if w.Code != 200 || v.Task == nil || v.Task.TeamName != "Tổ D1" || v.Task.ReleasedOn != today || v.Task.DueOn != today.AddDays(7) || v.Task.Status != models.TaskReleased {
				t.Fatalf("classify urgent: %d %s", w.Code, w.Body)
			}
			w = doAs(t, h, officer, "GET", "/api/v1/tips/"+tip.ID, "")
			if json.Unmarshal(w.Body.Bytes(), &v); v.Task == nil || v.Task.ID != *v.TaskID {
				t.Fatalf("the tip read again: %s", w.Body)
			}
		})

		t.Run("the timeline lists the steps in order, with who and the team sent", func(t *testing.T) {
			w := doAs(t, h, planner, "GET", "/api/v1/tips/"+tip.ID+"/timeline", "")
			var tl struct {
				Items []TipEvent `json:"items"`
			}
			json.Unmarshal(w.Body.Bytes(), &tl)
			var actions []string
			for _, e := range tl.Items {
				actions = append(actions, e.Action)
			}
			if w.Code != 200 || strings.Join(actions, ",") != "receive,contact_read,verifying,classified" {
				t.Fatalf("timeline: %d %v %s", w.Code, actions, w.Body)
			}
			cl := tl.Items[3]
			if tl.Items[0].ActorName != "Nguyễn Thị Tin" || tl.Items[0].Channel != "hotline" || cl.TeamName != "Tổ D1" || cl.Severity != "urgent" || cl.Type != "minors" || cl.TaskID == "" {
				t.Fatalf("timeline events: %+v", tl.Items)
			}
		})

		t.Run("the timeline of a tip out of reach or unknown is not found", func(t *testing.T) {
			for _, tc := range []struct {
				name string
				who  *Principal
				id   string
			}{
				{"another district's tip", d2, tip.ID},
				{"an unknown tip", officer, "no-such-tip"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					if w := doAs(t, h, tc.who, "GET", "/api/v1/tips/"+tc.id+"/timeline", ""); w.Code != 404 {
						t.Fatalf("%d %s", w.Code, w.Body)
					}
				})
			}
		})

		t.Run("the list filters by severity and unit", func(t *testing.T) {
			for _, tc := range []struct {
				query string
				code  int
				want  []string
				field string
			}{
				{"severity=urgent", 200, []string{tip.ID}, ""},
				{"severity=high", 200, []string{bare.ID}, ""},
				{"area=D1", 200, []string{tip.ID}, ""},
				{"area=D11&severity=high", 200, nil, ""},
				{"severity=extreme", 400, nil, "severity"},
				{"area=D9", 400, nil, "area"},
			} {
				t.Run(tc.query, func(t *testing.T) {
					w := doAs(t, h, officer, "GET", "/api/v1/tips?"+tc.query, "")
					if w.Code != tc.code {
						t.Fatalf("%d %s", w.Code, w.Body)
					}
					if tc.field != "" {
						if f := decodeError(t, w).Field; f != tc.field {
							t.Fatalf("error on %q, want %q", f, tc.field)
						}
						return
					}
					var list struct {
						Items []TipView `json:"items"`
					}
					json.Unmarshal(w.Body.Bytes(), &list)
					var got []string
					for _, v := range list.Items {
						got = append(got, v.ID)
					}
					if strings.Join(got, ",") != strings.Join(tc.want, ",") {
						t.Fatalf("got %v, want %v", got, tc.want)
					}
				})
			}
		})

		t.Run("verifying may describe the place; handling may not", func(t *testing.T) {
			w := doAs(t, h, officer, "POST", "/api/v1/tips/"+bare.ID+"/transition", `{"version":1,"to":"verifying","place":"  Số 12 đường Trần Phú, phường D21  "}`)
			var v TipView
			if json.Unmarshal(w.Body.Bytes(), &v); w.Code != 200 || v.Place != "Số 12 đường Trần Phú, phường D21" {
				t.Fatalf("verify with a place: %d %s", w.Code, w.Body)
			}
			for _, tc := range []struct{ name, id, body, field string }{
				{"a place while handling", tip.ID, `{"version":3,"to":"handled","handling":"dismissed","note":"x","place":"y"}`, "place"},
				{"a place too long", bare.ID, `{"version":2,"to":"classified","type":"other","severity":"high","place":"` + strings.Repeat("x", 301) + `"}`, "place"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					w := doAs(t, h, officer, "POST", "/api/v1/tips/"+tc.id+"/transition", tc.body)
					if w.Code != 400 || decodeError(t, w).Field != tc.field {
						t.Fatalf("%d %s", w.Code, w.Body)
					}
				})
			}
		})

		t.Run("a rule message names steps, never status codes", func(t *testing.T) {
			for _, tc := range []struct {
				name, id, body, want string
			}{
				{"skipping classification", bare.ID, `{"version":2,"to":"handled","handling":"dismissed","note":"x"}`, "phải được phân loại trước, chưa thể xử lý"},
				{"going back", tip.ID, `{"version":3,"to":"verifying"}`, "phải được xử lý trước, chưa thể xác minh"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					w := doAs(t, h, officer, "POST", "/api/v1/tips/"+tc.id+"/transition", tc.body)
					msg := decodeError(t, w).Message
					if w.Code != 400 || !strings.Contains(msg, tc.want) {
						t.Fatalf("%d %q, want %q", w.Code, msg, tc.want)
					}
					for _, code := range append(append([]string{}, models.TipStatuses...), models.TipMerged) {
						if strings.Contains(msg, code) {
							t.Fatalf("the message %q names the status %s", msg, code)
						}
					}
				})
			}
		})
	})
}

func contactReads(t *testing.T, db *store.DB, id string) int {
	t.Helper()
	events, err := db.FindAuditEvents(context.Background(), models.AuditFilter{EntityType: "tip", EntityID: id, Action: models.TipActionContactRead})
	if err != nil {
		t.Fatal(err)
	}
	return len(events)
}

func TestTipTimeline(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 3, 2, 9, m, 0, 0, time.UTC) }
	names := map[string]string{"tips": "Cán bộ Tin", "p1": "Kế hoạch Một"}
	userName := func(u string) string { return names[u] }
	teamName := func(id string) string { return map[string]string{"team-1": "Tổ Ninh Kiều"}[id] }
	for _, tc := range []struct {
		name   string
		events []*models.AuditEvent
		want   []TipEvent
	}{
		{"no events", nil, []TipEvent{}},
		{"newest first in the log, oldest first in the timeline", []*models.AuditEvent{
			{At: at(3), Actor: "tips", Action: "classified", Details: `{"type":"drugs","severity":"urgent","task_id":"task-1","team_id":"team-1","status":"classified"}`},
			{At: at(2), Actor: "scheduler", Action: "escalate", Details: `{"deadline":"verify","escalated_to":"p1,p2"}`},
			{At: at(1), Actor: "public", Action: "receive", Details: `{"channel":"web","severity":"normal"}`},
		}, []TipEvent{
			{At: at(1), Actor: "public", Action: "receive", Channel: "web", Severity: "normal"},
			{At: at(2), Actor: "scheduler", Action: "escalate", Deadline: "verify", EscalatedTo: []string{"Kế hoạch Một", "p2"}},
			{At: at(3), Actor: "tips", ActorName: "Cán bộ Tin", Action: "classified", Type: "drugs", Severity: "urgent", TaskID: "task-1", TeamID: "team-1", TeamName: "Tổ Ninh Kiều"},
		}},
		{"details that cannot be read still show the step", []*models.AuditEvent{
			{At: at(1), Actor: "tips", Action: "handled", Details: `{`},
		}, []TipEvent{{At: at(1), Actor: "tips", ActorName: "Cán bộ Tin", Action: "handled"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := json.Marshal(TipTimeline(tc.events, userName, teamName))
			want, _ := json.Marshal(tc.want)
			if string(got) != string(want) {
				t.Fatalf("got  %s\nwant %s", got, want)
			}
		})
	}
}
