package api

import (
	"encoding/json"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
	"kiemtra/report"
)

// Every figure the coverage API and the reports answer is a measure of the vocabulary, under
// its key: a figure without a definition, or two names for one figure, fails here.
func TestEveryFigureIsAMeasure(t *testing.T) {
	w := do(t, newTestServer(t, nil), "GET", "/api/v1/measures", "")
	if w.Code != 200 {
		t.Fatalf("GET /measures: %d %s", w.Code, w.Body)
	}
	var got struct {
		Measures    []models.Measure   `json:"measures"`
		MapStatuses []models.MapStatus `json:"map_statuses"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	byKey := map[string]models.Measure{}
	for _, m := range got.Measures {
		if _, dup := byKey[m.Key]; dup {
			t.Errorf("measure %s defined twice", m.Key)
		}
		byKey[m.Key] = m
		for _, s := range []string{m.Name, m.NameEN, m.Definition, m.DefinitionEN} {
			if strings.TrimSpace(s) == "" || !norm.NFC.IsNormalString(s) {
				t.Errorf("measure %s: empty or not NFC text %q", m.Key, s)
			}
		}
		if m.Kind == models.MeasureShare && m.Denominator == "" {
			t.Errorf("share %s has no denominator to show beside it", m.Key)
		}
	}
	for _, m := range got.Measures {
		for _, k := range []string{m.Numerator, m.Denominator} {
			if _, ok := byKey[k]; k != "" && !ok {
				t.Errorf("measure %s divides by the unknown measure %s", m.Key, k)
			}
		}
	}
	for _, s := range got.MapStatuses {
		if _, ok := byKey[s.Measure]; s.Measure != "" && !ok {
			t.Errorf("map status %s equals the unknown measure %s", s.Key, s.Measure)
		}
	}
	// Fields that are not figures a reader sees: names and codes, and the forecast's inputs.
	notFigures := map[string]bool{"recent_new_year": true, "recent_new_covered": true, "on_track": true, "violations_by_code": true}
	check := func(what string, v any) {
		t.Helper()
		b, _ := json.Marshal(v)
		var fields map[string]any
		json.Unmarshal(b, &fields)
		for k, x := range fields {
			_, number := x.(float64)
			if !number && k != "prevalence" && !strings.HasPrefix(k, "tips_") || notFigures[k] {
				continue
			}
			if _, ok := byKey[k]; !ok {
				t.Errorf("%s: the figure %q is not a measure", what, k)
			}
		}
	}
	check("coverage row", models.CoverageRow{})
	zero := 0
	check("report row", report.Row{TipsVerified: &zero, TipsHandled: &zero, TipsInTime: &zero, TipsOverdue: &zero})
}
