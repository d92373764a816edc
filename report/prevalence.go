package report

import (
	"context"
	"strings"

	"kiemtra/coverage"
	"kiemtra/models"
	"kiemtra/scheduler"
)

// Prevalence is the estimated share of violating businesses of an area and of every unit under
// it in a year, from the year's approved plan samples: the figures of the year's report, for the
// dashboard, which shows them beside the coverage of the same units.
type Prevalence struct {
	// Plans are the approved plans whose samples the estimates use; empty: no estimate.
	Plans []string `json:"plans"`
	// MinSample and MinEffective are the thresholds of the estimates' quality: under MinSample
	// businesses of the sample inspected, an estimate is suppressed; under MinEffective
	// effective sample, marked low.
	MinSample    int     `json:"min_sample"`
	MinEffective float64 `json:"min_effective"`
	// Total is the area's estimate; nil without an inspected business of the sample.
	Total *scheduler.Estimate `json:"total"`
	// Units are the estimates of the units under the area, at every level, by unit version;
	// a unit without an inspected business of the sample is absent.
	Units map[string]*scheduler.Estimate `json:"units"`
}

// Prevalence estimates, for a coverage query that the coverage service resolved (the year up to
// its as-of day, on the units in force that day), the prevalence of the area and of every unit
// under it, as the year's report does. The samples are drawn on the programme's whole scope:
// a query for one category is refused (invalid: category) rather than answered for all.
func (s *Service) Prevalence(ctx context.Context, q models.CoverageQuery) (*Prevalence, error) {
	if q.Category != "" {
		return nil, models.Invalid("category", "the prevalence is estimated for the programme's whole scope, not for one category",
			"tỷ lệ vi phạm chỉ được ước tính cho toàn bộ phạm vi của chương trình, không theo từng loại hình")
	}
	u, err := s.units.UnitsFor(ctx, q.Programme, q.Area, q.AsOf, q.Programme.StartsOn)
	if err != nil {
		return nil, err
	}
	q.Scope = q.Programme.ScopeCategories
	spec := coverage.Spec(q, u, s.loc)
	sm, err := s.planSample(ctx, q.Programme, q.Year, spec)
	if err != nil {
		return nil, err
	}
	out := &Prevalence{Plans: sm.planIDs(), MinSample: scheduler.MinSample, MinEffective: scheduler.MinEffective,
		Units: map[string]*scheduler.Estimate{}}
	if len(sm.plans) == 0 {
		return out, nil
	}
	byCode := make(map[string]*models.Area, len(u.Areas))
	for _, a := range u.Areas {
		byCode[a.Code] = a
	}
	// A unit's estimate takes the sample of the units on whose path it lies, as a report row's.
	for _, a := range u.Areas {
		path := a.Path
		e := sm.estimate(func(code string) bool { b := byCode[code]; return b != nil && strings.HasPrefix(b.Path, path) })
		switch {
		case a.Code == u.Root.Code:
			out.Total = e
		case e != nil:
			out.Units[a.Code] = e
		}
	}
	return out, nil
}
