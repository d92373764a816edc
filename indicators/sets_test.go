package indicators

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
)

// The default sets pass their own validation against the agencies the migrations seed, in NFC,
// with the targets of Plan 237 Section III.
func TestDefaultSetsAreValid(t *testing.T) {
	agencies := map[string]bool{}
	for _, a := range []string{"police", "health", "culture", "home_affairs", "labour", "education", "justice", "commune", "other", "information", "science", "press", "procuracy", "court", "fatherland_front", "womens_union"} {
		agencies[a] = true
	}
	for _, p := range []*models.Programme{
		{ID: "p1", StartsOn: models.NewDate(2021, 1, 1), EndsOn: models.NewDate(2025, 12, 31)},
		{ID: "p2", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31)},
	} {
		p.ApplyDefaults()
		set := DefaultSet(p)
		if err := models.ValidateIndicatorSet(set, agencies); err != nil {
			t.Fatalf("%s: %v", p.ID, err)
		}
		targets := map[string]float64{}
		for _, ind := range set {
			targets[ind.Code] = ind.TargetMin
			for _, s := range []string{ind.NameVI, ind.DefinitionVI, ind.NumeratorVI, ind.DenominatorVI} {
				if !norm.NFC.IsNormalString(s) {
					t.Errorf("%s: %q is not NFC", ind.Code, s)
				}
			}
		}
		for code, want := range map[string]float64{"outreach_communes": 0.7, "workers_reached": 0.7, "industrial_workers_reached": 0.6, "students_reached": 0.7,
			"local_plans": 1, "tips_in_time": 1, "crimes_handled": 0.03, "inspection_share": 0.2, "inspection_coverage": 1, "pilot_models": 0.1,
			"support_services": 0.6, "officials_trained_city": 0.7, "officials_trained_local": 0.5, "press_news": 1} {
			if targets[code] != want {
				t.Errorf("%s: %s target %v, want %v", p.ID, code, targets[code], want)
			}
		}
	}
}

// A programme after the 2025 reorganisation names the units that exist: no town, no district.
func TestALaterSetNamesTheUnitsOfToday(t *testing.T) {
	p := &models.Programme{ID: "p", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31)}
	for _, ind := range DefaultSet(p) {
		for _, s := range []string{ind.NameVI, ind.DefinitionVI, ind.NumeratorVI, ind.DenominatorVI, ind.NameEN, ind.DefinitionEN} {
			if strings.Contains(s, "thị trấn") || strings.Contains(s, "cấp huyện") || strings.Contains(s, "quận, huyện") || strings.Contains(s, "towns") || strings.Contains(s, "district") {
				t.Errorf("%s: %q", ind.Code, s)
			}
		}
	}
	old := &models.Programme{ID: "o", StartsOn: models.NewDate(2021, 11, 22), EndsOn: models.NewDate(2025, 12, 31)}
	if got := DefaultSet(old)[0].NameVI; !strings.Contains(got, "thị trấn") {
		t.Errorf("the 2021-2025 set keeps the units of its time: %q", got)
	}
}
