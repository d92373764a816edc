package models

import (
	"database/sql/driver"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Lines is a list of short texts kept as one JSON column.
type Lines []string

// Value stores the lines as a JSON array.
func (l Lines) Value() (driver.Value, error) {
	if l == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]string(l))
	return string(b), err
}

// Scan reads the lines from their JSON column; NULL reads as none.
func (l *Lines) Scan(src any) error {
	out := []string{}
	if err := scanJSONColumn("lines", src, &out); err != nil {
		return err
	}
	*l = out
	return nil
}

// ReportNotes are what the lead department writes into a period's official report beside the
// figures: its sections IV (the difficulties met) and V (the proposals to the city), one item a
// line. Version 0 is notes never saved.
type ReportNotes struct {
	ProgrammeID  string    `json:"programme_id" gorm:"primaryKey"`
	Period       string    `json:"period" gorm:"primaryKey"`
	Difficulties Lines     `json:"difficulties" gorm:"type:text"`
	Proposals    Lines     `json:"proposals" gorm:"type:text"`
	Version      int       `json:"version"`
	UpdatedBy    string    `json:"updated_by"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// TableName is the table of the reports' notes.
func (ReportNotes) TableName() string { return "report_notes" }

// Limits of the report's notes: a section of a report, not a document of its own.
const (
	MaxReportNoteItems = 20
	MaxReportNoteRunes = 1000
)

// ReportNotesInput is what a planner sends: the version read and both sections.
type ReportNotesInput struct {
	Version      int      `json:"version"`
	Difficulties []string `json:"difficulties"`
	Proposals    []string `json:"proposals"`
}

// Validate checks the notes and normalizes them (trimmed, NFC): at most MaxReportNoteItems
// items a section, each of 1 to MaxReportNoteRunes characters.
func (in *ReportNotesInput) Validate() error {
	var v Validation
	if in.Version < 0 {
		v.Add("version", "must be 0 or more", "phải từ 0 trở lên")
	}
	check := func(field string, items []string) Lines {
		out := Lines{}
		if len(items) > MaxReportNoteItems {
			v.Add(field, "has %d items: at most %d", "có %d mục: tối đa %d mục", len(items), MaxReportNoteItems)
			return out
		}
		for i, s := range items {
			s = norm.NFC.String(strings.TrimSpace(s))
			en, vi := TextProblem(s)
			switch {
			case en != "":
				v.Add(field+"["+strconv.Itoa(i)+"]", "%[1]s", "%[2]s", en, vi)
			case s == "":
				v.Add(field+"["+strconv.Itoa(i)+"]", "is empty", "đang để trống")
			case utf8.RuneCountInString(s) > MaxReportNoteRunes:
				v.Add(field+"["+strconv.Itoa(i)+"]", "is longer than %d characters", "dài quá %d ký tự", MaxReportNoteRunes)
			}
			out = append(out, s)
		}
		return out
	}
	in.Difficulties, in.Proposals = check("difficulties", in.Difficulties), check("proposals", in.Proposals)
	return v.Err()
}
