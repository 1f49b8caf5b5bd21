-- Archived months: each row is a closed month whose partition of ledger_entries was exported to an audited
-- archive file and then detached and dropped, in the same transaction as this insert. PostgreSQL dialect.
-- The newest row is the live ledger's archived boundary: verification starts after last_seq, from last_hash,
-- and reconciliation starts from the state at the boundary (boundary_state, the balances, treasury totals and
-- supply after last_seq, as JSON). checkpoint_note is the signed checkpoint of exactly last_seq entries that
-- anchors the boundary: a database writer cannot sign one. Times are microseconds since the epoch (UTC).
-- IF NOT EXISTS: like the migrations before it, it may run again on a ledger whose history was rewound.
CREATE TABLE IF NOT EXISTS archived_months (
    month            text   PRIMARY KEY,
    partition_name   text   NOT NULL,
    first_seq        bigint NOT NULL,
    last_seq         bigint NOT NULL UNIQUE,
    last_hash        bytea  NOT NULL,
    last_created_at  bigint NOT NULL,
    entries          bigint NOT NULL,
    file_name        text   NOT NULL,
    file_sha256      bytea  NOT NULL,
    file_bytes       bigint NOT NULL,
    checkpoint_note  text   NOT NULL,
    boundary_state   text   NOT NULL,
    archived_at      bigint NOT NULL,
    CHECK (first_seq >= 1 AND last_seq >= first_seq AND entries = last_seq - first_seq + 1)
);
