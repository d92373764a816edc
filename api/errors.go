package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// ErrorBody is the JSON shape of every error response.
type ErrorBody struct {
	Error ErrorPayload `json:"error"`
}

// ErrorPayload names the error code, a message in the caller's language and, for invalid input,
// the fields at fault.
type ErrorPayload struct {
	Code      string        `json:"code"`
	Message   string        `json:"message"`
	Field     string        `json:"field,omitempty"`
	Details   []ErrorDetail `json:"details,omitempty"`
	RequestID string        `json:"request_id,omitempty"`
}

// ErrorDetail is one wrong field.
type ErrorDetail struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// statusOf maps an application error code to its HTTP status. It is the only such mapping.
func statusOf(code string) int {
	switch code {
	case models.EINVALID:
		return http.StatusBadRequest
	case models.ENOTFOUND:
		return http.StatusNotFound
	case models.ECONFLICT:
		return http.StatusConflict
	case models.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case models.EFORBIDDEN:
		return http.StatusForbidden
	case models.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	case models.ERATELIMITED:
		return http.StatusTooManyRequests
	case models.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	case models.EPRECONDITION:
		return http.StatusPreconditionFailed
	case models.EUNSUPPORTEDTYPE:
		return http.StatusUnsupportedMediaType
	}
	return http.StatusInternalServerError
}

// retryAfterSeconds is what a 503 tells clients to wait: a database restart or fail-over takes
// seconds, and phones retry their queue on their own.
const retryAfterSeconds = "5"

// classify returns the application error to answer for err: err's own when it carries one, an
// outage (unavailable) when the database cannot answer now, or nil for an internal error.
func (s *Server) classify(err error) *models.Error {
	if e := models.ErrorAs(err); e != nil && e.Code != models.EINTERNAL {
		return e
	}
	if s.unavailable != nil && s.unavailable(err) {
		return models.Unavailable(err)
	}
	return nil
}

// clientGone reports whether the caller went away: its answer has no reader, whatever error
// the abandoned work returned (a cancelled query, an interrupted SQLite read).
func clientGone(c *gin.Context) bool {
	return c.Request.Context().Err() != nil
}

// statusClientClosed is the status logged for a request whose client went away (nginx's 499):
// neither a success nor the server's fault.
const statusClientClosed = 499

// writeError answers with err mapped to its status. Internal errors are logged with their
// details and shown to the user as a plain message with the request id to quote; outages are
// answered 503 with Retry-After and logged as warnings; the driver's text never reaches users.
func (s *Server) writeError(c *gin.Context, err error) {
	if clientGone(c) {
		loggerFrom(c, s.log).Debug("client went away", "err", err)
		c.AbortWithStatus(statusClientClosed)
		return
	}
	vi := wantsVietnamese(c)
	e := s.classify(err)
	if e == nil {
		loggerFrom(c, s.log).Error("request failed", "err", err)
		c.AbortWithStatusJSON(http.StatusInternalServerError, ErrorBody{Error: ErrorPayload{Code: models.EINTERNAL, RequestID: requestID(c),
			Message: pick(vi, "internal error; quote the request id when reporting it", "lỗi hệ thống; khi báo lỗi xin ghi kèm mã yêu cầu (request id)")}})
		return
	}
	switch {
	case e.Code == models.EUNAVAILABLE:
		loggerFrom(c, s.log).Warn("dependency unavailable", "err", err)
		c.Header("Retry-After", retryAfterSeconds)
	case e.Err != nil:
		loggerFrom(c, s.log).Debug("request refused", "code", e.Code, "err", err)
	}
	c.AbortWithStatusJSON(statusOf(e.Code), ErrorBody{Error: payloadOf(e, vi, requestID(c))})
}

// payloadOf is an application error as users read it, in their language.
func payloadOf(e *models.Error, vi bool, reqID string) ErrorPayload {
	p := ErrorPayload{Code: e.Code, Message: pick(vi, e.Message, e.MessageVI), Field: e.Field, RequestID: reqID}
	for _, d := range e.Details {
		p.Details = append(p.Details, ErrorDetail{Field: d.Field, Message: pick(vi, d.Message, d.MessageVI)})
	}
	return p
}

func pick(vi bool, en, viText string) string {
	if vi && viText != "" {
		return viText
	}
	return en
}

// wantsVietnamese decides the language of messages: Vietnamese unless the caller asks for
// English with ?lang=en or an Accept-Language that prefers English.
func wantsVietnamese(c *gin.Context) bool {
	if l := c.Query("lang"); l != "" {
		return !strings.HasPrefix(strings.ToLower(l), "en")
	}
	al := strings.ToLower(c.GetHeader("Accept-Language"))
	if al == "" {
		return true
	}
	first := strings.TrimSpace(strings.SplitN(al, ",", 2)[0])
	return !strings.HasPrefix(first, "en")
}
