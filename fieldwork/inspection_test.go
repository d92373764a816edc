package fieldwork

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"kiemtra/models"
	"kiemtra/refdata"
)

func TestInspectionInputValidation(t *testing.T) {
	now := time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)
	tm := func(t time.Time) *time.Time { return &t }
	good := InspectionInput{ID: uuid.NewString(), TaskID: "t", StartedAt: tm(now.Add(-time.Hour)), FinishedAt: tm(now.Add(-30 * time.Minute)), Outcome: models.OutcomeClosed, ChecklistVersion: 1}
	if err := good.validate(now).Err(); err != nil {
		t.Fatalf("a good result: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(in *InspectionInput)
		field string
	}{
		{"no id", func(in *InspectionInput) { in.ID = "" }, "id"},
		{"no task", func(in *InspectionInput) { in.TaskID = "" }, "task_id"},
		{"no start", func(in *InspectionInput) { in.StartedAt = nil }, "started_at"},
		{"no finish", func(in *InspectionInput) { in.FinishedAt = nil }, "finished_at"},
		{"finished before started", func(in *InspectionInput) { in.FinishedAt = tm(now.Add(-2 * time.Hour)) }, "finished_at"},
		{"a visit of 13 hours", func(in *InspectionInput) {
			in.StartedAt = tm(now.Add(-14 * time.Hour))
			in.FinishedAt = tm(now.Add(-time.Hour))
		}, "finished_at"},
		{"finished in the future", func(in *InspectionInput) { in.FinishedAt = tm(now.Add(10 * time.Minute)) }, "finished_at"},
		{"started 15 days ago", func(in *InspectionInput) {
			in.StartedAt = tm(now.Add(-15 * 24 * time.Hour))
			in.FinishedAt = tm(now.Add(-15*24*time.Hour + time.Hour))
		}, "started_at"},
		{"an unknown outcome", func(in *InspectionInput) { in.Outcome = "closed_door" }, "outcome"},
		{"no outcome", func(in *InspectionInput) { in.Outcome = "" }, "outcome"},
		{"4001 characters of notes", func(in *InspectionInput) { in.Notes = string(make([]byte, 4001)) }, "notes"},
		{"too many members", func(in *InspectionInput) { in.Members = make([]string, 21) }, "answers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := good
			tc.edit(&in)
			e := models.ErrorAs(in.validate(now).Err())
			if e == nil || e.Field != tc.field {
				t.Fatalf("got %v, want invalid %s", e, tc.field)
			}
		})
	}
}

func TestAnswersAgainstTheChecklist(t *testing.T) {
	cl, err := refdata.Checklist()
	if err != nil {
		t.Fatal(err)
	}
	vs, err := refdata.Violations()
	if err != nil {
		t.Fatal(err)
	}
	s := newCatalogue(cl, vs)
	var all []models.Answer
	for _, it := range cl.Items {
		if applies(it, "karaoke") {
			all = append(all, models.Answer{ItemID: it.ID, Answer: "yes"})
		}
	}
	set := func(id, answer string) []models.Answer {
		out := append([]models.Answer{}, all...)
		for i := range out {
			if out[i].ItemID == id {
				out[i].Answer = answer
			}
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		in       InspectionInput
		field    string
		findings []string
	}{
		{"all yes is compliant", InspectionInput{Outcome: "compliant", ChecklistVersion: 1, Answers: all}, "", nil},
		{"a no on a violation item is a finding", InspectionInput{Outcome: "violation", ChecklistVersion: 1, Answers: set("K03", "no")}, "", []string{"HOURS"}},
		{"a no on an item that is no violation is none", InspectionInput{Outcome: "compliant", ChecklistVersion: 1, Answers: set("G10", "no")}, "", nil},
		{"na is an answer", InspectionInput{Outcome: "compliant", ChecklistVersion: 1, Answers: set("K01", "na")}, "", nil},
		{"an explicit finding and the same from a no count once", InspectionInput{Outcome: "violation", ChecklistVersion: 1, Answers: set("K03", "no"),
			Findings: []models.FindingInput{{Code: "HOURS", Note: "22h40"}, {Code: "FIRE_SAFETY"}}}, "", []string{"HOURS", "FIRE_SAFETY"}},
		{"a closed door has no answers", InspectionInput{Outcome: "closed", ChecklistVersion: 1}, "", nil},
		{"a closed door with answers", InspectionInput{Outcome: "closed", ChecklistVersion: 1, Answers: all[:1]}, "answers", nil},
		{"a closed door with a finding", InspectionInput{Outcome: "not_found", ChecklistVersion: 1, Findings: []models.FindingInput{{Code: "HOURS"}}}, "answers", nil},
		{"a massage item at a karaoke", InspectionInput{Outcome: "compliant", ChecklistVersion: 1, Answers: append(set("", ""), models.Answer{ItemID: "M01", Answer: "yes"})}, "answers[14].item_id", nil},
		{"an answer of 1", InspectionInput{Outcome: "compliant", ChecklistVersion: 1, Answers: set("G02", "1")}, "answers[1].answer", nil},
		{"a missing item", InspectionInput{Outcome: "compliant", ChecklistVersion: 1, Answers: all[1:]}, "answers", nil},
		{"an unknown code", InspectionInput{Outcome: "violation", ChecklistVersion: 1, Answers: all, Findings: []models.FindingInput{{Code: "SMOKING"}}}, "findings[0].code", nil},
		{"compliant with a no", InspectionInput{Outcome: "compliant", ChecklistVersion: 1, Answers: set("G01", "no")}, "outcome", nil},
		{"a violation with nothing found", InspectionInput{Outcome: "violation", ChecklistVersion: 1, Answers: all}, "outcome", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v models.Validation
			fs := s.checkAnswers(&v, &tc.in, "karaoke")
			e := models.ErrorAs(v.Err())
			if tc.field != "" {
				if e == nil || e.Field != tc.field {
					t.Fatalf("got %v, want invalid %s", e, tc.field)
				}
				return
			}
			if e != nil {
				t.Fatalf("unexpected %v", e)
			}
			if len(fs) != len(tc.findings) {
				t.Fatalf("findings %d, want %v", len(fs), tc.findings)
			}
			for i, f := range fs {
				if f.Code != tc.findings[i] || f.Severity == "" {
					t.Fatalf("finding %d: %+v, want %s with a severity", i, f, tc.findings[i])
				}
			}
		})
	}
}
