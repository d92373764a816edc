package models

import (
	"strings"
	"unicode/utf8"
)

// TextProblem says why s cannot be stored as text, in English and Vietnamese, or returns two
// empty strings when it can. Text must be valid UTF-8 without the character U+0000: PostgreSQL
// refuses both in a text column while SQLite stores them as they are, so the same input must be
// refused before either database sees it. Other control characters are stored by both alike
// and are left alone.
func TextProblem(s string) (en, vi string) {
	switch {
	case strings.IndexByte(s, 0) >= 0:
		return "contains the character U+0000 (NUL), which text may not contain",
			"chứa ký tự rỗng U+0000, ký tự này không được có trong văn bản"
	case !utf8.ValidString(s):
		return notUTF8EN, notUTF8VI
	}
	return "", ""
}

const (
	notUTF8EN = "is not valid UTF-8 text"
	notUTF8VI = "không phải văn bản UTF-8 hợp lệ"
)

// NotUTF8 is the error CheckText gives for text that is not UTF-8, for readers that find such
// bytes before they have a string to check (a JSON string with a lone surrogate, for example).
func NotUTF8(field string) error { return Invalid(field, notUTF8EN, notUTF8VI) }

// CheckText returns an invalid error naming field when s is not acceptable text (see
// TextProblem), or nil.
func CheckText(field, s string) error {
	en, vi := TextProblem(s)
	if en == "" {
		return nil
	}
	return Invalid(field, "%[1]s", "%[2]s", en, vi)
}
