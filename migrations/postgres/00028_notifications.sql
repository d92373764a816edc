-- +goose Up
-- The outbox of notifications: one row per recipient and channel, written in the transaction of
-- the event that causes it, delivered by the notification worker (lease in locked_until), and
-- each user's notification settings.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    event_key TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '{}',
    link TEXT NOT NULL DEFAULT '',
    bypass_quiet BOOLEAN NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    next_attempt_at TIMESTAMPTZ NOT NULL,
    locked_until TIMESTAMPTZ,
    locked_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ,
    read_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX notifications_event ON notifications (event_key, user_id, channel);
CREATE INDEX notifications_due ON notifications (state, next_attempt_at);
CREATE INDEX notifications_user ON notifications (user_id, channel, created_at);

CREATE TABLE notification_settings (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    email TEXT NOT NULL DEFAULT '',
    kinds TEXT NOT NULL DEFAULT '{}',
    quiet_start TEXT NOT NULL DEFAULT '',
    quiet_end TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE notification_settings;
DROP TABLE notifications;
