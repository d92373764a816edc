package demo

import (
	"fmt"
	"math"

	"kiemtra/models"
	"kiemtra/refdata"
)

// provinceReachKm is how far a unit of the former Hau Giang and Soc Trang extends from its
// centroid: their communes are rural, their centroids 5 to 10 km apart.
const provinceReachKm = 8.0

// oldCity is the name the 2025 sources give the old city's units.
const oldCity = "Thành phố Cần Thơ"

// Map is Can Tho before and after the 2025 reorganisation, drawn on one raster so that the two
// agree: each 2025 unit of the old city is the union of the 2021 wards it was formed from (a
// ward that was split is drawn whole into the candidate nearest to it), and the units of the
// former Hau Giang and Soc Trang grow from their centroids beside them. Nothing overlaps, there
// is no gap, and every unit contains its label point.
type Map struct {
	// Areas2021 are the city, the old city's districts and its wards, parents first; the city's
	// geometry is the merged city of today (one version of the city spans the reform).
	Areas2021 []*models.Area
	// Spec is the 2025 reorganisation with a polygon and an inside label point for each unit.
	Spec models.ReorgSpec
	// WardUnit is the 2025 unit each old ward was drawn into.
	WardUnit map[string]string
	// Province is the former province of each 2025 unit: the old city for a unit formed from its
	// wards, else the province most of its sources belonged to.
	Province map[string]string
}

// DrawMap draws u and the 2025 reorganisation spec together (see Map).
func DrawMap(u *refdata.Units2021, spec models.ReorgSpec) (*Map, error) {
	if u == nil || len(u.Districts) == 0 {
		return nil, fmt.Errorf("demo map: no districts")
	}
	seeds, err := wardSeeds(u)
	if err != nil {
		return nil, err
	}
	m := &Map{Spec: spec, WardUnit: map[string]string{}, Province: map[string]string{}}
	m.Spec.Units = append([]models.ReorgUnit(nil), spec.Units...)
	wardIdx := map[string]int{}
	for i, s := range seeds {
		wardIdx[s.code] = i
	}
	// Each ward goes to the unit it went to in full, else to the nearest of those it went to in part.
	partial := map[string][]int{}
	for ui, unit := range m.Spec.Units {
		for _, src := range unit.From {
			wi, ok := wardIdx[src.Code]
			if !ok {
				continue
			}
			switch src.Part {
			case models.PartFull:
				if seeds[wi].unit >= 0 {
					return nil, fmt.Errorf("demo map: ward %s went in full to two units", src.Code)
				}
				seeds[wi].unit = ui
			default:
				partial[src.Code] = append(partial[src.Code], ui)
			}
		}
	}
	for code, uis := range partial {
		s := &seeds[wardIdx[code]]
		if s.unit >= 0 {
			continue
		}
		best, bestD := -1, math.Inf(1)
		for _, ui := range uis {
			x, y := toKm(m.Spec.Units[ui].Lat, m.Spec.Units[ui].Lon)
			if d := math.Hypot(x-s.x, y-s.y); d < bestD {
				best, bestD = ui, d
			}
		}
		s.unit = best
	}
	for _, s := range seeds {
		if s.unit < 0 {
			return nil, fmt.Errorf("demo map: ward %s (%s) is in no 2025 unit", s.code, s.name)
		}
		m.WardUnit[s.code] = m.Spec.Units[s.unit].Code
	}
	// The units formed from other provinces' units grow from their own centroids.
	nWards := len(seeds)
	hasWard := map[int]bool{}
	for _, s := range seeds {
		hasWard[s.unit] = true
	}
	for ui, unit := range m.Spec.Units {
		if hasWard[ui] {
			m.Province[unit.Code] = oldCity
			continue
		}
		m.Province[unit.Code] = majorityProvince(unit)
		s := seed{code: unit.Code, name: unit.Name, district: -1, unit: ui, reach: provinceReachKm, lat: unit.Lat, lon: unit.Lon}
		s.x, s.y = toKm(s.lat, s.lon)
		seeds = append(seeds, s)
	}
	for i := nWards; i < len(seeds); i++ {
		for j := 0; j < i; j++ {
			if math.Hypot(seeds[i].x-seeds[j].x, seeds[i].y-seeds[j].y) < 0.5 {
				moveSeed(seeds, i)
				break
			}
		}
	}
	r := newRaster(seeds)
	if err := r.build(); err != nil {
		return nil, err
	}
	if m.Areas2021, err = r.areas2021(u); err != nil {
		return nil, err
	}
	for ui := range m.Spec.Units {
		unit := &m.Spec.Units[ui]
		in := func(l int32) bool { return l >= 0 && r.seeds[l].unit == ui }
		var box cellBox
		var labelSeed *seed
		for k := range r.seeds {
			if r.seeds[k].unit == ui {
				box = box.union(r.boxes[k])
				if labelSeed == nil {
					labelSeed = &r.seeds[k]
				}
			}
		}
		if labelSeed == nil {
			return nil, fmt.Errorf("demo map: unit %s (%s) has no cells", unit.Code, unit.Name)
		}
		g, err := r.geometry(in, box)
		if err != nil {
			return nil, fmt.Errorf("demo map: unit %s: %w", unit.Code, err)
		}
		unit.Geometry = models.RawJSON(g)
		// The data's centroid when it lies inside the drawing, else a seed's point (always inside).
		if !r.strictlyInside(unit.Lat, unit.Lon, in) {
			unit.Lat, unit.Lon = labelSeed.lat, labelSeed.lon
		}
	}
	return m, nil
}

// majorityProvince is the province most of a unit's sources were in.
func majorityProvince(u models.ReorgUnit) string {
	n := map[string]int{}
	best := ""
	for _, s := range u.From {
		n[s.Province]++
		if n[s.Province] > n[best] || (n[s.Province] == n[best] && s.Province < best) {
			best = s.Province
		}
	}
	return best
}
