package tips

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"kiemtra/models"
)

// trackingAlphabet is the alphabet of tracking codes and secrets: digits and capitals without
// the ones people confuse when they copy by hand (0/O, 1/I/L) or that spell words (U, V).
const trackingAlphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ"

// trackingPrefix starts every tracking code: "TB" for tin báo.
const trackingPrefix = "TB"

// Tracking code and secret sizes: a code of 8 characters (about 39 bits, looked up in the
// database; a collision is drawn again) and a secret of 12 (about 58 bits: with the per-address
// limit nobody guesses one).
const (
	codeChars   = 8
	secretChars = 12
)

// MaxMergeHops bounds how far a status follows merged tips (a merged tip into a merged tip...).
const MaxMergeHops = 8

// randomChars draws n characters of the alphabet uniformly (rejection sampling: no bias).
func randomChars(n int) (string, error) {
	out := make([]byte, 0, n)
	buf := make([]byte, 2*n)
	limit := 256 - 256%len(trackingAlphabet)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("tracking: random: %w", err)
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, trackingAlphabet[int(b)%len(trackingAlphabet)])
			}
		}
	}
	return string(out), nil
}

// group writes s in groups of four joined by dashes: "7K3MQ9XD" -> "7K3M-Q9XD".
func group(s string) string {
	var parts []string
	for len(s) > 4 {
		parts = append(parts, s[:4])
		s = s[4:]
	}
	return strings.Join(append(parts, s), "-")
}

// NewTrackingCode draws a reference code such as "TB-7K3M-Q9XD".
func NewTrackingCode() (string, error) {
	s, err := randomChars(codeChars)
	if err != nil {
		return "", err
	}
	return trackingPrefix + "-" + group(s), nil
}

// NewTrackingSecret draws a secret such as "A2B3-C4D5-E6F7", shown to the reporter once.
func NewTrackingSecret() (string, error) {
	s, err := randomChars(secretChars)
	if err != nil {
		return "", err
	}
	return group(s), nil
}

// normalize reads what a person typed: any case, spaces or dashes anywhere, and the letters
// people write for the digits left out of the alphabet (O for 0 does not exist: both are out).
func normalize(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '\t' || r == '.':
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// NormalizeTrackingCode returns a typed code in its stored form ("tb 7k3m q9xd" ->
// "TB-7K3M-Q9XD"), or "" when it cannot be a code.
func NormalizeTrackingCode(s string) string {
	n := strings.TrimPrefix(normalize(s), trackingPrefix)
	if utf8.RuneCountInString(n) != codeChars || !inAlphabet(n) {
		return ""
	}
	return trackingPrefix + "-" + group(n)
}

// NormalizeTrackingSecret returns a typed secret in its issued form, or "" when it cannot be one.
func NormalizeTrackingSecret(s string) string {
	n := normalize(s)
	if utf8.RuneCountInString(n) != secretChars || !inAlphabet(n) {
		return ""
	}
	return group(n)
}

func inAlphabet(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune(trackingAlphabet, r) {
			return false
		}
	}
	return true
}

// TrackingKey derives the key that hashes tracking secrets from the contact key: one secret to
// keep, and a key used for nothing else.
func TrackingKey(contactKey []byte) []byte {
	m := hmac.New(sha256.New, contactKey)
	m.Write([]byte("kiemtra/tip-tracking-key/v1"))
	return m.Sum(nil)
}

// HashTrackingSecret is what is stored of a secret: HMAC-SHA256 under the service's key of the
// code and the secret. Without the key a copy of the database does not let anyone try secrets
// offline; the code in the hash ties each secret to its tip.
func HashTrackingSecret(key []byte, code, secret string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("v1\x00" + code + "\x00" + secret))
	return "v1:" + hex.EncodeToString(m.Sum(nil))
}

// CheckTrackingSecret reports, in time that does not depend on where they differ, whether
// secret is the one whose hash is stored.
func CheckTrackingSecret(key []byte, code, secret, stored string) bool {
	want := HashTrackingSecret(key, code, secret)
	return subtle.ConstantTimeCompare([]byte(want), []byte(stored)) == 1 && stored != ""
}

// issueTracking gives t a tracking code and the hash of a new secret, and returns the secret.
func (s *Service) issueTracking(t *models.Tip) (string, error) {
	code, err := NewTrackingCode()
	if err != nil {
		return "", err
	}
	secret, err := NewTrackingSecret()
	if err != nil {
		return "", err
	}
	t.TrackingCode = &code
	t.TrackingSecretHash = HashTrackingSecret(s.trackKey, code, secret)
	return secret, nil
}

// errNoTip is the one answer to a wrong secret, an unknown code and a code that cannot be one:
// the caller learns nothing about which.
func errNoTip() error {
	return models.NewError(models.ENOTFOUND, "No tip has this code and secret: check both as you wrote them down.",
		"Không có tin báo nào với mã và mật mã này: hãy kiểm tra lại cả hai như bạn đã ghi.")
}

// Status answers what the public may know of the tip with the code and secret: its public
// status, the day it was received, and once handled the day and the result written for the
// public. A merged tip answers the status of the tip it was merged into. A wrong secret, an
// unknown code and a malformed one all answer the same not_found.
func (s *Service) Status(ctx context.Context, code, secret string) (*models.TipPublicStatus, error) {
	c, sec := NormalizeTrackingCode(code), NormalizeTrackingSecret(secret)
	var t *models.Tip
	var err error
	if c != "" {
		t, err = s.store.FindTipByTrackingCode(ctx, c)
		if err != nil && !models.IsCode(err, models.ENOTFOUND) {
			return nil, err
		}
	}
	stored := ""
	if t != nil {
		stored = t.TrackingSecretHash
	}
	// The hash is computed whether or not the tip exists: no answer is quicker than another.
	if ok := CheckTrackingSecret(s.trackKey, c, sec, stored); !ok || t == nil || sec == "" {
		return nil, errNoTip()
	}
	received := t.ReceivedAt
	for hop := 0; t.Status == models.TipMerged && t.MergedInto != nil && hop < MaxMergeHops; hop++ {
		into, err := s.store.FindTipByID(ctx, *t.MergedInto)
		if err != nil {
			return nil, err
		}
		t = into
	}
	return models.PublicStatusOf(t, c, received, s.loc), nil
}
