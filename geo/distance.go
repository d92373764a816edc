// Package geo does kiemtra's geometry in Go with orb, so that neither database needs a spatial
// extension: distances, the area index (point -> ward), the spatial index of businesses, route
// order and GeoJSON.
package geo

import "math"

// EarthRadiusM is the mean Earth radius used for haversine distances.
const EarthRadiusM = 6371008.8

// DistanceM returns the great-circle distance in metres between two WGS84 positions. Haversine
// is within 0.5% of the ellipsoidal distance, far below a phone's GPS error.
func DistanceM(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * EarthRadiusM * math.Asin(math.Min(1, math.Sqrt(a)))
}
