package demo

import (
	"context"
	"reflect"
	"testing"

	"kiemtra/geo"
	"kiemtra/models"
)

type everywhere struct{}

func (everywhere) Locate(context.Context, float64, float64) (string, string) { return "w", "/92/w/" }

func TestDemoPlacesFlagAboutAQuarterOfTheDanceHalls(t *testing.T) {
	var bs []*models.Business
	for i := 0; i < 80; i++ {
		cat := "dance_hall"
		if i%2 == 1 {
			cat = "karaoke"
		}
		// Halls 5 km apart, so that each one's places are its own.
		bs = append(bs, &models.Business{ID: string(rune('a' + i%26)), Category: cat, Lat: 9.9 + float64(i)*0.045, Lon: 105.7, Address: "1 Đường A"})
	}
	ps := Places(context.Background(), 1, bs, everywhere{})
	if again := Places(context.Background(), 1, bs, everywhere{}); !reflect.DeepEqual(ps, again) {
		t.Fatal("the same seed gave other places")
	}
	flagged, halls := 0, 0
	for _, b := range bs {
		if b.Category != "dance_hall" {
			continue
		}
		halls++
		nearest := 1e9
		for _, p := range ps {
			nearest = min(nearest, geo.DistanceM(b.Lat, b.Lon, p.lat, p.lon))
		}
		if nearest > 900.5 {
			t.Errorf("dance hall at %v has no place within 900 m (nearest %v m)", b.Lat, nearest)
		}
		if nearest <= 200 {
			flagged++
			if nearest < 59.5 {
				t.Errorf("a place %v m from a dance hall: closer than the demo means", nearest)
			}
		}
	}
	if flagged < halls/8 || flagged > halls/2 {
		t.Errorf("%d of %d dance halls flagged, want about a quarter", flagged, halls)
	}
	kinds := map[string]bool{}
	for _, p := range ps {
		kinds[p.kind] = true
		if p.name == "" {
			t.Errorf("a place without a name: %+v", p)
		}
	}
	if len(kinds) != 4 {
		t.Errorf("kinds %v, want all four", kinds)
	}
}
