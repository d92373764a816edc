package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"kiemtra/models"
)

// CatchUpRule is implemented by a job whose missed slot may be stale by the time the service
// starts again: CatchUp says whether the slot, missed while no replica ran, is still worth
// running at now. A job without it always catches up its latest missed slot.
type CatchUpRule interface {
	CatchUp(slot, now time.Time) bool
}

// catchUpLookBack bounds how far back a job's latest slot is looked for: a year and two days,
// so that a yearly slot is found from any day of the year after it, leap years included. A
// spec whose slots are further apart (29 February) is not caught up.
const catchUpLookBack = 367 * 24 * time.Hour

// missedSlot is a job's latest slot that no replica ran.
type missedSlot struct {
	job  string
	slot time.Time
}

// CatchUp runs, once each, the latest slot of every scheduled job that passed while no replica
// ran: a service down over 1 December 06:00 drafts next year's plans when it starts on
// 2 December. Only the latest slot of a job counts (three nights missed are one nightly run),
// and only when the service ran on this database before it (the first recorded run of any
// job), so that a new database does not replay what no service ever scheduled. A slot is not
// missed when a run of the job (of any kind) started at or after it, and a job whose
// CatchUpRule finds the slot stale is left alone. Each catch-up is claimed under the slot it
// stands in for, as kind JobCatchUp, so that of replicas starting together (or a replica
// whose cron fires the same slot) one runs it. The runs are made oldest slot first, as the
// schedules would have; it returns them. Start calls it.
func (r *Runner) CatchUp(ctx context.Context) ([]*models.JobRun, error) {
	now := r.now()
	missed, err := r.missedSlots(ctx, now)
	if err != nil || len(missed) == 0 {
		if err == nil {
			r.log.Info("job catch-up: no slot missed")
		}
		return nil, err
	}
	var (
		runs []*models.JobRun
		errs []error
		done []string
	)
	for _, m := range missed {
		slot := r.slotID(m.slot)
		run, err := r.runSlot(ctx, m.job, slot, models.JobCatchUp)
		switch {
		case errors.Is(err, ErrSlotTaken):
			continue // another replica caught it up, or its cron fired it
		case err != nil:
			errs = append(errs, fmt.Errorf("catching up job %s slot %s: %w", m.job, slot, err))
			continue
		}
		r.log.Info("job slot missed while no replica ran: caught up", "job", m.job, "slot", slot, "status", run.Status, "result", run.Result, "error", run.Error)
		runs = append(runs, run)
		done = append(done, m.job+" "+slot)
	}
	if len(done) > 0 {
		r.log.Info("job catch-up: slots caught up", "slots", strings.Join(done, ", "))
	} else {
		r.log.Info("job catch-up: every missed slot was caught up by another replica")
	}
	return runs, errors.Join(errs...)
}

// missedSlots returns the jobs' latest slots that no replica ran and that are worth running
// now, oldest first.
func (r *Runner) missedSlots(ctx context.Context, now time.Time) ([]missedSlot, error) {
	first, ok, err := r.store.FirstJobRunStart(ctx)
	if err != nil {
		return nil, err
	}
	if !ok {
		r.log.Info("job catch-up: no job ever ran on this database, so none missed a slot")
		return nil, nil
	}
	var missed []missedSlot
	for _, name := range r.Jobs() {
		r.mu.Lock()
		sched, job := r.scheds[name], r.jobs[name]
		r.mu.Unlock()
		if sched == nil {
			continue // manual runs only
		}
		slot, found := latestSlot(sched, now.In(r.loc), catchUpLookBack)
		if !found || slot.Before(first) {
			continue
		}
		last, err := r.store.FindJobRuns(ctx, name, 1)
		if err != nil {
			return nil, err
		}
		if len(last) == 1 && !last[0].StartedAt.Before(slot) {
			continue // ran at its slot, or later
		}
		if rule, ok := job.(CatchUpRule); ok && !rule.CatchUp(slot, now) {
			r.log.Info("job slot missed while no replica ran: not caught up, it is stale", "job", name, "slot", r.slotID(slot))
			continue
		}
		missed = append(missed, missedSlot{job: name, slot: slot})
	}
	sort.SliceStable(missed, func(i, j int) bool { return missed[i].slot.Before(missed[j].slot) })
	return missed, nil
}

// latestSlot returns the latest activation of sched at or before now, looking back at most
// lookBack. robfig/cron only steps forward, so it steps forward from a look-back that grows
// eightfold from an hour: a frequent spec is stepped through an hour, a yearly one through a
// year, never more than a few hundred steps (1,440 for a spec firing every minute of one day).
func latestSlot(sched cron.Schedule, now time.Time, lookBack time.Duration) (time.Time, bool) {
	for back := time.Hour; ; back *= 8 {
		back = min(back, lookBack)
		var last time.Time
		for t := sched.Next(now.Add(-back)); !t.IsZero() && !t.After(now); t = sched.Next(t) {
			last = t
		}
		if !last.IsZero() {
			return last, true
		}
		if back == lookBack {
			return time.Time{}, false
		}
	}
}
