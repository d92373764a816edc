package fieldwork

import (
	"context"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func TestResultsAreCheckedAgainstTheChecklistVersionTheyName(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 3, 3, 12, 0, 0, 0, ict) }
	storetest.RunWith(t, storetest.Options{Now: func() time.Time { return time.Date(2026, 3, 3, 6, 0, 0, 0, ict) }}, func(t *testing.T, db *store.DB) {
		f := newFieldFixture(t, db, now)
		ctx := context.Background()
		planner := Caller{Username: "planner", Role: models.RolePlanner}
		cur, err := f.s.Checklist(ctx, "karaoke", 0)
		if err != nil || cur.Version != 2 {
			t.Fatalf("the karaoke checklist in force: %+v %v", cur, err)
		}
		items := append([]models.ChecklistItem{}, cur.Items...)
		items[0].VI = "Có giấy chứng nhận đăng ký kinh doanh còn hiệu lực?"
		saved, err := f.s.UpdateChecklist(ctx, planner, "karaoke", models.ChecklistEdit{BaseVersion: 2, Items: items, Note: "Sửa G01"})
		if err != nil || saved.Version != 3 || saved.Items[0].VI != items[0].VI {
			t.Fatalf("an edit: %+v %v", saved, err)
		}
		if n, err := f.s.ChecklistVersion(ctx); err != nil || n != 3 {
			t.Fatalf("version in force after the edit: %d %v", n, err)
		}
		_, err = f.s.UpdateChecklist(ctx, planner, "karaoke", models.ChecklistEdit{BaseVersion: 2, Items: items})
		if e := models.ErrorAs(err); e == nil || e.Code != models.ECONFLICT || e.Field != "base_version" {
			t.Fatalf("a second edit on version 2: %v", err)
		}

		// A phone that started offline on version 1 sends its answers to version 1.
		in := f.input(t, f.tasks[0], models.OutcomeViolation, time.Date(2026, 3, 3, 9, 0, 0, 0, ict), "K03")
		v, created, err := f.s.SubmitInspection(ctx, f.a1, in)
		if err != nil || !created || v.ChecklistVersion != 1 || len(v.Findings) != 1 || v.Findings[0].Severity == "" {
			t.Fatalf("a result on version 1 after version 3 was saved: %+v %v", v, err)
		}
		bad := f.input(t, f.tasks[1], models.OutcomeCompliant, time.Date(2026, 3, 3, 10, 0, 0, 0, ict))
		bad.ChecklistVersion = 42
		if _, _, err := f.s.SubmitInspection(ctx, f.a1, bad); models.ErrorAs(err) == nil || models.ErrorAs(err).Field != "checklist_version" {
			t.Fatalf("a result on an unknown version: %v", err)
		}
		// Version 3's answers must include the items version 2 added.
		bad.ChecklistVersion = 3
		if _, _, err := f.s.SubmitInspection(ctx, f.a1, bad); models.ErrorAs(err) == nil || models.ErrorAs(err).Field != "answers" {
			t.Fatalf("version 1's answers sent as version 3: %v", err)
		}
	})
}

func TestCatalogueEditsAreValidated(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		cats := map[string]bool{"karaoke": true, "bar": true}
		s := New(Config{Store: db, Categories: cats})
		ctx := context.Background()
		planner := Caller{Username: "planner", Role: models.RolePlanner}
		ok := models.ChecklistItem{ID: "K09", VI: "Có cách âm?", EN: "Sound insulation?", Answer: "yes_no", NoIsViolation: true, Violation: "CONTENT", Legal: []string{"Nghị định 54/2019/NĐ-CP"}}
		for _, tc := range []struct {
			name     string
			category string
			edit     func(*models.ChecklistEdit)
			field    string
		}{
			{"an unknown category", "casino", func(*models.ChecklistEdit) {}, "category"},
			{"no base version", "karaoke", func(e *models.ChecklistEdit) { e.BaseVersion = 0 }, "base_version"},
			{"no items", "karaoke", func(e *models.ChecklistEdit) { e.Items = nil }, "items"},
			{"a twice used id", "karaoke", func(e *models.ChecklistEdit) { e.Items = append(e.Items, ok) }, "items[1].id"},
			{"a lower-case id", "karaoke", func(e *models.ChecklistEdit) { e.Items[0].ID = "k9" }, "items[0].id"},
			{"no Vietnamese", "karaoke", func(e *models.ChecklistEdit) { e.Items[0].VI = " " }, "items[0].vi"},
			{"no English", "karaoke", func(e *models.ChecklistEdit) { e.Items[0].EN = "" }, "items[0].en"},
			{"another answer kind", "karaoke", func(e *models.ChecklistEdit) { e.Items[0].Answer = "number" }, "items[0].answer"},
			{"an unknown code", "karaoke", func(e *models.ChecklistEdit) { e.Items[0].Violation = "SMOKING" }, "items[0].violation"},
			{"a violation without a code", "karaoke", func(e *models.ChecklistEdit) { e.Items[0].Violation = "" }, "items[0].violation"},
			{"a violation without a reference", "karaoke", func(e *models.ChecklistEdit) { e.Items[0].Legal = nil }, "items[0].legal"},
			{"an empty reference", "karaoke", func(e *models.ChecklistEdit) { e.Items[0].Legal = []string{"x", ""} }, "items[0].legal[1]"},
			{"an unknown category of an item", "karaoke", func(e *models.ChecklistEdit) { e.Items[0].Categories = []string{"casino"} }, "items[0].categories[0]"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := models.ChecklistEdit{BaseVersion: 2, Items: []models.ChecklistItem{ok}}
				tc.edit(&e)
				_, err := s.UpdateChecklist(ctx, planner, tc.category, e)
				if got := models.ErrorAs(err); got == nil || got.Code != models.EINVALID || got.Field != tc.field {
					t.Fatalf("got %v, want invalid %s", err, tc.field)
				}
			})
		}
		cat, err := s.Violations(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := int64(5_000_000), int64(1_000_000)
		for _, tc := range []struct {
			name  string
			edit  func(*models.ViolationEdit)
			field string
		}{
			{"a code the checklist uses dropped", func(e *models.ViolationEdit) { e.Violations = e.Violations[1:] }, "violations"},
			{"a twice used code", func(e *models.ViolationEdit) { e.Violations[1].Code = e.Violations[0].Code }, "violations[1].code"},
			{"no Vietnamese", func(e *models.ViolationEdit) { e.Violations[2].VI = "" }, "violations[2].vi"},
			{"an unknown severity", func(e *models.ViolationEdit) { e.Violations[0].Severity = "grave" }, "violations[0].severity"},
			{"half a fine range", func(e *models.ViolationEdit) { e.Violations[0].FineMinVND = &lo }, "violations[0].fine_max_vnd"},
			{"a range upside down", func(e *models.ViolationEdit) {
				e.Violations[0].FineMinVND, e.Violations[0].FineMaxVND, e.Violations[0].PenaltyArticle = &lo, &hi, "Điều 1"
			}, "violations[0].fine_max_vnd"},
			{"a range without its article", func(e *models.ViolationEdit) { e.Violations[0].FineMinVND, e.Violations[0].FineMaxVND = &hi, &lo }, "violations[0].penalty_article"},
			{"an empty legal basis", func(e *models.ViolationEdit) { e.Violations[0].LegalBasis = []string{""} }, "violations[0].legal_basis[0]"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e := models.ViolationEdit{BaseVersion: cat.Version, Violations: append([]models.ViolationType{}, cat.Violations...)}
				tc.edit(&e)
				_, err := s.UpdateViolations(ctx, planner, e)
				if got := models.ErrorAs(err); got == nil || got.Code != models.EINVALID || got.Field != tc.field {
					t.Fatalf("got %v, want invalid %s", err, tc.field)
				}
			})
		}
		e := models.ViolationEdit{BaseVersion: cat.Version, Violations: append([]models.ViolationType{}, cat.Violations...)}
		e.Violations[0].FineMinVND, e.Violations[0].FineMaxVND, e.Violations[0].PenaltyArticle = &hi, &lo, "Nghị định 282/2025/NĐ-CP"
		got, err := s.UpdateViolations(ctx, planner, e)
		if err != nil || got.Version != 2 || *got.Violations[0].FineMaxVND != lo {
			t.Fatalf("a valid edit: %+v %v", got, err)
		}
		if old, err := s.Violations(ctx, 1); err != nil || old.Violations[0].FineMinVND != nil {
			t.Fatalf("version 1 after it: %+v %v", old, err)
		}
		if _, err := s.Violations(ctx, 9); !models.IsCode(err, models.ENOTFOUND) {
			t.Fatalf("an unknown version: %v", err)
		}
	})
}
