// Package fieldwork is what inspection teams do from their phones: check in at a business,
// record the result of a visit, attach photos, and send what they queued while offline. Every
// write a phone can retry is idempotent by the phone's own id; nothing a team sends is dropped
// silently: suspicious records are kept and flagged for planners to review.
package fieldwork

import (
	"context"
	"log/slog"
	"time"

	"kiemtra/models"
)

// Store is what field work reads and writes.
type Store interface {
	FindTaskByID(ctx context.Context, id string) (*models.Task, error)
	FindBusinessByID(ctx context.Context, id string) (*models.Business, error)
	FindTeamMembers(ctx context.Context, teamID string) ([]*models.User, error)
	// ReleasedTo returns the last day a task was released to a team, or ok false.
	ReleasedTo(ctx context.Context, taskID, teamID string) (day models.Date, ok bool, err error)
	FindCheckin(ctx context.Context, id string) (*models.Checkin, error)
	// PreviousTeamCheckin returns the team's latest check-in before at (any task), or not_found.
	PreviousTeamCheckin(ctx context.Context, teamID string, at time.Time) (*models.Checkin, error)
	// TaskCheckins returns a task's check-ins, oldest first.
	TaskCheckins(ctx context.Context, taskID string) ([]*models.Checkin, error)
	CreateCheckin(ctx context.Context, actor string, c *models.Checkin) error
	FindInspectionByID(ctx context.Context, id string) (*models.Inspection, error)
	// FindInspectionForTask returns the original (not amending) inspection of a task, or not_found.
	FindInspectionForTask(ctx context.Context, taskID string) (*models.Inspection, error)
	// FindFindings returns the findings of inspections.
	FindFindings(ctx context.Context, inspectionIDs []string) ([]*models.Finding, error)
	// FindTasksQueuedBy returns the tasks a visit to a task queued (its follow-up or repeat).
	FindTasksQueuedBy(ctx context.Context, taskID string) ([]*models.Task, error)
	ApplyVisits(ctx context.Context, actor string, visits []models.Visit) error
	CreateAmendment(ctx context.Context, actor string, in *models.Inspection, findings []*models.Finding) error
	FindChecklistVersion(ctx context.Context, version int) (*models.ChecklistVersion, error)
	CurrentChecklistVersion(ctx context.Context) (int, error)
	FindChecklistVersions(ctx context.Context) ([]*models.CatalogueVersion, error)
	CreateChecklistVersion(ctx context.Context, actor string, v *models.ChecklistVersion) error
	FindViolationCatalogue(ctx context.Context, version int) (*models.ViolationCatalogue, error)
	FindViolationCatalogues(ctx context.Context) ([]*models.CatalogueVersion, error)
	CreateViolationCatalogue(ctx context.Context, actor string, c *models.ViolationCatalogue) error
}

// Caller is the signed-in team member sending the request.
type Caller struct {
	UserID   string
	Username string
	Role     string
	TeamID   string
}

// Config holds the service's dependencies and settings.
type Config struct {
	Store Store
	// Categories are the business categories a checklist may be kept for.
	Categories map[string]bool
	Logger     *slog.Logger
	Now        func() time.Time
	Location   *time.Location
	// MinVisit is the shortest plausible inspection; shorter ones are flagged (default 10 min).
	MinVisit time.Duration
}

// Service records the teams' field work.
type Service struct {
	store      Store
	categories map[string]bool
	cache      versions
	log        *slog.Logger
	now        func() time.Time
	loc        *time.Location
	minVisit   time.Duration
}

// New returns a field-work service.
func New(cfg Config) *Service {
	s := &Service{store: cfg.Store, categories: cfg.Categories,
		log: cfg.Logger, now: cfg.Now, loc: cfg.Location, minVisit: cfg.MinVisit}
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.minVisit <= 0 {
		s.minVisit = 10 * time.Minute
	}
	return s
}

func applies(it models.ChecklistItem, category string) bool {
	for _, c := range it.Categories {
		if c == category {
			return true
		}
	}
	return false
}

// taskForTeam loads a task the caller's team may work on. A task never released to the team is
// not found, whether it belongs to another team or is only planned for this one: the targets of
// later days are not revealed. A task released on an earlier day still takes its result: a
// phone that was offline sends it late, after the nightly job returned the task to the pool.
func (s *Service) taskForTeam(ctx context.Context, c Caller, taskID string) (*models.Task, models.Date, error) {
	notFound := models.NotFound("task", "task not found", "không tìm thấy nhiệm vụ")
	if c.TeamID == "" {
		return nil, models.Date{}, models.NewError(models.EFORBIDDEN, "you are not a member of a team", "bạn không thuộc tổ công tác nào")
	}
	t, err := s.store.FindTaskByID(ctx, taskID)
	if models.IsCode(err, models.ENOTFOUND) {
		return nil, models.Date{}, notFound
	}
	if err != nil {
		return nil, models.Date{}, err
	}
	day, ok, err := s.store.ReleasedTo(ctx, t.ID, c.TeamID)
	if err != nil {
		return nil, models.Date{}, err
	}
	if !ok {
		return nil, models.Date{}, notFound
	}
	return t, day, nil
}

func (s *Service) today() models.Date { return models.DateOf(s.now().In(s.loc)) }
