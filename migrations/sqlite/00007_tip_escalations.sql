-- +goose Up
-- One row per missed deadline of a tip that the escalation job reported to the planners: a tip
-- still received when its handling deadline passes too is escalated again, once, for that
-- deadline; a deadline moved by a reclassification is a new deadline.
CREATE TABLE tip_escalations (
    tip_id       TEXT NOT NULL REFERENCES tips(id),
    deadline     TEXT NOT NULL,
    due          DATETIME NOT NULL,
    escalated_at DATETIME NOT NULL,
    escalated_to TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tip_id, deadline, due)
);
-- Escalations made before this table: one escalation covered every deadline passed by then.
INSERT INTO tip_escalations (tip_id, deadline, due, escalated_at, escalated_to)
SELECT id, 'verify', verify_due, escalated_at, escalated_to FROM tips
WHERE escalated_at IS NOT NULL AND verify_due IS NOT NULL AND verify_due < escalated_at;
INSERT INTO tip_escalations (tip_id, deadline, due, escalated_at, escalated_to)
SELECT id, 'handle', handle_due, escalated_at, escalated_to FROM tips
WHERE escalated_at IS NOT NULL AND handle_due IS NOT NULL AND handle_due < escalated_at;

-- +goose Down
DROP TABLE tip_escalations;
