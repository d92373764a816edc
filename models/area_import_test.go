package models

import (
	"strings"
	"testing"
)

func TestParseAreaPropertyMapping(t *testing.T) {
	m, err := ParseAreaPropertyMapping(" code = MA_XA ,name=TEN_XA", "parent=MA_HUYEN,valid_from=NGAY")
	if err != nil {
		t.Fatal(err)
	}
	want := AreaPropertyMapping{Code: "MA_XA", Name: "TEN_XA", Parent: "MA_HUYEN", ValidFrom: "NGAY"}
	if *m != want || m.String() != "code=MA_XA,name=TEN_XA,parent=MA_HUYEN,valid_from=NGAY" {
		t.Fatalf("mapping %+v, text %s", *m, m.String())
	}
	if back, _ := ParseAreaPropertyMapping(m.String()); *back != *m {
		t.Fatalf("the text form reads back as %+v", *back)
	}
	if m, err := ParseAreaPropertyMapping("", " , "); m != nil || err != nil {
		t.Fatalf("an empty mapping: %+v, %v", m, err)
	}
	var none *AreaPropertyMapping
	if none.String() != "" {
		t.Fatal("no mapping has a text")
	}
	for _, tc := range []struct{ text, want string }{
		{"code", "is not FIELD=PROPERTY"},
		{"code=", "is not FIELD=PROPERTY"},
		{"ward=MA_XA", `"ward" is not a field`},
		{"code=A,code=B", "code is mapped twice"},
		{"name=TEN\x00", "U+0000"},
	} {
		t.Run(tc.text, func(t *testing.T) {
			_, err := ParseAreaPropertyMapping(tc.text)
			e := ErrorAs(err)
			if e == nil || e.Code != EINVALID || e.Field != "property" || !strings.Contains(e.Message, tc.want) || e.MessageVI == "" {
				t.Fatalf("error %v, want invalid property containing %q", err, tc.want)
			}
		})
	}
}

func TestParseUnitType(t *testing.T) {
	for _, tc := range []struct {
		in   string
		name string
		tier int
		ok   bool
	}{
		{"Quận", "Quận", TierDistrict, true},
		{"quan", "Quận", TierDistrict, true},
		{"Urban District", "Quận", TierDistrict, true},
		{"Huyện", "Huyện", TierDistrict, true},
		{"District", "Huyện", TierDistrict, true},
		{"Thị xã", "Thị xã", TierDistrict, true},
		{"Town", "Thị xã", TierDistrict, true},
		{"Phường", "Phường", TierCommune, true},
		{"Ward", "Phường", TierCommune, true},
		{"Xã", "Xã", TierCommune, true},
		{"Commune", "Xã", TierCommune, true},
		{"Thị trấn", "Thị trấn", TierCommune, true},
		{"Township", "Thị trấn", TierCommune, true},
		{"Đặc khu", "Đặc khu", TierCommune, true},
		{"Tỉnh", "Tỉnh", TierProvince, true},
		{"Thành phố Trung ương", "Thành phố", TierProvince, true},
		{"Thành phố trực thuộc trung ương", "Thành phố", TierProvince, true},
		{"Thành phố thuộc tỉnh", "Thành phố", TierDistrict, true},
		{"Thành phố", "Thành phố", TierUnknown, true},
		{"City", "Thành phố", TierUnknown, true},
		{"Khu phố", "", TierUnknown, false},
		{"", "", TierUnknown, false},
	} {
		name, tier, ok := ParseUnitType(tc.in)
		if name != tc.name || tier != tc.tier || ok != tc.ok {
			t.Errorf("ParseUnitType(%q) = %q %d %v, want %q %d %v", tc.in, name, tier, ok, tc.name, tc.tier, tc.ok)
		}
	}
}

func TestUnitTypeOfName(t *testing.T) {
	for _, tc := range []struct{ name, typ, rest string }{
		{"Quận Ninh Kiều", "Quận", "Ninh Kiều"},
		{"Thành phố Cần Thơ", "Thành phố", "Cần Thơ"},
		{"Thị trấn Cờ Đỏ", "Thị trấn", "Cờ Đỏ"},
		{"phường Cái Khế", "Phường", "Cái Khế"},
		{"Xã", "", "Xã"},
		{"Ninh Kiều", "", "Ninh Kiều"},
		{"Xãxã", "", "Xãxã"},
	} {
		typ, _, rest, _ := UnitTypeOfName(tc.name)
		if typ != tc.typ || rest != tc.rest {
			t.Errorf("UnitTypeOfName(%q) = %q, %q; want %q, %q", tc.name, typ, rest, tc.typ, tc.rest)
		}
	}
}

func TestSameUnitName(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"Quận Ninh Kiều", "quận ninh kiều", 2},
		{"Quận Bình Thuỷ", "Quận Bình Thủy", 1},
		{"Quận Bình Thuỷ", "Bình Thủy", 1},
		{"Thành phố Cần Thơ", "Can Tho", 1},
		{"Phường An Hòa", "Phường An Hoà", 1},
		{"Phường An Hòa", "Phường Cái Khế", 0},
		{"Phường Tân An", "Phường Tân An Hội", 0},
		{"", "", 0},
	} {
		if got := SameUnitName(tc.a, tc.b); got != tc.want {
			t.Errorf("SameUnitName(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestLevelOfTier(t *testing.T) {
	for _, tc := range []struct {
		tier       int
		typeName   string
		parentTier int
		want       string
	}{
		{TierProvince, "Thành phố", TierUnknown, AreaLevelCity},
		{TierProvince, "Tỉnh", TierUnknown, AreaLevelProvince},
		{TierDistrict, "Quận", TierProvince, AreaLevelDistrict},
		{TierCommune, "Phường", TierDistrict, AreaLevelWard},
		{TierCommune, "Phường", TierProvince, AreaLevelCommune},
		{TierCommune, "Xã", TierUnknown, AreaLevelCommune},
		{TierUnknown, "", TierUnknown, ""},
	} {
		if got := LevelOfTier(tc.tier, tc.typeName, tc.parentTier); got != tc.want {
			t.Errorf("LevelOfTier(%d, %q, %d) = %q, want %q", tc.tier, tc.typeName, tc.parentTier, got, tc.want)
		}
	}
}
