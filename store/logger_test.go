package store_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// syncBuffer is a log destination that several goroutines (the pool's) may write at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Failed statements are logged (an operator needs to know), but with their placeholders only:
// the values they carried were a password hash and a tip's description.
func TestFailedQueriesAreLoggedWithoutTheirValues(t *testing.T) {
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	const (
		hash     = "$argon2id$v=19$m=1024,t=1,p=1$c2VjcmV0LXNhbHQ$SECRET-HASH-OF-THE-TEST"
		tipText  = "Quán Hoa Mai cho khách thuê phòng theo giờ, có dấu hiệu mua bán dâm"
		nulName  = "Tên\x00có NUL"
		username = "log.test"
	)
	storetest.RunWith(t, storetest.Options{Logger: log}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedAreas(t, db)
		u := &models.User{Username: username, DisplayName: "Người thử", Role: models.RoleInspector, Agency: models.AgencyPolice, AreaCode: "916", PasswordHash: hash}
		if err := db.CreateUser(ctx, "test", u); err != nil {
			t.Fatal(err)
		}
		before := strings.Count(logs.String(), "\n")

		// A duplicate carries the hash in its INSERT.
		dup := *u
		dup.ID = ""
		if err := db.CreateUser(ctx, "test", &dup); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("duplicate user: %v, want conflict", err)
		}
		// The reported case: a new password and a display name PostgreSQL refuses in one UPDATE
		// (SQLite stores the NUL; the API refuses it before it gets here).
		name := nulName
		_, _ = db.UpdateUser(ctx, "test", u.ID, models.UserUpdate{DisplayName: &name}, hash+"-NEW")
		// A tip whose business does not exist: the INSERT with the description fails.
		missing := "no-such-business"
		tip := &models.Tip{Channel: "hotline", Description: tipText, Status: models.TipReceived, Severity: "normal", BusinessID: &missing, ReceivedBy: "test"}
		if err := db.CreateTip(ctx, "test", tip); err == nil {
			t.Fatal("a tip of an unknown business was stored")
		}

		out := logs.String()
		if strings.Count(out, "\n") <= before {
			t.Fatalf("the failed statements were not logged at all:\n%s", out)
		}
		if !strings.Contains(out, "INSERT INTO") {
			t.Errorf("the failed statements are logged without their SQL:\n%s", out)
		}
		for _, secret := range []string{"SECRET-HASH-OF-THE-TEST", "Hoa Mai", "mua bán dâm"} {
			if strings.Contains(out, secret) {
				t.Errorf("the log holds %q:\n%s", secret, out)
			}
		}
	})
}
