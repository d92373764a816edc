-- +goose Up
-- Coverage and reports read each inspection's latest correction; few inspections are corrected,
-- so a partial index finds them without scanning every inspection.
CREATE INDEX inspections_amends_idx ON inspections (amends_id) WHERE amends_id IS NOT NULL;

-- +goose Down
DROP INDEX inspections_amends_idx;
