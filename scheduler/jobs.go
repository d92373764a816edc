package scheduler

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"kiemtra/models"
)

// JobStore is what the scheduled jobs need beyond the planning service's store.
type JobStore interface {
	Store
	models.TaskStore
	models.BusinessStore
	LoadYearState(ctx context.Context, year int, today models.Date) (*models.YearState, error)
	CreateTasks(ctx context.Context, actor string, tasks []*models.Task) error
	UpdateTaskStatus(ctx context.Context, actor string, ids []string, status string, fields map[string]any) error
	// SetPlanFeasibility records a plan's fit, and its notifications (notes) in the same
	// transaction.
	SetPlanFeasibility(ctx context.Context, actor, planID string, feasible bool, shortfall int, notes ...*models.Notification) error
	// FindUsers returns every user (the planners to notify).
	FindUsers(ctx context.Context) ([]*models.User, error)
}

// jobActor is the audit log's name for changes the jobs make.
const jobActor = "scheduler"

// NightlyJob keeps the year's guarantees as the year goes (DESIGN.md step 5): it returns the
// previous day's unfinished visits to the pool, repeats missed visits, adds businesses that open
// in the programme's last year at once, tops the year up when closures would leave it below the
// share, and flags plans that no longer fit the teams' capacity.
type NightlyJob struct {
	Service *Service
	Store   JobStore
	// Project records each programme's projection in the run's result. A replayed history
	// (the demo) leaves it off: nobody reads its runs' notes, and each projection reads the
	// whole registry.
	Project bool
}

// Name is the job's name in job_runs.
func (j *NightlyJob) Name() string { return "nightly" }

// Run does one night's work as of now.
func (j *NightlyJob) Run(ctx context.Context, now time.Time) (string, error) {
	s := j.Service
	today := models.DateOf(now.In(s.loc))
	year := today.Year
	st, err := j.Store.LoadYearState(ctx, year, today)
	if err != nil {
		return "", err
	}
	var notes []string
	if ids := taskIDs(st.StaleReleased); len(ids) > 0 {
		if err := j.Store.UpdateTaskStatus(ctx, jobActor, ids, models.TaskPlanned, map[string]any{"released_on": nil, "route_order": 0}); err != nil {
			return "", err
		}
		notes = append(notes, fmt.Sprintf("%d unfinished visits back to the pool", len(ids)))
	}
	next := today.AddDays(1)
	yearEnd := models.NewDate(year, 12, 31)
	var repeats []*models.Task
	for _, t := range st.MissedUnrequeued {
		if _, open := st.OpenTasks[t.BusinessID]; open {
			continue // a newer task for the business exists already
		}
		parent := t.ID
		end := yearEnd
		if next.After(end) {
			end = next.AddDays(30)
		}
		repeats = append(repeats, &models.Task{PlanID: t.PlanID, BusinessID: t.BusinessID, Reason: models.ReasonRequeue, Status: models.TaskPlanned,
			WindowStart: next, WindowEnd: end, InclusionProb: t.InclusionProb, ParentTaskID: &parent})
		st.OpenTasks[t.BusinessID] = repeats[len(repeats)-1]
	}
	if err := j.Store.CreateTasks(ctx, jobActor, repeats); err != nil {
		return "", err
	}
	if len(repeats) > 0 {
		notes = append(notes, fmt.Sprintf("%d missed visits requeued", len(repeats)))
	}
	progs, err := s.store.FindProgrammes(ctx)
	if err != nil {
		return "", err
	}
	for _, prog := range progs {
		if today.Before(prog.StartsOn) || today.After(prog.CoverageDeadline) {
			continue
		}
		n, err := j.keepProgramme(ctx, prog, today, st)
		if err != nil {
			return "", fmt.Errorf("programme %s: %w", prog.Code, err)
		}
		notes = append(notes, n...)
		// Each night's run records the projection of the rest of the programme, so that the
		// first night a shortfall became knowable stays on record.
		if j.Project {
			proj, err := s.Projection(ctx, prog, today)
			if err != nil {
				return "", fmt.Errorf("programme %s: projection: %w", prog.Code, err)
			}
			notes = append(notes, projectionNote(prog.Code, proj))
		}
	}
	if len(notes) == 0 {
		return "nothing to do", nil
	}
	return strings.Join(notes, "; "), nil
}

// TopUpHorizonWeeks is how close to the year's end a waiting visit stops counting as made:
// earlier, a missed visit is repeated in time; in the last weeks it may fail and stay undone.
const TopUpHorizonWeeks = 6

// TopUpNeed is how many visits the in-year top-up adds so that the businesses inspected this
// year (done) and those with a visit waiting (waiting) reach the share target. In the year's last
// TopUpHorizonWeeks a waiting visit counts as done only with the odds that it succeeds (1 -
// miss): a visit missed in the last days is not repeated before 31 December. The nightly job and
// the simulator use it alike.
func TopUpNeed(target, done, waiting, weeksLeft int, miss float64) int {
	expected := float64(waiting)
	if weeksLeft < TopUpHorizonWeeks {
		expected *= 1 - miss
	}
	return max(0, int(math.Ceil(float64(target-done)-expected-1e-9)))
}

// projectionNote sums up a projection for a job run's result.
func projectionNote(code string, p *models.Projection) string {
	if p.Fits {
		return fmt.Sprintf("%s: the rest of the programme fits (%.1f of %.1f team-days)", code, p.NeededTeamDays, p.AvailableTeamDays)
	}
	return fmt.Sprintf("%s: projected short from %d by %.1f team-days (%.1f needed of %.1f)", code, p.FirstShortYear, p.MissingTeamDays, p.NeededTeamDays, p.AvailableTeamDays)
}

func taskIDs(ts []*models.Task) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

// keepProgramme applies the in-year rules to one programme's approved plan for this year.
func (j *NightlyJob) keepProgramme(ctx context.Context, prog *models.Programme, today models.Date, st *models.YearState) ([]string, error) {
	s := j.Service
	plans, err := s.store.FindPlans(ctx, prog.ID)
	if err != nil {
		return nil, err
	}
	var plan *models.Plan
	for _, p := range plans {
		if p.Year == today.Year && p.Status == models.PlanApproved {
			plan = p
		}
	}
	if plan == nil {
		return []string{fmt.Sprintf("%s: no approved plan for %d", prog.Code, today.Year)}, nil
	}
	var fig models.PlanFigures
	if err := json.Unmarshal([]byte(plan.Figures), &fig); err != nil {
		return nil, fmt.Errorf("plan %s figures: %w", plan.ID, err)
	}
	in, err := s.BuildInput(ctx, prog, today.Year, today)
	if err != nil {
		return nil, err
	}
	var notes []string
	planID := plan.ID
	next := today.AddDays(1)
	yearEnd := models.NewDate(today.Year, 12, 31)
	var add []*models.Task
	// In the last year a business that opens must be inspected before the deadline: at once.
	if today.Year == prog.LastYear() {
		graceEnd := prog.CoverageDeadline.AddDays(-prog.GraceDays)
		opened, err := j.openedSince(ctx, in, models.NewDate(today.Year, 1, 1), graceEnd)
		if err != nil {
			return nil, err
		}
		for _, b := range in.Businesses {
			if b.Covered || !opened[b.ID] {
				continue
			}
			if _, open := st.OpenTasks[b.ID]; open {
				continue
			}
			t := &models.Task{PlanID: &planID, BusinessID: b.ID, Reason: models.ReasonCoverage, Status: models.TaskPlanned, WindowStart: next, WindowEnd: yearEnd, InclusionProb: 1}
			add = append(add, t)
			st.OpenTasks[b.ID] = t
		}
		if len(add) > 0 {
			notes = append(notes, fmt.Sprintf("%s: %d businesses opened this year added", prog.Code, len(add)))
		}
	}
	// Top up when closures (or refusals) would leave the year below the share target. The share
	// counts the businesses open on 1 January only: those opened since neither count towards it
	// nor are drawn for it.
	openedThisYear, err := j.openedSince(ctx, in, models.NewDate(today.Year, 1, 2), today)
	if err != nil {
		return nil, err
	}
	done, waiting := 0, 0
	for _, b := range in.Businesses {
		if openedThisYear[b.ID] {
			continue
		}
		if st.InspectedThisYear[b.ID] {
			done++
		} else if _, open := st.OpenTasks[b.ID]; open {
			waiting++
		}
	}
	miss := DefaultMissRate
	if in.Rates != nil {
		miss = in.Rates.Misses
	}
	if need := TopUpNeed(fig.ShareTarget, done, waiting, today.DaysUntil(yearEnd)/7, miss); need > 0 {
		var pool []int
		for i, b := range in.Businesses {
			if _, open := st.OpenTasks[b.ID]; !open && !st.InspectedThisYear[b.ID] && !openedThisYear[b.ID] {
				pool = append(pool, i)
			}
		}
		weights := make([]float64, len(in.Businesses))
		for i, b := range in.Businesses {
			weights[i] = in.weight(b)
			if !b.Covered {
				weights[i] *= 4 // never-inspected businesses first: they count twice towards the targets
			}
		}
		rng := newRand(plan.Seed, "top-up/"+today.String())
		items := sampleStratified(rng, in.Businesses, pool, weights, need, models.GroupAddedLate, in.floor())
		covered := map[string]bool{}
		for _, b := range in.Businesses {
			covered[b.ID] = b.Covered
		}
		for _, it := range items {
			reason := models.ReasonReinspection
			if !covered[it.BusinessID] {
				reason = models.ReasonCoverage
			}
			t := &models.Task{PlanID: &planID, BusinessID: it.BusinessID, Reason: reason, Status: models.TaskPlanned, WindowStart: next, WindowEnd: yearEnd, InclusionProb: it.Prob}
			add = append(add, t)
			st.OpenTasks[t.BusinessID] = t
		}
		if len(items) > 0 {
			notes = append(notes, fmt.Sprintf("%s: %d visits added to keep the %.0f%% share", prog.Code, len(items), prog.MinYearlyShare*100))
		}
	}
	if err := j.Store.CreateTasks(ctx, jobActor, add); err != nil {
		return nil, err
	}
	// Does what is left still fit the teams' remaining capacity this year?
	open := 0
	for _, t := range st.OpenTasks {
		if t.PlanID != nil && *t.PlanID == plan.ID {
			open++
		}
	}
	capLeft := remainingCapacity(in, next, yearEnd)
	feasible, shortfall := open <= capLeft, max(0, open-capLeft)
	if feasible != plan.Feasible || shortfall != plan.Shortfall {
		var alerts []*models.Notification
		if !feasible && plan.Feasible {
			if alerts, err = j.infeasibleNotifications(ctx, prog, plan, today, open, capLeft); err != nil {
				return nil, err
			}
		}
		if err := j.Store.SetPlanFeasibility(ctx, jobActor, plan.ID, feasible, shortfall, alerts...); err != nil {
			return nil, err
		}
		if !feasible {
			notes = append(notes, fmt.Sprintf("%s: plan %d no longer fits the teams: %d visits left for %d places", prog.Code, plan.Year, open, capLeft))
		}
	}
	return notes, nil
}

// openedSince returns the in-scope businesses opened between from and to (inclusive).
func (j *NightlyJob) openedSince(ctx context.Context, in *Input, from, to models.Date) (map[string]bool, error) {
	ids := make([]string, 0, len(in.Businesses))
	for _, b := range in.Businesses {
		ids = append(ids, b.ID)
	}
	out := map[string]bool{}
	for i := 0; i < len(ids); i += 500 {
		bs, _, err := j.Store.FindBusinesses(ctx, models.BusinessFilter{IDs: ids[i:min(i+500, len(ids))], NoCount: true})
		if err != nil {
			return nil, err
		}
		for _, b := range bs {
			if !b.OpenedOn.Before(from) && !b.OpenedOn.After(to) {
				out[b.ID] = true
			}
		}
	}
	return out, nil
}

// remainingCapacity is the teams' capacity from one date to another.
func remainingCapacity(in *Input, from, to models.Date) int {
	cp := *in
	cp.AsOf = from
	s := newSchedule(cp)
	total := 0
	for t := range s.full {
		for k, w := range s.weeks {
			if !w.AddDays(6).Before(from) && !w.After(to) {
				total += s.full[t][k]
			}
		}
	}
	return total
}

// YearlyJob drafts next year's plan for every programme that runs next year and has none.
type YearlyJob struct {
	Service *Service
}

// Name is the job's name in job_runs.
func (j *YearlyJob) Name() string { return "yearly_plan" }

// CatchUp says whether a drafting day missed while no replica ran is still worth running: in
// its own year only. Run drafts the year after the one it runs in, so on 2 December it drafts
// the plans the slot of 1 December would have; in January it would draft the year after next.
func (j *YearlyJob) CatchUp(slot, now time.Time) bool {
	loc := j.Service.loc
	return slot.In(loc).Year() == now.In(loc).Year()
}

// Run drafts the plans.
func (j *YearlyJob) Run(ctx context.Context, now time.Time) (string, error) {
	s := j.Service
	next := models.DateOf(now.In(s.loc)).Year + 1
	progs, err := s.store.FindProgrammes(ctx)
	if err != nil {
		return "", err
	}
	var notes []string
	for _, prog := range progs {
		if !prog.HasYear(next) {
			continue
		}
		plans, err := s.store.FindPlans(ctx, prog.ID)
		if err != nil {
			return "", err
		}
		exists := false
		for _, p := range plans {
			if p.Year == next && (p.Status == models.PlanCommitted || p.Status == models.PlanDraft || p.Status == models.PlanApproved) {
				exists = true
			}
		}
		if exists {
			continue
		}
		d, err := s.DraftPlanResult(ctx, jobActor, prog.ID, next, models.DraftOptions{})
		if err != nil {
			return "", fmt.Errorf("programme %s: %w", prog.Code, err)
		}
		f := d.Result.Figures
		notes = append(notes, fmt.Sprintf("%s %d committed, waiting for the draw of %s: about %d visits (%d never inspected), feasible %v",
			prog.Code, next, d.Plan.DrawDate, f.Total, f.MustCover, f.Feasible))
	}
	if len(notes) == 0 {
		return "no plan to draft", nil
	}
	return strings.Join(notes, "; "), nil
}

// infeasibleNotifications tell the planners of a programme (those whose jurisdiction holds its
// root area or lies inside it; every planner for a programme of the whole registry) that its
// plan of the year no longer fits the teams' remaining capacity, in the app and by e-mail,
// when the plan goes from fitting to not fitting.
func (j *NightlyJob) infeasibleNotifications(ctx context.Context, prog *models.Programme, plan *models.Plan, today models.Date, open, capLeft int) ([]*models.Notification, error) {
	users, err := j.Store.FindUsers(ctx)
	if err != nil {
		return nil, err
	}
	root := ""
	if prog.RootAreaCode != nil && *prog.RootAreaCode != "" {
		if a, err := j.Service.store.FindAreaByCode(ctx, *prog.RootAreaCode); err == nil {
			root = a.Path
		}
	}
	params := models.NotificationParams{"programme_code": prog.Code, "programme_name": prog.Name, "year": strconv.Itoa(plan.Year),
		"open": strconv.Itoa(open), "capacity": strconv.Itoa(capLeft), "shortfall": strconv.Itoa(max(0, open-capLeft))}
	key := models.NotifyPlanInfeasible + ":" + plan.ID + ":" + today.String()
	var out []*models.Notification
	for _, u := range users {
		if u.Disabled || u.Role != models.RolePlanner {
			continue
		}
		if root != "" {
			a, err := j.Service.store.FindAreaByCode(ctx, u.AreaCode)
			if err != nil || !(strings.HasPrefix(root, a.Path) || strings.HasPrefix(a.Path, root)) {
				continue
			}
		}
		for _, ch := range models.OfficeChannels {
			out = append(out, &models.Notification{UserID: u.ID, Channel: ch, Kind: models.NotifyPlanInfeasible, EventKey: key, Params: params,
				Link: "/office/#/plans?programme=" + url.QueryEscape(prog.Code)})
		}
	}
	return out, nil
}
