package indicators

import (
	"context"
	"strings"

	"kiemtra/models"
)

// Unit is one unit that reports a figure: a local area or an agency.
type Unit struct {
	Code   string `json:"code"`               // an area's version code or an agency code
	GSO    string `json:"gso_code,omitempty"` // an area's official code
	Name   string `json:"name"`
	Path   string `json:"-"`
	Agency string `json:"agency"` // the agency that reports for it (commune for a local area)
}

// unitsOf lists the units that owe an indicator's figure for a period.
func (s *Service) unitsOf(ctx context.Context, p *models.Programme, ind *models.Indicator, per models.ReportingPeriod) ([]Unit, error) {
	switch ind.Level {
	case models.IndicatorLevelCommune:
		areas, err := s.communeUnits(ctx, p, per)
		if err != nil {
			return nil, err
		}
		out := make([]Unit, 0, len(areas))
		for _, a := range areas {
			out = append(out, Unit{Code: a.Code, GSO: a.OfficialCode(), Name: unitName(a.TypeName, a.Name), Path: a.Path, Agency: models.AgencyCommune})
		}
		return out, nil
	case models.IndicatorLevelDepartment:
		ags, err := s.departments(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]Unit, 0, len(ags))
		for _, a := range ags {
			out = append(out, Unit{Code: a.Code, Name: agencyName(a), Agency: a.Code})
		}
		return out, nil
	}
	name := ind.Agency
	if ags, err := s.store.FindAgencies(ctx); err == nil {
		for _, a := range ags {
			if a.Code == ind.Agency {
				name = agencyName(a)
			}
		}
	} else {
		return nil, err
	}
	return []Unit{{Code: ind.Agency, Name: name, Agency: ind.Agency}}, nil
}

// unitName is a unit's name with its type ("Quận Ninh Kiều"), once: some names carry it already.
func unitName(typeName, name string) string {
	if typeName == "" || strings.HasPrefix(name, typeName+" ") {
		return name
	}
	return typeName + " " + name
}

func agencyName(a *models.Agency) string {
	if a.ShortVI != "" {
		return a.ShortVI
	}
	return a.NameVI
}

// Owed is a figure a unit still owes for a period: none submitted, or returned and not yet
// corrected.
type Owed struct {
	Indicator string      `json:"indicator"`
	NameVI    string      `json:"name_vi"`
	NameEN    string      `json:"name_en"`
	Period    string      `json:"period"`
	Unit      Unit        `json:"unit"`
	Deadline  models.Date `json:"deadline"`
	Overdue   bool        `json:"overdue"` // the deadline has passed: the period is locked
	State     string      `json:"state"`   // "" (nothing submitted) or returned
	Comment   string      `json:"comment"` // the lead department's comment on a returned one
}

// Owed lists, for each submitted indicator reported by the period's kind, the units that have
// not submitted the period's figure or whose figure was returned; mine, when set, keeps the
// units the caller reports for.
func (s *Service) Owed(ctx context.Context, p *models.Programme, per models.ReportingPeriod, mine *Caller) ([]Owed, error) {
	return s.owedOn(ctx, p, per, mine, s.Today())
}

// owedOn is Owed as of the day today.
func (s *Service) owedOn(ctx context.Context, p *models.Programme, per models.ReportingPeriod, mine *Caller, today models.Date) ([]Owed, error) {
	set, err := s.Set(ctx, p)
	if err != nil {
		return nil, err
	}
	subs, err := s.store.FindSubmissions(ctx, models.SubmissionFilter{ProgrammeID: p.ID, Period: per.String(), LatestOnly: true})
	if err != nil {
		return nil, err
	}
	latest := map[[2]string]*models.IndicatorSubmission{}
	for _, sb := range subs {
		latest[[2]string{sb.IndicatorCode, sb.Unit}] = sb
	}
	out := []Owed{}
	for _, ind := range set.Indicators {
		if ind.Source != models.IndicatorSubmitted || ind.Period != per.Kind {
			continue
		}
		units, err := s.unitsOf(ctx, p, ind, per)
		if err != nil {
			return nil, err
		}
		for _, u := range units {
			if mine != nil && !owns(*mine, ind, u) {
				continue
			}
			o := Owed{Indicator: ind.Code, NameVI: ind.NameVI, NameEN: ind.NameEN, Period: per.String(), Unit: u, Deadline: per.Deadline(), Overdue: per.Locked(today)}
			if sb := latest[[2]string{ind.Code, u.Code}]; sb != nil {
				if sb.State != models.SubmissionReturned {
					continue
				}
				o.State, o.Comment = sb.State, sb.ReviewComment
			}
			out = append(out, o)
		}
	}
	return out, nil
}

// owns reports whether the caller reports the unit's figure (the rule Submit applies).
func owns(c Caller, ind *models.Indicator, u Unit) bool {
	if c.Role == models.RoleAdmin {
		return true
	}
	switch ind.Level {
	case models.IndicatorLevelCommune:
		return c.Covers != nil && c.Covers(u.Path) && (c.Role == models.RoleReportingOfficer && c.Agency == models.AgencyCommune || c.Role == models.RolePlanner)
	case models.IndicatorLevelDepartment:
		return c.Agency == u.Code
	}
	return c.Agency == u.Code && c.CityWide
}

// ReminderWindowDays is how long before a deadline the owed figures are listed as reminders:
// two weeks, the time a unit needs to collect a half-year's figures from its wards or schools.
const ReminderWindowDays = 14

// Reminders lists the figures owed for the periods whose deadline falls in the next
// ReminderWindowDays days or has passed in the last period of each kind (a late figure is
// still wanted, with a reason), for the caller's own units unless all is set.
func (s *Service) Reminders(ctx context.Context, p *models.Programme, c Caller, all bool) ([]Owed, error) {
	var mine *Caller
	if !all {
		mine = &c
	}
	return s.remindersOn(ctx, p, mine, s.Today())
}

// remindersOn is Reminders as of the day today, for the units mine reports for (nil: all).
func (s *Service) remindersOn(ctx context.Context, p *models.Programme, mine *Caller, today models.Date) ([]Owed, error) {
	out := []Owed{}
	for _, kind := range models.PeriodKinds {
		for _, per := range models.PeriodsIn(kind, today.AddDays(-400), today) {
			if per.End().Before(p.StartsOn) || per.Start().After(p.EndsOn) {
				continue
			}
			dl := per.Deadline()
			// Due soon: the period has ended, or ends within the window; late: the deadline passed
			// within the period's own length (the last period of that kind).
			soon := !dl.Before(today) && today.DaysUntil(dl) <= ReminderWindowDays
			late := dl.Before(today) && today.DaysUntil(dl) > -per.Months()*31
			if !soon && !late {
				continue
			}
			owed, err := s.owedOn(ctx, p, per, mine, today)
			if err != nil {
				return nil, err
			}
			out = append(out, owed...)
		}
	}
	return out, nil
}

// Units lists the units that owe an indicator's figure for a period: the local units in force
// on its last day, the active city departments, or the responsible agency.
func (s *Service) Units(ctx context.Context, p *models.Programme, ind *models.Indicator, per models.ReportingPeriod) ([]Unit, error) {
	return s.unitsOf(ctx, p, ind, per)
}

// UnitNames names the units of submissions by their codes: a local unit by its type and name
// (its version's, "31120@2025" or "31120"), an agency by its short name; a code neither names
// is left out.
func (s *Service) UnitNames(ctx context.Context, codes []string) (map[string]string, error) {
	out := map[string]string{}
	if len(codes) == 0 {
		return out, nil
	}
	ags, err := s.store.FindAgencies(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range ags {
		out[a.Code] = agencyName(a)
	}
	var areas []string
	for _, c := range codes {
		if _, ok := out[c]; !ok {
			areas = append(areas, c)
		}
	}
	if len(areas) > 0 {
		list, _, err := s.store.FindAreas(ctx, models.AreaFilter{Codes: areas, NoGeometry: true})
		if err != nil {
			return nil, err
		}
		for _, a := range list {
			out[a.Code] = unitName(a.TypeName, a.Name)
		}
	}
	return out, nil
}
