package demo

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"

	"kiemtra/models"
	"kiemtra/sanctions"
)

// SanctionStore is what the demo's sanctions read and write.
type SanctionStore interface {
	sanctions.Store
	FindInspectionsWithFindings(ctx context.Context, from, to time.Time) ([]*models.Inspection, error)
	FindFindings(ctx context.Context, inspectionIDs []string) ([]*models.Finding, error)
	FindAreaByCode(ctx context.Context, code string) (*models.Area, error)
}

// SanctionOptions are the demo's sanctions: the findings of the months before Today, some of
// them sanctioned, through the sanctions service (its checks and its follow-up visits).
type SanctionOptions struct {
	Seed       int64
	Today      models.Date
	Location   *time.Location
	Penalties  []models.Penalty
	Violations []models.ViolationType
	Months     int // how far back findings are sanctioned
}

// sanctionOfficer is the planner who records the demo's decisions.
const sanctionOfficer = "planner"

// Sanctions replays the sanctions of the findings of the last opts.Months: about two findings in
// five are proposed a couple of days after the inspection; those the catalogue refers to the
// police are referred, the others decided within three weeks (a warning for a minor one, else a
// fine within the catalogue's range, sometimes a suspension, and in the last month often a
// remedial measure with its deadline and follow-up visit), most fines paid within two weeks; the
// days not yet come are left open. Then last night's certificate rule runs (Decree 96/2016 Art. 18.2). It
// returns how many sanctions it made. The same options give the same sanctions.
func Sanctions(ctx context.Context, st SanctionStore, opts SanctionOptions) (int, error) {
	loc := opts.Location
	clock := opts.Today.Time(loc)
	svc := sanctions.New(st, opts.Penalties, func() time.Time { return clock }, loc)
	refer := map[string]bool{}
	names := map[string]string{}
	for _, v := range opts.Violations {
		refer[v.Code], names[v.Code] = v.ReferToPolice, v.VI
	}
	from := opts.Today.Time(loc).AddDate(0, -opts.Months, 0)
	ins, err := st.FindInspectionsWithFindings(ctx, from, opts.Today.Time(loc))
	if err != nil {
		return 0, err
	}
	ids := make([]string, len(ins))
	for i, in := range ins {
		ids[i] = in.ID
	}
	findings, err := st.FindFindings(ctx, ids)
	if err != nil {
		return 0, err
	}
	byIns := map[string][]*models.Finding{}
	for _, f := range findings {
		byIns[f.InspectionID] = append(byIns[f.InspectionID], f)
	}
	type found struct {
		in   *models.Inspection
		code string
	}
	var all []found
	for _, in := range ins { // oldest first
		fs := byIns[in.ID]
		sort.Slice(fs, func(i, j int) bool { return fs[i].Code < fs[j].Code })
		for _, f := range fs {
			all = append(all, found{in, f.Code})
		}
	}
	areaOf := map[string]string{}
	authority := map[string]string{}
	made := 0
	for _, f := range all {
		pen, ok := svc.Penalty(f.code)
		if !ok || (pen.FineMax == 0 && !refer[f.code]) {
			continue
		}
		// Keyed by what the replay makes the same every time (the business, the visit's time, the
		// code): the replay's record ids are random.
		h := sha256.Sum256(fmt.Appendf(nil, "kiemtra-demo/sanction/%d/%s/%s/%s", opts.Seed, f.in.BusinessID, f.in.FinishedAt.UTC().Format(time.RFC3339Nano), f.code))
		roll := func(i int) int { return int(binary.BigEndian.Uint16(h[2*i:]) % 100) }
		if roll(0) >= 40 {
			continue
		}
		day := models.DateOf(f.in.FinishedAt.In(loc))
		at := func(d models.Date) time.Time { return d.Time(loc).Add(9 * time.Hour) }
		proposed := day.AddDays(1 + roll(1)%3)
		if !proposed.Before(opts.Today) {
			continue
		}
		clock = at(proposed)
		id := uuid.NewSHA1(uuid.NameSpaceOID, h[:]).String()
		insID := f.in.ID
		sn, _, err := svc.Propose(ctx, f.in.CreatedBy, sanctions.ProposeInput{ID: id, BusinessID: f.in.BusinessID, InspectionID: &insID,
			ViolationCode: f.code, Note: "Đề xuất từ kết quả kiểm tra ngày " + day.String()})
		if err != nil {
			return made, fmt.Errorf("propose %s: %w", id, err)
		}
		made++
		step := func(on models.Date, in sanctions.UpdateInput) (bool, error) {
			if !on.Before(opts.Today) {
				return false, nil
			}
			clock = at(on)
			in.Version = sn.Version
			got, err := svc.Update(ctx, sanctionOfficer, sn.ID, in)
			if err != nil {
				return false, fmt.Errorf("sanction %s on %s: %w", sn.ID, on, err)
			}
			sn = got
			return true, nil
		}
		if refer[f.code] {
			ref := sanctions.ReferralInput{ReferredOn: proposed.AddDays(2)}
			if roll(2) < 60 {
				ref.CaseNo = fmt.Sprintf("VA-%d/%04d", ref.ReferredOn.Year, 1+binary.BigEndian.Uint16(h[20:])%2000)
				ref.Outcome = "Khởi tố vụ án, đang điều tra"
			}
			if _, err := step(ref.ReferredOn, sanctions.UpdateInput{Referral: &ref}); err != nil {
				return made, err
			}
			continue
		}
		area, ok := areaOf[f.in.BusinessID]
		if !ok {
			if b, err := st.FindBusinessByID(ctx, f.in.BusinessID); err == nil {
				area = b.AreaCode
			}
			areaOf[f.in.BusinessID] = area
		}
		ward := authority[area]
		if ward == "" {
			ward = "Chủ tịch Ủy ban nhân dân"
			if a, err := st.FindAreaByCode(ctx, area); err == nil {
				ward += " " + strings.TrimSpace(strings.ToLower(a.TypeName)+" "+strings.TrimPrefix(a.Name, a.TypeName+" "))
			}
			authority[area] = ward
		}
		decided := proposed.AddDays(5 + roll(3)%16)
		d := sanctions.DecisionInput{Number: fmt.Sprintf("%d/QĐ-XPHC", 1+binary.BigEndian.Uint16(h[22:])%900), Date: decided, Authority: ward}
		if roll(4) < 25 {
			d.Warning = true
		} else {
			steps := (pen.FineMax - pen.FineMin) / 100000
			d.FineAmount = pen.FineMin
			if steps > 0 {
				d.FineAmount += int64(binary.BigEndian.Uint16(h[24:])%uint16(min(steps+1, 60000))) * 100000
			}
		}
		if pen.SecurityOrder && roll(5) < 15 {
			d.SuspensionStart, d.SuspensionEnd = decided.AddDays(1), decided.AddDays(1+30*(1+roll(6)%3))
		}
		// A measure's follow-up visit joins the planner's pool: only decisions whose visit is
		// still to come carry one, so that the history leaves no visit overdue by its making.
		if roll(7) < 60 && !decided.AddDays(31).Before(opts.Today) {
			d.Measures = []sanctions.MeasureInput{{Text: "Khắc phục vi phạm: " + names[f.code], Deadline: decided.AddDays(30)}}
		}
		if ok, err := step(decided, sanctions.UpdateInput{Decision: &d}); err != nil || !ok {
			if err != nil {
				return made, err
			}
			continue
		}
		if d.FineAmount > 0 && roll(8) < 85 {
			paid := decided.AddDays(2 + roll(9)%12)
			if _, err := step(paid, sanctions.UpdateInput{Payment: &sanctions.PaymentInput{PaidOn: paid, Amount: d.FineAmount,
				ReceiptNo: fmt.Sprintf("BL-%06d", binary.BigEndian.Uint32(h[26:])%1000000)}}); err != nil {
				return made, err
			}
		}
		if len(d.Measures) > 0 && roll(10) < 80 {
			done := decided.AddDays(10 + roll(11)%25)
			if _, err := step(done, sanctions.UpdateInput{MeasureDone: &sanctions.MeasureDoneInput{Index: 0, DoneOn: done}}); err != nil {
				return made, err
			}
		}
	}
	// Last night's certificate rule.
	if _, err := (&sanctions.CertificateJob{Service: svc}).Run(ctx, opts.Today.Time(loc).Add(90*time.Minute)); err != nil {
		return made, err
	}
	return made, nil
}
