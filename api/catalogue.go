package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// versionParam reads ?version= (0 when absent: the version in force).
func versionParam(c *gin.Context) (int, error) {
	v := c.Query("version")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, models.Invalid("version", "must be a version number from 1", "phải là số phiên bản từ 1")
	}
	return n, nil
}

// checklists answers a checklist version; its ETag is of the bytes, so that a phone asking again
// with If-None-Match gets 304 until a planner saves a new version.
func (s *Server) checklists(c *gin.Context) {
	version, err := versionParam(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	cl, err := s.fieldwork.Checklist(c.Request.Context(), c.Query("category"), version)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.writeCacheable(c, cl)
}

func (s *Server) checklistHistory(c *gin.Context) {
	h, err := s.fieldwork.ChecklistHistory(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": h})
}

func (s *Server) updateChecklist(c *gin.Context) {
	var e models.ChecklistEdit
	if err := bindJSON(c, &e); err != nil {
		s.writeError(c, err)
		return
	}
	cl, err := s.fieldwork.UpdateChecklist(c.Request.Context(), caller(c), c.Param("category"), e)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, cl)
}

func (s *Server) violations(c *gin.Context) {
	version, err := versionParam(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	vs, err := s.fieldwork.Violations(c.Request.Context(), version)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.writeCacheable(c, vs)
}

func (s *Server) violationHistory(c *gin.Context) {
	h, err := s.fieldwork.ViolationHistory(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": h})
}

func (s *Server) updateViolations(c *gin.Context) {
	var e models.ViolationEdit
	if err := bindJSON(c, &e); err != nil {
		s.writeError(c, err)
		return
	}
	vs, err := s.fieldwork.UpdateViolations(c.Request.Context(), caller(c), e)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, vs)
}
