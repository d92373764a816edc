// Package sanctions follows a violation from the proposal of a sanction (the catalogue's article
// and fine range) to the competent authority's decision, its compliance (the fine paid, the
// remedial measures done and checked at a follow-up visit the planner gets by itself) or a
// referral to the police; and keeps the security-and-order certificate a decision suspends or
// withdraws, with the nightly rule of Decree 96/2016 Art. 18.2.
package sanctions

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"kiemtra/models"
)

// Store is what the service reads and writes.
type Store interface {
	models.SanctionStore
	FindBusinessByID(ctx context.Context, id string) (*models.Business, error)
	FindInspectionByID(ctx context.Context, id string) (*models.Inspection, error)
}

// catalogueReader is a store that keeps the editable violation catalogue: an article and a fine
// range a planner entered there for a code win over the shipped penalties.
type catalogueReader interface {
	FindViolationCatalogue(ctx context.Context, version int) (*models.ViolationCatalogue, error)
}

// penaltyFor is the penalty of a violation code: the shipped one, with the article and the
// range of the catalogue in force when it gives both.
func (s *Service) penaltyFor(ctx context.Context, code string) (models.Penalty, bool, error) {
	pen, ok := s.penalties[code]
	cr, has := s.store.(catalogueReader)
	if !has {
		return pen, ok, nil
	}
	cat, err := cr.FindViolationCatalogue(ctx, 0)
	if models.IsCode(err, models.ENOTFOUND) {
		return pen, ok, nil
	} else if err != nil {
		return pen, ok, fmt.Errorf("violation catalogue: %w", err)
	}
	for _, v := range cat.Violations {
		if v.Code != code || v.PenaltyArticle == "" || v.FineMinVND == nil || v.FineMaxVND == nil {
			continue
		}
		if !ok {
			pen = models.Penalty{Code: code}
		}
		pen.Article, pen.FineMin, pen.FineMax = v.PenaltyArticle, *v.FineMinVND, *v.FineMaxVND
		return pen, true, nil
	}
	return pen, ok, nil
}

// Service proposes, decides and follows sanctions.
type Service struct {
	store     Store
	penalties map[string]models.Penalty
	now       func() time.Time
	loc       *time.Location
}

// New returns the service over the catalogue's penalties.
func New(store Store, penalties []models.Penalty, now func() time.Time, loc *time.Location) *Service {
	if now == nil {
		now = time.Now
	}
	if loc == nil {
		loc = time.UTC
	}
	m := make(map[string]models.Penalty, len(penalties))
	for _, p := range penalties {
		m[p.Code] = p
	}
	return &Service{store: store, penalties: m, now: now, loc: loc}
}

// Today is the users' calendar day now.
func (s *Service) Today() models.Date { return models.DateOf(s.now().In(s.loc)) }

// Penalty returns the catalogue's entry of a violation code.
func (s *Service) Penalty(code string) (models.Penalty, bool) {
	p, ok := s.penalties[code]
	return p, ok
}

// ProposeInput is a proposal: the business, the finding it comes from (an inspection and a
// violation code) and a note.
type ProposeInput struct {
	ID            string  `json:"id"`
	BusinessID    string  `json:"business_id"`
	InspectionID  *string `json:"inspection_id"`
	ViolationCode string  `json:"violation_code"`
	Note          string  `json:"note"`
}

// Propose records a proposal with the catalogue's article and range. created is false for a
// retry of a stored one.
func (s *Service) Propose(ctx context.Context, actor string, in ProposeInput) (*models.Sanction, bool, error) {
	var v models.Validation
	in.BusinessID, in.ViolationCode, in.Note = strings.TrimSpace(in.BusinessID), strings.TrimSpace(in.ViolationCode), strings.TrimSpace(in.Note)
	if in.BusinessID == "" {
		v.Add("business_id", "is required", "là bắt buộc")
	}
	pen, ok, err := s.penaltyFor(ctx, in.ViolationCode)
	if err != nil {
		return nil, false, err
	}
	if in.ViolationCode == "" {
		v.Add("violation_code", "is required: the violation the sanction is for", "là bắt buộc: hành vi vi phạm cần xử phạt")
	} else if !ok {
		v.Add("violation_code", "%q is not a violation of the catalogue", "%q không có trong danh mục hành vi vi phạm", in.ViolationCode)
	}
	checkText(&v, "note", in.Note)
	if err := v.Err(); err != nil {
		return nil, false, err
	}
	b, err := s.store.FindBusinessByID(ctx, in.BusinessID)
	if models.IsCode(err, models.ENOTFOUND) {
		return nil, false, models.Invalid("business_id", "no business has this id", "không có cơ sở mang mã này")
	} else if err != nil {
		return nil, false, err
	}
	if in.InspectionID != nil && *in.InspectionID != "" {
		ins, err := s.store.FindInspectionByID(ctx, *in.InspectionID)
		if models.IsCode(err, models.ENOTFOUND) {
			return nil, false, models.Invalid("inspection_id", "no inspection has this id", "không có kết quả kiểm tra mang mã này")
		} else if err != nil {
			return nil, false, err
		}
		if ins.BusinessID != b.ID {
			return nil, false, models.Invalid("inspection_id", "is an inspection of another business", "là kết quả kiểm tra của cơ sở khác")
		}
	} else {
		in.InspectionID = nil
	}
	sn := &models.Sanction{ID: strings.TrimSpace(in.ID), BusinessID: b.ID, AreaCode: b.AreaCode, InspectionID: in.InspectionID, ViolationCode: in.ViolationCode,
		PenaltyArticle: pen.Article, FineMin: pen.FineMin, FineMax: pen.FineMax, SecurityOrder: pen.SecurityOrder, ProposalNote: in.Note, ProposedBy: actor,
		ProposedAt: s.now().UTC().Truncate(time.Microsecond)}
	return s.store.CreateSanction(ctx, actor, sn)
}

// DecisionInput is the competent authority's decision.
type DecisionInput struct {
	Number          string         `json:"number"`
	Date            models.Date    `json:"date"`
	Authority       string         `json:"authority"`
	Warning         bool           `json:"warning"`
	FineAmount      int64          `json:"fine_amount"`
	Confiscation    string         `json:"confiscation"`
	SuspensionStart models.Date    `json:"suspension_start"`
	SuspensionEnd   models.Date    `json:"suspension_end"`
	Withdrawal      bool           `json:"withdrawal"`
	WithdrawalStart models.Date    `json:"withdrawal_start"`
	WithdrawalEnd   models.Date    `json:"withdrawal_end"`
	Measures        []MeasureInput `json:"measures"`
}

// MeasureInput is a remedial measure with its deadline.
type MeasureInput struct {
	Text     string      `json:"text"`
	Deadline models.Date `json:"deadline"`
}

// PaymentInput records the fine paid.
type PaymentInput struct {
	PaidOn    models.Date `json:"paid_on"`
	Amount    int64       `json:"amount"`
	ReceiptNo string      `json:"receipt_no"`
}

// MeasureDoneInput records a remedial measure done (by its index in the decision).
type MeasureDoneInput struct {
	Index  int         `json:"index"`
	DoneOn models.Date `json:"done_on"`
}

// ReferralInput records a referral to the police and, later, its outcome.
type ReferralInput struct {
	ReferredOn models.Date `json:"referred_on"`
	CaseNo     string      `json:"case_no"`
	Outcome    string      `json:"outcome"`
}

// UpdateInput is a PATCH of a sanction: the version read and exactly one step.
type UpdateInput struct {
	Version     int               `json:"version"`
	Decision    *DecisionInput    `json:"decision"`
	Payment     *PaymentInput     `json:"payment"`
	MeasureDone *MeasureDoneInput `json:"measure_done"`
	Referral    *ReferralInput    `json:"referral"`
}

// Update applies one step to a sanction when its version is current.
func (s *Service) Update(ctx context.Context, actor, id string, in UpdateInput) (*models.Sanction, error) {
	if in.Version <= 0 {
		return nil, models.Invalid("version", "is required: send the version you read", "là bắt buộc: gửi phiên bản bạn đã đọc")
	}
	steps := 0
	for _, set := range []bool{in.Decision != nil, in.Payment != nil, in.MeasureDone != nil, in.Referral != nil} {
		if set {
			steps++
		}
	}
	if steps != 1 {
		return nil, models.Invalid("decision", "send exactly one of decision, payment, measure_done or referral", "gửi đúng một trong decision, payment, measure_done hoặc referral")
	}
	sn, err := s.store.FindSanctionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if sn.Version != in.Version {
		return nil, models.NewError(models.ECONFLICT, "sanction %s was changed by someone else (version %d, you sent %d): reload it",
			"đề xuất xử phạt %s đã được người khác cập nhật (phiên bản %d, bạn gửi %d): hãy tải lại", id, sn.Version, in.Version)
	}
	today := s.Today()
	var action string
	var task *models.Task
	var cert *models.CertificateEvent
	switch {
	case in.Decision != nil:
		action = "decide"
		if err := ApplyDecision(sn, *in.Decision, today); err != nil {
			return nil, err
		}
		sn.DecidedBy = actor
		at := s.now().UTC()
		sn.DecidedAt = &at
		task = FollowUpTask(sn, s.parentTask(ctx, sn))
		cert = CertificateChange(sn)
	case in.Payment != nil:
		action = "payment"
		err = ApplyPayment(sn, *in.Payment, today)
	case in.MeasureDone != nil:
		action = "measure_done"
		err = ApplyMeasureDone(sn, *in.MeasureDone, today)
	default:
		action = "referral"
		err = ApplyReferral(sn, *in.Referral, today)
	}
	if err != nil {
		return nil, err
	}
	if err := s.store.SaveSanction(ctx, actor, action, sn, in.Version, task, cert); err != nil {
		return nil, err
	}
	return sn, nil
}

// parentTask is the task of the inspection the sanction comes from, which the follow-up visit
// continues (nil without one).
func (s *Service) parentTask(ctx context.Context, sn *models.Sanction) *string {
	if sn.InspectionID == nil {
		return nil
	}
	ins, err := s.store.FindInspectionByID(ctx, *sn.InspectionID)
	if err != nil {
		return nil
	}
	return ins.TaskID
}

// ApplyDecision checks a decision against the proposal and records it on sn. A decision
// already recorded is not replaced: a correction is a new decision in law, and a new sanction
// here.
func ApplyDecision(sn *models.Sanction, in DecisionInput, today models.Date) error {
	var v models.Validation
	if sn.Decided() {
		v.Add("decision", "is recorded already (decision %s)", "đã được ghi nhận (quyết định %s)", sn.DecisionNo)
		return v.Err()
	}
	if sn.Status == models.SanctionReferred {
		v.Add("decision", "the case was referred to the police: no administrative decision", "vụ việc đã chuyển cơ quan công an: không ra quyết định xử phạt hành chính")
		return v.Err()
	}
	in.Number, in.Authority, in.Confiscation = strings.TrimSpace(in.Number), strings.TrimSpace(in.Authority), strings.TrimSpace(in.Confiscation)
	if in.Number == "" {
		v.Add("decision.number", "is required: the decision's number (for example 15/QĐ-XPHC)", "là bắt buộc: số quyết định (ví dụ 15/QĐ-XPHC)")
	} else if utf8.RuneCountInString(in.Number) > 50 {
		v.Add("decision.number", "is longer than 50 characters", "dài quá 50 ký tự")
	}
	switch {
	case in.Date.IsZero():
		v.Add("decision.date", "is required", "là bắt buộc")
	case in.Date.After(today):
		v.Add("decision.date", "is after today", "sau ngày hôm nay")
	case in.Date.Before(models.DateOf(sn.ProposedAt).AddDays(-366)):
		v.Add("decision.date", "is more than a year before the proposal", "sớm hơn ngày đề xuất quá một năm")
	}
	if in.Authority == "" {
		v.Add("decision.authority", "is required: who decided (for example Chủ tịch UBND phường An Hòa)", "là bắt buộc: người có thẩm quyền ra quyết định (ví dụ Chủ tịch UBND phường An Hòa)")
	}
	checkText(&v, "decision.authority", in.Authority)
	checkText(&v, "decision.confiscation", in.Confiscation)
	switch {
	case in.FineAmount < 0:
		v.Add("decision.fine_amount", "cannot be negative", "không được âm")
	case in.FineAmount > 0 && sn.FineMax == 0:
		v.Add("decision.fine_amount", "the catalogue gives no fine for this violation", "danh mục không quy định phạt tiền cho hành vi này")
	case in.FineAmount > 0 && (in.FineAmount < sn.FineMin || in.FineAmount > sn.FineMax):
		v.Add("decision.fine_amount", "%d is outside the catalogue's range %d-%d VND (%s)", "%d nằm ngoài khung phạt %d-%d đồng (%s)", in.FineAmount, sn.FineMin, sn.FineMax, sn.PenaltyArticle)
	}
	if in.Warning && in.FineAmount > 0 {
		v.Add("decision.warning", "a warning and a fine exclude each other: choose one main form", "cảnh cáo và phạt tiền không đi cùng nhau: chọn một hình thức xử phạt chính")
	}
	period := func(name string, start, end models.Date, need bool) {
		switch {
		case !need && (!start.IsZero() || !end.IsZero()):
			if name == "withdrawal" {
				v.Add("decision.withdrawal", "set withdrawal to true with its period", "đánh dấu tước giấy phép cùng thời hạn")
			}
		case need && start.IsZero():
			v.Add("decision."+name+"_start", "is required", "là bắt buộc")
		case need && end.IsZero():
			if name == "suspension" {
				v.Add("decision.suspension_end", "is required: a suspension has an end", "là bắt buộc: việc đình chỉ phải có ngày kết thúc")
			} else {
				v.Add("decision.withdrawal_end", "is required: a withdrawal has an end", "là bắt buộc: việc tước giấy phép phải có ngày kết thúc")
			}
		case need && !end.After(start):
			v.Add("decision."+name+"_end", "must be after the start", "phải sau ngày bắt đầu")
		case need && start.DaysUntil(end) > 2*366:
			v.Add("decision."+name+"_end", "is more than 24 months after the start", "dài hơn 24 tháng kể từ ngày bắt đầu")
		}
	}
	suspended := !in.SuspensionStart.IsZero() || !in.SuspensionEnd.IsZero()
	period("suspension", in.SuspensionStart, in.SuspensionEnd, suspended)
	period("withdrawal", in.WithdrawalStart, in.WithdrawalEnd, in.Withdrawal)
	measures := make([]models.RemedialMeasure, 0, len(in.Measures))
	if len(in.Measures) > 20 {
		v.Add("decision.measures", "at most 20 measures", "tối đa 20 biện pháp")
	}
	for i, m := range in.Measures {
		f := fmt.Sprintf("decision.measures[%d]", i)
		m.Text = strings.TrimSpace(m.Text)
		if m.Text == "" {
			v.Add(f+".text", "is required", "là bắt buộc")
		}
		checkText(&v, f+".text", m.Text)
		if m.Deadline.IsZero() {
			v.Add(f+".deadline", "is required: a remedial measure has a deadline", "là bắt buộc: biện pháp khắc phục phải có thời hạn")
		} else if !in.Date.IsZero() && m.Deadline.Before(in.Date) {
			v.Add(f+".deadline", "is before the decision", "trước ngày ra quyết định")
		}
		measures = append(measures, models.RemedialMeasure{Text: m.Text, Deadline: m.Deadline})
	}
	if !in.Warning && in.FineAmount == 0 && in.Confiscation == "" && !suspended && !in.Withdrawal && len(measures) == 0 {
		v.Add("decision.fine_amount", "a decision has at least one form: a warning, a fine, a confiscation, a suspension, a withdrawal or a measure",
			"quyết định phải có ít nhất một hình thức: cảnh cáo, phạt tiền, tịch thu, đình chỉ, tước giấy phép hoặc biện pháp khắc phục")
	}
	if err := v.Err(); err != nil {
		return err
	}
	sn.DecisionNo, sn.DecisionDate, sn.Authority = in.Number, in.Date, in.Authority
	sn.Warning, sn.FineAmount, sn.Confiscation = in.Warning, in.FineAmount, in.Confiscation
	sn.SuspensionStart, sn.SuspensionEnd = in.SuspensionStart, in.SuspensionEnd
	sn.Withdrawal, sn.WithdrawalStart, sn.WithdrawalEnd = in.Withdrawal, in.WithdrawalStart, in.WithdrawalEnd
	sn.Measures = measures
	sn.Derive()
	return nil
}

// ApplyPayment records the fine paid: the whole amount decided, once.
func ApplyPayment(sn *models.Sanction, in PaymentInput, today models.Date) error {
	var v models.Validation
	switch {
	case !sn.Decided():
		v.Add("payment", "this sanction has no decision yet: record the decision first", "đề xuất này chưa có quyết định xử phạt: ghi nhận quyết định trước")
	case sn.FineAmount == 0:
		v.Add("payment", "the decision %s imposes no fine", "quyết định %s không phạt tiền", sn.DecisionNo)
	case !sn.PaidOn.IsZero():
		v.Add("payment", "the fine was recorded as paid on %s", "tiền phạt đã được ghi nhận nộp ngày %s", sn.PaidOn)
	}
	if err := v.Err(); err != nil {
		return err
	}
	in.ReceiptNo = strings.TrimSpace(in.ReceiptNo)
	switch {
	case in.PaidOn.IsZero():
		v.Add("payment.paid_on", "is required", "là bắt buộc")
	case in.PaidOn.After(today):
		v.Add("payment.paid_on", "is after today", "sau ngày hôm nay")
	case in.PaidOn.Before(sn.DecisionDate):
		v.Add("payment.paid_on", "is before the decision (%s)", "trước ngày ra quyết định (%s)", sn.DecisionDate)
	}
	if in.Amount != sn.FineAmount {
		v.Add("payment.amount", "must be the fine decided, %d VND", "phải bằng số tiền phạt đã quyết định, %d đồng", sn.FineAmount)
	}
	if in.ReceiptNo == "" {
		v.Add("payment.receipt_no", "is required: the receipt's number", "là bắt buộc: số biên lai")
	}
	checkText(&v, "payment.receipt_no", in.ReceiptNo)
	if err := v.Err(); err != nil {
		return err
	}
	sn.PaidOn, sn.PaidAmount, sn.ReceiptNo = in.PaidOn, in.Amount, in.ReceiptNo
	sn.Derive()
	return nil
}

// ApplyMeasureDone records a remedial measure done.
func ApplyMeasureDone(sn *models.Sanction, in MeasureDoneInput, today models.Date) error {
	var v models.Validation
	switch {
	case !sn.Decided():
		v.Add("measure_done", "this sanction has no decision yet", "đề xuất này chưa có quyết định xử phạt")
	case in.Index < 0 || in.Index >= len(sn.Measures):
		v.Add("measure_done.index", "the decision has %d measures (0 to %d)", "quyết định có %d biện pháp (từ 0 đến %d)", len(sn.Measures), len(sn.Measures)-1)
	case !sn.Measures[in.Index].DoneOn.IsZero():
		v.Add("measure_done.index", "this measure was recorded done on %s", "biện pháp này đã được ghi nhận hoàn thành ngày %s", sn.Measures[in.Index].DoneOn)
	}
	if err := v.Err(); err != nil {
		return err
	}
	switch {
	case in.DoneOn.IsZero():
		v.Add("measure_done.done_on", "is required", "là bắt buộc")
	case in.DoneOn.After(today):
		v.Add("measure_done.done_on", "is after today", "sau ngày hôm nay")
	case in.DoneOn.Before(sn.DecisionDate):
		v.Add("measure_done.done_on", "is before the decision (%s)", "trước ngày ra quyết định (%s)", sn.DecisionDate)
	}
	if err := v.Err(); err != nil {
		return err
	}
	sn.Measures[in.Index].DoneOn = in.DoneOn
	sn.Derive()
	return nil
}

// ApplyReferral records the referral to the police, or later the case's number and outcome.
func ApplyReferral(sn *models.Sanction, in ReferralInput, today models.Date) error {
	var v models.Validation
	in.CaseNo, in.Outcome = strings.TrimSpace(in.CaseNo), strings.TrimSpace(in.Outcome)
	if sn.ReferredOn.IsZero() {
		switch {
		case in.ReferredOn.IsZero():
			v.Add("referral.referred_on", "is required", "là bắt buộc")
		case in.ReferredOn.After(today):
			v.Add("referral.referred_on", "is after today", "sau ngày hôm nay")
		case in.ReferredOn.Before(models.DateOf(sn.ProposedAt).AddDays(-366)):
			v.Add("referral.referred_on", "is more than a year before the proposal", "sớm hơn ngày đề xuất quá một năm")
		}
	} else if !in.ReferredOn.IsZero() && in.ReferredOn != sn.ReferredOn {
		v.Add("referral.referred_on", "the referral was recorded on %s", "việc chuyển hồ sơ đã được ghi nhận ngày %s", sn.ReferredOn)
	}
	if utf8.RuneCountInString(in.CaseNo) > 50 {
		v.Add("referral.case_no", "is longer than 50 characters", "dài quá 50 ký tự")
	}
	checkText(&v, "referral.case_no", in.CaseNo)
	checkText(&v, "referral.outcome", in.Outcome)
	if err := v.Err(); err != nil {
		return err
	}
	if sn.ReferredOn.IsZero() {
		sn.ReferredOn = in.ReferredOn
	}
	if in.CaseNo != "" {
		sn.PoliceCaseNo = in.CaseNo
	}
	if in.Outcome != "" {
		sn.ReferralOutcome = in.Outcome
	}
	sn.Derive()
	return nil
}

func checkText(v *models.Validation, field, s string) {
	if n := utf8.RuneCountInString(s); n > models.MaxSanctionText {
		v.Add(field, "is %d characters long; at most %d", "dài %d ký tự; tối đa %d", n, models.MaxSanctionText)
	}
}

// FollowUpTask is the visit that checks a decision's remedial measures: planned from the day
// after the last deadline, for two weeks (nil when no measure has a deadline).
func FollowUpTask(sn *models.Sanction, parentTask *string) *models.Task {
	var last models.Date
	for _, m := range sn.Measures {
		if m.Deadline.After(last) {
			last = m.Deadline
		}
	}
	if last.IsZero() {
		return nil
	}
	return &models.Task{BusinessID: sn.BusinessID, Reason: models.ReasonFollowUp, Status: models.TaskPlanned,
		WindowStart: last.AddDays(1), WindowEnd: last.AddDays(14), ParentTaskID: parentTask}
}

// CertificateChange is what a decision does to the certificate: a suspension suspends it to its
// end, a withdrawal withdraws it (nil otherwise).
func CertificateChange(sn *models.Sanction) *models.CertificateEvent {
	switch {
	case sn.Withdrawal:
		return &models.CertificateEvent{BusinessID: sn.BusinessID, Event: "withdraw", Status: models.CertWithdrawn, StartsOn: sn.WithdrawalStart, Until: sn.WithdrawalEnd,
			Note: sn.DecisionNo}
	case !sn.SuspensionEnd.IsZero():
		return &models.CertificateEvent{BusinessID: sn.BusinessID, Event: "suspend", Status: models.CertSuspended, StartsOn: sn.SuspensionStart, Until: sn.SuspensionEnd,
			Note: sn.DecisionNo}
	}
	return nil
}
