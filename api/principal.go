package api

import (
	"context"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// Principal is the authenticated caller: who, in which role, where.
type Principal struct {
	UserID   string
	Username string
	Role     string
	AreaCode string // jurisdiction
	Agency   string // the user's agency (an agency code)
	AreaPath string
	TeamID   string
	// UnitCodes and UnitPaths narrow a field officer's jurisdiction to the units their team
	// serves when the team's cluster is smaller than the officer's unit (a cluster of communes
	// under the city); empty otherwise.
	UnitCodes []string
	UnitPaths []string
}

type principalKey struct{}

// WithPrincipal returns ctx carrying the caller.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// principal returns the caller, or nil for an anonymous request.
func principal(c *gin.Context) *Principal {
	p, _ := c.Request.Context().Value(principalKey{}).(*Principal)
	return p
}

// actor names the caller in the audit log.
func actor(c *gin.Context) string {
	if p := principal(c); p != nil {
		return p.Username
	}
	return "anonymous"
}

// isAdmin reports whether the caller is an administrator.
func isAdmin(c *gin.Context) bool {
	p := principal(c)
	return p != nil && p.Role == models.RoleAdmin
}
