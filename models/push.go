package models

import (
	"context"
	"encoding/base64"
	"net/url"
	"strings"
	"time"
)

// PushSubscription is one device's Web Push subscription (RFC 8030): the push service's
// endpoint that names it, and the keys the payload is encrypted to (RFC 8291).
type PushSubscription struct {
	Endpoint  string    `json:"endpoint" gorm:"primaryKey"`
	UserID    string    `json:"-"`
	P256DH    string    `json:"p256dh" gorm:"column:p256dh"` // the browser's P-256 public key, base64url
	Auth      string    `json:"auth"`                        // the 16-byte authentication secret, base64url
	Lang      string    `json:"lang"`                        // vi or en: the language the message is written in
	UserAgent string    `json:"user_agent"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// TableName is the table of push subscriptions.
func (PushSubscription) TableName() string { return "push_subscriptions" }

// PushSubscriptionInput is what the app sends after PushManager.subscribe: the subscription's
// toJSON() and the app's language.
type PushSubscriptionInput struct {
	Endpoint string `json:"endpoint"`
	Keys     struct {
		P256DH string `json:"p256dh"`
		Auth   string `json:"auth"`
	} `json:"keys"`
	Lang string `json:"lang"`
}

// decodeKey reads a base64url key with or without padding.
func decodeKey(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

// Validate checks a subscription: an https endpoint on one of hosts (the push services this
// service sends to; a host may be "*.example.com" for its subdomains), an uncompressed P-256
// point and a 16-byte secret. The hosts are a list because the server posts to the endpoint:
// without it, anyone signed in could make it post to an address inside the office network.
// Plain http is taken for a loopback host only, where a test's push service listens.
func (in *PushSubscriptionInput) Validate(hosts []string) (*PushSubscription, error) {
	var v Validation
	u, err := url.Parse(strings.TrimSpace(in.Endpoint))
	switch {
	case in.Endpoint == "":
		v.Add("endpoint", "is required", "là bắt buộc")
	case err != nil || u.Host == "" || len(in.Endpoint) > 1000:
		v.Add("endpoint", "is not a push service's address", "không phải địa chỉ của dịch vụ đẩy thông báo")
	case !(u.Scheme == "https" || u.Scheme == "http" && isLoopback(u.Hostname())):
		v.Add("endpoint", "must be an https address", "phải là địa chỉ https")
	case u.Scheme == "https" && u.Port() != "" && u.Port() != "443":
		v.Add("endpoint", "must be on the push service's https port 443", "phải dùng cổng https 443 của dịch vụ đẩy thông báo")
	case !hostAllowed(u.Hostname(), hosts):
		v.Add("endpoint", "is not a push service this server sends to: %s", "không phải dịch vụ đẩy thông báo mà máy chủ này gửi tới: %s", strings.Join(hosts, ", "))
	}
	if k, err := decodeKey(in.Keys.P256DH); err != nil || len(k) != 65 || k[0] != 4 {
		v.Add("keys.p256dh", "must be the browser's P-256 public key (65 bytes, base64url)", "phải là khóa công khai P-256 của trình duyệt (65 byte, base64url)")
	}
	if k, err := decodeKey(in.Keys.Auth); err != nil || len(k) != 16 {
		v.Add("keys.auth", "must be the 16-byte authentication secret (base64url)", "phải là khóa xác thực 16 byte (base64url)")
	}
	lang := in.Lang
	if lang == "" {
		lang = "vi"
	}
	if lang != "vi" && lang != "en" {
		v.Add("lang", "must be vi or en", "phải là vi hoặc en")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return &PushSubscription{Endpoint: strings.TrimSpace(in.Endpoint), P256DH: in.Keys.P256DH, Auth: in.Keys.Auth, Lang: lang}, nil
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

func hostAllowed(host string, hosts []string) bool {
	host = strings.ToLower(host)
	for _, h := range hosts {
		h = strings.ToLower(h)
		if rest, ok := strings.CutPrefix(h, "*."); ok {
			if strings.HasSuffix(host, "."+rest) {
				return true
			}
		} else if host == h {
			return true
		}
	}
	return false
}

// PushStore keeps the push subscriptions.
type PushStore interface {
	// SavePushSubscription stores s for user, replacing the endpoint's earlier subscription
	// (the same device subscribing again, or another user signing in on it).
	SavePushSubscription(ctx context.Context, userID string, s *PushSubscription) (*PushSubscription, error)
	// DeletePushSubscription removes the user's subscription of endpoint; removing one that
	// is not there is not an error (the app unsubscribes twice).
	DeletePushSubscription(ctx context.Context, userID, endpoint string) error
	// FindPushSubscriptions returns a user's subscriptions, newest first.
	FindPushSubscriptions(ctx context.Context, userID string) ([]*PushSubscription, error)
	// ForgetPushEndpoint removes endpoint whoever it belongs to: the push service said it is
	// gone (404, 410).
	ForgetPushEndpoint(ctx context.Context, endpoint string) error
}
