package store_test

import (
	"context"
	"testing"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// TestIndicatorSetsAndSubmissionsAreVersioned runs a set's edits and a figure's versions through
// the store on both dialects: a stale set refused, a used indicator kept, a retried submission
// returned as it was, a second version n refused, the review of a superseded version refused,
// and the latest-only filter.
func TestIndicatorSetsAndSubmissionsAreVersioned(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		p := &models.Programme{Code: "KH-237", Name: "Kế hoạch 237", StartsOn: models.NewDate(2021, 1, 1), EndsOn: models.NewDate(2025, 12, 31)}
		p.ApplyDefaults()
		if err := db.CreateProgramme(ctx, "t", p); err != nil {
			t.Fatal(err)
		}
		empty, err := db.FindIndicatorSet(ctx, p.ID)
		if err != nil || empty.Version != 0 || len(empty.Indicators) != 0 {
			t.Fatalf("got %+v, %v", empty, err)
		}
		ind := func(code string) *models.Indicator {
			return &models.Indicator{Code: code, NameVI: "Chỉ tiêu " + code, NameEN: code, Kind: models.IndicatorShare, NumeratorVI: "a", DenominatorVI: "b",
				TargetMin: 0.7, Level: models.IndicatorLevelCommune, Period: models.PeriodHalf, Agency: models.AgencyCommune, Source: models.IndicatorSubmitted}
		}
		set, err := db.SaveIndicatorSet(ctx, "planner", p.ID, 0, []*models.Indicator{ind("outreach"), ind("plans")})
		if err != nil || set.Version != 1 || len(set.Indicators) != 2 || set.Indicators[1].Code != "plans" || set.Indicators[0].TargetMin != 0.7 {
			t.Fatalf("got %+v, %v", set, err)
		}
		if _, err := db.SaveIndicatorSet(ctx, "planner", p.ID, 0, []*models.Indicator{ind("outreach")}); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("a stale version: got %v, want conflict", err)
		}
		n, d := 7.0, 10.0
		sub := func(id string, version int) *models.IndicatorSubmission {
			v := n / d
			return &models.IndicatorSubmission{ID: id, ProgrammeID: p.ID, IndicatorCode: "outreach", Period: "2024-H1", Unit: "916", Version: version,
				Numerator: &n, Denominator: &d, Value: &v, State: models.SubmissionSubmitted, SubmittedBy: "ninhkieu"}
		}
		first, created, err := db.CreateSubmission(ctx, "ninhkieu", sub("s1", 1))
		if err != nil || !created || first.Version != 1 {
			t.Fatalf("got %+v %v %v", first, created, err)
		}
		if again, created, err := db.CreateSubmission(ctx, "ninhkieu", sub("s1", 1)); err != nil || created || again.ID != "s1" {
			t.Fatalf("a retry: got %+v %v %v", again, created, err)
		}
		other := sub("s1", 1)
		other.Narrative = "khác"
		if _, _, err := db.CreateSubmission(ctx, "ninhkieu", other); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("the same id with other content: got %v, want conflict", err)
		}
		if _, _, err := db.CreateSubmission(ctx, "ninhkieu", sub("s1b", 1)); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("a second version 1: got %v, want conflict", err)
		}
		if _, err := db.SaveIndicatorSet(ctx, "planner", p.ID, 1, []*models.Indicator{ind("plans")}); models.ErrorAs(err) == nil || models.ErrorAs(err).Field != "indicators" {
			t.Fatalf("removing a used indicator: got %v", err)
		}
		returned, err := db.ReviewSubmission(ctx, "lead", "s1", models.SubmissionReturned, "thiếu số liệu phường An Hòa")
		if err != nil || returned.State != models.SubmissionReturned || returned.ReviewedBy != "lead" {
			t.Fatalf("got %+v %v", returned, err)
		}
		if _, err := db.ReviewSubmission(ctx, "lead", "s1", models.SubmissionAccepted, ""); !models.IsCode(err, models.ECONFLICT) {
			t.Fatalf("reviewing a returned one: got %v, want conflict", err)
		}
		if _, _, err := db.CreateSubmission(ctx, "ninhkieu", sub("s2", 2)); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindSubmissions(ctx, models.SubmissionFilter{ProgrammeID: p.ID, LatestOnly: true})
		if err != nil || len(got) != 1 || got[0].ID != "s2" {
			t.Fatalf("latest only: got %v %v", got, err)
		}
		all, err := db.FindSubmissions(ctx, models.SubmissionFilter{ProgrammeID: p.ID, Units: []string{"916"}, Periods: []string{"2024-H1"}})
		if err != nil || len(all) != 2 {
			t.Fatalf("all versions: got %v %v", all, err)
		}
		if _, err := db.ReviewSubmission(ctx, "lead", "s2", models.SubmissionAccepted, ""); err != nil {
			t.Fatal(err)
		}
		a := &models.IndicatorAttachment{ID: "a1", Name: "bien-ban.pdf", ContentType: "application/pdf", Size: 3, SHA256: "x", Content: []byte("pdf")}
		if err := db.CreateAttachment(ctx, "ninhkieu", a); err != nil {
			t.Fatal(err)
		}
		if got, err := db.FindAttachment(ctx, "a1"); err != nil || string(got.Content) != "pdf" {
			t.Fatalf("got %v %v", got, err)
		}
	})
}
