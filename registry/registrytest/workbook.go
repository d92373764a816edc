// Package registrytest holds fixtures for the tests of the registry's imports.
package registrytest

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// WorkbookFixture builds, with excelize, the workbook a provincial licensing office keeps: a
// first sheet "Hướng dẫn" of notes, then sheet "Danh sách" with a title on row 1, Vietnamese
// headers on row 2 (with the "STT" column every office adds), Vietnamese category labels, a
// licence number and a tax code typed as numbers, an opening date as an Excel date, one typed
// dd/mm/yyyy and one YYYY-MM-DD, and on row 6 one bad row (a category the programme does not
// know). ward is the ward code of every row. The tests of the registry and of the import command share it.
func WorkbookFixture(tb testing.TB, ward string) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Hướng dẫn"))
	must(f.SetCellValue("Hướng dẫn", "A1", "Ghi chú"))
	must(f.SetCellValue("Hướng dẫn", "B1", "Điền mỗi cơ sở một dòng"))
	_, err := f.NewSheet("Danh sách")
	must(err)
	must(f.SetCellValue("Danh sách", "A1", "DANH SÁCH CƠ SỞ KINH DOANH CÓ ĐIỀU KIỆN VỀ AN NINH TRẬT TỰ"))
	rows := [][]any{
		{"STT", "Tên cơ sở kinh doanh", "Loại hình kinh doanh", "Số GPKD", "Địa chỉ kinh doanh", "Xã/Phường", "Ngày cấp", "Mã số thuế", "SĐT", "Người đại diện", "Số GCN ANTT"},
		{1, "Khách sạn Sông Hậu", "Cơ sở lưu trú", 12345678, "1 Hai Bà Trưng", ward, time.Date(2019, 5, 20, 0, 0, 0, 0, time.UTC), 1800123456, "0292 3821 234", "Nguyễn Văn An", "123/GCN-ANTT"},
		{2, "Karaoke Hoa Hồng", "KARAOKE", "58/GP-UBND", "12 Trần Phú", ward, "05/03/2020", "1800234567", "0909 123 456", "Trần Thị Bình", ""},
		{3, "Massage Thanh Xuân", "Xoa bóp", 123456789012, "3 Lý Tự Trọng", ward, "2021-01-15", "", "", "", ""},
		{4, "Tiệm Cầm Đồ Phú Quý", "Cầm đồ", "60/GP-UBND", "4 Ngô Quyền", ward, "", "", "", "", ""},
		{5, "Quán Bar Mới", "Quán bar", "61/GP-UBND", "5 Phan Đình Phùng", ward, "", "", "", "", ""},
	}
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		must(err)
		must(f.SetSheetRow("Danh sách", cell, &r))
	}
	dmy := "dd/mm/yyyy"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dmy})
	must(err)
	must(f.SetCellStyle("Danh sách", "G3", "G3", dateStyle))
	var buf bytes.Buffer
	must(f.Write(&buf))
	return buf.Bytes()
}
