package sanctions

import (
	"context"
	"fmt"
	"strings"
	"time"

	"kiemtra/models"
)

// OverdueStore is what the overdue job reads and writes.
type OverdueStore interface {
	FindSanctions(ctx context.Context, f models.SanctionFilter) ([]*models.Sanction, int, error)
	FindBusinessByID(ctx context.Context, id string) (*models.Business, error)
	FindUsers(ctx context.Context) ([]*models.User, error)
	FindAreaByCode(ctx context.Context, code string) (*models.Area, error)
	// EnqueueNotifications writes notifications to the outbox; one per event key, user and
	// channel, however often it is called.
	EnqueueNotifications(ctx context.Context, notes []*models.Notification) error
}

// OverdueJob notifies, each night, the sanctions whose next deadline (the fine's payment or a
// remedial measure) has passed: to the planners whose jurisdiction holds the business and to
// the officer who proposed the sanction, in the app and by e-mail. The event is the deadline
// passing, which no write records: the notifications are keyed by the sanction and that
// deadline, so each overdue deadline is notified once however often the job runs.
type OverdueJob struct {
	Service *Service
	Store   OverdueStore
}

// Name is the job's name in job_runs.
func (j *OverdueJob) Name() string { return "sanction_overdue" }

// Run notifies the overdue sanctions of today.
func (j *OverdueJob) Run(ctx context.Context, now time.Time) (string, error) {
	today := models.DateOf(now.In(j.Service.loc))
	list, _, err := j.Store.FindSanctions(ctx, models.SanctionFilter{Overdue: true, Today: today, Loc: j.Service.loc})
	if err != nil {
		return "", err
	}
	users, err := j.Store.FindUsers(ctx)
	if err != nil {
		return "", err
	}
	paths := map[string]string{}
	pathOf := func(code string) string {
		if p, ok := paths[code]; ok {
			return p
		}
		p := ""
		if a, err := j.Store.FindAreaByCode(ctx, code); err == nil {
			p = a.Path
		}
		paths[code] = p
		return p
	}
	var notes []*models.Notification
	for _, sn := range list {
		name := ""
		if b, err := j.Store.FindBusinessByID(ctx, sn.BusinessID); err == nil {
			name = b.Name
		}
		notes = append(notes, OverdueNotifications(sn, name, pathOf(sn.AreaCode), users, pathOf)...)
	}
	if err := j.Store.EnqueueNotifications(ctx, notes); err != nil {
		return "", fmt.Errorf("notify overdue sanctions: %w", err)
	}
	// The office's operations desk words this note (ops.js resultText): keep its form.
	return fmt.Sprintf("%d sanctions overdue", len(list)), nil
}

// OverdueNotifications are the notifications of sanction sn's overdue deadline: for the enabled
// planners whose jurisdiction (pathOf their area) holds areaPath, and the enabled user who
// proposed it. They name the business, the deadline and what is due.
func OverdueNotifications(sn *models.Sanction, businessName, areaPath string, users []*models.User, pathOf func(code string) string) []*models.Notification {
	due := sn.NextDue()
	if due.IsZero() {
		return nil
	}
	step := "measure"
	if sn.FineAmount > 0 && sn.PaidOn.IsZero() && !sn.FineDue().After(due) {
		step = "fine"
	}
	params := models.NotificationParams{"business_name": businessName, "due": due.String(), "step": step, "decision_no": sn.DecisionNo, "sanction_id": sn.ID}
	key := models.NotifySanctionOverdue + ":" + sn.ID + ":" + due.String()
	var out []*models.Notification
	for _, u := range users {
		if u.Disabled {
			continue
		}
		planner := u.Role == models.RolePlanner && areaPath != "" && strings.HasPrefix(areaPath, pathOf(u.AreaCode)) && pathOf(u.AreaCode) != ""
		if !planner && u.Username != sn.ProposedBy {
			continue
		}
		for _, ch := range models.OfficeChannels {
			out = append(out, &models.Notification{UserID: u.ID, Channel: ch, Kind: models.NotifySanctionOverdue, EventKey: key, Params: params, Link: "/office/#/sanctions/" + sn.ID})
		}
	}
	return out
}
