package scheduler

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"kiemtra/models"
)

// AssignStore is what the morning assignment reads and writes.
type AssignStore interface {
	models.TeamStore
	models.AreaStore
	// CountEnabledMembers counts each team's members who are not disabled.
	CountEnabledMembers(ctx context.Context) (map[string]int, error)
	// LoadOpenTasks returns the pool's tasks and counts the tasks released to each team for day.
	LoadOpenTasks(ctx context.Context, day models.Date) ([]models.OpenTaskRow, map[string]int, error)
	// FindOpenStops returns the tasks released for day and not begun, by team and route order.
	FindOpenStops(ctx context.Context, day models.Date) ([]models.OpenTaskRow, error)
	// ReleaseDay releases the decisions and renumbers the reordered stops after the visits
	// begun; conflict when a task changed meanwhile. The notifications (notes) are stored in
	// the same transaction.
	ReleaseDay(ctx context.Context, actor string, day models.Date, decisions, reorder []*models.AssignmentDecision, notes ...*models.Notification) error
}

// MorningJob releases each working day's tasks to the teams, in route order, only for a short
// horizon (today by default) so that targets are not known in advance.
type MorningJob struct {
	Store    AssignStore
	Holidays []models.Date
	Location *time.Location
	Horizon  int // days released ahead, today included; 0 means 1
}

// Name is the job's name in job_runs.
func (j *MorningJob) Name() string { return "morning_assignment" }

// CatchUp says whether a morning missed while no replica ran is still worth releasing: only
// on its own day. Run releases the day it runs, so a slot of a day that is over would release
// today's routes at whatever hour the service starts, before today's own slot.
func (j *MorningJob) CatchUp(slot, now time.Time) bool {
	loc := j.Location
	if loc == nil {
		loc = time.UTC
	}
	return models.DateOf(slot.In(loc)) == models.DateOf(now.In(loc))
}

// ReleaseHorizon is how many days are released ahead, today included: Horizon, at least 1.
func (j *MorningJob) ReleaseHorizon() int { return max(1, j.Horizon) }

// Run assigns today (and the following days of the horizon).
func (j *MorningJob) Run(ctx context.Context, now time.Time) (string, error) {
	loc := j.Location
	if loc == nil {
		loc = time.UTC
	}
	today := models.DateOf(now.In(loc))
	total := 0
	for d := 0; d < j.ReleaseHorizon(); d++ {
		res, err := j.AssignDay(ctx, jobActor, today.AddDays(d))
		if err != nil {
			return "", err
		}
		total += len(res.Assignments)
	}
	return fmt.Sprintf("%d visits released", total), nil
}

// AssignDay assigns one day's visits and records them.
func (j *MorningJob) AssignDay(ctx context.Context, actor string, day models.Date) (*AssignResult, error) {
	teams, err := j.Store.FindTeams(ctx)
	if err != nil {
		return nil, err
	}
	areas, _, err := j.Store.FindAreas(ctx, models.AreaFilter{})
	if err != nil {
		return nil, err
	}
	paths := make(map[string]string, len(areas))
	for _, a := range areas {
		paths[a.Code] = a.Path
	}
	members, err := j.Store.CountEnabledMembers(ctx)
	if err != nil {
		return nil, err
	}
	rows, already, err := j.Store.LoadOpenTasks(ctx, day)
	if err != nil {
		return nil, err
	}
	stops, err := j.Store.FindOpenStops(ctx, day)
	if err != nil {
		return nil, err
	}
	in := AssignInput{Day: day, Holidays: j.Holidays, AlreadyReleased: already}
	for _, t := range teams {
		path, ok := paths[t.AreaCode]
		if !ok {
			continue // a team whose jurisdiction is gone must not become a city-wide team
		}
		if members[t.ID] == 0 {
			// Nobody would go: the team's tasks stay in the pool for a less local team (the
			// city team's overflow) or for later days.
			continue
		}
		team := AssignTeam{ID: t.ID, AreaPath: path, BaseLat: t.BaseLat, BaseLon: t.BaseLon, Weekly: t.WeeklyCapacity, WorkingDays: t.WorkingDays}
		for _, u := range t.Units() {
			if p, ok := paths[u]; ok {
				team.AreaPaths = append(team.AreaPaths, p)
			}
		}
		in.Teams = append(in.Teams, team)
	}
	// One visit per business a day: of several open tasks (a repeat and an urgent tip, say)
	// the most pressing goes; the visit then settles the others.
	best := map[string]models.OpenTaskRow{}
	for _, r := range rows {
		if r.Task.WindowStart.After(day) {
			continue // not due yet
		}
		if cur, ok := best[r.Task.BusinessID]; !ok || morePressing(r, cur) {
			best[r.Task.BusinessID] = r
		}
	}
	for _, r := range rows {
		t := r.Task
		if b, ok := best[t.BusinessID]; !ok || b.Task != t {
			continue
		}
		at := AssignTask{ID: t.ID, BusinessID: t.BusinessID, Lat: r.Lat, Lon: r.Lon, AreaPath: r.AreaPath, WindowStart: t.WindowStart,
			WindowEnd: t.WindowEnd, Reason: t.Reason, Urgent: r.Urgent, LastTeamID: r.LastTeamID}
		if t.TeamID != nil {
			at.PreferredTeamID = *t.TeamID
		}
		in.Tasks = append(in.Tasks, at)
	}
	for _, r := range stops {
		if r.Task.TeamID != nil {
			in.Stops = append(in.Stops, AssignStop{TaskID: r.Task.ID, TeamID: *r.Task.TeamID, Lat: r.Lat, Lon: r.Lon})
		}
	}
	res := AssignDay(in)
	decisions := make([]*models.AssignmentDecision, len(res.Assignments))
	for i, a := range res.Assignments {
		decisions[i] = &models.AssignmentDecision{TaskID: a.TaskID, TeamID: a.TeamID, RouteOrder: a.RouteOrder, Reason: a.Reason}
	}
	reorder := make([]*models.AssignmentDecision, len(res.Reordered))
	for i, a := range res.Reordered {
		reorder[i] = &models.AssignmentDecision{TaskID: a.TaskID, TeamID: a.TeamID, RouteOrder: a.RouteOrder}
	}
	notes, err := j.dayNotifications(ctx, day, decisions, reorder, already)
	if err != nil {
		return nil, err
	}
	if err := j.Store.ReleaseDay(ctx, actor, day, decisions, reorder, notes...); err != nil {
		return nil, err
	}
	// The store numbered the routes after the visits already begun: report its numbers.
	for i := range res.Assignments {
		res.Assignments[i].RouteOrder = decisions[i].RouteOrder
	}
	for i := range res.Reordered {
		res.Reordered[i].RouteOrder = reorder[i].RouteOrder
	}
	return &res, nil
}

// Assign is AssignDay for callers that want the summary (the API, the demo).
func (j *MorningJob) Assign(ctx context.Context, actor string, day models.Date) (*models.AssignmentSummary, error) {
	res, err := j.AssignDay(ctx, actor, day)
	if err != nil {
		return nil, err
	}
	out := &models.AssignmentSummary{Day: day, Released: len(res.Assignments), Unassigned: len(res.Unassigned), Teams: []models.TeamDaySummary{}}
	for _, t := range res.Teams {
		out.Teams = append(out.Teams, models.TeamDaySummary{TeamID: t.TeamID, Tasks: t.Tasks, Capacity: t.Capacity,
			RouteLengthM: math.Round(t.RouteLengthM), UnorderedLengthM: math.Round(t.UnorderedLengthM)})
	}
	return out, nil
}

func morePressing(a, b models.OpenTaskRow) bool {
	if a.Urgent != b.Urgent {
		return a.Urgent
	}
	if a.Task.WindowEnd != b.Task.WindowEnd {
		return a.Task.WindowEnd.Before(b.Task.WindowEnd)
	}
	return a.Task.ID < b.Task.ID
}

// dayNotifications tell each team whose day this release gives visits or reorders that its day
// is released (its first release of the day) or changed: the day and how many visits, never
// which businesses, so that a notification read on a lock screen tips nobody off. The event key
// is the release's tasks, so a retried release notifies once.
func (j *MorningJob) dayNotifications(ctx context.Context, day models.Date, decisions, reorder []*models.AssignmentDecision, already map[string]int) ([]*models.Notification, error) {
	added, moved := map[string][]string{}, map[string]int{}
	var teams []string
	for _, d := range decisions {
		if _, ok := added[d.TeamID]; !ok {
			teams = append(teams, d.TeamID)
		}
		added[d.TeamID] = append(added[d.TeamID], d.TaskID)
	}
	for _, d := range reorder {
		if _, ok := added[d.TeamID]; !ok {
			teams = append(teams, d.TeamID)
			added[d.TeamID] = nil
		}
		moved[d.TeamID]++
		added[d.TeamID+"/moved"] = append(added[d.TeamID+"/moved"], d.TaskID)
	}
	var out []*models.Notification
	for _, team := range teams {
		members, err := j.Store.FindTeamMembers(ctx, team)
		if err != nil {
			return nil, err
		}
		change := "released"
		if already[team] > 0 || moved[team] > 0 {
			change = "changed"
		}
		ids := append(slices.Clone(added[team]), added[team+"/moved"]...)
		slices.Sort(ids)
		sum := sha256.Sum256([]byte(strings.Join(ids, ",")))
		key := models.NotifyTeamDay + ":" + team + ":" + day.String() + ":" + hex.EncodeToString(sum[:8])
		params := models.NotificationParams{"day": day.String(), "visits": strconv.Itoa(len(added[team])), "change": change}
		for _, u := range members {
			if u.Disabled || (u.Role != models.RoleInspector && u.Role != models.RoleTeamLead) {
				continue
			}
			for _, ch := range models.FieldChannels {
				out = append(out, &models.Notification{UserID: u.ID, Channel: ch, Kind: models.NotifyTeamDay, EventKey: key, Params: params, Link: "/app/#/route"})
			}
		}
	}
	return out, nil
}
