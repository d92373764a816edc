package api

import (
	"context"
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

func (s *Server) listUsers(c *gin.Context) {
	us, err := s.store.FindUsers(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(us)})
}

func (s *Server) getUser(c *gin.Context) {
	u, err := s.store.FindUserByID(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

// checkUserRefs checks the role, agency, area and team a user would have.
func (s *Server) checkUserRefs(ctx context.Context, v *models.Validation, role, agency, area string, team *string) {
	if !models.ValidRole(role) {
		v.Add("role", "must be one of %s", "phải là một trong %s", strings.Join(models.Roles, ", "))
	}
	if !models.ValidAgency(agency) {
		v.Add("agency", "must be one of %s", "phải là một trong %s", strings.Join(models.Agencies, ", "))
	}
	if _, err := s.store.FindAreaByCode(ctx, area); err != nil {
		v.Add("area_code", "unknown area %q", "không có khu vực %q", area)
	}
	if team != nil && *team != "" {
		if _, err := s.store.FindTeamByID(ctx, *team); err != nil {
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
	s.checkUserRefs(ctx, &v, in.Role, in.Agency, in.AreaCode, in.TeamID)
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
	cur, err := s.store.FindUserByID(ctx, c.Param("id"))
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
	s.checkUserRefs(ctx, &v, role, agency, area, upd.TeamID)
	if p := principal(c); p != nil && p.UserID == cur.ID && ((upd.Disabled != nil && *upd.Disabled) || (upd.Role != nil && *upd.Role != models.RoleAdmin)) {
		v.Add("disabled", "you cannot disable yourself or give up your own admin role", "bạn không thể tự khóa tài khoản hoặc tự bỏ quyền quản trị của mình")
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
