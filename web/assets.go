package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Assets serves the static files from memory, gzip-compressed for clients that accept it and
// with strong ETags, so that a phone on 3G downloads the app once and afterwards only asks
// whether it changed.
type Assets struct {
	files map[string]*asset
}

type asset struct {
	body, gz []byte
	etag     string
	ctype    string
}

// swVersion is the line of the app's service worker that names its cache.
var swVersion = regexp.MustCompile(`(?m)^const VERSION = '[^']*';$`)

// NewAssets reads the embedded static files.
func NewAssets() (*Assets, error) {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		return nil, err
	}
	return LoadAssets(sub)
}

// LoadAssets reads every file of fsys. The app's service worker (app/sw.js) gets a VERSION
// computed from the other files of app/: a phone replaces its cached app exactly when a file of
// it changed, and nobody has to remember to bump a number by hand.
func LoadAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{files: map[string]*asset{}}
	var names []string
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		names = append(names, name)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the static files: %w", err)
	}
	sort.Strings(names)
	bodies := map[string][]byte{}
	app := sha256.New()
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		bodies[name] = b
		if strings.HasPrefix(name, "app/") && name != "app/sw.js" {
			fmt.Fprintf(app, "%s\x00%d\x00", name, len(b))
			app.Write(b)
		}
	}
	if sw, ok := bodies["app/sw.js"]; ok {
		if !swVersion.Match(sw) {
			return nil, fmt.Errorf("app/sw.js has no line \"const VERSION = '...';\" to stamp")
		}
		version := hex.EncodeToString(app.Sum(nil))[:16]
		bodies["app/sw.js"] = swVersion.ReplaceAll(sw, []byte("const VERSION = '"+version+"';"))
	}
	for _, name := range names {
		if err := a.add(name, bodies[name]); err != nil {
			return nil, err
		}
	}
	return a, nil
}

func (a *Assets) add(name string, body []byte) error {
	sum := sha256.Sum256(body)
	f := &asset{body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`, ctype: mime.TypeByExtension(path.Ext(name))}
	switch path.Ext(name) {
	case ".webmanifest":
		f.ctype = "application/manifest+json"
	case ".js":
		f.ctype = "text/javascript; charset=utf-8"
	}
	if f.ctype == "" {
		f.ctype = http.DetectContentType(body)
	}
	// Images are compressed already; text shrinks to a third or less.
	if !strings.HasPrefix(f.ctype, "image/") || strings.HasPrefix(f.ctype, "image/svg") {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if _, err := zw.Write(body); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		if buf.Len() < len(body) {
			f.gz = buf.Bytes()
		}
	}
	a.files[name] = f
	return nil
}

// Serve writes the file name (relative to the static folder; a name ending in "/" means its
// index.html) and reports whether it exists. A request with the file's ETag in If-None-Match
// gets 304 and no body.
func (a *Assets) Serve(w http.ResponseWriter, r *http.Request, name string) bool {
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	name = strings.TrimPrefix(path.Clean("/"+name), "/")
	f, ok := a.files[name]
	if !ok {
		return false
	}
	h := w.Header()
	h.Set("ETag", f.etag)
	h.Set("Vary", "Accept-Encoding")
	if h.Get("Cache-Control") == "" {
		// File names carry no version, so a browser must ask before reusing a copy; the answer
		// is a 304 of a few bytes when nothing changed.
		h.Set("Cache-Control", "no-cache")
	}
	if matchesETag(r.Header.Get("If-None-Match"), f.etag) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	h.Set("Content-Type", f.ctype)
	body := f.body
	if f.gz != nil && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		body = f.gz
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
	return true
}

func matchesETag(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") || strings.TrimSpace(coding) == "*" {
			return strings.ReplaceAll(strings.TrimSpace(params), " ", "") != "q=0"
		}
	}
	return false
}
