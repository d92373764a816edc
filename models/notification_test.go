package models

import (
	"strings"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"", "", true},
		{"0912345678", "+84912345678", true},
		{"0912 345 678", "+84912345678", true},
		{"+84 912.345.678", "+84912345678", true},
		{"0292 3820 123", "", false}, // a landline
		{"091234567", "", false},     // a digit short
		{"84912345678", "", false},   // neither 0 nor +84
		{"+1 415 555 0100", "", false},
		{"09123456x8", "", false},
	} {
		got, ok := NormalizePhone(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestNotificationChoices(t *testing.T) {
	all := NotificationChannels
	for _, tc := range []struct {
		role            string
		delivered       []string
		kinds, channels string
	}{
		{RoleInspector, all, "urgent_tip,team_day,result_rejected", "in_app,push"},
		{RoleInspector, []string{ChannelInApp, ChannelEmail}, "urgent_tip,team_day,result_rejected", "in_app"},
		{RoleTeamLead, all, "urgent_tip,team_day,sanction_overdue,result_rejected", "in_app,push,email,sms,zalo"},
		{RolePlanner, []string{ChannelInApp, ChannelPush, ChannelEmail}, "tip_overdue,sanction_overdue,plan_infeasible,submission_returned", "in_app,email"},
		{RoleReportingOfficer, all, "submission_due,submission_returned", "in_app,email,sms,zalo"},
		{RoleAdmin, []string{ChannelInApp}, strings.Join(NotificationKinds, ","), "in_app"},
		{RoleViewer, all, "", "in_app,email,sms,zalo"},
	} {
		kinds, channels := NotificationChoices(tc.role, tc.delivered)
		if got := strings.Join(kinds, ","); got != tc.kinds {
			t.Errorf("%s kinds %s, want %s", tc.role, got, tc.kinds)
		}
		if got := strings.Join(channels, ","); got != tc.channels {
			t.Errorf("%s on %v: channels %s, want %s", tc.role, tc.delivered, got, tc.channels)
		}
	}
}
