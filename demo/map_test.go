package demo

import (
	"testing"
	"time"

	"kiemtra/geo"
	"kiemtra/models"
	"kiemtra/refdata"
)

func TestDrawMap(t *testing.T) {
	u, err := refdata.CanTho2021()
	if err != nil {
		t.Fatal(err)
	}
	spec, err := refdata.Reorganisation2025()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	m, err := DrawMap(u, spec)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("drawn in %v", time.Since(start))
	var units []*models.Area
	for _, x := range m.Spec.Units {
		units = append(units, &models.Area{Code: x.Code, Name: x.Name, Level: models.AreaLevelCommune, Lat: x.Lat, Lon: x.Lon, Geometry: string(x.Geometry)})
	}
	if probs := geo.ValidateAreaGeometries(units); len(probs) > 0 {
		t.Fatalf("%d problems, first %+v", len(probs), probs[0])
	}
	idx, err := geo.NewAreaIndex(units)
	if err != nil {
		t.Fatal(err)
	}
	multi := 0
	for _, a := range units {
		if !idx.Contains(a.Code, a.Lat, a.Lon) {
			t.Errorf("unit %s does not contain its label point", a.Code)
		}
		if len(a.Geometry) > 0 && a.Geometry[9] == 'M' {
			multi++
		}
	}
	t.Logf("%d units, %d in several pieces", len(units), multi)
}
