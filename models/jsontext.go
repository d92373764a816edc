package models

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// The JSON documents users send (API bodies, GeoJSON files) pass CheckJSONText where they are
// read, so that the rule of TextProblem holds for them as for every other input. It lives here
// because the API, the registry's and the areas' readers share it; jsontext is the one reader
// that sees a document's strings as they came.

// CheckJSONText checks every string of a JSON document, member names included, and names the
// first one that is not acceptable text by its path ("answers[2].note"). body must already have
// decoded with encoding/json: that decoder replaces invalid UTF-8 with U+FFFD without a word,
// and this scan is what sees the bytes as they came.
func CheckJSONText(body []byte) error { return scanJSONText(body, true) }

// CheckJSONEncoding is CheckJSONText for readers that check the decoded strings themselves (a
// file's rows, with their line numbers): it names only what decoding hides from them, bytes that
// are not UTF-8 and escaped lone surrogates.
func CheckJSONEncoding(body []byte) error { return scanJSONText(body, false) }

func scanJSONText(body []byte, decoded bool) error {
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
			return NotUTF8(jsonField(dec, se.JSONPointer, false))
		}
		if err != nil {
			return err
		}
		if !decoded || tok.Kind() != '"' {
			continue
		}
		if en, _ := TextProblem(tok.String()); en != "" {
			k, n := dec.StackIndex(dec.StackDepth())
			name := k == '{' && n%2 == 1 // the member's name, not its value
			return CheckText(jsonField(dec, dec.StackPointer(), name), tok.String())
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
