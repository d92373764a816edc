package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func TestInspectionRecordsAreWrittenOnceWithTheirBytes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := seedField(t, db)
		finished := s.day.Time(time.UTC).Add(3 * time.Hour)
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{s.visit("i1", s.tasks[0], models.OutcomeCompliant, finished)}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindInspectionRecord(ctx, "i1"); !models.IsCode(err, models.ENOTFOUND) {
			t.Fatalf("before signing: %v", err)
		}
		sig := []byte("\x89PNG\r\n\x1a\n\x00\xffbinary")
		rec := func() *models.InspectionRecord {
			return &models.InspectionRecord{InspectionID: "i1", RepresentativeName: "Trần Thị Yến", Refused: true, RefusalNote: "Không đồng ý",
				InspectorSignature: sig, InspectorSignatureSHA256: "aa", Content: `{"x":1}`, RecordSHA256: "rr", BodySHA256: "bb", CreatedBy: "a1"}
		}
		if err := db.CreateInspectionRecord(ctx, "a1", rec()); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindInspectionRecord(ctx, "i1")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.InspectorSignature, sig) || got.RepresentativeSignature != nil || !got.Refused || got.RepresentativeName != "Trần Thị Yến" || got.CreatedAt.IsZero() {
			t.Errorf("stored %+v", got)
		}
		if err := db.CreateInspectionRecord(ctx, "a1", rec()); !models.IsCode(err, models.ECONFLICT) {
			t.Errorf("a second record of the version: %v", err)
		}
		if n := rows(t, db, "audit_events", "action = ? AND entity_id = ? AND details LIKE ?", "sign_record", "i1", "%rr%"); n != 1 {
			t.Errorf("%d audit events hold the record's hash", n)
		}
	})
}
