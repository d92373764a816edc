package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
	"kiemtra/report"
	"kiemtra/sanctions"
)

// Sanctions proposes sanctions and records their steps.
type Sanctions interface {
	// Propose records a proposal (created false for a retry of a stored one).
	Propose(ctx context.Context, actor string, in sanctions.ProposeInput) (*models.Sanction, bool, error)
	// Update applies one step when the version is current.
	Update(ctx context.Context, actor, id string, in sanctions.UpdateInput) (*models.Sanction, error)
	// Today is the users' calendar day.
	Today() models.Date
}

// sanctionView is a sanction as the office reads it: with its business's name, its forms and
// what is due.
type sanctionView struct {
	*models.Sanction
	BusinessName string      `json:"business_name"`
	Forms        []string    `json:"forms"`
	FineDue      models.Date `json:"fine_due"`
	NextDue      models.Date `json:"next_due"`
	Overdue      bool        `json:"overdue"`
	// Today is the users' calendar day the dues were read on (the office's date fields start there).
	Today models.Date `json:"today"`
}

func (s *Server) registerSanctionRoutes(g *gin.RouterGroup) {
	g.GET("/sanctions", s.listSanctions)
	g.POST("/sanctions", s.createSanction)
	g.GET("/sanctions/:id", s.getSanction)
	g.PATCH("/sanctions/:id", s.updateSanction)
	g.GET("/businesses/:id/certificate", s.getCertificate)
}

func (s *Server) sanctionViews(ctx context.Context, list []*models.Sanction) []*sanctionView {
	today := s.sanctions.Today()
	names := map[string]string{}
	var ids []string
	for _, sn := range list {
		if _, ok := names[sn.BusinessID]; !ok {
			names[sn.BusinessID] = ""
			ids = append(ids, sn.BusinessID)
		}
	}
	if len(ids) > 0 {
		// A name that cannot be read leaves the row without it: the list does not fail for a label.
		if bs, _, err := s.store.FindBusinesses(ctx, models.BusinessFilter{IDs: ids, Limit: len(ids), NoCount: true}); err == nil {
			for _, b := range bs {
				names[b.ID] = b.Name
			}
		}
	}
	out := make([]*sanctionView, 0, len(list))
	for _, sn := range list {
		out = append(out, &sanctionView{Sanction: sn, BusinessName: names[sn.BusinessID], Forms: sn.Forms(), FineDue: sn.FineDue(), NextDue: sn.NextDue(), Overdue: sn.Overdue(today), Today: today})
	}
	return out
}

// sanctionVisible: the police's licensing officers check businesses city-wide; everyone else
// sees the sanctions of their jurisdiction.
func (s *Server) sanctionVisible(c *gin.Context, sn *models.Sanction) bool {
	p := principal(c)
	return p.Role == models.RoleLicensingOfficer || s.visibleArea(c, sn.AreaCode)
}

func (s *Server) listSanctions(c *gin.Context) {
	f := models.SanctionFilter{BusinessID: c.Query("business"), Status: c.Query("status"), Today: s.sanctions.Today(), Loc: s.loc, Limit: 500}
	if st := f.Status; st != "" && !contains(models.SanctionStatuses, st) {
		s.writeError(c, models.Invalid("status", "must be one of %s", "phải là một trong %s", strings.Join(models.SanctionStatuses, ", ")))
		return
	}
	if v := c.Query("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			s.writeError(c, models.Invalid("overdue", "must be true or false", "phải là true hoặc false"))
			return
		}
		f.Overdue = b
	}
	if v := c.Query("period"); v != "" {
		per, err := report.ParsePeriod(v)
		if err != nil {
			s.writeError(c, err)
			return
		}
		f.From, f.To = per.Start(), per.End()
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			s.writeError(c, models.Invalid("limit", "must be a whole number from 1 to 500", "phải là số nguyên từ 1 đến 500"))
			return
		}
		f.Limit = n
	}
	p := principal(c)
	if area := c.Query("area"); area != "" {
		path, err := s.areaPath(c, area)
		if models.IsCode(err, models.ENOTFOUND) {
			s.writeError(c, models.Invalid("area", "no area has the code %q", "không có địa bàn mã %q", area))
			return
		} else if err != nil {
			s.writeError(c, err)
			return
		}
		if p.Role != models.RoleLicensingOfficer && !p.CityWide() && !p.Covers(path) {
			s.writeError(c, notFoundOutside("area", "địa bàn"))
			return
		}
		f.AreaPath = path
	} else if p.Role != models.RoleLicensingOfficer && !p.CityWide() {
		f.AreaPath = p.AreaPath
	}
	list, total, err := s.sanctionStore.FindSanctions(c.Request.Context(), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if len(p.UnitPaths) > 0 && c.Query("area") == "" {
		// A cluster team's member sees the units of the team, not the whole district.
		kept := list[:0]
		for _, sn := range list {
			if s.sanctionVisible(c, sn) {
				kept = append(kept, sn)
			}
		}
		total -= len(list) - len(kept)
		list = kept
	}
	c.JSON(http.StatusOK, gin.H{"items": s.sanctionViews(c.Request.Context(), list), "total": total, "today": f.Today})
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// createSanction proposes a sanction for a business of the caller's jurisdiction. A client
// that sends its own id may retry: the same proposal answers 200 with the stored one.
func (s *Server) createSanction(c *gin.Context) {
	var in sanctions.ProposeInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	if id := strings.TrimSpace(in.BusinessID); id != "" {
		if _, err := s.findVisibleBusiness(c, id); models.IsCode(err, models.ENOTFOUND) {
			s.writeError(c, models.Invalid("business_id", "no business of your jurisdiction has this id", "không có cơ sở nào thuộc địa bàn của bạn mang mã này"))
			return
		} else if err != nil {
			s.writeError(c, err)
			return
		}
	}
	sn, created, err := s.sanctions.Propose(c.Request.Context(), actor(c), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeSaved(c, created, "/api/v1/sanctions/"+sn.ID, s.sanctionViews(c.Request.Context(), []*models.Sanction{sn})[0])
}

func (s *Server) findVisibleSanction(c *gin.Context) (*models.Sanction, error) {
	sn, err := s.sanctionStore.FindSanctionByID(c.Request.Context(), c.Param("id"))
	if err != nil {
		return nil, err
	}
	if !s.sanctionVisible(c, sn) {
		return nil, notFoundOutside("sanction", "quyết định xử phạt")
	}
	return sn, nil
}

func (s *Server) getSanction(c *gin.Context) {
	sn, err := s.findVisibleSanction(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.sanctionViews(c.Request.Context(), []*models.Sanction{sn})[0])
}

func (s *Server) updateSanction(c *gin.Context) {
	var in sanctions.UpdateInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	if _, err := s.findVisibleSanction(c); err != nil {
		s.writeError(c, err)
		return
	}
	sn, err := s.sanctions.Update(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.sanctionViews(c.Request.Context(), []*models.Sanction{sn})[0])
}

// certificateAnswer is a certificate with its status today (a suspension ends by itself).
type certificateAnswer struct {
	*models.CertificateView
	StatusToday string `json:"status_today"`
	// Required says whether the business's category needs a certificate (Decree 96/2016 Art. 3),
	// so that "none" reads as a gap only where it is one.
	Required bool `json:"required"`
}

func (s *Server) getCertificate(c *gin.Context) {
	b, err := s.store.FindBusinessByID(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if p := principal(c); p.Role != models.RoleLicensingOfficer && !s.visibleArea(c, b.AreaCode) {
		s.writeError(c, notFoundOutside("business", "cơ sở"))
		return
	}
	v, err := s.sanctionStore.FindCertificate(c.Request.Context(), b.ID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, certificateAnswer{CertificateView: v, StatusToday: v.StatusOn(s.sanctions.Today()), Required: s.certificateRequired(b.Category)})
}

// certificateRequired reports whether businesses of a category need a security-and-order
// certificate; true when the reference tables are missing, so that a gap is never hidden.
func (s *Server) certificateRequired(category string) bool {
	if s.reference == nil {
		return true
	}
	for _, cat := range s.reference.Categories {
		if cat.Code == category {
			return cat.SecurityCertificateRequired
		}
	}
	return true
}
