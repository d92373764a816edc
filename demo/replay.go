package demo

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"kiemtra/fieldwork"
	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/scheduler"
)

// ReplayStore is what the replay reads and writes besides the planning service's store.
type ReplayStore interface {
	scheduler.JobStore
	ApplyVisits(ctx context.Context, actor string, visits []models.Visit) error
	RevealPlanSeed(ctx context.Context, actor, planID string) (*models.Plan, error)
}

// Programmes are the demo's two programmes: Can Tho's 2021-2025 plan and the current one.
func Programmes(city string) []*models.Programme {
	root := city
	return []*models.Programme{
		{Code: "KH237-2021-2025", Name: "Kế hoạch 237/KH-UBND phòng, chống mại dâm giai đoạn 2021-2025",
			StartsOn: models.NewDate(2021, 1, 1), EndsOn: models.NewDate(2025, 12, 31), RootAreaCode: &root},
		{Code: "PCMD-2026-2030", Name: "Chương trình phòng, chống mại dâm giai đoạn 2026-2030",
			StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31), RootAreaCode: &root},
	}
}

// ReplayOptions drive the replay.
type ReplayOptions struct {
	Seed     int64
	Today    models.Date // the replay stops here: later weeks stay planned
	MissRate float64     // share of visits that find the door closed or are refused
	// Events happen on their day, before that week's visits: the 2025 reorganisation.
	Events []ReplayEvent
}

// ReplayEvent is something that happens once during the replay, on or just after On (the replay
// moves a week at a time), with the replay's clock set to that week.
type ReplayEvent struct {
	On  models.Date
	Run func(ctx context.Context) error
}

// Replay runs the 2021-2025 programme through the planner and a simulated execution (visits,
// missed visits, violations found, the nightly job's requeues and additions), then the current
// programme up to opts.Today, so that the demo shows a finished programme and a year in progress.
// Plans are drafted as of 1 January of their year with seeds derived from opts.Seed; the seeds
// of finished years are revealed, as they would be.
func Replay(ctx context.Context, st ReplayStore, cfg scheduler.Config, opts ReplayOptions) error {
	clock := models.NewDate(2021, 1, 1).Time(cfg.Location)
	cfg.Now = func() time.Time { return clock }
	cfg.Seed = func() string {
		h := sha256.Sum256([]byte(fmt.Sprintf("kiemtra-demo/%d/%s", opts.Seed, clock.Format("2006-01-02"))))
		return fmt.Sprintf("%x", h)
	}
	svc := scheduler.NewService(cfg)
	nightly := &scheduler.NightlyJob{Service: svc, Store: st}
	progs := Programmes("92")
	for _, p := range progs {
		if err := svc.CreateProgramme(ctx, actor, p); err != nil {
			return err
		}
	}
	ex, err := newExecutor(opts)
	if err != nil {
		return err
	}
	if err := ex.countCapacity(ctx, st); err != nil {
		return err
	}
	events := append([]ReplayEvent(nil), opts.Events...)
	sort.SliceStable(events, func(i, j int) bool { return events[i].On.Before(events[j].On) })
	var finished []string
	for year := 2021; year <= opts.Today.Year; year++ {
		prog := progs[0]
		if year >= 2026 {
			prog = progs[1]
		}
		clock = models.NewDate(year, 1, 1).Time(cfg.Location)
		plan, _, err := svc.DraftPlan(ctx, actor, prog.ID, year, false)
		if err != nil {
			return fmt.Errorf("draft %d: %w", year, err)
		}
		if _, err := svc.Approve(ctx, actor, plan.ID); err != nil {
			return fmt.Errorf("approve %d: %w", year, err)
		}
		// Week by week: the teams visit what is due; the nightly job's rules run every four
		// weeks (in service they run every night; monthly is enough for a history and keeps
		// the demo's start quick).
		for week := models.NewDate(year, 1, 1); week.Year == year && week.Before(opts.Today); week = week.AddDays(7) {
			clock = week.Time(cfg.Location)
			for len(events) > 0 && !week.Before(events[0].On) {
				if err := events[0].Run(ctx); err != nil {
					return fmt.Errorf("replay event of %s: %w", events[0].On, err)
				}
				events = events[1:]
				// New teams may have come.
				if err := ex.countCapacity(ctx, st); err != nil {
					return err
				}
			}
			if err := ex.visitWeek(ctx, st, week, opts.Today); err != nil {
				return fmt.Errorf("visits of %s: %w", week, err)
			}
			if models.NewDate(year, 1, 1).DaysUntil(week)%28 == 21 || week.AddDays(7).Year != year {
				if _, err := nightly.Run(ctx, week.AddDays(6).Time(cfg.Location).Add(2*time.Hour)); err != nil {
					return fmt.Errorf("nightly job of %s: %w", week, err)
				}
			}
		}
		if models.NewDate(year, 12, 31).Before(opts.Today) {
			finished = append(finished, plan.ID)
		}
	}
	for _, id := range finished {
		if _, err := st.RevealPlanSeed(ctx, actor, id); err != nil {
			return err
		}
	}
	return nil
}

// executor plays the inspection teams.
type executor struct {
	rng        *rand.Rand
	missRate   float64
	violations map[string][]string // category -> violation codes its checklist can record
	severity   map[string]string
	capacity   int // visits a week, all teams together
}

func newExecutor(o ReplayOptions) (*executor, error) {
	cl, err := refdata.Checklist()
	if err != nil {
		return nil, err
	}
	vs, err := refdata.Violations()
	if err != nil {
		return nil, err
	}
	ex := &executor{rng: rand.New(rand.NewPCG(uint64(o.Seed), 2)), missRate: o.MissRate, violations: map[string][]string{}, severity: map[string]string{}}
	for _, it := range cl.Items {
		if it.Violation == "" {
			continue
		}
		for _, c := range it.Categories {
			ex.violations[c] = append(ex.violations[c], it.Violation)
		}
	}
	for _, v := range vs {
		ex.severity[v.Code] = v.Severity
	}
	return ex, nil
}

// countCapacity sums the teams' weekly capacities.
func (ex *executor) countCapacity(ctx context.Context, st ReplayStore) error {
	teams, err := st.FindTeams(ctx)
	if err != nil {
		return err
	}
	ex.capacity = 0
	for _, t := range teams {
		ex.capacity += t.WeeklyCapacity
	}
	return nil
}

// violator decides, the same way every time, whether a business hides violations: about 15%,
// more in the riskier categories.
func violator(b *models.Business) bool {
	h := sha256.Sum256([]byte("violator/" + b.Licence() + "/" + b.Name))
	x := float64(binary.BigEndian.Uint64(h[:8])) / float64(1<<64)
	risk := map[string]float64{"dance_hall": 2, "massage": 2, "karaoke": 1.5, "hostess_cafe": 1.4, "hair_salon": 1.4, "bar": 1.3}[b.Category]
	if risk == 0 {
		risk = 1
	}
	return x < 0.10*risk
}

// visitWeek visits the open tasks that are due this week, up to the teams' capacity.
func (ex *executor) visitWeek(ctx context.Context, st ReplayStore, week, today models.Date) error {
	tasks, _, err := st.FindTasks(ctx, models.TaskFilter{Statuses: []string{models.TaskPlanned, models.TaskReleased}})
	if err != nil {
		return err
	}
	var due []*models.Task
	for _, t := range tasks {
		if !t.WindowStart.After(week.AddDays(4)) {
			due = append(due, t)
		}
	}
	// Task ids are random: order by what is stable, so that the same demo comes out every time.
	sort.Slice(due, func(i, j int) bool {
		if due[i].WindowStart != due[j].WindowStart {
			return due[i].WindowStart.Before(due[j].WindowStart)
		}
		if due[i].BusinessID != due[j].BusinessID {
			return due[i].BusinessID < due[j].BusinessID
		}
		return due[i].Reason < due[j].Reason
	})
	if len(due) > ex.capacity {
		due = due[:ex.capacity]
	}
	ids := make([]string, len(due))
	for i, t := range due {
		ids[i] = t.BusinessID
	}
	byID := map[string]*models.Business{}
	for i := 0; i < len(ids); i += 500 {
		bs, _, err := st.FindBusinesses(ctx, models.BusinessFilter{IDs: ids[i:min(i+500, len(ids))], NoCount: true})
		if err != nil {
			return err
		}
		for _, b := range bs {
			byID[b.ID] = b
		}
	}
	var visits []models.Visit
	var cancel []string
	for _, t := range due {
		b := byID[t.BusinessID]
		day := week.AddDays(ex.rng.IntN(5))
		if day.After(t.WindowEnd) && !week.After(t.WindowEnd) {
			day = t.WindowEnd // a team keeps to the task's window, the year's last days included
		}
		if !day.Before(today) {
			continue
		}
		if b == nil || !b.ActiveOn(day) {
			if b != nil && !b.OpenedOn.IsZero() && day.Before(b.OpenedOn) {
				continue // not open yet
			}
			// The team finds it closed for good: recorded, and nothing is repeated.
			visits = append(visits, ex.visit(t, b, day, models.OutcomeClosed))
			cancel = append(cancel, t.ID)
			continue
		}
		outcome := models.OutcomeCompliant
		switch r := ex.rng.Float64(); {
		case r < ex.missRate*0.6:
			outcome = models.OutcomeRefused
		case r < ex.missRate:
			outcome = models.OutcomeNotFound
		case t.Reason == models.ReasonFollowUp:
			// Most violations are corrected by the follow-up visit; the store then marks the
			// earlier findings resolved.
			if ex.rng.Float64() < 0.2 {
				outcome = models.OutcomeViolation
			}
		case violator(b):
			outcome = models.OutcomeViolation
		}
		visits = append(visits, ex.visit(t, b, day, outcome))
	}
	if err := st.ApplyVisits(ctx, actor, visits); err != nil {
		return err
	}
	// A business found closed needs no repeat: close its task for good.
	return st.UpdateTaskStatus(ctx, actor, cancel, models.TaskCancelled, nil)
}

func (ex *executor) visit(t *models.Task, b *models.Business, day models.Date, outcome string) models.Visit {
	start := day.Time(time.UTC).Add(time.Duration(1+ex.rng.IntN(8)) * time.Hour) // 08:00-16:00 in Vietnam
	taskID := t.ID
	in := &models.Inspection{TaskID: &taskID, BusinessID: t.BusinessID, TeamID: t.TeamID, StartedAt: start,
		FinishedAt: start.Add(time.Duration(25+ex.rng.IntN(50)) * time.Minute), Outcome: outcome, ChecklistVersion: 1, CreatedBy: actor}
	v := models.Visit{Inspection: in}
	if outcome == models.OutcomeViolation && b != nil {
		codes := ex.violations[b.Category]
		if len(codes) == 0 {
			codes = []string{"OTHER"}
		}
		n := 1 + ex.rng.IntN(2)
		seen := map[string]bool{}
		for i := 0; i < n; i++ {
			c := codes[ex.rng.IntN(len(codes))]
			if seen[c] {
				continue
			}
			seen[c] = true
			v.Findings = append(v.Findings, &models.Finding{Code: c, Severity: ex.severity[c]})
		}
		// As the service does: a violation is checked again within FollowUpWithinDays.
		parent := t.ID
		v.NewTasks = append(v.NewTasks, &models.Task{PlanID: t.PlanID, BusinessID: t.BusinessID, Reason: models.ReasonFollowUp, Status: models.TaskPlanned,
			WindowStart: day.AddDays(1), WindowEnd: day.AddDays(fieldwork.FollowUpWithinDays), InclusionProb: 1, ParentTaskID: &parent})
	}
	return v
}
