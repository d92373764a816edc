package store_test

import (
	"context"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/sanctions"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// TestSanctionsAndCertificatesAreStoredWithVersions runs a sanction's steps through the store on
// both dialects: the proposal and its retry, a stale version refused, a decision that creates
// its follow-up task and suspends the certificate, the filters, and the nightly rule's flag
// raised once.
func TestSanctionsAndCertificatesAreStoredWithVersions(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedAreas(t, db)
		b := newBusiness("Karaoke Ánh Dương", "L-1", "31117")
		b.SecurityCertNo = "ANTT-0042"
		other := newBusiness("Nhà nghỉ Bình An", "L-2", "31150")
		if err := db.CreateBusinesses(ctx, "t", []*models.Business{b, other}); err != nil {
			t.Fatal(err)
		}
		v, err := db.FindCertificate(ctx, b.ID)
		if err != nil || v.Status != models.CertValid || v.Number != "ANTT-0042" || len(v.History) != 0 {
			t.Fatalf("a certificate from the registry: %+v %v", v, err)
		}
		if v, err := db.FindCertificate(ctx, other.ID); err != nil || v.Status != models.CertNone {
			t.Fatalf("a business without a certificate: %+v %v", v, err)
		}
		if _, err := db.FindCertificate(ctx, "nope"); !models.IsCode(err, models.ENOTFOUND) {
			t.Fatalf("an unknown business: %v", err)
		}
		sn := &models.Sanction{ID: "s1", BusinessID: b.ID, AreaCode: b.AreaCode, ViolationCode: "ACC_NOTIFY", FineMin: 500000, FineMax: 1000000, SecurityOrder: true, ProposedBy: "lead"}
		if _, created, err := db.CreateSanction(ctx, "lead", sn); err != nil || !created {
			t.Fatalf("create: %v %v", created, err)
		}
		if _, created, err := db.CreateSanction(ctx, "lead", &models.Sanction{ID: "s1", BusinessID: b.ID, ViolationCode: "ACC_NOTIFY"}); err != nil || created {
			t.Fatalf("a retry: %v %v", created, err)
		}
		if _, _, err := db.CreateSanction(ctx, "lead", &models.Sanction{ID: "s1", BusinessID: b.ID, ViolationCode: "HOURS"}); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("the id of another proposal: %v", err)
		}
		got, err := db.FindSanctionByID(ctx, "s1")
		if err != nil {
			t.Fatal(err)
		}
		today := models.NewDate(2026, 3, 2)
		in := sanctions.DecisionInput{Number: "12/QĐ-XPHC", Date: models.NewDate(2026, 2, 10), Authority: "Chủ tịch UBND phường", FineAmount: 800000,
			SuspensionStart: models.NewDate(2026, 2, 11), SuspensionEnd: models.NewDate(2026, 4, 10),
			Measures: []sanctions.MeasureInput{{Text: "Lập sổ lưu trú", Deadline: models.NewDate(2026, 3, 10)}}}
		if err := sanctions.ApplyDecision(got, in, today); err != nil {
			t.Fatal(err)
		}
		task := sanctions.FollowUpTask(got, nil)
		cert := sanctions.CertificateChange(got)
		stale := *got
		if err := db.SaveSanction(ctx, "planner", "decide", &stale, 5, nil, nil); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("a stale version: %v", err)
		}
		if err := db.SaveSanction(ctx, "planner", "decide", got, 1, task, cert); err != nil {
			t.Fatal(err)
		}
		got, err = db.FindSanctionByID(ctx, "s1")
		if err != nil || got.Version != 2 || got.Status != models.SanctionDecided || got.FollowUpTaskID == nil || len(got.Measures) != 1 || got.Measures[0].Deadline != models.NewDate(2026, 3, 10) {
			t.Fatalf("decided: %+v %v", got, err)
		}
		if tk, err := db.FindTaskByID(ctx, *got.FollowUpTaskID); err != nil || tk.Reason != models.ReasonFollowUp || tk.WindowStart != models.NewDate(2026, 3, 11) {
			t.Fatalf("follow-up: %+v %v", tk, err)
		}
		v, err = db.FindCertificate(ctx, b.ID)
		if err != nil || v.Status != models.CertSuspended || v.SuspendedUntil != models.NewDate(2026, 4, 10) || len(v.History) != 2 || v.History[0].Event != "suspend" {
			t.Fatalf("suspended: %+v %v", v, err)
		}
		if v.StatusOn(models.NewDate(2026, 4, 11)) != models.CertValid {
			t.Errorf("a suspension ends by itself")
		}
		for _, tc := range []struct {
			name string
			f    models.SanctionFilter
			want int
		}{
			{"by business", models.SanctionFilter{BusinessID: b.ID}, 1},
			{"by another business", models.SanctionFilter{BusinessID: other.ID}, 0},
			{"by district", models.SanctionFilter{AreaPath: "/92/916/"}, 1},
			{"by another district", models.SanctionFilter{AreaPath: "/92/917/"}, 0},
			{"overdue (the fine was due on 20 February)", models.SanctionFilter{Overdue: true, Today: today}, 1},
			{"not overdue yet on 15 February", models.SanctionFilter{Overdue: true, Today: models.NewDate(2026, 2, 15)}, 0},
			{"decided in the quarter", models.SanctionFilter{From: models.NewDate(2026, 1, 1), To: models.NewDate(2026, 3, 31)}, 1},
			{"not in the next", models.SanctionFilter{From: models.NewDate(2026, 4, 1), To: models.NewDate(2026, 6, 30)}, 0},
			{"by status", models.SanctionFilter{Status: models.SanctionComplied}, 0},
		} {
			if _, n, err := db.FindSanctions(ctx, tc.f); err != nil || n != tc.want {
				t.Errorf("%s: %d %v, want %d", tc.name, n, err, tc.want)
			}
		}
		// A second sanction on security and order: the nightly rule flags the certificate, once.
		s2 := &models.Sanction{BusinessID: b.ID, AreaCode: b.AreaCode, ViolationCode: "MAS_FACILITY", FineMin: 3000000, FineMax: 5000000, SecurityOrder: true, ProposedBy: "planner"}
		if _, _, err := db.CreateSanction(ctx, "planner", s2); err != nil {
			t.Fatal(err)
		}
		if err := sanctions.ApplyDecision(s2, sanctions.DecisionInput{Number: "20/QĐ-XPHC", Date: models.NewDate(2026, 3, 1), Authority: "UBND", Warning: true}, today); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveSanction(ctx, "planner", "decide", s2, 1, nil, nil); err != nil {
			t.Fatal(err)
		}
		list, err := db.SecuritySanctionsSince(ctx, models.NewDate(2025, 3, 2))
		if err != nil || len(list) != 2 {
			t.Fatalf("security sanctions: %d %v", len(list), err)
		}
		job := &sanctions.CertificateJob{Service: sanctions.New(db, nil, nil, nil)}
		for i, want := range []string{"1 businesses checked, 1 flags raised", "1 businesses checked, 0 flags raised"} {
			msg, err := job.Run(ctx, today.Time(time.UTC).Add(23*time.Hour))
			if err != nil || msg != want {
				t.Fatalf("run %d: %q %v", i, msg, err)
			}
		}
		v, err = db.FindCertificate(ctx, b.ID)
		if err != nil || v.Flag != models.FlagArt18 || v.FlagReason == "" || v.Status != models.CertSuspended || v.History[0].Event != "flag" {
			t.Fatalf("flagged: %+v %v", v.Certificate, err)
		}
		events, err := db.FindAuditEvents(ctx, models.AuditFilter{EntityType: "certificate"})
		if err != nil || len(events) != 2 {
			t.Fatalf("certificate audit: %d %v", len(events), err)
		}
	})
}
