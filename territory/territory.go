// Package territory says where a figure counts things across reorganisations of the units
// (docs/areas.md, "Figures across the reform"): the unit a business (or a tip) was in on a day,
// and the units that belong to a programme's territory. It is pure: the store reads the moves,
// the units and their lineage, and its SQL does what UnitOn does.
package territory

import (
	"sort"

	"kiemtra/models"
)

// UnitOn is the unit an entity was in on day: its unit now, unless it moved after the day, when
// it is the unit it left by its first move after the day. Moves are the entity's own, in any
// order; two moves on one date are taken in the order of their ids.
func UnitOn(current string, moves []models.AreaMove, day models.Date) string {
	var first *models.AreaMove
	for i := range moves {
		m := &moves[i]
		if !m.EffectiveOn.After(day) {
			continue
		}
		if first == nil || m.EffectiveOn.Before(first.EffectiveOn) || m.EffectiveOn == first.EffectiveOn && m.ID < first.ID {
			first = m
		}
	}
	if first == nil {
		return current
	}
	return first.FromArea
}

// Set is a set of unit version ids.
type Set map[string]bool

// Sorted lists the set's ids in order.
func (s Set) Sorted() []string {
	out := make([]string, 0, len(s))
	for c := range s {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Of is the territory of a programme that starts on start over the area root: every unit
// version under root (root included) that was in root's subtree on start, or that descends
// from one of those through lineage (a unit formed, in full or in part, from a unit of the
// territory, at any remove). A unit that no reorganisation made (it has no lineage: imported as
// it is) and that had not ended by start counts as the programme's, as every unit under root did
// before units had a lineage. A
// unit formed only from units outside (another province's, merged in) is outside: the
// programme of the old city is the old city's. A programme that starts after a reorganisation
// has the whole subtree of its start.
func Of(areas []*models.Area, lineage []models.AreaLineage, root *models.Area, start models.Date) Set {
	under := func(a *models.Area) bool { return models.PathContains(root.Path, a.Path) }
	made := map[string]bool{}     // units a reorganisation made
	next := map[string][]string{} // source -> units formed from it
	for _, l := range lineage {
		made[l.AreaCode] = true
		next[l.SourceCode] = append(next[l.SourceCode], l.AreaCode)
	}
	out := Set{root.Code: true}
	queue := []string{root.Code}
	for _, a := range areas {
		imported := !made[a.Code] && (a.ValidTo.IsZero() || !a.ValidTo.Before(start))
		if under(a) && (a.Code == root.Code || a.ValidOn(start) || imported) {
			out[a.Code] = true
			queue = append(queue, a.Code)
		}
	}
	for len(queue) > 0 {
		code := queue[0]
		queue = queue[1:]
		for _, n := range next[code] {
			if !out[n] {
				out[n] = true
				queue = append(queue, n)
			}
		}
	}
	// Descendants are kept only under the root: the territory is the programme's area's.
	byCode := make(map[string]*models.Area, len(areas))
	for _, a := range areas {
		byCode[a.Code] = a
	}
	for code := range out {
		if a := byCode[code]; a == nil || !under(a) {
			delete(out, code)
		}
	}
	return out
}

// UnitsOn are the unit versions in force on day under root (root included) that belong to the
// territory (all of them when territory is nil), in path order.
func UnitsOn(areas []*models.Area, root *models.Area, day models.Date, territory Set) []*models.Area {
	var out []*models.Area
	for _, a := range areas {
		if models.PathContains(root.Path, a.Path) && a.ValidOn(day) && (territory == nil || territory[a.Code]) {
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
