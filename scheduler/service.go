package scheduler

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"kiemtra/models"
	"kiemtra/territory"
)

// Store is what the planning service needs from persistence.
type Store interface {
	models.ProgrammeStore
	models.PlanStore
	models.TeamStore
	models.AreaStore
	models.AuditStore
	models.LineageStore
	LoadPlanningFacts(ctx context.Context, programmeStart, asOf models.Date) (*models.PlanningFacts, error)
	// FindAgencyByCode returns not_found when no agency has the code.
	FindAgencyByCode(ctx context.Context, code string) (*models.Agency, error)
	PlanProgress(ctx context.Context, planID string) (map[string]int, error)
}

// Config holds the planning service's dependencies.
type Config struct {
	Store      Store
	Categories []models.Category
	Holidays   []models.Date
	Logger     *slog.Logger
	Now        func() time.Time
	Location   *time.Location
	// Seed returns a new secret, committed with a plan and part of its seed; nil means 32
	// random bytes. Tests inject their own.
	Seed func() string
	// Violations is the violation catalogue: the severity of findings recorded without one.
	Violations []models.ViolationType
	// RiskFloor is the inclusion-probability floor of new plans (Input.RiskFloor); 0 means
	// DefaultRiskFloor.
	RiskFloor float64
}

// Service drafts, approves, reveals and verifies yearly plans against the stored registry.
type Service struct {
	store    Store
	risk     map[string]float64
	cats     map[string]bool
	holidays []models.Date
	log      *slog.Logger
	now      func() time.Time
	loc      *time.Location
	seed     func() string
	// severities maps violation codes to their severity; riskFloor is Config.RiskFloor.
	severities map[string]string
	riskFloor  float64
	// The programmes' projections, reused for a few minutes (Projection).
	projMu    sync.Mutex
	projCache map[string]cachedProjection
}

// NewService returns a planning service.
func NewService(cfg Config) *Service {
	s := &Service{store: cfg.Store, risk: map[string]float64{}, cats: map[string]bool{}, holidays: cfg.Holidays, log: cfg.Logger, now: cfg.Now, loc: cfg.Location, seed: cfg.Seed}
	for _, c := range cfg.Categories {
		s.risk[c.Code] = c.BaseRisk
		s.cats[c.Code] = true
	}
	s.severities = map[string]string{}
	for _, v := range cfg.Violations {
		s.severities[v.Code] = v.Severity
	}
	s.riskFloor = cfg.RiskFloor
	if s.riskFloor == 0 {
		s.riskFloor = DefaultRiskFloor
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.seed == nil {
		s.seed = randomSeed
	}
	return s
}

func randomSeed() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's random source failing is not recoverable
	}
	return hex.EncodeToString(b)
}

// Today is the current date in the users' time zone.
func (s *Service) Today() models.Date { return models.DateOf(s.now().In(s.loc)) }

// Categories returns the known category codes.
func (s *Service) Categories() map[string]bool { return s.cats }

// CreateProgramme validates and stores a programme. Its lead agency (models.DefaultLeadAgency
// when left out) must be an active agency.
func (s *Service) CreateProgramme(ctx context.Context, actor string, p *models.Programme) error {
	p.ApplyDefaults()
	var v models.Validation
	if err := s.checkProgramme(ctx, &v, p, nil); err != nil {
		return err
	}
	if err := v.Err(); err != nil {
		return err
	}
	return s.store.CreateProgramme(ctx, actor, p)
}

// UpdateProgramme applies a planner's change to the programme of an id or code when
// upd.Version is its version (conflict otherwise): the result is checked as a new programme
// is, and by the rules that protect its plans (models.CheckProgrammeEdit).
func (s *Service) UpdateProgramme(ctx context.Context, actor, idOrCode string, upd models.ProgrammeUpdate) (*models.Programme, error) {
	cur, err := s.store.FindProgrammeByID(ctx, idOrCode)
	if err != nil {
		return nil, err
	}
	if upd.Version != cur.Version {
		return nil, models.NewError(models.ECONFLICT, "programme %s was changed by someone else (version %d, yours %d): reload it",
			"chương trình %s đã được người khác sửa (phiên bản %d, của bạn %d): hãy tải lại", cur.Code, cur.Version, upd.Version)
	}
	next := *cur
	next.ApplyUpdate(upd)
	var v models.Validation
	if err := s.checkProgramme(ctx, &v, &next, cur); err != nil {
		return nil, err
	}
	plans, err := s.store.FindPlans(ctx, cur.ID)
	if err != nil {
		return nil, err
	}
	if err := models.CheckProgrammeEdit(cur, &next, upd, plans); err != nil {
		v.AddError(err)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := s.store.UpdateProgramme(ctx, actor, &next); err != nil {
		return nil, err
	}
	return &next, nil
}

// checkProgramme adds p's problems to v: its own fields (Programme.Validate), its lead agency
// (an active agency, or the one cur already has) and its root unit (a known area, checked when
// new or changed: a unit since reorganised stays valid on edits of the other fields). cur is
// nil for a new programme. The error is a failure to check.
func (s *Service) checkProgramme(ctx context.Context, v *models.Validation, p, cur *models.Programme) error {
	if err := p.Validate(s.cats); err != nil {
		v.AddError(err)
	}
	var lead, kept string
	if p.LeadAgency != nil {
		lead = *p.LeadAgency
	}
	if cur != nil && cur.LeadAgency != nil {
		kept = *cur.LeadAgency
	}
	// A programme stored before agencies were data keeps having none until one is chosen.
	if !(cur != nil && cur.LeadAgency == nil && p.LeadAgency == nil) {
		a, err := s.store.FindAgencyByCode(ctx, lead)
		if err != nil && !models.IsCode(err, models.ENOTFOUND) {
			return err
		}
		if err := models.CheckAgencyChoice("lead_agency", lead, a, kept); err != nil {
			v.AddError(err)
		}
	}
	if p.RootAreaCode != nil && (cur == nil || cur.RootAreaCode == nil || *cur.RootAreaCode != *p.RootAreaCode) {
		if _, err := s.store.FindAreaByCode(ctx, *p.RootAreaCode); err != nil {
			if !models.IsCode(err, models.ENOTFOUND) {
				return err
			}
			v.Add("root_area_code", "unknown area %s", "không có khu vực %s", *p.RootAreaCode)
		}
	}
	return nil
}

// Draft is a drafted plan: what would be stored, and the planner's result.
type Draft struct {
	Plan   *models.Plan
	Items  []*models.PlanItem
	Result *Result
}

// BuildInput gathers the planner's input for a programme year as of a date from the store.
func (s *Service) BuildInput(ctx context.Context, prog *models.Programme, year int, asOf models.Date) (*Input, error) {
	in, _, err := s.buildInput(ctx, prog, year, asOf)
	return in, err
}

// buildInput is BuildInput with the facts it read and the programme's businesses among them
// (in scope and in its territory, whether open or not on asOf).
func (s *Service) buildInput(ctx context.Context, prog *models.Programme, year int, asOf models.Date) (*Input, *models.PlanningFacts, error) {
	facts, err := s.store.LoadPlanningFacts(ctx, prog.StartsOn, asOf)
	if err != nil {
		return nil, nil, err
	}
	areas, _, err := s.store.FindAreas(ctx, models.AreaFilter{})
	if err != nil {
		return nil, nil, err
	}
	paths := make(map[string]string, len(areas))
	for _, a := range areas {
		paths[a.Code] = a.Path
	}
	// The programme's population: the businesses of its territory (its root's subtree as it was
	// on its first day, and the units formed from it), not those of units merged in from
	// another province since.
	var inTerritory territory.Set
	if prog.RootAreaCode != nil {
		lineage, err := s.store.FindAreaLineage(ctx)
		if err != nil {
			return nil, nil, err
		}
		for _, a := range areas {
			if a.Code == *prog.RootAreaCode {
				inTerritory = territory.Of(areas, lineage, a, prog.StartsOn)
			}
		}
	}
	in := &Input{
		Programme:    ProgrammeSpec{FirstYear: prog.FirstYear(), Deadline: prog.CoverageDeadline, MinYearlyShare: prog.MinYearlyShare},
		Year:         year,
		AsOf:         asOf,
		WardPaths:    map[string]string{},
		CategoryRisk: s.risk,
	}
	severity, nearby := RiskSignals(facts.Businesses, facts.Findings, s.severities, asOf)
	var ours []*models.Business
	for _, b := range facts.Businesses {
		if !prog.InScope(b.Category) || inTerritory != nil && !inTerritory[b.AreaCode] {
			continue
		}
		ours = append(ours, b)
		if !b.ActiveOn(asOf) {
			continue
		}
		path := paths[b.AreaCode]
		in.Businesses = append(in.Businesses, Business{ID: b.ID, Ward: b.AreaCode, Category: b.Category, Covered: facts.Covered[b.ID],
			LastInspected: facts.LastInspected[b.ID], Violations: facts.Violations[b.ID], Tips: facts.Tips[b.ID],
			Severity: severity[b.ID], Opened: b.OpenedOn, Nearby: nearby[b.ID]})
		in.WardPaths[b.AreaCode] = path
	}
	teams, err := s.store.FindTeams(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, t := range teams {
		team := Team{ID: t.ID, AreaPath: paths[t.AreaCode], Weekly: t.WeeklyCapacity, WorkingDays: t.WorkingDays}
		if units := t.Units(); len(units) > 1 {
			for _, u := range units {
				team.AreaPaths = append(team.AreaPaths, paths[u])
			}
		}
		in.Teams = append(in.Teams, team)
	}
	for _, h := range s.holidays {
		if h.Year == year {
			in.Holidays = append(in.Holidays, h)
		}
	}
	facts.Businesses = ours
	// The levelled quotas expect openings, closures and misses at the rates of the years before;
	// they are part of the inputs, so the plan re-derives from its bundle alone.
	rates := RatesFromFacts(facts, year)
	in.Rules, in.Rates, in.GraceDays, in.RiskFloor = CurrentRules, &rates, prog.GraceDays, s.riskFloor
	return in, facts, nil
}

// DraftPlan commits a plan for a programme year from the registry as it is now (or as of 1
// January when the year has not begun): its inputs and a new secret are stored and their hashes
// published, and the plan waits for the named public draw (opts.DrawDate) whose result DrawPlan
// takes to make the seed and the selection. The figures stored until then are a preview from a
// public seed. With opts.DryRun nothing is stored, and the result is the preview.
func (s *Service) DraftPlan(ctx context.Context, actor, programmeID string, year int, opts models.DraftOptions) (*models.Plan, error) {
	d, err := s.DraftPlanResult(ctx, actor, programmeID, year, opts)
	if err != nil {
		return nil, err
	}
	return d.Plan, nil
}

// DraftPlanResult is DraftPlan with the planner's result (the preview).
func (s *Service) DraftPlanResult(ctx context.Context, actor, programmeID string, year int, opts models.DraftOptions) (*Draft, error) {
	prog, err := s.store.FindProgrammeByID(ctx, programmeID)
	if err != nil {
		return nil, err
	}
	if !prog.HasYear(year) {
		return nil, models.Invalid("year", "%d is outside the programme %s (%d-%d)", "năm %d nằm ngoài chương trình %s (%d-%d)", year, prog.Code, prog.FirstYear(), prog.LastYear())
	}
	plans, err := s.store.FindPlans(ctx, prog.ID)
	if err != nil {
		return nil, err
	}
	attempt := 1
	for _, p := range plans {
		if p.Year != year {
			continue
		}
		attempt++
		if p.Status == models.PlanApproved {
			return nil, models.NewError(models.ECONFLICT, "the programme already has an approved plan for %d (%s)", "chương trình đã có kế hoạch năm %d được phê duyệt (%s)", year, p.ID)
		}
	}
	today := s.Today()
	var v models.Validation
	src, ok := models.DrawSources[cmp.Or(opts.DrawSource, models.DrawCanTho.Code)]
	drawDate := opts.DrawDate
	if !ok {
		v.Add("draw_source", "unknown draw %q", "không có kỳ quay %q", opts.DrawSource)
	} else {
		if drawDate.IsZero() {
			drawDate = NextDraw(src, today)
		}
		if err := CheckDrawDate(src, drawDate, today); err != nil {
			v.AddError(err)
		}
	}
	// The selection exists from the draw on: a plan drafted during its year schedules from the
	// day after the draw, one drafted before its year from 1 January.
	asOf := today
	if !drawDate.IsZero() {
		asOf = drawDate.AddDays(1)
	}
	if jan1 := models.NewDate(year, 1, 1); asOf.Before(jan1) {
		asOf = jan1
	}
	if asOf.Year > year {
		return nil, models.Invalid("year", "%d is over, or ends before the draw", "năm %d đã kết thúc, hoặc kết thúc trước kỳ quay số", year)
	}
	reason := strings.TrimSpace(opts.Reason)
	if attempt > 1 && reason == "" {
		v.Add("reason", "is required: the year already has a plan, and a second one is published as a re-draft with its reason",
			"không được để trống: năm này đã có kế hoạch, kế hoạch lập lại được công bố kèm lý do")
	}
	if len([]rune(reason)) > 500 {
		v.Add("reason", "is longer than 500 characters", "dài quá 500 ký tự")
	}
	if err := v.Err(); err != nil && !opts.DryRun {
		return nil, err
	}
	in, err := s.BuildInput(ctx, prog, year, asOf)
	if err != nil {
		return nil, err
	}
	inputs, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("encode plan inputs: %w", err)
	}
	// The preview's seed is public and fixed by the inputs: its figures (how many, which weeks,
	// the shortfall) are what a planner reads before the draw, and it tells nothing of the
	// selection the draw will give.
	preview, err := YearlyPlan(*in, "preview/"+InputsSHA256(string(inputs)))
	if err != nil {
		return nil, err
	}
	p := &models.Plan{ProgrammeID: prog.ID, Year: year, Status: models.PlanCommitted, SeedSource: models.SeedSourceLottery,
		Inputs: string(inputs), Feasible: preview.Figures.Feasible, Shortfall: preview.Figures.Shortfall, CreatedBy: actor, Attempt: attempt,
		Reason: reason}
	d := &Draft{Plan: p, Result: preview}
	if p.Figures, err = planFigures(preview); err != nil {
		return nil, err
	}
	if opts.DryRun {
		return d, nil
	}
	p.DrawSource, p.DrawDate = src.Code, drawDate
	if p.Projection, err = s.planProjection(in); err != nil {
		return nil, err
	}
	p.Secret = s.seed()
	p.SecretSHA256 = SeedSHA256(p.Secret)
	if err := s.store.CreatePlan(ctx, actor, p, nil); err != nil {
		return nil, err
	}
	s.log.Info("plan committed", "programme", prog.Code, "year", year, "attempt", attempt, "draw", p.DrawDate.String(), "secret_sha256", p.SecretSHA256)
	return d, nil
}

// planFigures encodes a result's figures.
func planFigures(res *Result) (string, error) {
	figures, err := json.Marshal(res.Figures)
	if err != nil {
		return "", fmt.Errorf("encode plan figures: %w", err)
	}
	return string(figures), nil
}

// planProjection is the projection of the rest of the programme from a plan's input, stored
// with the plan: what was knowable about the years ahead when the plan was made.
func (s *Service) planProjection(in *Input) (string, error) {
	full := *in
	full.Holidays = s.holidays // every year's, for the later years' capacity
	rates := ObservedRates(0, 0, 0, 0, 0)
	if in.Rates != nil {
		rates = *in.Rates
	}
	proj, err := ProjectPlan(full, rates, in.GraceDays)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(proj)
	if err != nil {
		return "", fmt.Errorf("encode plan projection: %w", err)
	}
	return string(b), nil
}

// DrawPlan enters the result of a committed plan's public draw: the seed is derived from it and
// the committed secret, the selection made from the committed inputs, and the plan becomes a
// draft to approve. Entering the same result again returns the plan as it is (a retried
// request); another result for a plan already drawn is a conflict.
func (s *Service) DrawPlan(ctx context.Context, actor, planID, result string) (*models.Plan, error) {
	d, err := s.DrawPlanResult(ctx, actor, planID, result)
	if err != nil {
		return nil, err
	}
	return d.Plan, nil
}

// DrawPlanResult is DrawPlan with the selection.
func (s *Service) DrawPlanResult(ctx context.Context, actor, planID, result string) (*Draft, error) {
	p, err := s.store.FindPlanByID(ctx, planID)
	if err != nil {
		return nil, err
	}
	src, ok := models.DrawSources[p.DrawSource]
	if p.SeedSource != models.SeedSourceLottery || !ok {
		return nil, models.NewError(models.ECONFLICT, "plan %s does not wait for a draw (its seed came from %s)", "kế hoạch %s không chờ kết quả quay số (hạt giống từ %s)", p.ID, p.SeedSource)
	}
	r, err := CheckDrawResult(src, result)
	if err != nil {
		return nil, err
	}
	if p.Status != models.PlanCommitted {
		if p.DrawResult == r && p.Status != models.PlanSuperseded {
			return &Draft{Plan: p}, nil
		}
		return nil, models.NewError(models.ECONFLICT, "plan %s is %s: its draw result (%s) was entered already or it was replaced", "kế hoạch %s đang ở trạng thái %s: kết quả quay số (%s) đã được nhập hoặc kế hoạch đã được thay thế", p.ID, p.Status, p.DrawResult)
	}
	known, err := drawResultsKnown(src, p.DrawDate, s.loc)
	if err != nil {
		return nil, err
	}
	if s.now().Before(known) {
		return nil, models.NewError(models.EPRECONDITION, "the draw of %[1]s has not been held yet: its result is known from %[3]s", "kỳ quay ngày %[2]s chưa diễn ra: kết quả có từ %[4]s",
			p.DrawDate, p.DrawDate.Time(s.loc).Format("02/01/2006"), known.Format("2006-01-02 15:04"), known.Format("15:04 ngày 02/01/2006"))
	}
	var in Input
	if err := json.Unmarshal([]byte(p.Inputs), &in); err != nil {
		return nil, fmt.Errorf("read the inputs of plan %s: %w", p.ID, err)
	}
	seed := LotterySeed(p.Secret, p.DrawSource, p.DrawDate, r)
	res, err := YearlyPlan(in, seed)
	if err != nil {
		return nil, err
	}
	figures, err := planFigures(res)
	if err != nil {
		return nil, err
	}
	drawn := *p
	drawn.Seed, drawn.SeedSHA256, drawn.DrawResult, drawn.Figures = seed, SeedSHA256(seed), r, figures
	drawn.Feasible, drawn.Shortfall = res.Figures.Feasible, res.Figures.Shortfall
	items := planItems(res)
	out, err := s.store.DrawPlan(ctx, actor, &drawn, items)
	if err != nil {
		return nil, err
	}
	s.log.Info("plan drawn", "plan", p.ID, "year", p.Year, "draw", p.DrawDate.String(), "total", res.Figures.Total, "feasible", res.Figures.Feasible, "seed_sha256", drawn.SeedSHA256)
	return &Draft{Plan: out, Items: items, Result: res}, nil
}

func planItems(res *Result) []*models.PlanItem {
	items := make([]*models.PlanItem, len(res.Items))
	for i, it := range res.Items {
		items[i] = &models.PlanItem{BusinessID: it.BusinessID, Group: it.Group, InclusionProb: it.Prob, WeekStart: it.WeekStart, AreaCode: it.Ward}
	}
	return items
}

// Approve turns a draft into tasks.
func (s *Service) Approve(ctx context.Context, actor, planID string) (*models.Plan, error) {
	p, err := s.store.FindPlanByID(ctx, planID)
	if err != nil {
		return nil, err
	}
	if p.Status == models.PlanCommitted {
		return nil, waitingForDraw(p)
	}
	return s.store.ApprovePlan(ctx, actor, planID)
}

// waitingForDraw is the error of an action on a plan whose selection does not exist yet.
func waitingForDraw(p *models.Plan) error {
	return models.NewError(models.EPRECONDITION, "plan %[1]s has no selection yet: enter the result of the draw of %[2]s first",
		"kế hoạch %[1]s chưa có danh sách được chọn: cần nhập kết quả kỳ quay số ngày %[3]s trước", p.ID, p.DrawDate, p.DrawDate.Time(time.UTC).Format("02/01/2006"))
}

// Reveal publishes a plan's seed. Before the plan's year is over only an admin may do it
// (admin true), because a known seed tells who is next.
func (s *Service) Reveal(ctx context.Context, actor, planID string, admin bool) (*models.Plan, error) {
	p, err := s.store.FindPlanByID(ctx, planID)
	if err != nil {
		return nil, err
	}
	if p.Status == models.PlanCommitted {
		return nil, waitingForDraw(p)
	}
	if !admin && !s.Today().After(models.NewDate(p.Year, 12, 31)) {
		return nil, models.NewError(models.EFORBIDDEN, "the seed of the %d plan is revealed after the year ends, or by an admin", "hạt giống của kế hoạch năm %d chỉ được công bố sau khi hết năm, hoặc bởi quản trị viên", p.Year)
	}
	return s.store.RevealPlanSeed(ctx, actor, planID)
}

// InputsSHA256 is the hash of a plan's stored inputs, recorded in the audit log when the plan is
// created so that a later edit of the inputs is detectable.
func InputsSHA256(inputs string) string {
	h := sha256.Sum256([]byte(inputs))
	return hex.EncodeToString(h[:])
}

// CheckPlanBundle is the package's CheckPlanBundle, for the public verification page, which
// re-derives the selection of the bundle it shows.
func (s *Service) CheckPlanBundle(b *models.PlanBundle) *models.PlanVerification {
	return CheckPlanBundle(b)
}

// Verify re-runs a plan's selection from its revealed seed and stored inputs: the check of its
// public bundle (PlanBundle, CheckPlanBundle), so that the signed-in check and an outsider's
// `kiemtra verify-plan` cannot disagree.
func (s *Service) Verify(ctx context.Context, planID string) (*models.PlanVerification, error) {
	b, err := s.PlanBundle(ctx, planID)
	if err != nil {
		return nil, err
	}
	if !b.Revealed {
		return nil, models.NewError(models.EPRECONDITION, "the plan's seed has not been revealed yet", "hạt giống của kế hoạch chưa được công bố")
	}
	return CheckPlanBundle(b), nil
}
