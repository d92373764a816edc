package models

import (
	"context"
	"strings"
	"time"
)

// Area levels in use today. The tree may be of any depth (Vietnam removed the district level in
// 2025), so code must not assume that a ward's parent is a district.
const (
	AreaLevelCity     = "city"
	AreaLevelDistrict = "district"
	AreaLevelWard     = "ward"
	// AreaLevelCommune is the commune level of the 2025 map, below the province with no
	// district between; TypeName says whether a unit is a Phường or a Xã.
	AreaLevelCommune = "commune"
	// AreaLevelProvince is a province (tỉnh) at the top of the tree, for boundary files that
	// hold one; a centrally-run city such as Can Tho is AreaLevelCity.
	AreaLevelProvince = "province"
)

// Area is one version of an administrative unit: a city, district, ward or commune as it was
// over its validity (docs/areas.md). Code identifies the version and is what every reference
// holds; GSOCode is the official code, which a unit made by a later reorganisation may reuse
// (Code then carries a suffix: 31147@2025). Geometry is a GeoJSON Polygon or MultiPolygon
// (WGS84), kept as text so that both databases store it the same way; the geo package parses it.
type Area struct {
	Code       string    `json:"code" gorm:"primaryKey"`
	GSOCode    string    `json:"gso_code"`
	ParentCode *string   `json:"parent_code"`
	Name       string    `json:"name"`
	TypeName   string    `json:"type_name"` // Quận, Huyện, Phường, Xã, Thị trấn ...
	Level      string    `json:"level"`
	Path       string    `json:"path"` // "/92/916/31117/": every ancestor's code, for subtree queries
	Depth      int       `json:"depth"`
	Lat        float64   `json:"lat"` // a point inside the area, for labels
	Lon        float64   `json:"lon"`
	Geometry   string    `json:"-"`
	ValidFrom  Date      `json:"valid_from"`
	ValidTo    Date      `json:"valid_to"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// TableName is the table of areas.
func (Area) TableName() string { return "areas" }

// Normalise puts the area's name and type name in Unicode NFC (see Business.Normalise). Whoever
// stores areas (an import, the demo) calls it first.
func (a *Area) Normalise() {
	a.Name, a.TypeName = NFC(a.Name), NFC(a.TypeName)
}

// AreaPath returns the materialised path of a child of the area at parentPath.
func AreaPath(parentPath, code string) string {
	if parentPath == "" {
		return "/" + code + "/"
	}
	return parentPath + code + "/"
}

// Contains reports whether the area at path a contains (or is) the area at path b.
func PathContains(a, b string) bool { return strings.HasPrefix(b, a) }

// OfficialCode is the unit's official code: GSOCode, or Code for a version stored without one.
func (a *Area) OfficialCode() string {
	if a.GSOCode != "" {
		return a.GSOCode
	}
	return a.Code
}

// IsVersionID reports whether code names a unit version by its suffix (31147@2025), as opposed
// to an official code, which names a unit only together with a date.
func IsVersionID(code string) bool { return strings.Contains(code, "@") }

// OverlapsInTime reports whether the validities of a and b share a day.
func (a *Area) OverlapsInTime(b *Area) bool {
	return (a.ValidTo.IsZero() || b.ValidFrom.IsZero() || !a.ValidTo.Before(b.ValidFrom)) &&
		(b.ValidTo.IsZero() || a.ValidFrom.IsZero() || !b.ValidTo.Before(a.ValidFrom))
}

// ValidOn reports whether the area exists on day d.
func (a *Area) ValidOn(d Date) bool {
	if !a.ValidFrom.IsZero() && d.Before(a.ValidFrom) {
		return false
	}
	if !a.ValidTo.IsZero() && d.After(a.ValidTo) {
		return false
	}
	return true
}

// unitTypesEN are the English names of the Vietnamese types of administrative units.
var unitTypesEN = map[string]string{
	"Tỉnh": "province", "Thành phố": "city", "Quận": "urban district", "Huyện": "rural district", "Thị xã": "town",
	"Phường": "ward", "Xã": "commune", "Thị trấn": "township", "Đặc khu": "special zone",
}

// UnitTypeEN is the English name of a unit type (Phường: ward); an unknown type is given as it is.
func UnitTypeEN(typeName string) string {
	if en, ok := unitTypesEN[NFC(typeName)]; ok {
		return en
	}
	return typeName
}

// AreaFilter selects areas. Zero fields do not filter.
type AreaFilter struct {
	On     Date // only the versions valid on this day; zero: every version
	Level  string
	Under  string // code of an ancestor (the area itself included)
	Codes  []string
	Limit  int
	Offset int
	// NoGeometry leaves the polygons out: the tree without them is what figures need.
	NoGeometry bool
}

// AreaStore persists the area tree.
type AreaStore interface {
	// FindAreaByCode returns the unit version with the code (its identifier), or not_found.
	FindAreaByCode(ctx context.Context, code string) (*Area, error)
	// FindAreaOn returns the unit a code names on a day: the version with that identifier when
	// the code is one (IsVersionID), else the version with that official code valid on the day,
	// else the version whose identifier is the code; not_found when none.
	FindAreaOn(ctx context.Context, code string, day Date) (*Area, error)
	// FindAreas returns the matching areas ordered by path, and the total count.
	FindAreas(ctx context.Context, f AreaFilter) ([]*Area, int, error)
	// UpsertAreas creates or replaces the given areas in one transaction, parents before
	// children; returns invalid when a parent is unknown.
	UpsertAreas(ctx context.Context, actor string, areas []*Area) error
}
