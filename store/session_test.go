package store_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"kiemtra/migrations"
	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// The sessions migration turns the refresh token families of a database that had no sessions
// table into sessions: a family with a revoked token is a revoked session, and its first token
// tells where it signed in from.
func TestExistingSessionsSurviveTheSessionsMigration(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		fsys, err := migrations.FS(db.Dialect())
		if err != nil {
			t.Fatal(err)
		}
		dialect := goose.DialectSQLite3
		if db.Dialect() == store.DialectPostgres {
			dialect = goose.DialectPostgres
		}
		p, err := goose.NewProvider(dialect, db.SQL(), fsys, goose.WithSlog(slog.New(slog.NewTextHandler(io.Discard, nil))))
		if err != nil {
			t.Fatal(err)
		}
		// The user is made with today's schema (its audit needs the signed head); the tokens
		// below are written as the old schema held them.
		if err := db.UpsertAreas(ctx, "t", []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity}}); err != nil {
			t.Fatal(err)
		}
		u := &models.User{Username: "lan", Agency: models.AgencyLabour, Role: models.RoleInspector, AreaCode: "92", PasswordHash: "x"}
		if err := db.CreateUser(ctx, "t", u); err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(ctx, 8); err != nil {
			t.Fatal(err)
		}
		t0 := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
		revoked := t0.Add(time.Hour)
		used := t0.Add(10 * time.Minute)
		for _, rt := range []*models.RefreshToken{
			{ID: "a1", FamilyID: "live", CreatedAt: t0, UsedAt: &used, IP: "10.0.0.1", UserAgent: "phone"},
			{ID: "a2", FamilyID: "live", CreatedAt: used, IP: "10.0.0.9", UserAgent: "phone"},
			{ID: "b1", FamilyID: "ended", CreatedAt: t0, UsedAt: &used, RevokedAt: &revoked, IP: "10.0.0.2", UserAgent: "browser"},
			{ID: "b2", FamilyID: "ended", CreatedAt: used, RevokedAt: &revoked, IP: "10.0.0.2", UserAgent: "browser"},
		} {
			rt.UserID, rt.TokenHash, rt.ExpiresAt = u.ID, "hash-"+rt.ID, t0.Add(30*24*time.Hour)
			if err := db.Gorm().Create(rt).Error; err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		var sessions []models.Session
		if err := db.Gorm().Order("id").Find(&sessions).Error; err != nil {
			t.Fatal(err)
		}
		if len(sessions) != 2 {
			t.Fatalf("%d sessions, want 2: %+v", len(sessions), sessions)
		}
		ended, live := sessions[0], sessions[1]
		if ended.ID != "ended" || ended.RevokedAt == nil || !ended.RevokedAt.Equal(revoked) || ended.UserID != u.ID || ended.IP != "10.0.0.2" || ended.UserAgent != "browser" {
			t.Fatalf("the revoked family: %+v", ended)
		}
		if live.ID != "live" || live.RevokedAt != nil || !live.CreatedAt.Equal(t0) || live.IP != "10.0.0.1" {
			t.Fatalf("the live family: %+v", live)
		}
		if _, err := db.FindSessionUser(ctx, "live", u.ID); err != nil {
			t.Fatalf("the live session after the migration: %v", err)
		}
		if _, err := db.FindSessionUser(ctx, "ended", u.ID); !models.IsCode(err, models.ENOTFOUND) {
			t.Fatalf("the revoked session after the migration: %v", err)
		}
	})
}
