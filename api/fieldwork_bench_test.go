package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"kiemtra/store"
	"kiemtra/store/storetest"
)

// benchDay is the field tests' city on one dialect, and a request for team A's day as its
// first inspector, with the tag of the current answer.
func benchDay(b *testing.B, dialect string) (get func(etag string) int, etag string) {
	b.Helper()
	clk := &testClock{t: at(6, 0)}
	var db *store.DB
	if dialect == store.DialectPostgres {
		db = storetest.NewPostgres(b, storetest.Options{Now: clk.Now})
	} else {
		db = storetest.NewSQLite(b, storetest.Options{Now: clk.Now})
	}
	env := newFieldEnv(b, db, clk)
	ctx := WithPrincipal(context.Background(), env.a1)
	get = func(etag string) int {
		req := httptest.NewRequest("GET", "/api/v1/me/assignments", nil).WithContext(ctx)
		req.Header.Set("Accept-Encoding", "gzip")
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		w := httptest.NewRecorder()
		env.srv.ServeHTTP(w, req)
		if w.Code != http.StatusOK && w.Code != http.StatusNotModified {
			b.Fatalf("assignments: %d %s", w.Code, w.Body)
		}
		return w.Code
	}
	req := httptest.NewRequest("GET", "/api/v1/me/assignments", nil).WithContext(ctx)
	w := httptest.NewRecorder()
	env.srv.ServeHTTP(w, req)
	return get, w.Header().Get("ETag")
}

// BenchmarkAssignments304 answers a phone whose day has not changed: If-None-Match with the
// current tag, the commonest request of the mobile API. BenchmarkAssignmentsFull answers the
// whole day (7 visits, gzip asked), for the ratio. The caller is already authenticated.
func BenchmarkAssignments304(b *testing.B) {
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		b.Run(dialect, func(b *testing.B) {
			get, etag := benchDay(b, dialect)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if get(etag) != http.StatusNotModified {
					b.Fatal("the current tag did not get 304")
				}
			}
		})
	}
}

func BenchmarkAssignmentsFull(b *testing.B) {
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		b.Run(dialect, func(b *testing.B) {
			get, _ := benchDay(b, dialect)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if get("") != http.StatusOK {
					b.Fatal("a full day did not get 200")
				}
			}
		})
	}
}
