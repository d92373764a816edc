package scheduler

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

var hcm = mustLocation("Asia/Ho_Chi_Minh")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func TestTheLatestSlotIsFoundAtOrBeforeNow(t *testing.T) {
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	for _, c := range []struct {
		name string
		spec string
		now  time.Time
		want time.Time // zero: none within the look-back
	}{
		{"a nightly slot earlier today", "30 1 * * *", at(2026, 12, 2, 10, 0), at(2026, 12, 2, 1, 30)},
		{"a nightly slot yesterday, before today's", "30 1 * * *", at(2026, 12, 2, 1, 29), at(2026, 12, 1, 1, 30)},
		{"a slot at now itself", "30 1 * * *", at(2026, 12, 2, 1, 30), at(2026, 12, 2, 1, 30)},
		{"an hourly slot of the hour before", "15 * * * *", at(2026, 12, 2, 10, 14), at(2026, 12, 2, 9, 15)},
		{"every minute", "* * * * *", at(2026, 12, 2, 10, 0).Add(30 * time.Second), at(2026, 12, 2, 10, 0)},
		{"a yearly slot the day before", "0 6 1 12 *", at(2026, 12, 2, 9, 0), at(2026, 12, 1, 6, 0)},
		{"a yearly slot looked back across a year", "0 6 1 12 *", at(2026, 12, 1, 5, 59), at(2025, 12, 1, 6, 0)},
		{"a yearly slot across a leap year", "0 6 1 12 *", at(2028, 11, 30, 23, 0), at(2027, 12, 1, 6, 0)},
		{"a slot every minute of one day, a year back", "* * 1 1 *", at(2026, 12, 2, 9, 0), at(2026, 1, 1, 23, 59)},
		{"29 February is further back than the look-back", "0 0 29 2 *", at(2026, 12, 2, 9, 0), time.Time{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			sched, err := cron.ParseStandard(c.spec)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := latestSlot(sched, c.now, catchUpLookBack)
			if ok != !c.want.IsZero() || !got.Equal(c.want) {
				t.Fatalf("latest slot of %q at %v: %v %v, want %v", c.spec, c.now, got, ok, c.want)
			}
		})
	}
}

// The slots are in the users' time zone: 06:00 on 1 December in Can Tho is 23:00 UTC the day before.
func TestTheLatestSlotIsInTheRunnersTimeZone(t *testing.T) {
	sched, _ := cron.ParseStandard("0 6 1 12 *")
	now := time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC) // 06:30 on 1 December in Can Tho
	got, ok := latestSlot(sched, now.In(hcm), catchUpLookBack)
	if want := time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC); !ok || !got.Equal(want) {
		t.Fatalf("latest slot: %v %v, want %v", got, ok, want)
	}
}

func TestJobsSayWhetherAMissedSlotIsStale(t *testing.T) {
	ict := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, hcm) }
	morning := &MorningJob{Location: hcm}
	yearly := &YearlyJob{Service: &Service{loc: hcm}}
	for _, c := range []struct {
		name      string
		rule      CatchUpRule
		slot, now time.Time
		want      bool
	}{
		{"this morning's routes, released late", morning, ict(2026, 12, 2, 6), ict(2026, 12, 2, 9), true},
		{"yesterday's routes, the day over", morning, ict(2026, 12, 1, 6), ict(2026, 12, 2, 5), false},
		{"the day is the users' day, not UTC's", morning, ict(2026, 12, 2, 6).In(time.UTC), ict(2026, 12, 2, 9).In(time.UTC), true},
		{"next year's plans, a day late", yearly, ict(2026, 12, 1, 6), ict(2026, 12, 2, 9), true},
		{"next year's plans, in the new year", yearly, ict(2026, 12, 1, 6), ict(2027, 1, 1, 1), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.rule.CatchUp(c.slot, c.now); got != c.want {
				t.Fatalf("CatchUp(%v, %v) = %v", c.slot, c.now, got)
			}
		})
	}
}

// scheduled is a job with its cron spec.
type scheduled struct {
	spec string
	job  Job
}

// scheduledRunner returns a runner in loc running the jobs on their specs, and its log.
func scheduledRunner(t *testing.T, db *store.DB, clk *runClock, loc *time.Location, jobs ...scheduled) (*Runner, *bytes.Buffer) {
	t.Helper()
	buf := &bytes.Buffer{}
	r := NewRunner(db, slog.New(slog.NewTextHandler(&lockedWriter{w: buf}, &slog.HandlerOptions{Level: slog.LevelDebug})), clk.Now, loc)
	for _, j := range jobs {
		if err := r.Add(j.spec, j.job); err != nil {
			t.Fatal(err)
		}
	}
	return r, buf
}

// lockedWriter lets the goroutines of Start log into one buffer.
type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// ranAt records a finished run of job under slot at t, as a replica running then would.
func ranAt(t *testing.T, db *store.DB, clk *runClock, at time.Time, job, slot, kind string) {
	t.Helper()
	clk.Set(at)
	run, ok, err := db.ClaimJobRun(context.Background(), job, slot, kind)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	run.Status = models.JobOK
	if err := db.FinishJobRun(context.Background(), run); err != nil {
		t.Fatal(err)
	}
}

// The service ran in November, was down from 30 November to 2 December 09:00: the yearly
// drafting of 1 December and the latest of the nights run once each, the slots that did run
// (or whose work a later run did) do not.
func TestAMissedSlotRunsOnceAtStart(t *testing.T) {
	clk := &runClock{}
	storetest.RunWith(t, storetest.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ranAt(t, db, clk, time.Date(2026, 11, 20, 8, 15, 0, 0, time.UTC), "tips", "2026-11-20T08:15", models.JobScheduled)
		ranAt(t, db, clk, time.Date(2026, 11, 29, 1, 30, 0, 0, time.UTC), "nightly", "2026-11-29T01:30", models.JobScheduled)
		// Up for a moment in the night: the reports ran at their slot, the tips by hand after theirs.
		ranAt(t, db, clk, time.Date(2026, 12, 2, 2, 0, 0, 0, time.UTC), "reports", "2026-12-02T02:00", models.JobScheduled)
		ranAt(t, db, clk, time.Date(2026, 12, 2, 8, 30, 0, 0, time.UTC), "tips", "manual-1", models.JobManual)
		start := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
		clk.Set(start)
		nightly, yearly, reports, tips := &countedJob{name: "nightly"}, &countedJob{name: "yearly_plan"}, &countedJob{name: "reports"}, &countedJob{name: "tips"}
		r, log := scheduledRunner(t, db, clk, time.UTC, scheduled{"30 1 * * *", nightly}, scheduled{"0 6 1 12 *", yearly},
			scheduled{"0 2 * * *", reports}, scheduled{"15 * * * *", tips}, scheduled{"", &countedJob{name: "manual_only"}})
		runs, err := r.CatchUp(ctx)
		if err != nil || len(runs) != 2 || runs[0].Job != "yearly_plan" || runs[1].Job != "nightly" {
			t.Fatalf("caught up: %+v %v", runs, err)
		}
		if nightly.runs.Load() != 1 || yearly.runs.Load() != 1 || reports.runs.Load() != 0 || tips.runs.Load() != 0 {
			t.Fatalf("ran: nightly %d, yearly %d, reports %d, tips %d", nightly.runs.Load(), yearly.runs.Load(), reports.runs.Load(), tips.runs.Load())
		}
		for job, slot := range map[string]string{"yearly_plan": "2026-12-01T06:00", "nightly": "2026-12-02T01:30"} {
			got := runsOf(t, db, job)[slot]
			if got == nil || got.Kind != models.JobCatchUp || got.Status != models.JobOK || !got.StartedAt.Equal(start) {
				t.Errorf("%s: the run of slot %s: %+v", job, slot, got)
			}
		}
		if n := len(runsOf(t, db, "nightly")); n != 2 {
			t.Errorf("three nights missed make one run, not %d", n-1)
		}
		if !strings.Contains(log.String(), `msg="job catch-up: slots caught up" slots="yearly_plan 2026-12-01T06:00, nightly 2026-12-02T01:30"`) {
			t.Errorf("the log:\n%s", log)
		}
		// The runner shows each job's latest run, the catch-up among them.
		sts, err := r.JobStatuses(ctx)
		if err != nil || len(sts) != 5 {
			t.Fatalf("statuses: %+v %v", sts, err)
		}
		byJob := map[string]*models.JobStatus{}
		for _, st := range sts {
			byJob[st.Job] = st
		}
		if st := byJob["yearly_plan"]; st.Schedule != "0 6 1 12 *" || st.LastRun == nil || st.LastRun.Kind != models.JobCatchUp || st.LastRun.Slot != "2026-12-01T06:00" {
			t.Errorf("yearly_plan: %+v %+v", st, st.LastRun)
		}
		if st := byJob["manual_only"]; st.Schedule != "" || st.LastRun != nil {
			t.Errorf("manual_only: %+v", st)
		}
		// Started again a minute later, the runner finds nothing missed.
		clk.Advance(time.Minute)
		if again, err := r.CatchUp(ctx); err != nil || len(again) != 0 || nightly.runs.Load() != 1 || yearly.runs.Load() != 1 {
			t.Fatalf("a second start: %+v %v", again, err)
		}
	})
}

// A new database has no history to make up for, and a slot from before the service first ran
// on the database is none of its business.
func TestNothingIsCaughtUpFromBeforeTheServiceRan(t *testing.T) {
	clk := &runClock{}
	storetest.RunWith(t, storetest.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
		nightly, yearly := &countedJob{name: "nightly"}, &countedJob{name: "yearly_plan"}
		r, log := scheduledRunner(t, db, clk, time.UTC, scheduled{"30 1 * * *", nightly}, scheduled{"0 6 1 12 *", yearly})
		if runs, err := r.CatchUp(ctx); err != nil || len(runs) != 0 || nightly.runs.Load()+yearly.runs.Load() != 0 {
			t.Fatalf("a new database: %+v %v", runs, err)
		}
		if !strings.Contains(log.String(), "no job ever ran on this database") {
			t.Errorf("the log:\n%s", log)
		}
		// First run at 07:00 on 1 December: the drafting at 06:00 was before it, the night after it.
		ranAt(t, db, clk, time.Date(2026, 12, 1, 7, 0, 0, 0, time.UTC), "tips", "2026-12-01T07:00", models.JobScheduled)
		clk.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
		runs, err := r.CatchUp(ctx)
		if err != nil || len(runs) != 1 || runs[0].Job != "nightly" || runs[0].Slot != "2026-12-02T01:30" || yearly.runs.Load() != 0 {
			t.Fatalf("caught up: %+v %v, yearly ran %d", runs, err, yearly.runs.Load())
		}
	})
}

// A yearly slot is found a year back: the service down on every 1 December since it last ran.
func TestAYearlySlotIsCaughtUpFromAYearBack(t *testing.T) {
	clk := &runClock{}
	storetest.RunWith(t, storetest.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		ranAt(t, db, clk, time.Date(2025, 11, 1, 8, 15, 0, 0, time.UTC), "tips", "2025-11-01T08:15", models.JobScheduled)
		clk.Set(time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC))
		job := &countedJob{name: "archive_year"}
		r, _ := scheduledRunner(t, db, clk, time.UTC, scheduled{"0 6 1 12 *", job})
		runs, err := r.CatchUp(context.Background())
		if err != nil || len(runs) != 1 || runs[0].Slot != "2025-12-01T06:00" || runs[0].Kind != models.JobCatchUp || job.runs.Load() != 1 {
			t.Fatalf("caught up: %+v %v", runs, err)
		}
	})
}

// Started at 05:00, before the day's release, the runner leaves yesterday's morning alone:
// releasing it now would release today's routes an hour early.
func TestAStaleMorningIsNotCaughtUp(t *testing.T) {
	clk := &runClock{}
	storetest.RunWith(t, storetest.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		ranAt(t, db, clk, time.Date(2026, 11, 20, 8, 15, 0, 0, hcm), "tips", "2026-11-20T08:15", models.JobScheduled)
		clk.Set(time.Date(2026, 12, 2, 5, 0, 0, 0, hcm))
		// Its store is nil: a run would fail the test with a panic recorded as the run's error.
		r, log := scheduledRunner(t, db, clk, hcm, scheduled{"0 6 * * *", &MorningJob{Location: hcm}})
		runs, err := r.CatchUp(context.Background())
		if err != nil || len(runs) != 0 || len(runsOf(t, db, "morning_assignment")) != 0 {
			t.Fatalf("caught up: %+v %v", runs, err)
		}
		if !strings.Contains(log.String(), `msg="job slot missed while no replica ran: not caught up, it is stale" job=morning_assignment slot=2026-12-01T06:00`) {
			t.Errorf("the log:\n%s", log)
		}
	})
}

// Two replicas start at once after the drafting day: the plans are drafted once.
func TestTwoReplicasStartingTogetherCatchUpOnce(t *testing.T) {
	clk := &runClock{}
	storetest.RunReplicas(t, storetest.Options{Now: clk.Now}, func(t *testing.T, a, b *store.DB) {
		ranAt(t, a, clk, time.Date(2026, 11, 20, 8, 15, 0, 0, time.UTC), "tips", "2026-11-20T08:15", models.JobScheduled)
		clk.Set(time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC))
		ran := make(chan struct{}, 2)
		job := &countedJob{name: "yearly_plan", during: func(context.Context) { ran <- struct{}{} }}
		var rs []*Runner
		for _, db := range []*store.DB{a, b} {
			r, _ := scheduledRunner(t, db, clk, time.UTC, scheduled{"0 6 1 12 *", job})
			rs = append(rs, r)
		}
		for _, r := range rs {
			r.Start()
		}
		select {
		case <-ran:
		case <-time.After(10 * time.Second):
			t.Fatal("no replica caught the slot up")
		}
		for _, r := range rs {
			r.Stop() // waits for its catch-up to end
		}
		runs := runsOf(t, b, "yearly_plan")
		if job.runs.Load() != 1 || len(runs) != 1 || runs["2026-12-01T06:00"] == nil || runs["2026-12-01T06:00"].Kind != models.JobCatchUp {
			t.Fatalf("the slot ran %d times; runs %+v", job.runs.Load(), runs)
		}
	})
}
