package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// AgencyInput is the body of POST /agencies.
type AgencyInput struct {
	Code    string `json:"code"`
	NameVI  string `json:"name_vi"`
	NameEN  string `json:"name_en"`
	ShortVI string `json:"short_vi"`
	Level   string `json:"level"`
	Active  *bool  `json:"active"` // default true
}

func (s *Server) registerAgencyRoutes(g *gin.RouterGroup) {
	g.GET("/agencies", s.listAgencies)
	g.POST("/agencies", s.createAgency)
	g.GET("/agencies/:code", s.getAgency)
	g.PATCH("/agencies/:code", s.updateAgency)
}

// listAgencies answers every agency, the inactive ones too: users and programmes may still name
// an agency that was dissolved, and the screens show its name.
func (s *Server) listAgencies(c *gin.Context) {
	as, err := s.store.FindAgencies(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(as)})
}

func (s *Server) getAgency(c *gin.Context) {
	a, err := s.store.FindAgencyByCode(c.Request.Context(), c.Param("code"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

func (s *Server) createAgency(c *gin.Context) {
	var in AgencyInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	a := &models.Agency{Code: strings.TrimSpace(in.Code), NameVI: in.NameVI, NameEN: in.NameEN, ShortVI: in.ShortVI, Level: in.Level, Active: in.Active == nil || *in.Active}
	if err := s.store.CreateAgency(c.Request.Context(), actor(c), a); err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Location", "/api/v1/agencies/"+a.Code)
	c.JSON(http.StatusCreated, a)
}

func (s *Server) updateAgency(c *gin.Context) {
	var upd models.AgencyUpdate
	if err := bindJSON(c, &upd); err != nil {
		s.writeError(c, err)
		return
	}
	if upd.Version <= 0 {
		s.writeError(c, models.Invalid("version", "is required: send the version you read", "là bắt buộc: gửi phiên bản bạn đã đọc"))
		return
	}
	a, err := s.store.UpdateAgency(c.Request.Context(), actor(c), c.Param("code"), upd)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}
