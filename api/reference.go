package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

func (s *Server) registerReferenceRoutes(g *gin.RouterGroup) {
	g.GET("/reference", gzipped, s.referenceTables)
}

// referenceTables answers the tables every front-end names codes from. They change only with
// a new release, so a browser may keep them for an hour.
func (s *Server) referenceTables(c *gin.Context) {
	if s.reference == nil {
		s.writeError(c, models.NewError(models.ENOTFOUND, "this server has no reference tables", "máy chủ này không có bảng danh mục"))
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.JSON(http.StatusOK, s.reference)
}
