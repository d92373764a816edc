-- +goose Up
-- The core schema. Later issues add columns and tables in new migrations; this file never changes.

CREATE TABLE areas (
    code        TEXT PRIMARY KEY,
    parent_code TEXT REFERENCES areas(code),
    name        TEXT NOT NULL,
    type_name   TEXT NOT NULL DEFAULT '',
    level       TEXT NOT NULL,
    path        TEXT NOT NULL,
    depth       INTEGER NOT NULL,
    lat         REAL NOT NULL DEFAULT 0,
    lon         REAL NOT NULL DEFAULT 0,
    geometry    TEXT NOT NULL DEFAULT '',
    valid_from  DATE,
    valid_to    DATE,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX areas_parent_idx ON areas (parent_code);
CREATE INDEX areas_path_idx ON areas (path);

CREATE TABLE businesses (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    category          TEXT NOT NULL,
    licence_no        TEXT UNIQUE,
    security_cert_no  TEXT NOT NULL DEFAULT '',
    tax_code          TEXT NOT NULL DEFAULT '',
    address           TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    owner_name        TEXT NOT NULL DEFAULT '',
    lat               REAL NOT NULL,
    lon               REAL NOT NULL,
    area_code         TEXT NOT NULL REFERENCES areas(code),
    status            TEXT NOT NULL,
    status_since      DATE,
    opened_on         DATE,
    closed_on         DATE,
    notes             TEXT NOT NULL DEFAULT '',
    risk_score        REAL NOT NULL DEFAULT 0,
    last_inspected_on DATE,
    search_text       TEXT NOT NULL DEFAULT '',
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);
CREATE INDEX businesses_area_idx ON businesses (area_code);
CREATE INDEX businesses_category_idx ON businesses (category);
CREATE INDEX businesses_status_idx ON businesses (status);
CREATE INDEX businesses_tax_code_idx ON businesses (tax_code);

CREATE TABLE programmes (
    id                TEXT PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    starts_on         DATE NOT NULL,
    ends_on           DATE NOT NULL,
    min_yearly_share  REAL NOT NULL,
    coverage_deadline DATE NOT NULL,
    grace_days        INTEGER NOT NULL,
    scope_categories  TEXT NOT NULL DEFAULT '',
    root_area_code    TEXT REFERENCES areas(code),
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);

CREATE TABLE plans (
    id               TEXT PRIMARY KEY,
    programme_id     TEXT NOT NULL REFERENCES programmes(id),
    year             INTEGER NOT NULL,
    status           TEXT NOT NULL,
    seed             TEXT NOT NULL,
    seed_sha256      TEXT NOT NULL,
    seed_revealed_at DATETIME,
    inputs           TEXT NOT NULL DEFAULT '',
    figures          TEXT NOT NULL DEFAULT '',
    feasible         BOOLEAN NOT NULL DEFAULT 1,
    shortfall        INTEGER NOT NULL DEFAULT 0,
    created_by       TEXT NOT NULL DEFAULT '',
    approved_by      TEXT NOT NULL DEFAULT '',
    approved_at      DATETIME,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL
);
CREATE UNIQUE INDEX plans_one_approved_idx ON plans (programme_id, year) WHERE status = 'approved';

CREATE TABLE plan_items (
    plan_id        TEXT NOT NULL REFERENCES plans(id),
    business_id    TEXT NOT NULL REFERENCES businesses(id),
    grp            TEXT NOT NULL,
    inclusion_prob REAL NOT NULL,
    week_start     DATE NOT NULL,
    area_code      TEXT NOT NULL,
    PRIMARY KEY (plan_id, business_id)
);

CREATE TABLE teams (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    level           TEXT NOT NULL,
    area_code       TEXT NOT NULL REFERENCES areas(code),
    base_lat        REAL NOT NULL,
    base_lon        REAL NOT NULL,
    weekly_capacity INTEGER NOT NULL,
    working_days    TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL DEFAULT '',
    agency        TEXT NOT NULL,
    role          TEXT NOT NULL,
    area_code     TEXT NOT NULL REFERENCES areas(code),
    team_id       TEXT REFERENCES teams(id),
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);
CREATE INDEX users_team_idx ON users (team_id);

CREATE TABLE tips (
    id                   TEXT PRIMARY KEY,
    channel              TEXT NOT NULL,
    received_at          DATETIME NOT NULL,
    description          TEXT NOT NULL,
    business_id          TEXT REFERENCES businesses(id),
    lat                  REAL,
    lon                  REAL,
    place                TEXT NOT NULL DEFAULT '',
    reporter_contact_enc TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL,
    tip_type             TEXT NOT NULL DEFAULT '',
    severity             TEXT NOT NULL DEFAULT '',
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL
);
CREATE INDEX tips_business_idx ON tips (business_id);

CREATE TABLE tasks (
    id             TEXT PRIMARY KEY,
    plan_id        TEXT REFERENCES plans(id),
    business_id    TEXT NOT NULL REFERENCES businesses(id),
    reason         TEXT NOT NULL,
    status         TEXT NOT NULL,
    window_start   DATE NOT NULL,
    window_end     DATE NOT NULL,
    team_id        TEXT REFERENCES teams(id),
    released_on    DATE,
    route_order    INTEGER NOT NULL DEFAULT 0,
    inclusion_prob REAL NOT NULL DEFAULT 1,
    parent_task_id TEXT REFERENCES tasks(id),
    tip_id         TEXT REFERENCES tips(id),
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX tasks_plan_idx ON tasks (plan_id);
CREATE INDEX tasks_business_idx ON tasks (business_id);
CREATE INDEX tasks_team_status_idx ON tasks (team_id, status);
CREATE INDEX tasks_status_window_idx ON tasks (status, window_start);

CREATE TABLE inspections (
    id                TEXT PRIMARY KEY,
    task_id           TEXT REFERENCES tasks(id),
    business_id       TEXT NOT NULL REFERENCES businesses(id),
    team_id           TEXT REFERENCES teams(id),
    started_at        DATETIME NOT NULL,
    finished_at       DATETIME NOT NULL,
    outcome           TEXT NOT NULL,
    checklist_version INTEGER NOT NULL DEFAULT 0,
    answers           TEXT NOT NULL DEFAULT '',
    members           TEXT NOT NULL DEFAULT '',
    notes             TEXT NOT NULL DEFAULT '',
    body_sha256       TEXT NOT NULL DEFAULT '',
    amends_id         TEXT REFERENCES inspections(id),
    created_by        TEXT NOT NULL DEFAULT '',
    created_at        DATETIME NOT NULL
);
CREATE INDEX inspections_business_idx ON inspections (business_id, finished_at);
CREATE INDEX inspections_finished_idx ON inspections (finished_at);
CREATE INDEX inspections_task_idx ON inspections (task_id);

CREATE TABLE inspection_findings (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    inspection_id TEXT NOT NULL REFERENCES inspections(id),
    business_id   TEXT NOT NULL REFERENCES businesses(id),
    code          TEXT NOT NULL,
    severity      TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    resolved_on   DATE
);
CREATE INDEX inspection_findings_inspection_idx ON inspection_findings (inspection_id);
CREATE INDEX inspection_findings_business_idx ON inspection_findings (business_id);

CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          DATETIME NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    details     TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor);

CREATE TABLE job_runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    job         TEXT NOT NULL,
    slot        TEXT NOT NULL,
    started_at  DATETIME NOT NULL,
    finished_at DATETIME,
    status      TEXT NOT NULL,
    result      TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT '',
    UNIQUE (job, slot)
);

-- +goose Down
DROP TABLE job_runs;
DROP TABLE audit_events;
DROP TABLE inspection_findings;
DROP TABLE inspections;
DROP TABLE tasks;
DROP TABLE tips;
DROP TABLE users;
DROP TABLE teams;
DROP TABLE plan_items;
DROP TABLE plans;
DROP TABLE programmes;
DROP TABLE businesses;
DROP TABLE areas;
