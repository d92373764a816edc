package api

import (
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// Every piece of text a request carries passes models.CheckText before a handler sees it:
// JSON bodies in decodeStrict (through models.CheckJSONText), path and query parameters in
// checkParams, form fields and multipart file names where the handlers read them (checkValues,
// uploadedFile). PostgreSQL refuses NUL and invalid UTF-8 where SQLite stores them, so without
// this the two databases would not accept the same data.

// checkParams refuses a request whose path or query parameters are not acceptable text, with
// 400 naming the parameter. It runs after authorization so that a caller without access learns
// nothing more than before.
func (s *Server) checkParams(c *gin.Context) {
	for _, p := range c.Params {
		if err := models.CheckText(p.Key, p.Value); err != nil {
			s.writeError(c, err)
			return
		}
	}
	if err := checkValues(c.Request.URL.Query()); err != nil {
		s.writeError(c, err)
		return
	}
	c.Next()
}

// checkValues checks the names and values of query parameters or form fields, in name order
// so that the same request always names the same field.
func checkValues(vals url.Values) error {
	names := make([]string, 0, len(vals))
	for k := range vals {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if models.CheckText(k, k) != nil {
			// The bad name itself would make a bad field name in the answer.
			return models.CheckText("parameter", k)
		}
		for _, v := range vals[k] {
			if err := models.CheckText(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}
