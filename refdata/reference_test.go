package refdata

import (
	"slices"
	"testing"

	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
)

// TestReferenceNamesEveryCode fails when a code the service stores has no Vietnamese or English
// label: a front-end would then show the raw code.
func TestReferenceNamesEveryCode(t *testing.T) {
	ref, err := Reference(models.OnSiteRule{RadiusM: 100, MaxAccuracyM: 250})
	if err != nil {
		t.Fatal(err)
	}
	tasks := []string{models.TaskPlanned, models.TaskReleased, models.TaskDone, models.TaskMissed, models.TaskCancelled}
	reasons := []string{models.ReasonCoverage, models.ReasonReinspection, models.ReasonRequeue, models.ReasonFollowUp, models.ReasonTip}
	outcomes := []string{models.OutcomeCompliant, models.OutcomeViolation, models.OutcomeClosed, models.OutcomeRefused, models.OutcomeNotFound}
	flags := []string{models.FlagOffSite, models.FlagMocked, models.FlagZeroAccuracy, models.FlagImpossibleTravel, models.FlagOutsideTaskDay, models.FlagShortVisit, models.FlagNoCheckin}
	plans := []string{models.PlanCommitted, models.PlanDraft, models.PlanApproved, models.PlanSuperseded}
	businesses := []string{models.BusinessActive, models.BusinessSuspended, models.BusinessClosed}
	var severities []string
	for _, v := range ref.Violations {
		severities = append(severities, v.Severity)
	}
	for _, tc := range []struct {
		kind  string
		codes []string
	}{
		{models.LabelRole, models.Roles},
		{models.LabelTipStatus, append(append([]string{}, models.TipStatuses...), models.TipMerged)},
		{models.LabelTipType, models.TipTypes},
		{models.LabelTipSeverity, models.TipSeverities},
		{models.LabelTipHandling, models.TipHandlings},
		{models.LabelTipChannel, models.TipChannels},
		{models.LabelTaskStatus, tasks},
		{models.LabelTaskReason, reasons},
		{models.LabelOutcome, outcomes},
		{models.LabelFlag, flags},
		{models.LabelPlanStatus, plans},
		{models.LabelBusinessStatus, businesses},
		{models.LabelSeverity, severities},
		{models.LabelSanctionStatus, models.SanctionStatuses},
		{models.LabelSanctionForm, models.SanctionForms},
		{models.LabelCertStatus, []string{models.CertValid, models.CertSuspended, models.CertWithdrawn, models.CertNone}},
		{models.LabelCertFlag, []string{models.FlagArt18}},
		{models.LabelCertEvent, []string{"issued", "suspend", "withdraw", "flag"}},
	} {
		labels, ok := ref.Labels[tc.kind]
		if !ok {
			t.Errorf("no labels of kind %q", tc.kind)
			continue
		}
		for _, code := range tc.codes {
			l, ok := labels[code]
			if !ok || l.VI == "" || l.EN == "" {
				t.Errorf("%s %q: label %+v", tc.kind, code, l)
			}
			if !norm.NFC.IsNormalString(l.VI) {
				t.Errorf("%s %q: Vietnamese label %q is not NFC", tc.kind, code, l.VI)
			}
		}
	}
	for _, c := range ref.Categories {
		if c.ShortVI == "" || c.ShortEN == "" || c.VI == "" || c.EN == "" {
			t.Errorf("category %q lacks a name: %+v", c.Code, c)
		}
	}
}

// TestEveryViolationHasAPenalty keeps the penalties in step with the violation codes: a proposal
// for a code without one would have no article and no range.
func TestEveryViolationHasAPenalty(t *testing.T) {
	vs, err := Violations()
	if err != nil {
		t.Fatal(err)
	}
	ps, err := Penalties()
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]models.Penalty{}
	for _, p := range ps {
		byCode[p.Code] = p
		if p.FineMin < 0 || p.FineMin > p.FineMax {
			t.Errorf("%s: range %d-%d", p.Code, p.FineMin, p.FineMax)
		}
		if p.FineMax > 0 && p.Article == "" {
			t.Errorf("%s: a fine without an article", p.Code)
		}
	}
	for _, v := range vs {
		if _, ok := byCode[v.Code]; !ok {
			t.Errorf("violation %s has no penalty", v.Code)
		}
	}
	if len(byCode) != len(vs) {
		t.Errorf("%d penalties for %d violations", len(byCode), len(vs))
	}
}

func TestVersionTwoAddsTheMissingDutiesWithTheirReferences(t *testing.T) {
	cls, err := Checklists()
	if err != nil {
		t.Fatal(err)
	}
	v1, v2 := cls[0], cls[1]
	if v1.Version != 1 || v2.Version != 2 {
		t.Fatalf("versions %d and %d", v1.Version, v2.Version)
	}
	vs, err := Violations()
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, v := range vs {
		codes[v.Code] = true
	}
	byID := map[string]models.ChecklistItem{}
	for _, it := range v2.Items {
		byID[it.ID] = it
		if it.Violation != "" && !codes[it.Violation] {
			t.Errorf("%s refers to unknown code %s", it.ID, it.Violation)
		}
	}
	for id, ref := range map[string]string{"D03": "Nghị định 54/2019/NĐ-CP", "D04": "Nghị định 54/2019/NĐ-CP", "A02": "Nghị định 96/2016/NĐ-CP, Điều 44",
		"H01": "Nghị định 96/2016/NĐ-CP, Điều 42-44", "M03": "Nghị định 96/2016/NĐ-CP, Điều 30", "K05": "Nghị định 54/2019/NĐ-CP",
		"G11": "Nghị định 178/2004/NĐ-CP, Điều 11", "G06": "Thông tư liên tịch 11/2006/TTLT-BYT-BTC"} {
		it, ok := byID[id]
		found := false
		for _, l := range it.Legal {
			found = found || l == ref
		}
		if !ok || !found || !norm.NFC.IsNormalString(it.VI) {
			t.Errorf("%s: %+v, want the reference %q", id, it, ref)
		}
	}
	if len(v2.Items) != len(v1.Items)+7 {
		t.Errorf("version 2 has %d items, version 1 %d", len(v2.Items), len(v1.Items))
	}
	// A new item goes after the last item of its first category: D03 among the dance hall's.
	for i, it := range v2.Items {
		if it.ID == "D03" && !slices.Contains(v2.Items[i-1].Categories, "dance_hall") {
			t.Errorf("D03 follows %s", v2.Items[i-1].ID)
		}
	}
}
