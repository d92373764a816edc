package api

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/google/uuid"

	"kiemtra/models"
)

func init() {
	openapi3filter.RegisterBodyDecoder("application/pdf", openapi3filter.FileBodyDecoder)
}

// signature is a w×h canvas with a stroke whose place depends on seed (so its hash does).
func signature(t testing.TB, w, h, seed int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for x := 2; x < w-2; x++ {
		img.Set(x, (x*seed)%h, color.NRGBA{0, 0, 0x40, 0xff})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// noisePNG is a PNG of random pixels: it does not compress, so it is large.
func noisePNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = byte(r.IntN(256))
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func recordBody(insp, rep []byte) map[string]any {
	m := map[string]any{"representative_name": "Trần Thị Yến", "representative_role": "Chủ cơ sở", "statement": "Tôi đồng ý với kết quả kiểm tra.",
		"inspector_signature": base64.StdEncoding.EncodeToString(insp)}
	if rep != nil {
		m["representative_signature"] = base64.StdEncoding.EncodeToString(rep)
	}
	return m
}

func TestInspectionRecord(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		tasks := env.teamDay(t, env.teamA)
		env.clk.Set(at(9, 0))
		body := result(t, tasks[0], models.OutcomeViolation, at(8, 0), "K02")
		if w := env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, body)); w.Code != 201 {
			t.Fatalf("submit: %d %s", w.Code, w.Body)
		}
		id := body["id"].(string)
		path := "/api/v1/inspections/" + id + "/record"
		insp, rep := signature(t, 300, 100, 3), signature(t, 300, 100, 5)
		signed := recordBody(insp, rep)

		expect := func(t *testing.T, m map[string]any, status int, field string) {
			t.Helper()
			w := env.do(t, env.a1, "PUT", path, jsonBody(t, m))
			if w.Code != status || !strings.Contains(w.Body.String(), `"field":"`+field+`"`) {
				t.Errorf("got %d %s, want %d naming %s", w.Code, w.Body, status, field)
			}
		}
		t.Run("a signature that is not a PNG is refused", func(t *testing.T) {
			m := recordBody([]byte("GIF89a not a png at all"), rep)
			expect(t, m, 400, "inspector_signature")
		})
		t.Run("a signature that is not base64 is refused", func(t *testing.T) {
			m := recordBody(insp, rep)
			m["representative_signature"] = "%%% not base64"
			expect(t, m, 400, "representative_signature")
		})
		t.Run("a blank canvas is not a signature", func(t *testing.T) {
			expect(t, recordBody(insp, testPNG(t, 300, 100)), 400, "representative_signature") // all black
			expect(t, recordBody(insp, signature(t, 300, 100, 0)[:0]), 400, "representative_signature")
			var clear bytes.Buffer
			png.Encode(&clear, image.NewNRGBA(image.Rect(0, 0, 300, 100)))
			expect(t, recordBody(clear.Bytes(), rep), 400, "inspector_signature") // transparent
		})
		t.Run("a signature larger than 256 KB is refused", func(t *testing.T) {
			big := noisePNG(t, 400, 300)
			if len(big) <= models.MaxSignatureBytes {
				t.Fatalf("the test image is only %d bytes", len(big))
			}
			expect(t, recordBody(big, rep), 400, "inspector_signature")
		})
		t.Run("a representative who neither signs nor refuses is refused", func(t *testing.T) {
			expect(t, recordBody(insp, nil), 400, "representative_signature")
		})
		t.Run("a refusal needs its reason", func(t *testing.T) {
			m := recordBody(insp, nil)
			m["refused"] = true
			expect(t, m, 400, "refusal_note")
		})
		t.Run("another team cannot sign", func(t *testing.T) {
			if w := env.do(t, env.b1, "PUT", path, jsonBody(t, signed)); w.Code != 403 {
				t.Errorf("team B: %d %s", w.Code, w.Body)
			}
		})
		if n := env.count(t, "inspection_records", ""); n != 0 {
			t.Fatalf("%d records stored by refused requests", n)
		}

		var rec models.InspectionRecord
		t.Run("the team signs, and a retry answers the same record", func(t *testing.T) {
			w := env.do(t, env.a1, "PUT", path, jsonBody(t, signed))
			if w.Code != 201 {
				t.Fatalf("sign: %d %s", w.Code, w.Body)
			}
			rec = decode[models.InspectionRecord](t, w)
			if rec.InspectionID != id || len(rec.RecordSHA256) != 64 || rec.InspectorSignatureSHA256 == rec.RepresentativeSignatureSHA256 || rec.Refused {
				t.Errorf("record %+v", rec)
			}
			again := env.do(t, env.a1, "PUT", path, jsonBody(t, signed))
			if again.Code != 200 || decode[models.InspectionRecord](t, again).RecordSHA256 != rec.RecordSHA256 {
				t.Errorf("retry: %d %s", again.Code, again.Body)
			}
			if n := env.count(t, "inspection_records", "inspection_id = ?", id); n != 1 {
				t.Errorf("%d records", n)
			}
		})
		t.Run("the audit log holds the record's hash and the signatures'", func(t *testing.T) {
			for _, h := range []string{rec.RecordSHA256, rec.InspectorSignatureSHA256, rec.RepresentativeSignatureSHA256} {
				if n := env.count(t, "audit_events", "action = ? AND entity_id = ? AND details LIKE ?", "sign_record", id, "%"+h+"%"); n != 1 {
					t.Errorf("%d audit events hold %s", n, h)
				}
			}
		})
		t.Run("a signed record refuses edits naming the field", func(t *testing.T) {
			expect(t, recordBody(insp, signature(t, 300, 100, 7)), 400, "representative_signature")
			m := recordBody(insp, rep)
			m["statement"] = "Tôi không đồng ý."
			expect(t, m, 400, "statement")
		})
		t.Run("the path and the body name one inspection", func(t *testing.T) {
			m := recordBody(insp, rep)
			m["inspection_id"] = uuid.NewString()
			expect(t, m, 400, "inspection_id")
		})

		t.Run("record.pdf", func(t *testing.T) {
			pdf := "/api/v1/inspections/" + id + "/record.pdf"
			for _, p := range []*Principal{env.a1, env.planner} {
				w := env.do(t, p, "GET", pdf, "")
				if w.Code != 200 || w.Header().Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(w.Body.Bytes(), []byte("%PDF-")) {
					t.Fatalf("%s: %d %s", p.Username, w.Code, w.Header())
				}
				if w.Header().Get("X-Record-SHA256") != rec.RecordSHA256 || w.Header().Get("X-Record-Signed") != "true" {
					t.Errorf("%s: headers %v", p.Username, w.Header())
				}
			}
			if w := env.do(t, env.b1, "GET", pdf, ""); w.Code != 404 {
				t.Errorf("another team: %d", w.Code)
			}
			if w := env.do(t, env.a1, "GET", "/api/v1/inspections/"+uuid.NewString()+"/record.pdf", ""); w.Code != 404 {
				t.Errorf("unknown inspection: %d", w.Code)
			}
			tips := &Principal{UserID: "x", Username: "tips", Role: models.RoleTipOfficer, AreaCode: "92"}
			if w := env.do(t, tips, "GET", pdf, ""); w.Code != 403 {
				t.Errorf("a tip officer: %d", w.Code)
			}
		})

		t.Run("an amendment is a new version with a record of its own", func(t *testing.T) {
			am := result(t, tasks[0], models.OutcomeViolation, at(8, 0), "K02")
			delete(am, "task_id")
			am["notes"] = "Bổ sung ghi chú."
			if w := env.do(t, env.a1, "POST", "/api/v1/inspections/"+id+"/amendments", jsonBody(t, am)); w.Code != 201 {
				t.Fatalf("amend: %d %s", w.Code, w.Body)
			}
			w := env.do(t, env.planner, "GET", "/api/v1/inspections/"+id+"/record.pdf", "")
			if w.Code != 200 || w.Header().Get("X-Record-Version") != "2" || w.Header().Get("X-Record-Signed") != "false" {
				t.Fatalf("after the amendment: %d %v", w.Code, w.Header())
			}
			amID := am["id"].(string)
			s := env.do(t, env.a1, "PUT", "/api/v1/inspections/"+amID+"/record", jsonBody(t, recordBody(insp, signature(t, 300, 100, 7))))
			if s.Code != 201 {
				t.Fatalf("sign the amendment: %d %s", s.Code, s.Body)
			}
			w = env.do(t, env.planner, "GET", "/api/v1/inspections/"+id+"/record.pdf", "")
			if w.Header().Get("X-Record-Version") != "2" || w.Header().Get("X-Record-Signed") != "true" || w.Header().Get("X-Record-SHA256") == rec.RecordSHA256 {
				t.Errorf("the signed amendment: %v", w.Header())
			}
			if n := env.count(t, "inspection_records", "inspection_id = ?", id); n != 1 {
				t.Errorf("the first version's record: %d rows", n)
			}
		})

		t.Run("a record queued after its inspection syncs, and again as a duplicate", func(t *testing.T) {
			b2 := result(t, tasks[1], models.OutcomeCompliant, at(8, 30))
			r := recordBody(insp, nil)
			r["refused"], r["refusal_note"], r["inspection_id"] = true, "Không đồng ý ký", b2["id"]
			batch := jsonBody(t, map[string]any{"operations": []any{map[string]any{"type": "inspection", "body": b2}, map[string]any{"type": "record", "body": r}}})
			for _, want := range []string{"applied", "duplicate"} {
				w := env.do(t, env.a1, "POST", "/api/v1/sync", batch)
				res := decode[struct{ Results []SyncResult }](t, w)
				if w.Code != 200 || len(res.Results) != 2 || res.Results[0].Status != want || res.Results[1].Status != want || res.Results[1].ID != b2["id"] {
					t.Fatalf("sync (%s): %d %s", want, w.Code, w.Body)
				}
			}
			if n := env.count(t, "inspection_records", "inspection_id = ? AND refused = ?", b2["id"], true); n != 1 {
				t.Errorf("%d refused records", n)
			}
		})
	})
}
