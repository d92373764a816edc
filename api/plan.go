package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// Planner is the planning service.
type Planner interface {
	CreateProgramme(ctx context.Context, actor string, p *models.Programme) error
	// UpdateProgramme applies a planner's change (invalid, conflict for a stale version,
	// not_found) and returns the stored programme.
	UpdateProgramme(ctx context.Context, actor, idOrCode string, upd models.ProgrammeUpdate) (*models.Programme, error)
	// DraftPlan commits a plan (its inputs and secret) that waits for a public draw; with
	// opts.DryRun it only previews the figures.
	DraftPlan(ctx context.Context, actor, programmeID string, year int, opts models.DraftOptions) (*models.Plan, error)
	// DrawPlan enters a committed plan's draw result, which makes its seed and selection.
	DrawPlan(ctx context.Context, actor, planID, result string) (*models.Plan, error)
	Approve(ctx context.Context, actor, planID string) (*models.Plan, error)
	Reveal(ctx context.Context, actor, planID string, admin bool) (*models.Plan, error)
	Verify(ctx context.Context, planID string) (*models.PlanVerification, error)
	// PlanItemRisk explains a plan's selection of a business ("why this business"); not_found
	// for an unknown plan or a business the plan does not select.
	PlanItemRisk(ctx context.Context, planID, businessID string) (*models.PlanItemRisk, error)
	// PlanBundle returns a plan's public verification bundle (the commitments only before the
	// seed is revealed); not_found for an unknown plan.
	PlanBundle(ctx context.Context, planID string) (*models.PlanBundle, error)
	// CheckPlanBundle re-derives a bundle's selection from its own contents (no store): what
	// `kiemtra verify-plan` does with the downloaded file.
	CheckPlanBundle(b *models.PlanBundle) *models.PlanVerification
}

// PlanStore is what the plan handlers read directly.
type PlanStore interface {
	models.ProgrammeStore
	models.PlanStore
	models.TaskStore
	PlanProgress(ctx context.Context, planID string) (map[string]int, error)
}

// Jobs runs scheduled jobs on demand and lists their runs.
type Jobs interface {
	Jobs() []string
	// JobStatuses returns each job with its schedule and its latest run, by name.
	JobStatuses(ctx context.Context) ([]*models.JobStatus, error)
	RunNow(ctx context.Context, name string) (*models.JobRun, error)
	FindJobRuns(ctx context.Context, job string, limit int) ([]*models.JobRun, error)
}

// ProgrammeInput is the body of POST /programmes.
type ProgrammeInput struct {
	Code             string      `json:"code"`
	Name             string      `json:"name"`
	StartsOn         models.Date `json:"starts_on"`
	EndsOn           models.Date `json:"ends_on"`
	MinYearlyShare   float64     `json:"min_yearly_share"`
	CoverageDeadline models.Date `json:"coverage_deadline"`
	GraceDays        int         `json:"grace_days"`
	ScopeCategories  []string    `json:"scope_categories"`
	RootAreaCode     *string     `json:"root_area_code"`
	LeadAgency       *string     `json:"lead_agency"` // default models.DefaultLeadAgency
}

// PlanView is a plan as the API shows it: its figures, its progress, and its seed once revealed.
type PlanView struct {
	*models.Plan
	Seed    *string         `json:"seed"`
	Figures json.RawMessage `json:"figures"`
	// Projection is the projection of the rest of the programme made with the plan (null for
	// the plans before it was stored).
	Projection json.RawMessage `json:"projection"`
	Progress   map[string]int  `json:"progress"`
}

func (s *Server) registerPlanRoutes(g *gin.RouterGroup) {
	g.GET("/programmes", s.listProgrammes)
	g.POST("/programmes", s.createProgramme)
	g.GET("/programmes/:id", s.getProgramme)
	g.PATCH("/programmes/:id", s.updateProgramme)
	g.GET("/programmes/:id/plans", s.listPlans)
	g.POST("/programmes/:id/plans", s.draftPlan)
	g.GET("/plans/:id", s.getPlan)
	g.GET("/plans/:id/items", s.listPlanItems)
	g.GET("/plans/:id/items/:business_id/risk", s.getPlanItemRisk)
	g.GET("/plans/:id/tasks", s.listPlanTasks)
	g.POST("/plans/:id/draw", s.drawPlan)
	g.POST("/plans/:id/approve", s.approvePlan)
	g.POST("/plans/:id/reveal", s.revealPlan)
	g.GET("/plans/:id/verify", s.verifyPlan)
	g.GET("/jobs", s.listJobs)
	g.POST("/jobs/:name/run", s.runJob)
}

func (s *Server) listProgrammes(c *gin.Context) {
	ps, err := s.plans.FindProgrammes(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(ps)})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (s *Server) createProgramme(c *gin.Context) {
	var in ProgrammeInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	p := &models.Programme{Code: strings.TrimSpace(in.Code), Name: strings.TrimSpace(in.Name), StartsOn: in.StartsOn, EndsOn: in.EndsOn,
		MinYearlyShare: in.MinYearlyShare, CoverageDeadline: in.CoverageDeadline, GraceDays: in.GraceDays, ScopeCategories: in.ScopeCategories, RootAreaCode: in.RootAreaCode, LeadAgency: in.LeadAgency}
	if err := s.planner.CreateProgramme(c.Request.Context(), actor(c), p); err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Location", "/api/v1/programmes/"+p.ID)
	c.JSON(http.StatusCreated, p)
}

func (s *Server) getProgramme(c *gin.Context) {
	p, err := s.plans.FindProgrammeByID(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) updateProgramme(c *gin.Context) {
	var upd models.ProgrammeUpdate
	if err := bindJSON(c, &upd); err != nil {
		s.writeError(c, err)
		return
	}
	if upd.Version <= 0 {
		s.writeError(c, models.Invalid("version", "is required: send the version you read, so that nobody's change is overwritten", "là bắt buộc: gửi phiên bản bạn đã đọc để không ghi đè thay đổi của người khác"))
		return
	}
	p, err := s.planner.UpdateProgramme(c.Request.Context(), actor(c), c.Param("id"), upd)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) listPlans(c *gin.Context) {
	ctx := c.Request.Context()
	p, err := s.plans.FindProgrammeByID(ctx, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	plans, err := s.plans.FindPlans(ctx, p.ID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	views := make([]*PlanView, 0, len(plans))
	for _, pl := range plans {
		v, err := s.planView(ctx, pl)
		if err != nil {
			s.writeError(c, err)
			return
		}
		views = append(views, v)
	}
	c.JSON(http.StatusOK, gin.H{"items": views})
}

// DraftPlanInput is the body of POST /programmes/{id}/plans.
type DraftPlanInput struct {
	Year   int  `json:"year"`
	DryRun bool `json:"dry_run"`
	// DrawDate names the public draw whose result completes the seed (default: the next one);
	// Reason is required when the year already has a plan.
	DrawDate   models.Date `json:"draw_date"`
	DrawSource string      `json:"draw_source"`
	Reason     string      `json:"reason"`
}

// DrawInput is the body of POST /plans/{id}/draw.
type DrawInput struct {
	Result string `json:"result"`
}

func (s *Server) draftPlan(c *gin.Context) {
	var in DraftPlanInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	if in.Year == 0 {
		s.writeError(c, models.Invalid("year", "is required", "không được để trống"))
		return
	}
	ctx := c.Request.Context()
	plan, err := s.planner.DraftPlan(ctx, actor(c), c.Param("id"), in.Year,
		models.DraftOptions{DryRun: in.DryRun, DrawDate: in.DrawDate, DrawSource: in.DrawSource, Reason: in.Reason})
	if err != nil {
		s.writeError(c, err)
		return
	}
	v, err := s.planView(ctx, plan)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if in.DryRun {
		v.ID = ""
		c.JSON(http.StatusOK, v)
		return
	}
	c.Header("Location", "/api/v1/plans/"+plan.ID)
	c.JSON(http.StatusCreated, v)
}

func (s *Server) planView(ctx context.Context, p *models.Plan) (*PlanView, error) {
	v := &PlanView{Plan: p, Figures: json.RawMessage(p.Figures), Progress: map[string]int{}}
	if p.Figures == "" {
		v.Figures = json.RawMessage("null")
	}
	v.Projection = json.RawMessage(p.Projection)
	if p.Projection == "" {
		v.Projection = json.RawMessage("null")
	}
	if seed := p.RevealedSeed(); seed != "" {
		v.Seed = &seed
	}
	if p.ID != "" && p.Status == models.PlanApproved {
		prog, err := s.plans.PlanProgress(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		v.Progress = prog
	}
	return v, nil
}

func (s *Server) getPlan(c *gin.Context) {
	ctx := c.Request.Context()
	p, err := s.plans.FindPlanByID(ctx, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	v, err := s.planView(ctx, p)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (s *Server) listPlanItems(c *gin.Context) {
	ctx := c.Request.Context()
	p, err := s.plans.FindPlanByID(ctx, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	items, err := s.plans.FindPlanItems(ctx, p.ID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if pr := principal(c); pr != nil && !pr.CityWide() {
		mine := items[:0]
		for _, it := range items {
			if s.visibleArea(c, it.AreaCode) {
				mine = append(mine, it)
			}
		}
		items = mine
	}
	views, err := s.planItemViews(ctx, items)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": views, "total": len(views)})
}

// PlanItemView is a plan item with the name and category of its business, so that a planner
// reads the selection and its risk mix without a look-up per business.
type PlanItemView struct {
	*models.PlanItem
	BusinessName string `json:"business_name"`
	Category     string `json:"category"`
}

// planItemBatch bounds the ids of one look-up (SQLite and PostgreSQL limit bound parameters).
const planItemBatch = 500

// planItemViews names the businesses of items; one that is gone keeps empty fields.
func (s *Server) planItemViews(ctx context.Context, items []*models.PlanItem) ([]*PlanItemView, error) {
	byID := make(map[string]*models.Business, len(items))
	for from := 0; from < len(items); from += planItemBatch {
		ids := make([]string, 0, planItemBatch)
		for _, it := range items[from:min(from+planItemBatch, len(items))] {
			ids = append(ids, it.BusinessID)
		}
		bs, _, err := s.store.FindBusinesses(ctx, models.BusinessFilter{IDs: ids, Limit: len(ids), NoCount: true})
		if err != nil {
			return nil, fmt.Errorf("name the businesses of a plan: %w", err)
		}
		for _, b := range bs {
			byID[b.ID] = b
		}
	}
	out := make([]*PlanItemView, 0, len(items))
	for _, it := range items {
		v := &PlanItemView{PlanItem: it}
		if b := byID[it.BusinessID]; b != nil {
			v.BusinessName, v.Category = b.Name, b.Category
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Server) listPlanTasks(c *gin.Context) {
	ctx := c.Request.Context()
	p, err := s.plans.FindPlanByID(ctx, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	f := models.TaskFilter{PlanID: p.ID, Limit: 100}
	if pr := principal(c); pr != nil && !pr.CityWide() {
		f.AreaPath = pr.AreaPath
	}
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			s.writeError(c, models.Invalid("limit", "must be a whole number from 1 to 1000", "phải là số nguyên từ 1 đến 1000"))
			return
		}
		f.Limit = n
	}
	if st := c.Query("status"); st != "" {
		f.Statuses = strings.Split(st, ",")
	}
	if cur := c.Query("cursor"); cur != "" {
		kind, val, ok := decodeCursor(cur)
		if !ok || kind != "i" {
			s.writeError(c, models.Invalid("cursor", "is not a cursor this server gave out", "không phải con trỏ trang do máy chủ cấp"))
			return
		}
		f.After = val
	}
	limit := f.Limit
	f.Limit++
	tasks, total, err := s.plans.FindTasks(ctx, f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var next *string
	if len(tasks) > limit {
		tasks = tasks[:limit]
		next = encodeCursor("i", tasks[len(tasks)-1].ID)
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(tasks), "total": total, "next_cursor": next})
}

func (s *Server) drawPlan(c *gin.Context) {
	var in DrawInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	p, err := s.planner.DrawPlan(ctx, actor(c), c.Param("id"), in.Result)
	if err != nil {
		s.writeError(c, err)
		return
	}
	v, err := s.planView(ctx, p)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (s *Server) approvePlan(c *gin.Context) {
	ctx := c.Request.Context()
	p, err := s.planner.Approve(ctx, actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	v, err := s.planView(ctx, p)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (s *Server) revealPlan(c *gin.Context) {
	ctx := c.Request.Context()
	p, err := s.planner.Reveal(ctx, actor(c), c.Param("id"), isAdmin(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	v, err := s.planView(ctx, p)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (s *Server) verifyPlan(c *gin.Context) {
	v, err := s.planner.Verify(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

func (s *Server) listJobs(c *gin.Context) {
	ctx, job := c.Request.Context(), c.Query("job")
	runs, err := s.jobs.FindJobRuns(ctx, job, 100)
	if err != nil {
		s.writeError(c, err)
		return
	}
	// The runs are the latest hundred of all jobs, which the hourly ones fill in days; latest
	// keeps each job's own last run in view, a yearly one and a catch-up among them.
	statuses, err := s.jobs.JobStatuses(ctx)
	if err != nil {
		s.writeError(c, err)
		return
	}
	latest := []*models.JobStatus{}
	for _, st := range statuses {
		if job == "" || st.Job == job {
			latest = append(latest, st)
		}
	}
	c.JSON(http.StatusOK, gin.H{"jobs": s.jobs.Jobs(), "latest": latest, "runs": nonNil(runs)})
}

func (s *Server) runJob(c *gin.Context) {
	run, err := s.jobs.RunNow(c.Request.Context(), c.Param("name"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, run)
}
