package api

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"kiemtra/auth"
	"kiemtra/models"
)

// Authenticator signs users in and checks their access tokens.
type Authenticator interface {
	SignIn(ctx context.Context, in auth.SignInRequest) (*auth.Session, error)
	Refresh(ctx context.Context, token, ip, userAgent string) (*auth.Session, error)
	Logout(ctx context.Context, token string) error
	Authenticate(ctx context.Context, accessToken string) (*models.User, error)
}

func (s *Server) registerAuthRoutes(g *gin.RouterGroup) {
	g.POST("/auth/login", s.login)
	g.POST("/auth/refresh", s.refresh)
	g.POST("/auth/logout", s.logout)
	g.GET("/me", s.me)
}

// LoginInput is the body of POST /auth/login.
type LoginInput struct {
	Username string `json:"username"`
	Password string `json:"password"`
	// DeviceToken is the token the last sign-in on this device gave (optional).
	DeviceToken string `json:"device_token"`
}

// RefreshInput is the body of POST /auth/refresh and /auth/logout.
type RefreshInput struct {
	RefreshToken string `json:"refresh_token"`
}

func (s *Server) login(c *gin.Context) {
	var in LoginInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	sess, err := s.auth.SignIn(c.Request.Context(), auth.SignInRequest{Username: in.Username, Password: in.Password, IP: c.ClientIP(),
		UserAgent: c.GetHeader("User-Agent"), DeviceToken: in.DeviceToken})
	if err != nil {
		s.writeAuthError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, sess)
}

func (s *Server) refresh(c *gin.Context) {
	var in RefreshInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	sess, err := s.auth.Refresh(c.Request.Context(), in.RefreshToken, c.ClientIP(), c.GetHeader("User-Agent"))
	if err != nil {
		s.writeAuthError(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, sess)
}

func (s *Server) logout(c *gin.Context) {
	var in RefreshInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	if err := s.auth.Logout(c.Request.Context(), in.RefreshToken); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// writeAuthError adds the headers clients need: a challenge with 401, a delay with 429.
func (s *Server) writeAuthError(c *gin.Context, err error) {
	switch models.ErrorCode(err) {
	case models.EUNAUTHORIZED:
		c.Header("WWW-Authenticate", `Bearer realm="kiemtra"`)
	case models.ERATELIMITED:
		retry := 900
		var rl *auth.RateLimitError
		if errors.As(err, &rl) {
			retry = max(1, int(math.Ceil(rl.Wait.Seconds())))
		}
		c.Header("Retry-After", strconv.Itoa(retry))
	}
	s.writeError(c, err)
}

// authenticate turns a Bearer token into the request's principal. A request without a token
// stays anonymous (authorize decides); a bad token is refused at once, except on public
// endpoints: clients attach their access token to every request, and the one that comes with
// POST /auth/refresh has usually expired.
func (s *Server) authenticate(c *gin.Context) {
	h := c.GetHeader("Authorization")
	if h == "" || s.auth == nil {
		c.Next()
		return
	}
	if rule, ok := policy[c.Request.Method+" "+c.FullPath()]; ok && rule.public {
		c.Next()
		return
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		s.writeAuthError(c, models.NewError(models.EUNAUTHORIZED, "the Authorization header must be Bearer <access token>", "tiêu đề Authorization phải có dạng Bearer <mã truy cập>"))
		return
	}
	u, err := s.auth.Authenticate(c.Request.Context(), strings.TrimSpace(token))
	if err != nil {
		s.writeAuthError(c, err)
		return
	}
	p := &Principal{UserID: u.ID, Username: u.Username, Role: u.Role, AreaCode: u.AreaCode, Agency: u.Agency}
	if u.TeamID != nil {
		p.TeamID = *u.TeamID
	}
	path, err := s.areaPath(c, u.AreaCode)
	if err != nil {
		s.writeError(c, err)
		return
	}
	p.AreaPath = path
	if p.TeamID != "" && (u.Role == models.RoleInspector || u.Role == models.RoleTeamLead) {
		if err := s.narrowToTeam(c, p); err != nil {
			s.writeError(c, err)
			return
		}
	}
	c.Request = c.Request.WithContext(WithPrincipal(c.Request.Context(), p))
	c.Next()
}

// narrowToTeam gives a field officer the jurisdiction of their team's units when those lie
// inside the officer's own unit but do not fill it: a cluster team's members are officers of
// the city, and they work (and see) only their cluster.
func (s *Server) narrowToTeam(c *gin.Context, p *Principal) error {
	t, err := s.store.FindTeamByID(c.Request.Context(), p.TeamID)
	if models.IsCode(err, models.ENOTFOUND) {
		return nil
	}
	if err != nil {
		return err
	}
	var codes, paths []string
	for _, code := range t.Units() {
		path, err := s.areaPath(c, code)
		if err != nil || !strings.HasPrefix(path, p.AreaPath) || path == p.AreaPath {
			return nil // the team serves the officer's whole unit, or beyond it
		}
		codes, paths = append(codes, code), append(paths, path)
	}
	p.UnitCodes, p.UnitPaths = codes, paths
	return nil
}

// MeView is the caller as GET /me shows it.
type MeView struct {
	User         *models.User `json:"user"`
	Team         *models.Team `json:"team"`
	Jurisdiction *AreaRef     `json:"jurisdiction"`
}

func (s *Server) me(c *gin.Context) {
	p := principal(c)
	ctx := c.Request.Context()
	u, err := s.store.FindUserByID(ctx, p.UserID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	v := MeView{User: u}
	if u.TeamID != nil {
		if v.Team, err = s.store.FindTeamByID(ctx, *u.TeamID); err != nil {
			s.writeError(c, err)
			return
		}
	}
	if a, err := s.store.FindAreaByCode(ctx, u.AreaCode); err == nil {
		v.Jurisdiction = &AreaRef{Code: a.Code, Name: a.Name, Level: a.Level}
	}
	c.JSON(http.StatusOK, v)
}
