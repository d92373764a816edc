package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"kiemtra/models"
)

// fieldWards locates newFieldEnv's businesses without geometry: west of 105.735 is ward D21
// (district D2, where the B bars are), east of it D11 (district D1, the A bars).
type fieldWards struct{}

func (fieldWards) Locate(_ context.Context, lat, lon float64) (string, string) {
	if lon < 105.735 {
		return "D21", "/92/D2/D21/"
	}
	return "D11", "/92/D1/D11/"
}

// TestDanceHallsCarryTheRegisterOfPlacesNearThem imports a register, then reads the check in
// the registry and on the phone, and keeps every caller to their jurisdiction.
func TestDanceHallsCarryTheRegisterOfPlacesNearThem(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		ctx := context.Background()
		hall := env.biz["A0"] // 10.030, 105.770
		cat := "dance_hall"
		if _, err := env.db.UpdateBusiness(ctx, "t", hall.ID, models.BusinessUpdate{Version: hall.Version, Category: &cat}); err != nil {
			t.Fatal(err)
		}
		// A school 150 m north of the dance hall, a pagoda 260 m south of it, a hospital in D2.
		csv := "Loại,Tên,Địa chỉ,Vĩ độ,Kinh độ\n" +
			"Trường học,Trường THCS Cái Khế,12 Trần Phú,10.031349,105.770\n" +
			"Tôn giáo,Chùa Ông,32 Hai Bà Trưng,10.027662,105.770\n" +
			"Bệnh viện,Bệnh viện Ô Môn,1 Đường B,10.0005,105.700\n"
		district2 := &Principal{UserID: "p2", Username: "p2", Role: models.RolePlanner, AreaCode: "D2", AreaPath: "/92/D2/"}

		t.Run("a district planner may not import a place outside the district", func(t *testing.T) {
			w := env.do(t, district2, "POST", "/api/v1/places/import", csv, "Content-Type", "text/csv")
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"rows[2].lat"`) || strings.Contains(w.Body.String(), `"rows[4].lat"`) {
				t.Fatalf("got %d %s", w.Code, w.Body)
			}
		})
		w := env.do(t, env.planner, "POST", "/api/v1/places/import", csv, "Content-Type", "text/csv")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"created":3`) {
			t.Fatalf("import: %d %s", w.Code, w.Body)
		}
		w = env.do(t, env.planner, "POST", "/api/v1/places/import", csv, "Content-Type", "text/csv")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"updated":3`) {
			t.Fatalf("re-import: %d %s", w.Code, w.Body)
		}

		t.Run("the registry shows the school within 200 m, not the pagoda at 260 m", func(t *testing.T) {
			w := env.do(t, env.planner, "GET", "/api/v1/businesses/"+hall.ID+"/distance-check", "")
			var got DistanceCheckAnswer
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != http.StatusOK {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			if !got.Applies || got.DistanceCheck == nil || len(got.Places) != 1 || got.Places[0].Name != "Trường THCS Cái Khế" ||
				got.Places[0].DistanceM < 149 || got.Places[0].DistanceM > 151 {
				t.Fatalf("check: %s", w.Body)
			}
			w = env.do(t, env.planner, "GET", "/api/v1/businesses/"+env.biz["A1"].ID+"/distance-check", "")
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"applies":false`) {
				t.Errorf("karaoke: %d %s", w.Code, w.Body)
			}
		})

		t.Run("the phone gets the check with the dance hall only", func(t *testing.T) {
			w := env.do(t, env.a1, "GET", "/api/v1/me/assignments", "")
			var day Assignments
			if err := json.Unmarshal(w.Body.Bytes(), &day); err != nil || w.Code != http.StatusOK {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			seen := false
			for _, it := range day.Items {
				switch {
				case it.Business.ID == hall.ID:
					seen = true
					if it.DistanceCheck == nil || len(it.DistanceCheck.Places) != 1 || it.DistanceCheck.Places[0].Kind != models.PlaceSchool || it.DistanceCheck.RadiusM != 200 {
						t.Errorf("dance hall's check: %+v", it.DistanceCheck)
					}
				case it.DistanceCheck != nil:
					t.Errorf("%s (%s) carries a check", it.Business.Name, it.Business.Category)
				}
			}
			if !seen {
				t.Fatalf("the dance hall is not among the day's tasks")
			}
			etag := w.Header().Get("ETag")
			// A change of the register is a change of the day: the phone must not keep the old hint.
			list := env.do(t, env.planner, "GET", "/api/v1/places?kind=school", "")
			var page PlacePage
			if err := json.Unmarshal(list.Body.Bytes(), &page); err != nil || page.Total != 1 {
				t.Fatalf("schools: %s", list.Body)
			}
			if w := env.do(t, env.planner, "DELETE", "/api/v1/places/"+page.Items[0].ID, ""); w.Code != http.StatusNoContent {
				t.Fatalf("delete: %d %s", w.Code, w.Body)
			}
			w = env.do(t, env.a1, "GET", "/api/v1/me/assignments", "", "If-None-Match", etag)
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"distance_check":{"radius_m":200,"legal":"Nghị định 54/2019/NĐ-CP, Điều 5","violation":"DANCE_DISTANCE","places":[]}`) {
				t.Errorf("after the delete: %d %s", w.Code, w.Body)
			}
		})

		t.Run("a district planner sees and deletes only the district's places", func(t *testing.T) {
			w := env.do(t, district2, "GET", "/api/v1/places", "")
			var page PlacePage
			if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || page.Total != 1 || page.Items[0].Name != "Bệnh viện Ô Môn" {
				t.Fatalf("district list: %d %s", w.Code, w.Body)
			}
			all := env.do(t, env.planner, "GET", "/api/v1/places?kind=religious", "")
			var rel PlacePage
			_ = json.Unmarshal(all.Body.Bytes(), &rel)
			if rel.Total != 1 {
				t.Fatalf("pagodas: %s", all.Body)
			}
			if w := env.do(t, district2, "DELETE", "/api/v1/places/"+rel.Items[0].ID, ""); w.Code != http.StatusNotFound {
				t.Errorf("delete outside: %d %s", w.Code, w.Body)
			}
			if w := env.do(t, district2, "GET", "/api/v1/businesses/"+hall.ID+"/distance-check", ""); w.Code != http.StatusNotFound {
				t.Errorf("check outside: %d %s", w.Code, w.Body)
			}
			if w := env.do(t, env.a1, "POST", "/api/v1/places/import", csv, "Content-Type", "text/csv"); w.Code != http.StatusForbidden {
				t.Errorf("inspector's import: %d %s", w.Code, w.Body)
			}
			if w := env.do(t, env.planner, "GET", "/api/v1/places?kind=karaoke", ""); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), `"kind"`) {
				t.Errorf("bad kind: %d %s", w.Code, w.Body)
			}
		})
	})
}
