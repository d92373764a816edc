package api

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// Limits of import uploads. A file over them is refused with 413 before it is parsed.
const (
	maxBusinessImportBytes = 32 << 20
	maxAreaImportBytes     = 64 << 20
)

func (s *Server) registerImportRoutes(g *gin.RouterGroup) {
	g.POST("/businesses/import", s.importBusinesses)
	g.POST("/areas/import", s.importAreas)
	// Multipart framing adds a little to the file itself.
	s.bodyLimits[g.BasePath()+"/businesses/import"] = maxBusinessImportBytes + 64<<10
	s.bodyLimits[g.BasePath()+"/areas/import"] = maxAreaImportBytes + 64<<10
}

// uploadedFile returns the file of an import request: the multipart field "file", or the body
// itself. The file's name must be acceptable text (models.CheckText); other fields are not read.
func uploadedFile(c *gin.Context) (io.Reader, string, func(), error) {
	noop := func() {}
	ct := c.GetHeader("Content-Type")
	mt, params, _ := mime.ParseMediaType(ct)
	if mt != "multipart/form-data" {
		return c.Request.Body, "upload", noop, nil
	}
	mr := multipart.NewReader(c.Request.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, "", noop, models.Invalid("file", "the multipart body has no field named file", "nội dung multipart không có trường file")
		}
		if err != nil {
			return nil, "", noop, bodyReadError(err)
		}
		if part.FormName() == "file" {
			name := part.FileName()
			if err := models.CheckText("filename", name); err != nil {
				// The name reaches the import's report and its audit entry.
				part.Close()
				return nil, "", noop, err
			}
			if name == "" {
				name = "upload"
			}
			return part, name, func() { part.Close() }, nil
		}
		part.Close()
	}
}

func dryRun(c *gin.Context) (bool, error) {
	v := c.Query("dry_run")
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, models.Invalid("dry_run", "must be true or false", "phải là true hoặc false")
	}
	return b, nil
}

func (s *Server) importBusinesses(c *gin.Context) {
	dry, err := dryRun(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	r, name, done, err := uploadedFile(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	defer done()
	rep, err := s.registry.ImportBusinesses(c.Request.Context(), actor(c), r, name, dry)
	if err != nil {
		s.writeError(c, asTooLarge(err))
		return
	}
	c.JSON(http.StatusOK, rep)
}

func (s *Server) importAreas(c *gin.Context) {
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
	rep, err := s.registry.ImportAreas(c.Request.Context(), actor(c), r, dry)
	if err != nil {
		s.writeError(c, asTooLarge(err))
		return
	}
	c.JSON(http.StatusOK, rep)
}

// asTooLarge turns the body limit tripping inside a reader into 413.
func asTooLarge(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return bodyReadError(err)
	}
	return err
}
