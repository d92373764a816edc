package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func TestTeamDayVersionMovesWithItsWriteOnly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := seedField(t, db)
		version := func() int64 {
			t.Helper()
			v, err := db.TeamDayVersion(ctx, s.team.ID)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		if v, err := db.TeamDayVersion(ctx, "no-such-team"); v != 0 || err != nil {
			t.Fatalf("a team with no day: %d %v", v, err)
		}
		released := version()
		if released == 0 {
			t.Fatal("the release left the team's day at version 0")
		}
		// A write undone with its transaction leaves the version as it was.
		undo := errors.New("undo")
		err := db.Transaction(ctx, func(tx *store.DB) error {
			if err := tx.UpdateTaskStatus(ctx, "planner", []string{s.tasks[0].ID}, models.TaskCancelled, nil); err != nil {
				return err
			}
			return undo
		})
		if !errors.Is(err, undo) || version() != released {
			t.Fatalf("after an undone cancellation: %v, version %d, was %d", err, version(), released)
		}
		// A refused result (the task has one already) moves nothing either.
		fin := time.Date(2026, 3, 3, 9, 30, 0, 0, time.UTC)
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{s.visit("i1", s.tasks[0], models.OutcomeCompliant, fin)}); err != nil {
			t.Fatal(err)
		}
		visited := version()
		if visited <= released {
			t.Fatalf("a result left the version at %d", visited)
		}
		if err := db.ApplyVisits(ctx, "a1", []models.Visit{s.visit("i2", s.tasks[0], models.OutcomeCompliant, fin.Add(time.Hour))}); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("a second result: %v", err)
		}
		if version() != visited {
			t.Fatalf("a refused result moved the version from %d to %d", visited, version())
		}
	})
}
