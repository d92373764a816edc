package api

import (
	"strings"
	"testing"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func TestProgrammesAreEditedWithTheirVersion(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		h := newPlanServer(t, db).srv
		planner := &Principal{Username: "planner", Role: models.RolePlanner}
		if w := doAs(t, h, planner, "POST", "/api/v1/programmes", `{"code":"P","name":"Kế hoạch 2026-2030","starts_on":"2026-01-01","ends_on":"2030-12-31","root_area_code":"92"}`); w.Code != 201 {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
		// A plan for 2026 that the dates must keep.
		if w := doAs(t, h, planner, "POST", "/api/v1/programmes/P/plans", `{"year":2026}`); w.Code != 201 {
			t.Fatalf("commit a plan: %d %s", w.Code, w.Body)
		}

		for _, tc := range []struct{ name, body, field, vi string }{
			{"no version", `{"grace_days":30}`, "version", "phiên bản"},
			{"an empty name", `{"version":1,"name":" "}`, "name", "không được để trống"},
			{"an end before the start", `{"version":1,"ends_on":"2025-06-30"}`, "ends_on", "phải sau ngày bắt đầu"},
			{"a start after the planned year", `{"version":1,"starts_on":"2027-01-01"}`, "starts_on", "kế hoạch năm 2026"},
			{"a share above 100%", `{"version":1,"min_yearly_share":1.5}`, "min_yearly_share", "không quá 1"},
			{"a deadline after the end", `{"version":1,"coverage_deadline":"2031-06-30"}`, "coverage_deadline", "nằm trong thời gian"},
			{"a grace of more than a year", `{"version":1,"grace_days":400}`, "grace_days", "từ 0 đến 365"},
			{"an unknown category", `{"version":1,"scope_categories":["casino"]}`, "scope_categories", "casino"},
			{"an unknown root unit", `{"version":1,"root_area_code":"77"}`, "root_area_code", "không có khu vực 77"},
			{"an unknown lead agency", `{"version":1,"lead_agency":"army"}`, "lead_agency", "army"},
			{"another code", `{"version":1,"code":"Q"}`, "code", "không được thay đổi"},
		} {
			t.Run(tc.name+" is 400 on "+tc.field, func(t *testing.T) {
				w := doAs(t, h, planner, "PATCH", "/api/v1/programmes/P", tc.body)
				e := decodeError(t, w)
				if w.Code != 400 || e.Field != tc.field || len(e.Details) == 0 || !strings.Contains(e.Details[0].Message, tc.vi) {
					t.Fatalf("%d %s; want 400 on %s saying %q", w.Code, w.Body, tc.field, tc.vi)
				}
			})
		}

		w := doAs(t, h, planner, "PATCH", "/api/v1/programmes/P", `{"version":1,"code":"P","grace_days":30,"min_yearly_share":0.25,"scope_categories":["karaoke","massage"],"ends_on":"2031-12-31"}`)
		p := decodeInto[models.Programme](t, w)
		if w.Code != 200 || p.Version != 2 || p.GraceDays != 30 || p.MinYearlyShare != 0.25 || len(p.ScopeCategories) != 2 || p.EndsOn != models.NewDate(2031, 12, 31) ||
			p.CoverageDeadline != models.NewDate(2030, 12, 31) || p.Name != "Kế hoạch 2026-2030" {
			t.Fatalf("edit: %d %s", w.Code, w.Body)
		}
		w = doAs(t, h, planner, "PATCH", "/api/v1/programmes/"+p.ID, `{"version":1,"grace_days":10}`)
		if e := decodeError(t, w); w.Code != 409 || e.Code != models.ECONFLICT || !strings.Contains(e.Message, "người khác") {
			t.Fatalf("a stale version: %d %s; want 409", w.Code, w.Body)
		}
		if w := doAs(t, h, planner, "GET", "/api/v1/programmes/P", ""); decodeInto[models.Programme](t, w).GraceDays != 30 {
			t.Fatalf("stored after the conflict: %s", w.Body)
		}
		if w := doAs(t, h, planner, "PATCH", "/api/v1/programmes/NOPE", `{"version":1}`); w.Code != 404 {
			t.Errorf("unknown programme: %d", w.Code)
		}
		for _, who := range []*Principal{
			{Username: "viewer", Role: models.RoleViewer},
			{Username: "lead", Role: models.RoleTeamLead, AreaCode: "D1"},
		} {
			if w := doAs(t, h, who, "PATCH", "/api/v1/programmes/P", `{"version":2,"grace_days":5}`); w.Code != 403 {
				t.Errorf("%s: %d, want 403", who.Role, w.Code)
			}
		}
		if w := doAs(t, h, &Principal{Username: "district", Role: models.RolePlanner, AreaCode: "D1", AreaPath: "/92/D1/"}, "PATCH", "/api/v1/programmes/P", `{"version":2,"grace_days":5}`); w.Code != 403 {
			t.Errorf("a district's planner: %d, want 403", w.Code)
		}
	})
}
