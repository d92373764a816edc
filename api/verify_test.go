package api

import (
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
	"kiemtra/scheduler"
	"kiemtra/scheduler/plantest"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func init() {
	// The contract check reads the public pages as text.
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
}

// getPublic sends a request without a sign-in and checks the answer against the contract.
func getPublic(t *testing.T, env *planTestEnv, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	env.srv.ServeHTTP(w, req)
	checkContract(t, req, nil, w)
	return w
}

func TestAPlanIsVerifiedInPublicAndItsTargetsShowOnlyAfterTheReveal(t *testing.T) {
	clock := plantest.NewClock(planClock())
	storetest.RunWith(t, storetest.Options{Now: clock.Now}, func(t *testing.T, db *store.DB) {
		clock.Set(planClock())
		env := newPlanServerAt(t, db, clock)
		ctx := t.Context()
		p := &models.Programme{Code: "P", Name: "Kế hoạch 2026-2030", StartsOn: models.NewDate(2026, 1, 1), EndsOn: models.NewDate(2030, 12, 31)}
		if err := env.planner.CreateProgramme(ctx, "planner", p); err != nil {
			t.Fatal(err)
		}
		committed, err := env.planner.DraftPlan(ctx, "planner", p.ID, 2026, models.DraftOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Run("before the draw the page names it and shows the commitments", func(t *testing.T) {
			w := getPublic(t, env, "/verify/"+committed.ID)
			body := w.Body.String()
			if w.Code != 200 || !strings.Contains(body, committed.SecretSHA256) || !strings.Contains(body, scheduler.InputsSHA256(committed.Inputs)) ||
				!strings.Contains(body, "Xổ số kiến thiết Cần Thơ, giải đặc biệt") || !strings.Contains(body, "2026-03-04") ||
				!strings.Contains(body, "Đã cam kết, chờ kết quả quay số") || !strings.Contains(body, "chưa nhập") {
				t.Fatalf("%d %s", w.Code, body)
			}
		})
		plan := plantest.DrawOn(t, env.planner, env.clock, time.UTC, committed)
		items, err := db.FindPlanItems(ctx, plan.ID)
		if err != nil || len(items) == 0 {
			t.Fatalf("draw: %v, %d items", err, len(items))
		}
		noTargets := func(t *testing.T, body string) {
			t.Helper()
			for _, it := range items {
				if strings.Contains(body, it.BusinessID) {
					t.Fatalf("selected business %s shows before the reveal", it.BusinessID)
				}
			}
		}

		t.Run("before the reveal the bundle holds the commitments only", func(t *testing.T) {
			w := getPublic(t, env, "/verify/"+plan.ID+"/bundle.json")
			if w.Code != 200 {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			b := decodeInto[models.PlanBundle](t, w)
			if b.Revealed || b.Seed != "" || b.Inputs != nil || b.Selection != nil || b.SeedSHA256 != plan.SeedSHA256 ||
				b.InputsSHA256 != scheduler.InputsSHA256(plan.Inputs) || b.NoticeVI == "" || b.Counts.Total != len(items) {
				t.Fatalf("%s", w.Body)
			}
			if !strings.Contains(w.Body.String(), `"revealed":false`) {
				t.Fatalf("no revealed: false in %s", w.Body)
			}
			noTargets(t, w.Body.String())
		})
		t.Run("before the reveal the page shows the hashes in Vietnamese, and no seed", func(t *testing.T) {
			w := getPublic(t, env, "/verify/"+plan.ID)
			body := w.Body.String()
			if w.Code != 200 || !strings.Contains(body, plan.SeedSHA256) || !strings.Contains(body, scheduler.InputsSHA256(plan.Inputs)) ||
				!strings.Contains(body, "Hạt giống chưa được công bố") || strings.Contains(body, plan.Seed) || strings.Contains(body, "verify-plan") ||
				!strings.Contains(body, "<dd>Bản dự thảo</dd>") || !strings.Contains(body, "<code>123456</code>") {
				t.Fatalf("%d %s", w.Code, body)
			}
			noTargets(t, body)
			if !norm.NFC.IsNormalString(body) {
				t.Error("the page is not NFC")
			}
			if w := getPublic(t, env, "/verify/"+plan.ID+"?lang=en"); !strings.Contains(w.Body.String(), "The seed is not revealed yet") {
				t.Fatalf("English page: %s", w.Body)
			}
		})
		t.Run("an unknown plan is 404", func(t *testing.T) {
			if w := getPublic(t, env, "/verify/nope/bundle.json"); w.Code != 404 || decodeError(t, w).Code != models.ENOTFOUND {
				t.Fatalf("bundle: %d %s", w.Code, w.Body)
			}
			if w := getPublic(t, env, "/verify/nope"); w.Code != 404 || !strings.Contains(w.Body.String(), "Không tìm thấy kế hoạch") {
				t.Fatalf("page: %d %s", w.Code, w.Body)
			}
		})

		if _, err := env.planner.Reveal(ctx, "admin", plan.ID, true); err != nil {
			t.Fatal(err)
		}
		t.Run("after the reveal the bundle re-derives", func(t *testing.T) {
			w := getPublic(t, env, "/verify/"+plan.ID+"/bundle.json", "Accept-Encoding", "identity")
			if w.Code != 200 || !strings.Contains(w.Header().Get("Content-Disposition"), "attachment") {
				t.Fatalf("%d %v", w.Code, w.Header())
			}
			var b models.PlanBundle
			if err := json.Unmarshal(w.Body.Bytes(), &b); err != nil {
				t.Fatal(err)
			}
			if !b.Revealed || b.Seed != plan.Seed || len(b.Selection) != len(items) {
				t.Fatalf("%.500s", w.Body)
			}
			if v := scheduler.CheckPlanBundle(&b); !v.Matches {
				t.Fatalf("%+v", v)
			}
		})
		t.Run("after the reveal the page shows the seed, the link and the command", func(t *testing.T) {
			w := getPublic(t, env, "/verify/"+plan.ID)
			body := w.Body.String()
			if w.Code != 200 || !strings.Contains(body, plan.Seed) || !strings.Contains(body, `href="/verify/`+plan.ID+`/bundle.json"`) ||
				!strings.Contains(body, "kiemtra verify-plan") || !strings.Contains(body, "Tự kiểm chứng") {
				t.Fatalf("%d %s", w.Code, body)
			}
		})
		t.Run("after the reveal the page says that the server's re-derivation matches", func(t *testing.T) {
			n := strconv.Itoa(len(items))
			body := getPublic(t, env, "/verify/"+plan.ID).Body.String()
			if !strings.Contains(body, "Khớp: rút lại từ đầu vào và hạt giống đã công bố cho đúng "+n+" cơ sở của kế hoạch") ||
				strings.Contains(body, "check-differences") || strings.Count(body, `<strong class="yes">đúng</strong>`) != 6 {
				t.Fatalf("%s", body)
			}
			en := getPublic(t, env, "/verify/"+plan.ID+"?lang=en").Body.String()
			if !strings.Contains(en, "Matches: drawing again from the published inputs and seed gives exactly the plan's "+n+" businesses") {
				t.Fatalf("English: %s", en)
			}
		})
		t.Run("a stored selection changed after the draw shows what differs", func(t *testing.T) {
			moved := items[0]
			other := models.GroupReinspect
			if moved.Group == other {
				other = models.GroupMustCover
			}
			if err := db.Gorm().Exec("UPDATE plan_items SET grp = ? WHERE plan_id = ? AND business_id = ?", other, plan.ID, moved.BusinessID).Error; err != nil {
				t.Fatal(err)
			}
			body := getPublic(t, env, "/verify/"+plan.ID).Body.String()
			if !strings.Contains(body, "Không khớp: rút lại cho "+strconv.Itoa(len(items))+" cơ sở") || !strings.Contains(body, `<strong class="no">không</strong>`) ||
				!strings.Contains(body, "business "+moved.BusinessID+": the plan has "+other) {
				t.Fatalf("%s", body)
			}
			if en := getPublic(t, env, "/verify/"+plan.ID+"?lang=en").Body.String(); !strings.Contains(en, "Does not match") || !strings.Contains(en, `<strong class="no">no</strong>`) {
				t.Fatalf("English: %s", en)
			}
		})
	})
}
