package models

import "testing"

func TestLookupRecordsReadBack(t *testing.T) {
	for _, tc := range []struct {
		details, kind, text, purpose string
		names                        int
	}{
		{`{"query":"q=hoa hong","purpose":"HS-1","businesses":["a","b"],"names":["A","B"]}`, "q", "hoa hong", "HS-1", 2},
		{`{"query":"licence_no=L=1","purpose":"HS-2","businesses":["a"]}`, "licence_no", "L=1", "HS-2", 0},
		{`{"query":"L9999","purpose":"renewal","businesses":null}`, "", "L9999", "renewal", 0},
		{`not json`, "", "", "", 0},
	} {
		r := ParseLookupRecord(tc.details)
		kind, text := r.QueryParts()
		if kind != tc.kind || text != tc.text || r.Purpose != tc.purpose || len(r.BusinessNames) != tc.names {
			t.Errorf("%s: %q %q %+v", tc.details, kind, text, r)
		}
	}
}
