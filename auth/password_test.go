package auth

import (
	"strings"
	"testing"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	fast := PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	h, err := HashPassword("kiemtra-demo", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q is not PHC argon2id with the given parameters", h)
	}
	h2, _ := HashPassword("kiemtra-demo", fast)
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, tc := range []struct {
		name, password string
		want           bool
	}{
		{"the right password matches", "kiemtra-demo", true},
		{"a wrong password does not match", "kiemtra-demo!", false},
		{"an empty password does not match", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := CheckPassword(tc.password, h)
			if err != nil || ok != tc.want {
				t.Fatalf("CheckPassword = %v, %v; want %v", ok, err, tc.want)
			}
		})
	}
}

func TestCheckPasswordRejectsMalformedHashes(t *testing.T) {
	for _, h := range []string{"", "plain", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=18$m=1024,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=0,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=1024,t=1,p=1$!!$a2V5", "$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$"} {
		if _, err := CheckPassword("x", h); err != ErrBadHash {
			t.Errorf("CheckPassword(%q) error = %v, want ErrBadHash", h, err)
		}
	}
}

func BenchmarkHashPasswordDefault(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := HashPassword("correct horse battery staple", DefaultPasswordParams); err != nil {
			b.Fatal(err)
		}
	}
}
