package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// getPlanItemRisk answers GET /plans/{id}/items/{business_id}/risk. It tells that the plan
// selects the business, so it is read by those who read the selection (planners) and, for a
// district's planner, only within the district (404 elsewhere, as for the items).
func (s *Server) getPlanItemRisk(c *gin.Context) {
	r, err := s.planner.PlanItemRisk(c.Request.Context(), c.Param("id"), c.Param("business_id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if !s.visibleArea(c, r.AreaCode) {
		s.writeError(c, models.NewError(models.ENOTFOUND, "the plan does not select business %s", "kế hoạch không chọn cơ sở %s", r.BusinessID))
		return
	}
	c.JSON(http.StatusOK, r)
}
