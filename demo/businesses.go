package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"kiemtra/models"
)

// enterpriseShare is the share of companies in a category: dance halls, bars and hotels are
// mostly companies, small places household businesses.
var enterpriseShare = map[string]float64{"accommodation": 0.35, "karaoke": 0.35, "dance_hall": 0.8, "bar": 0.5}

// The demo registry's shape. The shares are of n and are met exactly (rounded), so that the
// numbers a demo shows do not wobble with the seed.
const (
	// MinPerWard is the fewest businesses a ward gets, so that every ward shows up in coverage.
	MinPerWard   = 3
	closedShare  = 0.10
	suspendShare = 0.02
	// centralDistrict is Ninh Kieu, the city centre, where service businesses are densest.
	centralDistrict = "916"
	// pcgStream fixes the PCG stream so that the seed alone selects the output.
	pcgStream = 0x6b69656d74726121
)

// firstOpening is the earliest opening date of a demo business.
var firstOpening = models.NewDate(2010, 1, 1)

// Businesses returns n synthetic businesses spread over the wards in areas, deterministic from
// seed: the same inputs give the same output. Every ward gets at least MinPerWard businesses and
// urban wards (Phường, Ninh Kieu most) get more; categories follow a realistic mix over the codes
// in cats. About 10% are closed and 2% suspended as of today; licence numbers and tax codes are
// unique. IDs are left empty for the store to assign.
func Businesses(seed int64, areas []*models.Area, cats []models.Category, n int, today models.Date) ([]*models.Business, error) {
	g, err := newGenerator(seed, today)
	if err != nil {
		return nil, err
	}
	return g.registry(areas, cats, n, canThoCodes)
}

// registryCodes are a province's prefixes in the numbers its offices issue: the tax code (and so
// a company's enterprise code), and a household business's registration number.
type registryCodes struct{ tax, household string }

// The former provinces' prefixes (tax offices 18, 63 and 22; registration numbers with the old
// province codes 57, 64 and 59), so that numbers stay unique across the three registries.
var (
	canThoCodes   = registryCodes{tax: "18", household: "57A8"}
	hauGiangCodes = registryCodes{tax: "63", household: "64A8"}
	socTrangCodes = registryCodes{tax: "22", household: "59A8"}
)

func newGenerator(seed int64, today models.Date) (*generator, error) {
	if today.Before(firstOpening.AddDays(365)) {
		return nil, fmt.Errorf("demo businesses: today %s is too early; openings start %s", today, firstOpening)
	}
	return &generator{
		rng:      rand.New(rand.NewPCG(uint64(seed), pcgStream)),
		today:    today,
		licences: map[string]bool{},
		taxCodes: map[string]bool{},
		phones:   map[string]bool{},
		names:    map[string]int{},
	}, nil
}

// registry draws n businesses over the wards or communes in areas with a province's numbers.
// One generator drawing several registries keeps numbers, phones and names unique across them.
func (g *generator) registry(areas []*models.Area, cats []models.Category, n int, codes registryCodes) ([]*models.Business, error) {
	if len(cats) == 0 {
		return nil, fmt.Errorf("demo businesses: no categories")
	}
	wards, err := demoWards(areas)
	if err != nil {
		return nil, err
	}
	if n < MinPerWard*len(wards) {
		return nil, fmt.Errorf("demo businesses: n = %d is less than %d per ward for %d wards", n, MinPerWard, len(wards))
	}
	catWeights := make([]float64, len(cats))
	for k, c := range cats {
		catWeights[k] = categoryWeight(c.Code)
	}
	perWard := g.spread(wards, n)
	statuses := g.statuses(n)
	out := make([]*models.Business, 0, n)
	for wi, w := range wards {
		for range perWard[wi] {
			cat := cats[g.pick(catWeights)]
			b, err := g.business(w, cat, statuses[len(out)], codes)
			if err != nil {
				return nil, err
			}
			out = append(out, b)
		}
	}
	return out, nil
}

// ward is a ward with what placing and addressing businesses in it needs.
type ward struct {
	area     *models.Area
	district *models.Area // nil when the ward's parent is not among the areas
	shape    orb.Geometry // Polygon or MultiPolygon
	bound    orb.Bound
	weight   float64
}

func demoWards(areas []*models.Area) ([]*ward, error) {
	byCode := make(map[string]*models.Area, len(areas))
	for _, a := range areas {
		byCode[a.Code] = a
	}
	var wards []*ward
	for _, a := range areas {
		if a.Level != models.AreaLevelWard && a.Level != models.AreaLevelCommune {
			continue
		}
		gj, err := geojson.UnmarshalGeometry([]byte(a.Geometry))
		if err != nil {
			return nil, fmt.Errorf("demo businesses: geometry of ward %s: %w", a.Code, err)
		}
		w := &ward{area: a, shape: gj.Geometry()}
		switch s := w.shape.(type) {
		case orb.Polygon, orb.MultiPolygon:
			w.bound = s.Bound()
		default:
			return nil, fmt.Errorf("demo businesses: ward %s has a %s, not a polygon", a.Code, gj.Type)
		}
		if a.ParentCode != nil {
			w.district = byCode[*a.ParentCode]
		}
		switch a.TypeName {
		case "Phường":
			w.weight = 3
		case "Thị trấn":
			w.weight = 2
		default:
			w.weight = 1
		}
		if w.district != nil && w.district.Code == centralDistrict {
			w.weight *= 2
		}
		wards = append(wards, w)
	}
	if len(wards) == 0 {
		return nil, fmt.Errorf("demo businesses: no wards among %d areas", len(areas))
	}
	return wards, nil
}

func (w *ward) contains(p orb.Point) bool {
	switch s := w.shape.(type) {
	case orb.Polygon:
		return planar.PolygonContains(s, p)
	case orb.MultiPolygon:
		return planar.MultiPolygonContains(s, p)
	}
	return false
}

// generator holds the random source and what must stay unique across the registry.
type generator struct {
	rng       *rand.Rand
	today     models.Date
	licences  map[string]bool
	taxCodes  map[string]bool
	phones    map[string]bool
	names     map[string]int // how often a name is used, to number the branches
	certCount int
}

// pick returns an index drawn with probability proportional to its weight.
func (g *generator) pick(weights []float64) int {
	total := 0.0
	for _, w := range weights {
		total += w
	}
	x := g.rng.Float64() * total
	for k, w := range weights {
		if x < w {
			return k
		}
		x -= w
	}
	return len(weights) - 1
}

func (g *generator) choose(list []string) string { return list[g.rng.IntN(len(list))] }

// spread gives every ward MinPerWard businesses and draws the rest by ward weight.
func (g *generator) spread(wards []*ward, n int) []int {
	counts := make([]int, len(wards))
	weights := make([]float64, len(wards))
	for k, w := range wards {
		counts[k] = MinPerWard
		weights[k] = w.weight
	}
	for range n - MinPerWard*len(wards) {
		counts[g.pick(weights)]++
	}
	return counts
}

// statuses returns n statuses in random order with exactly the closed and suspended shares.
func (g *generator) statuses(n int) []string {
	s := make([]string, n)
	closed := int(math.Round(closedShare * float64(n)))
	suspended := int(math.Round(suspendShare * float64(n)))
	for k := range s {
		switch {
		case k < closed:
			s[k] = models.BusinessClosed
		case k < closed+suspended:
			s[k] = models.BusinessSuspended
		default:
			s[k] = models.BusinessActive
		}
	}
	g.rng.Shuffle(n, func(i, j int) { s[i], s[j] = s[j], s[i] })
	return s
}

func (g *generator) business(w *ward, cat models.Category, status string, codes registryCodes) (*models.Business, error) {
	b := &models.Business{
		Name:      g.name(cat.Code, w),
		Category:  cat.Code,
		Address:   g.address(w),
		Phone:     g.phone(),
		OwnerName: g.person(cat.Code),
		AreaCode:  w.area.Code,
		Status:    status,
	}
	var err error
	if b.Lat, b.Lon, err = g.place(w); err != nil {
		return nil, err
	}
	b.TaxCode = g.unique(g.taxCodes, func() string { return fmt.Sprintf("%s%08d", codes.tax, g.rng.IntN(1e8)) })
	// A company's enterprise code is its tax code; a household business gets a district
	// registration number with the province's code in it.
	enterprise, ok := enterpriseShare[cat.Code]
	if !ok {
		enterprise = 0.12
	}
	if g.rng.Float64() < enterprise {
		lic := b.TaxCode
		g.licences[lic] = true
		b.LicenceNo = &lic
	} else {
		lic := g.unique(g.licences, func() string { return fmt.Sprintf("%s%06d", codes.household, g.rng.IntN(1e6)) })
		b.LicenceNo = &lic
	}
	if cat.SecurityCertificateRequired {
		g.certCount++
		b.SecurityCertNo = fmt.Sprintf("%d/GCN-ANTT", g.certCount)
	}

	// Openings grow over the years: a mix of uniform and linearly increasing densities.
	last := g.today
	if status == models.BusinessClosed {
		last = g.today.AddDays(-60) // leave room for the closing
	}
	span := firstOpening.DaysUntil(last)
	t := g.rng.Float64()
	if g.rng.Float64() < 0.6 {
		t = math.Sqrt(t)
	}
	b.OpenedOn = firstOpening.AddDays(min(int(t*float64(span+1)), span))
	switch status {
	case models.BusinessClosed:
		b.ClosedOn = b.OpenedOn.AddDays(30 + g.rng.IntN(b.OpenedOn.DaysUntil(g.today)-30+1))
		b.StatusSince = b.ClosedOn
	case models.BusinessSuspended:
		// A suspension is recent: within the last half year, and after the opening.
		since := max(b.OpenedOn.DaysUntil(g.today)-180, 0)
		b.StatusSince = b.OpenedOn.AddDays(since + g.rng.IntN(b.OpenedOn.DaysUntil(g.today)-since+1))
	default:
		b.StatusSince = b.OpenedOn
	}
	return b, nil
}

// unique draws from gen until it gets a value not in seen, and records it.
func (g *generator) unique(seen map[string]bool, gen func() string) string {
	for {
		v := gen()
		if !seen[v] {
			seen[v] = true
			return v
		}
	}
}

// place draws a point inside the ward: half the time near its label point, where the centre of
// a ward usually is, otherwise anywhere in it. Points on a grid line are redrawn, because the
// ward boundaries run along grid lines and a point on one would be in two wards.
func (g *generator) place(w *ward) (lat, lon float64, err error) {
	dx, dy := w.bound.Max[0]-w.bound.Min[0], w.bound.Max[1]-w.bound.Min[1]
	central := g.rng.Float64() < 0.5
	for try := 0; try < 10000; try++ {
		var p orb.Point
		if central && try < 50 {
			p = orb.Point{w.area.Lon + g.rng.NormFloat64()*dx/6, w.area.Lat + g.rng.NormFloat64()*dy/6}
		} else {
			p = orb.Point{w.bound.Min[0] + g.rng.Float64()*dx, w.bound.Min[1] + g.rng.Float64()*dy}
		}
		p = orb.Point{math.Round(p[0]*1e6) / 1e6, math.Round(p[1]*1e6) / 1e6}
		if onGridLine(p[0]) || onGridLine(p[1]) || !w.contains(p) {
			continue
		}
		return p[1], p[0], nil
	}
	return 0, 0, fmt.Errorf("demo businesses: found no point inside ward %s", w.area.Code)
}

func onGridLine(v float64) bool {
	micro := int64(math.Round(v * 1e6))
	return micro%(1e6/cellsPerDeg) == 0
}

// categoryWeight is the share of a category in the registry: guesthouses and karaoke are
// everywhere, dance halls are few. Codes the demo does not know get a small share.
func categoryWeight(code string) float64 {
	if w, ok := map[string]float64{
		"accommodation":      30,
		"karaoke":            22,
		"hostess_cafe":       10,
		"massage":            8,
		"hair_salon":         8,
		"hostess_restaurant": 8,
		"spa":                6,
		"bar":                4,
		"other":              3,
		"dance_hall":         1,
	}[code]; ok {
		return w
	}
	return 2
}

// prefixes are the words a category's signboards start with, most common first (weighted by
// repetition).
var prefixes = map[string][]string{
	"accommodation":      {"Nhà nghỉ", "Nhà nghỉ", "Nhà nghỉ", "Nhà nghỉ", "Khách sạn", "Khách sạn", "Khách sạn", "Nhà trọ", "Nhà trọ", "Homestay", "Căn hộ dịch vụ"},
	"karaoke":            {"Karaoke", "Karaoke", "Karaoke", "Karaoke", "Karaoke", "Karaoke gia đình"},
	"dance_hall":         {"Vũ trường", "Vũ trường", "Club"},
	"bar":                {"Bar", "Bar", "Pub", "Lounge", "Beer club"},
	"massage":            {"Massage", "Massage", "Massage", "Xông hơi - Massage", "Massage chân"},
	"spa":                {"Spa", "Spa", "Spa", "Thẩm mỹ viện", "Beauty Spa"},
	"hair_salon":         {"Hớt tóc", "Hớt tóc", "Hớt tóc thanh nữ", "Salon tóc", "Gội đầu dưỡng sinh"},
	"hostess_restaurant": {"Quán nhậu", "Quán nhậu", "Quán nhậu", "Nhà hàng", "Quán bia", "Lẩu nướng"},
	"hostess_cafe":       {"Cà phê", "Cà phê", "Cà phê", "Cà phê sân vườn", "Cà phê võng", "Cà phê chòi"},
	"other":              {"Phòng trà", "Cơ sở dịch vụ", "Câu lạc bộ bi-a", "Game online"},
}

// Signboard names: pleasant words and flowers, places of the Mekong delta, people's names, and
// the English words that karaoke parlours and bars like.
var (
	namesCommon = []string{
		"Hoa Hồng", "Hoa Mai", "Ngọc Lan", "Hoa Sen", "Hoa Sứ", "Cẩm Tú", "Thanh Bình", "Phát Đạt",
		"Hưng Thịnh", "Phúc Lộc", "Bình An", "An Khang", "Hạnh Phúc", "Như Ý", "Thiên Phú",
		"Kim Ngân", "Hoàng Gia", "Sông Hậu", "Tây Đô", "Miền Tây", "Ninh Kiều", "Cái Răng",
		"Phong Điền", "Hậu Giang", "Mỹ Linh", "Thanh Xuân", "Thu Trang", "Ngọc Hân", "Minh Thư",
		"Hồng Nhung", "Bảo Anh", "Kim Phượng", "Mây", "Gió", "Nắng", "Trăng", "Sao Mai",
		"Hoàng Hôn", "Bến Xưa", "Phù Sa", "Gió Chướng", "Lục Bình", "Thủy Tiên", "Hoa Lài",
		"Cúc Vàng", "Trúc Xanh", "Bạch Dương", "Hồng Phát", "Tân Phát", "Vạn Phúc", "Đại Lộc",
		"Minh Châu", "Bảo Ngọc", "Ngọc Trâm", "Hải Yến", "Phương Nam", "Cửu Long", "Bến Ninh Kiều",
		"Cồn Sơn", "Cầu Cần Thơ", "Chợ Nổi", "Thảo Nguyên", "Hoàng Long", "Kim Long", "Song Long",
		"Sài Gòn", "Đà Lạt", "Vũng Tàu", "Tuổi Hồng", "Thiên Thanh", "Mộng Mơ", "Hoài Niệm", "Tình Xưa",
	}
	namesEnglish = []string{
		"Galaxy", "Paradise", "Diamond", "Star", "Sunshine", "Luxury", "Queen", "King", "Venus",
		"Hollywood", "New World", "Platinum", "Gold", "Moonlight", "Blue Sky", "Vip", "Skyline",
		"Sky", "Ruby", "Sapphire", "Crystal", "Royal", "Dubai", "Las Vegas", "Heaven", "Angel",
		"Lucky", "Sunset", "Ocean", "Phoenix", "Nice", "Sense", "Memory", "Monaco", "Tokyo", "Seoul",
	}
	namesPub = []string{
		"Ba Khía", "Cá Lóc Nướng", "Út Hiền", "Tư Mập", "Hai Lúa", "Bảy Núi", "Dê Núi", "Ốc Đêm",
		"Lẩu Mắm", "Bờ Kè", "Chín Ngon", "Sáu Tửng",
	}
)

// name returns a signboard name for the category in the ward. A name already in use is drawn
// again a few times and then numbered, as a second branch is ("Karaoke Galaxy 2").
func (g *generator) name(code string, w *ward) string {
	pre, ok := prefixes[code]
	if !ok {
		pre = prefixes["other"]
	}
	var name string
	for try := 0; try < 4; try++ {
		var body string
		switch x := g.rng.Float64(); {
		case x < 0.12:
			// Many places are named after their ward: "Nhà nghỉ Cái Khế".
			body = strings.TrimPrefix(w.area.Name, w.area.TypeName+" ")
		case (code == "hostess_restaurant" || code == "hostess_cafe") && x < 0.55:
			body = g.choose(namesPub)
		case (code == "karaoke" || code == "bar" || code == "dance_hall" || code == "spa") && x < 0.5:
			body = g.choose(namesEnglish)
		default:
			body = g.choose(namesCommon)
		}
		name = g.choose(pre) + " " + body
		if g.names[name] == 0 {
			break
		}
	}
	g.names[name]++
	if k := g.names[name]; k > 1 {
		name = fmt.Sprintf("%s %d", name, k)
	}
	return name
}

// Streets by district code; districts without a list use the main roads.
var (
	streets = map[string][]string{
		"916": { // Ninh Kiều
			"30 Tháng 4", "Trần Hưng Đạo", "Nguyễn Văn Cừ", "Mậu Thân", "3 Tháng 2", "Cách Mạng Tháng 8",
			"Hai Bà Trưng", "Nguyễn Trãi", "Hòa Bình", "Phan Đình Phùng", "Nguyễn An Ninh",
			"Trần Văn Khéo", "Lý Tự Trọng", "Nguyễn Việt Hồng", "Trần Phú", "Ngô Quyền", "Võ Văn Tần",
			"Hùng Vương", "Đề Thám", "Xô Viết Nghệ Tĩnh", "Nguyễn Văn Linh", "Lý Thường Kiệt",
			"Trần Văn Hoài", "Đồng Khởi", "Phạm Ngũ Lão", "Nguyễn Thị Minh Khai",
		},
		"918": { // Bình Thủy
			"Lê Hồng Phong", "Cách Mạng Tháng 8", "Bùi Hữu Nghĩa", "Trần Quang Diệu", "Võ Văn Kiệt",
			"Huỳnh Phan Hộ", "Đặng Văn Dày", "Lê Thị Hồng Gấm", "Nguyễn Chí Thanh", "Huỳnh Mẫn Đạt",
		},
		"919": { // Cái Răng
			"Võ Nguyên Giáp", "Quốc lộ 1A", "Hàm Nghi", "Lê Bình", "Trần Chiên", "Phạm Hùng",
			"Nguyễn Việt Dũng", "Quang Trung", "Trần Hưng Đạo", "Nguyễn Văn Cừ",
		},
		"917": { // Ô Môn
			"Quốc lộ 91", "Lưu Hữu Phước", "Trần Hưng Đạo", "Châu Văn Liêm", "Kim Đồng",
			"Tôn Đức Thắng", "Nguyễn Trọng Quyền",
		},
		"923": { // Thốt Nốt
			"Quốc lộ 91", "Lê Thị Tạo", "Nguyễn Trọng Ghi", "Phan Đình Giót", "Thoại Ngọc Hầu",
			"Bạch Đằng", "Nguyễn Thái Học", "Quốc lộ 80",
		},
		"924": {"Quốc lộ 80", "Tỉnh lộ 919", "Quốc lộ 80B"},            // Vĩnh Thạnh
		"925": {"Tỉnh lộ 921", "Tỉnh lộ 922", "Quốc lộ 91"},            // Cờ Đỏ
		"926": {"Tỉnh lộ 923", "Tỉnh lộ 926", "Nguyễn Văn Cừ nối dài"}, // Phong Điền
		"927": {"Tỉnh lộ 922", "Lê Lợi", "Tỉnh lộ 919"},                // Thới Lai
	}
	mainRoads = []string{"Quốc lộ 91", "Quốc lộ 1A", "Tỉnh lộ 923", "Tỉnh lộ 922", "Quốc lộ 91B", "Võ Văn Kiệt"}
	hamlets   = []string{
		"Thới Hòa", "Thới Phong", "Nhơn Lộc", "Nhơn Khánh", "Trường Thọ", "Trường Khương",
		"Mỹ Phụng", "Mỹ Ái", "Thạnh Lợi", "Thạnh Phước", "Đông Thạnh", "Đông Lợi", "Tân Long",
		"Tân Bình", "Vĩnh Quới", "Vĩnh Lân", "Phú Thạnh", "Phú Lợi", "Trung Phú", "Xuân Thạnh",
	}
)

// address writes a street address in a ward or town and a hamlet address in a commune.
func (g *generator) address(w *ward) string {
	tail := w.area.Name
	if w.district != nil {
		tail += ", " + w.district.Name
	}
	if w.area.TypeName == "Xã" {
		hamlet := "ấp " + g.choose(hamlets)
		if g.rng.Float64() < 0.4 {
			hamlet += " " + g.choose([]string{"1", "2", "3", "A", "B"})
		}
		if g.rng.Float64() < 0.3 {
			// A roadside place is known by its road as well.
			return fmt.Sprintf("%s, %s, %s", g.choose(mainRoads), hamlet, tail)
		}
		return hamlet + ", " + tail
	}
	list := mainRoads
	if w.district != nil {
		if s, ok := streets[w.district.Code]; ok {
			list = s
		}
	}
	street := g.choose(list)
	if !strings.HasPrefix(street, "Quốc lộ") && !strings.HasPrefix(street, "Tỉnh lộ") {
		street = "đường " + street
	}
	number := fmt.Sprint(1 + g.rng.IntN(250))
	if g.rng.Float64() < 0.3 {
		// A house in an alley: number/alley house number.
		number = fmt.Sprintf("%d/%d", 1+g.rng.IntN(200), 1+g.rng.IntN(60))
	}
	return fmt.Sprintf("số %s %s, %s", number, street, tail)
}

// phone returns a Vietnamese mobile number of a real network prefix.
func (g *generator) phone() string {
	prefixes := []string{"090", "091", "093", "094", "096", "097", "098", "032", "033", "034", "035",
		"036", "037", "038", "039", "070", "076", "077", "078", "079"}
	return g.unique(g.phones, func() string {
		return fmt.Sprintf("%s%07d", g.choose(prefixes), g.rng.IntN(1e7))
	})
}

// Vietnamese personal names, with southern and Khmer family names and weights by repetition.
var (
	familyNames = []string{
		"Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần",
		"Trần", "Lê", "Lê", "Lê", "Phạm", "Phạm", "Huỳnh", "Huỳnh", "Võ", "Võ", "Phan", "Trương", "Đặng",
		"Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lâm", "Châu", "Thạch", "Danh", "Tô", "Mai",
	}
	maleMiddle   = []string{"Văn", "Văn", "Văn", "Minh", "Hoàng", "Quốc", "Thanh", "Hữu", "Đức", "Công", "Tấn"}
	femaleMiddle = []string{"Thị", "Thị", "Thị", "Ngọc", "Thanh", "Kim", "Mỹ", "Thu", "Hồng", "Bích"}
	maleGiven    = []string{
		"Hùng", "Dũng", "Tuấn", "Phong", "Hải", "Bình", "Tâm", "Lộc", "Phúc", "Tài", "Sang", "Nghĩa",
		"Hiếu", "Toàn", "Khánh", "Nam", "Thắng", "Hậu", "Trí", "Long", "Vinh", "Thành",
	}
	femaleGiven = []string{
		"Lan", "Hoa", "Hương", "Mai", "Linh", "Trang", "Thảo", "Nhung", "Hạnh", "Yến", "Phượng",
		"Diễm", "Thủy", "Ngân", "Hằng", "Tuyết", "Loan", "Xuân", "Trinh", "Vy", "Ngọc", "Hiền",
	}
)

// person returns an owner's full name; massage, spa, hair salons and cafés are more often run by
// women.
func (g *generator) person(code string) string {
	female := 0.4
	switch code {
	case "massage", "spa", "hair_salon", "hostess_cafe":
		female = 0.65
	}
	middle, given := maleMiddle, maleGiven
	if g.rng.Float64() < female {
		middle, given = femaleMiddle, femaleGiven
	}
	family, m := g.choose(familyNames), g.choose(middle)
	gv := g.choose(given)
	for gv == m { // "Ngọc Ngọc" is not a name
		gv = g.choose(given)
	}
	return family + " " + m + " " + gv
}
