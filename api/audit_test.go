package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func TestParseAuditQuery(t *testing.T) {
	loc := time.FixedZone("ICT", 7*3600)
	for _, tc := range []struct {
		name  string
		query map[string]string
		field string // the parameter named in the error; "" for none
		check func(f models.AuditFilter) bool
	}{
		{"nothing asks for the newest page", nil, "", func(f models.AuditFilter) bool {
			return f.Limit == 100 && f.From.IsZero() && f.To.IsZero() && f.BeforeID == 0
		}},
		{"dates are whole days in the users' zone", map[string]string{"from": "2026-03-01", "to": "2026-03-31"}, "", func(f models.AuditFilter) bool {
			return f.From.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, loc)) && f.To.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, loc))
		}},
		{"times are taken as they are", map[string]string{"from": "2026-03-01T08:00:00Z", "to": "2026-03-01T19:30:00+07:00"}, "", func(f models.AuditFilter) bool {
			return f.From.Equal(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)) && f.To.Equal(time.Date(2026, 3, 1, 12, 30, 0, 0, time.UTC))
		}},
		{"the filters and the cursor are kept", map[string]string{"actor": "u1", "action": "update", "entity_type": "user", "entity_id": "u2", "before_id": "40", "limit": "1000"}, "", func(f models.AuditFilter) bool {
			return f.Actor == "u1" && f.Action == "update" && f.EntityType == "user" && f.EntityID == "u2" && f.BeforeID == 40 && f.Limit == 1000
		}},
		{"a from that is no date or time", map[string]string{"from": "yesterday"}, "from", nil},
		{"a to that is no date or time", map[string]string{"to": "2026-13-01"}, "to", nil},
		{"a to before from", map[string]string{"from": "2026-03-02", "to": "2026-03-01"}, "to", nil},
		{"a before_id that is no number", map[string]string{"before_id": "abc"}, "before_id", nil},
		{"a before_id of zero", map[string]string{"before_id": "0"}, "before_id", nil},
		{"a limit of zero", map[string]string{"limit": "0"}, "limit", nil},
		{"a limit above the bound", map[string]string{"limit": "1001"}, "limit", nil},
		{"an overlong actor", map[string]string{"actor": strings.Repeat("a", 201)}, "actor", nil},
		{"an overlong entity id", map[string]string{"entity_id": strings.Repeat("x", 201)}, "entity_id", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseAuditQuery(func(k string) string { return tc.query[k] }, loc)
			if tc.field == "" {
				if err != nil || !tc.check(f) {
					t.Fatalf("ParseAuditQuery(%v) = %+v, %v", tc.query, f, err)
				}
				return
			}
			e := models.ErrorAs(err)
			if e == nil || e.Code != models.EINVALID || e.Field != tc.field || e.Message == "" || e.MessageVI == "" || e.MessageVI == e.Message {
				t.Fatalf("ParseAuditQuery(%v) error %#v; want invalid %s in English and Vietnamese", tc.query, e, tc.field)
			}
		})
	}
}

// getAs sends a GET as p and checks the answer against the contract.
func getAs(t *testing.T, h *Server, p *Principal, path string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req = req.WithContext(WithPrincipal(req.Context(), p))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	checkContract(t, req, nil, w)
	return w
}

type auditPage struct {
	Items      []models.AuditEvent `json:"items"`
	NextBefore *int64              `json:"next_before"`
}

func TestAuditEndpoints(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := New(Config{Store: db, Readiness: readiness{}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		// A user whose password is changed and a tip with a sealed contact: neither the hash nor
		// the contact may be read back from the log.
		if err := db.UpsertAreas(ctx, "t", []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity}}); err != nil {
			t.Fatal(err)
		}
		u := &models.User{Username: "an", Role: models.RolePlanner, AreaCode: "92", Agency: models.AgencyPolice, PasswordHash: "$argon2id$first-secret-hash"}
		if err := db.CreateUser(ctx, "admin-1", u); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateUser(ctx, "admin-1", u.ID, models.UserUpdate{}, "$argon2id$second-secret-hash"); err != nil {
			t.Fatal(err)
		}
		tip := &models.Tip{Channel: "hotline", ReceivedAt: time.Now(), ReceivedBy: "t", Description: "Tin báo", ReporterContactEnc: "sealed-contact-0912345678", Status: models.TipReceived}
		if err := db.CreateTip(ctx, "officer", tip); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			if err := db.RecordLookup(ctx, "police-1", nil, fmt.Sprintf("L%d", i), "renewal"); err != nil {
				t.Fatal(err)
			}
		}

		w := getAs(t, h, testAdmin, "/api/v1/audit")
		var all auditPage
		if err := json.Unmarshal(w.Body.Bytes(), &all); w.Code != 200 || err != nil {
			t.Fatalf("GET /audit = %d %s", w.Code, w.Body)
		}
		if len(all.Items) < 7 || all.Items[0].Action != "licensing_lookup" || all.NextBefore != nil {
			t.Fatalf("GET /audit: %d items, newest %+v, next %v", len(all.Items), all.Items[0], all.NextBefore)
		}
		for _, leak := range []string{"first-secret-hash", "second-secret-hash", "sealed-contact", "0912345678"} {
			if strings.Contains(w.Body.String(), leak) {
				t.Fatalf("the audit log shows %q: %s", leak, w.Body)
			}
		}
		if !strings.Contains(w.Body.String(), `\"password_hash\":\"(changed)\"`) {
			t.Fatalf("the password change is not recorded as (changed): %s", w.Body)
		}

		for _, tc := range []struct {
			query string
			want  int
		}{
			{"actor=police-1", 3},
			{"actor=admin-1&entity_type=user&entity_id=" + u.ID, 2},
			{"action=update&entity_type=user", 1},
			{"entity_type=tip&action=receive", 1},
			{"from=2000-01-01&to=2000-12-31", 0},
			{"from=" + time.Now().Add(-time.Hour).UTC().Format(time.RFC3339), len(all.Items)},
		} {
			var page auditPage
			w := getAs(t, h, testAdmin, "/api/v1/audit?"+tc.query)
			if err := json.Unmarshal(w.Body.Bytes(), &page); w.Code != 200 || err != nil || len(page.Items) != tc.want {
				t.Errorf("GET /audit?%s = %d, %d items; want %d: %s", tc.query, w.Code, len(page.Items), tc.want, w.Body)
			}
		}
		// Pages of two, newest first, follow each other without gaps or repeats.
		var seen []int64
		path := "/api/v1/audit?actor=police-1&limit=2"
		for path != "" {
			var page auditPage
			w := getAs(t, h, testAdmin, path)
			if err := json.Unmarshal(w.Body.Bytes(), &page); w.Code != 200 || err != nil {
				t.Fatalf("GET %s = %d %s", path, w.Code, w.Body)
			}
			for _, e := range page.Items {
				seen = append(seen, e.ID)
			}
			path = ""
			if page.NextBefore != nil {
				path = fmt.Sprintf("/api/v1/audit?actor=police-1&limit=2&before_id=%d", *page.NextBefore)
			}
		}
		if len(seen) != 3 || seen[0] <= seen[1] || seen[1] <= seen[2] {
			t.Fatalf("paged ids %v; want 3, newest first", seen)
		}

		w = getAs(t, h, testAdmin, "/api/v1/audit?from=yesterday&limit=5000")
		if e := decodeError(t, w); w.Code != 400 || e.Field != "from" || len(e.Details) != 2 || e.Details[1].Field != "limit" {
			t.Fatalf("bad filters = %d %+v; want 400 naming from and limit", w.Code, e)
		}

		planner := &Principal{UserID: "p", Username: "p", Role: models.RolePlanner, AreaCode: "92", AreaPath: "/92/"}
		districtAdmin := &Principal{UserID: "a", Username: "a", Role: models.RoleAdmin, AreaCode: "D1", AreaPath: "/92/D1/"}
		for _, path := range []string{"/api/v1/audit", "/api/v1/audit/verify"} {
			for _, p := range []*Principal{planner, districtAdmin} {
				if w := getAs(t, h, p, path); w.Code != 403 {
					t.Errorf("GET %s as %s of %s = %d; want 403", path, p.Role, p.AreaCode, w.Code)
				}
			}
		}

		var v models.AuditVerification
		w = getAs(t, h, testAdmin, "/api/v1/audit/verify")
		if err := json.Unmarshal(w.Body.Bytes(), &v); w.Code != 200 || err != nil || !v.OK || v.Events != int64(len(all.Items)) || v.Head == nil || v.Head.Events != v.Events || v.FirstBad != nil {
			t.Fatalf("GET /audit/verify = %d %s", w.Code, w.Body)
		}
		middle := all.Items[3]
		if err := db.Gorm().Exec("UPDATE audit_events SET actor = 'someone-else' WHERE id = ?", middle.ID).Error; err != nil {
			t.Fatal(err)
		}
		v = models.AuditVerification{}
		w = getAs(t, h, testAdmin, "/api/v1/audit/verify")
		if err := json.Unmarshal(w.Body.Bytes(), &v); w.Code != 200 || err != nil || v.OK || v.Problem != models.AuditEdited || v.FirstBad == nil || v.FirstBad.ID != middle.ID {
			t.Fatalf("GET /audit/verify after an edit = %d %s; want ok false naming event %d", w.Code, w.Body, middle.ID)
		}
		if err := db.Gorm().Exec("DELETE FROM audit_events WHERE id >= ?", middle.ID).Error; err != nil {
			t.Fatal(err)
		}
		w = getAs(t, h, testAdmin, "/api/v1/audit/verify")
		if !strings.Contains(w.Body.String(), `"first_bad":null`) || !strings.Contains(w.Body.String(), models.AuditEventsMissing) {
			t.Fatalf("GET /audit/verify after a truncation = %d %s", w.Code, w.Body)
		}
	})
}
