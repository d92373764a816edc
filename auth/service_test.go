package auth_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"kiemtra/auth"
	"kiemtra/models"
	"kiemtra/store"
	"kiemtra/store/storetest"
)

// fastParams keep the tests quick; the cost parameters are not what these tests are about.
var fastParams = auth.PasswordParams{Memory: 1024, Time: 1, Threads: 1}

const (
	secret   = "service-test-secret-0123456789-abcdef"
	password = "correct horse battery"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type serviceEnv struct {
	svc   *auth.Service
	db    *store.DB
	clock *clock
	users map[string]*models.User // by username
}

// newServiceEnv stores the city area and three users (lan and hoa active, minh disabled), all
// with the password above, and returns a service over them whose clock the test moves.
func newServiceEnv(t testing.TB, db *store.DB, clk *clock) *serviceEnv {
	t.Helper()
	ctx := context.Background()
	if err := db.UpsertAreas(ctx, "t", []*models.Area{{Code: "92", Name: "Cần Thơ", Level: models.AreaLevelCity}}); err != nil {
		t.Fatal(err)
	}
	hash, err := auth.HashPassword(password, fastParams)
	if err != nil {
		t.Fatal(err)
	}
	env := &serviceEnv{db: db, clock: clk, users: map[string]*models.User{}}
	for _, name := range []string{"lan", "hoa", "minh"} {
		u := &models.User{Username: name, Agency: models.AgencyLabour, Role: models.RoleInspector, AreaCode: "92", PasswordHash: hash, Disabled: name == "minh"}
		if err := db.CreateUser(ctx, "t", u); err != nil {
			t.Fatal(err)
		}
		env.users[name] = u
	}
	if env.svc, err = auth.NewService(db, secret, clk.Now, fastParams); err != nil {
		t.Fatal(err)
	}
	return env
}

func runService(t *testing.T, fn func(t *testing.T, env *serviceEnv)) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	storetest.RunWith(t, storetest.Options{Now: clk.Now}, func(t *testing.T, db *store.DB) {
		fn(t, newServiceEnv(t, db, clk))
	})
}

func (env *serviceEnv) login(t *testing.T, username string) *auth.Session {
	t.Helper()
	s, err := env.svc.Login(context.Background(), username, password, "10.0.0.1", "test")
	if err != nil {
		t.Fatalf("login %s: %v", username, err)
	}
	return s
}

func wantCode(t *testing.T, err error, code string) *models.Error {
	t.Helper()
	if models.ErrorCode(err) != code {
		t.Fatalf("error %v, want %s", err, code)
	}
	return models.ErrorAs(err)
}

func TestLoginSucceedsWithTheRightPassword(t *testing.T) {
	runService(t, func(t *testing.T, env *serviceEnv) {
		ctx := context.Background()
		for _, name := range []string{"lan", "  lan ", "Lan", "LAN"} {
			t.Run(fmt.Sprintf("username %q signs lan in", name), func(t *testing.T) {
				s := env.login(t, name)
				if s.TokenType != "Bearer" || s.ExpiresIn != 900 || s.User == nil || s.User.ID != env.users["lan"].ID || s.AccessToken == "" || s.RefreshToken == "" {
					t.Fatalf("session %+v", s)
				}
				u, err := env.svc.Authenticate(ctx, s.AccessToken)
				if err != nil || u.ID != env.users["lan"].ID {
					t.Fatalf("Authenticate = %v, %v", u, err)
				}
				// Only the refresh token's hash is stored.
				if _, err := env.db.FindRefreshToken(ctx, s.RefreshToken); !models.IsCode(err, models.ENOTFOUND) {
					t.Fatalf("the refresh token is stored in the clear: %v", err)
				}
				if _, err := env.db.FindRefreshToken(ctx, auth.HashRefreshToken(s.RefreshToken)); err != nil {
					t.Fatalf("the refresh token's hash is not stored: %v", err)
				}
			})
		}
	})
}

func TestLoginFailuresAllLookTheSame(t *testing.T) {
	runService(t, func(t *testing.T, env *serviceEnv) {
		ctx := context.Background()
		var first *models.Error
		for _, tc := range []struct{ name, username, password string }{
			{"a wrong password", "lan", "wrong password!"},
			{"an unknown user", "nobody", password},
			{"a disabled user with the right password", "minh", password},
			{"a password that differs only in case", "lan", strings.ToUpper(password)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				s, err := env.svc.Login(ctx, tc.username, tc.password, "10.0.0."+tc.name[:1], "test")
				e := wantCode(t, err, models.EUNAUTHORIZED)
				if s != nil {
					t.Fatalf("a session was returned with the error: %+v", s)
				}
				if first == nil {
					first = e
				}
				if e.Message != first.Message || e.MessageVI != first.MessageVI || e.Field != "" {
					t.Fatalf("message %q (%q) differs from %q: it tells which part was wrong", e.Message, e.Field, first.Message)
				}
			})
		}
		for _, tc := range []struct{ name, username, password, field string }{
			{"an empty username", " ", password, "username"},
			{"an empty password", "lan", "", "password"},
		} {
			t.Run(tc.name+" is invalid input, not a failed sign-in", func(t *testing.T) {
				_, err := env.svc.Login(ctx, tc.username, tc.password, "10.0.0.9", "test")
				if e := wantCode(t, err, models.EINVALID); e.Field != tc.field {
					t.Fatalf("field %q, want %q", e.Field, tc.field)
				}
			})
		}
	})
}

// addUser stores an active inspector with the test password.
func (env *serviceEnv) addUser(t *testing.T, name string) *models.User {
	t.Helper()
	u := &models.User{Username: name, Agency: models.AgencyLabour, Role: models.RoleInspector, AreaCode: "92", PasswordHash: env.users["lan"].PasswordHash}
	if err := env.db.CreateUser(context.Background(), "t", u); err != nil {
		t.Fatal(err)
	}
	env.users[name] = u
	return u
}

// wantWait checks a sign-in was refused with a rate limit of exactly wait.
func wantWait(t *testing.T, err error, wait time.Duration) *auth.RateLimitError {
	t.Helper()
	var rl *auth.RateLimitError
	if !asRateLimit(err, &rl) || rl.Wait != wait {
		t.Fatalf("error %v (%+v), want a rate limit of %s", err, rl, wait)
	}
	return rl
}

func TestSignInLimitsLockPairsAndAddressesButOnlyDelayAccounts(t *testing.T) {
	runService(t, func(t *testing.T, env *serviceEnv) {
		ctx := context.Background()
		login := func(user, pw, ip string) error {
			_, err := env.svc.Login(ctx, user, pw, ip, "test")
			return err
		}
		t.Run("five wrong passwords from one address lock that address out of the account", func(t *testing.T) {
			for i := 0; i < 5; i++ {
				wantCode(t, login("lan", "wrong password", "10.1.0.1"), models.EUNAUTHORIZED)
			}
			rl := wantWait(t, login("LAN", password, "10.1.0.1"), 15*time.Minute)
			if !strings.Contains(rl.Err.Message, "15 minutes") || !strings.Contains(rl.Err.MessageVI, "15 phút") {
				t.Fatalf("message %q / %q does not say how long to wait", rl.Err.Message, rl.Err.MessageVI)
			}
			if err := login("hoa", password, "10.1.0.1"); err != nil {
				t.Fatalf("another account from the same address is locked: %v", err)
			}
			env.clock.Advance(10 * time.Minute)
			wantWait(t, login("lan", password, "10.1.0.1"), 5*time.Minute)
			env.clock.Advance(5 * time.Minute)
			if err := login("lan", password, "10.1.0.1"); err != nil {
				t.Fatalf("after the window: %v", err)
			}
		})
		env.clock.Advance(time.Hour)
		t.Run("guesses from many addresses do not lock the owner out", func(t *testing.T) {
			env.addUser(t, "an")
			if err := login("an", password, "10.2.0.1"); err != nil {
				t.Fatal(err)
			}
			// An attacker who knows the username guesses from 30 addresses at once: five get
			// their password checked, the others are told to wait a second, not 15 minutes.
			for i := 0; i < 30; i++ {
				err := login("an", fmt.Sprintf("guess number %d", i), fmt.Sprintf("10.3.0.%d", i))
				if i < 5 {
					wantCode(t, err, models.EUNAUTHORIZED)
				} else {
					wantWait(t, err, time.Second)
				}
			}
			// The owner, from the address it signed in from before, is not held up at all, even
			// after a few typing mistakes.
			if err := login("an", password, "10.2.0.1"); err != nil {
				t.Fatalf("the owner from its usual address during the attack: %v", err)
			}
			for i := 0; i < 4; i++ {
				wantCode(t, login("an", "typing mistake", "10.2.0.1"), models.EUNAUTHORIZED)
			}
			if err := login("an", password, "10.2.0.1"); err != nil {
				t.Fatalf("the owner after four mistakes: %v", err)
			}
			// From a new address (a new phone) the owner waits its turn, seconds not minutes.
			rl := wantWait(t, login("an", password, "10.4.0.1"), time.Second)
			if !strings.Contains(rl.Err.Message, "1 seconds") || !strings.Contains(rl.Err.MessageVI, "1 giây") {
				t.Fatalf("message %q / %q", rl.Err.Message, rl.Err.MessageVI)
			}
			env.clock.Advance(time.Second)
			if err := login("an", password, "10.4.0.1"); err != nil {
				t.Fatalf("from a new address after the wait: %v", err)
			}
		})
		env.clock.Advance(time.Hour)
		t.Run("an address stays known for 90 days after the account's last sign-in from it", func(t *testing.T) {
			env.addUser(t, "dung")
			attack := func() {
				t.Helper()
				for i := 0; i < 5; i++ {
					wantCode(t, login("dung", "wrong password", fmt.Sprintf("10.11.0.%d", i)), models.EUNAUTHORIZED)
				}
			}
			if err := login("dung", password, "10.12.0.1"); err != nil {
				t.Fatal(err)
			}
			env.clock.Advance(80 * 24 * time.Hour)
			if err := login("dung", password, "10.12.0.1"); err != nil {
				t.Fatal(err)
			}
			env.clock.Advance(80 * 24 * time.Hour)
			attack()
			if err := login("dung", password, "10.12.0.1"); err != nil {
				t.Fatalf("80 days after the last sign-in, during an attack: %v", err)
			}
			env.clock.Advance(91 * 24 * time.Hour)
			attack()
			wantWait(t, login("dung", password, "10.12.0.1"), time.Second)
		})
		env.clock.Advance(time.Hour)
		t.Run("an account's delay doubles up to 30 seconds, the same for an unknown account", func(t *testing.T) {
			env.addUser(t, "binh")
			// An unknown username gets the same answers: the limits do not tell who exists.
			for _, name := range []string{"binh", "nobody"} {
				for i := 0; i < 5; i++ {
					wantCode(t, login(name, "wrong password", fmt.Sprintf("10.5.%d.%d", len(name), i)), models.EUNAUTHORIZED)
				}
				for i, want := range []time.Duration{1, 2, 4, 8, 16, 30, 30} {
					ip := fmt.Sprintf("10.6.%d.%d", len(name), i)
					rl := wantWait(t, login(name, "wrong password", ip), want*time.Second)
					env.clock.Advance(rl.Wait)
					wantCode(t, login(name, "wrong password", ip), models.EUNAUTHORIZED)
				}
				env.clock.Advance(time.Hour)
			}
		})
		env.clock.Advance(time.Hour)
		t.Run("twenty failures from one address lock the address, except for its known accounts", func(t *testing.T) {
			if err := login("hoa", password, "10.7.0.1"); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 20; i++ {
				wantCode(t, login(fmt.Sprintf("ghost%d", i), password, "10.7.0.1"), models.EUNAUTHORIZED)
			}
			wantWait(t, login("lan", password, "10.7.0.1"), 15*time.Minute)
			if err := login("hoa", password, "10.7.0.1"); err != nil {
				t.Fatalf("an account that signed in from the address before: %v", err)
			}
			if err := login("lan", password, "10.7.0.2"); err != nil {
				t.Fatalf("another address is locked: %v", err)
			}
			env.clock.Advance(15 * time.Minute)
			if err := login("lan", password, "10.7.0.1"); err != nil {
				t.Fatalf("after the window: %v", err)
			}
		})
		env.clock.Advance(time.Hour)
		t.Run("the addresses of one IPv6 /64 are one address", func(t *testing.T) {
			for i := 1; i <= 5; i++ {
				wantCode(t, login("hoa", "wrong password", fmt.Sprintf("2001:db8:5:6::%x", i)), models.EUNAUTHORIZED)
			}
			env.clock.Advance(time.Second) // the account's delay
			wantWait(t, login("hoa", password, "2001:db8:5:6:ffff:ffff:ffff:ffff"), 15*time.Minute-time.Second)
			if err := login("hoa", password, "2001:db8:5:7::1"); err != nil {
				t.Fatalf("the next /64: %v", err)
			}
		})
		env.clock.Advance(time.Hour)
		t.Run("a successful sign-in clears the failures of its address", func(t *testing.T) {
			for i := 0; i < 4; i++ {
				wantCode(t, login("hoa", "wrong password", "10.8.0.1"), models.EUNAUTHORIZED)
			}
			if err := login("hoa", password, "10.8.0.1"); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 4; i++ {
				wantCode(t, login("hoa", "wrong password", "10.8.0.1"), models.EUNAUTHORIZED)
			}
			if err := login("hoa", password, "10.8.0.1"); err != nil {
				t.Fatalf("4 failures after a success: %v", err)
			}
		})
		for _, tc := range []struct{ name, ip string }{{"one address", "10.9.0.1"}, {"forty addresses", ""}} {
			env.clock.Advance(time.Hour)
			t.Run("forty guesses at once from "+tc.name+" get five password checks", func(t *testing.T) {
				errs := make([]error, 40)
				var wg sync.WaitGroup
				for i := range errs {
					wg.Add(1)
					go func(i int) {
						defer wg.Done()
						ip := tc.ip
						if ip == "" {
							ip = fmt.Sprintf("10.10.0.%d", i)
						}
						errs[i] = login("hoa", fmt.Sprintf("guess %d", i), ip)
					}(i)
				}
				wg.Wait()
				checked := 0
				for _, err := range errs {
					switch models.ErrorCode(err) {
					case models.EUNAUTHORIZED:
						checked++
					case models.ERATELIMITED:
					default:
						t.Fatalf("a guess: %v", err)
					}
				}
				if checked != 5 {
					t.Fatalf("%d of 40 parallel guesses had their password checked, want 5", checked)
				}
			})
		}
	})
}

func asRateLimit(err error, rl **auth.RateLimitError) bool {
	if models.ErrorCode(err) != models.ERATELIMITED {
		return false
	}
	e, ok := err.(*auth.RateLimitError)
	*rl = e
	return ok
}

func TestRefreshRotatesAndDetectsReuse(t *testing.T) {
	runService(t, func(t *testing.T, env *serviceEnv) {
		ctx := context.Background()
		refresh := func(tok string) (*auth.Session, error) { return env.svc.Refresh(ctx, tok, "10.0.0.1", "test") }

		s1 := env.login(t, "lan")
		other := env.login(t, "lan") // a second device: its own family
		env.clock.Advance(time.Minute)
		s2, err := refresh(s1.RefreshToken)
		if err != nil {
			t.Fatal(err)
		}
		if s2.RefreshToken == s1.RefreshToken || s2.AccessToken == s1.AccessToken || s2.User.ID != env.users["lan"].ID {
			t.Fatalf("refresh did not rotate: %+v", s2)
		}
		s3, err := refresh(s2.RefreshToken)
		if err != nil {
			t.Fatalf("the rotated token: %v", err)
		}
		// The thief (or the phone) presents s1 again: refused, and the whole family ends.
		wantCode(t, mustFail(refresh(s1.RefreshToken)), models.EUNAUTHORIZED)
		wantCode(t, mustFail(refresh(s3.RefreshToken)), models.EUNAUTHORIZED)
		wantCode(t, mustFail(refresh(s2.RefreshToken)), models.EUNAUTHORIZED)
		// The other device's session is not touched.
		if _, err := refresh(other.RefreshToken); err != nil {
			t.Fatalf("another session ended with the reused family: %v", err)
		}
		var revoked int64
		env.db.Gorm().Model(&models.RefreshToken{}).Where("user_id = ? AND revoked_at IS NOT NULL", env.users["lan"].ID).Count(&revoked)
		if revoked != 3 {
			t.Fatalf("%d tokens revoked, want the 3 of the reused family", revoked)
		}
		wantCode(t, mustFail(refresh("")), models.EINVALID)
		wantCode(t, mustFail(refresh("made-up-token")), models.EUNAUTHORIZED)
	})
}

// Concurrent refreshes with one token are a reuse: at most one gets a new session, the others
// revoke the whole session, and the winner's new token dies with it, whatever the order in which
// the requests reach the database.
func TestTwoConcurrentRefreshesWithOneTokenGiveOneSession(t *testing.T) {
	runService(t, func(t *testing.T, env *serviceEnv) {
		for round := range 10 {
			s := env.login(t, "lan")
			var wg sync.WaitGroup
			sessions := make([]*auth.Session, 4)
			errs := make([]error, 4)
			for i := range errs {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					sessions[i], errs[i] = env.svc.Refresh(context.Background(), s.RefreshToken, "10.0.0.1", "test")
				}(i)
			}
			wg.Wait()
			ok := 0
			for i, err := range errs {
				if err == nil {
					ok++
					if _, err := env.svc.Refresh(context.Background(), sessions[i].RefreshToken, "10.0.0.1", "test"); !models.IsCode(err, models.EUNAUTHORIZED) {
						t.Fatalf("round %d: the winner's new token outlived the reuse: %v", round, err)
					}
				} else if !models.IsCode(err, models.EUNAUTHORIZED) {
					t.Fatalf("round %d: refresh: %v", round, err)
				}
			}
			if ok > 1 {
				t.Fatalf("round %d: %d concurrent refreshes with one token succeeded", round, ok)
			}
		}
	})
}

func TestRefreshRefusesEndedSessions(t *testing.T) {
	runService(t, func(t *testing.T, env *serviceEnv) {
		ctx := context.Background()
		refresh := func(tok string) error {
			_, err := env.svc.Refresh(ctx, tok, "10.0.0.1", "test")
			return err
		}
		t.Run("an expired refresh token", func(t *testing.T) {
			s := env.login(t, "lan")
			env.clock.Advance(auth.RefreshTTL)
			wantCode(t, refresh(s.RefreshToken), models.EUNAUTHORIZED)
		})
		t.Run("a refresh token a second before it expires", func(t *testing.T) {
			s := env.login(t, "lan")
			env.clock.Advance(auth.RefreshTTL - time.Second)
			if err := refresh(s.RefreshToken); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("after logout", func(t *testing.T) {
			s := env.login(t, "lan")
			if err := env.svc.Logout(ctx, s.RefreshToken); err != nil {
				t.Fatal(err)
			}
			wantCode(t, refresh(s.RefreshToken), models.EUNAUTHORIZED)
			if err := env.svc.Logout(ctx, s.RefreshToken); err != nil {
				t.Fatalf("logging out twice: %v", err)
			}
			if err := env.svc.Logout(ctx, "never-issued"); err != nil {
				t.Fatalf("logging out an unknown token: %v", err)
			}
			wantCode(t, env.svc.Logout(ctx, ""), models.EINVALID)
		})
		t.Run("after logout of a rotated session, its newest token", func(t *testing.T) {
			s := env.login(t, "lan")
			s2, err := env.svc.Refresh(ctx, s.RefreshToken, "10.0.0.1", "test")
			if err != nil {
				t.Fatal(err)
			}
			if err := env.svc.Logout(ctx, s.RefreshToken); err != nil {
				t.Fatal(err)
			}
			wantCode(t, refresh(s2.RefreshToken), models.EUNAUTHORIZED)
		})
		t.Run("a user disabled by an admin", func(t *testing.T) {
			s := env.login(t, "hoa")
			on := true
			u, err := env.db.UpdateUser(ctx, "admin", env.users["hoa"].ID, models.UserUpdate{Disabled: &on}, "")
			if err != nil {
				t.Fatal(err)
			}
			wantCode(t, refresh(s.RefreshToken), models.EUNAUTHORIZED)
			_, err = env.svc.Authenticate(ctx, s.AccessToken)
			wantCode(t, err, models.EUNAUTHORIZED)
			off := false
			if _, err := env.db.UpdateUser(ctx, "admin", u.ID, models.UserUpdate{Disabled: &off}, ""); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("a user disabled without its sessions being revoked", func(t *testing.T) {
			s := env.login(t, "hoa")
			if err := env.db.Gorm().Model(&models.User{}).Where("id = ?", env.users["hoa"].ID).Update("disabled", true).Error; err != nil {
				t.Fatal(err)
			}
			wantCode(t, refresh(s.RefreshToken), models.EUNAUTHORIZED)
		})
		t.Run("a changed password ends the sessions", func(t *testing.T) {
			s := env.login(t, "lan")
			hash, _ := auth.HashPassword("another long password", fastParams)
			if _, err := env.db.UpdateUser(ctx, "admin", env.users["lan"].ID, models.UserUpdate{}, hash); err != nil {
				t.Fatal(err)
			}
			wantCode(t, refresh(s.RefreshToken), models.EUNAUTHORIZED)
			if _, err := env.svc.Login(ctx, "lan", "another long password", "10.0.0.1", "test"); err != nil {
				t.Fatalf("the new password: %v", err)
			}
		})
	})
}

func TestAuthenticateChecksTheTokenAndTheUserNow(t *testing.T) {
	runService(t, func(t *testing.T, env *serviceEnv) {
		ctx := context.Background()
		s := env.login(t, "lan")
		other, err := auth.NewService(env.db, "another-service-secret-9f8e7d6c5b4a", env.clock.Now, fastParams)
		if err != nil {
			t.Fatal(err)
		}
		foreign, err := other.Login(ctx, "lan", password, "10.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct{ name, token string }{
			{"a token signed with another secret", foreign.AccessToken},
			{"a refresh token used as an access token", s.RefreshToken},
			{"a tampered token", s.AccessToken[:len(s.AccessToken)-2] + "xx"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := env.svc.Authenticate(ctx, tc.token)
				wantCode(t, err, models.EUNAUTHORIZED)
			})
		}
		env.clock.Advance(auth.AccessTTL)
		t.Run("an expired token", func(t *testing.T) {
			_, err := env.svc.Authenticate(ctx, s.AccessToken)
			wantCode(t, err, models.EUNAUTHORIZED)
		})
	})
}

func TestPasswordStrength(t *testing.T) {
	for _, tc := range []struct {
		name, password string
		ok             bool
		why            string // a word of the English message
	}{
		{"an empty password is refused", "", false, "at least 12"},
		{"eleven characters are refused", "Tq7#mB2$xK9", false, "at least 12"},
		{"twelve characters are enough", "Tq7#mB2$xK9w", true, ""},
		{"twelve Vietnamese letters are twelve characters", "mưa rơi lặng", true, ""},
		{"eleven Vietnamese letters are too few, whatever their bytes", "mưa rơi lặn", false, "at least 12"},
		{"a passphrase is allowed", "correct horse battery staple", true, ""},
		{"200 characters are allowed", phrase(200), true, ""},
		{"201 characters are too many", phrase(201), false, "at most 200"},
		{"ten identical characters are refused", "aaaaaaaaaaaaaa", false, "different characters"},
		{"ten NULs are refused", strings.Repeat("\x00", 12), false, "control characters"},
		{"a tab is refused", "correct\thorse battery", false, "control characters"},
		{"text that is not UTF-8 is refused", "correct horse \xff\xfe battery", false, "UTF-8"},
		{"the demo password is refused", auth.DemoPassword, false, "demo"},
		{"the demo password in capitals is refused", "KIEMTRA-DEMO", false, "demo"},
		{"the demo password with digits added is refused", "kiemtra-demo2026", false, "demo"},
		{"the username is refused", "nguyen.van.lan", false, "username"},
		{"the username with digits added is refused", "Nguyen.Van.Lan1990", false, "username"},
		{"the username written twice is refused", "Nguyen.Van.Lannguyen.van.lan!!", false, "username"},
		{"the display name is refused, without its diacritics too", "Trần Thị Bích Ngọc", false, "display name"},
		{"the display name without spaces or marks is refused", "tranthibichngoc", false, "display name"},
		{"a common password padded with digits is refused", "password1234", false, "common"},
		{"a common password with symbols and digits is refused", "Sunshine!2024", false, "common"},
		{"a common password with look-alike digits is refused", "p@ssw0rd2024", false, "common"},
		{"a common Vietnamese password is refused", "anhyeuem123456", false, "common"},
		{"a common Vietnamese password with its diacritics is refused", "Mật khẩu 2024!", false, "common"},
		{"a long common password is refused", "winniethepooh", false, "common"},
		{"a run of digits is refused", "123456789012", false, "run of the keyboard"},
		{"a run of digits backwards is refused", "098765432109", false, "run of the keyboard"},
		{"a keyboard row is refused", "qwertyuiopas", false, "run of the keyboard"},
		{"a keyboard column is refused", "1qaz2wsx3edc", false, "run of the keyboard"},
		{"two runs are refused", "abcdefg12345", false, "run of the keyboard"},
		{"a short pattern repeated is refused", "tqmbxtqmbxtq", false, "repeats"},
		{"a word repeated is refused", "hoanghoanghoang", false, "repeats"},
		{"few distinct characters are refused", "abab1212abab", false, "different characters"},
		{"random digits are allowed", "804172956318", true, ""},
		{"a phrase of Vietnamese words is allowed", "Cần Thơ mùa nước nổi", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := auth.CheckPasswordStrength(tc.password, "nguyen.van.lan", "Trần Thị Bích Ngọc")
			if tc.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tc.ok {
				e := wantCode(t, err, models.EINVALID)
				if e.Field != "password" || !strings.Contains(e.Message, tc.why) || e.MessageVI == "" || e.MessageVI == e.Message {
					t.Fatalf("field %q, message %q / %q; want one about %q in both languages", e.Field, e.Message, e.MessageVI, tc.why)
				}
			}
		})
	}
	t.Run("the username with its own digits changed is refused", func(t *testing.T) {
		if e := wantCode(t, auth.CheckPasswordStrength("Lan.Tran.2026", "lan.tran90", ""), models.EINVALID); !strings.Contains(e.Message, "username") {
			t.Fatalf("message %q", e.Message)
		}
	})
	svc, err := auth.NewService(nil, secret, nil, fastParams)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Hash("short", "lan", ""); !models.IsCode(err, models.EINVALID) {
		t.Fatalf("Hash of a short password: %v", err)
	}
	if _, err := svc.Hash("lan.nguyen.2026", "lan.nguyen", ""); !models.IsCode(err, models.EINVALID) {
		t.Fatalf("Hash of the username with digits: %v", err)
	}
	h, err := svc.Hash("long enough password", "lan", "")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("Hash = %q, %v; want the service's parameters", h, err)
	}
	if ok, _ := auth.CheckPassword("long enough password", h); !ok {
		t.Fatal("the hash does not match its password")
	}
}

// phrase returns n characters of Vietnamese words that repeat no pattern.
func phrase(n int) string {
	words := []string{"sông", "Hậu", "chợ", "nổi", "Cái", "Răng", "bến", "Ninh", "Kiều"}
	var b strings.Builder
	for i := 0; utf8.RuneCountInString(b.String()) < n; i++ {
		fmt.Fprintf(&b, "%s%d ", words[i%len(words)], i)
	}
	return string([]rune(b.String())[:n])
}

func TestSecretStrength(t *testing.T) {
	for _, tc := range []struct {
		name, secret string
		ok           bool
	}{
		{"32 identical characters are refused", strings.Repeat("s", 32), false},
		{"31 random characters are refused", "Qx7-vR2mK9#tLp4wZs8bNc1yHd6jF0e", false},
		{"a short pattern repeated is refused", strings.Repeat("0123456789abcdef", 4), false},
		{"the alphabet and the digits are refused", "abcdefghijklmnopqrstuvwxyz0123456789", false},
		{"words repeated are refused", "kiemtra-secret-kiemtra-secret-kiemtra", false},
		{"openssl rand -hex 32 passes", "4f3c2a9be10d7785c6a1f0e29b3d4c5a8e7f6d1c2b3a49580716f2e3d4c5b6a7", true},
		{"openssl rand -base64 32 passes", "q3Jk9vLm2Xp8Rt5Yw1Zb7Nc4Hd6Gf0Es+Aa/Uo3Ii9E=", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := auth.CheckSecret(tc.secret)
			if tc.ok != (err == nil) {
				t.Fatalf("CheckSecret = %v, want ok %v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, auth.ErrWeakSecret) {
				t.Fatalf("%v does not wrap ErrWeakSecret", err)
			}
		})
	}
	// What `openssl rand -hex 32` and the data directory's generated secret.key give always
	// passes: a thousand of them.
	for i := 0; i < 1000; i++ {
		b := make([]byte, 32)
		rand.Read(b)
		if err := auth.CheckSecret(hex.EncodeToString(b)); err != nil {
			t.Fatalf("a random secret %x: %v", b, err)
		}
	}
}

func mustFail(_ *auth.Session, err error) error { return err }

// An access token lives 15 minutes, but no longer than its session: logout, a reused refresh
// token, an admin's password reset or disabling end it at the next request.
func TestAccessTokensEndWithTheirSession(t *testing.T) {
	runService(t, func(t *testing.T, env *serviceEnv) {
		ctx := context.Background()
		alive := func(s *auth.Session) error {
			_, err := env.svc.Authenticate(ctx, s.AccessToken)
			return err
		}
		t.Run("logout", func(t *testing.T) {
			s, other := env.login(t, "lan"), env.login(t, "lan")
			if err := alive(s); err != nil {
				t.Fatal(err)
			}
			if err := env.svc.Logout(ctx, s.RefreshToken); err != nil {
				t.Fatal(err)
			}
			wantCode(t, alive(s), models.EUNAUTHORIZED)
			if err := alive(other); err != nil {
				t.Fatalf("another device's session ended with the logout: %v", err)
			}
		})
		t.Run("a reused refresh token", func(t *testing.T) {
			s1 := env.login(t, "lan")
			s2, err := env.svc.Refresh(ctx, s1.RefreshToken, "10.0.0.1", "test")
			if err != nil {
				t.Fatal(err)
			}
			if err := alive(s2); err != nil {
				t.Fatal(err)
			}
			wantCode(t, mustFail(env.svc.Refresh(ctx, s1.RefreshToken, "10.0.0.1", "test")), models.EUNAUTHORIZED)
			wantCode(t, alive(s2), models.EUNAUTHORIZED)
			wantCode(t, alive(s1), models.EUNAUTHORIZED)
		})
		t.Run("an admin's password reset", func(t *testing.T) {
			s := env.login(t, "hoa")
			hash, _ := auth.HashPassword("a new password for hoa", fastParams)
			if _, err := env.db.UpdateUser(ctx, "admin", env.users["hoa"].ID, models.UserUpdate{}, hash); err != nil {
				t.Fatal(err)
			}
			wantCode(t, alive(s), models.EUNAUTHORIZED)
		})
		t.Run("disabling the user", func(t *testing.T) {
			u := env.addUser(t, "chi")
			s := env.login(t, "chi")
			on := true
			if _, err := env.db.UpdateUser(ctx, "admin", u.ID, models.UserUpdate{Disabled: &on}, ""); err != nil {
				t.Fatal(err)
			}
			off := false
			if _, err := env.db.UpdateUser(ctx, "admin", u.ID, models.UserUpdate{Version: 2, Disabled: &off}, ""); err != nil {
				t.Fatal(err)
			}
			wantCode(t, alive(s), models.EUNAUTHORIZED)
		})
		t.Run("a session of another user", func(t *testing.T) {
			env.login(t, "lan")
			var hoaSession string
			if err := env.db.Gorm().Raw("SELECT id FROM sessions WHERE user_id = ? LIMIT 1", env.users["hoa"].ID).Scan(&hoaSession).Error; err != nil || hoaSession == "" {
				t.Fatalf("hoa's session: %q %v", hoaSession, err)
			}
			signer, err := auth.NewSigner(secret, env.clock.Now)
			if err != nil {
				t.Fatal(err)
			}
			tok, _, err := signer.Issue(env.users["lan"].ID, hoaSession)
			if err != nil {
				t.Fatal(err)
			}
			_, err = env.svc.Authenticate(ctx, tok)
			wantCode(t, err, models.EUNAUTHORIZED)
		})
	})
}

func TestTheDemoPasswordWorksOnlyInADatabaseTheDemoMade(t *testing.T) {
	runService(t, func(t *testing.T, env *serviceEnv) {
		ctx := context.Background()
		hash, err := auth.HashPassword(auth.DemoPassword, fastParams)
		if err != nil {
			t.Fatal(err)
		}
		if err := env.db.CreateUser(ctx, "t", &models.User{Username: "admin", Agency: models.AgencyOther, Role: models.RoleAdmin, AreaCode: "92", PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
		_, err = env.svc.Login(ctx, "admin", auth.DemoPassword, "10.0.0.1", "test")
		if e := wantCode(t, err, models.EUNAUTHORIZED); !strings.Contains(e.Message, "demo password") || !strings.Contains(e.MessageVI, "mật khẩu dùng thử") {
			t.Fatalf("the refusal does not say why: %q / %q", e.Message, e.MessageVI)
		}
		// A wrong password says nothing about the account's password.
		_, err = env.svc.Login(ctx, "admin", "kiemtra-demo!", "10.0.0.1", "test")
		if e := wantCode(t, err, models.EUNAUTHORIZED); strings.Contains(e.Message, "demo") {
			t.Fatalf("a wrong password is told about the demo password: %q", e.Message)
		}
		if err := env.db.MarkDemoDatabase(ctx, "test"); err != nil {
			t.Fatal(err)
		}
		if _, err := env.svc.Login(ctx, "admin", auth.DemoPassword, "10.0.0.1", "test"); err != nil {
			t.Fatalf("in a demo database: %v", err)
		}
	})
}

// benchServices runs fn with a service over a database of each dialect, holding the user lan.
func benchServices(b *testing.B, fn func(b *testing.B, env *serviceEnv)) {
	for _, dialect := range []string{store.DialectSQLite, store.DialectPostgres} {
		b.Run(dialect, func(b *testing.B) {
			clk := &clock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
			db := storetest.NewSQLite(b, storetest.Options{Now: clk.Now})
			if dialect == store.DialectPostgres {
				db = storetest.NewPostgres(b, storetest.Options{Now: clk.Now})
			}
			fn(b, newServiceEnv(b, db, clk))
		})
	}
}

// BenchmarkAuthenticate measures the check every authenticated request makes: the token, then
// the user and its session in one query.
func BenchmarkAuthenticate(b *testing.B) {
	benchServices(b, func(b *testing.B, env *serviceEnv) {
		s, err := env.svc.Login(context.Background(), "lan", password, "10.0.0.1", "bench")
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := env.svc.Authenticate(context.Background(), s.AccessToken); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLoginLimits measures a successful sign-in with cheap hashing, each from a new
// address: what is left is the limits' reads and writes and the new session's rows.
func BenchmarkLoginLimits(b *testing.B) {
	benchServices(b, func(b *testing.B, env *serviceEnv) {
		for i := 0; b.Loop(); i++ {
			if _, err := env.svc.Login(context.Background(), "lan", password, fmt.Sprintf("10.%d.%d.1", i/250%250, i%250), "bench"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// A phone changes its address with every network: the device token of an earlier sign-in lets
// it through an attack on its account, from any address, where a new device waits its turn.
// And an attacker's refused attempts use up its addresses as its checked ones do.
func TestKnownDevicesGetThroughAnAttackAndRefusedAttemptsCountAgainstTheAddress(t *testing.T) {
	runService(t, func(t *testing.T, env *serviceEnv) {
		ctx := context.Background()
		first, err := env.svc.SignIn(ctx, auth.SignInRequest{Username: "lan", Password: password, IP: "10.20.0.1", UserAgent: "phone"})
		if err != nil {
			t.Fatal(err)
		}
		if len(first.DeviceToken) != 43 {
			t.Fatalf("device token %q", first.DeviceToken)
		}
		// The attack: guesses from many addresses until the account's delay holds them.
		for i := 0; i < 12; i++ {
			_, _ = env.svc.Login(ctx, "lan", "guess", fmt.Sprintf("10.21.0.%d", i), "bot")
		}
		if _, err := env.svc.Login(ctx, "lan", password, "10.22.0.1", "phone"); err == nil {
			t.Fatal("a new device on a new address was not held up during the attack (the test's attack is too weak)")
		}
		again, err := env.svc.SignIn(ctx, auth.SignInRequest{Username: "LAN", Password: password, IP: "10.23.0.9", UserAgent: "phone", DeviceToken: first.DeviceToken})
		if err != nil {
			t.Fatalf("the known device on a new address during the attack: %v", err)
		}
		if again.DeviceToken != first.DeviceToken {
			t.Fatalf("the device got a new token %q", again.DeviceToken)
		}
		// A made-up token is no better than none.
		if _, err := env.svc.SignIn(ctx, auth.SignInRequest{Username: "lan", Password: password, IP: "10.24.0.1", DeviceToken: strings.Repeat("A", 43)}); err == nil {
			t.Fatal("a made-up device token got through the attack")
		}
		// One address hammering the account: after 20 attempts, refused ones included, the
		// address is locked for the window, not merely delayed.
		env.clock.Advance(time.Hour)
		env.addUser(t, "an")
		for i := 0; i < 6; i++ {
			_, _ = env.svc.Login(ctx, "an", "guess", fmt.Sprintf("10.25.0.%d", i), "bot")
		}
		for i := 0; i < 20; i++ {
			_, _ = env.svc.Login(ctx, "an", fmt.Sprintf("guess %d", i), "10.26.0.1", "bot")
		}
		var rl *auth.RateLimitError
		if _, err := env.svc.Login(ctx, "hoa", "guess", "10.26.0.1", "bot"); !asRateLimit(err, &rl) || rl.Wait < 10*time.Minute {
			t.Fatalf("the hammering address on another account: %v; want it locked", err)
		}
	})
}
