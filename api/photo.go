package api

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"kiemtra/models"
	"kiemtra/photos"
)

// PhotoBlobs keeps the bytes of photos by their SHA-256.
type PhotoBlobs interface {
	Put(r io.Reader) (*photos.Info, error)
	// Strip checks a photo and answers it encoded again without any metadata block (EXIF and
	// its GPS position), to be stored with Put.
	Strip(r io.Reader) ([]byte, error)
	Open(sha string) (io.ReadSeekCloser, *photos.Info, error)
}

// PhotoService records which photos belong to which inspection.
type PhotoService interface {
	AddPhoto(ctx context.Context, actor string, p *models.Photo) (*models.Photo, bool, error)
	FindPhotos(ctx context.Context, inspectionID string) ([]*models.Photo, error)
	FindPhoto(ctx context.Context, inspectionID, id string) (*models.Photo, error)
}

func (s *Server) registerPhotoRoutes(g *gin.RouterGroup) {
	g.POST("/inspections/:id/photos", s.uploadPhoto)
	g.GET("/inspections/:id/photos/:photo", s.getPhoto)
	// A photo plus multipart framing; the photo store refuses more than 10 MB of picture.
	s.bodyLimits[g.BasePath()+"/inspections/:id/photos"] = photos.MaxBytes + 64<<10
}

// uploadPhoto attaches a JPEG or PNG (multipart field "file", or the body) to an inspection of
// the caller's team. The same picture twice is one photo (200 the second time).
func (s *Server) uploadPhoto(c *gin.Context) {
	ctx := c.Request.Context()
	in, err := s.findVisibleInspection(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if p := principal(c); in.TeamID == nil || *in.TeamID != p.TeamID {
		s.writeError(c, models.NewError(models.EFORBIDDEN, "only the team that made the inspection adds its photos", "chỉ tổ đã kiểm tra mới được thêm ảnh"))
		return
	}
	r, _, done, err := uploadedFile(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	defer done()
	info, err := s.blobs.Put(r)
	if err != nil {
		s.writeError(c, asTooLarge(err))
		return
	}
	p := &models.Photo{ID: uuid.NewString(), InspectionID: in.ID, SHA256: info.SHA256, ContentType: info.ContentType, SizeBytes: info.Size,
		Width: info.Width, Height: info.Height, Lat: info.Lat, Lon: info.Lon, TakenAt: info.TakenAt, CreatedBy: actor(c)}
	stored, created, err := s.photos.AddPhoto(ctx, actor(c), p)
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeSaved(c, created, "", stored)
}

func (s *Server) getPhoto(c *gin.Context) {
	in, err := s.findVisibleInspection(c, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	p, err := s.photos.FindPhoto(c.Request.Context(), in.ID, c.Param("photo"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	f, _, err := s.blobs.Open(p.SHA256)
	if err != nil {
		s.writeError(c, err)
		return
	}
	defer f.Close()
	s.sendPhoto(c, f, p.SHA256, p.ContentType, p.SizeBytes)
}

// sendPhoto writes the opened photo sha256 (an inspection's or a tip's): its content never
// changes, so a browser keeps it.
func (s *Server) sendPhoto(c *gin.Context, f io.Reader, sha256, contentType string, size int64) {
	c.Header("Content-Type", contentType)
	c.Header("Content-Length", strconv.FormatInt(size, 10))
	c.Header("Cache-Control", "private, max-age=86400, immutable")
	c.Header("ETag", `"`+sha256+`"`)
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, f); err != nil {
		loggerFrom(c, s.log).Warn("sending a photo", "err", err)
	}
}
