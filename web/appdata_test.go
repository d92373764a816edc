package web

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"kiemtra/models"
	"kiemtra/refdata"
)

// appScripts reads the inspectors' app's scripts (the service worker included), by path.
func appScripts(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := fs.WalkDir(files, "static/app", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".js") {
			return err
		}
		b, err := files.ReadFile(path)
		out[path] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 5 {
		t.Fatalf("found only %d scripts of the app: %v", len(out), out)
	}
	return out
}

// TestAppHoldsNoCopyOfTheReferenceTables keeps the app naming codes from the tables the server
// serves (GET /api/v1/reference, kept on the phone by its sync) rather than from a copy of its
// own: a copy drifts, and a phone that shows another name or severity than the report the
// planner prints misleads both. No script of the app may hold a violation code as a string, a
// violation's name, a category's name, or the on-site rule's numbers.
func TestAppHoldsNoCopyOfTheReferenceTables(t *testing.T) {
	vs, err := refdata.Violations()
	if err != nil {
		t.Fatal(err)
	}
	cats, err := refdata.Categories()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range vs {
		names = append(names, v.VI, v.EN)
	}
	for _, c := range cats {
		// One-word names (Karaoke) could be any text's; the others are the table's.
		for _, n := range []string{c.VI, c.EN, c.ShortVI, c.ShortEN} {
			if strings.Contains(n, " ") {
				names = append(names, n)
			}
		}
	}
	// The server's rule as the app had copied it: 100 m plus the accuracy up to 250 m.
	rule := regexp.MustCompile(`\b100\s*\+\s*Math\.min|Math\.min\([^)]*,\s*250\)`)
	for path, src := range appScripts(t) {
		for _, v := range vs {
			if regexp.MustCompile(`['"` + "`" + `]` + regexp.QuoteMeta(v.Code) + `['"` + "`" + `]`).MatchString(src) {
				t.Errorf("%s holds the violation code %s: name violations from the reference tables", path, v.Code)
			}
		}
		for _, n := range names {
			if strings.Contains(src, n) {
				t.Errorf("%s holds the name %q: name codes from the reference tables", path, n)
			}
		}
		if m := rule.FindString(src); m != "" {
			t.Errorf("%s holds the on-site rule (%q): take it from the tables' on_site", path, m)
		}
	}
}

// TestAppReadsWhatTheServerServes checks that the fields and the kinds of labels the app reads
// from the reference tables are in what GET /api/v1/reference answers: a renamed field or kind
// would leave the phone showing bare codes.
func TestAppReadsWhatTheServerServes(t *testing.T) {
	ref, err := refdata.Reference(models.OnSiteRule{RadiusM: 100, MaxAccuracyM: 250})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(ref)
	if err != nil {
		t.Fatal(err)
	}
	var served struct {
		Categories []map[string]any                   `json:"categories"`
		Violations []map[string]any                   `json:"violations"`
		Labels     map[string]map[string]models.Label `json:"labels"`
		OnSite     map[string]any                     `json:"on_site"`
	}
	if err := json.Unmarshal(b, &served); err != nil {
		t.Fatal(err)
	}
	src := appScripts(t)["static/app/js/i18n.js"]
	has := func(what string, row map[string]any, keys ...string) {
		t.Helper()
		for _, k := range keys {
			if _, ok := row[k]; !ok {
				t.Errorf("the served %s have no %q, which the app reads", what, k)
			}
		}
	}
	if len(served.Categories) == 0 || len(served.Violations) == 0 {
		t.Fatalf("the tables serve %d categories and %d violations", len(served.Categories), len(served.Violations))
	}
	has("categories", served.Categories[0], "code", "vi", "en", "short_vi", "short_en")
	has("violations", served.Violations[0], "code", "vi", "en", "severity")
	has("on-site rule", served.OnSite, "radius_m", "max_accuracy_m")
	for _, k := range []string{"short_vi", "short_en", "severity", "radius_m", "max_accuracy_m", "on_site"} {
		if !strings.Contains(src, k) {
			t.Errorf("i18n.js does not read %q: this test's list of what the app reads is out of date", k)
		}
	}
	kinds := regexp.MustCompile(`label\('(\w+)'`).FindAllStringSubmatch(src, -1)
	if len(kinds) < 3 {
		t.Fatalf("i18n.js names %d kinds of labels, want outcome, task_reason and flag at least", len(kinds))
	}
	for _, k := range kinds {
		if len(served.Labels[k[1]]) == 0 {
			t.Errorf("the app names %s codes, which the tables do not label", k[1])
		}
	}
	// Every outcome the app offers or shows is labelled.
	for _, o := range models.Outcomes {
		if l := served.Labels["outcome"][o]; l.VI == "" || l.EN == "" {
			t.Errorf("the tables do not name the outcome %s in both languages", o)
		}
	}
}
