package geo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"kiemtra/models"
)

func TestAreaFeatureCollection(t *testing.T) {
	areas := []*models.Area{
		{Code: "92", Name: "Thành phố Cần Thơ", Level: models.AreaLevelCity, Geometry: polygonJSON(t, orb.Polygon{square(105, 10, 1)})},
		{Code: "31117", ParentCode: ptr("916"), Name: "Phường Xuân Khánh", Level: models.AreaLevelWard,
			Geometry: "{\n  \"type\": \"Polygon\",\n  \"coordinates\": [[[105.1,10.1],[105.2,10.1],[105.2,10.2],[105.1,10.1]]]\n}"},
		{Code: "NOGEOM", Name: "Chưa có ranh giới", Level: models.AreaLevelWard},
	}
	props := func(a *models.Area) map[string]any {
		return map[string]any{"inspected_share": 0.25, "name": "overridden"}
	}
	b, err := AreaFeatureCollection(areas, props)
	if err != nil {
		t.Fatalf("AreaFeatureCollection: %v", err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatalf("the output is not GeoJSON: %v\n%s", err, b)
	}
	t.Run("every area becomes a feature with its code as id", func(t *testing.T) {
		if len(fc.Features) != 3 {
			t.Fatalf("%d features, want 3", len(fc.Features))
		}
		for i, f := range fc.Features {
			if f.ID != areas[i].Code {
				t.Fatalf("feature %d id %v, want %s", i, f.ID, areas[i].Code)
			}
		}
	})
	t.Run("the geometry is the stored text", func(t *testing.T) {
		want, _ := ParseGeometry(areas[1].Geometry)
		if !orb.Equal(fc.Features[1].Geometry, want) {
			t.Fatalf("geometry %v, want %v", fc.Features[1].Geometry, want)
		}
	})
	t.Run("an area without geometry has a null geometry", func(t *testing.T) {
		if !bytes.Contains(b, []byte(`"geometry":null,"id":"NOGEOM"`)) && !bytes.Contains(b, []byte(`"id":"NOGEOM","geometry":null`)) {
			t.Fatalf("no null geometry for NOGEOM in %s", b)
		}
	})
	t.Run("the area's own properties win over the callback's", func(t *testing.T) {
		p := fc.Features[1].Properties
		if p["code"] != "31117" || p["name"] != "Phường Xuân Khánh" || p["level"] != "ward" || p["parent_code"] != "916" || p["inspected_share"] != 0.25 {
			t.Fatalf("properties %v", p)
		}
		if v, ok := fc.Features[0].Properties["parent_code"]; !ok || v != nil {
			t.Fatalf("a root's parent_code is %v (present %v), want null", v, ok)
		}
	})
	t.Run("no areas make an empty collection", func(t *testing.T) {
		b, err := AreaFeatureCollection(nil, nil)
		if err != nil || string(b) != `{"type":"FeatureCollection","features":[]}` {
			t.Fatalf("got %s, %v", b, err)
		}
	})
	t.Run("a stored geometry that is not JSON is an error naming the area", func(t *testing.T) {
		_, err := AreaFeatureCollection([]*models.Area{{Code: "BROKEN", Geometry: "{"}}, nil)
		if err == nil || !strings.Contains(err.Error(), "BROKEN") {
			t.Fatalf("error %v does not name the area", err)
		}
	})
}

func TestPointFeatureCollection(t *testing.T) {
	b, err := PointFeatureCollection([]Point{{"b1", 10.03, 105.78}}, func(p Point) map[string]any { return map[string]any{"category": "karaoke"} })
	if err != nil {
		t.Fatal(err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		t.Fatalf("the output is not GeoJSON: %v", err)
	}
	f := fc.Features[0]
	if f.ID != "b1" || f.Geometry != (orb.Point{105.78, 10.03}) || f.Properties["category"] != "karaoke" {
		t.Fatalf("feature %+v", f)
	}
}

// featureCollection builds an import file from features given as property maps plus geometry.
func featureCollection(t *testing.T, features ...map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": features})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func feature(geometry any, props map[string]any) map[string]any {
	return map[string]any{"type": "Feature", "geometry": geometry, "properties": props}
}

func TestReadAreasGeoJSON(t *testing.T) {
	sq := json.RawMessage(`{"type":"Polygon","coordinates":[[[105.7,10.0],[105.8,10.0],[105.8,10.1],[105.7,10.1],[105.7,10.0]]]}`)
	// A U open to the north, whose centroid falls in the notch.
	u := json.RawMessage(`{ "type": "Polygon", "coordinates": [[[0,0],[3,0],[3,3],[2,3],[2,1],[1,1],[1,3],[0,3],[0,0]]] }`)
	full := feature(sq, map[string]any{"code": "31117", "name": " Phường Xuân Khánh ", "level": "ward", "parent_code": "916",
		"type_name": "Phường", "valid_from": "2021-01-01", "valid_to": "2025-06-30", "lat": 10.05, "lon": 105.75})

	t.Run("a complete feature becomes an area", func(t *testing.T) {
		areas, err := ReadAreasGeoJSON(bytes.NewReader(featureCollection(t, full)), 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		a := areas[0]
		if a.Code != "31117" || a.Name != "Phường Xuân Khánh" || a.Level != "ward" || a.ParentCode == nil || *a.ParentCode != "916" ||
			a.TypeName != "Phường" || a.ValidFrom != models.NewDate(2021, 1, 1) || a.ValidTo != models.NewDate(2025, 6, 30) ||
			a.Lat != 10.05 || a.Lon != 105.75 || a.Geometry != string(sq) {
			t.Fatalf("area %+v", a)
		}
	})
	t.Run("an escaped lone surrogate in a name is refused, not stored as U+FFFD", func(t *testing.T) {
		doc := `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":` + string(sq) + `,"properties":{"code":"X","name":"Phường \ud800","level":"ward"}}]}`
		_, err := ReadAreasGeoJSON(strings.NewReader(doc), 0)
		if e := models.ErrorAs(err); e == nil || e.Field != "features[0].properties.name" {
			t.Fatalf("error %v, want the name named", err)
		}
	})
	t.Run("a missing label point is computed inside the polygon, not at the centroid", func(t *testing.T) {
		areas, err := ReadAreasGeoJSON(bytes.NewReader(featureCollection(t,
			feature(u, map[string]any{"code": "U", "name": "U", "level": "ward", "parent_code": nil}))), 0)
		if err != nil {
			t.Fatal(err)
		}
		a := areas[0]
		g, _ := ParseGeometry(a.Geometry)
		if !planar.PolygonContains(g.(orb.Polygon), orb.Point{a.Lon, a.Lat}) {
			t.Fatalf("label (%v, %v) is outside the polygon", a.Lat, a.Lon)
		}
		if a.ParentCode != nil {
			t.Fatalf("a null parent_code became %q", *a.ParentCode)
		}
		if a.Geometry != `{"type":"Polygon","coordinates":[[[0,0],[3,0],[3,3],[2,3],[2,1],[1,1],[1,3],[0,3],[0,0]]]}` {
			t.Fatalf("geometry not kept compacted: %s", a.Geometry)
		}
	})
	t.Run("a byte-order mark is accepted", func(t *testing.T) {
		data := append([]byte("\xef\xbb\xbf"), featureCollection(t, full)...)
		if _, err := ReadAreasGeoJSON(bytes.NewReader(data), 0); err != nil {
			t.Fatal(err)
		}
	})

	for _, tc := range []struct {
		name      string
		data      []byte
		maxBytes  int64
		wantCode  string
		wantField string
		wantEN    string
		wantVI    string
	}{
		{"a file over the limit is too large", featureCollection(t, full), 100, models.ETOOLARGE, "", "larger than 100 bytes", "lớn hơn 100 byte"},
		{"an empty file is refused", nil, 0, models.EINVALID, "file", "empty", "tệp rỗng"},
		{"a file of blanks is refused", []byte(" \n\t"), 0, models.EINVALID, "file", "empty", "tệp rỗng"},
		{"a file that is not UTF-8 is refused", []byte(`{"type":"FeatureCollection","name":"Ph` + "\xf0\x28" + `"}`), 0, models.EINVALID, "file", "not UTF-8", "không phải văn bản UTF-8"},
		{"a file that is not JSON is refused", []byte(`code,name\n1,a`), 0, models.EINVALID, "file", "not valid JSON", "không phải JSON hợp lệ"},
		{"a JSON array is not a FeatureCollection", []byte(`[1,2]`), 0, models.EINVALID, "file", "not a GeoJSON FeatureCollection", "không phải GeoJSON FeatureCollection"},
		{"a single feature is not a FeatureCollection", []byte(`{"type":"Feature","geometry":null,"properties":{}}`), 0, models.EINVALID, "type", "not a GeoJSON FeatureCollection", "FeatureCollection"},
		{"a collection without features is refused", []byte(`{"type":"FeatureCollection","features":[]}`), 0, models.EINVALID, "features", "no features", "không có đối tượng"},
		{"features that are not an array are refused", []byte(`{"type":"FeatureCollection","features":{}}`), 0, models.EINVALID, "features", "not an array", "không phải một mảng"},
		{"a feature without geometry is refused", featureCollection(t, feature(nil, map[string]any{"code": "1", "name": "a", "level": "ward"})),
			0, models.EINVALID, "features[0].geometry", "no geometry", "không có hình học"},
		{"a point geometry is refused by type", featureCollection(t, feature(json.RawMessage(`{"type":"Point","coordinates":[105,10]}`), map[string]any{"code": "1", "name": "a", "level": "ward"})),
			0, models.EINVALID, "features[0].geometry", `"Point" is not Polygon`, `"Point" không phải Polygon`},
		{"a degenerate polygon has no label and is refused", featureCollection(t, feature(json.RawMessage(`{"type":"Polygon","coordinates":[[[0,0],[1,1],[2,2],[0,0]]]}`), map[string]any{"code": "1", "name": "a", "level": "ward"})),
			0, models.EINVALID, "features[0].geometry", "encloses no area", "không bao phủ diện tích"},
		{"something other than a feature is refused", []byte(`{"type":"FeatureCollection","features":[{"type":"Point"}]}`), 0, models.EINVALID, "features[0]", "not a GeoJSON Feature", "không phải GeoJSON Feature"},
		{"a missing code is named", featureCollection(t, feature(sq, map[string]any{"name": "a", "level": "ward"})),
			0, models.EINVALID, "features[0].properties.code", "code is required", "thiếu code"},
		{"a numeric code is refused, as it has lost its leading zeros", featureCollection(t, feature(sq, map[string]any{"code": 4, "name": "a", "level": "ward"})),
			0, models.EINVALID, "features[0].properties.code", "must be a string", "phải là chuỗi"},
		{"a blank name is named", featureCollection(t, feature(sq, map[string]any{"code": "1", "name": "  ", "level": "ward"})),
			0, models.EINVALID, "features[0].properties.name", "name is required", "thiếu name"},
		{"a NUL in a name is named, as PostgreSQL would refuse it", featureCollection(t, feature(sq, map[string]any{"code": "1", "name": "Phường\x00 An Hòa", "level": "ward"})),
			0, models.EINVALID, "features[0].properties.name", "name contains the character U+0000", "name chứa ký tự rỗng U+0000"},
		{"a missing level is named", featureCollection(t, feature(sq, map[string]any{"code": "1", "name": "a"})),
			0, models.EINVALID, "features[0].properties.level", "level is required", "thiếu level"},
		{"a bad date is named", featureCollection(t, feature(sq, map[string]any{"code": "1", "name": "a", "level": "ward", "valid_from": "01/01/2021"})),
			0, models.EINVALID, "features[0].properties.valid_from", "not a date", "không phải ngày"},
		{"an end before the start is refused", featureCollection(t, feature(sq, map[string]any{"code": "1", "name": "a", "level": "ward", "valid_from": "2025-01-01", "valid_to": "2024-01-01"})),
			0, models.EINVALID, "features[0].properties.valid_to", "before valid_from", "trước valid_from"},
		{"a latitude without longitude is refused", featureCollection(t, feature(sq, map[string]any{"code": "1", "name": "a", "level": "ward", "lat": 10})),
			0, models.EINVALID, "features[0].properties.lon", "together", "đi cùng nhau"},
		{"a latitude out of range is refused", featureCollection(t, feature(sq, map[string]any{"code": "1", "name": "a", "level": "ward", "lat": 105.7, "lon": 10})),
			0, models.EINVALID, "features[0].properties.lat", "outside -90..90", "nằm ngoài khoảng -90..90"},
		{"an area that is its own parent is refused", featureCollection(t, feature(sq, map[string]any{"code": "1", "name": "a", "level": "ward", "parent_code": "1"})),
			0, models.EINVALID, "features[0].properties.parent_code", "own parent", "chính nó"},
		{"a code used twice is refused at the second use", featureCollection(t, full, full),
			0, models.EINVALID, "features[1].properties.code", "code 31117 is also used by features[0]", "mã 31117 đã được dùng ở features[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			areas, err := ReadAreasGeoJSON(bytes.NewReader(tc.data), tc.maxBytes)
			if err == nil {
				t.Fatalf("ReadAreasGeoJSON succeeded with %d areas", len(areas))
			}
			e := models.ErrorAs(err)
			if e == nil || e.Code != tc.wantCode {
				t.Fatalf("error %v, want code %s", err, tc.wantCode)
			}
			if e.Field != tc.wantField || !strings.Contains(e.Message, tc.wantEN) || !strings.Contains(e.MessageVI, tc.wantVI) {
				t.Fatalf("error field %q, %q / %q; want field %q containing %q / %q", e.Field, e.Message, e.MessageVI, tc.wantField, tc.wantEN, tc.wantVI)
			}
		})
	}

	t.Run("every bad feature is reported at once", func(t *testing.T) {
		data := featureCollection(t,
			feature(sq, map[string]any{"code": "1", "level": "ward"}),
			feature(sq, map[string]any{"code": "2", "name": "b", "level": "ward"}),
			feature(nil, map[string]any{"code": "3", "name": "c"}))
		_, err := ReadAreasGeoJSON(bytes.NewReader(data), 0)
		e := models.ErrorAs(err)
		if e == nil {
			t.Fatalf("error %v", err)
		}
		var fields []string
		for _, d := range e.Details {
			fields = append(fields, d.Field)
		}
		if got := strings.Join(fields, " "); got != "features[0].properties.name features[2].properties.level features[2].geometry" {
			t.Fatalf("fields %s", got)
		}
	})
	t.Run("a file of thousands of bad features reports the first 50", func(t *testing.T) {
		var fs []map[string]any
		for i := 0; i < 2000; i++ {
			fs = append(fs, feature(sq, map[string]any{"code": fmt.Sprint(i)}))
		}
		_, err := ReadAreasGeoJSON(bytes.NewReader(featureCollection(t, fs...)), 0)
		if e := models.ErrorAs(err); e == nil || len(e.Details) < 50 || len(e.Details) > 52 {
			t.Fatalf("error %v", err)
		}
	})
}

func TestReadAreasGeoJSONReadsWhatAreaFeatureCollectionWrites(t *testing.T) {
	city := newTestCity(t, 2, 2)
	b, err := AreaFeatureCollection(city.areas, roundTripProps)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ReadAreasGeoJSON(bytes.NewReader(b), 0)
	if err != nil {
		t.Fatal(err)
	}
	sameAreas(t, back, city.areas)
}

// roundTripProps adds the properties AreaFeatureCollection leaves to the caller, so that an
// import of an export loses nothing the import reads.
func roundTripProps(a *models.Area) map[string]any {
	return map[string]any{"type_name": a.TypeName, "valid_from": a.ValidFrom.String(), "valid_to": a.ValidTo.String(), "lat": a.Lat, "lon": a.Lon}
}

func sameAreas(t *testing.T, got, want []*models.Area) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d areas, want %d", len(got), len(want))
	}
	for i, a := range got {
		w := want[i]
		var wantGeom bytes.Buffer
		if err := json.Compact(&wantGeom, []byte(strings.TrimSpace(w.Geometry))); err != nil {
			t.Fatal(err)
		}
		same := a.Code == w.Code && a.Name == strings.TrimSpace(w.Name) && a.Level == strings.TrimSpace(w.Level) &&
			a.TypeName == strings.TrimSpace(w.TypeName) && (a.ParentCode == nil) == (w.ParentCode == nil) &&
			(a.ParentCode == nil || *a.ParentCode == *w.ParentCode) && a.ValidFrom == w.ValidFrom && a.ValidTo == w.ValidTo &&
			a.Lat == w.Lat && a.Lon == w.Lon && a.Geometry == wantGeom.String()
		if !same {
			t.Fatalf("area %d came back as %+v, want %+v", i, a, w)
		}
	}
}

// FuzzReadAreasGeoJSON feeds arbitrary files to the importer. It must never panic; what it
// accepts must be usable by every other part of the package, and must survive an export and
// re-import unchanged.
func FuzzReadAreasGeoJSON(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]},"properties":{"code":"1","name":"a","level":"ward"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		areas, err := ReadAreasGeoJSON(bytes.NewReader(data), 1<<16)
		if err != nil {
			if models.ErrorAs(err) == nil {
				t.Fatalf("error %v is not an application error", err)
			}
			return
		}
		for _, a := range areas {
			if a.Code == "" || a.Name == "" || a.Level == "" || !validLatLon(a.Lat, a.Lon) {
				t.Fatalf("accepted area %+v", a)
			}
			if _, err := ParseGeometry(a.Geometry); err != nil {
				t.Fatalf("accepted geometry %s does not parse: %v", a.Geometry, err)
			}
		}
		ValidateAreaGeometries(areas)
		x, err := NewAreaIndex(areas)
		if err != nil {
			t.Fatalf("accepted areas do not index: %v", err)
		}
		for _, a := range areas {
			x.Locate(a.Lat, a.Lon)
			x.LocateAll(a.Lat, a.Lon)
		}
		b, err := AreaFeatureCollection(areas, roundTripProps)
		if err != nil {
			t.Fatalf("accepted areas do not export: %v", err)
		}
		back, err := ReadAreasGeoJSON(bytes.NewReader(b), 0)
		if err != nil {
			t.Fatalf("the export of accepted areas is refused: %v\n%s", err, b)
		}
		sameAreas(t, back, areas)
	})
}
