// Package places keeps the register of places a dance hall must keep away from (schools,
// hospitals, religious sites, relics): reading the planners' files, and the distance check the
// registry and the inspectors' phones show for a dance hall. Reading and checking are plain
// functions; Service joins them to the store and the area index.
package places

import (
	"cmp"
	"slices"

	"kiemtra/geo"
	"kiemtra/models"
)

// DanceHallMinDistanceM is how far a dance hall must be from schools, hospitals, religious
// sites and historical-cultural relics: Decree 54/2019/NĐ-CP, Article 5 (the conditions for
// running a dance hall), "cách trường học, bệnh viện, cơ sở tôn giáo, tín ngưỡng, di tích lịch
// sử - văn hóa ... từ 200 m trở lên". Checklist item D04, violation DANCE_DISTANCE.
const DanceHallMinDistanceM = 200

// DanceHallCategory is the registry category the rule applies to (refdata categories.json).
const DanceHallCategory = "dance_hall"

// DistanceViolation is the violation code of the checklist item the check informs: the phone
// shows the places found under the item that implies it.
const DistanceViolation = "DANCE_DISTANCE"

// Applies reports whether the distance rule applies to a business of the category.
func Applies(category string) bool { return category == DanceHallCategory }

// Nearest returns the places within radiusM metres (great-circle, boundary included: a place at
// exactly 200 m is not closer than the rule allows, but an inspector is shown it) of the
// position, nearest first, equal distances by name then id; at most limit when limit > 0.
func Nearest(lat, lon float64, ps []*models.Place, radiusM float64, limit int) []models.NearPlace {
	var out []models.NearPlace
	for _, p := range ps {
		d := geo.DistanceM(lat, lon, p.Lat, p.Lon)
		if d <= radiusM {
			out = append(out, models.NearPlace{Place: p, DistanceM: d})
		}
	}
	slices.SortFunc(out, func(a, b models.NearPlace) int {
		return cmp.Or(cmp.Compare(a.DistanceM, b.DistanceM), cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// Box returns a latitude/longitude box that contains every position within radiusM of the
// point (with a margin), for the store to narrow the candidates Nearest then measures.
func Box(lat, lon, radiusM float64) models.PlaceFilter {
	// One degree of latitude is at least 110.5 km; of longitude, that times cos(lat). The
	// registry is in Vietnam (latitude below 24°), where cos(lat) > 0.9; a margin of 20% covers
	// any latitude up to 60°.
	dLat := radiusM / 110_000 * 1.2
	dLon := dLat * 2
	return models.PlaceFilter{MinLat: lat - dLat, MaxLat: lat + dLat, MinLon: lon - dLon, MaxLon: lon + dLon}
}
