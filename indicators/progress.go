package indicators

import (
	"context"
	"sort"
	"strings"
	"time"

	"kiemtra/models"
	"kiemtra/report"
)

// Figure is an indicator's figure for a unit or the city over a period: for a share its
// numerator and denominator and Value their ratio; for a count the count; for a change the
// count (Value), the count a year before (Previous) and Change, (Value - Previous) / Previous.
// Met is nil when there is no figure to judge.
type Figure struct {
	Numerator   *float64 `json:"numerator"`
	Denominator *float64 `json:"denominator"`
	Value       *float64 `json:"value"`
	Previous    *float64 `json:"previous,omitempty"`
	Change      *float64 `json:"change,omitempty"`
	Met         *bool    `json:"met"`
}

// UnitFigure is one unit's figure with the state of its latest submission.
type UnitFigure struct {
	Unit Unit `json:"unit"`
	Figure
	State        string       `json:"state"` // "" (nothing submitted), submitted, returned, accepted; computed
	Version      int          `json:"version"`
	Late         bool         `json:"late"`
	SubmissionID string       `json:"submission_id,omitempty"`
	Trend        []TrendPoint `json:"trend,omitempty"`
}

// TrendPoint is a figure of one earlier period. Via, when the unit did not exist then (it was
// formed in a reorganisation), lists the former units whose figures stand for it: a commune
// formed from part of a district shows the whole district's figure.
type TrendPoint struct {
	Period string `json:"period"`
	Figure
	Via []string `json:"via,omitempty"`
}

// IndicatorProgress is one indicator against its target for a period.
type IndicatorProgress struct {
	Indicator *models.Indicator `json:"indicator"`
	// Periods are the indicator's own periods counted in the period asked for (the three months
	// of a quarter for a monthly indicator; the year containing a quarter for a yearly one).
	Periods []string `json:"periods"`
	// Target is what Total is judged against: the indicator's target, times the number of
	// periods for a count summed over several.
	Target    float64      `json:"target"`
	Total     Figure       `json:"total"` // the city's (or the area's) figure
	Units     []UnitFigure `json:"units"`
	Submitted int          `json:"submitted"` // units with an accepted figure
	Expected  int          `json:"expected"`  // units that owe one
	Trend     []TrendPoint `json:"trend"`     // the total over the programme's periods up to this one
	NoteVI    string       `json:"note_vi,omitempty"`
	NoteEN    string       `json:"note_en,omitempty"`
}

// Narrative is an accepted submission's narrative: what a unit or department says it did.
type Narrative struct {
	Indicator string `json:"indicator"`
	NameVI    string `json:"name_vi"`
	Period    string `json:"period"`
	Unit      string `json:"unit"`
	UnitName  string `json:"unit_name"`
	Agency    string `json:"agency"`
	Text      string `json:"text"`
}

// Progress is every indicator of a programme against its target for a period: what the
// dashboard shows and the official periodic report consumes (its rows in set order, the
// departments' narratives in NarrativesByAgency).
type Progress struct {
	ProgrammeID   string              `json:"programme_id"`
	ProgrammeCode string              `json:"programme_code"`
	ProgrammeName string              `json:"programme_name"`
	Period        string              `json:"period"`
	Start         models.Date         `json:"start"`
	End           models.Date         `json:"end"`
	Deadline      models.Date         `json:"deadline"`
	Locked        bool                `json:"locked"`
	AreaCode      string              `json:"area_code"`
	AreaName      string              `json:"area_name"`
	SetVersion    int                 `json:"set_version"`
	Rows          []IndicatorProgress `json:"rows"`
	Narratives    []Narrative         `json:"narratives"`
	GeneratedAt   time.Time           `json:"generated_at"`
}

// NarrativesByAgency groups the accepted narratives by the agency that reports them (commune
// for the local units), for the report's sections per department.
func (p *Progress) NarrativesByAgency() map[string][]Narrative {
	out := map[string][]Narrative{}
	for _, n := range p.Narratives {
		out[n.Agency] = append(out[n.Agency], n)
	}
	return out
}

// Row returns the progress of one indicator, or nil.
func (p *Progress) Row(code string) *IndicatorProgress {
	for i := range p.Rows {
		if p.Rows[i].Indicator.Code == code {
			return &p.Rows[i]
		}
	}
	return nil
}

type subKey struct{ code, period, unit string }

// subIndex holds a programme's submissions: the latest version and the latest accepted one of
// each figure.
type subIndex struct {
	latest, accepted map[subKey]*models.IndicatorSubmission
}

func indexSubmissions(all []*models.IndicatorSubmission) subIndex {
	ix := subIndex{latest: map[subKey]*models.IndicatorSubmission{}, accepted: map[subKey]*models.IndicatorSubmission{}}
	for _, s := range all { // ordered by version
		k := subKey{s.IndicatorCode, s.Period, s.Unit}
		ix.latest[k] = s
		if s.State == models.SubmissionAccepted {
			ix.accepted[k] = s
		}
	}
	return ix
}

// sum adds the accepted figures of units over periods; ok is false when none has one.
func (ix subIndex) sum(code string, periods []string, units []string) (num, den, val float64, n int) {
	for _, per := range periods {
		for _, u := range units {
			s := ix.accepted[subKey{code, per, u}]
			if s == nil {
				continue
			}
			n++
			if s.Numerator != nil && s.Denominator != nil {
				num += *s.Numerator
				den += *s.Denominator
			}
			if s.Value != nil {
				val += *s.Value
			}
		}
	}
	return
}

func ptr(x float64) *float64 { return &x }

// figureOf makes a figure from sums; periods is how many periods a count spans.
func figureOf(ind *models.Indicator, num, den, val float64, n, periods int) Figure {
	if n == 0 {
		return Figure{}
	}
	var f Figure
	switch ind.Kind {
	case models.IndicatorShare:
		f.Numerator, f.Denominator = ptr(num), ptr(den)
		if den > 0 {
			f.Value = ptr(num / den)
		}
	default:
		f.Value = ptr(val)
	}
	if f.Value != nil && ind.Kind != models.IndicatorChange {
		met := *f.Value+1e-9 >= target(ind, periods)
		f.Met = &met
	}
	return f
}

func target(ind *models.Indicator, periods int) float64 {
	if ind.Kind == models.IndicatorCount && periods > 1 {
		return ind.TargetMin * float64(periods)
	}
	return ind.TargetMin
}

// withChange sets a change figure's previous count and change.
func withChange(ind *models.Indicator, f Figure, prev Figure) Figure {
	if ind.Kind != models.IndicatorChange || f.Value == nil || prev.Value == nil {
		return f
	}
	f.Previous = prev.Value
	if *prev.Value > 0 {
		f.Change = ptr((*f.Value - *prev.Value) / *prev.Value)
		met := ind.Met(*f.Change)
		f.Met = &met
	}
	return f
}

// countedPeriods are the indicator's own periods counted in per: those inside it, or, for an
// indicator reported less often, the one containing per's last day.
func countedPeriods(kind string, per models.ReportingPeriod) []models.ReportingPeriod {
	if (models.ReportingPeriod{Kind: kind}).Months() <= per.Months() {
		return models.PeriodsIn(kind, per.Start(), per.End())
	}
	return models.PeriodsIn(kind, per.End(), per.End())
}

func names(ps []models.ReportingPeriod) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// Progress computes every indicator of the programme against its target for a period, per
// unit and for the area (the programme's area when area is "", else one of its local units).
func (s *Service) Progress(ctx context.Context, p *models.Programme, per models.ReportingPeriod, area string) (*Progress, error) {
	set, err := s.Set(ctx, p)
	if err != nil {
		return nil, err
	}
	root, err := s.rootOn(ctx, p, per.End())
	if err != nil {
		return nil, err
	}
	scope := root
	if area != "" && area != root.Code && area != root.OfficialCode() {
		units, err := s.communeUnits(ctx, p, per)
		if err != nil {
			return nil, err
		}
		scope = nil
		for _, a := range units {
			if a.Code == area || a.OfficialCode() == area {
				scope = a
			}
		}
		if scope == nil {
			return nil, models.Invalid("area", "%q is neither the programme's area nor one of its local units on %s", "%q không phải địa bàn của chương trình hay đơn vị cấp cơ sở của nó vào ngày %s", area, per.End())
		}
	}
	all, err := s.store.FindSubmissions(ctx, models.SubmissionFilter{ProgrammeID: p.ID})
	if err != nil {
		return nil, err
	}
	ix := indexSubmissions(all)
	lineage, err := s.lineage(ctx)
	if err != nil {
		return nil, err
	}
	out := &Progress{ProgrammeID: p.ID, ProgrammeCode: p.Code, ProgrammeName: p.Name, Period: per.String(), Start: per.Start(), End: per.End(),
		Deadline: per.Deadline(), Locked: per.Locked(s.Today()), AreaCode: scope.Code, AreaName: scope.Name, SetVersion: set.Version,
		Rows: []IndicatorProgress{}, Narratives: []Narrative{}, GeneratedAt: s.now().In(s.loc).Truncate(time.Second)}
	// The whole area's reports name no area: each period's report then takes the programme's
	// area as it was at that period's end, before or after the reorganisation.
	reportArea := ""
	if scope != root {
		reportArea = scope.Code
	}
	reps := &reportCache{s: s, p: p, area: reportArea, built: map[string]*report.Report{}}
	for _, ind := range set.Indicators {
		var row IndicatorProgress
		if ind.Source == models.IndicatorComputed {
			row, err = s.computed(ctx, reps, p, ind, per)
		} else {
			row, err = s.submitted(ctx, ix, lineage, p, ind, per, scope, scope == root)
		}
		if err != nil {
			return nil, err
		}
		out.Rows = append(out.Rows, row)
		if ind.Source == models.IndicatorSubmitted {
			for _, u := range row.Units {
				for _, cp := range row.Periods {
					if sb := ix.accepted[subKey{ind.Code, cp, u.Unit.Code}]; sb != nil && sb.Narrative != "" {
						out.Narratives = append(out.Narratives, Narrative{Indicator: ind.Code, NameVI: ind.NameVI, Period: cp, Unit: u.Unit.Code, UnitName: u.Unit.Name, Agency: u.Unit.Agency, Text: sb.Narrative})
					}
				}
			}
		}
	}
	return out, nil
}

func (s *Service) submitted(ctx context.Context, ix subIndex, lineage map[string][]string, p *models.Programme, ind *models.Indicator, per models.ReportingPeriod, scope *models.Area, whole bool) (IndicatorProgress, error) {
	counted := countedPeriods(ind.Period, per)
	row := IndicatorProgress{Indicator: ind, Periods: names(counted), Target: target(ind, len(counted)), Units: []UnitFigure{}, Trend: []TrendPoint{}}
	if len(counted) == 0 {
		return row, nil
	}
	last := counted[len(counted)-1]
	units, err := s.unitsOf(ctx, p, ind, last)
	if err != nil {
		return row, err
	}
	var codes []string
	for _, u := range units {
		if !whole && ind.Level == models.IndicatorLevelCommune && !strings.HasPrefix(u.Path, scope.Path) {
			continue
		}
		if !whole && ind.Level != models.IndicatorLevelCommune {
			continue // a department's or the city's figure is not measured in one commune
		}
		codes = append(codes, u.Code)
		uf := UnitFigure{Unit: u}
		num, den, val, n := ix.sum(ind.Code, row.Periods, []string{u.Code})
		uf.Figure = figureOf(ind, num, den, val, n, len(counted))
		if ind.Kind == models.IndicatorChange {
			pn, pd, pv, pc := ix.sum(ind.Code, names(prevOf(counted)), []string{u.Code})
			uf.Figure = withChange(ind, uf.Figure, figureOf(ind, pn, pd, pv, pc, len(counted)))
		}
		if n > 0 {
			row.Submitted++
		}
		// The state shown is that of the latest period the unit has submitted for.
		for _, cp := range row.Periods {
			if sb := ix.latest[subKey{ind.Code, cp, u.Code}]; sb != nil {
				uf.State, uf.Version, uf.Late, uf.SubmissionID = sb.State, sb.Version, sb.Late, sb.ID
			}
		}
		if ind.Level == models.IndicatorLevelCommune {
			uf.Trend = unitTrend(ix, lineage, ind, p, per, u.Code)
		}
		row.Units = append(row.Units, uf)
	}
	row.Expected = len(row.Units)
	num, den, val, n := ix.sum(ind.Code, row.Periods, codes)
	row.Total = figureOf(ind, num, den, val, n, len(counted))
	if ind.Kind == models.IndicatorChange {
		pn, pd, pv, pc := ix.sum(ind.Code, names(prevOf(counted)), allUnits(ix, ind.Code))
		row.Total = withChange(ind, row.Total, figureOf(ind, pn, pd, pv, pc, len(counted)))
	}
	if !whole {
		if ind.Level == models.IndicatorLevelCommune && len(row.Units) == 1 {
			row.Trend = row.Units[0].Trend
		}
		return row, nil
	}
	// The city's trend: every unit's accepted figures of each earlier period, whichever units
	// existed then (the districts before the 2025 reorganisation, the communes after).
	for _, q := range models.PeriodsIn(ind.Period, p.StartsOn, per.End()) {
		us := unitsIn(ix, ind.Code, q.String())
		num, den, val, n := ix.sum(ind.Code, []string{q.String()}, us)
		pt := TrendPoint{Period: q.String(), Figure: figureOf(ind, num, den, val, n, 1)}
		if ind.Kind == models.IndicatorChange {
			pq := q.Previous().String()
			pn, pd, pv, pc := ix.sum(ind.Code, []string{pq}, unitsIn(ix, ind.Code, pq))
			pt.Figure = withChange(ind, pt.Figure, figureOf(ind, pn, pd, pv, pc, 1))
		}
		row.Trend = append(row.Trend, pt)
	}
	return row, nil
}

func prevOf(ps []models.ReportingPeriod) []models.ReportingPeriod {
	out := make([]models.ReportingPeriod, len(ps))
	for i, p := range ps {
		out[i] = p.Previous()
	}
	return out
}

func unitsIn(ix subIndex, code, period string) []string {
	var out []string
	for k := range ix.accepted {
		if k.code == code && k.period == period {
			out = append(out, k.unit)
		}
	}
	sort.Strings(out)
	return out
}

func allUnits(ix subIndex, code string) []string {
	seen := map[string]bool{}
	var out []string
	for k := range ix.accepted {
		if k.code == code && !seen[k.unit] {
			seen[k.unit] = true
			out = append(out, k.unit)
		}
	}
	return out
}

// unitTrend is a unit's figure in each of the programme's periods up to per: its own, or, for a
// period before it existed, that of the units it was formed from (through every reorganisation).
func unitTrend(ix subIndex, lineage map[string][]string, ind *models.Indicator, p *models.Programme, per models.ReportingPeriod, unit string) []TrendPoint {
	var out []TrendPoint
	for _, q := range models.PeriodsIn(ind.Period, p.StartsOn, per.End()) {
		units, via := []string{unit}, []string(nil)
		if _, _, _, n := ix.sum(ind.Code, []string{q.String()}, units); n == 0 {
			// The units it was formed from, and the units those sat in: a commune formed from
			// wards in 2025 shows the figure of the district those wards belonged to, the unit
			// that reported then. Only the ones with a figure are named.
			units, via = nil, nil
			for _, f := range formerUnits(lineage, unit, 4) {
				units = append(units, f)
				units = append(units, lineage[ancestorsKey+f]...)
			}
			units = dedupe(units)
			for _, u := range units {
				if _, _, _, k := ix.sum(ind.Code, []string{q.String()}, []string{u}); k > 0 {
					via = append(via, u)
				}
			}
			units = via
		}
		num, den, val, n := ix.sum(ind.Code, []string{q.String()}, units)
		out = append(out, TrendPoint{Period: q.String(), Figure: figureOf(ind, num, den, val, n, 1), Via: via})
	}
	return out
}

// ancestorsKey prefixes the entries of the lineage map that list a unit's ancestors (from its
// path, the root excluded) rather than its sources.
const ancestorsKey = "^"

func dedupe(list []string) []string {
	seen := map[string]bool{}
	out := list[:0]
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// formerUnits are the units a unit was formed from, and theirs, up to depth reorganisations back.
func formerUnits(lineage map[string][]string, unit string, depth int) []string {
	if depth == 0 || strings.HasPrefix(unit, ancestorsKey) {
		return nil
	}
	var out []string
	for _, src := range lineage[unit] {
		if src == unit {
			continue
		}
		out = append(out, src)
		out = append(out, formerUnits(lineage, src, depth-1)...)
	}
	return out
}

func (s *Service) lineage(ctx context.Context) (map[string][]string, error) {
	rows, err := s.store.FindAreaLineage(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, r := range rows {
		out[r.AreaCode] = append(out[r.AreaCode], r.SourceCode)
	}
	if len(rows) == 0 {
		return out, nil
	}
	// Every version of every unit, for the ancestors of the units that were replaced.
	areas, _, err := s.store.FindAreas(ctx, models.AreaFilter{NoGeometry: true})
	if err != nil {
		return nil, err
	}
	for _, a := range areas {
		parts := strings.Split(strings.Trim(a.Path, "/"), "/")
		if len(parts) > 2 {
			out[ancestorsKey+a.Code] = parts[1 : len(parts)-1]
		}
	}
	return out, nil
}
