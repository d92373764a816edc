package registry

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
	"kiemtra/registry/registrytest"
)

func ptr[T any](v T) *T { return &v }

func TestReadFileWithXLSX(t *testing.T) {
	data := registrytest.WorkbookFixture(t, "31117")
	t.Run("reads the named sheet, its header below the title, and gives every row its sheet and spreadsheet row", func(t *testing.T) {
		rows, err := ReadFileWith(bytes.NewReader(data), models.BusinessImportOptions{Name: "dang_ky.xlsx", Sheet: "danh sách"}, testMaxBytes)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 5 {
			t.Fatalf("%d rows, want 5", len(rows))
		}
		for i, r := range rows {
			if r.Sheet != "Danh sách" || r.Line != i+3 {
				t.Errorf("row %d at %q %d, want Danh sách %d", i, r.Sheet, r.Line, i+3)
			}
			if _, ok := r.Fields[colIgnored]; ok {
				t.Errorf("the STT column was read: %v", r.Fields)
			}
		}
		first := rows[0].Fields
		for col, want := range map[string]string{colName: "Khách sạn Sông Hậu", colCategory: "Cơ sở lưu trú", colLicence: "12345678",
			colWard: "31117", colOpenedOn: "2019-05-20", colTaxCode: "1800123456", colPhone: "0292 3821 234", colOwner: "Nguyễn Văn An"} {
			if first[col] != want {
				t.Errorf("row 3 %s = %q, want %q", col, first[col], want)
			}
		}
		if got := rows[2].Fields[colLicence]; got != "123456789012" {
			t.Errorf("a 12-digit licence typed as a number reads %q", got)
		}
		if got := rows[1].Fields[colOpenedOn]; got != "05/03/2020" {
			t.Errorf("a typed date reads %q", got)
		}
	})
	t.Run("the first sheet by default", func(t *testing.T) {
		_, err := ReadFileWith(bytes.NewReader(data), models.BusinessImportOptions{Name: "dang_ky.xlsx"}, testMaxBytes)
		wantFileError(t, err, models.EINVALID, `sheet "Hướng dẫn", row 1`, `unknown columns "Ghi chú", "Điền mỗi cơ sở một dòng"`)
	})
	t.Run("an unknown sheet is refused with the sheets there are", func(t *testing.T) {
		_, err := ReadFileWith(bytes.NewReader(data), models.BusinessImportOptions{Name: "dang_ky.xlsx", Sheet: "DS"}, testMaxBytes)
		wantFileError(t, err, models.EINVALID, `no sheet "DS"`, `"Hướng dẫn", "Danh sách"`)
	})
	t.Run("a mapping names a header the file has not", func(t *testing.T) {
		m, err := ParseColumnMapping(`licence_no="Số GP"`)
		if err != nil {
			t.Fatal(err)
		}
		_, err = ReadFileWith(bytes.NewReader(data), models.BusinessImportOptions{Name: "dang_ky.xlsx", Sheet: "Danh sách", Columns: m}, testMaxBytes)
		wantFileError(t, err, models.EINVALID, `licence_no="Số GP"`, "does not have")
	})
	t.Run("an .xls name is refused whatever it holds, saying to save as .xlsx", func(t *testing.T) {
		_, err := ReadFileWith(bytes.NewReader(data), models.BusinessImportOptions{Name: "dang_ky.xls"}, testMaxBytes)
		wantFileError(t, err, models.EUNSUPPORTEDTYPE, ".xlsx")
	})
	t.Run("an .xlsx name on a CSV is refused", func(t *testing.T) {
		_, err := ReadFileWith(strings.NewReader("name,category,ward\n"), models.BusinessImportOptions{Name: "dang_ky.xlsx"}, testMaxBytes)
		wantFileError(t, err, models.EINVALID, "not an Excel workbook")
	})
	t.Run("the content type says xlsx when the name does not", func(t *testing.T) {
		_, err := ReadFileWith(strings.NewReader("name,category,ward\n"), models.BusinessImportOptions{Name: "upload",
			ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, testMaxBytes)
		wantFileError(t, err, models.EINVALID, "not an Excel workbook")
	})
	t.Run("a sheet with titles only has no header", func(t *testing.T) {
		f := excelize.NewFile()
		defer f.Close()
		if err := f.SetCellValue("Sheet1", "B2", "DANH SÁCH"); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		_, err := ReadFileWith(&buf, models.BusinessImportOptions{Name: "a.xlsx"}, testMaxBytes)
		wantFileError(t, err, models.EINVALID, `sheet "Sheet1" has no header row`)
	})
	t.Run("a workbook that expands beyond 4 times the limit is too large", func(t *testing.T) {
		f := excelize.NewFile()
		defer f.Close()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 20000; i++ {
			cell, _ := excelize.CoordinatesToCellName(1, i)
			if err := sw.SetRow(cell, []any{"Karaoke", "karaoke", "31117", "Karaoke", "karaoke", "31117"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		_, err = ReadFileWith(bytes.NewReader(buf.Bytes()), models.BusinessImportOptions{Name: "bomb.xlsx"}, int64(buf.Len()))
		wantFileError(t, err, models.ETOOLARGE, "expands to more than")
	})
	t.Run("a workbook over the limit is too large", func(t *testing.T) {
		_, err := ReadFileWith(bytes.NewReader(data), models.BusinessImportOptions{Name: "dang_ky.xlsx"}, int64(len(data)-1))
		wantFileError(t, err, models.ETOOLARGE)
	})
}

func wantFileError(t *testing.T, err error, code string, contains ...string) {
	t.Helper()
	e := models.ErrorAs(err)
	if e == nil || e.Code != code || e.Field != "file" {
		t.Fatalf("error %v, want %s on file", err, code)
	}
	for _, c := range contains {
		if !strings.Contains(e.Message, c) {
			t.Errorf("message %q does not contain %q", e.Message, c)
		}
	}
	if e.MessageVI == "" || e.MessageVI == e.Message {
		t.Errorf("Vietnamese message %q", e.MessageVI)
	}
}

func TestCategoryLabels(t *testing.T) {
	cats := mustCategories(t)
	for in, want := range map[string]string{
		"karaoke": "karaoke", "KARAOKE": "karaoke", "Karaoké": "karaoke", "Cơ sở lưu trú": "accommodation",
		"co so luu tru": "accommodation", "Kinh doanh dịch vụ lưu trú": "accommodation", "Nhà nghỉ": "accommodation",
		"khách sạn": "accommodation", "Hotel": "accommodation", "Xoa bóp": "massage", "Massage": "massage", "xông hơi": "massage",
		"Quán bar": "bar", "pub": "bar", "Vũ trường": "dance_hall", "dance hall": "dance_hall", "dance-hall": "dance_hall",
		"Spa": "spa", "thẩm mỹ": "spa", "Nhà hàng có tiếp viên": "hostess_restaurant", "quán nhậu có tiếp viên": "hostess_restaurant",
		"Cà phê đèn mờ": "hostess_cafe", "cà phê chòi": "hostess_cafe", "Loại hình khác": "other",
		norm.NFD.String("Cơ sở lưu trú"): "accommodation",
	} {
		if got, ok := cats.lookup(in); !ok || got != want {
			t.Errorf("%q is %q (%v), want %q", in, got, ok, want)
		}
	}
	for in, want := range map[string]string{"Vu truongg": "dance_hall", "Xoa bop massage": "", "Nha ngi": "accommodation", "Cầm đồ": ""} {
		if got := cats.suggest(in); got != want {
			t.Errorf("%q suggests %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{"Nhà hàng", "Cà phê", "Cầm đồ", "Cơ sở", "Kinh doanh"} {
		if got, ok := cats.lookup(in); ok {
			t.Errorf("%q is accepted as %q", in, got)
		}
	}
}

func TestXLSXCell(t *testing.T) {
	for _, tt := range []struct {
		col, raw string
		date1904 bool
		want     string
	}{
		{colOpenedOn, "43605", false, "2019-05-20"},
		{colOpenedOn, "43605.75", false, "2019-05-20"},
		{colOpenedOn, "42143", true, "2019-05-20"},
		{colOpenedOn, "2019", false, "2019"}, // a year, rejected later as not a date
		{colClosedOn, "20/05/2019", false, "20/05/2019"},
		{colLicence, "1.2345678E7", false, "12345678"},
		{colLicence, "12345678", false, "12345678"},
		{colTaxCode, "1.800123456E9", false, "1800123456"},
		{colLat, "10.0527", false, "10.0527"},
		{colName, "Inf", false, "Inf"},
		{colName, "1e400", false, "1e400"},
	} {
		if got := xlsxCell(tt.col, tt.raw, tt.date1904); got != tt.want {
			t.Errorf("%s %q (1904: %v) reads %q, want %q", tt.col, tt.raw, tt.date1904, got, tt.want)
		}
	}
}

func TestReadGeoJSONWithAColumnMapping(t *testing.T) {
	const file = `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[105.78,10.05]},
		"properties":{"Tên cơ sở":"Karaoke A","Ngành nghề":"Karaoke","Số GP":"81/GP-UBND","STT":1}}]}`
	m, err := ParseColumnMapping("licence_no=Số GP")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ReadFileWith(strings.NewReader(file), models.BusinessImportOptions{Name: "a.geojson", Columns: m}, testMaxBytes)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Fields[colLicence] != "81/GP-UBND" || rows[0].Fields[colCategory] != "Karaoke" || rows[0].Fields[colLat] != "10.05" {
		t.Fatalf("rows %+v", rows)
	}
	m, _ = ParseColumnMapping("licence_no=Số GP", "ward=Đơn vị")
	_, err = ReadFileWith(strings.NewReader(file), models.BusinessImportOptions{Name: "a.geojson", Columns: m}, testMaxBytes)
	wantFileError(t, err, models.EINVALID, `ward="Đơn vị"`, "no feature has")
}

func TestVietnameseHeaders(t *testing.T) {
	for h, want := range map[string]string{
		"Số GPKD": colLicence, "Số giấy phép kinh doanh": colLicence, "Số giấy chứng nhận đăng ký kinh doanh": colLicence,
		"Số GCN ĐKKD": colLicence, "Tên cơ sở kinh doanh": colName, "Tên doanh nghiệp": colName, "Loại hình kinh doanh": colCategory,
		"Ngành nghề": colCategory, "Ngành nghề kinh doanh": colCategory, "Địa chỉ kinh doanh": colAddress, "Xã/Phường": colWard,
		"Phường/Xã": colWard, "Phường / Xã / Thị trấn": colWard, "Mã số thuế": colTaxCode, "MST": colTaxCode, "Ngày cấp": colOpenedOn,
		"Ngày bắt đầu hoạt động": colOpenedOn, "Chủ cơ sở": colOwner, "Người đại diện": colOwner, "Điện thoại": colPhone,
		"SĐT": colPhone, "Số ĐT": colPhone, "Vĩ độ": colLat, "Kinh độ": colLon, "Số GCN ANTT": colSecurity,
		"Giấy chứng nhận đủ điều kiện về ANTT": colSecurity, "Giấy chứng nhận đủ điều kiện về an ninh, trật tự": colSecurity,
		"Tình trạng hoạt động": colStatus, "Ngày ngừng hoạt động": colClosedOn, "STT": colIgnored, "licence_no": colLicence,
		norm.NFD.String("Tên cơ sở"): colName, "TÊN CƠ SỞ": colName,
	} {
		if got := headerAliases[headerKey(h)]; got != want {
			t.Errorf("%q (%s) is %q, want %q", h, headerKey(h), got, want)
		}
	}
}
