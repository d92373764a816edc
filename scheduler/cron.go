package scheduler

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"runtime/debug"
	"sort"
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
// from overlapping a scheduled one.
type Runner struct {
	store RunStore
	log   *slog.Logger
	now   func() time.Time
	loc   *time.Location
	cron  *cron.Cron

	mu   sync.Mutex
	jobs map[string]Job
	ctx  context.Context
	stop context.CancelFunc
}

// NewRunner returns a runner; add jobs, then Start it.
func NewRunner(store RunStore, log *slog.Logger, now func() time.Time, loc *time.Location) *Runner {
	if now == nil {
		now = time.Now
	}
	ctx, stop := context.WithCancel(context.Background())
	return &Runner{store: store, log: log, now: now, loc: loc, jobs: map[string]Job{}, ctx: ctx, stop: stop,
		cron: cron.New(cron.WithLocation(loc))}
}

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
	r.cron.Schedule(sched, cron.FuncJob(func() {
		// Every replica computes the same slot for the same firing, so only one claims it.
		slot := r.now().In(r.loc).Truncate(time.Minute).Format("2006-01-02T15:04")
		if _, err := r.RunSlot(r.ctx, job.Name(), slot); err != nil {
			r.log.Error("scheduled job failed", "job", job.Name(), "slot", slot, "err", err)
		}
	}))
	return nil
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

// Start begins the schedules.
func (r *Runner) Start() { r.cron.Start() }

// Stop ends the schedules and waits for running jobs.
func (r *Runner) Stop() {
	r.stop()
	<-r.cron.Stop().Done()
}

// ErrSlotTaken reports that another replica ran (or runs) the slot.
var ErrSlotTaken = errors.New("slot already taken")

// RunNow runs a job at once under a fresh slot (an operator's or a test's request).
func (r *Runner) RunNow(ctx context.Context, name string) (*models.JobRun, error) {
	return r.RunSlot(ctx, name, "manual-"+uuid.NewString())
}

// RunSlot runs a job for a slot unless the slot was claimed already; it returns the recorded
// run, or nil with ErrSlotTaken.
func (r *Runner) RunSlot(ctx context.Context, name, slot string) (*models.JobRun, error) {
	r.mu.Lock()
	job, ok := r.jobs[name]
	r.mu.Unlock()
	if !ok {
		return nil, models.NotFound("job", "no such job: "+name, "không có tác vụ "+name)
	}
	run, claimed, err := r.store.ClaimJobRun(ctx, name, slot)
	if err != nil {
		return nil, err
	}
	if !claimed {
		r.log.Debug("job slot taken by another replica", "job", name, "slot", slot)
		return nil, ErrSlotTaken
	}
	ran, err := r.store.TryJobLock(ctx, jobLockKey(name), func(ctx context.Context) error {
		start := time.Now()
		res, err := runRecovered(ctx, job, r.now())
		run.Result = res
		if err != nil {
			run.Status, run.Error = "failed", err.Error()
			r.log.Error("job failed", "job", name, "slot", slot, "err", err, "took", time.Since(start))
		} else {
			run.Status = "ok"
			r.log.Info("job done", "job", name, "slot", slot, "result", res, "took", time.Since(start))
		}
		return nil
	})
	if err != nil {
		run.Status, run.Error = "failed", err.Error()
	} else if !ran {
		run.Status, run.Result = "skipped", "another run of this job was in progress"
	}
	// Record the end even when the caller's context ended.
	if ferr := r.store.FinishJobRun(context.WithoutCancel(ctx), run); ferr != nil {
		return run, ferr
	}
	return run, nil
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
