package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"kiemtra/licensing"
	"kiemtra/models"
)

// Licensing answers the police's checks before a certificate is issued or renewed.
type Licensing interface {
	Check(ctx context.Context, actor string, q licensing.Query) (*licensing.Report, []licensing.Candidate, error)
}

// LookupsPerHour bounds one officer's checks: enough for a day's applications, too few to copy
// the registry.
const lookupsPerHour = 120

func (s *Server) registerLicensingRoutes(g *gin.RouterGroup) {
	g.GET("/licensing/check", s.licensingCheck)
	g.GET("/licensing/lookups", s.licensingLookups)
	s.lookupLimiter = s.limits.Window("licensing-lookup", lookupsPerHour, time.Hour)
}

func (s *Server) licensingCheck(c *gin.Context) {
	p := principal(c)
	q := licensing.Query{LicenceNo: c.Query("licence_no"), TaxCode: c.Query("tax_code"), Q: c.Query("q"), Purpose: c.Query("purpose")}
	if err := q.Validate(); err != nil {
		s.writeError(c, err)
		return
	}
	// Checked and counted in one step: parallel checks cannot all pass the limit.
	if _, wait, err := s.lookupLimiter.Take(c.Request.Context(), p.UserID); err != nil {
		s.writeError(c, err)
		return
	} else if wait > 0 {
		retryAfter(c, wait)
		s.writeError(c, models.NewError(models.ERATELIMITED, "too many checks this hour", "đã tra cứu quá nhiều lần trong giờ này"))
		return
	}
	rep, cands, err := s.licensing.Check(c.Request.Context(), actor(c), q)
	switch {
	case models.IsCode(err, models.ENOTFOUND):
		e := models.ErrorAs(err)
		c.AbortWithStatusJSON(http.StatusNotFound, gin.H{"error": ErrorPayload{Code: e.Code, Field: "licence_no", RequestID: requestID(c),
			Message: pick(wantsVietnamese(c), e.Message, e.MessageVI)}, "candidates": nonNil(cands)})
	case err != nil:
		s.writeError(c, err)
	case rep == nil:
		c.JSON(http.StatusOK, gin.H{"candidates": nonNil(cands)})
	default:
		c.JSON(http.StatusOK, rep)
	}
}

// lookupsPage is how many lookups one page lists, newest first.
const lookupsPage = 200

// licensingLookups lists lookups from the audit log: an officer's own, or everyone's for admins,
// a page at a time: next_before (the last id of a full page) is the before= of the next page.
func (s *Server) licensingLookups(c *gin.Context) {
	p := principal(c)
	f := models.AuditFilter{Action: "licensing_lookup", Limit: lookupsPage}
	if v := c.Query("before"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			s.writeError(c, models.Invalid("before", "must be the next_before of the previous page (a positive whole number)", "phải là next_before của trang trước (một số nguyên dương)"))
			return
		}
		f.BeforeID = id
	}
	if p.Role != models.RoleAdmin {
		f.Actor = p.Username
	}
	events, err := s.store.FindAuditEvents(c.Request.Context(), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var next *int64
	if len(events) == lookupsPage {
		next = &events[len(events)-1].ID
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(events), "next_before": next})
}
