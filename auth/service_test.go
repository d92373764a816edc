package auth_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

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
func newServiceEnv(t *testing.T, db *store.DB, clk *clock) *serviceEnv {
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

func TestLoginIsRateLimitedPerUserAndPerAddress(t *testing.T) {
	runService(t, func(t *testing.T, env *serviceEnv) {
		ctx := context.Background()
		login := func(user, pw, ip string) error {
			_, err := env.svc.Login(ctx, user, pw, ip, "test")
			return err
		}
		t.Run("five wrong passwords for one user block it from every address", func(t *testing.T) {
			for i := 0; i < 5; i++ {
				wantCode(t, login("lan", "wrong password", "10.1.0."+string(rune('1'+i))), models.EUNAUTHORIZED)
			}
			e := wantCode(t, login("lan", password, "10.1.9.9"), models.ERATELIMITED)
			if !strings.Contains(e.Message, "15 minutes") {
				t.Fatalf("message %q does not say how long to wait", e.Message)
			}
			var rl *auth.RateLimitError
			if !asRateLimit(login("LAN", password, "10.1.9.9"), &rl) || rl.Wait != 15*time.Minute {
				t.Fatalf("the error does not carry the wait: %+v", rl)
			}
			if err := login("hoa", password, "10.1.0.1"); err != nil {
				t.Fatalf("another user of the same address is blocked: %v", err)
			}
			env.clock.Advance(10 * time.Minute)
			if !asRateLimit(login("lan", password, "10.1.9.9"), &rl) || rl.Wait != 5*time.Minute {
				t.Fatalf("10 minutes later: %+v, want 5 minutes left", rl)
			}
			env.clock.Advance(5 * time.Minute)
			if err := login("lan", password, "10.1.9.9"); err != nil {
				t.Fatalf("after the window: %v", err)
			}
		})
		t.Run("a successful sign-in clears the user's failures", func(t *testing.T) {
			for i := 0; i < 4; i++ {
				wantCode(t, login("hoa", "wrong password", "10.2.0.1"), models.EUNAUTHORIZED)
			}
			if err := login("hoa", password, "10.2.0.1"); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 4; i++ {
				wantCode(t, login("hoa", "wrong password", "10.2.0.1"), models.EUNAUTHORIZED)
			}
			if err := login("hoa", password, "10.2.0.1"); err != nil {
				t.Fatalf("4 failures after a success: %v", err)
			}
		})
		env.clock.Advance(time.Hour)
		t.Run("twenty failures from one address block the address", func(t *testing.T) {
			for i := 0; i < 20; i++ {
				wantCode(t, login("ghost"+string(rune('a'+i)), password, "10.3.0.1"), models.EUNAUTHORIZED)
			}
			wantCode(t, login("lan", password, "10.3.0.1"), models.ERATELIMITED)
			if err := login("lan", password, "10.3.0.2"); err != nil {
				t.Fatalf("another address is blocked: %v", err)
			}
			env.clock.Advance(15 * time.Minute)
			if err := login("lan", password, "10.3.0.1"); err != nil {
				t.Fatalf("after the window: %v", err)
			}
		})
		env.clock.Advance(time.Hour)
		t.Run("forty guesses at once get five password checks", func(t *testing.T) {
			errs := make([]error, 40)
			var wg sync.WaitGroup
			for i := range errs {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					errs[i] = login("hoa", fmt.Sprintf("guess %d", i), fmt.Sprintf("10.4.0.%d", i))
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
		other, err := auth.NewService(env.db, strings.Repeat("z", 40), env.clock.Now, fastParams)
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
	}{
		{"an empty password is refused", "", false},
		{"nine characters are refused", "123456789", false},
		{"ten characters are enough", "1234567890", true},
		{"ten Vietnamese letters are ten characters", "mậtkhẩuđầy", true},
		{"nine Vietnamese letters are too few, whatever their bytes", "mậtkhẩuđầ", false},
		{"200 characters are allowed", strings.Repeat("a", 200), true},
		{"201 characters are too many", strings.Repeat("a", 201), false},
		{"a passphrase of 150 Vietnamese letters is allowed", strings.Repeat("đ", 150), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := auth.CheckPasswordStrength(tc.password)
			if tc.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !tc.ok {
				if e := wantCode(t, err, models.EINVALID); e.Field != "password" {
					t.Fatalf("field %q", e.Field)
				}
			}
		})
	}
	svc, err := auth.NewService(nil, secret, nil, fastParams)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Hash("short"); !models.IsCode(err, models.EINVALID) {
		t.Fatalf("Hash of a short password: %v", err)
	}
	h, err := svc.Hash("long enough password")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("Hash = %q, %v; want the service's parameters", h, err)
	}
	if ok, _ := auth.CheckPassword("long enough password", h); !ok {
		t.Fatal("the hash does not match its password")
	}
}

func mustFail(_ *auth.Session, err error) error { return err }
