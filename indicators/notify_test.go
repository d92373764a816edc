package indicators_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"kiemtra/indicators"
	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// notifyFixture is a city of two districts with a programme from 2026, the reporting officers
// of each district (and a disabled one of D1), a city-wide officer of the education department
// and a district planner, at a clock the test moves.
type notifyFixture struct {
	db    *store.DB
	svc   *indicators.Service
	job   *indicators.DueJob
	clock *time.Time
	prog  *models.Programme
	users map[string]*models.User
}

func newNotifyFixture(t *testing.T, db *store.DB) *notifyFixture {
	t.Helper()
	ctx := context.Background()
	p := func(s string) *string { return &s }
	if err := db.UpsertAreas(ctx, "t", []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity},
		{Code: "D1", ParentCode: p("92"), Name: "Ninh Kiều", TypeName: "Quận", Level: models.AreaLevelDistrict},
		{Code: "D2", ParentCode: p("92"), Name: "Cái Răng", TypeName: "Quận", Level: models.AreaLevelDistrict}}); err != nil {
		t.Fatal(err)
	}
	prog := &models.Programme{Code: "P", Name: "Chương trình P", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31), RootAreaCode: p("92")}
	prog.ApplyDefaults()
	if err := db.CreateProgramme(ctx, "t", prog); err != nil {
		t.Fatal(err)
	}
	f := &notifyFixture{db: db, prog: prog, users: map[string]*models.User{}}
	clock := time.Date(2026, 7, 5, 1, 0, 0, 0, time.UTC)
	f.clock = &clock
	f.svc = indicators.New(db, nil, func() time.Time { return *f.clock }, time.UTC)
	f.job = &indicators.DueJob{Service: f.svc, Store: db}
	for _, u := range []*models.User{
		{Username: "d1", Role: models.RoleReportingOfficer, Agency: models.AgencyCommune, AreaCode: "D1"},
		{Username: "d1.old", Role: models.RoleReportingOfficer, Agency: models.AgencyCommune, AreaCode: "D1", Disabled: true},
		{Username: "d2", Role: models.RoleReportingOfficer, Agency: models.AgencyCommune, AreaCode: "D2"},
		{Username: "edu", Role: models.RoleReportingOfficer, Agency: models.AgencyEducation, AreaCode: "92"},
		{Username: "plan.d1", Role: models.RolePlanner, Agency: models.AgencyHealth, AreaCode: "D1"},
	} {
		if err := db.CreateUser(ctx, "t", u); err != nil {
			t.Fatal(err)
		}
		f.users[u.Username] = u
	}
	return f
}

func (f *notifyFixture) set(t *testing.T, at time.Time) { *f.clock = at }

func (f *notifyFixture) officer(name, unitPath string) indicators.Caller {
	u := f.users[name]
	return indicators.OfficerCaller(u, unitPath)
}

func (f *notifyFixture) submit(t *testing.T, who indicators.Caller, code, unit string) *models.IndicatorSubmission {
	t.Helper()
	n, d := 5.0, 8.0
	sub, _, err := f.svc.Submit(context.Background(), who, code, indicators.SubmitInput{Programme: "P", Period: "2026-H1", Unit: unit, Numerator: &n, Denominator: &d})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// notes lists the notifications of kind as "user event-key" (one per channel collapsed), and
// checks that each event reaches its user on every office channel.
func (f *notifyFixture) notes(t *testing.T, kind string) []string {
	t.Helper()
	list, err := f.db.FindNotifications(context.Background(), models.NotificationFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, u := range f.users {
		names[u.ID] = u.Username
	}
	channels := map[string]int{}
	for _, n := range list {
		if n.Kind == kind {
			channels[names[n.UserID]+" "+n.EventKey]++
		}
	}
	out := []string{}
	for k, n := range channels {
		if n != len(models.OfficeChannels) {
			t.Errorf("%s is on %d channels, want %d", k, n, len(models.OfficeChannels))
		}
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestFiguresDueAreNotifiedOncePerUnitPeriodAndPhase(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newNotifyFixture(t, db)
		id := f.prog.ID
		// D2 has sent both of its half-year figures; D1 and the education department have not.
		d2 := f.officer("d2", "/92/D2/")
		f.submit(t, d2, "outreach_communes", "D2")
		f.submit(t, d2, "workers_reached", "D2")

		// 5 July: the half-year's deadline (15 July) is ten days away. Five units owe figures
		// (D1, four departments; the press the months of May, late, and June), of which D1 and
		// the education department have officers with an account.
		run := func(want string) {
			t.Helper()
			res, err := f.job.Run(ctx, *f.clock)
			if err != nil || res != want {
				t.Fatalf("run: %q %v, want %q", res, err, want)
			}
		}
		run("5 units owe figures")
		soon := []string{"d1 submission_due:" + id + ":2026-H1:D1:soon", "edu submission_due:" + id + ":2026-H1:education:soon"}
		if got := f.notes(t, models.NotifySubmissionDue); strings.Join(got, "|") != strings.Join(soon, "|") {
			t.Fatalf("notified %v, want %v", got, soon)
		}
		list, err := db.FindNotifications(ctx, models.NotificationFilter{UserID: f.users["d1"].ID, Channel: models.ChannelInApp})
		if err != nil || len(list) != 1 {
			t.Fatalf("d1's in-app notifications: %d %v", len(list), err)
		}
		want := models.NotificationParams{"programme_id": id, "programme_name": "Chương trình P", "period": "2026-H1", "unit": "D1", "unit_name": "Quận Ninh Kiều",
			"due": "2026-07-15", "phase": "soon", "figures": "2"}
		for k, v := range want {
			if list[0].Params[k] != v {
				t.Errorf("param %s = %q, want %q", k, list[0].Params[k], v)
			}
		}
		if list[0].Link != "/office/#/indicators/owed?period=2026-H1" {
			t.Errorf("link %s", list[0].Link)
		}

		// The job runs again that night and the next day: nobody is told twice.
		run("5 units owe figures")
		f.set(t, f.clock.AddDate(0, 0, 1))
		run("5 units owe figures")
		if got := f.notes(t, models.NotifySubmissionDue); len(got) != 2 {
			t.Fatalf("after three runs: %v", got)
		}

		// 16 July: the deadline passed. D1 and the department are told once more, as late.
		f.set(t, time.Date(2026, 7, 16, 1, 0, 0, 0, time.UTC))
		run("5 units owe figures")
		run("5 units owe figures")
		late := append(soon, "d1 submission_due:"+id+":2026-H1:D1:late", "edu submission_due:"+id+":2026-H1:education:late")
		sort.Strings(late)
		if got := f.notes(t, models.NotifySubmissionDue); strings.Join(got, "|") != strings.Join(late, "|") {
			t.Fatalf("notified %v, want %v", got, late)
		}
	})
}

func TestAReturnedFigureNotifiesItsUnitInTheReturnsTransaction(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newNotifyFixture(t, db)
		lead := indicators.Caller{Username: "lead", Role: models.RolePlanner, Agency: models.AgencyHealth, CityWide: true}
		sub := f.submit(t, f.officer("d1", "/92/D1/"), "outreach_communes", "D1")
		comment := "Số liệu của phường An Hòa chưa khớp, liên hệ ông Nguyễn Văn A 0912 345 678"

		// A notification that cannot be written undoes the return with it.
		clash := &models.Notification{ID: "N1", UserID: f.users["d2"].ID, Channel: models.ChannelInApp, Kind: models.NotifyTeamDay, EventKey: "clash"}
		if err := db.EnqueueNotifications(ctx, []*models.Notification{clash}); err != nil {
			t.Fatal(err)
		}
		again := &models.Notification{ID: "N1", UserID: f.users["d1"].ID, Channel: models.ChannelInApp, Kind: models.NotifySubmissionReturned, EventKey: "other"}
		if _, err := db.ReviewSubmission(ctx, "lead", sub.ID, models.SubmissionReturned, comment, again); err == nil {
			t.Fatal("a return whose notification cannot be written succeeded")
		}
		if got, err := db.FindSubmissionByID(ctx, sub.ID); err != nil || got.State != models.SubmissionSubmitted {
			t.Fatalf("after the failed return: %+v %v", got, err)
		}
		if got := f.notes(t, models.NotifySubmissionReturned); len(got) != 0 {
			t.Fatalf("the failed return notified %v", got)
		}

		// The lead department returns it: D1's officer is told (not the disabled one, not D2's,
		// not the planner), on every office channel.
		if _, err := f.svc.Review(ctx, lead, sub.ID, false, comment); err != nil {
			t.Fatal(err)
		}
		want := []string{"d1 submission_returned:" + sub.ID}
		if got := f.notes(t, models.NotifySubmissionReturned); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("notified %v, want %v", got, want)
		}
		list, err := db.FindNotifications(ctx, models.NotificationFilter{UserID: f.users["d1"].ID, Channel: models.ChannelEmail})
		if err != nil || len(list) != 1 {
			t.Fatalf("d1's e-mails: %d %v", len(list), err)
		}
		n := list[0]
		if n.Link != "/office/#/indicators/s/"+sub.ID || n.Params["indicator"] != "outreach_communes" || n.Params["unit_name"] != "Quận Ninh Kiều" ||
			n.Params["period"] != "2026-H1" || n.Params["due"] != "2026-07-15" || n.Params["version"] != "1" || n.Params["submission_id"] != sub.ID {
			t.Errorf("%s %v", n.Link, n.Params)
		}
		for k, v := range n.Params {
			if strings.Contains(v, "0912") || strings.Contains(v, "Nguyễn Văn A") {
				t.Errorf("param %s carries the reviewer's comment: %q", k, v)
			}
		}

		// Returning it again fails (it is no longer awaiting review) and notifies nobody more.
		if _, err := f.svc.Review(ctx, lead, sub.ID, false, "again"); models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("a second return: %v", err)
		}
		if n := len(f.notes(t, models.NotifySubmissionReturned)); n != 1 {
			t.Fatalf("%d events after the second return", n)
		}

		// An accepted figure notifies nobody.
		sub2 := f.submit(t, f.officer("d2", "/92/D2/"), "outreach_communes", "D2")
		if _, err := f.svc.Review(ctx, lead, sub2.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		if n := len(f.notes(t, models.NotifySubmissionReturned)); n != 1 {
			t.Fatalf("%d events after an acceptance", n)
		}
	})
}
