-- +goose Up
-- The tip workflow: who moved a tip through each step and when, its deadlines, what it led to.
ALTER TABLE tips ADD COLUMN area_code TEXT;
ALTER TABLE tips ADD COLUMN received_by TEXT NOT NULL DEFAULT '';
ALTER TABLE tips ADD COLUMN verifying_at TIMESTAMPTZ;
ALTER TABLE tips ADD COLUMN verifying_by TEXT NOT NULL DEFAULT '';
ALTER TABLE tips ADD COLUMN classified_at TIMESTAMPTZ;
ALTER TABLE tips ADD COLUMN classified_by TEXT NOT NULL DEFAULT '';
ALTER TABLE tips ADD COLUMN handled_at TIMESTAMPTZ;
ALTER TABLE tips ADD COLUMN handled_by TEXT NOT NULL DEFAULT '';
ALTER TABLE tips ADD COLUMN handling TEXT NOT NULL DEFAULT '';
ALTER TABLE tips ADD COLUMN handling_note TEXT NOT NULL DEFAULT '';
ALTER TABLE tips ADD COLUMN task_id TEXT;
ALTER TABLE tips ADD COLUMN merged_into TEXT;
ALTER TABLE tips ADD COLUMN verify_due TIMESTAMPTZ;
ALTER TABLE tips ADD COLUMN handle_due TIMESTAMPTZ;
ALTER TABLE tips ADD COLUMN escalated_at TIMESTAMPTZ;
ALTER TABLE tips ADD COLUMN escalated_to TEXT NOT NULL DEFAULT '';
CREATE INDEX tips_status_idx ON tips (status, received_at);
CREATE INDEX tips_area_idx ON tips (area_code);

-- +goose Down
DROP INDEX tips_area_idx;
DROP INDEX tips_status_idx;
ALTER TABLE tips DROP COLUMN escalated_to;
ALTER TABLE tips DROP COLUMN escalated_at;
ALTER TABLE tips DROP COLUMN handle_due;
ALTER TABLE tips DROP COLUMN verify_due;
ALTER TABLE tips DROP COLUMN merged_into;
ALTER TABLE tips DROP COLUMN task_id;
ALTER TABLE tips DROP COLUMN handling_note;
ALTER TABLE tips DROP COLUMN handling;
ALTER TABLE tips DROP COLUMN handled_by;
ALTER TABLE tips DROP COLUMN handled_at;
ALTER TABLE tips DROP COLUMN classified_by;
ALTER TABLE tips DROP COLUMN classified_at;
ALTER TABLE tips DROP COLUMN verifying_by;
ALTER TABLE tips DROP COLUMN verifying_at;
ALTER TABLE tips DROP COLUMN received_by;
ALTER TABLE tips DROP COLUMN area_code;
