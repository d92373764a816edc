package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

func (s *Server) registerReferenceRoutes(g *gin.RouterGroup) {
	g.GET("/reference", gzipped, s.referenceTables)
}

// referenceTables answers the tables every front-end names codes from. The violation names are
// the catalogue in force, which planners edit; the rest change only with a new release. A
// browser may keep them for an hour: a renamed violation reaches it within the hour.
func (s *Server) referenceTables(c *gin.Context) {
	if s.reference == nil {
		s.writeError(c, models.NewError(models.ENOTFOUND, "this server has no reference tables", "máy chủ này không có bảng danh mục"))
		return
	}
	ref := *s.reference
	if s.fieldwork != nil {
		cat, err := s.fieldwork.Violations(c.Request.Context(), 0)
		if err != nil {
			s.writeError(c, err)
			return
		}
		ref.Violations = cat.Violations
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.JSON(http.StatusOK, &ref)
}
