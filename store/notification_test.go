package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func newNotifyUser(t *testing.T, db *store.DB, name string) *models.User {
	t.Helper()
	if _, err := db.FindAreaByCode(context.Background(), "92"); err != nil {
		seedAreas(t, db)
	}
	u := &models.User{Username: name, DisplayName: "Nguyễn Văn " + name, Agency: "police", Role: models.RoleInspector, AreaCode: "92", PasswordHash: "x"}
	if err := db.CreateUser(context.Background(), "test", u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestNotificationLeasesGiveEachRowToOneReplicaAtATime(t *testing.T) {
	at := time.Date(2026, 3, 10, 5, 0, 0, 0, time.UTC)
	storetest.RunReplicas(t, storetest.Options{Now: func() time.Time { return at }}, func(t *testing.T, a, b *store.DB) {
		ctx := context.Background()
		u := newNotifyUser(t, a, "an")
		var notes []*models.Notification
		for i := 0; i < 20; i++ {
			notes = append(notes, &models.Notification{UserID: u.ID, Channel: models.ChannelInApp, Kind: models.NotifyUrgentTip, EventKey: "e" + string(rune('a'+i))})
		}
		if err := a.EnqueueNotifications(ctx, notes); err != nil {
			t.Fatal(err)
		}
		// Two replicas claim at once: every row goes to exactly one of them.
		var mu sync.Mutex
		seen := map[string]string{}
		var wg sync.WaitGroup
		for name, db := range map[string]*store.DB{"a": a, "b": b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					rows, err := db.ClaimNotifications(ctx, name, at, time.Minute, 3)
					if err != nil {
						t.Error(err)
						return
					}
					if len(rows) == 0 {
						return
					}
					mu.Lock()
					for _, r := range rows {
						if prev, twice := seen[r.ID]; twice {
							t.Errorf("row %s claimed by %s and %s", r.ID, prev, name)
						}
						seen[r.ID] = name
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(seen) != 20 {
			t.Fatalf("%d rows claimed, want 20", len(seen))
		}
		if rows, _ := b.ClaimNotifications(ctx, "b", at.Add(59*time.Second), time.Minute, 50); len(rows) != 0 {
			t.Fatalf("%d rows claimed again within their lease", len(rows))
		}
		rows, err := b.ClaimNotifications(ctx, "b", at.Add(61*time.Second), time.Minute, 50)
		if err != nil || len(rows) != 20 {
			t.Fatalf("after the leases ended, %d rows were claimed: %v", len(rows), err)
		}
		// The first claimer's lease is gone: its late outcome is not recorded.
		stale := *rows[0]
		stale.LockedBy = "a/old"
		stale.State = models.NotificationFailed
		if ok, err := a.FinishNotification(ctx, &stale); err != nil || ok {
			t.Fatalf("a lost lease recorded its outcome: %v %v", ok, err)
		}
		sent := at.Add(62 * time.Second)
		rows[0].State, rows[0].SentAt, rows[0].Attempts = models.NotificationSent, &sent, 1
		if ok, err := b.FinishNotification(ctx, rows[0]); err != nil || !ok {
			t.Fatalf("the holder's outcome: %v %v", ok, err)
		}
		if rows, _ := a.ClaimNotifications(ctx, "a", at.Add(time.Hour), time.Minute, 50); len(rows) != 19 {
			t.Fatalf("a sent row was claimed again, or a queued one lost: %d", len(rows))
		}
	})
}

func TestTheInboxShowsDeliveredInAppNotificationsAndTheirReadState(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u, other := newNotifyUser(t, db, "an"), newNotifyUser(t, db, "binh")
		notes := []*models.Notification{
			{UserID: u.ID, Channel: models.ChannelInApp, Kind: models.NotifyUrgentTip, EventKey: "one", Params: models.NotificationParams{"business_name": "Karaoke Ánh Dương"}},
			{UserID: u.ID, Channel: models.ChannelInApp, Kind: models.NotifyUrgentTip, EventKey: "two"},
			{UserID: u.ID, Channel: models.ChannelEmail, Kind: models.NotifyUrgentTip, EventKey: "one"},
		}
		if err := db.EnqueueNotifications(ctx, notes); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.FindInbox(ctx, u.ID, 0); len(got) != 0 {
			t.Fatalf("queued notifications are in the inbox: %d", len(got))
		}
		rows, _ := db.ClaimNotifications(ctx, "w", time.Now(), time.Minute, 10)
		for _, r := range rows {
			if r.EventKey == "one" {
				now := time.Now().UTC()
				r.State, r.SentAt = models.NotificationSent, &now
				db.FinishNotification(ctx, r)
			}
		}
		inbox, err := db.FindInbox(ctx, u.ID, 0)
		if err != nil || len(inbox) != 1 || inbox[0].Params["business_name"] != "Karaoke Ánh Dương" {
			t.Fatalf("the inbox: %+v %v", inbox, err)
		}
		if _, err := db.MarkNotificationRead(ctx, other.ID, inbox[0].ID); !models.IsCode(err, models.ENOTFOUND) {
			t.Fatalf("someone else's notification was read: %v", err)
		}
		if _, err := db.MarkNotificationRead(ctx, u.ID, notes[1].ID); !models.IsCode(err, models.ENOTFOUND) {
			t.Fatalf("an undelivered notification was read: %v", err)
		}
		read, err := db.MarkNotificationRead(ctx, u.ID, inbox[0].ID)
		if err != nil || read.State != models.NotificationRead || read.ReadAt == nil {
			t.Fatalf("read: %+v %v", read, err)
		}
		again, err := db.MarkNotificationRead(ctx, u.ID, inbox[0].ID)
		if err != nil || !again.ReadAt.Equal(*read.ReadAt) {
			t.Fatalf("reading twice changed the read time: %v %v", again, err)
		}
	})
}

func TestNotificationSettingsAreValidatedAndVersioned(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := newNotifyUser(t, db, "an")
		s, err := db.FindNotificationSettings(ctx, u.ID)
		if err != nil || s.Version != 0 || !s.Enabled(models.NotifyUrgentTip, models.ChannelEmail) {
			t.Fatalf("the defaults: %+v %v", s, err)
		}
		for _, tc := range []struct {
			name  string
			upd   models.NotificationSettingsUpdate
			field string
		}{
			{"a bad address", models.NotificationSettingsUpdate{Email: "not an address"}, "email"},
			{"an address with a name", models.NotificationSettingsUpdate{Email: "An <an@example.vn>"}, "email"},
			{"an unknown kind", models.NotificationSettingsUpdate{Kinds: models.NotificationKindSettings{"gossip": {"email": false}}}, "kinds.gossip"},
			{"an unknown channel", models.NotificationSettingsUpdate{Kinds: models.NotificationKindSettings{models.NotifyUrgentTip: {"pigeon": false}}}, "kinds.urgent_tip.pigeon"},
			{"a start without an end", models.NotificationSettingsUpdate{QuietStart: "22:00"}, "quiet_end"},
			{"a bad time", models.NotificationSettingsUpdate{QuietStart: "25:00", QuietEnd: "06:00"}, "quiet_start"},
			{"a time without minutes", models.NotificationSettingsUpdate{QuietStart: "22", QuietEnd: "06:00"}, "quiet_start"},
			{"the same start and end", models.NotificationSettingsUpdate{QuietStart: "22:00", QuietEnd: "22:00"}, "quiet_end"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := db.SaveNotificationSettings(ctx, u.ID, tc.upd)
				if e := models.ErrorAs(err); e == nil || e.Code != models.EINVALID || e.Details[0].Field != tc.field {
					t.Fatalf("got %v, want invalid %s", err, tc.field)
				}
			})
		}
		saved, err := db.SaveNotificationSettings(ctx, u.ID, models.NotificationSettingsUpdate{Email: " an@ninhkieu.cantho.gov.vn ", QuietStart: "22:00", QuietEnd: "06:30",
			Kinds: models.NotificationKindSettings{models.NotifyUrgentTip: {models.ChannelEmail: false}}})
		if err != nil || saved.Version != 1 || saved.Email != "an@ninhkieu.cantho.gov.vn" {
			t.Fatalf("save: %+v %v", saved, err)
		}
		if _, err := db.SaveNotificationSettings(ctx, u.ID, models.NotificationSettingsUpdate{Version: 0}); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("a second first save: %v", err)
		}
		if _, err := db.SaveNotificationSettings(ctx, u.ID, models.NotificationSettingsUpdate{Version: 7}); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("a stale save: %v", err)
		}
		got, _ := db.FindNotificationSettings(ctx, u.ID)
		if got.Version != 1 || got.Enabled(models.NotifyUrgentTip, models.ChannelEmail) || !got.Enabled(models.NotifyUrgentTip, models.ChannelInApp) || got.QuietEnd != "06:30" {
			t.Fatalf("read back: %+v", got)
		}
		if next, err := db.SaveNotificationSettings(ctx, u.ID, models.NotificationSettingsUpdate{Version: 1}); err != nil || next.Version != 2 || next.Email != "" {
			t.Fatalf("the second save: %+v %v", next, err)
		}
	})
}

func TestOldDeliveredNotificationsArePurgedAndQueuedOnesKept(t *testing.T) {
	now := time.Date(2026, 9, 1, 5, 0, 0, 0, time.UTC)
	clk := now
	storetest.RunWith(t, storetest.Options{Now: func() time.Time { return clk }}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		u := newNotifyUser(t, db, "an")
		cutoff := now.AddDate(0, 0, -180)
		// Each row is written at its age, then given its state by a worker's lease.
		at := map[string]time.Time{}
		states := map[string]string{}
		add := func(key string, created time.Time, state string) {
			t.Helper()
			clk = created
			n := &models.Notification{UserID: u.ID, Channel: models.ChannelInApp, Kind: models.NotifyUrgentTip, EventKey: key}
			if err := db.EnqueueNotifications(ctx, []*models.Notification{n}); err != nil {
				t.Fatal(err)
			}
			at[key], states[key] = created, state
			if state == models.NotificationQueued {
				return
			}
			rows, err := db.ClaimNotifications(ctx, "w", created, time.Minute, 1)
			if err != nil || len(rows) != 1 {
				t.Fatalf("claim %s: %v %v", key, rows, err)
			}
			r := rows[0]
			r.State = state
			if state == models.NotificationSent || state == models.NotificationRead {
				r.SentAt = &created
			}
			if ok, err := db.FinishNotification(ctx, r); err != nil || !ok {
				t.Fatalf("finish %s: %v %v", key, ok, err)
			}
			if state == models.NotificationRead {
				if _, err := db.MarkNotificationRead(ctx, u.ID, r.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		old := cutoff.Add(-time.Hour)
		for _, s := range []string{models.NotificationSent, models.NotificationRead, models.NotificationFailed, models.NotificationSkipped} {
			add("old-"+s, old, s)
			add("old2-"+s, old.AddDate(0, -3, 0), s)
			add("recent-"+s, cutoff.Add(time.Hour), s)
		}
		add("old-queued", old.AddDate(-1, 0, 0), models.NotificationQueued)
		add("recent-queued", now, models.NotificationQueued)
		clk = now
		// Three rows a statement: the eight old final rows take three statements.
		n, err := db.PurgeNotifications(ctx, cutoff, 3)
		if err != nil || n != 8 {
			t.Fatalf("purged %d, want the 8 old rows in a final state: %v", n, err)
		}
		rows, err := db.FindNotifications(ctx, models.NotificationFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		kept := map[string]bool{}
		for _, r := range rows {
			kept[r.EventKey] = true
			if r.State != states[r.EventKey] {
				t.Errorf("%s is %s, want %s", r.EventKey, r.State, states[r.EventKey])
			}
		}
		for key, created := range at {
			want := created.After(cutoff) || states[key] == models.NotificationQueued
			if kept[key] != want {
				t.Errorf("%s (created %v, %s): kept %v, want %v", key, created, states[key], kept[key], want)
			}
		}
		if n, err := db.PurgeNotifications(ctx, cutoff, 0); err != nil || n != 0 {
			t.Fatalf("a second purge deleted %d: %v", n, err)
		}
	})
}
