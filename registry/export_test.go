package registry_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"kiemtra/models"
	"kiemtra/registry"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// A downloaded registry, in either format and language, imports again as it is: every row
// matches its business and nothing changes. The Vietnamese file reads as an office's register.
func TestExportImportsAgainUnchanged(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newDemoService(t, db)
		mustImport(t, svc, "businesses_good.csv", mustReadTestdata(t, "businesses_good.csv"), false)

		for _, tc := range []struct {
			format string
			vi     bool
		}{{registry.ExportCSV, true}, {registry.ExportCSV, false}, {registry.ExportXLSX, true}, {registry.ExportXLSX, false}} {
			var buf bytes.Buffer
			n, err := svc.Export(ctx, "planner1", &buf, models.BusinessFilter{}, tc.format, tc.vi)
			if err != nil || n != 10 {
				t.Fatalf("%s vi=%v: %d businesses (%v), want 10", tc.format, tc.vi, n, err)
			}
			rep := mustImport(t, svc, "export."+tc.format, buf.Bytes(), true)
			wantCounts(t, rep, counts{Rows: 10, Unchanged: 10})

			rows := exportedRows(t, tc.format, buf.Bytes())
			head := strings.Join(rows[0], "|")
			switch {
			case tc.vi && !strings.HasPrefix(head, "Tên cơ sở|Loại hình|Số giấy phép|Địa chỉ|Mã phường xã|Tên phường, xã|"):
				t.Errorf("%s Vietnamese header %q", tc.format, head)
			case !tc.vi && !strings.HasPrefix(head, "name|category|licence_no|address|ward|ward name|"):
				t.Errorf("%s English header %q", tc.format, head)
			}
			text := strings.Join(flatten(rows), "|")
			if tc.vi && (!strings.Contains(text, "Tạm ngưng hoạt động") || !strings.Contains(text, "Phường")) {
				t.Errorf("%s Vietnamese file lacks a status in words or a unit's name: %q", tc.format, text)
			}
		}

		// A filter narrows the file; an unknown format is refused naming the field.
		var buf bytes.Buffer
		n, err := svc.Export(ctx, "planner1", &buf, models.BusinessFilter{Status: models.BusinessSuspended}, registry.ExportCSV, true)
		if err != nil || n != 1 {
			t.Errorf("suspended only: %d (%v), want 1", n, err)
		}
		if _, err := svc.Export(ctx, "planner1", &buf, models.BusinessFilter{}, "pdf", true); models.ErrorAs(err) == nil || models.ErrorAs(err).Field != "format" {
			t.Errorf("format pdf: %v, want invalid on format", err)
		}

		// Every download is in the audit log with who took it, its filter and its size; the refused
		// one is not.
		events, err := db.FindAuditEvents(ctx, models.AuditFilter{Action: "registry_export"})
		if err != nil || len(events) != 5 {
			t.Fatalf("%d export events (%v), want 5", len(events), err)
		}
		var last models.ExportRecord
		if err := json.Unmarshal([]byte(events[0].Details), &last); err != nil || events[0].Actor != "planner1" ||
			last.Rows != 1 || last.Status != models.BusinessSuspended || last.Format != registry.ExportCSV {
			t.Errorf("the last export's audit: %s %s (%v)", events[0].Actor, events[0].Details, err)
		}
	})
}

func exportedRows(t *testing.T, format string, data []byte) [][]string {
	t.Helper()
	if format == registry.ExportCSV {
		if !bytes.HasPrefix(data, []byte("\ufeff")) {
			t.Error("the CSV file has no byte order mark for Excel")
		}
		rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff")))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}
