package indicators

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"kiemtra/models"
)

// Officer is a user who may be told about a unit's figures, with the rules' view of them.
type Officer struct {
	UserID   string
	Username string
	Caller   Caller
}

// OfficerCaller is user u as the indicator rules see them, their jurisdiction being the area
// at areaPath: the rule the api applies to a signed-in user (Principal.CityWide and Covers),
// without a team's narrowing, which is for field staff.
func OfficerCaller(u *models.User, areaPath string) Caller {
	return Caller{Username: u.Username, Role: u.Role, Agency: u.Agency, CityWide: strings.Count(areaPath, "/") <= 2,
		Covers: func(p string) bool { return p != "" && strings.HasPrefix(p, areaPath) }}
}

// officers are the enabled reporting officers whose jurisdiction is known on day.
func (s *Service) officers(ctx context.Context, users []*models.User, day models.Date) ([]Officer, error) {
	paths := map[string]string{}
	var out []Officer
	for _, u := range users {
		if u.Disabled || u.Role != models.RoleReportingOfficer {
			continue
		}
		path, ok := paths[u.AreaCode]
		if !ok {
			a, err := s.store.FindAreaOn(ctx, u.AreaCode, day)
			switch {
			case err == nil:
				path = a.Path
			case !models.IsCode(err, models.ENOTFOUND):
				return nil, err
			}
			paths[u.AreaCode] = path
		}
		if path == "" {
			continue // an officer of no known area reports for no unit
		}
		out = append(out, Officer{UserID: u.ID, Username: u.Username, Caller: OfficerCaller(u, path)})
	}
	return out, nil
}

// recipients are the ids of the officers who report the unit's figure of ind, in order.
func recipients(ind *models.Indicator, u Unit, officers []Officer) []string {
	var out []string
	for _, o := range officers {
		if owns(o.Caller, ind, u) {
			out = append(out, o.UserID)
		}
	}
	return out
}

// Due is what a unit owes of a period: its figures not yet submitted, or returned.
type Due struct {
	Period   string
	Unit     Unit
	Deadline models.Date
	Late     bool // the deadline has passed
	Figures  int  // how many indicators
}

// Phase names when a Due is notified: "soon" before its deadline, "late" after it.
func (d Due) Phase() string {
	if d.Late {
		return "late"
	}
	return "soon"
}

// DueNotifications are the notifications of a unit's figures due soon or late, for the users
// (ids) who report them, on the office channels. The event is the programme, period, unit and
// phase: the daily job tells a unit once that its figures are near their deadline and once
// more when they are late, however often it runs.
func DueNotifications(p *models.Programme, d Due, users []string) []*models.Notification {
	params := models.NotificationParams{"programme_id": p.ID, "programme_name": p.Name, "period": d.Period, "unit": d.Unit.Code, "unit_name": d.Unit.Name,
		"due": d.Deadline.String(), "phase": d.Phase(), "figures": strconv.Itoa(d.Figures)}
	key := models.NotifySubmissionDue + ":" + p.ID + ":" + d.Period + ":" + d.Unit.Code + ":" + d.Phase()
	link := "/office/#/indicators/owed?period=" + url.QueryEscape(d.Period)
	var out []*models.Notification
	for _, id := range users {
		for _, ch := range models.OfficeChannels {
			out = append(out, &models.Notification{UserID: id, Channel: ch, Kind: models.NotifySubmissionDue, EventKey: key, Params: params, Link: link})
		}
	}
	return out
}

// ReturnedNotifications are the notifications of submission sub returned for correction, for
// the users (ids) who report its unit, on the office channels, linking to the submission. They
// name the programme, indicator, period and unit; never the reviewer's comment (free text the
// desk shows to those who may read it). A submission is one version: it is returned once.
func ReturnedNotifications(p *models.Programme, ind *models.Indicator, sub *models.IndicatorSubmission, unitName string, due models.Date, users []string) []*models.Notification {
	params := models.NotificationParams{"programme_id": p.ID, "programme_name": p.Name, "indicator": ind.Code, "indicator_vi": ind.NameVI, "indicator_en": ind.NameEN,
		"period": sub.Period, "unit": sub.Unit, "unit_name": unitName, "due": due.String(), "version": strconv.Itoa(sub.Version), "submission_id": sub.ID}
	key := models.NotifySubmissionReturned + ":" + sub.ID
	var out []*models.Notification
	for _, id := range users {
		for _, ch := range models.OfficeChannels {
			out = append(out, &models.Notification{UserID: id, Channel: ch, Kind: models.NotifySubmissionReturned, EventKey: key, Params: params,
				Link: "/office/#/indicators/s/" + url.PathEscape(sub.ID)})
		}
	}
	return out
}

// returnedNotifications are the notifications of sub's return: to its unit's reporting
// officers and to whoever submitted it (a planner or an administrator may enter a unit's
// figure), each once.
func (s *Service) returnedNotifications(ctx context.Context, p *models.Programme, sub *models.IndicatorSubmission) ([]*models.Notification, error) {
	set, err := s.Set(ctx, p)
	if err != nil {
		return nil, err
	}
	ind := indicatorOf(set, sub.IndicatorCode)
	per, perr := models.ParseReportingPeriod("period", sub.Period)
	if ind == nil || perr != nil {
		return nil, nil // a figure of an indicator or period no longer known: nobody to tell
	}
	units, err := s.unitsOf(ctx, p, ind, per)
	if err != nil {
		return nil, err
	}
	users, err := s.store.FindUsers(ctx)
	if err != nil {
		return nil, err
	}
	officers, err := s.officers(ctx, users, s.Today())
	if err != nil {
		return nil, err
	}
	unit := Unit{Code: sub.Unit, Name: sub.Unit}
	for _, u := range units {
		if u.Code == sub.Unit {
			unit = u
		}
	}
	ids := recipients(ind, unit, officers)
	for _, u := range users {
		if u.Username == sub.SubmittedBy && !u.Disabled && !contains(ids, u.ID) {
			ids = append(ids, u.ID)
		}
	}
	return ReturnedNotifications(p, ind, sub, unit.Name, per.Deadline(), ids), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// DueStore is what the due job reads and writes.
type DueStore interface {
	FindProgrammes(ctx context.Context) ([]*models.Programme, error)
	FindUsers(ctx context.Context) ([]*models.User, error)
	// EnqueueNotifications writes notifications to the outbox; one per event key, user and
	// channel, however often it is called.
	EnqueueNotifications(ctx context.Context, notes []*models.Notification) error
}

// DueJob tells, each day, the reporting officers of each unit that owes figures (Reminders:
// a deadline within ReminderWindowDays, or passed in the last period of its kind) that they
// are due soon, and once more when they are late. The event is no write of the store: the
// notifications are keyed by programme, period, unit and phase, so that each is told once.
type DueJob struct {
	Service *Service
	Store   DueStore
}

// Name is the job's name in job_runs.
func (j *DueJob) Name() string { return "submission_due" }

// Run notifies the figures owed as of now.
func (j *DueJob) Run(ctx context.Context, now time.Time) (string, error) {
	s := j.Service
	today := models.DateOf(now.In(s.loc))
	programmes, err := j.Store.FindProgrammes(ctx)
	if err != nil {
		return "", err
	}
	users, err := j.Store.FindUsers(ctx)
	if err != nil {
		return "", err
	}
	officers, err := s.officers(ctx, users, today)
	if err != nil {
		return "", err
	}
	var notes []*models.Notification
	units := map[string]bool{}
	for _, p := range programmes {
		set, err := s.Set(ctx, p)
		if err != nil {
			return "", err
		}
		owed, err := s.remindersOn(ctx, p, nil, today)
		if err != nil {
			return "", err
		}
		type key struct{ period, unit string }
		dues := map[key]*Due{}
		who := map[key][]string{}
		var order []key
		for _, o := range owed {
			k := key{o.Period, o.Unit.Code}
			d := dues[k]
			if d == nil {
				d = &Due{Period: o.Period, Unit: o.Unit, Deadline: o.Deadline, Late: o.Overdue}
				dues[k] = d
				order = append(order, k)
			}
			d.Figures++
			if ind := indicatorOf(set, o.Indicator); ind != nil {
				for _, id := range recipients(ind, o.Unit, officers) {
					if !contains(who[k], id) {
						who[k] = append(who[k], id)
					}
				}
			}
		}
		sort.Slice(order, func(a, b int) bool {
			if order[a].period != order[b].period {
				return order[a].period < order[b].period
			}
			return order[a].unit < order[b].unit
		})
		for _, k := range order {
			units[k.unit] = true
			notes = append(notes, DueNotifications(p, *dues[k], who[k])...)
		}
	}
	if err := j.Store.EnqueueNotifications(ctx, notes); err != nil {
		return "", fmt.Errorf("notify figures due: %w", err)
	}
	// The office's operations desk words this note (ops.js resultText): keep its form.
	return fmt.Sprintf("%d units owe figures", len(units)), nil
}
