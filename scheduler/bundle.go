package scheduler

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

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
// the commitments, the named draw and the counts only, never the selection. The hashes are the
// ones the audit log recorded when the plan was committed and drawn (the commitments), not
// hashes of what the plans table holds now: an edit of the stored plan then shows as a mismatch.
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
		Year: p.Year, Status: p.Status, CommittedAt: p.CreatedAt, SeedSHA256: p.SeedSHA256, SeedSource: cmp.Or(p.SeedSource, models.SeedSourceServer),
		SeedDerivation: SeedDerivation, Commits: []models.PlanCommit{}, Warnings: []string{}, WarningsVI: []string{}}
	var created struct {
		InputsSHA256 string `json:"inputs_sha256"`
		SeedSHA256   string `json:"seed_sha256"`
		SecretSHA256 string `json:"secret_sha256"`
	}
	at, err := s.auditDetails(ctx, p.ID, "create", &created)
	if err != nil {
		return nil, err
	}
	if !at.IsZero() {
		b.InputsSHA256, b.CommittedAt = created.InputsSHA256, at
	}
	if b.SeedSource == models.SeedSourceLottery {
		b.SecretSHA256, b.SeedSHA256 = created.SecretSHA256, ""
		b.SeedDerivation = LotterySeedDerivation + "; " + SeedDerivation
		src := models.DrawSources[p.DrawSource]
		b.Draw = &models.PlanDraw{Source: p.DrawSource, Name: src.Name, NameVI: src.NameVI, Date: p.DrawDate}
		var drawn struct {
			Result     string `json:"draw_result"`
			SeedSHA256 string `json:"seed_sha256"`
		}
		at, err := s.auditDetails(ctx, p.ID, "draw", &drawn)
		if err != nil {
			return nil, err
		}
		if !at.IsZero() {
			b.Draw.Result, b.Draw.EnteredAt, b.Draw.SeedSHA256, b.SeedSHA256 = drawn.Result, &at, drawn.SeedSHA256, drawn.SeedSHA256
		}
	} else if created.SeedSHA256 != "" {
		b.SeedSHA256 = created.SeedSHA256
	}
	if b.Commits, err = s.planCommits(ctx, p); err != nil {
		return nil, err
	}
	bundleWarnings(b)
	var fig models.PlanFigures
	if p.Figures != "" {
		if err := json.Unmarshal([]byte(p.Figures), &fig); err != nil {
			return nil, fmt.Errorf("read the figures of plan %s: %w", p.ID, err)
		}
	}
	b.Counts = models.PlanBundleCounts{InScope: fig.InScope, Uninspected: fig.Uninspected, MustCover: fig.MustCover, Reinspections: fig.Reinspections, Total: fig.Total}
	seed := p.RevealedSeed()
	if seed == "" {
		if b.SeedSource == models.SeedSourceLottery && b.Draw.Result == "" {
			b.Notice = fmt.Sprintf("The plan's inputs and secret are committed; its seed does not exist yet: it will be made from the secret and the result of the %s of %s. The selection is published after the plan's year ends.", b.Draw.Name, b.Draw.Date)
			b.NoticeVI = fmt.Sprintf("Đầu vào và mã bí mật của kế hoạch đã được cam kết; hạt giống chưa tồn tại: hạt giống sẽ được tạo từ mã bí mật và kết quả %s ngày %s. Danh sách được chọn được công bố sau khi hết năm của kế hoạch.", b.Draw.NameVI, b.Draw.Date.Time(vietnamTime).Format("02/01/2006"))
			return b, nil
		}
		b.Notice = "The seed is not revealed yet: it is published after the plan's year ends. Until then the bundle holds the commitments only, not the selection."
		b.NoticeVI = "Hạt giống chưa được công bố: hạt giống được công bố sau khi hết năm của kế hoạch. Đến lúc đó gói chỉ gồm các mã cam kết, không gồm danh sách được chọn."
		return b, nil
	}
	b.Revealed, b.Seed, b.SeedRevealedAt, b.Inputs = true, seed, p.SeedRevealedAt, json.RawMessage(p.Inputs)
	if b.SeedSource == models.SeedSourceLottery {
		b.Secret = p.RevealedSecret()
	}
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

// auditDetails reads the details of a plan's first audit event of an action into v and returns
// its time (zero when there is none). An unreadable entry leaves v empty: a mismatch later.
func (s *Service) auditDetails(ctx context.Context, planID, action string, v any) (time.Time, error) {
	events, err := s.store.FindAuditEvents(ctx, models.AuditFilter{EntityType: "plan", EntityID: planID, Action: action})
	if err != nil || len(events) == 0 {
		return time.Time{}, err
	}
	first := events[len(events)-1] // newest first
	_ = json.Unmarshal([]byte(first.Details), v)
	return first.At, nil
}

// planCommits lists every plan committed for p's programme and year, oldest first, and marks
// those committed once an earlier plan's selection was known or could be.
func (s *Service) planCommits(ctx context.Context, p *models.Plan) ([]models.PlanCommit, error) {
	plans, err := s.store.FindPlans(ctx, p.ProgrammeID)
	if err != nil {
		return nil, err
	}
	var same []*models.Plan
	for _, q := range plans {
		if q.Year == p.Year {
			same = append(same, q)
		}
	}
	sort.Slice(same, func(i, j int) bool {
		if !same[i].CreatedAt.Equal(same[j].CreatedAt) {
			return same[i].CreatedAt.Before(same[j].CreatedAt)
		}
		return same[i].ID < same[j].ID
	})
	out := make([]models.PlanCommit, 0, len(same))
	for k, q := range same {
		c := models.PlanCommit{PlanID: q.ID, Attempt: k + 1, CommittedAt: q.CreatedAt, Status: q.Status, Reason: q.Reason,
			SeedSource: cmp.Or(q.SeedSource, models.SeedSourceServer), DrawDate: q.DrawDate}
		day := models.DateOf(q.CreatedAt.In(vietnamTime))
		for _, e := range same[:k] {
			if cmp.Or(e.SeedSource, models.SeedSourceServer) == models.SeedSourceServer ||
				e.DrawnAt != nil && !e.DrawnAt.After(q.CreatedAt) {
				c.AfterEarlierSelection = true
			}
			if !e.DrawDate.IsZero() && !day.Before(e.DrawDate) {
				c.AfterEarlierDraw = true
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// vietnamTime is the zone of the draws and of the bundle's dates; Vietnam keeps UTC+7 all year.
var vietnamTime = time.FixedZone("ICT", 7*60*60)

// bundleWarnings says what a bundle cannot prove: a server seed, or a re-draft made once an
// earlier selection of the same year was or could be known.
func bundleWarnings(b *models.PlanBundle) {
	if b.SeedSource == models.SeedSourceServer {
		b.Warnings = append(b.Warnings, "The seed of this plan was drawn by the server after its inputs were known: the check shows that the selection follows from the seed, not that the seed was not chosen among several.")
		b.WarningsVI = append(b.WarningsVI, "Hạt giống của kế hoạch này do máy chủ tạo sau khi đầu vào đã biết: việc kiểm tra cho thấy danh sách được chọn đúng theo hạt giống, nhưng không chứng minh được hạt giống không được chọn lựa trong nhiều lần.")
	}
	for _, c := range b.Commits {
		if c.Attempt < 2 {
			continue
		}
		switch {
		case c.AfterEarlierSelection:
			b.Warnings = append(b.Warnings, fmt.Sprintf("Plan %s (draft %d of %d) was committed after an earlier plan of the year had its selection; reason given: %q.", c.PlanID, c.Attempt, b.Year, c.Reason))
			b.WarningsVI = append(b.WarningsVI, fmt.Sprintf("Kế hoạch %s (lần lập thứ %d của năm %d) được cam kết sau khi một kế hoạch trước của năm đã có danh sách được chọn; lý do: %q.", c.PlanID, c.Attempt, b.Year, c.Reason))
		case c.AfterEarlierDraw:
			b.Warnings = append(b.Warnings, fmt.Sprintf("Plan %s (draft %d of %d) was committed on or after the draw day of an earlier plan of the year; reason given: %q.", c.PlanID, c.Attempt, b.Year, c.Reason))
			b.WarningsVI = append(b.WarningsVI, fmt.Sprintf("Kế hoạch %s (lần lập thứ %d của năm %d) được cam kết vào hoặc sau ngày quay số của một kế hoạch trước của năm; lý do: %q.", c.PlanID, c.Attempt, b.Year, c.Reason))
		}
	}
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
	v := &models.PlanVerification{PlanID: b.PlanID, Seed: b.Seed, SeedSHA256: b.SeedSHA256, Differences: []string{}, Warnings: []string{}, StoredItems: len(b.Selection)}
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
		v.Matches = v.SeedMatches && v.InputsMatch && v.ItemsMatch && v.SecretMatches && v.SeedDerives && v.DrawAfterCommit
	}()
	if b.Format != models.PlanBundleFormat && b.Format != models.PlanBundleFormatV1 {
		diff("format is %q; this kiemtra reads %q", b.Format, models.PlanBundleFormat)
		return v
	}
	v.SeedSource = cmp.Or(b.SeedSource, models.SeedSourceServer)
	v.Warnings = append([]string{}, b.Warnings...)
	if !b.Revealed || b.Seed == "" {
		diff("the seed is not revealed yet: nothing can be re-derived")
		return v
	}
	v.SeedMatches = SeedSHA256(b.Seed) == b.SeedSHA256
	if !v.SeedMatches {
		diff("seed: sha256(seed) is %s, not the published seed_sha256 %s", SeedSHA256(b.Seed), b.SeedSHA256)
	}
	switch v.SeedSource {
	case models.SeedSourceServer:
		v.SecretMatches, v.SeedDerives, v.DrawAfterCommit = true, true, true // nothing to check: the warning says so
	case models.SeedSourceLottery:
		checkLottery(b, v, diff)
	default:
		diff("seed_source %q is not known to this kiemtra", b.SeedSource)
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

// checkLottery checks a lottery seed: the revealed secret against the commitment made with the
// inputs, the seed against the secret and the draw's result, and the times: committed before
// the draw's day, the result entered once it was known.
func checkLottery(b *models.PlanBundle, v *models.PlanVerification, diff func(string, ...any)) {
	v.SecretMatches = b.SecretSHA256 != "" && SeedSHA256(b.Secret) == b.SecretSHA256
	if !v.SecretMatches {
		diff("secret: sha256(secret) is %s, not the committed secret_sha256 %q", SeedSHA256(b.Secret), b.SecretSHA256)
	}
	d := b.Draw
	if d == nil || d.Result == "" {
		diff("draw: the bundle names no draw result")
		return
	}
	if want := LotterySeed(b.Secret, d.Source, d.Date, d.Result); want != b.Seed {
		diff("seed: the secret and the draw result %s of %s give %s, not the seed %s", d.Result, d.Date, want, b.Seed)
	} else {
		v.SeedDerives = true
	}
	committed := models.DateOf(b.CommittedAt.In(vietnamTime))
	v.DrawAfterCommit = committed.Before(d.Date)
	if !v.DrawAfterCommit {
		diff("draw: the plan was committed on %s, not before the draw of %s", committed, d.Date)
	}
	if src, ok := models.DrawSources[d.Source]; ok && d.EnteredAt != nil {
		if known, err := drawResultsKnown(src, d.Date, vietnamTime); err == nil && d.EnteredAt.Before(known) {
			v.DrawAfterCommit = false
			diff("draw: the result was entered at %s, before the draw's result was known (%s)", d.EnteredAt.In(vietnamTime).Format(time.RFC3339), known.Format(time.RFC3339))
		}
	}
}
