package api

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
)

// The team lead's desk: the team's days and week (what it was given, what it did, what it could
// not do and why, what its visits queued) and the team's inspections to review.

// Why a stop of a day was not visited (beside the outcomes of failed visits: closed, refused,
// not found).
const (
	WhyNotReached = "not_reached" // the day ended before the team got there (back to the pool)
	WhyCancelled  = "cancelled"   // the visit is no longer needed
	WhyReassigned = "reassigned"  // given to another team the same day
)

// Stop states.
const (
	StopDone       = "done"        // inspected
	StopMissed     = "missed"      // visited, not inspected (closed, refused, not found)
	StopOpen       = "open"        // still to visit
	StopNotVisited = "not_visited" // never visited that day
)

// maxReviewDays is the longest period the list of inspections to review covers.
const maxReviewDays = 92

// StopBusiness is what the desk shows of a stop's business.
type StopBusiness struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Address  string `json:"address"`
	Category string `json:"category"`
}

// QueuedTask is a visit a stop's result queued: a follow-up of a violation or a repeat of a
// failed visit.
type QueuedTask struct {
	TaskID      string      `json:"task_id"`
	Reason      string      `json:"reason"`
	Status      string      `json:"status"`
	WindowStart models.Date `json:"window_start"`
	WindowEnd   models.Date `json:"window_end"`
}

// WorkStop is one visit a team was given for a day and what became of it.
type WorkStop struct {
	TaskID       string        `json:"task_id"`
	RouteOrder   int           `json:"route_order"`
	Reason       string        `json:"reason"`
	Status       string        `json:"status"` // the task's status now
	Business     *StopBusiness `json:"business"`
	State        string        `json:"state"`         // done, missed, open, not_visited
	Outcome      string        `json:"outcome"`       // of the visit's latest version; "" when not visited
	Why          string        `json:"why"`           // missed or not visited: the outcome or a Why... code
	InspectionID string        `json:"inspection_id"` // the original result; "" when none
	Queued       []QueuedTask  `json:"queued"`
}

// WorkDay is a team's day with its counts.
type WorkDay struct {
	Day           models.Date    `json:"day"`
	Hidden        bool           `json:"hidden"` // a day a team lead may not see yet
	Planned       int            `json:"planned"`
	Done          int            `json:"done"`
	Missed        int            `json:"missed"`
	Open          int            `json:"open"`
	NotVisited    int            `json:"not_visited"`
	Outcomes      map[string]int `json:"outcomes"`
	NotVisitedWhy map[string]int `json:"not_visited_why"`
	FollowUps     int            `json:"follow_ups"` // visits queued by the day's results
	Stops         []WorkStop     `json:"stops"`
}

// TeamWeekView is the answer of GET /teams/:id/week.
type TeamWeekView struct {
	TeamID string      `json:"team_id"`
	From   models.Date `json:"from"`
	To     models.Date `json:"to"`
	Today  models.Date `json:"today"`
	Days   []WorkDay   `json:"days"`
}

// weekOf returns the Monday and Sunday of the week holding d.
func weekOf(d models.Date) (models.Date, models.Date) {
	wd := int(d.Time(time.UTC).Weekday())
	mon := d.AddDays(-((wd + 6) % 7))
	return mon, mon.AddDays(6)
}

// WorkDays tells, for each day, what the team was given and what became of each visit. A
// result belongs to the latest of the team's days for the task that is not after the day it
// was finished: a visit returned to the pool one evening and released again later is
// not_reached on its first day and done on the day it was visited.
func WorkDays(w *models.TeamWork, teamID string, days []models.Date, loc *time.Location) []WorkDay {
	// The team's days for each task, and for each (task, day) its latest decision.
	type key struct {
		task string
		day  models.Date
	}
	teamDays := map[string][]models.Date{}
	latest := map[key]*models.AssignmentDecision{}
	reassigned := map[key]bool{}
	for _, d := range w.Decisions { // by day, then decision time
		k := key{d.TaskID, d.Day}
		if d.TeamID == teamID {
			if _, ok := latest[k]; !ok {
				teamDays[d.TaskID] = append(teamDays[d.TaskID], d.Day)
			}
			latest[k], reassigned[k] = d, false
		} else if _, ok := latest[k]; ok {
			reassigned[k] = true // given to another team after this one
		}
	}
	resultDay := map[string]models.Date{}
	for task, r := range w.Results {
		if r.TeamID == nil || *r.TeamID != teamID || len(teamDays[task]) == 0 {
			continue
		}
		ds, fd := teamDays[task], models.DateOf(r.FinishedAt.In(loc))
		at := ds[0]
		for _, d := range ds {
			if !d.After(fd) {
				at = d
			}
		}
		resultDay[task] = at
	}
	// Visits of tasks never given to the team (an urgent tip's, history without the mornings'
	// decisions) are stops of the day they were finished, after the route (route order 0).
	decisions := slices.Clone(w.Decisions)
	var extra []string
	for task, r := range w.Results {
		if r.TeamID != nil && *r.TeamID == teamID && len(teamDays[task]) == 0 && w.Tasks[task] != nil {
			extra = append(extra, task)
		}
	}
	slices.SortFunc(extra, func(a, b string) int {
		if c := w.Results[a].FinishedAt.Compare(w.Results[b].FinishedAt); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	for _, task := range extra {
		day := models.DateOf(w.Results[task].FinishedAt.In(loc))
		d := &models.AssignmentDecision{TaskID: task, Day: day, TeamID: teamID}
		decisions = append(decisions, d)
		latest[key{task, day}], resultDay[task] = d, day
	}
	out := make([]WorkDay, 0, len(days))
	for _, day := range days {
		wd := WorkDay{Day: day, Outcomes: map[string]int{}, NotVisitedWhy: map[string]int{}, Stops: []WorkStop{}}
		for _, d := range decisions {
			k := key{d.TaskID, day}
			if d.Day != day || latest[k] != d {
				continue
			}
			t := w.Tasks[d.TaskID]
			if t == nil {
				continue
			}
			s := WorkStop{TaskID: t.ID, RouteOrder: d.RouteOrder, Reason: t.Reason, Status: t.Status, Queued: []QueuedTask{}}
			if b := w.Businesses[t.BusinessID]; b != nil {
				s.Business = &StopBusiness{ID: b.ID, Name: b.Name, Address: b.Address, Category: b.Category}
			}
			current := t.TeamID != nil && *t.TeamID == teamID && t.ReleasedOn == day
			if current {
				s.RouteOrder = t.RouteOrder
			}
			r := w.Results[t.ID]
			switch {
			case r != nil && resultDay[t.ID] == day:
				s.Outcome, s.InspectionID = r.Outcome, r.InspectionID
				if models.Inspected(r.Outcome) {
					s.State = StopDone
				} else {
					s.State, s.Why = StopMissed, r.Outcome
				}
				for _, q := range w.Queued[t.ID] {
					s.Queued = append(s.Queued, QueuedTask{TaskID: q.ID, Reason: q.Reason, Status: q.Status, WindowStart: q.WindowStart, WindowEnd: q.WindowEnd})
				}
			case reassigned[k]:
				s.State, s.Why = StopNotVisited, WhyReassigned
			case current && t.Status == models.TaskReleased:
				s.State = StopOpen
			case t.Status == models.TaskCancelled:
				s.State, s.Why = StopNotVisited, WhyCancelled
			default:
				s.State, s.Why = StopNotVisited, WhyNotReached
			}
			wd.Planned++
			switch s.State {
			case StopDone:
				wd.Done++
			case StopMissed:
				wd.Missed++
			case StopOpen:
				wd.Open++
			case StopNotVisited:
				wd.NotVisited++
				wd.NotVisitedWhy[s.Why]++
			}
			if s.Outcome != "" {
				wd.Outcomes[s.Outcome]++
			}
			wd.FollowUps += len(s.Queued)
			wd.Stops = append(wd.Stops, s)
		}
		// In route order; visits off the route (order 0) last, in the order they were made.
		slices.SortStableFunc(wd.Stops, func(a, b WorkStop) int {
			switch {
			case a.RouteOrder == b.RouteOrder:
				if a.RouteOrder == 0 {
					return 0
				}
				return strings.Compare(a.TaskID, b.TaskID)
			case a.RouteOrder == 0:
				return 1
			case b.RouteOrder == 0:
				return -1
			}
			return a.RouteOrder - b.RouteOrder
		})
		out = append(out, wd)
	}
	return out
}

// leadLimit is the last day the caller may see of a team's work: today for a team lead (a day
// released ahead would tell the team its targets early), none for planners.
func (s *Server) leadLimit(c *gin.Context) (models.Date, bool) {
	if p := principal(c); p != nil && p.Role == models.RoleTeamLead {
		return s.today(), true
	}
	return models.Date{}, false
}

func (s *Server) teamWeek(c *gin.Context) {
	t, err := s.findVisibleTeam(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	day, err := s.dayParam(c.Query("date"), "date")
	if err != nil {
		s.writeError(c, err)
		return
	}
	limit, limited := s.leadLimit(c)
	if limited && day.After(limit) {
		s.writeError(c, models.NewError(models.EFORBIDDEN, "a team lead sees its team's days up to today (%s)", "tổ trưởng chỉ xem được các ngày của tổ đến hôm nay (%s)", limit))
		return
	}
	from, to := weekOf(day)
	work, err := s.teamDays.FindTeamWork(c.Request.Context(), t.ID, from, to, s.loc)
	if err != nil {
		s.writeError(c, err)
		return
	}
	days := make([]models.Date, 7)
	for i := range days {
		days[i] = from.AddDays(i)
	}
	v := TeamWeekView{TeamID: t.ID, From: from, To: to, Today: s.today(), Days: WorkDays(work, t.ID, days, s.loc)}
	for i := range v.Days {
		if limited && v.Days[i].Day.After(limit) {
			v.Days[i] = WorkDay{Day: v.Days[i].Day, Hidden: true, Outcomes: map[string]int{}, NotVisitedWhy: map[string]int{}, Stops: []WorkStop{}}
		}
	}
	c.JSON(http.StatusOK, v)
}

// TeamInspectionItem is one of a team's inspections as its lead reviews it.
type TeamInspectionItem struct {
	ID         string                   `json:"id"`        // the original result
	LatestID   string                   `json:"latest_id"` // its latest version (the original when never corrected)
	Version    int                      `json:"version"`   // 1 + the number of corrections
	TaskID     *string                  `json:"task_id"`
	Business   *StopBusiness            `json:"business"`
	FinishedAt time.Time                `json:"finished_at"`
	Outcome    string                   `json:"outcome"` // of the latest version
	CreatedBy  string                   `json:"created_by"`
	Findings   []*models.Finding        `json:"findings"`
	Photos     int                      `json:"photos"`
	Flags      []string                 `json:"flags"`       // violation, off_site, amended, no_photos
	CheckFlags []string                 `json:"check_flags"` // the result's own flags (no_checkin, short_visit, ...)
	Reviewed   bool                     `json:"reviewed"`    // the latest version is reviewed
	Review     *models.InspectionReview `json:"review"`      // the latest review, of any version
}

// TeamInspectionsView is the answer of GET /teams/:id/inspections.
type TeamInspectionsView struct {
	TeamID   string               `json:"team_id"`
	From     models.Date          `json:"from"`
	To       models.Date          `json:"to"`
	ToReview int                  `json:"to_review"` // not reviewed at their latest version
	Flagged  int                  `json:"flagged"`   // with at least one flag
	Items    []TeamInspectionItem `json:"items"`
}

func teamInspectionItem(ti *models.TeamInspection) TeamInspectionItem {
	it := TeamInspectionItem{ID: ti.Original.ID, LatestID: ti.Latest.ID, Version: ti.Version, TaskID: ti.Original.TaskID,
		FinishedAt: ti.Original.FinishedAt, Outcome: ti.Latest.Outcome, CreatedBy: ti.Original.CreatedBy, Findings: nonNil(ti.Findings),
		Photos: ti.Photos, Flags: ti.ReviewFlags(), CheckFlags: nonNil([]string(models.ParseFlags(ti.Latest.Flags))), Reviewed: ti.Reviewed(), Review: ti.Review}
	if b := ti.Business; b != nil {
		it.Business = &StopBusiness{ID: b.ID, Name: b.Name, Address: b.Address, Category: b.Category}
	}
	return it
}

// maxTeamInspections is the most inspections one list answers.
const maxTeamInspections = 500

func (s *Server) teamInspections(c *gin.Context) {
	t, err := s.findVisibleTeam(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	var v models.Validation
	to, err := s.dayParam(c.Query("to"), "to")
	if err != nil {
		v.AddError(err)
	}
	from := to.AddDays(-6)
	if c.Query("from") != "" {
		if from, err = s.dayParam(c.Query("from"), "from"); err != nil {
			v.AddError(err)
		}
	}
	if err := v.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	if from.After(to) {
		s.writeError(c, models.Invalid("from", "must not be after to (%s)", "không được sau ngày kết thúc (%s)", to))
		return
	}
	if n := from.DaysUntil(to) + 1; n > maxReviewDays {
		s.writeError(c, models.Invalid("to", "the period is %d days long; at most %d", "khoảng thời gian dài %d ngày; tối đa %d ngày", n, maxReviewDays))
		return
	}
	list, err := s.teamDays.FindTeamInspections(c.Request.Context(), t.ID, from.Time(s.loc), to.AddDays(1).Time(s.loc), maxTeamInspections)
	if err != nil {
		s.writeError(c, err)
		return
	}
	out := TeamInspectionsView{TeamID: t.ID, From: from, To: to, Items: make([]TeamInspectionItem, 0, len(list))}
	for _, ti := range list {
		it := teamInspectionItem(ti)
		if !it.Reviewed {
			out.ToReview++
		}
		if len(it.Flags) > 0 {
			out.Flagged++
		}
		out.Items = append(out.Items, it)
	}
	c.JSON(http.StatusOK, out)
}

// ReviewInput is the body of POST /inspections/:id/review.
type ReviewInput struct {
	Note    string `json:"note"`
	Version int    `json:"version"` // the version the lead read
}

func (s *Server) reviewInspection(c *gin.Context) {
	var in ReviewInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	r := &models.InspectionReview{Version: in.Version, Note: norm.NFC.String(strings.TrimSpace(in.Note)), ReviewedBy: actor(c)}
	if err := r.Validate(); err != nil {
		s.writeError(c, err)
		return
	}
	// Only the team's own lead reviews: another team's inspection is not found.
	insp, err := s.findVisibleInspection(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	id := insp.ID
	if insp.AmendsID != nil {
		id = *insp.AmendsID // a review is of the original and names its version
	}
	ctx := c.Request.Context()
	ti, err := s.teamDays.FindTeamInspection(ctx, id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if ti.Original.TeamID == nil {
		s.writeError(c, notFoundOutside("inspection", "kết quả kiểm tra"))
		return
	}
	if in.Version != ti.Version {
		s.writeError(c, models.NewError(models.ECONFLICT, "the inspection is at version %d, not %d: it was corrected since you read it; reload it", "kết quả kiểm tra đang ở phiên bản %d, không phải %d: đã được sửa sau khi bạn xem; hãy tải lại", ti.Version, in.Version))
		return
	}
	r.InspectionID, r.TeamID = ti.Original.ID, *ti.Original.TeamID
	stored, created, err := s.teamDays.ReviewInspection(ctx, actor(c), r)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ti.Review = stored
	writeSaved(c, created, "", teamInspectionItem(ti))
}
