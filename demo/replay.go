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
	"kiemtra/tips"
)

// ReplayStore is what the replay reads and writes besides the planning service's store.
type ReplayStore interface {
	scheduler.JobStore
	ApplyVisits(ctx context.Context, actor string, visits []models.Visit) error
	RevealPlanSeed(ctx context.Context, actor, planID string) (*models.Plan, error)
	// The tip pipeline's store: the demo's tips go through tips.Service.
	tips.Store
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
	Seed int64
	// Today is the day the demo is made on: the history stops the day before (its last night's
	// jobs included), and Today's visits are still to do.
	Today    models.Date
	MissRate float64 // share of visits that find the door closed or are refused
	// SteadyFrom is the first year the teams keep a steady pace (0: never): from then on a
	// week's visits are the open visits shared over the weeks left in the year, as a city keeps
	// its yearly target's pace (the plan schedules its visits in the first three quarters, and
	// teams that cleared whatever was due at full capacity would have nothing left by the
	// autumn); a few follow-ups run late; tips arrive (Tips); and next year's plan is drafted
	// by the yearly job on 1 December. Earlier years are replayed as teams that clear what is
	// due, up to their capacity, as the demo's finished 2021-2025 programme always was.
	SteadyFrom int
	// Tips, when set, are the tips the city receives from SteadyFrom on, through the tip
	// pipeline.
	Tips *TipOptions
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
// programme up to the day before opts.Today, so that the demo shows a finished programme and a
// year in progress. Plans are drafted as of 1 January of their year with seeds derived from
// opts.Seed, or by the yearly job on 1 December before them from SteadyFrom on, and approved on
// 1 January; the seeds of finished years are revealed, as they would be. The same options give
// the same history, and a later Today the same history with more weeks.
func Replay(ctx context.Context, st ReplayStore, cfg scheduler.Config, opts ReplayOptions) error {
	clock := models.NewDate(2021, 1, 1).Time(cfg.Location)
	cfg.Now = func() time.Time { return clock }
	cfg.Seed = func() string {
		h := sha256.Sum256([]byte(fmt.Sprintf("kiemtra-demo/%d/%s", opts.Seed, clock.Format("2006-01-02"))))
		return fmt.Sprintf("%x", h)
	}
	svc := scheduler.NewService(cfg)
	nightly := &scheduler.NightlyJob{Service: svc, Store: st}
	yearly := &scheduler.YearlyJob{Service: svc}
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
	var tipsim *tipSim
	if opts.Tips != nil {
		if tipsim, err = newTipSim(st, ex, opts, cfg.Location); err != nil {
			return err
		}
	}
	// The history ends at the start of Today, in the users' zone.
	end := opts.Today.Time(cfg.Location)
	events := append([]ReplayEvent(nil), opts.Events...)
	sort.SliceStable(events, func(i, j int) bool { return events[i].On.Before(events[j].On) })
	var finished []string
	for year := 2021; year <= opts.Today.Year; year++ {
		prog := progs[0]
		if year >= 2026 {
			prog = progs[1]
		}
		steady := opts.SteadyFrom > 0 && year >= opts.SteadyFrom
		clock = models.NewDate(year, 1, 1).Time(cfg.Location)
		plan, err := yearPlan(ctx, svc, st, prog.ID, year, opts.Seed, func(t time.Time) { clock = t }, cfg.Location)
		if err != nil {
			return err
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
			if err := ex.visitWeek(ctx, st, week, opts.Today, steady); err != nil {
				return fmt.Errorf("visits of %s: %w", week, err)
			}
			if steady && tipsim != nil {
				if err := tipsim.week(ctx, week, end); err != nil {
					return fmt.Errorf("tips of %s: %w", week, err)
				}
			}
			if models.NewDate(year, 1, 1).DaysUntil(week)%28 == 21 || week.AddDays(7).Year != year {
				if _, err := nightly.Run(ctx, week.AddDays(6).Time(cfg.Location).Add(2*time.Hour)); err != nil {
					return fmt.Errorf("nightly job of %s: %w", week, err)
				}
			}
			// The yearly job, at 06:00 on 1 December, drafts next year's plan.
			if slot := models.NewDate(year, 12, 1).Time(cfg.Location).Add(6 * time.Hour); steady && !slot.Before(clock) && slot.Before(week.AddDays(7).Time(cfg.Location)) && slot.Before(end) {
				clock = slot
				if _, err := yearly.Run(ctx, slot); err != nil {
					return fmt.Errorf("yearly job of %d: %w", year, err)
				}
			}
		}
		if models.NewDate(year, 12, 31).Before(opts.Today) {
			finished = append(finished, plan.ID)
		}
	}
	// Last night's jobs: the nightly job (at 01:30) repeats the latest missed visits, and the
	// tips that missed a deadline are escalated.
	clock = end.Add(90 * time.Minute)
	if _, err := nightly.Run(ctx, clock); err != nil {
		return fmt.Errorf("nightly job of %s: %w", opts.Today, err)
	}
	if tipsim != nil && opts.SteadyFrom > 0 && opts.Today.Year >= opts.SteadyFrom {
		if err := tipsim.escalate(ctx, end.Add(15*time.Minute)); err != nil {
			return err
		}
	}
	for _, id := range finished {
		if _, err := st.RevealPlanSeed(ctx, actor, id); err != nil {
			return err
		}
	}
	return nil
}

// yearPlan approves the year's plan as of 1 January: the yearly job's commitment when there
// is one, else a plan committed on 20 December before; its draw's result is entered on the
// draw's evening (a demo's result, derived from the demo's seed: the replay has no lottery).
func yearPlan(ctx context.Context, svc *scheduler.Service, st ReplayStore, programmeID string, year int, seed int64, setClock func(time.Time), loc *time.Location) (*models.Plan, error) {
	plans, err := st.FindPlans(ctx, programmeID)
	if err != nil {
		return nil, err
	}
	var plan *models.Plan
	for _, p := range plans {
		if p.Year == year && p.Status == models.PlanCommitted {
			plan = p
		}
	}
	jan1 := models.NewDate(year, 1, 1).Time(loc)
	defer setClock(jan1)
	if plan == nil {
		setClock(models.NewDate(year-1, 12, 20).Time(loc).Add(9 * time.Hour))
		if plan, err = svc.DraftPlan(ctx, actor, programmeID, year, models.DraftOptions{}); err != nil {
			return nil, fmt.Errorf("commit %d: %w", year, err)
		}
	}
	setClock(plan.DrawDate.Time(loc).Add(18 * time.Hour))
	h := sha256.Sum256([]byte(fmt.Sprintf("kiemtra-demo-draw/%d/%d", seed, year)))
	result := fmt.Sprintf("%06d", binary.BigEndian.Uint32(h[:4])%1_000_000)
	if _, err := svc.DrawPlan(ctx, actor, plan.ID, result); err != nil {
		return nil, fmt.Errorf("draw %d: %w", year, err)
	}
	setClock(jan1)
	if _, err := svc.Approve(ctx, actor, plan.ID); err != nil {
		return nil, fmt.Errorf("approve %d: %w", year, err)
	}
	return plan, nil
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

// readyOn is the day the teams get to a task at the current programme's rhythm, decided the
// same way every time from the task: a follow-up 9 to 26 days after the violation (time to put
// things right, within the 30 days), one in sixteen of them one to five weeks after its
// deadline; one planned visit or repeat in eight one to six weeks after its window opens (a team
// off sick, a business shut on the first try) and one in twelve two to three months after (the
// flood season, a team lent to another campaign); the others in the week their window opens.
// So that the city is mostly on schedule, near its target's pace, with a few visits overdue,
// and the year's last weeks, after the plan's last windows in September, still have visits to
// release.
func readyOn(t *models.Task) models.Date {
	h := sha256.Sum256([]byte("ready/" + t.BusinessID + "/" + t.Reason + "/" + t.WindowStart.String()))
	switch {
	case t.Reason == models.ReasonFollowUp && h[0] < 16:
		return t.WindowEnd.AddDays(7 + int(h[1])%29)
	case t.Reason == models.ReasonFollowUp:
		return t.WindowStart.AddDays(8 + int(h[1])%18)
	case h[0] < 32:
		return t.WindowStart.AddDays(7 + int(h[1])%36)
	case h[0] < 53:
		return t.WindowStart.AddDays(56 + int(h[1])%43)
	}
	return t.WindowStart
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

// visitWeek visits the open tasks that are due this week, up to the teams' capacity. At the
// current programme's rhythm (steady) a task is due from readyOn.
func (ex *executor) visitWeek(ctx context.Context, st ReplayStore, week, today models.Date, steady bool) error {
	tasks, _, err := st.FindTasks(ctx, models.TaskFilter{Statuses: []string{models.TaskPlanned, models.TaskReleased}})
	if err != nil {
		return err
	}
	var due []*models.Task
	for _, t := range tasks {
		from := t.WindowStart
		if steady {
			from = readyOn(t)
		}
		if from.After(week.AddDays(4)) || t.Reason == models.ReasonTip {
			continue // an urgent tip's visit is the tip's (tipSim)
		}
		due = append(due, t)
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
		day := week.AddDays(ex.rng.IntN(5))
		if from := readyOn(t); steady && day.Before(from) {
			day = from
		}
		if day.After(t.WindowEnd) && !week.After(t.WindowEnd) {
			day = t.WindowEnd // a team keeps to the task's window, the year's last days included
		}
		// A visit of today or later is still to do; from SteadyFrom on it is drawn all the
		// same, so that a demo made a day later has the same history with one more day.
		if !steady && !day.Before(today) {
			continue
		}
		v, closed, ok := ex.attend(t, byID[t.BusinessID], day, time.Time{})
		if !ok || !day.Before(today) {
			continue
		}
		visits = append(visits, v)
		if closed {
			cancel = append(cancel, t.ID)
		}
	}
	if err := st.ApplyVisits(ctx, actor, visits); err != nil {
		return err
	}
	// A business found closed needs no repeat: close its task for good.
	return st.UpdateTaskStatus(ctx, actor, cancel, models.TaskCancelled, nil)
}

// attend is the team's visit to t's business on day, starting at start (zero: some time in the
// working day): ok is false when the business has not opened yet (no visit), closed true when
// the team finds it closed for good (recorded; the task is to be cancelled, nothing repeated).
func (ex *executor) attend(t *models.Task, b *models.Business, day models.Date, start time.Time) (v models.Visit, closed, ok bool) {
	if b == nil || !b.ActiveOn(day) {
		if b != nil && !b.OpenedOn.IsZero() && day.Before(b.OpenedOn) {
			return v, false, false
		}
		return ex.visit(t, b, day, models.OutcomeClosed, start), true, true
	}
	outcome := models.OutcomeCompliant
	switch r := ex.rng.Float64(); {
	case r < ex.missRate*0.6:
		outcome = models.OutcomeRefused
	case r < ex.missRate:
		outcome = models.OutcomeNotFound
	case t.Reason == models.ReasonTip && ex.rng.Float64() < 0.5:
		// An urgent tip is often right.
		outcome = models.OutcomeViolation
	case t.Reason == models.ReasonFollowUp:
		// Most violations are corrected by the follow-up visit; the store then marks the
		// earlier findings resolved.
		if ex.rng.Float64() < 0.2 {
			outcome = models.OutcomeViolation
		}
	case violator(b):
		outcome = models.OutcomeViolation
	}
	return ex.visit(t, b, day, outcome, start), false, true
}

func (ex *executor) visit(t *models.Task, b *models.Business, day models.Date, outcome string, start time.Time) models.Visit {
	if start.IsZero() {
		start = day.Time(time.UTC).Add(time.Duration(1+ex.rng.IntN(8)) * time.Hour) // 08:00-16:00 in Vietnam
	}
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
