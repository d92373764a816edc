package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"kiemtra/auth"
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
	s.lookupLimiter = auth.NewLimiter(lookupsPerHour, time.Hour, s.now)
}

func (s *Server) licensingCheck(c *gin.Context) {
	p := principal(c)
	if blocked, _ := s.lookupLimiter.Blocked(p.UserID); blocked {
		c.Header("Retry-After", "3600")
		s.writeError(c, models.NewError(models.ERATELIMITED, "too many checks this hour", "đã tra cứu quá nhiều lần trong giờ này"))
		return
	}
	q := licensing.Query{LicenceNo: c.Query("licence_no"), TaxCode: c.Query("tax_code"), Q: c.Query("q"), Purpose: c.Query("purpose")}
	if err := q.Validate(); err != nil {
		s.writeError(c, err)
		return
	}
	s.lookupLimiter.Fail(p.UserID)
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

// licensingLookups lists lookups from the audit log: an officer's own, or everyone's for admins.
func (s *Server) licensingLookups(c *gin.Context) {
	p := principal(c)
	f := models.AuditFilter{Action: "licensing_lookup", Limit: 200}
	if p.Role != models.RoleAdmin {
		f.Actor = p.Username
	}
	events, err := s.store.FindAuditEvents(c.Request.Context(), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(events)})
}
