package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"strings"
	"unicode/utf8"

	"kiemtra/models"
)

// AreaFeatureCollection encodes areas as a GeoJSON FeatureCollection for the planners' maps.
// Each feature's id is the area code and its geometry is the area's Geometry text as stored
// (null when the area has none), so nothing is lost to re-encoding. Properties are those
// returned by props (which may be nil, or return nil) plus code, name, level and parent_code,
// which always describe the area itself and win over props. A Geometry that is not JSON is an
// internal error naming the area: it means a bad row got past import.
func AreaFeatureCollection(areas []*models.Area, props func(*models.Area) map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(`{"type":"FeatureCollection","features":[`)
	first := true
	for _, a := range areas {
		if a == nil {
			continue
		}
		p := map[string]any{}
		if props != nil {
			maps.Copy(p, props(a))
		}
		p["code"], p["name"], p["level"], p["parent_code"] = a.Code, a.Name, a.Level, a.ParentCode
		geom := json.RawMessage("null")
		if g := strings.TrimSpace(a.Geometry); g != "" {
			if !json.Valid([]byte(g)) {
				return nil, models.Errorf(models.EINTERNAL, "area %s: stored geometry is not JSON", a.Code)
			}
			geom = json.RawMessage(g)
		}
		b, err := json.Marshal(struct {
			Type       string          `json:"type"`
			ID         string          `json:"id"`
			Geometry   json.RawMessage `json:"geometry"`
			Properties map[string]any  `json:"properties"`
		}{"Feature", a.Code, geom, p})
		if err != nil {
			return nil, fmt.Errorf("area %s: encode GeoJSON feature: %w", a.Code, err)
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		buf.Write(b)
	}
	buf.WriteString(`]}`)
	return buf.Bytes(), nil
}

// PointFeatureCollection encodes points (businesses on a coverage map) as a GeoJSON
// FeatureCollection of Point features with id = ID. Properties come from props, which may be nil.
func PointFeatureCollection(pts []Point, props func(Point) map[string]any) ([]byte, error) {
	type geometry struct {
		Type        string     `json:"type"`
		Coordinates [2]float64 `json:"coordinates"`
	}
	type feature struct {
		Type       string         `json:"type"`
		ID         string         `json:"id"`
		Geometry   geometry       `json:"geometry"`
		Properties map[string]any `json:"properties"`
	}
	fc := struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}{Type: "FeatureCollection", Features: make([]feature, 0, len(pts))}
	for _, p := range pts {
		f := feature{Type: "Feature", ID: p.ID, Geometry: geometry{"Point", [2]float64{p.Lon, p.Lat}}, Properties: map[string]any{}}
		if props != nil {
			maps.Copy(f.Properties, props(p))
		}
		fc.Features = append(fc.Features, f)
	}
	b, err := json.Marshal(fc)
	if err != nil {
		return nil, fmt.Errorf("encode GeoJSON points: %w", err)
	}
	return b, nil
}

// maxImportProblems bounds the problems one import reports: a file with the wrong property
// names would otherwise produce three per feature, thousands in all, and the first few say it.
const maxImportProblems = 50

// ReadAreasGeoJSON reads a GeoJSON FeatureCollection of areas for import. Each feature needs a
// Polygon or MultiPolygon geometry and the properties code, name and level (strings); optional
// are parent_code, type_name, valid_from and valid_to (YYYY-MM-DD), and lat and lon (a label
// point; when absent a point inside the largest polygon is computed, see LabelPoint). The
// geometry is kept as its GeoJSON text, compacted; Path and Depth are left for the store, which
// knows the parents.
//
// A body larger than maxBytes (when positive) is a too_large error. Anything else wrong is an
// invalid error (*models.Error) in English and Vietnamese, naming the field (for example
// "features[3].properties.code"); problems in features are collected, up to 50, so that one
// attempt shows what to fix. Geometry quality (closure, self-intersections, overlaps) is the job
// of ValidateAreaGeometries.
func ReadAreasGeoJSON(r io.Reader, maxBytes int64) ([]*models.Area, error) {
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
		return nil, invalid("type", "the file is not a GeoJSON FeatureCollection", "tệp không phải GeoJSON FeatureCollection")
	}
	var features []json.RawMessage
	if json.Unmarshal(doc.Features, &features) != nil {
		return nil, invalid("features", "features is not an array", "features không phải một mảng")
	}
	if len(features) == 0 {
		return nil, invalid("features", "the FeatureCollection has no features", "FeatureCollection không có đối tượng (feature) nào")
	}
	var v models.Validation
	seen := make(map[string]int, len(features))
	areas := make([]*models.Area, 0, len(features))
	for i, raw := range features {
		if len(v.Problems) >= maxImportProblems {
			break
		}
		if a := readAreaFeature(&v, fmt.Sprintf("features[%d]", i), raw); a != nil {
			if j, dup := seen[a.Code]; dup {
				v.Add(fmt.Sprintf("features[%d].properties.code", i), "code %s is also used by features[%d]",
					"mã %s đã được dùng ở features[%d]", a.Code, j)
				continue
			}
			seen[a.Code] = i
			areas = append(areas, a)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return areas, nil
}

// readAreaFeature reads one feature, records its problems in v and returns nil when it has any.
func readAreaFeature(v *models.Validation, field string, raw json.RawMessage) *models.Area {
	before := len(v.Problems)
	var f struct {
		Type       string                     `json:"type"`
		Geometry   json.RawMessage            `json:"geometry"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(raw, &f); err != nil || f.Type != "Feature" {
		v.Add(field, "is not a GeoJSON Feature", "không phải GeoJSON Feature")
		return nil
	}
	pr := propReader{v: v, field: field + ".properties", props: f.Properties}
	a := &models.Area{
		Code:     pr.str("code", true),
		Name:     pr.str("name", true),
		Level:    pr.str("level", true),
		TypeName: pr.str("type_name", false),
	}
	if pc := pr.str("parent_code", false); pc != "" {
		if pc == a.Code {
			v.Add(pr.field+".parent_code", "an area cannot be its own parent", "địa bàn không thể là cấp trên của chính nó")
		}
		a.ParentCode = &pc
	}
	a.ValidFrom = pr.date("valid_from")
	a.ValidTo = pr.date("valid_to")
	if !a.ValidFrom.IsZero() && !a.ValidTo.IsZero() && a.ValidTo.Before(a.ValidFrom) {
		v.Add(pr.field+".valid_to", "valid_to %s is before valid_from %s", "valid_to %s trước valid_from %s", a.ValidTo, a.ValidFrom)
	}
	lat, hasLat, latOK := pr.num("lat", -90, 90)
	lon, hasLon, lonOK := pr.num("lon", -180, 180)
	if hasLat != hasLon {
		missing := "lat"
		if hasLat {
			missing = "lon"
		}
		v.Add(pr.field+"."+missing, "lat and lon must be given together", "lat và lon phải đi cùng nhau")
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
	return a
}

// propReader reads typed feature properties, recording a problem per bad one.
type propReader struct {
	v     *models.Validation
	field string
	props map[string]json.RawMessage
}

func (p propReader) raw(key string) (json.RawMessage, bool) {
	r, ok := p.props[key]
	if !ok || bytes.Equal(bytes.TrimSpace(r), []byte("null")) {
		return nil, false
	}
	return r, true
}

// str reads a string property, trimmed. Numbers are refused rather than converted, because
// administrative codes have leading zeros ("00004") that a number has lost.
func (p propReader) str(key string, required bool) string {
	r, ok := p.raw(key)
	var s string
	if ok && json.Unmarshal(r, &s) != nil {
		p.v.Add(p.field+"."+key, "%s must be a string", "%s phải là chuỗi ký tự", key)
		return ""
	}
	if en, vi := models.TextProblem(s); en != "" {
		// A JSON escape (\u0000) gets past the file's UTF-8 check.
		p.v.Add(p.field+"."+key, "%[1]s %[2]s", "%[1]s %[3]s", key, en, vi)
		return ""
	}
	s = strings.TrimSpace(s)
	if s == "" && required {
		p.v.Add(p.field+"."+key, "%s is required", "thiếu %s", key)
	}
	return s
}

func (p propReader) date(key string) models.Date {
	s := p.str(key, false)
	if s == "" {
		return models.Date{}
	}
	d, err := models.ParseDate(s)
	if err != nil {
		p.v.Add(p.field+"."+key, "%s %q is not a date YYYY-MM-DD", "%s %q không phải ngày dạng YYYY-MM-DD", key, s)
	}
	return d
}

// num reads a number property in [lo, hi]; present tells whether the key was there at all, so
// that a bad value is not also reported as a missing one.
func (p propReader) num(key string, lo, hi float64) (f float64, present, ok bool) {
	r, present := p.raw(key)
	if !present {
		return 0, false, false
	}
	if json.Unmarshal(r, &f) != nil {
		p.v.Add(p.field+"."+key, "%s must be a number", "%s phải là số", key)
		return 0, true, false
	}
	if f < lo || f > hi {
		p.v.Add(p.field+"."+key, "%s %g is outside %g..%g", "%s %g nằm ngoài khoảng %g..%g", key, f, lo, hi)
		return 0, true, false
	}
	return f, true, true
}

// invalid is an invalid error whose messages carry no arguments.
func invalid(field, en, vi string) *models.Error {
	return models.Invalid(field, "%[1]s", "%[2]s", en, vi)
}
