-- Balance snapshots: an account's balance in one currency just after entry seq, written behind the commit
-- every few dozen entries of the account, so that a balance as of any entry replays only that account's
-- entries since its snapshot (docs/ARCHITECTURE.md, "Balances as of any point"). Reconciliation checks every
-- row against a replay. The primary key is also the lookup: newest snapshot at or before a seq.
CREATE TABLE balance_snapshots (
    account_id uuid   NOT NULL,
    currency   text   NOT NULL,
    seq        bigint NOT NULL,
    amount     bigint NOT NULL,
    -- true: the zero just before the batch that gave the account its first balance in this currency.
    opening    boolean NOT NULL DEFAULT false,
    PRIMARY KEY (account_id, currency, seq)
);
-- The pending entries an account sent or may receive, for its pending totals as of a past entry: partial,
-- so a plain transfer writes nothing to them.
CREATE INDEX ledger_pending_sender_idx ON ledger_entries (sender_id, seq) WHERE type = 'PENDING';
CREATE INDEX ledger_pending_receiver_idx ON ledger_entries (receiver_id, seq) WHERE type = 'PENDING';
-- Every balance that exists now, as of the current head, so that no account needs its whole history replayed
-- for a point after this migration.
INSERT INTO balance_snapshots (account_id, currency, seq, amount, opening)
    SELECT b.account_id, b.currency, h.seq, b.amount, false FROM balances b, chain_head h WHERE h.seq >= 1;
