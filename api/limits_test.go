package api

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"kiemtra/auth"
	"kiemtra/licensing"
	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// newReplica builds a server over db as one replica of the service does: its own auth service,
// tip pipeline and licensing, and the rate limits in the database.
func newReplica(t *testing.T, db *store.DB) *Server {
	t.Helper()
	svc, err := auth.NewService(db, envSecret, planClock, envParams)
	if err != nil {
		t.Fatal(err)
	}
	return New(Config{Store: db, Readiness: readiness{}, Auth: svc, Passwords: svc, Tips: mustTips(t, db, nil, planClock), TipStore: db,
		Licensing: licensing.New(db, planClock, time.UTC), Limits: db, Now: planClock, Location: time.UTC, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// Two replicas on one database enforce one limit: the sign-in limits, the public tip form's and
// the licensing lookups' are not doubled by a second replica.
func TestRateLimitsHoldAcrossReplicas(t *testing.T) {
	storetest.RunReplicas(t, storetest.Options{Now: planClock}, func(t *testing.T, a, b *store.DB) {
		ctx := context.Background()
		if err := a.UpsertAreas(ctx, "t", []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity}}); err != nil {
			t.Fatal(err)
		}
		hash, err := auth.HashPassword(envPassword, envParams)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.CreateUser(ctx, "t", &models.User{Username: "insp1", Agency: models.AgencyLabour, Role: models.RoleInspector, AreaCode: "92", PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
		replicas := []*Server{newReplica(t, a), newReplica(t, b)}

		t.Run("sign-in", func(t *testing.T) {
			bad := `{"username":"insp1","password":"wrong password"}`
			for i := 0; i < 5; i++ {
				want401(t, call(t, replicas[i%2], "POST", "/api/v1/auth/login", bad, from("198.51.100.7")), fmt.Sprintf("wrong password %d", i+1))
			}
			good := fmt.Sprintf(`{"username":"insp1","password":%q}`, envPassword)
			for i, h := range replicas {
				if w := call(t, h, "POST", "/api/v1/auth/login", good, from("198.51.100.7")); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "900" {
					t.Fatalf("replica %d after five wrong passwords on both: %d %s (Retry-After %q)", i+1, w.Code, w.Body, w.Header().Get("Retry-After"))
				}
			}
		})
		t.Run("public tip form", func(t *testing.T) {
			for i := 0; i < publicTipsPerHour; i++ {
				if w := publicTip(t, replicas[i%2], "203.0.113.9", publicBody); w.Code != http.StatusAccepted {
					t.Fatalf("tip %d: %d %s", i+1, w.Code, w.Body)
				}
			}
			for i, h := range replicas {
				if w := publicTip(t, h, "203.0.113.9", publicBody); w.Code != http.StatusTooManyRequests {
					t.Fatalf("replica %d after %d tips from one address on both: %d %s", i+1, publicTipsPerHour, w.Code, w.Body)
				}
			}
			// The city's hour: one replica used it but one tip, the other stores that one, then
			// neither takes more.
			for i := 0; i < publicTipsPerHourCity-publicTipsPerHour-1; i++ {
				if _, wait, err := replicas[0].tipCity.Take(ctx, publicTipCityKey); err != nil || wait > 0 {
					t.Fatalf("tip %d of the city's hour: wait %s, %v", i+1, wait, err)
				}
			}
			if w := publicTip(t, replicas[1], "192.0.2.1", publicBody); w.Code != http.StatusAccepted {
				t.Fatalf("the city's last tip of the hour: %d %s", w.Code, w.Body)
			}
			for i, h := range replicas {
				if w := publicTip(t, h, fmt.Sprintf("192.0.2.%d", 10+i), publicBody); w.Code != http.StatusTooManyRequests {
					t.Fatalf("replica %d after the city's hour: %d %s", i+1, w.Code, w.Body)
				}
			}
		})
		t.Run("licensing lookups", func(t *testing.T) {
			police := &Principal{UserID: "u-police", Username: "police", Role: models.RoleLicensingOfficer, AreaCode: "92", AreaPath: "/92/"}
			path := "/api/v1/licensing/check?licence_no=L0001&purpose=HS-2026-117"
			for i := 0; i < lookupsPerHour; i++ {
				if w := doAs(t, replicas[i%2], police, "GET", path, ""); w.Code == http.StatusTooManyRequests {
					t.Fatalf("lookup %d of %d refused", i+1, lookupsPerHour)
				}
			}
			for i, h := range replicas {
				if w := doAs(t, h, police, "GET", path, ""); w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
					t.Fatalf("replica %d after %d lookups on both: %d %s", i+1, lookupsPerHour, w.Code, w.Body)
				}
			}
		})
	})
}
