package notify

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"kiemtra/models"
)

// VAPID is the application server's identity towards the push services (RFC 8292): a P-256
// key pair, the public half of which the browsers subscribed with, and a contact.
type VAPID struct {
	key     *ecdsa.PrivateKey
	Public  string // the public key, uncompressed, base64url: the app's applicationServerKey
	Subject string // mailto: or https: contact the push services can reach the operator at
}

// ParseVAPID reads a VAPID private key as the usual tools write it (the 32-byte scalar,
// base64url) and the subject (a mailto: or https: URL).
func ParseVAPID(private, subject string) (*VAPID, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(strings.TrimSpace(private), "="))
	if err != nil {
		return nil, fmt.Errorf("the private key is not base64url: %w", err)
	}
	key, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), raw)
	if err != nil {
		return nil, fmt.Errorf("the private key is not a P-256 key: %w", err)
	}
	if u, err := url.Parse(subject); err != nil || (u.Scheme != "mailto" && u.Scheme != "https") || (u.Opaque == "" && u.Host == "") {
		return nil, fmt.Errorf("the subject %q is not a mailto: or https: address, such as mailto:kiemtra@soyte.cantho.gov.vn", subject)
	}
	return newVAPID(key, subject)
}

// GenerateVAPID makes a new key pair and answers it with its private key written as
// ParseVAPID reads it.
func GenerateVAPID(subject string) (*VAPID, string, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, "", err
	}
	v, err := newVAPID(key, subject)
	if err != nil {
		return nil, "", err
	}
	raw, err := key.Bytes()
	if err != nil {
		return nil, "", err
	}
	return v, base64.RawURLEncoding.EncodeToString(raw), nil
}

func newVAPID(key *ecdsa.PrivateKey, subject string) (*VAPID, error) {
	pub, err := key.PublicKey.Bytes()
	if err != nil {
		return nil, err
	}
	return &VAPID{key: key, Public: base64.RawURLEncoding.EncodeToString(pub), Subject: subject}, nil
}

// authorization is the Authorization header for a push to endpoint: a JWT for the endpoint's
// origin, valid 12 hours (the services refuse more than 24), and the public key.
func (v *VAPID) authorization(endpoint string, now time.Time) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", err
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.MapClaims{
		"aud": u.Scheme + "://" + u.Host,
		"exp": now.Add(12 * time.Hour).Unix(),
		"sub": v.Subject,
	})
	signed, err := tok.SignedString(v.key)
	if err != nil {
		return "", err
	}
	return "vapid t=" + signed + ", k=" + v.Public, nil
}

// PushStore is what the push channel reads: the recipient's subscriptions, and the endpoints
// the push service said are gone.
type PushStore interface {
	FindPushSubscriptions(ctx context.Context, userID string) ([]*models.PushSubscription, error)
	ForgetPushEndpoint(ctx context.Context, endpoint string) error
}

// WebPush is the push channel: it encrypts each notification to every device the recipient
// subscribed (RFC 8291) and posts it to the device's push service (RFC 8030). The service
// worker of the app shows it.
type WebPush struct {
	vapid  *VAPID
	store  PushStore
	client *http.Client
}

// NewWebPush returns the push channel signing with vapid. client nil means one with a 30 s
// timeout.
func NewWebPush(vapid *VAPID, store PushStore, client *http.Client) *WebPush {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	// A push service answers; it does not send elsewhere. A redirect would take the request
	// (and its VAPID token) to a host the subscription's check never saw.
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	client = &c
	return &WebPush{vapid: vapid, store: store, client: client}
}

// PushMessage is what the service worker receives, in the language the device subscribed in.
type PushMessage struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Title string `json:"title"`
	Body  string `json:"body"`
	Link  string `json:"link"`
}

// errPushGone is a push service's answer that the subscription is no longer usable: gone
// (404, 410), or made with another VAPID key (403, after the key was changed).
var errPushGone = errors.New("the subscription is gone")

// errPushRefused is a push service's refusal of this message for this device (400, 413):
// sending it again cannot help.
var errPushRefused = errors.New("the push service refused the message")

// Deliver pushes n to each of the recipient's devices. A device whose subscription is gone is
// forgotten, and one that refuses the message is passed over: with no device reached and none
// left to try it answers ErrNoAddress, or ErrRejected when a device refused it. A failure that
// may pass (a 5xx, the network) fails the attempt, which sends again to every device: the row
// id is the message's Topic and the shown notification's tag, so a device that had it
// replaces it instead of showing it twice.
func (p *WebPush) Deliver(ctx context.Context, n *models.Notification, to Recipient, text Text) error {
	subs, err := p.store.FindPushSubscriptions(ctx, to.User.ID)
	if err != nil {
		return err
	}
	var errs, refused []error
	reached := 0
	for _, s := range subs {
		msg := PushMessage{ID: n.ID, Kind: n.Kind, Title: text.TitleVI, Body: text.BodyVI, Link: n.Link}
		if s.Lang == "en" {
			msg.Title, msg.Body = text.TitleEN, text.BodyEN
		}
		err := p.send(ctx, s, n, msg)
		switch {
		case errors.Is(err, errPushGone):
			if err := p.store.ForgetPushEndpoint(ctx, s.Endpoint); err != nil {
				errs = append(errs, err)
			}
		case errors.Is(err, errPushRefused):
			refused = append(refused, err)
		case err != nil:
			errs = append(errs, err)
		default:
			reached++
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	switch {
	case reached > 0:
		return nil
	case len(refused) > 0:
		return fmt.Errorf("%w: %w", ErrRejected, errors.Join(refused...))
	}
	return fmt.Errorf("%w: no device subscribed to push", ErrNoAddress)
}

// maxPushPayload is what every push service takes (RFC 8030 section 7.2: at least 4096 bytes
// of payload), less the record's header and tag.
const maxPushPayload = 4096 - 86 - 17

func (p *WebPush) send(ctx context.Context, s *models.PushSubscription, n *models.Notification, msg PushMessage) error {
	plain, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	for len(plain) > maxPushPayload && len(msg.Body) > 0 {
		// The title and the link are what the device needs; the body is cut, on a rune.
		r := []rune(msg.Body)
		msg.Body = string(r[:len(r)*3/4]) + "…"
		if plain, err = json.Marshal(msg); err != nil {
			return err
		}
	}
	if len(plain) > maxPushPayload {
		return fmt.Errorf("%w: the title and link take %d bytes, more than a push carries", errPushRefused, len(plain))
	}
	body, err := EncryptPush(s.P256DH, s.Auth, plain)
	if err != nil {
		return fmt.Errorf("encrypt for %s: %w", pushOrigin(s.Endpoint), err)
	}
	// The wall clock, not the service's: the push service checks the JWT's expiry by its own.
	auth, err := p.vapid.authorization(s.Endpoint, time.Now())
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.Endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", auth)
	req.Header.Set("Content-Encoding", "aes128gcm")
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("TTL", "86400") // a day: a team's day is over after it
	req.Header.Set("Topic", strings.ReplaceAll(n.ID, "-", ""))
	urgency := "normal"
	if n.BypassQuiet {
		urgency = "high"
	}
	req.Header.Set("Urgency", urgency)
	resp, err := p.client.Do(req)
	if err != nil {
		return fmt.Errorf("push to %s: %w", pushOrigin(s.Endpoint), err)
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone || resp.StatusCode == http.StatusForbidden:
		return errPushGone
	case resp.StatusCode == http.StatusBadRequest || resp.StatusCode == http.StatusRequestEntityTooLarge:
		return fmt.Errorf("%w: %s %s", errPushRefused, resp.Status, strings.TrimSpace(string(reply)))
	default:
		return fmt.Errorf("push to %s: %s %s", pushOrigin(s.Endpoint), resp.Status, strings.TrimSpace(string(reply)))
	}
}

// pushOrigin names a push service in errors without the endpoint's path, which identifies the
// device.
func pushOrigin(endpoint string) string {
	if u, err := url.Parse(endpoint); err == nil {
		return u.Scheme + "://" + u.Host
	}
	return "the push service"
}

// EncryptPush encrypts plain for a browser's subscription keys (RFC 8291, content coding
// aes128gcm of RFC 8188, one record): p256dh is the browser's public key, auth its secret,
// both base64url.
func EncryptPush(p256dh, auth string, plain []byte) ([]byte, error) {
	uaPub, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(p256dh, "="))
	if err != nil {
		return nil, fmt.Errorf("p256dh: %w", err)
	}
	secret, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(auth, "="))
	if err != nil || len(secret) != 16 {
		return nil, errors.New("auth: not a 16-byte secret")
	}
	as, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	return encryptPush(uaPub, secret, plain, as, salt)
}

// encryptPush is EncryptPush with the sender's key and the salt given, for the RFC's example.
func encryptPush(uaPub, secret, plain []byte, as *ecdh.PrivateKey, salt []byte) ([]byte, error) {
	ua, err := ecdh.P256().NewPublicKey(uaPub)
	if err != nil {
		return nil, fmt.Errorf("p256dh: %w", err)
	}
	asPub := as.PublicKey().Bytes()
	cek, nonce, err := pushKeys(as, ua, secret, salt, asPub, uaPub)
	if err != nil {
		return nil, err
	}
	gcm, err := newGCM(cek)
	if err != nil {
		return nil, err
	}
	header := make([]byte, 0, 21+len(asPub))
	header = append(header, salt...)
	header = binary.BigEndian.AppendUint32(header, 4096)
	header = append(header, byte(len(asPub)))
	header = append(header, asPub...)
	// One record, its last: the content, then the delimiter 2, no padding.
	return gcm.Seal(header, nonce, append(append([]byte{}, plain...), 2), nil), nil
}

// DecryptPush is what the browser does with a push: the inverse of EncryptPush for the
// holder of the subscription's private key. The tests' push peer uses it.
func DecryptPush(ua *ecdh.PrivateKey, auth []byte, body []byte) ([]byte, error) {
	if len(body) < 21 {
		return nil, errors.New("too short for an aes128gcm header")
	}
	salt, idlen := body[:16], int(body[20])
	if len(body) < 21+idlen {
		return nil, errors.New("too short for its key id")
	}
	asPub := body[21 : 21+idlen]
	as, err := ecdh.P256().NewPublicKey(asPub)
	if err != nil {
		return nil, fmt.Errorf("key id: %w", err)
	}
	cek, nonce, err := pushKeys(ua, as, auth, salt, asPub, ua.PublicKey().Bytes())
	if err != nil {
		return nil, err
	}
	gcm, err := newGCM(cek)
	if err != nil {
		return nil, err
	}
	padded, err := gcm.Open(nil, nonce, body[21+idlen:], nil)
	if err != nil {
		return nil, err
	}
	i := bytes.LastIndexByte(padded, 2)
	if i < 0 || len(bytes.Trim(padded[i+1:], "\x00")) != 0 {
		return nil, errors.New("no last-record delimiter")
	}
	return padded[:i], nil
}

// pushKeys derives the content key and nonce of RFC 8291 section 3.4 from one side's private
// key and the other's public key.
func pushKeys(mine *ecdh.PrivateKey, theirs *ecdh.PublicKey, auth, salt, asPub, uaPub []byte) (cek, nonce []byte, err error) {
	shared, err := mine.ECDH(theirs)
	if err != nil {
		return nil, nil, err
	}
	info := append(append([]byte("WebPush: info\x00"), uaPub...), asPub...)
	ikm, err := hkdf.Key(sha256.New, shared, auth, string(info), 32)
	if err != nil {
		return nil, nil, err
	}
	if cek, err = hkdf.Key(sha256.New, ikm, salt, "Content-Encoding: aes128gcm\x00", 16); err != nil {
		return nil, nil, err
	}
	if nonce, err = hkdf.Key(sha256.New, ikm, salt, "Content-Encoding: nonce\x00", 12); err != nil {
		return nil, nil, err
	}
	return cek, nonce, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
