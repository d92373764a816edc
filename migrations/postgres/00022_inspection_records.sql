-- +goose Up
-- The signed record (biên bản kiểm tra) of one version of an inspection: an amendment is a new
-- inspection row and so a new record; a stored record is never changed. content is the record
-- as signed (JSON), record_sha256 its hash, written to the audit log with the signatures' hashes.
CREATE TABLE inspection_records (
    inspection_id TEXT PRIMARY KEY REFERENCES inspections(id),
    representative_name TEXT NOT NULL,
    representative_role TEXT NOT NULL DEFAULT '',
    statement TEXT NOT NULL DEFAULT '',
    refused BOOLEAN NOT NULL DEFAULT FALSE,
    refusal_note TEXT NOT NULL DEFAULT '',
    inspector_signature BYTEA NOT NULL,
    inspector_signature_sha256 TEXT NOT NULL,
    representative_signature BYTEA,
    representative_signature_sha256 TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL,
    record_sha256 TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE inspection_records;
