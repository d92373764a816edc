package scheduler

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"

	"kiemtra/models"
)

// SeedDerivation describes newRand for the readers of a bundle: how the revealed seed becomes
// the draws (TestSeedDerivationIsWhatNewRandDoes keeps the two in step).
const SeedDerivation = `ChaCha8 (Go math/rand/v2) keyed by SHA-256("kiemtra/v1/select/<year>/" + seed); ` +
	`businesses sorted by id, wards by code; the never-inspected group is drawn first, then the re-inspections, ` +
	`each stratified by ward with probability proportional to risk (scheduler.YearlyPlan)`

// maxDifferences caps the differences a verification lists; the rest are counted.
const maxDifferences = 20

// PlanBundle builds a plan's public verification bundle. Before the seed is revealed it holds
// the commitments and the counts only, never the selection. The inputs and seed hashes are the
// ones the audit log recorded when the plan was created (the commitment), not hashes of what
// the plans table holds now: an edit of the stored inputs then shows as a mismatch.
func (s *Service) PlanBundle(ctx context.Context, planID string) (*models.PlanBundle, error) {
	p, err := s.store.FindPlanByID(ctx, planID)
	if err != nil {
		return nil, err
	}
	prog, err := s.store.FindProgrammeByID(ctx, p.ProgrammeID)
	if err != nil {
		return nil, err
	}
	b := &models.PlanBundle{Format: models.PlanBundleFormat, PlanID: p.ID, ProgrammeID: prog.ID, ProgrammeCode: prog.Code, ProgrammeName: prog.Name,
		Year: p.Year, Status: p.Status, CommittedAt: p.CreatedAt, SeedSHA256: p.SeedSHA256, SeedDerivation: SeedDerivation}
	events, err := s.store.FindAuditEvents(ctx, models.AuditFilter{EntityType: "plan", EntityID: p.ID, Action: "create", Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(events) == 1 {
		var d struct {
			InputsSHA256 string `json:"inputs_sha256"`
			SeedSHA256   string `json:"seed_sha256"`
		}
		_ = json.Unmarshal([]byte(events[0].Details), &d) // an unreadable entry leaves the hashes empty: a mismatch
		b.InputsSHA256, b.CommittedAt = d.InputsSHA256, events[0].At
		if d.SeedSHA256 != "" {
			b.SeedSHA256 = d.SeedSHA256
		}
	}
	var fig models.PlanFigures
	if p.Figures != "" {
		if err := json.Unmarshal([]byte(p.Figures), &fig); err != nil {
			return nil, fmt.Errorf("read the figures of plan %s: %w", p.ID, err)
		}
	}
	b.Counts = models.PlanBundleCounts{InScope: fig.InScope, Uninspected: fig.Uninspected, MustCover: fig.MustCover, Reinspections: fig.Reinspections, Total: fig.Total}
	seed := p.RevealedSeed()
	if seed == "" {
		b.Notice = "The seed is not revealed yet: it is published after the plan's year ends. Until then the bundle holds the committed inputs hash and seed hash only, not the selection."
		b.NoticeVI = "Hạt giống chưa được công bố: hạt giống được công bố sau khi hết năm của kế hoạch. Đến lúc đó gói chỉ gồm mã băm đầu vào và mã băm hạt giống đã cam kết, không gồm danh sách được chọn."
		return b, nil
	}
	b.Revealed, b.Seed, b.SeedRevealedAt, b.Inputs = true, seed, p.SeedRevealedAt, json.RawMessage(p.Inputs)
	items, err := s.store.FindPlanItems(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	b.Selection = make([]models.PlanBundleItem, len(items))
	for i, it := range items {
		b.Selection[i] = models.PlanBundleItem{BusinessID: it.BusinessID, Group: it.Group, InclusionProb: it.InclusionProb, WeekStart: it.WeekStart, AreaCode: it.AreaCode}
	}
	sort.Slice(b.Selection, func(i, j int) bool { return b.Selection[i].BusinessID < b.Selection[j].BusinessID })
	return b, nil
}

// BundleInputsSHA256 is the inputs hash a bundle's inputs give: SHA-256 of their compact JSON
// text, so that a bundle re-indented by a viewer still checks.
func BundleInputsSHA256(inputs json.RawMessage) (string, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, inputs); err != nil {
		return "", err
	}
	return InputsSHA256(buf.String()), nil
}

// CheckPlanBundle re-derives a revealed bundle's selection from its inputs and seed with the
// planner's own code (YearlyPlan) and says what differs: the inputs hash, the seed against its
// hash, and each business selected or not. It needs no database.
func CheckPlanBundle(b *models.PlanBundle) *models.PlanVerification {
	v := &models.PlanVerification{PlanID: b.PlanID, Seed: b.Seed, SeedSHA256: b.SeedSHA256, Differences: []string{}, StoredItems: len(b.Selection)}
	more := 0
	diff := func(format string, args ...any) {
		if len(v.Differences) < maxDifferences {
			v.Differences = append(v.Differences, fmt.Sprintf(format, args...))
		} else {
			more++
		}
	}
	defer func() {
		if more > 0 {
			v.Differences = append(v.Differences, fmt.Sprintf("... and %d more differences", more))
		}
		v.Matches = v.SeedMatches && v.InputsMatch && v.ItemsMatch
	}()
	if b.Format != models.PlanBundleFormat {
		diff("format is %q; this kiemtra reads %q", b.Format, models.PlanBundleFormat)
		return v
	}
	if !b.Revealed || b.Seed == "" {
		diff("the seed is not revealed yet: nothing can be re-derived")
		return v
	}
	v.SeedMatches = SeedSHA256(b.Seed) == b.SeedSHA256
	if !v.SeedMatches {
		diff("seed: sha256(seed) is %s, not the published seed_sha256 %s", SeedSHA256(b.Seed), b.SeedSHA256)
	}
	sum, err := BundleInputsSHA256(b.Inputs)
	if err != nil {
		diff("inputs: not readable JSON: %v", err)
		return v
	}
	v.InputsSHA256 = sum
	v.InputsMatch = sum == b.InputsSHA256
	if !v.InputsMatch {
		diff("inputs: their hash is %s, not the committed inputs_sha256 %q", sum, b.InputsSHA256)
	}
	var in Input
	if err := json.Unmarshal(b.Inputs, &in); err != nil {
		diff("inputs: cannot be read: %v", err)
		return v
	}
	res, err := YearlyPlan(in, b.Seed)
	if err != nil {
		diff("inputs: rejected by the planner: %v", err)
		return v
	}
	v.ComputedItems = len(res.Items)
	byID := make(map[string]models.PlanBundleItem, len(b.Selection))
	v.ItemsMatch = len(b.Selection) == len(res.Items)
	for _, it := range b.Selection {
		if _, dup := byID[it.BusinessID]; dup {
			v.ItemsMatch = false
			diff("business %s is in the plan's selection twice", it.BusinessID)
		}
		byID[it.BusinessID] = it
	}
	computed := append([]Item(nil), res.Items...)
	sort.Slice(computed, func(i, j int) bool { return computed[i].BusinessID < computed[j].BusinessID })
	for _, it := range computed {
		st, ok := byID[it.BusinessID]
		switch {
		case !ok:
			v.ItemsMatch = false
			diff("business %s is selected by the seed but not in the plan's selection", it.BusinessID)
		case st.Group != it.Group || st.WeekStart != it.WeekStart || math.Abs(st.InclusionProb-it.Prob) > 1e-9:
			v.ItemsMatch = false
			diff("business %s: the plan has %s/%s/%.6f, the seed gives %s/%s/%.6f", it.BusinessID, st.Group, st.WeekStart, st.InclusionProb, it.Group, it.WeekStart, it.Prob)
		}
		delete(byID, it.BusinessID)
	}
	rest := make([]string, 0, len(byID))
	for id := range byID {
		rest = append(rest, id)
	}
	sort.Strings(rest)
	for _, id := range rest {
		v.ItemsMatch = false
		diff("business %s is in the plan's selection but not selected by the seed", id)
	}
	return v
}
