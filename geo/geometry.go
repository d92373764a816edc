package geo

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/paulmach/orb"

	"kiemtra/models"
)

// coord is one number of a GeoJSON position. It exists because encoding/json (and orb, which
// decodes into [2]float64) turns null into 0 and [105] into (105, 0) without a word; an area
// drawn through (0, 0) is a problem to report, not to guess.
type coord float64

func (c *coord) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return errors.New("a coordinate is null")
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return fmt.Errorf("a coordinate is not a number: %s", b)
	}
	*c = coord(f)
	return nil
}

// rawGeometry is a Polygon or MultiPolygon exactly as the text says: rings not closed by
// anyone, positions with however many numbers they had. A Polygon is stored as a MultiPolygon
// with one polygon so that every check walks one shape.
type rawGeometry struct {
	Type  string
	Polys [][][][]coord // polygon, ring, position, number
}

// geomError is a problem found while reading a geometry, with the kind that the validation
// report files it under.
type geomError struct {
	kind   string
	en, vi string
}

func newGeomError(kind, en, vi string, args ...any) *geomError {
	return &geomError{kind: kind, en: fmt.Sprintf(en, args...), vi: fmt.Sprintf(vi, args...)}
}

func (e *geomError) modelError() *models.Error {
	return &models.Error{Code: models.EINVALID, Field: "geometry", Message: e.en, MessageVI: e.vi,
		Details: []models.FieldError{{Field: "geometry", Message: e.en, MessageVI: e.vi}}}
}

// decodeRaw reads the type and the coordinates of a GeoJSON geometry without interpreting them.
func decodeRaw(s []byte) (rawGeometry, *geomError) {
	var doc struct {
		Type        *string         `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(s, &doc); err != nil {
		return rawGeometry{}, newGeomError(ProblemInvalidGeometry,
			"geometry is not a GeoJSON object: %v", "hình học không phải đối tượng GeoJSON: %v", err)
	}
	if doc.Type == nil || *doc.Type == "" {
		return rawGeometry{}, newGeomError(ProblemInvalidGeometry,
			"geometry has no type", "hình học không có kiểu (type)")
	}
	g := rawGeometry{Type: *doc.Type}
	if g.Type != "Polygon" && g.Type != "MultiPolygon" {
		return g, newGeomError(ProblemInvalidGeometry,
			"geometry type %q is not Polygon or MultiPolygon", "kiểu hình học %q không phải Polygon hoặc MultiPolygon", g.Type)
	}
	if len(doc.Coordinates) == 0 || bytes.Equal(doc.Coordinates, []byte("null")) {
		return g, newGeomError(ProblemInvalidGeometry,
			"the %s has no coordinates", "%s không có tọa độ (coordinates)", g.Type)
	}
	var err error
	if g.Type == "Polygon" {
		var p [][][]coord
		err = json.Unmarshal(doc.Coordinates, &p)
		g.Polys = [][][][]coord{p}
	} else {
		err = json.Unmarshal(doc.Coordinates, &g.Polys)
	}
	if err != nil {
		return g, newGeomError(ProblemInvalidGeometry,
			"the coordinates are not those of a %s: %v", "tọa độ không đúng cấu trúc của %s: %v", g.Type, err)
	}
	return g, nil
}

// checkStructure reports the first problem that makes g unusable as a shape: no polygons, a
// polygon without rings, a ring of fewer than 4 positions, a position of fewer than 2 numbers.
// Ranges and closure are checked elsewhere, because ParseGeometry tolerates them.
func (g rawGeometry) checkStructure() *geomError {
	if len(g.Polys) == 0 {
		return newGeomError(ProblemInvalidGeometry, "the MultiPolygon has no polygons", "MultiPolygon không có đa giác nào")
	}
	for pi, p := range g.Polys {
		if len(p) == 0 {
			return newGeomError(ProblemInvalidGeometry, "polygon %d has no rings", "đa giác %d không có vòng nào", pi)
		}
		for ri, r := range p {
			if len(r) < 4 {
				return newGeomError(ProblemInvalidGeometry,
					"ring %d of polygon %d has %d positions, fewer than 4",
					"vòng %d của đa giác %d chỉ có %d tọa độ, ít hơn 4", ri, pi, len(r))
			}
			for qi, q := range r {
				if len(q) < 2 {
					return newGeomError(ProblemInvalidGeometry,
						"position %d of ring %d of polygon %d has %d numbers, fewer than 2",
						"tọa độ %d của vòng %d của đa giác %d chỉ có %d số, ít hơn 2", qi, ri, pi, len(q))
				}
			}
		}
	}
	return nil
}

// checkRange reports the first position outside WGS84 longitude and latitude. A swapped pair
// (latitude first) is the usual cause, and would put a ward of Can Tho in the Arctic.
func (g rawGeometry) checkRange() *geomError {
	for pi, p := range g.Polys {
		for ri, r := range p {
			for qi, q := range r {
				lon, lat := float64(q[0]), float64(q[1])
				if !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) {
					return newGeomError(ProblemInvalidGeometry,
						"position %d of ring %d of polygon %d (%g, %g) is outside the WGS84 longitude/latitude range",
						"tọa độ %d của vòng %d của đa giác %d (%g, %g) nằm ngoài phạm vi kinh độ/vĩ độ WGS84",
						qi, ri, pi, lon, lat)
				}
			}
		}
	}
	return nil
}

// rings returns the polygons as orb rings, each closed: readers of GeoJSON commonly close an
// open ring, and the validation report is where an open ring is pointed out.
func (g rawGeometry) rings() orb.MultiPolygon {
	mp := make(orb.MultiPolygon, len(g.Polys))
	for pi, p := range g.Polys {
		poly := make(orb.Polygon, len(p))
		for ri, r := range p {
			ring := make(orb.Ring, len(r), len(r)+1)
			for qi, q := range r {
				ring[qi] = orb.Point{float64(q[0]), float64(q[1])}
			}
			if ring[0] != ring[len(ring)-1] {
				ring = append(ring, ring[0])
			}
			poly[ri] = ring
		}
		mp[pi] = poly
	}
	return mp
}

// ParseGeometry reads a GeoJSON Polygon or MultiPolygon (WGS84, longitude first) and returns an
// orb.Polygon or orb.MultiPolygon. Any other type, a ring of fewer than 4 positions or a position
// of fewer than 2 numbers is an invalid error (*models.Error) in English and Vietnamese. An
// altitude is dropped and an unclosed ring is closed, so that one sloppy ring does not keep a
// whole index from being built; ValidateAreaGeometries reports both before an import.
func ParseGeometry(s string) (orb.Geometry, error) {
	g, gerr := decodeRaw([]byte(s))
	if gerr == nil {
		gerr = g.checkStructure()
	}
	if gerr != nil {
		return nil, gerr.modelError()
	}
	mp := g.rings()
	if g.Type == "Polygon" {
		return mp[0], nil
	}
	return mp, nil
}

// asMultiPolygon returns g as a MultiPolygon, the one shape the index and the checks walk.
func asMultiPolygon(g orb.Geometry) orb.MultiPolygon {
	switch v := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{v}
	case orb.MultiPolygon:
		return v
	}
	return nil
}
