-- +goose Up
-- Sessions (rotating refresh tokens) and the record of each morning's assignment decisions.

CREATE TABLE refresh_tokens (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    family_id   TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    expires_at  DATETIME NOT NULL,
    used_at     DATETIME,
    revoked_at  DATETIME,
    created_at  DATETIME NOT NULL,
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

CREATE TABLE assignment_decisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    day         DATE NOT NULL,
    task_id     TEXT NOT NULL REFERENCES tasks(id),
    team_id     TEXT NOT NULL REFERENCES teams(id),
    route_order INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    decided_at  DATETIME NOT NULL,
    decided_by  TEXT NOT NULL
);
CREATE INDEX assignment_decisions_day_idx ON assignment_decisions (day, team_id);
CREATE INDEX assignment_decisions_task_idx ON assignment_decisions (task_id);
CREATE INDEX tasks_released_idx ON tasks (team_id, released_on);

-- +goose Down
DROP INDEX tasks_released_idx;
DROP TABLE assignment_decisions;
DROP TABLE refresh_tokens;
