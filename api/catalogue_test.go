package api

import (
	"strconv"
	"testing"

	"kiemtra/models"
)

func TestPlannersEditTheChecklistAndOldVersionsStayValid(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		w := env.do(t, env.planner, "GET", "/api/v1/checklists?category=karaoke", "")
		cur := decode[models.ChecklistVersion](t, w)
		if w.Code != 200 || cur.Version != 2 {
			t.Fatalf("the checklist in force: %d %s", w.Code, w.Body)
		}
		items := append([]models.ChecklistItem{}, cur.Items...)
		items[0].VI = "Có giấy chứng nhận đăng ký kinh doanh còn hiệu lực?"
		edit := func(base int, items []models.ChecklistItem) string {
			return jsonBody(t, models.ChecklistEdit{BaseVersion: base, Items: items, Note: "Sửa G01"})
		}
		for _, tc := range []struct {
			name  string
			p     *Principal
			path  string
			body  string
			code  int
			field string
		}{
			{"an inspector", env.a1, "/api/v1/checklists/karaoke", edit(2, items), 403, ""},
			{"an unknown category", env.planner, "/api/v1/checklists/casino", edit(2, items), 400, "category"},
			{"a twice used id", env.planner, "/api/v1/checklists/karaoke", edit(2, append(append([]models.ChecklistItem{}, items...), items[3])), 400, "items[" + strconv.Itoa(len(items)) + "].id"},
			{"no English", env.planner, "/api/v1/checklists/karaoke", edit(2, []models.ChecklistItem{{ID: "K09", VI: "Có cách âm?", Answer: "yes_no"}}), 400, "items[0].en"},
			{"an unknown field", env.planner, "/api/v1/checklists/karaoke", `{"base_version":2,"items":[],"version":3}`, 400, "version"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := env.do(t, tc.p, "PUT", tc.path, tc.body)
				if w.Code != tc.code || (tc.field != "" && decodeError(t, w).Field != tc.field) {
					t.Fatalf("%d %s, want %d %s", w.Code, w.Body, tc.code, tc.field)
				}
			})
		}
		w = env.do(t, env.planner, "PUT", "/api/v1/checklists/karaoke", edit(2, items))
		saved := decode[models.ChecklistVersion](t, w)
		if w.Code != 200 || saved.Version != 3 || saved.Items[0].VI != items[0].VI || saved.Category != "karaoke" || saved.CreatedBy != "planner" {
			t.Fatalf("the edit: %d %s", w.Code, w.Body)
		}
		if w := env.do(t, env.planner, "PUT", "/api/v1/checklists/karaoke", edit(2, items)); w.Code != 409 || decodeError(t, w).Field != "base_version" {
			t.Fatalf("an edit on a version no longer in force: %d %s", w.Code, w.Body)
		}
		// Version 2 reads as it was; the bars' G01 changed with the karaoke's (one item).
		if w := env.do(t, env.a1, "GET", "/api/v1/checklists?category=karaoke&version=2", ""); w.Code != 200 || decode[models.ChecklistVersion](t, w).Items[0].VI != cur.Items[0].VI {
			t.Fatalf("version 2: %d %s", w.Code, w.Body)
		}
		if w := env.do(t, env.a1, "GET", "/api/v1/checklists?category=bar", ""); decode[models.ChecklistVersion](t, w).Items[0].VI != items[0].VI {
			t.Fatalf("the bar's G01: %s", w.Body)
		}
		for _, q := range []string{"version=99", "version=x"} {
			if w := env.do(t, env.a1, "GET", "/api/v1/checklists?"+q, ""); w.Code/100 != 4 || decodeError(t, w).Field != "version" {
				t.Fatalf("%s: %d %s", q, w.Code, w.Body)
			}
		}
		if w := env.do(t, env.planner, "GET", "/api/v1/checklists/versions", ""); w.Code != 200 || len(decode[struct{ Items []models.CatalogueVersion }](t, w).Items) != 3 {
			t.Fatalf("history: %d %s", w.Code, w.Body)
		}
		// The phones see the new version in their day (the assignments' ETag changes with it).
		w = env.do(t, env.a1, "GET", "/api/v1/me/assignments", "")
		if got := decode[Assignments](t, w); w.Code != 200 || len(got.Items) == 0 || got.Items[0].ChecklistVersion != 3 {
			t.Fatalf("assignments after the edit: %d %s", w.Code, w.Body)
		}
		// A phone that started offline on version 1 is still accepted; version 1's answers sent
		// as version 3 are not (version 2 added items).
		task := env.teamDay(t, env.teamA)[0]
		old := result(t, task, models.OutcomeCompliant, at(6, 25))
		if w := env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, with(old, "checklist_version", 3))); w.Code != 400 || decodeError(t, w).Field != "answers" {
			t.Fatalf("version 1's answers as version 3: %d %s", w.Code, w.Body)
		}
		w = env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, old))
		if w.Code != 201 || decode[models.Inspection](t, w).ChecklistVersion != 1 {
			t.Fatalf("a result on version 1: %d %s", w.Code, w.Body)
		}
		if n := env.count(t, "inspections", "id = ? AND checklist_version = ?", old["id"], 1); n != 1 {
			t.Fatalf("%d stored results on version 1", n)
		}
	})
}

func TestPlannersEditTheViolationCatalogue(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		w := env.do(t, env.a1, "GET", "/api/v1/violations", "")
		cat := decode[models.ViolationCatalogue](t, w)
		if w.Code != 200 || cat.Version != 1 || len(cat.Violations) == 0 || len(cat.Violations[0].LegalBasis) == 0 {
			t.Fatalf("the catalogue: %d %s", w.Code, w.Body)
		}
		if w2 := env.do(t, env.a1, "GET", "/api/v1/violations", "", "If-None-Match", w.Header().Get("ETag")); w2.Code != 304 {
			t.Fatalf("If-None-Match: %d", w2.Code)
		}
		vs := append([]models.ViolationType{}, cat.Violations...)
		lo, hi := int64(3_000_000), int64(5_000_000)
		vs[0].FineMinVND, vs[0].FineMaxVND, vs[0].PenaltyArticle = &hi, &lo, "Nghị định 282/2025/NĐ-CP"
		body := func(base int) string { return jsonBody(t, models.ViolationEdit{BaseVersion: base, Violations: vs}) }
		if w := env.do(t, env.planner, "PUT", "/api/v1/violations", body(1)); w.Code != 400 || decodeError(t, w).Field != "violations[0].fine_max_vnd" {
			t.Fatalf("a range upside down: %d %s", w.Code, w.Body)
		}
		vs[0].FineMinVND, vs[0].FineMaxVND = &lo, &hi
		if w := env.do(t, env.a1, "PUT", "/api/v1/violations", body(1)); w.Code != 403 {
			t.Fatalf("an inspector: %d", w.Code)
		}
		w = env.do(t, env.planner, "PUT", "/api/v1/violations", body(1))
		if got := decode[models.ViolationCatalogue](t, w); w.Code != 200 || got.Version != 2 || *got.Violations[0].FineMaxVND != hi {
			t.Fatalf("the edit: %d %s", w.Code, w.Body)
		}
		if w := env.do(t, env.planner, "PUT", "/api/v1/violations", body(1)); w.Code != 409 || decodeError(t, w).Field != "base_version" {
			t.Fatalf("a stale edit: %d %s", w.Code, w.Body)
		}
		if w := env.do(t, env.a1, "GET", "/api/v1/violations?version=1", ""); w.Code != 200 || decode[models.ViolationCatalogue](t, w).Violations[0].FineMinVND != nil {
			t.Fatalf("version 1: %d %s", w.Code, w.Body)
		}
		if w := env.do(t, env.planner, "GET", "/api/v1/violations/versions", ""); w.Code != 200 || len(decode[struct{ Items []models.CatalogueVersion }](t, w).Items) != 2 {
			t.Fatalf("history: %d %s", w.Code, w.Body)
		}
	})
}
