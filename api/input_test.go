package api

import (
	"bytes"
	"html"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// withRawBytes puts bytes that encoding/json cannot write (invalid UTF-8) into a JSON body in
// place of a marker string.
func withRawBytes(body, marker, raw string) string {
	return strings.Replace(body, marker, raw, 1)
}

func TestInputThatIsNotTextIsRefusedWithTheFieldNamed(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		day := env.teamDay(t, env.teamA)
		b := env.businessOf(t, day[0])
		env.clk.Set(at(12, 0))
		good := result(t, day[0], models.OutcomeCompliant, at(9, 0))
		noteNUL := result(t, day[0], models.OutcomeCompliant, at(9, 0))
		noteNUL["answers"].([]map[string]any)[2]["note"] = "bình\x00 chữa cháy"
		ck := checkinBody("RAW", b.Lat, b.Lon, 10, at(9, 0))
		before := env.stored(t)
		for _, tc := range []struct {
			name         string
			p            *Principal
			method, path string
			body         string
			field        string
		}{
			{"a NUL in a path parameter", env.planner, "GET", "/api/v1/businesses/%00", "", "id"},
			{"invalid UTF-8 in a path parameter", env.planner, "GET", "/api/v1/businesses/ab%FF", "", "id"},
			{"a NUL in a path parameter of a write", env.a1, "POST", "/api/v1/tasks/%00/checkin", jsonBody(t, checkinBody("", b.Lat, b.Lon, 10, at(9, 0))), "id"},
			{"a NUL in a query parameter", env.planner, "GET", "/api/v1/businesses?q=%00", "", "q"},
			{"invalid UTF-8 in a query parameter", env.planner, "GET", "/api/v1/businesses?category=%C3", "", "category"},
			{"a NUL in a query parameter's name", env.planner, "GET", "/api/v1/businesses?x%00=1", "", "parameter"},
			{"a NUL in a JSON string", env.a1, "POST", "/api/v1/inspections", jsonBody(t, with(good, "notes", "Đã nhắc nhở\x00")), "notes"},
			{"a NUL deep in a JSON body", env.a1, "POST", "/api/v1/inspections", jsonBody(t, noteNUL), "answers[2].note"},
			{"invalid UTF-8 bytes in a JSON string", env.a1, "POST", "/api/v1/tasks/" + day[0].ID + "/checkin", withRawBytes(jsonBody(t, ck), "RAW", "\xff\xfe"), "id"},
			{"invalid UTF-8 in an array of a JSON body", env.a1, "POST", "/api/v1/inspections", withRawBytes(jsonBody(t, with(good, "members", []string{env.a2.UserID, "RAW"})), "RAW", "\xc3"), "members[1]"},
			{"an escaped lone surrogate in a JSON string", env.a1, "POST", "/api/v1/inspections", withRawBytes(jsonBody(t, with(good, "notes", "RAW")), "RAW", `\ud800`), "notes"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := env.do(t, tc.p, tc.method, tc.path, tc.body)
				e := decodeError(t, w)
				if w.Code != 400 || e.Code != models.EINVALID || e.Field != tc.field {
					t.Fatalf("%d %s field %q, want 400 invalid %q: %s", w.Code, e.Code, e.Field, tc.field, w.Body)
				}
				if !strings.Contains(e.Message, "UTF-8") && !strings.Contains(e.Message, "U+0000") {
					t.Errorf("the message does not say what is wrong: %q", e.Message)
				}
			})
		}
		t.Run("the message is in English on request", func(t *testing.T) {
			w := env.do(t, env.planner, "GET", "/api/v1/businesses?q=a%00&lang=en", "")
			if e := decodeError(t, w); w.Code != 400 || !strings.HasPrefix(e.Message, "contains the character U+0000") {
				t.Fatalf("%d %+v", w.Code, e)
			}
			w = env.do(t, env.planner, "GET", "/api/v1/businesses?q=a%00", "")
			if e := decodeError(t, w); w.Code != 400 || !strings.HasPrefix(e.Message, "chứa ký tự rỗng U+0000") {
				t.Fatalf("%d %+v", w.Code, e)
			}
		})
		if after := env.stored(t); after != before {
			t.Fatalf("refused requests stored something: before %s, after %s", before, after)
		}
		// Text that is only unusual is accepted alike on both databases.
		w := env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, with(good, "notes", "Tab\tand\r\nnewline, \u00a0no-break space, emoji 🚒, U+FFFD \ufffd")))
		if w.Code != 201 {
			t.Fatalf("unusual but valid text: %d %s", w.Code, w.Body)
		}
	})
}

// syncResults sends a batch as p and returns its results, checking that there is one per
// operation.
func (env *fieldEnv) syncResults(t *testing.T, p *Principal, batch string, n int) []syncResultJSON {
	t.Helper()
	w := env.do(t, p, "POST", "/api/v1/sync", batch)
	if w.Code != 200 {
		t.Fatalf("sync: %d %s", w.Code, w.Body)
	}
	res := decode[syncAnswer](t, w).Results
	if len(res) != n {
		t.Fatalf("%d results for %d operations: %s", len(res), n, w.Body)
	}
	return res
}

func TestSyncStoresTheItemsAroundABadOne(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		day := env.teamDay(t, env.teamA)
		env.clk.Set(at(13, 0))
		first := result(t, day[0], models.OutcomeCompliant, at(8, 0))
		nul := with(result(t, day[1], models.OutcomeCompliant, at(9, 0)), "notes", "Chủ cơ sở\x00 vắng mặt")
		third := result(t, day[2], models.OutcomeCompliant, at(10, 0))
		badBytes := with(result(t, day[3], models.OutcomeCompliant, at(11, 0)), "notes", "RAWNOTES")
		last := result(t, day[4], models.OutcomeCompliant, at(12, 0))
		b5 := env.businessOf(t, day[5])
		ops := []map[string]any{
			{"type": "inspection", "body": first},
			{"type": "inspection", "body": nul},
			{"type": "inspection", "body": third},
			{"type": "checkin", "task_id": "RAWTASK", "body": checkinBody(uuid.NewString(), b5.Lat, b5.Lon, 10, at(11, 50))},
			{"type": "inspection", "body": badBytes},
			{"type": "inspection", "body": last},
		}
		batch := jsonBody(t, map[string]any{"operations": ops})
		batch = withRawBytes(withRawBytes(batch, "RAWNOTES", "Ch\xe1 c\xf4 s\xf5"), "RAWTASK", day[5].ID+"\xff")
		want := []struct {
			status string
			http   int
			field  string
		}{
			{"applied", 201, ""},
			{"rejected", 400, "notes"},
			{"applied", 201, ""},
			{"rejected", 400, "operations[3].task_id"},
			{"rejected", 400, "notes"},
			{"applied", 201, ""},
		}
		check := func(t *testing.T, res []syncResultJSON, again bool) {
			t.Helper()
			for i, r := range res {
				status := want[i].status
				if again && status == "applied" {
					status = "duplicate"
				}
				http := want[i].http
				if status == "duplicate" {
					http = 200
				}
				if r.Index != i || r.Status != status || r.HTTPStatus != http {
					t.Errorf("result %d: %s %d, want %s %d: %+v", i, r.Status, r.HTTPStatus, status, http, r.Error)
					continue
				}
				if status == "rejected" && (r.Error == nil || r.Error.Code != models.EINVALID || r.Error.Field != want[i].field || r.Error.Message == "") {
					t.Errorf("result %d: error %+v, want field %q", i, r.Error, want[i].field)
				}
			}
		}
		check(t, env.syncResults(t, env.a1, batch, len(ops)), false)
		storedOnce := func(t *testing.T) {
			t.Helper()
			for i, want := range []int{1, 0, 1, 0, 1} {
				if n := env.count(t, "inspections", "task_id = ?", day[i].ID); n != want {
					t.Errorf("the task of item %d has %d results stored, want %d", i, n, want)
				}
				if st := env.task(t, day[i].ID).Status; want == 0 && st != models.TaskReleased {
					t.Errorf("the task of bad item %d is %s, want it untouched", i, st)
				}
			}
			if n := env.count(t, "checkins", ""); n != 0 {
				t.Errorf("%d check-ins stored, want none", n)
			}
		}
		storedOnce(t)
		stored := env.stored(t)

		// The phone keeps the bad items and sends the same batch again: the good ones are
		// duplicates, the bad ones rejected again, nothing more is stored.
		check(t, env.syncResults(t, env.a1, batch, len(ops)), true)
		storedOnce(t)
		if after := env.stored(t); after != stored {
			t.Fatalf("the second batch stored something: %s, then %s", stored, after)
		}
	})
}

// failInsertsOf makes the database refuse, as a failing disk or a broken constraint would, every
// inspection stored with the given notes, until the returned function runs.
func failInsertsOf(t *testing.T, db *store.DB, notes string) func() {
	t.Helper()
	g := db.Gorm()
	var stmts, undo []string
	if db.Dialect() == "postgres" {
		stmts = []string{
			`CREATE FUNCTION test_refuse_inspection() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the disk is full'; END $$`,
			`CREATE TRIGGER test_refuse_inspection BEFORE INSERT ON inspections FOR EACH ROW WHEN (NEW.notes = '` + notes + `') EXECUTE FUNCTION test_refuse_inspection()`,
		}
		undo = []string{`DROP TRIGGER test_refuse_inspection ON inspections`, `DROP FUNCTION test_refuse_inspection()`}
	} else {
		stmts = []string{`CREATE TRIGGER test_refuse_inspection BEFORE INSERT ON inspections WHEN NEW.notes = '` + notes + `' BEGIN SELECT RAISE(ABORT, 'the disk is full'); END`}
		undo = []string{`DROP TRIGGER test_refuse_inspection`}
	}
	for _, s := range stmts {
		if err := g.Exec(s).Error; err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		t.Helper()
		for _, s := range undo {
			if err := g.Exec(s).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestSyncGoesOnAfterAnItemTheServerFailsToStore(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		day := env.teamDay(t, env.teamA)
		env.clk.Set(at(13, 0))
		const trouble = "ghi chú làm hỏng đĩa"
		first := result(t, day[0], models.OutcomeCompliant, at(8, 0))
		// A violation: its findings and follow-up task are what a half-written item would leave.
		failing := with(result(t, day[1], models.OutcomeViolation, at(9, 0), "K03"), "notes", trouble)
		b2 := env.businessOf(t, day[2])
		third := result(t, day[2], models.OutcomeCompliant, at(10, 5))
		ops := []map[string]any{
			{"type": "inspection", "body": first},
			{"type": "inspection", "body": failing},
			{"type": "checkin", "task_id": day[2].ID, "body": checkinBody(uuid.NewString(), b2.Lat, b2.Lon, 10, at(10, 0))},
			{"type": "inspection", "body": third},
		}
		batch := jsonBody(t, map[string]any{"operations": ops})
		restore := failInsertsOf(t, env.db, trouble)
		res := env.syncResults(t, env.a1, batch, len(ops))
		for i, want := range []string{"applied", "failed", "applied", "applied"} {
			if res[i].Status != want {
				t.Errorf("result %d: %s %d %+v, want %s", i, res[i].Status, res[i].HTTPStatus, res[i].Error, want)
			}
		}
		if f := res[1]; f.HTTPStatus != 500 || f.Error == nil || f.Error.Code != models.EINTERNAL || f.Error.RequestID == "" ||
			f.Error.Message == "" || strings.Contains(f.Error.Message, "disk") || f.ID != failing["id"] || string(f.Result) != "null" {
			t.Errorf("the failed item: %+v %+v", f, f.Error)
		}
		if n := env.count(t, "inspections", "id = ?", failing["id"]); n != 0 {
			t.Fatal("the failed item was stored")
		}
		if n := env.count(t, "inspection_findings", "inspection_id = ?", failing["id"]); n != 0 {
			t.Fatal("the failed item left findings")
		}
		if n := env.count(t, "tasks", "parent_task_id = ?", day[1].ID); n != 0 {
			t.Fatal("the failed item left a follow-up task")
		}
		if st := env.task(t, day[1].ID).Status; st != models.TaskReleased {
			t.Fatalf("the failed item's task is %s", st)
		}
		// What came after it is stored whole, the check-in first: the result sees it.
		if n := env.count(t, "checkins", "task_id = ?", day[2].ID); n != 1 {
			t.Fatalf("%d check-ins stored after the failure", n)
		}
		if env.task(t, day[0].ID).Status != models.TaskDone || env.task(t, day[2].ID).Status != models.TaskDone {
			t.Fatal("the items around the failure were not stored")
		}
		if strings.Contains(string(res[3].Result), models.FlagNoCheckin) {
			t.Errorf("the last result does not see the check-in before it: %s", res[3].Result)
		}

		// The database mends; the phone sends the same batch.
		restore()
		again := env.syncResults(t, env.a1, batch, len(ops))
		for i, want := range []string{"duplicate", "applied", "duplicate", "duplicate"} {
			if again[i].Status != want {
				t.Errorf("again, result %d: %s %+v, want %s", i, again[i].Status, again[i].Error, want)
			}
		}
		if n := env.count(t, "inspections", "id = ?", failing["id"]); n != 1 {
			t.Fatalf("the retried item is stored %d times", n)
		}
		if n := env.count(t, "tasks", "parent_task_id = ?", day[1].ID); n != 1 {
			t.Fatalf("the retried violation queued %d follow-ups", n)
		}
	})
}

func TestATeammatesReplayAnswersLikeAnyRetry(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		day := env.teamDay(t, env.teamA)
		b := env.businessOf(t, day[0])
		env.clk.Set(at(12, 0))
		ck := jsonBody(t, checkinBody(uuid.NewString(), b.Lat, b.Lon, 10, at(8, 0)))
		orig := result(t, day[0], models.OutcomeCompliant, at(8, 5))
		fix := result(t, day[0], models.OutcomeViolation, at(8, 5), "K03")
		checkinPath, amendPath := "/api/v1/tasks/"+day[0].ID+"/checkin", "/api/v1/inspections/"+orig["id"].(string)+"/amendments"
		for _, tc := range []struct {
			name, path, body string
			other            int // what another team's replay answers
		}{
			{"a check-in", checkinPath, ck, 409},
			{"a result", "/api/v1/inspections", jsonBody(t, orig), 409},
			{"an amendment", amendPath, jsonBody(t, fix), 404},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := env.do(t, env.a1, "POST", tc.path, tc.body)
				if w.Code != 201 {
					t.Fatalf("first: %d %s", w.Code, w.Body)
				}
				first := decode[map[string]any](t, w)
				stored := env.stored(t)
				w = env.do(t, env.a2, "POST", tc.path, tc.body)
				if w.Code != 200 {
					t.Fatalf("the teammate's identical replay: %d %s", w.Code, w.Body)
				}
				if got := decode[map[string]any](t, w); !reflect.DeepEqual(got, first) {
					t.Fatalf("the replay answers %v, not what the first write did: %v", got, first)
				}
				if w := env.do(t, env.b1, "POST", tc.path, tc.body); w.Code != tc.other {
					t.Fatalf("another team's replay: %d %s, want %d", w.Code, w.Body, tc.other)
				}
				if after := env.stored(t); after != stored {
					t.Fatalf("a replay stored something: %s, then %s", stored, after)
				}
			})
		}
		// In a batch, the teammate's copy is a duplicate like the sender's own.
		res := env.syncResults(t, env.a2, `{"operations":[{"type":"checkin","task_id":"`+day[0].ID+`","body":`+ck+`}]}`, 1)
		if res[0].Status != "duplicate" {
			t.Fatalf("a teammate's check-in in a batch: %s %+v", res[0].Status, res[0].Error)
		}
	})
}

func TestRegistryInputThatIsNotTextIsRefused(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		s := newRegistryServer(t, db, false)
		csv := "name,category,ward,address\n" +
			"Karaoke Sao Mai,karaoke,31117,12 Mậu Thân\n" +
			"Karaoke Hoa Sen,karaoke,31117,\"34 Trần\x00 Phú\"\n"
		for _, dry := range []string{"true", "false"} {
			t.Run("dry_run="+dry, func(t *testing.T) {
				before := countStored(t, db)
				rep := mustJSON[models.ImportReport](t, do(t, s, "POST", "/api/v1/businesses/import?dry_run="+dry, csv, "Content-Type", "text/csv"), 200)
				if rep.Rows != 2 || len(rep.Rejected) != 1 {
					t.Fatalf("report %+v", rep)
				}
				r := rep.Rejected[0]
				if r.Line != 3 || r.Field != "address" || r.Value != "34 Trần\ufffd Phú" || !strings.Contains(r.Message, "U+0000") || !strings.Contains(r.MessageVI, "U+0000") {
					t.Fatalf("rejection %+v", r)
				}
				if dry == "true" && (rep.Created != 1 || countStored(t, db) != before) {
					t.Fatalf("the dry run: %+v, stored %v then %v", rep, before, countStored(t, db))
				}
				if dry == "false" && rep.Created != 1 {
					t.Fatalf("the real run does what the dry run said: %+v", rep)
				}
			})
		}
		var n int64
		if err := db.Gorm().Table("businesses").Where("name = ?", "Karaoke Hoa Sen").Count(&n).Error; err != nil || n != 0 {
			t.Fatalf("the rejected row is stored (%d, %v)", n, err)
		}

		t.Run("a planner's new business", func(t *testing.T) {
			before := countStored(t, db)
			w := do(t, s, "POST", "/api/v1/businesses", `{"name":"Karaoke Biển\u0000 Xanh","category":"karaoke","address":"45 Cách Mạng Tháng Tám","lat":10.0463,"lon":105.7684}`, "Content-Type", "application/json")
			wantError(t, w, 400, models.EINVALID, "name")
			if countStored(t, db) != before {
				t.Fatal("a refused business was stored")
			}
		})

		t.Run("a GeoJSON property", func(t *testing.T) {
			before := countStored(t, db)
			geo := `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[105.78,10.03]},` +
				`"properties":{"name":"Karaoke Ngọc","category":"karaoke","owner":"Lê\u0000 Văn"}}]}`
			rep := mustJSON[models.ImportReport](t, do(t, s, "POST", "/api/v1/businesses/import", geo, "Content-Type", "application/geo+json"), 200)
			if rep.Created != 0 || len(rep.Rejected) != 1 || rep.Rejected[0].Line != 1 || rep.Rejected[0].Field != "owner" {
				t.Fatalf("report %+v", rep)
			}
			if countStored(t, db) != before {
				t.Fatal("a rejected feature was stored")
			}
		})

		t.Run("a GeoJSON property with an escaped lone surrogate", func(t *testing.T) {
			before := countStored(t, db)
			geo := `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[105.78,10.03]},` +
				`"properties":{"name":"Karaoke \ud800 Ngọc","category":"karaoke"}}]}`
			for _, dry := range []string{"true", "false"} {
				w := do(t, s, "POST", "/api/v1/businesses/import?dry_run="+dry, geo, "Content-Type", "application/geo+json")
				if e := decodeError(t, w); w.Code != 400 || !strings.Contains(e.Message, "features[0].properties.name") {
					t.Fatalf("dry run %s: %d %s", dry, w.Code, w.Body)
				}
			}
			if countStored(t, db) != before {
				t.Fatal("a refused file was stored")
			}
		})

		t.Run("an area's name", func(t *testing.T) {
			before := countStored(t, db)
			square := `[[107.0,11.0],[107.1,11.0],[107.1,11.1],[107.0,11.1],[107.0,11.0]]`
			areas := `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[` + square + `]},"properties":{"code":"997","name":"Khu\u0000 mới","level":"district","parent_code":"92"}}]}`
			for _, dry := range []string{"true", "false"} {
				wantError(t, do(t, s, "POST", "/api/v1/areas/import?dry_run="+dry, areas, "Content-Type", "application/geo+json"), 400, models.EINVALID, "features[0].properties.name")
			}
			wantError(t, do(t, s, "GET", "/api/v1/areas/997", ""), 404, models.ENOTFOUND, "")
			if countStored(t, db) != before {
				t.Fatal("a refused area import stored something")
			}
		})

		t.Run("an uploaded file's name", func(t *testing.T) {
			before := countStored(t, db)
			// A NUL there breaks the part's header, which the multipart reader refuses itself.
			body, ct := multipartBody(t, "file", "danh s\xe1ch.csv", []byte(csv))
			wantError(t, do(t, s, "POST", "/api/v1/businesses/import", body, "Content-Type", ct), 400, models.EINVALID, "filename")
			if countStored(t, db) != before {
				t.Fatal("an upload with a bad name stored something")
			}
		})
	})
}

func TestThePublicTipFormRefusesTextThatIsNotText(t *testing.T) {
	storetest.RunWith(t, storetest.Options{Now: planClock}, func(t *testing.T, db *store.DB) {
		h := newPlanServer(t, db).srv
		for _, tc := range []struct {
			name      string
			form      url.Values
			want      string
			multipart bool // sent as multipart/form-data, which a browser may choose
		}{
			{"a NUL in the description", url.Values{"description": {"Quán karaoke\x00 có tiếp viên nhỏ tuổi"}, "place": {"Phường D11"}}, "Mô tả: chứa ký tự rỗng U+0000", false},
			{"invalid UTF-8 in the contact", url.Values{"description": {"Quán karaoke có tiếp viên nhỏ tuổi"}, "place": {"Phường D11"}, "contact": {"09\xff"}}, "Liên hệ: không phải văn bản UTF-8 hợp lệ", false},
			{"a NUL in a multipart description", url.Values{"description": {"Quán karaoke\x00 có tiếp viên nhỏ tuổi"}, "place": {"Phường D11"}}, "Mô tả: chứa ký tự rỗng U+0000", true},
			{"invalid UTF-8 in a multipart place", url.Values{"description": {"Quán karaoke có tiếp viên nhỏ tuổi"}, "place": {"Ph\xffường"}}, "Địa điểm: không phải văn bản UTF-8 hợp lệ", true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				n := countTips(t, db)
				var w *httptest.ResponseRecorder
				if tc.multipart {
					var body bytes.Buffer
					mw := multipart.NewWriter(&body)
					for k, vs := range tc.form {
						mw.WriteField(k, vs[0])
					}
					mw.Close()
					req := httptest.NewRequest("POST", "/tip", &body)
					req.Header.Set("Content-Type", mw.FormDataContentType())
					req.Header.Set("Accept-Language", "vi")
					req.RemoteAddr = "198.51.100.31:40000"
					w = httptest.NewRecorder()
					h.ServeHTTP(w, req)
				} else {
					w = publicForm(t, h, "/tip", "vi", tc.form)
				}
				if w.Code != 400 || !strings.Contains(html.UnescapeString(w.Body.String()), tc.want) {
					t.Fatalf("%d, want 400 with %q: %s", w.Code, tc.want, w.Body)
				}
				if countTips(t, db) != n {
					t.Fatal("the tip was stored")
				}
			})
		}
	})
}

func TestCheckJSONTextNamesTheField(t *testing.T) {
	for _, tc := range []struct {
		name, body, field string
		nul               bool // the NUL message, not the UTF-8 one
	}{
		{"good text", `{"notes":"Đã nhắc nhở","answers":[{"note":"tab\tok"}]}`, "", false},
		{"numbers and literals", `{"a":1,"b":true,"c":null,"d":[1.5,-2]}`, "", false},
		{"a top-level field", `{"notes":"a\u0000"}`, "notes", true},
		{"an array element's field", `{"answers":[{"note":"x"},{"note":"x"},{"note":"\u0000"}]}`, "answers[2].note", true},
		{"an array element", `{"members":["a","b\u0000"]}`, "members[1]", true},
		{"arrays in arrays", `{"coordinates":[[1,2],[3,"\u0000"]]}`, "coordinates[1][1]", true},
		{"a member's name is its object", `{"properties":{"na\u0000me":"x"}}`, "properties", true},
		{"a member's name at the top", `{"na\u0000me":"x"}`, "body", true},
		{"a top-level string", `"\u0000"`, "body", true},
		{"an object name made of digits", `{"items":{"7":"\u0000"}}`, "items.7", true},
		{"a slash in a name", `{"a/b":"\u0000"}`, "a/b", true},
		{"invalid bytes", "{\"notes\":\"Ch\xe1 c\xf4\"}", "notes", false},
		{"invalid bytes in an array", "{\"members\":[\"a\",\"\xc3\"]}", "members[1]", false},
		{"a lone surrogate", `{"notes":"\udc00"}`, "notes", false},
		{"a pair of surrogates is good text", `{"notes":"\ud83d\ude92"}`, "", false},
		{"a duplicate name is left to the decoder", `{"notes":"a","notes":"b\u0000"}`, "notes", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := models.CheckJSONText([]byte(tc.body))
			if tc.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			e := models.ErrorAs(err)
			if e == nil || e.Code != models.EINVALID || e.Field != tc.field {
				t.Fatalf("error %v, want invalid %q", err, tc.field)
			}
			if got := strings.Contains(e.Message, "U+0000"); got != tc.nul {
				t.Fatalf("message %q", e.Message)
			}
		})
	}
}
