package geo

import (
	"math"
	"testing"
)

func TestDistanceM(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		lat1, lon1, lat2, lon2 float64
		want, tol              float64
	}{
		{"the same point is 0 m away", 10.03, 105.78, 10.03, 105.78, 0, 1e-9},
		{"one degree of latitude is about 111.2 km", 10, 105, 11, 105, 111195, 50},
		{"Ninh Kieu wharf to Can Tho bridge is about 6.9 km", 10.0341, 105.7880, 10.0306, 105.8508, 6890, 80},
		{"antipodes are half the circumference", 0, 0, 0, 180, math.Pi * EarthRadiusM, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := DistanceM(tc.lat1, tc.lon1, tc.lat2, tc.lon2)
			if math.Abs(got-tc.want) > tc.tol {
				t.Fatalf("DistanceM = %.1f, want %.1f ± %.1f", got, tc.want, tc.tol)
			}
			if back := DistanceM(tc.lat2, tc.lon2, tc.lat1, tc.lon1); math.Abs(back-got) > 1e-6 {
				t.Fatalf("distance is not symmetric: %f vs %f", got, back)
			}
		})
	}
}
