// Package plantest makes yearly plans in tests the way planners do: commit the plan, then enter
// its public draw's result once the draw is held (a service whose clock is the draw's evening).
package plantest

import (
	"context"
	"sync"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/scheduler"
)

// Result is the draw result the tests enter.
const Result = "123456"

// Drawn commits a plan for the programme's year with a service built from cfg, enters the draw
// result on the draw's evening and returns the drawn plan and its selection.
func Drawn(tb testing.TB, cfg scheduler.Config, programmeID string, year int, opts models.DraftOptions) (*models.Plan, []*models.PlanItem) {
	tb.Helper()
	ctx := context.Background()
	committed, err := scheduler.NewService(cfg).DraftPlan(ctx, "planner", programmeID, year, opts)
	if err != nil {
		tb.Fatalf("commit the %d plan: %v", year, err)
	}
	plan := Draw(tb, cfg, committed)
	items, err := cfg.Store.FindPlanItems(ctx, plan.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return plan, items
}

// Draw enters Result for a committed plan with a service built from cfg whose clock is the
// evening of the plan's draw.
func Draw(tb testing.TB, cfg scheduler.Config, committed *models.Plan) *models.Plan {
	tb.Helper()
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	evening := committed.DrawDate.Time(loc).Add(18 * time.Hour)
	cfg.Now = func() time.Time { return evening }
	plan, err := scheduler.NewService(cfg).DrawPlan(context.Background(), "planner", committed.ID, Result)
	if err != nil {
		tb.Fatalf("draw the %d plan: %v", committed.Year, err)
	}
	return plan
}

// Clock is a settable clock that a test's store and services share, so that the audit log's
// times (the plan's commitment) and the service's "now" (the draw) agree.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// DrawOn enters Result for a committed plan with svc after moving clock, which svc and its
// store share, to the draw's evening (in loc); the clock stays there.
func DrawOn(tb testing.TB, svc *scheduler.Service, clock *Clock, loc *time.Location, committed *models.Plan) *models.Plan {
	tb.Helper()
	clock.Set(committed.DrawDate.Time(loc).Add(18 * time.Hour))
	plan, err := svc.DrawPlan(context.Background(), "planner", committed.ID, Result)
	if err != nil {
		tb.Fatalf("draw the %d plan: %v", committed.Year, err)
	}
	return plan
}
