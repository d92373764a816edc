package fieldwork

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"kiemtra/models"
)

func TestOnSiteIsWithin100MetresPlusTheAccuracyCappedAt250(t *testing.T) {
	for _, tc := range []struct {
		name          string
		distance, acc float64
		want          bool
	}{
		{"at the door", 0, 5, true},
		{"100 m with a perfect fix", 100, 0, true},
		{"101 m with a perfect fix", 101, 0, false},
		{"140 m with 40 m of accuracy", 140, 40, true},
		{"141 m with 40 m of accuracy", 141, 40, false},
		{"350 m with 250 m of accuracy", 350, 250, true},
		{"351 m with 5 km of accuracy counts only 250", 351, 5000, false},
		{"1 km off", 1000, 15, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := OnSite(tc.distance, tc.acc); got != tc.want {
				t.Fatalf("OnSite(%v, %v) = %v", tc.distance, tc.acc, got)
			}
		})
	}
}

func TestImpossibleTravel(t *testing.T) {
	t0 := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	// 0.18 degrees of latitude is about 20 km.
	for _, tc := range []struct {
		name       string
		dLat       float64
		after      time.Duration
		impossible bool
	}{
		{"20 km in 5 minutes", 0.18, 5 * time.Minute, true},
		{"20 km in 15 minutes (80 km/h)", 0.18, 15 * time.Minute, true},
		{"20 km in 25 minutes (48 km/h)", 0.18, 25 * time.Minute, false},
		{"20 km at the same instant", 0.18, 0, true},
		{"20 km, the other way round in time", 0.18, -5 * time.Minute, true},
		{"1.5 km at the same instant is GPS noise or a neighbour", 0.0135, 0, false},
		{"3 km in one minute", 0.027, time.Minute, true},
		{"3 km in ten minutes", 0.027, 10 * time.Minute, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ImpossibleTravel(10, 105.77, t0, 10+tc.dLat, 105.77, t0.Add(tc.after)); got != tc.impossible {
				t.Fatalf("ImpossibleTravel = %v", got)
			}
		})
	}
}

func TestCheckinInputValidation(t *testing.T) {
	now := time.Date(2026, 3, 3, 9, 0, 0, 0, time.UTC)
	f := func(v float64) *float64 { return &v }
	tm := func(t time.Time) *time.Time { return &t }
	good := CheckinInput{Lat: f(10), Lon: f(105), AccuracyM: f(10), At: tm(now.Add(-time.Minute))}
	if err := good.Validate(now); err != nil {
		t.Fatalf("a good check-in: %v", err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(in *CheckinInput)
		field string
	}{
		{"no latitude", func(in *CheckinInput) { in.Lat = nil }, "lat"},
		{"latitude NaN", func(in *CheckinInput) { in.Lat = f(math.NaN()) }, "lat"},
		{"latitude -90.1", func(in *CheckinInput) { in.Lat = f(-90.1) }, "lat"},
		{"longitude +Inf", func(in *CheckinInput) { in.Lon = f(math.Inf(1)) }, "lon"},
		{"no longitude", func(in *CheckinInput) { in.Lon = nil }, "lon"},
		{"accuracy NaN", func(in *CheckinInput) { in.AccuracyM = f(math.NaN()) }, "accuracy_m"},
		{"no accuracy", func(in *CheckinInput) { in.AccuracyM = nil }, "accuracy_m"},
		{"no time", func(in *CheckinInput) { in.At = nil }, "at"},
		{"six minutes ahead", func(in *CheckinInput) { in.At = tm(now.Add(6 * time.Minute)) }, "at"},
		{"fifteen days ago", func(in *CheckinInput) { in.At = tm(now.Add(-15 * 24 * time.Hour)) }, "at"},
		{"an id that is not a UUID", func(in *CheckinInput) { in.ID = "x" }, "id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := good
			tc.edit(&in)
			e := models.ErrorAs(in.Validate(now))
			if e == nil || e.Code != models.EINVALID || e.Field != tc.field {
				t.Fatalf("got %v, want invalid %s", e, tc.field)
			}
		})
	}
	t.Run("a clock four minutes fast is tolerated", func(t *testing.T) {
		in := good
		in.At = tm(now.Add(4 * time.Minute))
		if err := in.Validate(now); err != nil {
			t.Fatal(err)
		}
	})
}

func TestInputsNameTheirBadTimes(t *testing.T) {
	for _, tc := range []struct {
		name, body, field string
		dst               any
	}{
		{"a check-in time without a zone", `{"lat":1,"lon":1,"accuracy_m":1,"at":"2026-03-03 09:00"}`, "at", &CheckinInput{}},
		{"a check-in time that is a number", `{"lat":1,"lon":1,"accuracy_m":1,"at":12}`, "at", &CheckinInput{}},
		{"a start that is not a time", `{"id":"x","started_at":"soon","finished_at":"2026-03-03T09:00:00Z"}`, "started_at", &InspectionInput{}},
		{"a finish that is not a time", `{"started_at":"2026-03-03T09:00:00Z","finished_at":"2026-13-03T09:00:00Z"}`, "finished_at", &InspectionInput{}},
		{"a type error inside", `{"lat":"north"}`, "lat", &CheckinInput{}},
		{"an unknown field", `{"lat":1,"heading":3}`, "", &CheckinInput{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := json.Unmarshal([]byte(tc.body), tc.dst)
			if err == nil {
				t.Fatal("no error")
			}
			field := ""
			var typ *json.UnmarshalTypeError
			if e := models.ErrorAs(err); e != nil {
				field = e.Field
			} else if errors.As(err, &typ) {
				field = typ.Field
			}
			if field != tc.field {
				t.Fatalf("%v names %q, want %q", err, field, tc.field)
			}
		})
	}
	var in InspectionInput
	if err := json.Unmarshal([]byte(`{"id":"a","started_at":"2026-03-03T09:00:00+07:00","finished_at":null,"outcome":"closed"}`), &in); err != nil {
		t.Fatal(err)
	}
	if in.StartedAt == nil || !in.StartedAt.Equal(time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC)) || in.FinishedAt != nil || in.Outcome != "closed" || in.ID != "a" {
		t.Fatalf("decoded %+v", in)
	}
}
