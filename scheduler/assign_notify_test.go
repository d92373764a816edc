package scheduler_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/scheduler"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// The morning release tells each team's members that their day is out, then that it changed,
// with counts only: no business of the day is named before the team opens it.
func TestTheMorningReleaseNotifiesEachTeamOfItsDayWithoutNamingTheTargets(t *testing.T) {
	// The push rows are the in-app ones' twins; the push channel's tests cover them.
	storetest.RunWith(t, storetest.Options{Channels: []string{models.ChannelInApp}}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newAssignWorld(t, db)
		if err := db.Gorm().Model(&models.Team{}).Where("id = ?", w.teams["D1"].ID).Update("weekly_capacity", 20).Error; err != nil {
			t.Fatal(err)
		}
		w.addTask(t, "a", "D11", models.ReasonCoverage, jobMonday, false)
		w.addTask(t, "b", "D12", models.ReasonCoverage, jobMonday, false)
		job := &scheduler.MorningJob{Store: db, Location: time.UTC}
		if _, err := job.AssignDay(ctx, "test", jobMonday); err != nil {
			t.Fatal(err)
		}
		member := w.members["D1"]
		rows, err := db.FindNotifications(ctx, models.NotificationFilter{UserID: member.ID})
		if err != nil || len(rows) != 1 {
			t.Fatalf("D1's member has %d notifications: %v", len(rows), err)
		}
		n := rows[0]
		if n.Kind != models.NotifyTeamDay || n.Channel != models.ChannelInApp || n.Params["change"] != "released" || n.Params["visits"] != "2" || n.Params["day"] != "2026-03-02" {
			t.Fatalf("the first release: %+v", n)
		}
		for _, b := range w.biz {
			for _, v := range n.Params {
				if strings.Contains(v, b.Name) || strings.Contains(v, b.ID) {
					t.Fatalf("the notification names a target: %v", n.Params)
				}
			}
		}
		if again, _ := job.AssignDay(ctx, "test", jobMonday); len(again.Assignments) != 0 {
			t.Fatalf("a second run with nothing new released %d", len(again.Assignments))
		}
		w.addTask(t, "c", "D11", models.ReasonTip, jobMonday, false)
		if _, err := job.AssignDay(ctx, "test", jobMonday); err != nil {
			t.Fatal(err)
		}
		rows, _ = db.FindNotifications(ctx, models.NotificationFilter{UserID: member.ID})
		if len(rows) != 2 {
			t.Fatalf("after the change D1's member has %d notifications, want 2", len(rows))
		}
		changed := rows[0]
		if rows[1].Params["change"] == "changed" {
			changed = rows[1]
		}
		if changed.Params["change"] != "changed" || changed.Params["visits"] != "1" {
			t.Fatalf("the change: %+v", changed.Params)
		}
		// A team that got nothing is told nothing.
		if other, _ := db.FindNotifications(ctx, models.NotificationFilter{UserID: w.members["D2"].ID}); len(other) != 0 {
			t.Fatalf("D2's member, with no visit, got %d notifications", len(other))
		}
	})
}
