package geo

import (
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"kiemtra/models"
)

func TestParseGeometry(t *testing.T) {
	for _, tc := range []struct {
		name    string
		text    string
		want    orb.Geometry
		wantErr string // a part of the English message; "" for success
	}{
		{"a polygon becomes an orb.Polygon",
			`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}`,
			orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, ""},
		{"a multipolygon becomes an orb.MultiPolygon",
			`{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}`,
			orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, {{{5, 5}, {6, 5}, {6, 6}, {5, 5}}}}, ""},
		{"a polygon with a hole keeps the hole",
			`{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[1,2],[2,2],[1,1]]]}`,
			orb.Polygon{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {1, 2}, {2, 2}, {1, 1}}}, ""},
		{"an altitude is dropped",
			`{"type":"Polygon","coordinates":[[[0,0,5],[1,0,5],[1,1,5],[0,0,5]]]}`,
			orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, ""},
		{"an unclosed ring is closed",
			`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}`,
			orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}, ""},
		{"a point is refused by name", `{"type":"Point","coordinates":[105.7,10.0]}`, nil, `"Point" is not Polygon or MultiPolygon`},
		{"a line string is refused by name", `{"type":"LineString","coordinates":[[0,0],[1,1]]}`, nil, `"LineString"`},
		{"a feature is refused by name", `{"type":"Feature","geometry":null}`, nil, `"Feature"`},
		{"text that is not JSON is refused", `POLYGON((0 0, 1 0, 1 1, 0 0))`, nil, "not a GeoJSON object"},
		{"a geometry without a type is refused", `{"coordinates":[]}`, nil, "has no type"},
		{"a polygon without coordinates is refused", `{"type":"Polygon"}`, nil, "has no coordinates"},
		{"coordinates nested as a line are refused", `{"type":"Polygon","coordinates":[[0,0],[1,0],[1,1],[0,0]]}`, nil, "not those of a Polygon"},
		{"an empty multipolygon is refused", `{"type":"MultiPolygon","coordinates":[]}`, nil, "has no polygons"},
		{"a polygon without rings is refused", `{"type":"Polygon","coordinates":[]}`, nil, "polygon 0 has no rings"},
		{"a ring of three positions is refused", `{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}`, nil, "ring 0 of polygon 0 has 3 positions"},
		{"a position of one number is refused", `{"type":"Polygon","coordinates":[[[0,0],[1],[1,1],[0,0]]]}`, nil, "position 1 of ring 0 of polygon 0 has 1 numbers"},
		{"a null coordinate is refused rather than read as 0", `{"type":"Polygon","coordinates":[[[0,0],[null,0],[1,1],[0,0]]]}`, nil, "null"},
		{"a coordinate too large for a float is refused", `{"type":"Polygon","coordinates":[[[0,0],[1e999,0],[1,1],[0,0]]]}`, nil, "not a number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseGeometry(tc.text)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseGeometry succeeded with %v, want an error containing %q", got, tc.wantErr)
				}
				e := models.ErrorAs(err)
				if e == nil || e.Code != models.EINVALID {
					t.Fatalf("error %v is not an invalid *models.Error", err)
				}
				if !strings.Contains(e.Message, tc.wantErr) {
					t.Fatalf("error %q does not contain %q", e.Message, tc.wantErr)
				}
				if e.MessageVI == "" || e.MessageVI == e.Message {
					t.Fatalf("error has no Vietnamese message: %q", e.MessageVI)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseGeometry: %v", err)
			}
			if !orb.Equal(got, tc.want) {
				t.Fatalf("ParseGeometry = %#v, want %#v", got, tc.want)
			}
		})
	}
}

func TestLabelPoint(t *testing.T) {
	// A U open to the north: its centroid lies in the notch, outside.
	u := orb.Polygon{{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}}
	// A frame: a square with a square hole around the centroid.
	frame := orb.Polygon{square(0, 0, 4), reversed(square(1, 1, 2))}
	// A thin diagonal sliver that the fixed scan lines can miss.
	sliver := orb.Polygon{{{0, 0}, {10, 10}, {10, 10.001}, {0, 0}}}
	for _, tc := range []struct {
		name   string
		g      orb.Geometry
		want   *orb.Point // nil: any point inside
		inside orb.Polygon
		ok     bool
	}{
		{"a square's label is its centroid", orb.Polygon{square(0, 0, 2)}, &orb.Point{1, 1}, orb.Polygon{square(0, 0, 2)}, true},
		{"a U-shape's label is inside although its centroid is not", u, nil, u, true},
		{"a frame's label is on the frame, not in the hole", frame, nil, frame, true},
		{"a thin sliver still gets a label inside", sliver, nil, sliver, true},
		{"a multipolygon's label is in its largest part",
			orb.MultiPolygon{{square(0, 0, 1)}, {square(10, 10, 3)}}, &orb.Point{11.5, 11.5}, orb.Polygon{square(10, 10, 3)}, true},
		{"a polygon without area has no label", orb.Polygon{{{0, 0}, {1, 1}, {2, 2}, {0, 0}}}, nil, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := LabelPoint(tc.g)
			if ok != tc.ok {
				t.Fatalf("LabelPoint ok = %v, want %v", ok, tc.ok)
			}
			if !ok {
				return
			}
			if tc.want != nil && (!almostEqual(p[0], tc.want[0], 1e-9) || !almostEqual(p[1], tc.want[1], 1e-9)) {
				t.Fatalf("LabelPoint = %v, want %v", p, *tc.want)
			}
			if !planar.PolygonContains(tc.inside, p) {
				t.Fatalf("LabelPoint = %v is not inside %v", p, tc.inside)
			}
			if newEdgeIndex(tc.inside).nearBoundary(p, 0) {
				t.Fatalf("LabelPoint = %v is on the boundary", p)
			}
		})
	}
}
