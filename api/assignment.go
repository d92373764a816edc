package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// Assigner runs a day's assignment on demand.
type Assigner interface {
	Assign(ctx context.Context, actor string, day models.Date) (*models.AssignmentSummary, error)
	// ReleaseHorizon is how many days of visits are released ahead, today included (at least 1).
	ReleaseHorizon() int
}

// TeamDayStore reads a team's released tasks.
type TeamDayStore interface {
	FindTeamDay(ctx context.Context, teamID string, day models.Date) ([]*models.Task, error)
	models.ReviewStore // the team lead's desk (api/team_desk.go)
}

func (s *Server) registerAssignmentRoutes(g *gin.RouterGroup) {
	g.POST("/assignments/run", s.runAssignment)
	g.GET("/teams/:id/day", s.teamDay)
	g.GET("/teams/:id/week", s.teamWeek)
	g.GET("/teams/:id/inspections", s.teamInspections)
}

// today is the current date in the users' time zone.
func (s *Server) today() models.Date { return models.DateOf(s.now().In(s.loc)) }

// dayParam reads an optional date parameter (default today).
func (s *Server) dayParam(value, field string) (models.Date, error) {
	if value == "" {
		return s.today(), nil
	}
	d, err := models.ParseDate(value)
	if err != nil {
		return models.Date{}, models.Invalid(field, "must be a date YYYY-MM-DD", "phải là ngày dạng YYYY-MM-DD")
	}
	return d, nil
}

func (s *Server) runAssignment(c *gin.Context) {
	var in struct {
		Date string `json:"date"`
	}
	if c.Request.ContentLength != 0 {
		if err := bindJSON(c, &in); err != nil {
			s.writeError(c, err)
			return
		}
	}
	day, err := s.dayParam(in.Date, "date")
	if err != nil {
		s.writeError(c, err)
		return
	}
	// Released visits are on the teams' phones: a day beyond the release horizon would tell
	// the teams their targets earlier than the morning job does.
	today, horizon := s.today(), max(1, s.assigner.ReleaseHorizon())
	if last := today.AddDays(horizon - 1); day.Before(today) || day.After(last) {
		s.writeError(c, models.Invalid("date", "must be from today (%s) to %s: visits are released %d day(s) ahead", "phải từ hôm nay (%s) đến %s: nhiệm vụ chỉ được giao trước %d ngày", today, last, horizon))
		return
	}
	sum, err := s.assigner.Assign(c.Request.Context(), actor(c), day)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, sum)
}

// TeamDayView is a team's day: its visits in route order.
type TeamDayView struct {
	TeamID string         `json:"team_id"`
	Day    models.Date    `json:"day"`
	Stops  []TeamDayStop  `json:"stops"`
	Stats  map[string]int `json:"stats"` // visits by status
}

// TeamDayStop is one visit of the day.
type TeamDayStop struct {
	Task     *models.Task     `json:"task"`
	Business *models.Business `json:"business"`
}

func (s *Server) teamDay(c *gin.Context) {
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
	// A team lead sees its day once it has begun, like its phone: a later day released ahead
	// would tell the team its targets early. Planners may look ahead.
	if p := principal(c); p != nil && p.Role == models.RoleTeamLead && day.After(s.today()) {
		s.writeError(c, models.NewError(models.EFORBIDDEN, "a team lead sees its team's days up to today (%s)", "tổ trưởng chỉ xem được các ngày của tổ đến hôm nay (%s)", s.today()))
		return
	}
	ctx := c.Request.Context()
	tasks, err := s.teamDays.FindTeamDay(ctx, t.ID, day)
	if err != nil {
		s.writeError(c, err)
		return
	}
	v := TeamDayView{TeamID: t.ID, Day: day, Stops: []TeamDayStop{}, Stats: map[string]int{}}
	for _, tk := range tasks {
		b, err := s.store.FindBusinessByID(ctx, tk.BusinessID)
		if err != nil {
			s.writeError(c, err)
			return
		}
		v.Stops = append(v.Stops, TeamDayStop{Task: tk, Business: b})
		v.Stats[tk.Status]++
	}
	c.JSON(http.StatusOK, v)
}
