package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kiemtra/models"
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
		out, _ := run(t, 0, "import", "areas", testdata("dvhcvn_cantho.geojson"))
		if rep := areaReport(t, out); rep.Source != models.AreaSourceGSO || rep.Created != 6 {
			t.Fatalf("report %+v", rep)
		}
		out, _ = run(t, 0, "import", "areas", testdata("gadm_cantho_districts.geojson"))
		if rep := areaReport(t, out); rep.Source != models.AreaSourceGADM || rep.Updated != 2 {
			t.Fatalf("report %+v", rep)
		}
	})
	t.Run("a file in no known naming is refused with its properties and exits 1", func(t *testing.T) {
		_, errOut := run(t, 1, "import", "areas", testdata("unknown_properties.geojson"))
		if !strings.Contains(errOut, "tệp bị từ chối") || !strings.Contains(errOut, "MA_XA, MA_HUYEN") && !strings.Contains(errOut, "MA_HUYEN, MA_XA") {
			t.Fatalf("stderr %s", errOut)
		}
	})
	t.Run("the same file with --property imports and exits 0", func(t *testing.T) {
		out, _ := run(t, 0, "import", "areas", testdata("unknown_properties.geojson"), "--property", "code=MA_XA,name=TEN_XA", "--property", "parent=MA_HUYEN,type=LOAI")
		if rep := areaReport(t, out); rep.Source != models.AreaSourceMapping || rep.Updated != 2 {
			t.Fatalf("report %+v", rep)
		}
	})
	t.Run("a file with problems stores nothing and exits 1, also as a dry run", func(t *testing.T) {
		overlap := writeTemp(t, dir, "overlap.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature",
			"geometry":{"type":"Polygon","coordinates":[[[105.70,10.00],[105.80,10.00],[105.80,10.05],[105.70,10.05],[105.70,10.00]]]},
			"properties":{"code":"31999","name":"Phường Mới","level":"commune","parent_code":"92","valid_from":"2025-07-01"}}]}`)
		for _, args := range [][]string{{"import", "areas", "--dry-run", overlap}, {"import", "areas", overlap}} {
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
		out, errOut := run(t, 0, "import", "areas", shrink)
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
		_, errOut := run(t, 3, "import", "businesses", writeTemp(t, dir, "mixed.csv", header+good+bad))
		if !strings.Contains(errOut, "1 dòng bị từ chối") {
			t.Fatalf("stderr %s", errOut)
		}
		run(t, 3, "import", "businesses", "--dry-run", writeTemp(t, dir, "mixed.csv", header+good+bad))
	})
	t.Run("businesses: every row rejected exits 1", func(t *testing.T) {
		run(t, 1, "import", "businesses", writeTemp(t, dir, "bad.csv", header+bad))
	})
	t.Run("businesses: a file that is not a registry exits 1", func(t *testing.T) {
		run(t, 1, "import", "businesses", writeTemp(t, dir, "empty.csv", ""))
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
