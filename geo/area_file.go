package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"kiemtra/models"
)

// maxImportProblems bounds the problems one import reports: a file with the wrong property
// names would otherwise produce three per feature, thousands in all, and the first few say it.
const maxImportProblems = 50

// AreaFile is a boundary file as ReadAreaFile read it: the naming of its properties
// (models.AreaSourceKiemtra, ...) and its features, not yet matched to stored units.
type AreaFile struct {
	Source   string
	Features []*models.ImportedArea
}

// ReadAreasGeoJSON reads a GeoJSON FeatureCollection of areas in kiemtra's own naming (what
// AreaFeatureCollection writes). Each feature needs a Polygon or MultiPolygon geometry and the
// properties code, name and level (strings); optional are parent_code, type_name, valid_from and
// valid_to (YYYY-MM-DD), and lat and lon (a label point; when absent a point inside the largest
// polygon is computed, see LabelPoint). The geometry is kept as its GeoJSON text, compacted;
// Path and Depth are left for the store, which knows the parents.
//
// A body larger than maxBytes (when positive) is a too_large error. Anything else wrong is an
// invalid error (*models.Error) in English and Vietnamese, naming the field (for example
// "features[3].properties.code"); problems in features are collected, up to 50, so that one
// attempt shows what to fix. Geometry quality (closure, self-intersections, overlaps) is the job
// of ValidateAreaGeometries.
func ReadAreasGeoJSON(r io.Reader, maxBytes int64) ([]*models.Area, error) {
	f, err := readAreaFile(r, maxBytes, models.AreaSourceKiemtra, nil)
	if err != nil {
		return nil, err
	}
	areas := make([]*models.Area, len(f.Features))
	for i, fa := range f.Features {
		a := fa.Area
		areas[i] = &a
	}
	return areas, nil
}

// ReadAreaFile reads a GeoJSON FeatureCollection of administrative units whose properties are
// named as one of the sources docs/areas.md lists: kiemtra's own (see ReadAreasGeoJSON), GSO
// codes as in the dvhcvn data (level1_id, level2_id, level3_id, name, type), GADM (GID_n,
// NAME_n, TYPE_n, ENGTYPE_n, VARNAME_n) or OpenStreetMap (ref:gso, name, admin_level). The
// naming is told from the property names (case does not matter); m, when not nil, names the
// properties of some or all fields instead, over whatever naming is recognised. A file whose
// naming is not recognised and that no mapping covers is an invalid error on "properties"
// listing the property names the file has.
//
// Each feature's geometry is checked as ReadAreasGeoJSON checks it; its properties become a
// models.ImportedArea whose code, parent and level may still have to be found among the stored
// units (the registry's import does that).
func ReadAreaFile(r io.Reader, maxBytes int64, m *models.AreaPropertyMapping) (*AreaFile, error) {
	return readAreaFile(r, maxBytes, "", m)
}

// rawFeature is one decoded feature of a FeatureCollection.
type rawFeature struct {
	Type       string                     `json:"type"`
	Geometry   json.RawMessage            `json:"geometry"`
	Properties map[string]json.RawMessage `json:"properties"`
	ok         bool                       // a GeoJSON Feature
}

// readAreaFile reads the file in the naming source, or recognises it when source is "".
func readAreaFile(r io.Reader, maxBytes int64, source string, m *models.AreaPropertyMapping) (*AreaFile, error) {
	raws, err := readFeatureCollection(r, maxBytes)
	if err != nil {
		return nil, err
	}
	features := make([]rawFeature, len(raws))
	for i, raw := range raws {
		f := &features[i]
		f.ok = json.Unmarshal(raw, f) == nil && f.Type == "Feature"
	}
	if source == "" {
		if source, err = recogniseSource(features, m); err != nil {
			return nil, err
		}
	}
	var v models.Validation
	out := &AreaFile{Source: source, Features: make([]*models.ImportedArea, 0, len(features))}
	for i := range features {
		if len(v.Problems) >= maxImportProblems {
			break
		}
		field := fmt.Sprintf("features[%d]", i)
		if !features[i].ok {
			v.Add(field, "is not a GeoJSON Feature", "không phải GeoJSON Feature")
			continue
		}
		if fa := readFeature(&v, field, source, &features[i], m); fa != nil {
			fa.Field = field
			out.Features = append(out.Features, fa)
		}
	}
	checkDuplicateCodes(&v, out.Features)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// readFeatureCollection reads the file and returns its features, undecoded.
func readFeatureCollection(r io.Reader, maxBytes int64) ([]json.RawMessage, error) {
	src := r
	if maxBytes > 0 {
		src = io.LimitReader(r, maxBytes+1)
	}
	data, err := io.ReadAll(src)
	if err != nil {
		return nil, fmt.Errorf("read areas GeoJSON: %w", err)
	}
	if maxBytes > 0 && int64(len(data)) > maxBytes {
		return nil, models.NewError(models.ETOOLARGE, "the file is larger than %d bytes", "tệp lớn hơn %d byte", maxBytes)
	}
	// Desktop GIS tools on Windows write a byte-order mark, which encoding/json rejects.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, invalid("file", "the file is empty", "tệp rỗng")
	}
	// encoding/json would replace bad bytes with U+FFFD and store mangled names.
	if !utf8.Valid(data) {
		return nil, invalid("file", "the file is not UTF-8 text", "tệp không phải văn bản UTF-8")
	}
	var doc struct {
		Type     json.RawMessage `json:"type"`
		Features json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return nil, models.Invalid("file", "the file is not valid JSON (at byte %d)", "tệp không phải JSON hợp lệ (tại byte %d)", syn.Offset)
		}
		return nil, invalid("file", "the file is not a GeoJSON FeatureCollection", "tệp không phải GeoJSON FeatureCollection")
	}
	// encoding/json turned an escaped lone surrogate into U+FFFD: the document's own text decides
	// (the properties' NULs are named below, with the other problems of each feature).
	if err := models.CheckJSONEncoding(data); err != nil {
		return nil, err
	}
	var typ string
	if json.Unmarshal(doc.Type, &typ) != nil || typ != "FeatureCollection" {
		if fs, ok := dvhcvnFeatures(data); ok {
			return fs, nil
		}
		return nil, invalid("type", "the file is not a GeoJSON FeatureCollection", "tệp không phải GeoJSON FeatureCollection")
	}
	var features []json.RawMessage
	if json.Unmarshal(doc.Features, &features) != nil {
		return nil, invalid("features", "features is not an array", "features không phải một mảng")
	}
	if len(features) == 0 {
		return nil, invalid("features", "the FeatureCollection has no features", "FeatureCollection không có đối tượng (feature) nào")
	}
	return features, nil
}

// dvhcvnUnit is a unit of the dvhcvn project's GIS files (data/gis/NN.json): a province with
// its districts, each with the coordinates of a MultiPolygon; "type" is the geometry's type.
type dvhcvnUnit struct {
	Level1ID    json.RawMessage `json:"level1_id"`
	Level2ID    json.RawMessage `json:"level2_id"`
	Name        json.RawMessage `json:"name"`
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
	Level2s     []dvhcvnUnit    `json:"level2s"`
}

// dvhcvnFeatures turns a dvhcvn GIS file into GeoJSON features with the GSO property names,
// so that the project's own files import as they are. ok is false for any other document.
// Units without coordinates (a province given only as the holder of its districts) are left
// out.
func dvhcvnFeatures(data []byte) ([]json.RawMessage, bool) {
	var top dvhcvnUnit
	if json.Unmarshal(data, &top) != nil || len(top.Level1ID) == 0 || len(top.Level2s) == 0 {
		return nil, false
	}
	var out []json.RawMessage
	add := func(u dvhcvnUnit, level2 bool) {
		if len(bytes.TrimSpace(u.Coordinates)) == 0 {
			return
		}
		props := map[string]json.RawMessage{"level1_id": top.Level1ID, "name": u.Name}
		if level2 {
			props["level2_id"] = u.Level2ID
		}
		typ := u.Type
		if typ != "Polygon" {
			typ = "MultiPolygon"
		}
		geom, _ := json.Marshal(map[string]any{"type": typ, "coordinates": u.Coordinates})
		f, _ := json.Marshal(map[string]any{"type": "Feature", "geometry": json.RawMessage(geom), "properties": props})
		out = append(out, f)
	}
	add(top, false)
	for _, u := range top.Level2s {
		add(u, true)
	}
	return out, len(out) > 0
}

// readFeature reads one feature, records its problems in v and returns nil when it has any.
func readFeature(v *models.Validation, field, source string, f *rawFeature, m *models.AreaPropertyMapping) *models.ImportedArea {
	before := len(v.Problems)
	pr := newPropReader(v, field+".properties", f.Properties)
	fa := readProperties(pr, source, m)
	a := &fa.Area
	lat, hasLat, latOK := 0.0, false, false
	lon, hasLon, lonOK := 0.0, false, false
	if source == models.AreaSourceKiemtra {
		lat, hasLat, latOK = pr.num("lat", -90, 90)
		lon, hasLon, lonOK = pr.num("lon", -180, 180)
		if hasLat != hasLon {
			missing := "lat"
			if hasLat {
				missing = "lon"
			}
			v.Add(pr.field+"."+missing, "lat and lon must be given together", "lat và lon phải đi cùng nhau")
		}
	}

	gfield := field + ".geometry"
	gtext := bytes.TrimSpace(f.Geometry)
	if len(gtext) == 0 || bytes.Equal(gtext, []byte("null")) {
		v.Add(gfield, "the feature has no geometry", "đối tượng không có hình học (geometry)")
		return nil
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, gtext); err != nil {
		v.Add(gfield, "the geometry is not valid JSON", "hình học không phải JSON hợp lệ")
		return nil
	}
	a.Geometry = compact.String()
	g, err := ParseGeometry(a.Geometry)
	if err != nil {
		e := models.ErrorAs(err)
		v.Add(gfield, "%[1]s", "%[2]s", e.Message, e.MessageVI)
		return nil
	}
	if hasLat || hasLon {
		if latOK && lonOK {
			a.Lat, a.Lon = lat, lon
		}
	} else if p, ok := LabelPoint(g); ok {
		a.Lat, a.Lon = p[1], p[0]
	} else {
		v.Add(gfield, "the geometry encloses no area", "hình học không bao phủ diện tích nào")
	}
	if len(v.Problems) > before {
		return nil
	}
	return fa
}

// checkDuplicateCodes refuses two features with one code over the same time: they would be
// one unit version twice. Versions of one code over different periods may share a file.
func checkDuplicateCodes(v *models.Validation, features []*models.ImportedArea) {
	seen := map[string][]*models.ImportedArea{}
	for _, f := range features {
		if f.Area.Code == "" {
			continue
		}
		for _, g := range seen[f.Area.Code] {
			if f.Area.OverlapsInTime(&g.Area) {
				v.Add(f.Field+".properties.code", "code %s is also used by %s", "mã %s đã được dùng ở %s", f.Area.Code, g.Field)
				break
			}
		}
		seen[f.Area.Code] = append(seen[f.Area.Code], f)
	}
}

// propReader reads typed feature properties, recording a problem per bad one. Keys are found
// as written first, then ignoring case (shapefile tools change it).
type propReader struct {
	v     *models.Validation
	field string
	props map[string]json.RawMessage
	fold  map[string]string // lower-case key -> the key as written
}

func newPropReader(v *models.Validation, field string, props map[string]json.RawMessage) *propReader {
	p := &propReader{v: v, field: field, props: props, fold: make(map[string]string, len(props))}
	for k := range props {
		lk := strings.ToLower(k)
		// Two keys that differ only in case: the exact one is found first anyway, and the
		// smaller of the others is taken so that reading does not depend on map order.
		if prev, ok := p.fold[lk]; !ok || k < prev {
			p.fold[lk] = k
		}
	}
	return p
}

// key returns the key as the file writes it, or key itself when the file does not have it.
func (p *propReader) key(key string) string {
	if _, ok := p.props[key]; ok {
		return key
	}
	if k, ok := p.fold[strings.ToLower(key)]; ok {
		return k
	}
	return key
}

func (p *propReader) raw(key string) (json.RawMessage, bool) {
	r, ok := p.props[p.key(key)]
	if !ok || bytes.Equal(bytes.TrimSpace(r), []byte("null")) {
		return nil, false
	}
	return r, true
}

// has reports whether the property is there with a value other than null or blanks.
func (p *propReader) has(key string) bool {
	r, ok := p.raw(key)
	if !ok {
		return false
	}
	var s string
	if json.Unmarshal(r, &s) == nil {
		return strings.TrimSpace(s) != ""
	}
	return true
}

// str reads a string property, trimmed. Numbers are refused rather than converted, because
// administrative codes have leading zeros ("00004") that a number has lost.
func (p *propReader) str(key string, required bool) string {
	r, ok := p.raw(key)
	k := p.key(key)
	var s string
	if ok && json.Unmarshal(r, &s) != nil {
		p.v.Add(p.field+"."+k, "%s must be a string", "%s phải là chuỗi ký tự", k)
		return ""
	}
	if en, vi := models.TextProblem(s); en != "" {
		// A JSON escape (\u0000) gets past the file's UTF-8 check.
		p.v.Add(p.field+"."+k, "%[1]s %[2]s", "%[1]s %[3]s", k, en, vi)
		return ""
	}
	s = strings.TrimSpace(s)
	if s == "" && required {
		p.v.Add(p.field+"."+k, "%s is required", "thiếu %s", k)
	}
	return s
}

// text reads a property that sources write as a string or as a number (OpenStreetMap's
// admin_level): its text, trimmed.
func (p *propReader) text(key string) string {
	r, ok := p.raw(key)
	if !ok {
		return ""
	}
	var f float64
	if json.Unmarshal(r, &f) == nil {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return p.str(key, false)
}

// gsoWidth is the number of digits of a GSO code at each tier.
var gsoWidth = map[int]int{models.TierProvince: 2, models.TierDistrict: 3, models.TierCommune: 5}

// code reads a GSO code. A number is accepted when the tier is known, because the tier says how
// many digits the code has (a province 2, a district 3, a commune 5) and so which leading zeros
// the number lost; otherwise a number is refused as str refuses it.
func (p *propReader) code(key string, tier int) string {
	r, ok := p.raw(key)
	if !ok {
		return ""
	}
	var f float64
	if json.Unmarshal(r, &f) != nil {
		return p.str(key, false)
	}
	k := p.key(key)
	w, known := gsoWidth[tier]
	if !known || f < 0 || f != math.Trunc(f) || f >= math.Pow10(w) {
		p.v.Add(p.field+"."+k, "%s must be a string", "%s phải là chuỗi ký tự", k)
		return ""
	}
	return fmt.Sprintf("%0*d", w, int64(f))
}

func (p *propReader) date(key string) models.Date {
	s := p.str(key, false)
	if s == "" {
		return models.Date{}
	}
	d, err := models.ParseDate(s)
	if err != nil {
		k := p.key(key)
		p.v.Add(p.field+"."+k, "%s %q is not a date YYYY-MM-DD", "%s %q không phải ngày dạng YYYY-MM-DD", k, s)
	}
	return d
}

// num reads a number property in [lo, hi]; present tells whether the key was there at all, so
// that a bad value is not also reported as a missing one.
func (p *propReader) num(key string, lo, hi float64) (f float64, present, ok bool) {
	r, present := p.raw(key)
	if !present {
		return 0, false, false
	}
	k := p.key(key)
	if json.Unmarshal(r, &f) != nil {
		p.v.Add(p.field+"."+k, "%s must be a number", "%s phải là số", k)
		return 0, true, false
	}
	if f < lo || f > hi {
		p.v.Add(p.field+"."+k, "%s %g is outside %g..%g", "%s %g nằm ngoài khoảng %g..%g", k, f, lo, hi)
		return 0, true, false
	}
	return f, true, true
}

// invalid is an invalid error whose messages carry no arguments.
func invalid(field, en, vi string) *models.Error {
	return models.Invalid(field, "%[1]s", "%[2]s", en, vi)
}
