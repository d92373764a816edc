package models

import (
	"slices"
	"strings"
)

// Namings of boundary files that the area import recognises (docs/areas.md, "Importing
// boundaries").
const (
	// AreaSourceKiemtra: code, name, level, parent_code, type_name, valid_from, valid_to, lat,
	// lon, as kiemtra itself writes them.
	AreaSourceKiemtra = "kiemtra"
	// AreaSourceGSO: level1_id, level2_id, level3_id (GSO codes), name and type, as in the
	// dvhcvn data.
	AreaSourceGSO = "gso"
	// AreaSourceGADM: GID_n, NAME_n, TYPE_n, ENGTYPE_n, VARNAME_n of GADM. GIDs are not GSO
	// codes: units are matched by name to the stored units.
	AreaSourceGADM = "gadm"
	// AreaSourceOSM: ref:gso, name and admin_level of OpenStreetMap; the parent is the unit
	// whose polygon holds the feature.
	AreaSourceOSM = "osm"
	// AreaSourceMapping: no naming was recognised, and the properties were named by a mapping.
	AreaSourceMapping = "mapping"
)

// Tiers of Vietnamese administrative units, whatever a source calls its levels.
const (
	TierUnknown  = 0
	TierProvince = 1 // tỉnh, thành phố trực thuộc trung ương
	TierDistrict = 2 // quận, huyện, thị xã, thành phố thuộc tỉnh (until 30 June 2025)
	TierCommune  = 3 // phường, xã, thị trấn, đặc khu
)

// AreaPropertyMapping names the feature properties that hold each field of an area, for a
// boundary file whose naming is not recognised or must be overridden. Empty fields are read as
// the recognised naming reads them (or not at all).
type AreaPropertyMapping struct {
	Code      string `json:"code,omitempty"`
	Name      string `json:"name,omitempty"`
	Parent    string `json:"parent,omitempty"`
	Level     string `json:"level,omitempty"`
	Type      string `json:"type,omitempty"`
	ValidFrom string `json:"valid_from,omitempty"`
	ValidTo   string `json:"valid_to,omitempty"`
}

// AreaMappingKeys are the fields an AreaPropertyMapping may name, in the order of its text form.
var AreaMappingKeys = []string{"code", "name", "parent", "level", "type", "valid_from", "valid_to"}

func (m *AreaPropertyMapping) field(key string) *string {
	switch key {
	case "code":
		return &m.Code
	case "name":
		return &m.Name
	case "parent":
		return &m.Parent
	case "level":
		return &m.Level
	case "type":
		return &m.Type
	case "valid_from":
		return &m.ValidFrom
	case "valid_to":
		return &m.ValidTo
	}
	return nil
}

// ParseAreaPropertyMapping reads "code=MA_XA,name=TEN_XA,parent=MA_HUYEN" (the --property flag,
// the property parameter of the API). Several texts are joined, so that the flag may be
// repeated. An empty text is no mapping (nil). Unknown keys, a key given twice and a pair
// without a property name are invalid errors on the field "property".
func ParseAreaPropertyMapping(texts ...string) (*AreaPropertyMapping, error) {
	var m AreaPropertyMapping
	seen := map[string]bool{}
	for _, text := range texts {
		for _, pair := range strings.Split(text, ",") {
			pair = strings.TrimSpace(pair)
			if pair == "" {
				continue
			}
			key, prop, ok := strings.Cut(pair, "=")
			key, prop = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(prop)
			f := m.field(key)
			switch {
			case !ok || prop == "":
				return nil, Invalid("property", "%q is not FIELD=PROPERTY (fields: %s)", "%q không có dạng TRƯỜNG=THUỘC_TÍNH (các trường: %s)", pair, strings.Join(AreaMappingKeys, ", "))
			case f == nil:
				return nil, Invalid("property", "%q is not a field of an area (fields: %s)", "%q không phải trường của địa bàn (các trường: %s)", key, strings.Join(AreaMappingKeys, ", "))
			case seen[key]:
				return nil, Invalid("property", "%s is mapped twice", "trường %s được chỉ định hai lần", key)
			}
			if en, vi := TextProblem(prop); en != "" {
				return nil, Invalid("property", "%[1]s: the property name %[2]s", "%[1]s: tên thuộc tính %[3]s", key, en, vi)
			}
			seen[key] = true
			*f = prop
		}
	}
	if len(seen) == 0 {
		return nil, nil
	}
	return &m, nil
}

// String is the mapping's text form, which ParseAreaPropertyMapping reads back.
func (m *AreaPropertyMapping) String() string {
	if m == nil {
		return ""
	}
	var parts []string
	for _, k := range AreaMappingKeys {
		if v := *m.field(k); v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	return strings.Join(parts, ",")
}

// AreaImportOptions tune an area import.
type AreaImportOptions struct {
	// DryRun checks the file and reports, but stores nothing.
	DryRun bool
	// Mapping names the properties of the file's fields, over (or instead of) the naming the
	// import recognises; nil: the naming alone.
	Mapping *AreaPropertyMapping
	// ValidFrom is the start of every feature that gives none (a file of the 2025 map:
	// 2025-07-01).
	ValidFrom Date
}

// ImportedArea is one feature of a boundary file as its source describes it, before it is
// matched to the stored unit versions. Area.Code is the official (GSO) code, or empty when the
// source has none (GADM): the unit is then found by name under its parent. Area.Level is empty
// when the source only tells the Tier; the importer decides (ward under a district, commune
// under a province). Area.ParentCode, when set, is the parent's official code.
type ImportedArea struct {
	Field string // "features[3]", for messages
	Area  Area
	// Ref is the source's own id of the unit (a GADM GID), shown in messages and used by
	// ParentRef; empty when the source has none.
	Ref  string
	Tier int
	// ParentRef is the source id of the parent (GADM's GID_{n-1}), and ParentNames the names
	// of the parent's ancestors and of the parent, from the top (GADM's NAME_1 .. NAME_{n-1}),
	// when the source names the parent that way instead of by a code. The whole line is kept
	// because names repeat: many provinces have a Huyện Châu Thành.
	ParentRef   string
	ParentNames []string
	// LocateParent: the source does not say which unit is the parent (OpenStreetMap); it is the
	// unit of a higher tier whose polygon holds the feature.
	LocateParent bool
	// AltNames are other spellings of the name (GADM's VARNAME), tried when matching by name.
	AltNames []string
}

// ParentName is the parent's name, the last of ParentNames; "" when there is none.
func (f *ImportedArea) ParentName() string {
	if len(f.ParentNames) == 0 {
		return ""
	}
	return f.ParentNames[len(f.ParentNames)-1]
}

// Label names the feature in messages: its code, or its source id, or its field.
func (f *ImportedArea) Label() string {
	switch {
	case f.Area.Code != "":
		return f.Area.Code
	case f.Ref != "":
		return f.Ref
	}
	return f.Field
}

// unitType is one type of administrative unit: its name as kiemtra stores it, the tier it sits
// at (TierUnknown when the type exists at two tiers, as "Thành phố" does) and the other ways
// sources write it (folded, see FoldVietnamese).
type unitType struct {
	name    string
	tier    int
	aliases []string
}

var unitTypes = []unitType{
	{"Tỉnh", TierProvince, []string{"tinh", "province"}},
	{"Thành phố", TierProvince, []string{"thanh pho trung uong", "thanh pho truc thuoc trung uong", "municipality"}},
	{"Thành phố", TierDistrict, []string{"thanh pho thuoc tinh", "thanh pho truc thuoc tinh", "provincial city", "thanh pho thuoc thanh pho truc thuoc trung uong"}},
	{"Thành phố", TierUnknown, []string{"thanh pho", "city"}},
	{"Thị xã", TierDistrict, []string{"thi xa", "town"}},
	{"Quận", TierDistrict, []string{"quan", "urban district"}},
	{"Huyện", TierDistrict, []string{"huyen", "district", "rural district"}},
	{"Phường", TierCommune, []string{"phuong", "ward"}},
	{"Xã", TierCommune, []string{"xa", "commune"}},
	{"Thị trấn", TierCommune, []string{"thi tran", "township", "commune-level town"}},
	{"Đặc khu", TierCommune, []string{"dac khu", "special zone", "special administrative zone"}},
}

// ParseUnitType reads the type of a unit as sources write it ("Quận", "Thành phố Trung ương",
// "Urban District", "xa") and returns the type name kiemtra stores and the tier it sits at
// (TierUnknown for "Thành phố", which is both a province and a district). ok is false for a
// type it does not know.
func ParseUnitType(s string) (name string, tier int, ok bool) {
	f := strings.Join(strings.Fields(FoldVietnamese(strings.ReplaceAll(s, "-", " "))), " ")
	if f == "" {
		return "", TierUnknown, false
	}
	for _, t := range unitTypes {
		if slices.Contains(t.aliases, f) {
			return t.name, t.tier, true
		}
	}
	return "", TierUnknown, false
}

// UnitTypeOfName returns the type a unit's name starts with ("Quận Ninh Kiều": Quận), as
// ParseUnitType does, and the name without it.
func UnitTypeOfName(name string) (typeName string, tier int, rest string, ok bool) {
	name = strings.TrimSpace(NFC(name))
	// The longest type first: "Thành phố" before a bare "Thành".
	for _, t := range []string{"Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh", "Xã"} {
		if len(name) > len(t) && strings.EqualFold(name[:len(t)], t) && name[len(t)] == ' ' {
			n, tier, _ := ParseUnitType(t)
			return n, tier, strings.TrimSpace(name[len(t):]), true
		}
	}
	return "", TierUnknown, name, false
}

// TierOfLevel is the tier of a stored area's level; TierUnknown for levels that are not the
// usual words.
func TierOfLevel(level string) int {
	switch level {
	case AreaLevelCity, AreaLevelProvince:
		return TierProvince
	case AreaLevelDistrict:
		return TierDistrict
	case AreaLevelWard, AreaLevelCommune:
		return TierCommune
	}
	return TierUnknown
}

// LevelOfTier is the level of an imported unit that its source only places at a tier: a
// province-tier unit is a city when its type is Thành phố, else a province; a commune-tier
// unit is a ward under a district and a commune under a province (the 2025 map).
func LevelOfTier(tier int, typeName string, parentTier int) string {
	switch tier {
	case TierProvince:
		if typeName == "" || typeName == "Thành phố" {
			return AreaLevelCity
		}
		return AreaLevelProvince
	case TierDistrict:
		return AreaLevelDistrict
	case TierCommune:
		if parentTier == TierDistrict {
			return AreaLevelWard
		}
		return AreaLevelCommune
	}
	return ""
}

// SameUnitName reports how well two unit names match: 2 when they are equal ignoring case,
// 1 when they are equal once accents and the leading type are ignored ("Quận Bình Thuỷ" and
// "Bình Thủy"), 0 otherwise.
func SameUnitName(a, b string) int {
	a, b = strings.TrimSpace(NFC(a)), strings.TrimSpace(NFC(b))
	if a == "" || b == "" {
		return 0
	}
	if strings.EqualFold(a, b) {
		return 2
	}
	_, _, ra, _ := UnitTypeOfName(a)
	_, _, rb, _ := UnitTypeOfName(b)
	if fa, fb := foldName(ra), foldName(rb); fa != "" && fa == fb {
		return 1
	}
	return 0
}

func foldName(s string) string {
	return strings.Join(strings.FieldsFunc(FoldVietnamese(s), func(r rune) bool {
		return r == ' ' || r == '-' || r == '.' || r == '\''
	}), " ")
}

// Validity is the area's validity for messages: "2021-01-01..2025-06-30", "…" for an open end.
func (a *Area) Validity() string {
	from, to := "…", "…"
	if !a.ValidFrom.IsZero() {
		from = a.ValidFrom.String()
	}
	if !a.ValidTo.IsZero() {
		to = a.ValidTo.String()
	}
	return from + ".." + to
}
