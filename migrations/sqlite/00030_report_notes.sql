-- +goose Up
-- The lead department's sections of a period's official report beside the figures: the
-- difficulties met and the proposals to the city, as JSON arrays of items.
CREATE TABLE report_notes (
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    period TEXT NOT NULL,
    difficulties TEXT NOT NULL DEFAULT '[]',
    proposals TEXT NOT NULL DEFAULT '[]',
    version INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (programme_id, period)
);

-- +goose Down
DROP TABLE report_notes;
