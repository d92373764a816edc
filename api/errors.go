package api

import (
	"context"
	"errors"
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

// writeError answers with err mapped to its status. Internal errors are logged with their
// details and shown to the user as a plain message with the request id to quote.
func (s *Server) writeError(c *gin.Context, err error) {
	code := models.ErrorCode(err)
	if errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil {
		// The client went away; nobody reads the answer.
		c.Abort()
		return
	}
	vi := wantsVietnamese(c)
	body := ErrorBody{Error: ErrorPayload{Code: code, RequestID: requestID(c)}}
	if e := models.ErrorAs(err); e != nil && code != models.EINTERNAL {
		body.Error.Message = pick(vi, e.Message, e.MessageVI)
		body.Error.Field = e.Field
		for _, d := range e.Details {
			body.Error.Details = append(body.Error.Details, ErrorDetail{Field: d.Field, Message: pick(vi, d.Message, d.MessageVI)})
		}
	} else {
		code = models.EINTERNAL
		body.Error.Code = code
		body.Error.Message = pick(vi, "internal error; quote the request id when reporting it", "lỗi hệ thống; khi báo lỗi xin ghi kèm mã yêu cầu (request id)")
		loggerFrom(c, s.log).Error("request failed", "err", err)
	}
	c.AbortWithStatusJSON(statusOf(code), body)
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
