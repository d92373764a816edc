package fieldwork

import (
	"context"
	"fmt"
	"sync"

	"kiemtra/models"
)

// catalogue is what a result is checked against: the checklist version it names and the
// violation codes in force.
type catalogue struct {
	checklist  *models.Checklist
	items      map[string]models.ChecklistItem
	violations map[string]models.ViolationType
}

func newCatalogue(cl *models.Checklist, vs []models.ViolationType) *catalogue {
	c := &catalogue{checklist: cl, items: map[string]models.ChecklistItem{}, violations: map[string]models.ViolationType{}}
	for _, it := range cl.Items {
		c.items[it.ID] = it
	}
	for _, v := range vs {
		c.violations[v.Code] = v
	}
	return c
}

// versions keeps the checklist versions read so far: a stored version never changes, so a
// copy read once is good for the life of the process (on every replica alike).
type versions struct {
	mu   sync.Mutex
	byNo map[int]*models.ChecklistVersion
}

func (vs *versions) get(n int) *models.ChecklistVersion {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	return vs.byNo[n]
}

func (vs *versions) put(v *models.ChecklistVersion) {
	vs.mu.Lock()
	defer vs.mu.Unlock()
	if vs.byNo == nil {
		vs.byNo = map[int]*models.ChecklistVersion{}
	}
	vs.byNo[v.Version] = v
}

// checklistVersion reads a checklist version (the current one for 0).
func (s *Service) checklistVersion(ctx context.Context, n int) (*models.ChecklistVersion, error) {
	if v := s.cache.get(n); n > 0 && v != nil {
		return v, nil
	}
	v, err := s.store.FindChecklistVersion(ctx, n)
	if err != nil {
		return nil, err
	}
	s.cache.put(v)
	return v, nil
}

// catalogueFor loads what a result on checklist version n is checked against; an unknown version
// is a problem of checklist_version and answers nil.
func (s *Service) catalogueFor(ctx context.Context, v *models.Validation, n int) (*catalogue, error) {
	if n < 1 {
		v.Add("checklist_version", "is required: the checklist version the answers were given on", "bắt buộc: phiên bản bảng kiểm đã dùng để trả lời")
		return nil, nil
	}
	cl, err := s.checklistVersion(ctx, n)
	if models.IsCode(err, models.ENOTFOUND) {
		v.Add("checklist_version", "there is no checklist version %d", "không có bảng kiểm phiên bản %d", n)
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	vs, err := s.store.FindViolationCatalogue(ctx, 0)
	if err != nil {
		return nil, err
	}
	return newCatalogue(&cl.Checklist, vs.Violations), nil
}

// ChecklistVersion returns the number of the checklist version in force.
func (s *Service) ChecklistVersion(ctx context.Context) (int, error) {
	return s.store.CurrentChecklistVersion(ctx)
}

// Checklist returns a checklist version (the one in force for 0) with the items that apply to a
// category (all when category is ""). An unknown category or version is a problem of its field.
func (s *Service) Checklist(ctx context.Context, category string, version int) (*models.ChecklistVersion, error) {
	if category != "" && !s.categories[category] {
		return nil, models.Invalid("category", "unknown category %q", "loại hình %q không có trong danh mục", category)
	}
	if version < 0 {
		return nil, models.Invalid("version", "must be a version number", "phải là số phiên bản")
	}
	cl, err := s.checklistVersion(ctx, version)
	if models.IsCode(err, models.ENOTFOUND) {
		return nil, models.NotFound("version", fmt.Sprintf("there is no checklist version %d", version), fmt.Sprintf("không có bảng kiểm phiên bản %d", version))
	}
	if err != nil {
		return nil, err
	}
	if category == "" {
		return cl, nil
	}
	out := *cl
	out.Items = cl.ForCategory(category)
	return &out, nil
}

// ChecklistHistory returns the checklist's versions, newest first.
func (s *Service) ChecklistHistory(ctx context.Context) ([]*models.CatalogueVersion, error) {
	return s.store.FindChecklistVersions(ctx)
}

// UpdateChecklist saves a new list of a category's items as the next checklist version. The
// edit must be made on the version in force: conflict (on base_version) otherwise, so that a
// planner never overwrites a colleague's save unseen.
func (s *Service) UpdateChecklist(ctx context.Context, c Caller, category string, e models.ChecklistEdit) (*models.ChecklistVersion, error) {
	vs, err := s.store.FindViolationCatalogue(ctx, 0)
	if err != nil {
		return nil, err
	}
	codes := map[string]bool{}
	for _, v := range vs.Violations {
		codes[v.Code] = true
	}
	if err := e.Validate(category, s.categories, codes); err != nil {
		return nil, err
	}
	base, err := s.store.FindChecklistVersion(ctx, 0)
	if err != nil {
		return nil, err
	}
	if base.Version != e.BaseVersion {
		e := models.NewError(models.ECONFLICT, "the edit was made on version %d but version %d is in force: reload and make the change again",
			"bản sửa dựa trên phiên bản %d nhưng phiên bản đang dùng là %d: hãy tải lại rồi sửa lại", e.BaseVersion, base.Version)
		e.Field = "base_version"
		return nil, e
	}
	next := &models.ChecklistVersion{Checklist: *models.ApplyChecklistEdit(&base.Checklist, category, &e), Category: category, Note: e.Note}
	if err := s.store.CreateChecklistVersion(ctx, c.Username, next); err != nil {
		return nil, err
	}
	s.cache.put(next)
	out := *next
	out.Items = next.ForCategory(category)
	return &out, nil
}

// Violations returns a version of the violation catalogue (the one in force for 0).
func (s *Service) Violations(ctx context.Context, version int) (*models.ViolationCatalogue, error) {
	if version < 0 {
		return nil, models.Invalid("version", "must be a version number", "phải là số phiên bản")
	}
	c, err := s.store.FindViolationCatalogue(ctx, version)
	if models.IsCode(err, models.ENOTFOUND) {
		return nil, models.NotFound("version", fmt.Sprintf("there is no violation catalogue version %d", version), fmt.Sprintf("không có danh mục vi phạm phiên bản %d", version))
	}
	return c, err
}

// ViolationHistory returns the violation catalogue's versions, newest first.
func (s *Service) ViolationHistory(ctx context.Context) ([]*models.CatalogueVersion, error) {
	return s.store.FindViolationCatalogues(ctx)
}

// UpdateViolations saves a new violation catalogue as the next version, made on the version in
// force (conflict otherwise). A code the checklist in force uses may not be dropped.
func (s *Service) UpdateViolations(ctx context.Context, c Caller, e models.ViolationEdit) (*models.ViolationCatalogue, error) {
	cl, err := s.checklistVersion(ctx, 0)
	if err != nil {
		return nil, err
	}
	if err := e.Validate(cl.ViolationCodes()); err != nil {
		return nil, err
	}
	base, err := s.store.FindViolationCatalogue(ctx, 0)
	if err != nil {
		return nil, err
	}
	if base.Version != e.BaseVersion {
		e := models.NewError(models.ECONFLICT, "the edit was made on version %d but version %d is in force: reload and make the change again",
			"bản sửa dựa trên phiên bản %d nhưng phiên bản đang dùng là %d: hãy tải lại rồi sửa lại", e.BaseVersion, base.Version)
		e.Field = "base_version"
		return nil, e
	}
	next := &models.ViolationCatalogue{Version: base.Version + 1, Violations: e.Violations, Note: e.Note}
	if err := s.store.CreateViolationCatalogue(ctx, c.Username, next); err != nil {
		return nil, err
	}
	return next, nil
}
