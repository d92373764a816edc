package api

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"kiemtra/models"
	"kiemtra/refdata"
	"kiemtra/store/storetest"
	"kiemtra/web"
)

// TestReferenceTablesArePublicAndComplete: the tables are served without a sign-in (the public
// tip form and the sign-in page name codes too) and carry the names the front-ends show; the
// office app's and the shared modules' files are served as well.
func TestReferenceTablesArePublicAndComplete(t *testing.T) {
	ref, err := refdata.Reference(models.OnSiteRule{RadiusM: 100, MaxAccuracyM: 250})
	if err != nil {
		t.Fatal(err)
	}
	assets, err := web.NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{Store: storetest.NewSQLite(t, storetest.Options{}), Readiness: readiness{}, Web: assets, Reference: ref,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	w := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/api/v1/reference", nil)
	s.ServeHTTP(w, req)
	if w.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/reference without a sign-in: %d %s", w.Code, w.Body)
	}
	checkContract(t, req, nil, w)
	var got models.Reference
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Categories) == 0 || len(got.Violations) == 0 || got.OnSite.RadiusM != 100 {
		t.Errorf("tables: %d categories, %d violations, on site %+v", len(got.Categories), len(got.Violations), got.OnSite)
	}
	if l := got.Labels[models.LabelRole][models.RoleTipOfficer]; l.VI != "Cán bộ tiếp nhận tin báo" {
		t.Errorf("the tip officer's role is named %+v", l)
	}
	for _, path := range []string{"/office/", "/office/js/main.js", "/shared/js/api.js", "/shared/js/ref.js"} {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		if w.Code != http.StatusOK {
			t.Errorf("GET %s: %d", path, w.Code)
		}
	}
	// A refusal names the role in words, not by its code.
	req = httptest.NewRequest(http.MethodGet, "/api/v1/programmes", nil)
	req = req.WithContext(WithPrincipal(req.Context(), &Principal{UserID: "u", Username: "tips", Role: models.RoleTipOfficer, AreaCode: "92", AreaPath: "/92/"}))
	w = httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "Cán bộ tiếp nhận tin báo") || strings.Contains(w.Body.String(), "tip_officer") {
		t.Errorf("a tip officer refused reads %d %s", w.Code, w.Body)
	}
}
