-- +goose Up
-- Sessions that access tokens name, so that logout or a revoked session ends its access tokens
-- at once; rate-limit counters shared by every replica; and the marks a database keeps about
-- itself (made by `kiemtra demo`).

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_at  DATETIME NOT NULL,
    revoked_at  DATETIME,
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Every family of refresh tokens is a session: revoked when any of its tokens was (a revocation
-- marks them all), signed in from where its first token was issued.
INSERT INTO sessions (id, user_id, created_at, revoked_at, ip, user_agent)
SELECT f.family_id, f.user_id, f.created_at, f.revoked_at,
       COALESCE((SELECT r.ip FROM refresh_tokens r WHERE r.family_id = f.family_id ORDER BY r.created_at, r.id LIMIT 1), ''),
       COALESCE((SELECT r.user_agent FROM refresh_tokens r WHERE r.family_id = f.family_id ORDER BY r.created_at, r.id LIMIT 1), '')
FROM (SELECT family_id, MIN(user_id) AS user_id, MIN(created_at) AS created_at, MAX(revoked_at) AS revoked_at
      FROM refresh_tokens GROUP BY family_id) f;

CREATE TABLE limiter_hits (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    bucket      TEXT NOT NULL,
    at          DATETIME NOT NULL,
    expires_at  DATETIME NOT NULL
);
CREATE INDEX limiter_hits_bucket_idx ON limiter_hits (bucket, at);
CREATE INDEX limiter_hits_expires_idx ON limiter_hits (expires_at);

CREATE TABLE database_marks (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  DATETIME NOT NULL
);

-- +goose Down
DROP TABLE database_marks;
DROP TABLE limiter_hits;
DROP TABLE sessions;
