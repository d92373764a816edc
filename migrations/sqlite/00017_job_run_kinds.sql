-- +goose Up
-- What started each run: its scheduled minute, a request (POST /api/v1/jobs/{name}/run), a
-- retry of a run whose replica stopped, or the catch-up at start of a slot that passed while no
-- replica ran (recorded under the slot it stands in for). The runs before this migration are
-- told apart by their slot.
ALTER TABLE job_runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'scheduled';
UPDATE job_runs SET kind = 'manual' WHERE slot LIKE 'manual-%';
UPDATE job_runs SET kind = 'retry' WHERE slot LIKE '%#retry%';

-- +goose Down
ALTER TABLE job_runs DROP COLUMN kind;
