package registry

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
	"kiemtra/refdata"
)

const testMaxBytes = 1 << 20

var testToday = models.NewDate(2025, time.June, 30)

// mustCategories returns the reference data's categories, codes and names, as the service has them.
func mustCategories(tb testing.TB) *Categories {
	tb.Helper()
	set, err := refdata.CategorySet()
	if err != nil {
		tb.Fatal(err)
	}
	names, err := refdata.Categories()
	if err != nil {
		tb.Fatal(err)
	}
	return NewCategories(set, names)
}

func mustReadString(tb testing.TB, s string) []Row {
	tb.Helper()
	rows, err := ReadFile(strings.NewReader(s), "test.csv", testMaxBytes)
	if err != nil {
		tb.Fatalf("ReadFile: %v", err)
	}
	return rows
}

func mustReadFile(tb testing.TB, path string) []Row {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	rows, err := ReadFile(f, filepath.Base(path), testMaxBytes)
	if err != nil {
		tb.Fatalf("ReadFile(%s): %v", path, err)
	}
	return rows
}

func rowsByLine(rows []Row) map[int]map[string]string {
	m := make(map[int]map[string]string, len(rows))
	for _, r := range rows {
		m[r.Line] = r.Fields
	}
	return m
}

func TestReadFileCSV(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want map[int]map[string]string // line -> fields
	}{
		{
			name: "a comma file is read with its line numbers",
			in:   "name,category,ward\nKaraoke A,karaoke,31117\nNhà nghỉ B,accommodation,31120\n",
			want: map[int]map[string]string{
				2: {"name": "Karaoke A", "category": "karaoke", "ward": "31117"},
				3: {"name": "Nhà nghỉ B", "category": "accommodation", "ward": "31120"},
			},
		},
		{
			name: "a semicolon file keeps commas inside values, including decimal commas",
			in:   "name;category;lat;lon;address\nKaraoke A;karaoke;10,0527;105,7859;12 Trần Phú, Cái Khế\n",
			want: map[int]map[string]string{
				2: {"name": "Karaoke A", "category": "karaoke", "lat": "10,0527", "lon": "105,7859", "address": "12 Trần Phú, Cái Khế"},
			},
		},
		{
			name: "a UTF-8 BOM before the header is dropped",
			in:   "\uFEFFname,category,ward\nA,bar,31117\n",
			want: map[int]map[string]string{2: {"name": "A", "category": "bar", "ward": "31117"}},
		},
		{
			name: "a BOM before a quoted first header is dropped",
			in:   "\uFEFF\"name\",\"category\",\"ward\"\nA,bar,31117\n",
			want: map[int]map[string]string{2: {"name": "A", "category": "bar", "ward": "31117"}},
		},
		{
			name: "columns come in any order and any case, with spaces around",
			in:   "  WARD , Category,Lon,NAME ,lat\n31117,spa,105.7859,A,10.0527\n",
			want: map[int]map[string]string{2: {"ward": "31117", "category": "spa", "lon": "105.7859", "name": "A", "lat": "10.0527"}},
		},
		{
			name: "Vietnamese headers are accepted without accents",
			in: "ten,loai_hinh,so_giay_phep,dia_chi,phuong,vi_do,kinh_do,ngay_hoat_dong,trang_thai,dien_thoai,chu_co_so,ma_so_thue,so_gcn_antt\n" +
				"A,bar,1/GP,1 Lê Lợi,31117,10.05,105.78,2020-01-01,active,0909123456,Ông B,1800123456,9/GCN\n",
			want: map[int]map[string]string{2: {
				"name": "A", "category": "bar", "licence_no": "1/GP", "address": "1 Lê Lợi", "ward": "31117", "lat": "10.05",
				"lon": "105.78", "opened_on": "2020-01-01", "status": "active", "phone": "0909123456", "owner": "Ông B",
				"tax_code": "1800123456", "security_cert_no": "9/GCN",
			}},
		},
		{
			name: "Vietnamese headers are accepted with accents and spaces",
			in:   "Tên;Loại hình;Phường;Vĩ độ;Kinh độ;Số GCN ANTT\nA;bar;31117;10,05;105,78;9/GCN\n",
			want: map[int]map[string]string{2: {"name": "A", "category": "bar", "ward": "31117", "lat": "10,05", "lon": "105,78", "security_cert_no": "9/GCN"}},
		},
		{
			name: "quoted fields keep commas, doubled quotes and newlines, and line numbers count the newlines",
			in: "name,category,address,ward\n" +
				"\"Karaoke \"\"Hoa Hồng\"\"\",karaoke,\"12 Trần Phú,\nhẻm 3,\nCái Khế\",31117\n" +
				"B,bar,2 Lê Lợi,31120\n" +
				"\"C\nD\",spa,3,31123\n" +
				"E,spa,4,31123\n",
			want: map[int]map[string]string{
				2: {"name": `Karaoke "Hoa Hồng"`, "category": "karaoke", "address": "12 Trần Phú,\nhẻm 3,\nCái Khế", "ward": "31117"},
				5: {"name": "B", "category": "bar", "address": "2 Lê Lợi", "ward": "31120"},
				6: {"name": "C\nD", "category": "spa", "address": "3", "ward": "31123"},
				8: {"name": "E", "category": "spa", "address": "4", "ward": "31123"},
			},
		},
		{
			name: "blank lines and rows of empty cells are skipped without shifting line numbers",
			in:   "\nname,category,ward\n\nA,bar,1\n,,\n  \n , \nB,bar,2\n\n",
			want: map[int]map[string]string{4: {"name": "A", "category": "bar", "ward": "1"}, 8: {"name": "B", "category": "bar", "ward": "2"}},
		},
		{
			name: "CRLF line endings are read like LF",
			in:   "name,category,ward\r\nA,bar,1\r\n\"B\r\nC\",bar,2\r\n",
			want: map[int]map[string]string{2: {"name": "A", "category": "bar", "ward": "1"}, 3: {"name": "B\nC", "category": "bar", "ward": "2"}},
		},
		{
			name: "values are trimmed, including no-break spaces, and put in NFC",
			in:   "name,category,ward\n\u00a0 " + norm.NFD.String("Hoa Hồng") + " \t,  bar ,31117\n",
			want: map[int]map[string]string{2: {"name": "Hoa Hồng", "category": "bar", "ward": "31117"}},
		},
		{
			name: "empty cells are present as empty strings",
			in:   "name,category,ward,lat,lon\nA,bar,31117,,\n",
			want: map[int]map[string]string{2: {"name": "A", "category": "bar", "ward": "31117", "lat": "", "lon": ""}},
		},
		{
			name: "unnamed empty columns that spreadsheets add are ignored",
			in:   "name,category,ward,,\nA,bar,31117,,\n",
			want: map[int]map[string]string{2: {"name": "A", "category": "bar", "ward": "31117"}},
		},
		{
			name: "a header alone gives no rows",
			in:   "name,category,ward\n",
			want: map[int]map[string]string{},
		},
		{
			name: "a header without a final newline gives no rows",
			in:   "name,category,lat,lon",
			want: map[int]map[string]string{},
		},
		{
			name: "the separator is sniffed outside quotes",
			in:   "\"name;x\",category,ward\nA,bar,1\n",
			want: nil, // "name;x" is an unknown column: checked in TestReadFileErrors; here only the sniff matters
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == nil {
				if sep := sniffSeparator([]byte(tt.in)); sep != ',' {
					t.Fatalf("separator = %q, want ','", sep)
				}
				return
			}
			rows := mustReadString(t, tt.in)
			got := rowsByLine(rows)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("rows:\n got %#v\nwant %#v", got, tt.want)
			}
			if len(rows) != len(tt.want) {
				t.Fatalf("%d rows, want %d", len(rows), len(tt.want))
			}
		})
	}
}

func TestReadFileErrors(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		max      int64
		code     string
		contains []string // in the English message; the Vietnamese one must carry the same numbers
	}{
		{name: "an empty file", in: "", code: models.EINVALID, contains: []string{"empty"}},
		{name: "a file with only a BOM", in: "\uFEFF", code: models.EINVALID, contains: []string{"empty"}},
		{name: "a file with only blank lines", in: "\n  \n\r\n", code: models.EINVALID, contains: []string{"empty"}},
		{name: "an unknown column is named", in: "name,category,ward,colour,Giá\nA,bar,1,red,3\n", code: models.EINVALID,
			contains: []string{"line 1", `"colour"`, `"Giá"`}},
		{name: "a duplicate column", in: "name,category,ward,Name\n", code: models.EINVALID, contains: []string{"line 1", "columns 1", "and 4", `"name"`}},
		{name: "a duplicate through an alias", in: "ten,category,ward,name\n", code: models.EINVALID, contains: []string{`"ten"`, `"name"`}},
		{name: "missing name and category columns", in: "ward,lat,lon\n", code: models.EINVALID, contains: []string{"missing", "name, category"}},
		{name: "neither ward nor coordinate columns", in: "name,category\n", code: models.EINVALID, contains: []string{"ward", "lat", "lon"}},
		{name: "lat without lon", in: "name,category,ward,lat\n", code: models.EINVALID, contains: []string{"lat and lon"}},
		{name: "a quote never closed", in: "name,category,ward\nA,bar,1\n\"B,bar,2\nC,bar,3\n", code: models.EINVALID,
			contains: []string{"unbalanced quotes", "line 3"}},
		{name: "a bare quote inside a field", in: "name,category,ward\nKaraoke \"A\",bar,1\n", code: models.EINVALID,
			contains: []string{"unbalanced quotes", "line 2"}},
		{name: "text after a closing quote", in: "name,category,ward\n\"A\"B,bar,1\n", code: models.EINVALID,
			contains: []string{"unbalanced quotes", "line 2"}},
		{name: "a record with too few fields", in: "name,category,ward\nA,bar,1\nB,bar\n", code: models.EINVALID,
			contains: []string{"line 3 has 2 fields, expected 3"}},
		{name: "a record with too many fields after a multi-line one", in: "name,category,ward\n\"A\n\nA\",bar,1\nB,bar,1,x\n", code: models.EINVALID,
			contains: []string{"line 5 has 4 fields, expected 3"}},
		{name: "a semicolon file read with the wrong separator count", in: "name;category;ward\nA;bar\n", code: models.EINVALID,
			contains: []string{"line 2 has 2 fields, expected 3"}},
		{name: "a Windows-1258 byte in a row", in: "name,category,ward\nA,bar,1\nNh\xe0 ngh\xec,bar,1\n", code: models.EINVALID,
			contains: []string{"line 3", "UTF-8"}},
		{name: "a bad byte on the third line of a multi-line field", in: "name,category,address,ward\n\"A\",bar,\"x\ny\nz\xff\",1\n", code: models.EINVALID,
			contains: []string{"line 4", "UTF-8"}},
		{name: "a bad byte in the header", in: "t\xean,category,ward\n", code: models.EINVALID, contains: []string{"line 1", "UTF-8"}},
		{name: "a value under an unnamed column", in: "name,category,ward,\nA,bar,1,oops\n", code: models.EINVALID,
			contains: []string{"line 2", "column 4"}},
		{name: "a broken Excel workbook", in: "PK\x03\x04\x14\x00\x06\x00", code: models.EINVALID, contains: []string{"Excel workbook (.xlsx)"}},
		{name: "an old Excel workbook", in: "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", code: models.EUNSUPPORTEDTYPE, contains: []string{".xls", "Save As > Excel Workbook (.xlsx)"}},
		{name: "UTF-16 text", in: "\xFF\xFEn\x00a\x00", code: models.EUNSUPPORTEDTYPE, contains: []string{"UTF-16"}},
		{name: "a file over the limit", in: "name,category,ward\n" + strings.Repeat("A,bar,1\n", 100), max: 100, code: models.ETOOLARGE,
			contains: []string{"100 bytes"}},
		{name: "a file one byte over the limit", in: "name,category,ward\n", max: 18, code: models.ETOOLARGE},
		{name: "GeoJSON that is a Feature", in: `{"type":"Feature","geometry":{"type":"Point","coordinates":[105.7,10.0]},"properties":{}}`,
			code: models.EINVALID, contains: []string{"FeatureCollection", `"Feature"`}},
		{name: "GeoJSON with the type after the features", in: `{"features":[],"type":"GeometryCollection"}`, code: models.EINVALID,
			contains: []string{"FeatureCollection"}},
		{name: "GeoJSON without a type", in: `{"features":[]}`, code: models.EINVALID, contains: []string{"FeatureCollection", "type"}},
		{name: "GeoJSON without features", in: `{"type":"FeatureCollection"}`, code: models.EINVALID, contains: []string{"features"}},
		{name: "GeoJSON whose features is not an array", in: `{"type":"FeatureCollection","features":{}}`, code: models.EINVALID,
			contains: []string{"features"}},
		{name: "a JSON array", in: ` [{"type":"Feature"}]`, code: models.EINVALID, contains: []string{"FeatureCollection"}},
		{name: "a feature that is a LineString", in: `{"type":"FeatureCollection","features":[` + pointFeature("A", 105.7, 10.0) + `,
			{"type":"Feature","geometry":{"type":"LineString","coordinates":[[105.7,10.0],[105.8,10.1]]},"properties":{"name":"B"}}]}`,
			code: models.EINVALID, contains: []string{"feature 2", "LineString", "Point"}},
		{name: "a feature whose type is not Feature", in: `{"type":"FeatureCollection","features":[{"type":"Point","coordinates":[1,2]}]}`,
			code: models.EINVALID, contains: []string{"feature 1", "Feature"}},
		{name: "a Point without two coordinates", in: `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[105]},"properties":{}}]}`,
			code: models.EINVALID, contains: []string{"feature 1", "[longitude, latitude]"}},
		{name: "a feature with an unknown property", in: `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"name":"A","fid":3}}]}`,
			code: models.EINVALID, contains: []string{"feature 1", `"fid"`}},
		{name: "a feature with an object property", in: `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"name":{"vi":"A"}}}]}`,
			code: models.EINVALID, contains: []string{"feature 1", `"name"`}},
		{name: "a feature with the same property twice through an alias", in: `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"name":"A","ten":"B"}}]}`,
			code: models.EINVALID, contains: []string{"feature 1", `"name"`}},
		{name: "GeoJSON with a syntax error in a feature", in: `{"type":"FeatureCollection","features":[{"type":"Feature",}]}`,
			code: models.EINVALID, contains: []string{"feature 1", "invalid JSON"}},
		{name: "GeoJSON cut short", in: `{"type":"FeatureCollection","features":[`, code: models.EINVALID, contains: []string{"JSON"}},
		{name: "GeoJSON followed by more data", in: `{"type":"FeatureCollection","features":[]} {}`, code: models.EINVALID, contains: []string{"after"}},
		{name: "GeoJSON over the limit", in: `{"type":"FeatureCollection","features":[` + strings.Repeat(pointFeature("A", 105.7, 10.0)+",", 50) + `]}`,
			max: 1000, code: models.ETOOLARGE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			max := tt.max
			if max == 0 {
				max = testMaxBytes
			}
			rows, err := ReadFile(strings.NewReader(tt.in), "", max)
			if err == nil {
				t.Fatalf("no error; rows %+v", rows)
			}
			if rows != nil {
				t.Errorf("rows returned with the error: %+v", rows)
			}
			e := models.ErrorAs(err)
			if e == nil {
				t.Fatalf("error %T %v is not a *models.Error", err, err)
			}
			if e.Code != tt.code || e.Field != "file" {
				t.Fatalf("code %q field %q, want %q \"file\" (%v)", e.Code, e.Field, tt.code, err)
			}
			if e.MessageVI == "" || e.MessageVI == e.Message {
				t.Errorf("no Vietnamese message: %q", e.MessageVI)
			}
			for _, s := range tt.contains {
				if !strings.Contains(e.Message, s) {
					t.Errorf("message %q does not contain %q", e.Message, s)
				}
				if strings.HasPrefix(s, "line ") && !strings.Contains(e.MessageVI, "dòng "+strings.Fields(s)[1]) {
					t.Errorf("Vietnamese message %q does not name the line of %q", e.MessageVI, s)
				}
			}
		})
	}
}

func TestReadFileNamesTheFileInMessages(t *testing.T) {
	_, err := ReadFile(strings.NewReader("name,category,ward\nA,bar\n"), "cantho.csv", testMaxBytes)
	e := models.ErrorAs(err)
	if e == nil || !strings.HasPrefix(e.Message, "cantho.csv: line 2") || !strings.HasPrefix(e.MessageVI, "cantho.csv: dòng 2") {
		t.Fatalf("error %#v", err)
	}
	if len(e.Details) != 1 || e.Details[0].Field != "file" || e.Details[0].Message != e.Message {
		t.Fatalf("details %#v", e.Details)
	}
}

func TestReadFileRejectsNonPositiveLimit(t *testing.T) {
	if _, err := ReadFile(strings.NewReader("name,category,ward\n"), "", 0); !models.IsCode(err, models.EINTERNAL) {
		t.Fatalf("err = %v, want internal", err)
	}
}

// endlessCSV produces a CSV file of the given size without holding it, and counts what was read.
type endlessCSV struct {
	size, read int64
	pending    []byte
}

func (e *endlessCSV) Read(p []byte) (int, error) {
	if e.read >= e.size {
		return 0, io.EOF
	}
	if len(e.pending) == 0 {
		if e.read == 0 {
			e.pending = []byte("name,category,ward,lat,lon\n")
		} else {
			e.pending = []byte("Karaoke Hoa Hồng,karaoke,31117,10.0527,105.7859\n")
		}
	}
	n := copy(p, e.pending)
	if rest := e.size - e.read; int64(n) > rest {
		n = int(rest)
	}
	e.pending = e.pending[n:]
	e.read += int64(n)
	return n, nil
}

func TestReadFileStopsAtTheLimit(t *testing.T) {
	t.Run("a 50 MB file is rejected after reading just past a 1 MB limit", func(t *testing.T) {
		src := &endlessCSV{size: 50 << 20}
		const max = 1 << 20
		_, err := ReadFile(src, "big.csv", max)
		if !models.IsCode(err, models.ETOOLARGE) {
			t.Fatalf("err = %v, want too_large", err)
		}
		if src.read > max+1 {
			t.Fatalf("read %d bytes of the file, want at most %d", src.read, max+1)
		}
		if e := models.ErrorAs(err); !strings.Contains(e.Message, "1 MB") || e.Field != "file" {
			t.Fatalf("error %#v", e)
		}
	})
	t.Run("a file of exactly the limit is read", func(t *testing.T) {
		in := "name,category,ward\nA,bar,1\n"
		rows, err := ReadFile(strings.NewReader(in), "", int64(len(in)))
		if err != nil || len(rows) != 1 {
			t.Fatalf("rows %v err %v", rows, err)
		}
	})
}

func pointFeature(name string, lon, lat float64) string {
	return fmt.Sprintf(`{"type":"Feature","geometry":{"type":"Point","coordinates":[%v,%v]},"properties":{"name":%q,"category":"bar"}}`, lon, lat, name)
}

func TestReadFileGeoJSON(t *testing.T) {
	in := `
	{
	  "type": "FeatureCollection",
	  "bbox": [105, 9, 106, 11],
	  "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
	  "features": [
	    {"type": "Feature", "id": 7, "geometry": {"type": "Point", "coordinates": [105.78592123456789012, 10.05265000000000001, 3.5]},
	     "properties": {"name": "  Karaoke Hoa Hồng ", "category": "karaoke", "tax_code": 1800123456, "lat": "1", "lon": "2"}},
	    {"type": "Feature", "geometry": null,
	     "properties": {"Tên": "Spa B", "loai_hinh": "spa", "phuong": "Phường Hưng Phú", "status": null, "so_giay_phep": 123}},
	    {"type": "Feature", "geometry": {"type": "Point", "coordinates": ["105.7", "10.0"]}, "properties": null}
	  ]
	}`
	rows, err := ReadFile(strings.NewReader(in), "x.geojson", testMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	want := []Row{
		{Line: 1, Fields: map[string]string{"name": "Karaoke Hoa Hồng", "category": "karaoke", "tax_code": "1800123456",
			"lat": "10.05265000000000001", "lon": "105.78592123456789012"}},
		{Line: 2, Fields: map[string]string{"name": "Spa B", "category": "spa", "ward": "Phường Hưng Phú", "status": "", "licence_no": "123"}},
		{Line: 3, Fields: map[string]string{"lat": "10.0", "lon": "105.7"}},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows:\n got %#v\nwant %#v", rows, want)
	}
}

func TestReadFileGeoJSONWithBOMAndNoFeatures(t *testing.T) {
	rows, err := ReadFile(strings.NewReader("\uFEFF\n {\"features\": [], \"type\": \"FeatureCollection\"}\n"), "", testMaxBytes)
	if err != nil || len(rows) != 0 {
		t.Fatalf("rows %v err %v", rows, err)
	}
}

func TestSniffSeparator(t *testing.T) {
	tests := []struct {
		head string
		want rune
	}{
		{"name,category,ward", ','},
		{"name;category;ward", ';'},
		{"\n\nname;category;ward\na,b,c,d,e,f", ';'},
		{"\"a;b;c\",category,ward", ','},
		{"\"a,b,c\";category;ward", ';'},
		{"name", ','},
		{"name,category;ward;lat", ';'},
	}
	for _, tt := range tests {
		if got := sniffSeparator([]byte(tt.head)); got != tt.want {
			t.Errorf("sniffSeparator(%q) = %q, want %q", tt.head, got, tt.want)
		}
	}
}

// goodRow is a row that passes every check; tests change one field at a time.
func goodRow() Row {
	return Row{Line: 7, Fields: map[string]string{
		"name": "Karaoke Hoa Hồng", "category": "karaoke", "licence_no": "57/GP-UBND", "address": "12 Trần Phú",
		"ward": "31117", "lat": "10.0531", "lon": "105.7862", "opened_on": "2019-05-20", "status": "active",
		"phone": "0292 3821 234", "owner": "Nguyễn Văn An", "tax_code": "1800123456", "security_cert_no": "123/GCN-ANTT",
	}}
}

func withFields(kv ...string) Row {
	r := goodRow()
	for i := 0; i+1 < len(kv); i += 2 {
		r.Fields[kv[i]] = kv[i+1]
	}
	return r
}

func TestCheckRowAcceptsAGoodRow(t *testing.T) {
	cats := mustCategories(t)
	b, ward, rej := CheckRow(goodRow(), cats, testToday)
	if rej != nil {
		t.Fatalf("rejections %+v", rej)
	}
	lic := "57/GP-UBND"
	want := &models.Business{
		Name: "Karaoke Hoa Hồng", Category: "karaoke", LicenceNo: &lic, SecurityCertNo: "123/GCN-ANTT",
		TaxCode: "1800123456", Address: "12 Trần Phú", Phone: "0292 3821 234", OwnerName: "Nguyễn Văn An",
		Lat: 10.0531, Lon: 105.7862, Status: models.BusinessActive,
		StatusSince: models.NewDate(2019, time.May, 20), OpenedOn: models.NewDate(2019, time.May, 20),
	}
	if !reflect.DeepEqual(b, want) {
		t.Fatalf("business:\n got %+v\nwant %+v", b, want)
	}
	if ward != "31117" {
		t.Fatalf("ward %q", ward)
	}
	if err := b.Validate(cats.codes); err != nil {
		t.Fatalf("the accepted business fails models validation: %v", err)
	}
}

func TestCheckRowAccepts(t *testing.T) {
	cats := mustCategories(t)
	tests := []struct {
		name  string
		row   Row
		check func(t *testing.T, b *models.Business, ward string)
	}{
		{"a name of exactly 200 characters", withFields("name", strings.Repeat("ồ", 200)), nil},
		{"a category in capitals with spaces", withFields("category", "  KARAOKE "), func(t *testing.T, b *models.Business, _ string) {
			if b.Category != "karaoke" {
				t.Errorf("category %q", b.Category)
			}
		}},
		{"an empty licence number as nil", withFields("licence_no", "  "), func(t *testing.T, b *models.Business, _ string) {
			if b.LicenceNo != nil {
				t.Errorf("licence %q", *b.LicenceNo)
			}
		}},
		{"a licence number with Vietnamese letters and dots", withFields("licence_no", "12.345/ĐKKD-UBND"), nil},
		{"a licence number of 3 characters", withFields("licence_no", "A/1"), nil},
		{"a licence number of 40 characters", withFields("licence_no", strings.Repeat("9", 40)), nil},
		{"no coordinates when a ward is given", withFields("lat", "", "lon", ""), func(t *testing.T, b *models.Business, ward string) {
			if b.Lat != 0 || b.Lon != 0 || ward != "31117" {
				t.Errorf("lat %v lon %v ward %q", b.Lat, b.Lon, ward)
			}
		}},
		{"a ward name and no coordinates", withFields("lat", "", "lon", "", "ward", "  Phường Cái Khế "), func(t *testing.T, b *models.Business, ward string) {
			if ward != "Phường Cái Khế" {
				t.Errorf("ward %q", ward)
			}
		}},
		{"coordinates and no ward", withFields("ward", ""), func(t *testing.T, _ *models.Business, ward string) {
			if ward != "" {
				t.Errorf("ward %q", ward)
			}
		}},
		{"decimal commas", withFields("lat", "10,0531", "lon", "105,7862"), func(t *testing.T, b *models.Business, _ string) {
			if b.Lat != 10.0531 || b.Lon != 105.7862 {
				t.Errorf("lat %v lon %v", b.Lat, b.Lon)
			}
		}},
		{"integer and signed coordinates outside Vietnam", withFields("lat", "-33", "lon", "+151.2"), func(t *testing.T, b *models.Business, _ string) {
			if b.Lat != -33 || b.Lon != 151.2 {
				t.Errorf("lat %v lon %v", b.Lat, b.Lon)
			}
		}},
		{"a date day first", withFields("opened_on", "05/03/2020"), func(t *testing.T, b *models.Business, _ string) {
			if b.OpenedOn != models.NewDate(2020, time.March, 5) || b.StatusSince != b.OpenedOn {
				t.Errorf("opened %v since %v", b.OpenedOn, b.StatusSince)
			}
		}},
		{"a date with one-digit day and month", withFields("opened_on", "5/3/2020"), func(t *testing.T, b *models.Business, _ string) {
			if b.OpenedOn != models.NewDate(2020, time.March, 5) {
				t.Errorf("opened %v", b.OpenedOn)
			}
		}},
		{"a date of today", withFields("opened_on", "2025-06-30"), nil},
		{"a date of 1 January 1900", withFields("opened_on", "01/01/1900"), nil},
		{"29 February in a leap year", withFields("opened_on", "29/02/2024"), nil},
		{"no opening date", withFields("opened_on", ""), func(t *testing.T, b *models.Business, _ string) {
			if !b.OpenedOn.IsZero() || !b.StatusSince.IsZero() {
				t.Errorf("opened %v since %v", b.OpenedOn, b.StatusSince)
			}
		}},
		{"a future date when today is unknown", withFields("opened_on", "2099-01-01"), nil},
		{"a phone with a country code, dots and brackets", withFields("phone", "+84 (292) 382.1234"), nil},
		{"a phone of 8 digits", withFields("phone", "3821-1234"), nil},
		{"a phone of 15 digits", withFields("phone", "+123 456 789 012 345"), nil},
		{"a branch tax code", withFields("tax_code", "1800123456-001"), nil},
	}
	for _, tt := range tests {
		t.Run("accepts "+tt.name, func(t *testing.T) {
			today := testToday
			if strings.Contains(tt.name, "today is unknown") {
				today = models.Date{}
			}
			b, ward, rej := CheckRow(tt.row, cats, today)
			if rej != nil || b == nil {
				t.Fatalf("rejections %+v", rej)
			}
			if b.Lat != 0 || b.Lon != 0 {
				if err := b.Validate(cats.codes); err != nil {
					t.Fatalf("models validation: %v", err)
				}
			}
			if tt.check != nil {
				tt.check(t, b, ward)
			}
		})
	}
}

func TestCheckRowStatus(t *testing.T) {
	tests := map[string]string{
		"":                                models.BusinessActive,
		"active":                          models.BusinessActive,
		"ACTIVE":                          models.BusinessActive,
		"Hoạt động":                       models.BusinessActive,
		"ĐANG HOẠT ĐỘNG":                  models.BusinessActive,
		"dang  hoat dong":                 models.BusinessActive,
		norm.NFD.String("đang hoạt động"): models.BusinessActive,
		"suspended":                       models.BusinessSuspended,
		"tạm ngưng":                       models.BusinessSuspended,
		"Tạm dừng":                        models.BusinessSuspended,
		"tam ngung hoat dong":             models.BusinessSuspended,
		"closed":                          models.BusinessClosed,
		"Đã đóng cửa":                     models.BusinessClosed,
		"đóng cửa":                        models.BusinessClosed,
		"Ngừng hoạt động":                 models.BusinessClosed,
		norm.NFD.String("Ngừng hoạt động") + " ": models.BusinessClosed,
	}
	for in, want := range tests {
		t.Run(fmt.Sprintf("status %q is %s", in, want), func(t *testing.T) {
			b, _, rej := CheckRow(withFields("status", in), nil, testToday)
			if rej != nil {
				t.Fatalf("rejections %+v", rej)
			}
			if b.Status != want {
				t.Fatalf("status %q, want %q", b.Status, want)
			}
			if !b.ClosedOn.IsZero() {
				t.Fatalf("closed_on %v, want empty", b.ClosedOn)
			}
			if b.StatusSince != models.NewDate(2019, time.May, 20) {
				t.Fatalf("status_since %v", b.StatusSince)
			}
		})
	}
}

func TestCheckRowRejects(t *testing.T) {
	cats := mustCategories(t)
	tests := []struct {
		name     string
		row      Row
		field    string
		value    string
		contains string // in the English message
	}{
		{"a missing name", withFields("name", " "), "name", "", "required"},
		{"a name over 200 characters", withFields("name", strings.Repeat("a", 201)), "name", strings.Repeat("a", 200) + "…", "200"},
		{"a missing category", withFields("category", ""), "category", "", "required"},
		{"a category with a space, suggesting the code", withFields("category", "Hair Salon"), "category", "Hair Salon", `did you mean "hair_salon"`},
		{"a misspelt category, suggesting the code", withFields("category", "masage"), "category", "masage", `did you mean "massage"`},
		{"an unknown category, listing the codes with their names", withFields("category", "Cầm đồ"), "category", "Cầm đồ", "accommodation (Accommodation), bar (Bar), dance_hall (Discotheque)"},
		{"a restaurant, which is not a restaurant with hostesses", withFields("category", "Nhà hàng"), "category", "Nhà hàng", "give a code or a name"},
		{"a plain café", withFields("category", "Cà phê"), "category", "Cà phê", "give a code or a name"},
		{"a licence number of 2 characters", withFields("licence_no", "AB"), "licence_no", "AB", "3-40"},
		{"a licence number of 41 characters", withFields("licence_no", strings.Repeat("9", 41)), "licence_no", strings.Repeat("9", 41), "3-40"},
		{"a licence number with spaces", withFields("licence_no", "57 / GP"), "licence_no", "57 / GP", "letters, digits"},
		{"a licence number with a hash", withFields("licence_no", "57#GP"), "licence_no", "57#GP", "letters, digits"},
		{"no ward and no coordinates", withFields("ward", "", "lat", "", "lon", ""), "lat", "", "ward"},
		{"lat without lon", withFields("lon", ""), "lon", "", "lon is required"},
		{"lon without lat", withFields("lat", ""), "lat", "", "lat is required"},
		{"a lat that is not a number", withFields("lat", "10.05N"), "lat", "10.05N", "not a number"},
		{"a lon that is not a number", withFields("lon", "105°47'"), "lon", "105°47'", "not a number"},
		{"NaN", withFields("lat", "NaN"), "lat", "NaN", "not a number"},
		{"infinity", withFields("lon", "Inf"), "lon", "Inf", "not a number"},
		{"an exponent", withFields("lat", "1e1"), "lat", "1e1", "not a number"},
		{"a hex float", withFields("lat", "0x1p3"), "lat", "0x1p3", "not a number"},
		{"two decimal commas", withFields("lat", "10,05,27"), "lat", "10,05,27", "not a number"},
		{"a thousands separator", withFields("lon", "1,105.78"), "lon", "1,105.78", "not a number"},
		{"a trailing decimal point", withFields("lat", "10."), "lat", "10.", "not a number"},
		{"swapped coordinates", withFields("lat", "105.7862", "lon", "10.0531"), "lat", "105.7862", "look swapped"},
		{"swapped coordinates with decimal commas", withFields("lat", "105,7862", "lon", "10,0531"), "lat", "105,7862", "look swapped"},
		{"a latitude out of range", withFields("lat", "95", "lon", "105.7"), "lat", "95", "out of range"},
		{"a longitude out of range", withFields("lon", "1057862"), "lon", "1057862", "out of range"},
		{"0, 0", withFields("lat", "0", "lon", "0.0"), "lat", "0", "not a real position"},
		{"a date in US order", withFields("opened_on", "12/25/2020"), "opened_on", "12/25/2020", "day first"},
		{"30 February", withFields("opened_on", "30/02/2020"), "opened_on", "30/02/2020", "not a date"},
		{"an ISO date that does not exist", withFields("opened_on", "2021-02-29"), "opened_on", "2021-02-29", "not a date"},
		{"a date with a two-digit year", withFields("opened_on", "05/03/20"), "opened_on", "05/03/20", "not a date"},
		{"a date with a time", withFields("opened_on", "2020-03-05 00:00:00"), "opened_on", "2020-03-05 00:00:00", "not a date"},
		{"a date after today", withFields("opened_on", "2025-07-01"), "opened_on", "2025-07-01", "future"},
		{"a date before 1900", withFields("opened_on", "31/12/1899"), "opened_on", "31/12/1899", "before 1900"},
		{"an unknown status", withFields("status", "pending"), "status", "pending", "active, suspended, closed"},
		{"a phone of 7 digits", withFields("phone", "382 1234"), "phone", "382 1234", "8-15 digits"},
		{"a phone of 16 digits", withFields("phone", "1234567890123456"), "phone", "1234567890123456", "8-15 digits"},
		{"two phone numbers", withFields("phone", "0909 123 456 / 0292 382 1234"), "phone", "0909 123 456 / 0292 382 1234", "one number"},
		{"a phone with letters", withFields("phone", "0909 ABC 456"), "phone", "0909 ABC 456", "8-15 digits"},
		{"a plus inside a phone", withFields("phone", "0909+123456"), "phone", "0909+123456", "8-15 digits"},
		{"a tax code of 9 digits", withFields("tax_code", "180012345"), "tax_code", "180012345", "10 digits"},
		{"a tax code of 11 digits", withFields("tax_code", "18001234567"), "tax_code", "18001234567", "10 digits"},
		{"a tax code with a short branch", withFields("tax_code", "1800123456-01"), "tax_code", "1800123456-01", "10 digits"},
		{"a tax code with letters", withFields("tax_code", "18OO123456"), "tax_code", "18OO123456", "10 digits"},
		// PostgreSQL refuses both; a dry run must say so before the real run fails.
		{"a NUL in the address", withFields("address", "12 Trần\x00 Phú"), "address", "12 Trần\ufffd Phú", "column address contains the character U+0000"},
		{"a NUL in the name, and nothing else said about the name", withFields("name", "\x00"), "name", "\ufffd", "U+0000"},
		{"invalid UTF-8 in the owner", withFields("owner", "Nguy\xe1n"), "owner", "Nguy\ufffdn", "column owner is not valid UTF-8 text"},
		{"a NUL in the licence number", withFields("licence_no", "57/GP\x00"), "licence_no", "57/GP\ufffd", "U+0000"},
	}
	for _, tt := range tests {
		t.Run("rejects "+tt.name, func(t *testing.T) {
			b, _, rej := CheckRow(tt.row, cats, testToday)
			if b != nil {
				t.Errorf("business returned with rejections: %+v", b)
			}
			if len(rej) != 1 {
				t.Fatalf("want one rejection, got %+v", rej)
			}
			r := rej[0]
			if r.Line != 7 || r.Field != tt.field || r.Value != tt.value {
				t.Fatalf("rejection line %d field %q value %q, want 7 %q %q", r.Line, r.Field, r.Value, tt.field, tt.value)
			}
			if !strings.Contains(r.Message, tt.contains) {
				t.Errorf("message %q does not contain %q", r.Message, tt.contains)
			}
			if r.MessageVI == "" || r.MessageVI == r.Message {
				t.Errorf("Vietnamese message %q", r.MessageVI)
			}
		})
	}
}

func TestCheckRowListsEveryProblem(t *testing.T) {
	row := Row{Line: 12, Fields: map[string]string{
		"name": "", "category": "karaok", "licence_no": "#", "ward": "", "lat": "abc", "lon": "",
		"opened_on": "2099-01-01", "status": "mở cửa", "phone": "12", "tax_code": "1",
	}}
	b, _, rej := CheckRow(row, mustCategories(t), testToday)
	if b != nil {
		t.Fatalf("business %+v", b)
	}
	var fields []string
	for _, r := range rej {
		fields = append(fields, r.Field)
		if r.Line != 12 || r.Message == "" || r.MessageVI == "" {
			t.Errorf("rejection %+v", r)
		}
	}
	want := []string{"name", "category", "licence_no", "lon", "opened_on", "status", "phone", "tax_code"}
	if !slices.Equal(fields, want) {
		t.Fatalf("fields %v, want %v", fields, want)
	}
	if !strings.Contains(rej[1].Message, `"karaoke"`) {
		t.Errorf("no suggestion: %q", rej[1].Message)
	}
}

func TestCheckRowBothCoordinatesBad(t *testing.T) {
	_, _, rej := CheckRow(withFields("lat", "x", "lon", "999"), nil, testToday)
	if len(rej) != 1 || rej[0].Field != "lat" {
		t.Fatalf("rejections %+v", rej)
	}
	_, _, rej = CheckRow(withFields("lat", "-91", "lon", "181"), nil, testToday)
	if len(rej) != 2 || rej[0].Field != "lat" || rej[1].Field != "lon" {
		t.Fatalf("rejections %+v", rej)
	}
}

func TestCheckRowShortensLongValues(t *testing.T) {
	long := strings.Repeat("ạ", 10000)
	_, _, rej := CheckRow(withFields("lat", long), nil, testToday)
	if len(rej) != 1 {
		t.Fatalf("rejections %d", len(rej))
	}
	if n := len([]rune(rej[0].Value)); n != 201 {
		t.Errorf("value has %d characters", n)
	}
	if len(rej[0].Message) > 1000 || len(rej[0].MessageVI) > 1000 {
		t.Errorf("message of %d bytes", len(rej[0].Message))
	}
}

func TestCheckRowTrimsAndNormalises(t *testing.T) {
	row := Row{Line: 2, Fields: map[string]string{
		"name": "  " + norm.NFD.String("Nhà nghỉ Hồng") + "\u00a0", "category": " accommodation ", "ward": " 31117 ",
		"address": " 1 Lê Lợi ", "owner": " Bà Ba ", "security_cert_no": " 1/GCN ", "licence_no": " 1/GP ",
	}}
	b, ward, rej := CheckRow(row, nil, testToday)
	if rej != nil {
		t.Fatalf("rejections %+v", rej)
	}
	if b.Name != "Nhà nghỉ Hồng" || b.Category != "accommodation" || ward != "31117" || b.Address != "1 Lê Lợi" ||
		b.OwnerName != "Bà Ba" || b.SecurityCertNo != "1/GCN" || b.Licence() != "1/GP" || b.Status != models.BusinessActive {
		t.Fatalf("business %+v ward %q", b, ward)
	}
}

func TestDuplicateLicences(t *testing.T) {
	rows := []Row{
		{Line: 2, Fields: map[string]string{"licence_no": "57/GP-UBND"}},
		{Line: 3, Fields: map[string]string{"licence_no": ""}},
		{Line: 4, Fields: map[string]string{}},
		{Line: 5, Fields: map[string]string{"licence_no": "57/gp - ubnd"}},
		{Line: 6, Fields: map[string]string{"licence_no": "58/GP-UBND"}},
		{Line: 9, Fields: map[string]string{"licence_no": " 57/GP-UBND "}},
		{Line: 10, Fields: map[string]string{"licence_no": "58/GP-UBND"}},
		{Line: 11, Fields: map[string]string{"licence_no": ""}},
	}
	want := map[int]int{5: 2, 9: 2, 10: 6}
	if got := DuplicateLicences(rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if got := DuplicateLicences(nil); got == nil || len(got) != 0 {
		t.Fatalf("got %v for no rows", got)
	}
}

func TestNormaliseName(t *testing.T) {
	same := [][]string{
		{"Karaoke Hoa Hồng", "KARAOKE  HOA HONG", "karaoke hoa-hồng", "Hoa Hồng", "Quán Karaoke Hoa Hồng", "Hoa Hồng Karaoke", norm.NFD.String("Karaoke Hoa Hồng")},
		{"Nhà nghỉ Bình Minh", "NHÀ NGHỈ BÌNH MINH", "Khách sạn Bình Minh", "KS. Bình Minh", "nha nghi binh minh!"},
		{"Cà phê Đêm", "Cafe Đêm", "Ca phe dem", "Coffee 'Đêm'"},
		{"Công ty TNHH Massage Ánh Dương", "Massage Ánh Dương", "Anh Duong Spa"},
	}
	for _, group := range same {
		want := NormaliseName(group[0])
		for _, n := range group[1:] {
			if got := NormaliseName(n); got != want {
				t.Errorf("NormaliseName(%q) = %q, want %q as for %q", n, got, want, group[0])
			}
		}
	}
	tests := map[string]string{
		"Karaoke Hoa Hồng":   "hoa hong",
		"Karaoke":            "karaoke",
		"Quán Bar":           "bar",
		"Nhà nghỉ Quân":      "quan",
		"Karaoke Hoa Hồng 2": "hoa hong 2",
		"  ":                 "",
		"Đông Đô":            "dong do",
	}
	for in, want := range tests {
		if got := NormaliseName(in); got != want {
			t.Errorf("NormaliseName(%q) = %q, want %q", in, got, want)
		}
	}
	if NormaliseName("Karaoke Hoa Hồng") == NormaliseName("Karaoke Hoa Hồng 2") {
		t.Error("different branches normalise to the same name")
	}
}

func TestLicenceKey(t *testing.T) {
	if LicenceKey(" 57/gp - ubnd\t") != "57/GP-UBND" {
		t.Fatal(LicenceKey(" 57/gp - ubnd\t"))
	}
}

func TestColumnsIsACopy(t *testing.T) {
	c := Columns()
	c[0] = "x"
	if Columns()[0] != "name" || len(Columns()) != 14 {
		t.Fatal(Columns())
	}
}

// The sample files are what the end-to-end import test feeds through the whole pipeline; these
// expectations are the part that needs no database.
func TestSampleFiles(t *testing.T) {
	cats := mustCategories(t)
	t.Run("businesses_good.csv is accepted row by row", func(t *testing.T) {
		rows := mustReadFile(t, "testdata/businesses_good.csv")
		if len(rows) != 10 {
			t.Fatalf("%d rows", len(rows))
		}
		for _, r := range rows {
			b, ward, rej := CheckRow(r, cats, testToday)
			if rej != nil {
				t.Errorf("line %d: %+v", r.Line, rej)
				continue
			}
			if ward == "" {
				t.Errorf("line %d: no ward", r.Line)
			}
			if b.Lat != 0 {
				if err := b.Validate(cats.codes); err != nil {
					t.Errorf("line %d: %v", r.Line, err)
				}
			}
		}
		if d := DuplicateLicences(rows); len(d) != 0 {
			t.Errorf("duplicates %v", d)
		}
	})

	t.Run("businesses_mixed.csv rejects exactly the bad rows", func(t *testing.T) {
		rows := mustReadFile(t, "testdata/businesses_mixed.csv")
		var lines []int
		rejected := map[int][]string{}
		for _, r := range rows {
			lines = append(lines, r.Line)
			_, _, rej := CheckRow(r, cats, testToday)
			for _, x := range rej {
				rejected[r.Line] = append(rejected[r.Line], x.Field)
			}
		}
		if want := []int{2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 16}; !slices.Equal(lines, want) {
			t.Fatalf("lines %v, want %v", lines, want)
		}
		want := map[int][]string{
			4:  {"lat"},                                    // swapped coordinates
			6:  {"name", "opened_on", "phone", "tax_code"}, // several problems at once
			12: {"lat"},                                    // no ward and no coordinates
			13: {"licence_no", "status"},                   // licence "AB", unknown status
		}
		if !reflect.DeepEqual(rejected, want) {
			t.Fatalf("rejected %v, want %v", rejected, want)
		}
		if d := DuplicateLicences(rows); !reflect.DeepEqual(d, map[int]int{9: 2}) {
			t.Errorf("duplicates %v", d)
		}
		byLine := rowsByLine(rows)
		if NormaliseName(byLine[10]["name"]) != NormaliseName(byLine[2]["name"]) {
			t.Errorf("line 10 %q is not a duplicate name of line 2 %q", byLine[10]["name"], byLine[2]["name"])
		}
		if byLine[7]["address"] != "Số 5 hẻm 12\nĐường 30/4" || byLine[11]["ward"] != "99999" {
			t.Errorf("line 7 %q, line 11 %q", byLine[7]["address"], byLine[11]["ward"])
		}
	})

	t.Run("businesses.geojson", func(t *testing.T) {
		rows := mustReadFile(t, "testdata/businesses.geojson")
		if len(rows) != 5 {
			t.Fatalf("%d rows", len(rows))
		}
		if rows[0].Fields["lat"] != "10.053112345678" || rows[0].Fields["lon"] != "105.786213456789" {
			t.Errorf("coordinates %q %q", rows[0].Fields["lat"], rows[0].Fields["lon"])
		}
		rejected := map[int][]string{}
		for _, r := range rows {
			_, _, rej := CheckRow(r, cats, testToday)
			for _, x := range rej {
				rejected[r.Line] = append(rejected[r.Line], x.Field)
			}
		}
		if want := map[int][]string{4: {"lat"}}; !reflect.DeepEqual(rejected, want) { // "vu truong" is dance_hall
			t.Fatalf("rejected %v, want %v", rejected, want)
		}
	})
}

func TestReadFileAcceptsBytesReader(t *testing.T) {
	rows, err := ReadFile(bytes.NewReader([]byte("name,category,ward\nA,bar,1\n")), "", testMaxBytes)
	if err != nil || len(rows) != 1 || rows[0].Line != 2 {
		t.Fatalf("rows %v err %v", rows, err)
	}
}

func TestClosedOnColumn(t *testing.T) {
	today := models.NewDate(2026, 11, 1)
	base := map[string]string{"name": "Karaoke A", "category": "karaoke", "lat": "10.05", "lon": "105.78"}
	for _, tc := range []struct {
		name   string
		extra  map[string]string
		reject string
		closed models.Date
	}{
		{"a closed business keeps its closing date", map[string]string{"status": "closed", "closed_on": "2024-05-01", "opened_on": "2015-01-01"}, "", models.NewDate(2024, 5, 1)},
		{"a closing date on an active business is rejected", map[string]string{"closed_on": "2024-05-01"}, "closed_on", models.Date{}},
		{"a closing date before the opening is rejected", map[string]string{"status": "closed", "closed_on": "2014-05-01", "opened_on": "2015-01-01"}, "closed_on", models.Date{}},
		{"a closing date in the future is rejected", map[string]string{"status": "closed", "closed_on": "2027-05-01"}, "closed_on", models.Date{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := map[string]string{}
			for k, v := range base {
				f[k] = v
			}
			for k, v := range tc.extra {
				f[k] = v
			}
			b, _, rejs := CheckRow(Row{Line: 2, Fields: f}, NewCategories(map[string]bool{"karaoke": true}, nil), today)
			if tc.reject == "" {
				if len(rejs) > 0 || b.ClosedOn != tc.closed {
					t.Fatalf("rejections %+v, closed_on %v", rejs, b)
				}
				return
			}
			if len(rejs) == 0 || rejs[0].Field != tc.reject {
				t.Fatalf("rejections %+v, want one on %s", rejs, tc.reject)
			}
		})
	}
}
