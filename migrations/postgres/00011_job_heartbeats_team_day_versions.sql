-- +goose Up
-- A running job refreshes heartbeat_at; a run whose heartbeat stopped (its replica was killed)
-- is taken over by another replica: marked failed and run again. Runs left running before this
-- migration start from their start time, so that they are taken over too.
ALTER TABLE job_runs ADD COLUMN heartbeat_at TIMESTAMPTZ;
UPDATE job_runs SET heartbeat_at = started_at WHERE status = 'running';
CREATE INDEX job_runs_running_idx ON job_runs (heartbeat_at) WHERE status = 'running';

-- One row per team, moved on by every write that changes what the team's day shows on its
-- phones, so that a phone's If-None-Match is answered from this row alone.
CREATE TABLE team_day_versions (
    team_id TEXT PRIMARY KEY REFERENCES teams(id),
    version BIGINT NOT NULL
);

-- +goose Down
DROP TABLE team_day_versions;
DROP INDEX job_runs_running_idx;
ALTER TABLE job_runs DROP COLUMN heartbeat_at;
