-- Indexes that serve no query, dropped: each one cost every commit a page of its own (WAL mode logs a changed
-- page in full), and at ordinary load a commit holds one or two entries, so these pages were a large share of
-- the bytes written per entry. What still reads the table, and the index it uses (the plans are asserted in
-- QueryPlanTest): an account's history by (sender_id | receiver_id, created_at), entries by type and date by
-- (type, created_at), a transaction id by its unique index, a reversal by its partial unique index, ranges
-- and single entries by seq (the rowid).
-- ledger_status_idx: no query filters by status, and its two or three values select most of the table.
-- ledger_currency_type_idx: no query filters by currency and type; a handful of values each.
-- ledger_created_idx: no query orders or filters by created_at alone; created_at grows with seq, so a range
--   of time is a range of seq.
-- ledger_current_hash_uq: no query looks an entry up by its hash; the chain makes hashes unique (each one
--   covers the previous hash and the entry's seq), and verification checks every link.
DROP INDEX IF EXISTS ledger_status_idx;
DROP INDEX IF EXISTS ledger_currency_type_idx;
DROP INDEX IF EXISTS ledger_created_idx;
DROP INDEX IF EXISTS ledger_current_hash_uq;
