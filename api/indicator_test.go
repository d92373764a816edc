package api

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"kiemtra/indicators"
	"kiemtra/models"
	"kiemtra/report"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

type errBody struct {
	Error struct {
		Code  string `json:"code"`
		Field string `json:"field"`
	} `json:"error"`
}

func fieldOf(t *testing.T, body string) (code, field string) {
	t.Helper()
	var e errBody
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return e.Error.Code, e.Error.Field
}

// TestIndicatorSubmissionsThroughTheAPI runs the bad inputs and a figure's whole review
// (submit, return, correct, accept) through the API, and checks the progress against the
// submitted figures and the period report's inspection figures.
func TestIndicatorSubmissionsThroughTheAPI(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		env := newPlanServer(t, db)
		reports := newReportService(t, db)
		h := env.srv
		h.reports = reports
		h.indicators = indicators.New(db, reports, planClock, time.UTC)
		h.indicatorStore = db
		lead := &Principal{UserID: "l", Username: "lead", Role: models.RolePlanner, Agency: models.AgencyHealth, AreaCode: "92", AreaPath: "/92/"}
		police := &Principal{UserID: "pp", Username: "police-planner", Role: models.RolePlanner, Agency: models.AgencyPolice, AreaCode: "92", AreaPath: "/92/"}
		d1 := &Principal{UserID: "o1", Username: "ubnd-d1", Role: models.RoleReportingOfficer, Agency: models.AgencyCommune, AreaCode: "D1", AreaPath: "/92/D1/"}
		press := &Principal{UserID: "pr", Username: "bao", Role: models.RoleReportingOfficer, Agency: "press", AreaCode: "92", AreaPath: "/92/"}
		if w := doAs(t, h, lead, "POST", "/api/v1/programmes", `{"code":"P","name":"Chương trình 2026-2030","starts_on":"2026-01-01","ends_on":"2030-12-31","root_area_code":"92"}`); w.Code != 201 {
			t.Fatalf("programme: %d %s", w.Code, w.Body)
		}
		// Two inspections in February in D1.
		bs, _, _ := db.FindBusinesses(ctx, models.BusinessFilter{Area: "D1", Limit: 2})
		at := time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC)
		var visits []models.Visit
		for _, b := range bs {
			visits = append(visits, models.Visit{Inspection: &models.Inspection{BusinessID: b.ID, StartedAt: at.Add(-time.Hour), FinishedAt: at, Outcome: models.OutcomeCompliant}})
		}
		if err := db.ApplyVisits(ctx, "t", visits); err != nil {
			t.Fatal(err)
		}

		t.Run("the set is the plan's targets until edited", func(t *testing.T) {
			w := doAs(t, h, d1, "GET", "/api/v1/programmes/P/indicators", "")
			var set models.IndicatorSet
			if err := json.Unmarshal(w.Body.Bytes(), &set); err != nil || w.Code != 200 || set.Version != 0 || len(set.Indicators) != 15 {
				t.Fatalf("%d %v %+v", w.Code, err, set)
			}
			if set.Indicators[0].Code != "outreach_communes" || set.Indicators[0].TargetMin != 0.7 || set.Indicators[0].Level != models.IndicatorLevelCommune {
				t.Errorf("first indicator %+v", set.Indicators[0])
			}
		})
		t.Run("the report's difficulties and proposals", func(t *testing.T) {
			const url = "/api/v1/indicators/report-notes?programme=P&period=2026-Q1"
			if w := doAs(t, h, d1, "GET", url, ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"version":0`) || !strings.Contains(w.Body.String(), `"difficulties":[]`) {
				t.Fatalf("notes never written: %d %s", w.Code, w.Body)
			}
			for _, tc := range []struct{ name, body, field string }{
				{"an empty item", `{"version":0,"difficulties":["Thiếu kinh phí", "  "]}`, "difficulties[1]"},
				{"too long an item", `{"version":0,"proposals":["` + strings.Repeat("a", 1001) + `"]}`, "proposals[0]"},
				{"a NUL", `{"version":0,"difficulties":["Thiếu\u0000 kinh phí"]}`, "difficulties[0]"},
				{"too many items", `{"version":0,"proposals":[` + strings.TrimSuffix(strings.Repeat(`"x",`, 21), ",") + `]}`, "proposals"},
			} {
				if w := doAs(t, h, lead, "PUT", url, tc.body); w.Code != 400 || !strings.Contains(w.Body.String(), `"`+tc.field+`"`) {
					t.Errorf("%s: %d %s", tc.name, w.Code, w.Body)
				}
			}
			if w := doAs(t, h, d1, "PUT", url, `{"version":0,"difficulties":["x"]}`); w.Code != 403 {
				t.Errorf("a commune's officer writes the city's report: %d %s", w.Code, w.Body)
			}
			body := `{"version":0,"difficulties":["  Kinh phí tuyên truyền còn hạn chế. "],"proposals":["Tăng cường phối hợp liên ngành."]}`
			w := doAs(t, h, lead, "PUT", url, body)
			if w.Code != 200 || !strings.Contains(w.Body.String(), `"difficulties":["Kinh phí tuyên truyền còn hạn chế."]`) || !strings.Contains(w.Body.String(), `"version":1`) {
				t.Fatalf("save: %d %s", w.Code, w.Body)
			}
			if w := doAs(t, h, lead, "PUT", url, body); w.Code != 409 {
				t.Errorf("a save from the same version again: %d %s", w.Code, w.Body)
			}
			if w := doAs(t, h, d1, "GET", url, ""); !strings.Contains(w.Body.String(), "Tăng cường phối hợp liên ngành.") {
				t.Errorf("read back: %s", w.Body)
			}
		})
		post := func(p *Principal, code, body string) (int, string) {
			w := doAs(t, h, p, "POST", "/api/v1/indicators/"+code+"/submissions", body)
			return w.Code, w.Body.String()
		}
		for _, tc := range []struct {
			name        string
			p           *Principal
			code, body  string
			status      int
			field, kind string
		}{
			{"a unit the officer does not own is forbidden", d1, "outreach_communes", `{"programme":"P","period":"2026-H1","unit":"D2","numerator":1,"denominator":2}`, 403, "unit", "forbidden"},
			{"a share above 100% names the numerator", d1, "outreach_communes", `{"programme":"P","period":"2026-H1","unit":"D1","numerator":3,"denominator":2}`, 400, "numerator", "invalid"},
			{"a denominator of 0 names it", d1, "outreach_communes", `{"programme":"P","period":"2026-H1","unit":"D1","numerator":0,"denominator":0}`, 400, "denominator", "invalid"},
			{"a quarter for a half-yearly indicator names the period", d1, "outreach_communes", `{"programme":"P","period":"2026-Q1","unit":"D1","numerator":1,"denominator":2}`, 400, "period", "invalid"},
			{"a figure after the lock without a reason names the reason", press, "press_news", `{"programme":"P","period":"2026-01","unit":"press","value":3}`, 400, "reason", "invalid"},
			{"a local unit's figure by a department's city-wide officer is forbidden", press, "outreach_communes", `{"programme":"P","period":"2026-H1","unit":"D2","numerator":1,"denominator":2}`, 403, "unit", "forbidden"},
			{"the city's figure by a commune officer is forbidden", d1, "press_news", `{"programme":"P","period":"2026-02","unit":"press","value":3}`, 403, "unit", "forbidden"},
			{"a computed indicator is not submitted", d1, "inspection_share", `{"programme":"P","period":"2026","unit":"D1","numerator":1,"denominator":2}`, 400, "indicator", "invalid"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				status, body := post(tc.p, tc.code, tc.body)
				code, field := fieldOf(t, body)
				if status != tc.status || field != tc.field || code != tc.kind {
					t.Fatalf("%d %s", status, body)
				}
			})
		}
		t.Run("the press is reminded of February, due on 15 March", func(t *testing.T) {
			w := doAs(t, h, press, "GET", "/api/v1/indicators/reminders?programme=P", "")
			var got struct{ Owed []indicators.Owed }
			json.Unmarshal(w.Body.Bytes(), &got)
			var periods []string
			for _, o := range got.Owed {
				if o.Indicator == "press_news" {
					periods = append(periods, o.Period+"/"+o.Deadline.String())
				}
				if o.Unit.Code != "press" {
					t.Errorf("the press officer is reminded of another unit's figure: %+v", o)
				}
			}
			// January is locked (deadline 15 February) and still owed: it is listed, overdue.
			if w.Code != 200 || len(periods) != 2 || periods[0] != "2026-01/2026-02-15" || periods[1] != "2026-02/2026-03-15" {
				t.Fatalf("%d %v %s", w.Code, periods, w.Body)
			}
		})
		t.Run("a late figure with a reason is stored as late", func(t *testing.T) {
			status, body := post(press, "press_news", `{"programme":"P","period":"2026-01","unit":"press","value":3,"reason":"Bổ sung 3 tin bài đăng trên báo điện tử"}`)
			var sub models.IndicatorSubmission
			json.Unmarshal([]byte(body), &sub)
			if status != 201 || !sub.Late || sub.Version != 1 {
				t.Fatalf("%d %s", status, body)
			}
			if w := doAs(t, h, lead, "POST", "/api/v1/indicators/submissions/"+sub.ID+"/accept", `{}`); w.Code != 200 {
				t.Fatalf("accept: %d %s", w.Code, w.Body)
			}
		})

		id1, id2 := "0b6f8a52-4a8e-4c1e-9d7a-1f3b2c4d5e61", "0b6f8a52-4a8e-4c1e-9d7a-1f3b2c4d5e62"
		first := `{"id":"` + id1 + `","programme":"P","period":"2026-H1","unit":"D1","numerator":1,"denominator":2,"narrative":"Tổ chức 1 buổi tuyên truyền tại phường D11"}`
		t.Run("submit, return, correct, accept", func(t *testing.T) {
			if status, body := post(d1, "outreach_communes", first); status != 201 {
				t.Fatalf("submit: %d %s", status, body)
			}
			if status, body := post(d1, "outreach_communes", first); status != 200 || !strings.Contains(body, `"version":1`) {
				t.Fatalf("a retry: %d %s", status, body)
			}
			if status, body := post(d1, "outreach_communes", strings.Replace(first, id1, id2, 1)); status != 409 {
				t.Fatalf("a second figure while the first awaits review: %d %s", status, body)
			}
			if w := doAs(t, h, lead, "POST", "/api/v1/indicators/submissions/"+id1+"/return", `{"comment":""}`); w.Code != 400 || !strings.Contains(w.Body.String(), `"field":"comment"`) {
				t.Fatalf("a return without a comment: %d %s", w.Code, w.Body)
			}
			if w := doAs(t, h, police, "POST", "/api/v1/indicators/submissions/"+id1+"/accept", ""); w.Code != 403 {
				t.Fatalf("a planner of another agency reviews: %d %s", w.Code, w.Body)
			}
			if w := doAs(t, h, lead, "POST", "/api/v1/indicators/submissions/"+id1+"/return", `{"comment":"Thiếu số liệu phường D12"}`); w.Code != 200 || !strings.Contains(w.Body.String(), `"state":"returned"`) {
				t.Fatalf("return: %d %s", w.Code, w.Body)
			}
			w := doAs(t, h, d1, "GET", "/api/v1/indicators/owed?programme=P&period=2026-H1", "")
			if w.Code != 200 || !strings.Contains(w.Body.String(), `"state":"returned"`) || !strings.Contains(w.Body.String(), "Thiếu số liệu phường D12") || strings.Contains(w.Body.String(), `"code":"D2"`) {
				t.Fatalf("the officer's owed figures: %d %s", w.Code, w.Body)
			}
			second := `{"id":"` + id2 + `","programme":"P","period":"2026-H1","unit":"D1","numerator":2,"denominator":2,"narrative":"Tổ chức tuyên truyền tại cả hai phường D11, D12"}`
			status, body := post(d1, "outreach_communes", second)
			if status != 201 || !strings.Contains(body, `"version":2`) {
				t.Fatalf("the correction: %d %s", status, body)
			}
			if w := doAs(t, h, lead, "POST", "/api/v1/indicators/submissions/"+id1+"/accept", ""); w.Code != 409 {
				t.Fatalf("accepting the returned version: %d %s", w.Code, w.Body)
			}
			if w := doAs(t, h, lead, "POST", "/api/v1/indicators/submissions/"+id2+"/accept", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"state":"accepted"`) {
				t.Fatalf("accept: %d %s", w.Code, w.Body)
			}
			if w := doAs(t, h, lead, "GET", "/api/v1/indicators/submissions?programme=P&indicator=outreach_communes&versions=all", ""); w.Code != 200 || strings.Count(w.Body.String(), `"indicator_code"`) != 2 {
				t.Fatalf("both versions: %d %s", w.Code, w.Body)
			}
		})
		t.Run("who has not submitted", func(t *testing.T) {
			w := doAs(t, h, lead, "GET", "/api/v1/indicators/owed?programme=P&period=2026-H1", "")
			var got struct{ Owed []indicators.Owed }
			json.Unmarshal(w.Body.Bytes(), &got)
			owes := map[string]bool{}
			for _, o := range got.Owed {
				if o.Indicator == "outreach_communes" {
					owes[o.Unit.Code] = true
				}
			}
			if w.Code != 200 || !owes["D2"] || owes["D1"] {
				t.Fatalf("%d %v %s", w.Code, owes, w.Body)
			}
		})
		t.Run("progress against the figures and the report", func(t *testing.T) {
			w := doAs(t, h, lead, "GET", "/api/v1/indicators/progress?programme=P&period=2026-H1", "")
			var pr indicators.Progress
			if err := json.Unmarshal(w.Body.Bytes(), &pr); err != nil || w.Code != 200 {
				t.Fatalf("%d %v %s", w.Code, err, w.Body)
			}
			out := pr.Row("outreach_communes")
			if out == nil || out.Total.Value == nil || *out.Total.Value != 1 || *out.Total.Denominator != 2 || out.Total.Met == nil || !*out.Total.Met || out.Submitted != 1 || out.Expected != 2 {
				t.Fatalf("outreach %+v", out)
			}
			if len(pr.Narratives) != 1 || !strings.Contains(pr.Narratives[0].Text, "cả hai phường") || pr.Narratives[0].Agency != models.AgencyCommune {
				t.Errorf("narratives %+v", pr.Narratives)
			}
			press := pr.Row("press_news")
			// One month of six reported (3 items): below the target of one a month.
			if press == nil || len(press.Periods) != 6 || press.Target != 6 || press.Total.Value == nil || *press.Total.Value != 3 || *press.Total.Met ||
				press.Units[0].State != models.SubmissionAccepted || !press.Units[0].Late {
				t.Errorf("press %+v", press)
			}
			share := pr.Row(models.IndicatorInspectionShare)
			rw := doAs(t, h, lead, "GET", "/api/v1/reports?period=2026&format=json", "")
			var rep report.Report
			if err := json.Unmarshal(rw.Body.Bytes(), &rep); err != nil || rw.Code != 200 {
				t.Fatalf("report %d %s", rw.Code, rw.Body)
			}
			if share == nil || share.Total.Numerator == nil || int(*share.Total.Numerator) != rep.Total.InspectedOpenAtStart || int(*share.Total.Denominator) != rep.Total.OpenAtStart ||
				rep.Total.InspectedOpenAtStart != 2 || rep.Total.OpenAtStart != 120 || *share.Total.Met || len(share.Units) != 2 {
				t.Fatalf("inspection share %+v against the report's %+v", share, rep.Total)
			}
		})
		t.Run("a commune officer's progress is its own unit", func(t *testing.T) {
			w := doAs(t, h, d1, "GET", "/api/v1/indicators/progress?programme=P&period=2026-H1", "")
			var pr indicators.Progress
			if err := json.Unmarshal(w.Body.Bytes(), &pr); err != nil || w.Code != 200 || pr.AreaCode != "D1" {
				t.Fatalf("%d %v %s", w.Code, err, w.Body)
			}
			if out := pr.Row("outreach_communes"); len(out.Units) != 1 || out.Units[0].Unit.Code != "D1" {
				t.Fatalf("%+v", out)
			}
			if w := doAs(t, h, d1, "GET", "/api/v1/indicators/progress?programme=P&period=2026-H1&area=D2", ""); w.Code != 404 {
				t.Fatalf("another unit: %d %s", w.Code, w.Body)
			}
		})
		t.Run("a planner edits the set with its version", func(t *testing.T) {
			w := doAs(t, h, lead, "GET", "/api/v1/programmes/P/indicators", "")
			var set models.IndicatorSet
			json.Unmarshal(w.Body.Bytes(), &set)
			set.Indicators[0].TargetMin = 0.8
			body, _ := json.Marshal(map[string]any{"version": 0, "indicators": set.Indicators})
			if w := doAs(t, h, lead, "PUT", "/api/v1/programmes/P/indicators", string(body)); w.Code != 200 || !strings.Contains(w.Body.String(), `"version":1`) {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			if w := doAs(t, h, lead, "PUT", "/api/v1/programmes/P/indicators", string(body)); w.Code != 409 {
				t.Fatalf("a stale version: %d %s", w.Code, w.Body)
			}
			set.Indicators[1].TargetMin = 2
			body, _ = json.Marshal(map[string]any{"version": 1, "indicators": set.Indicators})
			if w := doAs(t, h, lead, "PUT", "/api/v1/programmes/P/indicators", string(body)); w.Code != 200 {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			set.Indicators[0].TargetMin = 80
			body, _ = json.Marshal(map[string]any{"version": 2, "indicators": set.Indicators})
			if w := doAs(t, h, lead, "PUT", "/api/v1/programmes/P/indicators", string(body)); w.Code != 400 || !strings.Contains(w.Body.String(), `"field":"indicators[0].target_min"`) {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
		})
	})
}
