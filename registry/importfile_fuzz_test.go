package registry

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"kiemtra/models"
)

// looksLikeJSON mirrors ReadFile's format detection, because GeoJSON rows are numbered from 1
// (the feature number) and CSV rows from 2 (the line after the header).
func looksLikeJSON(data []byte) bool {
	data = bytes.TrimPrefix(data, utf8BOM)
	return firstNonSpace(data) == '{'
}

func FuzzReadFile(f *testing.F) {
	for _, name := range []string{"businesses_good.csv", "businesses_mixed.csv", "businesses.geojson"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("name;category;ward\n\"A\nB\";bar;1\n"))
	f.Add([]byte("\uFEFFten,loai_hinh,phuong,,\nA,bar,1,,\n,,,,\n"))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"name":"A"}}]}`))

	f.Fuzz(func(t *testing.T, data []byte) {
		const max = 64 << 10
		rows, err := ReadFile(bytes.NewReader(data), "fuzz", max)
		if err != nil {
			e := models.ErrorAs(err)
			if e == nil {
				t.Fatalf("error %T %v is not a *models.Error", err, err)
			}
			if e.Field != "file" || e.Message == "" || e.MessageVI == "" {
				t.Fatalf("error %#v", e)
			}
			if rows != nil {
				t.Fatalf("rows returned with an error")
			}
			if len(data) > max && e.Code != models.ETOOLARGE {
				t.Fatalf("%d bytes over a %d limit gave %v", len(data), max, err)
			}
			return
		}
		if len(data) > max {
			t.Fatalf("%d bytes accepted over a %d limit", len(data), max)
		}
		minLine := 2
		if looksLikeJSON(data) {
			minLine = 1
		}
		last := 0
		for _, r := range rows {
			if r.Line < minLine || r.Line <= last {
				t.Fatalf("line %d after line %d (minimum %d)", r.Line, last, minLine)
			}
			last = r.Line
			for k, v := range r.Fields {
				if !slices.Contains(columns, k) {
					t.Fatalf("unknown field %q", k)
				}
				if !utf8.ValidString(v) || v != strings.TrimFunc(v, isTrimmed) {
					t.Fatalf("field %s = %q is not clean text", k, v)
				}
			}
			// Whatever the file held, checking a row must not panic.
			CheckRow(r, nil, testToday)
		}
		DuplicateLicences(rows)
	})
}

func FuzzCheckRow(f *testing.F) {
	f.Add("Karaoke Hoa Hồng", "karaoke", "57/GP-UBND", "31117", "10.0531", "105.7862", "2019-05-20", "active", "0292 3821 234", "1800123456")
	f.Add("", "Karaoké", "AB", "", "105,78", "10,05", "31/02/2020", "tạm ngưng", "+84 (292) 382.1234", "1800123456-001")
	f.Add("  ", "hair salon", "", "Phường Cái Khế", "", "", "5/3/2020", "Đã đóng cửa", "12", "1")
	f.Add("x", "bar", "1/2", "1", "NaN", "-Inf", "0x1p3", "ĐANG HOẠT ĐỘNG", "", "")
	cats := mustCategories(f)

	f.Fuzz(func(t *testing.T, name, category, licence, ward, lat, lon, openedOn, status, phone, tax string) {
		row := Row{Line: 2, Fields: map[string]string{
			"name": name, "category": category, "licence_no": licence, "ward": ward, "lat": lat, "lon": lon,
			"opened_on": openedOn, "status": status, "phone": phone, "tax_code": tax,
		}}
		b, gotWard, rej := CheckRow(row, cats, testToday)
		if gotWard != clean(ward) {
			t.Fatalf("ward %q from %q", gotWard, ward)
		}
		if (b == nil) == (len(rej) == 0) {
			t.Fatalf("business %v with %d rejections", b, len(rej))
		}
		for _, r := range rej {
			if r.Line != 2 || !slices.Contains(columns, r.Field) || r.Message == "" || r.MessageVI == "" {
				t.Fatalf("rejection %+v", r)
			}
			if utf8.RuneCountInString(r.Value) > maxValueRunes+1 {
				t.Fatalf("value of %d characters", utf8.RuneCountInString(r.Value))
			}
		}
		if b == nil {
			return
		}
		if b.Name == "" || !cats.codes[b.Category] || !slices.Contains(models.BusinessStatuses, b.Status) {
			t.Fatalf("accepted %+v", b)
		}
		for _, s := range []string{b.Name, b.Category, b.Licence(), b.Address, b.Phone, b.TaxCode} {
			if en, _ := models.TextProblem(s); en != "" {
				t.Fatalf("accepted text that cannot be stored: %+q", s)
			}
		}
		if b.OpenedOn.After(testToday) || b.StatusSince != b.OpenedOn {
			t.Fatalf("dates %v %v", b.OpenedOn, b.StatusSince)
		}
		if b.Lat == 0 && b.Lon == 0 {
			if clean(ward) == "" {
				t.Fatalf("accepted without a ward or coordinates: %+v", row.Fields)
			}
			return
		}
		if err := b.Validate(cats.codes); err != nil {
			t.Fatalf("accepted %+v fails models validation: %v", b, err)
		}
	})
}
