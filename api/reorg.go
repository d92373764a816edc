package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
	"kiemtra/reorg"
)

// Reorganisations imports, reviews and applies reorganisations of the units (reorg.Service).
type Reorganisations interface {
	Import(ctx context.Context, actor string, spec models.ReorgSpec, dryRun bool) (*models.ReorgReport, error)
	Report(ctx context.Context, id string) (*models.ReorgReport, error)
	Settle(ctx context.Context, actor, id, kind, subject string, units []string) (*models.ReorgItem, error)
	AcceptProposals(ctx context.Context, actor, id string) (int, error)
	Apply(ctx context.Context, actor, id string) (*models.ReorgReport, error)
}

const reorgBase = "/areas/reorganisations"

func (s *Server) registerReorgRoutes(g *gin.RouterGroup) {
	g.GET(reorgBase, s.listReorganisations)
	g.POST(reorgBase, s.importReorganisation)
	g.GET(reorgBase+"/:id", s.getReorganisation)
	g.GET(reorgBase+"/:id/review", s.reorgReview)
	g.PUT(reorgBase+"/:id/review/:subject", s.settleReorgItem(models.ReorgItemReview))
	g.PUT(reorgBase+"/:id/teams/:subject", s.settleReorgItem(models.ReorgItemTeam))
	g.PUT(reorgBase+"/:id/users/:subject", s.settleReorgItem(models.ReorgItemUser))
	g.POST(reorgBase+"/:id/accept-proposals", s.acceptReorgProposals)
	g.POST(reorgBase+"/:id/apply", s.applyReorganisation)
	s.bodyLimits[g.BasePath()+reorgBase] = reorg.MaxSpecBytes + 64<<10
}

// ReorgProblemsBody answers a reorganisation refused for its problems: the error and the whole
// report.
type ReorgProblemsBody struct {
	Error  ErrorPayload        `json:"error"`
	Report *models.ReorgReport `json:"report"`
}

// writeReorgError answers a refused reorganisation with its report beside the error.
func (s *Server) writeReorgError(c *gin.Context, err error) {
	var pe *reorg.ProblemsError
	if errors.As(err, &pe) && !clientGone(c) {
		withoutGeometry(pe.Report)
		c.AbortWithStatusJSON(http.StatusBadRequest, ReorgProblemsBody{Error: payloadOf(pe.Err, wantsVietnamese(c), requestID(c)), Report: pe.Report})
		return
	}
	s.writeError(c, err)
}

func (s *Server) listReorganisations(c *gin.Context) {
	list, err := s.reorgStore.FindReorganisations(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": nonNil(list)})
}

// importReorganisation takes a reorganisation file (JSON, the format of refdata's
// cantho_units_2025.json with effective_on and parent); ?dry_run=true only reports.
func (s *Server) importReorganisation(c *gin.Context) {
	dry, err := dryRun(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	r, _, done, err := uploadedFile(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	defer done()
	spec, err := reorg.ParseSpec(r, models.ReorgSpec{})
	if err != nil {
		s.writeError(c, asTooLarge(err))
		return
	}
	rep, err := s.reorgs.Import(c.Request.Context(), actor(c), spec, dry)
	if err != nil {
		s.writeReorgError(c, err)
		return
	}
	withoutGeometry(rep)
	if dry {
		c.JSON(http.StatusOK, rep)
		return
	}
	c.Header("Location", "/api/v1"+reorgBase+"/"+rep.ID)
	c.JSON(http.StatusCreated, rep)
}

// getReorganisation answers a reorganisation's report; the new units' outlines only with
// ?geometry=true (the review map needs them; a whole province's are megabytes).
func (s *Server) getReorganisation(c *gin.Context) {
	withGeometry, err := boolQuery(c, "geometry")
	if err != nil {
		s.writeError(c, err)
		return
	}
	rep, err := s.reorgs.Report(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if !withGeometry {
		withoutGeometry(rep)
	}
	c.JSON(http.StatusOK, rep)
}

// withoutGeometry drops the new units' outlines from a report.
func withoutGeometry(rep *models.ReorgReport) {
	if rep == nil {
		return
	}
	for i := range rep.Units {
		rep.Units[i].Geometry = nil
	}
}

// reorgReview lists the businesses of partial sources placed without a polygon, each with its
// candidates and the proposal, settled or not.
func (s *Server) reorgReview(c *gin.Context) {
	rep, err := s.reorgs.Report(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	open := 0
	for _, it := range rep.Reviews {
		if it.Settled == "" {
			open++
		}
	}
	c.JSON(http.StatusOK, gin.H{"items": rep.Reviews, "open": open})
}

// ReorgDecisionInput settles a decision: one unit for a business or a user, one or more for a
// team.
type ReorgDecisionInput struct {
	AreaCode string   `json:"area_code"`
	Areas    []string `json:"areas"`
}

func (s *Server) settleReorgItem(kind string) gin.HandlerFunc {
	return func(c *gin.Context) {
		var in ReorgDecisionInput
		if err := bindJSON(c, &in); err != nil {
			s.writeError(c, err)
			return
		}
		units := in.Areas
		if in.AreaCode != "" {
			units = append([]string{in.AreaCode}, units...)
		}
		it, err := s.reorgs.Settle(c.Request.Context(), actor(c), c.Param("id"), kind, c.Param("subject"), units)
		if err != nil {
			s.writeError(c, err)
			return
		}
		c.JSON(http.StatusOK, it)
	}
}

func (s *Server) acceptReorgProposals(c *gin.Context) {
	n, err := s.reorgs.AcceptProposals(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"settled": n})
}

func (s *Server) applyReorganisation(c *gin.Context) {
	rep, err := s.reorgs.Apply(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.writeReorgError(c, err)
		return
	}
	withoutGeometry(rep)
	c.JSON(http.StatusOK, rep)
}
