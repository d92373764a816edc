package api

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// reorgFile is a reorganisation of newPlanServer's city: commune C1 takes ward D11 whole and a
// part of D12; commune C2 the rest of D12 and the district D2's wards whole. C2's outline holds
// no business, so that D12's are all reviewed.
const reorgFile = `{"name":"Nghị quyết thử","effective_on":"2025-07-01","parent":"92","units":[
 {"code":"C1","name":"Phường Một","lat":10.0,"lon":105.0,"from":[{"code":"D11","part":"full"},{"code":"D12","part":"partial"}]},
 {"code":"C2","name":"Xã Hai","lat":10.1,"lon":105.1,"geometry":` + reorgC2Outline + `,"from":[{"code":"D12","part":"partial"},{"code":"D21","part":"full"},{"code":"D22","part":"full"}]}]}`

const reorgC2Outline = `{"type":"Polygon","coordinates":[[[106,11],[106.01,11],[106.01,11.01],[106,11]]]}`

func TestAReorganisationThroughTheAPI(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		h := newPlanServer(t, db).srv
		admin := &Principal{UserID: "a", Username: "admin", Role: models.RoleAdmin, AreaCode: "92", AreaPath: "/92/"}
		planner := &Principal{UserID: "p", Username: "planner", Role: models.RolePlanner, AreaCode: "92", AreaPath: "/92/"}
		base := "/api/v1/areas/reorganisations"

		w := doAs(t, h, admin, "POST", base+"?dry_run=true", reorgFile)
		dry := decodeInto[models.ReorgReport](t, w)
		if w.Code != 200 || dry.ID != "" || len(dry.Units) != 2 || dry.MovedBusinesses != 120 || len(dry.Reviews) != 30 || len(dry.Teams) != 2 {
			t.Fatalf("dry run: %d %+v", w.Code, dry)
		}
		// A file with an unknown source is refused with its report, in Vietnamese.
		bad := strings.Replace(reorgFile, `"code":"D22"`, `"code":"D99"`, 1)
		w = doAs(t, h, admin, "POST", base, bad)
		var refused ReorgProblemsBody
		json.Unmarshal(w.Body.Bytes(), &refused)
		if w.Code != 400 || refused.Report == nil || !strings.Contains(w.Body.String(), `"kind":"unknown_source"`) || !strings.Contains(w.Body.String(), "đơn vị nguồn D99") {
			t.Fatalf("a bad file: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, planner, "POST", base, reorgFile); w.Code != 403 {
			t.Fatalf("a planner imports: %d", w.Code)
		}
		w = doAs(t, h, admin, "POST", base, reorgFile)
		draft := decodeInto[models.ReorgReport](t, w)
		if w.Code != 201 || draft.ID == "" || !strings.HasSuffix(w.Header().Get("Location"), draft.ID) {
			t.Fatalf("import: %d %s", w.Code, w.Body)
		}
		// The new units' outlines, for the review map: with ?geometry=true only.
		for _, q := range []string{"", "?geometry=true"} {
			w := doAs(t, h, planner, "GET", base+"/"+draft.ID+q, "")
			var got struct {
				Units []struct {
					GSOCode  string          `json:"gso_code"`
					Lat      float64         `json:"lat"`
					Geometry json.RawMessage `json:"geometry"`
				} `json:"units"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 200 || len(got.Units) != 2 {
				t.Fatalf("the report%s: %d %v %s", q, w.Code, err, w.Body)
			}
			for _, u := range got.Units {
				want := ""
				if q != "" && u.GSOCode == "C2" {
					want = reorgC2Outline
				}
				if string(u.Geometry) != want || u.Lat == 0 {
					t.Errorf("the report%s: %s has the outline %s at %v, want %q", q, u.GSOCode, u.Geometry, u.Lat, want)
				}
			}
		}
		if strings.Contains(w.Body.String(), `"geometry"`) {
			t.Errorf("the import's answer carries the outlines: %s", w.Body)
		}
		if w := doAs(t, h, planner, "GET", base+"/"+draft.ID+"?geometry=maybe", ""); w.Code != 400 || decodeError(t, w).Field != "geometry" {
			t.Fatalf("a bad geometry flag on a report: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, admin, "POST", base, reorgFile); w.Code != 409 {
			t.Fatalf("the same file again: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, admin, "POST", base+"/"+draft.ID+"/apply", ""); w.Code != 409 || !strings.Contains(decodeError(t, w).Message, "quyết định") {
			t.Fatalf("apply with open decisions: %d %s", w.Code, w.Body)
		}
		w = doAs(t, h, planner, "GET", base+"/"+draft.ID+"/review", "")
		var review struct {
			Items []models.ReorgItem `json:"items"`
			Open  int                `json:"open"`
		}
		json.Unmarshal(w.Body.Bytes(), &review)
		if w.Code != 200 || review.Open != 30 {
			t.Fatalf("review: %d %s", w.Code, w.Body)
		}
		first := review.Items[0].SubjectID
		if w := doAs(t, h, admin, "PUT", base+"/"+draft.ID+"/review/"+first, `{"area_code":"D21"}`); w.Code != 400 || decodeError(t, w).Field != "units" {
			t.Fatalf("settled outside the candidates: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, admin, "PUT", base+"/"+draft.ID+"/review/"+first, `{"area_code":"C2"}`); w.Code != 200 {
			t.Fatalf("settle: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, admin, "PUT", base+"/"+draft.ID+"/teams/"+dry.Teams[0].SubjectID, `{"areas":["C1","nowhere"]}`); w.Code != 400 {
			t.Fatalf("a team mapped to an unknown unit: %d %s", w.Code, w.Body)
		}
		w = doAs(t, h, admin, "POST", base+"/"+draft.ID+"/accept-proposals", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"settled":33`) {
			t.Fatalf("accept proposals: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, admin, "POST", base+"/"+draft.ID+"/apply", ""); w.Code != 200 {
			t.Fatalf("apply: %d %s", w.Code, w.Body)
		}
		if w := doAs(t, h, admin, "POST", base+"/"+draft.ID+"/apply", ""); w.Code != 409 {
			t.Fatalf("a second apply: %d %s", w.Code, w.Body)
		}
		// Each unit says where it came from and where it went.
		for code, want := range map[string]string{"C1": "from [D11 full D12 partial] into []", "D12": "from [] into [C1 partial C2 partial]", "D21": "from [] into [C2 full]"} {
			w := doAs(t, h, planner, "GET", "/api/v1/areas/"+code+"?on=2025-06-30", "")
			d := decodeInto[AreaDetail](t, w)
			var from, into []string
			for _, l := range d.FormedFrom {
				from = append(from, l.Code, l.Part)
			}
			for _, l := range d.Became {
				into = append(into, l.Code, l.Part)
				if l.Name == "" || l.ValidFrom.IsZero() {
					t.Errorf("%s went into %+v: no name or start", code, l)
				}
			}
			if got := fmt.Sprintf("from %v into %v", from, into); w.Code != 200 || got != want {
				t.Errorf("%s: %d %s, want %s", code, w.Code, got, want)
			}
		}
		// The tree of each day.
		for on, want := range map[string][]string{"2025-06-30": {"D1", "D2"}, "2025-07-01": {"C1", "C2"}} {
			w := doAs(t, h, planner, "GET", "/api/v1/areas?on="+on, "")
			var tree struct {
				Items []*AreaNode `json:"items"`
			}
			json.Unmarshal(w.Body.Bytes(), &tree)
			var got []string
			for _, c := range tree.Items[0].Children {
				got = append(got, c.Code)
			}
			if w.Code != 200 || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("the tree of %s: %d %v, want %v", on, w.Code, got, want)
			}
		}
		if w := doAs(t, h, planner, "GET", "/api/v1/areas?on=2025-02-30", ""); w.Code != 400 || decodeError(t, w).Field != "on" {
			t.Fatalf("a bad date: %d %s", w.Code, w.Body)
		}
		// With ?geometry=true the tree carries each unit's polygon, as stored; without, none.
		if err := db.Gorm().Exec(`UPDATE areas SET geometry = ? WHERE code = 'D1'`, `{"type":"Polygon","coordinates":[[[105.7,10],[105.8,10],[105.8,10.1],[105.7,10]]]}`).Error; err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"", "&geometry=true"} {
			w := doAs(t, h, planner, "GET", "/api/v1/areas?on=2025-06-30"+q, "")
			var tree struct {
				Items []*AreaNode `json:"items"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &tree); err != nil || w.Code != 200 {
				t.Fatalf("tree%s: %d %v", q, w.Code, err)
			}
			withGeometry := 0
			for _, n := range append([]*AreaNode{tree.Items[0]}, tree.Items[0].Children...) {
				a, err := db.FindAreaByCode(context.Background(), n.Code)
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case q == "" && len(n.Geometry) > 0:
					t.Errorf("%s has its geometry without ?geometry=true", n.Code)
				case q != "" && a.Geometry != "":
					var got, want any
					if json.Unmarshal(n.Geometry, &got) != nil || json.Unmarshal([]byte(a.Geometry), &want) != nil || fmt.Sprint(got) != fmt.Sprint(want) {
						t.Errorf("%s: the tree's geometry is not the stored one", n.Code)
					}
					withGeometry++
				}
			}
			if q != "" && withGeometry == 0 {
				t.Fatal("no unit of the fixture has a geometry: the test proves nothing")
			}
		}
		if w := doAs(t, h, planner, "GET", "/api/v1/areas?geometry=maybe", ""); w.Code != 400 || decodeError(t, w).Field != "geometry" {
			t.Fatalf("a bad geometry flag: %d %s", w.Code, w.Body)
		}
	})
}
