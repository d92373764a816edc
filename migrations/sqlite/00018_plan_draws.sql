-- +goose Up
-- Plans are committed before their seed exists: the inputs and a secret (by their hashes) are
-- recorded first, and the seed comes later from the secret and the result of a named public
-- draw. The plans before this migration had their seed drawn by the server ('server').
ALTER TABLE plans ADD COLUMN seed_source TEXT NOT NULL DEFAULT 'server';
ALTER TABLE plans ADD COLUMN secret TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN secret_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN draw_source TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN draw_date DATE;
ALTER TABLE plans ADD COLUMN draw_result TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN drawn_by TEXT NOT NULL DEFAULT '';
ALTER TABLE plans ADD COLUMN drawn_at DATETIME;
-- Attempt: the plan's rank among the plans of its programme and year; a re-draft is published as such.
ALTER TABLE plans ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
ALTER TABLE plans ADD COLUMN reason TEXT NOT NULL DEFAULT '';
-- The feasibility projection of the rest of the programme made with the plan (JSON).
ALTER TABLE plans ADD COLUMN projection TEXT NOT NULL DEFAULT '';
UPDATE plans SET attempt = (SELECT COUNT(*) FROM plans p2 WHERE p2.programme_id = plans.programme_id
    AND p2.year = plans.year AND (p2.created_at < plans.created_at OR (p2.created_at = plans.created_at AND p2.id <= plans.id)));

-- +goose Down
ALTER TABLE plans DROP COLUMN projection;
ALTER TABLE plans DROP COLUMN reason;
ALTER TABLE plans DROP COLUMN attempt;
ALTER TABLE plans DROP COLUMN drawn_at;
ALTER TABLE plans DROP COLUMN drawn_by;
ALTER TABLE plans DROP COLUMN draw_result;
ALTER TABLE plans DROP COLUMN draw_date;
ALTER TABLE plans DROP COLUMN draw_source;
ALTER TABLE plans DROP COLUMN secret_sha256;
ALTER TABLE plans DROP COLUMN secret;
ALTER TABLE plans DROP COLUMN seed_source;
