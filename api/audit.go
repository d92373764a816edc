package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// Audit log pages: the default and the most one request may ask for.
const (
	auditPageDefault = 100
	auditPageMax     = 1000
)

func (s *Server) registerAuditRoutes(g *gin.RouterGroup) {
	g.GET("/audit", s.listAudit)
	g.GET("/audit/verify", s.verifyAudit)
}

// ParseAuditQuery reads and checks the query string of GET /audit; every problem names its
// parameter. A date in from or to is a whole day in loc: from its start, to its end.
func ParseAuditQuery(q func(string) string, loc *time.Location) (models.AuditFilter, error) {
	var v models.Validation
	f := models.AuditFilter{Actor: q("actor"), Action: q("action"), EntityType: q("entity_type"), EntityID: q("entity_id"), Limit: auditPageDefault}
	for _, p := range []struct{ name, val string }{{"actor", f.Actor}, {"action", f.Action}, {"entity_type", f.EntityType}, {"entity_id", f.EntityID}} {
		if len([]rune(p.val)) > 200 {
			v.Add(p.name, "is longer than 200 characters", "dài quá 200 ký tự")
		}
	}
	var err error
	if f.From, err = parseAuditTime(q("from"), loc, false); err != nil {
		v.Add("from", "must be a date such as 2026-03-01 or a time such as 2026-03-01T08:00:00+07:00", "phải là một ngày như 2026-03-01 hoặc một thời điểm như 2026-03-01T08:00:00+07:00")
	}
	if f.To, err = parseAuditTime(q("to"), loc, true); err != nil {
		v.Add("to", "must be a date such as 2026-03-31 or a time such as 2026-03-31T17:00:00+07:00", "phải là một ngày như 2026-03-31 hoặc một thời điểm như 2026-03-31T17:00:00+07:00")
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		v.Add("to", "must be after from", "phải sau thời điểm bắt đầu (tham số from)")
	}
	if b := q("before_id"); b != "" {
		id, err := strconv.ParseInt(b, 10, 64)
		if err != nil || id <= 0 {
			v.Add("before_id", "must be the next_before of the previous page (a positive whole number)", "phải là giá trị next_before mà trang trước trả về (một số nguyên dương)")
		}
		f.BeforeID = id
	}
	if l := q("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > auditPageMax {
			v.Add("limit", "must be a whole number from 1 to 1000", "phải là số nguyên từ 1 đến 1000")
		}
		f.Limit = n
	}
	return f, v.Err()
}

// parseAuditTime reads a date or an RFC 3339 time; a date as the end of a range means the end of
// that day, so that to=2026-03-31 includes the 31st.
func parseAuditTime(s string, loc *time.Location, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := models.ParseDate(s); err == nil {
		if end {
			d = d.AddDays(1)
		}
		return d.Time(loc), nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// listAudit answers the audit log, newest first, a page at a time: next_before (the last id of a
// full page) is the before_id of the next page. The stored details never hold a password hash
// or a reporter's contact, so events are shown as stored.
func (s *Server) listAudit(c *gin.Context) {
	f, err := ParseAuditQuery(c.Query, s.loc)
	if err != nil {
		s.writeError(c, err)
		return
	}
	events, err := s.store.FindAuditEvents(c.Request.Context(), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var next *int64
	if len(events) == f.Limit {
		next = &events[len(events)-1].ID
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(events), "next_before": next})
}

// verifyAudit checks the whole log; a broken log is a 200 with ok false and the first bad event.
func (s *Server) verifyAudit(c *gin.Context) {
	v, err := s.store.VerifyAudit(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}
