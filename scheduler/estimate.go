package scheduler

import "math"

// Observation is one selected business of a plan: its inclusion probability, whether the team
// got in, and whether it found a violation.
type Observation struct {
	Group     string
	Prob      float64
	Inspected bool
	Violation bool
}

// Estimate is an estimated share of violating businesses with a 95% confidence interval.
type Estimate struct {
	Share     float64 `json:"share"`
	Low       float64 `json:"low"`
	High      float64 `json:"high"`
	SE        float64 `json:"se"`
	Sample    int     `json:"sample"`    // businesses inspected
	Violating int     `json:"violating"` // of them, with a violation
}

// Prevalence estimates the share of violating businesses among the population of size n that a
// plan was drawn from, with the Horvitz-Thompson estimator: each inspected business counts
// 1/pi times. Visits that failed (closed door, refused) are treated as missing at random within
// their group: the inspected ones of the group stand for them, their weights scaled up by the
// group's response rate. Counting only the risky businesses that were picked would overstate the
// share; this does not.
//
// The variance uses the Poisson-sampling approximation sum((1-pi)/pi^2 * y), which is slightly
// conservative for the fixed-size systematic design the planner uses.
func Prevalence(obs []Observation, n int) Estimate {
	var e Estimate
	if n <= 0 {
		return e
	}
	selected := map[string]int{}
	responded := map[string]int{}
	for _, o := range obs {
		selected[o.Group]++
		if o.Inspected {
			responded[o.Group]++
		}
	}
	total, variance := 0.0, 0.0
	for _, o := range obs {
		if !o.Inspected || o.Prob <= 0 {
			continue
		}
		e.Sample++
		if !o.Violation {
			continue
		}
		e.Violating++
		p := o.Prob * float64(responded[o.Group]) / float64(selected[o.Group])
		total += 1 / p
		variance += (1 - math.Min(p, 1)) / (p * p)
	}
	N := float64(n)
	e.Share = math.Min(1, total/N)
	e.SE = math.Sqrt(variance) / N
	e.Low = math.Max(0, e.Share-1.96*e.SE)
	e.High = math.Min(1, e.Share+1.96*e.SE)
	return e
}
