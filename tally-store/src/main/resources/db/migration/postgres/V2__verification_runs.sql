-- Recorded audit runs (issue 3): chain verifications and reconciliations, for history and alerting.
-- A successful verification's to_seq and last_hash (the stored current_hash of the entry at to_seq) are the
-- trusted anchor an incremental verification starts from. Not part of the hashed ledger.

CREATE TABLE verification_runs (
    id             uuid    PRIMARY KEY,
    kind           text    NOT NULL CHECK (kind IN ('VERIFY_FULL', 'VERIFY_INCREMENTAL', 'RECONCILE')),
    started_at     bigint  NOT NULL,
    finished_at    bigint  NOT NULL,
    from_seq       bigint  NOT NULL,
    to_seq         bigint  NOT NULL,
    last_hash      bytea,
    valid          boolean NOT NULL,
    findings_count bigint  NOT NULL,
    duration_ms    bigint  NOT NULL,
    report         text
);
CREATE INDEX verification_runs_finished_idx ON verification_runs (finished_at DESC);
CREATE INDEX verification_runs_anchor_idx ON verification_runs (valid, kind, finished_at DESC);
