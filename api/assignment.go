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
}

// TeamDayStore reads a team's released tasks.
type TeamDayStore interface {
	FindTeamDay(ctx context.Context, teamID string, day models.Date) ([]*models.Task, error)
}

func (s *Server) registerAssignmentRoutes(g *gin.RouterGroup) {
	g.POST("/assignments/run", s.runAssignment)
	g.GET("/teams/:id/day", s.teamDay)
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
	if day.Before(s.today()) || day.After(s.today().AddDays(14)) {
		s.writeError(c, models.Invalid("date", "must be today or within the next 14 days", "phải là hôm nay hoặc trong 14 ngày tới"))
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
