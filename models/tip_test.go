package models

import (
	"testing"
	"time"
)

func TestPublicStatusOfATip(t *testing.T) {
	received := time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC) // 2 March in Vietnam
	handled := time.Date(2026, 3, 5, 18, 0, 0, 0, time.UTC)  // 6 March in Vietnam
	vn := time.FixedZone("ICT", 7*3600)
	for _, tc := range []struct {
		name, status, want, result string
		handledOn                  string
	}{
		{"received", TipReceived, TipPublicReceived, "", ""},
		{"being verified", TipVerifying, TipPublicVerifying, "", ""},
		{"classified reads as being verified", TipClassified, TipPublicVerifying, "", ""},
		{"handled, with the result for the public", TipHandled, TipPublicHandled, "Đã xử lý theo quy định.", "2026-03-06"},
		{"merged beyond the hops followed", TipMerged, TipPublicVerifying, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tip := &Tip{Status: tc.status, ReceivedAt: received, PublicResult: "Đã xử lý theo quy định.", HandlingNote: "internal", Severity: "urgent"}
			if tc.status == TipHandled {
				tip.HandledAt = &handled
			}
			got := PublicStatusOf(tip, "TB-2222-3333", received, vn)
			if got.Status != tc.want || got.Result != tc.result || got.ReceivedOn != NewDate(2026, 3, 2) || got.Code != "TB-2222-3333" {
				t.Fatalf("%+v", got)
			}
			if (got.HandledOn == nil) != (tc.handledOn == "") || got.HandledOn != nil && got.HandledOn.String() != tc.handledOn {
				t.Fatalf("handled on %v, want %q", got.HandledOn, tc.handledOn)
			}
		})
	}
}
