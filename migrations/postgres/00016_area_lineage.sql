-- +goose Up
-- Where each unit a reorganisation made came from (docs/areas.md, "Figures across the reform"):
-- one row per new unit and source, the source in full or in part. source_code is the source's
-- version id, or the official code of a unit this database never held (another province's,
-- merged in): no foreign key. A programme's territory follows it. The rows of reorganisations
-- applied before this migration are written by kiemtra after it, from each one's stored spec.
CREATE TABLE area_lineage (
    area_code         TEXT NOT NULL REFERENCES areas(code),
    source_code       TEXT NOT NULL,
    part              TEXT NOT NULL,
    reorganisation_id TEXT NOT NULL REFERENCES reorganisations(id),
    PRIMARY KEY (area_code, source_code, reorganisation_id)
);
CREATE INDEX area_lineage_source_idx ON area_lineage (source_code);

-- A figure of a past period asks whether anything moved after its last day.
CREATE INDEX area_moves_effective_idx ON area_moves (entity_type, effective_on);

-- +goose Down
DROP INDEX area_moves_effective_idx;
DROP TABLE area_lineage;
