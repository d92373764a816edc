package api

import (
	"bytes"
	"errors"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/go-json-experiment/json/jsontext"

	"kiemtra/models"
)

// Every piece of text a request carries passes models.CheckText before a handler sees it:
// JSON bodies in decodeStrict (through checkJSONText), path and query parameters in
// checkParams, form fields and multipart file names where the handlers read them (checkValues,
// uploadedFile). PostgreSQL refuses NUL and invalid UTF-8 where SQLite stores them, so without
// this the two databases would not accept the same data.

// checkParams refuses a request whose path or query parameters are not acceptable text, with
// 400 naming the parameter. It runs after authorization so that a caller without access learns
// nothing more than before.
func (s *Server) checkParams(c *gin.Context) {
	for _, p := range c.Params {
		if err := models.CheckText(p.Key, p.Value); err != nil {
			s.writeError(c, err)
			return
		}
	}
	if err := checkValues(c.Request.URL.Query()); err != nil {
		s.writeError(c, err)
		return
	}
	c.Next()
}

// checkValues checks the names and values of query parameters or form fields, in name order
// so that the same request always names the same field.
func checkValues(vals url.Values) error {
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if models.CheckText(k, k) != nil {
			// The bad name itself would make a bad field name in the answer.
			return models.CheckText("parameter", k)
		}
		for _, v := range vals[k] {
			if err := models.CheckText(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkJSONText checks every string of a JSON document, member names included, and names the
// first one that is not acceptable text by its path ("answers[2].note"). body must already have
// decoded with encoding/json: that decoder replaces invalid UTF-8 with U+FFFD without a word,
// and this scan is what sees the bytes as they came.
func checkJSONText(body []byte) error {
	dec := jsontext.NewDecoder(bytes.NewReader(body), jsontext.AllowDuplicateNames(true))
	for {
		tok, err := dec.ReadToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var se *jsontext.SyntacticError
		if errors.As(err, &se) {
			// encoding/json accepted the document, so what this stricter reader refuses is its
			// text: invalid UTF-8 or an escaped lone surrogate.
			return models.NotUTF8(jsonField(dec, se.JSONPointer, false))
		}
		if err != nil {
			return err
		}
		if tok.Kind() != '"' {
			continue
		}
		if en, _ := models.TextProblem(tok.String()); en != "" {
			k, n := dec.StackIndex(dec.StackDepth())
			name := k == '{' && n%2 == 1 // the member's name, not its value
			return models.CheckText(jsonField(dec, dec.StackPointer(), name), tok.String())
		}
	}
}

// jsonField turns a JSON pointer into the field name the other errors use: "answers[2].note"
// for /answers/2/note. For a member's name, the object that holds it is named (the name itself
// is the bad text), or "body" at the top.
func jsonField(dec *jsontext.Decoder, ptr jsontext.Pointer, name bool) string {
	if name {
		ptr = ptr.Parent()
	}
	var b strings.Builder
	level := 0
	for tok := range ptr.Tokens() {
		level++
		if k, _ := dec.StackIndex(min(level, dec.StackDepth())); k == '[' {
			if _, err := strconv.Atoi(tok); err == nil {
				b.WriteString("[" + tok + "]")
				continue
			}
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	if b.Len() == 0 {
		return "body"
	}
	return b.String()
}
