package scheduler

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"kiemtra/models"
)

// Business is what the planner knows of one in-scope business that is open on the planning date.
type Business struct {
	ID       string `json:"id"`
	Ward     string `json:"ward"`
	Category string `json:"category"`
	// Covered is true when the business was inspected in this programme already.
	Covered       bool        `json:"covered,omitempty"`
	LastInspected models.Date `json:"last_inspected,omitempty"`
	Violations    int         `json:"violations,omitempty"` // findings in the last five years
	Tips          int         `json:"tips,omitempty"`       // tips in the last year
	// What planner rules v3's risk score reads besides (scheduler/risk.go); absent from the
	// inputs of plans drafted before it, which decode and re-derive as they were.
	// Severity is the findings of the last five years, each weighted by its violation type's
	// severity (SeverityWeight) and its age (RecencyWeight).
	Severity float64     `json:"severity,omitempty"`
	Opened   models.Date `json:"opened,omitempty"`
	// Nearby counts the other businesses within NearbyRadiusMetres (or, for a business without
	// a position, in its ward) with a violation found in the last NearbyYears years.
	Nearby int `json:"nearby,omitempty"`
}

// Team is a team's capacity and jurisdiction as the planner sees it.
type Team struct {
	ID       string `json:"id"`
	AreaPath string `json:"area_path"` // the jurisdiction's path, "/92/916/"
	// AreaPaths are the paths of the units a team of several serves (a cluster); empty: AreaPath.
	AreaPaths   []string        `json:"area_paths,omitempty"`
	Weekly      int             `json:"weekly"` // inspections per full working week
	WorkingDays models.Weekdays `json:"working_days"`
}

// reach is the length of the team's path that holds path (the longer, the more local), or -1
// when none does; a team without a path serves everywhere.
func (t Team) reach(path string) int {
	unit, ok := t.unitOf(path)
	if !ok {
		return -1
	}
	return len(unit)
}

// unitOf is the team's unit that holds path, the most local when several do; false when none.
func (t Team) unitOf(path string) (string, bool) {
	paths := t.AreaPaths
	if len(paths) == 0 {
		paths = []string{t.AreaPath}
	}
	best, found := "", false
	for _, p := range paths {
		if (p == "" || (path != "" && strings.HasPrefix(path, p))) && (!found || len(p) > len(best)) {
			best, found = p, true
		}
	}
	return best, found
}

// ProgrammeSpec is what the planner needs of a programme.
type ProgrammeSpec struct {
	FirstYear      int         `json:"first_year"`
	Deadline       models.Date `json:"deadline"`
	MinYearlyShare float64     `json:"min_yearly_share"`
}

// Input is everything a yearly plan depends on, apart from the seed. It is stored with the plan
// so that anyone can re-run the selection once the seed is revealed.
type Input struct {
	Programme    ProgrammeSpec      `json:"programme"`
	Year         int                `json:"year"`
	AsOf         models.Date        `json:"as_of"` // tasks start in this date's week
	Businesses   []Business         `json:"businesses"`
	WardPaths    map[string]string  `json:"ward_paths"` // ward code -> area path
	CategoryRisk map[string]float64 `json:"category_risk"`
	Teams        []Team             `json:"teams"`
	Holidays     []models.Date      `json:"holidays"`
	// Rules is the version of the planner's rules the plan was drafted with (0 is RulesV1, the
	// plans drafted before versions existed); a stored plan re-derives with its own rules.
	Rules int `json:"rules,omitempty"`
	// Rates are the openings, closures and missed visits observed before the plan (RulesV2
	// levels the quotas with them); GraceDays those of the programme's grace period.
	Rates     *Rates `json:"rates,omitempty"`
	GraceDays int    `json:"grace_days,omitempty"`
	// RiskFloor (RulesV3) is the least share of its stratum's uniform inclusion probability every
	// business keeps, whatever its risk score (floorProbabilities); in (0, 1], 1 is uniform.
	RiskFloor float64 `json:"risk_floor,omitempty"`
}

// Versions of the planner's rules. A change that alters which businesses a given input and
// seed select gets a new version, so that every plan drafted before it still verifies.
const (
	// RulesV1: must-cover = ceil(never inspected / years left), weights by category and history.
	RulesV1 = 1
	// RulesV2: quotas levelled over the expected remaining load and the teams' capacity; the
	// weights of RulesV1 (plans drafted from 2 December 2026).
	RulesV2 = 2
	// RulesV3: RulesV2's quotas; the risk score of docs/risk.md, with an inclusion-probability
	// floor.
	RulesV3 = 3
	// CurrentRules is the version new plans are drafted with.
	CurrentRules = RulesV3
)

// rules is the input's rules version, RulesV1 for inputs stored before versions existed.
func (in *Input) rules() int {
	if in.Rules == 0 {
		return RulesV1
	}
	return in.Rules
}

// Item is one selected business with its inclusion probability and week.
type Item struct {
	BusinessID string      `json:"business_id"`
	Group      string      `json:"group"`
	Prob       float64     `json:"prob"`
	WeekStart  models.Date `json:"week_start"` // zero when no team has capacity for it this year
	Ward       string      `json:"ward"`
	TeamID     string      `json:"team_id,omitempty"`
}

// Result is a yearly plan: its figures and its selection.
type Result struct {
	Figures models.PlanFigures
	Items   []Item
}

// MinReinspectionShare keeps every already-inspected business in the running each year: at
// least this share of them is drawn again, so that no business has a zero chance of selection
// and the violation estimate stays unbiased.
const MinReinspectionShare = 0.05

// MustCoverWindow is the share of the year's weeks in which the never-inspected businesses are
// scheduled, so that a missed visit can be repeated before the year ends.
const MustCoverWindow = 0.75

// SeedSHA256 is the published commitment to a plan's seed.
func SeedSHA256(seed string) string {
	h := sha256.Sum256([]byte(seed))
	return hex.EncodeToString(h[:])
}

// newRand derives the plan's random stream from its seed; ChaCha8's output is fixed by its
// specification, so a revealed seed reproduces the selection with any later Go release.
func newRand(seed string, purpose string) *rand.Rand {
	return rand.New(rand.NewChaCha8(sha256.Sum256([]byte("kiemtra/v1/" + purpose + "/" + seed))))
}

// YearlyPlan selects the year's businesses and spreads them over the weeks within the teams'
// capacity (DESIGN.md, "The planner", steps 1-4). It is a pure function of its input and seed.
func YearlyPlan(in Input, seed string) (*Result, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	if seed == "" {
		return nil, models.Invalid("seed", "is required", "không được để trống")
	}
	sel := in.prepare()
	bs, uncovered, covered, must, reinsp := sel.bs, sel.uncovered, sel.covered, sel.must, sel.reinsp
	rng := newRand(seed, fmt.Sprintf("select/%d", in.Year))
	mustItems := sampleStratified(rng, bs, uncovered, sel.weights, must, models.GroupMustCover, in.floor())
	reItems := sampleStratified(rng, bs, covered, sel.weights, reinsp, models.GroupReinspect, in.floor())
	remaining, n, shareTarget := sel.remaining, len(bs), sel.shareTarget

	fig := models.PlanFigures{Year: in.Year, RemainingYears: remaining, InScope: n, Uninspected: len(uncovered),
		MustCover: len(mustItems), ShareTarget: shareTarget, Reinspections: len(reItems), Total: len(mustItems) + len(reItems)}
	fig.Areas = areaFigures(bs, mustItems, reItems)

	sched := newSchedule(in)
	sched.place(mustItems, MustCoverWindow)
	sched.place(reItems, 1)
	items := append(mustItems, reItems...)
	fig.Weeks = sched.weekFigures(items)
	fig.ShortfallAreas = sched.shortfall(items)
	for _, s := range fig.ShortfallAreas {
		fig.Shortfall += s.Tasks
	}
	fig.Feasible = fig.Shortfall == 0
	return &Result{Figures: fig, Items: items}, nil
}

// selection is what a plan's draw starts from: the businesses in a fixed order, the two groups,
// their quotas and the selection weights.
type selection struct {
	bs                 []Business
	uncovered, covered []int
	must, reinsp       int
	weights            []float64
	remaining          int
	shareTarget        int
}

// prepare computes the quotas and weights of a validated input (steps 1-3 before the draw).
func (in *Input) prepare() selection {
	bs := append([]Business(nil), in.Businesses...)
	sort.Slice(bs, func(i, j int) bool { return bs[i].ID < bs[j].ID })

	lastYear := in.Programme.Deadline.Year
	remaining := lastYear - in.Year + 1
	n := len(bs)
	var uncovered, covered []int
	for i, b := range bs {
		if b.Covered {
			covered = append(covered, i)
		} else {
			uncovered = append(uncovered, i)
		}
	}
	q := quotaState{Rules: in.rules(), Uninspected: float64(len(uncovered)), Covered: float64(len(covered)), Left: remaining,
		Share: in.Programme.MinYearlyShare, GraceDays: in.GraceDays}
	if in.Rates != nil {
		q.Rates = *in.Rates
	} else {
		q.Rates = ObservedRates(0, 0, 0, 0, 0)
	}
	if q.Rules >= RulesV2 {
		for y := in.Year; y <= lastYear; y++ {
			q.Capacity = append(q.Capacity, TeamCapacity(*in, y).Inspections)
		}
	}
	mustF, reinspF := yearQuotas(q)
	weights := make([]float64, n)
	for i, b := range bs {
		weights[i] = in.weight(b)
	}
	return selection{bs: bs, uncovered: uncovered, covered: covered, must: int(mustF), reinsp: int(reinspF), weights: weights,
		remaining: remaining, shareTarget: int(math.Ceil(in.Programme.MinYearlyShare*float64(n) - 1e-9))}
}

func (in *Input) validate() error {
	var v models.Validation
	p := in.Programme
	if p.Deadline.IsZero() || p.FirstYear == 0 {
		v.Add("programme", "needs a first year and a deadline", "cần năm bắt đầu và hạn hoàn thành")
	} else if in.Year < p.FirstYear || in.Year > p.Deadline.Year {
		v.Add("year", "%d is outside the programme (%d-%d)", "năm %d nằm ngoài thời gian của chương trình (%d-%d)", in.Year, p.FirstYear, p.Deadline.Year)
	}
	if p.MinYearlyShare <= 0 || p.MinYearlyShare > 1 {
		v.Add("programme.min_yearly_share", "must be above 0 and at most 1", "phải lớn hơn 0 và không quá 1")
	}
	if r := in.rules(); r < RulesV1 || r > CurrentRules {
		v.Add("rules", "version %d is not known to this release (1-%d)", "phiên bản quy tắc %d không được hỗ trợ (1-%d)", r, CurrentRules)
	}
	if f := in.RiskFloor; in.rules() >= RulesV3 && !(f > 0 && f <= 1) {
		v.Add("risk_floor", "must be above 0 and at most 1 under rules %d", "phải lớn hơn 0 và không quá 1 theo quy tắc phiên bản %d", in.rules())
	} else if in.rules() < RulesV3 && f != 0 {
		v.Add("risk_floor", "is not part of rules %d", "không thuộc quy tắc phiên bản %d", in.rules())
	}
	if in.AsOf.IsZero() {
		v.Add("as_of", "is required", "không được để trống")
	} else if in.AsOf.Year > in.Year {
		v.Add("as_of", "is after the plan's year", "sau năm của kế hoạch")
	}
	for _, t := range in.Teams {
		if t.Weekly < 0 {
			v.Add("teams", "team %s has a negative capacity", "tổ %s có năng lực âm", t.ID)
		}
	}
	return v.Err()
}

// risk weighs a business for selection. Every weight is positive, so every business keeps a
// chance of being drawn.
func (in *Input) risk(b Business) float64 {
	base := in.CategoryRisk[b.Category]
	if base <= 0 {
		base = 1
	}
	w := base * (1 + 0.5*float64(min(b.Violations, 4))) * (1 + 0.25*float64(min(b.Tips, 4)))
	if b.LastInspected.IsZero() {
		w *= 2
	} else {
		years := float64(b.LastInspected.DaysUntil(models.NewDate(in.Year, 1, 1))) / 365.25
		w *= 1 + math.Min(math.Max(years, 0), 4)/4
	}
	return w
}

// sampleStratified draws n businesses from pool, allocated over wards in proportion to their
// size (every ward with members gets at least one when n allows), and within each ward with
// probability proportional to risk, mixed with a uniform draw by floor (floorProbabilities). A
// ward's share is rarely a whole number, so its sample size is rounded up or down at random with
// the right odds: every business keeps a non-zero chance, and the recorded probability is the
// exact chance of being drawn, as the estimate needs. It returns the items in round-robin order
// over the wards, so that scheduling them in order makes every ward progress from the first weeks.
func sampleStratified(rng *rand.Rand, bs []Business, pool []int, weights []float64, n int, group string, floor float64) []Item {
	if n <= 0 || len(pool) == 0 {
		return nil
	}
	sts := strata(bs, pool, n)
	exact := make([]float64, len(sts))
	for k, st := range sts {
		exact[k] = st.exact
	}
	alloc := roundSystematic(rng, exact)
	perWard := make([][]Item, len(sts))
	for k, st := range sts {
		probs := st.probs(weights, floor)
		ws := st.weights(weights)
		sel, _ := systematicPPS(rng, floorProbabilities(ws, alloc[k], floor), alloc[k])
		for _, j := range sel {
			perWard[k] = append(perWard[k], Item{BusinessID: bs[st.members[j]].ID, Group: group, Prob: probs[j], Ward: st.ward})
		}
	}
	out := make([]Item, 0, n)
	for round := 0; ; round++ {
		added := false
		for k := range perWard {
			if round < len(perWard[k]) {
				out = append(out, perWard[k][round])
				added = true
			}
		}
		if !added {
			return out
		}
	}
}

// stratum is one ward of a group: its members (indexes into the plan's businesses) and its
// exact, unrounded share of the group's sample.
type stratum struct {
	ward    string
	members []int
	exact   float64
}

// strata splits a group's pool by ward (in ward order) and allocates n over the wards.
func strata(bs []Business, pool []int, n int) []stratum {
	byWard := map[string][]int{}
	for _, i := range pool {
		byWard[bs[i].Ward] = append(byWard[bs[i].Ward], i)
	}
	wards := make([]string, 0, len(byWard))
	for w := range byWard {
		wards = append(wards, w)
	}
	sort.Strings(wards)
	sizes := make([]int, len(wards))
	for k, w := range wards {
		sizes[k] = len(byWard[w])
	}
	exact := allocation(n, sizes)
	out := make([]stratum, len(wards))
	for k, w := range wards {
		out[k] = stratum{ward: w, members: byWard[w], exact: exact[k]}
	}
	return out
}

func (st stratum) weights(all []float64) []float64 {
	ws := make([]float64, len(st.members))
	for j, i := range st.members {
		ws[j] = all[i]
	}
	return ws
}

// probs are the members' exact inclusion probabilities: the ward's sample is its share rounded
// down, or up with the share's fractional part as probability.
func (st stratum) probs(all []float64, floor float64) []float64 {
	ws := st.weights(all)
	lo := int(math.Floor(st.exact + 1e-9))
	f := st.exact - float64(lo)
	pLo := floorProbabilities(ws, lo, floor)
	pHi := pLo
	if f > 1e-9 {
		pHi = floorProbabilities(ws, lo+1, floor)
	}
	out := make([]float64, len(ws))
	for j := range ws {
		out[j] = (1-f)*pLo[j] + f*pHi[j]
	}
	return out
}

// allocation splits n over strata of the given sizes: one to every non-empty stratum when n
// allows, and the rest in proportion to what each still holds. The shares are exact (not
// rounded) and never exceed a stratum's size.
func allocation(n int, sizes []int) []float64 {
	out := make([]float64, len(sizes))
	total, nonEmpty := 0, 0
	for _, s := range sizes {
		total += s
		if s > 0 {
			nonEmpty++
		}
	}
	n = min(n, total)
	if n <= 0 {
		return out
	}
	base, rest, room := 0.0, float64(n), float64(total)
	if n >= nonEmpty {
		base, rest, room = 1, float64(n-nonEmpty), float64(total-nonEmpty)
	}
	for k, s := range sizes {
		if s == 0 {
			continue
		}
		out[k] = base
		if room > 0 {
			out[k] += rest * (float64(s) - base) / room
		}
		out[k] = math.Min(out[k], float64(s))
	}
	return out
}

// roundSystematic rounds shares that sum to a whole number so that the total is kept and each
// share is rounded up with probability equal to its fractional part.
func roundSystematic(rng *rand.Rand, exact []float64) []int {
	out := make([]int, len(exact))
	fracs := make([]float64, len(exact))
	for k, x := range exact {
		out[k] = int(math.Floor(x + 1e-9))
		fracs[k] = math.Max(0, x-float64(out[k]))
	}
	cum, next := 0.0, rng.Float64()
	for _, k := range rng.Perm(len(exact)) {
		lo := cum
		cum += fracs[k]
		if fracs[k] > 1e-9 && next >= lo && next < cum {
			out[k]++
			next++
		}
	}
	return out
}

// systematicPPS draws exactly n of the units whose inclusion probabilities (summing to n, each at
// most 1) are given, by systematic sampling over a random order. Each unit's inclusion
// probability is then exactly probs[i], which is what the Horvitz-Thompson estimate needs.
func systematicPPS(rng *rand.Rand, probs []float64, n int) (selected []int, _ []float64) {
	if n <= 0 {
		return nil, probs
	}
	order := rng.Perm(len(probs))
	u := rng.Float64()
	cum := 0.0
	next := u
	for _, i := range order {
		lo := cum
		cum += probs[i]
		// A unit is drawn when one of the points u, u+1, u+2 ... falls in its interval.
		if next >= lo && next < cum {
			selected = append(selected, i)
			next++
		}
	}
	// Rounding can leave the last point a hair beyond the total; the last unit owns it.
	for len(selected) < n && len(order) > 0 {
		last := order[len(order)-1]
		if len(selected) > 0 && selected[len(selected)-1] == last {
			break
		}
		selected = append(selected, last)
	}
	return selected, probs
}

// InclusionProbabilities returns pi_i = min(1, c*w_i) with c chosen so that the pi_i sum to n.
func InclusionProbabilities(weights []float64, n int) []float64 {
	probs := make([]float64, len(weights))
	if n <= 0 {
		return probs
	}
	if n >= len(weights) {
		for i := range probs {
			probs[i] = 1
		}
		return probs
	}
	capped := make([]bool, len(weights))
	for {
		need := float64(n)
		sum := 0.0
		for i, w := range weights {
			if capped[i] {
				need--
			} else {
				sum += w
			}
		}
		changed := false
		for i, w := range weights {
			if capped[i] {
				probs[i] = 1
				continue
			}
			probs[i] = need * w / sum
			if probs[i] >= 1 {
				capped[i] = true
				changed = true
			}
		}
		if !changed {
			return probs
		}
	}
}

func ceilDiv(a, b int) int {
	if b <= 0 {
		return a
	}
	return (a + b - 1) / b
}

func areaFigures(bs []Business, must, re []Item) []models.AreaFigures {
	m := map[string]*models.AreaFigures{}
	get := func(w string) *models.AreaFigures {
		if f, ok := m[w]; ok {
			return f
		}
		f := &models.AreaFigures{AreaCode: w}
		m[w] = f
		return f
	}
	for _, b := range bs {
		f := get(b.Ward)
		f.InScope++
		if !b.Covered {
			f.Uninspected++
		}
	}
	for _, it := range must {
		get(it.Ward).MustCover++
	}
	for _, it := range re {
		get(it.Ward).Reinspections++
	}
	out := make([]models.AreaFigures, 0, len(m))
	for _, f := range m {
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].AreaCode < out[j].AreaCode })
	return out
}

// schedule holds the weeks of the plan year and each team's capacity in each week.
type schedule struct {
	in       *Input
	weeks    []models.Date // Mondays
	cap      [][]int       // [team][week] capacity left
	full     [][]int       // [team][week] capacity at the start
	teamsFor map[string][]int
	firstOK  []int // per team: weeks before this are full
}

func newSchedule(in Input) *schedule {
	s := &schedule{in: &in, teamsFor: map[string][]int{}}
	start := in.AsOf
	if jan1 := models.NewDate(in.Year, 1, 1); start.Before(jan1) {
		start = jan1
	}
	end := models.NewDate(in.Year, 12, 31)
	if in.Programme.Deadline.Year == in.Year && in.Programme.Deadline.Before(end) {
		end = in.Programme.Deadline
	}
	monday := start.AddDays(-isoWeekday(start) + 1)
	for w := monday; !w.After(end); w = w.AddDays(7) {
		s.weeks = append(s.weeks, w)
	}
	holidays := map[models.Date]bool{}
	for _, h := range in.Holidays {
		holidays[h] = true
	}
	s.cap = make([][]int, len(in.Teams))
	s.full = make([][]int, len(in.Teams))
	s.firstOK = make([]int, len(in.Teams))
	for t, team := range in.Teams {
		days := team.WorkingDays
		if days.Count() == 0 {
			days = models.DefaultWorkingDays
		}
		s.cap[t] = make([]int, len(s.weeks))
		s.full[t] = make([]int, len(s.weeks))
		carry := 0.0
		for k, w := range s.weeks {
			open := 0
			for d := 0; d < 7; d++ {
				day := w.AddDays(d)
				if day.Before(start) || day.After(end) || holidays[day] || !days.Has(day.Time(time.UTC).Weekday()) {
					continue
				}
				open++
			}
			// Carry fractions so that a team of 8 a week over 5 days loses nothing to rounding.
			exact := float64(team.Weekly)*float64(open)/float64(days.Count()) + carry
			c := int(math.Floor(exact + 1e-9))
			carry = exact - float64(c)
			s.cap[t][k], s.full[t][k] = c, c
		}
	}
	return s
}

// isoWeekday is 1 for Monday ... 7 for Sunday.
func isoWeekday(d models.Date) int {
	wd := int(d.Time(time.UTC).Weekday())
	if wd == 0 {
		return 7
	}
	return wd
}

// teams returns the teams whose jurisdiction holds the ward, deepest first.
func (s *schedule) teams(ward string) []int {
	if ts, ok := s.teamsFor[ward]; ok {
		return ts
	}
	path := s.in.WardPaths[ward]
	var ts []int
	place := map[int]int{} // how local a team is for the ward: the length of its matching path
	for t, team := range s.in.Teams {
		if team.Weekly <= 0 {
			continue
		}
		if l := team.reach(path); l >= 0 {
			ts = append(ts, t)
			place[t] = l
		}
	}
	sort.SliceStable(ts, func(i, j int) bool { return place[ts[i]] > place[ts[j]] })
	s.teamsFor[ward] = ts
	return ts
}

// place spreads items evenly over the first share of the weeks, then lets each slip to the
// earliest later week in which a team of its jurisdiction (the most local first) has capacity.
func (s *schedule) place(items []Item, share float64) {
	if len(s.weeks) == 0 {
		return
	}
	window := max(1, int(math.Ceil(share*float64(len(s.weeks)))))
	for k := range items {
		target := k * window / len(items)
		bestTeam, bestWeek := -1, len(s.weeks)
		for _, t := range s.teams(items[k].Ward) {
			w := max(target, s.firstOK[t])
			for w < len(s.weeks) && s.cap[t][w] == 0 {
				if w == s.firstOK[t] {
					s.firstOK[t]++
				}
				w++
			}
			if w < bestWeek {
				bestTeam, bestWeek = t, w
			}
		}
		if bestTeam < 0 {
			continue // no capacity left this year: counted as shortfall
		}
		s.cap[bestTeam][bestWeek]--
		items[k].WeekStart = s.weeks[bestWeek]
		items[k].TeamID = s.in.Teams[bestTeam].ID
	}
}

func (s *schedule) weekFigures(items []Item) []models.WeekFigures {
	out := make([]models.WeekFigures, len(s.weeks))
	idx := map[models.Date]int{}
	for k, w := range s.weeks {
		out[k].WeekStart = w
		idx[w] = k
		for t := range s.full {
			out[k].Capacity += s.full[t][k]
		}
	}
	for _, it := range items {
		if !it.WeekStart.IsZero() {
			out[idx[it.WeekStart]].Planned++
		}
	}
	return out
}

// shortfall groups the items no team could take by the most local team's unit that holds their
// ward (a team of several units counts each apart: the planner reads where capacity is missing),
// or the ward when no team covers it, and converts them into missing team working days.
func (s *schedule) shortfall(items []Item) []models.AreaShortfall {
	m := map[string]*models.AreaShortfall{}
	var order []string
	for _, it := range items {
		if !it.WeekStart.IsZero() {
			continue
		}
		area, perDay := it.Ward, 0.0
		if ts := s.teams(it.Ward); len(ts) > 0 {
			team := s.in.Teams[ts[0]]
			unit, _ := team.unitOf(s.in.WardPaths[it.Ward])
			area = lastCode(cmp.Or(unit, team.AreaPath))
			perDay = float64(team.Weekly) / float64(max(1, team.WorkingDays.Count()))
		}
		f, ok := m[area]
		if !ok {
			f = &models.AreaShortfall{AreaCode: area}
			m[area] = f
			order = append(order, area)
		}
		f.Tasks++
		if perDay > 0 {
			f.MissingTeamDays += 1 / perDay
		} else {
			f.MissingTeamDays++ // no team at all: count a day per task until a team exists
		}
	}
	sort.Strings(order)
	out := make([]models.AreaShortfall, 0, len(order))
	for _, a := range order {
		f := m[a]
		f.MissingTeamDays = math.Ceil(f.MissingTeamDays*10) / 10
		out = append(out, *f)
	}
	return out
}

func lastCode(path string) string {
	p := strings.Trim(path, "/")
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}
