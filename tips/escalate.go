package tips

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"kiemtra/models"
)

// EscalationJob flags every open tip that missed its deadline to the planners responsible for
// its place (those whose jurisdiction holds it; the city's when it has no place). kiemtra has no
// mail or SMS gateway: the escalation is recorded on the tip, audited, and listed for planners
// (GET /api/v1/tips?overdue=true and the dashboard).
type EscalationJob struct {
	Service *Service
}

// Name is the job's name in job_runs.
func (j *EscalationJob) Name() string { return "tip_escalation" }

// Run escalates the overdue tips once per missed deadline.
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
	n := 0
	for _, t := range open {
		due := t.VerifyDue
		if t.Status != models.TipReceived {
			due = t.HandleDue
		}
		if t.EscalatedAt != nil && due != nil && t.EscalatedAt.After(*due) {
			continue // this deadline was escalated already
		}
		to, err := j.responsible(ctx, t, users)
		if err != nil {
			return "", err
		}
		at := now.UTC()
		t.EscalatedAt, t.EscalatedTo = &at, strings.Join(to, ",")
		if err := s.store.SaveTip(ctx, jobActor, "escalate", t, nil); err != nil {
			if models.IsCode(err, models.ECONFLICT) {
				continue // changed meanwhile: the next run looks again
			}
			return "", err
		}
		n++
	}
	return fmt.Sprintf("%d overdue tips escalated", n), nil
}

const jobActor = "scheduler"

// responsible lists the planners whose jurisdiction holds the tip's place.
func (j *EscalationJob) responsible(ctx context.Context, t *models.Tip, users []*models.User) ([]string, error) {
	path := ""
	if t.AreaCode != nil {
		a, err := j.Service.store.FindAreaByCode(ctx, *t.AreaCode)
		if err == nil {
			path = a.Path
		}
	}
	var out []string
	for _, u := range users {
		if u.Role != models.RolePlanner || u.Disabled {
			continue
		}
		a, err := j.Service.store.FindAreaByCode(ctx, u.AreaCode)
		if err != nil {
			continue
		}
		if path == "" && strings.Count(a.Path, "/") <= 2 || path != "" && strings.HasPrefix(path, a.Path) {
			out = append(out, u.Username)
		}
	}
	sort.Strings(out)
	return out, nil
}
