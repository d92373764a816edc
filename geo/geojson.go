package geo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"strings"

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
