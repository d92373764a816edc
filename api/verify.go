package api

import (
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
	"kiemtra/web"
)

// registerVerifyRoutes adds the public verification of plans: a page and the bundle that
// `kiemtra verify-plan` checks (docs/verification.md). No sign-in: anyone may check that
// nobody chose the targets. Before the seed is revealed both show the commitments only.
func (s *Server) registerVerifyRoutes(e *gin.Engine) {
	e.GET("/verify/:id", s.verifyPage)
	e.GET("/verify/:id/bundle.json", gzipped, s.verifyBundle)
}

func (s *Server) verifyBundle(c *gin.Context) {
	b, err := s.planner.PlanBundle(c.Request.Context(), c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	// The bundle changes once, at the reveal: a cache asks again.
	c.Header("Cache-Control", "no-cache")
	if b.Revealed {
		c.Header("Content-Disposition", `attachment; filename="kiemtra-plan-`+b.PlanID+`.json"`)
	}
	c.JSON(http.StatusOK, b)
}

var verifyPageTemplate = template.Must(template.New("verify.html").Funcs(template.FuncMap{"yesno": yesNo}).ParseFS(web.Templates(), "templates/verify.html"))

// yesNo is one step of the page's re-derivation in words: ok says how to show it.
func yesNo(ok, vi bool) map[string]any {
	word := map[[2]bool]string{{true, true}: "đúng", {false, true}: "không", {true, false}: "yes", {false, false}: "no"}[[2]bool{ok, vi}]
	return map[string]any{"OK": ok, "Word": word}
}

// planStatusNames name a plan's status for readers, in Vietnamese and English.
var planStatusNames = map[string][2]string{
	models.PlanCommitted:  {"Đã cam kết, chờ kết quả quay số", "Committed, waiting for its draw"},
	models.PlanDraft:      {"Bản dự thảo", "Draft"},
	models.PlanApproved:   {"Đã phê duyệt", "Approved"},
	models.PlanSuperseded: {"Đã được thay bằng kế hoạch lập sau", "Superseded by a later draft"},
}

// planStatusName is the template's name of a status; an unknown one shows as it is.
func planStatusName(status string, vi bool) string {
	n, ok := planStatusNames[status]
	switch {
	case !ok:
		return status
	case vi:
		return n[0]
	}
	return n[1]
}

// verifyPage shows what a plan's bundle proves and how to check it, in the reader's language
// (Vietnamese unless English is asked for).
func (s *Server) verifyPage(c *gin.Context) {
	vi := wantsVietnamese(c)
	b, err := s.planner.PlanBundle(c.Request.Context(), c.Param("id"))
	status := http.StatusOK
	switch {
	case models.IsCode(err, models.ENOTFOUND):
		status, b = http.StatusNotFound, nil
	case err != nil:
		s.writeError(c, err)
		return
	}
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Cache-Control", "no-cache")
	c.Status(status)
	data := map[string]any{"VI": vi, "ID": c.Param("id"), "B": b, "Format": models.PlanBundleFormat, "Loc": s.loc, "StatusName": planStatusName}
	// After the reveal the page shows the server's own re-derivation of the bundle it links,
	// for readers who will not run the command.
	if b != nil && b.Revealed {
		data["Check"] = s.planner.CheckPlanBundle(b)
	}
	if err := verifyPageTemplate.Execute(c.Writer, data); err != nil {
		loggerFrom(c, s.log).Warn("verify page", "err", err)
	}
}
