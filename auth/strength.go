package auth

import (
	"bufio"
	"bytes"
	"embed"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"kiemtra/models"
)

// DemoPassword is every demo user's password. It is published (printed by `kiemtra demo`), so no
// account may choose it, and sign-ins with it work only in a database that `kiemtra demo` made.
const DemoPassword = "kiemtra-demo"

// Password length limits, in characters (not bytes): 12 resists guessing once common passwords
// are refused (ASVS 2.1.1); 200 leaves room for passphrases but not for a hashing flood.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 200
)

// minDistinctRunes is the fewest different characters a password may use: "aaaaaaaaaaaa" and
// "abababababab" are long but are guessed at once.
const minDistinctRunes = 5

//go:embed common/*.lst
var commonFiles embed.FS

var (
	commonOnce sync.Once
	commonSet  map[string]bool
)

// commonPasswords reads the embedded lists (see common/README.md) once, folded as passwordKey
// folds what it is compared with.
func commonPasswords() map[string]bool {
	commonOnce.Do(func() {
		commonSet = map[string]bool{}
		names, _ := commonFiles.ReadDir("common")
		for _, n := range names {
			b, err := commonFiles.ReadFile("common/" + n.Name())
			if err != nil {
				panic(err) // embedded at build time: a failure is a build bug
			}
			sc := bufio.NewScanner(bytes.NewReader(b))
			for sc.Scan() {
				line := sc.Text()
				if strings.HasPrefix(line, "#") {
					continue
				}
				if k := passwordKey(line); utf8.RuneCountInString(k) >= 3 {
					commonSet[k] = true
				}
			}
		}
	})
	return commonSet
}

func weak(en, vi string, args ...any) error { return models.Invalid("password", en, vi, args...) }

// CheckPasswordStrength refuses a new password that is easy to guess or to mistype, with the
// reason in both languages (field "password"): fewer than 12 or more than 200 characters, a
// control character, the demo password, the account's username or display name, a common
// password, any of those with digits or symbols added at its ends or with look-alike digits
// for letters ("p@ssw0rd"), too few different characters, a short pattern repeated, or a run of
// the keyboard, the alphabet or the digits. username and displayName may be empty.
func CheckPasswordStrength(password, username, displayName string) error {
	if !utf8.ValidString(password) {
		return weak("must be valid UTF-8 text", "phải là văn bản UTF-8 hợp lệ")
	}
	for _, r := range password {
		if unicode.IsControl(r) {
			return weak("must not contain control characters (such as tabs, line breaks or NUL)", "không được chứa ký tự điều khiển (như tab, xuống dòng hoặc NUL)")
		}
	}
	password = norm.NFC.String(password)
	runes := []rune(strings.ToLower(password))
	n := len(runes)
	if n < MinPasswordLength {
		return weak("must be at least %d characters", "phải dài ít nhất %d ký tự", MinPasswordLength)
	}
	if n > MaxPasswordLength {
		return weak("must be at most %d characters", "dài tối đa %d ký tự", MaxPasswordLength)
	}
	core := passwordKey(trimToLetters(string(runes)))
	// same reports whether the password is s, or s with digits or symbols added at its ends
	// (s's own digits at its ends may be left out: lan.2026 for lan1).
	same := func(s string) bool {
		k, kc := passwordKey(s), passwordKey(trimToLetters(strings.ToLower(s)))
		return k != "" && (k == passwordKey(password) || k == core || utf8.RuneCountInString(kc) >= 3 && kc == core)
	}
	switch {
	case same(DemoPassword):
		return weak("must not be the demo password, which is published", "không được là mật khẩu dùng thử, vốn được công bố công khai")
	case same(username):
		return weak("must not be the username, with or without digits or symbols added", "không được là tên đăng nhập, dù có thêm chữ số hoặc ký hiệu")
	case utf8.RuneCountInString(username) >= 4 && strings.Contains(string(runes), strings.ToLower(norm.NFC.String(username))):
		// The username written twice, or inside a few more characters: the first guess of
		// anyone who knows whose account it is.
		return weak("must not contain the username", "không được chứa tên đăng nhập")
	case same(displayName):
		return weak("must not be the display name, with or without digits or symbols added", "không được là tên hiển thị, dù có thêm chữ số hoặc ký hiệu")
	}
	if distinct(runes) < minDistinctRunes {
		return weak("uses too few different characters: use at least %d", "dùng quá ít ký tự khác nhau: cần ít nhất %d", minDistinctRunes)
	}
	if p := period(runes); p <= n/2 {
		return weak("only repeats a short pattern", "chỉ lặp lại một chuỗi ngắn")
	}
	if steps, pairs := sequenceSteps(runes); pairs-steps <= 1 {
		return weak("is a run of the keyboard, the alphabet or the digits", "là một dãy phím liền nhau, dãy chữ cái hoặc dãy chữ số")
	}
	common := commonPasswords()
	if common[passwordKey(password)] || utf8.RuneCountInString(core) >= 3 && (common[core] || common[unLeet(core)]) {
		return weak("is a common password, or one with digits or symbols added: choose a phrase of several words", "là mật khẩu phổ biến, hoặc chỉ thêm chữ số, ký hiệu vào một mật khẩu phổ biến: hãy chọn một cụm gồm nhiều từ")
	}
	return nil
}

// trimToLetters takes the digits and symbols off both ends of s.
func trimToLetters(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
}

// passwordKey is the form in which passwords are compared with the lists and the account's
// names: lower case, without Vietnamese diacritics, spaces, dots, dashes or underscores.
func passwordKey(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '.' || r == '-' || r == '_' {
			return -1
		}
		return r
	}, models.FoldVietnamese(norm.NFC.String(s)))
}

// unLeet undoes the usual look-alike swaps: p@ssw0rd is password.
func unLeet(s string) string {
	return strings.NewReplacer("0", "o", "1", "i", "3", "e", "4", "a", "5", "s", "7", "t", "@", "a", "$", "s", "!", "i").Replace(s)
}

func distinct(rs []rune) int {
	seen := map[rune]bool{}
	for _, r := range rs {
		seen[r] = true
	}
	return len(seen)
}

// period returns the length of the shortest unit that, repeated, makes rs (the last copy may be
// cut short): 3 for "abcabcabcab", len(rs) for text that repeats nothing.
func period(rs []rune) int {
	for p := 1; p < len(rs); p++ {
		ok := true
		for i := p; i < len(rs) && ok; i++ {
			ok = rs[i] == rs[i-p]
		}
		if ok {
			return p
		}
	}
	return len(rs)
}

// sequences are what people type when they press keys in a row: the digits (0 follows 9 as on
// the keyboard), the alphabet, the keyboard's rows read left to right and top to bottom, and its
// columns.
var sequences = []string{
	"01234567890",
	"abcdefghijklmnopqrstuvwxyz",
	"1234567890qwertyuiopasdfghjklzxcvbnm",
	"1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
}

// sequenceSteps counts the neighbours in rs that are the same character or next to each other in
// one of the sequences (either way), out of all neighbours.
func sequenceSteps(rs []rune) (steps, pairs int) {
	for i := 1; i < len(rs); i++ {
		pairs++
		a, b := rs[i-1], rs[i]
		if a == b {
			steps++
			continue
		}
		for _, s := range sequences {
			if strings.Contains(s, string([]rune{a, b})) || strings.Contains(s, string([]rune{b, a})) {
				steps++
				break
			}
		}
	}
	return steps, pairs
}

// MinSecretBits is the least randomness a signing secret must show, estimated as its length
// times the Shannon entropy of its characters: `openssl rand -hex 32` gives about 240.
const MinSecretBits = 128

// ErrWeakSecret wraps every refusal of CheckSecret.
var ErrWeakSecret = errors.New("too weak")

// CheckSecret refuses a secret that signs tokens or seals data when it is short or guessable:
// fewer than 32 characters, a short pattern repeated, mostly a keyboard or alphabet run, or less
// than MinSecretBits of estimated randomness. The error ("is too weak: ...") says what is wrong
// and how to make a good one; callers put the variable or file before it.
func CheckSecret(secret string) error {
	rs := []rune(secret)
	n := len(rs)
	fail := func(format string, args ...any) error {
		return fmt.Errorf("is %w: %s; generate one with `openssl rand -hex 32`", ErrWeakSecret, fmt.Sprintf(format, args...))
	}
	if n < 32 {
		return fail("it has %d characters, at least 32 are needed", n)
	}
	if p := period(rs); p <= n/2 {
		return fail("it repeats a pattern of %d characters", p)
	}
	if steps, pairs := sequenceSteps(rs); 2*steps > pairs {
		return fail("it is mostly a run of the keyboard, the alphabet or the digits")
	}
	if bits := entropyBits(rs); bits < MinSecretBits {
		return fail("it has about %d bits of randomness, at least %d are needed", int(bits), MinSecretBits)
	}
	return nil
}

// entropyBits estimates the randomness of rs: its length times the Shannon entropy of its
// character frequencies. It is generous to structured text, so it refuses only what is plainly
// weak (32 identical characters score 0; 64 random hex digits about 240).
func entropyBits(rs []rune) float64 {
	counts := map[rune]int{}
	for _, r := range rs {
		counts[r]++
	}
	n := float64(len(rs))
	h := 0.0
	for _, c := range counts {
		p := float64(c) / n
		h -= p * math.Log2(p)
	}
	return h * n
}
