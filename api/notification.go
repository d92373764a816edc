package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"kiemtra/models"
)

// NotificationRenderer renders a notification's kind and params as text (notify.Renderer).
type NotificationRenderer interface {
	Render(n *models.Notification) models.NotificationText
}

// notificationView is an in-app notification as the apps show it: the kind and its params,
// for a front-end that words it itself, and the server's wording in both languages.
type notificationView struct {
	ID     string                    `json:"id"`
	Kind   string                    `json:"kind"`
	Params models.NotificationParams `json:"params"`
	Link   string                    `json:"link"`
	models.NotificationText
	State     string     `json:"state"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
	ReadAt    *time.Time `json:"read_at"`
}

// outboxView is a row of the outbox as an administrator follows its delivery: no params, the
// state and the attempts.
type outboxView struct {
	ID            string     `json:"id"`
	UserID        string     `json:"user_id"`
	Channel       string     `json:"channel"`
	Kind          string     `json:"kind"`
	State         string     `json:"state"`
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"last_error"`
	NextAttemptAt *time.Time `json:"next_attempt_at"` // null once nothing more is attempted
	CreatedAt     time.Time  `json:"created_at"`
	SentAt        *time.Time `json:"sent_at"`
}

// notificationSettingsView is a user's settings with every kind and channel spelled out.
type notificationSettingsView struct {
	Email      string                          `json:"email"`
	Phone      string                          `json:"phone"`
	Kinds      map[string]map[string]bool      `json:"kinds"`
	QuietStart string                          `json:"quiet_start"`
	QuietEnd   string                          `json:"quiet_end"`
	TimeZone   string                          `json:"time_zone"` // the zone quiet hours are read in
	Version    int                             `json:"version"`
	UpdatedAt  *time.Time                      `json:"updated_at"`
	Choices    notificationSettingsChoicesView `json:"choices"`
}

type notificationSettingsChoicesView struct {
	Kinds    []string `json:"kinds"`
	Channels []string `json:"channels"`
}

func (s *Server) registerNotificationRoutes(g *gin.RouterGroup) {
	g.GET("/me/notifications", s.listMyNotifications)
	g.POST("/me/notifications/:id/read", s.readMyNotification)
	g.GET("/me/notification-settings", s.getMyNotificationSettings)
	g.PUT("/me/notification-settings", s.putMyNotificationSettings)
	g.GET("/notifications/outbox", s.listOutbox)
}

// notificationsOff answers 503 when the service runs without the outbox (a test server).
func (s *Server) notificationsOff(c *gin.Context) bool {
	if s.notifications == nil {
		s.writeError(c, models.NewError(models.EUNAVAILABLE, "notifications are not available on this server", "máy chủ này không có chức năng thông báo"))
		return true
	}
	return false
}

func (s *Server) notificationView(n *models.Notification) *notificationView {
	v := &notificationView{ID: n.ID, Kind: n.Kind, Params: n.Params, Link: n.Link, State: n.State, CreatedAt: n.CreatedAt, SentAt: n.SentAt, ReadAt: n.ReadAt}
	if v.Params == nil {
		v.Params = models.NotificationParams{}
	}
	if s.renderer != nil {
		v.NotificationText = s.renderer.Render(n)
	}
	return v
}

func queryLimit(c *gin.Context) (int, error) {
	q := c.Query("limit")
	if q == "" {
		return 100, nil
	}
	n, err := strconv.Atoi(q)
	if err != nil || n < 1 || n > 500 {
		return 0, models.Invalid("limit", "must be a whole number from 1 to 500", "phải là số nguyên từ 1 đến 500")
	}
	return n, nil
}

func (s *Server) listMyNotifications(c *gin.Context) {
	if s.notificationsOff(c) {
		return
	}
	limit, err := queryLimit(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	list, err := s.notifications.FindInbox(c.Request.Context(), principal(c).UserID, limit)
	if err != nil {
		s.writeError(c, err)
		return
	}
	items := make([]*notificationView, 0, len(list))
	for _, n := range list {
		items = append(items, s.notificationView(n))
	}
	// All the unread, not those of the page: the office shows the count beside the desk's link.
	unread, err := s.notifications.CountUnread(c.Request.Context(), principal(c).UserID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "unread": unread})
}

func (s *Server) readMyNotification(c *gin.Context) {
	if s.notificationsOff(c) {
		return
	}
	n, err := s.notifications.MarkNotificationRead(c.Request.Context(), principal(c).UserID, c.Param("id"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.notificationView(n))
}

// settingsView spells every kind and channel out; its choices are what a user of role can be
// sent on this service, what the settings screens offer.
func (s *Server) settingsView(st *models.NotificationSettings, role string) *notificationSettingsView {
	delivered := s.notifyChannels
	if delivered == nil {
		delivered = models.NotificationChannels
	}
	kinds, channels := models.NotificationChoices(role, delivered)
	v := &notificationSettingsView{Email: st.Email, Phone: st.Phone, Kinds: map[string]map[string]bool{}, QuietStart: st.QuietStart, QuietEnd: st.QuietEnd,
		TimeZone: s.loc.String(), Version: st.Version,
		Choices: notificationSettingsChoicesView{Kinds: kinds, Channels: channels}}
	if st.Version > 0 {
		at := st.UpdatedAt
		v.UpdatedAt = &at
	}
	for _, k := range models.NotificationKinds {
		v.Kinds[k] = map[string]bool{}
		for _, ch := range models.NotificationChannels {
			v.Kinds[k][ch] = st.Enabled(k, ch)
		}
	}
	return v
}

func (s *Server) getMyNotificationSettings(c *gin.Context) {
	if s.notificationsOff(c) {
		return
	}
	st, err := s.notifications.FindNotificationSettings(c.Request.Context(), principal(c).UserID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.settingsView(st, principal(c).Role))
}

func (s *Server) putMyNotificationSettings(c *gin.Context) {
	if s.notificationsOff(c) {
		return
	}
	var upd models.NotificationSettingsUpdate
	if err := bindJSON(c, &upd); err != nil {
		s.writeError(c, err)
		return
	}
	if upd.Version < 0 {
		s.writeError(c, models.Invalid("version", "must be the version read, or 0 for settings never saved", "phải là phiên bản đã đọc, hoặc 0 khi chưa từng lưu cài đặt"))
		return
	}
	st, err := s.notifications.SaveNotificationSettings(c.Request.Context(), principal(c).UserID, upd)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.settingsView(st, principal(c).Role))
}

func (s *Server) listOutbox(c *gin.Context) {
	if s.notificationsOff(c) {
		return
	}
	f := models.NotificationFilter{State: c.Query("state"), Channel: c.Query("channel"), UserID: c.Query("user")}
	if f.State != "" && !slices.Contains(models.NotificationStates, f.State) {
		s.writeError(c, models.Invalid("state", "must be one of queued, sent, failed, skipped, read", "phải là một trong queued, sent, failed, skipped, read"))
		return
	}
	if f.Channel != "" && !slices.Contains(models.NotificationChannels, f.Channel) {
		all := strings.Join(models.NotificationChannels, ", ")
		s.writeError(c, models.Invalid("channel", "must be one of %s", "phải là một trong %s", all))
		return
	}
	limit, err := queryLimit(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	f.Limit = limit
	list, err := s.notifications.FindNotifications(c.Request.Context(), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	items := make([]*outboxView, 0, len(list))
	for _, n := range list {
		v := &outboxView{ID: n.ID, UserID: n.UserID, Channel: n.Channel, Kind: n.Kind, State: n.State, Attempts: n.Attempts, LastError: n.LastError,
			CreatedAt: n.CreatedAt, SentAt: n.SentAt}
		if n.State == models.NotificationQueued {
			at := n.NextAttemptAt
			v.NextAttemptAt = &at
		}
		items = append(items, v)
	}
	c.JSON(http.StatusOK, gin.H{"items": items})
}
