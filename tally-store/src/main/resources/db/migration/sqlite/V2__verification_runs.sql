-- Recorded audit runs (issue 3): chain verifications and reconciliations, for history and alerting.
-- A successful verification's to_seq and last_hash (the stored current_hash of the entry at to_seq) are the
-- trusted anchor an incremental verification starts from. Not part of the hashed ledger.

CREATE TABLE verification_runs (
    id             TEXT    PRIMARY KEY,
    kind           TEXT    NOT NULL CHECK (kind IN ('VERIFY_FULL', 'VERIFY_INCREMENTAL', 'RECONCILE')),
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER NOT NULL,
    from_seq       INTEGER NOT NULL,
    to_seq         INTEGER NOT NULL,
    last_hash      BLOB,
    valid          INTEGER NOT NULL CHECK (valid IN (0, 1)),
    findings_count INTEGER NOT NULL,
    duration_ms    INTEGER NOT NULL,
    report         TEXT
);
CREATE INDEX verification_runs_finished_idx ON verification_runs (finished_at DESC);
CREATE INDEX verification_runs_anchor_idx ON verification_runs (valid, kind, finished_at DESC);
