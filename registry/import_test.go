package registry_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"kiemtra/demo"
	"kiemtra/models"
	"kiemtra/registry"
	"kiemtra/registry/registrytest"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

func mustReadTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustImport(t *testing.T, svc *registry.Service, name string, data []byte, dryRun bool) *models.ImportReport {
	t.Helper()
	rep, err := svc.ImportBusinesses(context.Background(), "planner", bytes.NewReader(data), name, dryRun)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return rep
}

// counts is a report's totals, to compare in one line.
type counts struct{ Rows, Created, Updated, Unchanged, Rejected, Duplicates int }

func countsOf(r *models.ImportReport) counts {
	return counts{r.Rows, r.Created, r.Updated, r.Unchanged, len(r.Rejected), len(r.PossibleDuplicates)}
}

func wantCounts(t *testing.T, rep *models.ImportReport, want counts) {
	t.Helper()
	if got := countsOf(rep); got != want {
		t.Fatalf("report %+v, want %+v\nrejected: %+v\nduplicates: %+v", got, want, rep.Rejected, rep.PossibleDuplicates)
	}
}

// rejectedFields lists a report's rejections as "line:field", in report order.
func rejectedFields(rep *models.ImportReport) []string {
	var out []string
	for _, r := range rep.Rejected {
		out = append(out, fmt.Sprintf("%d:%s", r.Line, r.Field))
	}
	return out
}

func rejection(t *testing.T, rep *models.ImportReport, line int, field string) models.ImportRejection {
	t.Helper()
	for _, r := range rep.Rejected {
		if r.Line == line && r.Field == field {
			return r
		}
	}
	t.Fatalf("no rejection of line %d on %s in %+v", line, field, rep.Rejected)
	return models.ImportRejection{}
}

// byLicence returns the stored business with the licence number.
func byLicence(t *testing.T, db *store.DB, licence string) *models.Business {
	t.Helper()
	bs, _, err := db.FindBusinesses(context.Background(), models.BusinessFilter{Licences: []string{licence}})
	if err != nil || len(bs) != 1 {
		t.Fatalf("business with licence %s: %d found, %v", licence, len(bs), err)
	}
	return bs[0]
}

// byName returns the stored businesses whose name contains q (accent-insensitive).
func byName(t *testing.T, db *store.DB, q string) []*models.Business {
	t.Helper()
	bs, _, err := db.FindBusinesses(context.Background(), models.BusinessFilter{Q: q})
	if err != nil {
		t.Fatal(err)
	}
	return bs
}

func wardOf(t *testing.T, svc *registry.Service, code string) *models.Area {
	t.Helper()
	ix, err := svc.Indexes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	a := ix.Areas.Area(code)
	if a == nil {
		t.Fatalf("no area %s", code)
	}
	return a
}

func TestImportGoodFileTwiceChangesNothingTheSecondTime(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newDemoService(t, db)
		good := mustReadTestdata(t, "businesses_good.csv")

		rep := mustImport(t, svc, "businesses_good.csv", good, false)
		wantCounts(t, rep, counts{Rows: 10, Created: 10})
		if rep.DryRun {
			t.Error("a real import reports dry_run")
		}
		if n := countBusinesses(t, db); n != 10 {
			t.Fatalf("%d businesses stored, want 10", n)
		}
		for lic, ward := range map[string]string{"57/GP-UBND": "31117", "58/GP-UBND": "31120", "62/GP-UBND": "31186", "65/GP-UBND": "31299"} {
			if b := byLicence(t, db, lic); b.AreaCode != ward {
				t.Errorf("%s is in %s, want %s", lic, b.AreaCode, ward)
			}
		}
		if b := byLicence(t, db, "59/GP-UBND"); b.Status != models.BusinessSuspended {
			t.Errorf("line 4 status %q, want suspended", b.Status)
		}
		if b := byLicence(t, db, "62/GP-UBND"); b.Status != models.BusinessClosed {
			t.Errorf("line 8 status %q, want closed", b.Status)
		}
		// Line 6 has a ward and no coordinates: it is placed at the ward's label point, and says so.
		spa := byLicence(t, db, "60/GP-UBND")
		hp := wardOf(t, svc, "31189")
		if spa.AreaCode != "31189" || spa.Lat != hp.Lat || spa.Lon != hp.Lon || !strings.Contains(spa.Notes, "Tọa độ lấy tạm") {
			t.Errorf("ward-only row stored at %v,%v in %s with notes %q; want the label point of 31189 and a note", spa.Lat, spa.Lon, spa.AreaCode, spa.Notes)
		}
		bar := byName(t, db, "song hau")
		if len(bar) != 1 || bar[0].LicenceNo != nil || bar[0].AreaCode != "31135" {
			t.Fatalf("the row without a licence: %+v", bar)
		}
		evs, err := db.FindAuditEvents(ctx, models.AuditFilter{Action: "import"})
		sum := sha256.Sum256(good)
		if err != nil || len(evs) != 1 || evs[0].EntityID != hex.EncodeToString(sum[:]) || evs[0].Actor != "planner" {
			t.Fatalf("import audit events %+v (%v), want one naming the file's SHA-256", evs, err)
		}
		creates, err := db.FindAuditEvents(ctx, models.AuditFilter{EntityType: "business", Action: "create"})
		if err != nil || len(creates) != 10 {
			t.Fatalf("%d business create events (%v), want 10", len(creates), err)
		}

		// Straight away, without waiting for the background refresh.
		audits := countAudit(t, db)
		rep = mustImport(t, svc, "businesses_good.csv", good, false)
		wantCounts(t, rep, counts{Rows: 10, Unchanged: 10})
		if n := countBusinesses(t, db); n != 10 {
			t.Fatalf("%d businesses after the second run, want 10", n)
		}
		if countAudit(t, db) != audits {
			t.Fatal("a run that changed nothing wrote audit events")
		}
	})
}

func TestImportUpdatesByLicenceAndByNameAndPlace(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		svc := newDemoService(t, db)
		good := mustReadTestdata(t, "businesses_good.csv")
		mustImport(t, svc, "businesses_good.csv", good, false)
		karaoke := byLicence(t, db, "57/GP-UBND")
		bar := byName(t, db, "song hau")[0]

		// The licensing office retyped the licence in lower case and changed the
		// phone; the bar without a licence was moved about 20 m and its name typed in capitals.
		edited := strings.Replace(string(good), "57/GP-UBND,\"12 Trần Phú, Phường Cái Khế\",31117,10.0531,105.7862,2019-05-20,active,0292 3821 234",
			"57/gp-ubnd,\"12 Trần Phú, Phường Cái Khế\",31117,10.0531,105.7862,2019-05-20,active,0292 3821 999", 1)
		edited = strings.Replace(edited, "Quán Bar Sông Hậu,bar,,\"2 Hai Bà Trưng, Phường Tân An\",Phường Tân An,10.0334,105.7859",
			"QUÁN BAR SÔNG HẬU,bar,,\"2 Hai Bà Trưng, Phường Tân An\",Phường Tân An,10.0336,105.7859", 1)
		if edited == string(good) || strings.Count(edited, "0292 3821 999") != 1 || !strings.Contains(edited, "QUÁN BAR") {
			t.Fatal("the test's edits did not apply")
		}
		rep := mustImport(t, svc, "businesses_good_v2.csv", []byte(edited), false)
		wantCounts(t, rep, counts{Rows: 10, Updated: 2, Unchanged: 8})
		if n := countBusinesses(t, db); n != 10 {
			t.Fatalf("%d businesses, want still 10", n)
		}
		k := byLicence(t, db, "57/GP-UBND")
		if k.ID != karaoke.ID || k.Phone != "0292 3821 999" || k.Version != 2 {
			t.Fatalf("the licensed row: %+v; want the same business with the new phone, version 2", k)
		}
		b := mustFindBusiness(t, db, bar.ID)
		if b.Name != "QUÁN BAR SÔNG HẬU" || b.Lat != 10.0336 || b.Version != 2 {
			t.Fatalf("the row without a licence: %+v; want the same business renamed and moved", b)
		}
		evs := auditOf(t, db, karaoke.ID)
		if len(evs) != 2 || evs[0].Action != "update" || !strings.Contains(evs[0].Details, "0292 3821 999") {
			t.Fatalf("audit of the updated business: %+v", evs)
		}

		rep = mustImport(t, svc, "businesses_good_v2.csv", []byte(edited), false)
		wantCounts(t, rep, counts{Rows: 10, Unchanged: 10})
	})
}

func TestImportMixedFileRejectsEveryBadRowWithItsLineFieldAndReason(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		svc := newDemoService(t, db)
		rep := mustImport(t, svc, "businesses_mixed.csv", mustReadTestdata(t, "businesses_mixed.csv"), false)
		wantCounts(t, rep, counts{Rows: 13, Created: 7, Rejected: 10}) // line 5's "Karaoké" is karaoke
		want := []string{"4:lat", "6:name", "6:opened_on", "6:phone", "6:tax_code", "9:licence_no", "11:ward", "12:lat", "13:licence_no", "13:status"}
		if got := rejectedFields(rep); !slices.Equal(got, want) {
			t.Fatalf("rejections %v, want %v", got, want)
		}
		for _, r := range rep.Rejected {
			if r.Message == "" || r.MessageVI == "" {
				t.Errorf("line %d %s has no reason: %+v", r.Line, r.Field, r)
			}
		}
		for _, tc := range []struct {
			line        int
			field, says string
		}{
			{4, "lat", "swapped"},
			{6, "opened_on", "in the future"},
			{9, "licence_no", "first on line 2"},
			{11, "ward", "unknown ward"},
			{12, "lat", "a ward, or both lat and lon, is required"},
			{13, "status", "is not one of"},
		} {
			if r := rejection(t, rep, tc.line, tc.field); !strings.Contains(r.Message, tc.says) {
				t.Errorf("line %d %s: message %q does not say %q", tc.line, tc.field, r.Message, tc.says)
			}
		}
		if r := rejection(t, rep, 11, "ward"); r.Value != "99999" {
			t.Errorf("line 11 value %q, want 99999", r.Value)
		}
		if n := countBusinesses(t, db); n != 7 {
			t.Fatalf("%d businesses stored, want the 7 good rows", n)
		}
		// Line 7 has a quoted address over two lines; line 14 is closed.
		if b := byLicence(t, db, "205/GP-UBND"); b.Address != "Số 5 hẻm 12\nĐường 30/4" || b.AreaCode != "31147" {
			t.Errorf("line 7 stored as %q in %s", b.Address, b.AreaCode)
		}
		if b := byLicence(t, db, "208/GP-UBND"); b.Status != models.BusinessClosed || b.OpenedOn != models.NewDate(2015, 3, 5) {
			t.Errorf("line 14 stored as %s opened %s", b.Status, b.OpenedOn)
		}
	})
}

func TestImportReportsPossibleDuplicates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		svc := newDemoService(t, db)
		mustImport(t, svc, "businesses_good.csv", mustReadTestdata(t, "businesses_good.csv"), false)
		hoaHong := byLicence(t, db, "57/GP-UBND")

		// Line 10, "KARAOKE  HOA HONG" under licence 300/GP-UBND, stands where "Karaoke Hoa
		// Hồng" (57/GP-UBND) is; line 2 is that business itself and changes nothing.
		rep := mustImport(t, svc, "businesses_mixed.csv", mustReadTestdata(t, "businesses_mixed.csv"), false)
		wantCounts(t, rep, counts{Rows: 13, Created: 6, Unchanged: 1, Rejected: 10, Duplicates: 1})
		d := rep.PossibleDuplicates[0]
		if d.Line != 10 || d.BusinessID != hoaHong.ID || !strings.Contains(d.Reason, "Karaoke Hoa Hồng") || !strings.Contains(d.Reason, "0 m") {
			t.Fatalf("possible duplicate %+v, want line 10 naming %s", d, hoaHong.ID)
		}
		// Flagged rows are imported anyway: a planner decides.
		if b := byLicence(t, db, "300/GP-UBND"); b.Name != "KARAOKE  HOA HONG" {
			t.Fatalf("line 10 stored as %+v", b)
		}
	})
}

func TestImportGeoJSONPoints(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		svc := newDemoService(t, db)
		data := mustReadTestdata(t, "businesses.geojson")
		rep := mustImport(t, svc, "businesses.geojson", data, false)
		wantCounts(t, rep, counts{Rows: 5, Created: 4, Rejected: 1}) // feature 5's "vu truong" is dance_hall
		if got := rejectedFields(rep); !slices.Equal(got, []string{"4:lat"}) {
			t.Fatalf("rejections %v", got)
		}
		b := byLicence(t, db, "57/GP-UBND")
		if b.Lat != 10.053112345678 || b.Lon != 105.786213456789 || b.AreaCode != "31117" || b.TaxCode != "1800123456" {
			t.Fatalf("feature 1 stored as %+v", b)
		}
		rep = mustImport(t, svc, "businesses.geojson", data, false)
		wantCounts(t, rep, counts{Rows: 5, Unchanged: 4, Rejected: 1})
	})
}

func TestImportChecksPlacesAgainstTheAreas(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		svc := newDemoService(t, db)
		rep := mustImport(t, svc, "businesses_places.csv", mustReadTestdata(t, "businesses_places.csv"), false)
		wantCounts(t, rep, counts{Rows: 7, Created: 4, Rejected: 3})
		if got := rejectedFields(rep); !slices.Equal(got, []string{"3:ward", "4:lat", "7:ward"}) {
			t.Fatalf("rejections %v", got)
		}
		if r := rejection(t, rep, 3, "ward"); !strings.Contains(r.Message, "disagrees with the coordinates") || !strings.Contains(r.Message, "31117") {
			t.Errorf("line 3: %q does not say the coordinates are in 31117", r.Message)
		}
		if r := rejection(t, rep, 4, "lat"); !strings.Contains(r.Message, "outside every area") || r.Value != "21.0285" {
			t.Errorf("line 4: %+v", r)
		}
		if r := rejection(t, rep, 7, "ward"); !strings.Contains(r.Message, "unknown ward") {
			t.Errorf("line 7 (a district, not a ward): %q", r.Message)
		}
		for lic, ward := range map[string]string{"400/GP-UBND": "31117", "403/GP-UBND": "31120", "404/GP-UBND": "31120", "406/GP-UBND": "31117"} {
			if b := byLicence(t, db, lic); b.AreaCode != ward {
				t.Errorf("%s in %s, want %s", lic, b.AreaCode, ward)
			}
		}
	})
}

func TestImportDryRunStoresNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		svc := newDemoService(t, db)
		audits := countAudit(t, db)
		for _, name := range []string{"businesses_good.csv", "businesses_mixed.csv", "businesses.geojson"} {
			data := mustReadTestdata(t, name)
			dry := mustImport(t, svc, name, data, true)
			if !dry.DryRun || dry.Created == 0 {
				t.Fatalf("%s: dry run report %+v", name, countsOf(dry))
			}
			if n := countBusinesses(t, db); n != 0 || countAudit(t, db) != audits {
				t.Fatalf("%s: a dry run stored %d businesses and %d audit events", name, n, countAudit(t, db)-audits)
			}
		}
		// A dry run tells what the real run will do.
		good := mustReadTestdata(t, "businesses_good.csv")
		dry := mustImport(t, svc, "businesses_good.csv", good, true)
		real := mustImport(t, svc, "businesses_good.csv", good, false)
		if countsOf(dry) != countsOf(real) {
			t.Fatalf("dry run %+v, real run %+v", countsOf(dry), countsOf(real))
		}
		dry = mustImport(t, svc, "businesses_good.csv", good, true)
		wantCounts(t, dry, counts{Rows: 10, Unchanged: 10})
	})
}

// bigFile is a CSV of more than 50 MB (one huge cell), produced as it is read.
func bigFile() io.Reader {
	return io.MultiReader(strings.NewReader("name,category,ward\n\"Karaoke "), io.LimitReader(repeatByte('x'), 50<<20), strings.NewReader("\",karaoke,31117\n"))
}

type repeatByte byte

func (r repeatByte) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

func TestImportRefusesMalformedFilesAndStoresNothing(t *testing.T) {
	const header = "name,category,licence_no,ward,lat,lon\n"
	const good = "Karaoke Hoa Hồng,karaoke,57/GP-UBND,31117,10.0531,105.7862\n"
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		svc := newDemoService(t, db)
		audits := countAudit(t, db)
		for _, tc := range []struct {
			name string
			file io.Reader
			code string
			says string
		}{
			{"unbalanced quotes", strings.NewReader(header + good + "\"Karaoke A,karaoke,58/GP-UBND,31117,10.0531,105.7862\n"), models.EINVALID, "unbalanced quotes"},
			{"a bare quote", strings.NewReader(header + good + "Karaoke \"A\",karaoke,58/GP-UBND,31117,10.0531,105.7862\n"), models.EINVALID, "line 3: unbalanced quotes"},
			{"the wrong number of columns", strings.NewReader(header + good + "Karaoke A,karaoke,58/GP-UBND,31117\n"), models.EINVALID, "line 3 has 4 fields, expected 6"},
			{"text that is not UTF-8", strings.NewReader(header + good + "Karaoke \xff\xfe,karaoke,58/GP-UBND,31117,10.0531,105.7862\n"), models.EINVALID, "line 3 is not UTF-8"},
			{"an empty file", strings.NewReader(""), models.EINVALID, "empty"},
			{"only blank lines", strings.NewReader("\n\r\n  \n"), models.EINVALID, "empty"},
			{"a file over the limit", bigFile(), models.ETOOLARGE, "larger than the limit"},
			{"an unknown column", strings.NewReader("name,category,ward,colour\nA,bar,31117,red\n"), models.EINVALID, `unknown columns "colour"`},
			{"a broken Excel workbook", strings.NewReader("PK\x03\x04\x14\x00\x06\x00"), models.EINVALID, "Excel"},
			{"an old Excel workbook", strings.NewReader("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), models.EUNSUPPORTEDTYPE, ".xlsx"},
			{"GeoJSON that is a Feature", strings.NewReader(`{"type":"Feature","geometry":null,"properties":{"name":"A"}}`), models.EINVALID, "FeatureCollection"},
			{"GeoJSON without features", strings.NewReader(`{"type":"FeatureCollection"}`), models.EINVALID, "FeatureCollection"},
			{"a JSON array", strings.NewReader(`[{"name":"A"}]`), models.EINVALID, "FeatureCollection"},
			{"GeoJSON with a line", strings.NewReader(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"LineString","coordinates":[[105.78,10.05],[105.79,10.06]]},"properties":{"name":"A","category":"bar"}}]}`), models.EINVALID, "only Point"},
			{"GeoJSON cut short", strings.NewReader(`{"type":"FeatureCollection","features":[{"type":"Feature",`), models.EINVALID, "ends too early"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				rep, err := svc.ImportBusinesses(context.Background(), "planner", tc.file, "upload.csv", false)
				e := models.ErrorAs(err)
				if rep != nil || e == nil || e.Code != tc.code || e.Field != "file" || !strings.Contains(e.Message, tc.says) {
					t.Fatalf("import = %v, %v; want %s on file saying %q", rep, err, tc.code, tc.says)
				}
				if !strings.HasPrefix(e.Message, "upload.csv: ") || e.MessageVI == "" {
					t.Errorf("message %q / %q does not name the file in both languages", e.Message, e.MessageVI)
				}
				if n := countBusinesses(t, db); n != 0 || countAudit(t, db) != audits {
					t.Fatalf("a refused file stored %d businesses", n)
				}
			})
		}
	})
}

// licenceBlindStore hides stored licence numbers from the registry, so that an import tries to
// create a business whose licence is taken and the database refuses it half way.
type licenceBlindStore struct{ *store.DB }

func (s licenceBlindStore) FindBusinesses(ctx context.Context, f models.BusinessFilter) ([]*models.Business, int, error) {
	if len(f.Licences) > 0 {
		return nil, 0, nil
	}
	return s.DB.FindBusinesses(ctx, f)
}

func TestImportFailingHalfWayStoresNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		svc := newDemoService(t, db)
		mustImport(t, svc, "businesses_good.csv", mustReadTestdata(t, "businesses_good.csv"), false)
		before, audits := countBusinesses(t, db), countAudit(t, db)

		// 700 new rows (more than one insert batch), then one whose licence is taken.
		var file bytes.Buffer
		file.WriteString("name,category,licence_no,lat,lon\n")
		for i := range 700 {
			fmt.Fprintf(&file, "Karaoke Số %d,karaoke,T%d/GP-UBND,%.6f,%.6f\n", i, i, 10.030+float64(i%30)*0.0005, 105.770+float64(i/30)*0.0005)
		}
		file.WriteString("Karaoke Trùng Giấy Phép,karaoke,57/GP-UBND,10.0463,105.7684\n")

		blind := newTestService(t, licenceBlindStore{db})
		_, err := blind.ImportBusinesses(context.Background(), "planner", &file, "conflict.csv", false)
		wantCode(t, err, models.ECONFLICT)
		if n := countBusinesses(t, db); n != before {
			t.Fatalf("%d businesses after a failed import, want %d: the import was not rolled back", n, before)
		}
		if countAudit(t, db) != audits {
			t.Fatal("a failed import left audit events")
		}
	})
}

// areaFeature is one GeoJSON area feature with an explicit label point.
func areaFeature(code, parent, level, geometry string) string {
	return fmt.Sprintf(`{"type":"Feature","geometry":%s,"properties":{"code":%q,"name":"Khu %s","level":%q,"parent_code":%q,"lat":11.005,"lon":107.005}}`,
		geometry, code, code, level, parent)
}

func square(x0, y0, x1, y1 float64) string {
	return fmt.Sprintf(`[[%g,%g],[%g,%g],[%g,%g],[%g,%g],[%g,%g]]`, x0, y0, x1, y0, x1, y1, x0, y1, x0, y0)
}

func areaFile(features ...string) []byte {
	return []byte(`{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`)
}

type problem struct{ code, kind, other string }

func problemsOf(rep *models.AreaImportReport) []problem {
	var out []problem
	for _, p := range rep.Problems {
		out = append(out, problem{p.Code, p.Kind, p.Other})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].code < out[j].code })
	return out
}

func countAreas(t *testing.T, db *store.DB) int {
	t.Helper()
	_, n, err := db.FindAreas(context.Background(), models.AreaFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportAreas(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newTestService(t, db)
		_, demoFile := mustDemoAreas(t)

		t.Run("the demo areas import cleanly, and again as updates", func(t *testing.T) {
			rep, err := svc.ImportAreas(ctx, "admin", bytes.NewReader(demoFile), false)
			if err != nil || len(rep.Problems) != 0 || rep.Features != 93 || rep.Created != 93 || rep.Updated != 0 {
				t.Fatalf("first import %+v, %v", rep, err)
			}
			if n := countAreas(t, db); n != 93 {
				t.Fatalf("%d areas stored", n)
			}
			wards, _, err := db.FindAreas(ctx, models.AreaFilter{Level: models.AreaLevelWard, Under: "916"})
			if err != nil || len(wards) != 11 || wards[0].Path != "/92/916/"+wards[0].Code+"/" || wards[0].Depth != 2 {
				t.Fatalf("Ninh Kieu's wards: %d, first %+v, %v", len(wards), wards[0], err)
			}
			rep, err = svc.ImportAreas(ctx, "admin", bytes.NewReader(demoFile), false)
			if err != nil || len(rep.Problems) != 0 || rep.Created != 0 || rep.Updated != 93 {
				t.Fatalf("second import %+v, %v", rep, err)
			}
		})

		t.Run("areas are located as soon as they are imported", func(t *testing.T) {
			// Only the stored demo areas so far: a point in the new district is outside them.
			b := newBusiness("Karaoke Biên Giới", 11.05, 107.05)
			if _, _, err := svc.CreateBusiness(ctx, "planner", b); err == nil {
				t.Fatal("a point outside every area was accepted")
			}
			file := areaFile(areaFeature("998", "92", "district", `{"type":"Polygon","coordinates":[`+square(107.0, 11.0, 107.1, 11.1)+`]}`))
			rep, err := svc.ImportAreas(ctx, "admin", bytes.NewReader(file), false)
			if err != nil || len(rep.Problems) != 0 || rep.Created != 1 {
				t.Fatalf("import %+v, %v", rep, err)
			}
			out, _, err := svc.CreateBusiness(ctx, "planner", newBusiness("Karaoke Biên Giới", 11.05, 107.05))
			if err != nil || out.AreaCode != "998" {
				t.Fatalf("create in the new area: %+v, %v", out, err)
			}
		})

		t.Run("every bad geometry is reported and nothing is stored", func(t *testing.T) {
			before, audits := countAreas(t, db), countAudit(t, db)
			poly := func(rings ...string) string {
				return `{"type":"Polygon","coordinates":[` + strings.Join(rings, ",") + `]}`
			}
			file := areaFile(
				areaFeature("999", "92", "district", poly(square(107.2, 11.0, 107.4, 11.2))),
				// An unclosed ring: the last position is not the first.
				areaFeature("99901", "999", "ward", poly(`[[107.21,11.01],[107.23,11.01],[107.23,11.03],[107.21,11.03]]`)),
				// A bow tie: two edges cross.
				areaFeature("99902", "999", "ward", poly(`[[107.25,11.01],[107.27,11.03],[107.27,11.01],[107.25,11.03],[107.25,11.01]]`)),
				// A hole that is not inside its shell.
				areaFeature("99903", "999", "ward", poly(square(107.29, 11.01, 107.31, 11.03), square(107.35, 11.15, 107.36, 11.16))),
				// Two siblings that overlap.
				areaFeature("99904", "999", "ward", poly(square(107.21, 11.10, 107.25, 11.14))),
				areaFeature("99905", "999", "ward", poly(square(107.23, 11.12, 107.27, 11.16))),
				// A ward that overlaps a stored sibling (Cái Khế, under Ninh Kiều).
				areaFeature("99906", "916", "ward", poly(square(105.785, 10.052, 105.787, 10.054))),
				// A parent that exists nowhere.
				areaFeature("99907", "12345", "ward", poly(square(107.5, 11.5, 107.6, 11.6))),
			)
			rep, err := svc.ImportAreas(ctx, "admin", bytes.NewReader(file), false)
			if err != nil {
				t.Fatal(err)
			}
			want := []problem{
				{"99901", "unclosed_ring", ""},
				{"99902", "self_intersection", ""},
				{"99903", "hole_outside_shell", ""},
				{"99904", "overlap", "99905"},
				{"99906", "overlap", "31117"},
				{"99907", "invalid_property", "12345"},
			}
			if got := problemsOf(rep); !slices.Equal(got, want) {
				t.Fatalf("problems %+v, want %+v", got, want)
			}
			for _, p := range rep.Problems {
				if p.Message == "" || p.MessageVI == "" {
					t.Errorf("problem without a message: %+v", p)
				}
			}
			if rep.Created != 0 || rep.Updated != 0 || rep.Features != 8 {
				t.Errorf("report %+v", rep)
			}
			if countAreas(t, db) != before || countAudit(t, db) != audits {
				t.Fatal("a file with problems stored areas")
			}
			if _, err := db.FindAreaByCode(ctx, "999"); !models.IsCode(err, models.ENOTFOUND) {
				t.Fatalf("area 999 of a refused file: %v", err)
			}
		})

		t.Run("a dry run reports and stores nothing", func(t *testing.T) {
			before := countAreas(t, db)
			file := areaFile(areaFeature("997", "92", "district", `{"type":"Polygon","coordinates":[`+square(107.5, 11.0, 107.6, 11.1)+`]}`))
			rep, err := svc.ImportAreas(ctx, "admin", bytes.NewReader(file), true)
			if err != nil || !rep.DryRun || rep.Created != 1 || len(rep.Problems) != 0 {
				t.Fatalf("dry run %+v, %v", rep, err)
			}
			if countAreas(t, db) != before {
				t.Fatal("a dry run stored areas")
			}
		})

		t.Run("a malformed file is refused", func(t *testing.T) {
			before := countAreas(t, db)
			for _, tc := range []struct{ name, file, field string }{
				{"empty", "", "file"},
				{"not UTF-8", "{\"type\":\"FeatureCollection\",\"features\":[\xff]}", "file"},
				{"not JSON", "code,name\n1,A\n", "file"},
				{"a Feature, not a FeatureCollection", `{"type":"Feature","geometry":null,"properties":{}}`, "type"},
				{"no features", `{"type":"FeatureCollection","features":[]}`, "features"},
				{"a feature without a code", string(areaFile(`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[` + square(107.5, 11.0, 107.6, 11.1) + `]},"properties":{"name":"A","level":"ward"}}`)), "features[0].properties.code"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					_, err := svc.ImportAreas(ctx, "admin", strings.NewReader(tc.file), false)
					wantInvalid(t, err, tc.field)
				})
			}
			if countAreas(t, db) != before {
				t.Fatal("a malformed file stored areas")
			}
		})
	})
}

func TestImportStatusChanges(t *testing.T) {
	const header = "name,category,licence_no,ward,lat,lon,status,closed_on\n"
	row := func(status, closedOn string) []byte {
		return []byte(header + "Karaoke Hoa Hồng,karaoke,57/GP-UBND,31117,10.0531,105.7862," + status + "," + closedOn + "\n")
	}
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		svc := newDemoService(t, db)
		wantCounts(t, mustImport(t, svc, "v1.csv", row("active", ""), false), counts{Rows: 1, Created: 1})

		t.Run("a closing date in the file dates the closing", func(t *testing.T) {
			wantCounts(t, mustImport(t, svc, "v2.csv", row("đã đóng cửa", "2026-10-01"), false), counts{Rows: 1, Updated: 1})
			b := byLicence(t, db, "57/GP-UBND")
			if b.Status != models.BusinessClosed || b.ClosedOn != models.NewDate(2026, 10, 1) || b.StatusSince != b.ClosedOn {
				t.Fatalf("closed by the file: %s closed_on %s status_since %s", b.Status, b.ClosedOn, b.StatusSince)
			}
			wantCounts(t, mustImport(t, svc, "v2.csv", row("đã đóng cửa", "2026-10-01"), false), counts{Rows: 1, Unchanged: 1})
		})

		t.Run("a corrected closing date is taken", func(t *testing.T) {
			wantCounts(t, mustImport(t, svc, "v3.csv", row("closed", "2026-09-15"), false), counts{Rows: 1, Updated: 1})
			if b := byLicence(t, db, "57/GP-UBND"); b.ClosedOn != models.NewDate(2026, 9, 15) {
				t.Fatalf("closed_on %s", b.ClosedOn)
			}
			// A later file that no longer says when keeps the date known.
			wantCounts(t, mustImport(t, svc, "v4.csv", row("closed", ""), false), counts{Rows: 1, Unchanged: 1})
		})

		t.Run("reopening clears the closing date", func(t *testing.T) {
			wantCounts(t, mustImport(t, svc, "v5.csv", row("active", ""), false), counts{Rows: 1, Updated: 1})
			b := byLicence(t, db, "57/GP-UBND")
			if b.Status != models.BusinessActive || !b.ClosedOn.IsZero() || b.StatusSince != testToday {
				t.Fatalf("reopened: %s closed_on %s status_since %s", b.Status, b.ClosedOn, b.StatusSince)
			}
		})

		t.Run("a business created closed is dated by its closing", func(t *testing.T) {
			file := header + "Karaoke Đã Đóng,karaoke,58/GP-UBND,31117,10.0531,105.7862,closed,2025-12-31\n"
			wantCounts(t, mustImport(t, svc, "v6.csv", []byte(file), false), counts{Rows: 1, Created: 1})
			if b := byLicence(t, db, "58/GP-UBND"); b.ClosedOn != models.NewDate(2025, 12, 31) || b.StatusSince != b.ClosedOn {
				t.Fatalf("created closed: closed_on %s status_since %s", b.ClosedOn, b.StatusSince)
			}
		})
	})
}

func TestDemoBusinessesImportCleanlyAndOnlyOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		svc := newDemoService(t, db)
		opts := demo.DefaultOptions(models.NewDate(2026, 12, 2))
		opts.Businesses = 400 // enough for every ward, and quick under -race
		ds, err := demo.Generate(opts)
		if err != nil {
			t.Fatal(err)
		}
		file := demo.BusinessesCSV(ds.Businesses, ds.Areas)
		n := len(ds.Businesses)
		wantCounts(t, mustImport(t, svc, "demo.csv", file, false), counts{Rows: n, Created: n})
		stored, _, err := db.FindBusinesses(context.Background(), models.BusinessFilter{})
		if err != nil {
			t.Fatal(err)
		}
		byLic := map[string]*models.Business{}
		for _, b := range stored {
			byLic[b.Licence()] = b
		}
		for _, want := range ds.Businesses {
			got := byLic[want.Licence()]
			// A file has no status_since column: a suspension's start is not in it.
			sinceKnown := want.Status != models.BusinessSuspended
			if got == nil || got.AreaCode != want.AreaCode || got.Status != want.Status || got.ClosedOn != want.ClosedOn ||
				got.OpenedOn != want.OpenedOn || (sinceKnown && got.StatusSince != want.StatusSince) {
				t.Fatalf("stored %+v, generated %+v", got, want)
			}
		}
		wantCounts(t, mustImport(t, svc, "demo.csv", file, false), counts{Rows: n, Unchanged: n})
	})
}

func TestImportWorkbookWithVietnameseHeadersAndLabels(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newDemoService(t, db)
		data := registrytest.WorkbookFixture(t, "31117")
		rep, err := svc.ImportBusinessesWith(ctx, "planner", bytes.NewReader(data), models.BusinessImportOptions{Name: "dang_ky.xlsx", Sheet: "Danh sách"})
		if err != nil {
			t.Fatal(err)
		}
		wantCounts(t, rep, counts{Rows: 5, Created: 4, Rejected: 1})
		r := rep.Rejected[0]
		if r.Sheet != "Danh sách" || r.Line != 6 || r.Field != "category" || r.Value != "Cầm đồ" ||
			!strings.Contains(r.MessageVI, "không có trong danh mục") || !strings.Contains(r.MessageVI, "accommodation (Cơ sở lưu trú") {
			t.Fatalf("rejection %+v", r)
		}
		for lic, want := range map[string]string{"12345678": "accommodation", "58/GP-UBND": "karaoke", "123456789012": "massage", "61/GP-UBND": "bar"} {
			if b := byLicence(t, db, lic); b.Category != want || b.AreaCode != "31117" {
				t.Errorf("%s: category %q in %s, want %q in 31117", lic, b.Category, b.AreaCode, want)
			}
		}
		b := byLicence(t, db, "12345678")
		if b.OpenedOn != models.NewDate(2019, time.May, 20) || b.TaxCode != "1800123456" || b.OwnerName != "Nguyễn Văn An" || b.SecurityCertNo != "123/GCN-ANTT" {
			t.Errorf("row 3 stored as %+v", b)
		}
		if b := byLicence(t, db, "58/GP-UBND"); b.OpenedOn != models.NewDate(2020, time.March, 5) {
			t.Errorf("05/03/2020 stored as %s", b.OpenedOn)
		}
		again, err := svc.ImportBusinessesWith(ctx, "planner", bytes.NewReader(data), models.BusinessImportOptions{Name: "dang_ky.xlsx", Sheet: "Danh sách"})
		if err != nil {
			t.Fatal(err)
		}
		wantCounts(t, again, counts{Rows: 5, Unchanged: 4, Rejected: 1})
	})
}

func TestImportColumnMapping(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newDemoService(t, db)
		file := "Tên cơ sở,Ngành nghề,Số GP,Đơn vị hành chính\nKaraoke Sao Mai,Karaoke,71/GP-UBND,31117\n"
		m, err := registry.ParseColumnMapping(`licence_no="Số GP",ward=Đơn vị hành chính`)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := svc.ImportBusinessesWith(ctx, "planner", strings.NewReader(file), models.BusinessImportOptions{Name: "ds.csv", Columns: m})
		if err != nil {
			t.Fatal(err)
		}
		wantCounts(t, rep, counts{Rows: 1, Created: 1})
		if b := byLicence(t, db, "71/GP-UBND"); b.AreaCode != "31117" {
			t.Errorf("stored in %s", b.AreaCode)
		}
		_, err = svc.ImportBusinessesWith(ctx, "planner", strings.NewReader(file), models.BusinessImportOptions{Name: "ds.csv"})
		if e := models.ErrorAs(err); e == nil || !strings.Contains(e.Message, `unknown columns "Số GP", "Đơn vị hành chính"`) || !strings.Contains(e.Message, "--column") {
			t.Errorf("without the mapping: %v", err)
		}
	})
}

func TestParseColumnMapping(t *testing.T) {
	m, err := registry.ParseColumnMapping(`licence_no=Số GP`, `ward="Xã, phường",phone=ĐT`)
	if err != nil || len(m) != 3 || m["licence_no"] != "Số GP" || m["ward"] != "Xã, phường" || m["phone"] != "ĐT" {
		t.Fatalf("mapping %v, %v", m, err)
	}
	if m, err := registry.ParseColumnMapping("", " "); m != nil || err != nil {
		t.Errorf("an empty mapping is %v, %v", m, err)
	}
	for _, bad := range []string{"colour=Màu", "licence_no", "licence_no=", "ward=A,ward=B", "ward=A,phone=a"} {
		if _, err := registry.ParseColumnMapping(bad); !models.IsCode(err, models.EINVALID) || models.ErrorAs(err).Field != "column" {
			t.Errorf("%q: %v", bad, err)
		}
	}
	_, err = registry.ParseColumnMapping("colour=Màu")
	if e := models.ErrorAs(err); !strings.Contains(e.Message, "licence_no") || e.MessageVI == "" {
		t.Errorf("the error does not list our columns: %+v", e)
	}
}
