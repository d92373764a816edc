package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/unicode/norm"

	"kiemtra/geo"
	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/scheduler"
	"kiemtra/store"
	"kiemtra/store/storetest"
	"kiemtra/tips"
)

// publicTip posts the public form as JSON from an address (IPv4 or IPv6) and checks the answer
// against the contract.
func publicTip(t *testing.T, h *Server, ip, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", "/tip", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = net.JoinHostPort(ip, "40000")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	checkContract(t, req, []byte(body), w)
	return w
}

func TestTipFromThePublicFormToAnInspectionHandledInTime(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		env := newPlanServer(t, db)
		h := env.srv
		officer := &Principal{UserID: "u-tips", Username: "tips", Role: models.RoleTipOfficer, AreaCode: "92", AreaPath: "/92/"}
		planner := &Principal{UserID: "u-plan", Username: "planner", Role: models.RolePlanner, AreaCode: "92", AreaPath: "/92/"}

		// The public form: no sign-in; a flood from one address is stopped.
		body := `{"description":"Quán karaoke có tiếp viên dưới 18 tuổi phục vụ phòng kín","place":"Phường D11","contact":"0912 345 678"}`
		if w := publicTip(t, h, "203.0.113.7", body); w.Code != 202 || !strings.Contains(w.Body.String(), "received") {
			t.Fatalf("public tip: %d %s", w.Code, w.Body)
		}
		if w := publicTip(t, h, "203.0.113.8", `{"description":"ngắn","place":""}`); w.Code != 400 {
			t.Fatalf("a tip without a description: %d %s", w.Code, w.Body)
		}
		for i := 0; i < publicTipsPerHour; i++ {
			publicTip(t, h, "203.0.113.9", body)
		}
		if w := publicTip(t, h, "203.0.113.9", body); w.Code != 429 {
			t.Fatalf("the 6th tip in an hour from one address: %d", w.Code)
		}
		w := doAs(t, h, officer, "GET", "/api/v1/tips?status=received", "")
		var list struct {
			Items []TipView `json:"items"`
		}
		json.Unmarshal(w.Body.Bytes(), &list)
		if w.Code != 200 || len(list.Items) != 1+publicTipsPerHour || !list.Items[0].HasContact || strings.Contains(w.Body.String(), "0912") {
			t.Fatalf("tips for the tip officer: %d %s", w.Code, w.Body)
		}
		tip := list.Items[len(list.Items)-1]
		if tip.ReceivedBy != "public" || tip.Channel != "web" {
			t.Fatalf("a tip from the public form is received by %q on %q, want public on web", tip.ReceivedBy, tip.Channel)
		}
		if w := doAs(t, h, planner, "GET", "/api/v1/tips/"+tip.ID, ""); w.Code != 200 || strings.Contains(w.Body.String(), "0912") {
			t.Fatalf("a planner must not see the reporter's contact: %s", w.Body)
		}
		var stored models.Tip
		db.Gorm().Where("id = ?", tip.ID).Take(&stored)
		if strings.Contains(stored.ReporterContactEnc, "0912") || !strings.HasPrefix(stored.ReporterContactEnc, "v1:") {
			t.Fatalf("the contact is not sealed at rest: %q", stored.ReporterContactEnc)
		}

		// Skipping a step or going back is refused.
		if w := doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":1,"to":"classified","type":"minors","severity":"urgent"}`); w.Code != 400 || decodeError(t, w).Field != "to" {
			t.Fatalf("skipping verification: %d %s", w.Code, w.Body)
		}
		biz := firstBusinessIn(t, db, "D1")
		w = doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":1,"to":"verifying","business_id":"`+biz+`"}`)
		if w.Code != 200 {
			t.Fatalf("verify: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":2,"to":"received"}`); w.Code != 400 {
			t.Fatalf("going back: %d", w.Code)
		}
		if w := doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":1,"to":"classified","type":"minors","severity":"urgent"}`); w.Code != 409 {
			t.Fatalf("a stale version: %d", w.Code)
		}
		w = doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":2,"to":"classified","type":"minors","severity":"urgent"}`)
		var classified TipView
		json.Unmarshal(w.Body.Bytes(), &classified)
		if w.Code != 200 || classified.TaskID == nil {
			t.Fatalf("classify urgent: %d %s", w.Code, w.Body)
		}
		// The urgent task is released at once to the team of the business's district.
		task, err := db.FindTaskByID(ctx, *classified.TaskID)
		if err != nil {
			t.Fatal(err)
		}
		team, _ := db.FindTeamByID(ctx, *task.TeamID)
		if task.Status != models.TaskReleased || task.Reason != models.ReasonTip || team.AreaCode != "D1" || task.ReleasedOn != models.NewDate(2026, 3, 2) {
			t.Fatalf("urgent task %+v for team %s", task, team.AreaCode)
		}
		if w := doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":3,"to":"handled","handling":"inspection","public_result":"Đã kiểm tra cơ sở và xử lý vi phạm theo quy định."}`); w.Code != 400 {
			t.Fatalf("handled by an inspection that has no result: %d %s", w.Code, w.Body)
		}
		// The team sees it, goes and records a violation.
		member := &models.User{Username: "d1.1", Agency: models.AgencyLabour, Role: models.RoleInspector, AreaCode: "D1", TeamID: &team.ID, PasswordHash: "x"}
		if err := db.CreateUser(ctx, "t", member); err != nil {
			t.Fatal(err)
		}
		inspector := &Principal{UserID: member.ID, Username: "d1.1", Role: models.RoleInspector, AreaCode: "D1", AreaPath: "/92/D1/", TeamID: team.ID}
		w = doAs(t, h, inspector, "GET", "/api/v1/me/assignments", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), *classified.TaskID) || !strings.Contains(w.Body.String(), `"reason":"tip"`) {
			t.Fatalf("the team's day lacks the urgent task: %d %s", w.Code, w.Body)
		}
		cl, _ := refdata.Checklist()
		var answers []string
		for _, it := range cl.Items {
			for _, c := range it.Categories {
				if c == "karaoke" {
					a := "yes"
					if it.ID == "G03" {
						a = "no"
					}
					answers = append(answers, fmt.Sprintf(`{"item_id":%q,"answer":%q}`, it.ID, a))
				}
			}
		}
		// The clocks stand still at 09:00, when the task was made: the visit fits before the
		// allowed skew.
		start := planClock()
		result := fmt.Sprintf(`{"id":%q,"task_id":%q,"started_at":%q,"finished_at":%q,"outcome":"violation","checklist_version":1,"answers":[%s]}`,
			uuid.NewString(), *classified.TaskID, start.Format(time.RFC3339), start.Add(4*time.Minute).Format(time.RFC3339), strings.Join(answers, ","))
		if w := doAs(t, h, inspector, "POST", "/api/v1/inspections", result); w.Code != 201 {
			t.Fatalf("result: %d %s", w.Code, w.Body)
		}
		w = doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":3,"to":"handled","handling":"inspection","public_result":"Đã kiểm tra cơ sở và xử lý vi phạm theo quy định."}`)
		var handled TipView
		json.Unmarshal(w.Body.Bytes(), &handled)
		if w.Code != 200 || handled.Status != models.TipHandled || !handled.HandledInTime() {
			t.Fatalf("handled: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, officer, "POST", "/api/v1/tips/"+tip.ID+"/transition", `{"version":4,"to":"handled","handling":"dismissed","note":"x","public_result":"Chưa phát hiện vi phạm như tin báo."}`); w.Code != 409 {
			t.Fatalf("handling twice: %d", w.Code)
		}

		// A licensing check on the business shows the inspection and writes one audit event.
		b, _ := db.FindBusinessByID(ctx, biz)
		police := &Principal{UserID: "u-police", Username: "police", Role: models.RoleLicensingOfficer, AreaCode: "92", AreaPath: "/92/"}
		w = doAs(t, h, police, "GET", "/api/v1/licensing/check?licence_no="+strings.ToLower(b.Licence())+"&purpose=HS-2026-117", "")
		var rep struct {
			Summary     string `json:"summary"`
			Inspections []struct {
				Outcome string `json:"outcome"`
			} `json:"inspections"`
			Tips []map[string]any `json:"tips"`
		}
		json.Unmarshal(w.Body.Bytes(), &rep)
		if w.Code != 200 || rep.Summary != "open_violations" || len(rep.Inspections) != 1 || len(rep.Tips) != 1 || strings.Contains(w.Body.String(), "0912") {
			t.Fatalf("licensing check: %d %s", w.Code, w.Body)
		}
		events, _ := db.FindAuditEvents(ctx, models.AuditFilter{Action: "licensing_lookup", Actor: "police"})
		if len(events) != 1 || events[0].EntityID != biz || !strings.Contains(events[0].Details, "HS-2026-117") {
			t.Fatalf("lookup audit: %+v", events)
		}
		for _, who := range []*Principal{planner, inspector} {
			if w := doAs(t, h, who, "GET", "/api/v1/licensing/check?licence_no=L0001&purpose=x123", ""); w.Code != 403 {
				t.Fatalf("%s calling the licensing check: %d", who.Role, w.Code)
			}
		}
		if w := doAs(t, h, police, "GET", "/api/v1/licensing/check?licence_no=L0001", ""); w.Code != 400 || decodeError(t, w).Field != "purpose" {
			t.Fatalf("a check without purpose: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, police, "GET", "/api/v1/licensing/lookups", ""); w.Code != 200 || !strings.Contains(w.Body.String(), "HS-2026-117") {
			t.Fatalf("own lookups: %d %s", w.Code, w.Body)
		}
	})
}

func TestOverdueTipsAreEscalated(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newPlanServer(t, db) // the city and its teams
		if err := db.CreateUser(ctx, "t", &models.User{Username: "planner", Agency: models.AgencyLabour, Role: models.RolePlanner, AreaCode: "92", PasswordHash: "x"}); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)
		svc, err := tips.NewService(db, nil, tips.DeriveKey("k"), models.DefaultTipDeadlines(), func() time.Time { return now }, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		received := now.Add(-30 * time.Hour)
		late, _, err := svc.Create(ctx, "tips", tips.Input{Channel: "hotline", ReceivedAt: &received, Description: "Nghi có hoạt động mại dâm tại nhà nghỉ", Place: "Phường D11", Severity: "urgent"})
		if err != nil {
			t.Fatal(err)
		}
		fresh, _, err := svc.Create(ctx, "tips", tips.Input{Channel: "hotline", Description: "Tin báo mới, còn trong hạn xác minh", Place: "Phường D12"})
		if err != nil {
			t.Fatal(err)
		}
		job := &tips.EscalationJob{Service: svc}
		res, err := job.Run(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := db.FindTipByID(ctx, late.ID)
		if got.EscalatedAt == nil || got.EscalatedTo != "planner" {
			t.Fatalf("the overdue tip was not escalated (%s): %+v", res, got)
		}
		if g, _ := db.FindTipByID(ctx, fresh.ID); g.EscalatedAt != nil {
			t.Fatal("a tip within its deadline was escalated")
		}
		if res2, _ := job.Run(ctx, now.Add(time.Hour)); !strings.HasPrefix(res2, "0 ") {
			t.Fatalf("a second run escalated again: %s", res2)
		}
		_ = scheduler.Job(job)
	})
}

// countTips counts the stored tips.
func countTips(t *testing.T, db *store.DB) int {
	t.Helper()
	_, n, err := db.FindTips(context.Background(), models.TipFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// gate opens once want requests have either started reading their bodies or finished.
type gate struct {
	mu   sync.Mutex
	n    int
	want int
	open chan struct{}
}

func (g *gate) arrive() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n++; g.n == g.want {
		close(g.open)
	}
}

// gatedBody is a request body whose first read waits for the gate.
type gatedBody struct {
	g    *gate
	r    io.Reader
	once sync.Once
}

func (b *gatedBody) Read(p []byte) (int, error) {
	b.once.Do(func() {
		b.g.arrive()
		<-b.g.open
	})
	return b.r.Read(p)
}

const publicBody = `{"description":"Quán karaoke có tiếp viên dưới 18 tuổi phục vụ phòng kín","place":"Phường D11"}`

func TestPublicTipFormLimits(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		h := newPlanServer(t, db).srv

		// Addresses of one IPv6 /64 are one sender; the next /64 is another.
		for i := 1; i <= publicTipsPerHour; i++ {
			if w := publicTip(t, h, fmt.Sprintf("2001:db8:1:2::%x", i), publicBody); w.Code != 202 {
				t.Fatalf("tip %d from the /64: %d %s", i, w.Code, w.Body)
			}
		}
		w := publicTip(t, h, "2001:db8:1:2:ffff:ffff:ffff:ffff", publicBody)
		if w.Code != 429 || decodeError(t, w).Code != models.ERATELIMITED || w.Header().Get("Retry-After") != "3600" {
			t.Fatalf("a 6th tip from another address of the same /64: %d %s (Retry-After %q)", w.Code, w.Body, w.Header().Get("Retry-After"))
		}
		if w := publicTip(t, h, "2001:db8:1:3::1", publicBody); w.Code != 202 {
			t.Fatalf("a tip from the next /64: %d %s", w.Code, w.Body)
		}

		// Parallel tips from one address: exactly the allowance passes, even when every request
		// is let through the door before any body is read (a check now, a count later would let
		// them all in).
		const parallel = 3 * publicTipsPerHour
		codes := make(chan int, parallel)
		g := &gate{want: parallel, open: make(chan struct{})}
		var wg sync.WaitGroup
		for i := 0; i < parallel; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := &gatedBody{g: g, r: strings.NewReader(publicBody)}
				req := httptest.NewRequest("POST", "/tip", body)
				req.Header.Set("Content-Type", "application/json")
				req.RemoteAddr = "198.51.100.20:40000"
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				body.once.Do(g.arrive) // refused without reading its body
				codes <- w.Code
			}()
		}
		wg.Wait()
		close(codes)
		got := map[int]int{}
		for c := range codes {
			got[c]++
		}
		if got[202] != publicTipsPerHour || got[429] != parallel-publicTipsPerHour {
			t.Fatalf("%d parallel tips from one address answered %v, want %d accepted", parallel, got, publicTipsPerHour)
		}

		// A body over 32 KiB is refused before it is read.
		big := `{"description":"` + strings.Repeat("a", 33<<10) + `","place":"x"}`
		if w := publicTip(t, h, "198.51.100.21", big); w.Code != 413 {
			t.Fatalf("a 33 KiB tip: %d", w.Code)
		}
	})
}

func TestPublicTipFormCityWideCap(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		h := newPlanServer(t, db).srv
		// Tips from many addresses used the city's hour but one.
		for i := 0; i < publicTipsPerHourCity-1; i++ {
			if _, wait, err := h.tipCity.Take(context.Background(), publicTipCityKey); err != nil || wait > 0 {
				t.Fatalf("tip %d of the city's hour: wait %s, %v", i+1, wait, err)
			}
		}
		before := countTips(t, db)
		for i, tc := range []struct {
			name, body string
			code       int
			stored     int
		}{
			{"a bot's tip (the hidden field filled) is not counted", `{"description":"Quán karaoke có tiếp viên","place":"x","website":"http://spam"}`, 202, 0},
			{"an invalid tip is not counted", `{"description":"","place":"x"}`, 400, 0},
			{"the last tip of the hour is stored", publicBody, 202, 1},
			{"the next one, from a fresh address, waits", publicBody, 429, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := publicTip(t, h, fmt.Sprintf("192.0.2.%d", i+1), tc.body)
				if w.Code != tc.code {
					t.Fatalf("%d %s, want %d", w.Code, w.Body, tc.code)
				}
				if n := countTips(t, db); n != before+tc.stored {
					t.Fatalf("%d tips stored, want %d", n-before, tc.stored)
				}
				before += tc.stored
			})
		}
		if w := publicTip(t, h, "192.0.2.99", publicBody); w.Header().Get("Retry-After") == "" {
			t.Fatal("the city-wide refusal says no Retry-After")
		}
	})
}

// publicForm posts the public HTML form.
func publicForm(t *testing.T, h *Server, path, acceptLanguage string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("POST", path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if acceptLanguage != "" {
		req.Header.Set("Accept-Language", acceptLanguage)
	}
	req.RemoteAddr = "198.51.100.30:40000"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestPublicTipFormLanguage(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		h := newPlanServer(t, db).srv
		get := func(path, lang string) string {
			req := httptest.NewRequest("GET", path, nil)
			if lang != "" {
				req.Header.Set("Accept-Language", lang)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != 200 {
				t.Fatalf("GET %s: %d", path, w.Code)
			}
			return w.Body.String()
		}
		for _, tc := range []struct {
			name, path, lang string
			want, notWant    []string
		}{
			{"a Vietnamese page links to the English one", "/tip", "vi", []string{`href="/tip?lang=en"`, `action="/tip?lang=vi"`, "Gửi tin báo về vi phạm"}, []string{`href="/tip?lang=vi"`}},
			{"an English browser can get back to Vietnamese", "/tip", "en-US,en;q=0.9", []string{`href="/tip?lang=vi"`, `action="/tip?lang=en"`, "Tiếng Việt"}, []string{`href="/tip"`}},
			{"?lang=vi wins over an English browser", "/tip?lang=vi", "en", []string{`href="/tip?lang=en"`, `action="/tip?lang=vi"`}, nil},
			{"?lang=en wins over a Vietnamese browser", "/tip?lang=en", "vi", []string{`href="/tip?lang=vi"`, `action="/tip?lang=en"`}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				body := get(tc.path, tc.lang)
				for _, s := range tc.want {
					if !strings.Contains(body, s) {
						t.Errorf("the page lacks %s", s)
					}
				}
				for _, s := range tc.notWant {
					if strings.Contains(body, s) {
						t.Errorf("the page has %s", s)
					}
				}
				if !norm.NFC.IsNormalString(body) {
					t.Error("the page is not NFC")
				}
			})
		}

		// Problems name the fields as the form shows them, in the page's language.
		for _, tc := range []struct {
			name, path, lang string
			form             url.Values
			want, notWant    []string
		}{
			{"an empty description, in Vietnamese", "/tip?lang=vi", "", url.Values{"description": {""}, "place": {"Phường D11"}},
				[]string{"Mô tả: là bắt buộc"}, []string{"description:"}},
			{"an empty description, in English", "/tip?lang=en", "", url.Values{"description": {"   "}, "place": {"x"}},
				[]string{"Description: is required"}, []string{"description:"}},
			{"a description too short and no place", "/tip", "vi", url.Values{"description": {"ngắn"}},
				[]string{"Mô tả: quá ngắn để xử lý", "Địa điểm: cần cho biết ở đâu"}, []string{"place:"}},
			{"a contact too long", "/tip", "vi", url.Values{"description": {"Quán karaoke có tiếp viên nhỏ tuổi"}, "place": {"x"}, "contact": {strings.Repeat("9", 301)}},
				[]string{"Liên hệ: dài quá 300 ký tự"}, []string{"reporter_contact"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				n := countTips(t, db)
				w := publicForm(t, h, tc.path, tc.lang, tc.form)
				body := w.Body.String()
				if w.Code != 400 {
					t.Fatalf("%d, want 400", w.Code)
				}
				for _, s := range tc.want {
					if !strings.Contains(body, s) {
						t.Errorf("the page lacks %q", s)
					}
				}
				for _, s := range tc.notWant {
					if strings.Contains(body, s) {
						t.Errorf("the page shows the raw field %q", s)
					}
				}
				if !norm.NFC.IsNormalString(body) {
					t.Error("the page is not NFC")
				}
				if countTips(t, db) != n {
					t.Error("an invalid tip was stored")
				}
			})
		}

		// The JSON form names its own fields.
		w := publicTip(t, h, "198.51.100.31", `{"description":"Quán karaoke có tiếp viên nhỏ tuổi","place":"x","contact":"`+strings.Repeat("9", 301)+`"}`)
		if e := decodeError(t, w); w.Code != 400 || e.Field != "contact" {
			t.Fatalf("a long contact on the JSON form: %d %+v", w.Code, e)
		}
	})
}

func TestTipCreationIsIdempotent(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		h := newPlanServer(t, db).srv
		officer := &Principal{UserID: "u-tips", Username: "tips", Role: models.RoleTipOfficer, AreaCode: "92", AreaPath: "/92/"}
		other := &Principal{UserID: "u-tips2", Username: "tips2", Role: models.RoleTipOfficer, AreaCode: "92", AreaPath: "/92/"}
		id := uuid.NewString()
		body := func(id, desc string) string {
			return `{"id":"` + id + `","channel":"hotline","received_at":"2026-03-02T08:30:00.123456789+07:00","description":"` + desc + `","place":"Phường D11","reporter_contact":"0912 345 678"}`
		}
		desc := "Nhà nghỉ có dấu hiệu chứa mại dâm vào ban đêm"
		for _, tc := range []struct {
			name   string
			who    *Principal
			body   string
			code   int
			field  string
			stored int
		}{
			{"the first request creates the tip", officer, body(id, desc), 201, "", 1},
			{"a retry answers the stored tip", officer, body(id, desc), 200, "", 0},
			{"a retry in upper case is the same id", officer, body(strings.ToUpper(id), desc), 200, "", 0},
			{"different content under the same id is a conflict", officer, body(id, desc+" (sửa)"), 409, "", 0},
			{"the same body from another officer is a conflict", other, body(id, desc), 409, "", 0},
			{"a malformed id is refused", officer, body("tip-1", desc), 400, "id", 0},
			{"an id in braces is refused", officer, body("{"+uuid.NewString()+"}", desc), 400, "id", 0},
			{"an empty description is refused", officer, body(uuid.NewString(), "  "), 400, "description", 0},
			{"no id: a new tip every time", officer, `{"channel":"hotline","description":"` + desc + `","place":"Phường D11"}`, 201, "", 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				n := countTips(t, db)
				w := doAs(t, h, tc.who, "POST", "/api/v1/tips", tc.body)
				if w.Code != tc.code {
					t.Fatalf("%d %s, want %d", w.Code, w.Body, tc.code)
				}
				if tc.field != "" && decodeError(t, w).Field != tc.field {
					t.Fatalf("error on %q, want %q: %s", decodeError(t, w).Field, tc.field, w.Body)
				}
				if tc.code < 300 {
					var v TipView
					json.Unmarshal(w.Body.Bytes(), &v)
					if strings.Contains(tc.body, id) && v.ID != id || !v.HasContact && strings.Contains(tc.body, "reporter_contact") || strings.Contains(w.Body.String(), "0912") {
						t.Fatalf("answered %+v", v)
					}
				}
				if got := countTips(t, db) - n; got != tc.stored {
					t.Fatalf("%d tips stored, want %d", got, tc.stored)
				}
			})
		}
		events, _ := db.FindAuditEvents(context.Background(), models.AuditFilter{EntityType: "tip", EntityID: id})
		if len(events) != 1 || events[0].Action != "receive" {
			t.Fatalf("the retried tip's audit trail: %+v", events)
		}
		// Once verified (its business set), a retry still answers the stored tip.
		biz := firstBusinessIn(t, db, "D1")
		if w := doAs(t, h, officer, "POST", "/api/v1/tips/"+id+"/transition", `{"version":1,"to":"verifying","business_id":"`+biz+`"}`); w.Code != 200 {
			t.Fatalf("verify: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, officer, "POST", "/api/v1/tips", body(id, desc)); w.Code != 200 || !strings.Contains(w.Body.String(), `"status":"verifying"`) {
			t.Fatalf("a late retry: %d %s", w.Code, w.Body)
		}

		// The public JSON form: a retry with the sender's id is received again, stored once.
		pid := uuid.NewString()
		pbody := `{"id":"` + pid + `","description":"Quán karaoke có tiếp viên dưới 18 tuổi","place":"Phường D12"}`
		for i := 0; i < 2; i++ {
			if w := publicTip(t, h, "198.51.100.40", pbody); w.Code != 202 {
				t.Fatalf("public tip with an id, try %d: %d %s", i+1, w.Code, w.Body)
			}
		}
		if stored, err := db.FindTipByID(context.Background(), pid); err != nil || stored.ReceivedBy != "public" {
			t.Fatalf("the public tip with an id: %+v %v", stored, err)
		}
		if w := publicTip(t, h, "198.51.100.40", strings.Replace(pbody, "D12", "D21", 1)); w.Code != 409 {
			t.Fatalf("the same id with another place: %d %s", w.Code, w.Body)
		}
		if w := publicTip(t, h, "198.51.100.41", `{"id":"x","description":"Quán karaoke có tiếp viên dưới 18 tuổi","place":"x"}`); w.Code != 400 || decodeError(t, w).Field != "id" {
			t.Fatalf("a malformed id on the public form: %d %s", w.Code, w.Body)
		}
	})
}

func TestTipWithAnUnreadableContactIsListed(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := newPlanServer(t, db).srv
		officer := &Principal{UserID: "u-tips", Username: "tips", Role: models.RoleTipOfficer, AreaCode: "92", AreaPath: "/92/"}
		// A tip sealed with a key the service no longer has (the secret was rotated).
		old, err := tips.NewService(db, nil, tips.DeriveKey("the old secret"), models.DefaultTipDeadlines(), planClock, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		lost, _, err := old.Create(ctx, "tips", tips.Input{Channel: "hotline", Description: "Tin báo cũ, khóa đã đổi", Place: "x", ReporterContact: "0900 000 001"})
		if err != nil {
			t.Fatal(err)
		}
		if w := doAs(t, h, officer, "POST", "/api/v1/tips", `{"channel":"hotline","description":"Tin báo mới, khóa hiện tại","place":"x","reporter_contact":"0900 000 002"}`); w.Code != 201 {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
		for _, tc := range []struct {
			name, path string
		}{
			{"the list", "/api/v1/tips"},
			{"the tip", "/api/v1/tips/" + lost.ID},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := doAs(t, h, officer, "GET", tc.path, "")
				if w.Code != 200 {
					t.Fatalf("%d %s", w.Code, w.Body)
				}
				var views []TipView
				var list struct {
					Items []TipView `json:"items"`
				}
				if json.Unmarshal(w.Body.Bytes(), &list); list.Items != nil {
					views = list.Items
				} else {
					var v TipView
					json.Unmarshal(w.Body.Bytes(), &v)
					views = []TipView{v}
				}
				for _, v := range views {
					switch {
					case v.ID == lost.ID && (!v.ReporterContactUnavailable || !v.HasContact):
						t.Errorf("the unreadable contact: unavailable %v, has contact %v", v.ReporterContactUnavailable, v.HasContact)
					case v.ID != lost.ID && (v.ReporterContactUnavailable || !v.HasContact):
						t.Errorf("the readable contact: %+v", v)
					}
				}
			})
		}
		// Opening the unreadable contact says why, and is not recorded as read.
		w := doAs(t, h, officer, "POST", "/api/v1/tips/"+lost.ID+"/contact", "")
		if w.Code != 409 || strings.Contains(w.Body.String(), "0900") {
			t.Fatalf("opening an unreadable contact: %d %s", w.Code, w.Body)
		}
		if events, _ := db.FindAuditEvents(ctx, models.AuditFilter{EntityID: lost.ID, Action: models.TipActionContactRead}); len(events) != 0 {
			t.Fatalf("an unread contact audited as read: %+v", events)
		}
	})
}

// metresNorth moves a latitude about m metres north.
func metresNorth(lat, m float64) float64 { return lat + m/geo.EarthRadiusM*180/math.Pi }

func TestSimilarTipsAndMerging(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := newPlanServer(t, db).srv
		svc := mustTips(t, db, nil, planClock)
		officer := &Principal{UserID: "u-tips", Username: "tips", Role: models.RoleTipOfficer, AreaCode: "92", AreaPath: "/92/"}
		d1 := &Principal{UserID: "u-d1", Username: "d1.planner", Role: models.RolePlanner, AreaCode: "D1", AreaPath: "/92/D1/"}
		bizD1 := firstBusinessIn(t, db, "D11")
		bizD1b := firstBusinessIn(t, db, "D12")
		bizD2 := firstBusinessIn(t, db, "D21")
		const lat, lon = 10.03, 105.78
		mk := func(name, biz string, north float64, daysAgo int) string {
			t.Helper()
			la, lo := metresNorth(lat, north), lon
			at := planClock().Add(-time.Duration(daysAgo) * 24 * time.Hour)
			tip, _, err := svc.Create(ctx, "tips", tips.Input{Channel: "hotline", ReceivedAt: &at, Description: "Tin báo " + name + " về nhà nghỉ", BusinessID: biz, Lat: &la, Lon: &lo})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return tip.ID
		}
		base := mk("base", bizD1, 0, 0)
		ids := map[string]string{
			"40 m away":                    mk("40 m away", bizD1b, 40, 0),
			"60 m away":                    mk("60 m away", bizD1b, 60, 0),
			"29 days earlier":              mk("29 days earlier", bizD1b, 0, 29),
			"31 days earlier":              mk("31 days earlier", bizD1b, 0, 31),
			"the same business, 1 km away": mk("the same business, 1 km away", bizD1, 1000, 3),
			"another district, 10 m away":  mk("another district, 10 m away", bizD2, 10, 1),
		}
		similar := func(who *Principal, id string) map[string]bool {
			t.Helper()
			w := doAs(t, h, who, "GET", "/api/v1/tips/"+id+"/similar", "")
			if w.Code != 200 {
				t.Fatalf("similar as %s: %d %s", who.Username, w.Code, w.Body)
			}
			var list struct {
				Items []TipView `json:"items"`
			}
			json.Unmarshal(w.Body.Bytes(), &list)
			got := map[string]bool{}
			for _, it := range list.Items {
				if it.ID == base {
					got["base"] = true
				}
				for name, id := range ids {
					if id == it.ID {
						got[name] = true
					}
				}
			}
			return got
		}
		for _, tc := range []struct {
			name string
			who  *Principal
			want []string
		}{
			{"a tip officer sees every similar tip", officer, []string{"40 m away", "29 days earlier", "the same business, 1 km away", "another district, 10 m away"}},
			{"a district planner sees its district's only", d1, []string{"40 m away", "29 days earlier", "the same business, 1 km away"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := similar(tc.who, base)
				if len(got) != len(tc.want) {
					t.Errorf("similar: %v, want %v", got, tc.want)
				}
				for _, name := range tc.want {
					if !got[name] {
						t.Errorf("%s is not offered", name)
					}
				}
			})
		}
		if w := doAs(t, h, d1, "GET", "/api/v1/tips/"+ids["another district, 10 m away"]+"/similar", ""); w.Code != 404 {
			t.Fatalf("a district planner asking about another district's tip: %d", w.Code)
		}

		for _, tc := range []struct {
			name  string
			who   *Principal
			body  string
			code  int
			field string
		}{
			{"into is required", d1, `{"into":"","version":1}`, 400, "into"},
			{"into itself", d1, `{"into":"` + base + `","version":1}`, 400, "into"},
			{"into another district's tip, for a district planner", d1, `{"into":"` + ids["another district, 10 m away"] + `","version":1}`, 404, "into"},
			{"into a tip that does not exist", d1, `{"into":"` + uuid.NewString() + `","version":1}`, 404, "into"},
			{"into a tip 60 m away", d1, `{"into":"` + ids["60 m away"] + `","version":1}`, 400, "into"},
			{"into a tip 31 days older", d1, `{"into":"` + ids["31 days earlier"] + `","version":1}`, 400, "into"},
			{"with a stale version", d1, `{"into":"` + ids["40 m away"] + `","version":7}`, 409, ""},
			{"into a tip 40 m away", d1, `{"into":"` + ids["40 m away"] + `","version":1}`, 200, ""},
			{"twice", officer, `{"into":"` + ids["29 days earlier"] + `","version":2}`, 409, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := doAs(t, h, tc.who, "POST", "/api/v1/tips/"+base+"/merge", tc.body)
				if w.Code != tc.code {
					t.Fatalf("%d %s, want %d", w.Code, w.Body, tc.code)
				}
				if tc.field != "" && decodeError(t, w).Field != tc.field {
					t.Fatalf("error on %q, want %q", decodeError(t, w).Field, tc.field)
				}
			})
		}
		merged, _ := db.FindTipByID(ctx, base)
		if merged.Status != models.TipMerged || merged.MergedInto == nil || *merged.MergedInto != ids["40 m away"] {
			t.Fatalf("merged tip: %+v", merged)
		}
		if got := similar(officer, ids["40 m away"]); got["base"] || len(got) == 0 {
			t.Fatalf("a merged tip is still offered: %v", got)
		}
	})
}

func TestEscalationPerDeadlineAndToTheDistrictPlanner(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newPlanServer(t, db) // the city and its teams
		for _, u := range []struct{ name, area string }{{"city.planner", "92"}, {"d1.planner", "D1"}, {"d2.planner", "D2"}} {
			if err := db.CreateUser(ctx, "t", &models.User{Username: u.name, Agency: models.AgencyLabour, Role: models.RolePlanner, AreaCode: u.area, PasswordHash: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.CreateUser(ctx, "t", &models.User{Username: "d1.lead", Agency: models.AgencyLabour, Role: models.RoleTeamLead, AreaCode: "D1", PasswordHash: "x"}); err != nil {
			t.Fatal(err)
		}
		received := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		svc, err := tips.NewService(db, nil, tips.DeriveKey("k"), models.DefaultTipDeadlines(), func() time.Time { return received.Add(time.Minute) }, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		mk := func(biz, place string) *models.Tip {
			t.Helper()
			tip, _, err := svc.Create(ctx, "tips", tips.Input{Channel: "hotline", ReceivedAt: &received, Description: "Nghi có hoạt động mại dâm tại nhà nghỉ", BusinessID: biz, Place: place, Severity: "urgent"})
			if err != nil {
				t.Fatal(err)
			}
			return tip
		}
		inD1 := mk(firstBusinessIn(t, db, "D11"), "")
		inD2 := mk(firstBusinessIn(t, db, "D21"), "")
		nowhere := mk("", "không rõ địa chỉ")
		job := &tips.EscalationJob{Service: svc}
		deadlines := models.DefaultTipDeadlines()
		verifyDue, handleDue := received.Add(deadlines.Verify["urgent"]), received.Add(deadlines.Handle["urgent"])
		for _, tc := range []struct {
			name string
			at   time.Time
			want int // escalations in this run
		}{
			{"before any deadline nothing is escalated", verifyDue.Add(-time.Minute), 0},
			{"the verification deadline passed: escalated once", verifyDue.Add(time.Hour), 3},
			{"an hour later: not again", verifyDue.Add(2 * time.Hour), 0},
			{"still received when the handling deadline passes: escalated again", handleDue.Add(time.Hour), 3},
			{"an hour later: not again", handleDue.Add(2 * time.Hour), 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res, err := job.Run(ctx, tc.at)
				if err != nil {
					t.Fatal(err)
				}
				if want := fmt.Sprintf("%d ", tc.want); !strings.HasPrefix(res, want) {
					t.Fatalf("run at %s: %q, want %d escalations", tc.at, res, tc.want)
				}
			})
		}
		for _, tc := range []struct {
			name string
			tip  *models.Tip
			to   string
		}{
			{"a tip in district 1 goes to the city's and district 1's planners", inD1, "city.planner,d1.planner"},
			{"a tip in district 2 goes to the city's and district 2's planners", inD2, "city.planner,d2.planner"},
			{"a tip without a place goes to the city's planners", nowhere, "city.planner"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got, _ := db.FindTipByID(ctx, tc.tip.ID)
				if got.EscalatedTo != tc.to || got.EscalatedAt == nil || !got.EscalatedAt.Equal(handleDue.Add(time.Hour)) {
					t.Fatalf("escalated to %q at %v, want %q at the handling deadline's run", got.EscalatedTo, got.EscalatedAt, tc.to)
				}
				events, _ := db.FindAuditEvents(ctx, models.AuditFilter{EntityType: "tip", EntityID: tc.tip.ID, Action: "escalate"})
				if len(events) != 2 || !strings.Contains(events[0].Details, `"deadline":"handle"`) || !strings.Contains(events[1].Details, `"deadline":"verify"`) ||
					!strings.Contains(events[0].Details, tc.to) {
					t.Fatalf("escalations audited: %+v", events)
				}
			})
		}
	})
}

func TestLicensingLookupsArePaged(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := newPlanServer(t, db).srv
		police := &Principal{UserID: "u-police", Username: "police", Role: models.RoleLicensingOfficer, AreaCode: "92", AreaPath: "/92/"}
		admin := &Principal{UserID: "u-admin", Username: "admin", Role: models.RoleAdmin, AreaCode: "92", AreaPath: "/92/"}
		const own = lookupsPage + 5
		for i := 0; i < own; i++ {
			if err := db.RecordLookup(ctx, "police", nil, "L9999", fmt.Sprintf("HS-%03d", i)); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.RecordLookup(ctx, "other", nil, "L9999", "HS-other"); err != nil {
			t.Fatal(err)
		}
		type page struct {
			Items      []models.AuditEvent `json:"items"`
			NextBefore *int64              `json:"next_before"`
		}
		walk := func(who *Principal) (pages []int, seen map[int64]bool) {
			t.Helper()
			seen = map[int64]bool{}
			path := "/api/v1/licensing/lookups"
			for len(pages) < 10 {
				w := doAs(t, h, who, "GET", path, "")
				var p page
				if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &p) != nil {
					t.Fatalf("GET %s: %d %s", path, w.Code, w.Body)
				}
				pages = append(pages, len(p.Items))
				for i, e := range p.Items {
					if seen[e.ID] || i > 0 && e.ID >= p.Items[i-1].ID {
						t.Fatalf("lookup %d repeated or out of order", e.ID)
					}
					seen[e.ID] = true
				}
				if p.NextBefore == nil {
					return pages, seen
				}
				path = fmt.Sprintf("/api/v1/licensing/lookups?before=%d", *p.NextBefore)
			}
			t.Fatal("no last page")
			return nil, nil
		}
		for _, tc := range []struct {
			name  string
			who   *Principal
			pages []int
		}{
			{"an officer walks its own lookups", police, []int{lookupsPage, 5}},
			{"an admin walks everyone's", admin, []int{lookupsPage, 6}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				pages, seen := walk(tc.who)
				if fmt.Sprint(pages) != fmt.Sprint(tc.pages) {
					t.Fatalf("pages of %v, want %v (%d lookups)", pages, tc.pages, len(seen))
				}
			})
		}
		for _, bad := range []string{"abc", "0", "-3", "1.5"} {
			if w := doAs(t, h, police, "GET", "/api/v1/licensing/lookups?before="+bad, ""); w.Code != 400 || decodeError(t, w).Field != "before" {
				t.Fatalf("before=%s: %d %s", bad, w.Code, w.Body)
			}
		}
	})
}

// An urgent tip's visit goes to the most local team that has someone to send: with the
// district team's only inspector disabled it goes to the city team, and with nobody anywhere
// the classification is refused rather than given to an empty team.
func TestAnUrgentTipSkipsATeamWithNobodyToSend(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		newPlanServer(t, db)
		city := &models.Team{Name: "Đoàn thành phố", Level: models.TeamLevelCity, AreaCode: "92", BaseLat: 10, BaseLon: 105, WeeklyCapacity: 8}
		if err := db.CreateTeam(ctx, "t", city); err != nil {
			t.Fatal(err)
		}
		lead := &models.User{Username: "city-lead", Role: models.RoleTeamLead, Agency: models.AgencyPolice, AreaCode: "92", TeamID: &city.ID}
		if err := db.CreateUser(ctx, "t", lead); err != nil {
			t.Fatal(err)
		}
		svc, err := tips.NewService(db, nil, tips.DeriveKey("k"), models.DefaultTipDeadlines(), planClock, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		biz := firstBusinessIn(t, db, "D1")
		classify := func() (*models.Tip, error) {
			t.Helper()
			tip, _, err := svc.Create(ctx, "tips", tips.Input{Channel: "hotline", Description: "Quán karaoke có nhân viên dưới 18 tuổi", BusinessID: biz})
			if err != nil {
				t.Fatal(err)
			}
			if tip, err = svc.Transition(ctx, "tips", tip.ID, tips.TransitionInput{Version: tip.Version, To: "verifying", BusinessID: biz}); err != nil {
				t.Fatal(err)
			}
			return svc.Transition(ctx, "tips", tip.ID, tips.TransitionInput{Version: tip.Version, To: "classified", Type: "minors", Severity: "urgent"})
		}
		disable := func(username string) {
			t.Helper()
			if err := db.Gorm().Model(&models.User{}).Where("username = ?", username).Update("disabled", true).Error; err != nil {
				t.Fatal(err)
			}
		}
		teamOf := func(tip *models.Tip) string {
			t.Helper()
			task, err := db.FindTaskByID(ctx, *tip.TaskID)
			if err != nil {
				t.Fatal(err)
			}
			team, _ := db.FindTeamByID(ctx, *task.TeamID)
			return team.AreaCode
		}
		tip, err := classify()
		if err != nil || teamOf(tip) != "D1" {
			t.Fatalf("with the district team staffed: %v", err)
		}
		disable("insp-d1")
		if tip, err = classify(); err != nil || teamOf(tip) != "92" {
			t.Fatalf("with the district team empty: %v", err)
		}
		disable("city-lead")
		if _, err := classify(); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("with nobody to send: %v", err)
		}
	})
}
