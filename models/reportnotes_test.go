package models

import (
	"strings"
	"testing"
)

func TestReportNotesInputValidate(t *testing.T) {
	decomposed := "Kinh phi\u0301" // "Kinh phí" with a combining accent
	for _, tc := range []struct {
		name  string
		in    ReportNotesInput
		field string
	}{
		{"nothing", ReportNotesInput{}, ""},
		{"items trimmed and composed", ReportNotesInput{Difficulties: []string{"  " + decomposed + " còn hạn chế. "}}, ""},
		{"a negative version", ReportNotesInput{Version: -1}, "version"},
		{"an empty item", ReportNotesInput{Proposals: []string{"Tăng cường phối hợp.", " "}}, "proposals[1]"},
		{"too long an item", ReportNotesInput{Difficulties: []string{strings.Repeat("ạ", MaxReportNoteRunes+1)}}, "difficulties[0]"},
		{"a NUL", ReportNotesInput{Difficulties: []string{"Kinh phí\x00"}}, "difficulties[0]"},
		{"too many items", ReportNotesInput{Proposals: make([]string, MaxReportNoteItems+1)}, "proposals"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(tc.in.Difficulties) == 1 && tc.in.Difficulties[0] != "Kinh phí còn hạn chế." {
					t.Errorf("kept as %q", tc.in.Difficulties[0])
				}
				return
			}
			e := ErrorAs(err)
			if e == nil || len(e.Details) != 1 || e.Details[0].Field != tc.field {
				t.Fatalf("want an error on %s, got %v", tc.field, err)
			}
		})
	}
}
