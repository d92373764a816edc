package reorg

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/google/uuid"

	"kiemtra/models"
)

// Store is what reorganisations need from persistence.
type Store interface {
	models.ReorgStore
	ReorgState(ctx context.Context) (*models.ReorgState, error)
	CreateReorganisation(ctx context.Context, actor string, r *models.Reorganisation, items []*models.ReorgItem) error
	SettleReorgItem(ctx context.Context, actor string, it *models.ReorgItem) error
	ApplyReorganisation(ctx context.Context, actor, id string,
		plan func(st *models.ReorgState, r *models.Reorganisation, settled []*models.ReorgItem) (*models.ReorgApply, error)) error
}

// Service imports, reviews and applies reorganisations.
type Service struct {
	store Store
	// refresh rebuilds the in-memory indexes after an apply (the registry's); nil: none.
	refresh func(ctx context.Context) error
}

// NewService returns a service over store; refresh (may be nil) runs after every apply.
func NewService(store Store, refresh func(ctx context.Context) error) *Service {
	return &Service{store: store, refresh: refresh}
}

// MaxSpecBytes bounds a reorganisation file: a province's units with polygons.
const MaxSpecBytes = 64 << 20

// ParseSpec reads a reorganisation file: the format of refdata's cantho_units_2025.json (units
// with the units each was formed from), with its effective date, name, parent and level at the
// top; fill, when set, supplies those the file lacks (the command line's flags).
func ParseSpec(r io.Reader, fill models.ReorgSpec) (models.ReorgSpec, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSpecBytes+1))
	if err != nil {
		return models.ReorgSpec{}, err
	}
	if len(data) > MaxSpecBytes {
		return models.ReorgSpec{}, models.NewError(models.ETOOLARGE, "the file is over %d MB", "tệp lớn hơn %d MB", MaxSpecBytes>>20)
	}
	var spec models.ReorgSpec
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&spec); err != nil {
		return spec, models.Invalid("file", "the file is not a reorganisation in JSON: %v", "tệp không phải một cuộc sắp xếp dạng JSON: %v", err)
	}
	if err := models.CheckJSONText(data); err != nil {
		return spec, err
	}
	if spec.Name == "" {
		spec.Name = fill.Name
	}
	if spec.EffectiveOn.IsZero() {
		spec.EffectiveOn = fill.EffectiveOn
	}
	if spec.Parent == "" {
		spec.Parent = fill.Parent
	}
	if spec.Level == "" {
		spec.Level = fill.Level
	}
	if len(spec.Units) == 0 {
		return spec, models.Invalid("units", "the file lists no units", "tệp không liệt kê đơn vị nào")
	}
	if strings.TrimSpace(spec.Name) == "" {
		spec.Name = "Sắp xếp đơn vị hành chính " + spec.EffectiveOn.String()
	}
	return spec, nil
}

// Fingerprint identifies a spec: the same reorganisation is imported once.
func Fingerprint(spec models.ReorgSpec) string {
	b, _ := json.Marshal(struct {
		EffectiveOn models.Date
		Parent      string
		Units       []models.ReorgUnit
	}{spec.EffectiveOn, spec.Parent, spec.Units})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ProblemsError is a reorganisation refused for its problems; the API answers it 400 with the
// report.
type ProblemsError struct {
	Err    *models.Error
	Report *models.ReorgReport
}

func (e *ProblemsError) Error() string { return e.Err.Message }

// Unwrap returns the application error.
func (e *ProblemsError) Unwrap() error { return e.Err }

func problemsError(r *models.ReorgReport) error {
	first := r.Problems[0]
	e := models.NewError(models.EINVALID, "the reorganisation has %d problems; first: %s", "cuộc sắp xếp có %d vấn đề; vấn đề đầu tiên: %s", len(r.Problems), first.Message)
	e.MessageVI = fmt.Sprintf("cuộc sắp xếp có %d vấn đề; vấn đề đầu tiên: %s", len(r.Problems), first.MessageVI)
	e.Field = "units"
	for _, p := range r.Problems {
		e.Details = append(e.Details, models.FieldError{Field: "units", Message: p.Message, MessageVI: p.MessageVI})
	}
	return &ProblemsError{Err: e, Report: r}
}

// Import plans spec against the database. A dry run returns the report and stores nothing; else
// a reorganisation without problems is stored as a draft (its report carries the id) and one
// with problems is refused with its report (ProblemsError).
func (s *Service) Import(ctx context.Context, actor string, spec models.ReorgSpec, dryRun bool) (*models.ReorgReport, error) {
	// Once applied, the spec no longer plans against the database (its units exist): say so
	// before planning it again.
	if prev, err := s.imported(ctx, Fingerprint(spec)); err != nil {
		return nil, err
	} else if prev != nil {
		en, vi := "a draft", "bản nháp"
		if prev.Status == models.ReorgApplied {
			en, vi = "applied", "đã áp dụng"
		}
		return nil, &models.Error{Code: models.ECONFLICT, Message: fmt.Sprintf("this reorganisation was imported already (%s, %s)", prev.ID, en),
			MessageVI: fmt.Sprintf("cuộc sắp xếp này đã được nhập (%s, %s)", prev.ID, vi)}
	}
	st, err := s.store.ReorgState(ctx)
	if err != nil {
		return nil, err
	}
	p := Make(spec, *st, nil)
	r := &p.Report
	r.Status = models.ReorgDraft
	if dryRun {
		return r, nil
	}
	if len(r.Problems) > 0 {
		return r, problemsError(r)
	}
	src, _ := json.Marshal(spec)
	rec := &models.Reorganisation{ID: uuid.NewString(), Name: spec.Name, EffectiveOn: spec.EffectiveOn, Fingerprint: Fingerprint(spec), Source: string(src), CreatedBy: actor}
	items := make([]*models.ReorgItem, 0, len(p.Items))
	for _, k := range sortedItemKeys(p.Items) {
		items = append(items, p.Items[k])
	}
	if err := s.store.CreateReorganisation(ctx, actor, rec, items); err != nil {
		return nil, err
	}
	r.ID = rec.ID
	return r, nil
}

// imported returns the reorganisation stored with the fingerprint, or nil.
func (s *Service) imported(ctx context.Context, fingerprint string) (*models.Reorganisation, error) {
	list, err := s.store.FindReorganisations(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range list {
		if r.Fingerprint == fingerprint {
			return r, nil
		}
	}
	return nil, nil
}

func sortedItemKeys(m map[string]*models.ReorgItem) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// plan plans a stored reorganisation on st with its decisions.
func plan(rec *models.Reorganisation, st *models.ReorgState, items []*models.ReorgItem) (*Plan, error) {
	var spec models.ReorgSpec
	if err := json.Unmarshal([]byte(rec.Source), &spec); err != nil {
		return nil, fmt.Errorf("reorganisation %s: stored spec: %w", rec.ID, err)
	}
	settled := map[string]*models.ReorgItem{}
	for _, it := range items {
		if it.Settled != "" {
			settled[ItemKey(it.Kind, it.SubjectID)] = it
		}
	}
	return Make(spec, *st, settled), nil
}

// current plans a stored reorganisation as the database is now.
func (s *Service) current(ctx context.Context, id string) (*models.Reorganisation, *Plan, error) {
	rec, err := s.store.FindReorganisation(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	st, err := s.store.ReorgState(ctx)
	if err != nil {
		return nil, nil, err
	}
	items, err := s.store.FindReorgItems(ctx, id, "")
	if err != nil {
		return nil, nil, err
	}
	p, err := plan(rec, st, items)
	return rec, p, err
}

// Report is a stored reorganisation's report: as it would apply now, for a draft (businesses
// registered since the import are in it), as it was applied otherwise (its decisions).
func (s *Service) Report(ctx context.Context, id string) (*models.ReorgReport, error) {
	rec, p, err := s.current(ctx, id)
	if err != nil {
		return nil, err
	}
	r := &p.Report
	r.ID, r.Status = rec.ID, rec.Status
	if rec.Status == models.ReorgApplied {
		// Applied: the plan of today's database means nothing; what was decided does.
		items, err := s.store.FindReorgItems(ctx, id, "")
		if err != nil {
			return nil, err
		}
		*r = models.ReorgReport{ID: rec.ID, Name: rec.Name, EffectiveOn: rec.EffectiveOn, Status: rec.Status, Units: []models.ReorgUnitReport{}, Ending: []string{},
			External: []string{}, Reviews: []*models.ReorgItem{}, Teams: []*models.ReorgItem{}, Users: []*models.ReorgItem{}, Problems: []models.ReorgProblem{}}
		for _, it := range items {
			switch it.Kind {
			case models.ReorgItemReview:
				r.Reviews = append(r.Reviews, it)
			case models.ReorgItemTeam:
				r.Teams = append(r.Teams, it)
			case models.ReorgItemUser:
				r.Users = append(r.Users, it)
			}
		}
	}
	return r, nil
}

// Settle takes a decision of a draft: the unit a business of a partial source goes to (one of
// its candidates), the units a team serves, or a user's jurisdiction (units in force from the
// date: new ones or ones the reorganisation leaves).
func (s *Service) Settle(ctx context.Context, actor, id, kind, subject string, units []string) (*models.ReorgItem, error) {
	rec, p, err := s.current(ctx, id)
	if err != nil {
		return nil, err
	}
	if rec.Status != models.ReorgDraft {
		return nil, models.NewError(models.ECONFLICT, "the reorganisation was applied already: its decisions cannot change", "cuộc sắp xếp đã được áp dụng: không thể thay đổi các quyết định")
	}
	it := p.Items[ItemKey(kind, subject)]
	if it == nil {
		return nil, models.NotFound("decision", "this reorganisation has no such decision to take", "cuộc sắp xếp này không có quyết định nào như vậy")
	}
	var v models.Validation
	switch {
	case len(units) == 0:
		v.Add("units", "name at least one unit", "hãy chọn ít nhất một đơn vị")
	case kind == models.ReorgItemReview && (len(units) != 1 || !slices.Contains(ParseList(it.Candidates), units[0])):
		v.Add("units", "must be one of the candidates %s", "phải là một trong các đơn vị %s", strings.Join(ParseList(it.Candidates), ", "))
	case kind == models.ReorgItemUser && len(units) != 1:
		v.Add("units", "a user's jurisdiction is one unit", "địa bàn của người dùng là một đơn vị")
	default:
		inForce := p.unitsInForce()
		for _, u := range units {
			if !inForce[u] {
				v.Add("units", "%s is not a unit in force from %s", "%s không phải đơn vị có hiệu lực từ ngày %s", u, rec.EffectiveOn)
			}
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	set := slices.Clone(units)
	slices.Sort(set)
	out := *it
	out.ReorganisationID, out.Settled = id, jsonList(slices.Compact(set))
	if err := s.store.SettleReorgItem(ctx, actor, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// unitsInForce are the units of the date: the new ones and every version in force the day
// before that does not end.
func (p *Plan) unitsInForce() map[string]bool {
	out := map[string]bool{}
	for _, a := range p.NewAreas {
		out[a.Code] = true
	}
	ending := map[string]bool{}
	for _, c := range p.Ending {
		ending[c] = true
	}
	for code := range p.valid {
		if !ending[code] {
			out[code] = true
		}
	}
	return out
}

// AcceptProposals settles every open decision of a draft with its proposal: an operator's
// explicit choice (`kiemtra import reorganisation --accept-proposals`, the demo). It returns
// how many it settled.
func (s *Service) AcceptProposals(ctx context.Context, actor, id string) (int, error) {
	_, p, err := s.current(ctx, id)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, k := range sortedItemKeys(p.Items) {
		it := p.Items[k]
		if it.Settled != "" {
			continue
		}
		if _, err := s.Settle(ctx, actor, id, it.Kind, it.SubjectID, ParseList(it.Proposed)); err != nil {
			return n, fmt.Errorf("accept the proposal for %s %s: %w", it.Kind, it.SubjectID, err)
		}
		n++
	}
	return n, nil
}

// Apply applies a draft whose decisions are all taken, in one transaction on the database as
// it is then; it refuses one with problems or open decisions, and one applied already.
func (s *Service) Apply(ctx context.Context, actor, id string) (*models.ReorgReport, error) {
	var rep *models.ReorgReport
	err := s.store.ApplyReorganisation(ctx, actor, id, func(st *models.ReorgState, rec *models.Reorganisation, items []*models.ReorgItem) (*models.ReorgApply, error) {
		p, err := plan(rec, st, items)
		if err != nil {
			return nil, err
		}
		rep = &p.Report
		rep.ID, rep.Status = rec.ID, models.ReorgApplied
		if len(rep.Problems) > 0 {
			return nil, problemsError(rep)
		}
		if rep.Open > 0 {
			return nil, models.NewError(models.ECONFLICT, "%d decisions are still open: settle every review and map every team and user first", "còn %d quyết định chưa được đưa ra: hãy xử lý mọi trường hợp cần xem xét và chọn đơn vị cho mọi tổ và người dùng trước", rep.Open)
		}
		ap := &models.ReorgApply{NewAreas: p.NewAreas, Ending: p.Ending, Moves: p.Moves, TeamUnits: map[string][]string{}, UserAreas: map[string]string{}}
		for _, it := range p.Items {
			switch it.Kind {
			case models.ReorgItemTeam:
				ap.TeamUnits[it.SubjectID] = ParseList(it.Settled)
			case models.ReorgItemUser:
				ap.UserAreas[it.SubjectID] = ParseList(it.Settled)[0]
			}
		}
		return ap, nil
	})
	if err != nil {
		return rep, err
	}
	if s.refresh != nil {
		if err := s.refresh(ctx); err != nil {
			return rep, err
		}
	}
	return rep, nil
}
