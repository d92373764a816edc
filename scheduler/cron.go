package scheduler

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/robfig/cron/v3"

	"kiemtra/models"
)

// Job is a scheduled job: a small type with its dependencies and a Run that tests call directly.
type Job interface {
	Name() string
	Run(ctx context.Context, now time.Time) (result string, err error)
}

// RunStore records job runs and serialises them across replicas.
type RunStore interface {
	models.JobRunStore
	TryJobLock(ctx context.Context, key int64, fn func(ctx context.Context) error) (bool, error)
}

// Runner runs jobs on their cron schedules in the users' time zone. With several replicas every
// replica has a Runner; each slot (a job at a scheduled minute) runs on exactly one of them: the
// first to record the slot in job_runs runs it, and a PostgreSQL advisory lock keeps a manual run
// from overlapping a scheduled one. A running job refreshes its row's heartbeat; every runner
// looks, at start and then at each heartbeat interval, for runs whose heartbeat stopped (their
// replica was killed), marks them failed and runs the slot again. At start it also catches up
// the latest slot of each job that passed while no replica ran (CatchUp).
type Runner struct {
	store RunStore
	log   *slog.Logger
	now   func() time.Time
	loc   *time.Location
	cron  *cron.Cron
	live  Liveness

	mu     sync.Mutex
	jobs   map[string]Job
	specs  map[string]string        // job -> its cron spec, for the scheduled ones
	scheds map[string]cron.Schedule // job -> its parsed spec
	active map[int64]bool           // the runs this runner is running now
	ctx    context.Context
	stop   context.CancelFunc
	wg     sync.WaitGroup
}

// Liveness says how a Runner shows that its runs are alive and when it takes over the runs of
// a runner that is gone.
type Liveness struct {
	// Heartbeat is how often a running job refreshes its row, and how often the runner looks
	// for stale runs (default 30 s).
	Heartbeat time.Duration
	// StaleAfter is how old the heartbeat of a running run may be before another runner takes
	// it over (default four heartbeats, so that a busy database or a pause does not count).
	StaleAfter time.Duration
	// Retries is how many times a slot whose runner was lost is run again (default 2): a job
	// that kills its replica every time is not retried for ever.
	Retries int
	// Ticker gives the heartbeat's ticks; nil means a time.Ticker. Tests tick by hand.
	Ticker func(d time.Duration) (ticks <-chan time.Time, stop func())
}

// withDefaults fills the unset fields.
func (l Liveness) withDefaults() Liveness {
	if l.Heartbeat <= 0 {
		l.Heartbeat = 30 * time.Second
	}
	if l.StaleAfter <= 0 {
		l.StaleAfter = 4 * l.Heartbeat
	}
	if l.Retries <= 0 {
		l.Retries = 2
	}
	if l.Ticker == nil {
		l.Ticker = func(d time.Duration) (<-chan time.Time, func()) {
			t := time.NewTicker(d)
			return t.C, t.Stop
		}
	}
	return l
}

// NewRunner returns a runner; add jobs, then Start it.
func NewRunner(store RunStore, log *slog.Logger, now func() time.Time, loc *time.Location) *Runner {
	if now == nil {
		now = time.Now
	}
	ctx, stop := context.WithCancel(context.Background())
	return &Runner{store: store, log: log, now: now, loc: loc, jobs: map[string]Job{}, specs: map[string]string{}, scheds: map[string]cron.Schedule{},
		active: map[int64]bool{}, ctx: ctx, stop: stop, cron: cron.New(cron.WithLocation(loc)), live: Liveness{}.withDefaults()}
}

// SetLiveness replaces the heartbeat settings (zero fields take their defaults); call it
// before Start.
func (r *Runner) SetLiveness(l Liveness) { r.live = l.withDefaults() }

// Add schedules a job with a standard five-field cron spec ("30 1 * * *"); an empty spec
// registers the job for manual runs only.
func (r *Runner) Add(spec string, job Job) error {
	r.mu.Lock()
	r.jobs[job.Name()] = job
	r.mu.Unlock()
	if spec == "" {
		return nil
	}
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return fmt.Errorf("schedule of job %s: %q: %w", job.Name(), spec, err)
	}
	r.mu.Lock()
	r.specs[job.Name()], r.scheds[job.Name()] = spec, sched
	r.mu.Unlock()
	r.cron.Schedule(sched, cron.FuncJob(func() { r.fire(job.Name()) }))
	return nil
}

// slotID names the slot of a scheduled minute: the minute in the users' time zone.
func (r *Runner) slotID(t time.Time) string {
	return t.In(r.loc).Truncate(time.Minute).Format("2006-01-02T15:04")
}

// fire runs a job's slot of this minute, as cron calls it on every replica.
func (r *Runner) fire(name string) {
	// Every replica computes the same slot for the same firing, so only one claims it.
	slot := r.slotID(r.now())
	_, err := r.runSlot(r.ctx, name, slot, models.JobScheduled)
	if err != nil && !errors.Is(err, ErrSlotTaken) {
		// A lost slot is the normal lot of all replicas but one (RunSlot notes it at debug).
		r.log.Error("scheduled job failed", "job", name, "slot", slot, "err", err)
	}
}

// Jobs lists the registered job names.
func (r *Runner) Jobs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.jobs))
	for n := range r.jobs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// JobStatuses returns each registered job with its schedule and its latest run, by name.
func (r *Runner) JobStatuses(ctx context.Context) ([]*models.JobStatus, error) {
	out := []*models.JobStatus{}
	for _, name := range r.Jobs() {
		r.mu.Lock()
		st := &models.JobStatus{Job: name, Schedule: r.specs[name]}
		r.mu.Unlock()
		runs, err := r.store.FindJobRuns(ctx, name, 1)
		if err != nil {
			return nil, err
		}
		if len(runs) == 1 {
			st.LastRun = runs[0]
		}
		out = append(out, st)
	}
	return out, nil
}

// Start begins the schedules, the catch-up of the slots missed while no replica ran, and the
// watch for runs whose runner is gone.
func (r *Runner) Start() {
	r.cron.Start()
	r.wg.Add(2)
	go func() {
		defer r.wg.Done()
		// Beside the schedules, not before them: a long catch-up must not delay the service's
		// start, and a slot that comes meanwhile is claimed once all the same.
		if _, err := r.CatchUp(r.ctx); err != nil && r.ctx.Err() == nil {
			r.log.Error("catching up missed job slots", "err", err)
		}
	}()
	go func() {
		defer r.wg.Done()
		t := time.NewTicker(r.live.Heartbeat)
		defer t.Stop()
		for {
			// At once too: a single replica killed during a job finds its run at restart.
			if _, err := r.RecoverStale(r.ctx); err != nil && r.ctx.Err() == nil {
				r.log.Error("taking over job runs whose replica stopped", "err", err)
			}
			select {
			case <-r.ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// Stop ends the schedules and waits for running jobs.
func (r *Runner) Stop() {
	r.stop()
	<-r.cron.Stop().Done()
	r.wg.Wait()
}

// ErrSlotTaken reports that another replica ran (or runs) the slot.
var ErrSlotTaken = errors.New("slot already taken")

// RunNow runs a job at once under a fresh slot (an operator's or a test's request).
func (r *Runner) RunNow(ctx context.Context, name string) (*models.JobRun, error) {
	return r.runSlot(ctx, name, "manual-"+uuid.NewString(), models.JobManual)
}

func (r *Runner) job(name string) Job {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.jobs[name]
}

// RunSlot runs a job for a scheduled slot unless the slot was claimed already; it returns the
// recorded run, or nil with ErrSlotTaken.
func (r *Runner) RunSlot(ctx context.Context, name, slot string) (*models.JobRun, error) {
	return r.runSlot(ctx, name, slot, models.JobScheduled)
}

// runSlot is RunSlot recording what started the run.
func (r *Runner) runSlot(ctx context.Context, name, slot, kind string) (*models.JobRun, error) {
	job := r.job(name)
	if job == nil {
		return nil, models.NotFound("job", "no such job: "+name, "không có tác vụ "+name)
	}
	run, claimed, err := r.store.ClaimJobRun(ctx, name, slot, kind)
	if err != nil {
		return nil, err
	}
	if !claimed {
		r.log.Debug("job slot taken by another replica", "job", name, "slot", slot)
		return nil, ErrSlotTaken
	}
	return r.execute(ctx, job, run)
}

// execute runs a claimed run under the job's lock, keeps its heartbeat while it runs and
// records its end.
func (r *Runner) execute(ctx context.Context, job Job, run *models.JobRun) (*models.JobRun, error) {
	r.mu.Lock()
	r.active[run.ID] = true
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.active, run.ID)
		r.mu.Unlock()
	}()
	stopBeat := r.beat(ctx, run.ID)
	name, slot := run.Job, run.Slot
	ran, err := r.store.TryJobLock(ctx, jobLockKey(name), func(ctx context.Context) error {
		start := time.Now()
		res, err := runRecovered(ctx, job, r.now())
		run.Result = res
		if err != nil {
			run.Status, run.Error = models.JobFailed, err.Error()
			r.log.Error("job failed", "job", name, "slot", slot, "err", err, "took", time.Since(start))
		} else {
			run.Status = models.JobOK
			r.log.Info("job done", "job", name, "slot", slot, "result", res, "took", time.Since(start))
		}
		return nil
	})
	stopBeat()
	if err != nil {
		run.Status, run.Error = models.JobFailed, err.Error()
	} else if !ran {
		run.Status, run.Result = models.JobSkipped, "another run of this job was in progress"
	}
	// Record the end even when the caller's context ended.
	if ferr := r.store.FinishJobRun(context.WithoutCancel(ctx), run); ferr != nil {
		return run, ferr
	}
	return run, nil
}

// beat refreshes a run's heartbeat at each tick until the returned stop is called; stop
// returns once no heartbeat can be written any more.
func (r *Runner) beat(ctx context.Context, id int64) (stop func()) {
	ticks, stopTicks := r.live.Ticker(r.live.Heartbeat)
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-ticks:
				if err := r.store.HeartbeatJobRun(ctx, id); err != nil && ctx.Err() == nil {
					r.log.Warn("job heartbeat", "run", id, "err", err)
				}
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		stopTicks()
	}
}

// RecoverStale takes over the runs whose runner is gone: each run still running whose
// heartbeat is older than StaleAfter is marked failed and, when it is its job's latest run and
// has retries left, run again at once under the slot "<slot>#retry<n>", so that the (job,
// slot) claim still holds and GET /api/v1/jobs shows both. Of several replicas looking at
// once, one takes each run over. It returns the runs it ran again.
func (r *Runner) RecoverStale(ctx context.Context) ([]*models.JobRun, error) {
	before := r.now().Add(-r.live.StaleAfter)
	stale, err := r.store.FindStaleJobRuns(ctx, before)
	if err != nil {
		return nil, err
	}
	var retried []*models.JobRun
	for _, run := range stale {
		r.mu.Lock()
		mine := r.active[run.ID]
		r.mu.Unlock()
		if mine {
			continue // alive here: only its heartbeat is late
		}
		job, retrySlot, reason, err := r.takeOverPlan(ctx, run)
		if err != nil {
			return retried, err
		}
		retry, taken, err := r.store.TakeOverJobRun(ctx, run, before, reason, retrySlot)
		if err != nil {
			return retried, err
		}
		if !taken {
			continue // another replica took it, or it finished or beat meanwhile
		}
		r.log.Warn("job run taken over", "job", run.Job, "slot", run.Slot, "run", run.ID, "reason", reason)
		if retry == nil {
			continue
		}
		done, err := r.execute(ctx, job, retry)
		if err != nil {
			return retried, err
		}
		retried = append(retried, done)
	}
	return retried, nil
}

// takeOverPlan decides what becomes of a stale run: the error it is marked failed with, and
// the slot it runs again under ("" for none).
func (r *Runner) takeOverPlan(ctx context.Context, run *models.JobRun) (job Job, retrySlot, reason string, err error) {
	since := run.StartedAt
	if run.HeartbeatAt != nil {
		since = *run.HeartbeatAt
	}
	reason = "the replica running it stopped; no heartbeat since " + since.UTC().Format(time.RFC3339)
	base, n := splitRetrySlot(run.Slot)
	latest, err := r.store.FindJobRuns(ctx, run.Job, 1)
	if err != nil {
		return nil, "", "", err
	}
	job = r.job(run.Job)
	switch {
	case job == nil:
		reason += "; not run again: this replica does not know the job"
	case n >= r.live.Retries:
		reason += fmt.Sprintf("; not run again after %d retries", n)
	case len(latest) == 1 && latest[0].ID != run.ID:
		reason += "; not run again: a later run of the job (slot " + latest[0].Slot + ") started since"
	default:
		retrySlot = fmt.Sprintf("%s#retry%d", base, n+1)
		reason += "; run again as slot " + retrySlot
	}
	return job, retrySlot, reason, nil
}

// splitRetrySlot reads "<slot>#retry<n>" as the original slot and n; any other slot is an
// original (n = 0).
func splitRetrySlot(slot string) (base string, n int) {
	i := strings.LastIndex(slot, "#retry")
	if i < 0 {
		return slot, 0
	}
	n, err := strconv.Atoi(slot[i+len("#retry"):])
	if err != nil || n < 1 {
		return slot, 0
	}
	return slot[:i], n
}

// runRecovered runs a job and turns a panic into the run's error: cron does not recover, so a
// bug in one job would otherwise kill the service and leave its run unfinished.
func runRecovered(ctx context.Context, job Job, now time.Time) (res string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %s panicked: %v\n%s", job.Name(), p, debug.Stack())
		}
	}()
	return job.Run(ctx, now)
}

func jobLockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("kiemtra-job/" + name))
	return int64(h.Sum64() >> 1)
}
