package models

import (
	"strings"
	"testing"
)

func TestTextProblem(t *testing.T) {
	for _, tc := range []struct {
		name, s string
		bad     string // a word of the English message, "" when the text is fine
	}{
		{"Vietnamese text", "Karaoke Hoa Hồng, 12 Trần Phú", ""},
		{"an empty string", "", ""},
		{"tabs and newlines", "dòng 1\tô\r\ndòng 2", ""},
		{"other control characters, which both databases store", "a\x01b\x1fc\x7f", ""},
		{"the replacement character itself", "\ufffd", ""},
		{"an emoji", "🚒", ""},
		{"a NUL", "a\x00b", "U+0000"},
		{"a NUL alone", "\x00", "U+0000"},
		{"a stray continuation byte", "a\x80b", "UTF-8"},
		{"a truncated sequence", "Tr\xe1\xba", "UTF-8"},
		{"an encoded surrogate", "\xed\xa0\x80", "UTF-8"},
		{"a NUL and bad bytes: the NUL is named", "\xff\x00", "U+0000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			en, vi := TextProblem(tc.s)
			if tc.bad == "" {
				if en != "" || vi != "" || CheckText("f", tc.s) != nil {
					t.Fatalf("refused: %q / %q", en, vi)
				}
				return
			}
			if !strings.Contains(en, tc.bad) || vi == "" || vi == en {
				t.Fatalf("messages %q / %q", en, vi)
			}
			e := ErrorAs(CheckText("answers[2].note", tc.s))
			if e == nil || e.Code != EINVALID || e.Field != "answers[2].note" || e.Message != en || e.MessageVI != vi ||
				len(e.Details) != 1 || e.Details[0].Field != e.Field {
				t.Fatalf("error %+v", e)
			}
		})
	}
}
