-- The authentication of a recorded verification run: "<key id>:<HMAC-SHA256>" in hex, under an anchor key kept
-- outside the database (docs/FORMAT.md, "Anchor MAC"). An incremental verification starts only from a run whose
-- MAC verifies; a run without one (recorded before this column, or without a key) is history, never an anchor.

ALTER TABLE verification_runs ADD COLUMN anchor_mac text;

-- The checkpoint signing keys, in the order they were put in use: tally checkpoint signs only with the newest
-- (the first key pins itself; another one must be rotated in with tally checkpoint --rotate-key). Public keys only.
CREATE TABLE checkpoint_keys (
    position     bigint PRIMARY KEY,
    verifier_key text   NOT NULL,
    recorded_at  bigint NOT NULL
);
