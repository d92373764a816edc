// Package refdata holds the reference facts kiemtra ships with, embedded in the binary: Can Tho's
// administrative units (2021 and 2025), business categories, the inspection checklist and the
// violation codes. They are copies of the team's shared data; the running service reads only these.
package refdata

import (
	"embed"
	"encoding/json"
	"fmt"

	"kiemtra/models"
)

//go:embed data/*.json
var files embed.FS

// Ward is a ward or commune of the 2021 units.
type Ward struct {
	Code string  `json:"code"`
	Name string  `json:"name"`
	Type string  `json:"type"`
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
}

// District is a district of the 2021 units with its wards.
type District struct {
	Code  string  `json:"code"`
	Name  string  `json:"name"`
	Type  string  `json:"type"`
	Lat   float64 `json:"lat"`
	Lon   float64 `json:"lon"`
	Wards []Ward  `json:"wards"`
}

// Units2021 is Can Tho as of November 2021: the city, 9 districts, 83 wards.
type Units2021 struct {
	City struct {
		Code string `json:"code"`
		Name string `json:"name"`
	} `json:"city"`
	Districts []District `json:"districts"`
}

// Unit2025 is a commune-level unit of Can Tho from 1 July 2025 (no district level).
type Unit2025 struct {
	Code string  `json:"code"`
	Name string  `json:"name"`
	Lat  float64 `json:"lat"`
	Lon  float64 `json:"lon"`
}

func load(name string, v any) error {
	b, err := files.ReadFile("data/" + name)
	if err != nil {
		return fmt.Errorf("refdata %s: %w", name, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("refdata %s: %w", name, err)
	}
	return nil
}

// CanTho2021 returns the 2021 administrative units.
func CanTho2021() (*Units2021, error) {
	var u Units2021
	return &u, load("cantho_units_2021.json", &u)
}

// CanTho2025 returns the units in force from 1 July 2025.
func CanTho2025() ([]Unit2025, error) {
	var u struct {
		Units []Unit2025 `json:"units"`
	}
	return u.Units, load("cantho_units_2025.json", &u)
}

// Reorganisation2025 returns the 2025 reorganisation of Can Tho as a reorganisation spec (its
// effective date, its parent and the 103 units with the units each was formed from).
func Reorganisation2025() (models.ReorgSpec, error) {
	var spec models.ReorgSpec
	return spec, load("cantho_units_2025.json", &spec)
}

// Categories returns the business categories in scope.
func Categories() ([]models.Category, error) {
	var c struct {
		Categories []models.Category `json:"categories"`
	}
	return c.Categories, load("categories.json", &c)
}

// CategorySet returns the category codes as a set, for validation.
func CategorySet() (map[string]bool, error) {
	cats, err := Categories()
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(cats))
	for _, c := range cats {
		set[c.Code] = true
	}
	return set, nil
}

// Violations returns the violation codes.
func Violations() ([]models.ViolationType, error) {
	var v struct {
		Violations []models.ViolationType `json:"violations"`
	}
	return v.Violations, load("violations.json", &v)
}

// Checklist returns version 1 of the inspection checklist, the one kiemtra shipped first. The
// checklist in force is in the database (migration 00021 seeded it with Checklists).
func Checklist() (*models.Checklist, error) {
	var c models.Checklist
	return &c, load("checklist.json", &c)
}

// Checklists returns the checklist versions kiemtra ships: version 1 and version 2, which adds
// the legal duties version 1 did not check (checklist_v2.json).
func Checklists() ([]*models.Checklist, error) {
	v1, err := Checklist()
	if err != nil {
		return nil, err
	}
	var change models.Checklist
	if err := load("checklist_v2.json", &change); err != nil {
		return nil, err
	}
	return []*models.Checklist{v1, Revise(v1, &change)}, nil
}

// Revise makes the version change describes on top of base: an item of change with an id of base
// replaces it in place; the others are added after the last item of base that shares their first
// category (at the end when none does).
func Revise(base, change *models.Checklist) *models.Checklist {
	out := &models.Checklist{Version: change.Version, Items: append([]models.ChecklistItem{}, base.Items...)}
	pos := map[string]int{}
	for i, it := range out.Items {
		pos[it.ID] = i
	}
	for _, it := range change.Items {
		if i, ok := pos[it.ID]; ok {
			out.Items[i] = it
			continue
		}
		at := len(out.Items)
		if len(it.Categories) > 0 {
			for i, x := range out.Items {
				for _, c := range x.Categories {
					if c == it.Categories[0] {
						at = i + 1
					}
				}
			}
		}
		out.Items = append(out.Items[:at], append([]models.ChecklistItem{it}, out.Items[at:]...)...)
		for i, x := range out.Items {
			pos[x.ID] = i
		}
	}
	return out
}

// Holiday is a public holiday: no team works.
type Holiday struct {
	Date models.Date `json:"date"`
	Name string      `json:"name"`
}

// Holidays returns Vietnam's public holidays for 2021-2030.
func Holidays() ([]Holiday, error) {
	var h struct {
		Holidays []Holiday `json:"holidays"`
	}
	return h.Holidays, load("holidays.json", &h)
}

// HolidayDates returns the days of Holidays, as the planner and the assignment take them.
func HolidayDates() ([]models.Date, error) {
	hs, err := Holidays()
	if err != nil {
		return nil, err
	}
	out := make([]models.Date, len(hs))
	for i, h := range hs {
		out[i] = h.Date
	}
	return out, nil
}

// Reference returns the tables every front-end names codes from: categories, violations, the
// labels of every other code, and the on-site rule the check-in applies (onSite, which
// fieldwork owns).
func Reference(onSite models.OnSiteRule) (*models.Reference, error) {
	cats, err := Categories()
	if err != nil {
		return nil, err
	}
	vs, err := Violations()
	if err != nil {
		return nil, err
	}
	var l struct {
		Labels map[string]map[string]models.Label `json:"labels"`
	}
	if err := load("labels.json", &l); err != nil {
		return nil, err
	}
	return &models.Reference{Categories: cats, Violations: vs, Labels: l.Labels, OnSite: onSite}, nil
}

// Penalties returns the article and fine range of each violation code, for sanction proposals.
func Penalties() ([]models.Penalty, error) {
	var p struct {
		Penalties []models.Penalty `json:"penalties"`
	}
	return p.Penalties, load("penalties.json", &p)
}
