package scheduler

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"kiemtra/geo"
	"kiemtra/models"
)

// asgDay is a Wednesday; asgMonday and asgFriday bound its week.
var (
	asgDay    = models.NewDate(2026, 3, 4)
	asgMonday = models.NewDate(2026, 3, 2)
	asgFriday = models.NewDate(2026, 3, 6)
)

// Jurisdictions of the assignment tests: the city, two districts and a ward of the first.
const (
	asgCity  = "/92/"
	asgNK    = "/92/916/"
	asgOM    = "/92/917/"
	asgNKW1  = "/92/916/31117/"
	asgNKW2  = "/92/916/31120/"
	asgOMW1  = "/92/917/31150/"
	asgLatNK = 10.03
	asgLonNK = 105.78
)

// asgTeam is a team working Monday to Friday with a daily capacity of daily (a weekly capacity
// of 5*daily), based in Ninh Kieu.
func asgTeam(id, path string, daily int) AssignTeam {
	return AssignTeam{ID: id, AreaPath: path, BaseLat: asgLatNK, BaseLon: asgLonNK, Weekly: 5 * daily, WorkingDays: models.DefaultWorkingDays}
}

// asgTask is a coverage task due this week, eastM east and northM north of the Ninh Kieu base.
func asgTask(id, path string, eastM, northM float64) AssignTask {
	const mPerDeg = geo.EarthRadiusM * math.Pi / 180
	return AssignTask{ID: id, BusinessID: "b-" + id, AreaPath: path, Reason: models.ReasonCoverage,
		Lat: asgLatNK + northM/mPerDeg, Lon: asgLonNK + eastM/(mPerDeg*math.Cos(asgLatNK*math.Pi/180)),
		WindowStart: asgMonday, WindowEnd: asgFriday}
}

func asgWithTask(t AssignTask, change func(*AssignTask)) AssignTask {
	change(&t)
	return t
}

// teamOfTask maps each assigned task to its team and reason.
func asgTeamOfTask(r AssignResult) map[string]string {
	out := map[string]string{}
	for _, a := range r.Assignments {
		out[a.TaskID] = a.TeamID + " " + a.Reason
	}
	return out
}

func TestDailyCapacity(t *testing.T) {
	for _, tc := range []struct {
		name   string
		weekly int
		days   models.Weekdays
		want   [7]int // Monday to Sunday
	}{
		{"8 a week over Monday to Friday is 2, 2, 2, 1, 1", 8, models.DefaultWorkingDays, [7]int{2, 2, 2, 1, 1, 0, 0}},
		{"3 a week over five days leaves the last two days empty", 3, models.DefaultWorkingDays, [7]int{1, 1, 1, 0, 0, 0, 0}},
		{"20 a week over six days is 4, 4, 3, 3, 3, 3", 20, "1,2,3,4,5,6", [7]int{4, 4, 3, 3, 3, 3, 0}},
		{"a weekend team gets its share on Saturday and Sunday", 5, "6,7", [7]int{0, 0, 0, 0, 0, 3, 2}},
		{"no working days set means Monday to Friday", 10, "", [7]int{2, 2, 2, 2, 2, 0, 0}},
		{"no weekly capacity means no daily capacity", 0, models.DefaultWorkingDays, [7]int{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got [7]int
			for d := range 7 {
				got[d] = DailyCapacity(tc.weekly, tc.days, asgMonday.AddDays(d))
			}
			if got != tc.want {
				t.Errorf("capacities = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("every week sums to the weekly capacity", func(t *testing.T) {
		for weekly := 0; weekly <= 40; weekly++ {
			for _, days := range []models.Weekdays{"1", "1,3,5", models.DefaultWorkingDays, "1,2,3,4,5,6", "1,2,3,4,5,6,7", "2,4,6,7"} {
				sum := 0
				for d := range 7 {
					sum += DailyCapacity(weekly, days, asgMonday.AddDays(d))
				}
				if sum != weekly {
					t.Fatalf("weekly %d over %q sums to %d", weekly, days, sum)
				}
			}
		}
	})
}

func TestAssignDay(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    AssignInput
		want  map[string]string // task -> "team reason"; tasks not listed are unassigned
		check func(t *testing.T, r AssignResult)
	}{
		{
			name: "a team gets no more than its capacity and the rest waits",
			in: AssignInput{Teams: []AssignTeam{asgTeam("nk", asgNK, 2)},
				Tasks: []AssignTask{asgTask("t1", asgNKW1, 100, 0), asgTask("t2", asgNKW1, 200, 0), asgTask("t3", asgNKW1, 300, 0)}},
			want: map[string]string{"t1": "nk jurisdiction", "t2": "nk jurisdiction"},
			check: func(t *testing.T, r AssignResult) {
				if !slices.Equal(r.Unassigned, []string{"t3"}) {
					t.Errorf("unassigned = %v, want [t3]", r.Unassigned)
				}
				if r.Teams[0].Tasks != 2 || r.Teams[0].Capacity != 2 {
					t.Errorf("team day = %+v", r.Teams[0])
				}
			},
		},
		{
			name: "a district team never gets another district's task and the city team takes the overflow",
			in: AssignInput{Teams: []AssignTeam{asgTeam("city", asgCity, 1), asgTeam("nk", asgNK, 5), asgTeam("om", asgOM, 1)},
				Tasks: []AssignTask{asgTask("om1", asgOMW1, 0, 100), asgTask("om2", asgOMW1, 0, 200), asgTask("om3", asgOMW1, 0, 300)}},
			want: map[string]string{"om1": "om jurisdiction", "om2": "city overflow"},
		},
		{
			// Since 2025 a team serves a cluster of communes: it takes the tasks of its communes
			// before the city team, and none of the others.
			name: "a cluster team takes its communes' tasks and only theirs",
			in: AssignInput{Teams: []AssignTeam{asgTeam("city", asgCity, 5), {ID: "cluster", AreaPath: asgCity, AreaPaths: []string{asgNKW1, asgOMW1},
				BaseLat: 10.03, BaseLon: 105.77, Weekly: 25, WorkingDays: models.DefaultWorkingDays}},
				Tasks: []AssignTask{asgTask("nk1", asgNKW1, 0, 100), asgTask("om1", asgOMW1, 0, 100), asgTask("nk2", asgNKW2, 0, 100)}},
			want: map[string]string{"nk1": "cluster jurisdiction", "om1": "cluster jurisdiction", "nk2": "city jurisdiction"},
		},
		{
			name: "a task outside every team's jurisdiction waits",
			in: AssignInput{Teams: []AssignTeam{asgTeam("nk", asgNK, 5)},
				Tasks: []AssignTask{asgTask("om1", asgOMW1, 0, 100), asgTask("nk1", asgNKW2, 0, 100)}},
			want: map[string]string{"nk1": "nk jurisdiction"},
		},
		{
			name: "the most local team goes first",
			in: AssignInput{Teams: []AssignTeam{asgTeam("city", asgCity, 5), asgTeam("nk", asgNK, 5), asgTeam("nkw1", asgNKW1, 5)},
				Tasks: []AssignTask{asgTask("w1", asgNKW1, 0, 100), asgTask("w2", asgNKW2, 0, 200), asgTask("om", asgOMW1, 0, 300)}},
			want: map[string]string{"w1": "nkw1 jurisdiction", "w2": "nk jurisdiction", "om": "city jurisdiction"},
		},
		{
			name: "rotation sends another team of the area when the last one could go",
			in: AssignInput{Teams: []AssignTeam{asgTeam("nk-a", asgNK, 5), asgTeam("nk-b", asgNK, 5)},
				Tasks: []AssignTask{
					asgWithTask(asgTask("t1", asgNKW1, 0, 100), func(t *AssignTask) { t.LastTeamID = "nk-a" }),
					asgWithTask(asgTask("t2", asgNKW1, 0, 900), func(t *AssignTask) { t.LastTeamID = "nk-b" }),
				}},
			want: map[string]string{"t1": "nk-b rotation", "t2": "nk-a rotation"},
		},
		{
			name: "rotation sends the parent team when it has room to spare",
			in: AssignInput{Teams: []AssignTeam{asgTeam("city", asgCity, 3), asgTeam("nk", asgNK, 3)},
				Tasks: []AssignTask{
					asgWithTask(asgTask("t1", asgNKW1, 0, 100), func(t *AssignTask) { t.LastTeamID = "nk" }),
					asgTask("t2", asgNKW1, 0, 200),
				}},
			want: map[string]string{"t1": "city rotation", "t2": "nk jurisdiction"},
		},
		{
			name: "the last team goes again when the parent team has no room to spare",
			in: AssignInput{Teams: []AssignTeam{asgTeam("city", asgCity, 1), asgTeam("nk", asgNK, 2)},
				Tasks: []AssignTask{
					asgWithTask(asgTask("t1", asgNKW1, 0, 100), func(t *AssignTask) { t.LastTeamID = "nk" }),
					asgTask("t2", asgNKW1, 0, 200), asgTask("t3", asgNKW1, 0, 300),
				}},
			want: map[string]string{"t1": "nk no_rotation_possible", "t2": "nk jurisdiction", "t3": "city overflow"},
		},
		{
			name: "the plan's preferred team breaks a tie",
			in: AssignInput{Teams: []AssignTeam{asgTeam("nk-a", asgNK, 5), asgTeam("nk-b", asgNK, 5)},
				Tasks: []AssignTask{asgWithTask(asgTask("t1", asgNKW1, 0, 100), func(t *AssignTask) { t.PreferredTeamID = "nk-b" })}},
			want: map[string]string{"t1": "nk-b jurisdiction"},
		},
		{
			name: "late and urgent tasks go first, then repeats before new work",
			in: AssignInput{Teams: []AssignTeam{asgTeam("nk", asgNK, 3)},
				Tasks: []AssignTask{
					asgTask("new", asgNKW1, 0, 100),
					asgWithTask(asgTask("reinspect", asgNKW1, 0, 200), func(t *AssignTask) { t.Reason = models.ReasonReinspection }),
					asgWithTask(asgTask("requeue", asgNKW1, 0, 300), func(t *AssignTask) { t.Reason = models.ReasonRequeue }),
					asgWithTask(asgTask("late", asgNKW1, 0, 400), func(t *AssignTask) {
						t.WindowStart, t.WindowEnd = asgMonday.AddDays(-7), asgFriday.AddDays(-7)
					}),
					asgWithTask(asgTask("urgent", asgNKW1, 0, 500), func(t *AssignTask) { t.Urgent, t.Reason = true, models.ReasonTip }),
				}},
			want: map[string]string{"urgent": "nk jurisdiction", "late": "nk jurisdiction", "requeue": "nk jurisdiction"},
			check: func(t *testing.T, r AssignResult) {
				if !slices.Equal(r.Unassigned, []string{"new", "reinspect"}) {
					t.Errorf("unassigned = %v, want [new reinspect]", r.Unassigned)
				}
			},
		},
		{
			name: "a holiday gives no assignments",
			in: AssignInput{Teams: []AssignTeam{asgTeam("nk", asgNK, 3)}, Holidays: []models.Date{asgDay},
				Tasks: []AssignTask{asgTask("t1", asgNKW1, 0, 100)}},
			check: func(t *testing.T, r AssignResult) {
				if r.Teams[0].Capacity != 0 || !slices.Equal(r.Unassigned, []string{"t1"}) {
					t.Errorf("team day %+v, unassigned %v", r.Teams[0], r.Unassigned)
				}
			},
		},
		{
			name: "a team's day off gives it no assignments",
			in: AssignInput{Teams: []AssignTeam{
				asgWithTeam(asgTeam("weekend", asgNK, 3), func(t *AssignTeam) { t.WorkingDays = "6,7" }),
				asgTeam("city", asgCity, 1),
			}, Tasks: []AssignTask{asgTask("t1", asgNKW1, 0, 100), asgTask("t2", asgNKW1, 0, 200)}},
			want: map[string]string{"t1": "city overflow"},
		},
		{
			name: "tasks already released today reduce the capacity",
			in: AssignInput{Teams: []AssignTeam{asgTeam("nk", asgNK, 3)}, AlreadyReleased: map[string]int{"nk": 2},
				Tasks: []AssignTask{asgTask("t1", asgNKW1, 0, 100), asgTask("t2", asgNKW1, 0, 200)}},
			want: map[string]string{"t1": "nk jurisdiction"},
			check: func(t *testing.T, r AssignResult) {
				if r.Teams[0].Capacity != 1 {
					t.Errorf("capacity = %d, want 1", r.Teams[0].Capacity)
				}
			},
		},
		{
			name: "more released than the day's capacity leaves no capacity",
			in: AssignInput{Teams: []AssignTeam{asgTeam("nk", asgNK, 3)}, AlreadyReleased: map[string]int{"nk": 7},
				Tasks: []AssignTask{asgTask("t1", asgNKW1, 0, 100)}},
			check: func(t *testing.T, r AssignResult) {
				if r.Teams[0].Capacity != 0 || len(r.Assignments) != 0 {
					t.Errorf("team day %+v, assignments %v", r.Teams[0], r.Assignments)
				}
			},
		},
		{
			name: "a task waits for the start of its window",
			in: AssignInput{Teams: []AssignTeam{asgTeam("nk", asgNK, 3)},
				Tasks: []AssignTask{asgWithTask(asgTask("next-week", asgNKW1, 0, 100), func(t *AssignTask) {
					t.WindowStart, t.WindowEnd = asgMonday.AddDays(7), asgFriday.AddDays(7)
				})}},
			check: func(t *testing.T, r AssignResult) {
				if !slices.Equal(r.Unassigned, []string{"next-week"}) {
					t.Errorf("unassigned = %v", r.Unassigned)
				}
			},
		},
		{
			name: "the tasks of one place go to the same team",
			in: AssignInput{Teams: []AssignTeam{asgTeam("nk-a", asgNK, 3), asgTeam("nk-b", asgNK, 3)},
				Tasks: []AssignTask{
					// A market of three businesses, and a task elsewhere that comes between them
					// in priority order.
					asgWithTask(asgTask("m1", asgNKW1, 2000, 0), func(t *AssignTask) { t.WindowEnd = asgDay }),
					asgTask("elsewhere", asgNKW1, -3000, 0),
					asgWithTask(asgTask("m2", asgNKW1, 2010, 5), func(t *AssignTask) { t.Reason = models.ReasonReinspection }),
					asgWithTask(asgTask("m3", asgNKW1, 2005, 15), func(t *AssignTask) { t.WindowEnd = asgDay.AddDays(1) }),
				}},
			want: map[string]string{"m1": "nk-a jurisdiction", "m2": "nk-a jurisdiction", "m3": "nk-a jurisdiction", "elsewhere": "nk-b jurisdiction"},
		},
		{
			name: "a place's routine tasks do not push out late tasks elsewhere",
			in: AssignInput{Teams: []AssignTeam{asgTeam("nk", asgNK, 2)},
				Tasks: []AssignTask{
					asgWithTask(asgTask("m1", asgNKW1, 2000, 0), func(t *AssignTask) { t.Urgent = true }),
					asgTask("m2", asgNKW1, 2010, 5),
					asgWithTask(asgTask("late", asgNKW1, -3000, 0), func(t *AssignTask) { t.WindowEnd = asgMonday }),
				}},
			want: map[string]string{"m1": "nk jurisdiction", "late": "nk jurisdiction"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Day = asgDay
			r := AssignDay(tc.in)
			checkAssignResult(t, tc.in, r)
			got := asgTeamOfTask(r)
			if tc.want == nil {
				tc.want = map[string]string{}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("assignments = %v, want %v", got, tc.want)
			}
			if tc.check != nil {
				tc.check(t, r)
			}
		})
	}
}

func asgWithTeam(t AssignTeam, change func(*AssignTeam)) AssignTeam {
	change(&t)
	return t
}

// checkAssignResult checks what must hold of every assignment: each task at most once and
// either assigned or left, capacity and jurisdiction respected, route orders 1..n, routes no
// longer than the unordered lists, and nothing on a team's day off.
func checkAssignResult(t *testing.T, in AssignInput, r AssignResult) {
	t.Helper()
	tasks := map[string]AssignTask{}
	for _, task := range in.Tasks {
		tasks[task.ID] = task
	}
	teams := map[string]AssignTeam{}
	for _, team := range in.Teams {
		teams[team.ID] = team
	}
	seen := map[string]bool{}
	orders := map[string][]int{}
	for _, a := range r.Assignments {
		if seen[a.TaskID] {
			t.Fatalf("task %s assigned twice", a.TaskID)
		}
		seen[a.TaskID] = true
		task, team := tasks[a.TaskID], teams[a.TeamID]
		if !strings.HasPrefix(task.AreaPath, team.AreaPath) {
			t.Fatalf("task %s in %s went to team %s of %s", task.ID, task.AreaPath, team.ID, team.AreaPath)
		}
		if task.WindowStart.After(in.Day) {
			t.Fatalf("task %s went out before its window", task.ID)
		}
		orders[a.TeamID] = append(orders[a.TeamID], a.RouteOrder)
	}
	for _, id := range r.Unassigned {
		if seen[id] {
			t.Fatalf("task %s is both assigned and unassigned", id)
		}
		seen[id] = true
	}
	if len(seen) != len(in.Tasks) {
		t.Fatalf("%d tasks accounted for out of %d", len(seen), len(in.Tasks))
	}
	if len(r.Teams) != len(in.Teams) {
		t.Fatalf("%d team days for %d teams", len(r.Teams), len(in.Teams))
	}
	for _, d := range r.Teams {
		team := teams[d.TeamID]
		want := DailyCapacity(team.Weekly, team.WorkingDays, in.Day)
		if slices.Contains(in.Holidays, in.Day) {
			want = 0
		}
		want = max(0, want-in.AlreadyReleased[team.ID])
		if d.Capacity != want {
			t.Fatalf("team %s capacity %d, want %d", team.ID, d.Capacity, want)
		}
		if d.Tasks > d.Capacity || d.Tasks != len(orders[d.TeamID]) {
			t.Fatalf("team %s: %d tasks, capacity %d, %d assignments", team.ID, d.Tasks, d.Capacity, len(orders[d.TeamID]))
		}
		got := slices.Sorted(slices.Values(orders[d.TeamID]))
		for k, o := range got {
			if o != k+1 {
				t.Fatalf("team %s route orders %v are not 1..%d", team.ID, got, len(got))
			}
		}
		if d.RouteLengthM > d.UnorderedLengthM+1e-6 {
			t.Fatalf("team %s route %.1f m is longer than the unordered list %.1f m", team.ID, d.RouteLengthM, d.UnorderedLengthM)
		}
	}
	if !slices.IsSortedFunc(r.Assignments, func(a, b Assignment) int {
		return cmp.Or(strings.Compare(a.TeamID, b.TeamID), cmp.Compare(a.RouteOrder, b.RouteOrder))
	}) {
		t.Fatalf("assignments are not ordered by team and route")
	}
}

// asgCityInput is a random city: a city team, districts with district teams, wards some of
// which have teams, and tasks spread over the wards with random windows, reasons and history.
func asgCityInput(seed uint64, districts, wardsPerDistrict, tasks int) AssignInput {
	r := rand.New(rand.NewPCG(seed, seed))
	in := AssignInput{Day: asgDay, AlreadyReleased: map[string]int{}}
	in.Teams = append(in.Teams, AssignTeam{ID: "city", AreaPath: "/92/", BaseLat: 10.03, BaseLon: 105.78, Weekly: 5 + r.IntN(20), WorkingDays: models.DefaultWorkingDays})
	var wards []string
	teamsOf := map[string][]string{}
	for d := range districts {
		dp := fmt.Sprintf("/92/d%02d/", d)
		for k := range 1 + r.IntN(2) {
			id := fmt.Sprintf("d%02d-%d", d, k)
			in.Teams = append(in.Teams, AssignTeam{ID: id, AreaPath: dp, BaseLat: 10 + r.Float64()*0.1, BaseLon: 105.7 + r.Float64()*0.1,
				Weekly: r.IntN(15), WorkingDays: []models.Weekdays{models.DefaultWorkingDays, "1,3,5", "1,2,3,4,5,6"}[r.IntN(3)]})
			teamsOf[dp] = append(teamsOf[dp], id)
		}
		for w := range wardsPerDistrict {
			wp := fmt.Sprintf("%sw%02d/", dp, w)
			wards = append(wards, wp)
			if r.IntN(2) == 0 {
				id := fmt.Sprintf("d%02dw%02d", d, w)
				in.Teams = append(in.Teams, AssignTeam{ID: id, AreaPath: wp, BaseLat: 10 + r.Float64()*0.1, BaseLon: 105.7 + r.Float64()*0.1,
					Weekly: r.IntN(12), WorkingDays: models.DefaultWorkingDays})
				teamsOf[wp] = append(teamsOf[wp], id)
				if r.IntN(4) == 0 {
					in.AlreadyReleased[id] = r.IntN(3)
				}
			}
		}
	}
	reasons := []string{models.ReasonCoverage, models.ReasonReinspection, models.ReasonRequeue, models.ReasonFollowUp}
	for i := range tasks {
		wp := wards[r.IntN(len(wards))]
		start := asgMonday.AddDays(7 * (r.IntN(4) - 2))
		task := AssignTask{ID: fmt.Sprintf("t%05d", i), BusinessID: fmt.Sprintf("b%05d", i), AreaPath: wp,
			Lat: 10 + r.Float64()*0.1, Lon: 105.7 + r.Float64()*0.1, WindowStart: start, WindowEnd: start.AddDays(4),
			Reason: reasons[r.IntN(len(reasons))], Urgent: r.IntN(50) == 0}
		if i > 0 && r.IntN(5) == 0 { // another business at the same address
			task.Lat, task.Lon = in.Tasks[i-1].Lat, in.Tasks[i-1].Lon
		}
		if ts := append(slices.Clone(teamsOf[wp]), teamsOf[wp[:len("/92/d00/")]]...); len(ts) > 0 && r.IntN(2) == 0 {
			task.LastTeamID = ts[r.IntN(len(ts))]
		}
		in.Tasks = append(in.Tasks, task)
	}
	return in
}

func TestAssignDayOnRandomCities(t *testing.T) {
	reasons := map[string]int{}
	for seed := range uint64(30) {
		in := asgCityInput(seed, 4, 5, 400)
		r := AssignDay(in)
		checkAssignResult(t, in, r)
		for _, a := range r.Assignments {
			reasons[a.Reason]++
		}

		// Urgent and late tasks come before any task that is due later, as long as a team could
		// take them: no task left behind was more pressing than one assigned in its jurisdiction.
		assigned := asgTeamOfTask(r)
		byID := map[string]AssignTask{}
		for _, task := range in.Tasks {
			byID[task.ID] = task
		}
		for _, a := range r.Assignments {
			got := byID[a.TaskID]
			team := a.TeamID
			for _, id := range r.Unassigned {
				left := byID[id]
				if left.WindowStart.After(in.Day) || !strings.HasPrefix(left.AreaPath, asgTeamPath(in, team)) {
					continue
				}
				if urgencyClass(&left, in.Day) < urgencyClass(&got, in.Day) {
					t.Fatalf("seed %d: %s (class %d) left while %s (class %d) went to %s", seed, id, urgencyClass(&left, in.Day), got.ID, urgencyClass(&got, in.Day), team)
				}
			}
		}

		// Rotation: a task goes to its last team only when no other team of its jurisdiction
		// ended the day with room.
		left := map[string]int{}
		for _, d := range r.Teams {
			left[d.TeamID] = d.Capacity - d.Tasks
		}
		for _, a := range r.Assignments {
			task := byID[a.TaskID]
			if a.TeamID != task.LastTeamID {
				continue
			}
			if a.Reason != AssignReasonNoRotation {
				t.Fatalf("seed %d: %s went to its last team with reason %q", seed, a.TaskID, a.Reason)
			}
			for _, team := range in.Teams {
				if team.ID != a.TeamID && strings.HasPrefix(task.AreaPath, team.AreaPath) && left[team.ID] > 0 {
					t.Fatalf("seed %d: %s went to its last team %s while %s had room", seed, a.TaskID, a.TeamID, team.ID)
				}
			}
		}

		// Determinism, and the task-to-team choice does not depend on the input order.
		if again := AssignDay(in); !reflect.DeepEqual(again, r) {
			t.Fatalf("seed %d: two runs differ", seed)
		}
		shuffled := in
		shuffled.Tasks = slices.Clone(in.Tasks)
		shuffled.Teams = slices.Clone(in.Teams)
		rr := rand.New(rand.NewPCG(seed, 99))
		rr.Shuffle(len(shuffled.Tasks), func(i, j int) { shuffled.Tasks[i], shuffled.Tasks[j] = shuffled.Tasks[j], shuffled.Tasks[i] })
		rr.Shuffle(len(shuffled.Teams), func(i, j int) { shuffled.Teams[i], shuffled.Teams[j] = shuffled.Teams[j], shuffled.Teams[i] })
		if got := asgTeamOfTask(AssignDay(shuffled)); !reflect.DeepEqual(got, assigned) {
			t.Fatalf("seed %d: shuffling the input changes the assignment", seed)
		}
	}
	// The random cities must exercise every rule, or the checks above prove little.
	t.Logf("reasons: %v", reasons)
	for _, why := range []string{AssignReasonJurisdiction, AssignReasonOverflow, AssignReasonRotation, AssignReasonNoRotation} {
		if reasons[why] == 0 {
			t.Errorf("no assignment for reason %q in the random cities", why)
		}
	}
}

func asgTeamPath(in AssignInput, teamID string) string {
	for _, t := range in.Teams {
		if t.ID == teamID {
			return t.AreaPath
		}
	}
	return "\x00"
}

func TestAssignDayWithNothingToDo(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   AssignInput
	}{
		{"no teams and no tasks", AssignInput{Day: asgDay}},
		{"tasks but no teams", AssignInput{Day: asgDay, Tasks: []AssignTask{asgTask("t1", asgNKW1, 0, 0)}}},
		{"teams but no tasks", AssignInput{Day: asgDay, Teams: []AssignTeam{asgTeam("nk", asgNK, 2)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := AssignDay(tc.in)
			checkAssignResult(t, tc.in, r)
			if len(r.Assignments) != 0 {
				t.Errorf("assignments = %v", r.Assignments)
			}
			for _, d := range r.Teams {
				if d.RouteLengthM != 0 || d.UnorderedLengthM != 0 {
					t.Errorf("an empty day has a route: %+v", d)
				}
			}
		})
	}
}

// The visits released earlier and not begun (Stops) are ridden in one route with the new tasks
// of their team; a team with nothing new keeps its order.
func TestEarlierStopsAreReorderedWithTheNewTasks(t *testing.T) {
	stop := func(id, team string, eastM, northM float64) AssignStop {
		tk := asgTask(id, asgNKW1, eastM, northM)
		return AssignStop{TaskID: id, TeamID: team, Lat: tk.Lat, Lon: tk.Lon}
	}
	in := AssignInput{Day: asgDay,
		Teams: []AssignTeam{asgTeam("nk", asgNK, 4), asgTeam("om", asgOM, 2)},
		// nk rode out 2 km east, then came back to 1 km east; om has a stop and nothing new.
		Stops:           []AssignStop{stop("s2", "nk", 2000, 0), stop("s1", "nk", 1000, 0), stop("so", "om", 0, 3000)},
		AlreadyReleased: map[string]int{"nk": 2, "om": 1},
		Tasks:           []AssignTask{asgTask("t3", asgNKW1, 3000, 0), asgTask("t0", asgNKW2, 500, 0)},
	}
	res := AssignDay(in)
	order := map[string]int{}
	for _, a := range append(slices.Clone(res.Assignments), res.Reordered...) {
		if a.TeamID != "nk" {
			t.Fatalf("%s went to %s", a.TaskID, a.TeamID)
		}
		order[a.TaskID] = a.RouteOrder
	}
	// Eastward along a line and back: 0.5, 1, 2, 3 km.
	if want := map[string]int{"t0": 1, "s1": 2, "s2": 3, "t3": 4}; !reflect.DeepEqual(order, want) {
		t.Fatalf("route orders %v, want %v", order, want)
	}
	if len(res.Assignments) != 2 || len(res.Reordered) != 2 {
		t.Fatalf("%d assigned, %d reordered", len(res.Assignments), len(res.Reordered))
	}
	for _, td := range res.Teams {
		switch td.TeamID {
		case "nk":
			// The route rides 3 km out and back; the input order (2, 1, 3, 0.5 km) more.
			if td.Tasks != 2 || math.Abs(td.RouteLengthM-6000) > 5 || td.UnorderedLengthM < td.RouteLengthM+1000 {
				t.Errorf("nk's day: %+v", td)
			}
		case "om":
			if td.Tasks != 0 || math.Abs(td.RouteLengthM-6000) > 5 || td.RouteLengthM != td.UnorderedLengthM {
				t.Errorf("om's day: %+v", td)
			}
		}
	}
}
