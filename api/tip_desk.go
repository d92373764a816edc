package api

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// What the tip desk of the office app reads besides the tips: the reporter's contact on an
// explicit, audited request, a tip's timeline from the audit log, and the task of an urgent tip.

// TipTask is the inspection task an urgent tip created: the team sent, the day the visit was
// released for (the team's route that day) and the last day of its window.
type TipTask struct {
	ID         string      `json:"id"`
	Status     string      `json:"status"`
	TeamID     *string     `json:"team_id"`
	TeamName   string      `json:"team_name"`
	ReleasedOn models.Date `json:"released_on"`
	DueOn      models.Date `json:"due_on"`
	RouteOrder int         `json:"route_order"`
}

// TipContact is a reporter's contact, read by a tip officer at a time the audit log keeps.
type TipContact struct {
	TipID   string    `json:"tip_id"`
	Contact string    `json:"contact"`
	ReadAt  time.Time `json:"read_at"`
	ReadBy  string    `json:"read_by"`
}

// TipEvent is one step of a tip's timeline: what happened, when and by whom, with what the step
// decided (the type, severity and handling after it; the task's team; the deadline escalated).
type TipEvent struct {
	At          time.Time `json:"at"`
	Action      string    `json:"action"` // receive, verifying, classified, handled, merge, escalate, contact_read
	Actor       string    `json:"actor"`
	ActorName   string    `json:"actor_name"` // the user's display name; "" for the public and the scheduler
	Type        string    `json:"type,omitempty"`
	Severity    string    `json:"severity,omitempty"`
	Handling    string    `json:"handling,omitempty"`
	Channel     string    `json:"channel,omitempty"`
	TaskID      string    `json:"task_id,omitempty"`
	TeamID      string    `json:"team_id,omitempty"`
	TeamName    string    `json:"team_name,omitempty"`
	Deadline    string    `json:"deadline,omitempty"` // verify or handle, for an escalation
	EscalatedTo []string  `json:"escalated_to,omitempty"`
}

// tipTimelineMax is the most events a timeline shows: a tip has a handful of steps; the rest
// are contact readings.
const tipTimelineMax = 1000

// tipAuditDetails is what the audit log records with a tip's step.
type tipAuditDetails struct {
	Channel     string `json:"channel"`
	Type        string `json:"type"`
	Severity    string `json:"severity"`
	Handling    string `json:"handling"`
	TaskID      string `json:"task_id"`
	TeamID      string `json:"team_id"`
	Deadline    string `json:"deadline"`
	EscalatedTo string `json:"escalated_to"`
}

// TipTimeline turns a tip's audit events (in any order) into its timeline, in the log's order
// (oldest first). userName maps a username to its display name, teamName a team id to its name
// ("" when unknown).
func TipTimeline(events []*models.AuditEvent, userName, teamName func(string) string) []TipEvent {
	events = slices.Clone(events)
	slices.SortStableFunc(events, func(a, b *models.AuditEvent) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	out := make([]TipEvent, 0, len(events))
	for _, e := range events {
		var d tipAuditDetails
		if e.Details != "" {
			// Details are the service's own JSON; an event whose details cannot be read still shows.
			_ = json.Unmarshal([]byte(e.Details), &d)
		}
		ev := TipEvent{At: e.At, Action: e.Action, Actor: e.Actor, ActorName: userName(e.Actor)}
		switch e.Action {
		case models.TipActionReceive:
			ev.Channel, ev.Severity = d.Channel, d.Severity
		case models.TipClassified:
			ev.Type, ev.Severity = d.Type, d.Severity
			ev.TaskID, ev.TeamID = d.TaskID, d.TeamID
			if d.TeamID != "" {
				ev.TeamName = teamName(d.TeamID)
			}
		case models.TipHandled:
			ev.Handling = d.Handling
		case models.TipActionEscalate:
			ev.Deadline = d.Deadline
			for _, u := range strings.Split(d.EscalatedTo, ",") {
				if u = strings.TrimSpace(u); u != "" {
					if n := userName(u); n != "" {
						u = n
					}
					ev.EscalatedTo = append(ev.EscalatedTo, u)
				}
			}
		}
		out = append(out, ev)
	}
	return out
}

// tipTimeline answers a tip's timeline from the audit log.
func (s *Server) tipTimeline(c *gin.Context) {
	t, err := s.findVisibleTip(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	events, err := s.store.FindAuditEvents(ctx, models.AuditFilter{EntityType: "tip", EntityID: t.ID, Limit: tipTimelineMax})
	if err != nil {
		s.writeError(c, err)
		return
	}
	users := map[string]string{}
	userName := func(username string) string {
		if n, ok := users[username]; ok {
			return n
		}
		n := ""
		if u, err := s.store.FindUserByUsername(ctx, username); err == nil {
			n = u.DisplayName
		}
		users[username] = n
		return n
	}
	teamName := func(id string) string {
		if tm, err := s.store.FindTeamByID(ctx, id); err == nil {
			return tm.Name
		}
		return ""
	}
	c.JSON(http.StatusOK, gin.H{"items": TipTimeline(events, userName, teamName)})
}

// readTipContact opens the reporter's contact of a tip for a tip officer; the reading is in
// the audit log before the contact is answered.
func (s *Server) readTipContact(c *gin.Context) {
	t, err := s.findVisibleTip(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	contact, err := s.tips.ReadContact(c.Request.Context(), actor(c), t.ID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, TipContact{TipID: t.ID, Contact: contact, ReadAt: s.now().UTC(), ReadBy: actor(c)})
}

// tipDetail is the view of one tip: with the task of an urgent tip, its team and its day.
func (s *Server) tipDetail(c *gin.Context, t *models.Tip) *TipView {
	s.serverDate(c)
	v := s.tipView(c, t)
	if t.TaskID == nil || s.plans == nil {
		return v
	}
	task, err := s.tipTask(c.Request.Context(), *t.TaskID)
	if err != nil {
		// The tip is shown without its task rather than not at all; the operators see why.
		loggerFrom(c, s.log).Error("the task of a tip cannot be read", "tip", t.ID, "task", *t.TaskID, "err", err)
		return v
	}
	v.Task = task
	return v
}

func (s *Server) tipTask(ctx context.Context, id string) (*TipTask, error) {
	task, err := s.plans.FindTaskByID(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &TipTask{ID: task.ID, Status: task.Status, TeamID: task.TeamID, ReleasedOn: task.ReleasedOn, DueOn: task.WindowEnd, RouteOrder: task.RouteOrder}
	if task.TeamID != nil {
		tm, err := s.store.FindTeamByID(ctx, *task.TeamID)
		if err != nil && !models.IsCode(err, models.ENOTFOUND) {
			return nil, err
		}
		if tm != nil {
			out.TeamName = tm.Name
		}
	}
	return out, nil
}

// serverDate dates the answer by the service's clock (net/http would use the machine's): the
// tip desk counts its deadlines down from it, and tells "today" by it, whatever the clock of
// the officer's computer says.
func (s *Server) serverDate(c *gin.Context) {
	c.Header("Date", s.now().UTC().Format(http.TimeFormat))
}

// tipListFilter reads the tip list's filters besides the status: severity, and the unit
// (area) the tips are placed in.
func (s *Server) tipListFilter(c *gin.Context, f *models.TipFilter) error {
	s.serverDate(c)
	var v models.Validation
	if sev := c.Query("severity"); sev != "" {
		if !models.ValidTipChoice(sev, models.TipSeverities) {
			v.Add("severity", "must be one of %s", "phải là một trong %s", models.TipChoices(models.TipSeverities))
		}
		f.Severity = sev
	}
	if code := c.Query("area"); code != "" {
		if f.UnitPath = s.registry.AreaPath(c.Request.Context(), code); f.UnitPath == "" {
			v.Add("area", "unknown area code %q", "không có khu vực mã %q", code)
		}
	}
	return v.Err()
}
