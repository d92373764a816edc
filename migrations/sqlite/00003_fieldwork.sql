-- +goose Up
-- What teams send from the field: check-ins with their position, photos, review flags.

CREATE TABLE checkins (
    id          TEXT PRIMARY KEY,
    task_id     TEXT NOT NULL REFERENCES tasks(id),
    team_id     TEXT REFERENCES teams(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    lat         REAL NOT NULL,
    lon         REAL NOT NULL,
    accuracy_m  REAL NOT NULL,
    mocked      BOOLEAN NOT NULL DEFAULT 0,
    client_at   DATETIME NOT NULL,
    server_at   DATETIME NOT NULL,
    distance_m  REAL NOT NULL,
    on_site     BOOLEAN NOT NULL,
    flags       TEXT NOT NULL DEFAULT '',
    body_sha256 TEXT NOT NULL
);
CREATE INDEX checkins_task_idx ON checkins (task_id);
CREATE INDEX checkins_team_idx ON checkins (team_id, client_at);

ALTER TABLE inspections ADD COLUMN flags TEXT NOT NULL DEFAULT '';

CREATE TABLE photos (
    id            TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    sha256        TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    width         INTEGER NOT NULL DEFAULT 0,
    height        INTEGER NOT NULL DEFAULT 0,
    lat           REAL,
    lon           REAL,
    taken_at      DATETIME,
    created_by    TEXT NOT NULL,
    created_at    DATETIME NOT NULL,
    UNIQUE (inspection_id, sha256)
);
CREATE INDEX tasks_team_updated_idx ON tasks (team_id, updated_at);

-- +goose Down
DROP INDEX tasks_team_updated_idx;
DROP TABLE photos;
ALTER TABLE inspections DROP COLUMN flags;
DROP TABLE checkins;
