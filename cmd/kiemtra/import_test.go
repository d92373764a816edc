package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"kiemtra/models"
	"kiemtra/registry/registrytest"
)

// writeTemp writes a file into dir and returns its path.
func writeTemp(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportExitStatus(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"KIEMTRA_DATA_DIR": filepath.Join(dir, "data")}
	testdata := func(name string) string { return filepath.Join("..", "..", "registry", "testdata", name) }
	run := func(t *testing.T, wantCode int, args ...string) (string, string) {
		t.Helper()
		code, out, errOut := runCLI(t, env, args...)
		if code != wantCode {
			t.Fatalf("kiemtra %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, wantCode, out, errOut)
		}
		if strings.Contains(errOut, "goroutine ") {
			t.Fatalf("a stack trace was printed: %s", errOut)
		}
		return out, errOut
	}
	areaReport := func(t *testing.T, out string) models.AreaImportReport {
		t.Helper()
		var rep models.AreaImportReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("the report is not JSON: %v\n%s", err, out)
		}
		return rep
	}

	t.Run("-h lists the flags and the exit statuses", func(t *testing.T) {
		_, errOut := run(t, 0, "import", "areas", "-h")
		for _, want := range []string{"-property", "-valid-from", "-dry-run", "Exit status: 0", "1 the file was refused", "3 some rows rejected"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("-h does not mention %q:\n%s", want, errOut)
			}
		}
		_, errOut = run(t, 0, "import", "reorganisation", "-h")
		if !strings.Contains(errOut, "-apply") || !strings.Contains(errOut, "Exit status") {
			t.Errorf("import reorganisation -h:\n%s", errOut)
		}
	})
	t.Run("usage errors exit 2", func(t *testing.T) {
		run(t, 2, "import")
		run(t, 2, "import", "areas")
		run(t, 2, "import", "areas", "--no-such-flag", testdata("dvhcvn_cantho.geojson"))
		_, errOut := run(t, 2, "import", "areas", "--property", "ward=MA_XA", testdata("unknown_properties.geojson"))
		if !strings.Contains(errOut, "--property") {
			t.Errorf("stderr %s", errOut)
		}
		run(t, 2, "import", "areas", "--valid-from", "1/7/2025", testdata("dvhcvn_cantho.geojson"))
	})
	t.Run("a file that cannot be opened exits 1", func(t *testing.T) {
		run(t, 1, "import", "areas", filepath.Join(dir, "no-such-file.geojson"))
	})
	t.Run("a public boundary file imports and exits 0", func(t *testing.T) {
		out, _ := run(t, 0, "import", "areas", "--json", testdata("dvhcvn_cantho.geojson"))
		if rep := areaReport(t, out); rep.Source != models.AreaSourceGSO || rep.Created != 6 {
			t.Fatalf("report %+v", rep)
		}
		out, _ = run(t, 0, "import", "areas", testdata("gadm_cantho_districts.geojson"))
		if !strings.Contains(out, "Đã nhập") || !strings.Contains(out, "2 cập nhật") || !strings.Contains(out, "Imported") {
			t.Fatalf("summary %s", out)
		}
	})
	t.Run("a file in no known naming is refused with its properties and exits 1", func(t *testing.T) {
		_, errOut := run(t, 1, "import", "areas", testdata("unknown_properties.geojson"))
		if !strings.Contains(errOut, "tệp bị từ chối") || !strings.Contains(errOut, "MA_XA, MA_HUYEN") && !strings.Contains(errOut, "MA_HUYEN, MA_XA") {
			t.Fatalf("stderr %s", errOut)
		}
	})
	t.Run("the same file with --property imports and exits 0", func(t *testing.T) {
		out, _ := run(t, 0, "import", "areas", testdata("unknown_properties.geojson"), "--json", "--property", "code=MA_XA,name=TEN_XA", "--property", "parent=MA_HUYEN,type=LOAI")
		if rep := areaReport(t, out); rep.Source != models.AreaSourceMapping || rep.Updated != 2 {
			t.Fatalf("report %+v", rep)
		}
	})
	t.Run("a file with problems stores nothing and exits 1, also as a dry run", func(t *testing.T) {
		overlap := writeTemp(t, dir, "overlap.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature",
			"geometry":{"type":"Polygon","coordinates":[[[105.70,10.00],[105.80,10.00],[105.80,10.05],[105.70,10.05],[105.70,10.00]]]},
			"properties":{"code":"31999","name":"Phường Mới","level":"commune","parent_code":"92","valid_from":"2025-07-01"}}]}`)
		for _, args := range [][]string{{"import", "areas", "--json", "--dry-run", overlap}, {"import", "areas", "--json", overlap}} {
			out, errOut := run(t, 1, args...)
			if rep := areaReport(t, out); len(rep.Problems) != 2 || rep.Created != 0 || !strings.Contains(errOut, "chồng lấn") {
				t.Fatalf("report %+v\nstderr %s", rep, errOut)
			}
		}
	})
	t.Run("warnings are printed and the file is applied: exit 0", func(t *testing.T) {
		shrink := writeTemp(t, dir, "shrink.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature",
			"geometry":{"type":"Polygon","coordinates":[[[105.75,10.00],[105.80,10.00],[105.80,10.03],[105.75,10.03],[105.75,10.00]]]},
			"properties":{"level1_id":"92","level2_id":"916","name":"Quận Ninh Kiều","type":"Quận"}}]}`)
		out, errOut := run(t, 0, "import", "areas", "--json", shrink)
		if rep := areaReport(t, out); len(rep.Warnings) != 1 || rep.Warnings[0].Kind != models.AreaWarningChildOutside || !strings.Contains(errOut, "cảnh báo") {
			t.Fatalf("report %+v\nstderr %s", rep, errOut)
		}
	})

	const header = "name,category,licence_no,ward,lat,lon\n"
	good := "Karaoke Sông Hậu,karaoke,501/GP-UBND,31120,10.01,105.77\n"
	bad := "Karaoke Sai Tọa Độ,karaoke,502/GP-UBND,31120,10.01,305.77\n"
	t.Run("businesses: every row applied exits 0", func(t *testing.T) {
		run(t, 0, "import", "businesses", writeTemp(t, dir, "good.csv", header+good))
	})
	t.Run("businesses: some rows rejected exits 3", func(t *testing.T) {
		out, errOut := run(t, 3, "import", "businesses", writeTemp(t, dir, "mixed.csv", header+good+bad))
		if !strings.Contains(errOut, "1 dòng bị từ chối") {
			t.Fatalf("stderr %s", errOut)
		}
		for _, want := range []string{"Đã nhập 1 cơ sở: 0 mới, 0 cập nhật, 1 không đổi; 1 dòng bị từ chối", "Imported 1 businesses",
			"Sheet/Dòng", "Giá trị", "Lý do", "3 ", "lon", `"305.77"`, "kinh độ 305.77 ngoài khoảng"} {
			if !strings.Contains(out, want) {
				t.Errorf("the summary does not say %q:\n%s", want, out)
			}
		}
		out, _ = run(t, 3, "import", "businesses", "--json", writeTemp(t, dir, "mixed.csv", header+good+bad))
		var rep models.ImportReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 3 {
			t.Fatalf("--json: %v\n%s", err, out)
		}
		run(t, 3, "import", "businesses", "--dry-run", writeTemp(t, dir, "mixed.csv", header+good+bad))
	})
	t.Run("businesses: every row rejected exits 1", func(t *testing.T) {
		run(t, 1, "import", "businesses", writeTemp(t, dir, "bad.csv", header+bad))
	})
	t.Run("businesses: a file that is not a registry exits 1", func(t *testing.T) {
		run(t, 1, "import", "businesses", writeTemp(t, dir, "empty.csv", ""))
	})
	t.Run("businesses -h lists the flags", func(t *testing.T) {
		_, errOut := run(t, 0, "import", "businesses", "-h")
		for _, want := range []string{"-column", "-sheet", "-json", "-dry-run", "licence_no", "Exit status: 0"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("-h does not mention %q:\n%s", want, errOut)
			}
		}
		_, errOut = run(t, 0, "import", "areas", "-h")
		if !strings.Contains(errOut, "-json") {
			t.Errorf("import areas -h: %s", errOut)
		}
	})
	t.Run("businesses: a workbook with Vietnamese headers and labels", func(t *testing.T) {
		xlsx := filepath.Join(dir, "dang_ky.xlsx")
		if err := os.WriteFile(xlsx, registrytest.WorkbookFixture(t, "31120"), 0o600); err != nil {
			t.Fatal(err)
		}
		out, errOut := run(t, 3, "import", "businesses", "--sheet", "Danh sách", xlsx)
		for _, want := range []string{"Đã nhập 4 cơ sở: 4 mới", "1 dòng bị từ chối", "Danh sách/6", "category", `"Cầm đồ"`, "không có trong danh mục"} {
			if !strings.Contains(out, want) {
				t.Errorf("the summary does not say %q:\n%s\nstderr %s", want, out, errOut)
			}
		}
		out, _ = run(t, 3, "import", "businesses", "--json", "--dry-run", "--sheet", "Danh sách", xlsx)
		var rep models.ImportReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Unchanged != 4 || len(rep.Rejected) != 1 || rep.Rejected[0].Sheet != "Danh sách" || rep.Rejected[0].Line != 6 {
			t.Fatalf("--json: %v\n%s", err, out)
		}
		// The first sheet holds notes, not a header: refused.
		_, errOut = run(t, 1, "import", "businesses", xlsx)
		if !strings.Contains(errOut, "tệp bị từ chối") || !strings.Contains(errOut, `trang tính "Hướng dẫn", dòng 1`) {
			t.Errorf("stderr %s", errOut)
		}
		_, errOut = run(t, 1, "import", "businesses", "--sheet", "DS", xlsx)
		if !strings.Contains(errOut, `"Danh sách"`) {
			t.Errorf("stderr %s", errOut)
		}
		good := filepath.Join(dir, "tot.xlsx")
		if err := os.WriteFile(good, sheetOf(t, []any{"Tên doanh nghiệp", "Ngành nghề kinh doanh", "Phường/Xã", "Vĩ độ", "Kinh độ"},
			[]any{"Karaoke Hồng Nhung", "Karaoke", "31120", 10.012, 105.771}), 0o600); err != nil {
			t.Fatal(err)
		}
		out, _ = run(t, 0, "import", "businesses", good)
		if !strings.Contains(out, "Đã nhập 1 cơ sở: 1 mới") {
			t.Errorf("summary %s", out)
		}
		run(t, 2, "import", "businesses", "--column", "so_gp=Số GP", good)
		old := writeTemp(t, dir, "cu.xls", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
		_, errOut = run(t, 1, "import", "businesses", old)
		if !strings.Contains(errOut, ".xlsx") {
			t.Errorf("stderr %s", errOut)
		}
	})
	t.Run("businesses: --column names the file's headers", func(t *testing.T) {
		f := writeTemp(t, dir, "gp.csv", "Tên cơ sở,Ngành nghề,Số GP,Đơn vị hành chính,Vĩ độ,Kinh độ\nKaraoke Mới,Karaoke,777/GP-UBND,31120,10.01,105.77\n")
		run(t, 1, "import", "businesses", f)
		out, _ := run(t, 0, "import", "businesses", "--column", "licence_no=Số GP", "--column", "ward=Đơn vị hành chính", f)
		if !strings.Contains(out, "Đã nhập 1 cơ sở: 1 mới") {
			t.Errorf("summary %s", out)
		}
		run(t, 0, "import", "businesses", "--column", "licence_no=Số GP,ward=Đơn vị hành chính", f)
		_, errOut := run(t, 2, "import", "businesses", "--column", "giay_phep=Số GP", f)
		if !strings.Contains(errOut, "--column") || !strings.Contains(errOut, "licence_no") {
			t.Errorf("stderr %s", errOut)
		}
		_, errOut = run(t, 1, "import", "businesses", "--column", "licence_no=Số Giấy Phép", f)
		if !strings.Contains(errOut, "Số Giấy Phép") {
			t.Errorf("stderr %s", errOut)
		}
	})
	t.Run("reorganisation: one with problems is refused with exit 1", func(t *testing.T) {
		spec := writeTemp(t, dir, "reorg.json", `{"name":"Thử","effective_on":"2025-07-01","parent":"92","level":"commune",
			"units":[{"code":"31999","name":"Phường Mới","lat":10.03,"lon":105.77,"from":[{"code":"99999","name":"Không có","part":"full"}]}]}`)
		out, _ := run(t, 1, "import", "reorganisation", "--dry-run", spec)
		if !strings.Contains(out, "PROBLEM") {
			t.Fatalf("stdout %s", out)
		}
		run(t, 1, "import", "reorganisation", writeTemp(t, dir, "notjson.json", "units: none"))
		run(t, 1, "import", "reorganisation", filepath.Join(dir, "no-such.json"))
	})
}

func TestPrintBusinessImport(t *testing.T) {
	rep := &models.ImportReport{Rows: 60, Created: 3, Updated: 2, Unchanged: 1, DryRun: true,
		PossibleDuplicates: []models.PossibleDuplicate{{Sheet: "DS", Line: 4, BusinessID: "b-1", Reason: `same name as "Karaoke A" (licence "") 12 m away`}}}
	for i := range 54 {
		rep.Rejected = append(rep.Rejected, models.ImportRejection{Sheet: "DS", Line: 7 + i, Field: "phone", Value: strings.Repeat("9", 40),
			Message: "phone is wrong", MessageVI: "số điện thoại sai"})
	}
	var b bytes.Buffer
	printBusinessImport(&b, rep)
	out := b.String()
	for _, want := range []string{
		"Thử, không lưu gì: sẽ nhập 6 cơ sở: 3 mới, 2 cập nhật, 1 không đổi; 54 dòng bị từ chối",
		"Dry run, nothing stored: would import 6 businesses",
		"DS/7", "DS/56", `"` + strings.Repeat("9", 29) + `…"`, "số điện thoại sai", "phone is wrong",
		"4 lỗi nữa, xem --json / 4 more, see --json",
		"Possible duplicates", "DS/4", "b-1", "12 m away",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the summary does not say %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "DS/57") {
		t.Errorf("more than %d rejections printed:\n%s", maxPrintedRejections, out)
	}
}

// sheetOf is an .xlsx workbook whose first sheet holds rows.
func sheetOf(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
