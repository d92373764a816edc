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

// Estimate quality: whether a unit's estimate can be printed as it is.
const (
	// QualityOK: the sample is large enough for the interval to be read as it stands.
	QualityOK = "ok"
	// QualityLow: printed, but marked: the effective sample is small and the interval wide.
	QualityLow = "low"
	// QualitySuppressed: too few businesses inspected to say anything: reports leave it blank.
	QualitySuppressed = "suppressed"
)

// Thresholds of the estimate's quality, in businesses inspected and in effective sample size.
// Below MinSample a share moves by a fifth or more with each business; below MinEffective the
// interval spans more than about 0.3 at common prevalences. Statistical offices use similar
// rules (publish with a mark below 30 effective cases, suppress below a handful).
const (
	MinSample    = 5
	MinEffective = 30
	// smallSample is where the design variance is too unsteady to trust on its own.
	smallSample = 50
)

// Estimate is an estimated share of violating businesses with a 95% confidence interval.
type Estimate struct {
	Share     float64 `json:"share"`
	Low       float64 `json:"low"`
	High      float64 `json:"high"`
	SE        float64 `json:"se"`
	Sample    int     `json:"sample"`    // businesses inspected
	Violating int     `json:"violating"` // of them, with a violation
	// Effective is Kish's effective sample size of the weighted sample: the number of equally
	// weighted businesses that would give the same precision.
	Effective float64 `json:"effective_sample"`
	// Quality is ok, low (marked) or suppressed (not printed).
	Quality string `json:"quality"`
}

// Prevalence estimates the share of violating businesses among those a plan was drawn from
// (n of them; zero or less: no estimate). Each inspected business stands for 1/pi businesses,
// its weight scaled up by its group's response rate, so that visits that failed (closed door,
// refused) are treated as missing at random within their group; counting only the risky
// businesses that were picked would overstate the share.
//
// The share is the weighted mean of the inspected (the Hájek ratio estimator): dividing the
// weighted count by the population instead (Horvitz-Thompson) is biased in small units, whose
// sample size is itself random. The interval is the Jeffreys binomial interval on the effective
// sample size (as Korn and Graubard do with the exact interval for complex samples): unlike the
// normal approximation it keeps its 95% coverage at small samples and never has zero width when
// no violation was found. Estimates from fewer than MinSample inspected businesses are suppressed,
// and those whose effective sample is under MinEffective marked low.
func Prevalence(obs []Observation, n int) Estimate {
	e := Estimate{Quality: QualitySuppressed}
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
	sumW, sumW2, sumWY := 0.0, 0.0, 0.0
	for _, o := range obs {
		if !o.Inspected || o.Prob <= 0 {
			continue
		}
		e.Sample++
		w := float64(selected[o.Group]) / (math.Min(o.Prob, 1) * float64(responded[o.Group]))
		sumW += w
		sumW2 += w * w
		if o.Violation {
			e.Violating++
			sumWY += w
		}
	}
	if e.Sample == 0 {
		return e
	}
	p := sumWY / sumW
	// The effective sample: the design variance of the ratio (linearised, Poisson sampling:
	// each business's (1-pi)/pi^2 = w(w-1) times its squared residual) turned into the number
	// of equally weighted businesses with the same precision. With no residual (no violation
	// found, or all violating) it says nothing: Kish's count from the weights stands in,
	// corrected for the share of the population inspected (Sample/sumW, selection and response
	// together), so that a unit nearly all inspected knows its share nearly exactly.
	variance := 0.0
	for _, o := range obs {
		if !o.Inspected || o.Prob <= 0 {
			continue
		}
		w := float64(selected[o.Group]) / (math.Min(o.Prob, 1) * float64(responded[o.Group]))
		y := 0.0
		if o.Violation {
			y = 1
		}
		variance += w * math.Max(w-1, 0) * (y - p) * (y - p)
	}
	variance /= sumW * sumW
	kish := math.Inf(1)
	if f := float64(e.Sample) / sumW; f < 1 {
		kish = sumW * sumW / sumW2 / (1 - f)
	}
	neff := kish
	if variance > 0 {
		neff = p * (1 - p) / variance
		// A variance estimated from a small sample is itself unreliable, most often too
		// small: there the smaller of the two counts is taken.
		if e.Sample < smallSample {
			neff = math.Min(neff, kish)
		}
	}
	e.Share, e.Effective = p, neff
	if math.IsInf(neff, 1) { // a census: the share is known
		e.Low, e.High, e.Effective = p, p, float64(e.Sample)
		e.Quality = QualityOK
		if e.Sample < MinSample {
			e.Quality = QualitySuppressed
		}
		return e
	}
	e.SE = math.Sqrt(p * (1 - p) / neff)
	e.Low, e.High = jeffreys(p*neff, neff, 0.05)
	switch {
	case e.Sample < MinSample:
		e.Quality = QualitySuppressed
	case neff < MinEffective:
		e.Quality = QualityLow
	default:
		e.Quality = QualityOK
	}
	return e
}

// clopperPearson is the exact (1-alpha) interval of a binomial proportion of x successes in n
// trials, through the beta distribution's quantiles; x and n need not be whole (an effective
// sample).
func clopperPearson(x, n, alpha float64) (low, high float64) {
	low, high = 0, 1
	if x > 0 {
		low = betaQuantile(alpha/2, x, n-x+1)
	}
	if x < n {
		high = betaQuantile(1-alpha/2, x+1, n-x)
	}
	return low, high
}

// jeffreys is the Jeffreys interval of a binomial proportion: the quantiles of the posterior
// under the Jeffreys prior, with the exact ends at no success and at all successes. Its coverage
// stays near 95% at small samples, where the exact (Clopper-Pearson) interval covers 97-99% and
// the normal approximation far less; x and n need not be whole (an effective sample).
func jeffreys(x, n, alpha float64) (low, high float64) {
	low, high = 0, 1
	if x > 0 {
		low = betaQuantile(alpha/2, x+0.5, n-x+0.5)
	}
	if x < n {
		high = betaQuantile(1-alpha/2, x+0.5, n-x+0.5)
	}
	return low, high
}

// betaQuantile inverts the regularized incomplete beta function by bisection: sixty halvings
// reach the float's precision, and it is called once per unit and report.
func betaQuantile(q, a, b float64) float64 {
	lo, hi := 0.0, 1.0
	for i := 0; i < 60; i++ {
		mid := (lo + hi) / 2
		if regIncBeta(mid, a, b) < q {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// regIncBeta is the regularized incomplete beta function I_x(a, b), by its continued fraction
// (Lentz's method), using the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction
// converges slowly.
func regIncBeta(x, a, b float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	case x > (a+1)/(a+b+2):
		return 1 - regIncBeta(1-x, b, a)
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab-la-lb+a*math.Log(x)+b*math.Log(1-x)) / a
	const tiny = 1e-300
	f, c, d := 1.0, 1.0, 0.0
	for i := 0; i <= 300; i++ {
		m := float64(i / 2)
		var num float64
		switch {
		case i == 0:
			num = 1
		case i%2 == 0:
			num = m * (b - m) * x / ((a + 2*m - 1) * (a + 2*m))
		default:
			num = -(a + m) * (a + b + m) * x / ((a + 2*m) * (a + 2*m + 1))
		}
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		d = 1 / d
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		cd := c * d
		f *= cd
		if math.Abs(1-cd) < 1e-14 {
			break
		}
	}
	return front * (f - 1)
}
