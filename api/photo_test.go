package api

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"kiemtra/models"
)

func init() {
	// The contract check reads photo answers as files.
	openapi3filter.RegisterBodyDecoder("image/jpeg", openapi3filter.FileBodyDecoder)
	openapi3filter.RegisterBodyDecoder("image/png", openapi3filter.FileBodyDecoder)
}

// testJPEG encodes a w×h JPEG; seed changes its pixels (and so its hash).
func testJPEG(t testing.TB, w, h int, seed uint8) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x) + seed, uint8(y) * seed, seed, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func testPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// multipartFile builds a multipart body with data in the field "file".
func multipartFile(t testing.TB, name string, data []byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

func TestPhotosOfAnInspection(t *testing.T) {
	runField(t, func(t *testing.T, env *fieldEnv) {
		task := env.teamDay(t, env.teamA)[0]
		env.clk.Set(at(9, 0))
		body := result(t, task, models.OutcomeCompliant, at(8, 0))
		w := env.do(t, env.a1, "POST", "/api/v1/inspections", jsonBody(t, body))
		if w.Code != 201 {
			t.Fatalf("submit: %d %s", w.Code, w.Body)
		}
		id := body["id"].(string)
		photos := func() int { return env.count(t, "photos", "inspection_id = ?", id) }

		t.Run("a PNG sent as the raw body is stored", func(t *testing.T) {
			req := httptest.NewRequest("POST", "/api/v1/inspections/"+id+"/photos", bytes.NewReader(testPNG(t, 10, 20)))
			req.Header.Set("Content-Type", "image/png")
			req = req.WithContext(WithPrincipal(req.Context(), env.a2))
			w := httptest.NewRecorder()
			env.srv.ServeHTTP(w, req)
			checkContract(t, req, nil, w)
			p := decode[models.Photo](t, w)
			if w.Code != 201 || p.ContentType != "image/png" || p.Width != 10 || p.Height != 20 || p.CreatedBy != "a2" {
				t.Fatalf("PNG: %d %s", w.Code, w.Body)
			}
			g := env.do(t, env.a1, "GET", "/api/v1/inspections/"+id+"/photos/"+p.ID, "")
			if g.Code != 200 || g.Header().Get("Content-Type") != "image/png" {
				t.Fatalf("PNG back: %d", g.Code)
			}
		})
		before := photos()
		for _, tc := range []struct {
			name   string
			p      *Principal
			file   string
			data   []byte
			status int
			field  string
		}{
			{"a PDF named .jpg is refused as unsupported", env.a1, "scan.jpg", []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"), 415, "photo"},
			{"a text file is refused as unsupported", env.a1, "notes.png", []byte("hello, this is not a photo"), 415, "photo"},
			{"a truncated JPEG is refused as damaged", env.a1, "cut.jpg", testJPEG(t, 64, 64, 9)[:200], 400, "photo"},
			{"an empty file is refused", env.a1, "empty.jpg", nil, 400, "photo"},
			{"another team may not add photos", env.b1, "x.jpg", testJPEG(t, 8, 8, 3), 404, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := env.upload(t, tc.p, id, tc.file, tc.data)
				if w.Code != tc.status {
					t.Fatalf("%d %s, want %d", w.Code, w.Body, tc.status)
				}
				if e := decodeError(t, w); tc.field != "" && e.Field != tc.field {
					t.Fatalf("field %q, want %q: %s", e.Field, tc.field, w.Body)
				}
			})
		}
		t.Run("a 50 MB photo is refused before it is read", func(t *testing.T) {
			big := make([]byte, 50<<20)
			copy(big, testJPEG(t, 8, 8, 1))
			w := env.upload(t, env.a1, id, "big.jpg", big)
			if w.Code != 413 || decodeError(t, w).Code != models.ETOOLARGE {
				t.Fatalf("50 MB: %d %s", w.Code, w.Body)
			}
		})
		t.Run("an 11 MB photo sent without a length is refused", func(t *testing.T) {
			big := make([]byte, 11<<20)
			copy(big, testJPEG(t, 8, 8, 1))
			body, ct := multipartFile(t, "big.jpg", big)
			req := httptest.NewRequest("POST", "/api/v1/inspections/"+id+"/photos", struct{ *bytes.Reader }{bytes.NewReader(body)})
			req.ContentLength = -1
			req.Header.Set("Content-Type", ct)
			req = req.WithContext(WithPrincipal(req.Context(), env.a1))
			w := httptest.NewRecorder()
			env.srv.ServeHTTP(w, req)
			checkContract(t, req, nil, w)
			if w.Code != 413 {
				t.Fatalf("11 MB streamed: %d %s", w.Code, w.Body)
			}
		})
		if n := photos(); n != before {
			t.Fatalf("refused uploads stored %d photos", n-before)
		}
		t.Run("photos are read with authorization", func(t *testing.T) {
			w := env.upload(t, env.a1, id, "ok.jpg", testJPEG(t, 16, 16, 5))
			p := decode[models.Photo](t, w)
			if w.Code != 201 {
				t.Fatalf("upload: %d", w.Code)
			}
			if w := env.do(t, env.b1, "GET", "/api/v1/inspections/"+id+"/photos/"+p.ID, ""); w.Code != 404 {
				t.Fatalf("another team reads the photo: %d", w.Code)
			}
			if w := env.do(t, env.planner, "GET", "/api/v1/inspections/"+id+"/photos/"+p.ID, ""); w.Code != 200 {
				t.Fatalf("a city planner reads the photo: %d", w.Code)
			}
			if w := env.do(t, env.a1, "GET", "/api/v1/inspections/"+id+"/photos/nope", ""); w.Code != 404 {
				t.Fatalf("an unknown photo: %d", w.Code)
			}
			if w := env.do(t, nil, "GET", "/api/v1/inspections/"+id+"/photos/"+p.ID, ""); w.Code != 401 {
				t.Fatalf("anonymous: %d", w.Code)
			}
			if w := env.upload(t, env.a1, "no-such-inspection", "ok.jpg", testJPEG(t, 16, 16, 6)); w.Code != 404 {
				t.Fatalf("an unknown inspection: %d", w.Code)
			}
			list, err := env.db.FindPhotos(context.Background(), id)
			if err != nil || len(list) != 2 {
				t.Fatalf("photos stored: %d %v", len(list), err)
			}
		})
		_ = strings.TrimSpace
	})
}
