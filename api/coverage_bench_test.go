package api

import (
	"encoding/json"
	"fmt"
	"testing"

	"kiemtra/models"
)

func benchPoints(n int) []models.BusinessCoverage {
	pts := make([]models.BusinessCoverage, n)
	statuses := []string{models.MapInspectedThisYear, models.MapCoveredInProgramme, models.MapNeverInspected, models.MapOverdue, models.MapClosed}
	for i := range pts {
		pts[i] = models.BusinessCoverage{ID: fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i), Name: fmt.Sprintf("Karaoke Hoa Hồng số %d", i), Category: "karaoke",
			Lat: 10 + float64(i%1000)/10000, Lon: 105.7 + float64(i%997)/10000, AreaCode: "31117", Status: statuses[i%5], LastInspected: models.NewDate(2026, 3, 1+i%28)}
	}
	return pts
}

// BenchmarkPointsGeoJSON100k writes 100,000 businesses as GeoJSON points by hand, as the
// coverage map does; BenchmarkPointsEncodingJSON100k does the same with encoding/json, for the
// ratio.
func BenchmarkPointsGeoJSON100k(b *testing.B) {
	pts := benchPoints(100_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf := make([]byte, 0, len(pts)*220)
		buf = append(buf, `{"type":"FeatureCollection","features":[`...)
		for k, p := range pts {
			if k > 0 {
				buf = append(buf, ',')
			}
			buf = appendPointFeature(buf, p)
		}
		buf = append(buf, "]}"...)
		b.SetBytes(int64(len(buf)))
	}
}

func BenchmarkPointsEncodingJSON100k(b *testing.B) {
	pts := benchPoints(100_000)
	type geometry struct {
		Type        string     `json:"type"`
		Coordinates [2]float64 `json:"coordinates"`
	}
	type props struct {
		Kind          string  `json:"kind"`
		Name          string  `json:"name"`
		Category      string  `json:"category"`
		AreaCode      string  `json:"area_code"`
		Status        string  `json:"status"`
		LastInspected *string `json:"last_inspected"`
	}
	type feature struct {
		Type       string   `json:"type"`
		ID         string   `json:"id"`
		Geometry   geometry `json:"geometry"`
		Properties props    `json:"properties"`
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fc := struct {
			Type     string    `json:"type"`
			Features []feature `json:"features"`
		}{Type: "FeatureCollection", Features: make([]feature, len(pts))}
		for k, p := range pts {
			li := p.LastInspected.String()
			fc.Features[k] = feature{"Feature", p.ID, geometry{"Point", [2]float64{p.Lon, p.Lat}}, props{"business", p.Name, p.Category, p.AreaCode, p.Status, &li}}
		}
		out, err := json.Marshal(fc)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(out)))
	}
}

func TestHandWrittenGeoJSONMatchesEncodingJSON(t *testing.T) {
	for _, p := range []models.BusinessCoverage{
		{ID: "a", Name: `Quán "Ốc" <Bà Ba> & con\cháu`, Category: "bar", Lat: 10.123456, Lon: 105.654321, AreaCode: "31117", Status: models.MapClosed},
		{ID: "b", Name: "bad \xff utf8 \u2028", Category: "spa", Lat: -1.5, Lon: 0, Status: models.MapOverdue, LastInspected: models.NewDate(2025, 1, 2)},
	} {
		var got map[string]any
		if err := json.Unmarshal(appendPointFeature(nil, p), &got); err != nil {
			t.Fatalf("%q: not JSON: %v", p.Name, err)
		}
		props := got["properties"].(map[string]any)
		if props["name"] != stringsToValid(p.Name) || props["status"] != p.Status {
			t.Errorf("round trip of %q gave %v", p.Name, props)
		}
	}
}

// stringsToValid is what encoding/json makes of a string with invalid UTF-8.
func stringsToValid(s string) string {
	b, _ := json.Marshal(s)
	var out string
	json.Unmarshal(b, &out)
	return out
}
