package api

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"kiemtra/models"
)

// measuresDoc is docs/measures.md as the vocabulary writes it.
func measuresDoc() string {
	var b strings.Builder
	b.WriteString("# Figures: one name, one definition\n\n")
	b.WriteString("Generated from `models/measure.go` by `KIEMTRA_UPDATE_DOCS=1 go test ./api -run TestMeasuresDoc`; a test fails when\n")
	b.WriteString("they differ. Every figure the service shows has one key (its JSON name in `GET /api/v1/coverage` and\n")
	b.WriteString("`GET /api/v1/reports`, its CSV key), one Vietnamese and one English name (the dashboard's labels, the\n")
	b.WriteString("workbook's headings) and one definition (the dashboard's tooltips, the workbook's definitions sheet).\n")
	b.WriteString("`GET /api/v1/measures` serves the same list. A share is shown beside the counts it divides.\n\n")
	b.WriteString("| key | kind | tên (vi) | name (en) | định nghĩa | definition |\n|---|---|---|---|---|---|\n")
	for _, m := range models.Measures() {
		kind := m.Kind
		switch {
		case m.Numerator != "" && m.Denominator != "":
			kind = fmt.Sprintf("%s: %s / %s", m.Kind, m.Numerator, m.Denominator)
		case m.Denominator != "":
			kind = fmt.Sprintf("%s, of %s", m.Kind, m.Denominator)
		case m.Of != "":
			kind = m.Kind + " of " + m.Of
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", m.Key, kind, m.Name, m.NameEN, m.Definition, m.DefinitionEN)
	}
	b.WriteString("\n## The coverage map's statuses\n\n")
	b.WriteString("Each business on the map has one status, given in this order; the counts of the two statuses\n")
	b.WriteString("that name a measure are that measure's figure.\n\n")
	b.WriteString("| key | tên (vi) | name (en) | equals | định nghĩa | definition |\n|---|---|---|---|---|---|\n")
	for _, s := range models.MapStatuses() {
		eq := ""
		if s.Measure != "" {
			eq = "`" + s.Measure + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", s.Key, s.Name, s.NameEN, eq, s.Definition, s.DefinitionEN)
	}
	return b.String()
}

func TestMeasuresDoc(t *testing.T) {
	const path = "../docs/measures.md"
	want := measuresDoc()
	if os.Getenv("KIEMTRA_UPDATE_DOCS") == "1" {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s is not the vocabulary of models/measure.go: run KIEMTRA_UPDATE_DOCS=1 go test ./api -run TestMeasuresDoc", path)
	}
}
