package api

import (
	"compress/gzip"
	"log/slog"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
)

var gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed); return w }}

// gzipMinBytes is the shortest answer worth compressing: below about one network packet the
// compressor's work buys nothing (an empty delta, a 304, an error).
const gzipMinBytes = 1024

// gzipWriter compresses what a handler writes once there is enough of it. Until then it holds
// the bytes: a short answer goes out as it is, with its Content-Length; a long one is sent
// compressed, without one.
type gzipWriter struct {
	gin.ResponseWriter
	gz  *gzip.Writer // nil until the answer is long enough
	buf []byte
}

// Write holds b, or compresses it once the answer is long enough.
func (w *gzipWriter) Write(b []byte) (int, error) {
	if w.gz != nil {
		return w.gz.Write(b)
	}
	w.buf = append(w.buf, b...)
	if len(w.buf) < gzipMinBytes {
		return len(b), nil
	}
	// The length gin set (c.Data sets one) is the plain body's: it would cut the compressed
	// answer short or leave the client waiting for more.
	h := w.Header()
	h.Del("Content-Length")
	h.Set("Content-Encoding", "gzip")
	w.gz = gzipWriters.Get().(*gzip.Writer)
	w.gz.Reset(w.ResponseWriter)
	held := w.buf
	w.buf = nil
	if _, err := w.gz.Write(held); err != nil {
		return 0, err
	}
	return len(b), nil
}

func (w *gzipWriter) WriteString(s string) (int, error) { return w.Write([]byte(s)) }

// finish sends the rest: the end of the compressed stream, or the short answer as it is.
func (w *gzipWriter) finish() error {
	if w.gz != nil {
		err := w.gz.Close()
		w.gz.Reset(nil)
		gzipWriters.Put(w.gz)
		w.gz = nil
		return err
	}
	if len(w.buf) > 0 {
		_, err := w.ResponseWriter.Write(w.buf)
		w.buf = nil
		return err
	}
	return nil
}

// gzipped compresses the answer when the client accepts gzip: a day's route on a slow mobile
// network shrinks to about a fifth.
func gzipped(c *gin.Context) {
	c.Header("Vary", "Accept-Encoding")
	if !acceptsGzip(c.GetHeader("Accept-Encoding")) {
		c.Next()
		return
	}
	plain := c.Writer
	w := &gzipWriter{ResponseWriter: plain}
	c.Writer = w
	defer func() {
		// Also when a handler panics: the recovery's answer goes out plain, and the
		// compressor back to the pool is not written to again.
		c.Writer = plain
		if err := w.finish(); err != nil {
			loggerFrom(c, slog.Default()).Debug("sending a compressed answer", "err", err)
		}
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
