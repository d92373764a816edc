package models

import (
	"context"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Business statuses. Closing is a status change, never a delete.
const (
	BusinessActive    = "active"
	BusinessSuspended = "suspended"
	BusinessClosed    = "closed"
)

// BusinessStatuses lists the valid statuses.
var BusinessStatuses = []string{BusinessActive, BusinessSuspended, BusinessClosed}

// Business is a service business in the registry.
type Business struct {
	ID              string    `json:"id" gorm:"primaryKey"`
	Name            string    `json:"name"`
	Category        string    `json:"category"`
	LicenceNo       *string   `json:"licence_no"`
	SecurityCertNo  string    `json:"security_cert_no"`
	TaxCode         string    `json:"tax_code"`
	Address         string    `json:"address"`
	Phone           string    `json:"phone"`
	OwnerName       string    `json:"owner_name"`
	Lat             float64   `json:"lat"`
	Lon             float64   `json:"lon"`
	AreaCode        string    `json:"area_code"`
	Status          string    `json:"status"`
	StatusSince     Date      `json:"status_since"`
	OpenedOn        Date      `json:"opened_on"`
	ClosedOn        Date      `json:"closed_on"`
	Notes           string    `json:"notes"`
	RiskScore       float64   `json:"risk_score"`
	LastInspectedOn Date      `json:"last_inspected_on"`
	SearchText      string    `json:"-"`
	Version         int       `json:"version"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// TableName is the table of businesses.
func (Business) TableName() string { return "businesses" }

// Licence returns the licence number or "".
func (b *Business) Licence() string {
	if b.LicenceNo == nil {
		return ""
	}
	return *b.LicenceNo
}

// ActiveOn reports whether the business was open (active or suspended) on day d. A closed
// business whose closing date is unknown counts as closed on every day.
func (b *Business) ActiveOn(d Date) bool {
	if !b.OpenedOn.IsZero() && d.Before(b.OpenedOn) {
		return false
	}
	if b.Status == BusinessClosed && (b.ClosedOn.IsZero() || !d.Before(b.ClosedOn)) {
		return false
	}
	return true
}

// NormaliseLicence is the stored form of a licence number: upper case without spaces, since
// offices type "57/gp-ubnd" and "57/GP - UBND" for the same licence.
func NormaliseLicence(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(s)))
}

// Normalise puts the business's free text (name, address, owner, notes) in Unicode NFC, the
// form Vietnamese text is stored and compared in: a keyboard or a file may give "ồ" as "o" and
// two combining marks, which looks the same but sorts, searches and deduplicates differently.
func (b *Business) Normalise() {
	for _, f := range []*string{&b.Name, &b.Address, &b.OwnerName, &b.Notes} {
		*f = NFC(*f)
	}
}

// NFC returns s in Unicode normalisation form C (composed characters).
func NFC(s string) string {
	if norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// Validate normalises the business's text (Normalise) and checks the fields a user or a file
// supplies. Categories are checked against the known codes passed in, because the list is data.
func (b *Business) Validate(categories map[string]bool) error {
	b.Normalise()
	var v Validation
	if strings.TrimSpace(b.Name) == "" {
		v.Add("name", "is required", "không được để trống")
	} else if len([]rune(b.Name)) > 200 {
		v.Add("name", "is longer than 200 characters", "dài quá 200 ký tự")
	}
	if b.Category == "" {
		v.Add("category", "is required", "không được để trống")
	} else if categories != nil && !categories[b.Category] {
		v.Add("category", "unknown category %q", "loại hình %q không có trong danh mục", b.Category)
	}
	if err := ValidateLatLon(b.Lat, b.Lon); err != nil {
		v.AddError(err)
	}
	if !oneOf(b.Status, BusinessStatuses) {
		v.Add("status", "must be one of active, suspended, closed", "phải là active, suspended hoặc closed")
	}
	if b.Status == BusinessClosed && !b.ClosedOn.IsZero() && !b.OpenedOn.IsZero() && b.ClosedOn.Before(b.OpenedOn) {
		v.Add("closed_on", "is before opened_on", "trước ngày hoạt động")
	}
	if len(b.Notes) > 4000 {
		v.Add("notes", "is longer than 4000 characters", "dài quá 4000 ký tự")
	}
	return v.Err()
}

// ValidateLatLon checks a WGS84 position and names the field that is wrong. A pair that looks
// swapped in Vietnam (latitude about 105, longitude about 10) is called out as such.
func ValidateLatLon(lat, lon float64) error {
	if lat == 0 && lon == 0 {
		return Invalid("lat", "latitude and longitude are required", "vĩ độ và kinh độ là bắt buộc")
	}
	if lat < -90 || lat > 90 {
		if lon >= -90 && lon <= 90 && lat >= -180 && lat <= 180 {
			return Invalid("lat", "latitude %v is out of range [-90, 90]; latitude and longitude look swapped", "vĩ độ %v ngoài khoảng [-90, 90]; có vẻ vĩ độ và kinh độ bị đảo", lat)
		}
		return Invalid("lat", "latitude %v is out of range [-90, 90]", "vĩ độ %v ngoài khoảng [-90, 90]", lat)
	}
	if lon < -180 || lon > 180 {
		return Invalid("lon", "longitude %v is out of range [-180, 180]", "kinh độ %v ngoài khoảng [-180, 180]", lon)
	}
	return nil
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// BusinessFilter selects businesses. Zero fields do not filter.
type BusinessFilter struct {
	Q        string   // name, address or licence; accent- and case-insensitive
	Category string   // a category code
	Area     string   // an area code at any level; its whole subtree matches
	Areas    []string // area codes: a business in any of their subtrees matches (a team's cluster)
	Status   string   // active, suspended or closed
	IDs      []string // exact ids
	Licences []string // exact licence numbers
	TaxCode  string   // an exact tax code
	After    string   // cursor: the last id of the previous page
	Limit    int
	// NoCount skips counting all matches (the total is then the page's length), for lookups
	// by id or licence that only want the rows.
	NoCount bool
}

// BusinessUpdate is a partial update; nil fields are left as they are. Version must equal the
// stored version or the update is refused with conflict.
type BusinessUpdate struct {
	Version        int      `json:"version"`
	Name           *string  `json:"name"`
	Category       *string  `json:"category"`
	LicenceNo      *string  `json:"licence_no"`
	SecurityCertNo *string  `json:"security_cert_no"`
	TaxCode        *string  `json:"tax_code"`
	Address        *string  `json:"address"`
	Phone          *string  `json:"phone"`
	OwnerName      *string  `json:"owner_name"`
	Lat            *float64 `json:"lat"`
	Lon            *float64 `json:"lon"`
	Status         *string  `json:"status"`
	StatusSince    *Date    `json:"status_since"`
	OpenedOn       *Date    `json:"opened_on"`
	ClosedOn       *Date    `json:"closed_on"`
	Notes          *string  `json:"notes"`
}

// BusinessStore persists the registry.
type BusinessStore interface {
	// FindBusinessByID returns not_found when the id is unknown.
	FindBusinessByID(ctx context.Context, id string) (*Business, error)
	// FindBusinesses returns a page of matching businesses ordered by id, and the total count.
	FindBusinesses(ctx context.Context, f BusinessFilter) ([]*Business, int, error)
	// CreateBusinesses inserts businesses in one transaction with an audit event each; returns
	// conflict when a licence number is taken.
	CreateBusinesses(ctx context.Context, actor string, bs []*Business) error
	// UpdateBusiness applies upd when upd.Version is current (conflict otherwise) and writes an
	// audit event with the changed fields; returns the updated business.
	UpdateBusiness(ctx context.Context, actor, id string, upd BusinessUpdate) (*Business, error)
}

// FoldVietnamese lower-cases s and removes Vietnamese diacritics (đ becomes d) so that "hoa hong"
// matches "Hoa Hồng". It is used for search keys and duplicate detection.
func FoldVietnamese(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		if f, ok := vietFold[r]; ok {
			b.WriteRune(f)
			continue
		}
		if r >= 0x300 && r <= 0x36f { // combining marks left by decomposed (NFD) input
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var vietFold = func() map[rune]rune {
	groups := map[rune]string{
		'a': "àáảãạăằắẳẵặâầấẩẫậ",
		'e': "èéẻẽẹêềếểễệ",
		'i': "ìíỉĩị",
		'o': "òóỏõọôồốổỗộơờớởỡợ",
		'u': "ùúủũụưừứửữự",
		'y': "ỳýỷỹỵ",
		'd': "đ",
	}
	m := make(map[rune]rune)
	for base, letters := range groups {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// BusinessLocation is what the spatial index needs of a business.
type BusinessLocation struct {
	ID  string
	Lat float64
	Lon float64
}

// ApplyUpdate copies the set fields of upd onto b (not the version).
func (b *Business) ApplyUpdate(upd BusinessUpdate) {
	setS := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	setS(&b.Name, upd.Name)
	setS(&b.Category, upd.Category)
	setS(&b.SecurityCertNo, upd.SecurityCertNo)
	setS(&b.TaxCode, upd.TaxCode)
	setS(&b.Address, upd.Address)
	setS(&b.Phone, upd.Phone)
	setS(&b.OwnerName, upd.OwnerName)
	setS(&b.Status, upd.Status)
	setS(&b.Notes, upd.Notes)
	if upd.LicenceNo != nil {
		if v := NormaliseLicence(*upd.LicenceNo); v == "" {
			b.LicenceNo = nil
		} else {
			b.LicenceNo = &v
		}
	}
	if upd.Lat != nil {
		b.Lat = *upd.Lat
	}
	if upd.Lon != nil {
		b.Lon = *upd.Lon
	}
	if upd.StatusSince != nil {
		b.StatusSince = *upd.StatusSince
	}
	if upd.OpenedOn != nil {
		b.OpenedOn = *upd.OpenedOn
	}
	if upd.ClosedOn != nil {
		b.ClosedOn = *upd.ClosedOn
	}
}
