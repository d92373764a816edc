package tips

import (
	"fmt"
	"testing"
	"time"

	"kiemtra/models"
)

func TestMissedDeadlines(t *testing.T) {
	received := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	verify, handle := received.Add(24*time.Hour), received.Add(7*24*time.Hour)
	tip := func(status string) *models.Tip {
		return &models.Tip{Status: status, ReceivedAt: received, VerifyDue: &verify, HandleDue: &handle}
	}
	for _, tc := range []struct {
		name   string
		tip    *models.Tip
		now    time.Time
		missed string
	}{
		{"a received tip within its deadlines missed none", tip(models.TipReceived), verify, "[]"},
		{"a received tip past verification missed that", tip(models.TipReceived), verify.Add(time.Second), "[verify]"},
		{"a received tip past handling too missed both", tip(models.TipReceived), handle.Add(time.Second), "[verify handle]"},
		{"a tip being verified no longer owes its verification", tip(models.TipVerifying), handle.Add(-time.Second), "[]"},
		{"a tip being verified past handling missed that", tip(models.TipVerifying), handle.Add(time.Second), "[handle]"},
		{"a classified tip past handling missed that", tip(models.TipClassified), handle.Add(time.Hour), "[handle]"},
		{"a handled tip missed nothing", tip(models.TipHandled), handle.Add(time.Hour), "[]"},
		{"a merged tip missed nothing", tip(models.TipMerged), handle.Add(time.Hour), "[]"},
		{"a tip without deadlines missed nothing", &models.Tip{Status: models.TipReceived}, handle.Add(time.Hour), "[]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, m := range MissedDeadlines(tc.tip, tc.now) {
				got = append(got, m.Deadline)
				if want := map[string]time.Time{DeadlineVerify: verify, DeadlineHandle: handle}[m.Deadline]; !m.Due.Equal(want) {
					t.Errorf("%s due %s, want %s", m.Deadline, m.Due, want)
				}
			}
			if s := fmt.Sprint(got); s != tc.missed {
				t.Fatalf("missed %s, want %s", s, tc.missed)
			}
		})
	}
}
