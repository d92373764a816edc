package api

import (
	"bytes"
	"mime/multipart"
	"net/textproto"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// workbookUpload is a multipart body with the form fields first, then an .xlsx file of a
// registry kept in Excel: Vietnamese headers, one of them ("Số GP") only known through the
// column mapping, category labels, and on row 4 a category the programme does not know.
func workbookUpload(t *testing.T, fields map[string][]string) (string, string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range [][]any{
		{"STT", "Tên cơ sở", "Ngành nghề", "Số GP", "Phường/Xã"},
		{1, "Karaoke Bến Ninh Kiều", "Karaoke", 9012345, "31117"},
		{2, "Nhà nghỉ Hoa Sen", "Cơ sở lưu trú", "902/GP-UBND", "31117"},
		{3, "Tiệm vàng Kim Long", "Kinh doanh vàng", "903/GP-UBND", "31117"},
	} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var xlsx bytes.Buffer
	if err := f.Write(&xlsx); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			if err := mw.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="upload"`)
	h.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	fw, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(xlsx.Bytes())
	mw.Close()
	return buf.String(), mw.FormDataContentType()
}

func TestImportBusinessesFromAWorkbook(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newRegistryServer(t, db, false)
		t.Run("the mapping and the sheet as form fields, the type from the part's content type", func(t *testing.T) {
			body, ct := workbookUpload(t, map[string][]string{"column": {"licence_no=Số GP"}, "sheet": {"Sheet1"}})
			rep := mustJSON[models.ImportReport](t, do(t, s, "POST", "/api/v1/businesses/import?dry_run=true", body, "Content-Type", ct), 200)
			if rep.Rows != 3 || rep.Created != 2 || len(rep.Rejected) != 1 {
				t.Fatalf("report %+v", rep)
			}
			r := rep.Rejected[0]
			if r.Sheet != "Sheet1" || r.Line != 4 || r.Field != "category" || r.Value != "Kinh doanh vàng" || !strings.Contains(r.MessageVI, "không có trong danh mục") {
				t.Fatalf("rejection %+v", r)
			}
		})
		t.Run("the mapping as a query parameter, applied", func(t *testing.T) {
			body, ct := workbookUpload(t, nil)
			rep := mustJSON[models.ImportReport](t, do(t, s, "POST", "/api/v1/businesses/import?column=licence_no%3DS%E1%BB%91%20GP", body, "Content-Type", ct), 200)
			if rep.Created != 2 || len(rep.Rejected) != 1 || rep.DryRun {
				t.Fatalf("report %+v", rep)
			}
			bs, _, err := db.FindBusinesses(t.Context(), models.BusinessFilter{Licences: []string{"9012345", "902/GP-UBND"}})
			if err != nil || len(bs) != 2 {
				t.Fatalf("stored %d, %v", len(bs), err)
			}
			for _, b := range bs {
				if want := map[string]string{"9012345": "karaoke", "902/GP-UBND": "accommodation"}[b.Licence()]; b.Category != want {
					t.Errorf("%s: %s, want %s", b.Licence(), b.Category, want)
				}
			}
		})
		t.Run("without the mapping the workbook is refused, naming the header", func(t *testing.T) {
			body, ct := workbookUpload(t, nil)
			w := do(t, s, "POST", "/api/v1/businesses/import", body, "Content-Type", ct)
			wantError(t, w, 400, models.EINVALID, "file")
			if !strings.Contains(w.Body.String(), `Số GP`) || !strings.Contains(w.Body.String(), `Sheet1`) {
				t.Errorf("body %s", w.Body.String())
			}
		})
		t.Run("an unknown sheet is refused", func(t *testing.T) {
			body, ct := workbookUpload(t, map[string][]string{"sheet": {"DS"}, "column": {"licence_no=Số GP"}})
			wantError(t, do(t, s, "POST", "/api/v1/businesses/import", body, "Content-Type", ct), 400, models.EINVALID, "file")
		})
	})
}
