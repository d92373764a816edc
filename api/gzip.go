package api

import (
	"compress/gzip"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

var gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }}

// gzipWriter compresses what a handler writes.
type gzipWriter struct {
	gin.ResponseWriter
	gz *gzip.Writer
}

func (w *gzipWriter) Write(b []byte) (int, error)       { return w.gz.Write(b) }
func (w *gzipWriter) WriteString(s string) (int, error) { return w.gz.Write([]byte(s)) }

// WriteHeader drops the length: the compressed body is shorter than the one it was set for.
func (w *gzipWriter) WriteHeader(code int) {
	w.Header().Del("Content-Length")
	w.ResponseWriter.WriteHeader(code)
}

// gzipped compresses the answer when the client accepts gzip: a day's route on a slow mobile
// network shrinks to about a fifth.
func gzipped(c *gin.Context) {
	if !acceptsGzip(c.GetHeader("Accept-Encoding")) {
		c.Next()
		return
	}
	gz := gzipWriters.Get().(*gzip.Writer)
	gz.Reset(c.Writer)
	c.Header("Content-Encoding", "gzip")
	c.Header("Vary", "Accept-Encoding")
	c.Writer = &gzipWriter{ResponseWriter: c.Writer, gz: gz}
	defer func() {
		if c.Writer.Status() == 304 || c.Writer.Status() == 204 {
			c.Writer.Header().Del("Content-Encoding")
			gz.Reset(nil)
		} else {
			gz.Close()
		}
		gzipWriters.Put(gz)
	}()
	c.Next()
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) listed with a non-zero quality.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					f = 0
				}
				q = f
			}
		}
		return q > 0
	}
	return false
}
