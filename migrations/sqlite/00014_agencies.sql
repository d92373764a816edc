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
    active     BOOLEAN NOT NULL DEFAULT 1,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);

-- The agencies of Can Tho after the 2025 reorganisation; the dissolved labour department stays,
-- inactive, for the users and the history that name it.
INSERT INTO agencies (code, name_vi, name_en, short_vi, level, active, created_at, updated_at) VALUES
    ('police', 'Công an thành phố Cần Thơ', 'Can Tho City Police', 'Công an thành phố', 'city', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('health', 'Sở Y tế thành phố Cần Thơ', 'Can Tho Department of Health', 'Sở Y tế', 'city', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('culture', 'Sở Văn hóa, Thể thao và Du lịch thành phố Cần Thơ', 'Can Tho Department of Culture, Sports and Tourism', 'Sở Văn hóa, Thể thao và Du lịch', 'city', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('home_affairs', 'Sở Nội vụ thành phố Cần Thơ', 'Can Tho Department of Home Affairs', 'Sở Nội vụ', 'city', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('labour', 'Sở Lao động - Thương binh và Xã hội thành phố Cần Thơ', 'Can Tho Department of Labour, Invalids and Social Affairs', 'Sở LĐ-TB&XH', 'city', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('education', 'Sở Giáo dục và Đào tạo thành phố Cần Thơ', 'Can Tho Department of Education and Training', 'Sở Giáo dục và Đào tạo', 'city', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('justice', 'Sở Tư pháp thành phố Cần Thơ', 'Can Tho Department of Justice', 'Sở Tư pháp', 'city', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('commune', 'Ủy ban nhân dân xã, phường', 'Commune or ward People''s Committee', 'UBND xã, phường', 'commune', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('other', 'Cơ quan khác', 'Other agency', 'Cơ quan khác', '', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);

-- A user may carry a code that no seeded agency has (written before the list was checked): it
-- becomes an inactive agency named by its code, which an admin can rename, so that nothing is
-- lost and every user's agency is in the table.
INSERT INTO agencies (code, name_vi, name_en, short_vi, level, active, created_at, updated_at)
SELECT DISTINCT agency, agency, agency, '', '', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM users
WHERE agency NOT IN (SELECT code FROM agencies);

-- The agency that leads a programme; programmes stored before this have none recorded.
ALTER TABLE programmes ADD COLUMN lead_agency TEXT REFERENCES agencies(code);

-- +goose Down
ALTER TABLE programmes DROP COLUMN lead_agency;
DROP TABLE agencies;
