package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSimulateReportsEachYearsProjection(t *testing.T) {
	// The reported case under the rules before levelling (--rules 1): warned in its
	// second year, short in its last.
	args := []string{"simulate", "--businesses", "3700", "--open-rate", "0.15", "--close-rate", "0.12", "--miss-rate", "0.2", "--rules", "1", "--teams", "6"}
	code, out, errOut := runCLI(t, nil, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		FirstWarningYear   int `json:"first_warning_year"`
		FirstShortfallYear int `json:"first_shortfall_year"`
		Years              []struct {
			Year       int `json:"year"`
			Projection *struct {
				Fits            bool    `json:"fits"`
				FirstShortYear  int     `json:"first_short_year"`
				MissingTeamDays float64 `json:"missing_team_days"`
			} `json:"projection"`
		} `json:"years"`
		Baseline struct {
			Years []map[string]any `json:"years"`
		} `json:"baseline"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.FirstWarningYear != 2022 || rep.FirstShortfallYear != 2025 || len(rep.Years) != 5 {
		t.Fatalf("first warning %d, first shortfall %d, %d years", rep.FirstWarningYear, rep.FirstShortfallYear, len(rep.Years))
	}
	for _, y := range rep.Years {
		p := y.Projection
		if p == nil || p.Fits != (y.Year == 2021) || (!p.Fits && (p.FirstShortYear != 2025 || p.MissingTeamDays <= 0)) {
			t.Errorf("%d: projection %+v", y.Year, p)
		}
	}
	if _, ok := rep.Baseline.Years[0]["projection"]; ok {
		t.Error("the baseline reports a projection")
	}

	code, out, errOut = runCLI(t, nil, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Dự báo khả năng hoàn thành", "cảnh báo đầu tiên: năm 2022 (first warning: 2022)", "KHÔNG/NO"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}
