package demo

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/google/uuid"

	"kiemtra/models"
	"kiemtra/tips"
)

// TipOptions are the tips the replay receives, through the tip pipeline (tips.Service), which
// seals the reporters' contacts: the demo never writes a tip to the store itself.
type TipOptions struct {
	Key       []byte // the service's contact key, so that tip officers can read the contacts
	Locate    tips.Locator
	Deadlines models.TipDeadlines
	PerWeek   int // tips received in an average week
}

// tipOfficer records the tips that come by hotline, mail, in person or from other agencies;
// the public form's tips are the public's.
const (
	tipOfficer = "tips"
	tipPublic  = "public"
)

// tipSim plays the public, the agencies that refer tips and the tip officer: tips arrive week
// by week; each is verified, classified and handled on its own schedule, mostly within its
// deadlines, some late (the escalation job, run every day, escalates those); an urgent tip
// is handled once the team has inspected the place.
type tipSim struct {
	st        ReplayStore
	ex        *executor // the teams, who visit the urgent tips' places
	svc       *tips.Service
	esc       *tips.EscalationJob
	deadlines models.TipDeadlines
	perWeek   int
	seed      int64
	loc       *time.Location
	clock     time.Time // the pipeline's now
	rng       *rand.Rand
	places    []*models.Business // where tips are about: the riskier categories
	open      []*simTip
	escalated map[string]bool // tip id/deadline: escalated by the job
}

// simTip is a tip on its way through the pipeline.
type simTip struct {
	tip        *models.Tip
	business   *models.Business // what the tip turns out to be about
	typ, sev   string           // its classification
	handling   string           // referred or dismissed (urgent ones: after the inspection)
	note       string
	verifyAt   time.Time
	classifyAt time.Time
	handleAt   time.Time // zero for an urgent tip until its inspection
	visitAt    time.Time // an urgent tip's visit, once classified
	visited    bool
	// rng draws the tip's own delays: a stream of its own, so that a tip's fate does not
	// depend on the tips received after it.
	rng *rand.Rand
}

// riskyCategories are the categories tips are mostly about.
var riskyCategories = map[string]bool{"karaoke": true, "massage": true, "dance_hall": true, "hostess_cafe": true, "hostess_restaurant": true, "accommodation": true, "bar": true, "spa": true}

func newTipSim(st ReplayStore, ex *executor, opts ReplayOptions, loc *time.Location) (*tipSim, error) {
	o := opts.Tips
	sim := &tipSim{escalated: map[string]bool{}, st: st, ex: ex, deadlines: o.Deadlines, perWeek: o.PerWeek, seed: opts.Seed, loc: loc, rng: rand.New(rand.NewPCG(uint64(opts.Seed), 3))}
	svc, err := tips.NewService(st, o.Locate, o.Key, o.Deadlines, func() time.Time { return sim.clock }, loc)
	if err != nil {
		return nil, err
	}
	sim.svc, sim.esc = svc, &tips.EscalationJob{Service: svc}
	return sim, nil
}

// loadPlaces lists the businesses tips may be about, in a stable order (demo ids are derived
// from licence numbers): once, when the first tip comes, after the 2025 reorganisation.
func (sim *tipSim) loadPlaces(ctx context.Context) error {
	bs, _, err := sim.st.FindBusinesses(ctx, models.BusinessFilter{NoCount: true})
	if err != nil {
		return err
	}
	for _, b := range bs {
		if riskyCategories[b.Category] {
			sim.places = append(sim.places, b)
		}
	}
	sort.Slice(sim.places, func(i, j int) bool { return sim.places[i].ID < sim.places[j].ID })
	if len(sim.places) == 0 {
		return fmt.Errorf("no business for the demo's tips")
	}
	return nil
}

// week receives the week's tips and moves every open tip on, up to end (the start of the
// demo's day): each step at its time, with the escalation job every day at 00:15 (the service
// runs it every hour; once a day is enough for a history).
func (sim *tipSim) week(ctx context.Context, week models.Date, end time.Time) error {
	if sim.places == nil {
		if err := sim.loadPlaces(ctx); err != nil {
			return err
		}
	}
	// The week's tips are drawn whole, so that a later demo has the same ones.
	for _, in := range sim.arrivals(week) {
		if in.at.Before(end) {
			if err := sim.receive(ctx, in); err != nil {
				return err
			}
		}
	}
	weekEnd := week.AddDays(7).Time(sim.loc)
	if end.Before(weekEnd) {
		weekEnd = end
	}
	var ticks []time.Time
	for d := week; d.Time(sim.loc).Before(weekEnd); d = d.AddDays(1) {
		ticks = append(ticks, d.Time(sim.loc).Add(15*time.Minute))
	}
	// The earliest step of all first, until none is left before the week's end.
	for {
		var next *simTip
		var at time.Time
		for _, t := range sim.open {
			if !t.tip.Open() {
				continue
			}
			if s := sim.nextStep(t); !s.IsZero() && s.Before(weekEnd) && (next == nil || s.Before(at)) {
				next, at = t, s
			}
		}
		if len(ticks) > 0 && ticks[0].Before(weekEnd) && (next == nil || !at.Before(ticks[0])) {
			if sim.missed(ticks[0]) {
				if err := sim.escalate(ctx, ticks[0]); err != nil {
					return err
				}
			}
			ticks = ticks[1:]
			continue
		}
		if next == nil {
			break
		}
		sim.clock = at
		if err := sim.advance(ctx, next); err != nil {
			return err
		}
	}
	var open []*simTip
	for _, t := range sim.open {
		if t.tip.Open() {
			open = append(open, t)
		}
	}
	sim.open = open
	return nil
}

// missed reports whether an open tip has missed a deadline that was not escalated yet: the job
// would have nothing to do otherwise (and a run per day costs the demo's start seconds).
func (sim *tipSim) missed(now time.Time) bool {
	for _, t := range sim.open {
		for _, m := range tips.MissedDeadlines(t.tip, now) {
			if !sim.escalated[t.tip.ID+"/"+m.Deadline] {
				return true
			}
		}
	}
	return false
}

// escalate runs the escalation job at now.
func (sim *tipSim) escalate(ctx context.Context, now time.Time) error {
	for _, t := range sim.open {
		for _, m := range tips.MissedDeadlines(t.tip, now) {
			sim.escalated[t.tip.ID+"/"+m.Deadline] = true
		}
	}
	sim.clock = now
	if _, err := sim.esc.Run(ctx, now); err != nil {
		return fmt.Errorf("tip escalation at %s: %w", now, err)
	}
	return nil
}

// arrival is a tip as it reaches the city.
type arrival struct {
	at       time.Time
	in       tips.Input
	actor    string
	business *models.Business
	late     bool          // the officer is late with it: verified and handled after the deadlines
	delay    time.Duration // from the call to the record
	typ, sev string
	handling string
	note     string
}

// arrivals draws the week's tips: their time, channel, place, text and fate.
func (sim *tipSim) arrivals(week models.Date) []arrival {
	r := sim.rng
	n := r.IntN(2*sim.perWeek + 1)
	out := make([]arrival, 0, n)
	for i := 0; i < n; i++ {
		day := week.AddDays(r.IntN(7))
		at := day.Time(sim.loc).Add(time.Duration(7*60+r.IntN(14*60)) * time.Minute)
		b := sim.places[r.IntN(len(sim.places))]
		for k := 0; k < 20 && !b.ActiveOn(day); k++ {
			b = sim.places[r.IntN(len(sim.places))] // tips are about places that are open
		}
		a := arrival{at: at, business: b, late: r.Float64() < 0.12, delay: time.Duration(r.IntN(20)) * time.Minute}
		tt := tipTexts[r.IntN(len(tipTexts))]
		a.typ = tt.typ
		a.in.Description = fmt.Sprintf(tt.text, b.Name)
		switch c := r.Float64(); {
		case c < 0.35:
			a.in.Channel, a.actor = "hotline", tipOfficer
		case c < 0.6:
			a.in.Channel, a.actor = "web", tipPublic
		case c < 0.7:
			a.in.Channel, a.actor = "in_person", tipOfficer
		case c < 0.8:
			a.in.Channel, a.actor = "mail", tipOfficer
		default:
			// Ward police and other agencies refer what they saw.
			a.in.Channel, a.actor = "referral", tipOfficer
			a.in.Description = referrers[r.IntN(len(referrers))] + a.in.Description
		}
		// The reporter names the business, or only the place: the officer finds which
		// business it is while verifying.
		if r.Float64() < 0.6 && a.actor == tipOfficer {
			a.in.BusinessID = b.ID
		} else {
			a.in.Place = "Gần " + b.Address
			if a.actor == tipPublic && r.Float64() < 0.5 {
				// The form's "my position": within a few tens of metres.
				lat, lon := b.Lat+(r.Float64()-0.5)*0.0006, b.Lon+(r.Float64()-0.5)*0.0006
				a.in.Lat, a.in.Lon = &lat, &lon
			}
		}
		switch c := r.Float64(); {
		case c < 0.4:
			a.in.ReporterContact = fmt.Sprintf("0900 %03d %03d", r.IntN(1000), r.IntN(1000))
		case c < 0.55:
			a.in.ReporterContact = fmt.Sprintf("nguoibao%04d@example.com", r.IntN(10000))
		}
		if a.actor == tipOfficer && r.Float64() < 0.3 {
			a.in.Severity = "high" // a first guess on the phone
		}
		switch c := r.Float64(); {
		case c < 0.08 || c < 0.5 && (a.typ == "minors" || a.typ == "trafficking"):
			a.sev = "urgent"
		case c < 0.45:
			a.sev = "high"
		default:
			a.sev = "normal"
		}
		if a.sev != "urgent" {
			if r.Float64() < 0.55 {
				a.handling, a.note = "referred", referNotes[r.IntN(len(referNotes))]
			} else {
				a.handling, a.note = "dismissed", dismissNotes[r.IntN(len(dismissNotes))]
			}
		}
		a.in.ID = uuid.NewSHA1(uuid.NameSpaceOID, fmt.Appendf(nil, "kiemtra-demo/tip/%d/%s/%d", sim.seed, week, i)).String()
		received := at
		a.in.ReceivedAt = &received
		out = append(out, a)
	}
	return out
}

// receive records a tip as its channel does, and schedules its steps.
func (sim *tipSim) receive(ctx context.Context, a arrival) error {
	// Recorded a little after the call (or at once on the form).
	sim.clock = a.at.Add(a.delay)
	t, _, err := sim.svc.Create(ctx, a.actor, a.in)
	if err != nil {
		return fmt.Errorf("receive tip %s: %w", a.in.ID, err)
	}
	h := sha256.Sum256([]byte(t.ID))
	r := rand.New(rand.NewPCG(uint64(sim.seed), binary.BigEndian.Uint64(h[:8])))
	st := &simTip{tip: t, business: a.business, typ: a.typ, sev: a.sev, handling: a.handling, note: a.note, rng: r}
	verify := sim.deadlines.Verify[t.Severity]
	if a.late {
		// Missed: verified a day or three after the deadline.
		st.verifyAt = t.VerifyDue.Add(time.Duration(24+r.IntN(48)) * time.Hour)
	} else {
		st.verifyAt = t.ReceivedAt.Add(time.Duration(float64(verify) * (0.1 + 0.6*r.Float64())))
	}
	st.classifyAt = st.verifyAt.Add(time.Duration(2+r.IntN(70)) * time.Hour)
	if a.sev == "urgent" {
		st.classifyAt = st.verifyAt.Add(time.Duration(1+r.IntN(6)) * time.Hour)
	}
	if a.sev != "urgent" {
		handle := sim.deadlines.Handle[a.sev]
		if a.late {
			st.handleAt = t.ReceivedAt.Add(handle + time.Duration(24+r.IntN(10*24))*time.Hour)
		} else {
			st.handleAt = t.ReceivedAt.Add(time.Duration(float64(handle) * (0.4 + 0.55*r.Float64())))
		}
		if !st.handleAt.After(st.classifyAt) {
			st.handleAt = st.classifyAt.Add(4 * time.Hour)
		}
	}
	sim.open = append(sim.open, st)
	return nil
}

// nextStep is when the tip's next step is due (zero: none).
func (sim *tipSim) nextStep(t *simTip) time.Time {
	switch t.tip.Status {
	case models.TipReceived:
		return t.verifyAt
	case models.TipVerifying:
		return t.classifyAt
	case models.TipClassified:
		if t.tip.TaskID == nil || t.visited {
			return t.handleAt
		}
		// The team goes within the day, and the tip is handled the day after the visit.
		if t.visitAt.IsZero() {
			t.visitAt = t.tip.ClassifiedAt.Add(time.Duration(2+t.rng.IntN(20)) * time.Hour)
		}
		return t.visitAt
	}
	return time.Time{}
}

// publicResults are the results the demo's tip officers write for the reporters, by handling.
var publicResults = map[string]string{
	"inspection": "Đoàn kiểm tra đã đến kiểm tra địa điểm theo tin báo và xử lý vi phạm theo quy định.",
	"referred":   "Tin báo đã được chuyển đến cơ quan có thẩm quyền để xử lý theo quy định.",
	"dismissed":  "Qua xác minh, chưa phát hiện vi phạm như nội dung tin báo.",
}

// advance takes the tip's next step, at the pipeline's clock.
func (sim *tipSim) advance(ctx context.Context, t *simTip) error {
	// The escalation job may have changed it since.
	cur, err := sim.st.FindTipByID(ctx, t.tip.ID)
	if err != nil {
		return err
	}
	t.tip = cur
	if t.tip.Status == models.TipClassified && t.tip.TaskID != nil && !t.visited {
		return sim.visit(ctx, t)
	}
	in := tips.TransitionInput{Version: t.tip.Version, To: models.NextTipStatus(t.tip.Status)}
	switch in.To {
	case models.TipVerifying:
		if t.tip.BusinessID == nil {
			in.BusinessID = t.business.ID
		}
	case models.TipClassified:
		in.Type, in.Severity = t.typ, t.sev
	case models.TipHandled:
		in.Handling, in.Note, in.PublicResult = t.handling, t.note, publicResults[t.handling]
	}
	next, err := sim.svc.Transition(ctx, tipOfficer, t.tip.ID, in)
	if err != nil {
		return fmt.Errorf("tip %s to %s: %w", t.tip.ID, in.To, err)
	}
	t.tip = next
	return nil
}

// visit is the team's visit to the place of an urgent tip, at its time: the tip is handled by
// the inspection the day after, or referred to the police when the team could not inspect.
func (sim *tipSim) visit(ctx context.Context, t *simTip) error {
	task, err := sim.st.FindTaskByID(ctx, *t.tip.TaskID)
	if err != nil {
		return err
	}
	b, err := sim.st.FindBusinessByID(ctx, task.BusinessID)
	if err != nil {
		return err
	}
	start := t.visitAt.In(sim.loc)
	v, closed, ok := sim.ex.attend(task, b, models.DateOf(start), start)
	t.visited = true
	t.handleAt = t.visitAt.Add(time.Duration(16+t.rng.IntN(24)) * time.Hour)
	t.handling, t.note = "referred", "Cơ sở không cho kiểm tra hoặc đã đóng cửa: chuyển Công an phường tiếp tục xác minh."
	if !ok {
		return nil
	}
	if err := sim.st.ApplyVisits(ctx, actor, []models.Visit{v}); err != nil {
		return err
	}
	if closed {
		return sim.st.UpdateTaskStatus(ctx, actor, []string{task.ID}, models.TaskCancelled, nil)
	}
	if o := v.Inspection.Outcome; o == models.OutcomeCompliant || o == models.OutcomeViolation {
		t.handling, t.note = "inspection", "Đã kiểm tra cơ sở theo tin báo."
		if o == models.OutcomeViolation {
			t.note = "Đã kiểm tra cơ sở theo tin báo: phát hiện vi phạm, lập biên bản và hẹn kiểm tra lại."
		}
	}
	return nil
}

// tipTexts are what tips say, by type (%s: the business's name).
var tipTexts = []struct{ typ, text string }{
	{"prostitution", "Quán karaoke %s có tiếp viên ngồi cùng khách, nghi môi giới mại dâm vào buổi tối."},
	{"prostitution", "Cơ sở %s đóng cửa kín, nhân viên mời khách dùng \"dịch vụ thêm\" trong phòng riêng."},
	{"prostitution", "Tại %s có người đứng ngoài dẫn khách, nhiều cặp thuê phòng theo giờ trong đêm."},
	{"prostitution", "Khách vào %s được giới thiệu gái bán dâm, giá thỏa thuận qua điện thoại."},
	{"prostitution", "Nhân viên %s mặc phản cảm, ngồi cùng khách uống rượu đến khuya."},
	{"minors", "Nghi có nhân viên dưới 18 tuổi làm việc ca đêm tại %s."},
	{"drugs", "Khách tại %s sử dụng bóng cười, có mùi lạ, ồn ào sau 0 giờ."},
	{"trafficking", "Có phụ nữ từ nơi khác được đưa đến %s làm việc, nghi bị giữ giấy tờ tùy thân."},
	{"other", "Cơ sở %s hoạt động quá giờ quy định, gây mất trật tự khu dân cư."},
	{"other", "%s không treo biển hiệu, không niêm yết giá, khách ra vào thất thường."},
}

// referrers open the text of a tip another agency refers.
var referrers = []string{"Công an phường chuyển tin: ", "Ủy ban nhân dân xã chuyển tin: ", "Hội Liên hiệp Phụ nữ chuyển tin: ", "Đội Cảnh sát quản lý hành chính chuyển tin: "}

// referNotes and dismissNotes are the reasons an officer gives.
var (
	referNotes = []string{
		"Chuyển Công an phường xác minh, xử lý theo thẩm quyền.",
		"Đưa cơ sở vào danh sách kiểm tra của đoàn liên ngành quý tới.",
		"Chuyển Phòng Văn hóa - Xã hội xử lý vi phạm giờ hoạt động.",
	}
	dismissNotes = []string{
		"Đã xác minh, không phát hiện dấu hiệu vi phạm.",
		"Trùng với tin báo đã xử lý trước đó.",
		"Cơ sở đã ngừng hoạt động từ trước khi có tin báo.",
	}
)
