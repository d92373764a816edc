package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/registry"
	"kiemtra/scheduler"
	"kiemtra/store"
	"kiemtra/store/storetest"
	"kiemtra/tips"
)

// history is what a replay made, as text to compare: every inspection and every tip, with
// what the tests care about, in a stable order.
type history struct {
	inspections []string // business, outcome, finished at
	tips        []string // id, received at, text, status, escalated
	plans       []string // year, status, seed hash
}

// before keeps the inspections finished and the tips received before end.
func (h history) before(end time.Time) history {
	var out history
	for _, s := range h.inspections {
		if s[strings.LastIndex(s, " ")+1:] < end.UTC().Format(time.RFC3339) {
			out.inspections = append(out.inspections, s)
		}
	}
	for _, s := range h.tips {
		if strings.SplitN(s, " ", 3)[1] < end.UTC().Format(time.RFC3339) {
			out.tips = append(out.tips, strings.Join(strings.SplitN(s, " ", 4)[:3], " "))
		}
	}
	return out
}

// replaySmall replays a small city (300 businesses, no provinces, no reorganisation) as of
// today on SQLite, with the current programme's rhythm and tips from 2026, and reads back what
// it made.
func replaySmall(t *testing.T, today models.Date) history {
	t.Helper()
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db := storetest.NewSQLite(t, storetest.Options{})
	ds, err := Generate(Options{Seed: 7, Businesses: 300, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	cats, err := refdata.CategorySet()
	if err != nil {
		t.Fatal(err)
	}
	categories, err := refdata.Categories()
	if err != nil {
		t.Fatal(err)
	}
	days, err := refdata.HolidayDates()
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Fatal(err)
	}
	err = db.Transaction(ctx, func(tx *store.DB) error {
		reg := registry.New(registry.Config{Store: tx, Categories: cats, Logger: log, Now: func() time.Time { return ds.Today.Time(time.UTC) }, NewID: BusinessID})
		if err := Load(ctx, tx, reg, ds); err != nil {
			return err
		}
		return Replay(ctx, tx, scheduler.Config{Store: tx, Categories: categories, Holidays: days, Logger: log, Location: loc},
			ReplayOptions{Seed: 7, Today: today, MissRate: 0.08, SteadyFrom: 2026,
				Tips: &TipOptions{Key: tips.DeriveKey("demo test"), Locate: reg, Deadlines: models.DefaultTipDeadlines(), PerWeek: 3}})
	})
	if err != nil {
		t.Fatalf("replay as of %s: %v", today, err)
	}
	var h history
	var ins []*models.Inspection
	if err := db.Gorm().Find(&ins).Error; err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		h.inspections = append(h.inspections, fmt.Sprintf("%s %s %s", in.BusinessID, in.Outcome, in.FinishedAt.UTC().Format(time.RFC3339)))
	}
	ts, _, err := db.FindTips(ctx, models.TipFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range ts {
		h.tips = append(h.tips, fmt.Sprintf("%s %s %s %s %v", tp.ID, tp.ReceivedAt.UTC().Format(time.RFC3339), tp.Description, tp.Status, tp.EscalatedAt != nil))
	}
	progs, err := db.FindProgrammes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range progs {
		plans, err := db.FindPlans(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, pl := range plans {
			h.plans = append(h.plans, fmt.Sprintf("%d %s %s", pl.Year, pl.Status, pl.SeedSHA256))
		}
	}
	slices.Sort(h.inspections)
	slices.Sort(h.tips)
	slices.Sort(h.plans)
	return h
}

// The demo is made as of the day it runs: the same day gives the same history, ids of tips
// included; a month later gives the same history up to the earlier day, and a month more.
func TestReplayIsTheSameOnTheSameDayAndGrowsWithTheDays(t *testing.T) {
	day := models.NewDate(2026, 12, 2)
	a, b := replaySmall(t, day), replaySmall(t, day)
	if !slices.Equal(a.inspections, b.inspections) || !slices.Equal(a.tips, b.tips) || !slices.Equal(a.plans, b.plans) {
		t.Fatalf("two replays as of %s differ: %d/%d inspections, %d/%d tips, plans %v / %v", day, len(a.inspections), len(b.inspections), len(a.tips), len(b.tips), a.plans, b.plans)
	}
	if len(a.tips) == 0 {
		t.Fatal("no tips in 2026")
	}
	// The yearly job of 1 December committed 2027; its draw is this evening.
	if !slices.ContainsFunc(a.plans, func(s string) bool { return strings.HasPrefix(s, "2027 committed ") }) {
		t.Errorf("no draft for 2027 on %s: %v", day, a.plans)
	}
	later := replaySmall(t, day.AddDays(30))
	if len(later.inspections) <= len(a.inspections) || len(later.tips) <= len(a.tips) {
		t.Errorf("30 days later: %d inspections and %d tips, as of %s %d and %d: want more", len(later.inspections), len(later.tips), day, len(a.inspections), len(a.tips))
	}
	end := day.Time(time.UTC).Add(-7 * time.Hour) // the start of the day in Vietnam
	pa, pl := a.before(end), later.before(end)
	if !slices.Equal(pa.inspections, pl.inspections) || !slices.Equal(pa.tips, pl.tips) {
		t.Errorf("the history up to %s differs a month later: %d/%d inspections, %d/%d tips", day, len(pa.inspections), len(pl.inspections), len(pa.tips), len(pl.tips))
	}
	// On 2027-01-01 the draft was approved.
	if !slices.ContainsFunc(later.plans, func(s string) bool { return strings.HasPrefix(s, "2027 approved ") }) {
		t.Errorf("2027's plan not approved on %s: %v", day.AddDays(30), later.plans)
	}
}
