package tips

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"kiemtra/models"
)

// EscalationJob reports every open tip that missed a deadline to the planners responsible for
// its place (those whose jurisdiction holds it; the city's when it has no place), once per
// missed deadline: a tip still received is escalated when its verification deadline passes, and
// again when its handling deadline passes too. The escalation is recorded (tip_escalations), set on the tip (escalated_at, escalated_to) and
// audited, and notified (TipOverdueNotifications) to the planners and to the tip officer who
// last worked the tip; planners also find the tips with GET /api/v1/tips?overdue=true.
type EscalationJob struct {
	Service *Service
}

// Name is the job's name in job_runs.
func (j *EscalationJob) Name() string { return "tip_escalation" }

// Deadlines a tip can miss, as escalations record them.
const (
	DeadlineVerify = "verify"
	DeadlineHandle = "handle"
)

// Missed is a deadline a tip missed.
type Missed struct {
	Deadline string // DeadlineVerify or DeadlineHandle
	Due      time.Time
}

// MissedDeadlines lists the deadlines an open tip has missed at now, verification first. Once a
// tip is being verified its verification deadline no longer matters.
func MissedDeadlines(t *models.Tip, now time.Time) []Missed {
	var out []Missed
	if t.Status == models.TipReceived && t.VerifyDue != nil && now.After(*t.VerifyDue) {
		out = append(out, Missed{DeadlineVerify, *t.VerifyDue})
	}
	switch t.Status {
	case models.TipReceived, models.TipVerifying, models.TipClassified:
		if t.HandleDue != nil && now.After(*t.HandleDue) {
			out = append(out, Missed{DeadlineHandle, *t.HandleDue})
		}
	}
	return out
}

// Run escalates each missed deadline of the overdue tips once.
func (j *EscalationJob) Run(ctx context.Context, now time.Time) (string, error) {
	s := j.Service
	open, _, err := s.store.FindTips(ctx, models.TipFilter{Overdue: true, Now: now})
	if err != nil {
		return "", err
	}
	users, err := s.store.FindUsers(ctx)
	if err != nil {
		return "", err
	}
	planners := j.planners(ctx, users)
	n := 0
	for _, t := range open {
		chain := j.responsible(ctx, t, planners)
		var names []string
		for _, p := range chain {
			names = append(names, p.username)
		}
		to := strings.Join(names, ",")
		for _, m := range MissedDeadlines(t, now) {
			at := now.UTC()
			prevAt, prevTo := t.EscalatedAt, t.EscalatedTo
			t.EscalatedAt, t.EscalatedTo = &at, to
			notes := TipOverdueNotifications(t, m, s.placeName(ctx, t), chain, users, s.loc)
			done, err := s.store.EscalateTip(ctx, jobActor, t, m.Deadline, m.Due, notes...)
			if err != nil {
				if models.IsCode(err, models.ECONFLICT) {
					break // changed meanwhile: the next run looks again
				}
				return "", err
			}
			if !done {
				t.EscalatedAt, t.EscalatedTo = prevAt, prevTo // escalated before: nothing stored
				continue
			}
			n++
		}
	}
	soon, err := j.warnDueSoon(ctx, now, users)
	if err != nil {
		return "", err
	}
	// The office's operations desk words these notes (ops.js resultText): keep their form.
	out := fmt.Sprintf("%d missed deadlines escalated", n)
	if soon > 0 {
		out += fmt.Sprintf("; %d tips near their deadline warned", soon)
	}
	return out, nil
}

// DueSoon is how long before a tip's deadline its officer is warned.
const DueSoon = 6 * time.Hour

// NextDeadline is the deadline an open tip must meet next: verification while it is received,
// handling after; ok is false for a tip that needs no more work or has no deadline.
func NextDeadline(t *models.Tip) (Missed, bool) {
	switch t.Status {
	case models.TipReceived:
		if t.VerifyDue != nil {
			return Missed{DeadlineVerify, *t.VerifyDue}, true
		}
	case models.TipVerifying, models.TipClassified:
		if t.HandleDue != nil {
			return Missed{DeadlineHandle, *t.HandleDue}, true
		}
	}
	return Missed{}, false
}

// warnDueSoon notifies the tip officers of the open tips whose next deadline falls within
// DueSoon of now, once per deadline: the officer who last worked the tip, or every enabled tip
// officer for a tip nobody took yet (the public form's).
func (j *EscalationJob) warnDueSoon(ctx context.Context, now time.Time, users []*models.User) (int, error) {
	s := j.Service
	open, _, err := s.store.FindTips(ctx, models.TipFilter{})
	if err != nil {
		return 0, err
	}
	var notes []*models.Notification
	warned := 0
	for _, t := range open {
		d, ok := NextDeadline(t)
		if !ok || !t.Open() || !d.Due.After(now) || d.Due.Sub(now) > DueSoon {
			continue
		}
		if n := TipDueSoonNotifications(t, d, s.placeName(ctx, t), users, s.loc); len(n) > 0 {
			notes = append(notes, n...)
			warned++
		}
	}
	if err := s.store.EnqueueNotifications(ctx, notes); err != nil {
		return 0, err
	}
	return warned, nil
}

const jobActor = "scheduler"

// planner is a planner who may receive escalations, with the path of its jurisdiction.
type planner struct {
	id, username, path string
}

// planners lists the enabled planners and their jurisdictions, once per run.
func (j *EscalationJob) planners(ctx context.Context, users []*models.User) []planner {
	var out []planner
	for _, u := range users {
		if u.Role != models.RolePlanner || u.Disabled {
			continue
		}
		a, err := j.Service.store.FindAreaByCode(ctx, u.AreaCode)
		if err != nil {
			continue
		}
		out = append(out, planner{u.ID, u.Username, a.Path})
	}
	return out
}

// responsible lists the planners whose jurisdiction holds the tip's place; the city's planners
// for a tip without a place.
func (j *EscalationJob) responsible(ctx context.Context, t *models.Tip, planners []planner) []planner {
	path := ""
	if t.AreaCode != nil {
		a, err := j.Service.store.FindAreaByCode(ctx, *t.AreaCode)
		if err == nil {
			path = a.Path
		}
	}
	var out []planner
	for _, p := range planners {
		if path == "" && strings.Count(p.path, "/") <= 2 || path != "" && strings.HasPrefix(path, p.path) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].username < out[b].username })
	return out
}
