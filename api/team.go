package api

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// TeamInput is the body of POST /teams.
type TeamInput struct {
	Name           string   `json:"name"`
	Level          string   `json:"level"`
	AreaCode       string   `json:"area_code"`
	BaseLat        float64  `json:"base_lat"`
	BaseLon        float64  `json:"base_lon"`
	WeeklyCapacity int      `json:"weekly_capacity"`
	WorkingDays    []int    `json:"working_days"`
	Members        []string `json:"members"`
	// Areas are the units the team serves when several (a cluster of communes); area_code may
	// then be left out: it becomes the smallest unit that holds them all.
	Areas        []string    `json:"areas"`
	DecisionNo   string      `json:"decision_no"`
	DecisionDate models.Date `json:"decision_date"`
	DecisionBy   string      `json:"decision_by"`
}

// TeamView is a team with its members and what a planner should know about it.
type TeamView struct {
	*models.Team
	WorkingDays []int          `json:"working_days"`
	Members     []*models.User `json:"members"`
	Warnings    []string       `json:"warnings"`
}

func (s *Server) registerTeamRoutes(g *gin.RouterGroup) {
	g.GET("/teams", s.listTeams)
	g.POST("/teams", s.createTeam)
	g.GET("/teams/:id", s.getTeam)
	g.PATCH("/teams/:id", s.updateTeam)
}

func (s *Server) teamView(ctx context.Context, t *models.Team, vi bool) (*TeamView, error) {
	members, err := s.store.FindTeamMembers(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	return &TeamView{Team: t, WorkingDays: t.WorkingDays.Days(), Members: nonNil(members), Warnings: TeamWarnings(members, vi)}, nil
}

// TeamWarnings says what is odd about a team without making it invalid: a team whose members
// are all disabled (or gone) gets no visits, and an interagency team has officers of at least
// two agencies. Disabled members do not count: they do not go out.
func TeamWarnings(members []*models.User, vi bool) []string {
	agencies := map[string]bool{}
	for _, m := range members {
		if !m.Disabled {
			agencies[m.Agency] = true
		}
	}
	out := []string{}
	switch {
	case len(agencies) == 0:
		out = append(out, pick(vi, "the team has no enabled member: it gets no visits until it has one", "tổ không có thành viên nào đang hoạt động: tổ sẽ không được giao nhiệm vụ cho đến khi có thành viên"))
	case len(agencies) < 2:
		out = append(out, pick(vi, "an interagency team should have members from at least two agencies", "đoàn liên ngành nên có thành viên của ít nhất hai cơ quan"))
	}
	return out
}

// teamLevelFits reports whether a team of the level may have the area as its jurisdiction: a
// city team has a city, a district team a district, a ward or commune team a ward or commune; a
// cluster team (several units) has the unit that holds them. Areas of other levels (the tree may
// be reorganised) take a city team at the root and a district or ward team below.
func teamLevelFits(level string, a *models.Area) bool {
	if level == models.TeamLevelCluster {
		return true
	}
	switch a.Level {
	case models.AreaLevelCommune:
		return level == models.TeamLevelCommune
	case models.AreaLevelCity, models.AreaLevelDistrict, models.AreaLevelWard:
		return level == a.Level
	}
	return (level == models.TeamLevelCity) == (a.ParentCode == nil)
}

func (s *Server) listTeams(c *gin.Context) {
	ctx := c.Request.Context()
	teams, err := s.store.FindTeams(ctx)
	if err != nil {
		s.writeError(c, err)
		return
	}
	views := []*TeamView{}
	for _, t := range teams {
		if !s.teamVisible(c, t) {
			continue
		}
		v, err := s.teamView(ctx, t, wantsVietnamese(c))
		if err != nil {
			s.writeError(c, err)
			return
		}
		views = append(views, v)
	}
	c.JSON(http.StatusOK, gin.H{"items": views})
}

// teamVisible reports whether the caller may see a team: one of its jurisdiction, and for an
// inspector or a team lead only its own team.
func (s *Server) teamVisible(c *gin.Context, t *models.Team) bool {
	p := principal(c)
	if p == nil || !s.visibleArea(c, t.AreaCode) {
		return false
	}
	return (p.Role != models.RoleInspector && p.Role != models.RoleTeamLead) || p.TeamID == t.ID
}

// findVisibleTeam loads a team the caller may see; others are not found.
func (s *Server) findVisibleTeam(c *gin.Context, id string) (*models.Team, error) {
	t, err := s.store.FindTeamByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if !s.teamVisible(c, t) {
		return nil, notFoundOutside("team", "tổ công tác")
	}
	return t, nil
}

func (s *Server) getTeam(c *gin.Context) {
	t, err := s.findVisibleTeam(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	v, err := s.teamView(c.Request.Context(), t, wantsVietnamese(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (s *Server) createTeam(c *gin.Context) {
	var in TeamInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	t := &models.Team{Name: strings.TrimSpace(in.Name), Level: in.Level, AreaCode: in.AreaCode, Areas: in.Areas, BaseLat: in.BaseLat, BaseLon: in.BaseLon, WeeklyCapacity: in.WeeklyCapacity,
		DecisionNo: in.DecisionNo, DecisionDate: in.DecisionDate, DecisionBy: in.DecisionBy}
	s.saveTeam(c, t, in.WorkingDays, &in.Members, http.StatusCreated)
}

func (s *Server) updateTeam(c *gin.Context) {
	var upd models.TeamUpdate
	if err := bindJSON(c, &upd); err != nil {
		s.writeError(c, err)
		return
	}
	if upd.Version <= 0 {
		s.writeError(c, models.Invalid("version", "is required: send the version you read", "là bắt buộc: gửi phiên bản bạn đã đọc"))
		return
	}
	t, err := s.findVisibleTeam(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if upd.Version != t.Version {
		s.writeError(c, models.NewError(models.ECONFLICT, "team %s was changed by someone else: reload it", "tổ %s đã được người khác sửa: hãy tải lại", t.Name))
		return
	}
	if upd.Name != nil {
		t.Name = strings.TrimSpace(*upd.Name)
	}
	if upd.Level != nil {
		t.Level = *upd.Level
	}
	if upd.AreaCode != nil {
		t.AreaCode = *upd.AreaCode
		if upd.Areas == nil {
			t.Areas = nil // one unit again, unless the set comes with it
		}
	}
	if upd.Areas != nil {
		t.Areas = *upd.Areas
		if upd.AreaCode == nil {
			t.AreaCode = ""
		}
	}
	if upd.BaseLat != nil {
		t.BaseLat = *upd.BaseLat
	}
	if upd.BaseLon != nil {
		t.BaseLon = *upd.BaseLon
	}
	if upd.WeeklyCapacity != nil {
		t.WeeklyCapacity = *upd.WeeklyCapacity
	}
	if upd.DecisionDate != nil {
		t.DecisionDate = models.Date{}
		if *upd.DecisionDate != "" {
			d, err := models.ParseDate(*upd.DecisionDate)
			if err != nil {
				s.writeError(c, models.Invalid("decision_date", "must be a date YYYY-MM-DD", "phải là một ngày dạng YYYY-MM-DD"))
				return
			}
			t.DecisionDate = d
		}
	}
	if upd.DecisionBy != nil {
		t.DecisionBy = *upd.DecisionBy
	}
	if upd.DecisionNo != nil {
		t.DecisionNo = *upd.DecisionNo
		if strings.TrimSpace(t.DecisionNo) == "" {
			t.DecisionDate, t.DecisionBy = models.Date{}, ""
		}
	}
	days := t.WorkingDays.Days()
	if upd.WorkingDays != nil {
		days = *upd.WorkingDays
	}
	s.saveTeam(c, t, days, upd.Members, http.StatusOK)
}

// saveTeam checks a team against the things it refers to and stores it: the jurisdiction must
// exist, be the caller's and be of the team's level, the base must lie inside it, and the team
// must have members who exist and whose jurisdiction covers the team's. Without a new member
// list (members nil) the current members are checked against a changed area. The answer warns
// about the teams the new members left empty.
func (s *Server) saveTeam(c *gin.Context, t *models.Team, days []int, members *[]string, status int) {
	ctx := c.Request.Context()
	var v models.Validation
	if err := s.checkTeamUnits(c, t, &v); err != nil {
		s.writeError(c, err)
		return
	}
	wd, err := models.WeekdaysOf(days)
	if err != nil {
		v.AddError(err)
	}
	t.WorkingDays = wd
	if err := t.Validate(); err != nil {
		for _, p := range models.ErrorAs(err).Details {
			if p.Field != "working_days" || len(v.Problems) == 0 {
				v.Problems = append(v.Problems, p)
			}
		}
	}
	areaOK := false
	if t.AreaCode != "" {
		area, err := s.store.FindAreaByCode(ctx, t.AreaCode)
		if err != nil && !models.IsCode(err, models.ENOTFOUND) {
			s.writeError(c, err)
			return
		}
		if err != nil || !s.visibleArea(c, t.AreaCode) {
			v.Add("area_code", "unknown area %s", "không có khu vực %s", t.AreaCode)
		} else {
			areaOK = true
			if slices.Contains(teamLevels, t.Level) && !teamLevelFits(t.Level, area) {
				v.Add("level", "a %s team cannot have the %s %s as its area", "tổ cấp %s không thể phụ trách địa bàn %s (cấp %s)", t.Level, t.AreaCode, area.Level)
			}
			if (t.BaseLat != 0 || t.BaseLon != 0) && !s.registry.Contains(ctx, t.AreaCode, t.BaseLat, t.BaseLon) {
				// (0, 0) is "no base", which Validate reports; any other point must be inside.
				v.Add("base_lat", "the base %.6f, %.6f is outside the team's jurisdiction %s", "trụ sở %.6f, %.6f nằm ngoài địa bàn %s của tổ", t.BaseLat, t.BaseLon, t.AreaCode)
			}
		}
	}
	var ids, left []string // left: the teams the new members come from
	if members != nil {
		ids = *members
		if len(ids) == 0 {
			v.Add("members", "a team needs at least one member", "tổ phải có ít nhất một thành viên")
		}
		for _, id := range ids {
			u, err := s.store.FindUserByID(ctx, id)
			if err != nil && !models.IsCode(err, models.ENOTFOUND) {
				s.writeError(c, err)
				return
			}
			if err != nil || !s.visibleArea(c, u.AreaCode) {
				v.Add("members", "unknown user %s", "không có người dùng %s", id)
				continue
			}
			if u.Disabled {
				v.Add("members", "user %s is disabled", "người dùng %s đã bị khóa", u.Username)
			} else if !s.coversArea(c, u.AreaCode, t.AreaCode) {
				// A member whose jurisdiction does not hold the team's area could not open its
				// own team's tasks.
				v.Add("members", "the jurisdiction of %s (%s) does not cover the team's area %s", "địa bàn của %s (%s) không bao gồm địa bàn %s của tổ", u.Username, u.AreaCode, t.AreaCode)
			}
			if u.TeamID != nil && *u.TeamID != t.ID {
				left = append(left, *u.TeamID)
			}
		}
	} else if t.ID != "" && areaOK {
		current, err := s.store.FindTeamMembers(ctx, t.ID)
		if err != nil {
			s.writeError(c, err)
			return
		}
		for _, u := range current {
			if !u.Disabled && !s.coversArea(c, u.AreaCode, t.AreaCode) {
				v.Add("area_code", "the jurisdiction of member %s (%s) does not cover the area %s: send the new members with the change", "địa bàn của thành viên %s (%s) không bao gồm địa bàn %s: hãy gửi danh sách thành viên mới cùng thay đổi", u.Username, u.AreaCode, t.AreaCode)
			}
		}
	}
	if err := v.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.store.SaveTeam(ctx, actor(c), t, ids); err != nil {
		s.writeError(c, err)
		return
	}
	view, err := s.teamView(ctx, t, wantsVietnamese(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	emptied, err := s.emptiedTeamWarnings(c, left...)
	if err != nil {
		s.writeError(c, err)
		return
	}
	view.Warnings = append(view.Warnings, emptied...)
	if status == http.StatusCreated {
		c.Header("Location", "/api/v1/teams/"+t.ID)
	}
	c.JSON(status, view)
}

// checkTeamUnits checks the set of units a team serves, when it has one: each a unit in force
// today in the caller's jurisdiction, all inside the team's area_code, which is the smallest unit
// holding them when the caller left it out; a team of several units is a cluster by default.
func (s *Server) checkTeamUnits(c *gin.Context, t *models.Team, v *models.Validation) error {
	if len(t.Areas) == 0 {
		return nil
	}
	ctx := c.Request.Context()
	today := s.today()
	seen := map[string]bool{}
	var paths []string
	for _, code := range t.Areas {
		if seen[code] {
			v.Add("areas", "%s is listed twice", "%s được liệt kê hai lần", code)
			continue
		}
		seen[code] = true
		a, err := s.store.FindAreaByCode(ctx, code)
		if err != nil && !models.IsCode(err, models.ENOTFOUND) {
			return err
		}
		switch {
		case err != nil || !s.visibleArea(c, code):
			v.Add("areas", "unknown area %s", "không có khu vực %s", code)
		case !a.ValidOn(today):
			v.Add("areas", "%s (%s) is not in force today", "%s (%s) không còn hiệu lực", code, a.Name)
		default:
			paths = append(paths, a.Path)
		}
	}
	if len(paths) != len(t.Areas) {
		return nil
	}
	common := paths[0]
	for _, p := range paths[1:] {
		for !strings.HasPrefix(p, common) {
			common = common[:strings.LastIndex(strings.TrimSuffix(common, "/"), "/")+1]
		}
	}
	if len(paths) == 1 {
		common = paths[0]
	}
	home := pathCodes(common)
	switch {
	case t.AreaCode == "":
		t.AreaCode = home[len(home)-1]
	case !slices.Contains(home, t.AreaCode):
		v.Add("area_code", "%s does not hold every unit the team serves", "%s không bao gồm mọi đơn vị mà tổ phụ trách", t.AreaCode)
	}
	if t.Level == "" && len(paths) > 1 {
		t.Level = models.TeamLevelCluster
	}
	return nil
}

// teamLevels are the levels a team may have.
var teamLevels = models.TeamLevels

// coversArea reports whether the area outer contains (or is) the area inner.
func (s *Server) coversArea(c *gin.Context, outer, inner string) bool {
	po, err1 := s.areaPath(c, outer)
	pi, err2 := s.areaPath(c, inner)
	return err1 == nil && err2 == nil && strings.HasPrefix(pi, po)
}
