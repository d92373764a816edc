package scheduler_test

import (
	"context"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/scheduler"
	"kiemtra/scheduler/plantest"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// A plan that stops fitting the teams' capacity is notified to the planners once, in the app
// and by e-mail, when it goes from fitting to not fitting.
func TestAPlanGoneInfeasibleIsNotifiedToThePlannersOnce(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Channels: []string{models.ChannelInApp, models.ChannelEmail}}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		world(t, db, 100)
		svc := newService(t, db, models.NewDate(2030, 1, 2))
		p := programme(t, svc)
		plan, _ := plantest.Drawn(t, serviceConfig(t, db, models.NewDate(2030, 1, 2)), p.ID, 2030, models.DraftOptions{})
		if _, err := svc.Approve(ctx, "planner", plan.ID); err != nil {
			t.Fatal(err)
		}
		planner := &models.User{Username: "city.planner", DisplayName: "Trương Văn Hải", Role: models.RolePlanner, Agency: models.AgencyPolice, AreaCode: "92"}
		gone := &models.User{Username: "old.planner", DisplayName: "Lê Văn Cũ", Role: models.RolePlanner, Agency: models.AgencyPolice, AreaCode: "92", Disabled: true}
		for _, u := range []*models.User{planner, gone} {
			if err := db.CreateUser(ctx, "t", u); err != nil {
				t.Fatal(err)
			}
		}
		job := &scheduler.NightlyJob{Service: svc, Store: db}
		if _, err := job.Run(ctx, time.Date(2030, 3, 5, 1, 30, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if rows, _ := db.FindNotifications(ctx, models.NotificationFilter{}); len(rows) != 0 {
			t.Fatalf("a plan that fits notified %d", len(rows))
		}
		// The teams lose almost all their capacity.
		if err := db.Gorm().Model(&models.Team{}).Where("1 = 1").Update("weekly_capacity", 1).Error; err != nil {
			t.Fatal(err)
		}
		for _, night := range []time.Time{time.Date(2030, 3, 6, 1, 30, 0, 0, time.UTC), time.Date(2030, 3, 7, 1, 30, 0, 0, time.UTC)} {
			if _, err := job.Run(ctx, night); err != nil {
				t.Fatal(err)
			}
		}
		stored, _ := db.FindPlanByID(ctx, plan.ID)
		if stored.Feasible {
			t.Fatal("the plan still reads feasible")
		}
		rows, _ := db.FindNotifications(ctx, models.NotificationFilter{})
		if len(rows) != 2 {
			t.Fatalf("%d notifications, want 2 (the enabled planner, in the app and by e-mail, once)", len(rows))
		}
		for _, n := range rows {
			if n.UserID != planner.ID || n.Kind != models.NotifyPlanInfeasible || n.Params["year"] != "2030" || n.Params["programme_code"] != "P1" ||
				n.Params["shortfall"] == "0" || n.Link != "/office/#/plans?programme=P1" {
				t.Fatalf("notification %+v", n)
			}
		}
	})
}
