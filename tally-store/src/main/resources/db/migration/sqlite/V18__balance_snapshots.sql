-- Balance snapshots: an account's balance in one currency just after entry seq, written in the
-- transaction of the batch that reaches it, every few dozen entries of the account, so that a balance as of any entry replays only that account's
-- entries since its snapshot (docs/ARCHITECTURE.md, "Balances as of any point"). Reconciliation checks every
-- row against a replay. The primary key is also the lookup: newest snapshot at or before a seq. No backfill: a
-- balance older than this migration is read back from its account's entries until its first snapshot. Written
-- to run again (IF NOT EXISTS) on a ledger whose later migrations are replayed.
CREATE TABLE IF NOT EXISTS balance_snapshots (
    account_id TEXT    NOT NULL,
    currency   TEXT    NOT NULL,
    seq        INTEGER NOT NULL,
    amount     INTEGER NOT NULL,
    -- 1: the zero just before the batch that gave the account its first balance in this currency.
    opening    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, currency, seq)
) WITHOUT ROWID;
-- The pending entries an account sent or may receive, for its pending totals as of a past entry: partial,
-- so a plain transfer writes nothing to them.
CREATE INDEX IF NOT EXISTS ledger_pending_sender_idx ON ledger_entries (sender_id, seq) WHERE type = 'PENDING';
CREATE INDEX IF NOT EXISTS ledger_pending_receiver_idx ON ledger_entries (receiver_id, seq) WHERE type = 'PENDING';
