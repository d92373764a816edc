package web

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"kiemtra/refdata"
)

// jsTable reads the rows of `const name = [ [...], ... ];` in an app module: each row is a
// list of single-quoted strings.
func jsTable(t *testing.T, src, name string) [][]string {
	t.Helper()
	start := regexp.MustCompile(`(?m)^(export )?const ` + name + ` = \[$`).FindStringIndex(src)
	if start == nil {
		t.Fatalf("no table %s", name)
	}
	body := src[start[1]:]
	body = body[:strings.Index(body, "\n];")]
	str := regexp.MustCompile(`'((?:[^'\\]|\\.)*)'`)
	var rows [][]string
	for _, line := range strings.Split(body, "\n") {
		if line = strings.TrimSpace(line); line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		var row []string
		for _, m := range str.FindAllStringSubmatch(line, -1) {
			row = append(row, strings.ReplaceAll(m[1], `\'`, `'`))
		}
		rows = append(rows, row)
	}
	return rows
}

// TestAppReferenceTablesMatchTheServer keeps the app's offline copy of the category codes and
// the violation codes equal to the server's: a phone that shows another name or severity than the
// report the planner prints misleads both.
func TestAppReferenceTablesMatchTheServer(t *testing.T) {
	b, err := files.ReadFile("static/app/js/i18n.js")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	cats, err := refdata.Categories()
	if err != nil {
		t.Fatal(err)
	}
	// The app names categories in short forms that fit a phone's line; the codes must match.
	var codes, appCodes []string
	for _, c := range cats {
		codes = append(codes, c.Code)
	}
	for _, row := range jsTable(t, src, "CATEGORIES") {
		if len(row) != 3 || row[1] == "" || row[2] == "" {
			t.Errorf("category row %q lacks a name", row)
		}
		appCodes = append(appCodes, row[0])
	}
	if !slices.Equal(appCodes, codes) {
		t.Errorf("category codes in the app %v, refdata %v", appCodes, codes)
	}
	var want [][]string
	vs, err := refdata.Violations()
	if err != nil {
		t.Fatal(err)
	}
	want = nil
	for _, v := range vs {
		want = append(want, []string{v.Code, v.Severity, v.VI, v.EN})
	}
	if got := jsTable(t, src, "VIOLATIONS"); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("VIOLATIONS in the app:\n%q\nrefdata:\n%q", got, want)
	}
}
