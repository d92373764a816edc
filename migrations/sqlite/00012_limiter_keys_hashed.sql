-- +goose Up
-- The limits' keys are stored as keyed hashes from now on; the counts and marks kept so far named
-- addresses and usernames in the clear (a public tip's sender among them), so they are deleted.
-- Accounts lose their known addresses once: the next sign-in from each records it again.
DELETE FROM limiter_hits;

-- +goose Down
SELECT 1;
