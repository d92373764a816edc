package scheduler

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"kiemtra/models"
)

// asgBenchInput is a city of 900 wards on a 30 by 30 grid over Can Tho (lat 9.94-10.24, lon
// 105.40-105.85, cells of about 1.1 by 1.6 km), in 100 districts of 3 by 3 wards: one city team
// (10 a day), 100 district teams (5 a day) and 899 ward teams (3 a day; one ward has none), each
// based at the centre of its area, working Monday to Friday. 50,000 open tasks are uniform over
// the city: a tenth late (last week's window), six tenths due this week, three tenths next week
// (not yet eligible), 1% urgent; half have a last team (ward, district or city), and a tenth
// share an address with the task before.
func asgBenchInput() AssignInput {
	const (
		side             = 30
		minLat, minLon   = 9.94, 105.40
		cellLat, cellLon = 0.01, 0.015
		tasks            = 50_000
	)
	r := rand.New(rand.NewPCG(2026, 3))
	in := AssignInput{Day: asgDay, AlreadyReleased: map[string]int{}}
	wardPath := func(row, col int) string {
		return fmt.Sprintf("/92/d%d%d/w%02d%02d/", row/3, col/3, row, col)
	}
	wardTeam := func(row, col int) string { return fmt.Sprintf("w%02d%02d", row, col) }
	distTeam := func(row, col int) string { return fmt.Sprintf("d%d%d", row/3, col/3) }
	in.Teams = append(in.Teams, AssignTeam{ID: "city", AreaPath: "/92/", BaseLat: minLat + side*cellLat/2, BaseLon: minLon + side*cellLon/2,
		Weekly: 50, WorkingDays: models.DefaultWorkingDays})
	for dr := range side / 3 {
		for dc := range side / 3 {
			in.Teams = append(in.Teams, AssignTeam{ID: distTeam(dr*3, dc*3), AreaPath: fmt.Sprintf("/92/d%d%d/", dr, dc),
				BaseLat: minLat + (float64(dr)*3+1.5)*cellLat, BaseLon: minLon + (float64(dc)*3+1.5)*cellLon, Weekly: 25, WorkingDays: models.DefaultWorkingDays})
		}
	}
	for row := range side {
		for col := range side {
			if row == 0 && col == 0 {
				continue // a ward without its own team: the district team covers it
			}
			in.Teams = append(in.Teams, AssignTeam{ID: wardTeam(row, col), AreaPath: wardPath(row, col),
				BaseLat: minLat + (float64(row)+0.5)*cellLat, BaseLon: minLon + (float64(col)+0.5)*cellLon, Weekly: 15, WorkingDays: models.DefaultWorkingDays})
			if r.IntN(20) == 0 {
				in.AlreadyReleased[wardTeam(row, col)] = 1
			}
		}
	}
	reasons := []string{models.ReasonCoverage, models.ReasonCoverage, models.ReasonReinspection, models.ReasonRequeue, models.ReasonFollowUp}
	for i := range tasks {
		lat, lon := minLat+r.Float64()*side*cellLat, minLon+r.Float64()*side*cellLon
		if i > 0 && r.IntN(10) == 0 {
			lat, lon = in.Tasks[i-1].Lat, in.Tasks[i-1].Lon
		}
		row, col := min(int((lat-minLat)/cellLat), side-1), min(int((lon-minLon)/cellLon), side-1)
		start := asgMonday
		switch p := r.IntN(10); {
		case p == 0:
			start = asgMonday.AddDays(-7)
		case p >= 7:
			start = asgMonday.AddDays(7)
		}
		task := AssignTask{ID: fmt.Sprintf("t%06d", i), BusinessID: fmt.Sprintf("b%06d", i), Lat: lat, Lon: lon,
			AreaPath: wardPath(row, col), WindowStart: start, WindowEnd: start.AddDays(4),
			Reason: reasons[r.IntN(len(reasons))], Urgent: r.IntN(100) == 0}
		switch p := r.IntN(10); {
		case p < 3:
			task.LastTeamID = wardTeam(row, col)
		case p < 4:
			task.LastTeamID = distTeam(row, col)
		case p < 5:
			task.LastTeamID = "city"
		}
		if r.IntN(2) == 0 {
			task.PreferredTeamID = wardTeam(row, col)
		}
		in.Tasks = append(in.Tasks, task)
	}
	return in
}

// BenchmarkAssignDay1000Teams50kTasks assigns a day of 1,000 teams and 50,000 open tasks
// (asgBenchInput). It reports the tasks assigned and the mean, over the teams with at least two
// tasks, of the route's length over the unordered list's (the tasks in input order).
func BenchmarkAssignDay1000Teams50kTasks(b *testing.B) {
	in := asgBenchInput()
	var r AssignResult
	for b.Loop() {
		r = AssignDay(in)
	}
	sum, n := 0.0, 0
	for _, d := range r.Teams {
		if d.Tasks >= 2 && d.UnorderedLengthM > 0 {
			sum += d.RouteLengthM / d.UnorderedLengthM
			n++
		}
	}
	b.ReportMetric(float64(len(r.Assignments)), "assigned")
	b.ReportMetric(sum/float64(max(n, 1)), "route/unordered")
}
