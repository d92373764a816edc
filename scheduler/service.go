package scheduler

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
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
	// Seed returns a new secret seed; nil means 32 random bytes. Tests inject their own.
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
	if err := p.Validate(s.cats); err != nil {
		v.AddError(err)
	}
	lead, err := s.store.FindAgencyByCode(ctx, *p.LeadAgency)
	if err != nil && !models.IsCode(err, models.ENOTFOUND) {
		return err
	}
	if err := models.CheckAgencyChoice("lead_agency", *p.LeadAgency, lead, ""); err != nil {
		v.AddError(err)
	}
	if err := v.Err(); err != nil {
		return err
	}
	if p.RootAreaCode != nil {
		if _, err := s.store.FindAreaByCode(ctx, *p.RootAreaCode); err != nil {
			if models.IsCode(err, models.ENOTFOUND) {
				return models.Invalid("root_area_code", "unknown area %s", "không có khu vực %s", *p.RootAreaCode)
			}
			return err
		}
	}
	return s.store.CreateProgramme(ctx, actor, p)
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

// DraftPlan makes a plan for a programme year from the registry as it is now (or as of 1
// January when the year has not begun), and stores it as a draft unless dryRun. The seed is
// generated here, kept secret and committed to by its SHA-256.
func (s *Service) DraftPlan(ctx context.Context, actor, programmeID string, year int, dryRun bool) (*models.Plan, []*models.PlanItem, error) {
	d, err := s.DraftPlanResult(ctx, actor, programmeID, year, dryRun)
	if err != nil {
		return nil, nil, err
	}
	return d.Plan, d.Items, nil
}

// DraftPlanResult is DraftPlan with the planner's full result.
func (s *Service) DraftPlanResult(ctx context.Context, actor, programmeID string, year int, dryRun bool) (*Draft, error) {
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
	for _, p := range plans {
		if p.Year == year && p.Status == models.PlanApproved {
			return nil, models.NewError(models.ECONFLICT, "the programme already has an approved plan for %d (%s)", "chương trình đã có kế hoạch năm %d được phê duyệt (%s)", year, p.ID)
		}
	}
	asOf := s.Today()
	if jan1 := models.NewDate(year, 1, 1); asOf.Before(jan1) {
		asOf = jan1
	}
	if asOf.Year > year {
		return nil, models.Invalid("year", "%d is over", "năm %d đã kết thúc", year)
	}
	return s.draft(ctx, actor, prog, year, asOf, dryRun)
}

func (s *Service) draft(ctx context.Context, actor string, prog *models.Programme, year int, asOf models.Date, dryRun bool) (*Draft, error) {
	in, err := s.BuildInput(ctx, prog, year, asOf)
	if err != nil {
		return nil, err
	}
	seed := s.seed()
	res, err := YearlyPlan(*in, seed)
	if err != nil {
		return nil, err
	}
	inputs, err := json.Marshal(in)
	if err != nil {
		return nil, fmt.Errorf("encode plan inputs: %w", err)
	}
	figures, err := json.Marshal(res.Figures)
	if err != nil {
		return nil, fmt.Errorf("encode plan figures: %w", err)
	}
	p := &models.Plan{ProgrammeID: prog.ID, Year: year, Status: models.PlanDraft, Seed: seed, SeedSHA256: SeedSHA256(seed),
		Inputs: string(inputs), Figures: string(figures), Feasible: res.Figures.Feasible, Shortfall: res.Figures.Shortfall, CreatedBy: actor}
	items := make([]*models.PlanItem, len(res.Items))
	for i, it := range res.Items {
		items[i] = &models.PlanItem{BusinessID: it.BusinessID, Group: it.Group, InclusionProb: it.Prob, WeekStart: it.WeekStart, AreaCode: it.Ward}
	}
	d := &Draft{Plan: p, Items: items, Result: res}
	if dryRun {
		return d, nil
	}
	if err := s.store.CreatePlan(ctx, actor, p, items); err != nil {
		return nil, err
	}
	s.log.Info("plan drafted", "programme", prog.Code, "year", year, "total", res.Figures.Total, "feasible", res.Figures.Feasible, "shortfall", res.Figures.Shortfall, "seed_sha256", p.SeedSHA256)
	return d, nil
}

// Approve turns a draft into tasks.
func (s *Service) Approve(ctx context.Context, actor, planID string) (*models.Plan, error) {
	return s.store.ApprovePlan(ctx, actor, planID)
}

// Reveal publishes a plan's seed. Before the plan's year is over only an admin may do it
// (admin true), because a known seed tells who is next.
func (s *Service) Reveal(ctx context.Context, actor, planID string, admin bool) (*models.Plan, error) {
	p, err := s.store.FindPlanByID(ctx, planID)
	if err != nil {
		return nil, err
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
