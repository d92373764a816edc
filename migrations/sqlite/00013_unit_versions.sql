-- +goose Up
-- Units are versioned (docs/areas.md): areas.code stays the primary key and becomes the version's
-- identifier, which every reference holds; gso_code is the official code, which a later unit may
-- reuse. Every unit stored so far keeps its code as both.
ALTER TABLE areas ADD COLUMN gso_code TEXT NOT NULL DEFAULT '';
UPDATE areas SET gso_code = code;
CREATE INDEX areas_gso_code_idx ON areas (gso_code);

-- A team serves a set of units (a cluster of communes, or one district as before).
CREATE TABLE team_areas (
    team_id   TEXT NOT NULL REFERENCES teams(id),
    area_code TEXT NOT NULL REFERENCES areas(code),
    PRIMARY KEY (team_id, area_code)
);
INSERT INTO team_areas (team_id, area_code) SELECT id, area_code FROM teams;

-- A reorganisation: an effective date and, for each new unit, the units it was formed from.
CREATE TABLE reorganisations (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    effective_on DATE NOT NULL,
    fingerprint  TEXT NOT NULL UNIQUE,
    source       TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   DATETIME NOT NULL,
    applied_by   TEXT NOT NULL DEFAULT '',
    applied_at   DATETIME,
    version      INTEGER NOT NULL DEFAULT 1
);

-- What must be decided before a reorganisation is applied: a business of a partial source
-- without polygons (review), a team or a user whose units end (team, user).
CREATE TABLE reorganisation_items (
    reorganisation_id TEXT NOT NULL REFERENCES reorganisations(id),
    kind              TEXT NOT NULL,
    subject_id        TEXT NOT NULL,
    current           TEXT NOT NULL DEFAULT '',
    candidates        TEXT NOT NULL DEFAULT '',
    proposed          TEXT NOT NULL DEFAULT '',
    settled           TEXT NOT NULL DEFAULT '',
    settled_by        TEXT NOT NULL DEFAULT '',
    settled_at        DATETIME,
    PRIMARY KEY (reorganisation_id, kind, subject_id)
);

-- Every move of a business or a tip to another unit: before effective_on it was in from_area.
CREATE TABLE area_moves (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_type       TEXT NOT NULL,
    entity_id         TEXT NOT NULL,
    from_area         TEXT NOT NULL REFERENCES areas(code),
    to_area           TEXT NOT NULL REFERENCES areas(code),
    effective_on      DATE NOT NULL,
    reorganisation_id TEXT REFERENCES reorganisations(id)
);
CREATE INDEX area_moves_entity_idx ON area_moves (entity_type, entity_id, effective_on);

-- +goose Down
DROP TABLE area_moves;
DROP TABLE reorganisation_items;
DROP TABLE reorganisations;
DROP TABLE team_areas;
DROP INDEX areas_gso_code_idx;
ALTER TABLE areas DROP COLUMN gso_code;
