-- The client's metadata of an entry (string keys and values), in the canonical text its hash covers
-- (docs/FORMAT.md §1, encoding version 2); NULL for an entry without metadata (encoding version 1).
-- A plain ADD COLUMN: existing rows stay as they are and still verify.

ALTER TABLE ledger_entries ADD COLUMN metadata text;

-- Pending (two-phase) transfers still open: the expiry sweep and the balances' pending_out / pending_in read
-- them. A partial index: it costs nothing for the other entry types.
CREATE INDEX ledger_pending_idx ON ledger_entries (seq) WHERE type = 'PENDING';
