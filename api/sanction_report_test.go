package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"kiemtra/models"
	"kiemtra/report"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// TestSanctionFiguresAreEqualInJSONAndTheWorkbook records sanctions in two districts and reads
// the quarter's report as JSON and as a workbook: every sanction figure of every summary row is
// the same number in both, and the total is what was recorded.
func TestSanctionFiguresAreEqualInJSONAndTheWorkbook(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		env := newPlanServer(t, db)
		env.srv.reports = newReportService(t, db)
		h := env.srv
		city := &Principal{UserID: "p", Username: "planner", Role: models.RolePlanner, AreaCode: "92", AreaPath: "/92/"}
		if w := doAs(t, h, city, "POST", "/api/v1/programmes", `{"code":"P","name":"Chương trình 2026-2030","starts_on":"2026-01-01","ends_on":"2030-12-31","root_area_code":"92"}`); w.Code != 201 {
			t.Fatalf("programme: %d %s", w.Code, w.Body)
		}
		step := func(biz, code, patch string) {
			t.Helper()
			w := doAs(t, h, city, "POST", "/api/v1/sanctions", fmt.Sprintf(`{"business_id":%q,"violation_code":%q}`, biz, code))
			if w.Code != 201 {
				t.Fatalf("propose: %d %s", w.Code, w.Body)
			}
			s := decodeSanction(t, w.Body.Bytes())
			if w := doAs(t, h, city, "PATCH", "/api/v1/sanctions/"+s.ID, fmt.Sprintf(`{"version":%d,%s}`, s.Version, patch)); w.Code != 200 {
				t.Fatalf("step: %d %s", w.Code, w.Body)
			}
		}
		d1, d2 := firstBusinessIn(t, db, "D1"), firstBusinessIn(t, db, "D2")
		step(d1, "HOURS", `"decision":{"number":"1/QĐ","date":"2026-01-15","authority":"UBND","fine_amount":12000000}`)
		step(d1, "ACC_NOTIFY", `"decision":{"number":"2/QĐ","date":"2026-02-01","authority":"UBND","warning":true,"suspension_start":"2026-02-02","suspension_end":"2026-03-02"}`)
		step(d2, "PROSTITUTION", `"referral":{"referred_on":"2026-02-20","case_no":"VA-1"}`)
		step(d2, "KAR_ROOM_AREA", `"decision":{"number":"3/QĐ","date":"2026-02-10","authority":"UBND","fine_amount":15000000,"withdrawal":true,"withdrawal_start":"2026-02-11","withdrawal_end":"2026-05-11"}`)
		// The first fine is paid.
		list := doAs(t, h, city, "GET", "/api/v1/sanctions?business="+d1+"&status=decided", "")
		var got struct{ Items []sanctionBody }
		json.Unmarshal(list.Body.Bytes(), &got)
		for _, s := range got.Items {
			if s.FineMax == 20000000 { // HOURS
				if w := doAs(t, h, city, "PATCH", "/api/v1/sanctions/"+s.ID, fmt.Sprintf(`{"version":%d,"payment":{"paid_on":"2026-01-20","amount":12000000,"receipt_no":"BL-7"}}`, s.Version)); w.Code != 200 {
					t.Fatalf("payment: %d %s", w.Code, w.Body)
				}
			}
		}

		w := doAs(t, h, city, "GET", "/api/v1/reports?period=2026-Q1&format=json", "")
		var rep report.Report
		if err := json.Unmarshal(w.Body.Bytes(), &rep); err != nil || w.Code != 200 {
			t.Fatalf("%d %v", w.Code, err)
		}
		want := models.SanctionFigures{Decisions: 3, Warnings: 1, Fines: 2, FinesAmount: 27000000, FinesPaid: 1, FinesPaidSum: 12000000,
			Suspensions: 1, Withdrawals: 1, Referrals: 1, Overdue: 1}
		if rep.Total.SanctionFigures != want {
			t.Errorf("total %+v, want %+v", rep.Total.SanctionFigures, want)
		}
		w = doAs(t, h, city, "GET", "/api/v1/reports?period=2026-Q1&format=xlsx", "")
		f, err := excelize.OpenReader(bytes.NewReader(w.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(report.SheetSummary, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		keys := []string{models.MeasureSanctionDecisions, models.MeasureSanctionWarnings, models.MeasureSanctionFines, models.MeasureSanctionFinesAmount,
			models.MeasureSanctionFinesPaid, models.MeasureSanctionCollected, models.MeasureSanctionConfiscation, models.MeasureSanctionSuspensions,
			models.MeasureSanctionWithdrawals, models.MeasureSanctionReferrals, models.MeasureSanctionOverdue}
		col := map[string]int{}
		for i, head := range rows[9] { // the English headings
			for _, k := range keys {
				if head == models.MeasureOf(k).NameEN {
					col[k] = i
				}
			}
		}
		if len(col) != len(keys) {
			t.Fatalf("the workbook heads %d of the %d sanction figures: %v", len(col), len(keys), rows[9])
		}
		jsonRows := map[string]map[string]any{}
		for _, r := range append([]report.Row{rep.Total}, rep.Rows...) {
			b, _ := json.Marshal(r)
			var m map[string]any
			json.Unmarshal(b, &m)
			code := r.GSOCode
			if code == "" {
				code = r.AreaCode
			}
			jsonRows[code] = m
		}
		compared := 0
		for _, row := range rows[10:] {
			if len(row) < 3 {
				continue
			}
			m, ok := jsonRows[row[1]]
			if !ok {
				t.Errorf("the workbook's row %v is not in the JSON", row[:3])
				continue
			}
			for _, k := range keys {
				cell := ""
				if col[k] < len(row) {
					cell = row[col[k]]
				}
				n, _ := strconv.ParseFloat(cell, 64)
				if n != m[k].(float64) {
					t.Errorf("%s %s: workbook %q, JSON %v", row[1], k, cell, m[k])
				}
			}
			compared++
		}
		if compared != 3 { // the total and two districts
			t.Errorf("compared %d rows", compared)
		}
	})
}
