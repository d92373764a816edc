package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"kiemtra/models"
)

// TextMessage is one text message (SMS or Zalo) handed to a provider.
type TextMessage struct {
	// ID is the notification's id: the same on every retry, so that a provider that dedupes
	// on it sends a message handed over twice (a crash after its acceptance) once.
	ID      string `json:"message_id"`
	Channel string `json:"channel"` // models.ChannelSMS or models.ChannelZalo
	Phone   string `json:"phone"`   // the recipient, as +84912345678
	Text    string `json:"text"`
}

// Provider sends text messages: one interface for SMS and Zalo gateways. Send answers nil when
// the provider accepted the message, an error wrapping ErrRejected when it refused this
// message for good (retrying cannot help), and any other error when a later attempt may pass.
type Provider interface {
	Send(ctx context.Context, msg TextMessage) error
}

// ErrRejected means the provider refused the message for good (a bad number, a blocked
// recipient, a request it cannot read): the worker marks the row failed at once.
var ErrRejected = errors.New("rejected by the provider")

// HTTPProviderConfig is a provider's HTTP endpoint. Off when URL is empty.
type HTTPProviderConfig struct {
	URL     string        // the endpoint messages are POSTed to (http or https)
	Token   string        // sent as "Authorization: Bearer <token>"
	Timeout time.Duration // per request; default 30s
}

// ValidateProviderURL checks an endpoint: an absolute http(s) URL with a host.
func ValidateProviderURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) address such as https://sms.example.vn/v1/messages", s)
	}
	return nil
}

// Validate checks the configuration of an enabled provider.
func (c HTTPProviderConfig) Validate() error {
	if c.URL == "" {
		if c.Token != "" {
			return errors.New("a token is set without the provider's URL")
		}
		return nil
	}
	if err := ValidateProviderURL(c.URL); err != nil {
		return err
	}
	if c.Token == "" {
		return errors.New("the provider's URL needs its token")
	}
	return nil
}

// HTTPProvider speaks the providers' common protocol: a POST of the message as JSON with the
// bearer token, and an Idempotency-Key header equal to the message id, so that a provider
// that honours the header sends a message handed over twice once. A 2xx answer is an
// acceptance; 408, 429 and 5xx (and no answer) are temporary; any other answer is a refusal.
type HTTPProvider struct {
	cfg    HTTPProviderConfig
	client *http.Client
}

// NewHTTPProvider returns the provider at cfg.URL, or nil when no URL is configured (off).
func NewHTTPProvider(cfg HTTPProviderConfig) (*HTTPProvider, error) {
	if cfg.URL == "" {
		return nil, cfg.Validate()
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	// A redirect is a misconfigured endpoint: it is not followed (the token would go along),
	// and the attempt fails and is retried until the operator mends the URL.
	client := &http.Client{Timeout: cfg.Timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &HTTPProvider{cfg: cfg, client: client}, nil
}

// Send POSTs msg to the endpoint.
func (p *HTTPProvider) Send(ctx context.Context, msg TextMessage) error {
	body, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.cfg.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+p.cfg.Token)
	req.Header.Set("Idempotency-Key", msg.ID)
	res, err := p.client.Do(req)
	if err != nil {
		// The URL is named without its query, which may hold a provider's key.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("%s provider %s: %w", msg.Channel, p.where(), err)
	}
	defer res.Body.Close()
	// What the provider says, kept short for the outbox's last error.
	said, _ := io.ReadAll(io.LimitReader(res.Body, 300))
	io.Copy(io.Discard, io.LimitReader(res.Body, 1<<16)) // lets the connection be reused
	if res.StatusCode >= 200 && res.StatusCode < 300 {
		return nil
	}
	err = fmt.Errorf("%s provider %s answered %s: %s", msg.Channel, p.where(), res.Status, strings.TrimSpace(strings.ToValidUTF8(string(said), "")))
	switch {
	case res.StatusCode == http.StatusRequestTimeout, res.StatusCode == http.StatusTooManyRequests, res.StatusCode >= 500:
		return err
	case res.StatusCode >= 400:
		return fmt.Errorf("%w: %w", ErrRejected, err)
	}
	return err
}

func (p *HTTPProvider) where() string {
	u, err := url.Parse(p.cfg.URL)
	if err != nil {
		return "(bad URL)"
	}
	return u.Scheme + "://" + u.Host + u.Path
}

// MaxTextRunes bounds a text message: five segments of a Unicode SMS (67 characters each once
// concatenated), which a title and its link fit in with room to spare.
const MaxTextRunes = 335

// Texter is a text-message channel (SMS or Zalo): the notification's Vietnamese title and its
// link, sent through a Provider to the phone of the recipient's notification settings.
type Texter struct {
	channel  string
	provider Provider
	baseURL  string
}

// NewTexter returns the channel named channel (models.ChannelSMS, models.ChannelZalo) over
// provider. baseURL makes the links absolute (https://kiemtra.cantho.gov.vn); without it the
// link is left out, since a path means nothing on a phone's messages.
func NewTexter(channel string, provider Provider, baseURL string) *Texter {
	return &Texter{channel: channel, provider: provider, baseURL: strings.TrimRight(baseURL, "/")}
}

// Deliver sends n to the recipient's phone. A user without one cannot be reached
// (ErrNoAddress: the row is skipped).
func (t *Texter) Deliver(ctx context.Context, n *models.Notification, to Recipient, text Text) error {
	if to.Settings == nil || to.Settings.Phone == "" {
		return fmt.Errorf("%w: the user has no phone number in their notification settings", ErrNoAddress)
	}
	return t.provider.Send(ctx, TextMessage{ID: n.ID, Channel: t.channel, Phone: to.Settings.Phone, Text: t.Text(n, text)})
}

// Text is the message: the Vietnamese title, then the absolute link, at most MaxTextRunes
// characters (a long title is cut, the link is kept whole). Its words come from the Renderer,
// which reads the params only: never a tip's text or its reporter.
func (t *Texter) Text(n *models.Notification, text Text) string {
	title := strings.Join(strings.Fields(text.TitleVI), " ")
	link := ""
	if n.Link != "" && t.baseURL != "" {
		link = "\nXem chi tiết: " + t.baseURL + n.Link
	}
	if utf8.RuneCountInString(link) > MaxTextRunes/2 {
		link = "" // a link that long would crowd out the message; the app has it
	}
	room := MaxTextRunes - utf8.RuneCountInString(link)
	if utf8.RuneCountInString(title) > room {
		r := []rune(title)
		title = strings.TrimSpace(string(r[:room-1])) + "…"
	}
	return title + link
}
