package api

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"kiemtra/models"
	"kiemtra/scheduler"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// A planner reads why the plan selects a business: the score's six factors under rules 2, the
// probability recorded with the item, and the floor it keeps; viewers may not (it tells the
// selection), a district's planner only in the district, and a business not selected is 404.
func TestWhyThisBusinessThroughTheAPI(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		env := newPlanServer(t, db)
		h := env.srv
		planner := &Principal{Username: "planner", Role: models.RolePlanner}
		if w := doAs(t, h, planner, "POST", "/api/v1/programmes", `{"code":"P","name":"Kế hoạch 2026-2030","starts_on":"2026-01-01","ends_on":"2030-12-31","root_area_code":"92"}`); w.Code != 201 {
			t.Fatalf("create programme: %d %s", w.Code, w.Body)
		}
		w := doAs(t, h, planner, "POST", "/api/v1/programmes/P/plans", `{"year":2026}`)
		if w.Code != 201 {
			t.Fatalf("draft: %d %s", w.Code, w.Body)
		}
		var plan struct {
			ID       string
			DrawDate models.Date `json:"draw_date"`
		}
		json.Unmarshal(w.Body.Bytes(), &plan)
		// Before the draw there is no selection to explain.
		if w := doAs(t, h, planner, "GET", "/api/v1/plans/"+plan.ID+"/items/x/risk", ""); w.Code != 404 {
			t.Errorf("a committed plan: %d", w.Code)
		}
		env.clock.Set(plan.DrawDate.Time(time.UTC).Add(18 * time.Hour))
		if w := doAs(t, h, planner, "POST", "/api/v1/plans/"+plan.ID+"/draw", `{"result":"123456"}`); w.Code != 200 {
			t.Fatalf("draw: %d %s", w.Code, w.Body)
		}
		w = doAs(t, h, planner, "GET", "/api/v1/plans/"+plan.ID+"/items", "")
		var items struct{ Items []models.PlanItem }
		json.Unmarshal(w.Body.Bytes(), &items)
		if len(items.Items) == 0 {
			t.Fatalf("no items: %s", w.Body)
		}
		it := items.Items[0]
		path := "/api/v1/plans/" + plan.ID + "/items/" + it.BusinessID + "/risk"
		w = doAs(t, h, planner, "GET", path, "")
		var r models.PlanItemRisk
		json.Unmarshal(w.Body.Bytes(), &r)
		if w.Code != 200 || r.Rules != scheduler.RulesV3 || len(r.Factors) != 6 || r.InclusionProb != it.InclusionProb || r.Floor != scheduler.DefaultRiskFloor {
			t.Fatalf("risk: %d %s", w.Code, w.Body)
		}
		if r.InclusionProb < r.Floor*r.UniformProb {
			t.Errorf("probability %v below the floor %v of %v", r.InclusionProb, r.Floor, r.UniformProb)
		}
		product := 1.0
		for _, f := range r.Factors {
			product *= f.Contribution
		}
		if !r.Capped && (product-r.Score)*(product-r.Score) > 1e-18 {
			t.Errorf("score %v is not the product %v of its factors", r.Score, product)
		}
		if !strings.Contains(w.Body.String(), "Loại hình kinh doanh") {
			t.Errorf("no Vietnamese label: %s", w.Body)
		}
		viewer := &Principal{Username: "viewer", Role: models.RoleViewer}
		if w := doAs(t, h, viewer, "GET", path, ""); w.Code != 403 {
			t.Errorf("a viewer: %d", w.Code)
		}
		other := "D1"
		if strings.HasPrefix(it.AreaCode, "D1") {
			other = "D2"
		}
		district := &Principal{Username: "d", Role: models.RolePlanner, AreaCode: other, AreaPath: "/92/" + other + "/"}
		if w := doAs(t, h, district, "GET", path, ""); w.Code != 404 {
			t.Errorf("a planner of %s for a business of %s: %d", other, it.AreaCode, w.Code)
		}
		if w := doAs(t, h, planner, "GET", "/api/v1/plans/"+plan.ID+"/items/nope/risk", ""); w.Code != 404 {
			t.Errorf("a business not selected: %d", w.Code)
		}
		if w := doAs(t, h, planner, "GET", "/api/v1/plans/nope/items/"+it.BusinessID+"/risk", ""); w.Code != 404 {
			t.Errorf("an unknown plan: %d", w.Code)
		}
	})
}
