package geo

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"kiemtra/models"
)

// maxListedProperties bounds the property names the "not recognised" error lists.
const maxListedProperties = 40

// gadmLevels is how deep GADM's levels go (GID_1 .. GID_5); Vietnam's stop at 3.
const gadmLevels = 5

// sourceOf tells which naming a feature's properties follow, "" when none. A feature with
// kiemtra's code, level, parent_code or type_name is kiemtra's whatever else it has (and one
// that lacks its code is told so); GSO ids before GADM GIDs before OSM tags.
func sourceOf(props map[string]bool) string {
	switch {
	case props["code"] || props["level"] || props["parent_code"] || props["type_name"]:
		return models.AreaSourceKiemtra
	case props["level1_id"] || props["level2_id"] || props["level3_id"]:
		return models.AreaSourceGSO
	}
	for n := 1; n <= gadmLevels; n++ {
		if props["gid_"+strconv.Itoa(n)] {
			return models.AreaSourceGADM
		}
	}
	if props["admin_level"] {
		return models.AreaSourceOSM
	}
	return ""
}

// recogniseSource returns the naming most features follow (ties go to the earlier in
// sourceOf's order). When no feature follows one, a mapping that names at least the name makes
// the file AreaSourceMapping; without it the error lists the property names.
func recogniseSource(features []rawFeature, m *models.AreaPropertyMapping) (string, error) {
	count := map[string]int{}
	var names []string
	seen := map[string]bool{}
	for _, f := range features {
		if !f.ok {
			continue
		}
		keys := make(map[string]bool, len(f.Properties))
		sorted := make([]string, 0, len(f.Properties))
		for k := range f.Properties {
			keys[strings.ToLower(k)] = true
			sorted = append(sorted, k)
		}
		if s := sourceOf(keys); s != "" {
			count[s]++
		}
		slices.Sort(sorted)
		for _, k := range sorted {
			if !seen[k] {
				seen[k] = true
				names = append(names, k)
			}
		}
	}
	best := ""
	for _, s := range []string{models.AreaSourceKiemtra, models.AreaSourceGSO, models.AreaSourceGADM, models.AreaSourceOSM} {
		if count[s] > count[best] {
			best = s
		}
	}
	if best != "" {
		return best, nil
	}
	if m != nil && m.Name != "" {
		return models.AreaSourceMapping, nil
	}
	listed := names
	more := ""
	if len(listed) > maxListedProperties {
		listed, more = listed[:maxListedProperties], fmt.Sprintf(" (+%d)", len(names)-maxListedProperties)
	}
	have, haveVI := "no properties", "không có thuộc tính nào"
	if len(listed) > 0 {
		have = "the properties " + strings.Join(listed, ", ") + more
		haveVI = "các thuộc tính " + strings.Join(listed, ", ") + more
	}
	if m != nil {
		return "", models.Invalid("properties", "the mapping %[1]s does not name the property that holds the name; the file's features have %[2]s",
			"cách ánh xạ %[1]s không chỉ ra thuộc tính chứa tên; các đối tượng trong tệp có %[3]s", m.String(), have, haveVI)
	}
	return "", models.Invalid("properties",
		"the property names are not those of a known source (kiemtra: code, name, level; GSO/dvhcvn: level1_id, level2_id, level3_id, name, type; GADM: GID_n, NAME_n, TYPE_n; OpenStreetMap: ref:gso, name, admin_level); the file's features have %[1]s. Name the fields with --property code=PROPERTY,name=PROPERTY,parent=PROPERTY,level=PROPERTY,type=PROPERTY,valid_from=PROPERTY (the property parameter of the API)",
		"tên các thuộc tính không thuộc nguồn dữ liệu nào đã biết (kiemtra: code, name, level; GSO/dvhcvn: level1_id, level2_id, level3_id, name, type; GADM: GID_n, NAME_n, TYPE_n; OpenStreetMap: ref:gso, name, admin_level); các đối tượng trong tệp có %[2]s. Hãy chỉ rõ các trường bằng --property code=THUỘC_TÍNH,name=THUỘC_TÍNH,parent=THUỘC_TÍNH,level=THUỘC_TÍNH,type=THUỘC_TÍNH,valid_from=THUỘC_TÍNH (tham số property của API)",
		have, haveVI)
}

// readProperties reads a feature's properties in the naming source, then the mapped ones.
func readProperties(p *propReader, source string, m *models.AreaPropertyMapping) *models.ImportedArea {
	fa := &models.ImportedArea{}
	if m == nil {
		m = &models.AreaPropertyMapping{}
	}
	nameKey := "name"
	switch source {
	case models.AreaSourceKiemtra:
		readKiemtra(p, fa, m)
	case models.AreaSourceGSO:
		readGSO(p, fa, m)
	case models.AreaSourceGADM:
		nameKey = readGADM(p, fa, m)
	case models.AreaSourceOSM:
		readOSM(p, fa, m)
	}
	a := &fa.Area
	if source != models.AreaSourceKiemtra {
		// Dates are in no public source; a file that adds them uses kiemtra's names.
		a.ValidFrom, a.ValidTo = p.date("valid_from"), p.date("valid_to")
	}
	readMapped(p, fa, m)
	if m.Name != "" {
		nameKey = m.Name
	}
	if source == models.AreaSourceKiemtra {
		// kiemtra's naming says everything itself and is read back exactly as it was written.
		return finishProperties(p, fa)
	}
	if a.Name == "" && m.Name == "" {
		k := p.key(nameKey)
		p.v.Add(p.field+"."+k, "%s is required", "thiếu %s", k)
	}
	// The type: as the file says, else from the name ("Quận Ninh Kiều"). A type that sits at one
	// tier only outranks the source's level: a 2025 list that puts communes at level2 still
	// says "Phường" or "Xã".
	if a.TypeName == "" {
		if t, tier, _, ok := models.UnitTypeOfName(a.Name); ok {
			a.TypeName = t
			if tier != models.TierUnknown {
				fa.Tier = tier
			}
		}
	}
	a.Name = withType(a.Name, a.TypeName)
	if fa.Tier == models.TierUnknown && a.Level == "" && a.Name != "" {
		k := p.key(nameKey)
		if m.Level != "" {
			k = p.key(m.Level)
		}
		p.v.Add(p.field+"."+k, "the level of %q cannot be told: give a type (Tỉnh, Quận, Huyện, Phường, Xã, ...) or map the level (--property level=PROPERTY)",
			"không xác định được cấp của %q: cần có loại đơn vị (Tỉnh, Quận, Huyện, Phường, Xã, ...) hoặc chỉ rõ thuộc tính cấp (--property level=THUỘC_TÍNH)", a.Name)
	}
	return finishProperties(p, fa)
}

// finishProperties checks what every naming must get right.
func finishProperties(p *propReader, fa *models.ImportedArea) *models.ImportedArea {
	a := &fa.Area
	if a.ValidFrom != (models.Date{}) && a.ValidTo != (models.Date{}) && a.ValidTo.Before(a.ValidFrom) {
		p.v.Add(p.field+".valid_to", "valid_to %s is before valid_from %s", "valid_to %s trước valid_from %s", a.ValidTo, a.ValidFrom)
	}
	if a.ParentCode != nil && *a.ParentCode == a.Code && a.Code != "" {
		p.v.Add(p.field+"."+p.key("parent_code"), "an area cannot be its own parent", "địa bàn không thể là cấp trên của chính nó")
	}
	return fa
}

// readKiemtra reads kiemtra's own naming.
func readKiemtra(p *propReader, fa *models.ImportedArea, m *models.AreaPropertyMapping) {
	a := &fa.Area
	if m.Code == "" {
		a.Code = p.str("code", true)
	}
	if m.Name == "" {
		a.Name = p.str("name", true)
	}
	if m.Level == "" {
		a.Level = p.str("level", true)
	}
	a.TypeName = p.str("type_name", false)
	if pc := p.str("parent_code", false); pc != "" && m.Parent == "" {
		a.ParentCode = &pc
	}
	a.ValidFrom = p.date("valid_from")
	a.ValidTo = p.date("valid_to")
}

// readGSO reads level1_id, level2_id, level3_id (the deepest given is the unit's code, the next
// one up its parent's), name and type.
func readGSO(p *propReader, fa *models.ImportedArea, m *models.AreaPropertyMapping) {
	a := &fa.Area
	var codes [3]string
	deepest := 0
	for i := range codes {
		if codes[i] = p.code(fmt.Sprintf("level%d_id", i+1), i+1); codes[i] != "" {
			deepest = i + 1
		}
	}
	a.Name = p.str("name", false)
	typeName, typeTier, _ := models.ParseUnitType(p.str("type", false))
	a.TypeName = typeName
	if deepest == 0 {
		if m.Code == "" {
			p.v.Add(p.field+"."+p.key("level1_id"), "none of level1_id, level2_id, level3_id is given", "không có level1_id, level2_id hay level3_id")
		}
		return
	}
	a.Code = codes[deepest-1]
	fa.Tier = deepest
	// A list of the 2025 map has two levels: a 5-digit code at level2 is a commune.
	if w := len(a.Code); w == 5 {
		fa.Tier = models.TierCommune
	} else if w == 2 {
		fa.Tier = models.TierProvince
	}
	if typeTier != models.TierUnknown {
		fa.Tier = typeTier
	}
	for j := deepest - 2; j >= 0; j-- {
		if codes[j] != "" {
			pc := codes[j]
			a.ParentCode = &pc
			break
		}
	}
}

// readGADM reads GID_n, NAME_n, TYPE_n (or ENGTYPE_n) and VARNAME_n of the deepest n given.
// GIDs are not GSO codes: the unit has no code, only its GID as Ref, and is matched by name to
// a stored unit; its parent is GID_{n-1} (or NAME_{n-1}). It returns the key of the name.
func readGADM(p *propReader, fa *models.ImportedArea, m *models.AreaPropertyMapping) string {
	a := &fa.Area
	n := 0
	for i := gadmLevels; i >= 1; i-- {
		if p.has(fmt.Sprintf("GID_%d", i)) {
			n = i
			break
		}
	}
	if n == 0 {
		p.v.Add(p.field+"."+p.key("GID_1"), "no GID_1, GID_2 or GID_3 is given", "không có GID_1, GID_2 hay GID_3")
		return "NAME_1"
	}
	nameKey := fmt.Sprintf("NAME_%d", n)
	if n > models.TierCommune {
		p.v.Add(p.field+"."+p.key(fmt.Sprintf("GID_%d", n)), "GADM level %d is below the communes, which are the smallest units kiemtra keeps", "cấp %d của GADM nhỏ hơn cấp xã, cấp nhỏ nhất mà kiemtra quản lý", n)
		return nameKey
	}
	fa.Ref = p.str(fmt.Sprintf("GID_%d", n), false)
	fa.Tier = n
	name := gadmValue(p.str(nameKey, false))
	typeName, typeTier, ok := models.ParseUnitType(gadmValue(p.str(fmt.Sprintf("TYPE_%d", n), false)))
	if !ok {
		typeName, typeTier, _ = models.ParseUnitType(gadmValue(p.str(fmt.Sprintf("ENGTYPE_%d", n), false)))
	}
	if typeTier != models.TierUnknown {
		fa.Tier = typeTier
	}
	a.TypeName = typeName
	a.Name = withType(name, typeName)
	for _, alt := range strings.Split(gadmValue(p.str(fmt.Sprintf("VARNAME_%d", n), false)), "|") {
		if alt = strings.TrimSpace(alt); alt != "" {
			fa.AltNames = append(fa.AltNames, alt)
		}
	}
	if n > 1 {
		fa.ParentRef = p.str(fmt.Sprintf("GID_%d", n-1), false)
		for k := 1; k < n; k++ {
			pt, _, _ := models.ParseUnitType(gadmValue(p.str(fmt.Sprintf("TYPE_%d", k), false)))
			fa.ParentNames = append(fa.ParentNames, withType(gadmValue(p.str(fmt.Sprintf("NAME_%d", k), false)), pt))
		}
	}
	return nameKey
}

// gadmValue drops GADM's "NA", which stands for no value.
func gadmValue(s string) string {
	if s == "NA" {
		return ""
	}
	return s
}

// withType puts the type before a bare name ("Quận" and "Ninh Kiều": "Quận Ninh Kiều"), as
// kiemtra and the GSO name units.
func withType(name, typeName string) string {
	if _, _, known := models.ParseUnitType(typeName); name == "" || !known {
		return name
	}
	if _, _, _, ok := models.UnitTypeOfName(name); ok {
		return name
	}
	return typeName + " " + name
}

// readOSM reads ref:gso, name (or name:vi) and admin_level (4 a province, 6 a district, 8 a
// ward or commune). The parent is left to be located: OpenStreetMap does not name it.
func readOSM(p *propReader, fa *models.ImportedArea, m *models.AreaPropertyMapping) {
	a := &fa.Area
	al := p.text("admin_level")
	switch al {
	case "4":
		fa.Tier = models.TierProvince
	case "5", "6":
		fa.Tier = models.TierDistrict
	case "7", "8":
		fa.Tier = models.TierCommune
	default:
		if m.Level == "" {
			k := p.key("admin_level")
			p.v.Add(p.field+"."+k, "admin_level %q is not a level kiemtra keeps (4 a province, 6 a district, 8 a ward or commune)",
				"admin_level %q không phải cấp mà kiemtra quản lý (4 tỉnh, 6 huyện, 8 xã phường)", al)
		}
	}
	a.Code = p.code("ref:gso", fa.Tier)
	a.Name = p.str("name", false)
	if a.Name == "" {
		a.Name = p.str("name:vi", false)
	}
	for _, k := range []string{"@id", "id", "osm_id"} {
		if fa.Ref = p.text(k); fa.Ref != "" {
			break
		}
	}
	fa.LocateParent = fa.Tier != models.TierProvince
}

// readMapped reads the properties the mapping names, over what the naming read.
func readMapped(p *propReader, fa *models.ImportedArea, m *models.AreaPropertyMapping) {
	a := &fa.Area
	if m.Type != "" {
		raw := p.str(m.Type, false)
		if t, tier, ok := models.ParseUnitType(raw); ok {
			a.TypeName = t
			if tier != models.TierUnknown {
				fa.Tier = tier
			}
		} else {
			a.TypeName = raw
		}
	}
	if m.Level != "" {
		raw := p.text(m.Level)
		switch level, tier := parseLevel(raw); {
		case level != "":
			a.Level = level
			fa.Tier = models.TierOfLevel(level)
		case tier != models.TierUnknown:
			fa.Tier = tier
		case raw != "":
			k := p.key(m.Level)
			p.v.Add(p.field+"."+k, "%s %q is not a level (city, province, district, ward, commune), a GSO level (1, 2, 3), an OpenStreetMap admin_level (4, 6, 8) or a unit type",
				"%s %q không phải cấp (city, province, district, ward, commune), cấp GSO (1, 2, 3), admin_level của OpenStreetMap (4, 6, 8) hay loại đơn vị", k, raw)
		}
	}
	if m.Name != "" {
		a.Name = p.str(m.Name, true)
	}
	if m.Code != "" {
		a.Code = p.code(m.Code, fa.Tier)
	}
	if m.Parent != "" {
		fa.ParentRef, fa.ParentNames, fa.LocateParent = "", nil, false
		a.ParentCode = nil
		if pc := p.code(m.Parent, fa.Tier-1); pc != "" {
			a.ParentCode = &pc
		}
	}
	if m.ValidFrom != "" {
		a.ValidFrom = p.date(m.ValidFrom)
	}
	if m.ValidTo != "" {
		a.ValidTo = p.date(m.ValidTo)
	}
}

// parseLevel reads a mapped level: one of kiemtra's words, a GSO level number (1, 2, 3), an
// OpenStreetMap admin_level (4, 6, 8) or a unit type.
func parseLevel(s string) (level string, tier int) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case models.AreaLevelCity, models.AreaLevelProvince, models.AreaLevelDistrict, models.AreaLevelWard, models.AreaLevelCommune:
		return strings.ToLower(s), models.TierOfLevel(strings.ToLower(s))
	case "1", "4":
		return "", models.TierProvince
	case "2", "6":
		return "", models.TierDistrict
	case "3", "8":
		return "", models.TierCommune
	}
	_, tier, _ = models.ParseUnitType(s)
	return "", tier
}
