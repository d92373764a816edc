package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// AreaNode is an area in the tree answer of GET /areas.
type AreaNode struct {
	Code      string      `json:"code"`
	GSOCode   string      `json:"gso_code"`
	Name      string      `json:"name"`
	TypeName  string      `json:"type_name"`
	Level     string      `json:"level"`
	Lat       float64     `json:"lat"`
	Lon       float64     `json:"lon"`
	ValidFrom models.Date `json:"valid_from"`
	ValidTo   models.Date `json:"valid_to"`
	// Geometry is the unit's GeoJSON geometry, with ?geometry=true only.
	Geometry json.RawMessage `json:"geometry,omitempty"`
	Children []*AreaNode     `json:"children"`
}

// AreaDetail is one area with its geometry, parent and children.
type AreaDetail struct {
	Code       string          `json:"code"`
	GSOCode    string          `json:"gso_code"`
	Name       string          `json:"name"`
	TypeName   string          `json:"type_name"`
	Level      string          `json:"level"`
	ParentCode *string         `json:"parent_code"`
	Path       []string        `json:"path"` // ancestor codes from the root, the area itself last
	Lat        float64         `json:"lat"`
	Lon        float64         `json:"lon"`
	ValidFrom  models.Date     `json:"valid_from"`
	ValidTo    models.Date     `json:"valid_to"`
	Geometry   json.RawMessage `json:"geometry"`
	Children   []AreaRef       `json:"children"`
	// FormedFrom lists the units a reorganisation formed this one from, and Became the units
	// it went into (area_lineage), each in full or in part.
	FormedFrom []AreaLink `json:"formed_from"`
	Became     []AreaLink `json:"became"`
}

// AreaLink is a unit that another was formed from or went into. Name is empty for a unit this
// database never held (a commune of another province that merged in).
type AreaLink struct {
	Code      string      `json:"code"`
	Name      string      `json:"name"`
	Part      string      `json:"part"`
	ValidFrom models.Date `json:"valid_from"`
	ValidTo   models.Date `json:"valid_to"`
}

// AreaRef names an area.
type AreaRef struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Level string `json:"level"`
}

func (s *Server) registerAreaRoutes(g *gin.RouterGroup) {
	g.GET("/areas", s.listAreas)
	g.GET("/areas/:code", s.getArea)
}

// listAreas answers the tree in force on a day (?on=YYYY-MM-DD, default today), or its subtree
// under ?under=CODE, without geometries unless ?geometry=true: the tree is what pickers and
// filters need, and geometries are large.
func (s *Server) listAreas(c *gin.Context) {
	ctx := c.Request.Context()
	day, err := s.dayParam(c.Query("on"), "on")
	if err != nil {
		s.writeError(c, err)
		return
	}
	withGeometry, err := boolQuery(c, "geometry")
	if err != nil {
		s.writeError(c, err)
		return
	}
	f := models.AreaFilter{On: day, NoGeometry: !withGeometry}
	if under := c.Query("under"); under != "" {
		a, err := s.store.FindAreaOn(ctx, under, day)
		if err != nil {
			s.writeError(c, err)
			return
		}
		f.Under = a.Code
	}
	areas, _, err := s.store.FindAreas(ctx, f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	tree := AreaTree(areas)
	if withGeometry {
		byCode := make(map[string]*models.Area, len(areas))
		for _, a := range areas {
			byCode[a.Code] = a
		}
		var fill func(ns []*AreaNode)
		fill = func(ns []*AreaNode) {
			for _, n := range ns {
				if g := byCode[n.Code].Geometry; g != "" {
					n.Geometry = json.RawMessage(g)
				}
				fill(n.Children)
			}
		}
		fill(tree)
	}
	c.JSON(http.StatusOK, gin.H{"on": day, "items": tree})
}

// AreaTree nests areas (ordered by path, as the store returns them) under their parents; areas
// whose parent is not in the list become roots.
func AreaTree(areas []*models.Area) []*AreaNode {
	nodes := make(map[string]*AreaNode, len(areas))
	roots := []*AreaNode{}
	for _, a := range areas {
		n := &AreaNode{Code: a.Code, GSOCode: a.OfficialCode(), Name: a.Name, TypeName: a.TypeName, Level: a.Level, Lat: a.Lat, Lon: a.Lon, ValidFrom: a.ValidFrom, ValidTo: a.ValidTo, Children: []*AreaNode{}}
		nodes[a.Code] = n
		if a.ParentCode != nil {
			if p, ok := nodes[*a.ParentCode]; ok {
				p.Children = append(p.Children, n)
				continue
			}
		}
		roots = append(roots, n)
	}
	return roots
}

// getArea answers the unit a code names on a day (?on=, default today; see FindAreaOn), with
// its children of that day (of its last day, for a unit that ended before).
func (s *Server) getArea(c *gin.Context) {
	ctx := c.Request.Context()
	day, err := s.dayParam(c.Query("on"), "on")
	if err != nil {
		s.writeError(c, err)
		return
	}
	a, err := s.store.FindAreaOn(ctx, c.Param("code"), day)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if !a.ValidOn(day) && !a.ValidTo.IsZero() && day.After(a.ValidTo) {
		day = a.ValidTo
	} else if !a.ValidOn(day) {
		day = a.ValidFrom
	}
	children, _, err := s.store.FindAreas(ctx, models.AreaFilter{Under: a.Code, On: day})
	if err != nil {
		s.writeError(c, err)
		return
	}
	d := AreaDetail{Code: a.Code, GSOCode: a.OfficialCode(), Name: a.Name, TypeName: a.TypeName, Level: a.Level, ParentCode: a.ParentCode, Path: pathCodes(a.Path),
		Lat: a.Lat, Lon: a.Lon, ValidFrom: a.ValidFrom, ValidTo: a.ValidTo, Children: []AreaRef{}}
	if a.Geometry != "" {
		d.Geometry = json.RawMessage(a.Geometry)
	} else {
		d.Geometry = json.RawMessage("null")
	}
	for _, ch := range children {
		if ch.ParentCode != nil && *ch.ParentCode == a.Code {
			d.Children = append(d.Children, AreaRef{Code: ch.Code, Name: ch.Name, Level: ch.Level})
		}
	}
	if d.FormedFrom, d.Became, err = s.areaLinks(ctx, a.Code); err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

// areaLinks answers the units a unit was formed from and went into, by its lineage.
func (s *Server) areaLinks(ctx context.Context, code string) (from, into []AreaLink, err error) {
	lineage, err := s.store.FindAreaLineage(ctx)
	if err != nil {
		return nil, nil, err
	}
	from, into = []AreaLink{}, []AreaLink{}
	link := func(code, part string) (AreaLink, error) {
		l := AreaLink{Code: code, Part: part}
		a, err := s.store.FindAreaByCode(ctx, code)
		switch {
		case err == nil:
			l.Name, l.ValidFrom, l.ValidTo = a.Name, a.ValidFrom, a.ValidTo
		case !models.IsCode(err, models.ENOTFOUND):
			return l, err
		}
		return l, nil
	}
	for _, ln := range lineage {
		var l AreaLink
		switch code {
		case ln.AreaCode:
			if l, err = link(ln.SourceCode, ln.Part); err == nil {
				from = append(from, l)
			}
		case ln.SourceCode:
			if l, err = link(ln.AreaCode, ln.Part); err == nil {
				into = append(into, l)
			}
		}
		if err != nil {
			return nil, nil, err
		}
	}
	return from, into, nil
}

// pathCodes splits "/92/916/31117/" into its codes.
func pathCodes(p string) []string {
	out := []string{}
	start := -1
	for i := 0; i < len(p); i++ {
		if p[i] == '/' {
			if start >= 0 && i > start {
				out = append(out, p[start:i])
			}
			start = i + 1
		}
	}
	return out
}
