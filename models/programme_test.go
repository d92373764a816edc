package models

import (
	"strings"
	"testing"
	"time"
)

func TestProgrammeEditsKeepTheCodeAndThePlannedYears(t *testing.T) {
	cur := &Programme{Code: "KH-2026", Name: "Kế hoạch", StartsOn: NewDate(2026, 1, 1), EndsOn: NewDate(2030, 12, 31), CoverageDeadline: NewDate(2030, 12, 31)}
	plans := []*Plan{
		{Year: 2027, Status: PlanApproved},
		{Year: 2026, Status: PlanApproved},
		{Year: 2026, Status: PlanSuperseded}, // an older draft of a planned year
		{Year: 2031, Status: PlanSuperseded}, // a superseded plan protects nothing
	}
	str := func(s string) *string { return &s }
	date := func(y int, m time.Month, d int) *Date { v := NewDate(y, m, d); return &v }
	for _, tc := range []struct {
		name    string
		upd     ProgrammeUpdate
		field   string // "" when the edit is allowed
		message string
	}{
		{"a later end is allowed", ProgrammeUpdate{EndsOn: date(2031, 12, 31)}, "", ""},
		{"the same code is allowed", ProgrammeUpdate{Code: str("KH-2026")}, "", ""},
		{"another code is refused", ProgrammeUpdate{Code: str("KH-2027")}, "code", "không được thay đổi"},
		{"a start after a planned year is refused", ProgrammeUpdate{StartsOn: date(2027, 1, 1)}, "starts_on", "kế hoạch năm 2026 (đã phê duyệt)"},
		{"an end before a planned year is refused", ProgrammeUpdate{EndsOn: date(2026, 12, 31), CoverageDeadline: date(2026, 12, 31)}, "ends_on", "kế hoạch năm 2027"},
		{"a deadline before a planned year is refused", ProgrammeUpdate{CoverageDeadline: date(2026, 6, 30)}, "coverage_deadline", "kế hoạch năm 2027"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := *cur
			next.ApplyUpdate(tc.upd)
			err := CheckProgrammeEdit(cur, &next, tc.upd, plans)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e := ErrorAs(err)
			if e == nil || e.Code != EINVALID || e.Field != tc.field || len(e.Details) != 1 {
				t.Fatalf("error %+v, want one problem on %s", e, tc.field)
			}
			if got := e.Details[0].MessageVI; !strings.Contains(got, tc.message) {
				t.Errorf("Vietnamese message %q lacks %q", got, tc.message)
			}
			if e.Details[0].Message == "" || strings.Contains(e.Details[0].Message, "%!") {
				t.Errorf("English message %q", e.Details[0].Message)
			}
		})
	}
}

func TestProgrammeUpdateSetsOnlyTheFieldsSent(t *testing.T) {
	root, lead := "92", "health"
	p := Programme{Code: "P", Name: "Tên", StartsOn: NewDate(2026, 1, 1), EndsOn: NewDate(2030, 12, 31), GraceDays: 60, MinYearlyShare: 0.2,
		ScopeCategories: StringList{"karaoke"}, RootAreaCode: &root, LeadAgency: &lead}
	empty, none, days := []string{}, "", 0
	p.ApplyUpdate(ProgrammeUpdate{GraceDays: &days, ScopeCategories: &empty, RootAreaCode: &none})
	if p.GraceDays != 0 || len(p.ScopeCategories) != 0 || p.RootAreaCode != nil || p.Name != "Tên" || p.MinYearlyShare != 0.2 || *p.LeadAgency != "health" {
		t.Fatalf("after the update: %+v", p)
	}
}
