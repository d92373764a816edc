package scheduler

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

type panicky struct{}

func (panicky) Name() string { return "panicky" }
func (panicky) Run(context.Context, time.Time) (string, error) {
	var m map[string]int
	m["x"]++ // a nil map: the kind of bug that must not stop the service
	return "", nil
}

func TestAPanickingJobFailsItsRun(t *testing.T) {
	res, err := runRecovered(context.Background(), panicky{}, time.Now())
	if err == nil || res != "" || !strings.Contains(err.Error(), "job panicky panicked: assignment to entry in nil map") {
		t.Fatalf("%q %v", res, err)
	}
}

// runClock is a clock the test moves by hand, shared by the store and the runners.
type runClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *runClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *runClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (c *runClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// countedJob counts its runs across the runners that share it; during, when set, runs inside.
type countedJob struct {
	name   string
	runs   atomic.Int32
	during func(ctx context.Context)
}

func (j *countedJob) Name() string { return j.name }
func (j *countedJob) Run(ctx context.Context, _ time.Time) (string, error) {
	j.runs.Add(1)
	if j.during != nil {
		j.during(ctx)
	}
	return "done", nil
}

// slotStart is the nightly slot the tests lose and recover: 01:30 on 3 March 2026.
var slotStart = time.Date(2026, 3, 3, 1, 30, 0, 0, time.UTC)

// replicas returns n runners on one database, as n replicas of the service, each with its
// log, all running the jobs.
func replicas(t *testing.T, db *store.DB, clk *runClock, n int, jobs ...Job) ([]*Runner, []*bytes.Buffer) {
	t.Helper()
	var rs []*Runner
	var logs []*bytes.Buffer
	for i := 0; i < n; i++ {
		buf := &bytes.Buffer{}
		r := NewRunner(db, slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), clk.Now, time.UTC)
		r.SetLiveness(Liveness{Heartbeat: 30 * time.Second, StaleAfter: 2 * time.Minute})
		for _, job := range jobs {
			if err := r.Add("", job); err != nil {
				t.Fatal(err)
			}
		}
		rs, logs = append(rs, r), append(logs, buf)
	}
	return rs, logs
}

func runsOf(t *testing.T, db *store.DB, job string) map[string]*models.JobRun {
	t.Helper()
	runs, err := db.FindJobRuns(context.Background(), job, 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*models.JobRun{}
	for _, r := range runs {
		out[r.Slot] = r
	}
	return out
}

func TestALostSlotIsNotAnError(t *testing.T) {
	clk := &runClock{}
	storetest.RunWith(t, storetest.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		clk.Set(slotStart)
		job := &countedJob{name: "nightly"}
		rs, logs := replicas(t, db, clk, 2, job)
		rs[0].fire("nightly")
		rs[1].fire("nightly")
		if job.runs.Load() != 1 {
			t.Fatalf("the slot ran %d times", job.runs.Load())
		}
		if strings.Contains(logs[1].String(), "level=ERROR") || !strings.Contains(logs[1].String(), "level=DEBUG msg=\"job slot taken by another replica\"") {
			t.Fatalf("the replica that lost the slot logged:\n%s", logs[1])
		}
		if run := runsOf(t, db, "nightly")["2026-03-03T01:30"]; run == nil || run.Kind != models.JobScheduled {
			t.Fatalf("the scheduled run: %+v", run)
		}
		if run, err := rs[1].RunNow(context.Background(), "nightly"); err != nil || run.Kind != models.JobManual || !strings.HasPrefix(run.Slot, "manual-") {
			t.Fatalf("a run on request: %+v %v", run, err)
		}
	})
}

func TestARunWhoseReplicaStoppedIsRunAgainOnce(t *testing.T) {
	clk := &runClock{}
	storetest.RunWith(t, storetest.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		clk.Set(slotStart)
		ctx := context.Background()
		nightly, reports := &countedJob{name: "nightly"}, &countedJob{name: "reports"}
		rs, _ := replicas(t, db, clk, 2, nightly, reports)
		// A replica claims the nightly slot and is killed: its run stays running, its heartbeat
		// stops at 01:30.
		if _, claimed, err := db.ClaimJobRun(ctx, "nightly", "2026-03-03T01:30", models.JobScheduled); err != nil || !claimed {
			t.Fatal(claimed, err)
		}
		// Another run is alive: its heartbeat is a minute old when the others look.
		clk.Advance(2 * time.Minute)
		if _, claimed, err := db.ClaimJobRun(ctx, "reports", "2026-03-03T01:32", models.JobScheduled); err != nil || !claimed {
			t.Fatal(claimed, err)
		}
		clk.Advance(time.Minute)
		// Both replicas look at once: one takes the run over.
		var wg sync.WaitGroup
		retried := make([][]*models.JobRun, len(rs))
		for i, r := range rs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				if retried[i], err = r.RecoverStale(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if n := nightly.runs.Load(); n != 1 || len(retried[0])+len(retried[1]) != 1 {
			t.Fatalf("the lost slot ran %d times, retries returned %d+%d", n, len(retried[0]), len(retried[1]))
		}
		runs := runsOf(t, db, "nightly")
		lost, again := runs["2026-03-03T01:30"], runs["2026-03-03T01:30#retry1"]
		if lost == nil || lost.Status != models.JobFailed || lost.FinishedAt == nil ||
			lost.Error != "the replica running it stopped; no heartbeat since 2026-03-03T01:30:00Z; run again as slot 2026-03-03T01:30#retry1" {
			t.Fatalf("the lost run: %+v", lost)
		}
		if again == nil || again.Status != models.JobOK || again.Result != "done" || again.Kind != models.JobRetry || len(runs) != 2 {
			t.Fatalf("the run again: %+v (runs %v)", again, runs)
		}
		if live := runsOf(t, db, "reports")["2026-03-03T01:32"]; live == nil || live.Status != models.JobRunning || reports.runs.Load() != 0 {
			t.Fatalf("the live run was taken over: %+v, ran %d", live, reports.runs.Load())
		}
		// Later looks find nothing more to do with it.
		clk.Advance(10 * time.Second)
		if again, err := rs[1].RecoverStale(ctx); err != nil || len(again) != 0 || nightly.runs.Load() != 1 {
			t.Fatalf("a second look: %v %v, %d runs", again, err, nightly.runs.Load())
		}
	})
}

func TestAStaleRunIsNotRunAgainWhenALaterRunStartedOrItsRetriesAreSpent(t *testing.T) {
	clk := &runClock{}
	storetest.RunWith(t, storetest.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		clk.Set(slotStart)
		ctx := context.Background()
		nightly, yearly := &countedJob{name: "nightly"}, &countedJob{name: "yearly_plan"}
		rs, _ := replicas(t, db, clk, 1, nightly, yearly)
		// Two nights lost in a row: only the later is run again. A yearly plan lost at its
		// second retry is not run again.
		for _, claim := range [][2]string{{"nightly", "2026-03-02T01:30"}, {"nightly", "2026-03-03T01:30"}, {"yearly_plan", "2026-03-03T01:30#retry2"}} {
			if _, ok, err := db.ClaimJobRun(ctx, claim[0], claim[1], models.JobScheduled); err != nil || !ok {
				t.Fatal(ok, err)
			}
		}
		clk.Advance(5 * time.Minute)
		again, err := rs[0].RecoverStale(ctx)
		if err != nil || len(again) != 1 || again[0].Slot != "2026-03-03T01:30#retry1" || nightly.runs.Load() != 1 || yearly.runs.Load() != 0 {
			t.Fatalf("run again: %+v %v; nightly ran %d, yearly %d", again, err, nightly.runs.Load(), yearly.runs.Load())
		}
		for job, want := range map[[2]string]string{
			{"nightly", "2026-03-02T01:30"}:            "; not run again: a later run of the job (slot 2026-03-03T01:30) started since",
			{"nightly", "2026-03-03T01:30"}:            "; run again as slot 2026-03-03T01:30#retry1",
			{"yearly_plan", "2026-03-03T01:30#retry2"}: "; not run again after 2 retries",
		} {
			run := runsOf(t, db, job[0])[job[1]]
			if run.Status != models.JobFailed || !strings.HasPrefix(run.Error, "the replica running it stopped; no heartbeat since 2026-03-03T01:30:00Z") || !strings.HasSuffix(run.Error, want) {
				t.Errorf("%s %s: %s %q", job[0], job[1], run.Status, run.Error)
			}
		}
	})
}

func TestARunningJobKeepsItsRunAlive(t *testing.T) {
	clk := &runClock{}
	storetest.RunWith(t, storetest.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		clk.Set(slotStart)
		ctx := context.Background()
		ticks := make(chan time.Time)
		job := &countedJob{name: "nightly"}
		rs, _ := replicas(t, db, clk, 2, job)
		rs[0].SetLiveness(Liveness{Heartbeat: 30 * time.Second, StaleAfter: 2 * time.Minute,
			Ticker: func(time.Duration) (<-chan time.Time, func()) { return ticks, func() {} }})
		job.during = func(ctx context.Context) {
			// A long job: three minutes, a heartbeat a minute. The second tick of each pair is
			// taken only once the first one's heartbeat is written.
			for i := 0; i < 3; i++ {
				clk.Advance(time.Minute)
				ticks <- clk.Now()
				ticks <- clk.Now()
			}
			run := runsOf(t, db, "nightly")["2026-03-03T01:30"]
			if run.HeartbeatAt == nil || !run.HeartbeatAt.Equal(slotStart.Add(3*time.Minute)) {
				t.Errorf("the heartbeat: %v, want %v", run.HeartbeatAt, slotStart.Add(3*time.Minute))
			}
			// Three minutes after its start, with a fresh heartbeat, the other replica leaves it.
			if again, err := rs[1].RecoverStale(ctx); err != nil || len(again) != 0 {
				t.Errorf("the other replica took over a live run: %v %v", again, err)
			}
		}
		run, err := rs[0].RunSlot(ctx, "nightly", "2026-03-03T01:30")
		if err != nil || run.Status != models.JobOK || job.runs.Load() != 1 {
			t.Fatalf("the run: %+v %v, ran %d", run, err, job.runs.Load())
		}
		if runs := runsOf(t, db, "nightly"); len(runs) != 1 {
			t.Fatalf("runs: %v", runs)
		}
	})
}

// A runner whose heartbeat could not be written (a busy database) does not take over its own
// run: it is alive, here.
func TestARunnerDoesNotTakeOverItsOwnRun(t *testing.T) {
	clk := &runClock{}
	storetest.RunWith(t, storetest.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		clk.Set(slotStart)
		job := &countedJob{name: "nightly"}
		rs, _ := replicas(t, db, clk, 1, job)
		rs[0].SetLiveness(Liveness{Heartbeat: 30 * time.Second, StaleAfter: 2 * time.Minute,
			Ticker: func(time.Duration) (<-chan time.Time, func()) { return nil, func() {} }}) // no heartbeat
		job.during = func(ctx context.Context) {
			clk.Advance(5 * time.Minute)
			if again, err := rs[0].RecoverStale(ctx); err != nil || len(again) != 0 {
				t.Errorf("the runner took over its own run: %v %v", again, err)
			}
		}
		if run, err := rs[0].RunSlot(context.Background(), "nightly", "manual-1"); err != nil || run.Status != models.JobOK || job.runs.Load() != 1 {
			t.Fatalf("the run: %+v %v, ran %d", run, err, job.runs.Load())
		}
	})
}
