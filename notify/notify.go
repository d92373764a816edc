// Package notify delivers the outbox of notifications. Every notification is a row that the
// event causing it wrote in its own transaction (so none is lost, and none is sent for an
// event that rolled back); the Worker here claims due rows with a lease, delivers each on its
// channel (in-app, e-mail, SMS and Zalo through a Provider), and records the outcome: sent, retried later with exponential
// backoff, failed after the last attempt, skipped when the user switched the kind off, or
// held until the user's quiet hours end.
//
// Delivery is at-least-once towards the channel and exactly-once in the outbox: a row is
// marked sent by the worker that holds its lease, right after the channel accepted it. A
// worker that dies between the channel accepting and the mark leaves the row to be claimed
// again when its lease ends, and the message is handed over a second time with the same id
// (the row's id): the e-mail's Message-ID header, the in-app row itself. Mail clients and
// servers drop a second message with a Message-ID they have; the in-app list shows rows, so
// a repeat cannot show twice.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"kiemtra/models"
)

// Store is what the worker reads and writes.
type Store interface {
	// ClaimNotifications leases the due queued rows to owner until now+lease.
	ClaimNotifications(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]*models.Notification, error)
	// FinishNotification records an attempt's outcome when the lease is still the worker's.
	FinishNotification(ctx context.Context, n *models.Notification) (bool, error)
	FindUserByID(ctx context.Context, id string) (*models.User, error)
	FindNotificationSettings(ctx context.Context, userID string) (*models.NotificationSettings, error)
	// PurgeNotifications deletes the rows in a final state created before cutoff, batch rows
	// per statement, and answers how many went.
	PurgeNotifications(ctx context.Context, cutoff time.Time, batch int) (int64, error)
}

// Recipient is who a message goes to: the user and their settings (the e-mail address).
type Recipient struct {
	User     *models.User
	Settings *models.NotificationSettings
}

// Channel hands a message over to one medium. Deliver must treat n.ID as the message's
// identity (a retry after a crash hands the same message again). It returns ErrNoAddress when
// the recipient cannot be reached on this channel at all (no e-mail address): the row is
// skipped, not retried; an error wrapping ErrRejected (the provider refused the message for
// good) fails the row at once; any other error is retried.
type Channel interface {
	Deliver(ctx context.Context, n *models.Notification, to Recipient, text Text) error
}

// ErrNoAddress means the recipient has no address on the channel, or the channel is off.
var ErrNoAddress = errors.New("no address on this channel")

// InApp is the in-app channel: the outbox row is the message, shown by the notification list
// once it is sent, so there is nothing to hand over.
type InApp struct{}

// Deliver accepts every message: marking the row sent makes it visible in the user's list.
func (InApp) Deliver(context.Context, *models.Notification, Recipient, Text) error { return nil }

// Config tunes the worker. Zero values take the defaults.
type Config struct {
	Owner       string        // names this worker in the leases (host and process); default "kiemtra"
	Interval    time.Duration // between two claims when nothing is due; default 5s
	Lease       time.Duration // how long a claimed row is this worker's; default 2m
	Batch       int           // rows per claim; default 50
	MaxAttempts int           // attempts before a row is failed; default 8
	Backoff     time.Duration // wait after the first failed attempt, doubled after each; default 30s
	MaxBackoff  time.Duration // longest wait between attempts; default 1h
	// Retention is how long the rows in a final state (sent, read, failed, skipped) are kept
	// from their creation; older ones are deleted once a day. Default 180 days. Queued rows
	// are never deleted.
	Retention time.Duration
}

func (c Config) withDefaults() Config {
	if c.Owner == "" {
		c.Owner = "kiemtra"
	}
	if c.Interval <= 0 {
		c.Interval = 5 * time.Second
	}
	if c.Lease <= 0 {
		c.Lease = 2 * time.Minute
	}
	if c.Batch <= 0 {
		c.Batch = 50
	}
	if c.MaxAttempts <= 0 {
		c.MaxAttempts = 8
	}
	if c.Backoff <= 0 {
		c.Backoff = 30 * time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = time.Hour
	}
	if c.Retention <= 0 {
		c.Retention = 180 * 24 * time.Hour
	}
	return c
}

// Worker delivers the outbox.
type Worker struct {
	store    Store
	channels map[string]Channel
	render   *Renderer
	cfg      Config
	now      func() time.Time
	loc      *time.Location
	log      *slog.Logger

	purged time.Time // when the last cleanup of the outbox ran
}

// NewWorker returns a worker delivering on channels (by models.Channel... name); a row of a
// channel not given is skipped. loc is the users' time zone, for quiet hours.
func NewWorker(store Store, channels map[string]Channel, render *Renderer, cfg Config, now func() time.Time, loc *time.Location, log *slog.Logger) *Worker {
	if now == nil {
		now = time.Now
	}
	if loc == nil {
		loc = time.UTC
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Worker{store: store, channels: channels, render: render, cfg: cfg.withDefaults(), now: now, loc: loc, log: log}
}

// Run delivers until ctx ends: a claim every interval, at once again after a full batch.
func (w *Worker) Run(ctx context.Context) {
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.Warn("notifications: delivery round failed", "err", err)
		}
		next := w.cfg.Interval
		if n >= w.cfg.Batch {
			next = 0
		}
		t.Reset(next)
	}
}

// RunOnce claims the due rows and attempts each once, then (at most once a day) deletes the
// final rows older than the retention; it answers how many it claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	start := w.now()
	rows, err := w.store.ClaimNotifications(ctx, w.cfg.Owner, start, w.cfg.Lease, w.cfg.Batch)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, n := range rows {
		if ctx.Err() != nil {
			// Stopping: the rows not attempted keep their lease and are claimed again when it
			// ends, by this service after a restart or by another replica.
			return len(rows), ctx.Err()
		}
		if w.now().Sub(start) > w.cfg.Lease/2 {
			// A slow channel ate half the lease: the rest of the batch is left to its lease's
			// end, so that no row is still being sent here when another worker may claim it.
			break
		}
		if err := w.attempt(ctx, n); err != nil {
			errs = append(errs, err)
		}
	}
	w.cleanup(ctx)
	return len(rows), errors.Join(errs...)
}

// purgeBatch bounds each delete of the cleanup: short statements that never hold the table.
const purgeBatch = 500

// cleanup deletes the final rows older than the retention, at most once a day (every replica
// does it; a second run finds nothing). A failure is logged and waits for the next day:
// nothing depends on it.
func (w *Worker) cleanup(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	now := w.now()
	if !w.purged.IsZero() && now.Sub(w.purged) < 24*time.Hour {
		return
	}
	w.purged = now
	n, err := w.store.PurgeNotifications(ctx, now.Add(-w.cfg.Retention), purgeBatch)
	if err != nil {
		if ctx.Err() == nil {
			w.log.Warn("notifications: cleaning the outbox failed", "err", err)
		}
		return
	}
	if n > 0 {
		w.log.Info("notifications: old rows deleted from the outbox", "rows", n, "retention", w.cfg.Retention)
	}
}

// Action is what the worker does with a due notification.
type Action int

// Actions of Decide.
const (
	Deliver Action = iota // hand it to its channel now
	Skip                  // the user switched it off, or is disabled: never deliver
	Hold                  // quiet hours: wait until they end
)

// Decide says what to do with n for its recipient at now: skip it when the user is disabled or
// switched the kind off on that channel, hold it until the end of the user's quiet hours
// (unless it bypasses them), else deliver it. A held notification waits; it is never dropped.
func Decide(n *models.Notification, u *models.User, s *models.NotificationSettings, now time.Time, loc *time.Location) (Action, time.Time, string) {
	switch {
	case u.Disabled:
		return Skip, time.Time{}, "the user is disabled"
	case !s.Enabled(n.Kind, n.Channel):
		return Skip, time.Time{}, "switched off in the user's notification settings"
	}
	// An urgent visit for an inspector bypasses quiet hours (BypassQuiet, set where the event
	// writes the row): the team is sent at once, and a visit that waits the night has lost its
	// point (the place is open in the evening, the evidence gone by morning).
	if !n.BypassQuiet {
		if until, quiet := s.QuietUntil(now, loc); quiet {
			return Hold, until, ""
		}
	}
	return Deliver, time.Time{}, ""
}

// Backoff is the wait after the attempt-th failed attempt: base doubled each time, at most max.
func Backoff(attempt int, base, max time.Duration) time.Duration {
	d := base
	for i := 1; i < attempt && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	return d
}

func (w *Worker) attempt(ctx context.Context, n *models.Notification) error {
	now := w.now()
	u, err := w.store.FindUserByID(ctx, n.UserID)
	if err != nil {
		return w.failed(ctx, n, now, err)
	}
	s, err := w.store.FindNotificationSettings(ctx, n.UserID)
	if err != nil {
		return w.failed(ctx, n, now, err)
	}
	action, until, reason := Decide(n, u, s, now, w.loc)
	switch action {
	case Skip:
		n.State, n.LastError = models.NotificationSkipped, reason
		return w.finish(ctx, n)
	case Hold:
		n.NextAttemptAt = until // not an attempt: nothing was tried
		return w.finish(ctx, n)
	}
	ch, ok := w.channels[n.Channel]
	if !ok {
		n.State, n.LastError = models.NotificationSkipped, "the "+n.Channel+" channel is not configured"
		return w.finish(ctx, n)
	}
	err = ch.Deliver(ctx, n, Recipient{User: u, Settings: s}, w.render.Render(n))
	if ctx.Err() != nil {
		return ctx.Err() // stopped mid-way: the lease hands the row to the next claim
	}
	if errors.Is(err, ErrNoAddress) {
		n.State, n.LastError = models.NotificationSkipped, err.Error()
		return w.finish(ctx, n)
	}
	if err != nil {
		return w.failed(ctx, n, now, err)
	}
	sent := w.now().UTC()
	n.State, n.SentAt, n.LastError, n.Attempts = models.NotificationSent, &sent, "", n.Attempts+1
	return w.finish(ctx, n)
}

// failed records a failed attempt: retried after the backoff, failed after the last attempt
// or at once when the provider rejected the message for good.
func (w *Worker) failed(ctx context.Context, n *models.Notification, now time.Time, cause error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	n.Attempts++
	n.LastError = cause.Error()
	if len(n.LastError) > 1000 {
		n.LastError = n.LastError[:1000]
	}
	if n.Attempts >= w.cfg.MaxAttempts || errors.Is(cause, ErrRejected) {
		n.State = models.NotificationFailed
	} else {
		n.NextAttemptAt = now.Add(Backoff(n.Attempts, w.cfg.Backoff, w.cfg.MaxBackoff))
	}
	w.log.Warn("notifications: delivery failed", "id", n.ID, "channel", n.Channel, "attempt", n.Attempts, "err", cause)
	return w.finish(ctx, n)
}

func (w *Worker) finish(ctx context.Context, n *models.Notification) error {
	ok, err := w.store.FinishNotification(ctx, n)
	if err != nil {
		return fmt.Errorf("record notification %s: %w", n.ID, err)
	}
	if !ok {
		w.log.Warn("notifications: lease lost before the outcome was recorded", "id", n.ID)
	}
	return nil
}
