package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"kiemtra/indicators"
	"kiemtra/models"
)

// IndicatorStore is what the demo's indicators read and write.
type IndicatorStore interface {
	indicators.Store
	CreateUser(ctx context.Context, actor string, u *models.User) error
}

// IndicatorOptions are the demo's indicator figures.
type IndicatorOptions struct {
	Seed     int64
	Today    models.Date
	Location *time.Location
	// Communes are the official codes of the communes whose reporting officers have accounts
	// (baocao.<code>); the other units' figures are retyped by the administrator from paper, as
	// the lead department did before kiemtra.
	Communes []string
}

// DemoCommunes are the official codes of the communes whose reporting officers the demo makes:
// the first three of the 2025 reorganisation.
func DemoCommunes(spec models.ReorgSpec) []string {
	var out []string
	for _, u := range spec.Units[:min(3, len(spec.Units))] {
		out = append(out, u.Code)
	}
	return out
}

// DepartmentReporters are the demo's reporting officers of the city departments.
func DepartmentReporters(city string) []Person {
	return []Person{
		{"baocao.congan", "Nguyễn Thị Báo Cáo", models.AgencyPolice, models.RoleReportingOfficer, city, ""},
		{"baocao.giaoduc", "Trần Văn Giáo Dục", models.AgencyEducation, models.RoleReportingOfficer, city, ""},
		{"baocao.bao", "Lê Thị Phóng Viên", "press", models.RoleReportingOfficer, city, ""},
		{"baocao.vanhoa", "Phạm Văn Văn Hóa", models.AgencyCulture, models.RoleReportingOfficer, city, ""},
	}
}

// Indicators stores both programmes' indicator sets and the figures the units and departments
// submitted until the day before opts.Today, through the indicator service (its checks, its
// versions, its locks), on the day each was sent: most on time and accepted by the lead
// department within days, some late with a reason, one returned and corrected; the current
// programme's figures in progress (one returned awaiting its correction, some awaiting review).
// It returns how many submissions it made. The same options give the same figures.
func Indicators(ctx context.Context, st IndicatorStore, opts IndicatorOptions) (int, error) {
	loc := opts.Location
	if loc == nil {
		loc = time.UTC
	}
	var clock time.Time
	svc := indicators.New(st, nil, func() time.Time { return clock }, loc)
	rng := rand.New(rand.NewPCG(uint64(opts.Seed), 0x1d1ca7))
	at := func(d models.Date) { clock = d.Time(loc).Add(9*time.Hour + time.Duration(rng.IntN(8*60))*time.Minute) }
	yesterday := opts.Today.AddDays(-1)

	admin := indicators.Caller{Username: "admin", Role: models.RoleAdmin}
	lead := indicators.Caller{Username: "planner", Role: models.RolePlanner, Agency: models.AgencyHealth, CityWide: true}
	dept := func(username, agency string) indicators.Caller {
		return indicators.Caller{Username: username, Role: models.RoleReportingOfficer, Agency: agency, CityWide: true, Covers: func(string) bool { return true }}
	}
	officers := map[string]string{} // area version code -> username
	var officerUnits []string
	var people []Person
	for _, code := range opts.Communes {
		a, err := st.FindAreaOn(ctx, code, yesterday)
		if err != nil {
			return 0, fmt.Errorf("commune %s: %w", code, err)
		}
		people = append(people, Person{"baocao." + code, officerName(200+len(people), 0), models.AgencyCommune, models.RoleReportingOfficer, a.Code, ""})
		officers[a.Code] = "baocao." + code
		officerUnits = append(officerUnits, a.Code)
	}
	city := ""
	if progs := Programmes(""); len(progs) > 0 {
		if p, err := st.FindProgrammeByID(ctx, progs[0].Code); err == nil && p.RootAreaCode != nil {
			city = *p.RootAreaCode
		}
	}
	people = append(people, DepartmentReporters(city)...)
	hashes, err := hashAll(len(people))
	if err != nil {
		return 0, err
	}
	for i, p := range people {
		if err := st.CreateUser(ctx, actor, &models.User{Username: p.Username, DisplayName: p.DisplayName, Agency: p.Agency, Role: p.Role, AreaCode: p.AreaCode, PasswordHash: hashes[i]}); err != nil {
			return 0, fmt.Errorf("user %s: %w", p.Username, err)
		}
	}
	paths := map[string]string{}
	commune := func(code string) indicators.Caller {
		path := paths[code]
		return indicators.Caller{Username: officers[code], Role: models.RoleReportingOfficer, Agency: models.AgencyCommune,
			Covers: func(p string) bool { return len(p) >= len(path) && p[:len(path)] == path }}
	}

	n := 0
	submit := func(day models.Date, c indicators.Caller, p *models.Programme, code string, in indicators.SubmitInput) (*models.IndicatorSubmission, error) {
		at(day)
		in.Programme = p.ID
		sub, _, err := svc.Submit(ctx, c, code, in)
		if err != nil {
			return nil, fmt.Errorf("%s %s %s: %w", code, in.Period, in.Unit, err)
		}
		n++
		return sub, nil
	}
	review := func(day models.Date, sub *models.IndicatorSubmission, accept bool, comment string) error {
		at(day)
		_, err := svc.Review(ctx, lead, sub.ID, accept, comment)
		return err
	}
	lateReasons := []string{
		"Báo cáo chậm do chờ tổng hợp số liệu từ các phường, xã.",
		"Gửi bổ sung do cán bộ phụ trách nghỉ phép, bàn giao chậm.",
		"Báo cáo chậm vì phải đối chiếu lại danh sách người tham dự.",
	}
	// send submits a figure on a day before its deadline, or after it (late, with a reason) for
	// about one in twelve, and has the lead department accept it a few days later; figures sent
	// in the last days before today still await review.
	send := func(c indicators.Caller, p *models.Programme, code string, per models.ReportingPeriod, in indicators.SubmitInput) error {
		if !per.End().Before(opts.Today) {
			return nil
		}
		dl := per.Deadline()
		day := dl.AddDays(-rng.IntN(14))
		if rng.IntN(12) == 0 {
			day = dl.AddDays(2 + rng.IntN(18))
			in.Reason = lateReasons[rng.IntN(len(lateReasons))]
		}
		if day.Before(per.End().AddDays(1)) {
			day = per.End().AddDays(1)
		}
		if !day.Before(opts.Today) {
			day = yesterday
			in.Reason = ""
			if per.Locked(day) {
				in.Reason = lateReasons[0]
			}
		}
		if c.Role == models.RoleReportingOfficer && c.Username == "" {
			c = admin
		}
		in.Period = per.String()
		sub, err := submit(day, c, p, code, in)
		if err != nil {
			return err
		}
		rd := day.AddDays(2 + rng.IntN(6))
		if rd.Before(opts.Today) {
			return review(rd, sub, true, "")
		}
		return nil
	}
	share := func(num, den int) (*float64, *float64) { a, b := float64(num), float64(den); return &a, &b }
	count := func(v int) *float64 { x := float64(v); return &x }
	narratives := []string{
		"Phối hợp Mặt trận và các đoàn thể tổ chức tuyên truyền lưu động, phát tờ rơi tại chợ và khu nhà trọ.",
		"Lồng ghép nội dung phòng, chống mại dâm trong các buổi sinh hoạt tổ dân phố và họp dân.",
		"Tổ chức hội nghị tuyên truyền cho chủ cơ sở kinh doanh dịch vụ và người lao động.",
		"Phát thanh trên hệ thống loa truyền thanh cơ sở mỗi tuần hai lần.",
	}

	for _, spec := range Programmes("") {
		p, err := st.FindProgrammeByID(ctx, spec.Code)
		if err != nil {
			return n, fmt.Errorf("programme %s: %w", spec.Code, err)
		}
		if opts.Today.Before(p.StartsOn) {
			continue
		}
		set, err := svc.SaveSet(ctx, "planner", p, 0, indicators.DefaultSet(p))
		if err != nil {
			return n, fmt.Errorf("indicator set of %s: %w", p.Code, err)
		}
		ind := map[string]*models.Indicator{}
		for _, i := range set.Indicators {
			ind[i.Code] = i
		}
		end := p.EndsOn
		if yesterday.Before(end) {
			end = yesterday
		}
		current := !p.EndsOn.Before(opts.Today)
		// The local units: each half-year's outreach over their wards (districts) or one commune,
		// and each year's own plan and officials trained.
		for _, kind := range []string{models.PeriodHalf, models.PeriodYear} {
			for _, per := range models.PeriodsIn(kind, p.StartsOn, end) {
				code := "outreach_communes"
				if kind == models.PeriodYear {
					code = "local_plans"
				}
				units, err := svc.Units(ctx, p, ind[code], per)
				if err != nil {
					return n, err
				}
				for i, u := range units {
					paths[u.Code] = u.Path
					_, hasOfficer := officers[u.Code]
					// After 2025 the city has 103 communes: the demo's figures come from a dozen of them.
					if len(units) > 20 && i%9 != 0 && !hasOfficer {
						continue
					}
					c := commune(u.Code)
					// A district's outreach counts its wards; a commune is one unit.
					den := 1
					if kind == models.PeriodHalf && len(units) <= 20 {
						wards, _, err := st.FindAreas(ctx, models.AreaFilter{On: per.End(), Under: u.Code, NoGeometry: true})
						if err != nil {
							return n, err
						}
						den = max(len(wards)-1, 1)
					}
					if kind == models.PeriodHalf {
						num := min(den, den*(6+rng.IntN(5))/10+rng.IntN(2))
						nu, de := share(num, den)
						if err := send(c, p, code, per, indicators.SubmitInput{Unit: u.Code, Numerator: nu, Denominator: de, Narrative: narratives[rng.IntN(len(narratives))]}); err != nil {
							return n, err
						}
						continue
					}
					has := 1
					if rng.IntN(10) == 0 {
						has = 0
					}
					nu, de := share(has, 1)
					if err := send(c, p, code, per, indicators.SubmitInput{Unit: u.Code, Numerator: nu, Denominator: de}); err != nil {
						return n, err
					}
					total := 8 + 4*den + rng.IntN(10)
					nu, de = share(total*(45+rng.IntN(40))/100, total)
					if err := send(c, p, "officials_trained_local", per, indicators.SubmitInput{Unit: u.Code, Numerator: nu, Denominator: de,
						Narrative: "Cử cán bộ tham dự lớp tập huấn nghiệp vụ phòng, chống tệ nạn xã hội của thành phố."}); err != nil {
						return n, err
					}
				}
			}
		}
		// The departments: officials trained each year, the press every month, students each
		// half-year, support services each half-year.
		for _, per := range models.PeriodsIn(models.PeriodYear, p.StartsOn, end) {
			for _, a := range []struct{ user, agency string }{{"baocao.congan", models.AgencyPolice}, {"baocao.vanhoa", models.AgencyCulture}, {"baocao.giaoduc", models.AgencyEducation}, {"", models.AgencyHealth}, {"", models.AgencyJustice}} {
				c := dept(a.user, a.agency)
				if a.user == "" {
					c = admin
				}
				total := 40 + rng.IntN(120)
				nu, de := share(total*(60+rng.IntN(35))/100, total)
				if err := send(c, p, "officials_trained_city", per, indicators.SubmitInput{Unit: a.agency, Numerator: nu, Denominator: de,
					Narrative: "Tổ chức tập huấn chuyên đề cho cán bộ làm công tác phòng, chống mại dâm của ngành."}); err != nil {
					return n, err
				}
			}
		}
		for _, per := range models.PeriodsIn(models.PeriodMonth, p.StartsOn, end) {
			items := rng.IntN(5)
			if err := send(dept("baocao.bao", "press"), p, "press_news", per, indicators.SubmitInput{Unit: "press", Value: count(items),
				Narrative: fmt.Sprintf("%d tin, bài về phòng, chống mại dâm trên báo in, báo điện tử và chương trình thời sự.", items)}); err != nil {
				return n, err
			}
		}
		for _, per := range models.PeriodsIn(models.PeriodHalf, p.StartsOn, end) {
			students := 82000 + rng.IntN(9000)
			nu, de := share(students*(62+rng.IntN(30))/100, students)
			if err := send(dept("baocao.giaoduc", models.AgencyEducation), p, "students_reached", per, indicators.SubmitInput{Unit: models.AgencyEducation, Numerator: nu, Denominator: de,
				Narrative: "Lồng ghép nội dung phòng, chống tệ nạn xã hội trong hoạt động trải nghiệm, ngoài giờ lên lớp."}); err != nil {
				return n, err
			}
			support := ind["support_services"]
			need := 30 + rng.IntN(40)
			nu, de = share(need*(40+rng.IntN(40))/100, need)
			if err := send(admin, p, "support_services", per, indicators.SubmitInput{Unit: support.Agency, Numerator: nu, Denominator: de,
				Narrative: "Tư vấn, hỗ trợ y tế, học nghề và giới thiệu việc làm cho người bán dâm có nhu cầu."}); err != nil {
				return n, err
			}
		}
		if !current {
			// One returned and corrected: a district's denominator did not count its wards.
			per := models.ReportingPeriod{Kind: models.PeriodHalf, Year: 2024, N: 2}
			units, err := svc.Units(ctx, p, ind["local_integration"], per)
			if err != nil || len(units) == 0 {
				return n, err
			}
			u := units[len(units)/2]
			nu, de := share(5, 5)
			sub, err := submit(per.Deadline().AddDays(-6), admin, p, "workers_reached", indicators.SubmitInput{Period: per.String(), Unit: u.Code, Numerator: nu, Denominator: de,
				Narrative: "Tuyên truyền cho người lao động tại 5 cơ sở karaoke, xoa bóp."})
			if err != nil {
				return n, err
			}
			if err := review(per.Deadline().AddDays(-3), sub, false, "Tử số và mẫu số phải là số người lao động, không phải số cơ sở: đề nghị bổ sung."); err != nil {
				return n, err
			}
			nu, de = share(61, 84)
			sub, err = submit(per.Deadline().AddDays(-1), admin, p, "workers_reached", indicators.SubmitInput{Period: per.String(), Unit: u.Code, Numerator: nu, Denominator: de,
				Narrative: "Tuyên truyền cho 61 trong số 84 người lao động tại 5 cơ sở karaoke, xoa bóp."})
			if err != nil {
				return n, err
			}
			if err := review(per.Deadline().AddDays(2), sub, true, ""); err != nil {
				return n, err
			}
			continue
		}
		// The current programme: the first half-year's outreach of one commune returned, its
		// officer still to correct it.
		h1 := models.ReportingPeriod{Kind: models.PeriodHalf, Year: p.StartsOn.Year, N: 1}
		for _, code := range officerUnits {
			if !h1.End().Before(opts.Today) {
				break
			}
			subs, err := st.FindSubmissions(ctx, models.SubmissionFilter{ProgrammeID: p.ID, IndicatorCode: "outreach_communes", Period: h1.String(), Unit: code})
			if err != nil {
				return n, err
			}
			if len(subs) == 0 {
				continue
			}
			sub := subs[len(subs)-1]
			if sub.State == models.SubmissionAccepted {
				// Accepted already: a correction sent after the lock, with its reason, returned.
				nu, de := share(1, 1)
				sub, err = submit(yesterday.AddDays(-3), commune(code), p, "outreach_communes", indicators.SubmitInput{Period: h1.String(), Unit: code, Numerator: nu, Denominator: de,
					Reason: "Bổ sung buổi tuyên truyền tại khu nhà trọ chưa được báo cáo."})
				if err != nil {
					return n, err
				}
			}
			if err := review(yesterday.AddDays(-1), sub, false, "Đề nghị đính kèm biên bản hoặc danh sách người tham dự buổi tuyên truyền."); err != nil {
				return n, err
			}
			break
		}
	}
	return n, nil
}
