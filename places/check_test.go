package places

import (
	"math"
	"testing"

	"kiemtra/geo"
	"kiemtra/models"
)

// north returns the position d metres due north of (lat, lon) on DistanceM's sphere.
func north(lat, lon, d float64) (float64, float64) {
	return lat + d/geo.EarthRadiusM*180/math.Pi, lon
}

func TestNearestFindsThePlacesWithinTheRuleDistance(t *testing.T) {
	const lat, lon = 10.0340, 105.7880
	at := func(id string, d float64) *models.Place {
		plat, plon := north(lat, lon, d)
		return &models.Place{ID: id, Name: id, Kind: models.PlaceSchool, Lat: plat, Lon: plon}
	}
	tests := []struct {
		name   string
		places []*models.Place
		want   []string
	}{
		{"an empty register finds nothing", nil, nil},
		{"a school 150 m away is found", []*models.Place{at("a", 150)}, []string{"a"}},
		{"a school just inside 200 m is found", []*models.Place{at("a", 199.9)}, []string{"a"}},
		{"a school just outside 200 m is not", []*models.Place{at("a", 200.1)}, nil},
		{"a school at the same position is found", []*models.Place{at("a", 0)}, []string{"a"}},
		{"places come nearest first", []*models.Place{at("far", 180), at("near", 20), at("out", 900), at("mid", 90)}, []string{"near", "mid", "far"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Nearest(lat, lon, tc.places, DanceHallMinDistanceM, 0)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d places, want %v", len(got), tc.want)
			}
			for i, w := range tc.want {
				if got[i].ID != w {
					t.Errorf("place %d is %s, want %s", i, got[i].ID, w)
				}
			}
		})
	}
	t.Run("the distance is measured, in metres", func(t *testing.T) {
		got := Nearest(lat, lon, []*models.Place{at("a", 150)}, DanceHallMinDistanceM, 0)
		if d := got[0].DistanceM; math.Abs(d-150) > 0.01 {
			t.Errorf("distance %v, want 150", d)
		}
	})
	t.Run("the limit keeps the nearest", func(t *testing.T) {
		got := Nearest(lat, lon, []*models.Place{at("c", 30), at("a", 10), at("b", 20)}, DanceHallMinDistanceM, 2)
		if len(got) != 2 || got[0].ID != "a" || got[1].ID != "b" {
			t.Errorf("got %+v", got)
		}
	})
}

func TestBoxHoldsEveryPositionWithinTheRadius(t *testing.T) {
	for _, lat := range []float64{8.5, 10.03, 23.4, 50} {
		b := Box(lat, 105.78, DanceHallMinDistanceM)
		for deg := 0.0; deg < 360; deg += 15 {
			// A point 200 m away in direction deg, by a flat approximation that overstates the
			// longitude offset slightly: inside the box means inside with room to spare.
			r := DanceHallMinDistanceM / geo.EarthRadiusM * 180 / math.Pi
			plat := lat + r*math.Cos(deg*math.Pi/180)
			plon := 105.78 + r*math.Sin(deg*math.Pi/180)/math.Cos(lat*math.Pi/180)
			if plat < b.MinLat || plat > b.MaxLat || plon < b.MinLon || plon > b.MaxLon {
				t.Errorf("lat %v, direction %v: %v,%v outside %+v", lat, deg, plat, plon, b)
			}
		}
	}
}

func TestTheRuleAppliesToDanceHallsOnly(t *testing.T) {
	for cat, want := range map[string]bool{"dance_hall": true, "karaoke": false, "bar": false, "": false} {
		if got := Applies(cat); got != want {
			t.Errorf("Applies(%q) = %v, want %v", cat, got, want)
		}
	}
}
