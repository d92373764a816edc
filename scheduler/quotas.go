package scheduler

import "math"

// LastYearWeight is the share of the last year's capacity that the levelled rule (RulesV2)
// plans first visits into: its last quarter is kept for repeats of missed visits and for the
// businesses that open during the year.
const LastYearWeight = 0.75

// quotaState is what a year's quotas depend on: the yearly plan and the projection both call
// yearQuotas with it, so that the projection forecasts the rule the plans apply.
type quotaState struct {
	Rules       int
	Uninspected float64 // open on the planning date, never inspected in the programme
	Covered     float64 // open, inspected already
	Left        int     // years left, this one included
	Share       float64 // the yearly share
	Rates       Rates
	GraceDays   int
	// Capacity is the inspections the teams can make in each remaining year, this year first.
	Capacity []float64
}

// yearQuotas is the year's must-cover quota (never-inspected businesses drawn) and its
// re-inspection quota.
//
// RulesV1 spreads today's never-inspected businesses evenly: ceil(uninspected / years left).
// It ignores the businesses that will open, so the work piles up in the last year.
//
// RulesV2 spreads the expected remaining first visits (today's never inspected plus the
// openings expected in every remaining year, the last year's only up to the grace period)
// over the remaining years in proportion to their capacity, the last year counting for
// LastYearWeight of its own; never less than RulesV1. Its re-inspections make up the yearly
// share with a margin for the selected businesses that close before their visit and the
// visits missed in the year's last weeks.
//
// Both re-inspect at least MinReinspectionShare of those inspected, and draw more
// never-inspected businesses when too few are inspected to reach the share.
func yearQuotas(q quotaState) (must, reinsp float64) {
	open := q.Uninspected + q.Covered
	must = ceilF(q.Uninspected / float64(max(q.Left, 1)))
	if q.Left <= 1 {
		must = q.Uninspected
	}
	selection := ceilF(q.Share * open)
	if q.Rules >= RulesV2 {
		if q.Left > 1 {
			must = math.Max(must, ceilF(levelledShare(q)*expectedFirstVisits(q)))
		}
		// Half the year's closures fall before a selected business's visit, on average; about a
		// tenth of the year's missed visits are missed too late to repeat.
		selection = ceilF(q.Share * open * (1 + q.Rates.Closures/2 + q.Rates.Misses/10))
	}
	must = math.Min(must, q.Uninspected)
	reinsp = math.Max(selection-must, 0)
	if q.Covered > 0 {
		reinsp = math.Max(reinsp, ceilF(MinReinspectionShare*q.Covered))
	}
	if reinsp > q.Covered {
		must = math.Min(q.Uninspected, must+reinsp-q.Covered)
		reinsp = q.Covered
	}
	return must, reinsp
}

// expectedFirstVisits is the first visits the rest of the programme needs: today's
// never-inspected businesses and the openings expected in each remaining year (closures
// leave them out: the rule leans to the safe side).
func expectedFirstVisits(q quotaState) float64 {
	r := q.Rates
	open := q.Uninspected + q.Covered
	total := q.Uninspected
	for k := 0; k < q.Left; k++ {
		openings := r.Openings * open
		if k == q.Left-1 {
			openings *= math.Max(0, 365-float64(q.GraceDays)) / 365
		}
		total += openings
		open *= 1 + r.Openings - r.Closures
	}
	return total
}

// levelledShare is this year's share of the remaining first visits: its capacity over the
// remaining years' capacity, the last year weighted by LastYearWeight. Without capacity figures
// every year counts the same.
func levelledShare(q quotaState) float64 {
	weight := func(k int) float64 {
		c := 1.0
		if len(q.Capacity) == q.Left {
			c = q.Capacity[k]
		}
		if k == q.Left-1 {
			c *= LastYearWeight
		}
		return c
	}
	var sum float64
	for k := 0; k < q.Left; k++ {
		sum += weight(k)
	}
	if sum <= 0 {
		return 1 / (float64(q.Left-1) + LastYearWeight)
	}
	return weight(0) / sum
}
