package auth

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"kiemtra/models"
)

// Store is what authentication needs from persistence.
type Store interface {
	FindUserByUsername(ctx context.Context, username string) (*models.User, error)
	FindUserByID(ctx context.Context, id string) (*models.User, error)
	CreateRefreshToken(ctx context.Context, t *models.RefreshToken) error
	FindRefreshToken(ctx context.Context, hash string) (*models.RefreshToken, error)
	// RotateRefreshToken marks old used and stores next, unless old was used or revoked or its
	// session was revoked (false); a revocation of the session cannot slip between the two.
	RotateRefreshToken(ctx context.Context, old *models.RefreshToken, at time.Time, next *models.RefreshToken) (bool, error)
	RevokeRefreshFamily(ctx context.Context, familyID string, at time.Time) error
}

// Session is what a login or a refresh hands to the client.
type Session struct {
	AccessToken  string       `json:"access_token"`
	RefreshToken string       `json:"refresh_token"`
	TokenType    string       `json:"token_type"`
	ExpiresIn    int          `json:"expires_in"` // seconds
	User         *models.User `json:"user"`
}

// Service logs users in, rotates their refresh tokens and authenticates requests.
type Service struct {
	store     Store
	signer    *Signer
	byUser    *Limiter
	byIP      *Limiter
	now       func() time.Time
	params    PasswordParams
	dummyHash string
	// hashing bounds the password checks running at once: each takes the memory of
	// PasswordParams, and a burst of sign-ins must queue instead of exhausting it.
	hashing chan struct{}
}

// Failed-login limits: five wrong passwords for one user, or twenty from one address, within
// fifteen minutes.
const (
	maxUserFailures = 5
	maxIPFailures   = 20
	failureWindow   = 15 * time.Minute
)

// NewService returns an authentication service signing with secret.
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
		byUser: NewLimiter(maxUserFailures, failureWindow, now), byIP: NewLimiter(maxIPFailures, failureWindow, now),
		hashing: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))}, nil
}

func unauthorized() error {
	return models.NewError(models.EUNAUTHORIZED, "invalid username or password", "tên đăng nhập hoặc mật khẩu không đúng")
}

func sessionEnded() error {
	return models.NewError(models.EUNAUTHORIZED, "the session has expired or was ended: sign in again", "phiên làm việc đã hết hạn hoặc đã kết thúc: hãy đăng nhập lại")
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

func rateLimited(wait time.Duration) error {
	mins := int(math.Ceil(wait.Minutes()))
	return &RateLimitError{Wait: wait, Err: models.NewError(models.ERATELIMITED, "too many failed sign-ins: try again in %d minutes", "đăng nhập sai quá nhiều lần: hãy thử lại sau %d phút", mins)}
}

// Login checks a username and password. Every failure looks the same to the caller (an unknown
// user, a wrong password, a disabled account), and costs the same time.
func (s *Service) Login(ctx context.Context, username, password, ip, userAgent string) (*Session, error) {
	username = strings.TrimSpace(username)
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
	// Every attempt counts against the limits before the password is checked, so parallel
	// guesses cannot all pass the check; a good password takes its attempt back.
	if ok, wait := s.byUser.Take(userKey); !ok {
		return nil, rateLimited(wait)
	}
	if ok, wait := s.byIP.Take(ip); !ok {
		s.byUser.Forgive(userKey)
		return nil, rateLimited(wait)
	}
	u, err := s.store.FindUserByUsername(ctx, userKey)
	if err != nil && !models.IsCode(err, models.ENOTFOUND) {
		s.byUser.Forgive(userKey)
		s.byIP.Forgive(ip)
		return nil, err
	}
	hash := s.dummyHash
	if u != nil {
		hash = u.PasswordHash
	}
	select {
	case s.hashing <- struct{}{}:
	case <-ctx.Done():
		s.byUser.Forgive(userKey)
		s.byIP.Forgive(ip)
		return nil, ctx.Err()
	}
	ok, herr := CheckPassword(password, hash)
	<-s.hashing
	if u == nil || herr != nil || !ok || u.Disabled {
		return nil, unauthorized()
	}
	s.byIP.Forgive(ip)
	s.byUser.Reset(userKey)
	return s.newSession(ctx, u, uuid.NewString(), ip, userAgent)
}

func (s *Service) newSession(ctx context.Context, u *models.User, family, ip, userAgent string) (*Session, error) {
	sess, rt, err := s.issue(u, family, ip, userAgent)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateRefreshToken(ctx, rt); err != nil {
		return nil, fmt.Errorf("store refresh token: %w", err)
	}
	return sess, nil
}

// issue makes a session's tokens: the access token, and the refresh token with its stored form.
func (s *Service) issue(u *models.User, family, ip, userAgent string) (*Session, *models.RefreshToken, error) {
	access, exp, err := s.signer.Issue(u.ID)
	if err != nil {
		return nil, nil, err
	}
	refresh := NewRefreshToken()
	if len(userAgent) > 200 {
		userAgent = userAgent[:200]
	}
	now := s.now().UTC()
	rt := &models.RefreshToken{ID: uuid.NewString(), UserID: u.ID, FamilyID: family, TokenHash: HashRefreshToken(refresh),
		ExpiresAt: now.Add(RefreshTTL), CreatedAt: now, IP: ip, UserAgent: userAgent}
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

// Logout ends the session the refresh token belongs to. Logging out twice is not an error.
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

// Authenticate checks an access token and returns its user as stored now, so that a disabled
// user or a changed role takes effect at the next request.
func (s *Service) Authenticate(ctx context.Context, accessToken string) (*models.User, error) {
	id, err := s.signer.Verify(accessToken)
	if err != nil {
		return nil, models.NewError(models.EUNAUTHORIZED, "the access token is invalid or expired: refresh it or sign in again", "mã truy cập không hợp lệ hoặc đã hết hạn: hãy làm mới hoặc đăng nhập lại")
	}
	u, err := s.store.FindUserByID(ctx, id)
	if models.IsCode(err, models.ENOTFOUND) || (err == nil && u.Disabled) {
		return nil, models.NewError(models.EUNAUTHORIZED, "the account is disabled or no longer exists", "tài khoản đã bị khóa hoặc không còn tồn tại")
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Hash hashes a new password with the service's parameters, after checking it is long enough.
func (s *Service) Hash(password string) (string, error) {
	if err := CheckPasswordStrength(password); err != nil {
		return "", err
	}
	return HashPassword(password, s.params)
}

// CheckPasswordStrength refuses passwords too short to resist guessing.
func CheckPasswordStrength(password string) error {
	n := utf8.RuneCountInString(password)
	if n < 10 {
		return models.Invalid("password", "must be at least 10 characters", "phải dài ít nhất 10 ký tự")
	}
	if n > 200 {
		return models.Invalid("password", "must be at most 200 characters", "dài tối đa 200 ký tự")
	}
	return nil
}
