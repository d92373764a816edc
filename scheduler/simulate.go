package scheduler

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"kiemtra/models"
)

// SimOptions describe a simulated programme.
type SimOptions struct {
	Businesses int     `json:"businesses"` // open at the start
	StartYear  int     `json:"start_year"` //
	Years      int     `json:"years"`      //
	OpenRate   float64 `json:"open_rate"`  // new businesses a year, as a share of those open
	CloseRate  float64 `json:"close_rate"` // closures a year, as a share of those open
	MissRate   float64 `json:"miss_rate"`  // share of visits that fail (closed door, refused)
	Teams      int     `json:"teams"`      // 0: SizeTeams
	Capacity   int     `json:"capacity"`   // inspections per team per working week
	Violators  float64 `json:"violators"`  // hidden share of violating businesses
	Share      float64 `json:"share"`      // minimum yearly share
	GraceDays  int     `json:"grace_days"` //
	Wards      int     `json:"wards"`      //
	Seed       uint64  `json:"seed"`       //
	// Rules is the planner's rules version to simulate (0: CurrentRules), to compare a change of
	// the rules with the rules before it on the same cities.
	Rules int `json:"rules,omitempty"`
	// RiskFloor is the plans' inclusion-probability floor under rules v2 (0: DefaultRiskFloor).
	RiskFloor float64 `json:"risk_floor,omitempty"`
	// checkFloor makes the run compute every business's inclusion probability each year
	// (SimReport.LowestFloorShare), which costs about a second plan a year.
	checkFloor bool
}

func (o SimOptions) riskFloor() float64 {
	if o.RiskFloor == 0 {
		return DefaultRiskFloor
	}
	return o.RiskFloor
}

func (o SimOptions) rules() int {
	if o.Rules == 0 {
		return CurrentRules
	}
	return o.Rules
}

// DefaultSimOptions are the defaults of `kiemtra simulate`: about Can Tho's size and churn.
func DefaultSimOptions() SimOptions {
	return SimOptions{Businesses: 1500, StartYear: 2021, Years: 5, OpenRate: 0.08, CloseRate: 0.06, MissRate: 0.10,
		Capacity: 8, Violators: 0.15, Share: models.DefaultMinYearlyShare, GraceDays: models.DefaultGraceDays, Wards: 83, Seed: 1}
}

// SimYear is one year of a simulated programme.
type SimYear struct {
	Year               int     `json:"year"`
	ActiveStart        int     `json:"active_start"`
	Planned            int     `json:"planned"`
	Inspected          int     `json:"inspected"` // distinct businesses inspected
	Share              float64 `json:"share"`     // inspected / active_start
	CumulativeCoverage float64 `json:"cumulative_coverage"`
	ViolationsFound    int     `json:"violations_found"`
	Inspections        int     `json:"inspections"` // visits in which the team got in (repeats and top-ups included)
	PrevalenceEstimate float64 `json:"prevalence_estimate"`
	PrevalenceLow      float64 `json:"prevalence_low"`
	PrevalenceHigh     float64 `json:"prevalence_high"`
	PrevalenceTrue     float64 `json:"prevalence_true"`
	Missed             int     `json:"missed"`        // failed visits (each repeated)
	CapacityUsed       float64 `json:"capacity_used"` // visits made / visits the teams could make
	Shortfall          int     `json:"shortfall"`     // selected visits no team had capacity for
	Feasible           bool    `json:"feasible"`
	// Reinspections are the inspections of the plan's re-inspection group (the businesses
	// inspected before, where the score has most to read), ReinspectionViolations what they found.
	Reinspections          int `json:"reinspections"`
	ReinspectionViolations int `json:"reinspection_violations"`
	// wards are the year's per-ward estimates beside the truth (for the benchmarks).
	wards []wardEstimate
	// Projection is the planner's projection of the rest of the programme made on 1 January of
	// the year, with the rates observed so far; absent for the baseline, which has no plan.
	Projection *SimProjection `json:"projection,omitempty"`
}

// SimProjection is what a year's projection says of the rest of the programme.
type SimProjection struct {
	Fits              bool    `json:"fits"`
	FirstShortYear    int     `json:"first_short_year,omitempty"` // the first year whose load does not fit
	MissingTeamDays   float64 `json:"missing_team_days"`
	NeededTeamDays    float64 `json:"needed_team_days"`    // over the remaining years
	AvailableTeamDays float64 `json:"available_team_days"` // over the remaining years
	Rates             Rates   `json:"rates"`
}

// SimFinal is the state at the coverage deadline.
type SimFinal struct {
	Eligible               int     `json:"eligible"` // open on the deadline and opened at least the grace period before it
	Covered                int     `json:"covered"`
	Coverage               float64 `json:"coverage"`
	ClosedBeforeInspection int     `json:"closed_before_inspection"`
	DetectionRate          float64 `json:"detection_rate"` // violators found at least once / violators open in the programme
}

// SimStrategy is one strategy's outcome.
type SimStrategy struct {
	Years []SimYear `json:"years"`
	Final SimFinal  `json:"final"`
}

// SimReport compares the planner with the naive baseline on the same simulated city.
type SimReport struct {
	Options   SimOptions `json:"options"`
	Years     []SimYear  `json:"years"`
	Final     SimFinal   `json:"final"`
	Feasible  bool       `json:"feasible"`
	Shortfall int        `json:"shortfall"`
	// FirstWarningYear is the first year whose projection did not fit (0: none did);
	// FirstShortfallYear the first year a plan or its visits found no capacity (0: none).
	FirstWarningYear   int         `json:"first_warning_year,omitempty"`
	FirstShortfallYear int         `json:"first_shortfall_year,omitempty"`
	Baseline           SimStrategy `json:"baseline"`
	// LowestFloorShare is the lowest inclusion probability of any business in any year's plan,
	// as a share of its stratum's uniform probability: at least the floor under rules v2 (1
	// unless the benchmarks ask for it).
	LowestFloorShare float64 `json:"-"`
}

// simBusiness is a business of the simulated city; whether it violates is hidden from the
// planner, which sees only what the visits found and the tips.
type simBusiness struct {
	id       string
	ward     string
	category string
	opened   models.Date
	closed   models.Date // zero: still open
	// u is the uniform draw that decides whether it violates in its first year.
	u float64
	// severity is the kind of violation it commits when it does (low ... critical).
	severity string
	// violates and tips are per year, from the year before the programme (index 0) to its last.
	violates []bool
	tips     []int
}

// violatesIn says whether the business violates during the year.
func (b *simBusiness) violatesIn(firstYear, y int) bool {
	k := y - firstYear + 1
	return k >= 0 && k < len(b.violates) && b.violates[k]
}

// tipsIn is the number of tips about the business received during the year.
func (b *simBusiness) tipsIn(firstYear, y int) int {
	k := y - firstYear + 1
	if k < 0 || k >= len(b.tips) {
		return 0
	}
	return b.tips[k]
}

func (b *simBusiness) openOn(d models.Date) bool {
	return !d.Before(b.opened) && (b.closed.IsZero() || d.Before(b.closed))
}

// world is the simulated city: every business that exists at some point, with its opening and
// closing dates and hidden violations, drawn once so that both strategies face the same city.
type world struct {
	opts       SimOptions
	businesses []*simBusiness
	byID       map[string]*simBusiness
	risk       map[string]float64
	wardRisk   map[string]float64 // the hidden clusters: how much likelier violations are in a ward
	categories []string
	catWeights []float64
}

func newWorld(o SimOptions, categories []models.Category) *world {
	w := &world{opts: o, risk: map[string]float64{}}
	for _, c := range categories {
		w.risk[c.Code] = c.BaseRisk
		w.categories = append(w.categories, c.Code)
		w.catWeights = append(w.catWeights, 1/c.BaseRisk) // riskier kinds are rarer
	}
	if len(w.categories) == 0 {
		w.categories, w.catWeights, w.risk["other"] = []string{"other"}, []float64{1}, 1
	}
	rng := newRand(fmt.Sprint(o.Seed), "world")
	wardWeights := make([]float64, o.Wards)
	for i := range wardWeights {
		wardWeights[i] = 0.3 + rng.ExpFloat64() // a few dense urban wards, many small communes
	}
	start := models.NewDate(o.StartYear, 1, 1)
	end := models.NewDate(o.StartYear+o.Years-1, 12, 31)
	newBusiness := func(opened models.Date) *simBusiness {
		cat := w.categories[pick(rng, w.catWeights)]
		b := &simBusiness{id: fmt.Sprintf("b%07d", len(w.businesses)), ward: fmt.Sprintf("w%03d", pick(rng, wardWeights)),
			category: cat, opened: opened, u: rng.Float64()}
		w.businesses = append(w.businesses, b)
		return b
	}
	for i := 0; i < o.Businesses; i++ {
		newBusiness(start.AddDays(-1 - rng.IntN(15*365)))
	}
	open := o.Businesses
	for y := o.StartYear; y < o.StartYear+o.Years; y++ {
		jan1 := models.NewDate(y, 1, 1)
		days := jan1.DaysUntil(models.NewDate(y+1, 1, 1))
		// Closures among those open on 1 January, then openings spread over the year.
		var openNow []*simBusiness
		for _, b := range w.businesses {
			if b.openOn(jan1) {
				openNow = append(openNow, b)
			}
		}
		closures := int(math.Round(o.CloseRate * float64(len(openNow))))
		for _, k := range rng.Perm(len(openNow))[:min(closures, len(openNow))] {
			openNow[k].closed = jan1.AddDays(rng.IntN(days))
		}
		openings := int(math.Round(o.OpenRate * float64(open)))
		for i := 0; i < openings; i++ {
			newBusiness(jan1.AddDays(rng.IntN(days)))
		}
		open += openings - closures
	}
	_ = end
	w.hideViolations()
	w.byID = make(map[string]*simBusiness, len(w.businesses))
	for _, b := range w.businesses {
		w.byID[b.id] = b
	}
	return w
}

// Hidden violations (docs/risk.md, "The simulated city"). They depend on what an inspectorate
// would recognise, each effect moderate:
//   - the category: a karaoke bar is likelier to violate than a barber (its base risk);
//   - the ward: clusters, a ward's odds multiplied by a log-normal factor (median 1, a ward at
//     the 90th percentile about twice as likely as the median one);
//   - a business's first two years: half as likely again (new owners, untested practices);
//   - persistence: a violator keeps violating the next year with a probability that grows with
//     the severity of what it does (60% for low ... 90% for critical), and others start at the
//     rate that keeps each business's long-run odds at its propensity;
//   - tips: people report violators more often (0.5 tips a year on average) than others (0.05
//     a year: mistaken or malicious tips).
//
// They are drawn from their own random stream, after the city, so that the city's businesses,
// openings and closures are those of the simulator before hidden features existed.
func (w *world) hideViolations() {
	o := w.opts
	rng := newRand(fmt.Sprint(o.Seed), "world/violations")
	const wardSigma = 0.55
	w.wardRisk = map[string]float64{}
	for i := 0; i < o.Wards; i++ {
		w.wardRisk[fmt.Sprintf("w%03d", i)] = math.Exp(wardSigma*rng.NormFloat64() - wardSigma*wardSigma/2)
	}
	mean := meanRisk(w)
	severities := []string{"low", "medium", "high", "critical"}
	sevWeights := []float64{0.3, 0.4, 0.2, 0.1}
	persistence := map[string]float64{"low": 0.6, "medium": 0.75, "high": 0.85, "critical": 0.9}
	first := o.StartYear - 1
	for _, b := range w.businesses {
		b.severity = severities[pick(rng, sevWeights)]
		b.violates = make([]bool, o.Years+1)
		b.tips = make([]int, o.Years+1)
		rho := persistence[b.severity]
		started := false
		for k := range b.violates {
			y := first + k
			if b.opened.Year > y {
				continue
			}
			p := o.Violators * w.risk[b.category] / mean * w.wardRisk[b.ward]
			if y-b.opened.Year < 2 {
				p *= 1.5
			}
			p = math.Min(p, 0.9)
			switch {
			case !started:
				b.violates[k] = b.u < p
				started = true
			case b.violates[k-1]:
				b.violates[k] = rng.Float64() < rho
			default:
				b.violates[k] = rng.Float64() < math.Min(1, p*(1-rho)/(1-p))
			}
			lambda := 0.05
			if b.violates[k] {
				lambda = 0.5
			}
			b.tips[k] = poisson(rng, lambda)
		}
	}
}

// poisson draws a Poisson count with a small mean (Knuth's method).
func poisson(rng *rand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, rng.Float64()
	for p > l {
		k++
		p *= rng.Float64()
	}
	return k
}

func meanRisk(w *world) float64 {
	num, den := 0.0, 0.0
	for i, c := range w.categories {
		num += w.catWeights[i] * w.risk[c]
		den += w.catWeights[i]
	}
	return num / den
}

func pick(rng *rand.Rand, weights []float64) int {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	x := rng.Float64() * sum
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// simState is what a strategy has learnt of the city so far.
type simState struct {
	covered       map[string]bool // inspected in the programme
	lastInspected map[string]models.Date
	findings      map[string][]simFinding
	found         map[string]bool // violators found at least once
}

// simFinding is a violation a visit found.
type simFinding struct {
	day      models.Date
	severity string
}

// Simulate runs a whole programme on a synthetic city through the planner (and the same
// requeue, top-up and late-addition rules the nightly job applies), and beside it the naive
// baseline: a uniform random share every year.
func Simulate(o SimOptions, categories []models.Category) (*SimReport, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	if o.Teams == 0 {
		o.Teams = SizeTeams(o)
	}
	w := newWorld(o, categories)
	rep := &SimReport{Options: o, Feasible: true}
	planned, lowest := w.run(true)
	rep.Years, rep.Final, rep.LowestFloorShare = planned.Years, planned.Final, lowest
	for _, y := range rep.Years {
		rep.Shortfall += y.Shortfall
		if !y.Feasible {
			rep.Feasible = false
			if rep.FirstShortfallYear == 0 {
				rep.FirstShortfallYear = y.Year
			}
		}
		if y.Projection != nil && !y.Projection.Fits && rep.FirstWarningYear == 0 {
			rep.FirstWarningYear = y.Year
		}
	}
	rep.Baseline, _ = w.run(false)
	return rep, nil
}

// SizingMargin is the share of the teams' time that SizeTeams leaves free in every year: visits
// do not fall evenly over the weeks, and a year's last weeks keep room for repeats.
const SizingMargin = 0.10

// SizeTeams is the fewest teams (of o.Capacity a week) whose time the planner's projection of
// the whole programme, at the options' own rates of openings, closures and missed visits, finds
// enough in every year with SizingMargin to spare: the same projection that warns a real
// programme, used to size a simulated one.
func SizeTeams(o SimOptions) int {
	start := models.NewDate(o.StartYear, 1, 1)
	deadline := models.NewDate(o.StartYear+o.Years-1, 12, 31)
	one := Input{Programme: ProgrammeSpec{FirstYear: o.StartYear, Deadline: deadline, MinYearlyShare: o.Share}, Year: o.StartYear, AsOf: start,
		Teams: []Team{{ID: "team", AreaPath: "/city/", Weekly: o.Capacity, WorkingDays: models.DefaultWorkingDays}}}
	perTeam := make([]YearCapacity, 0, o.Years)
	for y := o.StartYear; y <= deadline.Year; y++ {
		perTeam = append(perTeam, TeamCapacity(one, y))
	}
	rates := Rates{Openings: o.OpenRate, Closures: o.CloseRate, Misses: o.MissRate}
	fits := func(n int) bool {
		p := ProjectionInput{Year: o.StartYear, LastYear: deadline.Year, MinYearlyShare: o.Share, GraceDays: o.GraceDays, Open: o.Businesses,
			Uninspected: o.Businesses, Rates: rates, Rules: o.rules()}
		for _, c := range perTeam {
			f := float64(n) * (1 - SizingMargin)
			p.Capacity = append(p.Capacity, YearCapacity{Year: c.Year, Inspections: c.Inspections * f, TeamDays: c.TeamDays * f})
		}
		proj, err := Project(p)
		return err == nil && proj.Fits
	}
	// The load grows with the city and shrinks with the teams: search the fewest that fit.
	hi := 1
	for !fits(hi) && hi < 1<<20 {
		hi *= 2
	}
	lo := hi/2 + 1
	for lo < hi {
		mid := (lo + hi) / 2
		if fits(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return hi
}

func (o SimOptions) validate() error {
	var v models.Validation
	if o.Businesses < 1 || o.Businesses > 2_000_000 {
		v.Add("businesses", "must be between 1 and 2000000", "phải từ 1 đến 2000000")
	}
	if o.Years < 1 || o.Years > 20 {
		v.Add("years", "must be between 1 and 20", "phải từ 1 đến 20")
	}
	if o.StartYear < 2000 || o.StartYear > 2100 {
		v.Add("start", "must be a year between 2000 and 2100", "phải là năm từ 2000 đến 2100")
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"open-rate", o.OpenRate}, {"close-rate", o.CloseRate}, {"miss-rate", o.MissRate}, {"violators", o.Violators}} {
		if f.v < 0 || f.v >= 1 || math.IsNaN(f.v) {
			v.Add(f.name, "must be at least 0 and below 1", "phải từ 0 đến dưới 1")
		}
	}
	if o.Share <= 0 || o.Share > 1 {
		v.Add("share", "must be above 0 and at most 1", "phải lớn hơn 0 và không quá 1")
	}
	if o.Teams < 0 || o.Capacity < 1 {
		v.Add("capacity", "teams must be 0 (automatic) or more and capacity at least 1", "số tổ phải từ 0 (tự động) trở lên và năng lực ít nhất là 1")
	}
	if o.Rules < 0 || o.Rules > CurrentRules {
		v.Add("rules", "must be 0 (current) or a version from 1 to %d", "phải là 0 (hiện hành) hoặc phiên bản từ 1 đến %d", CurrentRules)
	}
	if o.RiskFloor < 0 || o.RiskFloor > 1 || math.IsNaN(o.RiskFloor) {
		v.Add("risk-floor", "must be 0 (the default) or above 0 and at most 1", "phải là 0 (mặc định) hoặc lớn hơn 0 và không quá 1")
	}
	if o.Wards < 1 {
		v.Add("wards", "must be at least 1", "phải ít nhất là 1")
	}
	return v.Err()
}

// simTask is a visit waiting in the simulated year.
type simTask struct {
	b      *simBusiness
	week   int // earliest week
	group  string
	prob   float64
	sample bool // part of the plan's random sample (counts in the estimate)
	// retries counts the repeats of a missed visit within the last week of the year.
	retries int
}

// run simulates the programme under one strategy; with the planner, it also returns the lowest
// ratio of an inclusion probability to its stratum's uniform one over the years' plans.
func (w *world) run(planner bool) (SimStrategy, float64) {
	o := w.opts
	st := &simState{covered: map[string]bool{}, lastInspected: map[string]models.Date{}, findings: map[string][]simFinding{}, found: map[string]bool{}}
	var out SimStrategy
	lowest := math.Inf(1)
	deadline := models.NewDate(o.StartYear+o.Years-1, 12, 31)
	strategy := "planner"
	if !planner {
		strategy = "baseline"
	}
	visitRng := newRand(fmt.Sprint(o.Seed), "visits/"+strategy)
	closedUninspected := map[string]bool{}
	// What the registry and the visits have shown so far, for the projection's rates: only the
	// programme's own years count, the city's earlier history being synthetic.
	var hist struct{ openings, closures, openYears, attempts, missed int }
	for y := o.StartYear; y < o.StartYear+o.Years; y++ {
		jan1 := models.NewDate(y, 1, 1)
		var active []*simBusiness
		for _, b := range w.businesses {
			if b.openOn(jan1) {
				active = append(active, b)
			}
		}
		in := w.input(y, jan1, active, st, deadline)
		rates := ObservedRates(hist.openings, hist.closures, hist.openYears, hist.attempts, hist.missed)
		in.Rates, in.GraceDays = &rates, o.GraceDays
		yr := SimYear{Year: y, ActiveStart: len(active), Feasible: true}
		var tasks []*simTask
		var sched *schedule
		if planner {
			res, err := YearlyPlan(in, fmt.Sprintf("%d/%d", o.Seed, y))
			if err != nil {
				panic(err) // inputs are built here and valid; a failure is a bug
			}
			proj, err := ProjectPlan(in, rates, o.GraceDays)
			if err != nil {
				panic(err)
			}
			yr.Projection = &SimProjection{Fits: proj.Fits, FirstShortYear: proj.FirstShortYear, MissingTeamDays: proj.MissingTeamDays,
				NeededTeamDays: proj.NeededTeamDays, AvailableTeamDays: proj.AvailableTeamDays, Rates: proj.Rates}
			yr.Shortfall, yr.Feasible = res.Figures.Shortfall, res.Figures.Feasible
			if o.checkFloor {
				incl, err := InclusionOf(in)
				if err != nil {
					panic(err)
				}
				for _, x := range incl {
					if x.Uniform > 0 {
						lowest = math.Min(lowest, x.Prob/x.Uniform)
					}
				}
			}
			sched = newSchedule(in)
			weekOf := map[models.Date]int{}
			for k, d := range sched.weeks {
				weekOf[d] = k
			}
			for _, it := range res.Items {
				if it.WeekStart.IsZero() {
					continue
				}
				tasks = append(tasks, &simTask{b: w.byID[it.BusinessID], week: weekOf[it.WeekStart], group: it.Group, prob: it.Prob, sample: true})
			}
			yr.Planned = len(res.Items)
		} else {
			sched = newSchedule(in)
			n := int(math.Ceil(o.Share*float64(len(active)) - 1e-9))
			rng := newRand(fmt.Sprintf("%d/%d", o.Seed, y), "baseline")
			p := float64(n) / float64(max(1, len(active)))
			for k, idx := range rng.Perm(len(active))[:n] {
				tasks = append(tasks, &simTask{b: active[idx], week: k * len(sched.weeks) / max(1, n), group: models.GroupReinspect, prob: p, sample: true})
			}
			yr.Planned = n
		}
		weekCap := make([]int, len(sched.weeks))
		yearCap, used := 0, 0
		for k := range sched.weeks {
			for t := range sched.full {
				weekCap[k] += sched.full[t][k]
			}
			yearCap += weekCap[k]
		}
		target := int(math.Ceil(o.Share*float64(len(active)) - 1e-9))
		doneThisYear := map[string]bool{}
		pending := map[string]bool{}
		for _, t := range tasks {
			pending[t.b.id] = true
		}
		var obs []Observation
		var obsWard []string // each observation's ward, for the per-ward estimates
		lastYear := y == deadline.Year
		graceEnd := deadline.AddDays(-o.GraceDays)
		saturated := false // some late week used all its capacity with visits still waiting
		for k, monday := range sched.weeks {
			visitDay := monday.AddDays(2)
			if planner {
				// The nightly job: in the last year, a business that opens is inspected at once.
				if lastYear {
					for _, b := range w.businesses {
						if b.opened.After(monday.AddDays(-7)) && !b.opened.After(monday) && !b.opened.After(graceEnd) && !st.covered[b.id] && !pending[b.id] {
							tasks = append(tasks, &simTask{b: b, week: k, group: models.GroupAddedLate})
							pending[b.id] = true
						}
					}
				}
				// ... and tops the year up when closures would leave it below the share.
				tasks = w.topUp(tasks, k, target, doneThisYear, pending, monday, st, y, rates.Misses)
			}
			sort.SliceStable(tasks, func(i, j int) bool { return taskBefore(tasks[i], tasks[j], st) })
			left := weekCap[k]
			var keep []*simTask
			// The nightly job requeues a missed visit for the next working day; the weekly step
			// moves it to the next week, which the last week of the year does not have: there
			// it is retried in the same week (Thursday, Friday) with the capacity left.
			lastWeek := k == len(sched.weeks)-1
			for n := 0; n < len(tasks); n++ {
				t := tasks[n]
				if lastWeek && t.week == k+1 && t.retries < 2 && left > 0 {
					t.week, t.retries = k, t.retries+1
				}
				if t.week > k || left == 0 {
					keep = append(keep, t)
					continue
				}
				left--
				used++
				if !t.b.openOn(visitDay) {
					delete(pending, t.b.id)
					if t.sample {
						obs, obsWard = append(obs, Observation{Group: t.group, Prob: t.prob}), append(obsWard, t.b.ward)
					}
					continue // found closed: nothing to repeat
				}
				hist.attempts++
				if visitRng.Float64() < o.MissRate {
					hist.missed++
					yr.Missed++
					t.week = k + 1 // the nightly job requeues it
					if lastWeek && t.retries < 2 {
						tasks = append(tasks, t) // tried again later in the week
						continue
					}
					keep = append(keep, t)
					continue
				}
				delete(pending, t.b.id)
				doneThisYear[t.b.id] = true
				st.covered[t.b.id] = true
				st.lastInspected[t.b.id] = visitDay
				yr.Inspections++
				violates := t.b.violatesIn(o.StartYear, y)
				if t.group == models.GroupReinspect {
					yr.Reinspections++
					if violates {
						yr.ReinspectionViolations++
					}
				}
				if violates {
					st.findings[t.b.id] = append(st.findings[t.b.id], simFinding{day: visitDay, severity: t.b.severity})
					st.found[t.b.id] = true
					yr.ViolationsFound++
				}
				if t.sample {
					obs, obsWard = append(obs, Observation{Group: t.group, Prob: t.prob, Inspected: true, Violation: violates}), append(obsWard, t.b.ward)
				}
			}
			tasks = keep
			if left == 0 && k >= len(sched.weeks)-8 {
				for _, t := range tasks {
					if t.week <= k {
						saturated = true
						break
					}
				}
			}
		}
		for _, t := range tasks {
			if t.sample {
				obs, obsWard = append(obs, Observation{Group: t.group, Prob: t.prob}), append(obsWard, t.b.ward)
			}
			// Visits still waiting at the end of a year whose last weeks were full: capacity ran
			// out. (A visit missed in the last days simply carries over.)
			if saturated && t.b.openOn(models.NewDate(y, 12, 31)) {
				yr.Shortfall++
			}
		}
		if planner && yr.Shortfall > 0 {
			yr.Feasible = false
		}
		for _, b := range w.businesses {
			if !b.closed.IsZero() && b.closed.Year == y && !st.covered[b.id] && !b.opened.After(b.closed) {
				closedUninspected[b.id] = true
			}
			if b.opened.Year == y {
				hist.openings++
			}
			if !b.closed.IsZero() && b.closed.Year == y && b.openOn(jan1) {
				hist.closures++
			}
		}
		hist.openYears += len(active)
		inspectedStart := 0
		for _, b := range active {
			if doneThisYear[b.id] {
				inspectedStart++
			}
		}
		yr.Inspected = inspectedStart
		yr.CapacityUsed = ratio(used, yearCap)
		yr.Share = ratio(inspectedStart, len(active))
		violators := 0
		for _, b := range active {
			if b.violatesIn(o.StartYear, y) {
				violators++
			}
		}
		yr.PrevalenceTrue = ratio(violators, len(active))
		est := Prevalence(obs, len(active))
		yr.wards = wardEstimates(active, obs, obsWard, o.StartYear, y)
		yr.PrevalenceEstimate, yr.PrevalenceLow, yr.PrevalenceHigh = est.Share, est.Low, est.High
		dec31 := models.NewDate(y, 12, 31)
		openEnd, coveredEnd := 0, 0
		for _, b := range w.businesses {
			if b.openOn(dec31) && !b.opened.After(dec31) {
				openEnd++
				if st.covered[b.id] {
					coveredEnd++
				}
			}
		}
		yr.CumulativeCoverage = ratio(coveredEnd, openEnd)
		out.Years = append(out.Years, yr)
	}
	graceEnd := deadline.AddDays(-o.GraceDays)
	var f SimFinal
	violatorsSeen, violatorsFound := 0, 0
	start := models.NewDate(o.StartYear, 1, 1)
	for _, b := range w.businesses {
		if b.openOn(deadline) && !b.opened.After(graceEnd) {
			f.Eligible++
			if st.covered[b.id] {
				f.Covered++
			}
		}
		inProgramme := b.opened.Before(deadline) && (b.closed.IsZero() || b.closed.After(start))
		if inProgramme && b.violatesDuring(o.StartYear, o.Years) {
			violatorsSeen++
			if st.found[b.id] {
				violatorsFound++
			}
		}
	}
	f.Coverage = ratio(f.Covered, f.Eligible)
	f.ClosedBeforeInspection = len(closedUninspected)
	f.DetectionRate = ratio(violatorsFound, violatorsSeen)
	out.Final = f
	if math.IsInf(lowest, 1) {
		lowest = 1 // no plan drew anyone
	}
	return out, lowest
}

// taskBefore orders a week's visits: repeats and late additions first (they are the ones with a
// deadline), then never-inspected businesses, then re-inspections.
func taskBefore(a, b *simTask, st *simState) bool {
	if a.week != b.week {
		return a.week < b.week
	}
	ra, rb := groupRank(a.group), groupRank(b.group)
	if ra != rb {
		return ra < rb
	}
	return a.b.id < b.b.id
}

func groupRank(g string) int {
	switch g {
	case models.GroupAddedLate:
		return 0
	case models.GroupMustCover:
		return 1
	case groupTopUp:
		return 3
	}
	return 2
}

// topUp adds visits when the businesses already inspected this year plus those still waiting
// (and open) fall short of the yearly share, drawing from the open businesses not yet visited,
// never-inspected ones first.
func (w *world) topUp(tasks []*simTask, week, target int, done, pending map[string]bool, monday models.Date, st *simState, year int, miss float64) []*simTask {
	// The share counts the businesses open on 1 January: those opened since are visited too
	// but do not make up the share (as in the nightly job).
	jan1 := models.NewDate(year, 1, 1)
	have, waiting := 0, 0
	for id := range done {
		if w.byID[id].openOn(jan1) {
			have++
		}
	}
	for _, t := range tasks {
		if t.b.openOn(monday) && t.b.openOn(jan1) {
			waiting++
		}
	}
	need := TopUpNeed(target, have, waiting, monday.DaysUntil(models.NewDate(year, 12, 31))/7, miss)
	if need == 0 {
		return tasks
	}
	var pool []*simBusiness
	for _, b := range w.businesses {
		if b.openOn(monday) && !done[b.id] && !pending[b.id] && b.opened.Year < year {
			pool = append(pool, b)
		}
	}
	sort.SliceStable(pool, func(i, j int) bool { return !st.covered[pool[i].id] && st.covered[pool[j].id] })
	for _, b := range pool[:min(need, len(pool))] {
		tasks = append(tasks, &simTask{b: b, week: week, group: groupTopUp})
		pending[b.id] = true
	}
	return tasks
}

// groupTopUp marks visits added to keep the yearly share; they wait behind every planned visit.
const groupTopUp = "top_up"

// input builds the planner's input for a year from what the strategy knows.
func (w *world) input(year int, asOf models.Date, active []*simBusiness, st *simState, deadline models.Date) Input {
	o := w.opts
	in := Input{
		Programme:    ProgrammeSpec{FirstYear: o.StartYear, Deadline: deadline, MinYearlyShare: o.Share},
		Year:         year,
		AsOf:         asOf,
		WardPaths:    map[string]string{},
		CategoryRisk: w.risk,
		Rules:        o.rules(),
	}
	if in.Rules >= RulesV3 {
		in.RiskFloor = o.riskFloor()
	}
	// What the registry, the visits and the tips tell, as the service's buildInput reads it:
	// findings of the last five years weighted by severity and recency, tips of the last year,
	// the opening date, and the businesses of the same ward (the simulated city has no
	// coordinates) with a violation found in the last NearbyYears.
	nearbySince := asOf.AddDays(-int(math.Round(NearbyYears * 365.25)))
	recentByWard := map[string]int{}
	recent := map[string]bool{}
	for id, fs := range st.findings {
		if len(fs) > 0 && !fs[len(fs)-1].day.Before(nearbySince) {
			recent[id] = true
			recentByWard[w.byID[id].ward]++
		}
	}
	for _, b := range active {
		bi := Business{ID: b.id, Ward: b.ward, Category: b.category, Covered: st.covered[b.id],
			LastInspected: st.lastInspected[b.id], Tips: b.tipsIn(o.StartYear, year-1), Opened: b.opened}
		sev := 0.0
		for _, f := range st.findings[b.id] {
			if age := f.day.DaysUntil(asOf); age <= 5*365 {
				bi.Violations++
				sev += SeverityWeight(f.severity) * RecencyWeight(age)
			}
		}
		bi.Severity = math.Round(sev*1000) / 1000
		bi.Nearby = recentByWard[b.ward]
		if recent[b.id] {
			bi.Nearby--
		}
		in.Businesses = append(in.Businesses, bi)
		in.WardPaths[b.ward] = "/city/" + b.ward + "/"
	}
	for t := 0; t < o.Teams; t++ {
		in.Teams = append(in.Teams, Team{ID: fmt.Sprintf("team%d", t+1), AreaPath: "/city/", Weekly: o.Capacity, WorkingDays: models.DefaultWorkingDays})
	}
	return in
}

// wardEstimate is a ward's estimated prevalence in a year beside its true one.
type wardEstimate struct {
	businesses int
	est        Estimate
	truth      float64
}

func wardEstimates(active []*simBusiness, obs []Observation, obsWard []string, firstYear, y int) []wardEstimate {
	size, bad := map[string]int{}, map[string]int{}
	for _, b := range active {
		size[b.ward]++
		if b.violatesIn(firstYear, y) {
			bad[b.ward]++
		}
	}
	byWard := map[string][]Observation{}
	for i, o := range obs {
		byWard[obsWard[i]] = append(byWard[obsWard[i]], o)
	}
	wards := make([]string, 0, len(size))
	for w := range size {
		wards = append(wards, w)
	}
	sort.Strings(wards)
	out := make([]wardEstimate, 0, len(wards))
	for _, w := range wards {
		out = append(out, wardEstimate{businesses: size[w], est: Prevalence(byWard[w], size[w]), truth: ratio(bad[w], size[w])})
	}
	return out
}

// violatesDuring says whether the business violates in some year of the programme.
func (b *simBusiness) violatesDuring(firstYear, years int) bool {
	for y := firstYear; y < firstYear+years; y++ {
		if b.violatesIn(firstYear, y) {
			return true
		}
	}
	return false
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
