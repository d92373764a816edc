package tips

import (
	"regexp"
	"strings"
	"testing"
)

func TestTrackingCodesAndSecretsAreReadable(t *testing.T) {
	codeRe := regexp.MustCompile(`^TB-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}$`)
	secretRe := regexp.MustCompile(`^[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}(-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}){2}$`)
	seen := map[string]bool{}
	for i := 0; i < 500; i++ {
		code, err := NewTrackingCode()
		if err != nil {
			t.Fatal(err)
		}
		secret, err := NewTrackingSecret()
		if err != nil {
			t.Fatal(err)
		}
		if !codeRe.MatchString(code) || !secretRe.MatchString(secret) {
			t.Fatalf("code %q, secret %q", code, secret)
		}
		if seen[code] || seen[secret] {
			t.Fatalf("%q or %q drawn twice in 500", code, secret)
		}
		seen[code], seen[secret] = true, true
	}
	// Every character of the alphabet is drawn, and none other.
	all := strings.Join(mapKeys(seen), "")
	for _, r := range trackingAlphabet {
		if !strings.ContainsRune(all, r) {
			t.Errorf("%c never drawn", r)
		}
	}
}

func mapKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestTypedCodesAndSecretsAreNormalized(t *testing.T) {
	for _, tc := range []struct{ name, in, code, secret string }{
		{"as issued", "TB-7K3M-Q9XD", "TB-7K3M-Q9XD", ""},
		{"lower case with spaces", " tb 7k3m q9xd ", "TB-7K3M-Q9XD", ""},
		{"without the prefix and dashes", "7K3MQ9XD", "TB-7K3M-Q9XD", ""},
		{"a letter outside the alphabet", "TB-7K3M-Q9XO", "", ""},
		{"too short", "TB-7K3M", "", ""},
		{"a secret as issued", "A2B3-C4D5-E6F7", "", "A2B3-C4D5-E6F7"},
		{"a secret typed in lower case without dashes", "a2b3c4d5e6f7", "", "A2B3-C4D5-E6F7"},
		{"a secret too long", "A2B3-C4D5-E6F7-G", "", ""},
		{"nothing", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := NormalizeTrackingCode(tc.in); got != tc.code {
				t.Errorf("code %q, want %q", got, tc.code)
			}
			if got := NormalizeTrackingSecret(tc.in); got != tc.secret {
				t.Errorf("secret %q, want %q", got, tc.secret)
			}
		})
	}
}

func TestTrackingSecretsAreCheckedByTheirKeyedHash(t *testing.T) {
	key := TrackingKey(DeriveKey("k"))
	code, secret := "TB-7K3M-Q9XD", "A2B3-C4D5-E6F7"
	stored := HashTrackingSecret(key, code, secret)
	if strings.Contains(stored, secret) || strings.Contains(stored, "A2B3") {
		t.Fatalf("the hash %q shows the secret", stored)
	}
	for _, tc := range []struct {
		name                string
		key                 []byte
		code, secret, store string
		want                bool
	}{
		{"the right secret", key, code, secret, stored, true},
		{"a wrong secret", key, code, "A2B3-C4D5-E6F8", stored, false},
		{"the secret of another code", key, "TB-7K3M-Q9XE", secret, stored, false},
		{"another server's key", TrackingKey(DeriveKey("other")), code, secret, stored, false},
		{"a tip without a secret", key, code, "", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CheckTrackingSecret(tc.key, tc.code, tc.secret, tc.store); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
