package scheduler

import (
	"fmt"
	"testing"

	"kiemtra/models"
)

// sameCapacity is n years of the same capacity, from year on.
func sameCapacity(year, n int, inspections, teamDays float64) []YearCapacity {
	out := make([]YearCapacity, n)
	for k := range out {
		out[k] = YearCapacity{Year: year + k, Inspections: inspections, TeamDays: teamDays}
	}
	return out
}

func TestProjectionFigures(t *testing.T) {
	// The reported case: 3,700 businesses, 15% openings, 12% closures, 20% missed visits,
	// five years, six teams of 8 a week (about 2,500 inspections, 1,562.5 team-days a year).
	reported := ProjectionInput{Year: 2021, LastYear: 2025, MinYearlyShare: 0.2, GraceDays: 60, Open: 3700, Uninspected: 3700,
		Rates: Rates{Openings: 0.15, Closures: 0.12, Misses: 0.2}, Capacity: sameCapacity(2021, 5, 2500, 1562.5)}
	type year struct {
		year                       int
		first, reinsp, load        float64
		needed, available, missing float64
		fits                       bool
	}
	cases := []struct {
		name       string
		in         ProjectionInput
		years      []year // checked in order; fewer than projected checks only the first ones
		check      map[int]year
		fits       bool
		firstShort int
		missing    float64
		needed     float64
	}{
		{
			// Year 1: must = 3700/5 = 740 = the share, no one inspected yet so no re-inspection;
			// repeats 740 x 0.2/0.8 = 185; load 925 x 0.625 team-days = 578.1.
			// Year 2: never inspected (3700-740) x 0.88 + 555 = 3159.8, open 3700 x 1.03 = 3811;
			// must ceil(3159.8/4) = 790 above the share's 763; 5% of the 651.2 inspected = 33;
			// load (790+33)/0.8 = 1028.75, 643.0 team-days.
			// Year 5: never inspected 1551.0 + openings 624.66 x 305/365 = 2073.0 first visits,
			// 5% of 2613.4 = 131 re-inspections, load 2204.0/0.8 = 2755.0, 1721.9 team-days
			// against 1562.5: 159.4 missing, although the five years need 4598.5 of 7812.5.
			name: "the reported case is short in its last year, knowable in the first",
			in:   reported,
			check: map[int]year{
				2021: {2021, 740, 0, 925, 578.1, 1562.5, 0, true},
				2022: {2022, 790, 33, 1028.8, 643, 1562.5, 0, true},
				2023: {2023, 886, 64, 1187.5, 742.2, 1562.5, 0, true},
				2024: {2024, 1074, 95, 1461.3, 913.3, 1562.5, 0, true},
				2025: {2025, 2073, 131, 2755, 1721.9, 1562.5, 159.4, false},
			},
			fits: false, firstShort: 2025, missing: 159.4, needed: 4598.5,
		},
		{
			// No churn: 50 a year; the second year re-inspects 5% of the 50 inspected (3).
			name: "a steady city fits",
			in: ProjectionInput{Year: 2024, LastYear: 2025, MinYearlyShare: 0.2, Open: 100, Uninspected: 100,
				Capacity: sameCapacity(2024, 2, 60, 30)},
			check: map[int]year{
				2024: {2024, 50, 0, 50, 25, 30, 0, true},
				2025: {2025, 50, 3, 53, 26.5, 30, 0, true},
			},
			fits: true, needed: 51.5,
		},
		{
			// Half the visits fail: 100 visits cost 200 attempts, 100 team-days against 25.
			name: "misses double the load of a last year",
			in: ProjectionInput{Year: 2025, LastYear: 2025, MinYearlyShare: 0.2, GraceDays: 365, Open: 100, Uninspected: 100,
				Rates: Rates{Misses: 0.5}, Capacity: sameCapacity(2025, 1, 50, 25)},
			check: map[int]year{2025: {2025, 100, 0, 200, 100, 25, 75, false}},
			fits:  false, firstShort: 2025, missing: 75, needed: 100,
		},
		{
			// The share needs 50 but only 10 are inspected: 40 never-inspected instead of 30.
			// Then 25 + 25 and 25 + 25: 25 team-days a year.
			name: "too few inspected draws more never-inspected ones",
			in: ProjectionInput{Year: 2023, LastYear: 2025, MinYearlyShare: 0.5, Open: 100, Uninspected: 90,
				Capacity: sameCapacity(2023, 3, 100, 50)},
			check: map[int]year{
				2023: {2023, 40, 10, 50, 25, 50, 0, true},
				2024: {2024, 25, 25, 50, 25, 50, 0, true},
				2025: {2025, 25, 25, 50, 25, 50, 0, true},
			},
			fits: true, needed: 75,
		},
		{
			// No team at all: a day per visit, as a plan's shortfall counts it.
			name: "no capacity misses a day per visit",
			in: ProjectionInput{Year: 2025, LastYear: 2025, MinYearlyShare: 0.2, GraceDays: 365, Open: 10, Uninspected: 10,
				Capacity: sameCapacity(2025, 1, 0, 0)},
			check: map[int]year{2025: {2025, 10, 0, 10, 10, 0, 10, false}},
			fits:  false, firstShort: 2025, missing: 10, needed: 10,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Project(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Years) != c.in.LastYear-c.in.Year+1 {
				t.Fatalf("%d years projected", len(p.Years))
			}
			for _, y := range p.Years {
				want, ok := c.check[y.Year]
				if !ok {
					continue
				}
				got := year{y.Year, y.FirstVisits, y.Reinspections, y.Load, y.NeededTeamDays, y.AvailableTeamDays, y.MissingTeamDays, y.Fits}
				if got != want {
					t.Errorf("year %d:\n got %+v\nwant %+v", y.Year, got, want)
				}
			}
			if p.MadeIn != c.in.Year || p.Fits != c.fits || p.FirstShortYear != c.firstShort || p.MissingTeamDays != c.missing {
				t.Errorf("made in %d fits %v first short %d missing %.1f; want %d %v %d %.1f", p.MadeIn, p.Fits, p.FirstShortYear,
					p.MissingTeamDays, c.in.Year, c.fits, c.firstShort, c.missing)
			}
			if p.NeededTeamDays != c.needed {
				t.Errorf("needed %.1f team-days over the years, want %.1f", p.NeededTeamDays, c.needed)
			}
		})
	}
}

func TestProjectionRejectsBadInput(t *testing.T) {
	good := ProjectionInput{Year: 2024, LastYear: 2025, MinYearlyShare: 0.2, Open: 10, Uninspected: 5, Capacity: sameCapacity(2024, 2, 10, 5)}
	for _, c := range []struct {
		field string
		edit  func(*ProjectionInput)
	}{
		{"year", func(p *ProjectionInput) { p.Year, p.Capacity = 2026, nil }},
		{"min_yearly_share", func(p *ProjectionInput) { p.MinYearlyShare = 0 }},
		{"uninspected", func(p *ProjectionInput) { p.Uninspected = 11 }},
		{"rates", func(p *ProjectionInput) { p.Rates.Misses = 1 }},
		{"rates", func(p *ProjectionInput) { p.Rates.Openings = -0.1 }},
		{"capacity", func(p *ProjectionInput) { p.Capacity = p.Capacity[:1] }},
	} {
		t.Run(c.field, func(t *testing.T) {
			in := good
			c.edit(&in)
			_, err := Project(in)
			if e := models.ErrorAs(err); e == nil || e.Code != models.EINVALID || e.Field != c.field {
				t.Fatalf("error %v, want one naming %q", err, c.field)
			}
		})
	}
	if _, err := Project(good); err != nil {
		t.Fatal(err)
	}
}

func TestObservedRates(t *testing.T) {
	for _, c := range []struct {
		name                                     string
		openings, closures, openYears, att, miss int
		want                                     Rates
	}{
		{"no history takes the defaults", 0, 0, 0, 0, 0, Rates{Openings: DefaultOpeningRate, Closures: DefaultClosureRate, Misses: DefaultMissRate,
			OpeningsDefault: true, ClosuresDefault: true, MissesDefault: true}},
		{"registry history without visits", 150, 120, 1000, 0, 0, Rates{Openings: 0.15, Closures: 0.12, Misses: DefaultMissRate, MissesDefault: true}},
		{"visits without registry history", 0, 0, 0, 500, 100, Rates{Openings: DefaultOpeningRate, Closures: DefaultClosureRate, Misses: 0.2,
			OpeningsDefault: true, ClosuresDefault: true}},
		{"every visit missed is capped", 10, 0, 100, 4, 4, Rates{Openings: 0.1, Misses: 0.95}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := ObservedRates(c.openings, c.closures, c.openYears, c.att, c.miss); got != c.want {
				t.Fatalf("got %+v\nwant %+v", got, c.want)
			}
		})
	}
}

func TestTeamCapacityIsThePlannersSchedule(t *testing.T) {
	in := Input{Programme: ProgrammeSpec{FirstYear: 2021, Deadline: models.NewDate(2025, 12, 31), MinYearlyShare: 0.2}, Year: 2021,
		AsOf: models.NewDate(2021, 1, 1), Teams: []Team{{ID: "t1", Weekly: 8, WorkingDays: models.DefaultWorkingDays}}}
	for _, c := range []struct {
		name     string
		edit     func(*Input)
		year     int
		insp     float64
		teamDays float64
	}{
		// 2021 has 261 weekdays: 8 x 261 / 5 = 417.6, of which the schedule keeps 417.
		{"a full year", func(*Input) {}, 2021, 417, 417 / 1.6},
		{"a holiday is a day less", func(in *Input) { in.Holidays = []models.Date{models.NewDate(2021, 1, 1)} }, 2021, 416, 260},
		// From Monday 5 July: 26 weeks of 5 days, 130 days, 208 inspections.
		{"the plan's year counts from its date", func(in *Input) { in.AsOf = models.NewDate(2021, 7, 5) }, 2021, 208, 130},
		{"a later year counts from 1 January", func(in *Input) { in.AsOf = models.NewDate(2021, 7, 5) }, 2022, 416, 260},
		{"a team without capacity adds nothing", func(in *Input) { in.Teams = append(in.Teams, Team{ID: "t2"}) }, 2022, 416, 260},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := in
			in.Teams = append([]Team(nil), in.Teams...)
			c.edit(&in)
			got := TeamCapacity(in, c.year)
			if got != (YearCapacity{Year: c.year, Inspections: c.insp, TeamDays: c.teamDays}) {
				t.Fatalf("got %+v, want %v inspections and %v team-days", got, c.insp, c.teamDays)
			}
		})
	}
}

func TestProjectPlanStartsFromThePlansInput(t *testing.T) {
	in := Input{Programme: ProgrammeSpec{FirstYear: 2024, Deadline: models.NewDate(2025, 12, 31), MinYearlyShare: 0.2}, Year: 2024,
		AsOf: models.NewDate(2024, 1, 1), Teams: []Team{{ID: "t1", Weekly: 1, WorkingDays: models.DefaultWorkingDays}}}
	for i := 0; i < 100; i++ {
		in.Businesses = append(in.Businesses, Business{ID: fmt.Sprintf("b%03d", i), Ward: "w1", Covered: i < 20})
	}
	p, err := ProjectPlan(in, Rates{}, 60)
	if err != nil {
		t.Fatal(err)
	}
	// 80 never inspected over two years: 40 first visits and 5% of 20 re-inspected (1); one a
	// week is 52 a year (2024 has 262 weekdays: 52.4), one team-day per 0.2 inspections.
	y := p.Years[0]
	if y.Open != 100 || y.Uninspected != 80 || y.FirstVisits != 40 || y.Reinspections != 1 || y.NeededTeamDays != 205 || y.AvailableTeamDays != 260 || !y.Fits {
		t.Fatalf("first year %+v", y)
	}
	if !p.Fits || len(p.Years) != 2 || p.Years[1].Uninspected != 40 {
		t.Fatalf("projection %+v", p)
	}
	in.Programme.MinYearlyShare = 0
	if _, err := ProjectPlan(in, Rates{}, 60); err == nil {
		t.Fatal("a bad plan input was projected")
	}
}

func TestTopUpNeedDiscountsWaitingVisitsAtTheYearsEnd(t *testing.T) {
	for _, tc := range []struct {
		name                             string
		target, done, waiting, weeksLeft int
		miss                             float64
		want                             int
	}{
		{"enough done", 100, 100, 0, 20, 0.2, 0},
		{"waiting visits count in full with time to repeat them", 100, 60, 40, 20, 0.2, 0},
		{"short by closures", 100, 60, 30, 20, 0.2, 10},
		{"in the last weeks a waiting visit counts at its odds", 100, 60, 40, 3, 0.2, 8},
		{"no misses expected: nothing to add", 100, 60, 40, 3, 0, 0},
		{"more than enough", 100, 90, 40, 2, 0.35, 0},
	} {
		if got := TopUpNeed(tc.target, tc.done, tc.waiting, tc.weeksLeft, tc.miss); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
}
