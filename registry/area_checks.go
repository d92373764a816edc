package registry

import (
	"context"
	"fmt"

	"kiemtra/geo"
	"kiemtra/models"
)

// areaConsistency finds what new shapes leave inconsistent: children outside their parent and
// businesses outside their unit. These are warnings, not refusals: a planner imports the
// districts of one source before the wards of another, and the registry's positions are
// corrected one business at a time, so refusing would block the very imports that mend them.
type areaConsistency struct {
	rep       *models.AreaImportReport
	byCode    map[string]*models.Area
	inFile    map[string]string // code -> feature
	order     []*models.Area    // the file's areas, then the stored ones
	outlines  map[string]*geo.Outline
	today     models.Date
	todayMap  *geo.AreaIndex
	todayDone bool
}

// consistencyWarnings adds to rep the warnings about the file's areas once they replace the
// stored versions.
func (s *Service) consistencyWarnings(ctx context.Context, rep *models.AreaImportReport, file []*models.Area, stored []*models.Area, featureOf map[string]string) error {
	c := &areaConsistency{rep: rep, byCode: make(map[string]*models.Area, len(stored)+len(file)), inFile: featureOf,
		outlines: map[string]*geo.Outline{}, today: s.today()}
	for _, a := range file {
		c.byCode[a.Code] = a
		c.order = append(c.order, a)
	}
	storedCodes := make(map[string]bool, len(stored))
	for _, a := range stored {
		storedCodes[a.Code] = true
		if _, ok := c.byCode[a.Code]; !ok {
			c.byCode[a.Code] = a
			c.order = append(c.order, a)
		}
	}
	c.children()
	// Businesses reference stored units only: look under the file's stored units that have no
	// ancestor in the file (the others' businesses are found under that ancestor).
	var tops []string
	for _, a := range file {
		if storedCodes[a.Code] && !c.ancestorInFile(a) {
			tops = append(tops, a.Code)
		}
	}
	// A file of a whole province's communes has as many subtrees as units: one query of the
	// registry is then cheaper than one per unit (business() skips what the file does not touch).
	filters := make([]models.BusinessFilter, 0, len(tops))
	if len(tops) > maxSubtreeQueries {
		filters = append(filters, models.BusinessFilter{NoCount: true})
	} else {
		for _, code := range tops {
			filters = append(filters, models.BusinessFilter{Area: code, NoCount: true})
		}
	}
	seen := map[string]bool{}
	for _, f := range filters {
		bs, _, err := s.store.FindBusinesses(ctx, f)
		if err != nil {
			return err
		}
		for _, b := range bs {
			if !seen[b.ID] {
				seen[b.ID] = true
				c.business(b)
			}
		}
	}
	return nil
}

// maxSubtreeQueries is how many subtrees consistencyWarnings queries one by one.
const maxSubtreeQueries = 50

func (c *areaConsistency) warn(w models.AreaImportProblem) {
	if len(c.rep.Warnings) >= models.MaxAreaImportWarnings {
		c.rep.WarningsOmitted++
		return
	}
	c.rep.Warnings = append(c.rep.Warnings, w)
}

func (c *areaConsistency) outline(a *models.Area) *geo.Outline {
	if a.Geometry == "" {
		return nil
	}
	o, ok := c.outlines[a.Code]
	if !ok {
		// A stored geometry was checked when it was imported, and the file's just now.
		o, _ = geo.NewOutline(a.Geometry)
		c.outlines[a.Code] = o
	}
	return o
}

func (c *areaConsistency) ancestorInFile(a *models.Area) bool {
	seen := map[string]bool{}
	for p := a.ParentCode; p != nil && !seen[*p]; {
		seen[*p] = true
		if _, ok := c.inFile[*p]; ok {
			return true
		}
		parent := c.byCode[*p]
		if parent == nil {
			return false
		}
		p = parent.ParentCode
	}
	return false
}

// children checks every child against its parent where one of the two is in the file.
func (c *areaConsistency) children() {
	for _, ch := range c.order {
		if ch.ParentCode == nil {
			continue
		}
		p := c.byCode[*ch.ParentCode]
		_, childIn := c.inFile[ch.Code]
		_, parentIn := c.inFile[*ch.ParentCode]
		if p == nil || (!childIn && !parentIn) || !p.OverlapsInTime(ch) {
			continue
		}
		o := c.outline(p)
		if o == nil {
			continue
		}
		n, err := o.Nest(ch)
		if err != nil {
			continue
		}
		feature := c.inFile[ch.Code]
		if feature == "" {
			feature = c.inFile[p.Code]
		}
		switch {
		case n.Outside:
			c.warn(models.AreaImportProblem{Feature: feature, Code: ch.Code, Kind: models.AreaWarningChildOutside, Other: p.Code,
				Message:   fmt.Sprintf("%s (%s) lies outside its parent %s (%s): its point at lat %.6f, lon %.6f is not inside the parent", ch.Code, ch.Name, p.Code, p.Name, n.At[0], n.At[1]),
				MessageVI: fmt.Sprintf("%s (%s) nằm ngoài đơn vị cấp trên %s (%s): điểm tại vĩ độ %.6f, kinh độ %.6f không thuộc đơn vị cấp trên", ch.Code, ch.Name, p.Code, p.Name, n.At[0], n.At[1])})
		case n.Beyond:
			c.warn(models.AreaImportProblem{Feature: feature, Code: ch.Code, Kind: models.AreaWarningChildBeyond, Other: p.Code,
				Message: fmt.Sprintf("%s (%s) reaches more than 50 m beyond its parent %s (%s) near lat %.6f, lon %.6f (%.0f%% of its boundary points)",
					ch.Code, ch.Name, p.Code, p.Name, n.At[0], n.At[1], 100*n.Share),
				MessageVI: fmt.Sprintf("%s (%s) vượt ra ngoài đơn vị cấp trên %s (%s) hơn 50 m gần vĩ độ %.6f, kinh độ %.6f (%.0f%% số điểm ranh giới)",
					ch.Code, ch.Name, p.Code, p.Name, n.At[0], n.At[1], 100*n.Share)})
		}
	}
}

// business checks a business against its unit and the unit's ancestors that are in the file,
// and reports the smallest one it lies outside.
func (c *areaConsistency) business(b *models.Business) {
	seen := map[string]bool{}
	for code := b.AreaCode; code != "" && !seen[code]; {
		seen[code] = true
		u := c.byCode[code]
		if u == nil {
			return
		}
		if _, in := c.inFile[code]; in {
			if o := c.outline(u); o != nil && !o.Contains(b.Lat, b.Lon) {
				where, whereVI := c.whereNow(b)
				c.warn(models.AreaImportProblem{Feature: c.inFile[code], Code: u.Code, Kind: models.AreaWarningBusinessOutside, Other: b.ID,
					Message:   fmt.Sprintf("business %s (%s) at lat %.6f, lon %.6f is outside its unit %s (%s) %s", b.ID, b.Name, b.Lat, b.Lon, u.Code, u.Name, where),
					MessageVI: fmt.Sprintf("cơ sở %s (%s) tại vĩ độ %.6f, kinh độ %.6f nằm ngoài đơn vị %s (%s) %s", b.ID, b.Name, b.Lat, b.Lon, u.Code, u.Name, whereVI)})
				return
			}
		}
		if u.ParentCode == nil {
			return
		}
		code = *u.ParentCode
	}
}

// whereNow says which unit in force today holds the business once the file is applied.
func (c *areaConsistency) whereNow(b *models.Business) (en, vi string) {
	if !c.todayDone {
		c.todayDone = true
		var today []*models.Area
		for _, a := range c.order {
			if a.ValidOn(c.today) {
				today = append(today, a)
			}
		}
		c.todayMap, _ = geo.NewAreaIndex(today)
	}
	if a := c.todayMap.Locate(b.Lat, b.Lon); a != nil {
		return fmt.Sprintf("and inside %s (%s)", a.Code, a.Name), fmt.Sprintf("và thuộc %s (%s)", a.Code, a.Name)
	}
	return "and inside no unit in force today", "và không thuộc đơn vị nào đang có hiệu lực"
}
