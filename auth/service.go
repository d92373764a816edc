package auth

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"time"

	"github.com/google/uuid"

	"kiemtra/models"
)

// Store is what authentication needs from persistence.
type Store interface {
	FindUserByUsername(ctx context.Context, username string) (*models.User, error)
	FindUserByID(ctx context.Context, id string) (*models.User, error)
	// CreateSession stores a new session with its first refresh token.
	CreateSession(ctx context.Context, s *models.Session, first *models.RefreshToken) error
	// FindSessionUser returns the user of a session that is not revoked, in one query; not_found
	// when the session is unknown, revoked or another user's.
	FindSessionUser(ctx context.Context, sessionID, userID string) (*models.User, error)
	FindRefreshToken(ctx context.Context, hash string) (*models.RefreshToken, error)
	// RotateRefreshToken marks old used and stores next, unless old was used or revoked or its
	// session was revoked (false); a revocation of the session cannot slip between the two.
	RotateRefreshToken(ctx context.Context, old *models.RefreshToken, at time.Time, next *models.RefreshToken) (bool, error)
	// RevokeRefreshFamily ends a session and its refresh tokens.
	RevokeRefreshFamily(ctx context.Context, familyID string, at time.Time) error
	// IsDemoDatabase reports whether `kiemtra demo` made the database.
	IsDemoDatabase(ctx context.Context) (bool, error)
	// The sign-in limits count attempts in the database, so that every replica counts the same.
	models.HitStore
}

// Session is what a login or a refresh hands to the client.
type Session struct {
	AccessToken  string       `json:"access_token"`
	RefreshToken string       `json:"refresh_token"`
	TokenType    string       `json:"token_type"`
	ExpiresIn    int          `json:"expires_in"` // seconds
	User         *models.User `json:"user"`
	// DeviceToken names the browser or phone that signed in (kept by the app across sign-ins and
	// logouts, sent with the next sign-in): a device that signed in to an account before is let
	// through an attack on the account, whatever its network address (phones change theirs).
	DeviceToken string `json:"device_token,omitempty"`
}

// Service logs users in, rotates their refresh tokens and authenticates requests.
type Service struct {
	store     Store
	signer    *Signer
	signIn    signInLimits
	now       func() time.Time
	params    PasswordParams
	dummyHash string
	// hashing bounds the password checks running at once: each takes the memory of
	// PasswordParams, and a burst of sign-ins must queue instead of exhausting it.
	hashing chan struct{}
}

// The sign-in rule (docs/operations.md, "Sign-in limits"). Wrong passwords lock an (account,
// address) pair and, in larger numbers, an address, but only delay an account: an attacker who
// knows a username cannot lock its owner out, and the owner's address that signed in before is
// never delayed.
const (
	// pairFailures wrong passwords for one account from one address within failureWindow lock
	// that pair until the oldest leaves the window.
	pairFailures = 5
	// addressFailures failed sign-ins from one address, over all accounts, lock the address;
	// an (account, address) pair that signed in before does not count or wait here.
	addressFailures = 20
	failureWindow   = 15 * time.Minute
	// accountFreeFailures failures of one account within failureWindow, from addresses that
	// never signed in to it, are free; each attempt from such an address after them waits
	// accountFirstDelay after the account's previous one, doubling up to accountMaxDelay.
	accountFreeFailures = 5
	accountFirstDelay   = time.Second
	accountMaxDelay     = 30 * time.Second
	// knownAddressFor is how long an address that signed in to an account stays known to it.
	knownAddressFor = 90 * 24 * time.Hour
)

// signInLimits are the limiters of the sign-in rule.
type signInLimits struct {
	pair, address, account *Limiter
	known                  *Marks
}

func newSignInLimits(ls *Limits) signInLimits {
	return signInLimits{
		pair:    ls.Window("signin-pair", pairFailures, failureWindow),
		address: ls.Window("signin-address", addressFailures, failureWindow),
		account: ls.Spacing("signin-account", accountFreeFailures, accountFirstDelay, accountMaxDelay, failureWindow),
		known:   ls.Marks("signin-known", knownAddressFor),
	}
}

// NewService returns an authentication service signing with secret. Its sign-in limits count in
// store, which every replica shares.
func NewService(store Store, secret string, now func() time.Time, params PasswordParams) (*Service, error) {
	if now == nil {
		now = time.Now
	}
	signer, err := NewSigner(secret, now)
	if err != nil {
		return nil, err
	}
	dummy, err := HashPassword(randomToken(16), params)
	if err != nil {
		return nil, err
	}
	return &Service{store: store, signer: signer, now: now, params: params, dummyHash: dummy,
		signIn:  newSignInLimits(NewLimits(store, now, DeriveLimitKey(secret))),
		hashing: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))}, nil
}

func unauthorized() error {
	return models.NewError(models.EUNAUTHORIZED, "invalid username or password", "tên đăng nhập hoặc mật khẩu không đúng")
}

func sessionEnded() error {
	return models.NewError(models.EUNAUTHORIZED, "the session has expired or was ended: sign in again", "phiên làm việc đã hết hạn hoặc đã kết thúc: hãy đăng nhập lại")
}

// demoPasswordRefused answers the right demo password outside a demo database. Only someone who
// knows the account's password sees it, so it may say why.
func demoPasswordRefused() error {
	return models.NewError(models.EUNAUTHORIZED, "this account still has the published demo password, which is accepted only in a database made by `kiemtra demo`: ask an admin to set a new password",
		"tài khoản này vẫn dùng mật khẩu dùng thử đã công bố, chỉ được chấp nhận trong cơ sở dữ liệu dùng thử: hãy nhờ quản trị viên đặt mật khẩu mới")
}

// RateLimitError refuses a sign-in attempt after too many failures. It carries the
// rate_limited application error (models.ErrorAs finds it) and the time left to wait, which the
// API sends as Retry-After.
type RateLimitError struct {
	Err  *models.Error
	Wait time.Duration
}

func (e *RateLimitError) Error() string { return e.Err.Error() }

// Unwrap returns the application error.
func (e *RateLimitError) Unwrap() error { return e.Err }

// rateLimited says how long to wait: in seconds under two minutes (an account's delay), in
// minutes beyond (a locked pair or address).
func rateLimited(wait time.Duration) error {
	if wait < 2*time.Minute {
		secs := int(math.Ceil(wait.Seconds()))
		return &RateLimitError{Wait: wait, Err: models.NewError(models.ERATELIMITED, "too many failed sign-ins: try again in %d seconds", "đăng nhập sai quá nhiều lần: hãy thử lại sau %d giây", secs)}
	}
	mins := int(math.Ceil(wait.Minutes()))
	return &RateLimitError{Wait: wait, Err: models.NewError(models.ERATELIMITED, "too many failed sign-ins: try again in %d minutes", "đăng nhập sai quá nhiều lần: hãy thử lại sau %d phút", mins)}
}

// signInAttempt is one sign-in's place in the limits, taken before its password is checked.
type signInAttempt struct {
	pair, address, account Attempt
	known                  bool
	knownSince             time.Time // when the address last signed in to the account
	deviceSince            time.Time // when the device last signed in to the account
}

// knownRefresh is how old an address's last sign-in must be before a new one records it again:
// most sign-ins then write nothing for it.
const knownRefresh = 24 * time.Hour

// deviceKey is the mark of a device that signed in to an account.
func deviceKey(account, device string) string { return account + "|device|" + device }

// take counts a sign-in attempt of an account from an address (and a device, when the app sent
// its token) against the limits, before its password is checked, so that parallel guesses
// cannot all pass; a wait above zero refuses it. Unknown accounts are counted exactly as real
// ones: the answers do not tell them apart.
func (l signInLimits) take(ctx context.Context, account, addr, device string) (signInAttempt, time.Duration, error) {
	pairKey := account + "|" + addr
	var a signInAttempt
	var err error
	if a.knownSince, err = l.known.SetAt(ctx, pairKey); err != nil {
		return a, 0, err
	}
	if device != "" {
		if a.deviceSince, err = l.known.SetAt(ctx, deviceKey(account, device)); err != nil {
			return a, 0, err
		}
	}
	a.known = !a.knownSince.IsZero() || !a.deviceSince.IsZero()
	var wait time.Duration
	if a.pair, wait, err = l.pair.Take(ctx, pairKey); err != nil || wait > 0 {
		return a, wait, err
	}
	if a.known {
		// The owner's own address or device: neither a busy address nor an account under
		// attack holds it up; only its own failures (the pair) can.
		return a, 0, nil
	}
	if a.address, wait, err = l.address.Take(ctx, addr); err != nil || wait > 0 {
		return a, wait, errors.Join(err, l.pair.Forgive(ctx, a.pair))
	}
	if a.account, wait, err = l.account.Take(ctx, account); err != nil || wait > 0 {
		// The address keeps its count: an attacker's refused attempts use up its addresses
		// (and cost two writes each), not only its accepted ones.
		return a, wait, errors.Join(err, l.pair.Forgive(ctx, a.pair))
	}
	return a, 0, nil
}

// forgive takes back an attempt that was not a guess (the database failed, the caller left).
func (l signInLimits) forgive(ctx context.Context, a signInAttempt) error {
	return errors.Join(l.pair.Forgive(ctx, a.pair), l.address.Forgive(ctx, a.address), l.account.Forgive(ctx, a.account))
}

// succeeded clears the pair's failures, takes back the attempt and remembers the address and
// the device for the account (again, once a day).
func (l signInLimits) succeeded(ctx context.Context, account, addr, device string, a signInAttempt, now time.Time) error {
	pairKey := account + "|" + addr
	err := errors.Join(l.pair.Reset(ctx, pairKey), l.address.Forgive(ctx, a.address), l.account.Forgive(ctx, a.account))
	if err == nil && now.Sub(a.knownSince) >= knownRefresh {
		err = l.known.Set(ctx, pairKey)
	}
	if err == nil && now.Sub(a.deviceSince) >= knownRefresh {
		err = l.known.Set(ctx, deviceKey(account, device))
	}
	return err
}

// SignInRequest is what a sign-in sends: the credentials, where it comes from, and the device token the
// app kept from an earlier sign-in ("" for none).
type SignInRequest struct {
	Username, Password, IP, UserAgent, DeviceToken string
}

// validDeviceToken reports whether t has the form of a token this service gives out; any other
// value is ignored (a new one is given).
func validDeviceToken(t string) bool {
	if len(t) != 43 {
		return false
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Login is SignIn without a device token.
func (s *Service) Login(ctx context.Context, username, password, ip, userAgent string) (*Session, error) {
	return s.SignIn(ctx, SignInRequest{Username: username, Password: password, IP: ip, UserAgent: userAgent})
}

// SignIn checks a username and password. Every failure looks the same to the caller (an unknown
// user, a wrong password, a disabled account), and costs the same time. The session carries the
// device's token: the one sent when it was well formed, a new one otherwise.
func (s *Service) SignIn(ctx context.Context, in SignInRequest) (*Session, error) {
	username, password, ip, userAgent := strings.TrimSpace(in.Username), in.Password, in.IP, in.UserAgent
	device := in.DeviceToken
	if !validDeviceToken(device) {
		device = ""
	}
	if username == "" || password == "" {
		var v models.Validation
		if username == "" {
			v.Add("username", "is required", "không được để trống")
		}
		if password == "" {
			v.Add("password", "is required", "không được để trống")
		}
		return nil, v.Err()
	}
	// Usernames are stored in lower case; phones capitalise the first letter typed.
	userKey := strings.ToLower(username)
	addr := AddressKey(ip)
	attempt, wait, err := s.signIn.take(ctx, userKey, addr, device)
	if err != nil {
		return nil, err
	}
	if wait > 0 {
		return nil, rateLimited(wait)
	}
	u, err := s.store.FindUserByUsername(ctx, userKey)
	if err != nil && !models.IsCode(err, models.ENOTFOUND) {
		return nil, errors.Join(err, s.signIn.forgive(ctx, attempt))
	}
	hash := s.dummyHash
	if u != nil {
		hash = u.PasswordHash
	}
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		return nil, errors.Join(ctx.Err(), s.signIn.forgive(context.WithoutCancel(ctx), attempt))
	}
	ok, herr := CheckPassword(password, hash)
	<-s.hashing
	if u == nil || herr != nil || !ok || u.Disabled {
		return nil, unauthorized()
	}
	if password == DemoPassword {
		demo, err := s.store.IsDemoDatabase(ctx)
		if err != nil {
			return nil, err
		}
		if !demo {
			return nil, demoPasswordRefused()
		}
	}
	if device == "" {
		device = randomToken(32)
	}
	if err := s.signIn.succeeded(ctx, userKey, addr, device, attempt, s.now()); err != nil {
		return nil, err
	}
	sess, err := s.newSession(ctx, u, ip, userAgent)
	if err != nil {
		return nil, err
	}
	sess.DeviceToken = device
	return sess, nil
}

// newSession starts a session for u: its row, its first refresh token and an access token.
func (s *Service) newSession(ctx context.Context, u *models.User, ip, userAgent string) (*Session, error) {
	userAgent = clip(userAgent)
	sess := &models.Session{ID: uuid.NewString(), UserID: u.ID, CreatedAt: s.now().UTC(), IP: ip, UserAgent: userAgent}
	out, rt, err := s.issue(u, sess.ID, ip, userAgent)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateSession(ctx, sess, rt); err != nil {
		return nil, fmt.Errorf("store session: %w", err)
	}
	return out, nil
}

// clip bounds the user agent kept with a session and makes it text both databases store: a
// header may carry any bytes (PostgreSQL refused invalid UTF-8 there with a 500 at sign-in).
func clip(userAgent string) string {
	if len(userAgent) > 200 {
		userAgent = userAgent[:200]
	}
	return strings.ReplaceAll(strings.ToValidUTF8(userAgent, "\uFFFD"), "\x00", "")
}

// issue makes a session's tokens: the access token, and the refresh token with its stored form.
func (s *Service) issue(u *models.User, family, ip, userAgent string) (*Session, *models.RefreshToken, error) {
	access, exp, err := s.signer.Issue(u.ID, family)
	if err != nil {
		return nil, nil, err
	}
	refresh := NewRefreshToken()
	now := s.now().UTC()
	rt := &models.RefreshToken{ID: uuid.NewString(), UserID: u.ID, FamilyID: family, TokenHash: HashRefreshToken(refresh),
		ExpiresAt: now.Add(RefreshTTL), CreatedAt: now, IP: ip, UserAgent: clip(userAgent)}
	return &Session{AccessToken: access, RefreshToken: refresh, TokenType: "Bearer", ExpiresIn: int(math.Round(exp.Sub(s.now()).Seconds())), User: u}, rt, nil
}

// Refresh exchanges a refresh token for a new session. A token is good once: presenting it
// again (a copy in a thief's hands, or the legitimate phone after the thief used it) revokes the
// whole family, so both must sign in again.
func (s *Service) Refresh(ctx context.Context, token, ip, userAgent string) (*Session, error) {
	if token == "" {
		return nil, models.Invalid("refresh_token", "is required", "không được để trống")
	}
	rt, err := s.store.FindRefreshToken(ctx, HashRefreshToken(token))
	if models.IsCode(err, models.ENOTFOUND) {
		return nil, sessionEnded()
	}
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if rt.UsedAt != nil || rt.RevokedAt != nil {
		if err := s.store.RevokeRefreshFamily(ctx, rt.FamilyID, now); err != nil {
			return nil, err
		}
		return nil, sessionEnded()
	}
	if !now.Before(rt.ExpiresAt) {
		return nil, sessionEnded()
	}
	u, err := s.store.FindUserByID(ctx, rt.UserID)
	if err != nil || u.Disabled {
		return nil, sessionEnded()
	}
	sess, next, err := s.issue(u, rt.FamilyID, ip, userAgent)
	if err != nil {
		return nil, err
	}
	fresh, err := s.store.RotateRefreshToken(ctx, rt, now, next)
	if err != nil {
		return nil, err
	}
	if !fresh { // another request used it a moment ago: treat as reuse
		if err := s.store.RevokeRefreshFamily(ctx, rt.FamilyID, now); err != nil {
			return nil, err
		}
		return nil, sessionEnded()
	}
	return sess, nil
}

// Logout ends the session the refresh token belongs to, and with it the session's access
// tokens. Logging out twice is not an error.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return models.Invalid("refresh_token", "is required", "không được để trống")
	}
	rt, err := s.store.FindRefreshToken(ctx, HashRefreshToken(token))
	if models.IsCode(err, models.ENOTFOUND) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.store.RevokeRefreshFamily(ctx, rt.FamilyID, s.now().UTC())
}

// Authenticate checks an access token and returns its user as stored now, in one query with its
// session's state: a disabled user, a changed role or an ended session (logout, a reused refresh
// token, an admin's password reset) takes effect at the next request.
func (s *Service) Authenticate(ctx context.Context, accessToken string) (*models.User, error) {
	id, sessionID, err := s.signer.Verify(accessToken)
	if err != nil {
		return nil, models.NewError(models.EUNAUTHORIZED, "the access token is invalid or expired: refresh it or sign in again", "mã truy cập không hợp lệ hoặc đã hết hạn: hãy làm mới hoặc đăng nhập lại")
	}
	u, err := s.store.FindSessionUser(ctx, sessionID, id)
	if models.IsCode(err, models.ENOTFOUND) {
		return nil, sessionEnded()
	}
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, models.NewError(models.EUNAUTHORIZED, "the account is disabled", "tài khoản đã bị khóa")
	}
	return u, nil
}

// Hash hashes a new password of an account with the service's parameters, after
// CheckPasswordStrength.
func (s *Service) Hash(password, username, displayName string) (string, error) {
	if err := CheckPasswordStrength(password, username, displayName); err != nil {
		return "", err
	}
	return HashPassword(password, s.params)
}
