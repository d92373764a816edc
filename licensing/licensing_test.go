package licensing_test

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"kiemtra/licensing"
	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func ptr(s string) *string { return &s }

type seed struct {
	db  *store.DB
	svc *licensing.Service
	biz map[string]*models.Business
}

func newSeed(t *testing.T, db *store.DB) *seed {
	t.Helper()
	ctx := context.Background()
	areas := []*models.Area{
		{Code: "92", Name: "Thành phố Cần Thơ", Level: models.AreaLevelCity},
		{Code: "916", ParentCode: ptr("92"), Name: "Quận Ninh Kiều", Level: models.AreaLevelDistrict},
		{Code: "31117", ParentCode: ptr("916"), Name: "Phường Cái Khế", Level: models.AreaLevelWard},
	}
	if err := db.UpsertAreas(ctx, "t", areas); err != nil {
		t.Fatal(err)
	}
	s := &seed{db: db, biz: map[string]*models.Business{}}
	// A chain's branches share the head office's tax code with a suffix, so a code is a
	// prefix of its branches' codes.
	for _, b := range []struct{ key, licence, tax string }{
		{"head", "L0001", "0301234567"},
		{"branch1", "L0002", "0301234567-001"},
		{"branch2", "L0003", "0301234567-002"},
	} {
		m := &models.Business{Name: "Karaoke " + b.key, Category: "karaoke", LicenceNo: ptr(b.licence), TaxCode: b.tax, Address: "số 1 đường 30 Tháng 4",
			Lat: 10.03, Lon: 105.77, AreaCode: "31117", Status: models.BusinessActive, OpenedOn: models.NewDate(2015, 3, 1)}
		if err := db.CreateBusinesses(ctx, "t", []*models.Business{m}); err != nil {
			t.Fatal(err)
		}
		s.biz[b.key] = m
	}
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	s.svc = licensing.New(db, func() time.Time { return now }, time.UTC)
	return s
}

func (s *seed) visit(t *testing.T, id, key, outcome string, day time.Time, codes ...string) {
	t.Helper()
	in := &models.Inspection{ID: id, BusinessID: s.biz[key].ID, StartedAt: day.Add(-time.Hour), FinishedAt: day, Outcome: outcome,
		ChecklistVersion: 1, Answers: "[]", Members: "[]", BodySHA256: id, CreatedBy: "t"}
	v := models.Visit{Inspection: in}
	for _, c := range codes {
		v.Findings = append(v.Findings, &models.Finding{Code: c, Severity: "medium"})
	}
	if err := s.db.ApplyVisits(context.Background(), "t", []models.Visit{v}); err != nil {
		t.Fatal(err)
	}
}

func TestExactLookupsFindTheOneBusiness(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newSeed(t, db)
		for _, tc := range []struct {
			name string
			q    licensing.Query
			want string // business key; "" for not found
		}{
			{"a branch's tax code among codes that share its prefix", licensing.Query{TaxCode: "0301234567-002"}, "branch2"},
			{"the head office's tax code, a prefix of its branches'", licensing.Query{TaxCode: "0301234567"}, "head"},
			{"a tax code with blanks around it", licensing.Query{TaxCode: " 0301234567-001 "}, "branch1"},
			{"a part of a tax code is not a match", licensing.Query{TaxCode: "030123456"}, ""},
			{"a licence typed in lower case", licensing.Query{LicenceNo: "l0003"}, "branch2"},
			{"a licence with a blank search beside it", licensing.Query{LicenceNo: "L0001", Q: "  "}, "head"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tc.q.Purpose = "HS-2026-117"
				res, err := s.svc.Check(context.Background(), "police", tc.q)
				var rep *licensing.Report
				if res != nil {
					rep = res.Report
				}
				switch {
				case tc.want == "" && !models.IsCode(err, models.ENOTFOUND):
					t.Fatalf("want not found, got %v %v", rep, err)
				case tc.want != "" && (err != nil || rep == nil || rep.Business.ID != s.biz[tc.want].ID):
					t.Fatalf("want %s, got %+v %v", tc.want, rep, err)
				}
			})
		}
		if _, err := s.svc.Check(context.Background(), "police", licensing.Query{Q: " ", Purpose: "HS-1"}); !models.IsCode(err, models.EINVALID) {
			t.Fatalf("a blank search alone: %v", err)
		}
	})
}

// The summary follows the record: a violation is open until an inspection does not find it
// again, and a corrected result (an amendment) replaces the original in the answer.
func TestTheSummaryFollowsResolutionsAndAmendments(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newSeed(t, db)
		ctx := context.Background()
		check := func(want string, openCodes int) *licensing.Report {
			t.Helper()
			res, err := s.svc.Check(ctx, "police", licensing.Query{LicenceNo: "L0001", Purpose: "HS-2026-117"})
			if err != nil {
				t.Fatal(err)
			}
			rep := res.Report
			if rep.Summary != want || len(rep.OpenViolations) != openCodes {
				t.Fatalf("summary %s with %d open violations, want %s with %d: %+v", rep.Summary, len(rep.OpenViolations), want, openCodes, rep.Inspections)
			}
			return rep
		}
		check(licensing.SummaryNeverInspected, 0)
		s.visit(t, "old", "head", models.OutcomeViolation, time.Date(2020, 6, 1, 9, 0, 0, 0, time.UTC), "PROSTITUTION")
		// The check covers five years: a record of 2020 is past it.
		if rep := check(licensing.SummaryNeverInspected, 0); len(rep.Inspections) != 0 || rep.Since != models.NewDate(2021, 11, 26) {
			t.Fatalf("a check on 2026-11-26 shows %+v since %s", rep.Inspections, rep.Since)
		}
		s.visit(t, "i1", "head", models.OutcomeViolation, time.Date(2024, 5, 10, 9, 0, 0, 0, time.UTC), "HOURS", "FIRE_SAFETY")
		s.visit(t, "i2", "head", models.OutcomeClosed, time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC))
		check(licensing.SummaryOpenViolations, 2)
		s.visit(t, "i3", "head", models.OutcomeCompliant, time.Date(2024, 6, 10, 9, 0, 0, 0, time.UTC))
		rep := check(licensing.SummaryViolationsResolved, 0)
		if len(rep.Inspections) != 3 || rep.Inspections[0].ID != "i3" || rep.Inspections[2].Violations[0].ResolvedOn != models.NewDate(2024, 6, 10) {
			t.Fatalf("inspections: %+v", rep.Inspections)
		}
		// The team corrects i3: the fire exits were blocked after all.
		fix := &models.Inspection{ID: "i3-fix", AmendsID: ptr("i3"), BusinessID: s.biz["head"].ID, StartedAt: rep.Inspections[0].FinishedAt.Add(-time.Hour),
			FinishedAt: rep.Inspections[0].FinishedAt, Outcome: models.OutcomeViolation, ChecklistVersion: 1, Answers: "[]", Members: "[]", BodySHA256: "fix", CreatedBy: "t"}
		if err := db.CreateAmendment(ctx, "t", fix, []*models.Finding{{Code: "FIRE_SAFETY", Severity: "medium"}}); err != nil {
			t.Fatal(err)
		}
		rep = check(licensing.SummaryOpenViolations, 1)
		if r := rep.Inspections[0]; r.ID != "i3" || r.Outcome != models.OutcomeViolation || r.Amendments != 1 || len(r.Violations) != 1 || r.Violations[0].Code != "FIRE_SAFETY" {
			t.Fatalf("the amended inspection: %+v", r)
		}
	})
}

// A search is accent- and case-insensitive and its candidates say where they are, so that
// several can be shown on a map.
func TestASearchWithoutAccentsFindsTheNameWithThem(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newSeed(t, db)
		ctx := context.Background()
		rose := &models.Business{Name: "Karaoke Hoa Hồng", Category: "karaoke", LicenceNo: ptr("L0100"), TaxCode: "1800000001", Address: "số 9 đường Hai Bà Trưng",
			Lat: 10.035, Lon: 105.78, AreaCode: "31117", Status: models.BusinessActive, OpenedOn: models.NewDate(2019, 1, 1)}
		if err := db.CreateBusinesses(ctx, "t", []*models.Business{rose}); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"hoa hong", "HOA HỒNG", "hồng", "hai ba trung"} {
			res, err := s.svc.Check(ctx, "police", licensing.Query{Q: q, Purpose: "HS-2026-117"})
			if err != nil || res.Report != nil || len(res.Candidates) != 1 {
				t.Fatalf("%q: %+v %v", q, res, err)
			}
			c := res.Candidates[0]
			if c.ID != rose.ID || c.Name != "Karaoke Hoa Hồng" || c.Lat != 10.035 || c.Lon != 105.78 || c.AreaCode != "31117" || c.AreaName != "Phường Cái Khế" {
				t.Fatalf("%q: candidate %+v", q, c)
			}
		}
	})
}

// Every lookup is audited with its purpose and the businesses it named, by id and by name, and
// the answer carries the audit event's id for the printed record.
func TestEveryLookupIsAuditedAndCarriesItsAuditID(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newSeed(t, db)
		ctx := context.Background()
		for _, tc := range []struct {
			name     string
			q        licensing.Query
			notFound bool
			entity   string
			names    []string
			query    string
		}{
			{"a licence", licensing.Query{LicenceNo: "l0002"}, false, s.biz["branch1"].ID, []string{"Karaoke branch1"}, "licence_no=l0002"},
			{"a search naming three", licensing.Query{Q: "karaoke"}, false, "(search)", []string{"Karaoke branch1", "Karaoke branch2", "Karaoke head"}, "q=karaoke"},
			{"a number nobody has", licensing.Query{TaxCode: "9999999999"}, true, "(none)", nil, "tax_code=9999999999"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				tc.q.Purpose = "  HS-2026-200 "
				res, err := s.svc.Check(ctx, "police", tc.q)
				if tc.notFound != models.IsCode(err, models.ENOTFOUND) || (!tc.notFound && err != nil) || res == nil {
					t.Fatalf("%+v %v", res, err)
				}
				if res.LookupID <= 0 || res.Purpose != "HS-2026-200" || res.CheckedAt.IsZero() {
					t.Fatalf("the answer: %+v", res)
				}
				ev, err := db.FindAuditEvents(ctx, models.AuditFilter{Action: "licensing_lookup", Limit: 1})
				if err != nil || len(ev) != 1 {
					t.Fatal(ev, err)
				}
				e := ev[0]
				l := models.ParseLookupRecord(e.Details)
				names := append([]string(nil), l.BusinessNames...)
				sort.Strings(names)
				if e.ID != res.LookupID || e.Actor != "police" || e.EntityID != tc.entity || l.Purpose != "HS-2026-200" || l.Query != tc.query ||
					len(l.BusinessIDs) != len(tc.names) || strings.Join(names, ",") != strings.Join(tc.names, ",") {
					t.Fatalf("audited %+v: %+v", e, l)
				}
			})
		}
		// A query that fails validation is neither answered nor audited.
		before, _ := db.FindAuditEvents(ctx, models.AuditFilter{Action: "licensing_lookup"})
		if _, err := s.svc.Check(ctx, "police", licensing.Query{Q: "karaoke"}); !models.IsCode(err, models.EINVALID) {
			t.Fatalf("no purpose: %v", err)
		}
		if after, _ := db.FindAuditEvents(ctx, models.AuditFilter{Action: "licensing_lookup"}); len(after) != len(before) {
			t.Fatalf("a refused lookup was audited: %d then %d", len(before), len(after))
		}
	})
}
