package api

import (
	"io"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"kiemtra/store/storetest"
	"kiemtra/web"
)

func newHeaderServer(t *testing.T, proxies ...string) *Server {
	t.Helper()
	assets, err := web.NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	return New(Config{Store: storetest.NewSQLite(t, storetest.Options{}), Readiness: readiness{}, Web: assets, TrustedProxies: proxies,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// TestEveryAnswerCarriesTheSecurityHeaders: pages, files, API answers and errors all carry the
// policy; HSTS only when the request came over TLS, directly or through a trusted proxy.
func TestEveryAnswerCarriesTheSecurityHeaders(t *testing.T) {
	s := newHeaderServer(t, "10.0.0.5")
	for _, tc := range []struct {
		name, path, remote, proto string
		hsts                      bool
	}{
		{"the dashboard's page", "/dashboard/", "203.0.113.9:4000", "", false},
		{"the app's script", "/app/js/app.js", "203.0.113.9:4000", "", false},
		{"the public tip form", "/tip", "203.0.113.9:4000", "", false},
		{"an API answer", "/api/v1/version", "203.0.113.9:4000", "", false},
		{"an API error", "/api/v1/no-such-thing", "203.0.113.9:4000", "", false},
		{"a trusted proxy that says https", "/tip", "10.0.0.5:4000", "https", true},
		{"a trusted proxy that says http", "/tip", "10.0.0.5:4000", "http", false},
		{"anyone else who says https", "/tip", "203.0.113.9:4000", "https", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("GET", tc.path, nil)
			req.RemoteAddr = tc.remote
			if tc.proto != "" {
				req.Header.Set("X-Forwarded-Proto", tc.proto)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req)
			h := w.Header()
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("Content-Security-Policy allows inline code: %q", csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" || h.Get("X-Frame-Options") != "DENY" {
				t.Errorf("headers %v", h)
			}
			if got := h.Get("Strict-Transport-Security") != ""; got != tc.hsts {
				t.Errorf("HSTS sent: %v, want %v", got, tc.hsts)
			}
		})
	}
}

func TestHTTPSRequestsGetHSTS(t *testing.T) {
	s := newHeaderServer(t)
	req := httptest.NewRequest("GET", "https://kiemtra.example/api/v1/version", nil)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Header().Get("Strict-Transport-Security") == "" {
		t.Fatal("no HSTS over TLS")
	}
}

// TestForwardedForIsBelievedFromTrustedProxiesOnly: the client's address (which the sign-in and
// tip limits count) comes from X-Forwarded-For only when a trusted proxy sent it.
func TestForwardedForIsBelievedFromTrustedProxiesOnly(t *testing.T) {
	s := newHeaderServer(t, "10.0.0.0/24")
	var seen string
	s.engine.GET("/echo-ip", func(c *gin.Context) { seen = c.ClientIP() })
	allowInTest(t, "GET /echo-ip")
	for _, tc := range []struct{ remote, forwarded, want string }{
		{"10.0.0.7:4000", "198.51.100.20", "198.51.100.20"},
		{"203.0.113.9:4000", "198.51.100.20", "203.0.113.9"},
	} {
		req := httptest.NewRequest("GET", "/echo-ip", nil)
		req.RemoteAddr = tc.remote
		req.Header.Set("X-Forwarded-For", tc.forwarded)
		s.ServeHTTP(httptest.NewRecorder(), req)
		if seen != tc.want {
			t.Errorf("from %s forwarding for %s: client %s, want %s", tc.remote, tc.forwarded, seen, tc.want)
		}
	}
	// A list gin refuses trusts nobody rather than everybody.
	bad := newHeaderServer(t, "not-an-address")
	bad.engine.GET("/echo-ip", func(c *gin.Context) { seen = c.ClientIP() })
	req := httptest.NewRequest("GET", "/echo-ip", nil)
	req.RemoteAddr = "203.0.113.9:4000"
	req.Header.Set("X-Forwarded-For", "198.51.100.20")
	bad.ServeHTTP(httptest.NewRecorder(), req)
	if seen != "203.0.113.9" {
		t.Errorf("with a bad proxy list the client is %s", seen)
	}
}

// TestPagesHaveNoInlineScriptOrStyle: the policy refuses inline code, so the embedded pages and
// the server's templates must carry none (a page that does breaks silently in the browser).
func TestPagesHaveNoInlineScriptOrStyle(t *testing.T) {
	inline := []*regexp.Regexp{
		regexp.MustCompile(`(?i)<script(\s[^>]*)?>\s*[^<\s]`), // a script with a body
		regexp.MustCompile(`(?i)<style[\s>]`),
		regexp.MustCompile(`(?i)\sstyle\s*=`),
		regexp.MustCompile(`(?i)\son[a-z]+\s*=`),
		regexp.MustCompile(`(?i)javascript:`),
	}
	check := func(fsys fs.FS, root string) {
		err := fs.WalkDir(fsys, root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".html") || strings.HasSuffix(path, ".js")) {
				return err
			}
			b, err := fs.ReadFile(fsys, path)
			if err != nil {
				return err
			}
			for _, re := range inline {
				if strings.HasSuffix(path, ".js") && re.String() != inline[2].String() {
					continue // scripts may say "<script" in strings; only markup with style= matters
				}
				if loc := re.FindIndex(b); loc != nil {
					t.Errorf("%s has inline code the policy refuses: %q", path, b[loc[0]:min(len(b), loc[1]+40)])
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check(web.Templates(), "templates")
	check(web.Static(), "static")
}
