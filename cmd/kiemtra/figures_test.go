package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"kiemtra/demo"
	"kiemtra/models"
	"kiemtra/report"
)

// sameFigureMeasures are the figures a reader compares between the dashboard, the API and the
// workbook: the share with its numerator and denominator, the coverage with its own.
var sameFigureMeasures = []string{
	models.MeasureOpenAtStart, models.MeasureInspectedOpenAtStart, models.MeasureShareInspected, models.MeasureInspected,
	models.MeasureEligible, models.MeasureCovered, models.MeasureCoverage, models.MeasureNeverInspected,
}

// figureSource reads the figures of (period, unit) pairs from the API and the workbook, as a
// planner signed in would download them.
type figureSource struct {
	m     *Main
	token string
}

func newFigureSource(t *testing.T, m *Main) *figureSource {
	t.Helper()
	var s struct {
		AccessToken string `json:"access_token"`
	}
	if code := apiCall(t, m, "POST", "/api/v1/auth/login", fmt.Sprintf(`{"username":"planner","password":%q}`, demo.Password), "", &s); code != 200 {
		t.Fatalf("planner login: %d", code)
	}
	return &figureSource{m: m, token: s.AccessToken}
}

// workbook downloads a year's report of a programme and returns its summary sheet's rows by
// official code ("" for the total), each a map from the Vietnamese heading to the cell.
func (f *figureSource) workbook(t *testing.T, programme string, year int) map[string]map[string]string {
	t.Helper()
	req, _ := http.NewRequest("GET", fmt.Sprintf("http://%s/api/v1/reports?period=%d&programme=%s&format=xlsx", f.m.Addr(), year, programme), nil)
	req.Header.Set("Authorization", "Bearer "+f.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("report %s %d: %d %s", programme, year, resp.StatusCode, body)
	}
	x, err := excelize.OpenReader(bytes.NewReader(body), excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(report.SheetSummary, excelize.Options{RawCellValue: true})
	if err != nil || len(rows) < 11 {
		t.Fatalf("summary sheet of %s %d: %d rows, %v", programme, year, len(rows), err)
	}
	heads := rows[8] // the Vietnamese headings; rows[9] are the English ones
	out := map[string]map[string]string{}
	for i, r := range rows[10:] {
		cells := map[string]string{}
		for j, c := range r {
			if j < len(heads) {
				cells[heads[j]] = c
			}
		}
		code := ""
		switch {
		case len(r) > 0 && r[0] == "Chưa xác định": // the tips placed in no unit
			continue
		case i > 0 && len(r) > 1:
			code = r[1]
		}
		out[code] = cells
	}
	return out
}

// checkSameFigures checks, for the year the dashboard shows and each of the units (area_code;
// "" is the whole area, read from the table's total line), that the dashboard's table, the
// coverage API and the workbook give every figure of sameFigureMeasures the same value under
// the same name. It returns how many (period, unit) pairs it compared.
func checkSameFigures(t *testing.T, bctx context.Context, f *figureSource, programme string, year int, units []string) int {
	t.Helper()
	var cov models.Coverage
	if code := apiCall(t, f.m, "GET", fmt.Sprintf("/api/v1/coverage?programme=%s&year=%d", programme, year), "", f.token, &cov); code != 200 {
		t.Fatalf("coverage %s %d: %d", programme, year, code)
	}
	book := f.workbook(t, programme, year)
	// The measures' names as the dashboard heads its columns (in Vietnamese, its default).
	heads := evalJS[map[string]string](t, bctx, `Object.fromEntries(Array.from(document.querySelectorAll('#area-table thead button[data-measure]')).map(b => [b.dataset.measure, b.firstChild.textContent.trim()]))`)
	pairs := 0
	for _, code := range units {
		row := cov.Total
		sel := `#area-table tfoot tr.total`
		if code != "" {
			found := false
			for _, r := range cov.Rows {
				if r.AreaCode == code {
					row, found = r, true
				}
			}
			if !found {
				t.Fatalf("%s %d: the API has no row %s", programme, year, code)
			}
			sel = fmt.Sprintf(`#area-table tbody tr[data-code=%q]`, code)
		}
		shown := evalJS[map[string]string](t, bctx, fmt.Sprintf(`(() => { const tr = document.querySelector(%q); return tr ? Object.fromEntries(Array.from(tr.querySelectorAll('td[data-measure]')).map(td => [td.dataset.measure, td.dataset.value])) : {}; })()`, sel))
		api := map[string]float64{
			models.MeasureOpenAtStart: float64(row.OpenAtStart), models.MeasureInspectedOpenAtStart: float64(row.InspectedOpenAtStart),
			models.MeasureShareInspected: row.Share, models.MeasureInspected: float64(row.Inspected), models.MeasureEligible: float64(row.Eligible),
			models.MeasureCovered: float64(row.Covered), models.MeasureCoverage: row.Coverage, models.MeasureNeverInspected: float64(row.NeverInspected),
		}
		gso := ""
		if code != "" {
			gso = row.GSOCode
		}
		cells, ok := book[gso]
		if !ok {
			t.Fatalf("%s %d: the workbook has no row %q", programme, year, gso)
		}
		for _, key := range sameFigureMeasures {
			name := models.MeasureOf(key).Name
			if heads[key] != name {
				t.Errorf("the dashboard heads %s %q, the vocabulary names it %q", key, heads[key], name)
			}
			d, err1 := strconv.ParseFloat(shown[key], 64)
			x, err2 := strconv.ParseFloat(cells[name], 64)
			if err1 != nil || err2 != nil {
				t.Errorf("%s %d unit %q %s: dashboard %q, workbook %q (%v %v)", programme, year, code, key, shown[key], cells[name], err1, err2)
				continue
			}
			if a := api[key]; math.Abs(d-a) > 1e-9 || math.Abs(x-a) > 1e-9 {
				t.Errorf("%s %d unit %q %s: dashboard %v, API %v, workbook %v", programme, year, code, name, d, a, x)
			}
		}
		pairs++
	}
	return pairs
}
