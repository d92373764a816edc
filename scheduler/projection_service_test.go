package scheduler_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/scheduler"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func TestProjectionReadsTheRatesFromTheRegistryAndTheVisits(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		world(t, db, 200) // 200 open since 2015, two teams of 10 a week
		var bs []*models.Business
		for i := 0; i < 30; i++ {
			bs = append(bs, &models.Business{Name: fmt.Sprintf("Karaoke mới %d", i), Category: "karaoke", LicenceNo: ptr(fmt.Sprintf("N%05d", i)),
				Lat: 10, Lon: 105, AreaCode: "D11", Status: models.BusinessActive, OpenedOn: models.NewDate(2025, 3, 1)})
		}
		for i := 0; i < 20; i++ {
			bs = append(bs, &models.Business{Name: fmt.Sprintf("Karaoke cũ %d", i), Category: "karaoke", LicenceNo: ptr(fmt.Sprintf("C%05d", i)),
				Lat: 10, Lon: 105, AreaCode: "D21", Status: models.BusinessClosed, OpenedOn: models.NewDate(2015, 1, 1), ClosedOn: models.NewDate(2024, 6, 1)})
		}
		if err := db.CreateBusinesses(ctx, "t", bs); err != nil {
			t.Fatal(err)
		}
		// Ten visits in 2025 to open businesses, two of them missed, and one found closed.
		for i, outcome := range []string{"compliant", "compliant", "violation", "compliant", "compliant", "compliant", "compliant", "compliant", "refused", "not_found", "closed"} {
			at := time.Date(2025, 4, 1+i, 9, 0, 0, 0, time.UTC)
			in := &models.Inspection{BusinessID: bs[i].ID, Outcome: outcome, StartedAt: at, FinishedAt: at.Add(time.Hour), CreatedBy: "t"}
			if err := db.ApplyVisits(ctx, "t", []models.Visit{{Inspection: in}}); err != nil {
				t.Fatal(err)
			}
		}
		svc := newService(t, db, models.NewDate(2026, 3, 1))
		prog := programme(t, svc)
		p, err := svc.Projection(ctx, prog, models.NewDate(2026, 3, 1))
		if err != nil {
			t.Fatal(err)
		}
		// 2023-2025: 220, 220 and 200 open on 1 January; 30 openings (2025), 20 closures (2024).
		want := scheduler.Rates{Openings: 30.0 / 640, Closures: 20.0 / 640, Misses: 0.2}
		if p.Rates != want {
			t.Errorf("rates %+v, want %+v", p.Rates, want)
		}
		// 230 open and never inspected in the programme on 1 January 2026, about 52 openings
		// expected to 60 days before the deadline: 282.8 first visits levelled over 4.75 years of
		// equal capacity, 60 this year; 15 repeats; two teams of 2 a day: 37.5 of 522 team-days.
		y := p.Years[0]
		if p.MadeIn != 2026 || len(p.Years) != 5 || !p.Fits || y.Open != 230 || y.Uninspected != 230 || y.FirstVisits != 60 ||
			y.Repeats != 15 || y.NeededTeamDays != 37.5 || y.AvailableTeamDays != 522 {
			t.Fatalf("projection made in %d, %d years, fits %v, first year %+v", p.MadeIn, len(p.Years), p.Fits, y)
		}
		again, err := svc.Projection(ctx, prog, models.NewDate(2026, 3, 1))
		if err != nil || again != p {
			t.Fatalf("the projection was not reused (%v)", err)
		}
	})
}

func TestRatesFromFacts(t *testing.T) {
	open := func(opened models.Date) *models.Business {
		return &models.Business{Status: models.BusinessActive, OpenedOn: opened}
	}
	closed := func(opened, on models.Date) *models.Business {
		return &models.Business{Status: models.BusinessClosed, OpenedOn: opened, ClosedOn: on}
	}
	old := models.NewDate(2010, 1, 1)
	for _, tc := range []struct {
		name  string
		facts models.PlanningFacts
		want  scheduler.Rates
	}{
		{"no registry, no visits: the defaults", models.PlanningFacts{}, scheduler.ObservedRates(0, 0, 0, 0, 0)},
		{
			// 2021-2023: 4, 5 (one opened that day) and 5 open on 1 January (14); openings 2 (2022);
			// closures 2022 (1) and 2023 (the one opened on 1 January 2022). Misses: 2 of the 10
			// visits to open businesses; the 5 found closed are not repeated.
			"three years of churn, visits by outcome",
			models.PlanningFacts{Businesses: []*models.Business{open(old), open(old), open(old), closed(old, models.NewDate(2022, 5, 1)),
				open(models.NewDate(2022, 3, 1)), closed(models.NewDate(2022, 1, 1), models.NewDate(2023, 2, 1)), open(models.NewDate(2024, 1, 1))},
				Outcomes: map[string]int{models.OutcomeCompliant: 6, models.OutcomeViolation: 2, models.OutcomeRefused: 1, models.OutcomeNotFound: 1, models.OutcomeClosed: 5}},
			scheduler.Rates{Openings: 2.0 / 14, Closures: 2.0 / 14, Misses: 0.2},
		},
		{
			// The registry begins in 2023: 2021 and 2022 say nothing.
			"years before the first business are left out",
			models.PlanningFacts{Businesses: []*models.Business{open(models.NewDate(2022, 6, 1)), open(models.NewDate(2023, 6, 1))}},
			scheduler.Rates{Openings: 1, Misses: scheduler.DefaultMissRate, MissesDefault: true},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := scheduler.RatesFromFacts(&tc.facts, 2024); got != tc.want {
				t.Fatalf("got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}
