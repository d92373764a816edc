package notify_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"kiemtra/notify"
)

// providerRequest is one request the test's provider received.
type providerRequest struct {
	Auth, Key, ContentType string
	Msg                    notify.TextMessage
}

// providerPeer is a text-message provider on the loopback, started by the test: it speaks the
// providers' protocol (a POST of the message as JSON, the bearer token, an Idempotency-Key),
// answers the statuses it is told to and 202 after them, and counts the messages it accepted
// by their idempotency key.
type providerPeer struct {
	URL   string
	token string

	mu       sync.Mutex
	requests []providerRequest
	answers  []int          // the statuses of the next requests
	accepted map[string]int // by idempotency key: times the message was accepted
	bad      []string       // what was wrong with requests it refused for their form
}

func newProviderPeer(t *testing.T, token string) *providerPeer {
	t.Helper()
	p := &providerPeer{token: token, accepted: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(srv.Close)
	p.URL = srv.URL + "/v1/messages"
	return p
}

func (p *providerPeer) serve(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	refuse := func(status int, why string) {
		p.bad = append(p.bad, why)
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"error": why})
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v1/messages" {
		refuse(http.StatusNotFound, r.Method+" "+r.URL.Path)
		return
	}
	req := providerRequest{Auth: r.Header.Get("Authorization"), Key: r.Header.Get("Idempotency-Key"), ContentType: r.Header.Get("Content-Type")}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req.Msg); err != nil {
		refuse(http.StatusBadRequest, "body: "+err.Error())
		return
	}
	p.requests = append(p.requests, req)
	switch {
	case req.Auth != "Bearer "+p.token:
		refuse(http.StatusUnauthorized, "token "+req.Auth)
		return
	case req.Key == "" || req.Key != req.Msg.ID:
		refuse(http.StatusBadRequest, "idempotency key "+req.Key+" for message "+req.Msg.ID)
		return
	case req.Msg.Phone == "" || req.Msg.Text == "" || req.Msg.Channel == "":
		refuse(http.StatusBadRequest, "a message without its phone, text or channel")
		return
	}
	if len(p.answers) > 0 {
		status := p.answers[0]
		p.answers = p.answers[1:]
		if status >= 300 {
			w.WriteHeader(status)
			json.NewEncoder(w).Encode(map[string]string{"error": http.StatusText(status)})
			return
		}
	}
	p.accepted[req.Key]++
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	json.NewEncoder(w).Encode(map[string]string{"status": "accepted", "id": req.Key})
}

// answer makes the peer answer the next requests with these statuses.
func (p *providerPeer) answer(statuses ...int) {
	p.mu.Lock()
	p.answers = append(p.answers, statuses...)
	p.mu.Unlock()
}

func (p *providerPeer) got() []providerRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]providerRequest(nil), p.requests...)
}

// took says how many times the message of key was accepted.
func (p *providerPeer) took(key string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted[key]
}

func (p *providerPeer) refused(t *testing.T) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.bad) > 0 {
		t.Fatalf("the provider refused malformed requests: %v", p.bad)
	}
}

// texter returns the channel over peer, with the public URL of the tests' mails.
func texter(t *testing.T, channel string, peer *providerPeer) *notify.Texter {
	t.Helper()
	p, err := notify.NewHTTPProvider(notify.HTTPProviderConfig{URL: peer.URL, Token: peer.token})
	if err != nil {
		t.Fatal(err)
	}
	return notify.NewTexter(channel, p, "https://kiemtra.cantho.gov.vn/")
}
