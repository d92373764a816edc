package api

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// PlanRisk explains a plan's selection of a business ("why this business"); the planning
// service implements it beside Planner.
type PlanRisk interface {
	// PlanItemRisk returns not_found for an unknown plan or a business the plan does not select.
	PlanItemRisk(ctx context.Context, planID, businessID string) (*models.PlanItemRisk, error)
}

// getPlanItemRisk answers GET /plans/{id}/items/{business_id}/risk. It tells that the plan
// selects the business, so it is read by those who read the selection (planners) and, for a
// district's planner, only within the district (404 elsewhere, as for the items).
func (s *Server) getPlanItemRisk(c *gin.Context) {
	pr, ok := s.planner.(PlanRisk)
	if !ok {
		s.writeError(c, fmt.Errorf("the planning service does not explain its selections"))
		return
	}
	r, err := pr.PlanItemRisk(c.Request.Context(), c.Param("id"), c.Param("business_id"))
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
