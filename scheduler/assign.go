package scheduler

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"kiemtra/geo"
	"kiemtra/models"
)

// AssignTeam is a team as the morning assignment sees it.
type AssignTeam struct {
	ID       string
	AreaPath string // the jurisdiction's path, "/92/916/"; "" is everywhere
	// AreaPaths are the paths of the units the team serves when it serves several (a cluster
	// of communes); empty means AreaPath alone.
	AreaPaths        []string
	BaseLat, BaseLon float64
	Weekly           int // inspections per full working week
	WorkingDays      models.Weekdays
}

// AssignTask is an open task that may be sent out today.
type AssignTask struct {
	ID, BusinessID string
	Lat, Lon       float64
	AreaPath       string // the business's ward path
	WindowStart    models.Date
	WindowEnd      models.Date // zero: no deadline
	Reason         string      // models.Reason...
	Urgent         bool
	// LastTeamID is the team that inspected the business last time; another team goes if it can.
	LastTeamID string
	// PreferredTeamID is the team the plan pencilled in, if any: a tie-break, not a rule.
	PreferredTeamID string
}

// AssignInput is everything a day's assignment depends on.
type AssignInput struct {
	Day      models.Date
	Teams    []AssignTeam
	Tasks    []AssignTask
	Holidays []models.Date
	// AlreadyReleased counts, per team ID, the tasks released to it earlier today (an earlier
	// run, urgent tips).
	AlreadyReleased map[string]int
	// Stops are the visits released earlier today that their teams have not begun, by team in
	// their current route order. A team that gets new tasks has them reordered with the new ones
	// into one route (AssignResult.Reordered); the others keep their order.
	Stops []AssignStop
}

// AssignStop is a visit released to a team earlier in the day and not begun.
type AssignStop struct {
	TaskID, TeamID string
	Lat, Lon       float64
}

// Assignment sends one task to one team today.
type Assignment struct {
	TaskID, TeamID string
	// RouteOrder is the place in the team's day still to ride: 1 for the first visit. The store
	// numbers it after the visits the team has begun or done (models' ReleaseDay).
	RouteOrder int
	Reason     string // why this team: AssignReason...
}

// TeamDay sums up one team's day.
type TeamDay struct {
	TeamID   string
	Tasks    int // assigned by this run
	Capacity int // the day's capacity left after AlreadyReleased, before this run
	// RouteLengthM is the round trip from the base through the day's visits still to make (the
	// team's Stops and its new tasks) in route order, UnorderedLengthM the same visits in the
	// order of the input (Stops first); both straight-line metres.
	RouteLengthM, UnorderedLengthM float64
}

// AssignResult is a day's assignment.
type AssignResult struct {
	Assignments []Assignment // by team ID, then route order
	// Reordered are the Stops of the teams that got new tasks, at their new place in the route
	// (Reason empty), by team ID then route order.
	Reordered  []Assignment
	Teams      []TeamDay // every team, by ID
	Unassigned []string  // the tasks left for later days, most pressing first
}

// Why a team got a task (Assignment.Reason).
const (
	// AssignReasonJurisdiction: the team is among the most local teams for the task.
	AssignReasonJurisdiction = "jurisdiction"
	// AssignReasonOverflow: the more local teams were full or off today.
	AssignReasonOverflow = "overflow"
	// AssignReasonRotation: the team that inspected the business last time could have gone,
	// and another one goes instead.
	AssignReasonRotation = "rotation"
	// AssignReasonNoRotation: the team that inspected the business last time goes again,
	// because no other team of its jurisdiction had room.
	AssignReasonNoRotation = "no_rotation_possible"
)

// DailyCapacity is a team's share of its weekly capacity on day. With n working days a week,
// each working day gets Weekly / n, and the first Weekly % n working days of the week (in ISO
// order, Monday first) one more, so that a full week sums to Weekly: 8 a week over Monday to
// Friday is 2, 2, 2, 1, 1. A day off gives 0. A team with no working days set works Monday to
// Friday, as in the yearly plan. A holiday's share is lost, not moved to another day (the caller
// passes 0 for holidays: AssignDay does).
func DailyCapacity(weekly int, days models.Weekdays, day models.Date) int {
	if days.Count() == 0 {
		days = models.DefaultWorkingDays
	}
	n := days.Count()
	wd := isoWeekday(day)
	if weekly <= 0 || !days.Has(day.Time(time.UTC).Weekday()) {
		return 0
	}
	rank := 0 // working days before this one in the week
	for d := 1; d < wd; d++ {
		if days.Has(time.Weekday(d % 7)) {
			rank++
		}
	}
	c := weekly / n
	if rank < weekly%n {
		c++
	}
	return c
}

// AssignDay assigns the day's tasks to the teams that work that day, within their capacity, and
// orders each team's day as a route from its base and back (geo.OrderRoute), the visits released
// earlier and not begun (Stops) included. It is a pure, deterministic function of its input.
//
// Rules, in order:
//   - No team works on a holiday or on a day outside its working days; the others have
//     DailyCapacity less what was already released to them today.
//   - A task can be sent from its WindowStart on (a zero start: at once); a task past its
//     WindowEnd is late and still sent. Tasks go in priority order: urgent first, then by
//     WindowEnd (late ones first; a zero end comes after every dated one), then WindowStart,
//     then repeats of missed visits, follow-ups and tips before coverage, before re-inspections;
//     then ID.
//   - A team can take a task when its AreaPath is a prefix of the task's. The most local teams
//     (longest AreaPath) go first; less local ones (the city team) take the overflow.
//   - Among the teams of one jurisdiction with room, a team other than the one that inspected the
//     business last time goes first, then a team already visiting the same place, then the
//     plan's preferred team, then the team with the most room left, then the smaller ID.
//   - When the last team is the only one with room at the most local level that has room, it
//     keeps the task for now; once every task has been placed, another team of the task's
//     jurisdiction with room still left (a less local one, in practice) takes it (rotation). A
//     team with room at that point has room to spare: every task in its jurisdiction has a team
//     already. Otherwise the last team goes again (AssignReasonNoRotation).
//   - The tasks of one place (geo.GroupByPlace, geo.PlaceRadiusM) are taken one after the other,
//     so that they go to the same team while it has room. Only tasks of the same urgency class
//     (urgent, late, due) are pulled forward together, so a place's routine tasks never push out
//     another place's late ones.
func AssignDay(in AssignInput) AssignResult {
	teams := slices.Clone(in.Teams)
	slices.SortStableFunc(teams, func(a, b AssignTeam) int { return cmp.Compare(a.ID, b.ID) })
	holiday := slices.Contains(in.Holidays, in.Day)
	capacity := make([]int, len(teams))
	for i, t := range teams {
		if !holiday {
			capacity[i] = max(0, DailyCapacity(t.Weekly, t.WorkingDays, in.Day)-in.AlreadyReleased[t.ID])
		}
	}
	left := slices.Clone(capacity)

	order := prioritised(in.Tasks, in.Day)
	var elig []int // indexes into in.Tasks, in priority order
	for _, i := range order {
		if !in.Tasks[i].WindowStart.After(in.Day) {
			elig = append(elig, i)
		}
	}
	seq, place, places := placeSequence(in.Tasks, elig, in.Day)

	levelsOf := jurisdictions(teams)
	teamOf := make([]int, len(in.Tasks))
	reasonOf := make([]string, len(in.Tasks))
	for i := range teamOf {
		teamOf[i] = -1
	}
	placeTeams := make([][]int, places) // place -> teams visiting it today
	pick := func(task *AssignTask, p int, level []int, skip int) int {
		best := -1
		better := func(a, b int) bool { // is team a a better choice than team b?
			if b < 0 {
				return true
			}
			if la, lb := teams[a].ID == task.LastTeamID, teams[b].ID == task.LastTeamID; la != lb {
				return lb
			}
			if pa, pb := slices.Contains(placeTeams[p], a), slices.Contains(placeTeams[p], b); pa != pb {
				return pa
			}
			if pa, pb := teams[a].ID == task.PreferredTeamID, teams[b].ID == task.PreferredTeamID; pa != pb {
				return pa
			}
			return left[a] > left[b] // level is in ID order: the smaller ID wins the remaining ties
		}
		for _, ti := range level {
			if left[ti] > 0 && ti != skip && better(ti, best) {
				best = ti
			}
		}
		return best
	}
	give := func(i, ti int, why string) {
		teamOf[i], reasonOf[i] = ti, why
		left[ti]--
		if !slices.Contains(placeTeams[place[i]], ti) {
			placeTeams[place[i]] = append(placeTeams[place[i]], ti)
		}
	}

	for _, i := range seq {
		task := &in.Tasks[i]
		for li, level := range levelsOf(task.AreaPath) {
			ti := pick(task, place[i], level, -1)
			if ti < 0 {
				continue
			}
			why := AssignReasonJurisdiction
			if li > 0 {
				why = AssignReasonOverflow
			}
			if teams[ti].ID == task.LastTeamID {
				why = AssignReasonNoRotation // for now: see the rotation pass below
			} else if last := slices.IndexFunc(level, func(t int) bool { return teams[t].ID == task.LastTeamID }); last >= 0 && left[level[last]] > 0 {
				why = AssignReasonRotation
			}
			give(i, ti, why)
			break
		}
	}

	// Rotation: move a task from its last team to another team with room to spare. A move
	// frees room on the last team, which may let another task rotate onto it: repeat until
	// nothing moves (each task moves at most once).
	for moved := true; moved; {
		moved = false
		for _, i := range seq {
			if reasonOf[i] != AssignReasonNoRotation {
				continue
			}
			task := &in.Tasks[i]
			old := teamOf[i]
			for _, level := range levelsOf(task.AreaPath) {
				if ti := pick(task, place[i], level, old); ti >= 0 && teams[ti].ID != task.LastTeamID {
					left[old]++
					give(i, ti, AssignReasonRotation)
					moved = true
					break
				}
			}
		}
	}

	return dayResult(in, teams, capacity, order, teamOf, reasonOf)
}

// dayResult orders each team's day as a route and builds the result. A team that gets new
// tasks rides its Stops and its new tasks in one route, so that a second release of the day
// (a second run, tasks due later) neither repeats route numbers nor leaves the earlier visits
// out of the order.
func dayResult(in AssignInput, teams []AssignTeam, capacity []int, order []int, teamOf []int, reasonOf []string) AssignResult {
	perTeam := make([][]int, len(teams))
	for i, ti := range teamOf { // input order: the unordered baseline
		if ti >= 0 {
			perTeam[ti] = append(perTeam[ti], i)
		}
	}
	teamIndex := make(map[string]int, len(teams))
	for ti, t := range teams {
		teamIndex[t.ID] = ti
	}
	open := make([][]geo.Stop, len(teams))
	for _, st := range in.Stops {
		if ti, ok := teamIndex[st.TeamID]; ok {
			open[ti] = append(open[ti], geo.Stop{ID: st.TaskID, Lat: st.Lat, Lon: st.Lon})
		}
	}
	res := AssignResult{Teams: make([]TeamDay, len(teams)), Assignments: []Assignment{}, Reordered: []Assignment{}, Unassigned: []string{}}
	for ti, t := range teams {
		tasks := perTeam[ti]
		stops := slices.Clone(open[ti])
		for _, i := range tasks {
			stops = append(stops, geo.Stop{ID: in.Tasks[i].ID, Lat: in.Tasks[i].Lat, Lon: in.Tasks[i].Lon})
		}
		unordered := geo.RouteLength(t.BaseLat, t.BaseLon, stops, identityOrder(len(stops)), true)
		res.Teams[ti] = TeamDay{TeamID: t.ID, Tasks: len(tasks), Capacity: capacity[ti], RouteLengthM: unordered, UnorderedLengthM: unordered}
		if len(tasks) == 0 {
			continue // nothing new: the day keeps its order
		}
		route, length := geo.OrderRoute(t.BaseLat, t.BaseLon, stops, true)
		res.Teams[ti].RouteLengthM = length
		for k, s := range route {
			if s < len(open[ti]) {
				res.Reordered = append(res.Reordered, Assignment{TaskID: stops[s].ID, TeamID: t.ID, RouteOrder: k + 1})
				continue
			}
			i := tasks[s-len(open[ti])]
			res.Assignments = append(res.Assignments, Assignment{TaskID: in.Tasks[i].ID, TeamID: t.ID, RouteOrder: k + 1, Reason: reasonOf[i]})
		}
	}
	for _, i := range order {
		if teamOf[i] < 0 {
			res.Unassigned = append(res.Unassigned, in.Tasks[i].ID)
		}
	}
	return res
}

// prioritised returns the indexes of tasks, most pressing first (see AssignDay).
func prioritised(tasks []AssignTask, day models.Date) []int {
	order := identityOrder(len(tasks))
	slices.SortStableFunc(order, func(a, b int) int {
		ta, tb := &tasks[a], &tasks[b]
		if ta.Urgent != tb.Urgent {
			if ta.Urgent {
				return -1
			}
			return 1
		}
		return cmp.Or(compareEnd(ta.WindowEnd, tb.WindowEnd), ta.WindowStart.Compare(tb.WindowStart),
			cmp.Compare(reasonRank(ta.Reason), reasonRank(tb.Reason)), cmp.Compare(ta.ID, tb.ID))
	})
	return order
}

// compareEnd compares deadlines; a zero date is no deadline and comes last.
func compareEnd(a, b models.Date) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

// reasonRank puts repeats of failed visits, follow-ups and tips before new work.
func reasonRank(reason string) int {
	switch reason {
	case models.ReasonRequeue, models.ReasonFollowUp, models.ReasonTip:
		return 0
	case models.ReasonCoverage:
		return 1
	case models.ReasonReinspection:
		return 2
	}
	return 3
}

// urgencyClass is 0 for urgent tasks, 1 for late ones and 2 for the rest.
func urgencyClass(t *AssignTask, day models.Date) int {
	switch {
	case t.Urgent:
		return 0
	case !t.WindowEnd.IsZero() && t.WindowEnd.Before(day):
		return 1
	}
	return 2
}

// placeSequence groups the eligible tasks (in priority order) by place and returns the order in
// which to assign them: each task followed by the later tasks of its place in its urgency class.
// place maps a task index to its place's number (-1 for tasks not eligible today); places is the
// number of places.
func placeSequence(tasks []AssignTask, elig []int, day models.Date) (seq, place []int, places int) {
	stops := make([]geo.Stop, len(elig))
	for k, i := range elig {
		stops[k] = geo.Stop{ID: tasks[i].ID, Lat: tasks[i].Lat, Lon: tasks[i].Lon}
	}
	place = make([]int, len(tasks))
	for i := range place {
		place[i] = -1
	}
	groups := geo.GroupByPlace(stops, geo.PlaceRadiusM)
	for g, members := range groups {
		for _, k := range members {
			place[elig[k]] = g
		}
	}
	members := make([][]int, len(groups)) // task indexes, in priority order
	for _, i := range elig {
		members[place[i]] = append(members[place[i]], i)
	}
	done := make([]bool, len(tasks))
	seq = make([]int, 0, len(elig))
	for _, i := range elig {
		if done[i] {
			continue
		}
		class := urgencyClass(&tasks[i], day)
		for _, j := range members[place[i]] {
			if !done[j] && urgencyClass(&tasks[j], day) == class {
				done[j] = true
				seq = append(seq, j)
			}
		}
	}
	return seq, place, len(groups)
}

// jurisdictions returns a lookup from a task's area path to the teams that can take it, as
// levels, the most local level first: a team's place for a task is the longest of its paths
// that holds the task's, and teams of the same place length form a level (in ID order). teams
// must be sorted by ID.
func jurisdictions(teams []AssignTeam) func(areaPath string) [][]int {
	memo := map[string][][]int{}
	return func(areaPath string) [][]int {
		if levels, ok := memo[areaPath]; ok {
			return levels
		}
		byLen := map[int][]int{}
		var lens []int
		for ti, t := range teams {
			best := -1
			paths := t.AreaPaths
			if len(paths) == 0 {
				paths = []string{t.AreaPath}
			}
			for _, p := range paths {
				if strings.HasPrefix(areaPath, p) && len(p) > best {
					best = len(p)
				}
			}
			if best < 0 {
				continue
			}
			if _, ok := byLen[best]; !ok {
				lens = append(lens, best)
			}
			byLen[best] = append(byLen[best], ti)
		}
		slices.SortFunc(lens, func(a, b int) int { return cmp.Compare(b, a) })
		levels := make([][]int, 0, len(lens))
		for _, l := range lens {
			levels = append(levels, byLen[l])
		}
		memo[areaPath] = levels
		return levels
	}
}

func identityOrder(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
