-- +goose Up
-- The register of places a dance hall must keep away from (Decree 54/2019/NĐ-CP: schools,
-- hospitals, religious sites, relics), so that the checklist's distance duty is checked from
-- the coordinates. natural_key makes a re-import update instead of duplicating.
CREATE TABLE places (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    lat         DOUBLE PRECISION NOT NULL,
    lon         DOUBLE PRECISION NOT NULL,
    area_code   TEXT NOT NULL REFERENCES areas(code),
    ref         TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    natural_key TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX places_lat_idx ON places (lat);
CREATE INDEX places_kind_idx ON places (kind);

-- +goose Down
DROP TABLE places;
