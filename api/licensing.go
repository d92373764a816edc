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
	Check(ctx context.Context, actor string, q licensing.Query) (*licensing.Result, error)
}

// lookupOfficer is who looked, as a printed record of the lookup names them.
type lookupOfficer struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

// checkAnswer is the answer to a check: the report (its fields at the top level) or the
// candidates, with the lookup's audit id, officer, purpose and time.
type checkAnswer struct {
	*licensing.Report
	Candidates []licensing.Candidate `json:"candidates,omitempty"`
	LookupID   int64                 `json:"lookup_id"`
	Officer    lookupOfficer         `json:"officer"`
	Purpose    string                `json:"purpose"`
	CheckedAt  time.Time             `json:"checked_at"`
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
	res, err := s.licensing.Check(c.Request.Context(), actor(c), q)
	if err != nil && !models.IsCode(err, models.ENOTFOUND) {
		s.writeError(c, err)
		return
	}
	ans := checkAnswer{Report: res.Report, LookupID: res.LookupID, Purpose: res.Purpose, CheckedAt: res.CheckedAt, Officer: s.officer(c.Request.Context(), p)}
	switch {
	case err != nil:
		e := models.ErrorAs(err)
		c.AbortWithStatusJSON(http.StatusNotFound, gin.H{"error": ErrorPayload{Code: e.Code, Field: "licence_no", RequestID: requestID(c),
			Message: pick(wantsVietnamese(c), e.Message, e.MessageVI)}, "candidates": nonNil(res.Candidates),
			"lookup_id": ans.LookupID, "officer": ans.Officer, "purpose": ans.Purpose, "checked_at": ans.CheckedAt})
	case res.Report == nil:
		ans.Candidates = nonNil(res.Candidates)
		c.JSON(http.StatusOK, gin.H{"candidates": ans.Candidates, "lookup_id": ans.LookupID, "officer": ans.Officer, "purpose": ans.Purpose, "checked_at": ans.CheckedAt})
	default:
		c.JSON(http.StatusOK, ans)
	}
}

// officer names the caller by their display name; a user that cannot be read is named by the
// username alone.
func (s *Server) officer(ctx context.Context, p *Principal) lookupOfficer {
	o := lookupOfficer{Username: p.Username, DisplayName: p.Username}
	if u, err := s.store.FindUserByID(ctx, p.UserID); err == nil && u.DisplayName != "" {
		o.DisplayName = u.DisplayName
	}
	return o
}

// lookupItem is one lookup in the history: the audit event and what its details say.
type lookupItem struct {
	*models.AuditEvent
	Purpose    string           `json:"purpose"`
	Kind       string           `json:"kind"` // licence_no, tax_code or q
	Text       string           `json:"text"` // what was typed
	Businesses []lookupBusiness `json:"businesses"`
}

// lookupBusiness is a business a lookup named, with its name then (empty for lookups audited
// before names were kept).
type lookupBusiness struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// nameLookupBusinesses names the businesses of lookups audited before names were kept, by
// their names today.
func (s *Server) nameLookupBusinesses(ctx context.Context, items []lookupItem) error {
	var ids []string
	seen := map[string]bool{}
	for _, it := range items {
		for _, b := range it.Businesses {
			if b.Name == "" && !seen[b.ID] {
				seen[b.ID] = true
				ids = append(ids, b.ID)
			}
		}
	}
	if len(ids) == 0 {
		return nil
	}
	bs, _, err := s.store.FindBusinesses(ctx, models.BusinessFilter{IDs: ids, Limit: len(ids), NoCount: true})
	if err != nil {
		return err
	}
	names := make(map[string]string, len(bs))
	for _, b := range bs {
		names[b.ID] = b.Name
	}
	for _, it := range items {
		for i, b := range it.Businesses {
			if b.Name == "" {
				it.Businesses[i].Name = names[b.ID]
			}
		}
	}
	return nil
}

func lookupItems(events []*models.AuditEvent) []lookupItem {
	out := make([]lookupItem, 0, len(events))
	for _, e := range events {
		r := models.ParseLookupRecord(e.Details)
		it := lookupItem{AuditEvent: e, Purpose: r.Purpose, Businesses: make([]lookupBusiness, 0, len(r.BusinessIDs))}
		it.Kind, it.Text = r.QueryParts()
		for i, id := range r.BusinessIDs {
			b := lookupBusiness{ID: id}
			if i < len(r.BusinessNames) {
				b.Name = r.BusinessNames[i]
			}
			it.Businesses = append(it.Businesses, b)
		}
		out = append(out, it)
	}
	return out
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
	items := lookupItems(events)
	if err := s.nameLookupBusinesses(c.Request.Context(), items); err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next_before": next})
}
