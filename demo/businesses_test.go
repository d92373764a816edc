package demo

import (
	"math"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/paulmach/orb"
	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
	"kiemtra/refdata"
)

var (
	testToday    = models.NewDate(2025, 6, 30)
	testBizOnce  sync.Once
	testBiz      []*models.Business
	testBizCats  []models.Category
	testBizError error
)

const testBizN = 1500

// mustBusinesses returns the demo registry for seed 42, built once for all tests.
func mustBusinesses(tb testing.TB) ([]*models.Business, []*models.Area, []models.Category) {
	tb.Helper()
	areas, _ := mustAreas(tb)
	testBizOnce.Do(func() {
		testBizCats, testBizError = refdata.Categories()
		if testBizError == nil {
			testBiz, testBizError = Businesses(42, areas, testBizCats, testBizN, testToday)
		}
	})
	if testBizError != nil {
		tb.Fatalf("Businesses: %v", testBizError)
	}
	return testBiz, areas, testBizCats
}

func TestBusinessesAreManyAndReadyForTheStore(t *testing.T) {
	bs, _, cats := mustBusinesses(t)
	if len(bs) != testBizN {
		t.Errorf("got %d businesses, want %d", len(bs), testBizN)
	}
	catSet := map[string]bool{}
	for _, c := range cats {
		catSet[c.Code] = true
	}
	for _, b := range bs {
		if b.ID != "" || b.Version != 0 || !b.CreatedAt.IsZero() {
			t.Fatalf("%s: store fields are set: id %q version %d", b.Name, b.ID, b.Version)
		}
		if err := b.Validate(catSet); err != nil {
			t.Fatalf("%s: %v", b.Name, err)
		}
	}
}

func TestEveryBusinessLiesInsideItsOwnWardOnly(t *testing.T) {
	bs, areas, _ := mustBusinesses(t)
	shapes := mustShapes(t, areas)
	wards := byLevel(areas, models.AreaLevelWard)
	for _, b := range bs {
		p := orb.Point{b.Lon, b.Lat}
		for _, v := range p {
			if math.Abs(v*1e6-math.Round(v*1e6)) > 1e-6 {
				t.Fatalf("%s: coordinate %v has more than 6 decimals", b.Name, v)
			}
		}
		var in []string
		for _, w := range wards {
			if shapes[w.Code].contains(p) {
				in = append(in, w.Code)
			}
		}
		if len(in) != 1 || in[0] != b.AreaCode {
			t.Fatalf("%s at %v of ward %s is in wards %v", b.Name, p, b.AreaCode, in)
		}
		if d := distanceToBoundary(shapes[b.AreaCode], p); d == 0 {
			t.Fatalf("%s at %v is on its ward's boundary", b.Name, p)
		}
	}
}

func TestBusinessesCrowdInTownsButEveryWardHasSome(t *testing.T) {
	bs, areas, _ := mustBusinesses(t)
	perWard := map[string]int{}
	for _, b := range bs {
		perWard[b.AreaCode]++
	}
	sum, count := map[string]int{}, map[string]int{} // by ward type, and by district
	for _, w := range byLevel(areas, models.AreaLevelWard) {
		if perWard[w.Code] < MinPerWard {
			t.Errorf("ward %s %s has %d businesses, want at least %d", w.Code, w.Name, perWard[w.Code], MinPerWard)
		}
		sum[w.TypeName] += perWard[w.Code]
		count[w.TypeName]++
		sum[*w.ParentCode] += perWard[w.Code]
		count[*w.ParentCode]++
	}
	avg := func(k string) float64 { return float64(sum[k]) / float64(count[k]) }
	if avg("Phường") <= 1.5*avg("Xã") {
		t.Errorf("an urban ward has %.1f businesses on average, a commune %.1f; want many more in towns", avg("Phường"), avg("Xã"))
	}
	for _, d := range byLevel(areas, models.AreaLevelDistrict) {
		if d.Code != centralDistrict && avg(d.Code) >= avg(centralDistrict) {
			t.Errorf("a ward of %s has %.1f businesses on average, of Ninh Kiều %.1f; want Ninh Kiều densest", d.Name, avg(d.Code), avg(centralDistrict))
		}
	}
}

func TestCategoriesFollowARealisticMix(t *testing.T) {
	bs, _, cats := mustBusinesses(t)
	n := map[string]int{}
	for _, b := range bs {
		n[b.Category]++
	}
	for _, c := range cats {
		if n[c.Code] == 0 {
			t.Errorf("no business of category %s", c.Code)
		}
		if c.Code != "accommodation" && c.Code != "karaoke" && (n[c.Code] >= n["accommodation"] || n[c.Code] >= n["karaoke"]) {
			t.Errorf("%s has %d businesses, want fewer than accommodation (%d) and karaoke (%d)", c.Code, n[c.Code], n["accommodation"], n["karaoke"])
		}
	}
	if share := float64(n["dance_hall"]) / float64(len(bs)); share > 0.03 {
		t.Errorf("dance halls are %.1f%% of the registry, want rare", 100*share)
	}
}

func TestBusinessIdentifiersAreUniqueAndWellFormed(t *testing.T) {
	bs, _, cats := mustBusinesses(t)
	certRequired := map[string]bool{}
	for _, c := range cats {
		certRequired[c.Code] = c.SecurityCertificateRequired
	}
	licence := regexp.MustCompile(`^(18\d{8}|57A8\d{6})$`)
	taxCode := regexp.MustCompile(`^18\d{8}$`)
	phone := regexp.MustCompile(`^0(9[0-9]|3[2-9]|7[06-9])\d{7}$`)
	cert := regexp.MustCompile(`^\d+/GCN-ANTT$`)
	seen := map[string]map[string]bool{"licence": {}, "tax code": {}, "certificate": {}, "name": {}}
	unique := func(kind, v string) {
		if seen[kind][v] {
			t.Errorf("%s %q is used twice", kind, v)
		}
		seen[kind][v] = true
	}
	for _, b := range bs {
		if b.LicenceNo == nil || !licence.MatchString(*b.LicenceNo) {
			t.Errorf("%s: licence %v is not an enterprise code or a household registration number", b.Name, b.LicenceNo)
			continue
		}
		unique("licence", *b.LicenceNo)
		if strings.HasPrefix(*b.LicenceNo, "18") && *b.LicenceNo != b.TaxCode {
			t.Errorf("%s: enterprise code %s differs from tax code %s", b.Name, *b.LicenceNo, b.TaxCode)
		}
		if !taxCode.MatchString(b.TaxCode) {
			t.Errorf("%s: tax code %q", b.Name, b.TaxCode)
		}
		unique("tax code", b.TaxCode)
		if !phone.MatchString(b.Phone) {
			t.Errorf("%s: phone %q is not a Vietnamese mobile number", b.Name, b.Phone)
		}
		if certRequired[b.Category] != (b.SecurityCertNo != "") {
			t.Errorf("%s (%s): security certificate %q", b.Name, b.Category, b.SecurityCertNo)
		}
		if b.SecurityCertNo != "" {
			if !cert.MatchString(b.SecurityCertNo) {
				t.Errorf("%s: certificate %q", b.Name, b.SecurityCertNo)
			}
			unique("certificate", b.SecurityCertNo)
		}
		unique("name", b.Name)
	}
}

func TestBusinessTextReadsAsVietnamese(t *testing.T) {
	bs, areas, _ := mustBusinesses(t)
	byCode := map[string]*models.Area{}
	for _, a := range areas {
		byCode[a.Code] = a
	}
	for _, b := range bs {
		for _, s := range []string{b.Name, b.Address, b.OwnerName} {
			if !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) || strings.TrimSpace(s) != s || strings.Contains(s, "  ") {
				t.Fatalf("%q is not clean NFC UTF-8", s)
			}
		}
		ok := false
		for _, p := range prefixes[b.Category] {
			ok = ok || strings.HasPrefix(b.Name, p+" ")
		}
		if !ok {
			t.Errorf("name %q does not start as a %s signboard does", b.Name, b.Category)
		}
		ward := byCode[b.AreaCode]
		district := byCode[*ward.ParentCode]
		if !strings.HasSuffix(b.Address, ", "+ward.Name+", "+district.Name) {
			t.Errorf("address %q does not end with the ward and district", b.Address)
		}
		if ward.TypeName == "Xã" && !strings.Contains(b.Address, "ấp ") {
			t.Errorf("address %q in a commune names no hamlet", b.Address)
		}
		if ward.TypeName != "Xã" && !strings.HasPrefix(b.Address, "số ") {
			t.Errorf("address %q in a town has no house number", b.Address)
		}
		if words := strings.Fields(b.OwnerName); len(words) != 3 {
			t.Errorf("owner %q is not family, middle and given name", b.OwnerName)
		}
	}
}

func TestBusinessDatesAndStatusesAreConsistent(t *testing.T) {
	bs, _, _ := mustBusinesses(t)
	n := map[string]int{}
	early, late := 0, 0 // openings in 2010-2014 and in 2020-2024
	for _, b := range bs {
		n[b.Status]++
		if b.OpenedOn.Before(firstOpening) || b.OpenedOn.After(testToday) {
			t.Errorf("%s opened on %s, outside 2010-01-01 to today", b.Name, b.OpenedOn)
		}
		switch y := b.OpenedOn.Year; {
		case y >= 2010 && y <= 2014:
			early++
		case y >= 2020 && y <= 2024:
			late++
		}
		switch b.Status {
		case models.BusinessClosed:
			if !b.ClosedOn.After(b.OpenedOn) || b.ClosedOn.After(testToday) || b.StatusSince != b.ClosedOn {
				t.Errorf("%s opened %s closed %s status since %s", b.Name, b.OpenedOn, b.ClosedOn, b.StatusSince)
			}
			if b.ActiveOn(testToday) {
				t.Errorf("%s is closed but active today", b.Name)
			}
		case models.BusinessSuspended:
			if b.StatusSince.Before(b.OpenedOn) || b.StatusSince.After(testToday) || !b.ClosedOn.IsZero() {
				t.Errorf("%s opened %s suspended since %s", b.Name, b.OpenedOn, b.StatusSince)
			}
		default:
			if b.StatusSince != b.OpenedOn || !b.ClosedOn.IsZero() {
				t.Errorf("%s opened %s active since %s closed %s", b.Name, b.OpenedOn, b.StatusSince, b.ClosedOn)
			}
		}
	}
	if got := n[models.BusinessClosed]; got < 140 || got > 160 {
		t.Errorf("%d of %d closed, want about 10%%", got, len(bs))
	}
	if got := n[models.BusinessSuspended]; got < 20 || got > 40 {
		t.Errorf("%d of %d suspended, want about 2%%", got, len(bs))
	}
	if late <= early*3/2 {
		t.Errorf("%d openings in 2020-2024 and %d in 2010-2014, want recent years more frequent", late, early)
	}
}

func TestBusinessesAreDeterministicFromTheSeed(t *testing.T) {
	first, areas, cats := mustBusinesses(t)
	again, err := Businesses(42, areas, cats, testBizN, testToday)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, again) {
		t.Error("the same seed gave a different registry")
	}
	other, err := Businesses(43, areas, cats, testBizN, testToday)
	if err != nil {
		t.Fatal(err)
	}
	same := 0
	for k := range other {
		if other[k].Name == first[k].Name && other[k].Lat == first[k].Lat {
			same++
		}
	}
	if same > testBizN/100 {
		t.Errorf("seeds 42 and 43 share %d of %d businesses", same, testBizN)
	}
}

func TestBusinessesRefusesInputItCannotUse(t *testing.T) {
	_, areas, cats := mustBusinesses(t)
	wards := len(byLevel(areas, models.AreaLevelWard))
	broken := append([]*models.Area(nil), areas...)
	bad := *broken[len(broken)-1]
	bad.Geometry = `{"type":"Point","coordinates":[105.7,10]}`
	broken[len(broken)-1] = &bad
	tests := []struct {
		name  string
		areas []*models.Area
		cats  []models.Category
		n     int
		today models.Date
	}{
		{"no categories", areas, nil, 500, testToday},
		{"no wards", byLevel(areas, models.AreaLevelDistrict), cats, 500, testToday},
		{"fewer businesses than three a ward", areas, cats, MinPerWard*wards - 1, testToday},
		{"a day before any business could open", areas, cats, 500, models.NewDate(2010, 6, 1)},
		{"a ward whose geometry is not a polygon", broken, cats, 500, testToday},
		{"a ward whose geometry is not GeoJSON", append(areas[:len(areas):len(areas)], &models.Area{Code: "1", Level: models.AreaLevelWard, Geometry: "{"}), cats, 500, testToday},
	}
	for _, tc := range tests {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			if _, err := Businesses(1, tc.areas, tc.cats, tc.n, tc.today); err == nil {
				t.Error("got no error")
			}
		})
	}
	t.Run("exactly three a ward is accepted", func(t *testing.T) {
		bs, err := Businesses(1, areas, cats, MinPerWard*wards, testToday)
		if err != nil || len(bs) != MinPerWard*wards {
			t.Errorf("got %d businesses and %v", len(bs), err)
		}
	})
}
