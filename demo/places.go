package demo

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"

	"kiemtra/geo"
	"kiemtra/models"
)

// PlaceImporter is the register of places' import (places.Service): the demo's places go
// through the same reading and checks as a planner's file.
type PlaceImporter interface {
	Import(ctx context.Context, actor string, covers func(areaPath string) bool, r io.Reader, name string, maxBytes int64) (*models.PlaceImportReport, error)
}

// Locator finds the ward of a position ("" outside every ward).
type Locator interface {
	Locate(ctx context.Context, lat, lon float64) (code, path string)
}

// demoPlace is one place of the demo's register.
type demoPlace struct {
	kind, name, address string
	lat, lon            float64
}

// Synthetic names, in the way Can Tho's schools, hospitals, pagodas, churches and relics are
// named; none of them is a real place at these coordinates.
var (
	placeSchools   = []string{"Trường THCS %s", "Trường Tiểu học %s", "Trường THPT %s", "Trường Mầm non %s"}
	placeHospitals = []string{"Bệnh viện Đa khoa %s", "Trung tâm Y tế %s", "Bệnh viện Mắt %s"}
	placeReligious = []string{"Chùa %s", "Nhà thờ %s", "Đình thần %s", "Thánh thất %s"}
	placeRelics    = []string{"Di tích Lịch sử %s", "Đền thờ %s", "Di tích Căn cứ %s"}
	placeBodies    = []string{"An Hòa", "Phước Thạnh", "Long Tuyền", "Tân An", "Hưng Lợi", "Bình Minh", "Thới Long",
		"Trường Lạc", "Xuân Khánh", "Hòa An", "Mỹ Khánh", "Nhơn Ái", "Thạnh Xuân", "Long Hòa", "Phú Thứ"}
)

// Places makes the demo's register of places a dance hall must keep away from: around every
// dance hall of the registry a school, a hospital, a pagoda or a church, or a relic; about one
// dance hall in four (the first, the fifth, ...) has one closer than the rule's 200 m (at 60 to 190 m), the others have
// theirs 260 to 900 m away. The data is synthetic, like the rest of the demo: the names are
// made up and the positions drawn around the demo's own dance halls. Places that fall outside
// every ward (in the river) are left out. The same seed and registry give the same places.
func Places(ctx context.Context, seed int64, bs []*models.Business, areas Locator) []demoPlace {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x706c61636573)) // "places"
	type kind struct {
		code  string
		names []string
	}
	kinds := []kind{{models.PlaceSchool, placeSchools}, {models.PlaceHospital, placeHospitals},
		{models.PlaceReligious, placeReligious}, {models.PlaceRelic, placeRelics}}
	var out []demoPlace
	used := map[string]bool{}
	halls := 0
	for _, b := range bs {
		if b.Category != "dance_hall" {
			continue
		}
		halls++
		n := 1 + rng.IntN(2)
		close := halls%4 == 1
		for i := 0; i < n; i++ {
			k := kinds[rng.IntN(len(kinds))]
			d := 260 + rng.Float64()*640
			if close && i == 0 {
				d = 60 + rng.Float64()*130
			}
			bearing := rng.Float64() * 2 * math.Pi
			lat, lon := offset(b.Lat, b.Lon, d, bearing)
			if code, _ := areas.Locate(ctx, lat, lon); code == "" {
				continue
			}
			name := fmt.Sprintf(k.names[rng.IntN(len(k.names))], placeBodies[rng.IntN(len(placeBodies))])
			for j := 2; used[k.code+name]; j++ {
				name = fmt.Sprintf("%s %d", name, j)
			}
			used[k.code+name] = true
			out = append(out, demoPlace{kind: k.code, name: name, address: b.Address, lat: lat, lon: lon})
		}
	}
	return out
}

// offset is the position d metres from (lat, lon) in the direction bearing (radians from north).
func offset(lat, lon, d, bearing float64) (float64, float64) {
	dLat := d * math.Cos(bearing) / geo.EarthRadiusM * 180 / math.Pi
	dLon := d * math.Sin(bearing) / (geo.EarthRadiusM * math.Cos(lat*math.Pi/180)) * 180 / math.Pi
	return math.Round((lat+dLat)*1e6) / 1e6, math.Round((lon+dLon)*1e6) / 1e6
}

// placesCSV writes the places as the CSV a planner imports (Vietnamese headers).
func placesCSV(ps []demoPlace) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write([]string{"Loại", "Tên", "Địa chỉ", "Vĩ độ", "Kinh độ"})
	for _, p := range ps {
		_ = w.Write([]string{p.kind, p.name, p.address, strconv.FormatFloat(p.lat, 'f', 6, 64), strconv.FormatFloat(p.lon, 'f', 6, 64)})
	}
	w.Flush()
	return buf.Bytes()
}

// LoadPlaces makes the demo's register of places around the dance halls of bs and imports it
// as a planner's file; it returns how many places were stored.
func LoadPlaces(ctx context.Context, imp PlaceImporter, areas Locator, seed int64, bs []*models.Business) (int, error) {
	ps := Places(ctx, seed, bs, areas)
	if len(ps) == 0 {
		return 0, nil
	}
	data := placesCSV(ps)
	rep, err := imp.Import(ctx, actor, nil, bytes.NewReader(data), "demo-places.csv", int64(len(data))+1)
	if err != nil {
		return 0, fmt.Errorf("import demo places: %w", err)
	}
	return rep.Created + rep.Updated, nil
}
