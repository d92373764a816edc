package api

import (
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"kiemtra/auth"
	"kiemtra/models"
	"kiemtra/web"
)

var publicTipStatusPage = template.Must(template.ParseFS(web.Templates(), "templates/tip_status.html"))

// tipStatusPage is the data of the page where a reporter reads their tip's status.
type tipStatusPage struct {
	VI       bool
	Lang     string
	Code     string // as typed, shown again; never the secret
	Problems []string
	Status   *tipStatusView
}

// tipStatusView is a public status as the page and the JSON answer show it.
type tipStatusView struct {
	*models.TipPublicStatus
	Label string `json:"label"` // the status in the caller's language
	// ReceivedDay and HandledDay are the days as the page writes them.
	ReceivedDay string `json:"-"`
	HandledDay  string `json:"-"`
}

// publicStatusLabel names a public status in plain words.
func publicStatusLabel(vi bool, status string) string {
	switch status {
	case models.TipPublicVerifying:
		return pick(vi, "Being verified", "Đang xác minh")
	case models.TipPublicHandled:
		return pick(vi, "Handled", "Đã xử lý")
	}
	return pick(vi, "Received", "Đã tiếp nhận")
}

func statusView(vi bool, st *models.TipPublicStatus) *tipStatusView {
	day := func(d models.Date) string {
		t := d.Time(time.UTC)
		if vi {
			return t.Format("02/01/2006")
		}
		return t.Format("2 January 2006")
	}
	v := &tipStatusView{TipPublicStatus: st, Label: publicStatusLabel(vi, st.Status), ReceivedDay: day(st.ReceivedOn)}
	if st.HandledOn != nil {
		v.HandledDay = day(*st.HandledOn)
	}
	return v
}

// publicTipStatusForm shows the page asking for the code and the secret (the code may come in
// the address, from the done page's link; the secret never does).
func (s *Server) publicTipStatusForm(c *gin.Context) {
	s.renderTipStatusPage(c, http.StatusOK, tipStatusPage{Code: c.Query("code")})
}

func (s *Server) renderTipStatusPage(c *gin.Context, status int, page tipStatusPage) {
	page.VI = wantsVietnamese(c)
	page.Lang = pick(page.VI, "en", "vi")
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Cache-Control", "no-store")
	c.Status(status)
	if err := publicTipStatusPage.Execute(c.Writer, page); err != nil {
		loggerFrom(c, s.log).Warn("tip status page", "err", err)
	}
}

// publicTipStatus answers the status of the tip with the code and secret sent (form or JSON):
// the public status, the day received and handled, and the result written for the public.
// Every attempt counts against the address's allowance; a wrong secret and an unknown code
// answer alike.
func (s *Server) publicTipStatus(c *gin.Context) {
	vi := wantsVietnamese(c)
	jsonBody := strings.HasPrefix(c.GetHeader("Content-Type"), "application/json")
	var in struct {
		Code   string `json:"code"`
		Secret string `json:"secret"`
	}
	fail := func(err error) {
		if jsonBody || clientGone(c) {
			s.writeError(c, err)
			return
		}
		e := s.classify(err)
		page := tipStatusPage{Code: in.Code}
		status := http.StatusInternalServerError
		switch {
		case e == nil:
			loggerFrom(c, s.log).Error("request failed", "err", err)
			page.Problems = []string{pick(vi, "The status cannot be read because of an error on our side: please try again later.", "Chưa đọc được trạng thái do lỗi của hệ thống: xin thử lại sau.")}
		case e.Code == models.EINVALID:
			status, page.Problems = http.StatusBadRequest, statusProblems(e, vi)
		default:
			status, page.Problems = statusOf(e.Code), []string{pick(vi, e.Message, e.MessageVI)}
		}
		s.renderTipStatusPage(c, status, page)
	}
	ctx := c.Request.Context()
	if _, wait, err := s.tipStatusLimiter.Take(ctx, auth.AddressKey(c.ClientIP())); err != nil {
		fail(err)
		return
	} else if wait > 0 {
		retryAfter(c, wait)
		if !jsonBody && c.Request.ParseForm() == nil {
			in.Code = c.PostForm("code")
		}
		fail(models.NewError(models.ERATELIMITED, "Too many look-ups from this address: try again in an hour.", "Đã tra cứu quá nhiều lần từ địa chỉ này: hãy thử lại sau một giờ."))
		return
	}
	var err error
	if jsonBody {
		err = bindJSON(c, &in)
	} else if err = c.Request.ParseForm(); err != nil {
		err = bodyReadError(err)
	} else if err = checkValues(c.Request.PostForm); err == nil {
		in.Code, in.Secret = c.PostForm("code"), c.PostForm("secret")
	}
	if err == nil {
		var v models.Validation
		if strings.TrimSpace(in.Code) == "" {
			v.Add("code", "is required: the reference code you were given, such as TB-7K3M-Q9XD", "là bắt buộc: mã tin báo bạn được cấp, ví dụ TB-7K3M-Q9XD")
		}
		if strings.TrimSpace(in.Secret) == "" {
			v.Add("secret", "is required: the secret given with the code", "là bắt buộc: mật mã được cấp cùng mã tin báo")
		}
		err = v.Err()
	}
	if err != nil {
		fail(err)
		return
	}
	st, err := s.tips.Status(ctx, in.Code, in.Secret)
	if err != nil {
		fail(err)
		return
	}
	view := statusView(vi, st)
	if jsonBody {
		c.Header("Cache-Control", "no-store")
		c.JSON(http.StatusOK, view)
		return
	}
	s.renderTipStatusPage(c, http.StatusOK, tipStatusPage{Code: st.Code, Status: view})
}

// statusProblems names the status form's fields in the page's language.
func statusProblems(e *models.Error, vi bool) []string {
	var out []string
	for _, d := range e.Details {
		label := pick(vi, "Reference code", "Mã tin báo")
		if d.Field == "secret" {
			label = pick(vi, "Secret", "Mật mã")
		} else if d.Field != "code" {
			label = pick(vi, "A field", "Một trường")
		}
		out = append(out, label+": "+pick(vi, d.Message, d.MessageVI))
	}
	return out
}
