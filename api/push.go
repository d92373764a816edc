package api

import (
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// PushConfig is the server's Web Push: the subscriptions, the public key the browsers
// subscribe with, and the push services' hosts a subscription may name.
type PushConfig struct {
	Store     models.PushStore
	PublicKey string
	Hosts     []string
}

// pushKeyView tells the app whether it can offer push, and the key to subscribe with.
type pushKeyView struct {
	Enabled   bool   `json:"enabled"`
	PublicKey string `json:"public_key,omitempty"`
}

// pushSubscriptionView is one of the user's devices: the push service's origin names it for
// people, the endpoint for the app (which finds its own among them).
type pushSubscriptionView struct {
	Endpoint  string    `json:"endpoint"`
	Service   string    `json:"service"`
	Lang      string    `json:"lang"`
	UserAgent string    `json:"user_agent"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func (s *Server) registerPushRoutes(g *gin.RouterGroup) {
	g.GET("/push/key", s.getPushKey)
	g.GET("/me/push-subscriptions", s.listMyPushSubscriptions)
	g.POST("/me/push-subscriptions", s.addMyPushSubscription)
	g.DELETE("/me/push-subscriptions", s.deleteMyPushSubscription)
}

func (s *Server) pushOff(c *gin.Context) bool {
	if s.push.Store == nil || s.push.PublicKey == "" {
		s.writeError(c, models.NewError(models.EUNAVAILABLE, "push notifications are not set up on this server", "máy chủ này chưa bật thông báo đẩy"))
		return true
	}
	return false
}

func (s *Server) getPushKey(c *gin.Context) {
	if s.push.Store == nil || s.push.PublicKey == "" {
		c.JSON(http.StatusOK, pushKeyView{})
		return
	}
	c.JSON(http.StatusOK, pushKeyView{Enabled: true, PublicKey: s.push.PublicKey})
}

func subscriptionView(p *models.PushSubscription) pushSubscriptionView {
	v := pushSubscriptionView{Endpoint: p.Endpoint, Lang: p.Lang, UserAgent: p.UserAgent, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	if u, err := url.Parse(p.Endpoint); err == nil {
		v.Service = u.Host
	}
	return v
}

func (s *Server) listMyPushSubscriptions(c *gin.Context) {
	if s.pushOff(c) {
		return
	}
	subs, err := s.push.Store.FindPushSubscriptions(c.Request.Context(), principal(c).UserID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	out := make([]pushSubscriptionView, 0, len(subs))
	for _, p := range subs {
		out = append(out, subscriptionView(p))
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

// addMyPushSubscription stores the device's subscription; the app sends it again whenever it
// starts, so a repeat is the same subscription updated.
func (s *Server) addMyPushSubscription(c *gin.Context) {
	if s.pushOff(c) {
		return
	}
	var in models.PushSubscriptionInput
	if err := bindJSON(c, &in); err != nil {
		s.writeError(c, err)
		return
	}
	sub, err := in.Validate(s.push.Hosts)
	if err != nil {
		s.writeError(c, err)
		return
	}
	sub.UserAgent = c.GetHeader("User-Agent")
	if r := []rune(sub.UserAgent); len(r) > 300 {
		sub.UserAgent = string(r[:300])
	}
	saved, err := s.push.Store.SavePushSubscription(c.Request.Context(), principal(c).UserID, sub)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, subscriptionView(saved))
}

func (s *Server) deleteMyPushSubscription(c *gin.Context) {
	if s.pushOff(c) {
		return
	}
	endpoint := c.Query("endpoint")
	if endpoint == "" {
		s.writeError(c, models.Invalid("endpoint", "is required", "là bắt buộc"))
		return
	}
	if err := s.push.Store.DeletePushSubscription(c.Request.Context(), principal(c).UserID, endpoint); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
