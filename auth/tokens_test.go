package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const testSecret = "a-test-secret-that-is-long-enough-0123456789"

var t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

func at(t time.Time) func() time.Time { return func() time.Time { return t } }

func mustSigner(tb testing.TB, secret string, now func() time.Time) *Signer {
	tb.Helper()
	s, err := NewSigner(secret, now)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// signHS signs an arbitrary header and payload with HMAC-SHA256, so that a test can send what
// the library would refuse to build.
func signHS(secret, header, payload string) string {
	enc := base64.RawURLEncoding
	in := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(in))
	return in + "." + enc.EncodeToString(m.Sum(nil))
}

func TestNewSignerRefusesWeakSecrets(t *testing.T) {
	if _, err := NewSigner("Qx7-vR2mK9#tLp4wZs8bNc1yHd6", nil); err == nil {
		t.Fatal("a 27-character secret was accepted")
	}
	if _, err := NewSigner(strings.Repeat("s", 32), nil); !errors.Is(err, ErrWeakSecret) {
		t.Fatalf("32 identical characters: %v", err)
	}
	if _, err := NewSigner("Qx7-vR2mK9#tLp4wZs8bNc1yHd6jF0eA", nil); err != nil {
		t.Fatalf("a random 32-character secret was refused: %v", err)
	}
}

func TestIssuedTokensVerifyForTheirLifetime(t *testing.T) {
	tok, exp, err := mustSigner(t, testSecret, at(t0)).Issue("user-1", "session-1")
	if err != nil {
		t.Fatal(err)
	}
	if !exp.Equal(t0.Add(AccessTTL)) || AccessTTL != 15*time.Minute {
		t.Fatalf("expiry %v, want 15 minutes after %v", exp, t0)
	}
	for _, tc := range []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"a fresh token is accepted", t0, true},
		{"a token is accepted a second before it expires", t0.Add(AccessTTL - time.Second), true},
		{"a phone clock a little behind is tolerated", t0.Add(-30 * time.Second), true},
		{"an expired token is rejected", t0.Add(AccessTTL), false},
		{"a token long expired is rejected", t0.Add(24 * time.Hour), false},
		{"a token not yet valid is rejected", t0.Add(-2 * time.Minute), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sub, sid, err := mustSigner(t, testSecret, at(tc.at)).Verify(tok)
			if tc.ok && (err != nil || sub != "user-1" || sid != "session-1") {
				t.Fatalf("Verify = %q, %q, %v; want user-1 of session-1", sub, sid, err)
			}
			if !tc.ok && (err != ErrBadToken || sub != "" || sid != "") {
				t.Fatalf("Verify = %q, %q, %v; want ErrBadToken", sub, sid, err)
			}
		})
	}
}

func TestVerifyRejectsForgedTokens(t *testing.T) {
	signer := mustSigner(t, testSecret, at(t0))
	good, _, err := signer.Issue("user-1", "session-1")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, ".")
	enc := base64.RawURLEncoding
	payload, _ := enc.DecodeString(parts[1])
	tamperedPayload := strings.Replace(string(payload), `"sub":"user-1"`, `"sub":"admin-1"`, 1)
	if tamperedPayload == string(payload) {
		t.Fatalf("payload %s has no sub to tamper with", payload)
	}
	otherKey, _, _ := mustSigner(t, "another-secret-Qx7vR2mK9tLp4wZs8bNc1yHd6", at(t0)).Issue("user-1", "session-1")
	claims := func(extra string) string {
		return `{"iss":"kiemtra","iat":` + itoa(t0.Unix()) + `,"nbf":` + itoa(t0.Add(-time.Minute).Unix()) + `,"exp":` + itoa(t0.Add(time.Hour).Unix()) + extra + `}`
	}
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.RegisteredClaims{Subject: "user-1", Issuer: "kiemtra",
		ExpiresAt: jwt.NewNumericDate(t0.Add(time.Hour))}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	hs512, err := jwt.NewWithClaims(jwt.SigningMethodHS512, jwt.RegisteredClaims{Subject: "user-1", Issuer: "kiemtra",
		ExpiresAt: jwt.NewNumericDate(t0.Add(time.Hour))}).SignedString([]byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, token string }{
		{"an empty token", ""},
		{"a token that is not a JWT", "not-a-token"},
		{"three empty parts", ".."},
		{"a token signed with another key", otherKey},
		{"a token with a tampered payload", parts[0] + "." + enc.EncodeToString([]byte(tamperedPayload)) + "." + parts[2]},
		{"a token without its signature", parts[0] + "." + parts[1] + "."},
		{"alg none", none},
		{"alg none with the signature of a good token", strings.Split(none, ".")[0] + "." + parts[1] + "." + parts[2]},
		{"an RS256 header signed with the secret as an HMAC key", signHS(testSecret, `{"alg":"RS256","typ":"JWT"}`, claims(`,"sub":"user-1","sid":"session-1"`))},
		{"an HS512 token with the right key", hs512},
		{"a token without sub", signHS(testSecret, `{"alg":"HS256","typ":"JWT"}`, claims(`,"sid":"session-1"`))},
		{"a token with an empty sub", signHS(testSecret, `{"alg":"HS256","typ":"JWT"}`, claims(`,"sub":"","sid":"session-1"`))},
		{"a token of another issuer", signHS(testSecret, `{"alg":"HS256","typ":"JWT"}`, strings.Replace(claims(`,"sub":"user-1","sid":"session-1"`), `"iss":"kiemtra"`, `"iss":"other"`, 1))},
		{"a token without an expiry", signHS(testSecret, `{"alg":"HS256","typ":"JWT"}`, `{"iss":"kiemtra","sub":"user-1","sid":"session-1"}`)},
		{"a token without a session (issued before sessions were checked)", signHS(testSecret, `{"alg":"HS256","typ":"JWT"}`, claims(`,"sub":"user-1"`))},
		{"a token with an empty session", signHS(testSecret, `{"alg":"HS256","typ":"JWT"}`, claims(`,"sub":"user-1","sid":""`))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if sub, sid, err := signer.Verify(tc.token); err != ErrBadToken || sub != "" || sid != "" {
				t.Fatalf("Verify = %q, %q, %v; want ErrBadToken", sub, sid, err)
			}
		})
	}
	// The hand-made HS256 tokens above fail for what they lack, not for how they were made.
	if sub, sid, err := signer.Verify(signHS(testSecret, `{"alg":"HS256","typ":"JWT"}`, claims(`,"sub":"user-1","sid":"session-1"`))); err != nil || sub != "user-1" || sid != "session-1" {
		t.Fatalf("a well-formed hand-made token: %q, %q, %v", sub, sid, err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestEveryAccessTokenHasItsOwnID(t *testing.T) {
	s := mustSigner(t, testSecret, at(t0))
	a, _, _ := s.Issue("user-1", "session-1")
	b, _, _ := s.Issue("user-1", "session-1")
	if a == b {
		t.Fatal("two tokens issued at the same instant are equal: jti is not random")
	}
}

func TestRefreshTokensAreRandomAndStoredHashed(t *testing.T) {
	a, b := NewRefreshToken(), NewRefreshToken()
	if a == b || len(a) < 43 {
		t.Fatalf("refresh tokens %q and %q: want distinct 256-bit tokens", a, b)
	}
	h := HashRefreshToken(a)
	if len(h) != 64 || h != HashRefreshToken(a) || h == HashRefreshToken(b) || strings.Contains(h, a) {
		t.Fatalf("hash %q of %q is not a stable SHA-256 hex digest", h, a)
	}
}
