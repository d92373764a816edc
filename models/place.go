package models

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Kinds of places a dance hall must keep away from (Decree 54/2019/NĐ-CP): schools, hospitals,
// religious sites and historical-cultural relics.
const (
	PlaceSchool    = "school"
	PlaceHospital  = "hospital"
	PlaceReligious = "religious"
	PlaceRelic     = "relic"
)

// PlaceKinds lists the kinds in the order users read them.
var PlaceKinds = []string{PlaceSchool, PlaceHospital, PlaceReligious, PlaceRelic}

// placeKindNames are the kinds as users read them, English and Vietnamese.
var placeKindNames = map[string][2]string{
	PlaceSchool:    {"school", "trường học"},
	PlaceHospital:  {"hospital", "bệnh viện"},
	PlaceReligious: {"religious site", "cơ sở tôn giáo, tín ngưỡng"},
	PlaceRelic:     {"historical or cultural relic", "di tích lịch sử - văn hóa"},
}

// PlaceKindName returns a kind's English and Vietnamese names (the code itself when unknown).
func PlaceKindName(kind string) (en, vi string) {
	if n, ok := placeKindNames[kind]; ok {
		return n[0], n[1]
	}
	return kind, kind
}

// Place is one entry of the register of places a dance hall must keep away from. The register
// lets the checklist's distance duty be checked from coordinates; it can be incomplete, so a
// place found near a business informs the inspector's answer and never replaces it.
type Place struct {
	ID       string  `json:"id" gorm:"primaryKey"`
	Kind     string  `json:"kind"`
	Name     string  `json:"name"`
	Address  string  `json:"address"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
	AreaCode string  `json:"area_code"` // the ward the coordinates fall in, as for businesses
	// Ref is the place's identifier in its source (a school code of the education department,
	// for example); optional. When set it is the place's natural key.
	Ref string `json:"ref"`
	// Source says where the entry came from: the imported file's name, or "demo".
	Source string `json:"source"`
	// NaturalKey identifies the place across imports (PlaceKey), so that importing the same file
	// twice updates rather than duplicates.
	NaturalKey string    `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// TableName is the table of places.
func (Place) TableName() string { return "places" }

// Validate checks a place's own fields (not its area, which the caller finds from the
// coordinates) and normalises its text to trimmed NFC. Every problem names its field.
func (p *Place) Validate() error {
	var v Validation
	p.Kind = strings.TrimSpace(p.Kind)
	p.Name = norm.NFC.String(strings.TrimSpace(p.Name))
	p.Address = norm.NFC.String(strings.TrimSpace(p.Address))
	p.Ref = norm.NFC.String(strings.TrimSpace(p.Ref))
	p.Source = norm.NFC.String(strings.TrimSpace(p.Source))
	if !oneOf(p.Kind, PlaceKinds) {
		v.Add("kind", "must be school, hospital, religious or relic", "phải là school (trường học), hospital (bệnh viện), religious (cơ sở tôn giáo, tín ngưỡng) hoặc relic (di tích)")
	}
	switch {
	case p.Name == "":
		v.Add("name", "is required", "là bắt buộc")
	case len([]rune(p.Name)) > 200:
		v.Add("name", "is longer than 200 characters", "dài quá 200 ký tự")
	}
	if len([]rune(p.Address)) > 500 {
		v.Add("address", "is longer than 500 characters", "dài quá 500 ký tự")
	}
	if len([]rune(p.Ref)) > 100 {
		v.Add("ref", "is longer than 100 characters", "dài quá 100 ký tự")
	}
	for _, f := range []struct{ name, s string }{{"name", p.Name}, {"address", p.Address}, {"ref", p.Ref}, {"source", p.Source}} {
		if err := CheckText(f.name, f.s); err != nil {
			v.AddError(err)
		}
	}
	if math.IsNaN(p.Lat) || math.IsNaN(p.Lon) || math.IsInf(p.Lat, 0) || math.IsInf(p.Lon, 0) {
		v.Add("lat", "latitude and longitude must be numbers", "vĩ độ và kinh độ phải là số")
	} else if err := ValidateLatLon(p.Lat, p.Lon); err != nil {
		v.AddError(err)
	}
	if err := v.Err(); err != nil {
		return err
	}
	p.NaturalKey = PlaceKey(p)
	return nil
}

// PlaceKey is a place's natural key: its source reference when it has one, otherwise its kind,
// its name folded (case and spacing) and its coordinates rounded to 4 decimals (about 11 m),
// so that the same list exported again, with a coordinate's last digits changed, is the same
// place.
func PlaceKey(p *Place) string {
	if p.Ref != "" {
		return p.Kind + "|ref|" + strings.ToLower(p.Ref)
	}
	name := strings.Join(strings.FieldsFunc(strings.ToLower(norm.NFC.String(p.Name)), unicode.IsSpace), " ")
	round := func(x float64) string { return strconv.FormatFloat(math.Round(x*1e4)/1e4, 'f', 4, 64) }
	return p.Kind + "|" + name + "|" + round(p.Lat) + "," + round(p.Lon)
}

// PlaceFilter selects places. Zero fields do not filter.
type PlaceFilter struct {
	Kind string
	// The box, in degrees, when MaxLat > MinLat: only places inside it.
	MinLat, MaxLat, MinLon, MaxLon float64
}

// NearPlace is a place found near a position, with its great-circle distance in metres.
type NearPlace struct {
	*Place
	DistanceM float64 `json:"distance_m"`
}

// PlaceStore keeps the register of places.
type PlaceStore interface {
	// SavePlaces stores every place in one transaction: a place whose natural key is stored
	// already is updated (its id, area, name, address and coordinates), the others created; it
	// returns how many of each. Nothing is stored when one fails. Places must be validated.
	SavePlaces(ctx context.Context, actor string, ps []*Place) (created, updated int, err error)
	// FindPlaces returns the places f selects, by kind then name.
	FindPlaces(ctx context.Context, f PlaceFilter) ([]*Place, error)
	// FindPlaceByID returns a place, or not_found.
	FindPlaceByID(ctx context.Context, id string) (*Place, error)
	// DeletePlace removes a place and audits it; not_found when there is none.
	DeletePlace(ctx context.Context, actor, id string) error
	// PlacesVersion changes whenever the register changes, for the phones' ETags.
	PlacesVersion(ctx context.Context) (string, error)
}

// DistanceCheck is what the register says about a dance hall's distance duty: the places
// within RadiusM of it, nearest first (empty when the register has none there). It informs the
// inspector's answer to the checklist item; the register can be incomplete.
type DistanceCheck struct {
	RadiusM float64 `json:"radius_m"`
	Legal   string  `json:"legal"`
	// Violation is the code of the checklist item's violation the check informs
	// (DANCE_DISTANCE): the phone shows the places under the item that implies it.
	Violation string      `json:"violation"`
	Places    []NearPlace `json:"places"`
}

// PlaceImportReport is the result of a places import.
type PlaceImportReport struct {
	Rows    int `json:"rows"`
	Created int `json:"created"`
	Updated int `json:"updated"`
}
