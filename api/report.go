package api

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

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
	// Archived lists the archived reports that match the filter, newest first, and how many
	// match in all.
	Archived(ctx context.Context, f models.ArchiveFilter) ([]*report.Archived, int, error)
	// ArchivedAreas lists the area codes of the archived reports that match the filter but for
	// its Area and page.
	ArchivedAreas(ctx context.Context, f models.ArchiveFilter) ([]string, error)
	// Periods finds a programme by id or code (empty: the current one; invalid: programme) and
	// lists the periods it can be reported for, newest first.
	Periods(ctx context.Context, programme string) (*models.Programme, []report.PeriodInfo, error)
	// ArchivedFile returns an archived report with its content; not_found when unknown.
	ArchivedFile(ctx context.Context, id int64) (*report.Archived, error)
	// Prevalence estimates the prevalence of a resolved coverage query's area and of every unit
	// under it from the year's approved plan samples, as the year's report does (invalid:
	// category, as the samples are drawn on the whole scope).
	Prevalence(ctx context.Context, q models.CoverageQuery) (*report.Prevalence, error)
	// BaseMap is the dashboard's base-map tile server (KIEMTRA_TILE_URL), which the map's data
	// carries; zero when none is configured.
	BaseMap() report.BaseMap
}

func (s *Server) registerReportRoutes(g *gin.RouterGroup) {
	g.GET("/reports", s.report)
	g.GET("/reports/periods", s.reportPeriods)
	g.GET("/reports/archive", s.reportArchive)
	g.GET("/reports/archive/:id", s.reportArchiveFile)
}

// reportQuery reads period (required), format (xlsx, csv or json, or the official report's
// pdf or official.xlsx; default xlsx), programme
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
	if err := checkReportFormat(format); err != nil {
		v.AddError(err)
	}
	if _, given := c.GetQuery("signer"); given && !isOfficial(format) {
		v.Add("signer", "is the official report's (format pdf or official.xlsx)", "chỉ dùng cho báo cáo chính thức (định dạng pdf hoặc official.xlsx)")
	} else if _, err := SignerName(c.Query("signer")); err != nil {
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

// report answers a period report as a workbook, a CSV file or JSON, or the official report
// around it as a PDF or a workbook.
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
	if isOfficial(format) {
		signer, _ := SignerName(c.Query("signer")) // checked by reportQuery
		content, name, contentType, err := s.officialReport(c.Request.Context(), q, rep, format, signer)
		if err != nil {
			s.writeError(c, err)
			return
		}
		c.Header("Cache-Control", "private, no-store")
		c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
		c.Data(http.StatusOK, contentType, content)
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

// reportPeriods lists the periods a programme (?programme=, id or code; default: the current
// one) can be reported for, newest first, so that the dashboard offers what the server accepts.
func (s *Server) reportPeriods(c *gin.Context) {
	prog, periods, err := s.reports.Periods(c.Request.Context(), c.Query("programme"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"programme_id": prog.ID, "programme_code": prog.Code, "items": periods})
}

// Archive pages: DefaultArchiveLimit reports unless ?limit= asks for up to MaxArchiveLimit.
const (
	DefaultArchiveLimit = 50
	MaxArchiveLimit     = 500
)

// ArchivePage is one page of the archive list.
type ArchivePage struct {
	Items  []archivedItem `json:"items"`
	Total  int            `json:"total"` // the reports that match the filters, on every page
	Limit  int            `json:"limit"`
	Offset int            `json:"offset"`
	// NextOffset is the offset of the next page; nil on the last one.
	NextOffset *int `json:"next_offset"`
	// Areas are the units that have reports under the other filters (programme, period,
	// format), in the tree's order: the choices of the area filter.
	Areas []ArchiveArea `json:"areas"`
}

// ArchiveArea is a unit with archived reports, as it was when they were made.
type ArchiveArea struct {
	Code    string `json:"code"` // the unit version
	GSOCode string `json:"gso_code"`
	Name    string `json:"name"`
	Level   string `json:"level"`
	Path    string `json:"-"`
}

// ParseArchiveQuery reads the archive list's filters and page: programme (id or code, as
// given: the handler resolves it), period, area, format, limit (1-500, default 50) and offset.
// Every bad value is named in the error.
func ParseArchiveQuery(q func(string) string) (models.ArchiveFilter, error) {
	f := models.ArchiveFilter{ProgrammeID: q("programme"), Area: q("area"), Limit: DefaultArchiveLimit}
	var v models.Validation
	if p := q("period"); p != "" {
		if per, err := report.ParsePeriod(p); err != nil {
			v.AddError(err)
		} else {
			f.Period = per.String()
		}
	}
	if fm := q("format"); fm != "" {
		f.Format = strings.ToLower(fm)
		if !slices.Contains(report.ArchiveFormats, f.Format) {
			v.Add("format", "the archive keeps xlsx and csv files, not %q", "kho lưu chỉ có tệp xlsx và csv, không có %q", fm)
		}
	}
	if l := q("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > MaxArchiveLimit {
			v.Add("limit", "must be a whole number from 1 to 500", "phải là số nguyên từ 1 đến 500")
		}
		f.Limit = n
	}
	if o := q("offset"); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 {
			v.Add("offset", "must be a whole number, 0 or more", "phải là số nguyên không âm")
		}
		f.Offset = n
	}
	return f, v.Err()
}

// reportArchive lists the archived reports the caller may read that match the filters, newest
// first, a page at a time. A unit outside the caller's jurisdiction is not found, as an unknown
// one is.
func (s *Server) reportArchive(c *gin.Context) {
	f, err := ParseArchiveQuery(c.Query)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	p := principal(c)
	if !p.CityWide() {
		f.AreaPath = p.AreaPath
	}
	if f.ProgrammeID != "" {
		prog, err := s.plans.FindProgrammeByID(ctx, f.ProgrammeID)
		if models.IsCode(err, models.ENOTFOUND) {
			s.writeError(c, models.Invalid("programme", "unknown programme %q", "không có chương trình %q", f.ProgrammeID))
			return
		}
		if err != nil {
			s.writeError(c, err)
			return
		}
		f.ProgrammeID = prog.ID
	}
	if f.Area != "" {
		// The unit's version the code names today, or the one it named last (an ended
		// district's reports stay under its code).
		a, err := s.store.FindAreaOn(ctx, f.Area, s.today())
		if models.IsCode(err, models.ENOTFOUND) || err == nil && !p.CityWide() && !p.Covers(a.Path) {
			s.writeError(c, models.NotFound("area", "area "+f.Area+" not found", "không tìm thấy khu vực "+f.Area))
			return
		}
		if err != nil {
			s.writeError(c, err)
			return
		}
	}
	items, total, err := s.reports.Archived(ctx, f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	// The units a unit filter can choose from: those with reports under the other filters.
	withReports, err := s.reports.ArchivedAreas(ctx, f)
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
	for _, code := range withReports {
		if !seen[code] {
			seen[code] = true
			codes = append(codes, code)
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
	page := ArchivePage{Items: out, Total: total, Limit: f.Limit, Offset: f.Offset, Areas: make([]ArchiveArea, 0, len(withReports))}
	for _, code := range withReports {
		a := ArchiveArea{Code: code, GSOCode: code}
		if u := units[code]; u != nil {
			a.GSOCode, a.Name, a.Level, a.Path = u.OfficialCode(), u.Name, u.Level, u.Path
		}
		page.Areas = append(page.Areas, a)
	}
	// Each unit under the one above it, as the tree reads.
	sort.SliceStable(page.Areas, func(i, j int) bool { return page.Areas[i].Path < page.Areas[j].Path })
	if next := f.Offset + len(items); len(items) > 0 && next < total {
		page.NextOffset = &next
	}
	c.JSON(http.StatusOK, page)
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
