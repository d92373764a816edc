package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
	"kiemtra/report"
)

// ReportService computes the period reports and keeps those of closed periods.
type ReportService interface {
	// Resolve checks a query (invalid: period, programme; not_found: area) and fills it.
	Resolve(ctx context.Context, q *report.Query) error
	// Build computes a resolved query's report.
	Build(ctx context.Context, q report.Query) (*report.Report, error)
	// Archived lists archived reports of areas under areaPath (all when empty), newest first.
	Archived(ctx context.Context, areaPath string, limit int) ([]*report.Archived, error)
	// ArchivedFile returns an archived report with its content; not_found when unknown.
	ArchivedFile(ctx context.Context, id int64) (*report.Archived, error)
	// BaseMap is the dashboard's base-map tile server (KIEMTRA_TILE_URL), which the map's data
	// carries; zero when none is configured.
	BaseMap() report.BaseMap
}

func (s *Server) registerReportRoutes(g *gin.RouterGroup) {
	g.GET("/reports", s.report)
	g.GET("/reports/archive", s.reportArchive)
	g.GET("/reports/archive/:id", s.reportArchiveFile)
}

// reportQuery reads period (required), format (xlsx, csv or json; default xlsx), programme
// (default: the one that ran in the period) and area (default and limit: the caller's
// jurisdiction; for city-wide callers the programme's area).
func (s *Server) reportQuery(c *gin.Context) (report.Query, string, error) {
	var q report.Query
	var v models.Validation
	if c.Query("period") == "" {
		v.Add("period", "is required: a year (2025), a half-year (2025-H1) or a quarter (2025-Q4)", "bắt buộc: một năm (2025), nửa năm (2025-H1) hoặc một quý (2025-Q4)")
	} else if per, err := report.ParsePeriod(c.Query("period")); err != nil {
		v.AddError(err)
	} else {
		q.Period = per
	}
	format := c.DefaultQuery("format", report.FormatXLSX)
	if err := report.CheckFormat(format); err != nil {
		v.AddError(err)
	}
	if err := v.Err(); err != nil {
		return q, "", err
	}
	q.Programme = c.Query("programme")
	p := principal(c)
	asked := c.Query("area")
	q.Area = asked
	if q.Area == "" && !p.CityWide() {
		q.Area = p.AreaCode
	}
	// The area is the unit its code names on the period's last day; one outside the caller's
	// jurisdiction is not found, whatever else is wrong with it.
	notFound := models.NotFound("area", "area "+asked+" not found", "không tìm thấy khu vực "+asked)
	if err := s.reports.Resolve(c.Request.Context(), &q); err != nil {
		if asked != "" && !p.CityWide() && models.ErrorAs(err) != nil && models.ErrorAs(err).Field == "area" {
			return q, "", notFound
		}
		return q, "", err
	}
	if asked != "" && !s.visibleArea(c, q.Area) {
		return q, "", notFound
	}
	return q, format, nil
}

// report answers a period report as a workbook, a CSV file or JSON.
func (s *Server) report(c *gin.Context) {
	q, format, err := s.reportQuery(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	rep, err := s.reports.Build(c.Request.Context(), q)
	if err != nil {
		s.writeError(c, err)
		return
	}
	content, err := report.Render(rep, format)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "private, no-store")
	if format == report.FormatJSON {
		c.Data(http.StatusOK, report.ContentType(format), content)
		return
	}
	writeFile(c, rep.FileName(format), format, content)
}

// writeFile answers a report file as a download.
func writeFile(c *gin.Context, name, format string, content []byte) {
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Data(http.StatusOK, report.ContentType(format), content)
}

// reportArchive lists the archived reports the caller may read, newest first.
func (s *Server) reportArchive(c *gin.Context) {
	limit := 100
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			s.writeError(c, models.Invalid("limit", "must be a whole number from 1 to 500", "phải là số nguyên từ 1 đến 500"))
			return
		}
		limit = n
	}
	areaPath := ""
	if p := principal(c); !p.CityWide() {
		areaPath = p.AreaPath
	}
	ctx := c.Request.Context()
	items, err := s.reports.Archived(ctx, areaPath, limit)
	if err != nil {
		s.writeError(c, err)
		return
	}
	// A kept report is of the unit version it was made on (a district that ended since): named
	// as it was, by its official code.
	var codes []string
	seen := map[string]bool{}
	for _, a := range items {
		if !seen[a.AreaCode] {
			seen[a.AreaCode] = true
			codes = append(codes, a.AreaCode)
		}
	}
	units := map[string]*models.Area{}
	if len(codes) > 0 {
		areas, _, err := s.store.FindAreas(ctx, models.AreaFilter{Codes: codes, NoGeometry: true})
		if err != nil {
			s.writeError(c, err)
			return
		}
		for _, a := range areas {
			units[a.Code] = a
		}
	}
	out := make([]archivedItem, 0, len(items))
	for _, a := range items {
		it := archivedItem{Archived: a, AreaGSOCode: a.AreaCode}
		if u := units[a.AreaCode]; u != nil {
			it.AreaGSOCode, it.AreaName = u.OfficialCode(), u.Name
		}
		out = append(out, it)
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

// archivedItem is a kept report with its unit as users know it.
type archivedItem struct {
	*report.Archived
	AreaGSOCode string `json:"area_gso_code"`
	AreaName    string `json:"area_name"`
}

// reportArchiveFile downloads an archived report; one outside the caller's jurisdiction is not
// found.
func (s *Server) reportArchiveFile(c *gin.Context) {
	notFound := models.NotFound("report", "report not found", "không tìm thấy báo cáo")
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		s.writeError(c, notFound)
		return
	}
	a, err := s.reports.ArchivedFile(c.Request.Context(), id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if !s.visibleArea(c, a.AreaCode) {
		s.writeError(c, notFound)
		return
	}
	c.Header("Cache-Control", "private, max-age=86400, immutable")
	c.Header("ETag", `"`+a.SHA256+`"`)
	writeFile(c, a.FileName, a.Format, a.Content)
}
