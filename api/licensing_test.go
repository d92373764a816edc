package api

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// The desk prints a record of each lookup: the answer carries the lookup's audit id, the officer
// by name, the purpose and the time, and the officer's history shows the lookup with the
// businesses it named.
func TestALicensingCheckCarriesItsRecordAndShowsInTheHistory(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		h := newPlanServer(t, db).srv
		u := &models.User{Username: "police", DisplayName: "Lê Văn Cấp Phép", Role: models.RoleLicensingOfficer, Agency: models.AgencyPolice, AreaCode: "92"}
		if err := db.CreateUser(ctx, "t", u); err != nil {
			t.Fatal(err)
		}
		police := &Principal{UserID: u.ID, Username: "police", Role: models.RoleLicensingOfficer, AreaCode: "92", AreaPath: "/92/"}
		type record struct {
			LookupID int64 `json:"lookup_id"`
			Officer  struct {
				Username    string `json:"username"`
				DisplayName string `json:"display_name"`
			} `json:"officer"`
			Purpose    string `json:"purpose"`
			CheckedAt  string `json:"checked_at"`
			Business   *models.Business
			AreaName   string `json:"area_name"`
			Candidates []struct {
				ID       string  `json:"id"`
				Name     string  `json:"name"`
				Lat      float64 `json:"lat"`
				AreaName string  `json:"area_name"`
			} `json:"candidates"`
		}
		get := func(query string, want int) record {
			t.Helper()
			w := doAs(t, h, police, "GET", "/api/v1/licensing/check?"+query, "")
			var r record
			if w.Code != want || json.Unmarshal(w.Body.Bytes(), &r) != nil || r.LookupID <= 0 || r.Officer.Username != "police" ||
				r.Officer.DisplayName != "Lê Văn Cấp Phép" || r.Purpose != "HS-2026-301" || r.CheckedAt == "" {
				t.Fatalf("GET %s: %d %s", query, w.Code, w.Body)
			}
			return r
		}
		exact := get("licence_no=L0007&purpose=HS-2026-301", 200)
		if exact.Business == nil || exact.Business.Name != "Karaoke 7" || exact.AreaName != "Phường D22" || exact.Candidates != nil {
			t.Fatalf("exact: %+v", exact)
		}
		search := get("q=karaoke+11&purpose="+url.QueryEscape(" HS-2026-301 "), 200)
		if search.Business != nil || len(search.Candidates) == 0 || search.Candidates[0].Lat != 10 || search.Candidates[0].AreaName == "" || search.LookupID <= exact.LookupID {
			t.Fatalf("search: %+v", search)
		}
		missing := get("tax_code=0000000000&purpose=HS-2026-301", 404)

		// Without a purpose nothing is answered, the message says so in Vietnamese, and nothing
		// is audited.
		w := doAs(t, h, police, "GET", "/api/v1/licensing/check?q=karaoke", "")
		if e := decodeError(t, w); w.Code != 400 || e.Field != "purpose" || !strings.Contains(e.Message, "lý do tra cứu") || strings.Contains(w.Body.String(), "Karaoke") {
			t.Fatalf("without a purpose: %d %s", w.Code, w.Body)
		}

		// A lookup audited before names were kept is named by the business's name today.
		if err := db.RecordLookup(ctx, "police", []string{exact.Business.ID}, "L0007", "HS-old"); err != nil {
			t.Fatal(err)
		}

		w = doAs(t, h, police, "GET", "/api/v1/licensing/lookups", "")
		var page struct {
			Items []struct {
				ID         int64  `json:"id"`
				At         string `json:"at"`
				Actor      string `json:"actor"`
				Purpose    string `json:"purpose"`
				Kind       string `json:"kind"`
				Text       string `json:"text"`
				Businesses []struct {
					ID   string `json:"id"`
					Name string `json:"name"`
				} `json:"businesses"`
			} `json:"items"`
			NextBefore *int64 `json:"next_before"`
		}
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &page) != nil || len(page.Items) != 4 || page.NextBefore != nil {
			t.Fatalf("lookups: %d %s", w.Code, w.Body)
		}
		if old := page.Items[0]; old.Kind != "" || old.Text != "L0007" || len(old.Businesses) != 1 || old.Businesses[0].Name != "Karaoke 7" {
			t.Fatalf("the lookup audited without names: %+v", old)
		}
		newest, middle, oldest := page.Items[1], page.Items[2], page.Items[3]
		if newest.ID != missing.LookupID || newest.Kind != "tax_code" || newest.Text != "0000000000" || len(newest.Businesses) != 0 || newest.At == "" {
			t.Fatalf("the not-found lookup: %+v", newest)
		}
		if middle.ID != search.LookupID || middle.Kind != "q" || middle.Text != "karaoke 11" || middle.Purpose != "HS-2026-301" || len(middle.Businesses) != len(search.Candidates) ||
			middle.Businesses[0].Name == "" {
			t.Fatalf("the search: %+v", middle)
		}
		if oldest.ID != exact.LookupID || oldest.Kind != "licence_no" || len(oldest.Businesses) != 1 || oldest.Businesses[0].ID != exact.Business.ID ||
			oldest.Businesses[0].Name != "Karaoke 7" || oldest.Actor != "police" {
			t.Fatalf("the exact lookup: %+v", oldest)
		}
	})
}
