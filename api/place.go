package api

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// Places is the register of places a dance hall must keep away from (places.Service).
type Places interface {
	// Import reads a CSV or .xlsx file of places and stores all of them or none; covers limits
	// the rows to the caller's jurisdiction (nil: the whole city).
	Import(ctx context.Context, actor string, covers func(areaPath string) bool, r io.Reader, name string, maxBytes int64) (*models.PlaceImportReport, error)
	// Check returns a business's distance check, or nil when the rule does not apply to it.
	Check(ctx context.Context, b *models.Business) (*models.DistanceCheck, error)
}

// maxPlaceImportBytes bounds a places file: a city's schools, hospitals, pagodas and relics
// are a few thousand rows.
const maxPlaceImportBytes = 8 << 20

// PlacePage is a listing of places.
type PlacePage struct {
	Items []*models.Place `json:"items"`
	Total int             `json:"total"`
}

// registerPlaceRoutes adds the register of places and the businesses' distance check.
func (s *Server) registerPlaceRoutes(g *gin.RouterGroup) {
	g.GET("/places", s.listPlaces)
	g.POST("/places/import", s.importPlaces)
	g.DELETE("/places/:id", s.deletePlace)
	g.GET("/businesses/:id/distance-check", s.businessDistanceCheck)
	s.bodyLimits[g.BasePath()+"/places/import"] = maxPlaceImportBytes + 64<<10
}

// coversFunc is the caller's jurisdiction as the places service takes it: nil for the whole
// city.
func (s *Server) coversFunc(c *gin.Context) func(string) bool {
	p := principal(c)
	if p == nil || p.CityWide() {
		return nil
	}
	return p.Covers
}

func (s *Server) importPlaces(c *gin.Context) {
	r, name, done, err := uploadedFile(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	defer done()
	rep, err := s.places.Import(c.Request.Context(), actor(c), s.coversFunc(c), r, name, maxPlaceImportBytes)
	if err != nil {
		s.writeError(c, asTooLarge(err))
		return
	}
	c.JSON(http.StatusOK, rep)
}

// listPlaces lists the places in the caller's jurisdiction, optionally of one kind, by kind
// then name; limit (default 500, at most 5000) and offset page through them.
func (s *Server) listPlaces(c *gin.Context) {
	var v models.Validation
	f := models.PlaceFilter{Kind: c.Query("kind")}
	if f.Kind != "" && !oneOfPlaceKinds(f.Kind) {
		v.Add("kind", "must be school, hospital, religious or relic", "phải là school, hospital, religious hoặc relic")
	}
	limit, offset := 500, 0
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 5000 {
			v.Add("limit", "must be a whole number from 1 to 5000", "phải là số nguyên từ 1 đến 5000")
		}
		limit = n
	}
	if o := c.Query("offset"); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 {
			v.Add("offset", "must be a whole number, 0 or more", "phải là số nguyên không âm")
		}
		offset = n
	}
	if err := v.Err(); err != nil {
		s.writeError(c, err)
		return
	}
	ps, err := s.placeStore.FindPlaces(c.Request.Context(), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	visible := make([]*models.Place, 0, len(ps))
	city := principal(c).CityWide()
	for _, p := range ps {
		if city || s.placeVisible(c, p) {
			visible = append(visible, p)
		}
	}
	out := PlacePage{Items: []*models.Place{}, Total: len(visible)}
	if offset < len(visible) {
		out.Items = visible[offset:min(len(visible), offset+limit)]
	}
	c.JSON(http.StatusOK, out)
}

// placeVisible reports whether a place is in the caller's jurisdiction. The ward is found again
// from the coordinates, as the area index has it today: a reorganisation moves the registry's
// businesses but not the places, whose stored ward may be a unit that no longer exists. The
// stored ward decides only when the index finds none (no boundaries loaded).
func (s *Server) placeVisible(c *gin.Context, p *models.Place) bool {
	pr := principal(c)
	if pr == nil {
		return false
	}
	if pr.CityWide() {
		return true
	}
	if s.registry != nil {
		if code, path := s.registry.Locate(c.Request.Context(), p.Lat, p.Lon); code != "" {
			return pr.Covers(path)
		}
	}
	return s.visibleArea(c, p.AreaCode)
}

func oneOfPlaceKinds(k string) bool {
	for _, x := range models.PlaceKinds {
		if x == k {
			return true
		}
	}
	return false
}

// deletePlace removes a place in the caller's jurisdiction; one outside it is not found.
func (s *Server) deletePlace(c *gin.Context) {
	ctx := c.Request.Context()
	p, err := s.placeStore.FindPlaceByID(ctx, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if !s.placeVisible(c, p) {
		s.writeError(c, notFoundOutside("place", "địa điểm"))
		return
	}
	if err := s.placeStore.DeletePlace(ctx, actor(c), p.ID); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// DistanceCheckAnswer is the answer of GET /businesses/{id}/distance-check: whether the distance
// rule applies to the business and, when it does, the places of the register near it.
type DistanceCheckAnswer struct {
	BusinessID string `json:"business_id"`
	Applies    bool   `json:"applies"`
	*models.DistanceCheck
}

func (s *Server) businessDistanceCheck(c *gin.Context) {
	b, err := s.findVisibleBusiness(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	chk, err := s.places.Check(c.Request.Context(), b)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, DistanceCheckAnswer{BusinessID: b.ID, Applies: chk != nil, DistanceCheck: chk})
}
