package store_test

import (
	"context"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// The risk score reads every finding of the last five years with its severity and day, the
// corrected findings of an amended record instead of its original ones, and nothing after the
// planning date.
func TestPlanningFactsListTheFindingsTheRiskScoreReads(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := seedField(t, db)
		fin := time.Date(2026, 3, 3, 9, 30, 0, 0, time.UTC)
		v1 := s.visit("i1", s.tasks[0], models.OutcomeViolation, fin, "HOURS", "FIRE_SAFETY")
		v1.Findings[1].Severity = "high"
		v2 := s.visit("i2", s.tasks[1], models.OutcomeViolation, fin.Add(time.Hour), "HOURS")
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{v1, v2}); err != nil {
			t.Fatal(err)
		}
		// i2 is corrected: one critical finding instead of the minor one.
		amend := &models.Inspection{ID: "i2a", TaskID: &s.tasks[1].ID, BusinessID: s.biz[1].ID, TeamID: &s.team.ID, StartedAt: fin, FinishedAt: fin.Add(time.Hour),
			Outcome: models.OutcomeViolation, ChecklistVersion: 1, Answers: "[]", Members: "[]", AmendsID: ptr("i2"), CreatedBy: "a1"}
		if err := db.CreateAmendment(ctx, "lead", amend, []*models.Finding{{Code: "PROSTITUTION", Severity: "critical"}}); err != nil {
			t.Fatal(err)
		}
		day := models.DateOf(fin)
		f, err := db.LoadPlanningFacts(ctx, models.NewDate(2026, 1, 1), models.NewDate(2027, 1, 1))
		if err != nil {
			t.Fatal(err)
		}
		want := []models.FindingFact{
			{BusinessID: s.biz[0].ID, Code: "HOURS", Severity: "minor", Found: day},
			{BusinessID: s.biz[0].ID, Code: "FIRE_SAFETY", Severity: "high", Found: day},
			{BusinessID: s.biz[1].ID, Code: "PROSTITUTION", Severity: "critical", Found: day},
		}
		if len(f.Findings) != len(want) {
			t.Fatalf("findings %+v, want %+v", f.Findings, want)
		}
		for i := range want {
			if f.Findings[i] != want[i] {
				t.Errorf("finding %d: %+v, want %+v", i, f.Findings[i], want[i])
			}
		}
		// As of the day of the visits, nothing was found yet; six years later, it is too old.
		for _, asOf := range []models.Date{day, models.NewDate(2032, 3, 4)} {
			f, err := db.LoadPlanningFacts(ctx, models.NewDate(2026, 1, 1), asOf)
			if err != nil {
				t.Fatal(err)
			}
			if len(f.Findings) != 0 {
				t.Errorf("as of %s: findings %+v, want none", asOf, f.Findings)
			}
		}
	})
}
