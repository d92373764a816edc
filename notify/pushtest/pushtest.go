// Package pushtest is a push service for tests: an HTTP server on the loopback that speaks the
// Web Push protocol (RFC 8030) as a browser's push service does, checks the sender's VAPID
// authorization (RFC 8292), and decrypts each message as the subscribed device would
// (RFC 8291), recording what it got.
package pushtest

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"kiemtra/models"
	"kiemtra/notify"
)

// Received is one push the service accepted, decrypted.
type Received struct {
	Endpoint string
	Topic    string
	Urgency  string
	TTL      string
	Message  notify.PushMessage
}

// Device is a subscribed browser: its endpoint at the peer and its keys.
type Device struct {
	Endpoint string
	P256DH   string
	Auth     string
	key      *ecdh.PrivateKey
	auth     []byte
}

// Subscription is what the device's app sends the server after subscribing.
func (d *Device) Subscription(lang string) *models.PushSubscriptionInput {
	in := &models.PushSubscriptionInput{Endpoint: d.Endpoint, Lang: lang}
	in.Keys.P256DH, in.Keys.Auth = d.P256DH, d.Auth
	return in
}

// Peer is the push service.
type Peer struct {
	URL string

	mu       sync.Mutex
	public   string // the VAPID key the server must sign with; "" takes any
	devices  map[string]*Device
	gone     map[string]bool
	answer   map[string]int
	failNext int
	got      []Received
	refused  []string
}

// Start runs a peer until the test ends. public is the server's VAPID public key (base64url)
// that every push must be signed with.
func Start(t testing.TB, public string) *Peer {
	t.Helper()
	p := &Peer{public: public, devices: map[string]*Device{}, gone: map[string]bool{}, answer: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// NewDevice subscribes a new device at the peer.
func (p *Peer) NewDevice(t testing.TB) *Device {
	t.Helper()
	key, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	auth := make([]byte, 16)
	rand.Read(auth)
	id := make([]byte, 12)
	rand.Read(id)
	d := &Device{Endpoint: p.URL + "/push/" + base64.RawURLEncoding.EncodeToString(id), key: key, auth: auth,
		P256DH: base64.RawURLEncoding.EncodeToString(key.PublicKey().Bytes()), Auth: base64.RawURLEncoding.EncodeToString(auth)}
	p.mu.Lock()
	p.devices[d.Endpoint] = d
	p.mu.Unlock()
	return d
}

// Unsubscribe makes the peer answer 410 Gone for the device, as a push service does once the
// browser dropped the subscription.
func (p *Peer) Unsubscribe(d *Device) {
	p.mu.Lock()
	p.gone[d.Endpoint] = true
	p.mu.Unlock()
}

// Answer makes the peer answer status to every push for the device: 403 as for a
// subscription made with another VAPID key, 400 or 413 as for a message it cannot take.
func (p *Peer) Answer(d *Device, status int) {
	p.mu.Lock()
	p.answer[d.Endpoint] = status
	p.mu.Unlock()
}

// FailNext makes the next n pushes answer 503.
func (p *Peer) FailNext(n int) {
	p.mu.Lock()
	p.failNext = n
	p.mu.Unlock()
}

// Received returns the pushes accepted so far.
func (p *Peer) Received() []Received {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Received(nil), p.got...)
}

// Refused returns why the peer refused pushes (a bad authorization, an undecryptable body).
func (p *Peer) Refused() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.refused...)
}

func (p *Peer) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	endpoint := p.URL + r.URL.Path
	refuse := func(code int, why string) {
		p.refused = append(p.refused, why)
		http.Error(w, why, code)
	}
	d, ok := p.devices[endpoint]
	switch {
	case r.Method != http.MethodPost:
		refuse(http.StatusMethodNotAllowed, "not a POST")
		return
	case !ok || p.gone[endpoint]:
		http.Error(w, "no such subscription", http.StatusGone)
		return
	case p.answer[endpoint] != 0:
		http.Error(w, "answered as the test asked", p.answer[endpoint])
		return
	case p.failNext > 0:
		p.failNext--
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
	if err := p.checkVAPID(r.Header.Get("Authorization")); err != nil {
		refuse(http.StatusUnauthorized, err.Error())
		return
	}
	if r.Header.Get("Content-Encoding") != "aes128gcm" || r.Header.Get("TTL") == "" {
		refuse(http.StatusBadRequest, "Content-Encoding aes128gcm and TTL are required")
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8192))
	if len(body) > 4096 {
		refuse(http.StatusRequestEntityTooLarge, "payload over 4096 bytes")
		return
	}
	plain, err := notify.DecryptPush(d.key, d.auth, body)
	if err != nil {
		refuse(http.StatusBadRequest, "decrypt: "+err.Error())
		return
	}
	var msg notify.PushMessage
	if err := json.Unmarshal(plain, &msg); err != nil {
		refuse(http.StatusBadRequest, "payload: "+err.Error())
		return
	}
	p.got = append(p.got, Received{Endpoint: endpoint, Topic: r.Header.Get("Topic"), Urgency: r.Header.Get("Urgency"), TTL: r.Header.Get("TTL"), Message: msg})
	w.WriteHeader(http.StatusCreated)
}

// checkVAPID verifies "vapid t=JWT, k=KEY": the key is the server's, the JWT is signed by it
// for this origin and expires within 24 hours.
func (p *Peer) checkVAPID(h string) error {
	rest, ok := strings.CutPrefix(h, "vapid ")
	if !ok {
		return fmt.Errorf("authorization %q is not vapid", h)
	}
	var tok, k string
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if v, ok := strings.CutPrefix(part, "t="); ok {
			tok = v
		} else if v, ok := strings.CutPrefix(part, "k="); ok {
			k = v
		}
	}
	if p.public != "" && k != p.public {
		return fmt.Errorf("signed with key %s, not the server's", k)
	}
	raw, err := base64.RawURLEncoding.DecodeString(k)
	if err != nil {
		return err
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), raw)
	if err != nil {
		return err
	}
	claims := jwt.MapClaims{}
	if _, err := jwt.ParseWithClaims(tok, claims, func(*jwt.Token) (any, error) { return pub, nil },
		jwt.WithValidMethods([]string{"ES256"}), jwt.WithAudience(p.URL), jwt.WithExpirationRequired()); err != nil {
		return err
	}
	exp, _ := claims.GetExpirationTime()
	if time.Until(exp.Time) > 24*time.Hour {
		return fmt.Errorf("the JWT expires after more than 24 hours")
	}
	if sub, _ := claims["sub"].(string); !strings.HasPrefix(sub, "mailto:") && !strings.HasPrefix(sub, "https:") {
		return fmt.Errorf("sub %q is not a contact", sub)
	}
	return nil
}
