package registry

import (
	"bytes"
	"fmt"
	"testing"
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
