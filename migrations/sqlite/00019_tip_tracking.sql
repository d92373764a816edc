-- +goose Up
-- Public tip tracking: the reference code given to the reporter (unique; none for older tips),
-- the keyed hash of the secret given with it (never the secret), the result written for the
-- public when the tip is handled, and the photo sent with the tip (EXIF removed), by its SHA-256.
ALTER TABLE tips ADD COLUMN tracking_code TEXT;
ALTER TABLE tips ADD COLUMN tracking_secret_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE tips ADD COLUMN public_result TEXT NOT NULL DEFAULT '';
ALTER TABLE tips ADD COLUMN photo_sha256 TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX tips_tracking_code_idx ON tips (tracking_code);

-- +goose Down
DROP INDEX tips_tracking_code_idx;
ALTER TABLE tips DROP COLUMN photo_sha256;
ALTER TABLE tips DROP COLUMN public_result;
ALTER TABLE tips DROP COLUMN tracking_secret_hash;
ALTER TABLE tips DROP COLUMN tracking_code;
