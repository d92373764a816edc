package auth_test

import (
	"testing"

	"kiemtra/auth"
)

func TestAddressKeys(t *testing.T) {
	for _, tc := range []struct {
		name, ip, want string
	}{
		{"an IPv4 address counts alone", "203.0.113.7", "203.0.113.7"},
		{"an IPv6 address counts with its /64", "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"},
		{"another address of the same /64 shares the count", "2001:db8:1:2::1", "2001:db8:1:2::/64"},
		{"the next /64 is another sender", "2001:db8:1:3::1", "2001:db8:1:3::/64"},
		{"an IPv4-mapped address counts as its IPv4 address", "::ffff:203.0.113.7", "203.0.113.7"},
		{"a zone is not part of the key", "fe80::1%eth0", "fe80::/64"},
		{"something that is no address is its own key", "unknown", "unknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := auth.AddressKey(tc.ip); got != tc.want {
				t.Fatalf("auth.AddressKey(%q) = %q, want %q", tc.ip, got, tc.want)
			}
		})
	}
}
