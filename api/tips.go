package api

import (
	"context"
	"html/template"
	"math"
	"mime"
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
	Create(ctx context.Context, actor string, in tips.Input) (*models.Tip, bool, error)
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

// Public tip form limits: a person may send a few tips an hour from one address (an IPv6 /64,
// which one household or phone gets whole); the whole city's form stores at most
// publicTipsPerHourCity an hour, so that a flood from many addresses cannot bury the tip
// officers (the hotline stays open). Both are counted in the database, once for all replicas.
const (
	publicTipsPerHour     = 5
	publicTipsPerHourCity = 300
	publicTipMaxBody      = 32 << 10
	// publicTipCityKey is the limiter key of the city-wide count.
	publicTipCityKey = "city"
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
	// The counts keep the minute only: a stored tip's time must not point at its sender's count.
	s.tipLimiter = s.limits.Window("tip-address", publicTipsPerHour, time.Hour).Coarse(time.Minute)
	s.tipCity = s.limits.Window("tip-city", publicTipsPerHourCity, time.Hour).Coarse(time.Minute)
	s.bodyLimits["/tip"] = publicTipMaxBody // a description of 4000 characters, with room to spare
}

// TipView is a tip as the API shows it. The reporter's contact appears for tip officers only;
// a contact that cannot be opened (the key was changed) is marked unavailable instead.
type TipView struct {
	*models.Tip
	ReporterContact            *string `json:"reporter_contact,omitempty"`
	ReporterContactUnavailable bool    `json:"reporter_contact_unavailable,omitempty"`
	Overdue                    bool    `json:"overdue"`
}

func (s *Server) tipView(c *gin.Context, t *models.Tip) *TipView {
	v := &TipView{Tip: t, Overdue: t.Overdue(s.now())}
	if p := principal(c); p != nil && p.Role == models.RoleTipOfficer && t.ReporterContactEnc != "" {
		contact, err := s.tips.Open(t.ReporterContactEnc)
		if err != nil {
			// One unreadable contact must not hide the other tips: the officer sees the tip and
			// that its contact is unavailable; the operators see why.
			loggerFrom(c, s.log).Error("tip contact cannot be opened", "tip", t.ID, "err", err)
			v.ReporterContactUnavailable = true
			return v
		}
		v.ReporterContact = &contact
	}
	return v
}

func (s *Server) tipViews(c *gin.Context, ts []*models.Tip) []*TipView {
	items := make([]*TipView, 0, len(ts))
	for _, t := range ts {
		items = append(items, s.tipView(c, t))
	}
	return items
}

// createTip records a tip. A client that sends its own id may retry: the same body answers 200
// with the stored tip, a different one 409.
func (s *Server) createTip(c *gin.Context) {
	var in tips.Input
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	t, created, err := s.tips.Create(c.Request.Context(), actor(c), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeSaved(c, created, "/api/v1/tips/"+t.ID, s.tipView(c, t))
}

// findVisibleTip loads a tip the caller may see, or not_found.
func (s *Server) findVisibleTip(c *gin.Context, id string) (*models.Tip, error) {
	t, err := s.tipStore.FindTipByID(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if !s.tipVisible(c, t) {
		return nil, notFoundOutside("tip", "tin báo")
	}
	return t, nil
}

// tipVisible reports whether the caller may see the tip: tip officers and city-wide callers see
// all; a district's planner sees the tips placed in its district.
func (s *Server) tipVisible(c *gin.Context, t *models.Tip) bool {
	p := principal(c)
	return p.Role == models.RoleTipOfficer || p.CityWide() || t.AreaCode != nil && s.visibleArea(c, *t.AreaCode)
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
	c.JSON(http.StatusOK, gin.H{"items": s.tipViews(c, ts), "total": total})
}

func (s *Server) getTip(c *gin.Context) {
	t, err := s.findVisibleTip(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.tipView(c, t))
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
	c.JSON(http.StatusOK, s.tipView(c, t))
}

// similarTips lists the tips offered for merging with a tip, among those the caller may see.
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
	visible := ts[:0:0]
	for _, t := range ts {
		if s.tipVisible(c, t) {
			visible = append(visible, t)
		}
	}
	c.JSON(http.StatusOK, gin.H{"items": s.tipViews(c, visible)})
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
	if strings.TrimSpace(in.Into) == "" {
		s.writeError(c, models.Invalid("into", "is required: the tip to merge into", "là bắt buộc: tin báo sẽ gộp vào"))
		return
	}
	if _, err := s.findVisibleTip(c, c.Param("id")); err != nil {
		s.writeError(c, err)
		return
	}
	// The tip merged into must be one the caller may see: the same answer as for one that
	// does not exist.
	if _, err := s.findVisibleTip(c, in.Into); err != nil {
		if models.IsCode(err, models.ENOTFOUND) {
			err = models.NotFound("into", "tip "+in.Into+" not found", "không tìm thấy tin báo "+in.Into)
		}
		s.writeError(c, err)
		return
	}
	t, err := s.tips.Merge(c.Request.Context(), actor(c), c.Param("id"), in.Into, in.Version)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.tipView(c, t))
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

// publicTipFields are the public form's names and labels of the fields the pipeline checks.
var publicTipFields = map[string]struct{ name, en, vi string }{
	"description":      {"description", "Description", "Mô tả"},
	"place":            {"place", "Place", "Địa điểm"},
	"reporter_contact": {"contact", "Contact", "Liên hệ"},
	"id":               {"id", "ID", "Mã"},
	"website":          {"website", "Website", "Trang web"},
	"parameter":        {"parameter", "A field's name", "Tên một trường"},
}

// publicTipProblems lists an invalid tip's problems as the form's reader sees them: each with
// the label of its field in the page's language.
func publicTipProblems(err error, vi bool) []string {
	e := models.ErrorAs(err)
	if e == nil {
		return nil
	}
	var out []string
	for _, d := range e.Details {
		label := d.Field
		for key, f := range publicTipFields {
			if key == d.Field || f.name == d.Field { // the pipeline's name or the form's
				label = pick(vi, f.en, f.vi)
			}
		}
		out = append(out, label+": "+pick(vi, d.Message, d.MessageVI))
	}
	return out
}

// publicTipError names the public form's JSON fields in an error about the pipeline's input
// (contact, not reporter_contact).
func publicTipError(err error) error {
	return models.RenameFields(err, func(f string) string {
		if pf, ok := publicTipFields[f]; ok {
			return pf.name
		}
		return f
	})
}

// retryAfter sets Retry-After to a wait in whole seconds, at least one.
func retryAfter(c *gin.Context, wait time.Duration) {
	c.Header("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
}

// publicTipSubmit takes a tip from the public form (form fields or JSON), a few an hour per
// address and a few hundred an hour from the whole city. The answer says it was received and
// nothing else: there is no way to read tips back.
func (s *Server) publicTipSubmit(c *gin.Context) {
	vi := wantsVietnamese(c)
	jsonBody := strings.HasPrefix(c.GetHeader("Content-Type"), "application/json")
	refuse := func(status int, err *models.Error) {
		if jsonBody {
			s.writeError(c, err)
			return
		}
		s.renderTipPage(c, status, "", []string{pick(vi, err.Message, err.MessageVI)})
	}
	ctx := c.Request.Context()
	// Counted on arrival, in one step with the check: parallel requests cannot all pass.
	if _, wait, err := s.tipLimiter.Take(ctx, auth.AddressKey(c.ClientIP())); err != nil {
		s.publicTipError(c, jsonBody, vi, err)
		return
	} else if wait > 0 {
		retryAfter(c, wait)
		refuse(http.StatusTooManyRequests, models.NewError(models.ERATELIMITED, "too many tips from this address: try again in an hour, or call the hotline", "đã gửi quá nhiều tin báo từ địa chỉ này: hãy thử lại sau một giờ hoặc gọi đường dây nóng"))
		return
	}
	var in struct {
		ID          string `json:"id"` // optional: the sender's UUID, to make a retry safe
		Description string `json:"description" form:"description"`
		Place       string `json:"place" form:"place"`
		Contact     string `json:"contact" form:"contact"`
		Website     string `json:"website" form:"website"` // a field people do not see: bots fill it
	}
	var err error
	if jsonBody {
		err = bindJSON(c, &in)
	} else if err = parsePostForm(c.Request, s.maxBody); err != nil {
		err = bodyReadError(err)
	} else if err = checkValues(c.Request.PostForm); err == nil {
		in.Description, in.Place, in.Contact, in.Website = c.PostForm("description"), c.PostForm("place"), c.PostForm("contact"), c.PostForm("website")
	}
	if err != nil {
		s.publicTipError(c, jsonBody, vi, err)
		return
	}
	if in.Website != "" {
		// A bot: answer as if received, store nothing.
		s.publicTipDone(c, jsonBody, vi)
		return
	}
	city, wait, err := s.tipCity.Take(ctx, publicTipCityKey)
	if err != nil {
		s.publicTipError(c, jsonBody, vi, err)
		return
	}
	if wait > 0 {
		retryAfter(c, wait)
		refuse(http.StatusTooManyRequests, models.NewError(models.ERATELIMITED, "the tip form is receiving too many tips right now: try again later, or call the hotline", "biểu mẫu đang nhận quá nhiều tin báo: hãy thử lại sau hoặc gọi đường dây nóng"))
		return
	}
	// The actor is "public", not the address: received_by and the audit trail are read by
	// officers, and the form promises its senders anonymity.
	_, created, err := s.tips.Create(ctx, "public", tips.Input{ID: in.ID, Channel: "web", Description: in.Description, Place: in.Place, ReporterContact: in.Contact})
	if !created {
		// The city's budget counts stored tips only.
		if ferr := s.tipCity.Forgive(ctx, city); ferr != nil && err == nil {
			err = ferr
		}
	}
	if err != nil {
		s.publicTipError(c, jsonBody, vi, publicTipError(err))
		return
	}
	s.publicTipDone(c, jsonBody, vi)
}

// publicTipError answers a refused or failed tip: as JSON to a JSON sender, and to a person
// on the form as the page again with the reason in plain words (never a JSON body in a browser).
func (s *Server) publicTipError(c *gin.Context, jsonBody, vi bool, err error) {
	if jsonBody || clientGone(c) {
		s.writeError(c, err)
		return
	}
	e := s.classify(err)
	switch {
	case e == nil:
		loggerFrom(c, s.log).Error("request failed", "err", err)
		s.renderTipPage(c, http.StatusInternalServerError, "", []string{pick(vi,
			"The tip could not be stored because of an error on our side: please try again later, or call the hotline.",
			"Chưa lưu được tin báo do lỗi của hệ thống: xin thử lại sau hoặc gọi đường dây nóng.")})
	case e.Code == models.EUNAVAILABLE:
		loggerFrom(c, s.log).Warn("dependency unavailable", "err", err)
		c.Header("Retry-After", retryAfterSeconds)
		s.renderTipPage(c, http.StatusServiceUnavailable, "", []string{pick(vi, e.Message, e.MessageVI)})
	case e.Code == models.EINVALID:
		s.renderTipPage(c, http.StatusBadRequest, "", publicTipProblems(e, vi))
	default:
		s.renderTipPage(c, statusOf(e.Code), "", []string{pick(vi, e.Message, e.MessageVI)})
	}
}

// parsePostForm reads a form body, URL-encoded or multipart, into r.PostForm (ParseForm alone
// leaves a multipart body unread, and its fields would pass unchecked).
func parsePostForm(r *http.Request, limit int64) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		return r.ParseMultipartForm(limit)
	}
	return r.ParseForm()
}

func (s *Server) publicTipDone(c *gin.Context, jsonBody, vi bool) {
	msg := pick(vi, "Thank you: your tip was received and will be checked.", "Cảm ơn bạn: tin báo đã được tiếp nhận và sẽ được xác minh.")
	if jsonBody {
		c.JSON(http.StatusAccepted, gin.H{"status": "received", "message": msg})
		return
	}
	s.renderTipPage(c, http.StatusAccepted, msg, nil)
}
