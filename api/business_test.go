package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/xuri/excelize/v2"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"kiemtra/demo"
	"kiemtra/geo"
	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/registry"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

var (
	demoOnce sync.Once
	demoData *demo.Dataset
	demoErr  error
)

// mustDemo returns the demo dataset (Can Tho's areas and 1,500 businesses), generated once.
func mustDemo(t *testing.T) *demo.Dataset {
	t.Helper()
	demoOnce.Do(func() { demoData, demoErr = demo.Generate(demo.DefaultOptions(models.NewDate(2026, 12, 2))) })
	if demoErr != nil {
		t.Fatalf("demo data: %v", demoErr)
	}
	return demoData
}

// registryServer is a Server over a real registry and database holding the demo data.
type registryServer struct {
	*Server
	db  *store.DB
	reg *registry.Service
	ds  *demo.Dataset
}

// newRegistryServer loads the demo areas, and the demo businesses when withBusinesses, into db
// through the registry's import, as `kiemtra demo` does, and returns a server over them whose
// "today" is the demo's.
func newRegistryServer(t *testing.T, db *store.DB, withBusinesses bool) *registryServer {
	t.Helper()
	ds := mustDemo(t)
	ctx := context.Background()
	cats, err := refdata.CategorySet()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := func() time.Time { return ds.Today.Time(time.UTC).Add(9 * time.Hour) }
	names, err := refdata.Categories()
	if err != nil {
		t.Fatal(err)
	}
	reg := registry.New(registry.Config{Store: db, Categories: cats, CategoryNames: names, Logger: log, Now: now})
	areas, err := geo.AreaFeatureCollection(ds.Areas, func(a *models.Area) map[string]any {
		return map[string]any{"type_name": a.TypeName, "lat": a.Lat, "lon": a.Lon, "valid_from": a.ValidFrom}
	})
	if err != nil {
		t.Fatal(err)
	}
	if rep, err := reg.ImportAreas(ctx, "demo", bytes.NewReader(areas), false); err != nil || len(rep.Problems) > 0 {
		t.Fatalf("import demo areas: %v %+v", err, rep)
	}
	if withBusinesses {
		rep, err := reg.ImportBusinesses(ctx, "demo", bytes.NewReader(demo.BusinessesCSV(ds.Businesses, ds.Areas)), "demo.csv", false)
		if err != nil || rep.Created != len(ds.Businesses) {
			t.Fatalf("import demo businesses: %v, %+v", err, rep)
		}
	}
	if err := reg.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	s := New(Config{Store: db, Registry: reg, Readiness: readiness{}, MaxBodyBytes: 64 << 10, Logger: log, Now: now})
	return &registryServer{Server: s, db: db, reg: reg, ds: ds}
}

// pageJSON is GET /businesses as a client reads it.
type pageJSON struct {
	Items []struct {
		models.Business
		DistanceM *float64 `json:"distance_m"`
	} `json:"items"`
	Total      int     `json:"total"`
	NextCursor *string `json:"next_cursor"`
}

func mustJSON[T any](t *testing.T, w *httptest.ResponseRecorder, status int) T {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body)
	}
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("body is not the expected JSON: %v: %s", err, w.Body)
	}
	return v
}

func getPage(t *testing.T, h http.Handler, query string) pageJSON {
	t.Helper()
	return mustJSON[pageJSON](t, do(t, h, "GET", "/api/v1/businesses?"+query, ""), 200)
}

// walk follows next_cursor from the first page to the last and returns every item's id, failing
// on a repeated id.
func walk(t *testing.T, h http.Handler, query string) ([]string, pageJSON) {
	t.Helper()
	var ids []string
	seen := map[string]bool{}
	p := getPage(t, h, query)
	first := p
	for pages := 1; ; pages++ {
		for _, it := range p.Items {
			if seen[it.ID] {
				t.Fatalf("page %d repeats %s", pages, it.ID)
			}
			seen[it.ID] = true
			ids = append(ids, it.ID)
		}
		if p.NextCursor == nil {
			return ids, first
		}
		if pages > 1000 {
			t.Fatal("the pages do not end")
		}
		p = getPage(t, h, query+"&cursor="+url.QueryEscape(*p.NextCursor))
	}
}

// wantError checks an error answer's status, code and field.
func wantError(t *testing.T, w *httptest.ResponseRecorder, status int, code, field string) ErrorPayload {
	t.Helper()
	e := decodeError(t, w)
	if w.Code != status || e.Code != code || (field != "" && e.Field != field) {
		t.Fatalf("answer %d %+v, want %d %s on %q", w.Code, e, status, code, field)
	}
	return e
}

func countStored(t *testing.T, db *store.DB) models.Counts {
	t.Helper()
	n, err := db.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBusinessListing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newRegistryServer(t, db, true)
		all := len(s.ds.Businesses)

		t.Run("without filters every business is listed once, in pages, and the last has no cursor", func(t *testing.T) {
			ids, first := walk(t, s, "limit=200")
			if len(ids) != all || first.Total != all || len(first.Items) != 200 {
				t.Fatalf("walked %d ids, total %d, first page %d; want %d", len(ids), first.Total, len(first.Items), all)
			}
			if !slices.IsSorted(ids) {
				t.Error("pages are not in id order")
			}
			for _, it := range first.Items {
				if it.DistanceM != nil {
					t.Fatalf("a plain listing gives distance_m: %+v", it)
				}
			}
		})

		t.Run("the download holds what the filters match, in the import's columns", func(t *testing.T) {
			bs, _, err := db.FindBusinesses(context.Background(), models.BusinessFilter{Category: "karaoke"})
			if err != nil {
				t.Fatal(err)
			}
			w := do(t, s, "GET", "/api/v1/businesses/export?category=karaoke", "")
			if w.Code != 200 || w.Header().Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
				!strings.HasPrefix(w.Header().Get("Content-Disposition"), `attachment; filename="co-so_`) {
				t.Fatalf("xlsx: %d %v", w.Code, w.Header())
			}
			f, err := excelize.OpenReader(w.Body)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := f.GetRows("Cơ sở")
			f.Close()
			if err != nil || len(rows) != len(bs)+1 || rows[0][0] != "Tên cơ sở" {
				t.Fatalf("the workbook has %d rows (%v), want a header and %d karaoke businesses", len(rows), err, len(bs))
			}
			w = do(t, s, "GET", "/api/v1/businesses/export?format=csv&lang=en&status=closed", "")
			if w.Code != 200 || !strings.HasPrefix(w.Body.String(), "\ufeffname,category,") || !strings.Contains(w.Header().Get("Content-Disposition"), "registry_") {
				t.Fatalf("csv: %d %q", w.Code, w.Body.String()[:min(80, w.Body.Len())])
			}
			for q, field := range map[string]string{"format=pdf": "format", "near=10.03,105.78": "near", "area=nowhere": "area", "status=open": "status"} {
				if w := do(t, s, "GET", "/api/v1/businesses/export?"+q, ""); w.Code != 400 || !strings.Contains(w.Body.String(), `"field":"`+field+`"`) {
					t.Errorf("%s: %d %s", q, w.Code, w.Body)
				}
			}
		})

		t.Run("filtered pages have no gaps either", func(t *testing.T) {
			ids, first := walk(t, s, "category=karaoke&limit=37")
			var want []string
			bs, _, err := db.FindBusinesses(context.Background(), models.BusinessFilter{Category: "karaoke"})
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range bs {
				want = append(want, b.ID)
			}
			if !slices.Equal(ids, want) || first.Total != len(want) || len(want) < 38 {
				t.Fatalf("walked %d karaoke ids (total %d), want the %d stored", len(ids), first.Total, len(want))
			}
		})

		t.Run("filters by category, status and area", func(t *testing.T) {
			wardsOf := map[string]bool{}
			for _, a := range s.ds.Areas {
				if a.ParentCode != nil && *a.ParentCode == "916" {
					wardsOf[a.Code] = true
				}
			}
			want := map[string]int{}
			for _, b := range s.ds.Businesses {
				want["category="+b.Category]++
				want["status="+b.Status]++
				want["area="+b.AreaCode]++
				if wardsOf[b.AreaCode] {
					want["area=916"]++
				}
			}
			want["area=92"] = all
			for _, query := range []string{"category=karaoke", "category=massage", "status=closed", "status=suspended", "area=916", "area=31117", "area=92"} {
				t.Run(query, func(t *testing.T) {
					p := getPage(t, s, query+"&limit=500")
					if p.Total != want[query] || p.Total == 0 || len(p.Items) != min(500, p.Total) {
						t.Fatalf("total %d, %d items; want %d", p.Total, len(p.Items), want[query])
					}
					key, val, _ := strings.Cut(query, "=")
					for _, it := range p.Items {
						ok := map[string]bool{
							"category": it.Category == val,
							"status":   it.Status == val,
							"area":     it.AreaCode == val || (val == "916" && wardsOf[it.AreaCode]) || val == "92",
						}[key]
						if !ok {
							t.Fatalf("%s does not match %s: %+v", it.ID, query, it.Business)
						}
					}
				})
			}
		})

		t.Run("q is accent- and case-insensitive over name, address and licence", func(t *testing.T) {
			w := do(t, s, "POST", "/api/v1/businesses", `{"name":"Karaoke Hoa Hồng","category":"karaoke","licence_no":"57/GP-UBND","address":"12 Trần Phú","lat":10.0531,"lon":105.7862}`, "Content-Type", "application/json")
			created := mustJSON[models.Business](t, w, 201)
			for _, q := range []string{"hoa hong", "HOA HỒNG", "Hoa%20H%E1%BB%93ng", "tran phu hoa", "57/gp-ubnd"} {
				p := getPage(t, s, "q="+strings.ReplaceAll(q, " ", "+")+"&limit=500")
				found := false
				for _, it := range p.Items {
					found = found || it.ID == created.ID
				}
				if !found {
					t.Errorf("q=%s does not find %q (%d items)", q, created.Name, len(p.Items))
				}
			}
			if p := getPage(t, s, "q=hoa+hong+xyzzy"); p.Total != 0 {
				t.Errorf("every word must match: %d found", p.Total)
			}
			if p := getPage(t, s, "q=50%25"); p.Total != 0 {
				t.Errorf("a %% in q is a wildcard: %d found", p.Total)
			}
		})

		t.Run("near returns only businesses within the radius, nearest first, each with distance_m", func(t *testing.T) {
			const lat, lon, radius = 10.0340, 105.7880, 500.0
			bs, _, err := db.FindBusinesses(context.Background(), models.BusinessFilter{})
			if err != nil {
				t.Fatal(err)
			}
			type hit struct {
				id string
				d  float64
			}
			var want []hit
			for _, b := range bs {
				if d := geo.DistanceM(lat, lon, b.Lat, b.Lon); d <= radius {
					want = append(want, hit{b.ID, d})
				}
			}
			sort.Slice(want, func(i, j int) bool { return want[i].d < want[j].d })
			if len(want) < 5 {
				t.Fatalf("only %d demo businesses within 500 m; the test needs more", len(want))
			}
			p := getPage(t, s, "near=10.0340,105.7880&radius_m=500&limit=500")
			if p.Total != len(want) || len(p.Items) != len(want) || p.NextCursor != nil {
				t.Fatalf("near: total %d, %d items; want %d", p.Total, len(p.Items), len(want))
			}
			last := 0.0
			for i, it := range p.Items {
				if it.DistanceM == nil || *it.DistanceM > radius || *it.DistanceM < last {
					t.Fatalf("item %d: distance_m %v after %v", i, it.DistanceM, last)
				}
				if d := geo.DistanceM(lat, lon, it.Lat, it.Lon); d-*it.DistanceM > 0.1 || *it.DistanceM-d > 0.1 {
					t.Fatalf("item %d: distance_m %v, computed %v", i, *it.DistanceM, d)
				}
				if it.ID != want[i].id && want[i].d-*it.DistanceM > 0.1 {
					t.Fatalf("item %d is %s, want %s", i, it.ID, want[i].id)
				}
				last = *it.DistanceM
			}
			// Paged, the same answer.
			ids, _ := walk(t, s, "near=10.0340,105.7880&radius_m=500&limit=3")
			var oneShot []string
			for _, it := range p.Items {
				oneShot = append(oneShot, it.ID)
			}
			if !slices.Equal(ids, oneShot) {
				t.Fatalf("paged near %v, one page %v", ids, oneShot)
			}
			// Filters apply within the radius.
			for _, it := range getPage(t, s, "near=10.0340,105.7880&radius_m=500&category=karaoke").Items {
				if it.Category != "karaoke" {
					t.Fatalf("near with category=karaoke gave %+v", it.Business)
				}
			}
		})

		t.Run("bad parameters are 400 naming the parameter", func(t *testing.T) {
			nearCursor := *getPage(t, s, "near=10.0340,105.7880&radius_m=2000&limit=1").NextCursor
			idCursor := *getPage(t, s, "limit=1").NextCursor
			for _, tc := range []struct{ query, field string }{
				{"near=abc", "near"},
				{"near=10.0340", "near"},
				{"near=10.0340,105.7880,3", "near"},
				{"near=NaN,105.7880", "near"},
				{"near=10.0340,Inf", "near"},
				{"near=95,105.7880", "near"},
				{"near=0,0", "near"},
				{"near=10.0340,105.7880&radius_m=0", "radius_m"},
				{"near=10.0340,105.7880&radius_m=-5", "radius_m"},
				{"near=10.0340,105.7880&radius_m=60000", "radius_m"},
				{"near=10.0340,105.7880&radius_m=NaN", "radius_m"},
				{"near=10.0340,105.7880&radius_m=far", "radius_m"},
				{"radius_m=500", "radius_m"},
				{"limit=0", "limit"},
				{"limit=501", "limit"},
				{"limit=ten", "limit"},
				{"cursor=nonsense", "cursor"},
				{"cursor=" + url.QueryEscape(encodeCursorText("x", "1")), "cursor"},
				{"cursor=" + url.QueryEscape(nearCursor), "cursor"},
				{"near=10.0340,105.7880&cursor=" + url.QueryEscape(idCursor), "cursor"},
				{"near=10.0340,105.7880&cursor=" + url.QueryEscape(encodeCursorText("o", "-1")), "cursor"},
				{"status=gone", "status"},
				{"area=nowhere", "area"},
				{"near=10.0340,105.7880&area=nowhere", "area"},
				{"q=" + strings.Repeat("a", 201), "q"},
			} {
				t.Run(tc.query, func(t *testing.T) {
					w := do(t, s, "GET", "/api/v1/businesses?"+tc.query, "", "Accept-Language", "en")
					e := wantError(t, w, 400, models.EINVALID, tc.field)
					if e.Message == "" || len(e.Details) == 0 {
						t.Errorf("no reason given: %+v", e)
					}
				})
			}
		})
	})
}

func encodeCursorText(kind, val string) string { return *encodeCursor(kind, val) }

func TestBusinessWrites(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newRegistryServer(t, db, false)
		const body = `{"id":%q,"name":"Nhà nghỉ Bình Minh","category":"accommodation","licence_no":"58/gp-ubnd","address":"45 Cách Mạng Tháng Tám","phone":"0909 123 456","lat":10.0463,"lon":105.7684,"opened_on":"2018-08-15"}`
		id := uuid.NewString()
		var created models.Business

		t.Run("POST creates the business in the ward of its coordinates", func(t *testing.T) {
			before := countStored(t, db)
			w := do(t, s, "POST", "/api/v1/businesses", fmt.Sprintf(body, id), "Content-Type", "application/json")
			created = mustJSON[models.Business](t, w, 201)
			if created.ID != id || created.AreaCode != "31120" || created.Version != 1 || created.Licence() != "58/GP-UBND" || created.Status != models.BusinessActive {
				t.Fatalf("created %+v", created)
			}
			if loc := w.Header().Get("Location"); loc != "/api/v1/businesses/"+id {
				t.Errorf("Location %q", loc)
			}
			if n := countStored(t, db); n.Businesses != before.Businesses+1 || n.AuditEvents != before.AuditEvents+1 {
				t.Errorf("stored %+v after %+v, want one business and one audit event more", n, before)
			}
			got := mustJSON[models.Business](t, do(t, s, "GET", "/api/v1/businesses/"+id, ""), 200)
			if got.Name != created.Name || got.AreaCode != "31120" {
				t.Fatalf("GET answers %+v", got)
			}
		})

		t.Run("the same POST again answers 200 with the stored business", func(t *testing.T) {
			before := countStored(t, db)
			w := do(t, s, "POST", "/api/v1/businesses", fmt.Sprintf(body, id), "Content-Type", "application/json")
			again := mustJSON[models.Business](t, w, 200)
			if again.ID != id || again.Version != 1 || w.Header().Get("Location") != "" {
				t.Fatalf("retry answered %+v", again)
			}
			if countStored(t, db) != before {
				t.Fatal("a retry stored something")
			}
		})

		t.Run("a different body under the same id is 409", func(t *testing.T) {
			other := strings.Replace(fmt.Sprintf(body, id), "Bình Minh", "Hoàng Hôn", 1)
			wantError(t, do(t, s, "POST", "/api/v1/businesses", other, "Content-Type", "application/json"), 409, models.ECONFLICT, "")
		})

		t.Run("a taken licence number is 409 on licence_no", func(t *testing.T) {
			dup := fmt.Sprintf(body, uuid.NewString())
			wantError(t, do(t, s, "POST", "/api/v1/businesses", dup, "Content-Type", "application/json"), 409, models.ECONFLICT, "licence_no")
		})

		t.Run("bad POST bodies are refused naming the field", func(t *testing.T) {
			before := countStored(t, db)
			for _, tc := range []struct {
				name, body, field string
				status            int
			}{
				{"malformed JSON", `{"name":`, "body", 400},
				{"not an object", `["a"]`, "body", 400},
				{"an unknown field", `{"name":"A","category":"bar","lat":10.05,"lon":105.78,"area_code":"31117"}`, "area_code", 400},
				{"a wrong type", `{"name":"A","category":"bar","lat":"ten","lon":105.78}`, "lat", 400},
				{"a bad date", `{"name":"A","category":"bar","lat":10.05,"lon":105.78,"opened_on":"15/08/2018"}`, "", 400},
				{"no name", `{"category":"bar","lat":10.05,"lon":105.78}`, "name", 400},
				{"an unknown category", `{"name":"A","category":"casino","lat":10.05,"lon":105.78}`, "category", 400},
				{"no coordinates", `{"name":"A","category":"bar"}`, "lat", 400},
				{"a point outside every area", `{"name":"A","category":"bar","lat":21.0285,"lon":105.8542}`, "lat", 400},
				{"an opening in the future", `{"name":"A","category":"bar","lat":10.05,"lon":105.78,"opened_on":"2099-01-01"}`, "opened_on", 400},
				{"an id that is not a UUID", `{"id":"42","name":"A","category":"bar","lat":10.05,"lon":105.78}`, "id", 400},
				{"a body over the limit", `{"name":"A","category":"bar","lat":10.05,"lon":105.78,"notes":"` + strings.Repeat("x", 70<<10) + `"}`, "", 413},
			} {
				t.Run(tc.name, func(t *testing.T) {
					w := do(t, s, "POST", "/api/v1/businesses", tc.body, "Content-Type", "application/json")
					code := models.EINVALID
					if tc.status == 413 {
						code = models.ETOOLARGE
					}
					wantError(t, w, tc.status, code, tc.field)
				})
			}
			w := do(t, s, "POST", "/api/v1/businesses", `name=A`, "Content-Type", "application/x-www-form-urlencoded")
			wantError(t, w, 415, models.EUNSUPPORTEDTYPE, "")
			if countStored(t, db) != before {
				t.Fatal("a refused body stored something")
			}
		})

		t.Run("PATCH needs the version", func(t *testing.T) {
			wantError(t, do(t, s, "PATCH", "/api/v1/businesses/"+id, `{"name":"X"}`, "Content-Type", "application/json"), 400, models.EINVALID, "version")
		})

		t.Run("PATCH with a stale version is 409 and changes nothing", func(t *testing.T) {
			wantError(t, do(t, s, "PATCH", "/api/v1/businesses/"+id, `{"version":7,"name":"X"}`, "Content-Type", "application/json"), 409, models.ECONFLICT, "")
			if got := mustJSON[models.Business](t, do(t, s, "GET", "/api/v1/businesses/"+id, ""), 200); got.Name != created.Name || got.Version != 1 {
				t.Fatalf("after a stale PATCH: %+v", got)
			}
		})

		t.Run("PATCH with the current version answers the next version", func(t *testing.T) {
			w := do(t, s, "PATCH", "/api/v1/businesses/"+id, `{"version":1,"lat":10.0531,"lon":105.7862,"phone":"0909 123 457"}`, "Content-Type", "application/json")
			got := mustJSON[models.Business](t, w, 200)
			if got.Version != 2 || got.AreaCode != "31117" || got.Phone != "0909 123 457" {
				t.Fatalf("PATCH answered %+v", got)
			}
			w = do(t, s, "PATCH", "/api/v1/businesses/"+id, `{"version":2,"status":"closed"}`, "Content-Type", "application/json")
			got = mustJSON[models.Business](t, w, 200)
			if got.Version != 3 || got.Status != models.BusinessClosed || got.ClosedOn != s.ds.Today {
				t.Fatalf("closing answered %+v", got)
			}
		})

		t.Run("bad PATCH bodies are 400 naming the field", func(t *testing.T) {
			for _, tc := range []struct{ body, field string }{
				{`{"version":3,"area_code":"31117"}`, "area_code"},
				{`{"version":"3"}`, "version"},
				{`{"version":3,"lat":200}`, "lat"},
				{`{"version":3,"status":"gone"}`, "status"},
				{`{"version":3,"closed_on":"2099-01-01"}`, "closed_on"},
			} {
				wantError(t, do(t, s, "PATCH", "/api/v1/businesses/"+id, tc.body, "Content-Type", "application/json"), 400, models.EINVALID, tc.field)
			}
		})

		t.Run("unknown ids are 404", func(t *testing.T) {
			wantError(t, do(t, s, "GET", "/api/v1/businesses/"+uuid.NewString(), ""), 404, models.ENOTFOUND, "")
			wantError(t, do(t, s, "GET", "/api/v1/businesses/not-an-id", ""), 404, models.ENOTFOUND, "")
			wantError(t, do(t, s, "PATCH", "/api/v1/businesses/"+uuid.NewString(), `{"version":1,"name":"X"}`, "Content-Type", "application/json"), 404, models.ENOTFOUND, "")
		})
	})
}

// areaNodeJSON is an area of GET /areas.
type areaNodeJSON struct {
	Code     string          `json:"code"`
	Level    string          `json:"level"`
	Children []*areaNodeJSON `json:"children"`
}

func TestAreaEndpoints(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newRegistryServer(t, db, false)

		t.Run("the tree has the city, its 9 districts and their 83 wards", func(t *testing.T) {
			tree := mustJSON[struct{ Items []*areaNodeJSON }](t, do(t, s, "GET", "/api/v1/areas", ""), 200)
			if len(tree.Items) != 1 || tree.Items[0].Code != "92" || len(tree.Items[0].Children) != 9 {
				t.Fatalf("roots %+v", tree.Items)
			}
			wards := 0
			for _, d := range tree.Items[0].Children {
				if d.Level != models.AreaLevelDistrict || len(d.Children) == 0 {
					t.Fatalf("district %+v", d)
				}
				for _, w := range d.Children {
					if w.Level != models.AreaLevelWard || len(w.Children) != 0 {
						t.Fatalf("ward %+v", w)
					}
					wards++
				}
			}
			if wards != 83 {
				t.Fatalf("%d wards, want 83", wards)
			}
			sub := mustJSON[struct{ Items []*areaNodeJSON }](t, do(t, s, "GET", "/api/v1/areas?under=916", ""), 200)
			if len(sub.Items) != 1 || sub.Items[0].Code != "916" || len(sub.Items[0].Children) != 11 {
				t.Fatalf("under=916: %+v", sub.Items)
			}
			wantError(t, do(t, s, "GET", "/api/v1/areas?under=none", ""), 404, models.ENOTFOUND, "")
		})

		t.Run("one area has its geometry, path and children", func(t *testing.T) {
			a := mustJSON[AreaDetail](t, do(t, s, "GET", "/api/v1/areas/916", ""), 200)
			var g struct {
				Type        string `json:"type"`
				Coordinates []any  `json:"coordinates"`
			}
			if err := json.Unmarshal(a.Geometry, &g); err != nil || (g.Type != "Polygon" && g.Type != "MultiPolygon") || len(g.Coordinates) == 0 {
				t.Fatalf("geometry %.200s: %v", a.Geometry, err)
			}
			if a.Name != "Quận Ninh Kiều" || a.ParentCode == nil || *a.ParentCode != "92" || !slices.Equal(a.Path, []string{"92", "916"}) || len(a.Children) != 11 {
				t.Fatalf("area 916: %+v", a)
			}
			for _, c := range a.Children {
				if c.Level != models.AreaLevelWard {
					t.Fatalf("child %+v", c)
				}
			}
			w := mustJSON[AreaDetail](t, do(t, s, "GET", "/api/v1/areas/31117", ""), 200)
			if len(w.Children) != 0 || !slices.Equal(w.Path, []string{"92", "916", "31117"}) {
				t.Fatalf("ward 31117: %+v", w)
			}
		})

		t.Run("an unknown area is 404", func(t *testing.T) {
			wantError(t, do(t, s, "GET", "/api/v1/areas/none", ""), 404, models.ENOTFOUND, "")
		})
	})
}

func multipartBody(t *testing.T, field, filename string, data []byte) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("note", "first a field that is not the file"); err != nil {
		t.Fatal(err)
	}
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return buf.String(), mw.FormDataContentType()
}

func TestImportEndpoints(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newRegistryServer(t, db, false)
		good, err := os.ReadFile("../registry/testdata/businesses_good.csv")
		if err != nil {
			t.Fatal(err)
		}
		mixed, err := os.ReadFile("../registry/testdata/businesses_mixed.csv")
		if err != nil {
			t.Fatal(err)
		}
		geojson, err := os.ReadFile("../registry/testdata/businesses.geojson")
		if err != nil {
			t.Fatal(err)
		}

		t.Run("a dry run reports and stores nothing", func(t *testing.T) {
			before := countStored(t, db)
			w := do(t, s, "POST", "/api/v1/businesses/import?dry_run=true", string(mixed), "Content-Type", "text/csv")
			rep := mustJSON[models.ImportReport](t, w, 200)
			if !rep.DryRun || rep.Rows != 13 || rep.Created != 7 || len(rep.Rejected) != 10 {
				t.Fatalf("dry run report %+v", rep)
			}
			if countStored(t, db) != before {
				t.Fatal("a dry run stored something")
			}
		})

		t.Run("a CSV body imports its good rows and lists the bad ones", func(t *testing.T) {
			w := do(t, s, "POST", "/api/v1/businesses/import", string(mixed), "Content-Type", "text/csv")
			rep := mustJSON[models.ImportReport](t, w, 200)
			if rep.DryRun || rep.Created != 7 || len(rep.Rejected) != 10 || rep.Rejected[0].Line != 4 || rep.Rejected[0].Field != "lat" {
				t.Fatalf("report %+v", rep)
			}
		})

		t.Run("a multipart upload works the same, and twice changes nothing", func(t *testing.T) {
			body, ct := multipartBody(t, "file", "businesses_good.csv", good)
			rep := mustJSON[models.ImportReport](t, do(t, s, "POST", "/api/v1/businesses/import", body, "Content-Type", ct), 200)
			// Line 2's licence 57/GP-UBND came with the mixed file: it is that business.
			if rep.Rows != 10 || rep.Created != 9 || rep.Unchanged != 1 || len(rep.Rejected) != 0 {
				t.Fatalf("first upload %+v", rep)
			}
			before := countStored(t, db)
			rep = mustJSON[models.ImportReport](t, do(t, s, "POST", "/api/v1/businesses/import", body, "Content-Type", ct), 200)
			if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != 10 {
				t.Fatalf("second upload %+v", rep)
			}
			if countStored(t, db) != before {
				t.Fatal("the second upload stored something")
			}
		})

		t.Run("a GeoJSON body", func(t *testing.T) {
			rep := mustJSON[models.ImportReport](t, do(t, s, "POST", "/api/v1/businesses/import?dry_run=false", string(geojson), "Content-Type", "application/geo+json"), 200)
			if rep.Rows != 5 || len(rep.Rejected) != 1 {
				t.Fatalf("report %+v", rep)
			}
		})

		t.Run("bad requests are refused and store nothing", func(t *testing.T) {
			before := countStored(t, db)
			noFile, noFileCT := multipartBody(t, "upload", "a.csv", good)
			for _, tc := range []struct {
				name, query, body, ct string
				status                int
				code, field           string
			}{
				{"dry_run is not a boolean", "?dry_run=maybe", string(good), "text/csv", 400, models.EINVALID, "dry_run"},
				{"unbalanced quotes", "", "name,category,ward\n\"A,bar,31117\n", "text/csv", 400, models.EINVALID, "file"},
				{"an empty body", "", "", "text/csv", 400, models.EINVALID, "file"},
				{"not UTF-8", "", "name,category,ward\nKaraoke \xff,bar,31117\n", "text/csv", 400, models.EINVALID, "file"},
				{"a Feature, not a FeatureCollection", "", `{"type":"Feature","properties":{}}`, "application/geo+json", 400, models.EINVALID, "file"},
				{"a multipart body without a file field", "", noFile, noFileCT, 400, models.EINVALID, "file"},
				{"an old Excel workbook", "", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "application/octet-stream", 415, models.EUNSUPPORTEDTYPE, "file"},
				{"an .xls upload", "", "name,category,ward\n", "application/vnd.ms-excel", 415, models.EUNSUPPORTEDTYPE, "file"},
				{"a broken .xlsx", "", "PK\x03\x04\x14\x00", "application/octet-stream", 400, models.EINVALID, "file"},
				{"an unknown column in the mapping", "?column=colour%3DM%C3%A0u", string(good), "text/csv", 400, models.EINVALID, "column"},
				{"a mapping to a header the file has not", "?column=licence_no%3DS%E1%BB%91%20GP", string(good), "text/csv", 400, models.EINVALID, "file"},
				{"two sheets", "?sheet=A&sheet=B", string(good), "text/csv", 400, models.EINVALID, "sheet"},
				{"a 50 MB file", "", "name,category,ward\n" + strings.Repeat("x", 50<<20), "text/csv", 413, models.ETOOLARGE, ""},
			} {
				t.Run(tc.name, func(t *testing.T) {
					w := do(t, s, "POST", "/api/v1/businesses/import"+tc.query, tc.body, "Content-Type", tc.ct)
					wantError(t, w, tc.status, tc.code, tc.field)
				})
			}
			// Streamed without a Content-Length, a file over the limit is stopped while it is read.
			big := io.MultiReader(strings.NewReader("name,category,ward\n\""), io.LimitReader(zeros{}, 50<<20))
			req := httptest.NewRequest("POST", "/api/v1/businesses/import", big)
			req = req.WithContext(WithPrincipal(req.Context(), testAdmin))
			req.ContentLength = -1
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			wantError(t, rec, 413, models.ETOOLARGE, "")
			if countStored(t, db) != before {
				t.Fatal("a refused import stored something")
			}
		})

		t.Run("areas import from GeoJSON, with problems reported", func(t *testing.T) {
			square := `[[107.0,11.0],[107.1,11.0],[107.1,11.1],[107.0,11.1],[107.0,11.0]]`
			areas := `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[` + square + `]},"properties":{"code":"998","name":"Khu mới","level":"district","parent_code":"92"}}]}`
			rep := mustJSON[models.AreaImportReport](t, do(t, s, "POST", "/api/v1/areas/import?dry_run=true", areas, "Content-Type", "application/geo+json"), 200)
			if !rep.DryRun || rep.Created != 1 || len(rep.Problems) != 0 {
				t.Fatalf("dry run %+v", rep)
			}
			wantError(t, do(t, s, "GET", "/api/v1/areas/998", ""), 404, models.ENOTFOUND, "")
			body, ct := multipartBody(t, "file", "areas.geojson", []byte(areas))
			rep = mustJSON[models.AreaImportReport](t, do(t, s, "POST", "/api/v1/areas/import", body, "Content-Type", ct), 200)
			if rep.DryRun || rep.Created != 1 || len(rep.Problems) != 0 {
				t.Fatalf("import %+v", rep)
			}
			if a := mustJSON[AreaDetail](t, do(t, s, "GET", "/api/v1/areas/998", ""), 200); !slices.Equal(a.Path, []string{"92", "998"}) {
				t.Fatalf("imported area %+v", a)
			}
			// A new business there is placed in it at once.
			b := mustJSON[models.Business](t, do(t, s, "POST", "/api/v1/businesses", `{"name":"Karaoke Biên","category":"karaoke","lat":11.05,"lon":107.05}`, "Content-Type", "application/json"), 201)
			if b.AreaCode != "998" {
				t.Fatalf("business placed in %q", b.AreaCode)
			}

			overlap := strings.Replace(strings.Replace(areas, `"998"`, `"996"`, 1), "107.0,", "107.05,", -1)
			rep = mustJSON[models.AreaImportReport](t, do(t, s, "POST", "/api/v1/areas/import", overlap, "Content-Type", "application/geo+json"), 200)
			if len(rep.Problems) != 1 || rep.Problems[0].Kind != "overlap" || rep.Created != 0 {
				t.Fatalf("overlapping import %+v", rep)
			}
			wantError(t, do(t, s, "GET", "/api/v1/areas/996", ""), 404, models.ENOTFOUND, "")

			wantError(t, do(t, s, "POST", "/api/v1/areas/import", `{"type":"Feature"}`, "Content-Type", "application/geo+json"), 400, models.EINVALID, "type")
			wantError(t, do(t, s, "POST", "/api/v1/areas/import?dry_run=maybe", areas, "Content-Type", "application/geo+json"), 400, models.EINVALID, "dry_run")
		})

		t.Run("areas import with a property mapping as a query parameter or a form field", func(t *testing.T) {
			square := `[[107.2,11.0],[107.3,11.0],[107.3,11.1],[107.2,11.1],[107.2,11.0]]`
			file := `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[` + square + `]},"properties":{"MA":"995","TEN":"Khu thử","CHA":"92","CAP":"district"}}]}`
			w := do(t, s, "POST", "/api/v1/areas/import?dry_run=true", file, "Content-Type", "application/geo+json")
			if e := wantError(t, w, 400, models.EINVALID, "properties"); !strings.Contains(e.Message, "CHA, MA, TEN") && !strings.Contains(e.Message, "CAP, CHA, MA, TEN") {
				t.Fatalf("the error does not list the properties: %s", e.Message)
			}
			mapping := url.QueryEscape("code=MA,name=TEN,parent=CHA,level=CAP")
			rep := mustJSON[models.AreaImportReport](t, do(t, s, "POST", "/api/v1/areas/import?dry_run=true&property="+mapping+"&valid_from=2026-01-01", file, "Content-Type", "application/geo+json"), 200)
			if rep.Source != models.AreaSourceMapping || rep.Created != 1 || len(rep.Units) != 1 || rep.Units[0].ValidFrom != models.NewDate(2026, 1, 1) || len(rep.Problems) != 0 {
				t.Fatalf("mapped dry run %+v", rep)
			}
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("property", "code=MA,name=TEN")
			mw.WriteField("property", "parent=CHA,level=CAP")
			fw, _ := mw.CreateFormFile("file", "khu.geojson")
			fw.Write([]byte(file))
			mw.Close()
			rep = mustJSON[models.AreaImportReport](t, do(t, s, "POST", "/api/v1/areas/import", buf.String(), "Content-Type", mw.FormDataContentType()), 200)
			if rep.Created != 1 || rep.Mapping != "code=MA,name=TEN,parent=CHA,level=CAP" {
				t.Fatalf("mapped import %+v", rep)
			}
			if a := mustJSON[AreaDetail](t, do(t, s, "GET", "/api/v1/areas/995", ""), 200); a.Name != "Khu thử" || a.Level != "district" {
				t.Fatalf("imported area %+v", a)
			}
			wantError(t, do(t, s, "POST", "/api/v1/areas/import?property="+url.QueryEscape("ward=MA"), file, "Content-Type", "application/geo+json"), 400, models.EINVALID, "property")
			wantError(t, do(t, s, "POST", "/api/v1/areas/import?property="+mapping+"&valid_from=tomorrow", file, "Content-Type", "application/geo+json"), 400, models.EINVALID, "valid_from")
		})
	})
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}
