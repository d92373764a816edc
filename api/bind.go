package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// bindJSON decodes the request body into dst strictly: the body must be one JSON object of the
// expected shape, with no unknown fields. Errors name the field at fault.
func bindJSON(c *gin.Context, dst any) error {
	body, err := readJSONBody(c)
	if err != nil {
		return err
	}
	return decodeStrict(body, dst)
}

// readJSONBody reads a body that must be JSON by its Content-Type, when it has one.
func readJSONBody(c *gin.Context) ([]byte, error) {
	if ct := c.GetHeader("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, models.NewError(models.EUNSUPPORTEDTYPE, "the body must be application/json, not %q", "nội dung phải là application/json, không phải %q", ct)
		}
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return nil, bodyReadError(err)
	}
	return body, nil
}

// decodeStrict decodes one JSON value into dst, rejecting unknown fields, trailing data and
// any string that is not acceptable text (models.CheckText).
func decodeStrict(body []byte, dst any) error {
	if err := decodeJSON(body, dst); err != nil {
		return err
	}
	return models.CheckJSONText(body)
}

// decodeJSON is decodeStrict without the check of the text, for a /sync batch: each of its
// operations is checked on its own, so that one bad item does not refuse the others.
func decodeJSON(body []byte, dst any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return models.Invalid("body", "the request body is empty; a JSON object is required", "nội dung yêu cầu trống; cần một đối tượng JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return models.Invalid("body", "unexpected data after the JSON object", "có dữ liệu thừa sau đối tượng JSON")
	}
	return nil
}

// jsonError turns a decoding error into an invalid error that names the field.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return models.Invalid("body", "malformed JSON at byte %d: %v", "JSON sai cú pháp ở byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		wantEN, wantVI := jsonTypeName(typ.Type.String())
		gotEN, gotVI := jsonValueName(typ.Value)
		e := models.Invalid(field, "must be %s, not %s", "phải là %s, không phải %s", wantEN, gotEN)
		e.MessageVI = fmt.Sprintf("phải là %s, không phải %s", wantVI, gotVI)
		e.Details[0].MessageVI = e.MessageVI
		return e
	case errors.Is(err, io.ErrUnexpectedEOF):
		return models.Invalid("body", "the JSON body ends too early", "JSON bị cắt cụt")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return models.Invalid(field, "unknown field", "trường không được hỗ trợ")
	}
	var me *models.Error
	if errors.As(err, &me) {
		return me
	}
	// Custom UnmarshalJSON methods (dates, for example) report their own problem.
	return models.Invalid("body", "%v", "%v", err)
}

// jsonTypeName names the JSON type a Go type expects, in English and Vietnamese.
func jsonTypeName(goType string) (string, string) {
	switch {
	case strings.Contains(goType, "int"):
		return "an integer", "một số nguyên"
	case strings.Contains(goType, "float"):
		return "a number", "một số"
	case strings.Contains(goType, "string"), strings.Contains(goType, "Date"), strings.Contains(goType, "Time"):
		return "a string", "một chuỗi"
	case strings.Contains(goType, "bool"):
		return "true or false", "true hoặc false"
	case strings.HasPrefix(goType, "[]"):
		return "an array", "một mảng"
	}
	return "an object", "một đối tượng"
}

// jsonValueName names what the client sent (json.UnmarshalTypeError.Value), in both languages.
func jsonValueName(value string) (string, string) {
	switch {
	case value == "number" || strings.HasPrefix(value, "number "):
		return "a number", "một số"
	case value == "string":
		return "a string", "một chuỗi"
	case value == "bool":
		return "true or false", "true/false"
	case value == "array":
		return "an array", "một mảng"
	case value == "object":
		return "an object", "một đối tượng"
	}
	return value, value
}

func bodyReadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return models.NewError(models.ETOOLARGE, "the request body is over the limit of %d bytes", "nội dung yêu cầu vượt giới hạn %d byte", mbe.Limit)
	}
	return models.Invalid("body", "could not read the request body: %v", "không đọc được nội dung yêu cầu: %v", err)
}

// writeSaved answers an idempotent write: 201 (with the new thing's location, when it has one)
// the first time, 200 with the stored thing when a phone or a client sends the same write again.
func writeSaved(c *gin.Context, created bool, location string, body any) {
	if !created {
		c.JSON(http.StatusOK, body)
		return
	}
	if location != "" {
		c.Header("Location", location)
	}
	c.JSON(http.StatusCreated, body)
}
