package sanctions

import (
	"context"
	"testing"

	"kiemtra/models"
)

// proposeStore is what Propose reads and writes, with a violation catalogue.
type proposeStore struct {
	Store
	cat  *models.ViolationCatalogue
	made *models.Sanction
}

func (f *proposeStore) FindBusinessByID(_ context.Context, id string) (*models.Business, error) {
	return &models.Business{ID: id, AreaCode: "31117"}, nil
}

func (f *proposeStore) CreateSanction(_ context.Context, _ string, s *models.Sanction) (*models.Sanction, bool, error) {
	f.made = s
	return s, true, nil
}

func (f *proposeStore) FindViolationCatalogue(context.Context, int) (*models.ViolationCatalogue, error) {
	if f.cat == nil {
		return nil, models.Errorf(models.ENOTFOUND, "no catalogue")
	}
	return f.cat, nil
}

// A proposal takes the article and the fine range a planner entered in the catalogue in force;
// without both it keeps the shipped penalty, and a code the catalogue gives a range to may be
// proposed although no penalty was shipped for it.
func TestAProposalTakesTheCataloguesPenalty(t *testing.T) {
	n := func(v int64) *int64 { return &v }
	shipped := []models.Penalty{{Code: "HOURS", Article: "Điều 15", FineMin: 1000000, FineMax: 3000000, SecurityOrder: true}}
	for _, tc := range []struct {
		name, code string
		entry      *models.ViolationType
		article    string
		min, max   int64
		security   bool
	}{
		{"no catalogue entry", "HOURS", nil, "Điều 15", 1000000, 3000000, true},
		{"an article without a range", "HOURS", &models.ViolationType{Code: "HOURS", PenaltyArticle: "Điều 16"}, "Điều 15", 1000000, 3000000, true},
		{"the catalogue's article and range", "HOURS", &models.ViolationType{Code: "HOURS", PenaltyArticle: "Điều 16", FineMinVND: n(2000000), FineMaxVND: n(4000000)}, "Điều 16", 2000000, 4000000, true},
		{"a code only the catalogue prices", "HOUSE_RULES", &models.ViolationType{Code: "HOUSE_RULES", PenaltyArticle: "Điều 12", FineMinVND: n(500000), FineMaxVND: n(1000000)}, "Điều 12", 500000, 1000000, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &proposeStore{cat: &models.ViolationCatalogue{Version: 2}}
			if tc.entry != nil {
				st.cat.Violations = []models.ViolationType{*tc.entry}
			}
			s := New(st, shipped, nil, nil)
			if _, _, err := s.Propose(context.Background(), "planner", ProposeInput{BusinessID: "b1", ViolationCode: tc.code}); err != nil {
				t.Fatal(err)
			}
			if m := st.made; m.PenaltyArticle != tc.article || m.FineMin != tc.min || m.FineMax != tc.max || m.SecurityOrder != tc.security {
				t.Errorf("proposed with %q %d-%d security %v", m.PenaltyArticle, m.FineMin, m.FineMax, m.SecurityOrder)
			}
		})
	}
}
