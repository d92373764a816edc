package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// AccessTTL is how long an access token lives: short, so that a stolen one is soon useless and a
// disabled user's phone loses access within minutes even without the per-request check.
const AccessTTL = 15 * time.Minute

// RefreshTTL is how long a refresh token lives unused: an inspector who works every few days
// stays signed in; each use gives a new token.
const RefreshTTL = 30 * 24 * time.Hour

// Claims are what an access token says: the user's id in sub, the token's id in jti, and in sid
// the session (refresh token family) it belongs to, so that ending the session ends the token.
type Claims struct {
	jwt.RegisteredClaims
	SessionID string `json:"sid"`
}

// Signer issues and checks access tokens (HS256 JWTs) with the service's secret.
type Signer struct {
	key []byte
	now func() time.Time
}

// NewSigner returns a signer; the secret must pass CheckSecret.
func NewSigner(secret string, now func() time.Time) (*Signer, error) {
	if err := CheckSecret(secret); err != nil {
		return nil, fmt.Errorf("the signing secret %w", err)
	}
	if now == nil {
		now = time.Now
	}
	return &Signer{key: []byte(secret), now: now}, nil
}

// Issue returns a signed access token for the user's session and its expiry.
func (s *Signer) Issue(userID, sessionID string) (string, time.Time, error) {
	now := s.now()
	exp := now.Add(AccessTTL)
	claims := Claims{RegisteredClaims: jwt.RegisteredClaims{
		Subject:   userID,
		Issuer:    "kiemtra",
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)), // phones' clocks drift
		ExpiresAt: jwt.NewNumericDate(exp),
		ID:        randomToken(12),
	}, SessionID: sessionID}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(s.key)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign access token: %w", err)
	}
	return tok, exp, nil
}

// ErrBadToken covers every way an access token can be unacceptable; callers do not tell the
// client which.
var ErrBadToken = errors.New("access token is invalid or expired")

// Verify checks a token's signature, algorithm, issuer and times, and returns the user id and
// the session id. Tokens without a session (issued before sessions were checked, 15 minutes at
// most) are refused.
func (s *Signer) Verify(token string) (userID, sessionID string, err error) {
	var c Claims
	_, err = jwt.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) { return s.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer("kiemtra"),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(s.now),
	)
	if err != nil || c.Subject == "" || c.SessionID == "" {
		return "", "", ErrBadToken
	}
	return c.Subject, c.SessionID, nil
}

// randomToken returns n random bytes, base64url-encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's random source failing is not recoverable
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewRefreshToken returns a new opaque refresh token. Only its hash is stored.
func NewRefreshToken() string { return randomToken(32) }

// HashRefreshToken is the stored form of a refresh token: a database leak does not hand out
// sessions.
func HashRefreshToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}
