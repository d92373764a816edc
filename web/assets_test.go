package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func site(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, body := range files {
		m[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return m
}

func get(t *testing.T, a *Assets, name string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", "/"+name, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	if !a.Serve(w, r, name) {
		w.Code = http.StatusNotFound
	}
	return w
}

var versionLine = regexp.MustCompile(`const VERSION = '([0-9a-f]+)';`)

func swVersionOf(t *testing.T, a *Assets) string {
	t.Helper()
	m := versionLine.FindStringSubmatch(get(t, a, "app/sw.js").Body.String())
	if m == nil {
		t.Fatal("sw.js has no stamped VERSION")
	}
	return m[1]
}

func TestServiceWorkerVersionFollowsTheAppFiles(t *testing.T) {
	files := map[string]string{
		"app/index.html":       "<!doctype html><title>app</title>",
		"app/js/app.js":        "console.log(1)",
		"app/sw.js":            "const VERSION = 'by hand';\nconst CACHE = `kiemtra-app-${VERSION}`;\n",
		"dashboard/index.html": "<!doctype html><title>dashboard</title>",
	}
	load := func(change func(m map[string]string)) *Assets {
		t.Helper()
		m := map[string]string{}
		for k, v := range files {
			m[k] = v
		}
		if change != nil {
			change(m)
		}
		a, err := LoadAssets(site(m))
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	base := swVersionOf(t, load(nil))
	if base != swVersionOf(t, load(nil)) {
		t.Fatal("the same files gave two versions")
	}
	for _, tc := range []struct {
		name   string
		change func(m map[string]string)
		same   bool
	}{
		{"a changed module", func(m map[string]string) { m["app/js/app.js"] = "console.log(2)" }, false},
		{"a new file", func(m map[string]string) { m["app/js/new.js"] = "" }, false},
		{"a renamed file", func(m map[string]string) { m["app/js/b.js"] = m["app/js/app.js"]; delete(m, "app/js/app.js") }, false},
		{"a changed dashboard", func(m map[string]string) { m["dashboard/index.html"] = "x" }, true},
		{"a comment in sw.js", func(m map[string]string) { m["app/sw.js"] = "// why\n" + m["app/sw.js"] }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := swVersionOf(t, load(tc.change)); (got == base) != tc.same {
				t.Fatalf("version %s, before %s; want same=%v", got, base, tc.same)
			}
		})
	}
	if _, err := LoadAssets(site(map[string]string{"app/sw.js": "const CACHE = 'x';"})); err == nil {
		t.Fatal("a service worker without a VERSION line was accepted")
	}
}

func TestAssetsAreCompressedAndRevalidated(t *testing.T) {
	js := strings.Repeat("export const x = 'Kiểm tra liên ngành';\n", 200)
	png := "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 400)
	a, err := LoadAssets(site(map[string]string{"app/js/app.js": js, "app/index.html": "<!doctype html><p>Xin chào</p>", "app/icon.png": png, "app/manifest.webmanifest": "{}"}))
	if err != nil {
		t.Fatal(err)
	}
	w := get(t, a, "app/js/app.js", "Accept-Encoding", "gzip, deflate, br")
	if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/javascript") ||
		w.Header().Get("Vary") != "Accept-Encoding" || w.Body.Len() >= len(js)/4 {
		t.Fatalf("%d %v, %d bytes for %d", w.Code, w.Header(), w.Body.Len(), len(js))
	}
	zr, err := gzip.NewReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(zr); string(b) != js {
		t.Fatal("the compressed body is not the file")
	}
	etag := w.Header().Get("ETag")
	for _, tc := range []struct {
		name, header, value string
		status              int
		encoding            string
	}{
		{"no Accept-Encoding gets the plain file", "", "", 200, ""},
		{"gzip refused with q=0", "Accept-Encoding", "gzip;q=0, identity", 200, ""},
		{"the same ETag gets 304", "If-None-Match", etag, 304, ""},
		{"the weak form of the ETag gets 304", "If-None-Match", "W/" + etag, 304, ""},
		{"one of several ETags gets 304", "If-None-Match", `"old", ` + etag, 304, ""},
		{"another ETag gets the file", "If-None-Match", `"old"`, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := get(t, a, "app/js/app.js", tc.header, tc.value)
			if w.Code != tc.status || w.Header().Get("Content-Encoding") != tc.encoding || w.Header().Get("ETag") != etag {
				t.Fatalf("%d %v", w.Code, w.Header())
			}
			if tc.status == 304 && w.Body.Len() != 0 || tc.status == 200 && w.Body.String() != js {
				t.Fatalf("%d with a body of %d bytes", w.Code, w.Body.Len())
			}
		})
	}
	if w := get(t, a, "app/icon.png", "Accept-Encoding", "gzip"); w.Code != 200 || w.Header().Get("Content-Encoding") != "" || w.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("a PNG: %d %v", w.Code, w.Header())
	}
	if w := get(t, a, "app/manifest.webmanifest"); w.Header().Get("Content-Type") != "application/manifest+json" {
		t.Fatalf("the manifest: %v", w.Header())
	}
	for name, want := range map[string]int{"app/": 200, "app": 404, "app/../app/index.html": 200, "../web.go": 404, "app/missing.js": 404, "app/js": 404} {
		if w := get(t, a, name); w.Code != want {
			t.Errorf("%q: %d, want %d", name, w.Code, want)
		}
	}
	if w := get(t, a, "app/"); !strings.Contains(w.Body.String(), "Xin chào") || w.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("the app's page: %v %s", w.Header(), w.Body)
	}
}

// TestEmbeddedFilesLoad checks the files built into the binary: the app's service worker can be
// stamped and every file of it shrinks when compressed or is an image.
func TestEmbeddedFilesLoad(t *testing.T) {
	a, err := NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range a.files {
		if f.gz == nil && !strings.HasPrefix(f.ctype, "image/") {
			t.Errorf("%s (%s) is not compressed", name, f.ctype)
		}
	}
	swVersionOf(t, a)
}
