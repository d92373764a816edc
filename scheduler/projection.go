package scheduler

import (
	"context"
	"fmt"
	"math"
	"time"

	"kiemtra/models"
)

// Default rates of a projection when the registry or the visits have no history yet: about Can
// Tho's churn, the same figures `kiemtra simulate` starts from.
const (
	DefaultOpeningRate = 0.08
	DefaultClosureRate = 0.06
	DefaultMissRate    = 0.10
)

// Rates, YearProjection and Projection are models' (the API reports them); these names keep
// the planner's code readable.
type (
	Rates          = models.ProjectionRates
	YearProjection = models.YearProjection
	Projection     = models.Projection
)

// ObservedRates turns the registry's and the visits' history into rates: openings and closures
// over the businesses open on 1 January of the years observed (openYears sums those counts),
// misses over the visits attempted. A rate without history takes its default.
func ObservedRates(openings, closures, openYears, attempts, missed int) Rates {
	r := Rates{Openings: DefaultOpeningRate, Closures: DefaultClosureRate, Misses: DefaultMissRate,
		OpeningsDefault: true, ClosuresDefault: true, MissesDefault: true}
	if openYears > 0 {
		r.Openings, r.OpeningsDefault = float64(openings)/float64(openYears), false
		r.Closures, r.ClosuresDefault = float64(closures)/float64(openYears), false
	}
	if attempts > 0 {
		// A rate of 1 would make the expected repeats infinite; no real history gets there.
		r.Misses, r.MissesDefault = math.Min(float64(missed)/float64(attempts), 0.95), false
	}
	return r
}

// YearCapacity is what the teams can do in one year: inspections and the team working days they
// take.
type YearCapacity struct {
	Year        int     `json:"year"`
	Inspections float64 `json:"inspections"`
	TeamDays    float64 `json:"team_days"`
}

// TeamCapacity is the teams' capacity in a year as the planner schedules it (the same weeks,
// working days, holidays and rounding as a yearly plan): from in.AsOf in the plan's own year,
// from 1 January in later years, up to the deadline in the last.
func TeamCapacity(in Input, year int) YearCapacity {
	in.Year = year
	if jan1 := models.NewDate(year, 1, 1); in.AsOf.Before(jan1) {
		in.AsOf = jan1
	}
	s := newSchedule(in)
	c := YearCapacity{Year: year}
	for t, team := range in.Teams {
		days := team.WorkingDays
		if days.Count() == 0 {
			days = models.DefaultWorkingDays
		}
		perDay := float64(team.Weekly) / float64(days.Count())
		for _, n := range s.full[t] {
			c.Inspections += float64(n)
			if perDay > 0 {
				c.TeamDays += float64(n) / perDay
			}
		}
	}
	return c
}

// ProjectionInput is the state a projection starts from.
type ProjectionInput struct {
	Year           int     // the year the projection is made in, projected from its 1 January
	LastYear       int     // the coverage deadline's year
	MinYearlyShare float64 //
	GraceDays      int     // businesses opened this close to the deadline need not be covered
	Open           int     // in-scope businesses open on 1 January of Year
	Uninspected    int     // of them, never inspected in the programme
	Rates          Rates
	Capacity       []YearCapacity // one per year from Year to LastYear
	Rules          int            // the planner's rules the years are projected with (0: RulesV1)
}

// Project computes, for each remaining year, the expected load under the plans' quota rule
// (yearQuotas, with p.Rules) and whether it fits the capacity. The model, in expected values:
//   - each year covers the rule's must-cover quota of never-inspected businesses (all of them in
//     the last year, with that year's openings before the grace period), and re-inspects what the
//     yearly share still needs, at least 5% of those already inspected;
//   - each visit fails with the miss rate and is repeated until it succeeds, so a visit costs
//     1/(1-miss) attempts;
//   - closures strike the businesses open on 1 January; openings add to next year's never
//     inspected (they are not drawn in their own year, apart from the last);
//   - a year's load needs load x (team-days / inspections) team-days at the teams' pace.
//
// Visits found closed and closures among the businesses selected are left out: the projection
// leans to the safe side.
func Project(p ProjectionInput) (*Projection, error) {
	var v models.Validation
	if p.LastYear < p.Year {
		v.Add("year", "%d is after the deadline's year %d", "năm %d sau năm của hạn hoàn thành %d", p.Year, p.LastYear)
	}
	if p.MinYearlyShare <= 0 || p.MinYearlyShare > 1 {
		v.Add("min_yearly_share", "must be above 0 and at most 1", "phải lớn hơn 0 và không quá 1")
	}
	if p.Open < 0 || p.Uninspected < 0 || p.Uninspected > p.Open {
		v.Add("uninspected", "must be between 0 and the businesses open", "phải từ 0 đến số cơ sở đang hoạt động")
	}
	r := p.Rates
	if r.Openings < 0 || r.Closures < 0 || r.Closures >= 1 || r.Misses < 0 || r.Misses >= 1 {
		v.Add("rates", "openings must be at least 0, closures and misses at least 0 and below 1", "tỷ lệ mở mới phải từ 0, tỷ lệ đóng cửa và không gặp phải từ 0 đến dưới 1")
	}
	if len(p.Capacity) != p.LastYear-p.Year+1 && p.LastYear >= p.Year {
		v.Add("capacity", "needs one year for each of %d remaining years", "cần năng lực cho từng năm trong %d năm còn lại", p.LastYear-p.Year+1)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	out := &Projection{MadeIn: p.Year, Rates: r, Fits: true}
	open, uninspected := float64(p.Open), float64(p.Uninspected)
	for k, c := range p.Capacity {
		year := p.Year + k
		left := p.LastYear - year + 1
		y := YearProjection{Year: year, Open: open, Uninspected: uninspected, Openings: r.Openings * open}
		q := quotaState{Rules: p.Rules, Uninspected: uninspected, Covered: open - uninspected, Left: left,
			Share: p.MinYearlyShare, Rates: r, GraceDays: p.GraceDays}
		for _, c := range p.Capacity[k:] {
			q.Capacity = append(q.Capacity, c.Inspections)
		}
		must, reinsp := yearQuotas(q)
		if left == 1 {
			must += y.Openings * math.Max(0, 365-float64(p.GraceDays)) / 365
		}
		y.FirstVisits, y.Reinspections = must, reinsp
		visits := must + reinsp
		y.Repeats = visits * r.Misses / (1 - r.Misses)
		y.Load = visits + y.Repeats
		pace := 1.0 // no capacity at all: a day per visit, as a plan's shortfall counts it
		if c.Inspections > 0 {
			pace = c.TeamDays / c.Inspections
		}
		y.NeededTeamDays = round1(y.Load * pace)
		y.AvailableTeamDays = round1(c.TeamDays)
		y.MissingTeamDays = round1(math.Max(0, y.NeededTeamDays-y.AvailableTeamDays))
		y.Fits = y.MissingTeamDays == 0
		if !y.Fits {
			out.MissingTeamDays += y.MissingTeamDays
			if out.Fits {
				out.Fits, out.FirstShortYear = false, year
			}
		}
		out.NeededTeamDays += y.NeededTeamDays
		out.AvailableTeamDays += y.AvailableTeamDays
		out.Years = append(out.Years, rounded(y))
		uninspected = (uninspected-must)*(1-r.Closures) + y.Openings
		open *= 1 + r.Openings - r.Closures
	}
	out.MissingTeamDays = round1(out.MissingTeamDays)
	out.NeededTeamDays = round1(out.NeededTeamDays)
	out.AvailableTeamDays = round1(out.AvailableTeamDays)
	return out, nil
}

// ProjectPlan projects the rest of the programme from a yearly plan's input: its businesses on
// the planning date and its teams' capacity, each later year scheduled as the planner would.
func ProjectPlan(in Input, rates Rates, graceDays int) (*Projection, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	p := ProjectionInput{Year: in.Year, LastYear: in.Programme.Deadline.Year, MinYearlyShare: in.Programme.MinYearlyShare,
		GraceDays: graceDays, Open: len(in.Businesses), Rates: rates, Rules: in.rules()}
	for _, b := range in.Businesses {
		if !b.Covered {
			p.Uninspected++
		}
	}
	for y := p.Year; y <= p.LastYear; y++ {
		p.Capacity = append(p.Capacity, TeamCapacity(in, y))
	}
	return Project(p)
}

// rounded keeps a tenth of the expected counts in the output; the projection runs unrounded.
func rounded(y YearProjection) YearProjection {
	for _, f := range []*float64{&y.Open, &y.Uninspected, &y.Openings, &y.FirstVisits, &y.Reinspections, &y.Repeats, &y.Load} {
		*f = round1(*f)
	}
	return y
}

func ceilF(x float64) float64 { return math.Ceil(x - 1e-9) }

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// Projection is the programme's feasibility projection made this year: from the registry and the
// teams as they stand, the state on 1 January of asOf's year (as a yearly plan sees it), the
// rates of the three years before it (openings and closures of the programme's businesses, the
// visits' outcomes: refused and not found are repeated, found closed is not), each year's
// capacity as the planner schedules it with the configured holidays.
func (s *Service) Projection(ctx context.Context, prog *models.Programme, asOf models.Date) (*models.Projection, error) {
	year := min(max(asOf.Year, prog.FirstYear()), prog.LastYear())
	from := models.NewDate(year, 1, 1)
	if from.Before(prog.StartsOn) {
		from = prog.StartsOn
	}
	// The dashboard asks on every view; the registry is read again at most every few minutes.
	key := fmt.Sprintf("%s/%d/%d/%s", prog.ID, prog.Version, year, s.Today())
	s.projMu.Lock()
	c, ok := s.projCache[key]
	s.projMu.Unlock()
	if ok && s.now().Sub(c.at) < projectionTTL {
		return c.p, nil
	}
	in, facts, err := s.buildInput(ctx, prog, year, from)
	if err != nil {
		return nil, err
	}
	in.Holidays = s.holidays // every year's, for the later years' capacity
	p, err := ProjectPlan(*in, RatesFromFacts(facts, year), prog.GraceDays)
	if err != nil {
		return nil, err
	}
	s.projMu.Lock()
	if s.projCache == nil || len(s.projCache) > 100 {
		s.projCache = map[string]cachedProjection{}
	}
	s.projCache[key] = cachedProjection{p: p, at: s.now()}
	s.projMu.Unlock()
	return p, nil
}

// projectionTTL is how long a programme's projection is reused: teams and the registry change
// slowly, and a reading of the whole registry per dashboard view would not scale.
const projectionTTL = 10 * time.Minute

type cachedProjection struct {
	p  *models.Projection
	at time.Time
}

// RatesFromFacts observes the rates of the three years before year in the programme's
// businesses (facts.Businesses) and the visits' outcomes (facts.Outcomes).
func RatesFromFacts(facts *models.PlanningFacts, year int) Rates {
	var openings, closures, openYears int
	for y := year - 3; y < year; y++ {
		jan1 := models.NewDate(y, 1, 1)
		open, opened, closed := 0, 0, 0
		for _, b := range facts.Businesses {
			if b.OpenedOn.Year == y {
				opened++
			}
			if !b.ActiveOn(jan1) {
				continue
			}
			open++
			if b.Status == models.BusinessClosed && b.ClosedOn.Year == y {
				closed++
			}
		}
		// A year before the registry's first business says nothing of the churn.
		if open > 0 {
			openings, closures, openYears = openings+opened, closures+closed, openYears+open
		}
	}
	attempts, missed := 0, 0
	for outcome, n := range facts.Outcomes {
		switch outcome {
		case models.OutcomeClosed:
		case models.OutcomeRefused, models.OutcomeNotFound:
			attempts += n
			missed += n
		default:
			attempts += n
		}
	}
	return ObservedRates(openings, closures, openYears, attempts, missed)
}
