package scheduler

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"kiemtra/models"
	"kiemtra/refdata"
)

// riskCity is a small v2 input of the simulated city's second year, with history to weigh.
func riskCity(t testing.TB, n int) Input {
	t.Helper()
	cats, err := refdata.Categories()
	if err != nil {
		t.Fatal(err)
	}
	o := DefaultSimOptions()
	o.Businesses, o.Wards, o.Rules = n, 6, RulesV3
	w := newWorld(o, cats)
	st := &simState{covered: map[string]bool{}, lastInspected: map[string]models.Date{}, findings: map[string][]simFinding{}, found: map[string]bool{}}
	jan1 := models.NewDate(2022, 1, 1)
	var active []*simBusiness
	for i, b := range w.businesses {
		if !b.openOn(jan1) {
			continue
		}
		active = append(active, b)
		if i%3 == 0 { // a third inspected last year, those violating found
			st.covered[b.id], st.lastInspected[b.id] = true, models.NewDate(2021, 6, 1)
			if b.violatesIn(2021, 2021) {
				st.findings[b.id] = []simFinding{{day: models.NewDate(2021, 6, 1), severity: b.severity}}
			}
		}
	}
	in := w.input(2022, jan1, active, st, models.NewDate(2025, 12, 31))
	in.Rates = &Rates{}
	*in.Rates = ObservedRates(0, 0, 0, 0, 0)
	return in
}

// The probabilities a v2 plan records are the chances of being drawn: over many seeds each
// business is drawn as often as InclusionOf says, and none falls below the floor.
func TestRiskWeightedDrawsHitTheirInclusionProbabilities(t *testing.T) {
	in := riskCity(t, 300)
	incl, err := InclusionOf(in)
	if err != nil {
		t.Fatal(err)
	}
	const runs = 3000
	count := map[string]float64{}
	for r := 0; r < runs; r++ {
		res, err := YearlyPlan(in, fmt.Sprint(r))
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range res.Items {
			count[it.BusinessID]++
			if x := incl[it.BusinessID]; math.Abs(x.Prob-it.Prob) > 1e-12 || x.Group != it.Group {
				t.Fatalf("item %s: recorded %v/%s, InclusionOf %v/%s", it.BusinessID, it.Prob, it.Group, x.Prob, x.Group)
			}
		}
	}
	bad := 0
	for id, x := range incl {
		if x.Prob < in.RiskFloor*x.Uniform-1e-12 {
			t.Errorf("%s: probability %.4f below the floor of %.4f", id, x.Prob, in.RiskFloor*x.Uniform)
		}
		got := count[id] / runs
		if tol := 4*math.Sqrt(x.Prob*(1-x.Prob)/runs) + 1e-9; math.Abs(got-x.Prob) > tol {
			bad++
			t.Logf("%s (%s): drawn %.4f, want %.4f", id, x.Group, got, x.Prob)
		}
	}
	// Four standard errors: one business in 15,000 strays by chance; allow a couple.
	if bad > 2 {
		t.Errorf("%d of %d businesses drawn away from their probability", bad, len(incl))
	}
}

// Each factor of the v2 score moves it the way a planner expects, the score stays within its
// bounds, and rules v1 keep their weights.
func TestRiskScoreFactors(t *testing.T) {
	in := Input{Year: 2026, Rules: RulesV3, RiskFloor: 0.5, CategoryRisk: map[string]float64{"karaoke": 2, "barber": 1}}
	plain := Business{ID: "a", Category: "barber", LastInspected: models.NewDate(2025, 6, 1), Opened: models.NewDate(2010, 1, 1)}
	base := in.RiskOf(plain)
	if len(base.Factors) != 6 || base.Capped {
		t.Fatalf("plain business: %+v", base)
	}
	for _, tc := range []struct {
		name   string
		change func(*Business)
		factor string
	}{
		{"a riskier category", func(b *Business) { b.Category = "karaoke" }, "category"},
		{"a severe violation found last year", func(b *Business) { b.Severity = 2 }, "violations"},
		{"a count of violations without severities", func(b *Business) { b.Violations = 1 }, "violations"},
		{"two tips", func(b *Business) { b.Tips = 2 }, "tips"},
		{"never inspected", func(b *Business) { b.LastInspected = models.Date{} }, "last_inspected"},
		{"opened last year", func(b *Business) { b.Opened = models.NewDate(2025, 3, 1) }, "opened"},
		{"violations nearby", func(b *Business) { b.Nearby = 3 }, "nearby"},
	} {
		t.Run(tc.name+" raises the score through its factor", func(t *testing.T) {
			b := plain
			tc.change(&b)
			r := in.RiskOf(b)
			if r.Score <= base.Score {
				t.Errorf("score %v, plain %v", r.Score, base.Score)
			}
			for k, f := range r.Factors {
				if changed := f.Contribution != base.Factors[k].Contribution; changed != (f.Name == tc.factor) {
					t.Errorf("factor %s: %v, plain %v", f.Name, f.Contribution, base.Factors[k].Contribution)
				}
				if f.VI == "" || f.EN == "" {
					t.Errorf("factor %s has no label", f.Name)
				}
			}
		})
	}
	if l := base.Factors[5]; l.Name != "nearby" || !strings.Contains(l.EN, fmt.Sprintf("within %d m, last %d years", NearbyRadiusMetres, NearbyYears)) {
		t.Errorf("the nearby factor's label %q does not say the radius and years", l.EN)
	}
	worst := Business{ID: "w", Category: "karaoke", Severity: 9, Tips: 9, Nearby: 9, Opened: models.NewDate(2025, 6, 1)}
	if r := in.RiskOf(worst); r.Score != MaxRiskScore || !r.Capped {
		t.Errorf("the riskiest business: %v capped %v, want %v", r.Score, r.Capped, MaxRiskScore)
	}
	v1 := in
	v1.Rules, v1.RiskFloor = RulesV1, 0
	for _, b := range []Business{plain, worst} {
		if got, want := v1.RiskOf(b).Score, v1.risk(b); math.Abs(got-want) > 1e-12 {
			t.Errorf("rules v1 explain %v, weigh %v", got, want)
		}
	}
}

func TestRiskFloorIsValidated(t *testing.T) {
	in := riskCity(t, 50)
	for _, tc := range []struct {
		rules int
		floor float64
		ok    bool
	}{{RulesV3, 0, false}, {RulesV3, -0.1, false}, {RulesV3, 1.5, false}, {RulesV3, 1, true}, {RulesV3, 0.1, true}, {RulesV2, 0.5, false}, {RulesV2, 0, true}, {RulesV1, 0.5, false}, {RulesV1, 0, true}} {
		in.Rules, in.RiskFloor = tc.rules, tc.floor
		_, err := YearlyPlan(in, "s")
		if (err == nil) != tc.ok {
			t.Errorf("rules %d floor %v: %v", tc.rules, tc.floor, err)
		}
		var e *models.Error
		if err != nil && (!errors.As(err, &e) || !strings.Contains(err.Error(), "risk_floor")) {
			t.Errorf("rules %d floor %v: the error does not name risk_floor: %v", tc.rules, tc.floor, err)
		}
	}
}

// The history signals: severity by the finding's own grade, else the catalogue's, else medium,
// halved every two years; nearby within 500 m, or in the ward without a position.
func TestRiskSignalsFromTheFacts(t *testing.T) {
	asOf := models.NewDate(2026, 1, 1)
	bs := []*models.Business{
		{ID: "a", AreaCode: "w1", Lat: 10.0300, Lon: 105.7800},
		{ID: "b", AreaCode: "w1", Lat: 10.0330, Lon: 105.7800}, // 330 m north of a
		{ID: "c", AreaCode: "w2", Lat: 10.0500, Lon: 105.7800}, // 2.2 km from a
		{ID: "d", AreaCode: "w1"},                              // not geocoded
	}
	findings := []models.FindingFact{
		{BusinessID: "a", Code: "X", Severity: "critical", Found: asOf.AddDays(-1)},
		{BusinessID: "a", Code: "PROST", Severity: "minor", Found: asOf.AddDays(-1461)}, // four years: a quarter
		{BusinessID: "c", Code: "Y", Found: asOf.AddDays(-30)},
		{BusinessID: "b", Code: "Y", Found: asOf}, // on the planning day: not yet known
	}
	sev, near := RiskSignals(bs, findings, map[string]string{"PROST": "high"}, asOf)
	if got, want := sev["a"], math.Round((3*RecencyWeight(1)+2*RecencyWeight(1461))*1000)/1000; got != want || math.Abs(got-3.5) > 0.01 {
		t.Errorf("a's severity %v, want %v", got, want)
	}
	if got := sev["c"]; math.Abs(got-1) > 0.03 {
		t.Errorf("c's severity %v, want about 1 (medium, a month ago)", got)
	}
	if _, ok := sev["b"]; ok {
		t.Errorf("b has a severity from a finding of the planning day")
	}
	want := map[string]int{"b": 1, "d": 1}
	if len(near) != len(want) || near["b"] != 1 || near["d"] != 1 {
		t.Errorf("nearby %v, want %v", near, want)
	}
}

// Plans drafted with rules v2 (levelled quotas, released with rules v1's weights) keep selecting
// as they did: the score and the floor are rules v3's.
func TestRulesV2KeepsTheWeightsItWasReleasedWith(t *testing.T) {
	in := Input{Year: 2027, Rules: RulesV2, CategoryRisk: map[string]float64{"karaoke": 2}}
	for _, b := range []Business{
		{ID: "a", Category: "karaoke"},
		{ID: "b", Category: "karaoke", Violations: 3, Tips: 2, LastInspected: models.NewDate(2024, 5, 1)},
		{ID: "c", Category: "massage", Covered: true, LastInspected: models.NewDate(2026, 3, 1), Severity: 4, Nearby: 5, Opened: models.NewDate(2026, 6, 1)},
	} {
		if w, want := in.weight(b), in.risk(b); w != want {
			t.Errorf("%s: rules v2 weight %v, want rules v1's %v", b.ID, w, want)
		}
		if r := in.RiskOf(b); r.Score != in.risk(b) || r.Rules != RulesV2 {
			t.Errorf("%s: explained as %+v", b.ID, r)
		}
	}
	if in.floor() != 0 {
		t.Errorf("rules v2 floor %v", in.floor())
	}
	if err := in.validate(); err != nil && strings.Contains(err.Error(), "risk_floor") {
		t.Errorf("a rules v2 input without a floor is refused: %v", err)
	}
}
