package fieldwork

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"kiemtra/models"
)

// Follow-up rules.
const (
	FollowUpWithinDays = 30 // a violation is checked again within this many days
	MaxVisitDuration   = 12 * time.Hour
)

// InspectionInput is a visit's result as the phone sends it.
type InspectionInput struct {
	ID               string                `json:"id"`
	TaskID           string                `json:"task_id"`
	StartedAt        *time.Time            `json:"started_at"`
	FinishedAt       *time.Time            `json:"finished_at"`
	Outcome          string                `json:"outcome"`
	ChecklistVersion int                   `json:"checklist_version"`
	Answers          []models.Answer       `json:"answers"`
	Findings         []models.FindingInput `json:"findings"`
	Members          []string              `json:"members"`
	Notes            string                `json:"notes"`
}

// InspectionView is a recorded result with what it found and what it caused.
type InspectionView struct {
	*models.Inspection
	Answers  []models.Answer   `json:"answers"`
	Members  []string          `json:"members"`
	Findings []*models.Finding `json:"findings"`
	Flags    []string          `json:"flags"`
	// NewTasks are the visits the result queued: a repeat of a failed visit, or the follow-up of
	// a violation.
	NewTasks []*models.Task `json:"new_tasks"`
}

// hash is the idempotency key of a submission's content.
func (in *InspectionInput) hash() string {
	b, _ := json.Marshal(in)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// validate checks what needs nothing stored; the business's category and the task come later.
func (in *InspectionInput) validate(now time.Time) *models.Validation {
	var v models.Validation
	if _, err := uuid.Parse(in.ID); err != nil {
		v.Add("id", "must be a UUID made by the phone", "phải là một UUID do điện thoại tạo")
	}
	if in.TaskID == "" {
		v.Add("task_id", "is required", "không được để trống")
	}
	if in.StartedAt == nil {
		v.Add("started_at", "is required", "không được để trống")
	}
	if in.FinishedAt == nil {
		v.Add("finished_at", "is required", "không được để trống")
	}
	if in.StartedAt != nil && in.FinishedAt != nil {
		switch {
		case in.FinishedAt.Before(*in.StartedAt):
			v.Add("finished_at", "is before started_at", "trước thời điểm bắt đầu")
		case in.FinishedAt.Sub(*in.StartedAt) > MaxVisitDuration:
			v.Add("finished_at", "is more than 12 hours after started_at", "sau thời điểm bắt đầu hơn 12 giờ")
		}
		if in.FinishedAt.After(now.Add(ClockSkew)) {
			v.Add("finished_at", "is in the future", "là thời điểm trong tương lai")
		}
		if in.StartedAt.Before(now.Add(-MaxCheckinDelay)) {
			v.Add("started_at", "is more than 14 days ago", "đã quá 14 ngày")
		}
	}
	if !oneOf(in.Outcome, models.Outcomes) {
		v.Add("outcome", "must be one of %s", "phải là một trong %s", strings.Join(models.Outcomes, ", "))
	}
	if len(in.Notes) > 4000 {
		v.Add("notes", "is longer than 4000 characters", "dài quá 4000 ký tự")
	}
	if len(in.Answers) > 200 || len(in.Findings) > 100 || len(in.Members) > 20 {
		v.Add("answers", "too many answers, findings or members", "quá nhiều câu trả lời, vi phạm hoặc thành viên")
	}
	return &v
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

// SubmitInspection records a visit's result. The first submission answers created true; the
// same id and body again answers the stored result (created false); the same id with another
// body is a conflict. In one transaction: the result and its findings, the task done (or
// missed), the business's last inspection date and risk, and the new task it causes: a
// follow-up within 30 days after a violation, a repeat after a closed door, a refusal or a
// business not found.
func (s *Service) SubmitInspection(ctx context.Context, c Caller, in InspectionInput) (*InspectionView, bool, error) {
	now := s.now()
	v := in.validate(now)
	if err := v.Err(); err != nil {
		return nil, false, err
	}
	return s.submitInspection(ctx, c, in, v, true)
}

// submitInspection is SubmitInspection after the checks that need nothing stored. retry allows
// one more pass after a write conflict, which is how a concurrent copy of the same submission
// is told from a real conflict.
func (s *Service) submitInspection(ctx context.Context, c Caller, in InspectionInput, v *models.Validation, retry bool) (*InspectionView, bool, error) {
	hash := in.hash()
	if prev, err := s.store.FindInspectionByID(ctx, in.ID); err == nil {
		return s.replay(ctx, c, prev, hash)
	} else if !models.IsCode(err, models.ENOTFOUND) {
		return nil, false, err
	}
	task, day, err := s.taskForTeam(ctx, c, in.TaskID)
	if err != nil {
		return nil, false, err
	}
	if done, err := s.store.FindInspectionForTask(ctx, task.ID); err == nil {
		if done.ID == in.ID {
			// A copy of this submission was stored since the first look.
			return s.replay(ctx, c, done, hash)
		}
		return nil, false, models.NewError(models.ECONFLICT, "the task already has a result (%s): send a correction as an amendment", "nhiệm vụ đã có kết quả (%s): hãy gửi bản sửa đổi", done.ID)
	} else if !models.IsCode(err, models.ENOTFOUND) {
		return nil, false, err
	}
	b, err := s.store.FindBusinessByID(ctx, task.BusinessID)
	if err != nil {
		return nil, false, err
	}
	if in.StartedAt.Before(task.CreatedAt.Add(-ClockSkew)) {
		v.Add("started_at", "is before the task existed", "trước khi nhiệm vụ được tạo")
	}
	findings, err := s.checkAnswers(ctx, v, &in, b.Category)
	if err != nil {
		return nil, false, err
	}
	members, err := s.checkMembers(ctx, v, c, in.Members)
	if err != nil {
		return nil, false, err
	}
	if err := v.Err(); err != nil {
		return nil, false, err
	}
	insp := s.record(c, &in, task.BusinessID, hash, members)
	flags, err := s.flags(ctx, task.ID, c, &in, day)
	if err != nil {
		return nil, false, err
	}
	insp.Flags = flags.String()
	visit := models.Visit{Inspection: insp, Findings: findings}
	taskID, parent := task.ID, task.ID
	finished := models.DateOf(in.FinishedAt.In(s.loc))
	switch {
	case in.Outcome == models.OutcomeViolation:
		visit.NewTasks = append(visit.NewTasks, &models.Task{PlanID: task.PlanID, BusinessID: task.BusinessID, Reason: models.ReasonFollowUp,
			Status: models.TaskPlanned, WindowStart: finished.AddDays(1), WindowEnd: finished.AddDays(FollowUpWithinDays), InclusionProb: 1, ParentTaskID: &parent})
	case !models.Inspected(in.Outcome) && task.Status != models.TaskCancelled:
		// A cancelled task (the business closed, the plan was replaced) is not repeated.
		end := task.WindowEnd
		if !end.After(finished.AddDays(7)) {
			end = finished.AddDays(FollowUpWithinDays)
		}
		visit.NewTasks = append(visit.NewTasks, &models.Task{PlanID: task.PlanID, BusinessID: task.BusinessID, Reason: models.ReasonRequeue,
			Status: models.TaskPlanned, WindowStart: finished.AddDays(1), WindowEnd: end, InclusionProb: task.InclusionProb, ParentTaskID: &parent})
	}
	insp.TaskID = &taskID
	if err := s.store.ApplyVisits(ctx, c.Username, []models.Visit{visit}); err != nil {
		if models.IsCode(err, models.ECONFLICT) && retry {
			// A copy of this submission may have won the race: answer as a retry would. Any
			// other conflict (another result for the task) shows up on the second pass.
			return s.submitInspection(ctx, c, in, &models.Validation{}, false)
		}
		return nil, false, err
	}
	view, err := s.view(insp, findings)
	if err != nil {
		return nil, false, err
	}
	if len(visit.NewTasks) > 0 {
		view.NewTasks = visit.NewTasks
	}
	return view, true, nil
}

// replay answers a submission whose id is stored already: the stored result when the body is
// the same and the team the one that sent it, a conflict otherwise.
func (s *Service) replay(ctx context.Context, c Caller, prev *models.Inspection, hash string) (*InspectionView, bool, error) {
	if prev.BodySHA256 != hash || prev.AmendsID != nil || prev.TeamID == nil || *prev.TeamID != c.TeamID {
		return nil, false, models.NewError(models.ECONFLICT, "inspection %s was already recorded with different content: send a correction as an amendment", "kết quả %s đã được ghi với nội dung khác: hãy gửi bản sửa đổi", prev.ID)
	}
	view, err := s.storedView(ctx, prev)
	return view, false, err
}

// storedView answers a retry with what the first submission answered: the stored result, its
// findings and the tasks it queued.
func (s *Service) storedView(ctx context.Context, in *models.Inspection) (*InspectionView, error) {
	findings, err := s.store.FindFindings(ctx, []string{in.ID})
	if err != nil {
		return nil, err
	}
	view, err := s.view(in, findings)
	if err != nil {
		return nil, err
	}
	if in.TaskID != nil && in.AmendsID == nil {
		tasks, err := s.store.FindTasksQueuedBy(ctx, *in.TaskID)
		if err != nil {
			return nil, err
		}
		if len(tasks) > 0 {
			view.NewTasks = tasks
		}
	}
	return view, nil
}

// record builds the stored inspection from the input.
func (s *Service) record(c Caller, in *InspectionInput, businessID, hash string, members []string) *models.Inspection {
	answers, _ := json.Marshal(nonNilAnswers(in.Answers))
	mem, _ := json.Marshal(members)
	team := c.TeamID
	// In the users' zone, so that the store takes the visit's date from where it happened; it
	// stores the times in UTC.
	return &models.Inspection{ID: in.ID, BusinessID: businessID, TeamID: &team, StartedAt: in.StartedAt.In(s.loc), FinishedAt: in.FinishedAt.In(s.loc),
		Outcome: in.Outcome, ChecklistVersion: in.ChecklistVersion, Answers: string(answers), Members: string(mem), Notes: in.Notes,
		BodySHA256: hash, CreatedBy: c.Username}
}

func nonNilAnswers(a []models.Answer) []models.Answer {
	if a == nil {
		return []models.Answer{}
	}
	return a
}

// checkAnswers checks a result against the checklist version it names, which need not be the
// one in force: a phone that started the visit offline answered the version it had.
func (s *Service) checkAnswers(ctx context.Context, v *models.Validation, in *InspectionInput, category string) ([]*models.Finding, error) {
	cat, err := s.catalogueFor(ctx, v, in.ChecklistVersion)
	if err != nil || cat == nil {
		return nil, err
	}
	return cat.checkAnswers(v, in, category), nil
}

// checkAnswers checks the answers against the checklist of the business's category and the
// findings against the violation codes, and returns the findings to store: the explicit ones and
// those a "no" implies. The outcome must agree with them.
func (s *catalogue) checkAnswers(v *models.Validation, in *InspectionInput, category string) []*models.Finding {
	inspected := models.Inspected(in.Outcome)
	if !inspected && (len(in.Answers) > 0 || len(in.Findings) > 0) {
		v.Add("answers", "a visit that did not get in (%s) has no answers or findings", "lượt kiểm tra không vào được cơ sở (%s) không có câu trả lời hay vi phạm", in.Outcome)
		return nil
	}
	var findings []*models.Finding
	codes := map[string]bool{}
	add := func(code, note string) {
		if codes[code] {
			return
		}
		codes[code] = true
		findings = append(findings, &models.Finding{Code: code, Severity: s.violations[code].Severity, Note: note})
	}
	seen := map[string]bool{}
	for i, a := range in.Answers {
		it, ok := s.items[a.ItemID]
		switch {
		case !ok || !applies(it, category):
			v.Add(field("answers", i, "item_id"), "unknown checklist item %q for this kind of business", "mục %q không có trong bảng kiểm của loại hình này", a.ItemID)
			continue
		case seen[a.ItemID]:
			v.Add(field("answers", i, "item_id"), "item %s is answered twice", "mục %s được trả lời hai lần", a.ItemID)
			continue
		case a.Answer != "yes" && a.Answer != "no" && a.Answer != "na":
			v.Add(field("answers", i, "answer"), "must be yes, no or na", "phải là yes, no hoặc na")
			continue
		}
		seen[a.ItemID] = true
		if a.Answer == "no" && it.NoIsViolation && it.Violation != "" {
			add(it.Violation, a.Note)
		}
	}
	if inspected {
		var missing []string
		for _, it := range s.checklist.Items {
			if applies(it, category) && !seen[it.ID] {
				missing = append(missing, it.ID)
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			v.Add("answers", "every item of the checklist needs an answer; missing: %s", "mọi mục của bảng kiểm cần được trả lời; còn thiếu: %s", strings.Join(missing, ", "))
		}
	}
	for i, f := range in.Findings {
		if _, ok := s.violations[f.Code]; !ok {
			v.Add(field("findings", i, "code"), "unknown violation code %q", "mã vi phạm %q không tồn tại", f.Code)
			continue
		}
		add(f.Code, f.Note)
	}
	switch {
	case in.Outcome == models.OutcomeViolation && len(findings) == 0:
		v.Add("outcome", "is violation but no finding is recorded", "là vi phạm nhưng không ghi nhận vi phạm nào")
	case in.Outcome == models.OutcomeCompliant && len(findings) > 0:
		v.Add("outcome", "is compliant but the answers or findings record violations", "là không vi phạm nhưng câu trả lời hoặc danh sách vi phạm cho thấy có vi phạm")
	}
	return findings
}

func field(list string, i int, name string) string {
	f := list + "[" + strconv.Itoa(i) + "]"
	if name != "" {
		f += "." + name
	}
	return f
}

// checkMembers checks that the members present belong to the caller's team; the caller is one.
func (s *Service) checkMembers(ctx context.Context, v *models.Validation, c Caller, ids []string) ([]string, error) {
	team, err := s.store.FindTeamMembers(ctx, c.TeamID)
	if err != nil {
		return nil, err
	}
	byID := map[string]bool{}
	for _, u := range team {
		byID[u.ID] = true
	}
	out := []string{c.UserID}
	seen := map[string]bool{c.UserID: true}
	for i, id := range ids {
		if !byID[id] {
			v.Add(field("members", i, ""), "user %q is not a member of your team", "người dùng %q không thuộc tổ của bạn", id)
			continue
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

// flags marks what planners should review in a result: no check-in at the business, a visit
// shorter than the minimum, a result for another day than the task's.
func (s *Service) flags(ctx context.Context, taskID string, c Caller, in *InspectionInput, day models.Date) (models.Flags, error) {
	var f models.Flags
	if in.FinishedAt.Sub(*in.StartedAt) < s.minVisit && models.Inspected(in.Outcome) {
		f.Add(models.FlagShortVisit)
	}
	if models.DateOf(in.StartedAt.In(s.loc)) != day {
		f.Add(models.FlagOutsideTaskDay)
	}
	cks, err := s.store.TaskCheckins(ctx, taskID)
	if err != nil {
		return nil, err
	}
	onSite := false
	for _, ck := range cks {
		// Only the reporting team's own check-in shows that it was there.
		if ck.OnSite && ck.TeamID != nil && *ck.TeamID == c.TeamID {
			onSite = true
		}
	}
	if !onSite {
		f.Add(models.FlagNoCheckin)
	}
	return f, nil
}

// view decodes a stored result for the API.
func (s *Service) view(in *models.Inspection, findings []*models.Finding) (*InspectionView, error) {
	v := &InspectionView{Inspection: in, Answers: []models.Answer{}, Members: []string{}, Findings: findings, Flags: models.ParseFlags(in.Flags), NewTasks: []*models.Task{}}
	if in.Answers != "" {
		if err := json.Unmarshal([]byte(in.Answers), &v.Answers); err != nil {
			return nil, err
		}
	}
	if in.Members != "" {
		if err := json.Unmarshal([]byte(in.Members), &v.Members); err != nil {
			return nil, err
		}
	}
	if v.Findings == nil {
		v.Findings = []*models.Finding{}
	}
	return v, nil
}

// Amend records a correction of a result: a new record that points to the original, which
// stays as it was. Only the team that recorded the original may amend it.
func (s *Service) Amend(ctx context.Context, c Caller, originalID string, in InspectionInput) (*InspectionView, bool, error) {
	orig, err := s.store.FindInspectionByID(ctx, originalID)
	if err != nil {
		return nil, false, err
	}
	if orig.TeamID == nil || *orig.TeamID != c.TeamID {
		return nil, false, models.NotFound("inspection", "inspection not found", "không tìm thấy kết quả kiểm tra")
	}
	if orig.AmendsID != nil {
		return nil, false, models.Invalid("id", "amend the original result, not an amendment", "hãy sửa kết quả gốc, không sửa bản sửa đổi")
	}
	if orig.TaskID != nil {
		in.TaskID = *orig.TaskID
	}
	v := in.validate(s.now())
	if err := v.Err(); err != nil {
		return nil, false, err
	}
	return s.amend(ctx, c, orig, in, v, true)
}

func (s *Service) amend(ctx context.Context, c Caller, orig *models.Inspection, in InspectionInput, v *models.Validation, retry bool) (*InspectionView, bool, error) {
	hash := in.hash()
	if prev, err := s.store.FindInspectionByID(ctx, in.ID); err == nil {
		if prev.BodySHA256 != hash || prev.AmendsID == nil || *prev.AmendsID != orig.ID {
			return nil, false, models.NewError(models.ECONFLICT, "inspection %s was already recorded with different content", "kết quả %s đã được ghi với nội dung khác", in.ID)
		}
		view, err := s.storedView(ctx, prev)
		return view, false, err
	} else if !models.IsCode(err, models.ENOTFOUND) {
		return nil, false, err
	}
	b, err := s.store.FindBusinessByID(ctx, orig.BusinessID)
	if err != nil {
		return nil, false, err
	}
	if orig.TaskID != nil {
		task, err := s.store.FindTaskByID(ctx, *orig.TaskID)
		if err != nil {
			return nil, false, err
		}
		if in.StartedAt.Before(task.CreatedAt.Add(-ClockSkew)) {
			v.Add("started_at", "is before the task existed", "trước khi nhiệm vụ được tạo")
		}
	}
	findings, err := s.checkAnswers(ctx, v, &in, b.Category)
	if err != nil {
		return nil, false, err
	}
	members, err := s.checkMembers(ctx, v, c, in.Members)
	if err != nil {
		return nil, false, err
	}
	if err := v.Err(); err != nil {
		return nil, false, err
	}
	rec := s.record(c, &in, orig.BusinessID, hash, members)
	rec.TaskID, rec.AmendsID = orig.TaskID, &orig.ID
	if err := s.store.CreateAmendment(ctx, c.Username, rec, findings); err != nil {
		if models.IsCode(err, models.ECONFLICT) && retry {
			// A copy of this correction raced with it: answer as a retry would.
			return s.amend(ctx, c, orig, in, &models.Validation{}, false)
		}
		return nil, false, err
	}
	view, err := s.view(rec, findings)
	return view, true, err
}
