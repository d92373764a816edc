package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/notify"
	"kiemtra/refdata"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func TestNotificationsThroughTheAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.UpsertAreas(ctx, "t", []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity}}); err != nil {
			t.Fatal(err)
		}
		u := &models.User{Username: "an", DisplayName: "Nguyễn Văn An", Role: models.RoleInspector, Agency: models.AgencyPolice, AreaCode: "92"}
		if err := db.CreateUser(ctx, "t", u); err != nil {
			t.Fatal(err)
		}
		cats, _ := refdata.Categories()
		loc, _ := time.LoadLocation("Asia/Ho_Chi_Minh")
		h := New(Config{Store: db, Readiness: readiness{}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Location: loc,
			Notifications: db, NotifyText: notify.NewRenderer(cats)})
		me := &Principal{UserID: u.ID, Username: u.Username, Role: u.Role, AreaCode: "92", AreaPath: "/92/"}
		admin := &Principal{UserID: "admin", Username: "admin", Role: models.RoleAdmin, AreaCode: "92", AreaPath: "/92/"}

		n := &models.Notification{UserID: u.ID, Channel: models.ChannelInApp, Kind: models.NotifyUrgentTip, EventKey: "urgent_tip:1", Link: "/app/#/task/T1",
			Params: models.NotificationParams{"business_name": "Karaoke Ánh Dương", "business_address": "12 đường Trần Văn Khéo", "category": "karaoke", "team_name": "Tổ 1", "day": "2026-03-10", "task_id": "T1"}}
		mail := &models.Notification{UserID: u.ID, Channel: models.ChannelEmail, Kind: models.NotifyUrgentTip, EventKey: "urgent_tip:1"}
		// An older one, so that a page of one shows the newest while the count is of all.
		old := &models.Notification{UserID: u.ID, Channel: models.ChannelInApp, Kind: models.NotifyTeamDay, EventKey: "team_day:1",
			Params: models.NotificationParams{"day": "2026-03-09", "visits": "3", "change": "released"}}
		if err := db.EnqueueNotifications(ctx, []*models.Notification{old}); err != nil {
			t.Fatal(err)
		}
		if err := db.EnqueueNotifications(ctx, []*models.Notification{n, mail}); err != nil {
			t.Fatal(err)
		}
		w := doAs(t, h, me, "GET", "/api/v1/me/notifications", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"items":[]`) {
			t.Fatalf("a queued notification is listed: %d %s", w.Code, w.Body)
		}
		worker := notify.NewWorker(db, map[string]notify.Channel{models.ChannelInApp: notify.InApp{}}, notify.NewRenderer(cats), notify.Config{}, nil, loc, nil)
		if _, err := worker.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		var list struct {
			Items  []notificationView `json:"items"`
			Unread int                `json:"unread"`
		}
		w = doAs(t, h, me, "GET", "/api/v1/me/notifications?limit=1", "")
		json.Unmarshal(w.Body.Bytes(), &list)
		if w.Code != 200 || len(list.Items) != 1 || list.Unread != 2 || list.Items[0].TitleVI != "Nhiệm vụ kiểm tra khẩn: Karaoke Ánh Dương" ||
			list.Items[0].Params["task_id"] != "T1" || list.Items[0].ReadAt != nil || !strings.Contains(list.Items[0].BodyVI, "Karaoke") {
			t.Fatalf("the list: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, me, "GET", "/api/v1/me/notifications?limit=0", ""); w.Code != 400 || decodeError(t, w).Field != "limit" {
			t.Fatalf("limit 0: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, me, "POST", "/api/v1/me/notifications/"+mail.ID+"/read", ""); w.Code != 404 {
			t.Fatalf("an e-mail read as in-app: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, admin, "POST", "/api/v1/me/notifications/"+n.ID+"/read", ""); w.Code != 404 {
			t.Fatalf("someone else's notification read: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, me, "POST", "/api/v1/me/notifications/"+n.ID+"/read", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"state":"read"`) {
			t.Fatalf("read: %d %s", w.Code, w.Body)
		}
		w = doAs(t, h, me, "GET", "/api/v1/me/notifications", "")
		if json.Unmarshal(w.Body.Bytes(), &list); list.Unread != 1 || list.Items[0].ReadAt == nil {
			t.Fatalf("after reading: %s", w.Body)
		}

		// Settings.
		w = doAs(t, h, me, "GET", "/api/v1/me/notification-settings", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"version":0`) || !strings.Contains(w.Body.String(), `"urgent_tip":{"email":true,"in_app":true,"push":true,"sms":false,"zalo":false}`) ||
			!strings.Contains(w.Body.String(), `"time_zone":"Asia/Ho_Chi_Minh"`) {
			t.Fatalf("the default settings: %d %s", w.Code, w.Body)
		}
		for _, tc := range []struct{ name, body, field string }{
			{"a bad address", `{"version":0,"email":"an at example"}`, "email"},
			{"a landline", `{"version":0,"phone":"0292 3820 123"}`, "phone"},
			{"an unknown kind", `{"version":0,"kinds":{"gossip":{"email":false}}}`, "kinds.gossip"},
			{"quiet hours without an end", `{"version":0,"quiet_start":"22:00"}`, "quiet_end"},
			{"an unknown field", `{"version":0,"sms":true}`, "sms"},
			{"a negative version", `{"version":-1}`, "version"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := doAs(t, h, me, "PUT", "/api/v1/me/notification-settings", tc.body)
				if w.Code != 400 || decodeError(t, w).Field != tc.field {
					t.Fatalf("%d %s, want 400 on %s", w.Code, w.Body, tc.field)
				}
			})
		}
		body := `{"version":0,"email":"an@ninhkieu.cantho.gov.vn","phone":"0912 345 678","kinds":{"urgent_tip":{"email":false,"zalo":true}},"quiet_start":"22:00","quiet_end":"06:30"}`
		w = doAs(t, h, me, "PUT", "/api/v1/me/notification-settings", body)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"urgent_tip":{"email":false,"in_app":true,"push":true,"sms":false,"zalo":true}`) || !strings.Contains(w.Body.String(), `"version":1`) ||
			!strings.Contains(w.Body.String(), `"phone":"+84912345678"`) {
			t.Fatalf("save: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, me, "PUT", "/api/v1/me/notification-settings", body); w.Code != 409 {
			t.Fatalf("a stale save: %d %s", w.Code, w.Body)
		}

		// The outbox, for admins.
		if w := doAs(t, h, me, "GET", "/api/v1/notifications/outbox", ""); w.Code != 403 {
			t.Fatalf("an inspector read the outbox: %d", w.Code)
		}
		if w := doAs(t, h, admin, "GET", "/api/v1/notifications/outbox?state=lost", ""); w.Code != 400 || decodeError(t, w).Field != "state" {
			t.Fatalf("an unknown state: %d %s", w.Code, w.Body)
		}
		w = doAs(t, h, admin, "GET", "/api/v1/notifications/outbox?channel=email", "")
		var box struct {
			Items []outboxView `json:"items"`
		}
		json.Unmarshal(w.Body.Bytes(), &box)
		if w.Code != 200 || len(box.Items) != 1 || box.Items[0].State != models.NotificationSkipped || box.Items[0].LastError == "" || box.Items[0].NextAttemptAt != nil {
			t.Fatalf("the outbox: %d %s", w.Code, w.Body)
		}
	})
}
