package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
	"kiemtra/record"
)

// Records signs and renders inspection records (biên bản kiểm tra).
type Records interface {
	Sign(ctx context.Context, c record.Caller, in record.Input) (*models.InspectionRecord, bool, error)
	PDF(ctx context.Context, in *models.Inspection) ([]byte, *record.Printed, error)
}

func (s *Server) registerRecordRoutes(g *gin.RouterGroup) {
	g.PUT("/inspections/:id/record", s.signRecord)
	g.GET("/inspections/:id/record.pdf", s.recordPDF)
	// Two signatures as base64 plus the texts.
	s.bodyLimits[g.BasePath()+"/inspections/:id/record"] = 3*models.MaxSignatureBytes + 64<<10
}

func recordCaller(c *gin.Context) record.Caller {
	p := principal(c)
	return record.Caller{UserID: p.UserID, Username: p.Username, TeamID: p.TeamID}
}

// signRecord stores the signed record of the inspection version in the path; the same body
// again answers the stored record (200).
func (s *Server) signRecord(c *gin.Context) {
	var in record.Input
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	if in.InspectionID == "" {
		in.InspectionID = c.Param("id")
	} else if in.InspectionID != c.Param("id") {
		s.writeError(c, models.Invalid("inspection_id", "differs from the inspection in the path", "khác với kết quả kiểm tra trong đường dẫn"))
		return
	}
	rec, created, err := s.records.Sign(c.Request.Context(), recordCaller(c), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeSaved(c, created, "", rec)
}

// recordPDF answers the record of the inspection's latest version as a PDF.
func (s *Server) recordPDF(c *gin.Context) {
	in, err := s.findVisibleInspection(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	b, p, err := s.records.PDF(c.Request.Context(), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Content-Disposition", `inline; filename="bien-ban-`+p.Doc.InspectionID+`.pdf"`)
	c.Header("Cache-Control", "private, no-cache")
	c.Header("X-Record-SHA256", p.Hash)
	c.Header("X-Record-Version", strconv.Itoa(p.Doc.Version))
	c.Header("X-Record-Signed", strconv.FormatBool(p.Doc.Signed()))
	c.Data(http.StatusOK, "application/pdf", b)
}
