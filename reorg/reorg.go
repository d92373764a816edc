// Package reorg plans the reorganisation of administrative units (docs/areas.md): from a
// reorganisation's spec and the state of the database, the unit versions it starts and ends,
// where every business and tip goes, what a person must decide first, and what is wrong with it.
// It is a pure function: the store applies the plan in one transaction.
package reorg

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"kiemtra/geo"
	"kiemtra/models"
)

// State is what the plan reads from the database.
type State = models.ReorgState

// Plan is what applying a reorganisation does.
type Plan struct {
	Report   models.ReorgReport
	NewAreas []*models.Area               // with their version ids and parents; the store computes paths
	Ending   []string                     // versions that end the day before the date
	Moves    []models.ReorgMove           // businesses and tips that change unit
	Items    map[string]*models.ReorgItem // by kind/subject

	valid map[string]*models.Area // the versions in force the day before
}

// ItemKey is the key of an item in Plan.Items.
func ItemKey(kind, subject string) string { return kind + "/" + subject }

// Make plans spec over st. settled are the decisions already taken (by ItemKey); an item they
// settle is planned as settled. Make never fails: what is wrong is in Report.Problems.
func Make(spec models.ReorgSpec, st State, settled map[string]*models.ReorgItem) *Plan {
	p := &planner{spec: spec, st: st, settled: settled, plan: &Plan{Items: map[string]*models.ReorgItem{}}}
	p.run()
	return p.plan
}

type planner struct {
	spec    models.ReorgSpec
	st      State
	settled map[string]*models.ReorgItem
	plan    *Plan

	byCode    map[string]*models.Area // every version by id
	before    models.Date             // the day before the date
	valid     map[string]*models.Area // versions in force on the day before, by id
	official  map[string]*models.Area // versions in force on the day before, by official code
	parent    *models.Area
	newByGSO  map[string]*models.Area
	targets   map[string][]string // source version id -> new unit ids (in file order)
	fullOf    map[string]string   // source version id -> the new unit it went to in full
	ending    map[string]bool
	index     *geo.AreaIndex // the new units that have polygons
	centroids map[string][2]float64
	root      *models.Area
	level     string // the new units' level
}

func (p *planner) problem(unit, source, kind, en, vi string, args ...any) {
	p.plan.Report.Problems = append(p.plan.Report.Problems, models.ReorgProblem{Unit: unit, Source: source, Kind: kind,
		Message: fmt.Sprintf(en, args...), MessageVI: fmt.Sprintf(vi, args...)})
}

func (p *planner) run() {
	r := &p.plan.Report
	r.Name, r.EffectiveOn = p.spec.Name, p.spec.EffectiveOn
	r.Units, r.Ending, r.External, r.Problems = []models.ReorgUnitReport{}, []string{}, []string{}, []models.ReorgProblem{}
	r.Reviews, r.Teams, r.Users = []*models.ReorgItem{}, []*models.ReorgItem{}, []*models.ReorgItem{}
	if p.spec.EffectiveOn.IsZero() {
		p.problem("", "", "no_date", "the reorganisation has no effective date (effective_on)", "thiếu ngày có hiệu lực (effective_on)")
		return
	}
	p.before = p.spec.EffectiveOn.AddDays(-1)
	p.index_()
	p.plan.valid = p.valid
	if !p.resolveParent() {
		return
	}
	p.newUnits()
	p.sources()
	p.endings()
	p.placeBusinesses()
	p.placeTips()
	p.mapTeams()
	p.mapUsers()
	p.counts()
	sort.Strings(r.Ending)
	sort.SliceStable(r.Problems, func(i, j int) bool {
		a, b := r.Problems[i], r.Problems[j]
		return a.Kind+"\x00"+a.Unit+"\x00"+a.Source < b.Kind+"\x00"+b.Unit+"\x00"+b.Source
	})
	for _, it := range p.plan.Items {
		if it.Settled == "" {
			r.Open++
		}
	}
}

func (p *planner) index_() {
	p.byCode = map[string]*models.Area{}
	p.valid = map[string]*models.Area{}
	p.official = map[string]*models.Area{}
	for _, a := range p.st.Areas {
		p.byCode[a.Code] = a
		if a.ValidOn(p.before) {
			p.valid[a.Code] = a
			p.official[a.OfficialCode()] = a
		}
	}
}

func (p *planner) resolveParent() bool {
	code := p.spec.Parent
	if code == "" {
		// Without a parent the new units sit under the root in force the day before.
		for _, a := range p.valid {
			if a.ParentCode == nil {
				if p.root != nil {
					p.problem("", "", "no_parent", "the database holds several roots: say which unit the new units sit under (parent)", "cơ sở dữ liệu có nhiều đơn vị gốc: hãy chỉ rõ đơn vị cấp trên của các đơn vị mới (parent)")
					return false
				}
				p.root = a
			}
		}
		p.parent = p.root
	} else if a := p.official[code]; a != nil {
		p.parent = a
	} else if a := p.valid[code]; a != nil {
		p.parent = a
	}
	if p.parent == nil {
		p.problem("", p.spec.Parent, "unknown_parent", "the parent unit %q is not in force on %s", "đơn vị cấp trên %q không có hiệu lực vào ngày %s", p.spec.Parent, p.before)
		return false
	}
	return true
}

// typeOf takes the type from the start of a Vietnamese unit name.
func typeOf(name string) string {
	for _, t := range []string{"Phường", "Xã", "Thị trấn", "Đặc khu", "Quận", "Huyện", "Thị xã", "Thành phố"} {
		if strings.HasPrefix(name, t+" ") {
			return t
		}
	}
	return ""
}

func (p *planner) newUnits() {
	level := p.spec.Level
	if level == "" {
		level = models.AreaLevelCommune
	}
	p.level = level
	p.newByGSO = map[string]*models.Area{}
	p.centroids = map[string][2]float64{}
	taken := map[string]bool{}
	for code := range p.byCode {
		taken[code] = true
	}
	var withShape []*models.Area
	for i, u := range p.spec.Units {
		u.Code, u.Name = strings.TrimSpace(u.Code), models.NFC(strings.TrimSpace(u.Name))
		switch {
		case u.Code == "":
			p.problem("", "", "invalid_unit", "unit %d has no code", "đơn vị thứ %d không có mã", i+1)
			continue
		case u.Name == "":
			p.problem(u.Code, "", "invalid_unit", "unit %s has no name", "đơn vị %s không có tên", u.Code)
		case p.newByGSO[u.Code] != nil:
			p.problem(u.Code, "", "duplicate_unit", "unit %s is listed twice", "đơn vị %s được liệt kê hai lần", u.Code)
			continue
		case len(u.From) == 0:
			p.problem(u.Code, "", "no_sources", "unit %s lists no unit it was formed from", "đơn vị %s không có đơn vị nguồn nào", u.Code)
		}
		if err := models.ValidateLatLon(u.Lat, u.Lon); err != nil || (u.Lat == 0 && u.Lon == 0) {
			p.problem(u.Code, "", "invalid_unit", "unit %s has no valid lat/lon", "đơn vị %s không có tọa độ hợp lệ", u.Code)
		}
		id := u.Code
		if taken[id] {
			id = fmt.Sprintf("%s@%d", u.Code, p.spec.EffectiveOn.Year)
			if taken[id] {
				id = u.Code + "@" + p.spec.EffectiveOn.String()
			}
		}
		taken[id] = true
		typ := u.TypeName
		if typ == "" {
			typ = typeOf(u.Name)
		}
		parent := p.parent.Code
		a := &models.Area{Code: id, GSOCode: u.Code, ParentCode: &parent, Name: u.Name, TypeName: typ, Level: level, Lat: u.Lat, Lon: u.Lon,
			ValidFrom: p.spec.EffectiveOn, Geometry: string(u.Geometry)}
		p.newByGSO[u.Code] = a
		p.centroids[id] = [2]float64{u.Lat, u.Lon}
		p.plan.NewAreas = append(p.plan.NewAreas, a)
		if len(u.Geometry) > 0 {
			withShape = append(withShape, a)
		}
		p.plan.Report.Units = append(p.plan.Report.Units, models.ReorgUnitReport{Code: id, GSOCode: u.Code, Name: u.Name, TypeName: typ, Lat: u.Lat, Lon: u.Lon, Geometry: u.Geometry, FullFrom: []string{}, PartFrom: []string{}})
	}
	for _, g := range geo.ValidateAreaGeometries(withShape) {
		p.problem(g.Code, g.Other, g.Kind, "unit %[1]s: %[2]s", "đơn vị %[1]s: %[3]s", g.Code, g.Message, g.MessageVI)
	}
	if len(withShape) > 0 {
		x, err := geo.NewAreaIndex(withShape)
		if err != nil {
			e := models.ErrorAs(err)
			p.problem("", "", "invalid_geometry", "%[1]s", "%[2]s", e.Message, e.MessageVI)
		} else {
			p.index = x
		}
	}
}

// external reports whether a source lies outside this database: another province's unit, which
// the database never held (the merged Hau Giang and Soc Trang in Can Tho's). Its territory joins
// the new unit with no business registered here.
func (p *planner) external(s models.ReorgSource) bool {
	root := p.root
	if root == nil {
		root = p.parent
		for root.ParentCode != nil && p.byCode[*root.ParentCode] != nil {
			root = p.byCode[*root.ParentCode]
		}
	}
	return s.Province != "" && !strings.EqualFold(models.NFC(strings.TrimSpace(s.Province)), root.Name)
}

func (p *planner) sources() {
	p.targets = map[string][]string{}
	p.fullOf = map[string]string{}
	for _, u := range p.spec.Units {
		a := p.newByGSO[strings.TrimSpace(u.Code)]
		if a == nil {
			continue
		}
		rep := &p.plan.Report.Units[slices.IndexFunc(p.plan.Report.Units, func(r models.ReorgUnitReport) bool { return r.Code == a.Code })]
		for _, s := range u.From {
			s.Code = strings.TrimSpace(s.Code)
			src := p.official[s.Code]
			if src == nil {
				switch old := p.byCode[s.Code]; {
				case old != nil && !old.ValidTo.IsZero() && old.ValidTo.Before(p.before):
					p.problem(a.GSOCode, s.Code, "source_ended", "unit %s: the source %s (%s) ended on %s, before the date", "đơn vị %s: đơn vị nguồn %s (%s) đã hết hiệu lực ngày %s, trước ngày có hiệu lực", a.GSOCode, s.Code, old.Name, old.ValidTo)
				case old != nil && old.ValidFrom.After(p.before):
					p.problem(a.GSOCode, s.Code, "date_before_start", "unit %s: the date %s is before the start of the source %s (%s), %s", "đơn vị %s: ngày %s sớm hơn ngày bắt đầu của đơn vị nguồn %s (%s) là %s", a.GSOCode, p.spec.EffectiveOn, s.Code, old.Name, old.ValidFrom)
				case p.external(s):
					if !slices.Contains(p.plan.Report.External, s.Code) {
						p.plan.Report.External = append(p.plan.Report.External, s.Code)
					}
				default:
					p.problem(a.GSOCode, s.Code, "unknown_source", "unit %s: the source %s is not a unit of this database in force on %s", "đơn vị %s: đơn vị nguồn %s không phải đơn vị có hiệu lực vào ngày %s trong cơ sở dữ liệu", a.GSOCode, strings.TrimSpace(s.Code+" "+paren(s.Name)), p.before)
				}
				continue
			}
			if src.Code == p.parent.Code || models.PathContains(src.Path, p.parent.Path) {
				p.problem(a.GSOCode, s.Code, "invalid_source", "unit %s: the source %s is the new units' parent or above it", "đơn vị %s: đơn vị nguồn %s là đơn vị cấp trên của các đơn vị mới", a.GSOCode, s.Code)
				continue
			}
			switch s.Part {
			case models.PartFull:
				if other, twice := p.fullOf[src.Code]; twice {
					p.problem(a.GSOCode, s.Code, "full_twice", "the source %s went in full to two units: %s and %s", "đơn vị nguồn %s được nhập toàn bộ vào hai đơn vị: %s và %s", s.Code, other, a.GSOCode)
					continue
				}
				p.fullOf[src.Code] = a.Code
				rep.FullFrom = append(rep.FullFrom, src.Code)
			case models.PartPartial:
				rep.PartFrom = append(rep.PartFrom, src.Code)
			default:
				p.problem(a.GSOCode, s.Code, "invalid_part", "unit %s, source %s: part must be full or partial, not %q", "đơn vị %s, nguồn %s: phần phải là full hoặc partial, không phải %q", a.GSOCode, s.Code, s.Part)
				continue
			}
			p.targets[src.Code] = append(p.targets[src.Code], a.Code)
		}
	}
	for src, ts := range p.targets {
		if full, ok := p.fullOf[src]; ok && len(ts) > 1 {
			p.problem(full, src, "full_and_partial", "the source %s went in full to %s but also to other units", "đơn vị nguồn %s được nhập toàn bộ vào %s nhưng cũng vào đơn vị khác", src, full)
		}
	}
}

// endings: every source ends, and every unit above them (below the parent) whose every child
// in force ends.
func (p *planner) endings() {
	p.ending = map[string]bool{}
	for src := range p.targets {
		p.ending[src] = true
	}
	children := map[string][]string{}
	for _, a := range p.valid {
		if a.ParentCode != nil {
			children[*a.ParentCode] = append(children[*a.ParentCode], a.Code)
		}
	}
	for changed := true; changed; {
		changed = false
		for code, kids := range children {
			if p.ending[code] || code == p.parent.Code || models.PathContains(p.valid[code].Path, p.parent.Path) {
				continue
			}
			all := true
			for _, k := range kids {
				all = all && p.ending[k]
			}
			if all {
				p.ending[code], changed = true, true
			}
		}
	}
	// A unit that stays in force beside ending siblings is one the spec forgot: it would sit
	// under the old map beside the new one.
	for code, kids := range children {
		ended := 0
		for _, k := range kids {
			if p.ending[k] {
				ended++
			}
		}
		if ended == 0 || ended == len(kids) {
			continue
		}
		for _, k := range kids {
			if !p.ending[k] {
				a := p.valid[k]
				// Under the parent, a unit of the new units' level is a neighbour the
				// reorganisation keeps (one commune split, the others left as they are), not
				// a piece of the old map.
				if code == p.parent.Code && a.Level == p.level {
					continue
				}
				p.problem("", k, "left_in_force", "%s (%s) is not a source of any new unit, while its neighbours under %s are: it would stay in force beside the new units",
					"%s (%s) không là đơn vị nguồn của đơn vị mới nào, trong khi các đơn vị cùng cấp thuộc %s thì có: nó sẽ còn hiệu lực bên cạnh các đơn vị mới", k, a.Name, code)
			}
		}
	}
	for code := range p.ending {
		p.plan.Ending = append(p.plan.Ending, code)
		p.plan.Report.Ending = append(p.plan.Report.Ending, code)
	}
	sort.Strings(p.plan.Ending)
}

// nearest is the candidate whose centre is nearest to the point.
func (p *planner) nearest(cands []string, lat, lon float64) string {
	best, bestD := "", math.Inf(1)
	for _, c := range cands {
		ct := p.centroids[c]
		if d := geo.DistanceM(lat, lon, ct[0], ct[1]); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// paren is "(name)", or "" for no name.
func paren(name string) string {
	if name == "" {
		return ""
	}
	return "(" + name + ")"
}

func jsonList(codes []string) string {
	if codes == nil {
		codes = []string{}
	}
	b, _ := json.Marshal(codes)
	return string(b)
}

// ParseList reads a JSON array of unit codes as ReorgItem stores them.
func ParseList(s string) []string {
	var out []string
	if s == "" || json.Unmarshal([]byte(s), &out) != nil {
		return nil
	}
	return out
}

func (p *planner) addItem(it *models.ReorgItem) {
	if s := p.settled[ItemKey(it.Kind, it.SubjectID)]; s != nil && s.Settled != "" {
		it.Settled, it.SettledBy, it.SettledAt = s.Settled, s.SettledBy, s.SettledAt
	}
	p.plan.Items[ItemKey(it.Kind, it.SubjectID)] = it
	switch it.Kind {
	case models.ReorgItemReview:
		p.plan.Report.Reviews = append(p.plan.Report.Reviews, it)
	case models.ReorgItemTeam:
		p.plan.Report.Teams = append(p.plan.Report.Teams, it)
	case models.ReorgItemUser:
		p.plan.Report.Users = append(p.plan.Report.Users, it)
	}
}

func (p *planner) unitReport(code string) *models.ReorgUnitReport {
	for i := range p.plan.Report.Units {
		if p.plan.Report.Units[i].Code == code {
			return &p.plan.Report.Units[i]
		}
	}
	return nil
}

// target decides where a place in an ending unit goes: the one target of a full source; else,
// among the candidates, the unit whose polygon holds its position; else the candidate nearest to
// it (listed for review when review is set), or the first one for a place without a position.
// It returns "" with a problem recorded when there is no candidate at all.
func (p *planner) target(kind string, pl models.ReorgPlace, review bool) string {
	cands := p.targets[pl.AreaCode]
	if len(cands) == 1 {
		return cands[0]
	}
	if len(cands) == 0 {
		// A place in a unit above the sources (a business registered in a district): every new
		// unit is a candidate, by its position.
		if !pl.HasPoint {
			kindVI := map[string]string{"business": "cơ sở", "tip": "tin báo"}[kind]
			p.problem("", pl.AreaCode, "no_target", "%[1]s %[3]s in %[4]s has no unit to go to: its unit ends and it has no position",
				"%[2]s %[3]s thuộc %[4]s không có đơn vị nào để chuyển tới: đơn vị của nó kết thúc và nó không có vị trí", kind, kindVI, pl.ID, pl.AreaCode)
			return ""
		}
		for _, a := range p.plan.NewAreas {
			cands = append(cands, a.Code)
		}
	}
	if pl.HasPoint && p.index != nil {
		for _, c := range cands {
			if p.index.Contains(c, pl.Lat, pl.Lon) {
				if r := p.unitReport(c); r != nil && kind == "business" {
					r.ByPolygon++
				}
				return c
			}
		}
	}
	best := cands[0]
	if pl.HasPoint {
		best = p.nearest(cands, pl.Lat, pl.Lon)
	}
	if !review {
		return best
	}
	it := &models.ReorgItem{Kind: models.ReorgItemReview, SubjectID: pl.ID, Current: jsonList([]string{pl.AreaCode}), Candidates: jsonList(cands), Proposed: jsonList([]string{best})}
	p.addItem(it)
	if s := ParseList(it.Settled); len(s) == 1 {
		best = s[0]
	}
	if r := p.unitReport(best); r != nil {
		r.ToReview++
	}
	return best
}

func (p *planner) placeBusinesses() {
	for _, b := range p.st.Businesses {
		if !p.ending[b.AreaCode] {
			continue
		}
		to := p.target("business", b, true)
		if to == "" {
			continue
		}
		p.plan.Moves = append(p.plan.Moves, models.ReorgMove{EntityType: "business", EntityID: b.ID, From: b.AreaCode, To: to})
		p.plan.Report.MovedBusinesses++
		if r := p.unitReport(to); r != nil {
			r.Businesses++
		}
	}
}

func (p *planner) placeTips() {
	bizTo := map[string]string{}
	for _, m := range p.plan.Moves {
		bizTo[m.EntityID] = m.To
	}
	for _, t := range p.st.Tips {
		if !p.ending[t.AreaCode] {
			continue
		}
		to := bizTo[t.BusinessID]
		if to == "" {
			to = p.target("tip", t, false)
		}
		if to == "" {
			continue
		}
		p.plan.Moves = append(p.plan.Moves, models.ReorgMove{EntityType: "tip", EntityID: t.ID, From: t.AreaCode, To: to})
		p.plan.Report.MovedTips++
	}
}

// successors are the new units an ending unit's territory went to: its own targets, or those of
// the sources below it.
func (p *planner) successors(code string) []string {
	a := p.valid[code]
	var out []string
	for src, ts := range p.targets {
		s := p.valid[src]
		if src == code || (a != nil && s != nil && models.PathContains(a.Path, s.Path)) {
			for _, t := range ts {
				if !slices.Contains(out, t) {
					out = append(out, t)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func (p *planner) mapTeams() {
	for _, t := range p.st.Teams {
		var keep, cands []string
		affected := false
		for _, u := range t.Units {
			if p.ending[u] {
				affected = true
				for _, s := range p.successors(u) {
					if !slices.Contains(cands, s) {
						cands = append(cands, s)
					}
				}
			} else {
				keep = append(keep, u)
			}
		}
		if !affected {
			continue
		}
		proposed := append(append([]string(nil), keep...), cands...)
		sort.Strings(proposed)
		p.addItem(&models.ReorgItem{Kind: models.ReorgItemTeam, SubjectID: t.ID, Current: jsonList(t.Units), Candidates: jsonList(proposed), Proposed: jsonList(proposed)})
	}
}

func (p *planner) mapUsers() {
	for _, u := range p.st.Users {
		if !p.ending[u.AreaCode] {
			continue
		}
		succ := p.successors(u.AreaCode)
		proposed := []string{p.parent.Code}
		if len(succ) == 1 {
			proposed = succ
		}
		cands := append(append([]string(nil), succ...), p.parent.Code)
		p.addItem(&models.ReorgItem{Kind: models.ReorgItemUser, SubjectID: u.ID, Current: jsonList([]string{u.AreaCode}), Candidates: jsonList(cands), Proposed: jsonList(proposed)})
	}
}

func (p *planner) counts() {
	r := &p.plan.Report
	r.Before = models.ReorgCounts{Businesses: len(p.st.Businesses), OpenTasks: p.st.OpenTasks, Tips: len(p.st.Tips)}
	// A move changes a unit, never the number of records: after = before by construction, and
	// the store checks it again after applying.
	r.After = r.Before
}
