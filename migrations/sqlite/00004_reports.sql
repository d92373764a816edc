-- +goose Up
-- Period reports kept by the scheduled job (and downloaded from the dashboard): one file per
-- programme, period, area and format.

CREATE TABLE reports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    period       TEXT NOT NULL,
    area_code    TEXT NOT NULL REFERENCES areas(code),
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    format       TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    generated_at DATETIME NOT NULL,
    generated_by TEXT NOT NULL DEFAULT '',
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    UNIQUE (programme_id, period, area_code, format)
);
CREATE INDEX reports_generated_idx ON reports (generated_at);

-- +goose Down
DROP TABLE reports;
