-- +goose Up
-- The programme's indicators beyond inspections (Plan 237/KH-UBND Section III): a programme
-- carries a set, edited as a whole under a version; units and departments submit figures per
-- period, each correction a new version, reviewed by the lead department. Attachments are small
-- files of evidence kept in the database (a few per submission, MaxAttachmentBytes each), so
-- that a backup of the database is a backup of the evidence.
CREATE TABLE indicator_sets (
    programme_id TEXT PRIMARY KEY REFERENCES programmes(id),
    version INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE indicators (
    programme_id TEXT NOT NULL REFERENCES indicator_sets(programme_id),
    code TEXT NOT NULL,
    position INTEGER NOT NULL,
    section TEXT NOT NULL DEFAULT '',
    name_vi TEXT NOT NULL,
    name_en TEXT NOT NULL,
    definition_vi TEXT NOT NULL DEFAULT '',
    definition_en TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    numerator_vi TEXT NOT NULL DEFAULT '',
    numerator_en TEXT NOT NULL DEFAULT '',
    denominator_vi TEXT NOT NULL DEFAULT '',
    denominator_en TEXT NOT NULL DEFAULT '',
    target_min DOUBLE PRECISION NOT NULL,
    target_max DOUBLE PRECISION NOT NULL DEFAULT 0,
    level TEXT NOT NULL,
    period TEXT NOT NULL,
    agency TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (programme_id, code)
);

CREATE TABLE indicator_submissions (
    id TEXT PRIMARY KEY,
    programme_id TEXT NOT NULL REFERENCES programmes(id),
    indicator_code TEXT NOT NULL,
    period TEXT NOT NULL,
    unit TEXT NOT NULL,
    version INTEGER NOT NULL,
    numerator DOUBLE PRECISION,
    denominator DOUBLE PRECISION,
    value DOUBLE PRECISION,
    narrative TEXT NOT NULL DEFAULT '',
    attachments TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    review_comment TEXT NOT NULL DEFAULT '',
    reviewed_by TEXT NOT NULL DEFAULT '',
    reviewed_at TIMESTAMPTZ,
    reason TEXT NOT NULL DEFAULT '',
    late BOOLEAN NOT NULL DEFAULT FALSE,
    submitted_by TEXT NOT NULL,
    submitted_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
-- One row per version: two officers saving the same correction at once cannot both be version n.
CREATE UNIQUE INDEX indicator_submissions_version ON indicator_submissions (programme_id, indicator_code, period, unit, version);
CREATE INDEX indicator_submissions_period ON indicator_submissions (programme_id, period);

CREATE TABLE indicator_attachments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- The bodies Section VI gives duties that the agencies of 00014 do not cover. In March 2025 the
-- department of information and communications was merged into the department of science and
-- technology; it stays, inactive, for the 2021-2025 figures that name it.
INSERT INTO agencies (code, name_vi, name_en, short_vi, level, active, created_at, updated_at) VALUES
    ('information', 'Sở Thông tin và Truyền thông thành phố Cần Thơ', 'Can Tho Department of Information and Communications', 'Sở Thông tin và Truyền thông', 'city', FALSE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('science', 'Sở Khoa học và Công nghệ thành phố Cần Thơ', 'Can Tho Department of Science and Technology', 'Sở Khoa học và Công nghệ', 'city', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('press', 'Báo và Phát thanh, Truyền hình Cần Thơ', 'Can Tho newspaper, radio and television', 'Báo, Đài thành phố', 'city', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('procuracy', 'Viện Kiểm sát nhân dân thành phố Cần Thơ', 'Can Tho People''s Procuracy', 'Viện Kiểm sát nhân dân thành phố', 'city', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('court', 'Tòa án nhân dân thành phố Cần Thơ', 'Can Tho People''s Court', 'Tòa án nhân dân thành phố', 'city', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('fatherland_front', 'Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Cần Thơ', 'Vietnam Fatherland Front Committee of Can Tho', 'Ủy ban MTTQ Việt Nam thành phố', 'city', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('womens_union', 'Hội Liên hiệp Phụ nữ thành phố Cần Thơ', 'Can Tho Women''s Union', 'Hội Liên hiệp Phụ nữ thành phố', 'city', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

-- +goose Down
DELETE FROM agencies WHERE code IN ('information', 'science', 'press', 'procuracy', 'court', 'fatherland_front', 'womens_union');
DROP TABLE indicator_attachments;
DROP TABLE indicator_submissions;
DROP TABLE indicators;
DROP TABLE indicator_sets;
