package api

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"kiemtra/indicators"
	"kiemtra/models"
)

// Indicators keeps the programme's indicators beyond inspections (indicators.Service).
type Indicators interface {
	// Programme finds a programme by id or code (invalid: programme).
	Programme(ctx context.Context, id string) (*models.Programme, error)
	// Set is the programme's set (the default one, version 0, until edited).
	Set(ctx context.Context, p *models.Programme) (*models.IndicatorSet, error)
	// SaveSet replaces the set when version is current (invalid, conflict).
	SaveSet(ctx context.Context, actor string, p *models.Programme, version int, list []*models.Indicator) (*models.IndicatorSet, error)
	// Submit records a figure as a new version (invalid, forbidden: unit; conflict; not_found: indicator).
	Submit(ctx context.Context, c indicators.Caller, code string, in indicators.SubmitInput) (*models.IndicatorSubmission, bool, error)
	// Review accepts or returns a figure (forbidden; invalid: comment; conflict).
	Review(ctx context.Context, c indicators.Caller, id string, accept bool, comment string) (*models.IndicatorSubmission, error)
	// Attach stores a file of evidence (invalid, too_large, unsupported_media).
	Attach(ctx context.Context, actor, name string, content []byte) (*models.IndicatorAttachment, error)
	// Owed lists who has not submitted a period's figures (mine: only the caller's units).
	Owed(ctx context.Context, p *models.Programme, per models.ReportingPeriod, mine *indicators.Caller) ([]indicators.Owed, error)
	// Reminders lists the figures owed for the periods due soon or just locked.
	Reminders(ctx context.Context, p *models.Programme, c indicators.Caller, all bool) ([]indicators.Owed, error)
	// Progress is every indicator against its target for a period (invalid: area).
	Progress(ctx context.Context, p *models.Programme, per models.ReportingPeriod, area string) (*indicators.Progress, error)
	// UnitNames names the units of submissions by their codes (local units, agencies).
	UnitNames(ctx context.Context, codes []string) (map[string]string, error)
	// MayRead reports whether the caller may read a submission.
	MayRead(ctx context.Context, c indicators.Caller, sub *models.IndicatorSubmission) (bool, error)
	// ReportNotes are the official report's difficulties and proposals of a period.
	ReportNotes(ctx context.Context, p *models.Programme, per models.ReportingPeriod) (*models.ReportNotes, error)
	// SaveReportNotes replaces them when the version is current (invalid, conflict).
	SaveReportNotes(ctx context.Context, actor string, p *models.Programme, per models.ReportingPeriod, in models.ReportNotesInput) (*models.ReportNotes, error)
}

func (s *Server) registerIndicatorRoutes(g *gin.RouterGroup) {
	g.GET("/programmes/:id/indicators", s.indicatorSet)
	g.PUT("/programmes/:id/indicators", s.saveIndicatorSet)
	g.GET("/indicators/report-notes", s.reportNotes)
	g.PUT("/indicators/report-notes", s.saveReportNotes)
	g.GET("/indicators/progress", s.indicatorProgress)
	g.GET("/indicators/owed", s.indicatorOwed)
	g.GET("/indicators/reminders", s.indicatorReminders)
	g.POST("/indicators/:code/submissions", s.submitIndicator)
	g.GET("/indicators/submissions", s.listSubmissions)
	g.GET("/indicators/submissions/:id", s.getSubmission)
	g.POST("/indicators/submissions/:id/accept", s.acceptSubmission)
	g.POST("/indicators/submissions/:id/return", s.returnSubmission)
	g.POST("/indicators/attachments", s.uploadAttachment)
	g.GET("/indicators/attachments/:id", s.getAttachment)
	s.bodyLimits[g.BasePath()+"/indicators/attachments"] = models.MaxAttachmentBytes + 64<<10
}

// indicatorCaller is the caller as the indicator rules see it.
func indicatorCaller(c *gin.Context) indicators.Caller {
	p := principal(c)
	return indicators.Caller{Username: p.Username, Role: p.Role, Agency: p.Agency, CityWide: p.CityWide(), Covers: p.Covers}
}

func (s *Server) indicatorSet(c *gin.Context) {
	ctx := c.Request.Context()
	p, err := s.indicators.Programme(ctx, c.Param("id"))
	if models.IsCode(err, models.EINVALID) {
		err = models.NotFound("programme", "programme not found", "không tìm thấy chương trình")
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	set, err := s.indicators.Set(ctx, p)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, set)
}

type indicatorSetInput struct {
	Version    int                 `json:"version"`
	Indicators []*models.Indicator `json:"indicators"`
}

func (s *Server) saveIndicatorSet(c *gin.Context) {
	ctx := c.Request.Context()
	var in indicatorSetInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	p, err := s.indicators.Programme(ctx, c.Param("id"))
	if models.IsCode(err, models.EINVALID) {
		err = models.NotFound("programme", "programme not found", "không tìm thấy chương trình")
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	set, err := s.indicators.SaveSet(ctx, actor(c), p, in.Version, in.Indicators)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, set)
}

// reportNotes answers the difficulties and proposals of a period's official report.
func (s *Server) reportNotes(c *gin.Context) {
	p, per, err := s.periodQuery(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	n, err := s.indicators.ReportNotes(c.Request.Context(), p, per)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, n)
}

// saveReportNotes replaces them: the lead department's, city-wide planners only.
func (s *Server) saveReportNotes(c *gin.Context) {
	var in models.ReportNotesInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	p, per, err := s.periodQuery(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	n, err := s.indicators.SaveReportNotes(c.Request.Context(), actor(c), p, per, in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, n)
}

// periodQuery reads the programme and the period of a query string; the period defaults to the
// current quarter.
func (s *Server) periodQuery(c *gin.Context) (*models.Programme, models.ReportingPeriod, error) {
	ctx := c.Request.Context()
	var per models.ReportingPeriod
	p, err := s.indicators.Programme(ctx, c.Query("programme"))
	if err != nil {
		return nil, per, err
	}
	if q := c.Query("period"); q != "" {
		per, err = models.ParseReportingPeriod("period", q)
		return p, per, err
	}
	today := models.DateOf(s.now().In(s.loc))
	per = models.ReportingPeriod{Kind: models.PeriodQuarter, Year: today.Year, N: (int(today.Month)-1)/3 + 1}
	return p, per, nil
}

func (s *Server) indicatorProgress(c *gin.Context) {
	p, per, err := s.periodQuery(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	area := c.Query("area")
	if pr := principal(c); area == "" && !pr.CityWide() {
		area = pr.AreaCode
	}
	if area != "" && !s.visibleArea(c, area) {
		s.writeError(c, models.NotFound("area", "area "+area+" not found", "không tìm thấy khu vực "+area))
		return
	}
	prog, err := s.indicators.Progress(c.Request.Context(), p, per, area)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, prog)
}

type owedAnswer struct {
	Programme string            `json:"programme"`
	Period    string            `json:"period,omitempty"`
	Owed      []indicators.Owed `json:"owed"`
}

func (s *Server) indicatorOwed(c *gin.Context) {
	p, per, err := s.periodQuery(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var mine *indicators.Caller
	if pr := principal(c); pr.Role == models.RoleReportingOfficer {
		ic := indicatorCaller(c)
		mine = &ic
	}
	owed, err := s.indicators.Owed(c.Request.Context(), p, per, mine)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, owedAnswer{Programme: p.ID, Period: per.String(), Owed: owed})
}

func (s *Server) indicatorReminders(c *gin.Context) {
	p, err := s.indicators.Programme(c.Request.Context(), c.Query("programme"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	all := principal(c).Role != models.RoleReportingOfficer && c.Query("mine") != "true"
	owed, err := s.indicators.Reminders(c.Request.Context(), p, indicatorCaller(c), all)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, owedAnswer{Programme: p.ID, Owed: owed})
}

func (s *Server) submitIndicator(c *gin.Context) {
	var in indicators.SubmitInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	sub, created, err := s.indicators.Submit(c.Request.Context(), indicatorCaller(c), c.Param("code"), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, sub)
}

// submissionView is a submission with its unit's name, which the screens show for its code.
type submissionView struct {
	*models.IndicatorSubmission
	UnitName string `json:"unit_name"`
}

type submissionList struct {
	Submissions []submissionView `json:"submissions"`
}

// submissionViews names the submissions' units; a unit no longer known keeps its code.
func (s *Server) submissionViews(ctx context.Context, subs []*models.IndicatorSubmission) ([]submissionView, error) {
	codes := make([]string, 0, len(subs))
	for _, sub := range subs {
		codes = append(codes, sub.Unit)
	}
	names, err := s.indicators.UnitNames(ctx, codes)
	if err != nil {
		return nil, err
	}
	out := make([]submissionView, 0, len(subs))
	for _, sub := range subs {
		name := names[sub.Unit]
		if name == "" {
			name = sub.Unit
		}
		out = append(out, submissionView{IndicatorSubmission: sub, UnitName: name})
	}
	return out, nil
}

func (s *Server) listSubmissions(c *gin.Context) {
	ctx := c.Request.Context()
	p, err := s.indicators.Programme(ctx, c.Query("programme"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	f := models.SubmissionFilter{ProgrammeID: p.ID, IndicatorCode: c.Query("indicator"), Unit: c.Query("unit"), State: c.Query("state"), LatestOnly: c.Query("versions") != "all"}
	if q := c.Query("period"); q != "" {
		per, err := models.ParseReportingPeriod("period", q)
		if err != nil {
			s.writeError(c, err)
			return
		}
		f.Period = per.String()
	}
	if f.State != "" && f.State != models.SubmissionSubmitted && f.State != models.SubmissionReturned && f.State != models.SubmissionAccepted {
		s.writeError(c, models.Invalid("state", "must be submitted, returned or accepted", "phải là submitted, returned hoặc accepted"))
		return
	}
	list, err := s.indicatorStore.FindSubmissions(ctx, f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	ic := indicatorCaller(c)
	out := make([]*models.IndicatorSubmission, 0, len(list))
	for _, sub := range list {
		ok, err := s.indicators.MayRead(ctx, ic, sub)
		if err != nil {
			s.writeError(c, err)
			return
		}
		if ok {
			out = append(out, sub)
		}
	}
	views, err := s.submissionViews(ctx, out)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, submissionList{Submissions: views})
}

// visibleSubmission finds a submission the caller may read; not_found otherwise.
func (s *Server) visibleSubmission(c *gin.Context) (*models.IndicatorSubmission, error) {
	ctx := c.Request.Context()
	sub, err := s.indicatorStore.FindSubmissionByID(ctx, c.Param("id"))
	if err != nil {
		return nil, err
	}
	ok, err := s.indicators.MayRead(ctx, indicatorCaller(c), sub)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFoundOutside("indicator submission", "số liệu báo cáo chỉ tiêu")
	}
	return sub, nil
}

func (s *Server) getSubmission(c *gin.Context) {
	sub, err := s.visibleSubmission(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	views, err := s.submissionViews(c.Request.Context(), []*models.IndicatorSubmission{sub})
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, views[0])
}

type reviewInput struct {
	Comment string `json:"comment"`
}

func (s *Server) acceptSubmission(c *gin.Context) { s.reviewSubmission(c, true) }
func (s *Server) returnSubmission(c *gin.Context) { s.reviewSubmission(c, false) }

func (s *Server) reviewSubmission(c *gin.Context, accept bool) {
	var in reviewInput
	if c.Request.ContentLength != 0 || !accept {
		if err := bindJSON(c, &in); err != nil {
			s.writeError(c, err)
			return
		}
	}
	if _, err := s.visibleSubmission(c); err != nil {
		s.writeError(c, err)
		return
	}
	sub, err := s.indicators.Review(c.Request.Context(), indicatorCaller(c), c.Param("id"), accept, in.Comment)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, sub)
}

func (s *Server) uploadAttachment(c *gin.Context) {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		s.writeError(c, bodyReadError(err))
		return
	}
	a, err := s.indicators.Attach(c.Request.Context(), actor(c), c.Query("name"), body)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, a)
}

func (s *Server) getAttachment(c *gin.Context) {
	a, err := s.indicatorStore.FindAttachment(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Content-Type", a.ContentType)
	c.Header("Content-Length", strconv.Itoa(len(a.Content)))
	c.Header("Content-Disposition", `attachment; filename="`+a.ID+`"`)
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, a.ContentType, a.Content)
}
