package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func TestReviewsAreOnePerVersionAndRetriesAreIdempotent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := seedField(t, db)
		finished := s.day.Time(time.UTC).Add(3 * time.Hour)
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{s.visit("i1", s.tasks[0], models.OutcomeViolation, finished, "K03"),
			s.visit("i2", s.tasks[1], models.OutcomeClosed, finished.Add(time.Hour))}); err != nil {
			t.Fatal(err)
		}
		list, err := db.FindTeamInspections(ctx, s.team.ID, s.day.Time(time.UTC), s.day.AddDays(1).Time(time.UTC), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Original.ID != "i2" || list[1].Version != 1 || len(list[1].Findings) != 1 || list[1].Review != nil || list[1].Business.Name != "Karaoke Một" {
			t.Fatalf("the team's inspections: %+v", list)
		}
		if got := list[1].ReviewFlags(); len(got) != 2 || got[0] != models.ReviewViolation || got[1] != models.ReviewNoPhotos {
			t.Errorf("flags of a violation without photos: %v", got)
		}

		r := &models.InspectionReview{InspectionID: "i1", TeamID: s.team.ID, Version: 1, Note: "Đã xem", ReviewedBy: "lead"}
		stored, created, err := db.ReviewInspection(ctx, "lead", r)
		if err != nil || !created || stored.ID == "" || stored.ReviewedAt.IsZero() {
			t.Fatalf("review: %+v %v %v", stored, created, err)
		}
		again, created, err := db.ReviewInspection(ctx, "lead", &models.InspectionReview{InspectionID: "i1", TeamID: s.team.ID, Version: 1, Note: "Đã xem", ReviewedBy: "lead"})
		if err != nil || created || again.ID != stored.ID {
			t.Fatalf("a retry: %+v %v %v", again, created, err)
		}
		_, _, err = db.ReviewInspection(ctx, "lead", &models.InspectionReview{InspectionID: "i1", TeamID: s.team.ID, Version: 1, Note: "Khác", ReviewedBy: "lead"})
		if !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("another review of the version: %v", err)
		}
		if n := rows(t, db, "inspection_reviews", "inspection_id = ?", "i1"); n != 1 {
			t.Fatalf("%d reviews stored", n)
		}
		if n := rows(t, db, "audit_events", "action = ? AND entity_id = ?", "review", "i1"); n != 1 {
			t.Fatalf("%d audit events", n)
		}

		// A correction makes version 2, still to review; its photos count.
		fix := s.visit("i1b", s.tasks[0], models.OutcomeCompliant, finished).Inspection
		fix.AmendsID, fix.TaskID = ptr("i1"), nil
		if err := db.CreateAmendment(ctx, "a1", fix, nil); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.AddPhoto(ctx, "a1", &models.Photo{ID: "p1", InspectionID: "i1b", SHA256: "abc", ContentType: "image/jpeg", SizeBytes: 3, CreatedBy: "a1"}); err != nil {
			t.Fatal(err)
		}
		ti, err := db.FindTeamInspection(ctx, "i1")
		if err != nil {
			t.Fatal(err)
		}
		if ti.Version != 2 || ti.Latest.ID != "i1b" || len(ti.Findings) != 0 || ti.Photos != 1 || ti.Reviewed() || ti.Review.Version != 1 {
			t.Fatalf("after the correction: %+v", ti)
		}
		if got := ti.ReviewFlags(); len(got) != 1 || got[0] != models.ReviewAmended {
			t.Errorf("flags of a corrected compliant result with a photo: %v", got)
		}
		if _, err := db.FindTeamInspection(ctx, "i1b"); !models.IsCode(err, models.ENOTFOUND) {
			t.Errorf("a correction is not reviewed on its own: %v", err)
		}

		// Two tries of one review at once store one.
		var wg sync.WaitGroup
		ids := make([]string, 4)
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, _, err := db.ReviewInspection(ctx, "lead", &models.InspectionReview{InspectionID: "i1", TeamID: s.team.ID, Version: 2, ReviewedBy: "lead"})
				if err != nil {
					t.Errorf("try %d: %v", i, err)
					return
				}
				ids[i] = got.ID
			}()
		}
		wg.Wait()
		for _, id := range ids[1:] {
			if id != ids[0] {
				t.Errorf("concurrent tries stored several reviews: %v", ids)
			}
		}
		ti, err = db.FindTeamInspection(ctx, "i1")
		if err != nil || !ti.Reviewed() {
			t.Fatalf("version 2 reviewed: %+v %v", ti, err)
		}
		// The review names an inspection that exists.
		if _, _, err := db.ReviewInspection(ctx, "lead", &models.InspectionReview{InspectionID: "none", TeamID: s.team.ID, Version: 1, ReviewedBy: "lead"}); err == nil {
			t.Error("a review of an unknown inspection was stored")
		}
	})
}

func TestTeamWorkHoldsTheDaysDecisionsResultsAndFollowUps(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := seedField(t, db)
		finished := s.day.Time(time.UTC).Add(3 * time.Hour)
		v := s.visit("i1", s.tasks[0], models.OutcomeViolation, finished, "K03")
		v.NewTasks = []*models.Task{{BusinessID: s.tasks[0].BusinessID, Reason: models.ReasonFollowUp, Status: models.TaskPlanned,
			WindowStart: s.day.AddDays(7), WindowEnd: s.day.AddDays(30), ParentTaskID: &s.tasks[0].ID}}
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{v}); err != nil {
			t.Fatal(err)
		}
		fix := s.visit("i1b", s.tasks[0], models.OutcomeCompliant, finished).Inspection
		fix.AmendsID = ptr("i1")
		if err := db.CreateAmendment(ctx, "a1", fix, nil); err != nil {
			t.Fatal(err)
		}
		// A task the team was never given, visited by it two days later (an urgent tip's visit).
		tip := &models.Task{BusinessID: s.biz[1].ID, Reason: models.ReasonTip, Status: models.TaskPlanned, WindowStart: s.day, WindowEnd: s.day.AddDays(3), InclusionProb: 1}
		if err := db.CreateTasks(ctx, "t", []*models.Task{tip}); err != nil {
			t.Fatal(err)
		}
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{s.visit("i2", tip, models.OutcomeCompliant, finished.Add(48*time.Hour))}); err != nil {
			t.Fatal(err)
		}
		w, err := db.FindTeamWork(ctx, s.team.ID, s.day.AddDays(-1), s.day.AddDays(5), time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if len(w.Decisions) != 2 || len(w.Tasks) != 3 || len(w.Businesses) != 2 || w.Results[tip.ID] == nil {
			t.Fatalf("decisions %d, tasks %d, businesses %d", len(w.Decisions), len(w.Tasks), len(w.Businesses))
		}
		r := w.Results[s.tasks[0].ID]
		if r == nil || r.InspectionID != "i1" || r.Outcome != models.OutcomeCompliant || r.TeamID == nil || *r.TeamID != s.team.ID {
			t.Fatalf("the result: %+v", r)
		}
		if q := w.Queued[s.tasks[0].ID]; len(q) != 1 || q[0].Reason != models.ReasonFollowUp {
			t.Fatalf("queued: %+v", q)
		}
		if w, err := db.FindTeamWork(ctx, s.team.ID, s.day.AddDays(1), s.day.AddDays(5), time.UTC); err != nil || len(w.Decisions) != 0 {
			t.Fatalf("another week: %+v %v", w, err)
		}
	})
}
