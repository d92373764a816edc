-- +goose Up
-- Agencies are data: the departments of a province are merged and renamed (in March 2025 the
-- labour department's social-evils prevention went to the department of health, labour itself to
-- the department of home affairs). An agency is never deleted, only made inactive, so that the
-- users and programmes that name it keep their meaning; short_vi is what screens show.
CREATE TABLE agencies (
    code       TEXT PRIMARY KEY,
    name_vi    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    short_vi   TEXT NOT NULL DEFAULT '',
    level      TEXT NOT NULL DEFAULT '',
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- The agencies of Can Tho after the 2025 reorganisation; the dissolved labour department stays,
-- inactive, for the users and the history that name it.
INSERT INTO agencies (code, name_vi, name_en, short_vi, level, active, created_at, updated_at) VALUES
    ('police', 'Công an thành phố Cần Thơ', 'Can Tho City Police', 'Công an thành phố', 'city', TRUE, now(), now()),
    ('health', 'Sở Y tế thành phố Cần Thơ', 'Can Tho Department of Health', 'Sở Y tế', 'city', TRUE, now(), now()),
    ('culture', 'Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ', 'Can Tho Department of Culture, Sports and Tourism', 'Sở Văn hóa, Thể thao và Du lịch', 'city', TRUE, now(), now()),
    ('home_affairs', 'Sở Nội vụ thành phố Cần Thơ', 'Can Tho Department of Home Affairs', 'Sở Nội vụ', 'city', TRUE, now(), now()),
    ('labour', 'Sở Lao động - Thương binh và Xã hội thành phố Cần Thơ', 'Can Tho Department of Labour, Invalids and Social Affairs', 'Sở LĐ-TB&XH', 'city', FALSE, now(), now()),
    ('education', 'Sở Giáo dục và Đào tạo thành phố Cần Thơ', 'Can Tho Department of Education and Training', 'Sở Giáo dục và Đào tạo', 'city', TRUE, now(), now()),
    ('justice', 'Sở Tư pháp thành phố Cần Thơ', 'Can Tho Department of Justice', 'Sở Tư pháp', 'city', TRUE, now(), now()),
    ('commune', 'Ủy ban nhân dân xã, phường', 'Commune or ward People''s Committee', 'UBND xã, phường', 'commune', TRUE, now(), now()),
    ('other', 'Cơ quan khác', 'Other agency', 'Cơ quan khác', '', TRUE, now(), now());

-- A user may carry a code that no seeded agency has (written before the list was checked): it
-- becomes an inactive agency named by its code, which an admin can rename, so that nothing is
-- lost and every user's agency is in the table.
INSERT INTO agencies (code, name_vi, name_en, short_vi, level, active, created_at, updated_at)
SELECT DISTINCT agency, agency, agency, '', '', FALSE, now(), now() FROM users
WHERE agency NOT IN (SELECT code FROM agencies);

-- The agency that leads a programme; programmes stored before this have none recorded.
ALTER TABLE programmes ADD COLUMN lead_agency TEXT REFERENCES agencies(code);

-- +goose Down
ALTER TABLE programmes DROP COLUMN lead_agency;
DROP TABLE agencies;
