package demo

import (
	"testing"

	"kiemtra/models"
	"kiemtra/refdata"
)

// The former provinces' communes are each served by exactly one cluster team of about ten, and
// the old city's are left to its district teams (mapped by the reorganisation).
func TestClusterTeamsServeEveryCommuneOfTheFormerProvincesOnce(t *testing.T) {
	spec, err := refdata.Reorganisation2025()
	if err != nil {
		t.Fatal(err)
	}
	teams := ClusterTeams(spec, "92")
	served := map[string]string{}
	slugs := map[string]bool{}
	for _, ts := range teams {
		if slugs[ts.Slug] {
			t.Errorf("two teams named %s", ts.Slug)
		}
		slugs[ts.Slug] = true
		if n := len(ts.Team.Areas); n < 5 || n > 16 {
			t.Errorf("%s serves %d communes, want about %d", ts.Team.Name, n, unitsPerClusterTeam)
		}
		if ts.Team.Level != models.TeamLevelCluster || ts.Team.AreaCode != "92" {
			t.Errorf("%s: level %s in %s", ts.Team.Name, ts.Team.Level, ts.Team.AreaCode)
		}
		for _, c := range ts.Team.Areas {
			if other, ok := served[c]; ok {
				t.Errorf("%s is served by %s and %s", c, other, ts.Slug)
			}
			served[c] = ts.Slug
		}
	}
	for _, u := range spec.Units {
		_, ok := served[u.Code]
		if want := formerProvince(u) != oldCity; ok != want {
			t.Errorf("%s %s (%s): served by a cluster team %v, want %v", u.Code, u.Name, formerProvince(u), ok, want)
		}
	}
	if len(served) != 71 || len(teams) != 7 {
		t.Errorf("%d communes in %d cluster teams, want 71 in 7", len(served), len(teams))
	}
	people := ClusterPeople(teams, "92")
	if len(people) != 3*len(teams) {
		t.Errorf("%d members for %d teams", len(people), len(teams))
	}
}

// The three registries: sized as asked, numbers unique across them, each business inside the
// unit it is filed under with its province's tax office prefix.
func TestGenerateDrawsTheThreeRegistries(t *testing.T) {
	o := DefaultOptions(models.NewDate(2026, 12, 2))
	ds, err := Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Businesses) != o.Businesses || len(ds.ProvinceBusinesses) != o.HauGiang+o.SocTrang {
		t.Fatalf("%d + %d businesses", len(ds.Businesses), len(ds.ProvinceBusinesses))
	}
	wards := map[string]*ward{}
	for _, as := range [][]*models.Area{ds.Areas, provinceAreas(ds.Reform.Spec, hauGiang), provinceAreas(ds.Reform.Spec, socTrang)} {
		ws, err := demoWards(as)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range ws {
			wards[w.area.Code] = w
		}
	}
	prefix := map[string]string{}
	for _, a := range provinceAreas(ds.Reform.Spec, hauGiang) {
		prefix[a.Code] = hauGiangCodes.tax
	}
	for _, a := range provinceAreas(ds.Reform.Spec, socTrang) {
		prefix[a.Code] = socTrangCodes.tax
	}
	licences, taxes := map[string]bool{}, map[string]bool{}
	perProvince := map[string]int{}
	for _, b := range append(append([]*models.Business(nil), ds.Businesses...), ds.ProvinceBusinesses...) {
		w := wards[b.AreaCode]
		if w == nil || !w.contains([2]float64{b.Lon, b.Lat}) {
			t.Fatalf("%s is not inside %s", b.Name, b.AreaCode)
		}
		want := prefix[b.AreaCode]
		if want == "" {
			want = canThoCodes.tax
		}
		if b.TaxCode[:2] != want {
			t.Errorf("%s in %s: tax code %s, want prefix %s", b.Name, b.AreaCode, b.TaxCode, want)
		}
		perProvince[want]++
		if licences[b.Licence()] || taxes[b.TaxCode] {
			t.Fatalf("licence %s or tax code %s used twice", b.Licence(), b.TaxCode)
		}
		licences[b.Licence()], taxes[b.TaxCode] = true, true
	}
	if perProvince["63"] != o.HauGiang || perProvince["22"] != o.SocTrang {
		t.Errorf("per province: %v", perProvince)
	}
	if len(ds.ClusterPeople) != 21 || len(ds.People) != 35 {
		t.Errorf("%d + %d people", len(ds.People), len(ds.ClusterPeople))
	}
}
