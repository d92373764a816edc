-- +goose Up
-- The decision that set a team up, which its inspection records cite as their basis.
ALTER TABLE teams ADD COLUMN decision_no TEXT NOT NULL DEFAULT '';
ALTER TABLE teams ADD COLUMN decision_date DATE;
ALTER TABLE teams ADD COLUMN decision_by TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE teams DROP COLUMN decision_by;
ALTER TABLE teams DROP COLUMN decision_date;
ALTER TABLE teams DROP COLUMN decision_no;
