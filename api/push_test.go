package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func TestPushSubscriptionsThroughTheAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.UpsertAreas(ctx, "t", []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity}}); err != nil {
			t.Fatal(err)
		}
		var ps []*Principal
		for _, name := range []string{"an", "binh"} {
			u := &models.User{Username: name, DisplayName: name, Role: models.RoleInspector, Agency: models.AgencyPolice, AreaCode: "92"}
			if err := db.CreateUser(ctx, "t", u); err != nil {
				t.Fatal(err)
			}
			ps = append(ps, &Principal{UserID: u.ID, Username: u.Username, Role: u.Role, AreaCode: "92", AreaPath: "/92/"})
		}
		an, binh := ps[0], ps[1]
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		off := New(Config{Store: db, Readiness: readiness{}, Logger: log})
		if w := doAs(t, off, an, "GET", "/api/v1/push/key", ""); w.Code != 200 || strings.TrimSpace(w.Body.String()) != `{"enabled":false}` {
			t.Fatalf("the key without push: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, off, an, "POST", "/api/v1/me/push-subscriptions", `{}`); w.Code != 503 {
			t.Fatalf("subscribing without push: %d %s", w.Code, w.Body)
		}

		h := New(Config{Store: db, Readiness: readiness{}, Logger: log, Push: PushConfig{Store: db, PublicKey: "BKEY", Hosts: []string{"fcm.googleapis.com"}}})
		if w := doAs(t, h, an, "GET", "/api/v1/push/key", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"public_key":"BKEY"`) {
			t.Fatalf("the key: %d %s", w.Code, w.Body)
		}
		const keys = `"keys":{"p256dh":"BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4","auth":"BTBZMqHH6r4Tts7J_aSIgg"}`
		sub := `{"endpoint":"https://fcm.googleapis.com/fcm/send/phone-1",` + keys + `,"lang":"vi"}`
		for _, tc := range []struct{ name, body, field string }{
			{"an address the server does not push to", `{"endpoint":"https://192.168.1.10/x",` + keys + `}`, "endpoint"},
			{"no keys", `{"endpoint":"https://fcm.googleapis.com/fcm/send/x"}`, "keys.p256dh"},
			{"an unknown field", `{"endpoint":"https://fcm.googleapis.com/fcm/send/x",` + keys + `,"expirationTime":null}`, "expirationTime"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := doAs(t, h, an, "POST", "/api/v1/me/push-subscriptions", tc.body)
				if w.Code != 400 || !strings.Contains(w.Body.String(), `"`+tc.field+`"`) {
					t.Fatalf("%d %s", w.Code, w.Body)
				}
			})
		}
		for range 2 { // the app subscribes again each time it starts
			if w := doAs(t, h, an, "POST", "/api/v1/me/push-subscriptions", sub); w.Code != 200 || !strings.Contains(w.Body.String(), `"service":"fcm.googleapis.com"`) {
				t.Fatalf("subscribe: %d %s", w.Code, w.Body)
			}
		}
		var list struct{ Items []pushSubscriptionView }
		w := doAs(t, h, an, "GET", "/api/v1/me/push-subscriptions", "")
		if json.Unmarshal(w.Body.Bytes(), &list); w.Code != 200 || len(list.Items) != 1 {
			t.Fatalf("the devices after subscribing twice: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, binh, "DELETE", "/api/v1/me/push-subscriptions?endpoint=https://fcm.googleapis.com/fcm/send/phone-1", ""); w.Code != 204 {
			t.Fatalf("another user's delete: %d %s", w.Code, w.Body)
		}
		if subs, _ := db.FindPushSubscriptions(ctx, an.UserID); len(subs) != 1 {
			t.Fatal("another user removed the subscription")
		}
		if w := doAs(t, h, an, "DELETE", "/api/v1/me/push-subscriptions?endpoint=https://fcm.googleapis.com/fcm/send/phone-1", ""); w.Code != 204 {
			t.Fatalf("delete: %d %s", w.Code, w.Body)
		}
		if subs, _ := db.FindPushSubscriptions(ctx, an.UserID); len(subs) != 0 {
			t.Fatal("the subscription is still there")
		}
		// The same device signing in as another user moves the subscription to them.
		doAs(t, h, an, "POST", "/api/v1/me/push-subscriptions", sub)
		doAs(t, h, binh, "POST", "/api/v1/me/push-subscriptions", sub)
		if a, _ := db.FindPushSubscriptions(ctx, an.UserID); len(a) != 0 {
			t.Fatal("the device still pushes to the user who signed out of it")
		}
		if b, _ := db.FindPushSubscriptions(ctx, binh.UserID); len(b) != 1 {
			t.Fatal("the device does not push to the user who signed in on it")
		}
	})
}
