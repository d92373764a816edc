package registry_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"kiemtra/models"
	"kiemtra/registry"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// importAreaFile imports one of testdata's boundary files and fails the test on an error.
func importAreaFile(t *testing.T, svc *registry.Service, name string, opts models.AreaImportOptions) *models.AreaImportReport {
	t.Helper()
	rep, err := svc.ImportAreasWith(context.Background(), "planner", bytes.NewReader(mustReadTestdata(t, name)), opts)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return rep
}

func importAreaBytes(t *testing.T, svc *registry.Service, file []byte, opts models.AreaImportOptions) *models.AreaImportReport {
	t.Helper()
	rep, err := svc.ImportAreasWith(context.Background(), "planner", bytes.NewReader(file), opts)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return rep
}

func wantNoProblems(t *testing.T, rep *models.AreaImportReport) {
	t.Helper()
	if len(rep.Problems) > 0 {
		t.Fatalf("problems: %+v", rep.Problems)
	}
}

func mustArea(t *testing.T, db *store.DB, code string) *models.Area {
	t.Helper()
	a, err := db.FindAreaByCode(context.Background(), code)
	if err != nil {
		t.Fatalf("area %s: %v", code, err)
	}
	return a
}

func parentOf(a *models.Area) string {
	if a.ParentCode == nil {
		return ""
	}
	return *a.ParentCode
}

// unitsOf lists a report's units as "code level parent action".
func unitsOf(rep *models.AreaImportReport) []string {
	var out []string
	for _, u := range rep.Units {
		p := ""
		if u.ParentCode != nil {
			p = *u.ParentCode
		}
		out = append(out, fmt.Sprintf("%s %s %s %s", u.Code, u.Level, p, u.Action))
	}
	return out
}

func kindsOf(ps []models.AreaImportProblem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Code+" "+p.Kind+" "+p.Other)
	}
	slices.Sort(out)
	return out
}

// endOldMap ends every unit below the city on 2025-06-30, as the 2025 reorganisation does.
func endOldMap(t *testing.T, db *store.DB) {
	t.Helper()
	all, _, err := db.FindAreas(context.Background(), models.AreaFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var ended []*models.Area
	for _, a := range all {
		if a.ParentCode != nil {
			a.ValidTo = models.NewDate(2025, 6, 30)
			ended = append(ended, a)
		}
	}
	if err := db.UpsertAreas(context.Background(), "test", ended); err != nil {
		t.Fatal(err)
	}
}

func TestImportPublicBoundaryFiles(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newTestService(t, db)

		t.Run("a dvhcvn-style file imports the city, its districts and wards from GSO codes", func(t *testing.T) {
			rep := importAreaFile(t, svc, "dvhcvn_cantho.geojson", models.AreaImportOptions{})
			wantNoProblems(t, rep)
			want := []string{"92 city  created", "916 district 92 created", "918 district 92 created",
				"31117 ward 916 created", "31120 ward 916 created", "31153 ward 918 created"}
			if got := unitsOf(rep); rep.Source != models.AreaSourceGSO || !slices.Equal(got, want) || rep.Created != 6 {
				t.Fatalf("source %s, created %d, units %q", rep.Source, rep.Created, got)
			}
			city := mustArea(t, db, "92")
			if city.Name != "Thành phố Cần Thơ" || city.TypeName != "Thành phố" || city.ParentCode != nil {
				t.Fatalf("city %+v", city)
			}
			if w := mustArea(t, db, "31117"); w.Name != "Phường Cái Khế" || w.TypeName != "Phường" || w.Path != "/92/916/31117/" {
				t.Fatalf("ward %+v", w)
			}
		})

		t.Run("the dvhcvn project's own GIS file updates the districts it holds", func(t *testing.T) {
			rep := importAreaFile(t, svc, "dvhcvn_gis_92.json", models.AreaImportOptions{})
			wantNoProblems(t, rep)
			if got := unitsOf(rep); rep.Source != models.AreaSourceGSO || !slices.Equal(got, []string{"916 district 92 updated", "918 district 92 updated"}) {
				t.Fatalf("source %s, units %q", rep.Source, got)
			}
		})

		t.Run("a GADM district file is matched to the stored districts by name", func(t *testing.T) {
			before := mustArea(t, db, "918")
			rep := importAreaFile(t, svc, "gadm_cantho_districts.geojson", models.AreaImportOptions{})
			wantNoProblems(t, rep)
			if got := unitsOf(rep); rep.Source != models.AreaSourceGADM || !slices.Equal(got, []string{"916 district 92 updated", "918 district 92 updated"}) {
				t.Fatalf("source %s, units %q", rep.Source, got)
			}
			if rep.Units[1].Ref != "VNM.13.1_1" || len(rep.Warnings) != 0 {
				t.Fatalf("units %+v, warnings %+v", rep.Units, rep.Warnings)
			}
			// The GADM spelling (Bình Thủy) found the GSO one (Bình Thuỷ), which stays: the
			// official list names the unit, GADM brings its shape.
			after := mustArea(t, db, "918")
			if after.Name != "Quận Bình Thuỷ" || after.Geometry == before.Geometry || !strings.Contains(after.Geometry, "105.6998") {
				t.Fatalf("918 after the GADM import: %s %s", after.Name, after.Geometry)
			}
		})

		t.Run("a file in no known naming is refused with the list of its properties", func(t *testing.T) {
			_, err := svc.ImportAreasWith(ctx, "planner", bytes.NewReader(mustReadTestdata(t, "unknown_properties.geojson")), models.AreaImportOptions{})
			e := wantInvalid(t, err, "properties")
			for _, p := range []string{"DIEN_TICH", "LOAI", "MA_HUYEN", "MA_XA", "TEN_XA"} {
				if !strings.Contains(e.Message, p) || !strings.Contains(e.MessageVI, p) {
					t.Errorf("the error does not list %s: %s / %s", p, e.Message, e.MessageVI)
				}
			}
			if !strings.Contains(e.Message, "--property") || !strings.Contains(e.MessageVI, "các thuộc tính") {
				t.Errorf("the error does not say what to do: %s / %s", e.Message, e.MessageVI)
			}
		})

		t.Run("the same file imports with an explicit mapping", func(t *testing.T) {
			m, err := models.ParseAreaPropertyMapping("code=MA_XA,name=TEN_XA,parent=MA_HUYEN,type=LOAI")
			if err != nil {
				t.Fatal(err)
			}
			rep := importAreaFile(t, svc, "unknown_properties.geojson", models.AreaImportOptions{Mapping: m})
			wantNoProblems(t, rep)
			if got := unitsOf(rep); rep.Source != models.AreaSourceMapping || rep.Mapping != m.String() || !slices.Equal(got, []string{"31117 ward 916 updated", "31120 ward 916 updated"}) {
				t.Fatalf("source %s mapping %s, units %q", rep.Source, rep.Mapping, got)
			}
			// The numeric code 31117 is read as the commune's five digits; the bare name gets its type.
			if a := mustArea(t, db, "31117"); a.Name != "Phường Cái Khế" {
				t.Fatalf("31117 %+v", a)
			}
		})

		t.Run("OpenStreetMap's 2025 communes import under the city once the districts have ended", func(t *testing.T) {
			endOldMap(t, db)
			file := mustReadTestdata(t, "osm_cantho_2025.geojson")

			// Without dates the file describes today's map, but it cannot say that 31120 is a
			// new unit reusing the code of Phường An Hòa, and a new unit with no start overlaps
			// the districts of 2021.
			before := countAreas(t, db)
			rep := importAreaBytes(t, svc, file, models.AreaImportOptions{})
			if got := kindsOf(rep.Problems); !slices.Contains(got, "31120 ambiguous 31120") || !slices.Contains(got, "31135 overlap 916") {
				t.Fatalf("problems %q", got)
			}
			if rep.Created != 0 || countAreas(t, db) != before {
				t.Fatal("a refused file stored areas")
			}

			rep = importAreaBytes(t, svc, file, models.AreaImportOptions{ValidFrom: models.NewDate(2025, 7, 1)})
			wantNoProblems(t, rep)
			want := []string{"92 city  updated", "31120@2025 commune 92 new_version", "31135 commune 92 created", "31153@2025 commune 92 new_version"}
			if got := unitsOf(rep); rep.Source != models.AreaSourceOSM || !slices.Equal(got, want) {
				t.Fatalf("source %s, units %q", rep.Source, got)
			}
			if city := mustArea(t, db, "92"); !city.ValidFrom.IsZero() {
				t.Fatalf("the city's start became %s: the default start is for new units", city.ValidFrom)
			}
			old, cur := mustArea(t, db, "31120"), mustArea(t, db, "31120@2025")
			if old.Name != "Phường An Hòa" || old.ValidTo != models.NewDate(2025, 6, 30) || cur.Name != "Phường Cái Khế" || cur.GSOCode != "31120" ||
				cur.ValidFrom != models.NewDate(2025, 7, 1) || cur.TypeName != "Phường" || parentOf(cur) != "92" {
				t.Fatalf("31120 then %+v, now %+v", old, cur)
			}
			if a, err := db.FindAreaOn(ctx, "31120", models.NewDate(2026, 12, 2)); err != nil || a.Code != "31120@2025" {
				t.Fatalf("31120 on 2026-12-02: %+v, %v", a, err)
			}

			// Importing the same file again updates the versions it made.
			rep = importAreaBytes(t, svc, file, models.AreaImportOptions{})
			wantNoProblems(t, rep)
			want = []string{"92 city  updated", "31120@2025 commune 92 updated", "31135 commune 92 updated", "31153@2025 commune 92 updated"}
			if got := unitsOf(rep); !slices.Equal(got, want) {
				t.Fatalf("again: units %q", got)
			}
		})

		t.Run("GADM units that match nothing stored are refused, not created under GADM ids", func(t *testing.T) {
			fresh := newTestService(t, storetest.NewSQLite(t, storetest.Options{}))
			rep := importAreaFile(t, fresh, "gadm_cantho_districts.geojson", models.AreaImportOptions{})
			if len(rep.Problems) != 2 || rep.Problems[0].Code != "VNM.13.4_1" || rep.Problems[0].Kind != models.AreaProblemInvalidProperty ||
				!strings.Contains(rep.Problems[0].Message, "Cần Thơ") {
				t.Fatalf("problems %+v", rep.Problems)
			}
		})
	})
}

func TestImportGADMFindsTheParentByTheWholeLineOfNames(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		svc := newTestService(t, db)
		// Two provinces, each with a Huyện Châu Thành, and a town of the same name in both.
		base := areaFile(
			nativeArea("89", "Tỉnh An Giang", "province", "", "", "", square(105.0, 10.3, 105.5, 10.8)),
			nativeArea("886", "Huyện Châu Thành", "district", "89", "", "", square(105.2, 10.4, 105.4, 10.6)),
			nativeArea("30500", "Thị trấn An Châu", "ward", "886", "", "", square(105.3, 10.4, 105.4, 10.5)),
			nativeArea("93", "Tỉnh Hậu Giang", "province", "", "", "", square(105.6, 9.7, 106.0, 10.1)),
			nativeArea("933", "Huyện Châu Thành", "district", "93", "", "", square(105.7, 9.8, 105.9, 10.0)),
			nativeArea("31411", "Thị trấn Ngã Sáu", "ward", "933", "", "", square(105.8, 9.8, 105.9, 9.9)),
		)
		wantNoProblems(t, importAreaBytes(t, svc, base, models.AreaImportOptions{}))
		commune := fmt.Sprintf(`{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[%s]]},"properties":{"GID_0":"VNM","GID_1":"VNM.23_1","NAME_1":"Hậu Giang","GID_2":"VNM.23.1_1","NAME_2":"Châu Thành","GID_3":"VNM.23.1.3_1","NAME_3":"Ngã Sáu","TYPE_3":"Thị trấn","ENGTYPE_3":"Township"}}`,
			square(105.8, 9.8, 105.9, 9.89))
		rep := importAreaBytes(t, svc, areaFile(commune), models.AreaImportOptions{})
		wantNoProblems(t, rep)
		if got := unitsOf(rep); !slices.Equal(got, []string{"31411 ward 933 updated"}) {
			t.Fatalf("units %q", got)
		}
		if a := mustArea(t, db, "31411"); !strings.Contains(a.Geometry, "9.89") || a.Name != "Thị trấn Ngã Sáu" {
			t.Fatalf("31411 %+v", a)
		}
	})
}

// nativeArea is a feature in kiemtra's own naming.
func nativeArea(code, name, level, parent, validFrom, validTo, ring string) string {
	props := fmt.Sprintf(`"code":%q,"name":%q,"level":%q`, code, name, level)
	if parent != "" {
		props += fmt.Sprintf(`,"parent_code":%q`, parent)
	}
	if validFrom != "" {
		props += fmt.Sprintf(`,"valid_from":%q`, validFrom)
	}
	if validTo != "" {
		props += fmt.Sprintf(`,"valid_to":%q`, validTo)
	}
	return fmt.Sprintf(`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[%s]},"properties":{%s}}`, ring, props)
}

func TestImportAreasComparesOnlyUnitsValidAtTheSameTime(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		svc := newTestService(t, db)
		wantNoProblems(t, importAreaFile(t, svc, "dvhcvn_cantho.geojson", models.AreaImportOptions{}))
		// A 2025 commune over the whole of Ninh Kiều and Bình Thuỷ.
		commune := areaFile(nativeArea("31999", "Phường Mới", "commune", "92", "2025-07-01", "", square(105.70, 10.00, 105.80, 10.05)))

		t.Run("a commune over districts in force at the same time is refused", func(t *testing.T) {
			rep := importAreaBytes(t, svc, commune, models.AreaImportOptions{})
			if got := kindsOf(rep.Problems); !slices.Equal(got, []string{"31999 overlap 916", "31999 overlap 918"}) {
				t.Fatalf("problems %q", got)
			}
		})

		t.Run("it is accepted once the districts end the day before it starts", func(t *testing.T) {
			ended := areaFile(
				nativeArea("916", "Quận Ninh Kiều", "district", "92", "", "2025-06-30", square(105.75, 10.00, 105.80, 10.05)),
				nativeArea("918", "Quận Bình Thuỷ", "district", "92", "", "2025-06-30", square(105.70, 10.00, 105.75, 10.05)))
			wantNoProblems(t, importAreaBytes(t, svc, ended, models.AreaImportOptions{}))
			rep := importAreaBytes(t, svc, commune, models.AreaImportOptions{})
			wantNoProblems(t, rep)
			if a := mustArea(t, db, "31999"); a.ValidFrom != models.NewDate(2025, 7, 1) || parentOf(a) != "92" {
				t.Fatalf("commune %+v", a)
			}
		})

		t.Run("a commune of the same time beside it may still not overlap it", func(t *testing.T) {
			rep := importAreaBytes(t, svc, areaFile(nativeArea("31998", "Phường Kề", "commune", "92", "2025-07-01", "", square(105.79, 10.04, 105.85, 10.08))), models.AreaImportOptions{})
			if got := kindsOf(rep.Problems); !slices.Equal(got, []string{"31998 overlap 31999"}) {
				t.Fatalf("problems %q", got)
			}
		})
	})
}

func TestImportAreasReportsWhatNewShapesLeaveInconsistent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newTestService(t, db)
		wantNoProblems(t, importAreaFile(t, svc, "dvhcvn_cantho.geojson", models.AreaImportOptions{}))
		inWest := mustCreate(t, svc, newBusiness("Karaoke Tây", 10.04, 105.77))
		inEast := mustCreate(t, svc, newBusiness("Karaoke Đông", 10.045, 105.79))
		if inWest.AreaCode != "31117" || inEast.AreaCode != "31117" {
			t.Fatalf("businesses placed in %s and %s", inWest.AreaCode, inEast.AreaCode)
		}
		gso := func(l2, l3, name, typ, ring string) string {
			props := fmt.Sprintf(`"level1_id":"92","level2_id":%q,"name":%q,"type":%q`, l2, name, typ)
			if l3 != "" {
				props += fmt.Sprintf(`,"level3_id":%q`, l3)
			}
			return fmt.Sprintf(`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[%s]},"properties":{%s}}`, ring, props)
		}
		file := areaFile(
			// Ninh Kiều shrinks to its south: Cái Khế is left outside.
			gso("916", "", "Quận Ninh Kiều", "Quận", square(105.75, 10.00, 105.80, 10.03)),
			// Cái Khế loses its east: the eastern business is left outside it.
			gso("916", "31117", "Phường Cái Khế", "Phường", square(105.75, 10.025, 105.78, 10.05)),
			// An Hòa reaches 500 m east of Ninh Kiều.
			gso("916", "31120", "Phường An Hòa", "Phường", square(105.75, 10.00, 105.805, 10.025)),
		)
		for _, dry := range []bool{true, false} {
			t.Run(fmt.Sprintf("dry run %v: the report lists each inconsistency", dry), func(t *testing.T) {
				rep := importAreaBytes(t, svc, file, models.AreaImportOptions{DryRun: dry})
				wantNoProblems(t, rep)
				want := []string{
					"31117 business_outside_unit " + inEast.ID,
					"31117 child_outside_parent 916",
					"31120 child_beyond_parent 916",
					"916 business_outside_unit " + inWest.ID,
				}
				if got := kindsOf(rep.Warnings); !slices.Equal(got, want) {
					t.Fatalf("warnings %q, want %q", got, want)
				}
				for _, w := range rep.Warnings {
					if w.Message == "" || w.MessageVI == "" || w.Feature == "" {
						t.Errorf("warning without its message or feature: %+v", w)
					}
					if w.Other == inEast.ID && !strings.Contains(w.Message, "inside 92 ") {
						t.Errorf("the warning does not say where the business lies now: %s", w.Message)
					}
				}
				stored := mustArea(t, db, "916")
				if applied := strings.Contains(stored.Geometry, "10.03"); applied == dry {
					t.Fatalf("dry run %v, the new shape stored: %v", dry, applied)
				}
			})
		}
		if b := mustFindBusiness(t, db, inEast.ID); b.AreaCode != "31117" {
			t.Fatalf("the import moved a business to %s: it reports, a planner decides", b.AreaCode)
		}
		_ = ctx
	})
}

func TestImportAreasMatchesVersionsOfReusedCodes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		svc := newTestService(t, db)
		wantNoProblems(t, importAreaFile(t, svc, "dvhcvn_cantho.geojson", models.AreaImportOptions{}))
		endOldMap(t, db)
		wantNoProblems(t, importAreaFile(t, svc, "osm_cantho_2025.geojson", models.AreaImportOptions{ValidFrom: models.NewDate(2025, 7, 1)}))
		gsoWard := func(name, ring string) []byte {
			return areaFile(fmt.Sprintf(`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[%s]},"properties":{"level1_id":"92","level2_id":"916","level3_id":"31120","name":%q,"type":"Phường"}}`, ring, name))
		}

		t.Run("a 2021 file without dates finds the old unit by its name", func(t *testing.T) {
			rep := importAreaBytes(t, svc, gsoWard("Phường An Hòa", square(105.75, 10.00, 105.80, 10.024)), models.AreaImportOptions{})
			wantNoProblems(t, rep)
			if got := unitsOf(rep); !slices.Equal(got, []string{"31120 ward 916 updated"}) {
				t.Fatalf("units %q", got)
			}
			if a := mustArea(t, db, "31120"); a.ValidTo != models.NewDate(2025, 6, 30) || !strings.Contains(a.Geometry, "10.024") {
				t.Fatalf("31120 %+v", a)
			}
		})

		t.Run("a file of today's map without dates finds the new unit", func(t *testing.T) {
			rep := importAreaBytes(t, svc, areaFile(fmt.Sprintf(`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[%s]},"properties":{"level1_id":"92","level3_id":"31120","name":"Phường Cái Khế","type":"Phường"}}`,
				square(105.75, 10.02, 105.80, 10.049))), models.AreaImportOptions{})
			wantNoProblems(t, rep)
			if got := unitsOf(rep); !slices.Equal(got, []string{"31120@2025 commune 92 updated"}) {
				t.Fatalf("units %q", got)
			}
		})

		t.Run("dates that fit no version make a new one only when they overlap none", func(t *testing.T) {
			file := areaFile(fmt.Sprintf(`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[%s]},"properties":{"level1_id":"92","level3_id":"31120","name":"Phường Cái Khế","type":"Phường","valid_from":"2025-01-01"}}`,
				square(105.75, 10.02, 105.80, 10.05)))
			rep := importAreaBytes(t, svc, file, models.AreaImportOptions{})
			if got := kindsOf(rep.Problems); len(got) == 0 || !strings.Contains(got[0], "ambiguous") {
				t.Fatalf("problems %q", got)
			}
		})
	})
}
