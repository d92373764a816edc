package geo

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"kiemtra/models"
)

// readOne reads a file of one feature with the given properties in any naming.
func readOne(t *testing.T, props map[string]any, m *models.AreaPropertyMapping) (*AreaFile, error) {
	t.Helper()
	sq := json.RawMessage(`{"type":"Polygon","coordinates":[[[105.7,10.0],[105.8,10.0],[105.8,10.1],[105.7,10.1],[105.7,10.0]]]}`)
	return ReadAreaFile(bytes.NewReader(featureCollection(t, feature(sq, props))), 0, m)
}

// imported summarises an imported feature for comparison.
type imported struct {
	source, code, name, typeName, level string
	tier                                int
	parent, ref, parentRef, parentNames string
	locate                              bool
}

func summary(f *AreaFile) imported {
	fa := f.Features[0]
	s := imported{source: f.Source, code: fa.Area.Code, name: fa.Area.Name, typeName: fa.Area.TypeName, level: fa.Area.Level, tier: fa.Tier,
		ref: fa.Ref, parentRef: fa.ParentRef, parentNames: strings.Join(fa.ParentNames, "/"), locate: fa.LocateParent}
	if fa.Area.ParentCode != nil {
		s.parent = *fa.Area.ParentCode
	}
	return s
}

func TestReadAreaFileRecognisesPublicSources(t *testing.T) {
	mapping := func(s string) *models.AreaPropertyMapping {
		m, err := models.ParseAreaPropertyMapping(s)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	for _, tc := range []struct {
		name  string
		props map[string]any
		m     *models.AreaPropertyMapping
		want  imported
	}{
		{"kiemtra's own names are read as written", map[string]any{"code": "31117", "name": "Phường Cái Khế", "level": "ward", "parent_code": "916"}, nil,
			imported{source: "kiemtra", code: "31117", name: "Phường Cái Khế", level: "ward", parent: "916"}},
		{"a dvhcvn ward: the deepest id is the code, the next one up the parent", map[string]any{"level1_id": "92", "level2_id": "916", "level3_id": "31117", "name": "Phường Cái Khế", "type": "Phường"}, nil,
			imported{source: "gso", code: "31117", name: "Phường Cái Khế", typeName: "Phường", tier: 3, parent: "916"}},
		{"a dvhcvn district", map[string]any{"level1_id": "92", "level2_id": "916", "name": "Quận Ninh Kiều", "type": "Quận"}, nil,
			imported{source: "gso", code: "916", name: "Quận Ninh Kiều", typeName: "Quận", tier: 2, parent: "92"}},
		{"a dvhcvn province-level city", map[string]any{"level1_id": "92", "name": "Thành phố Cần Thơ", "type": "Thành phố Trung ương"}, nil,
			imported{source: "gso", code: "92", name: "Thành phố Cần Thơ", typeName: "Thành phố", tier: 1}},
		{"a 2025 list with communes at level2 is read by the type", map[string]any{"level1_id": "92", "level2_id": "31120", "name": "Phường Cái Khế", "type": "Phường"}, nil,
			imported{source: "gso", code: "31120", name: "Phường Cái Khế", typeName: "Phường", tier: 3, parent: "92"}},
		{"a 2025 commune without a district id sits under the province", map[string]any{"level1_id": "92", "level3_id": "31120", "name": "Phường Cái Khế"}, nil,
			imported{source: "gso", code: "31120", name: "Phường Cái Khế", typeName: "Phường", tier: 3, parent: "92"}},
		{"GSO ids written as numbers get their leading zeros back", map[string]any{"level1_id": 1, "level2_id": 1, "level3_id": 4, "name": "Phường Trúc Bạch", "type": "Phường"}, nil,
			imported{source: "gso", code: "00004", name: "Phường Trúc Bạch", typeName: "Phường", tier: 3, parent: "001"}},
		{"a GADM district: no code, its GID, its parent's GID and name, the type before the name", map[string]any{
			"GID_0": "VNM", "GID_1": "VNM.13_1", "NAME_1": "Cần Thơ", "GID_2": "VNM.13.4_1", "NAME_2": "Ninh Kiều", "VARNAME_2": "Ninh Kieu",
			"TYPE_2": "Quận", "ENGTYPE_2": "Urban District", "NL_NAME_2": "NA"}, nil,
			imported{source: "gadm", name: "Quận Ninh Kiều", typeName: "Quận", tier: 2, ref: "VNM.13.4_1", parentRef: "VNM.13_1", parentNames: "Cần Thơ"}},
		{"a GADM commune typed only in English", map[string]any{"GID_1": "VNM.13_1", "NAME_1": "Cần Thơ", "GID_2": "VNM.13.4_1", "NAME_2": "Ninh Kiều", "TYPE_2": "Quận",
			"GID_3": "VNM.13.4.2_1", "NAME_3": "Cái Khế", "TYPE_3": "NA", "ENGTYPE_3": "Ward"}, nil,
			imported{source: "gadm", name: "Phường Cái Khế", typeName: "Phường", tier: 3, ref: "VNM.13.4.2_1", parentRef: "VNM.13.4_1", parentNames: "Cần Thơ/Quận Ninh Kiều"}},
		{"GADM names in lower case from a shapefile tool", map[string]any{"gid_1": "VNM.13_1", "name_1": "Cần Thơ", "type_1": "Thành phố", "engtype_1": "City"}, nil,
			imported{source: "gadm", name: "Thành phố Cần Thơ", typeName: "Thành phố", tier: 1, ref: "VNM.13_1"}},
		{"an OpenStreetMap commune of 2025: ref:gso, admin_level 8, a parent to locate", map[string]any{"@id": "relation/19200001", "admin_level": "8", "ref:gso": "31120", "name": "Phường Cái Khế", "boundary": "administrative"}, nil,
			imported{source: "osm", code: "31120", name: "Phường Cái Khế", typeName: "Phường", tier: 3, ref: "relation/19200001", locate: true}},
		{"an OpenStreetMap district with a numeric admin_level", map[string]any{"admin_level": 6, "name": "Quận Ninh Kiều", "ref:gso": "916"}, nil,
			imported{source: "osm", code: "916", name: "Quận Ninh Kiều", typeName: "Quận", tier: 2, locate: true}},
		{"an OpenStreetMap province", map[string]any{"admin_level": "4", "name": "Thành phố Cần Thơ", "ref:gso": "92"}, nil,
			imported{source: "osm", code: "92", name: "Thành phố Cần Thơ", typeName: "Thành phố", tier: 1}},
		{"a mapping reads a file of unknown names", map[string]any{"MA_XA": "31117", "TEN_XA": "Cái Khế", "MA_HUYEN": "916", "LOAI": "Phường"}, mapping("code=MA_XA,name=TEN_XA,parent=MA_HUYEN,type=LOAI"),
			imported{source: "mapping", code: "31117", name: "Phường Cái Khế", typeName: "Phường", tier: 3, parent: "916"}},
		{"a mapped level may be one of kiemtra's words", map[string]any{"MA": "31117", "TEN": "Phường Cái Khế", "CAP": "commune"}, mapping("code=MA,name=TEN,level=CAP"),
			imported{source: "mapping", code: "31117", name: "Phường Cái Khế", typeName: "Phường", level: "commune", tier: 3}},
		{"a mapped level may be an OpenStreetMap admin_level", map[string]any{"MA": "916", "TEN": "Ninh Kiều", "CAP": 6}, mapping("code=MA,name=TEN,level=CAP"),
			imported{source: "mapping", code: "916", name: "Ninh Kiều", tier: 2}},
		{"a mapping overrides one field of a known naming", map[string]any{"GID_2": "VNM.13.4_1", "GID_1": "VNM.13_1", "NAME_1": "Cần Thơ", "NAME_2": "Ninh Kiều", "TYPE_2": "Quận", "MA_GSO": "916"}, mapping("code=MA_GSO"),
			imported{source: "gadm", code: "916", name: "Quận Ninh Kiều", typeName: "Quận", tier: 2, ref: "VNM.13.4_1", parentRef: "VNM.13_1", parentNames: "Cần Thơ"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := readOne(t, tc.props, tc.m)
			if err != nil {
				t.Fatal(err)
			}
			if got := summary(f); got != tc.want {
				t.Fatalf("read %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestReadAreaFileRefusesWhatItCannotRead(t *testing.T) {
	for _, tc := range []struct {
		name      string
		props     map[string]any
		mapping   string
		wantField string
		wantEN    string
		wantVI    string
	}{
		{"unknown names list the file's properties", map[string]any{"MA_XA": "31117", "TEN_XA": "Cái Khế", "Shape_Area": 0.1}, "",
			"properties", "the file's features have the properties MA_XA, Shape_Area, TEN_XA", "các thuộc tính MA_XA, Shape_Area, TEN_XA"},
		{"a feature without properties is listed as having none", map[string]any{}, "", "properties", "no properties", "không có thuộc tính nào"},
		{"a mapping without the name cannot read unknown names", map[string]any{"MA_XA": "31117"}, "code=MA_XA",
			"properties", "does not name the property that holds the name", "không chỉ ra thuộc tính chứa tên"},
		{"a GSO feature without a name", map[string]any{"level1_id": "92", "level2_id": "916"}, "", "features[0].properties.name", "name is required", "thiếu name"},
		{"a GADM feature without its name", map[string]any{"GID_1": "VNM.13_1", "GID_2": "VNM.13.4_1", "TYPE_2": "Quận"}, "", "features[0].properties.NAME_2", "NAME_2 is required", "thiếu NAME_2"},
		{"a unit below the communes in GADM", map[string]any{"GID_4": "VNM.1.1.1.1_1", "NAME_4": "Ấp 1"}, "", "features[0].properties.GID_4", "below the communes", "nhỏ hơn cấp xã"},
		{"an OpenStreetMap hamlet", map[string]any{"admin_level": "10", "name": "Khu vực 1"}, "", "features[0].properties.admin_level", `admin_level "10"`, "không phải cấp"},
		{"a level that cannot be told", map[string]any{"MA": "1", "TEN": "Khu Công Nghiệp"}, "code=MA,name=TEN", "features[0].properties.TEN", "cannot be told", "không xác định được cấp"},
		{"a bad mapped level", map[string]any{"MA": "1", "TEN": "Xã A", "CAP": "hamlet"}, "code=MA,name=TEN,level=CAP", "features[0].properties.CAP", `"hamlet" is not a level`, "không phải cấp"},
		{"a number as a code of unknown width", map[string]any{"MA": 4, "TEN": "Khu A"}, "code=MA,name=TEN", "features[0].properties.MA", "must be a string", "phải là chuỗi"},
		{"a bad date in a public file", map[string]any{"level1_id": "92", "name": "Thành phố Cần Thơ", "valid_from": "1/7/2025"}, "", "features[0].properties.valid_from", "not a date", "không phải ngày"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := models.ParseAreaPropertyMapping(tc.mapping)
			if err != nil {
				t.Fatal(err)
			}
			_, err = readOne(t, tc.props, m)
			e := models.ErrorAs(err)
			if e == nil || e.Code != models.EINVALID {
				t.Fatalf("error %v, want invalid", err)
			}
			if e.Field != tc.wantField || !strings.Contains(e.Message, tc.wantEN) || !strings.Contains(e.MessageVI, tc.wantVI) {
				t.Fatalf("error on %q: %q / %q\nwant %q containing %q / %q", e.Field, e.Message, e.MessageVI, tc.wantField, tc.wantEN, tc.wantVI)
			}
		})
	}
}

func TestReadAreaFileTakesTheNamingMostFeaturesFollow(t *testing.T) {
	sq := json.RawMessage(`{"type":"Polygon","coordinates":[[[105.7,10.0],[105.8,10.0],[105.8,10.1],[105.7,10.1],[105.7,10.0]]]}`)
	data := featureCollection(t,
		feature(sq, map[string]any{"level1_id": "92", "level2_id": "916", "name": "Quận Ninh Kiều"}),
		feature(sq, map[string]any{"level1_id": "92", "level2_id": "918", "name": "Quận Bình Thuỷ"}),
		feature(sq, map[string]any{"admin_level": "6", "name": "Quận Ô Môn"}))
	_, err := ReadAreaFile(bytes.NewReader(data), 0, nil)
	// The third feature is read as GSO and has no id.
	if e := models.ErrorAs(err); e == nil || e.Field != "features[2].properties.level1_id" {
		t.Fatalf("error %v", err)
	}
}

func TestReadAreaFileAllowsVersionsOfOneCodeOverDifferentPeriods(t *testing.T) {
	sq := json.RawMessage(`{"type":"Polygon","coordinates":[[[105.7,10.0],[105.8,10.0],[105.8,10.1],[105.7,10.1],[105.7,10.0]]]}`)
	old := map[string]any{"code": "31147", "name": "Phường Hưng Lợi", "level": "ward", "valid_to": "2025-06-30"}
	cur := map[string]any{"code": "31147", "name": "Phường Tân An", "level": "commune", "valid_from": "2025-07-01"}
	if _, err := ReadAreaFile(bytes.NewReader(featureCollection(t, feature(sq, old), feature(sq, cur))), 0, nil); err != nil {
		t.Fatalf("two periods of 31147: %v", err)
	}
	cur["valid_from"] = "2025-06-30"
	_, err := ReadAreaFile(bytes.NewReader(featureCollection(t, feature(sq, old), feature(sq, cur))), 0, nil)
	if e := models.ErrorAs(err); e == nil || e.Field != "features[1].properties.code" {
		t.Fatalf("two versions of 31147 sharing a day: %v", err)
	}
}
