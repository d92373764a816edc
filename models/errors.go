// Package models is kiemtra's vocabulary: the domain types, their enums and validation, the
// store interfaces the rest of the code depends on, and the application error type. It imports
// nothing of ours and no database or HTTP package.
package models

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. The api maps each to one HTTP status.
const (
	ECONFLICT        = "conflict"          // 409: unique key taken, stale version, idempotency clash
	EINTERNAL        = "internal"          // 500: a bug or an outage; details are logged, not shown
	EINVALID         = "invalid"           // 400/422: the input is wrong; Field names what
	ENOTFOUND        = "not_found"         // 404: absent, or outside the caller's jurisdiction
	EUNAUTHORIZED    = "unauthorized"      // 401: no valid credentials
	EFORBIDDEN       = "forbidden"         // 403: authenticated but not allowed
	ETOOLARGE        = "too_large"         // 413: a body or file over its limit
	ERATELIMITED     = "rate_limited"      // 429: too many attempts
	EUNAVAILABLE     = "unavailable"       // 503: a dependency is down or not ready
	EPRECONDITION    = "precondition"      // 412: If-Match and the like
	EUNSUPPORTEDTYPE = "unsupported_media" // 415: a body or file of the wrong type
)

// FieldError is one problem with one input field. Messages come in English and Vietnamese
// because the people who read them (inspectors, planners) read Vietnamese by default.
type FieldError struct {
	Field     string `json:"field"`
	Message   string `json:"message"`
	MessageVI string `json:"message_vi,omitempty"`
}

// Error is kiemtra's application error. Code decides the HTTP status; Message and MessageVI are
// safe to show to users; Details lists field problems when there are several.
type Error struct {
	Code      string
	Field     string
	Message   string
	MessageVI string
	Details   []FieldError
	// Err is the cause, for the log only: a driver's text (SQLSTATE, constraint names) never
	// reaches users, but the operator needs it.
	Err error
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Code)
	if e.Field != "" {
		b.WriteString(" ")
		b.WriteString(e.Field)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	for _, d := range e.Details {
		fmt.Fprintf(&b, "; %s: %s", d.Field, d.Message)
	}
	if e.Err != nil {
		b.WriteString(" (")
		b.WriteString(e.Err.Error())
		b.WriteString(")")
	}
	return b.String()
}

// Errorf returns an application error with the same text in both languages; use it for codes
// whose message carries no user-facing wording worth translating (internal, for example).
func Errorf(code string, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: code, Message: msg, MessageVI: msg}
}

// NewError returns an application error with an English and a Vietnamese message. The format
// arguments are shared by both messages.
func NewError(code, en, vi string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(en, args...), MessageVI: fmt.Sprintf(vi, args...)}
}

// Invalid reports a problem with one field.
func Invalid(field, en, vi string, args ...any) *Error {
	e := NewError(EINVALID, en, vi, args...)
	e.Field = field
	e.Details = []FieldError{{Field: field, Message: e.Message, MessageVI: e.MessageVI}}
	return e
}

// Unavailable reports that a dependency (the database) cannot answer now; the request may be
// retried later. cause is kept for the log.
func Unavailable(cause error) *Error {
	return &Error{Code: EUNAVAILABLE, Message: "the service is briefly unavailable: try again in a moment",
		MessageVI: "hệ thống tạm thời không phục vụ được: xin thử lại sau ít phút", Err: cause}
}

// NotFound reports that a thing of the given kind does not exist (or is not visible to the caller).
func NotFound(kind, en, vi string) *Error {
	return &Error{Code: ENOTFOUND, Field: kind, Message: en, MessageVI: vi}
}

// Validation collects field problems so that one response names every wrong field at once.
type Validation struct {
	Problems []FieldError
}

// Add records a problem with a field.
func (v *Validation) Add(field, en, vi string, args ...any) {
	v.Problems = append(v.Problems, FieldError{Field: field, Message: fmt.Sprintf(en, args...), MessageVI: fmt.Sprintf(vi, args...)})
}

// AddError records an application error's details (or the error itself) under the field.
func (v *Validation) AddError(err error) {
	var e *Error
	if errors.As(err, &e) {
		if len(e.Details) > 0 {
			v.Problems = append(v.Problems, e.Details...)
			return
		}
		v.Problems = append(v.Problems, FieldError{Field: e.Field, Message: e.Message, MessageVI: e.MessageVI})
		return
	}
	v.Problems = append(v.Problems, FieldError{Message: err.Error(), MessageVI: err.Error()})
}

// Err returns nil when nothing was recorded, or an invalid error listing every problem.
func (v *Validation) Err() error {
	if len(v.Problems) == 0 {
		return nil
	}
	first := v.Problems[0]
	e := &Error{Code: EINVALID, Field: first.Field, Message: first.Message, MessageVI: first.MessageVI, Details: v.Problems}
	if len(v.Problems) > 1 {
		e.Message = fmt.Sprintf("%d fields are invalid; first: %s: %s", len(v.Problems), first.Field, first.Message)
		e.MessageVI = fmt.Sprintf("%d trường không hợp lệ; trường đầu tiên: %s: %s", len(v.Problems), first.Field, first.MessageVI)
	}
	return e
}

// RenameFields returns err with every field it names passed through rename, for a caller that
// knows the fields by other names than the code that found the problem (a form's names, or a
// place in a batch). Errors that are not application errors are returned as they are.
func RenameFields(err error, rename func(field string) string) error {
	e := ErrorAs(err)
	if e == nil {
		return err
	}
	out := *e
	out.Field = rename(e.Field)
	out.Details = nil
	for _, d := range e.Details {
		d.Field = rename(d.Field)
		out.Details = append(out.Details, d)
	}
	return &out
}

// ErrorCode returns the code of the application error in err's chain, EINTERNAL for any other
// error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorAs returns the application error in err's chain, or nil.
func ErrorAs(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// IsCode reports whether err carries the given application error code.
func IsCode(err error, code string) bool { return ErrorCode(err) == code }
