-- +goose Up
-- A team lead's review of a team's inspection: one mark per version of the result (the
-- original is version 1, each correction adds one), so that a result corrected after its review
-- asks for a look again.
CREATE TABLE inspection_reviews (
    id TEXT PRIMARY KEY,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    team_id TEXT NOT NULL REFERENCES teams(id),
    version INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    reviewed_by TEXT NOT NULL,
    reviewed_at TIMESTAMPTZ NOT NULL,
    UNIQUE (inspection_id, version)
);

-- +goose Down
DROP TABLE inspection_reviews;
