package api

import (
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// contentSecurityPolicy is the policy of every answer: scripts, styles and everything else come
// from this server only, with no inline script or style (a script injected through a stored
// name or tip text cannot run), and no page may be framed (clickjacking of the sign-in and of the
// tip form). Images may also be data: and blob: URLs (photos shrunk on the phone before upload)
// and the base-map tile server when one is configured.
func contentSecurityPolicy(tileOrigin string) string {
	img := "'self' data: blob:"
	if tileOrigin != "" {
		img += " " + tileOrigin
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src " + img,
		"connect-src 'self'",
		"font-src 'self'",
		"manifest-src 'self'",
		"worker-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")
}

// tileOriginOf returns the scheme and host of an absolute tile URL ("" for a path on this
// server, which 'self' covers, or for none).
func tileOriginOf(tileURL string) string {
	u, err := url.Parse(strings.NewReplacer("{z}", "0", "{x}", "0", "{y}", "0").Replace(tileURL))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// hstsHeader asks browsers to use HTTPS only for a year; it is sent only on answers that came
// over TLS, where it means something.
const hstsHeader = "max-age=31536000"

// securityHeaders sets the headers that make the browser enforce the pages' policy.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", s.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	// Only this server's origin leaves with a link or a tile request, never a path such as a
	// business's or a tip's.
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	// The inspectors' app needs the position and the camera; nothing needs the rest.
	h.Set("Permissions-Policy", "geolocation=(self), camera=(self), microphone=(), payment=(), usb=()")
	if s.overTLS(c.Request) {
		h.Set("Strict-Transport-Security", hstsHeader)
	}
	c.Next()
}

// overTLS reports whether the request reached the service over TLS: directly, or through a
// trusted proxy that says so in X-Forwarded-Proto. Anyone else's X-Forwarded-Proto is ignored.
func (s *Server) overTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	proto := r.Header.Get("X-Forwarded-Proto")
	if proto == "" || !s.fromTrustedProxy(r) {
		return false
	}
	// A chain of proxies lists the first hop's scheme first.
	first, _, _ := strings.Cut(proto, ",")
	return strings.EqualFold(strings.TrimSpace(first), "https")
}

// fromTrustedProxy reports whether the request's peer is one of KIEMTRA_TRUSTED_PROXIES.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	for _, n := range s.trusted {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// parseProxies reads proxy addresses and CIDR ranges; a bare address is a one-address range.
// Configuration checks the list first (KIEMTRA_TRUSTED_PROXIES); an entry that is still wrong is
// skipped, so that a typo trusts less, never more.
func parseProxies(list []string) []*net.IPNet {
	var out []*net.IPNet
	for _, p := range list {
		if ip := net.ParseIP(p); ip != nil {
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		if _, n, err := net.ParseCIDR(p); err == nil {
			out = append(out, n)
		}
	}
	return out
}
