package api

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
	"kiemtra/registry"
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
	r, name, _, done, err := uploadedFileAndFields(c)
	return r, name, done, err
}

// contentTypeField holds, among the fields uploadedFileAndFields returns, the file's content type
// (its part's, or the body's); a form field cannot take the name, which is not a valid one.
const contentTypeField = "\x00content-type"

// Limits of the text fields read before a multipart file.
const (
	maxFormFields     = 16
	maxFormFieldBytes = 8 << 10
)

// uploadedFileAndFields is uploadedFile that also returns the text fields sent before the
// file (a form's options; those after it would need the file read first).
func uploadedFileAndFields(c *gin.Context) (io.Reader, string, url.Values, func(), error) {
	noop := func() {}
	fields := url.Values{}
	ct := c.GetHeader("Content-Type")
	mt, params, _ := mime.ParseMediaType(ct)
	if mt != "multipart/form-data" {
		fields.Set(contentTypeField, ct)
		return c.Request.Body, "upload", fields, noop, nil
	}
	mr := multipart.NewReader(c.Request.Body, params["boundary"])
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, "", nil, noop, models.Invalid("file", "the multipart body has no field named file", "nội dung multipart không có trường file")
		}
		if err != nil {
			return nil, "", nil, noop, bodyReadError(err)
		}
		if part.FormName() == "file" {
			name := part.FileName()
			fields.Set(contentTypeField, part.Header.Get("Content-Type"))
			if err := models.CheckText("filename", name); err != nil {
				// The name reaches the import's report and its audit entry.
				part.Close()
				return nil, "", nil, noop, err
			}
			if name == "" {
				name = "upload"
			}
			return part, name, fields, func() { part.Close() }, nil
		}
		if part.FileName() == "" && n < maxFormFields {
			b, err := io.ReadAll(io.LimitReader(part, maxFormFieldBytes+1))
			if err != nil {
				part.Close()
				return nil, "", nil, noop, bodyReadError(err)
			}
			if len(b) > maxFormFieldBytes {
				part.Close()
				return nil, "", nil, noop, models.Invalid(part.FormName(), "the field is longer than %d bytes", "trường dài hơn %d byte", maxFormFieldBytes)
			}
			if err := models.CheckText(part.FormName(), string(b)); err != nil {
				part.Close()
				return nil, "", nil, noop, err
			}
			fields.Add(part.FormName(), string(b))
		}
		part.Close()
	}
}

func dryRun(c *gin.Context) (bool, error) { return boolQuery(c, "dry_run") }

// boolQuery reads an optional true/false query parameter (false when absent).
func boolQuery(c *gin.Context, name string) (bool, error) {
	v := c.Query(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, models.Invalid(name, "must be true or false", "phải là true hoặc false")
	}
	return b, nil
}

// importBusinesses imports a registry file (CSV, .xlsx or GeoJSON; the type comes from the
// file's name, else from its part's or the body's content type). The options come as query
// parameters or as form fields before the file: sheet (the .xlsx worksheet) and column (the
// mapping OURS=THEIRS, may repeat, or pairs separated by commas).
func (s *Server) importBusinesses(c *gin.Context) {
	dry, err := dryRun(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	r, name, fields, done, err := uploadedFileAndFields(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	defer done()
	opts, err := businessImportOptions(append(c.QueryArray("column"), fields["column"]...), append(c.QueryArray("sheet"), fields["sheet"]...))
	if err != nil {
		s.writeError(c, err)
		return
	}
	opts.Name, opts.DryRun = name, dry
	opts.ContentType = fields.Get(contentTypeField)
	rep, err := s.registry.ImportBusinessesWith(c.Request.Context(), actor(c), r, opts)
	if err != nil {
		s.writeError(c, asTooLarge(err))
		return
	}
	c.JSON(http.StatusOK, rep)
}

// importAreas imports a boundary file. The options come as query parameters or as form
// fields before the file: property (the mapping, FIELD=PROPERTY pairs, may repeat) and
// valid_from (the start of features that give none).
func (s *Server) importAreas(c *gin.Context) {
	dry, err := dryRun(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	r, _, fields, done, err := uploadedFileAndFields(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	defer done()
	opts, err := areaImportOptions(append(c.QueryArray("property"), fields["property"]...), append(c.QueryArray("valid_from"), fields["valid_from"]...))
	if err != nil {
		s.writeError(c, err)
		return
	}
	opts.DryRun = dry
	rep, err := s.registry.ImportAreasWith(c.Request.Context(), actor(c), r, opts)
	if err != nil {
		s.writeError(c, asTooLarge(err))
		return
	}
	c.JSON(http.StatusOK, rep)
}

// businessImportOptions reads the options of a registry import from their texts.
func businessImportOptions(column, sheet []string) (models.BusinessImportOptions, error) {
	var opts models.BusinessImportOptions
	m, err := registry.ParseColumnMapping(column...)
	if err != nil {
		return opts, err
	}
	opts.Columns = m
	switch len(sheet) {
	case 0:
	case 1:
		if err := models.CheckText("sheet", sheet[0]); err != nil {
			return opts, err
		}
		opts.Sheet = sheet[0]
	default:
		return opts, models.Invalid("sheet", "is given more than once", "được cho nhiều lần")
	}
	return opts, nil
}

// areaImportOptions reads the options of an area import from their texts.
func areaImportOptions(property, validFrom []string) (models.AreaImportOptions, error) {
	var opts models.AreaImportOptions
	m, err := models.ParseAreaPropertyMapping(property...)
	if err != nil {
		return opts, err
	}
	opts.Mapping = m
	switch len(validFrom) {
	case 0:
	case 1:
		if opts.ValidFrom, err = models.ParseDate(validFrom[0]); err != nil {
			return opts, models.Invalid("valid_from", "must be a date YYYY-MM-DD", "phải là ngày dạng YYYY-MM-DD")
		}
	default:
		return opts, models.Invalid("valid_from", "is given more than once", "được cho nhiều lần")
	}
	return opts, nil
}

// asTooLarge turns the body limit tripping inside a reader into 413.
func asTooLarge(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return bodyReadError(err)
	}
	return err
}
