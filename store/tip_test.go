package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func TestEscalateTipOncePerDeadline(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Nanoseconds that PostgreSQL rounds away and SQLite keeps: a deadline read back must
		// still be the same deadline.
		received := time.Date(2026, 3, 1, 9, 0, 0, 123456789, time.UTC)
		verify, handle := received.Add(24*time.Hour), received.Add(7*24*time.Hour)
		tip := &models.Tip{Channel: "hotline", ReceivedAt: received, ReceivedBy: "tips", Description: "Nghi có hoạt động mại dâm", Place: "x",
			Status: models.TipReceived, Severity: "urgent", VerifyDue: &verify, HandleDue: &handle}
		if err := db.CreateTip(ctx, "tips", tip); err != nil {
			t.Fatal(err)
		}
		current := func() *models.Tip {
			t.Helper()
			got, err := db.FindTipByID(ctx, tip.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		redated := handle.Add(48 * time.Hour)
		for _, tc := range []struct {
			name     string
			deadline string
			due      func(*models.Tip) time.Time
			stale    bool
			done     bool
			code     string
			version  int // the tip's version afterwards
		}{
			{"the verification deadline is escalated", "verify", func(t *models.Tip) time.Time { return *t.VerifyDue }, false, true, "", 2},
			{"the same deadline again is not", "verify", func(t *models.Tip) time.Time { return *t.VerifyDue }, false, false, "", 2},
			{"a stale tip is a conflict and records nothing", "handle", func(t *models.Tip) time.Time { return *t.HandleDue }, true, false, models.ECONFLICT, 2},
			{"the handling deadline is escalated", "handle", func(t *models.Tip) time.Time { return *t.HandleDue }, false, true, "", 3},
			{"the handling deadline again is not", "handle", func(t *models.Tip) time.Time { return *t.HandleDue }, false, false, "", 3},
			{"a handling deadline moved by a reclassification is a new deadline", "handle", func(*models.Tip) time.Time { return redated }, false, true, "", 4},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tp := current()
				if tc.stale {
					tp.Version--
				}
				at := time.Date(2026, 3, 9, 10, 0, 0, 0, time.UTC)
				tp.EscalatedAt, tp.EscalatedTo = &at, "city.planner"
				done, err := db.EscalateTip(ctx, "scheduler", tp, tc.deadline, tc.due(tp))
				if models.ErrorCode(err) != tc.code && !(tc.code == "" && err == nil) {
					t.Fatalf("err %v, want code %q", err, tc.code)
				}
				if done != tc.done {
					t.Fatalf("done %v, want %v", done, tc.done)
				}
				if got := current(); got.Version != tc.version {
					t.Fatalf("version %d, want %d", got.Version, tc.version)
				}
			})
		}
		events, err := db.FindAuditEvents(ctx, models.AuditFilter{EntityType: "tip", EntityID: tip.ID, Action: "escalate"})
		if err != nil {
			t.Fatal(err)
		}
		var deadlines []string
		for _, e := range events {
			for _, d := range []string{"verify", "handle"} {
				if strings.Contains(e.Details, `"deadline":"`+d+`"`) && strings.Contains(e.Details, `"escalated_to":"city.planner"`) {
					deadlines = append(deadlines, d)
				}
			}
		}
		if strings.Join(deadlines, ",") != "handle,handle,verify" {
			t.Fatalf("escalations audited (newest first): %v", deadlines)
		}
	})
}

func TestTipTrackingColumns(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		received := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		newTip := func(code string) *models.Tip {
			return &models.Tip{Channel: "web", ReceivedAt: received, ReceivedBy: "public", Description: "Quán có tiếp viên nhỏ tuổi", Place: "x",
				Status: models.TipReceived, Severity: "normal", TrackingCode: &code, TrackingSecretHash: "v1:abc", PhotoSHA256: strings.Repeat("a", 64)}
		}
		tip := newTip("TB-7K3M-Q9XD")
		if err := db.CreateTip(ctx, "public", tip); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindTipByTrackingCode(ctx, "TB-7K3M-Q9XD")
		if err != nil || got.ID != tip.ID || got.TrackingSecretHash != "v1:abc" || got.PhotoSHA256 != tip.PhotoSHA256 {
			t.Fatalf("found %+v, %v", got, err)
		}
		if _, err := db.FindTipByTrackingCode(ctx, "TB-2222-2222"); models.ErrorCode(err) != models.ENOTFOUND {
			t.Fatalf("an unknown code: %v", err)
		}
		// The code is unique; tips without one (before tracking) are many.
		if err := db.CreateTip(ctx, "public", newTip("TB-7K3M-Q9XD")); models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("a second tip with the code: %v", err)
		}
		for i := 0; i < 2; i++ {
			old := newTip("")
			old.TrackingCode = nil
			if err := db.CreateTip(ctx, "tips", old); err != nil {
				t.Fatalf("a tip without a code: %v", err)
			}
		}
		// The public result is stored with the step; the code, the hash and the photo cannot be
		// changed by a save.
		now := received.Add(time.Hour)
		got.Status, got.HandledAt, got.Handling, got.PublicResult = models.TipHandled, &now, "dismissed", "Chưa phát hiện vi phạm."
		other := "TB-3333-3333"
		got.TrackingCode, got.TrackingSecretHash, got.PhotoSHA256 = &other, "v1:changed", ""
		if err := db.SaveTip(ctx, "tips", "handled", got, nil); err != nil {
			t.Fatal(err)
		}
		after, err := db.FindTipByID(ctx, tip.ID)
		if err != nil {
			t.Fatal(err)
		}
		if after.PublicResult != "Chưa phát hiện vi phạm." || *after.TrackingCode != "TB-7K3M-Q9XD" || after.TrackingSecretHash != "v1:abc" || after.PhotoSHA256 != tip.PhotoSHA256 {
			t.Fatalf("after the save: %+v", after)
		}
	})
}
