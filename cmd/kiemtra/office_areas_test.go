package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/geojson"

	"kiemtra/models"
	"kiemtra/reorg"
)

// TestOfficeAreasDesk walks the areas desk on a fresh demo. A planner reads the unit tree of
// today (the 2025 communes) and of 30 June 2025 (the old city's districts and wards), a 2021
// ward's page with the unit it went into, and the reorganisations, whose actions are the
// admins'. An admin checks a boundary file with a broken polygon (the problem is listed and
// nothing is imported), then imports a reorganisation that splits a commune in two with a strip
// between their outlines: the businesses in the strip are reviewed; one is settled on the map
// to the unit not proposed, the rest by accepting the proposals, and the reorganisation is
// applied. The database holds the decision and the moves.
func TestOfficeAreasDesk(t *testing.T) {
	chromiumFor(t, "the areas desk test") // skip before the demo is made when there is no browser
	m := startDemo(t, nil)
	p := newPageSession(t, "the areas desk test", 3*time.Minute)
	base := "http://" + m.Addr()
	ctx := context.Background()
	db := m.DB()

	communes, _, err := db.FindAreas(ctx, models.AreaFilter{On: demoToday, Level: models.AreaLevelCommune})
	if err != nil || len(communes) == 0 {
		t.Fatalf("the demo's communes: %d, %v", len(communes), err)
	}
	byType := map[string]int{}
	for _, a := range communes {
		byType[strings.ToLower(a.TypeName)]++
	}

	// The planner: the tree of today, then of 30 June 2025.
	p.SignIn(base, "/office/", "planner", "#desk")
	p.Do("open the areas desk", chromedp.Navigate(base+"/office/#/areas"), chromedp.WaitVisible(chromedp.CSS(`#areas-counts`)))
	counts := p.Text(`#areas-counts`)
	for typ, n := range byType {
		if !strings.Contains(counts, fmt.Sprintf("%d %s", n, typ)) {
			t.Errorf("today's counts %q lack %d %s", counts, n, typ)
		}
	}
	if n := evalJS[int](t, p.ctx, `document.querySelectorAll('#areas-tree li[data-code]').length`); n != len(communes) {
		t.Errorf("today's tree lists %d units, want the %d communes", n, len(communes))
	}
	p.NoRawCodes("the areas desk: today's tree")
	p.Shot("office-areas-tree-vi-1280x800.png")

	p.Do("the tree of 30 June 2025",
		chromedp.SetValue(chromedp.CSS(`#areas-on`), "2025-06-30"),
		chromedp.Click(chromedp.CSS(`#areas-show`)),
		chromedp.WaitVisible(chromedp.CSS(`#areas-tree a[href="#/areas/31147"]`)))
	old := p.Text(`#areas-tree`)
	for _, want := range []string{"Quận Ninh Kiều", "Huyện Phong Điền", "Phường Hưng Lợi"} {
		if !strings.Contains(old, want) {
			t.Errorf("the tree of 30 June 2025 lacks %s", want)
		}
	}
	if got := p.Text(`#areas-counts`); !strings.Contains(got, "quận") || !strings.Contains(got, "huyện") || !strings.Contains(got, "30/06/2025") {
		t.Errorf("the counts of 30 June 2025 read %q", got)
	}
	p.Shot("office-areas-tree-2025-06-30-vi-1280x800.png")
	p.Do("open Phường Hưng Lợi", chromedp.Click(chromedp.CSS(`#areas-tree a[href="#/areas/31147"]`)), chromedp.WaitVisible(chromedp.CSS(`#areas-unit-became`)))
	if got := p.Text(`#areas-unit-name`); got != "Phường Hưng Lợi" {
		t.Errorf("the unit's page is %q", got)
	}
	if got := p.Text(`#areas-unit-became`); !strings.Contains(got, "Phường Tân An") || !strings.Contains(got, "toàn bộ") {
		t.Errorf("Hưng Lợi went into %q", got)
	}
	if got := p.Text(`#areas-unit-to`); got != "30/06/2025" {
		t.Errorf("Hưng Lợi is in force until %q", got)
	}
	if n := evalJS[int](t, p.ctx, `document.querySelectorAll('#areas-unit-map .am-unit path').length`); n != 1 {
		t.Errorf("the unit's outline is drawn %d times", n)
	}
	p.NoRawCodes("the areas desk: a 2021 ward")
	p.Shot("office-areas-unit-vi-1280x800.png")

	p.Do("the reorganisations", chromedp.Navigate(base+"/office/#/areas/reorganisations"), chromedp.WaitVisible(chromedp.CSS(`#areas-reorgs`)))
	if !evalJS[bool](t, p.ctx, `!!document.querySelector('#areas-reorg-note') && document.querySelector('#areas-reorg-file').disabled`) {
		t.Error("a planner is offered the import of a reorganisation, or not told who can do it")
	}
	if got := p.Text(`#areas-reorgs tbody`); !strings.Contains(got, "Đã áp dụng") || !strings.Contains(got, "01/07/2025") {
		t.Errorf("the demo's reorganisation reads %q", got)
	}
	p.NoRawCodes("the areas desk: the reorganisations, as a planner")
	p.Do("sign out the planner", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))

	// The fixtures: a commune of the old city with a few businesses and an outline, a boundary
	// file that redraws it as a bow tie, and a reorganisation that splits it.
	var unit *models.Area
	var bs []*models.Business
	for _, a := range communes {
		if a.Geometry == "" {
			continue
		}
		got, _, err := db.FindBusinesses(ctx, models.BusinessFilter{Area: a.Code, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) >= 8 && len(got) <= 200 && (unit == nil || len(got) < len(bs)) {
			unit, bs = a, got
		}
	}
	if unit == nil {
		t.Fatal("the demo has no commune with an outline and a few businesses")
	}
	dir := t.TempDir()
	g, err := geojson.UnmarshalGeometry([]byte(unit.Geometry))
	if err != nil {
		t.Fatal(err)
	}
	box := g.Geometry().Bound()
	bow := fmt.Sprintf(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":%q,"name":%q,"level":"commune","parent_code":%q},
		"geometry":{"type":"Polygon","coordinates":[[[%[4]f,%[5]f],[%[6]f,%[7]f],[%[6]f,%[5]f],[%[4]f,%[7]f],[%[4]f,%[5]f]]]}}]}`,
		unit.Code, unit.Name, *unit.ParentCode, box.Min[0], box.Min[1], box.Max[0], box.Max[1])
	bowFile := filepath.Join(dir, "ranh-gioi.geojson")
	if err := os.WriteFile(bowFile, []byte(bow), 0o644); err != nil {
		t.Fatal(err)
	}

	// The strip between the two halves holds the three businesses around the middle.
	lons := []float64{}
	for _, b := range bs {
		lons = append(lons, b.Lon)
	}
	sort.Float64s(lons)
	j := len(lons)/2 - 1
	west, east := (lons[j-1]+lons[j])/2, (lons[j+2]+lons[j+3])/2
	if !(lons[j-1] < lons[j] && lons[j+2] < lons[j+3]) {
		t.Fatalf("businesses share a longitude around the middle of %s: %v", unit.Name, lons)
	}
	half := func(min, max float64) (string, orb.Point) {
		c := clip.Geometry(orb.Bound{Min: orb.Point{min, box.Min[1] - 0.01}, Max: orb.Point{max, box.Max[1] + 0.01}}, orb.Clone(g.Geometry())) // clip works in its input
		raw, err := json.Marshal(geojson.NewGeometry(c))
		if err != nil || c == nil {
			t.Fatalf("a half of %s: %v", unit.Name, err)
		}
		return string(raw), c.Bound().Center()
	}
	westShape, westAt := half(box.Min[0]-0.01, west)
	eastShape, eastAt := half(east, box.Max[0]+0.01)
	effective := demoToday.AddDays(-1)
	spec := fmt.Sprintf(`{"name":"Nghị quyết thử chia %[1]s","effective_on":%[2]q,"parent":%[3]q,"level":"commune","units":[
		{"code":"99001","name":"Phường Thử Tây","lat":%[4]f,"lon":%[5]f,"geometry":%[6]s,"from":[{"code":%[7]q,"name":%[1]q,"part":"partial"}]},
		{"code":"99002","name":"Phường Thử Đông","lat":%[8]f,"lon":%[9]f,"geometry":%[10]s,"from":[{"code":%[7]q,"name":%[1]q,"part":"partial"}]}]}`,
		unit.Name, effective.String(), *unit.ParentCode, westAt[1], westAt[0], westShape, unit.OfficialCode(), eastAt[1], eastAt[0], eastShape)
	specFile := filepath.Join(dir, "sap-xep.json")
	if err := os.WriteFile(specFile, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}

	// The admin: a boundary file with a problem is refused whole.
	p.SignIn(base, "/office/", "admin", "#desk")
	p.Do("check a boundary file",
		chromedp.Navigate(base+"/office/#/areas/import"),
		chromedp.WaitVisible(chromedp.CSS(`#areas-import-form`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#areas-import-file`), []string{bowFile}, chromedp.NodeReady),
		chromedp.Click(chromedp.CSS(`#areas-import-check`)),
		chromedp.WaitVisible(chromedp.CSS(`#areas-import-result`)))
	if n := evalJS[int](t, p.ctx, `document.querySelectorAll('#areas-import-problems tbody tr').length`); n == 0 {
		t.Errorf("the bow tie shows no problem: %s", p.Text(`#areas-import-result`))
	}
	if got := p.Text(`#areas-import-problems`); !strings.Contains(got, unit.Name) || !strings.Contains(got, "Đối tượng số 1") {
		t.Errorf("the problem does not name the unit and the feature: %s", got)
	}
	if got := p.Text(`#areas-import-summary`); !strings.Contains(got, "không có gì được nhập") {
		t.Errorf("the summary reads %q", got)
	}
	if !evalJS[bool](t, p.ctx, `document.querySelector('#areas-import-confirm').disabled`) {
		t.Error("a refused file can be confirmed")
	}
	if a, err := db.FindAreaByCode(ctx, unit.Code); err != nil || a.Geometry != unit.Geometry {
		t.Errorf("the dry run changed %s: %v", unit.Code, err)
	}
	p.NoRawCodes("the areas desk: a boundary file's problems")
	p.Shot("office-areas-import-problems-vi-1280x800.png")

	// The reorganisation: checked, saved as a draft, reviewed.
	p.Do("check the reorganisation",
		chromedp.Navigate(base+"/office/#/areas/reorganisations"),
		chromedp.WaitVisible(chromedp.CSS(`#areas-reorg-form`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#areas-reorg-file`), []string{specFile}, chromedp.NodeReady),
		chromedp.Click(chromedp.CSS(`#areas-reorg-check`)),
		chromedp.WaitVisible(chromedp.CSS(`#areas-reorg-dry-result`)))
	if got := p.Text(`#areas-reorg-dry-result`); !strings.Contains(got, "Phường Thử Tây") || !strings.Contains(got, fmt.Sprintf("%d cơ sở", len(bs))) {
		t.Errorf("the dry run reads %s", got)
	}
	p.Do("save the draft", chromedp.Click(chromedp.CSS(`#areas-reorg-save`)), chromedp.WaitVisible(chromedp.CSS(`#areas-case-map svg`)))
	id := strings.TrimPrefix(evalJS[string](t, p.ctx, `location.hash`), "#/areas/reorganisations/")
	items, err := db.FindReorgItems(ctx, id, models.ReorgItemReview)
	if err != nil || len(items) < 3 {
		t.Fatalf("the draft %s has %d cases to review: %v", id, len(items), err)
	}
	if n := evalJS[int](t, p.ctx, `document.querySelectorAll('#areas-cases li').length`); n != len(items) {
		t.Errorf("%d cases listed, want %d", n, len(items))
	}
	if got := evalJS[string](t, p.ctx, `[...document.querySelectorAll('#areas-case-map .am-cand')].map(g => g.classList.contains('am-proposed') ? 'P' : '-').sort().join('')`); got != "-P" {
		t.Errorf("the case's map draws the candidates %q, want two with one proposed", got)
	}
	if n := evalJS[int](t, p.ctx, `document.querySelectorAll('#areas-case-map .am-mark').length`); n != 1 {
		t.Errorf("the case's map has %d business points", n)
	}
	p.NoRawCodes("the areas desk: a draft's review")
	p.Shot("office-areas-review-vi-1280x800.png")
	p.Viewport(360, 640)
	p.Shot("office-areas-review-vi-360x640.png")
	p.Viewport(1280, 800)

	// A planner reads the draft: its decisions are the admins', and the page says so.
	draftURL := base + "/office/#/areas/reorganisations/" + id
	p.Do("sign out the admin", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	p.SignIn(base, "/office/", "planner", "#desk")
	p.Do("the planner opens the draft", chromedp.Navigate(draftURL), chromedp.WaitVisible(chromedp.CSS(`#areas-case-map svg`)))
	if !evalJS[bool](t, p.ctx, `!!document.querySelector('#areas-reorg-note') && document.querySelector('#areas-reorg-accept').disabled &&
		[...document.querySelectorAll('#areas-case-cands input')].every(i => i.disabled) && !document.querySelector('#areas-case-map [role=button]')`) {
		t.Error("a planner may settle the draft's cases, or is not told who can")
	}
	p.NoRawCodes("the areas desk: a draft, as a planner")
	p.Do("sign out the planner again", chromedp.Click(chromedp.CSS(`#logout`)), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))
	p.SignIn(base, "/office/", "admin", "#desk")
	p.Do("the admin opens the draft", chromedp.Navigate(draftURL), chromedp.WaitVisible(chromedp.CSS(`#areas-case-map svg`)))

	// Settle the first case on the map: the unit not proposed.
	subject := evalJS[string](t, p.ctx, `document.querySelector('#areas-cases button[aria-pressed="true"]').dataset.id`)
	chosen := evalJS[string](t, p.ctx, `(() => { const g = document.querySelector('#areas-case-map .am-cand:not(.am-proposed)'); g.dispatchEvent(new MouseEvent('click', {bubbles: true})); return g.dataset.id; })()`)
	p.Do("wait for the decision", chromedp.WaitVisible(chromedp.CSS(`#areas-reorg-flash .notice`)))
	if got := p.Text(`#areas-reorg-flash`); !strings.Contains(got, "Đã xếp") {
		t.Errorf("after the click the page says %q", got)
	}
	items, _ = db.FindReorgItems(ctx, id, models.ReorgItemReview)
	for _, it := range items {
		if it.SubjectID == subject && fmt.Sprint(reorg.ParseList(it.Settled)) != "["+chosen+"]" {
			t.Errorf("the case settled on the map holds %s, want %s", it.Settled, chosen)
		}
	}

	// Accept the rest, then apply.
	p.Do("accept the proposals", chromedp.Click(chromedp.CSS(`#areas-reorg-accept`)), chromedp.WaitVisible(chromedp.CSS(`#areas-reorg-open.notice`)))
	p.Do("apply",
		chromedp.Click(chromedp.CSS(`#areas-reorg-apply`)),
		chromedp.WaitVisible(chromedp.CSS(`#areas-reorg-apply-yes`)))
	p.Shot("office-areas-apply-confirm-vi-1280x800.png")
	p.Do("confirm the apply", chromedp.Click(chromedp.CSS(`#areas-reorg-apply-yes`)), chromedp.WaitVisible(chromedp.CSS(`#areas-reorg-flash .notice`)))
	if got := p.WaitText(`#areas-reorg-flash`, "Đã áp dụng cuộc sắp xếp."); got != "Đã áp dụng cuộc sắp xếp." {
		t.Errorf("after the apply the page says %q", got)
	}
	rec, err := db.FindReorganisation(ctx, id)
	if err != nil || rec.Status != models.ReorgApplied {
		t.Fatalf("the reorganisation is %+v, %v", rec, err)
	}
	if b, err := db.FindBusinessByID(ctx, subject); err != nil || b.AreaCode != chosen {
		t.Errorf("the business settled on the map is in %v (%v), want %s", b, err, chosen)
	}
	if a, err := db.FindAreaByCode(ctx, unit.Code); err != nil || a.ValidTo != effective.AddDays(-1) {
		t.Errorf("%s ends on %v (%v), want %s", unit.Code, a, err, effective.AddDays(-1))
	}
	if left, _, _ := db.FindBusinesses(ctx, models.BusinessFilter{Area: unit.Code, Limit: 1}); len(left) != 0 {
		t.Errorf("a business is left in %s", unit.Code)
	}
	p.NoRawCodes("the areas desk: an applied reorganisation")
	p.Shot("office-areas-applied-vi-1280x800.png")

	// In English: the tree of today has the new units.
	p.Do("switch to English", chromedp.Navigate(base+"/office/#/areas"), chromedp.WaitVisible(chromedp.CSS(`#areas-counts`)),
		chromedp.Click(chromedp.CSS(`.topbar .lang-switch`)))
	if got := p.WaitText(`#areas-form h1`, "Administrative units"); got != "Administrative units" {
		t.Errorf("the English tree is titled %q", got)
	}
	p.Do("wait for the English tree", chromedp.WaitVisible(chromedp.CSS(`#areas-tree a[href="#/areas/99001"]`)))
	if got := p.Text(`#areas-counts`); !strings.HasPrefix(got, "In force on") {
		t.Errorf("the English counts read %q", got)
	}
	p.Shot("office-areas-tree-en-1280x800.png")
}
