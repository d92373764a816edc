package api

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// PasswordHasher checks a new password's strength and hashes it.
type PasswordHasher interface {
	Hash(password string) (string, error)
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

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,39}$`)

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

// checkUserRefs checks the role, agency, area and team a user would have. The area and the team
// must be in the caller's jurisdiction, so that an admin of a district cannot make a city-wide
// account (or one of another district).
func (s *Server) checkUserRefs(c *gin.Context, v *models.Validation, role, agency, area string, team *string) {
	ctx := c.Request.Context()
	if !models.ValidRole(role) {
		v.Add("role", "must be one of %s", "phải là một trong %s", strings.Join(models.Roles, ", "))
	}
	if !models.ValidAgency(agency) {
		v.Add("agency", "must be one of %s", "phải là một trong %s", strings.Join(models.Agencies, ", "))
	}
	if _, err := s.store.FindAreaByCode(ctx, area); err != nil || !s.visibleArea(c, area) {
		v.Add("area_code", "unknown area %q", "không có khu vực %q", area)
	}
	if team != nil && *team != "" {
		if t, err := s.store.FindTeamByID(ctx, *team); err != nil || !s.visibleArea(c, t.AreaCode) {
			v.Add("team_id", "unknown team %q", "không có tổ %q", *team)
		}
	}
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
	if !usernamePattern.MatchString(in.Username) {
		v.Add("username", "must be 2-40 lower-case letters, digits, '.', '_' or '-'", "phải gồm 2-40 chữ thường, chữ số, '.', '_' hoặc '-'")
	}
	s.checkUserRefs(c, &v, in.Role, in.Agency, in.AreaCode, in.TeamID)
	hash, err := s.passwords.Hash(in.Password)
	if err != nil {
		v.AddError(err)
	}
	if err := v.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	u := &models.User{Username: in.Username, DisplayName: strings.TrimSpace(in.DisplayName), Agency: in.Agency, Role: in.Role, AreaCode: in.AreaCode, PasswordHash: hash}
	if in.TeamID != nil && *in.TeamID != "" {
		u.TeamID = in.TeamID
	}
	if err := s.store.CreateUser(ctx, actor(c), u); err != nil {
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
	role, agency, area := cur.Role, cur.Agency, cur.AreaCode
	if upd.Role != nil {
		role = *upd.Role
	}
	if upd.Agency != nil {
		agency = *upd.Agency
	}
	if upd.AreaCode != nil {
		area = *upd.AreaCode
	}
	s.checkUserRefs(c, &v, role, agency, area, upd.TeamID)
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
		if hash, err = s.passwords.Hash(*upd.Password); err != nil {
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
	c.JSON(http.StatusOK, u)
}
