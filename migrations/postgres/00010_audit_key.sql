-- +goose Up
-- The audit chain becomes an HMAC with a key kept outside the database. The events written so
-- far keep their plain SHA-256 chain and are marked as such; they must come before every keyed
-- event, and the first keyed event (whose HMAC covers the last plain hash) anchors them.
ALTER TABLE audit_events ADD COLUMN alg TEXT NOT NULL DEFAULT 'sha256';
ALTER TABLE audit_events ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
-- The signed head: how many events the log holds and where it ends, with an HMAC over both, so
-- that deleting the newest events or appending one without the key is seen. One row, written by
-- kiemtra (the SQL here cannot sign it) in the transaction of every append.
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    events    BIGINT NOT NULL,
    last_id   BIGINT NOT NULL,
    last_hash TEXT NOT NULL,
    key_id    TEXT NOT NULL,
    mac       TEXT NOT NULL
);

-- +goose Down
DROP TABLE audit_head;
ALTER TABLE audit_events DROP COLUMN key_id;
ALTER TABLE audit_events DROP COLUMN alg;
