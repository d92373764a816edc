package api

import (
	"context"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"kiemtra/auth"
	"kiemtra/models"
	"kiemtra/tips"
	"kiemtra/web"
)

// Tips is the tip pipeline.
type Tips interface {
	Create(ctx context.Context, actor string, in tips.Input) (*models.Tip, error)
	Transition(ctx context.Context, actor, id string, in tips.TransitionInput) (*models.Tip, error)
	Similar(ctx context.Context, id string) ([]*models.Tip, error)
	Merge(ctx context.Context, actor, id, into string, version int) (*models.Tip, error)
	Open(sealed string) (string, error)
}

// TipStore reads tips.
type TipStore interface {
	FindTipByID(ctx context.Context, id string) (*models.Tip, error)
	FindTips(ctx context.Context, f models.TipFilter) ([]*models.Tip, int, error)
}

// Public tip form limits: a person may send a few tips an hour from one address.
const (
	publicTipsPerHour = 5
)

func (s *Server) registerTipRoutes(e *gin.Engine, g *gin.RouterGroup) {
	g.POST("/tips", s.createTip)
	g.GET("/tips", s.listTips)
	g.GET("/tips/:id", s.getTip)
	g.POST("/tips/:id/transition", s.transitionTip)
	g.GET("/tips/:id/similar", s.similarTips)
	g.POST("/tips/:id/merge", s.mergeTip)
	e.GET("/tip", s.publicTipForm)
	e.POST("/tip", s.publicTipSubmit)
	s.tipLimiter = auth.NewLimiter(publicTipsPerHour, time.Hour, s.now)
}

// TipView is a tip as the API shows it. The reporter's contact appears for tip officers only.
type TipView struct {
	*models.Tip
	ReporterContact *string `json:"reporter_contact,omitempty"`
	Overdue         bool    `json:"overdue"`
}

func (s *Server) tipView(c *gin.Context, t *models.Tip) (*TipView, error) {
	v := &TipView{Tip: t, Overdue: t.Overdue(s.now())}
	if p := principal(c); p != nil && p.Role == models.RoleTipOfficer && t.ReporterContactEnc != "" {
		contact, err := s.tips.Open(t.ReporterContactEnc)
		if err != nil {
			return nil, err
		}
		v.ReporterContact = &contact
	}
	return v, nil
}

func (s *Server) createTip(c *gin.Context) {
	var in tips.Input
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	t, err := s.tips.Create(c.Request.Context(), actor(c), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	v, err := s.tipView(c, t)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Location", "/api/v1/tips/"+t.ID)
	c.JSON(http.StatusCreated, v)
}

// findVisibleTip loads a tip the caller may see: tip officers and city-wide callers see all;
// a district's planner sees the tips placed in its district.
func (s *Server) findVisibleTip(c *gin.Context, id string) (*models.Tip, error) {
	t, err := s.tipStore.FindTipByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	p := principal(c)
	if p.Role != models.RoleTipOfficer && !p.CityWide() && (t.AreaCode == nil || !s.visibleArea(c, *t.AreaCode)) {
		return nil, notFoundOutside("tip", "tin báo")
	}
	return t, nil
}

func (s *Server) listTips(c *gin.Context) {
	f := models.TipFilter{Status: c.Query("status"), Now: s.now()}
	if st := f.Status; st != "" && !models.ValidTipChoice(st, append(append([]string{}, models.TipStatuses...), models.TipMerged)) {
		s.writeError(c, models.Invalid("status", "must be one of %s", "phải là một trong %s", strings.Join(models.TipStatuses, ", ")))
		return
	}
	if v := c.Query("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			s.writeError(c, models.Invalid("overdue", "must be true or false", "phải là true hoặc false"))
			return
		}
		f.Overdue = b
	}
	if p := principal(c); p.Role != models.RoleTipOfficer && !p.CityWide() {
		f.AreaPath = p.AreaPath
	}
	ts, total, err := s.tipStore.FindTips(c.Request.Context(), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	items := make([]*TipView, 0, len(ts))
	for _, t := range ts {
		v, err := s.tipView(c, t)
		if err != nil {
			s.writeError(c, err)
			return
		}
		items = append(items, v)
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": total})
}

func (s *Server) getTip(c *gin.Context) {
	t, err := s.findVisibleTip(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	v, err := s.tipView(c, t)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (s *Server) transitionTip(c *gin.Context) {
	var in tips.TransitionInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	if in.Version <= 0 {
		s.writeError(c, models.Invalid("version", "is required: send the version you read", "là bắt buộc: gửi phiên bản bạn đã đọc"))
		return
	}
	if _, err := s.findVisibleTip(c, c.Param("id")); err != nil {
		s.writeError(c, err)
		return
	}
	t, err := s.tips.Transition(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	v, err := s.tipView(c, t)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (s *Server) similarTips(c *gin.Context) {
	if _, err := s.findVisibleTip(c, c.Param("id")); err != nil {
		s.writeError(c, err)
		return
	}
	ts, err := s.tips.Similar(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	items := make([]*TipView, 0, len(ts))
	for _, t := range ts {
		v, err := s.tipView(c, t)
		if err != nil {
			s.writeError(c, err)
			return
		}
		items = append(items, v)
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}

func (s *Server) mergeTip(c *gin.Context) {
	var in struct {
		Into    string `json:"into"`
		Version int    `json:"version"`
	}
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	if _, err := s.findVisibleTip(c, c.Param("id")); err != nil {
		s.writeError(c, err)
		return
	}
	t, err := s.tips.Merge(c.Request.Context(), actor(c), c.Param("id"), in.Into, in.Version)
	if err != nil {
		s.writeError(c, err)
		return
	}
	v, err := s.tipView(c, t)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

var publicTipPage = template.Must(template.ParseFS(web.Templates(), "templates/tip.html"))

// publicTipForm shows the public tip form: no sign-in, nothing to read back.
func (s *Server) publicTipForm(c *gin.Context) {
	s.renderTipPage(c, http.StatusOK, "", nil)
}

func (s *Server) renderTipPage(c *gin.Context, status int, done string, problems []string) {
	vi := wantsVietnamese(c)
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Cache-Control", "no-store")
	c.Status(status)
	if err := publicTipPage.Execute(c.Writer, map[string]any{"VI": vi, "Done": done, "Problems": problems}); err != nil {
		loggerFrom(c, s.log).Warn("tip page", "err", err)
	}
}

// publicTipSubmit takes a tip from the public form (form fields or JSON), a few an hour per
// address. The answer says it was received and nothing else: there is no way to read tips back.
func (s *Server) publicTipSubmit(c *gin.Context) {
	vi := wantsVietnamese(c)
	jsonBody := strings.HasPrefix(c.GetHeader("Content-Type"), "application/json")
	if blocked, _ := s.tipLimiter.Blocked(c.ClientIP()); blocked {
		err := models.NewError(models.ERATELIMITED, "too many tips from this address: try again in an hour, or call the hotline", "đã gửi quá nhiều tin báo từ địa chỉ này: hãy thử lại sau một giờ hoặc gọi đường dây nóng")
		c.Header("Retry-After", "3600")
		if jsonBody {
			s.writeError(c, err)
			return
		}
		s.renderTipPage(c, http.StatusTooManyRequests, "", []string{pick(vi, err.Message, err.MessageVI)})
		return
	}
	var in struct {
		Description string `json:"description" form:"description"`
		Place       string `json:"place" form:"place"`
		Contact     string `json:"contact" form:"contact"`
		Website     string `json:"website" form:"website"` // a field people do not see: bots fill it
	}
	var err error
	if jsonBody {
		err = bindJSON(c, &in)
	} else if err = c.Request.ParseForm(); err != nil {
		err = bodyReadError(err)
	} else {
		in.Description, in.Place, in.Contact, in.Website = c.PostForm("description"), c.PostForm("place"), c.PostForm("contact"), c.PostForm("website")
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.tipLimiter.Fail(c.ClientIP())
	if in.Website != "" {
		// A bot: answer as if received, store nothing.
		s.publicTipDone(c, jsonBody, vi)
		return
	}
	// The actor is "public", not the address: received_by and the audit trail are read by
	// officers, and the form promises its senders anonymity.
	_, err = s.tips.Create(c.Request.Context(), "public", tips.Input{Channel: "web", Description: in.Description, Place: in.Place, ReporterContact: in.Contact})
	if err != nil {
		if jsonBody || models.ErrorCode(err) == models.EINTERNAL {
			s.writeError(c, err)
			return
		}
		var problems []string
		if e := models.ErrorAs(err); e != nil {
			for _, d := range e.Details {
				problems = append(problems, d.Field+": "+pick(vi, d.Message, d.MessageVI))
			}
		}
		s.renderTipPage(c, http.StatusBadRequest, "", problems)
		return
	}
	s.publicTipDone(c, jsonBody, vi)
}

func (s *Server) publicTipDone(c *gin.Context, jsonBody, vi bool) {
	msg := pick(vi, "Thank you: your tip was received and will be checked.", "Cảm ơn bạn: tin báo đã được tiếp nhận và sẽ được xác minh.")
	if jsonBody {
		c.JSON(http.StatusAccepted, gin.H{"status": "received", "message": msg})
		return
	}
	s.renderTipPage(c, http.StatusAccepted, msg, nil)
}
