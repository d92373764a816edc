package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// PasswordHasher checks a new password's strength (against the account's username and display
// name too) and hashes it.
type PasswordHasher interface {
	Hash(password, username, displayName string) (string, error)
}

// UserInput is the body of POST /users.
type UserInput struct {
	Username    string  `json:"username"`
	DisplayName string  `json:"display_name"`
	Agency      string  `json:"agency"`
	Role        string  `json:"role"`
	AreaCode    string  `json:"area_code"`
	TeamID      *string `json:"team_id"`
	Password    string  `json:"password"`
}

func (s *Server) registerUserRoutes(g *gin.RouterGroup) {
	g.GET("/users", s.listUsers)
	g.POST("/users", s.createUser)
	g.GET("/users/:id", s.getUser)
	g.PATCH("/users/:id", s.updateUser)
}

// listUsers answers the users in the caller's jurisdiction: an admin of a district manages
// its district's accounts and sees no other district's.
func (s *Server) listUsers(c *gin.Context) {
	us, err := s.store.FindUsers(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	out := []*models.User{}
	for _, u := range us {
		if s.visibleArea(c, u.AreaCode) {
			out = append(out, u)
		}
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

// findVisibleUser loads a user in the caller's jurisdiction; others are not found.
func (s *Server) findVisibleUser(c *gin.Context, id string) (*models.User, error) {
	u, err := s.store.FindUserByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if !s.visibleArea(c, u.AreaCode) {
		return nil, notFoundOutside("user", "người dùng")
	}
	return u, nil
}

func (s *Server) getUser(c *gin.Context) {
	u, err := s.findVisibleUser(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

// checkUserRefs checks the role, agency, area and team a user would have. The agency must be
// active unless it is kept, the one the user has already (models.CheckAgencyChoice); agencySent
// tells whether the request names it, since an agency left as it is is not checked. The area and
// the team must be in the caller's jurisdiction, so that an admin of a district cannot make a
// city-wide account (or one of another district). As for a team's members (saveTeam), the user's area must
// cover its team's area, or the user could not open its own team's tasks. team is the team the
// user would be in ("" for none); teamSent and areaSent tell whether the request names them, so
// that a problem is put on the field the caller changed (and an unchanged pair is not checked).
func (s *Server) checkUserRefs(c *gin.Context, v *models.Validation, role, agency, kept, area, team string, agencySent, areaSent, teamSent bool) error {
	ctx := c.Request.Context()
	if !models.ValidRole(role) {
		v.Add("role", "must be one of %s", "phải là một trong %s", strings.Join(models.Roles, ", "))
	}
	if agencySent {
		a, err := s.store.FindAgencyByCode(ctx, agency)
		if err != nil && !models.IsCode(err, models.ENOTFOUND) {
			return err
		}
		if err := models.CheckAgencyChoice("agency", agency, a, kept); err != nil {
			v.AddError(err)
		}
	}
	areaOK := true
	// Only a record that is not there (or not the caller's to see) is "unknown": an outage is
	// answered as one.
	if _, err := s.store.FindAreaByCode(ctx, area); err != nil && !models.IsCode(err, models.ENOTFOUND) {
		return err
	} else if err != nil || !s.visibleArea(c, area) {
		v.Add("area_code", "unknown area %q", "không có khu vực %q", area)
		areaOK = false
	}
	if team == "" || (!areaSent && !teamSent) {
		return nil
	}
	t, err := s.store.FindTeamByID(ctx, team)
	if err != nil && !models.IsCode(err, models.ENOTFOUND) {
		return err
	}
	if err != nil || (teamSent && !s.visibleArea(c, t.AreaCode)) {
		v.Add("team_id", "unknown team %q", "không có tổ %q", team)
		return nil
	}
	if areaOK && !s.coversArea(c, area, t.AreaCode) {
		field := "area_code"
		if teamSent {
			field = "team_id"
		}
		v.Add(field, "the jurisdiction %s does not cover the area %s of team %q: a member could not open its team's tasks",
			"địa bàn %s không bao gồm địa bàn %s của tổ %q: thành viên sẽ không mở được nhiệm vụ của tổ", area, t.AreaCode, t.Name)
	}
	return nil
}

// UserView is a changed user with what an admin should know about the change.
type UserView struct {
	*models.User
	// Warnings say what the change left odd without being refused: a team left without an
	// enabled member gets no visits until it has one.
	Warnings []string `json:"warnings"`
}

// emptiedTeamWarnings warns about the teams of ids that have no enabled member left.
func (s *Server) emptiedTeamWarnings(c *gin.Context, ids ...string) ([]string, error) {
	out := []string{}
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" || seen[id] {
			continue
		}
		seen[id] = true
		members, err := s.store.FindTeamMembers(c.Request.Context(), id)
		if err != nil {
			return nil, err
		}
		if enabledCount(members) > 0 {
			continue
		}
		t, err := s.store.FindTeamByID(c.Request.Context(), id)
		if err != nil {
			return nil, err
		}
		out = append(out, pick(wantsVietnamese(c),
			fmt.Sprintf("team %q has no enabled member left: it gets no visits until it has one", t.Name),
			fmt.Sprintf("tổ %q không còn thành viên nào đang hoạt động: tổ sẽ không được giao nhiệm vụ cho đến khi có thành viên", t.Name)))
	}
	return out, nil
}

// enabledCount counts the members who are not disabled.
func enabledCount(members []*models.User) int {
	n := 0
	for _, m := range members {
		if !m.Disabled {
			n++
		}
	}
	return n
}

func (s *Server) createUser(c *gin.Context) {
	var in UserInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	var v models.Validation
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	if err := models.CheckUsername(in.Username); err != nil {
		v.AddError(err)
	}
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	if err := models.CheckDisplayName(in.DisplayName); err != nil {
		v.AddError(err)
	}
	team := ""
	if in.TeamID != nil {
		team = *in.TeamID
	}
	if err := s.checkUserRefs(c, &v, in.Role, in.Agency, "", in.AreaCode, team, true, true, team != ""); err != nil {
		s.writeError(c, err)
		return
	}
	hash, err := s.passwords.Hash(in.Password, in.Username, in.DisplayName)
	if err != nil {
		v.AddError(err)
	}
	if err := v.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	u := &models.User{Username: in.Username, DisplayName: in.DisplayName, Agency: in.Agency, Role: in.Role, AreaCode: in.AreaCode, PasswordHash: hash}
	if in.TeamID != nil && *in.TeamID != "" {
		u.TeamID = in.TeamID
	}
	if err := s.store.CreateUser(ctx, actor(c), u); err != nil {
		if models.IsCode(err, models.ECONFLICT) {
			// The only unique key a new user can hit is its username: say so on that field.
			e := models.NewError(models.ECONFLICT, "is taken by another account (%s)", "đã được dùng cho một tài khoản khác (%s)", in.Username)
			e.Field, e.Err = "username", err
			err = e
		}
		s.writeError(c, err)
		return
	}
	c.Header("Location", "/api/v1/users/"+u.ID)
	c.JSON(http.StatusCreated, u)
}

func (s *Server) updateUser(c *gin.Context) {
	var upd models.UserUpdate
	if err := bindJSON(c, &upd); err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	cur, err := s.findVisibleUser(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	var v models.Validation
	if upd.Version <= 0 {
		v.Add("version", "is required: send the version you read", "là bắt buộc: gửi phiên bản bạn đã đọc")
	}
	if upd.DisplayName != nil {
		name := strings.TrimSpace(*upd.DisplayName)
		upd.DisplayName = &name
		if err := models.CheckDisplayName(name); err != nil {
			v.AddError(err)
		}
	}
	role, agency, area, team := cur.Role, cur.Agency, cur.AreaCode, ""
	if cur.TeamID != nil {
		team = *cur.TeamID
	}
	if upd.TeamID != nil {
		team = *upd.TeamID
	}
	if upd.Role != nil {
		role = *upd.Role
	}
	if upd.Agency != nil {
		agency = *upd.Agency
	}
	if upd.AreaCode != nil {
		area = *upd.AreaCode
	}
	if err := s.checkUserRefs(c, &v, role, agency, cur.Agency, area, team, upd.Agency != nil, upd.AreaCode != nil, upd.TeamID != nil && *upd.TeamID != ""); err != nil {
		s.writeError(c, err)
		return
	}
	// An admin who locks itself out may leave nobody to undo it.
	if p := principal(c); p != nil && p.UserID == cur.ID {
		if upd.Disabled != nil && *upd.Disabled {
			v.Add("disabled", "you cannot disable yourself", "bạn không thể tự khóa tài khoản của mình")
		}
		if upd.Role != nil && *upd.Role != models.RoleAdmin {
			v.Add("role", "you cannot give up your own admin role", "bạn không thể tự bỏ quyền quản trị của mình")
		}
	}
	hash := ""
	if upd.Password != nil {
		name := cur.DisplayName
		if upd.DisplayName != nil {
			name = *upd.DisplayName
		}
		if hash, err = s.passwords.Hash(*upd.Password, cur.Username, name); err != nil {
			v.AddError(err)
		}
	}
	if err := v.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	u, err := s.store.UpdateUser(ctx, actor(c), cur.ID, upd, hash)
	if err != nil {
		s.writeError(c, err)
		return
	}
	// Taking the last enabled member out of a team (moving or disabling it) is not refused: an
	// account must be closable at once, by an admin who may not be the planner of the team. The
	// morning assignment skips the emptied team; the answer says so.
	var left []string
	if cur.TeamID != nil && !cur.Disabled && (u.Disabled || u.TeamID == nil || *u.TeamID != *cur.TeamID) {
		left = append(left, *cur.TeamID)
	}
	warnings, err := s.emptiedTeamWarnings(c, left...)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, UserView{User: u, Warnings: warnings})
}
