package scheduler

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"kiemtra/geo"
	"kiemtra/models"
)

// The risk score of planner rules v2 (docs/risk.md). A business's selection weight is the
// product of a few bounded factors read from its history; each factor is explained to planners
// ("why this business") by RiskOf. The weights only shift the odds inside a group and a ward:
// every business keeps an inclusion probability of at least RiskFloor times its stratum's
// uniform probability (floorProbabilities), so that the Hájek estimate keeps its design weights
// bounded and nobody can know that a low-risk business is safe.

// DefaultRiskFloor is the floor new plans are drafted with when the configuration does not set
// one: a business's inclusion probability is at least a quarter of what uniform sampling of its
// stratum would give it, so every design weight stays within four times the uniform one. In the
// simulator a quarter keeps the city-wide 95% interval at 93-96% coverage with the score finding
// 21-24% more violations per inspection; a half holds 96-98% and finds 16-18% more
// (docs/benchmarks.md, "Risk score").
const DefaultRiskFloor = 0.25

// Bounds of the score: every weight lies in [MinRiskScore, MaxRiskScore], so that no business
// weighs more than MaxRiskScore/MinRiskScore = 30 times another of its stratum.
const (
	MinRiskScore = 0.5
	MaxRiskScore = 30
)

// NearbyRadiusMetres is how close another business's violation must be to count as nearby
// (v2Labels say it, and NearbyYears, to planners).
const NearbyRadiusMetres = 500

// NearbyYears is how far back a nearby violation counts.
const NearbyYears = 2

// SeverityWeight is what one finding of a violation type's severity counts in Business.Severity
// (a medium violation counts one); an unknown severity counts as medium.
func SeverityWeight(severity string) float64 {
	switch severity {
	case "low":
		return 0.5
	case "high":
		return 2
	case "critical":
		return 3
	}
	return 1
}

// SeverityHalfLifeYears is the age at which a finding counts half in Business.Severity: a
// violation of last year says more about this year than one of five years ago.
const SeverityHalfLifeYears = 2.0

// RecencyWeight is the weight of a finding made ageDays before the planning date.
func RecencyWeight(ageDays int) float64 {
	return math.Pow(0.5, math.Max(float64(ageDays), 0)/365.25/SeverityHalfLifeYears)
}

// RiskFactor is one factor of a business's risk score.
type RiskFactor = models.RiskFactor

// RiskScore is a business's selection weight and why.
type RiskScore struct {
	Score   float64      `json:"score"`
	Capped  bool         `json:"capped"` // the factors' product lay outside [MinRiskScore, MaxRiskScore]
	Rules   int          `json:"rules"`
	Factors []RiskFactor `json:"factors"`
}

// RiskOf returns the selection weight a plan's rules give the business, and its factors.
func (in *Input) RiskOf(b Business) RiskScore {
	if in.rules() < RulesV3 {
		return in.riskV1(b)
	}
	return in.riskV2(b)
}

// riskV1 explains the weights of RulesV1 and RulesV2 (Input.risk), so that stored plans can be
// read too.
func (in *Input) riskV1(b Business) RiskScore {
	base := in.CategoryRisk[b.Category]
	if base <= 0 {
		base = 1
	}
	r := RiskScore{Rules: in.rules()}
	r.add("category", "Loại hình kinh doanh", "Category", base, base)
	r.add("violations", "Vi phạm trước đây", "Prior violations", float64(b.Violations), 1+0.5*float64(min(b.Violations, 4)))
	r.add("tips", "Tin báo", "Tips", float64(b.Tips), 1+0.25*float64(min(b.Tips, 4)))
	years, m := -1.0, 2.0
	if !b.LastInspected.IsZero() {
		years = float64(b.LastInspected.DaysUntil(models.NewDate(in.Year, 1, 1))) / 365.25
		m = 1 + math.Min(math.Max(years, 0), 4)/4
	}
	r.add("last_inspected", "Thời gian từ lần kiểm tra gần nhất (năm; -1: chưa từng)", "Years since the last inspection (-1: never)", years, m)
	r.Score = 1
	for _, f := range r.Factors {
		r.Score *= f.Contribution
	}
	return r
}

// v2Labels name the factors of rules v2, in the order v2Factors computes them.
var v2Labels = [6]struct{ name, vi, en string }{
	{"category", "Loại hình kinh doanh (mức rủi ro cơ sở)", "Category (base risk)"},
	{"violations", "Vi phạm trước đây (theo mức độ và thời gian)", "Prior violations (by severity and recency)"},
	{"tips", "Tin báo trong năm qua", "Tips in the last year"},
	{"last_inspected", "Thời gian từ lần kiểm tra gần nhất (năm; -1: chưa từng)", "Years since the last inspection (-1: never)"},
	{"opened", "Số năm hoạt động (-1: không rõ)", "Years since opening (-1: unknown)"},
	{"nearby", "Cơ sở vi phạm lân cận (trong 500 m, 2 năm qua)", "Businesses with violations nearby (within 500 m, last 2 years)"},
}

// v2Factors returns what each factor of rules v2 reads and the multiplier it applies, without
// the labels, so that weighing a million businesses allocates nothing.
func (in *Input) v2Factors(b Business) (values, contributions [6]float64) {
	jan1 := models.NewDate(in.Year, 1, 1)
	base := in.CategoryRisk[b.Category]
	if base <= 0 {
		base = 1
	}
	values[0], contributions[0] = base, math.Min(math.Max(base, 0.5), 3)
	// Findings weighted by severity and recency; inputs without the weighted figure fall back on
	// the count, each finding as a medium one.
	sev := b.Severity
	if sev == 0 {
		sev = float64(b.Violations)
	}
	values[1], contributions[1] = sev, 1+4*math.Min(sev, 3)
	values[2], contributions[2] = float64(b.Tips), 1+2*float64(min(b.Tips, 3))
	values[3], contributions[3] = -1, 2
	if !b.LastInspected.IsZero() {
		years := float64(b.LastInspected.DaysUntil(jan1)) / 365.25
		values[3], contributions[3] = years, 1+math.Min(math.Max(years, 0), 4)/4
	}
	values[4], contributions[4] = -1, 1
	if !b.Opened.IsZero() {
		age := float64(b.Opened.DaysUntil(jan1)) / 365.25
		values[4] = age
		switch {
		case age < 1:
			contributions[4] = 1.5
		case age < 2:
			contributions[4] = 1.25
		}
	}
	values[5], contributions[5] = float64(b.Nearby), 1+0.25*float64(min(b.Nearby, 4))
	return values, contributions
}

// v2Score is the product of the factors within the score's bounds, and whether it was capped.
func v2Score(contributions [6]float64) (float64, bool) {
	p := 1.0
	for _, c := range contributions {
		p *= c
	}
	s := math.Min(math.Max(p, MinRiskScore), MaxRiskScore)
	return s, s != p
}

func (in *Input) riskV2(b Business) RiskScore {
	values, contributions := in.v2Factors(b)
	r := RiskScore{Rules: in.rules()}
	for k, l := range v2Labels {
		r.add(l.name, l.vi, l.en, values[k], contributions[k])
	}
	r.Score, r.Capped = v2Score(contributions)
	return r
}

func (r *RiskScore) add(name, vi, en string, value, contribution float64) {
	r.Factors = append(r.Factors, RiskFactor{Name: name, VI: vi, EN: en, Value: math.Round(value*1000) / 1000, Contribution: contribution})
}

// weight is the selection weight of a business under the input's rules.
func (in *Input) weight(b Business) float64 {
	if in.rules() < RulesV3 {
		return in.risk(b)
	}
	_, contributions := in.v2Factors(b)
	score, _ := v2Score(contributions)
	return score
}

// floor is the inclusion-probability floor the input's rules apply (none before RulesV3).
func (in *Input) floor() float64 {
	if in.rules() < RulesV3 {
		return 0
	}
	return in.RiskFloor
}

// floorProbabilities are the inclusion probabilities of drawing m of a stratum's units by
// weight with a floor: a mixture of a uniform draw (share floor) and a draw in proportion to
// the weights (capped at 1). They sum to m, and each is at least floor*m/len(weights), the
// floor's share of the stratum's uniform probability. floor 0 is the weighted draw alone.
func floorProbabilities(weights []float64, m int, floor float64) []float64 {
	probs := InclusionProbabilities(weights, m)
	if floor <= 0 || m <= 0 || m >= len(weights) {
		return probs
	}
	u := float64(m) / float64(len(weights))
	for i := range probs {
		probs[i] = floor*u + (1-floor)*probs[i]
	}
	return probs
}

// Inclusion is a business's chance of being selected in a plan, and from which stratum.
type Inclusion struct {
	Group string  `json:"group"`
	Prob  float64 `json:"prob"`
	// Uniform is the probability uniform sampling of the same stratum (group and ward) would
	// give, so that Prob/Uniform says how far the score moved the odds.
	Uniform float64 `json:"uniform"`
}

// InclusionOf returns every business's inclusion probability in the plan the input gives,
// whatever the seed: the allocation over wards and the probabilities inside them do not depend
// on the draw. It is the probability YearlyPlan records for the businesses it selects.
func InclusionOf(in Input) (map[string]Inclusion, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	sel := in.prepare()
	out := make(map[string]Inclusion, len(sel.bs))
	for _, g := range []struct {
		pool  []int
		n     int
		group string
	}{{sel.uncovered, sel.must, models.GroupMustCover}, {sel.covered, sel.reinsp, models.GroupReinspect}} {
		for _, st := range strata(sel.bs, g.pool, g.n) {
			probs := st.probs(sel.weights, in.floor())
			for j, i := range st.members {
				out[sel.bs[i].ID] = Inclusion{Group: g.group, Prob: probs[j], Uniform: st.exact / float64(len(st.members))}
			}
		}
	}
	return out, nil
}

// RiskSignals derives the score's history signals from the facts the store read: each
// business's findings weighted by severity and recency (Business.Severity), and the number of
// other businesses with a violation found in the last NearbyYears within NearbyRadiusMetres
// (Business.Nearby; same ward for a business without a position). A finding's severity is the
// one recorded with it, or else its violation type's in the catalogue (code -> severity), or
// else medium. Figures are rounded to a thousandth, since they are published with the inputs.
func RiskSignals(businesses []*models.Business, findings []models.FindingFact, catalogue map[string]string, asOf models.Date) (severity map[string]float64, nearby map[string]int) {
	severity = map[string]float64{}
	recent := map[string]bool{}
	since := asOf.AddDays(-int(math.Round(NearbyYears * 365.25)))
	for _, f := range findings {
		if !f.Found.Before(asOf) {
			continue
		}
		sev := f.Severity
		if !knownSeverity(sev) {
			sev = catalogue[f.Code]
		}
		severity[f.BusinessID] += SeverityWeight(sev) * RecencyWeight(f.Found.DaysUntil(asOf))
		if !f.Found.Before(since) {
			recent[f.BusinessID] = true
		}
	}
	for id, s := range severity {
		severity[id] = math.Round(s*1000) / 1000
	}
	var pts []geo.Point
	byWard := map[string]int{}
	for _, b := range businesses {
		if !recent[b.ID] {
			continue
		}
		byWard[b.AreaCode]++
		if hasPosition(b) {
			pts = append(pts, geo.Point{ID: b.ID, Lat: b.Lat, Lon: b.Lon})
		}
	}
	nearby = map[string]int{}
	if len(recent) == 0 {
		return severity, nearby
	}
	idx := geo.NewPointIndex(pts)
	for _, b := range businesses {
		n := 0
		if hasPosition(b) {
			for _, h := range idx.Near(b.Lat, b.Lon, NearbyRadiusMetres, 0) {
				if h.ID != b.ID {
					n++
				}
			}
		} else {
			n = byWard[b.AreaCode]
			if recent[b.ID] {
				n--
			}
		}
		if n > 0 {
			nearby[b.ID] = n
		}
	}
	return severity, nearby
}

func knownSeverity(s string) bool {
	return s == "low" || s == "medium" || s == "high" || s == "critical"
}

// hasPosition is false for a business not geocoded (stored at 0, 0 by some importers).
func hasPosition(b *models.Business) bool {
	return (b.Lat != 0 || b.Lon != 0) && !math.IsNaN(b.Lat) && !math.IsNaN(b.Lon)
}

// PlanItemRisk explains why a stored plan selected a business ("why this business"), from the
// plan's stored inputs alone, so that it works for any plan and any rules version: not_found
// when the plan does not select the business.
func (s *Service) PlanItemRisk(ctx context.Context, planID, businessID string) (*models.PlanItemRisk, error) {
	p, err := s.store.FindPlanByID(ctx, planID)
	if err != nil {
		return nil, err
	}
	items, err := s.store.FindPlanItems(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	var item *models.PlanItem
	for _, it := range items {
		if it.BusinessID == businessID {
			item = it
		}
	}
	if item == nil {
		return nil, models.NewError(models.ENOTFOUND, "the plan does not select business %s", "kế hoạch không chọn cơ sở %s", businessID)
	}
	return ExplainItem(p, item)
}

// ExplainItem computes a plan item's risk and inclusion from the plan's stored inputs.
func ExplainItem(p *models.Plan, item *models.PlanItem) (*models.PlanItemRisk, error) {
	var in Input
	if err := json.Unmarshal([]byte(p.Inputs), &in); err != nil {
		return nil, fmt.Errorf("decode the inputs of plan %s: %w", p.ID, err)
	}
	incl, err := InclusionOf(in)
	if err != nil {
		return nil, fmt.Errorf("the inputs of plan %s: %w", p.ID, err)
	}
	for _, b := range in.Businesses {
		if b.ID != item.BusinessID {
			continue
		}
		r := in.RiskOf(b)
		return &models.PlanItemRisk{PlanID: p.ID, BusinessID: b.ID, AreaCode: item.AreaCode, Group: item.Group, Rules: r.Rules,
			Score: r.Score, Capped: r.Capped, Factors: r.Factors, InclusionProb: item.InclusionProb, UniformProb: incl[b.ID].Uniform, Floor: in.floor()}, nil
	}
	return nil, fmt.Errorf("plan %s selects %s, which its inputs do not hold", p.ID, item.BusinessID)
}
