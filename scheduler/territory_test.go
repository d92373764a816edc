package scheduler_test

import (
	"context"
	"fmt"
	"testing"

	"kiemtra/models"
	"kiemtra/reorg/reorgtest"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// A programme's population is its territory's: the old city's programme, planned after the
// merger, leaves out the businesses of a unit formed only from another province's communes; the
// programme that starts after it has them.
func TestAProgrammesPopulationIsItsTerritorys(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		city := reorgtest.Build(t, db)
		svc := newService(t, db, reorgtest.Today)
		for _, tc := range []struct {
			prog *models.Programme
			year int
			want string
		}{
			{city.Old2021, 2025, "map[31147@2025:3 31150:2]"},
			{city.New2026, 2026, "map[31147@2025:3 31150:2 31441:2]"},
		} {
			t.Run(tc.prog.Code, func(t *testing.T) {
				in, err := svc.BuildInput(context.Background(), tc.prog, tc.year, reorgtest.Today)
				if err != nil {
					t.Fatal(err)
				}
				units := map[string]int{}
				for _, b := range in.Businesses {
					units[b.Ward]++
				}
				if got := fmt.Sprint(units); got != tc.want {
					t.Errorf("population by unit %s, want %s", got, tc.want)
				}
			})
		}
	})
}
