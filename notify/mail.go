package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"

	"kiemtra/models"
)

// SMTP TLS modes.
const (
	TLSStartTLS      = "starttls"      // STARTTLS required (the default)
	TLSOpportunistic = "opportunistic" // STARTTLS when the server offers it
	TLSImplicit      = "tls"           // TLS from the first byte (port 465)
	TLSNone          = "none"          // plain text: only for a relay on the same host or network
)

// SMTPConfig is the mail server e-mails go through. Off when Host is empty.
type SMTPConfig struct {
	Host     string
	Port     int // default 587, or 465 with TLSImplicit
	User     string
	Password string
	From     string // the sender, such as "kiemtra <kiemtra@socialabour.cantho.gov.vn>"
	TLS      string // one of the TLS modes; default starttls
	// BaseURL makes the links of e-mails absolute (https://kiemtra.cantho.gov.vn); without it
	// they are paths of this server.
	BaseURL string
	// MessageIDDomain ends the Message-IDs (<notification id@domain>); default the From domain.
	MessageIDDomain string
	Timeout         time.Duration // per connection; default 30s
}

// Validate checks the configuration of an enabled mailer.
func (c SMTPConfig) Validate() error {
	if c.Host == "" {
		return nil
	}
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("the SMTP port %d is not between 1 and 65535", c.Port)
	}
	switch c.TLS {
	case "", TLSStartTLS, TLSOpportunistic, TLSImplicit, TLSNone:
	default:
		return fmt.Errorf("the SMTP TLS mode %q is not one of starttls, opportunistic, tls, none", c.TLS)
	}
	if c.From == "" {
		return errors.New("an SMTP host needs a From address")
	}
	if err := mail.NewMsg().From(c.From); err != nil {
		return fmt.Errorf("the From address %q is not an e-mail address", c.From)
	}
	return nil
}

// Mailer is the e-mail channel: one message per notification, in UTF-8, Vietnamese first.
type Mailer struct {
	cfg SMTPConfig
}

// NewMailer returns the e-mail channel, or nil when no host is configured (e-mail is off).
func NewMailer(cfg SMTPConfig) (*Mailer, error) {
	if cfg.Host == "" {
		return nil, nil
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	if cfg.Port == 0 {
		cfg.Port = 587
		if cfg.TLS == TLSImplicit {
			cfg.Port = 465
		}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.MessageIDDomain == "" {
		from := cfg.From
		if i := strings.LastIndexByte(from, '@'); i >= 0 {
			cfg.MessageIDDomain = strings.Trim(from[i+1:], "> ")
		}
	}
	return &Mailer{cfg: cfg}, nil
}

// MessageID is the Message-ID of notification id: the same on every retry, so that a message
// handed over twice (a crash between the server's acceptance and the outbox's mark) is one
// message to the servers and clients that dedupe on it.
func (m *Mailer) MessageID(id string) string { return id + "@" + m.cfg.MessageIDDomain }

// Deliver sends n to the recipient's notification address. A user without one cannot be
// mailed (ErrNoAddress: the row is skipped).
func (m *Mailer) Deliver(ctx context.Context, n *models.Notification, to Recipient, text Text) error {
	if to.Settings == nil || to.Settings.Email == "" {
		return fmt.Errorf("%w: the user has no e-mail address in their notification settings", ErrNoAddress)
	}
	msg := mail.NewMsg(mail.WithCharset(mail.CharsetUTF8), mail.WithEncoding(mail.EncodingQP))
	if err := msg.From(m.cfg.From); err != nil {
		return err
	}
	if err := msg.AddToFormat(to.User.DisplayName, to.Settings.Email); err != nil {
		return fmt.Errorf("%w: %v", ErrNoAddress, err)
	}
	msg.Subject(text.TitleVI)
	msg.SetMessageIDWithValue(m.MessageID(n.ID))
	msg.SetDateWithValue(n.CreatedAt)
	msg.SetGenHeader("Content-Language", "vi, en")
	msg.SetBodyString(mail.TypeTextPlain, m.body(n, text))
	opts := []mail.Option{mail.WithPort(m.cfg.Port), mail.WithTimeout(m.cfg.Timeout)}
	switch m.cfg.TLS {
	case TLSImplicit:
		opts = append(opts, mail.WithSSL())
	case TLSOpportunistic:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	case TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	}
	if m.cfg.User != "" {
		auth := mail.SMTPAuthPlain
		if m.cfg.TLS == TLSNone {
			auth = mail.SMTPAuthPlainNoEnc // the operator chose a plain-text relay
		}
		opts = append(opts, mail.WithSMTPAuth(auth), mail.WithUsername(m.cfg.User), mail.WithPassword(m.cfg.Password))
	}
	c, err := mail.NewClient(m.cfg.Host, opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("smtp %s:%d: %w", m.cfg.Host, m.cfg.Port, err)
	}
	return nil
}

// body is the plain-text body: Vietnamese, the link, then English.
func (m *Mailer) body(n *models.Notification, text Text) string {
	link := n.Link
	if link != "" && m.cfg.BaseURL != "" {
		link = strings.TrimRight(m.cfg.BaseURL, "/") + link
	}
	var b strings.Builder
	b.WriteString(text.BodyVI + "\n")
	if link != "" {
		b.WriteString("\nXem chi tiết: " + link + "\n")
	}
	b.WriteString("\n-- \n" + text.TitleEN + "\n" + text.BodyEN + "\n")
	if link != "" {
		b.WriteString("Details: " + link + "\n")
	}
	b.WriteString("\nThư này do hệ thống kiemtra gửi tự động; bạn có thể tắt loại thông báo này trong phần cài đặt thông báo.\n")
	return b.String()
}
