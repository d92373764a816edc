-- +goose Up
-- Period reports kept by the scheduled job (and downloaded from the dashboard): one file per
-- programme, period, area and format.

CREATE TABLE reports (
    id           BIGSERIAL PRIMARY KEY,
    period       TEXT NOT NULL,
    area_code    TEXT NOT NULL REFERENCES areas(code),
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    format       TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    generated_at TIMESTAMPTZ NOT NULL,
    generated_by TEXT NOT NULL DEFAULT '',
    size_bytes   BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    content      BYTEA NOT NULL,
    UNIQUE (programme_id, period, area_code, format)
);
CREATE INDEX reports_generated_idx ON reports (generated_at);

-- +goose Down
DROP TABLE reports;
