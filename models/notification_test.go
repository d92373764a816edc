package models

import "testing"

func TestNormalizePhone(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"", "", true},
		{"0912345678", "+84912345678", true},
		{"0912 345 678", "+84912345678", true},
		{"+84 912.345.678", "+84912345678", true},
		{"0292 3820 123", "", false}, // a landline
		{"091234567", "", false},     // a digit short
		{"84912345678", "", false},   // neither 0 nor +84
		{"+1 415 555 0100", "", false},
		{"09123456x8", "", false},
	} {
		got, ok := NormalizePhone(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
