package scheduler_test

import (
	"context"
	"io"
	"log/slog"
	"math"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/scheduler"
	"kiemtra/scheduler/plantest"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// The plan's inputs carry what the risk score reads from the database: the findings weighted by
// the catalogue's severity and their age, the opening date, the violations within 500 m, and the
// configured floor; the explanation of a drafted plan's item reads them back.
func TestThePlansInputsCarryTheRiskSignals(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		world(t, db, 0)
		bs := []*models.Business{
			{Name: "Karaoke A", Category: "karaoke", LicenceNo: ptr("A"), Lat: 10.0300, Lon: 105.7800, AreaCode: "D11", Status: models.BusinessActive, OpenedOn: models.NewDate(2015, 1, 1)},
			{Name: "Karaoke B", Category: "karaoke", LicenceNo: ptr("B"), Lat: 10.0330, Lon: 105.7800, AreaCode: "D11", Status: models.BusinessActive, OpenedOn: models.NewDate(2025, 6, 1)},
			{Name: "Karaoke C", Category: "karaoke", LicenceNo: ptr("C"), Lat: 10.0900, Lon: 105.7800, AreaCode: "D21", Status: models.BusinessActive, OpenedOn: models.NewDate(2015, 1, 1)},
		}
		if err := db.CreateBusinesses(ctx, "t", bs); err != nil {
			t.Fatal(err)
		}
		// A was found with a critical violation (its severity left to the catalogue) a year
		// before the plan.
		at := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
		in := &models.Inspection{BusinessID: bs[0].ID, Outcome: models.OutcomeViolation, StartedAt: at, FinishedAt: at.Add(time.Hour), CreatedBy: "t"}
		if err := db.ApplyVisits(ctx, "t", []models.Visit{{Inspection: in, Findings: []*models.Finding{{Code: "PROSTITUTION"}}}}); err != nil {
			t.Fatal(err)
		}
		cats, _ := refdata.Categories()
		violations, _ := refdata.Violations()
		cfg := scheduler.Config{Store: db, Categories: cats, Violations: violations, RiskFloor: 0.4,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC) },
			Location: time.UTC, Seed: func() string { return "seed" }}
		svc := scheduler.NewService(cfg)
		prog := programme(t, svc)
		input, err := svc.BuildInput(ctx, prog, 2026, models.NewDate(2026, 1, 1))
		if err != nil {
			t.Fatal(err)
		}
		if input.RiskFloor != 0.4 || input.Rules != scheduler.RulesV3 {
			t.Fatalf("floor %v, rules %d", input.RiskFloor, input.Rules)
		}
		got := map[string]scheduler.Business{}
		for _, b := range input.Businesses {
			got[b.ID] = b
		}
		a, b, c := got[bs[0].ID], got[bs[1].ID], got[bs[2].ID]
		// Critical counts 3, halved after two years: 3 * 0.5^(1/2) a year on.
		if want := 3 * math.Pow(0.5, 365.0/365.25/2); math.Abs(a.Severity-want) > 0.001 || a.Violations != 1 {
			t.Errorf("A: severity %v (want %.3f), violations %d", a.Severity, want, a.Violations)
		}
		if b.Nearby != 1 || a.Nearby != 0 || c.Nearby != 0 || b.Opened != models.NewDate(2025, 6, 1) {
			t.Errorf("nearby A %d, B %d, C %d (want 0, 1, 0); B opened %s", a.Nearby, b.Nearby, c.Nearby, b.Opened)
		}
		if ra, rc := input.RiskOf(a), input.RiskOf(c); ra.Score <= rc.Score {
			t.Errorf("A, found violating, weighs %v; C %v", ra.Score, rc.Score)
		}
		plan, items := plantest.Drawn(t, cfg, prog.ID, 2026, models.DraftOptions{})
		if len(items) == 0 {
			t.Fatal("the plan selects nobody")
		}
		for _, it := range items {
			r, err := svc.PlanItemRisk(ctx, plan.ID, it.BusinessID)
			if err != nil {
				t.Fatal(err)
			}
			if r.InclusionProb != it.InclusionProb || r.Floor != 0.4 || r.InclusionProb < r.Floor*r.UniformProb-1e-12 || len(r.Factors) != 6 {
				t.Errorf("%s: %+v", it.BusinessID, r)
			}
		}
		if _, err := svc.PlanItemRisk(ctx, plan.ID, "nope"); !models.IsCode(err, models.ENOTFOUND) {
			t.Errorf("a business not selected: %v", err)
		}
	})
}
