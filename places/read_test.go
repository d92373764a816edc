package places

import (
	"strings"
	"testing"

	"kiemtra/models"
)

const goodCSV = "Loại,Tên,Địa chỉ,Vĩ độ,Kinh độ\n" +
	"Trường học,Trường THCS Cái Khế,12 Trần Phú,10.0452,105.7861\n" +
	"bệnh viện,Bệnh viện Đa khoa,4 Châu Văn Liêm,10.0341,105.7854\n" +
	"religious,Chùa Ông,32 Hai Bà Trưng,\"10,0319\",\"105,7882\"\n"

func TestReadFileReadsVietnameseHeadersAndKinds(t *testing.T) {
	rows, err := ReadFile(strings.NewReader("\ufeff"+goodCSV), "diadiem.csv", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("got %d rows", len(rows))
	}
	want := []struct {
		line     int
		kind, nm string
		lat, lon float64
	}{{2, models.PlaceSchool, "Trường THCS Cái Khế", 10.0452, 105.7861}, {3, models.PlaceHospital, "Bệnh viện Đa khoa", 10.0341, 105.7854},
		{4, models.PlaceReligious, "Chùa Ông", 10.0319, 105.7882}}
	for i, w := range want {
		p := rows[i].Place
		if rows[i].Line != w.line || p.Kind != w.kind || p.Name != w.nm || p.Lat != w.lat || p.Lon != w.lon || p.Source != "diadiem.csv" || p.NaturalKey == "" {
			t.Errorf("row %d: %+v", i, rows[i])
		}
	}
}

func TestReadFileNamesTheRowAndColumnOfEveryBadRow(t *testing.T) {
	head := "kind,name,lat,lon\n"
	tests := []struct {
		name, body string
		fields     []string
		vi         string
	}{
		{"a missing name", "school,,10.04,105.78\n", []string{"rows[2].name"}, "dòng 2, cột Tên"},
		{"a latitude that is not a number", "school,A,abc,105.78\n", []string{"rows[2].lat"}, "không phải số"},
		{"an empty longitude", "school,A,10.04,\n", []string{"rows[2].lon"}, "đang để trống"},
		{"a latitude out of range", "school,A,100.04,105.78\n", []string{"rows[2].lat"}, "ngoài khoảng"},
		{"an unknown kind", "karaoke,A,10.04,105.78\n", []string{"rows[2].kind"}, "không phải loại địa điểm"},
		{"the same place twice", "school,A,10.04,105.78\nschool,A,10.04001,105.78\n", []string{"rows[3].name"}, "trùng địa điểm với dòng 2"},
		{"problems in several rows", "school,A,10.04,105.78\nx,,1,\n", []string{"rows[3].kind", "rows[3].lon", "rows[3].name"}, "dòng 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadFile(strings.NewReader(head+tc.body), "p.csv", 1<<20)
			e := models.ErrorAs(err)
			if e == nil || e.Code != models.EINVALID {
				t.Fatalf("got %v, want invalid", err)
			}
			got := map[string]bool{}
			vi := ""
			for _, d := range e.Details {
				got[d.Field] = true
				vi += d.MessageVI + "; "
			}
			for _, f := range tc.fields {
				if !got[f] {
					t.Errorf("no problem on %s: %+v", f, e.Details)
				}
			}
			if len(e.Details) != len(tc.fields) {
				t.Errorf("got %d problems, want %d: %+v", len(e.Details), len(tc.fields), e.Details)
			}
			if !strings.Contains(vi, tc.vi) {
				t.Errorf("Vietnamese messages %q lack %q", vi, tc.vi)
			}
		})
	}
}

func TestReadFileRefusesABadHeader(t *testing.T) {
	for name, body := range map[string]string{
		"no lon column":  "kind,name,lat\nschool,A,10.04\n",
		"unknown column": "kind,name,lat,lon,colour\nschool,A,10.04,105.78,red\n",
		"empty file":     "",
		"header only":    "kind,name,lat,lon\n",
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ReadFile(strings.NewReader(body), "p.csv", 1<<20); !models.IsCode(err, models.EINVALID) {
				t.Fatalf("got %v, want invalid", err)
			}
		})
	}
}

func TestReadFileReadsSemicolonsAndAnXLSXWorkbook(t *testing.T) {
	rows, err := ReadFile(strings.NewReader("kind;name;lat;lon;ref\nrelic;Đình Bình Thủy;10,0667;105,7437;DT-01\n"), "p.csv", 1<<20)
	if err != nil || len(rows) != 1 || rows[0].Place.Ref != "DT-01" || rows[0].Place.Kind != models.PlaceRelic {
		t.Fatalf("semicolons: %v %+v", err, rows)
	}
	data := xlsxOf(t, [][]any{{"Loại", "Tên", "Vĩ độ", "Kinh độ"}, {"Di tích", "Đình Bình Thủy", 10.0667, 105.7437}})
	rows, err = ReadFile(strings.NewReader(string(data)), "p.xlsx", 1<<20)
	if err != nil || len(rows) != 1 || rows[0].Place.Name != "Đình Bình Thủy" || rows[0].Place.Lat != 10.0667 || rows[0].Line != 2 {
		t.Fatalf("xlsx: %v %+v", err, rows)
	}
}

func TestPlaceKeyIgnoresCaseSpacingAndTheLastDigits(t *testing.T) {
	a := &models.Place{Kind: models.PlaceSchool, Name: "Trường  THCS An Hòa", Lat: 10.04521, Lon: 105.78612}
	b := &models.Place{Kind: models.PlaceSchool, Name: "trường thcs an hòa", Lat: 10.04519, Lon: 105.78608}
	c := &models.Place{Kind: models.PlaceHospital, Name: "trường thcs an hòa", Lat: 10.04519, Lon: 105.78608}
	if models.PlaceKey(a) != models.PlaceKey(b) {
		t.Errorf("%q != %q", models.PlaceKey(a), models.PlaceKey(b))
	}
	if models.PlaceKey(a) == models.PlaceKey(c) {
		t.Errorf("a school and a hospital share a key")
	}
}
