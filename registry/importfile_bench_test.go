package registry

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"kiemtra/models"
)

// BenchmarkReadCSV100k reads a 100,000-row file of the shape offices send (all 13 columns,
// Vietnamese text, a quoted address) and reports rows per second.
func BenchmarkReadCSV100k(b *testing.B) {
	const n = 100_000
	var buf bytes.Buffer
	buf.WriteString("\uFEFFname,category,licence_no,address,ward,lat,lon,opened_on,status,phone,owner,tax_code,security_cert_no\n")
	for i := range n {
		fmt.Fprintf(&buf, "Karaoke Hoa Hồng %d,karaoke,%d/GP-UBND,\"%d Trần Phú, Phường Cái Khế\",31117,10.%04d,105.%04d,20/05/2019,hoạt động,0292 3821 234,Nguyễn Văn An,%010d,%d/GCN-ANTT\n",
			i, i, i%500, i%10000, (i*7)%10000, 1800000000+i, i)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rows, err := ReadFile(bytes.NewReader(data), "bench.csv", int64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		if len(rows) != n {
			b.Fatalf("%d rows", len(rows))
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkCheckRow100k checks the rows of the same shape, the other half of an import.
func BenchmarkCheckRow100k(b *testing.B) {
	cats := mustCategories(b)
	row := goodRow()
	row.Fields["status"] = "hoạt động"
	row.Fields["opened_on"] = "20/05/2019"
	b.ReportAllocs()
	for b.Loop() {
		for range 100_000 {
			if _, _, rej := CheckRow(row, cats, testToday); rej != nil {
				b.Fatal(rej)
			}
		}
	}
	b.ReportMetric(100_000*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkReadXLSX100k reads the same 100,000 rows from an .xlsx workbook (Vietnamese headers,
// numbers and dates typed as such) and reports rows per second.
func BenchmarkReadXLSX100k(b *testing.B) {
	const n = 100_000
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		b.Fatal(err)
	}
	header := []any{"STT", "Tên cơ sở kinh doanh", "Loại hình kinh doanh", "Số GPKD", "Địa chỉ kinh doanh", "Xã/Phường", "Vĩ độ", "Kinh độ",
		"Ngày cấp", "Trạng thái", "SĐT", "Người đại diện", "Mã số thuế", "Số GCN ANTT"}
	if err := sw.SetRow("A1", header); err != nil {
		b.Fatal(err)
	}
	opened := excelize.Cell{StyleID: dateStyle, Value: time.Date(2019, 5, 20, 0, 0, 0, 0, time.UTC)}
	for i := range n {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{i + 1, fmt.Sprintf("Karaoke Hoa Hồng %d", i), "Karaoke", fmt.Sprintf("%d/GP-UBND", i),
			fmt.Sprintf("%d Trần Phú, Phường Cái Khế", i%500), "31117", 10 + float64(i%10000)/1e4, 105 + float64((i*7)%10000)/1e4,
			opened, "hoạt động", "0292 3821 234", "Nguyễn Văn An", 1800000000 + i, fmt.Sprintf("%d/GCN-ANTT", i)}); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rows, err := ReadFileWith(bytes.NewReader(data), models.BusinessImportOptions{Name: "bench.xlsx"}, 32<<20)
		if err != nil {
			b.Fatal(err)
		}
		if len(rows) != n || rows[0].Fields[colOpenedOn] != "2019-05-20" {
			b.Fatalf("%d rows, first %v", len(rows), rows[0].Fields)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
