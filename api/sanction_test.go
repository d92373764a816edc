package api

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/sanctions"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func mustSanctions(t *testing.T, db *store.DB, now func() time.Time) *sanctions.Service {
	t.Helper()
	pens, err := refdata.Penalties()
	if err != nil {
		t.Fatal(err)
	}
	return sanctions.New(db, pens, now, time.UTC)
}

type sanctionBody struct {
	ID             string  `json:"id"`
	Status         string  `json:"status"`
	Version        int     `json:"version"`
	FineMin        int64   `json:"fine_min"`
	FineMax        int64   `json:"fine_max"`
	PenaltyArticle string  `json:"penalty_article"`
	FollowUpTaskID *string `json:"follow_up_task_id"`
	Forms          []string
	Overdue        bool `json:"overdue"`
}

func decodeSanction(t *testing.T, body []byte) sanctionBody {
	t.Helper()
	var s sanctionBody
	if err := json.Unmarshal(body, &s); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return s
}

// TestSanctionsThroughTheAPI walks a sanction from a proposal to a decision and its payment,
// with every bad input the office can send refused with the field at fault.
func TestSanctionsThroughTheAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		env := newPlanServer(t, db)
		h := env.srv
		ctx := context.Background()
		planner := &Principal{Username: "planner", Role: models.RolePlanner, AreaCode: "92", AreaPath: "/92/"}
		lead := &Principal{Username: "lead", Role: models.RoleTeamLead, AreaCode: "D1", AreaPath: "/92/D1/"}
		police := &Principal{Username: "police", Role: models.RoleLicensingOfficer, AreaCode: "D2", AreaPath: "/92/D2/"}
		viewer := &Principal{Username: "viewer", Role: models.RoleViewer, AreaCode: "D2", AreaPath: "/92/D2/"}
		biz := firstBusinessIn(t, db, "D1")

		for _, tc := range []struct{ name, body, field string }{
			{"no business", `{"violation_code":"HOURS"}`, "business_id"},
			{"an unknown violation", fmt.Sprintf(`{"business_id":%q,"violation_code":"NOPE"}`, biz), "violation_code"},
			{"an unknown business", `{"business_id":"nope","violation_code":"HOURS"}`, "business_id"},
			{"an unknown inspection", fmt.Sprintf(`{"business_id":%q,"violation_code":"HOURS","inspection_id":"nope"}`, biz), "inspection_id"},
		} {
			w := doAs(t, h, lead, "POST", "/api/v1/sanctions", tc.body)
			if e := decodeError(t, w); w.Code != 400 || e.Field != tc.field {
				t.Errorf("%s: %d %+v, want 400 on %s", tc.name, w.Code, e, tc.field)
			}
		}
		// A team lead proposes; the catalogue's range comes with it.
		w := doAs(t, h, lead, "POST", "/api/v1/sanctions", fmt.Sprintf(`{"id":"s1","business_id":%q,"violation_code":"RES_STAFF","note":"Người lao động chưa đăng ký tạm trú"}`, biz))
		if w.Code != 201 {
			t.Fatalf("propose: %d %s", w.Code, w.Body)
		}
		s := decodeSanction(t, w.Body.Bytes())
		if s.Status != models.SanctionProposed || s.FineMin != 500000 || s.FineMax != 1000000 || s.PenaltyArticle == "" {
			t.Fatalf("proposal: %+v", s)
		}
		if w := doAs(t, h, lead, "POST", "/api/v1/sanctions", fmt.Sprintf(`{"id":"s1","business_id":%q,"violation_code":"RES_STAFF","note":"Người lao động chưa đăng ký tạm trú"}`, biz)); w.Code != 200 {
			t.Errorf("a retried proposal: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, lead, "PATCH", "/api/v1/sanctions/s1", `{"version":1,"payment":{"paid_on":"2026-03-01","amount":1,"receipt_no":"x"}}`); w.Code != 403 {
			t.Errorf("a team lead records a step: %d", w.Code)
		}
		decision := func(fields string) string {
			return `{"version":1,"decision":{"number":"12/QĐ-XPHC","date":"2026-02-10","authority":"Chủ tịch UBND phường","fine_amount":800000,` + fields + `}}`
		}
		for _, tc := range []struct{ name, body, field string }{
			{"a payment before the decision", `{"version":1,"payment":{"paid_on":"2026-03-01","amount":800000,"receipt_no":"BL1"}}`, "payment"},
			{"a decision without a number", `{"version":1,"decision":{"date":"2026-02-20","authority":"UBND","fine_amount":800000}}`, "decision.number"},
			{"an amount above the range", `{"version":1,"decision":{"number":"1","date":"2026-02-20","authority":"UBND","fine_amount":5000000}}`, "decision.fine_amount"},
			{"an amount below the range", `{"version":1,"decision":{"number":"1","date":"2026-02-20","authority":"UBND","fine_amount":100000}}`, "decision.fine_amount"},
			{"a suspension without an end", decision(`"suspension_start":"2026-02-21"`), "decision.suspension_end"},
			{"a withdrawal without an end", decision(`"withdrawal":true,"withdrawal_start":"2026-02-21"`), "decision.withdrawal_end"},
			{"a decision in the future", `{"version":1,"decision":{"number":"1","date":"2026-04-01","authority":"UBND","warning":true}}`, "decision.date"},
			{"a measure without a deadline", decision(`"measures":[{"text":"Đăng ký tạm trú cho người lao động"}]`), "decision.measures[0].deadline"},
			{"a decision with no form", `{"version":1,"decision":{"number":"1","date":"2026-02-20","authority":"UBND"}}`, "decision.fine_amount"},
			{"two steps at once", `{"version":1,"decision":{"number":"1"},"payment":{"amount":1}}`, "decision"},
			{"no version", `{"decision":{"number":"1"}}`, "version"},
		} {
			w := doAs(t, h, planner, "PATCH", "/api/v1/sanctions/s1", tc.body)
			if e := decodeError(t, w); w.Code != 400 || e.Field != tc.field {
				t.Errorf("%s: %d %+v, want 400 on %s", tc.name, w.Code, e, tc.field)
			}
		}
		if w := doAs(t, h, planner, "PATCH", "/api/v1/sanctions/s1", `{"version":7,"decision":{"number":"1"}}`); w.Code != 409 {
			t.Errorf("a stale version: %d %s", w.Code, w.Body)
		}
		// The decision: a fine and a measure with a deadline, which makes a follow-up visit.
		w = doAs(t, h, planner, "PATCH", "/api/v1/sanctions/s1", decision(`"measures":[{"text":"Đăng ký tạm trú cho người lao động","deadline":"2026-03-10"}]`))
		if w.Code != 200 {
			t.Fatalf("decide: %d %s", w.Code, w.Body)
		}
		s = decodeSanction(t, w.Body.Bytes())
		if s.Status != models.SanctionDecided || s.Version != 2 || s.FollowUpTaskID == nil || !s.Overdue {
			t.Fatalf("decided: %+v (the fine was due on 2026-02-20)", s)
		}
		task, err := db.FindTaskByID(ctx, *s.FollowUpTaskID)
		if err != nil || task.Reason != models.ReasonFollowUp || task.Status != models.TaskPlanned || task.WindowStart != models.NewDate(2026, 3, 11) || task.BusinessID != biz {
			t.Fatalf("follow-up task: %+v %v", task, err)
		}
		w = doAs(t, h, planner, "GET", "/api/v1/sanctions?overdue=true", "")
		var list struct {
			Items []sanctionBody
			Total int
		}
		json.Unmarshal(w.Body.Bytes(), &list)
		if w.Code != 200 || list.Total != 1 {
			t.Errorf("overdue list: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, planner, "PATCH", "/api/v1/sanctions/s1", `{"version":2,"payment":{"paid_on":"2026-03-01","amount":700000,"receipt_no":"BL1"}}`); decodeError(t, w).Field != "payment.amount" {
			t.Errorf("a payment of another amount: %d %s", w.Code, w.Body)
		}
		w = doAs(t, h, planner, "PATCH", "/api/v1/sanctions/s1", `{"version":2,"payment":{"paid_on":"2026-03-01","amount":800000,"receipt_no":"BL1"}}`)
		if s = decodeSanction(t, w.Body.Bytes()); w.Code != 200 || s.Status != models.SanctionDecided || s.Overdue {
			t.Fatalf("paid, a measure pending: %d %s", w.Code, w.Body)
		}
		w = doAs(t, h, planner, "PATCH", "/api/v1/sanctions/s1", `{"version":3,"measure_done":{"index":0,"done_on":"2026-03-02"}}`)
		if s = decodeSanction(t, w.Body.Bytes()); w.Code != 200 || s.Status != models.SanctionComplied {
			t.Fatalf("complied: %d %s", w.Code, w.Body)
		}
		// Who reads: the police city-wide, a viewer of another district not.
		if w := doAs(t, h, police, "GET", "/api/v1/sanctions/s1", ""); w.Code != 200 {
			t.Errorf("police read: %d", w.Code)
		}
		if w := doAs(t, h, viewer, "GET", "/api/v1/sanctions/s1", ""); w.Code != 404 {
			t.Errorf("a viewer of D2 reads a D1 sanction: %d", w.Code)
		}
		if w := doAs(t, h, planner, "GET", "/api/v1/sanctions?period=2026-Q1&area=D1&status=complied", ""); w.Code != 200 || !json.Valid(w.Body.Bytes()) {
			t.Errorf("filters: %d %s", w.Code, w.Body)
		} else if json.Unmarshal(w.Body.Bytes(), &list); list.Total != 1 {
			t.Errorf("filters: %s", w.Body)
		}
		for _, q := range []string{"status=nope", "overdue=maybe", "period=2026-Q9", "area=NOPE", "limit=0"} {
			if w := doAs(t, h, planner, "GET", "/api/v1/sanctions?"+q, ""); w.Code != 400 {
				t.Errorf("%s: %d", q, w.Code)
			}
		}
		// A suspension suspends the certificate; the licensing check carries both.
		w = doAs(t, h, planner, "POST", "/api/v1/sanctions", fmt.Sprintf(`{"business_id":%q,"violation_code":"MAS_FACILITY"}`, biz))
		s2 := decodeSanction(t, w.Body.Bytes())
		w = doAs(t, h, planner, "PATCH", "/api/v1/sanctions/"+s2.ID, `{"version":1,"decision":{"number":"13/QĐ-XPHC","date":"2026-03-01","authority":"Chủ tịch UBND phường","fine_amount":4000000,"suspension_start":"2026-03-02","suspension_end":"2026-05-01"}}`)
		if w.Code != 200 {
			t.Fatalf("suspension: %d %s", w.Code, w.Body)
		}
		w = doAs(t, h, police, "GET", "/api/v1/businesses/"+biz+"/certificate", "")
		var cert struct {
			Status         string
			StatusToday    string      `json:"status_today"`
			SuspendedUntil models.Date `json:"suspended_until"`
			Required       bool
			History        []struct{ Event string }
		}
		json.Unmarshal(w.Body.Bytes(), &cert)
		if w.Code != 200 || !cert.Required || cert.StatusToday != models.CertSuspended || cert.SuspendedUntil != models.NewDate(2026, 5, 1) || len(cert.History) != 2 {
			t.Fatalf("certificate: %d %s", w.Code, w.Body)
		}
		b, _ := db.FindBusinessByID(ctx, biz)
		w = doAs(t, h, police, "GET", "/api/v1/licensing/check?licence_no="+*b.LicenceNo+"&purpose=hồ+sơ+12", "")
		var rep struct {
			Sanctions         []sanctionBody
			CertificateStatus string `json:"certificate_status"`
		}
		json.Unmarshal(w.Body.Bytes(), &rep)
		if w.Code != 200 || len(rep.Sanctions) != 2 || rep.CertificateStatus != models.CertSuspended {
			t.Fatalf("licensing check: %d %s", w.Code, w.Body)
		}
	})
}
