package registry

import (
	"fmt"
	"slices"
	"strings"

	"kiemtra/geo"
	"kiemtra/models"
)

// areaResolver matches the features of a boundary file to the stored unit versions
// (docs/areas.md, "Importing boundaries"): which version each feature replaces or which new
// version it makes, under which parent version, at which level. It is pure: the caller passes
// every stored version and the day that "today" means.
type areaResolver struct {
	today       models.Date
	defaultFrom models.Date // the start of features that give none
	versionIDs  bool        // the file's codes are version ids (kiemtra's own naming)
	features    []*models.ImportedArea
	stored      []*models.Area
	byCode      map[string]*models.Area   // stored, by version id
	byGSO       map[string][]*models.Area // stored, by official code
	children    map[string][]*models.Area // stored, by parent version id ("" for roots)

	state   []int8 // per feature: 0 not yet, 1 resolving, 2 done
	out     []*models.Area
	tier    []int
	units   []models.AreaImportUnit
	claimed map[string]int // version id -> the feature that resolved to it
	taken   map[string]bool
	byRef   map[string]int
	// fileByCode lists the features by the code the file gives them.
	fileByCode map[string][]int
	// located caches the indexes of possible parents that locateParent searches, by the tier
	// and the validity of the feature located.
	located map[locateKey]*locateIndex
	// byNames caches candidatesByNames.
	byNames map[string][]parentCand

	problems []models.AreaImportProblem
}

func newAreaResolver(features []*models.ImportedArea, stored []*models.Area, today, defaultFrom models.Date) *areaResolver {
	r := &areaResolver{
		today: today, defaultFrom: defaultFrom, features: features, stored: stored,
		byCode: make(map[string]*models.Area, len(stored)), byGSO: map[string][]*models.Area{}, children: map[string][]*models.Area{},
		state: make([]int8, len(features)), out: make([]*models.Area, len(features)), tier: make([]int, len(features)),
		units: make([]models.AreaImportUnit, len(features)), claimed: map[string]int{}, taken: map[string]bool{}, byRef: map[string]int{},
		fileByCode: map[string][]int{}, located: map[locateKey]*locateIndex{}, byNames: map[string][]parentCand{},
	}
	for _, a := range stored {
		r.byCode[a.Code] = a
		r.byGSO[a.OfficialCode()] = append(r.byGSO[a.OfficialCode()], a)
		r.children[parentKey(a.ParentCode)] = append(r.children[parentKey(a.ParentCode)], a)
		r.taken[a.Code] = true
	}
	for i, f := range features {
		if f.Area.Code != "" {
			r.fileByCode[f.Area.Code] = append(r.fileByCode[f.Area.Code], i)
		}
		if f.Ref != "" {
			if _, dup := r.byRef[f.Ref]; !dup {
				r.byRef[f.Ref] = i
			}
		}
	}
	return r
}

func parentKey(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// resolveAll resolves every feature: those that name their parent first (recursively, parents
// before children), then those whose parent is the unit that holds them, from the largest tier
// down, so that a ward can be located in a district of the same file.
func (r *areaResolver) resolveAll() {
	var locate []int
	for i, f := range r.features {
		if f.LocateParent {
			locate = append(locate, i)
			continue
		}
		r.resolve(i)
	}
	slices.SortStableFunc(locate, func(a, b int) int { return r.features[a].Tier - r.features[b].Tier })
	for _, i := range locate {
		r.resolve(i)
	}
}

func (r *areaResolver) problem(f *models.ImportedArea, kind, other, en, vi string, args ...any) {
	r.problems = append(r.problems, models.AreaImportProblem{Feature: f.Field, Code: f.Label(), Kind: kind, Other: other,
		Message: fmt.Sprintf(en, args...), MessageVI: fmt.Sprintf(vi, args...)})
}

// resolve resolves feature i and returns its area, or nil when it has a problem.
func (r *areaResolver) resolve(i int) *models.Area {
	switch r.state[i] {
	case 2:
		return r.out[i]
	case 1:
		f := r.features[i]
		r.problem(f, models.AreaProblemInvalidProperty, "", "%s is its own ancestor", "%s là cấp trên của chính nó", f.Label())
		return nil
	}
	r.state[i] = 1
	a := r.resolveFeature(i)
	r.state[i], r.out[i] = 2, a
	return a
}

func (r *areaResolver) resolveFeature(i int) *models.Area {
	f := r.features[i]
	a := f.Area // a copy: the feature stays as the file said
	a.Name, a.TypeName = models.NFC(a.Name), models.NFC(a.TypeName)
	// w is the period the feature describes: its dates, or from the import's default start. A
	// stored version keeps its own dates unless the file gives some.
	w := a
	if w.ValidFrom.IsZero() {
		w.ValidFrom = r.defaultFrom
	}
	var match *models.Area
	byName := false
	var parent *models.Area
	parentTier := models.TierUnknown
	parentGiven := f.ParentRef != "" || len(f.ParentNames) > 0 || a.ParentCode != nil

	// A code says which unit; its version is found first, since the parent is the one in force
	// over that version's validity.
	if a.Code != "" {
		var ok bool
		if match, ok = r.versionOf(f, &a, &w); !ok {
			return nil
		}
	}
	window := w
	if match != nil {
		window = merged(match, &w, false)
	}
	switch {
	case parentGiven:
		var ok bool
		if parent, parentTier, ok = r.parentOf(f, &window); !ok {
			return nil
		}
	case f.LocateParent:
		parent, parentTier = r.locateParent(f, &window)
		if parent == nil && match == nil && f.Tier > models.TierProvince {
			r.problem(f, models.AreaProblemInvalidProperty, "", "no unit of a higher level in force at the time holds %s (%s); import the units above it first, or name its parent (--property parent=PROPERTY)",
				"không có đơn vị cấp trên nào có hiệu lực vào thời điểm đó chứa %s (%s); hãy nhập các đơn vị cấp trên trước, hoặc chỉ rõ thuộc tính cấp trên (--property parent=THUỘC_TÍNH)", f.Label(), a.Name)
			return nil
		}
	}
	if a.Code == "" {
		var ok bool
		if match, ok = r.matchByName(f, &a, &w, parent); !ok {
			return nil
		}
		byName = true
	}
	levelGiven := a.Level != ""
	if !levelGiven {
		a.Level = models.LevelOfTier(f.Tier, a.TypeName, parentTier)
	}
	if parent != nil {
		pc := parent.Code
		a.ParentCode = &pc
	}
	var out models.Area
	action := models.AreaActionCreated
	switch {
	case match != nil:
		if prev, dup := r.claimed[match.Code]; dup {
			r.problem(f, models.AreaProblemAmbiguous, match.Code, "%s is unit %s (%s), which %s is too", "%s là đơn vị %s (%s), đơn vị này cũng là %s",
				f.Label(), match.Code, match.Name, r.features[prev].Field)
			return nil
		}
		out = merged(match, &a, byName)
		if !levelGiven {
			out.Level = match.Level
		}
		action = models.AreaActionUpdated
	default:
		out = a
		out.ValidFrom = w.ValidFrom
		code, ok := r.newVersionID(f, &out)
		if !ok {
			return nil
		}
		out.Code, out.GSOCode = code, gsoOf(a.Code)
		if r.byGSO[out.GSOCode] != nil {
			action = models.AreaActionNewVersion
		}
	}
	if !validLevel(out.Level) {
		r.problem(f, models.AreaProblemInvalidProperty, "", "level must be city, district, ward or another word of letters", "cấp phải là city, district, ward hoặc một từ chỉ gồm chữ cái")
		return nil
	}
	r.claimed[out.Code], r.taken[out.Code] = i, true
	r.tier[i] = f.Tier
	if r.tier[i] == models.TierUnknown {
		r.tier[i] = models.TierOfLevel(out.Level)
	}
	r.units[i] = models.AreaImportUnit{Feature: f.Field, Ref: f.Ref, Code: out.Code, GSOCode: out.OfficialCode(), Name: out.Name, Level: out.Level,
		ParentCode: out.ParentCode, ValidFrom: out.ValidFrom, ValidTo: out.ValidTo, Action: action}
	return &out
}

// merged is the stored version s replaced by the file's a: what the file does not say (the
// dates, the type) stays as stored. A unit found by its name keeps its stored name, which is
// the official one; the file only brings its shape.
func merged(s, a *models.Area, keepName bool) models.Area {
	out := *s
	if !keepName && a.Name != "" {
		out.Name = a.Name
	}
	if a.TypeName != "" {
		out.TypeName = a.TypeName
	}
	if a.Level != "" {
		out.Level = a.Level
	}
	if a.ParentCode != nil {
		out.ParentCode = a.ParentCode
	}
	if a.Geometry != "" {
		out.Geometry, out.Lat, out.Lon = a.Geometry, a.Lat, a.Lon
	}
	if !a.ValidFrom.IsZero() {
		out.ValidFrom = a.ValidFrom
	}
	if !a.ValidTo.IsZero() {
		out.ValidTo = a.ValidTo
	}
	if out.GSOCode == "" {
		out.GSOCode = s.Code
	}
	return out
}

func gsoOf(code string) string {
	if i := strings.IndexByte(code, '@'); i >= 0 {
		return code[:i]
	}
	return code
}

func hasDates(a *models.Area) bool { return !a.ValidFrom.IsZero() || !a.ValidTo.IsZero() }

// versionOf finds the stored version a feature with a code replaces: nil (and ok) when it makes
// a new one. kiemtra's own files hold version ids (versionIDs), so a stored version with
// exactly that id is the one, unless the file's dates put the feature in another period;
// otherwise the code is an official code and the version is chosen by pickVersion.
func (r *areaResolver) versionOf(f *models.ImportedArea, a, w *models.Area) (*models.Area, bool) {
	s := r.byCode[a.Code]
	if models.IsVersionID(a.Code) || (r.versionIDs && s != nil && (!hasDates(w) || s.OverlapsInTime(w))) {
		return s, true
	}
	return r.pickVersion(f, r.byGSO[a.Code], a, w)
}

// pickVersion chooses among the stored versions of one unit the one a feature (a, over the
// period w) replaces. With dates, it is the version valid over a common day (two: ambiguous;
// none: a new version). Without, it is the one the name matches when the versions have
// different names (a code reused after a reorganisation), else the one in force today, else
// the only one if the name fits: a file without dates that names a unit no longer in force
// otherwise may well be the new unit that reuses its code.
func (r *areaResolver) pickVersion(f *models.ImportedArea, cands []*models.Area, a, w *models.Area) (*models.Area, bool) {
	if len(cands) == 0 {
		return nil, true
	}
	var pick []*models.Area
	if hasDates(w) {
		for _, c := range cands {
			if c.OverlapsInTime(w) {
				pick = append(pick, c)
			}
		}
		if len(pick) == 0 {
			return nil, true
		}
	} else {
		if len(cands) > 1 && a.Name != "" {
			for _, c := range cands {
				if models.SameUnitName(c.Name, a.Name) > 0 {
					pick = append(pick, c)
				}
			}
		}
		if len(pick) != 1 {
			pick = nil
			for _, c := range cands {
				if c.ValidOn(r.today) {
					pick = append(pick, c)
				}
			}
		}
		if len(pick) == 0 && len(cands) == 1 {
			if c := cands[0]; a.Name != "" && models.SameUnitName(c.Name, a.Name) == 0 {
				r.problem(f, models.AreaProblemAmbiguous, c.Code, "%s is stored as %s (%s), no longer in force, and the file names it %s: give valid_from (or --valid-from) for the new unit that reuses the code, or the old dates to replace the old unit",
					"%s được lưu là %s (%s), không còn hiệu lực, còn tệp ghi là %s: hãy cho valid_from (hoặc --valid-from) nếu đây là đơn vị mới dùng lại mã, hoặc thời hạn cũ nếu muốn thay đơn vị cũ", f.Label(), c.Name, c.Validity(), a.Name)
				return nil, false
			}
			pick = cands
		}
	}
	if len(pick) == 1 {
		return pick[0], true
	}
	if len(pick) == 0 {
		pick = cands
	}
	r.problem(f, models.AreaProblemAmbiguous, pick[0].Code, "%s fits several unit versions (%s); give valid_from and valid_to (or --valid-from) to say which period the file describes",
		"%s phù hợp với nhiều phiên bản đơn vị (%s); hãy cho valid_from và valid_to (hoặc --valid-from) để chỉ rõ tệp mô tả thời kỳ nào", f.Label(), describeVersions(pick))
	return nil, false
}

func describeVersions(vs []*models.Area) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprintf("%s %s %s", v.Code, v.Name, v.Validity())
	}
	return strings.Join(parts, "; ")
}

// newVersionID names a new unit version: its official code when no version uses it, else
// code@YEAR of its start, else code@DATE (docs/areas.md).
func (r *areaResolver) newVersionID(f *models.ImportedArea, a *models.Area) (string, bool) {
	if !r.taken[a.Code] {
		return a.Code, true
	}
	if a.ValidFrom.IsZero() {
		r.problem(f, models.AreaProblemAmbiguous, a.Code, "code %s is used by another unit version (%s); give valid_from (or --valid-from) for a new version",
			"mã %s đã được dùng cho một phiên bản đơn vị khác (%s); hãy cho valid_from (hoặc --valid-from) để tạo phiên bản mới", a.Code, describeVersions(r.byGSO[a.Code]))
		return "", false
	}
	for _, id := range []string{fmt.Sprintf("%s@%d", a.Code, a.ValidFrom.Year), a.Code + "@" + a.ValidFrom.String()} {
		if !r.taken[id] {
			return id, true
		}
	}
	r.problem(f, models.AreaProblemAmbiguous, a.Code, "code %s already has a version starting on %s", "mã %s đã có một phiên bản bắt đầu ngày %s", a.Code, a.ValidFrom)
	return "", false
}

// parentCand is a possible parent: a stored version, or a unit of the file.
type parentCand struct {
	area *models.Area
	tier int
}

// parentOf finds the parent version a feature names, in force over the feature's validity w.
func (r *areaResolver) parentOf(f *models.ImportedArea, w *models.Area) (*models.Area, int, bool) {
	var cands []parentCand
	label := ""
	switch {
	case f.ParentRef != "" && r.hasRef(f.ParentRef):
		j := r.byRef[f.ParentRef]
		p := r.resolve(j)
		if p == nil {
			return nil, 0, false // its own problem is reported
		}
		return p, r.tier[j], true
	case f.Area.ParentCode != nil:
		code := *f.Area.ParentCode
		label = code
		cands = r.candidatesByCode(code)
	default:
		label = strings.TrimSpace(f.ParentName() + " " + paren(f.ParentRef))
		if f.ParentName() == "" {
			r.problem(f, models.AreaProblemInvalidProperty, f.ParentRef, "parent %s is not in the file and has no name to find it by", "đơn vị cấp trên %s không có trong tệp và không có tên để tìm", f.ParentRef)
			return nil, 0, false
		}
		cands = r.candidatesByNames(f.ParentNames)
	}
	if len(cands) == 0 && f.Area.ParentCode == nil {
		r.problem(f, models.AreaProblemInvalidProperty, label, "parent %s is not in the file and no stored unit has that name; import the units with their GSO codes first (a GSO/dvhcvn file, for example), then this file",
			"đơn vị cấp trên %s không có trong tệp và không có đơn vị nào đã lưu mang tên đó; hãy nhập các đơn vị kèm mã GSO trước (ví dụ một tệp GSO/dvhcvn), rồi mới nhập tệp này", label)
		return nil, 0, false
	}
	if len(cands) == 0 {
		r.problem(f, models.AreaProblemInvalidProperty, label, "parent %s is neither in the file nor stored", "khu vực cha %s không có trong tệp và chưa được lưu", label)
		return nil, 0, false
	}
	var in []parentCand
	for _, c := range cands {
		if c.area.OverlapsInTime(w) {
			in = append(in, c)
		}
	}
	if len(in) > 1 {
		day := r.today
		if !w.ValidFrom.IsZero() {
			day = w.ValidFrom
		}
		var on []parentCand
		for _, c := range in {
			if c.area.ValidOn(day) {
				on = append(on, c)
			}
		}
		if len(on) == 1 {
			in = on
		}
	}
	switch len(in) {
	case 1:
		return in[0].area, in[0].tier, true
	case 0:
		r.problem(f, models.AreaProblemInvalidProperty, label, "parent %s is not in force over %s (%s)", "đơn vị cấp trên %s không có hiệu lực trong thời hạn %s (%s)", label, w.Validity(), describeVersions(areasOf(cands)))
	default:
		r.problem(f, models.AreaProblemAmbiguous, label, "parent %s fits several units (%s)", "đơn vị cấp trên %s phù hợp với nhiều đơn vị (%s)", label, describeVersions(areasOf(in)))
	}
	return nil, 0, false
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return "(" + s + ")"
}

func areasOf(cs []parentCand) []*models.Area {
	out := make([]*models.Area, len(cs))
	for i, c := range cs {
		out[i] = c.area
	}
	return out
}

func (r *areaResolver) hasRef(ref string) bool { _, ok := r.byRef[ref]; return ok }

// candidatesByCode lists the units a parent code may name: the file's units of that code (as
// resolved) and the stored versions no feature replaces.
func (r *areaResolver) candidatesByCode(code string) []parentCand {
	var out []parentCand
	replaced := map[string]bool{}
	for _, j := range r.fileByCode[code] {
		if p := r.resolve(j); p != nil {
			out = append(out, parentCand{p, r.tier[j]})
			replaced[p.Code] = true
		}
	}
	stored := r.byGSO[code]
	if s := r.byCode[code]; s != nil && !slices.Contains(stored, s) {
		stored = append(stored, s)
	}
	for _, s := range stored {
		if !replaced[s.Code] {
			out = append(out, parentCand{s, models.TierOfLevel(s.Level)})
		}
	}
	return out
}

// candidatesByNames lists the stored units a line of names leads to: the province-tier units
// (or the roots) that best match the first name, then their children that best match the next,
// and so on. A line is looked up once per import.
func (r *areaResolver) candidatesByNames(names []string) []parentCand {
	key := strings.Join(names, "\x00")
	if c, ok := r.byNames[key]; ok {
		return c
	}
	var level []*models.Area
	for i, name := range names {
		var pool []*models.Area
		if i == 0 {
			for _, s := range r.stored {
				if s.ParentCode == nil || models.TierOfLevel(s.Level) == models.TierProvince {
					pool = append(pool, s)
				}
			}
		} else {
			for _, p := range level {
				pool = append(pool, r.children[p.Code]...)
			}
		}
		level = bestNamed(pool, name)
	}
	out := make([]parentCand, len(level))
	for i, s := range level {
		out[i] = parentCand{s, models.TierOfLevel(s.Level)}
	}
	r.byNames[key] = out
	return out
}

// bestNamed returns the units whose name matches best (models.SameUnitName), none when no
// name matches.
func bestNamed(pool []*models.Area, name string) []*models.Area {
	var out []*models.Area
	best := 0
	for _, s := range pool {
		score := models.SameUnitName(s.Name, name)
		if score == 0 || score < best {
			continue
		}
		if score > best {
			best, out = score, nil
		}
		out = append(out, s)
	}
	return out
}

// matchByName finds the stored unit a feature without a code is, among the children of its
// parent (the roots when it has none), by its name or one of its other names. None is a
// problem: GADM ids are not GSO codes, and a unit is not created without its official code.
func (r *areaResolver) matchByName(f *models.ImportedArea, a, w *models.Area, parent *models.Area) (*models.Area, bool) {
	key, under := "", "the top of the tree"
	underVI := "cấp cao nhất"
	if parent != nil {
		key, under, underVI = parent.Code, parent.Code+" "+parent.Name, parent.Code+" "+parent.Name
	}
	best := 0
	var found []*models.Area
	for _, s := range r.children[key] {
		if st := models.TierOfLevel(s.Level); f.Tier != models.TierUnknown && st != models.TierUnknown && st != f.Tier {
			continue
		}
		score := models.SameUnitName(s.Name, a.Name)
		for _, alt := range f.AltNames {
			score = max(score, min(1, models.SameUnitName(s.Name, alt)))
		}
		if score == 0 || score < best {
			continue
		}
		if score > best {
			best, found = score, nil
		}
		found = append(found, s)
	}
	if len(found) == 0 {
		r.problem(f, models.AreaProblemUnmatched, "", "%[1]s (%[2]s) has no GSO code and matches no stored unit under %[3]s by name; %[5]s ids are not GSO codes: import the units with their codes first, or name the property that holds the GSO code (--property code=PROPERTY)",
			"%[1]s (%[2]s) không có mã GSO và không trùng tên với đơn vị nào đã lưu thuộc %[4]s; mã của %[5]s không phải mã GSO: hãy nhập các đơn vị kèm mã trước, hoặc chỉ rõ thuộc tính chứa mã GSO (--property code=THUỘC_TÍNH)",
			f.Label(), a.Name, under, underVI, sourceName(f))
		return nil, false
	}
	return r.pickVersion(f, found, a, w)
}

func sourceName(f *models.ImportedArea) string {
	if f.LocateParent {
		return "OpenStreetMap"
	}
	return "GADM"
}

type locateKey struct {
	tier     int
	from, to models.Date
}

// locateIndex is the index of the units that may hold features of one tier and validity.
type locateIndex struct {
	x    *geo.AreaIndex
	tier map[string]int
}

// locateParent finds the unit of a higher tier whose polygon holds the feature's label point,
// among the file's units and the stored versions, in force over the feature's validity w: the
// deepest such unit. Features are located from the largest tier down, so the units of higher
// tiers are all resolved when a tier's first feature builds the index.
func (r *areaResolver) locateParent(f *models.ImportedArea, w *models.Area) (*models.Area, int) {
	if f.Tier <= models.TierProvince {
		return nil, models.TierUnknown
	}
	key := locateKey{f.Tier, w.ValidFrom, w.ValidTo}
	// A feature without dates describes the map of today.
	inPeriod := func(a *models.Area) bool {
		if hasDates(w) {
			return a.OverlapsInTime(w)
		}
		return a.ValidOn(r.today)
	}
	li := r.located[key]
	if li == nil {
		li = &locateIndex{tier: map[string]int{}}
		var cands []*models.Area
		add := func(a *models.Area, tier int) {
			if _, dup := li.tier[a.Code]; dup || a.Geometry == "" || tier == models.TierUnknown || tier >= f.Tier || !inPeriod(a) {
				return
			}
			li.tier[a.Code] = tier
			cands = append(cands, a)
		}
		for j := range r.features {
			if r.state[j] == 2 && r.out[j] != nil {
				add(r.out[j], r.tier[j])
			}
		}
		for _, s := range r.stored {
			add(s, models.TierOfLevel(s.Level))
		}
		// The geometries were all parsed before (the file's by the reader, the stored ones
		// when they were imported).
		li.x, _ = geo.NewAreaIndex(cands)
		r.located[key] = li
	}
	var best *models.Area
	bestTier := models.TierUnknown
	for _, a := range li.x.LocateAll(w.Lat, w.Lon) {
		if t := li.tier[a.Code]; t > bestTier {
			best, bestTier = a, t
		}
	}
	if best == nil {
		return nil, models.TierUnknown
	}
	// The index holds copies; the parent is the unit itself.
	if j, ok := r.claimed[best.Code]; ok && r.out[j] != nil {
		return r.out[j], bestTier
	}
	return r.byCode[best.Code], bestTier
}
