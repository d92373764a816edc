package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/scheduler"
)

// testPlanBundle makes a small revealed bundle the way the service does (scheduler.PlanBundle),
// from inputs written here: two wards, one team, 30 businesses.
func testPlanBundle(t *testing.T) *models.PlanBundle {
	t.Helper()
	in := scheduler.Input{
		Programme:    scheduler.ProgrammeSpec{FirstYear: 2026, Deadline: models.NewDate(2030, 12, 31), MinYearlyShare: 0.2},
		Year:         2026,
		AsOf:         models.NewDate(2026, 1, 5),
		WardPaths:    map[string]string{"W1": "/92/D1/W1/", "W2": "/92/D1/W2/"},
		CategoryRisk: map[string]float64{"karaoke": 1.5},
		Teams:        []scheduler.Team{{ID: "team-1", AreaPath: "/92/D1/", Weekly: 10, WorkingDays: models.DefaultWorkingDays}},
	}
	for i := 0; i < 30; i++ {
		in.Businesses = append(in.Businesses, scheduler.Business{ID: fmt.Sprintf("b%02d", i), Ward: []string{"W1", "W2"}[i%2], Category: "karaoke", Violations: i % 3})
	}
	// A lottery seed: the secret committed on 3 December 2025, the draw of 10 December.
	secret, draw := "the committed secret", models.NewDate(2025, 12, 10)
	seed := scheduler.LotterySeed(secret, models.DrawCanTho.Code, draw, "123456")
	res, err := scheduler.YearlyPlan(in, seed)
	if err != nil {
		t.Fatal(err)
	}
	inputs, _ := json.Marshal(in)
	b := &models.PlanBundle{Format: models.PlanBundleFormat, PlanID: "plan-1", ProgrammeCode: "P", ProgrammeName: "Chương trình 2026-2030", Year: 2026,
		Status: models.PlanApproved, Revealed: true, InputsSHA256: scheduler.InputsSHA256(string(inputs)), SeedSHA256: scheduler.SeedSHA256(seed),
		SeedDerivation: scheduler.LotterySeedDerivation, Seed: seed, Inputs: inputs, SeedSource: models.SeedSourceLottery,
		SecretSHA256: scheduler.SeedSHA256(secret), Secret: secret, CommittedAt: time.Date(2025, 12, 3, 2, 0, 0, 0, time.UTC),
		Draw:    &models.PlanDraw{Source: models.DrawCanTho.Code, Name: models.DrawCanTho.Name, NameVI: models.DrawCanTho.NameVI, Date: draw, Result: "123456"},
		Commits: []models.PlanCommit{}, Warnings: []string{}, WarningsVI: []string{}}
	for _, it := range res.Items {
		b.Selection = append(b.Selection, models.PlanBundleItem{BusinessID: it.BusinessID, Group: it.Group, InclusionProb: it.Prob, WeekStart: it.WeekStart, AreaCode: it.Ward})
	}
	if len(b.Selection) < 2 {
		t.Fatalf("the test plan selects %d businesses", len(b.Selection))
	}
	return b
}

// writeBundleFile writes v indented, as a browser saves the bundle, and returns the file's path.
func writeBundleFile(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bundle.json")
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestVerifyPlanCommand(t *testing.T) {
	good := writeBundleFile(t, testPlanBundle(t))
	changedInput := func() string {
		b := testPlanBundle(t)
		var in scheduler.Input
		json.Unmarshal(b.Inputs, &in)
		in.Businesses[3].Violations = 4
		b.Inputs, _ = json.Marshal(in)
		return writeBundleFile(t, b)
	}()
	changedSeed := func() string {
		b := testPlanBundle(t)
		b.Seed = "another seed"
		return writeBundleFile(t, b)
	}()
	changedDraw := func() string {
		b := testPlanBundle(t)
		b.Draw.Result = "654321"
		return writeBundleFile(t, b)
	}()
	lateCommit := func() string {
		b := testPlanBundle(t)
		b.CommittedAt = time.Date(2025, 12, 10, 3, 0, 0, 0, time.UTC) // the draw's morning in Vietnam
		return writeBundleFile(t, b)
	}()
	dropped := ""
	changedSelection := func() string {
		b := testPlanBundle(t)
		dropped = b.Selection[0].BusinessID
		b.Selection = b.Selection[1:]
		return writeBundleFile(t, b)
	}()
	notRevealed := func() string {
		b := testPlanBundle(t)
		b.Revealed, b.Seed, b.Inputs, b.Selection = false, "", nil, nil
		return writeBundleFile(t, b)
	}()
	otherFormat := func() string {
		b := testPlanBundle(t)
		b.Format = "kiemtra-plan-bundle/9"
		return writeBundleFile(t, b)
	}()
	unknownField := func() string {
		var m map[string]any
		raw, _ := json.Marshal(testPlanBundle(t))
		json.Unmarshal(raw, &m)
		m["extra"] = true
		return writeBundleFile(t, m)
	}()
	notJSON := filepath.Join(t.TempDir(), "bundle.json")
	os.WriteFile(notJSON, []byte("<html>"), 0o600)

	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		contains []string
	}{
		{"a bundle that re-derives exits 0 saying it matches", []string{"verify-plan", good}, 0, []string{"khớp / matches", "plan-1", "selection:         khớp / matches"}},
		{"flags may follow the file", []string{"verify-plan", good, "--json"}, 0, []string{`"matches": true`}},
		{"a changed business field fails on the inputs hash", []string{"verify-plan", changedInput}, 1, []string{"inputs hash:  KHÔNG KHỚP", "inputs: their hash is"}},
		{"a changed seed fails on the seed hash", []string{"verify-plan", changedSeed}, 1, []string{"seed:              KHÔNG KHỚP", "sha256(seed)"}},
		{"another draw result fails on the seed's derivation", []string{"verify-plan", changedDraw}, 1, []string{"draw:                KHÔNG KHỚP", "draw result 654321"}},
		{"a commitment made on the draw's day fails", []string{"verify-plan", lateCommit}, 1, []string{"committed before the draw: KHÔNG KHỚP", "not before the draw of 2025-12-10"}},
		{"a changed selection names the business", []string{"verify-plan", changedSelection}, 1, []string{"selection:         KHÔNG KHỚP", "business " + dropped + " is selected by the seed but not in the plan"}},
		{"a bundle before the reveal cannot be re-derived", []string{"verify-plan", notRevealed}, 1, []string{"not revealed"}},
		{"another format is refused", []string{"verify-plan", otherFormat}, 1, []string{`format is "kiemtra-plan-bundle/9"`}},
		{"an unknown field is refused", []string{"verify-plan", unknownField}, 1, []string{`unknown field "extra"`}},
		{"a file that is not JSON is refused", []string{"verify-plan", notJSON}, 1, []string{"not a JSON bundle"}},
		{"a missing file is named", []string{"verify-plan", filepath.Join(t.TempDir(), "none.json")}, 1, []string{"none.json"}},
		{"no file is a usage error", []string{"verify-plan"}, 2, []string{"Usage: kiemtra verify-plan FILE"}},
		{"two files are a usage error", []string{"verify-plan", good, good}, 2, []string{"exactly one bundle file"}},
		{"-h lists the flags", []string{"verify-plan", "-h"}, 2, []string{"-json"}},
		{"help lists the command", []string{"help"}, 0, []string{"verify-plan"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, tc.args...)
			for _, want := range tc.contains {
				if code != tc.code || !strings.Contains(out+errOut, want) {
					t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s\nwant it to contain %q", code, tc.code, out, errOut, want)
				}
			}
		})
	}
}

func TestVerifyPlanReadsStandardInput(t *testing.T) {
	raw, _ := json.Marshal(testPlanBundle(t))
	var out, errb bytes.Buffer
	env := &Env{Stdin: bytes.NewReader(raw), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }}
	if code := Run(context.Background(), env, []string{"verify-plan", "-"}); code != 0 || !strings.Contains(out.String(), "khớp / matches") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
	}
}
