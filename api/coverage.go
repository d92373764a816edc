package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
	"kiemtra/report"
)

// CoverageService computes progress against the programme's targets.
type CoverageService interface {
	// Resolve checks a query and fills it: the as-of day, the area's unit version in force that
	// day, the level (invalid: year, level, area, category; not_found: area).
	Resolve(ctx context.Context, q *models.CoverageQuery) error
	Coverage(ctx context.Context, q models.CoverageQuery) (*models.Coverage, error)
	Points(ctx context.Context, q models.CoverageQuery) ([]models.BusinessCoverage, error)
	Burndown(ctx context.Context, q models.CoverageQuery) (*models.Burndown, error)
	Today() models.Date
}

func (s *Server) registerCoverageRoutes(g *gin.RouterGroup) {
	g.GET("/coverage", gzipped, s.coverage)
	g.GET("/coverage.geojson", gzipped, s.coverageGeoJSON)
	g.GET("/coverage/burndown", gzipped, s.burndown)
}

func (s *Server) burndown(c *gin.Context) {
	q, err := s.coverageQuery(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	b, err := s.coverageSvc.Burndown(c.Request.Context(), q)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, b)
}

// coverageQuery reads the query string: programme (id or code; default the one running today),
// year, level (one of the levels of the units in force on the as-of day; default the one below
// the area), area (an official code or a unit version, named on the as-of day; default and
// limit: the caller's jurisdiction), category.
func (s *Server) coverageQuery(c *gin.Context) (models.CoverageQuery, error) {
	ctx := c.Request.Context()
	var q models.CoverageQuery
	var v models.Validation
	if y := c.Query("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			v.Add("year", "must be a year such as 2026", "phải là một năm, ví dụ 2026")
		}
		q.Year = n
	}
	q.Level, q.Category = c.Query("level"), c.Query("category")
	if err := v.Err(); err != nil {
		return q, err
	}
	prog, err := s.programmeFor(ctx, c.Query("programme"), q.Year)
	if err != nil {
		return q, err
	}
	q.Programme = prog
	p := principal(c)
	asked := c.Query("area")
	q.Area = asked
	switch {
	case q.Area == "" && prog.RootAreaCode != nil && p.CityWide():
		q.Area = *prog.RootAreaCode
	case q.Area == "":
		q.Area = p.AreaCode
	}
	// An official code names a unit only with a day (the period's last): the jurisdiction is
	// checked on the unit it names then, and a unit outside it is not found, whatever else is
	// wrong with it.
	notFound := models.NotFound("area", "area "+asked+" not found", "không tìm thấy khu vực "+asked)
	if err := s.coverageSvc.Resolve(ctx, &q); err != nil {
		if asked != "" && !p.CityWide() && models.ErrorAs(err) != nil && models.ErrorAs(err).Field == "area" {
			return q, notFound
		}
		return q, err
	}
	if asked != "" && !s.visibleArea(c, q.Area) {
		return q, notFound
	}
	return q, nil
}

// programmeFor finds the programme asked for, or the one running on the year (or today).
func (s *Server) programmeFor(ctx context.Context, idOrCode string, year int) (*models.Programme, error) {
	if idOrCode != "" {
		p, err := s.plans.FindProgrammeByID(ctx, idOrCode)
		if models.IsCode(err, models.ENOTFOUND) {
			return nil, models.Invalid("programme", "unknown programme %q", "không có chương trình %q", idOrCode)
		}
		return p, err
	}
	progs, err := s.plans.FindProgrammes(ctx)
	if err != nil {
		return nil, err
	}
	if year == 0 {
		year = s.coverageSvc.Today().Year
	}
	for _, p := range progs {
		if p.HasYear(year) {
			return p, nil
		}
	}
	if len(progs) > 0 {
		return progs[0], nil
	}
	return nil, models.Invalid("programme", "no programme is set up yet", "chưa có chương trình nào")
}

func (s *Server) coverage(c *gin.Context) {
	q, err := s.coverageQuery(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	ans := coverageAnswer{}
	// The two read the same units but nothing of each other: they run side by side, so that
	// the estimate costs the dashboard's first render no more than its own reading.
	var prevErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		// The plan's sample is drawn on the programme's whole scope: no estimate for one category.
		if s.reports != nil && q.Category == "" {
			ans.Prevalence, prevErr = s.reports.Prevalence(ctx, q)
		}
	}()
	ans.Coverage, err = s.coverageSvc.Coverage(ctx, q)
	<-done
	if err == nil {
		err = prevErr
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, ans)
}

// coverageAnswer is the answer of GET /coverage: the figures of the units, and the estimated
// prevalence of the same units from the year's plan sample, computed as the year's report does
// (null for one category: the sample is drawn on the whole scope).
type coverageAnswer struct {
	*models.Coverage
	Prevalence *report.Prevalence `json:"prevalence"`
}

// coverageGeoJSON answers a FeatureCollection of the areas of the level with their figures as
// properties, and with points=true the businesses as points with their status. It is written
// by hand, not through encoding/json: a city's 100,000 businesses must reach a planner's map
// in a fraction of a second.
func (s *Server) coverageGeoJSON(c *gin.Context) {
	ctx := c.Request.Context()
	q, err := s.coverageQuery(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	points, err := boolQuery(c, "points")
	if err != nil {
		s.writeError(c, err)
		return
	}
	cov, err := s.coverageSvc.Coverage(ctx, q)
	if err != nil {
		s.writeError(c, err)
		return
	}
	areas, _, err := s.store.FindAreas(ctx, models.AreaFilter{Under: q.Area, Level: q.Level, On: cov.UnitsOn})
	if err != nil {
		s.writeError(c, err)
		return
	}
	geom := make(map[string]string, len(areas))
	for _, a := range areas {
		geom[a.Code] = a.Geometry
	}
	var pts []models.BusinessCoverage
	if points {
		if pts, err = s.coverageSvc.Points(ctx, q); err != nil {
			s.writeError(c, err)
			return
		}
	}
	buf := make([]byte, 0, 64<<10+len(pts)*200)
	buf = append(buf, `{"type":"FeatureCollection","as_of":"`...)
	buf = append(buf, cov.AsOf.String()...)
	buf = append(buf, `","year":`...)
	buf = strconv.AppendInt(buf, int64(cov.Year), 10)
	buf = append(buf, `,"programme_code":`...)
	buf = appendJSONString(buf, cov.ProgrammeCode)
	buf = append(buf, `,"units_on":"`...)
	buf = append(buf, cov.UnitsOn.String()...)
	buf = append(buf, '"')
	// The dashboard's base map is configured on the server (KIEMTRA_TILE_URL) and reaches the
	// page with the map's data, as a foreign member of the collection.
	if s.reports != nil {
		if bm := s.reports.BaseMap(); bm.TileURL != "" {
			buf = append(buf, `,"base_map":{"tile_url":`...)
			buf = appendJSONString(buf, bm.TileURL)
			if bm.Attribution != "" {
				buf = append(buf, `,"attribution":`...)
				buf = appendJSONString(buf, bm.Attribution)
			}
			buf = append(buf, '}')
		}
	}
	buf = append(buf, `,"features":[`...)
	first := true
	for _, r := range cov.Rows {
		if !first {
			buf = append(buf, ',')
		}
		first = false
		props, err := json.Marshal(r)
		if err != nil {
			s.writeError(c, err)
			return
		}
		buf = append(buf, `{"type":"Feature","id":`...)
		buf = appendJSONString(buf, r.AreaCode)
		buf = append(buf, `,"geometry":`...)
		if g := geom[r.AreaCode]; g != "" {
			buf = append(buf, g...)
		} else {
			buf = append(buf, "null"...)
		}
		buf = append(buf, `,"properties":`...)
		buf = append(buf, props[:len(props)-1]...)
		buf = append(buf, `,"kind":"area"}}`...)
	}
	for _, p := range pts {
		if !first {
			buf = append(buf, ',')
		}
		first = false
		buf = appendPointFeature(buf, p)
	}
	buf = append(buf, "]}"...)
	c.Data(http.StatusOK, "application/geo+json; charset=utf-8", buf)
}

// appendPointFeature writes one business as a GeoJSON Point feature.
func appendPointFeature(buf []byte, p models.BusinessCoverage) []byte {
	buf = append(buf, `{"type":"Feature","id":`...)
	buf = appendJSONString(buf, p.ID)
	buf = append(buf, `,"geometry":{"type":"Point","coordinates":[`...)
	buf = strconv.AppendFloat(buf, p.Lon, 'f', -1, 64)
	buf = append(buf, ',')
	buf = strconv.AppendFloat(buf, p.Lat, 'f', -1, 64)
	buf = append(buf, `]},"properties":{"kind":"business","name":`...)
	buf = appendJSONString(buf, p.Name)
	buf = append(buf, `,"category":`...)
	buf = appendJSONString(buf, p.Category)
	buf = append(buf, `,"area_code":`...)
	buf = appendJSONString(buf, p.AreaCode)
	buf = append(buf, `,"status":"`...)
	buf = append(buf, p.Status...)
	buf = append(buf, `","last_inspected":`...)
	if p.LastInspected.IsZero() {
		buf = append(buf, "null"...)
	} else {
		buf = append(buf, '"')
		buf = append(buf, p.LastInspected.String()...)
		buf = append(buf, '"')
	}
	return append(buf, "}}"...)
}

// appendJSONString writes s as a JSON string: quotes, backslashes and control characters
// escaped, valid UTF-8 passed through (Vietnamese stays readable), invalid bytes replaced.
func appendJSONString(buf []byte, s string) []byte {
	if plainJSON(s) {
		buf = append(buf, '"')
		buf = append(buf, s...)
		return append(buf, '"')
	}
	const hex = "0123456789abcdef"
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				buf = append(buf, '\\', c)
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				buf = append(buf, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				buf = append(buf, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			buf = append(buf, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			buf = append(buf, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}

// plainJSON reports whether s can be written between quotes as it is: the common case of a
// business name, which only the rare quote or control character spoils.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
		if c == 0xe2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9) {
			return false // U+2028, U+2029
		}
	}
	return utf8.ValidString(s)
}
