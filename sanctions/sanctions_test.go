package sanctions

import (
	"testing"

	"kiemtra/models"
)

func decided(no string, on models.Date, security bool) *models.Sanction {
	return &models.Sanction{DecisionNo: no, DecisionDate: on, SecurityOrder: security}
}

func TestArt18FlagNeedsTwoSecuritySanctionsWithinTwelveMonths(t *testing.T) {
	today := models.NewDate(2026, 12, 3)
	for _, tc := range []struct {
		name string
		list []*models.Sanction
		want bool
	}{
		{"none", nil, false},
		{"one", []*models.Sanction{decided("1", models.NewDate(2026, 5, 1), true)}, false},
		{"two in the year", []*models.Sanction{decided("1", models.NewDate(2026, 5, 1), true), decided("2", models.NewDate(2026, 12, 3), true)}, true},
		{"two, one on the window's first day", []*models.Sanction{decided("1", models.NewDate(2025, 12, 3), true), decided("2", models.NewDate(2026, 1, 1), true)}, true},
		{"two, one a day too old", []*models.Sanction{decided("1", models.NewDate(2025, 12, 2), true), decided("2", models.NewDate(2026, 1, 1), true)}, false},
		{"two, one not on security and order", []*models.Sanction{decided("1", models.NewDate(2026, 5, 1), false), decided("2", models.NewDate(2026, 6, 1), true)}, false},
		{"two, one only proposed", []*models.Sanction{{SecurityOrder: true}, decided("2", models.NewDate(2026, 6, 1), true)}, false},
		{"two, one dated after today", []*models.Sanction{decided("1", models.NewDate(2026, 5, 1), true), decided("2", models.NewDate(2026, 12, 4), true)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, reason := Art18Due(tc.list, today)
			if got != tc.want || (got && reason == "") {
				t.Errorf("Art18Due = %v %q, want %v", got, reason, tc.want)
			}
		})
	}
}

func TestStatusFollowsWhatTheSanctionRecords(t *testing.T) {
	today := models.NewDate(2026, 3, 2)
	s := &models.Sanction{FineMin: 500000, FineMax: 1000000}
	s.Derive()
	if s.Status != models.SanctionProposed || s.Overdue(today) {
		t.Fatalf("proposed: %s", s.Status)
	}
	err := ApplyDecision(s, DecisionInput{Number: "1", Date: models.NewDate(2026, 2, 1), Authority: "UBND", FineAmount: 600000,
		Measures: []MeasureInput{{Text: "Niêm yết nội quy", Deadline: models.NewDate(2026, 4, 1)}}}, today)
	if err != nil || s.Status != models.SanctionDecided || !s.Overdue(today) || s.NextDue() != models.NewDate(2026, 2, 11) {
		t.Fatalf("decided: %v %s %v %s", err, s.Status, s.Overdue(today), s.NextDue())
	}
	if got := s.Forms(); len(got) != 2 || got[0] != models.FormFine || got[1] != models.FormRemedial {
		t.Errorf("forms: %v", got)
	}
	if err := ApplyDecision(s, DecisionInput{Number: "2"}, today); models.ErrorAs(err) == nil {
		t.Errorf("a second decision is accepted")
	}
	if err := ApplyPayment(s, PaymentInput{PaidOn: models.NewDate(2026, 3, 1), Amount: 600000, ReceiptNo: "BL-1"}, today); err != nil || s.Status != models.SanctionDecided || s.Overdue(today) {
		t.Fatalf("paid: %v %s", err, s.Status)
	}
	if err := ApplyPayment(s, PaymentInput{PaidOn: models.NewDate(2026, 3, 1), Amount: 600000, ReceiptNo: "BL-1"}, today); err == nil {
		t.Errorf("a second payment is accepted")
	}
	if err := ApplyMeasureDone(s, MeasureDoneInput{Index: 3, DoneOn: today}, today); err == nil {
		t.Errorf("an unknown measure is accepted")
	}
	if err := ApplyMeasureDone(s, MeasureDoneInput{Index: 0, DoneOn: today}, today); err != nil || s.Status != models.SanctionComplied {
		t.Fatalf("complied: %v %s", err, s.Status)
	}
	if err := ApplyReferral(s, ReferralInput{ReferredOn: today, CaseNo: "VA-12"}, today); err != nil || s.Status != models.SanctionReferred {
		t.Fatalf("referred: %v %s", err, s.Status)
	}
}

func TestCertificateChangeAndFollowUp(t *testing.T) {
	s := &models.Sanction{BusinessID: "b", DecisionNo: "1", Withdrawal: true, WithdrawalStart: models.NewDate(2026, 3, 1), WithdrawalEnd: models.NewDate(2026, 6, 1)}
	if c := CertificateChange(s); c == nil || c.Status != models.CertWithdrawn || c.Until != models.NewDate(2026, 6, 1) {
		t.Errorf("withdrawal: %+v", c)
	}
	if FollowUpTask(s, nil) != nil {
		t.Errorf("a follow-up without a measure")
	}
	s.Measures = []models.RemedialMeasure{{Deadline: models.NewDate(2026, 3, 5)}, {Deadline: models.NewDate(2026, 3, 20)}}
	if tk := FollowUpTask(s, nil); tk == nil || tk.WindowStart != models.NewDate(2026, 3, 21) || tk.Reason != models.ReasonFollowUp {
		t.Errorf("follow-up after the last deadline: %+v", tk)
	}
	if CertificateChange(&models.Sanction{DecisionNo: "1", Warning: true}) != nil {
		t.Errorf("a warning changes the certificate")
	}
}
