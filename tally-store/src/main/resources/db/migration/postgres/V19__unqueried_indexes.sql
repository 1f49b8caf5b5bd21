-- Indexes of ledger_entries that serve no query on PostgreSQL, dropped (the SQLite dialect dropped its own in
-- V13): each one cost every committed entry an index insertion in its month's partition, and its WAL. What
-- still reads the table, and the index it uses (the plans are asserted in PostgresQueryPlanTest): an account's
-- history by (sender_id | receiver_id, created_at, seq), entries by type and date by (type, created_at), ranges
-- and single entries by (seq, created_at), the primary key; transaction ids, seqs and reversals are looked up
-- through ledger_entry_keys (V8), whose unique indexes stay.
-- ledger_transaction_id_idx: every lookup by transaction id goes through ledger_entry_keys' unique index, then
--   reads the entry by its primary key in the one partition the key names.
-- ledger_status_idx: no query filters by status, and its two or three values select most of the table.
-- ledger_currency_type_idx: no query filters by currency and type; a handful of values each.
-- ledger_created_idx: no query orders or filters by created_at alone; a range of time is a range of partitions,
--   and created_at grows with seq.
-- Dropping an index of the partitioned table drops it from every partition.
DROP INDEX IF EXISTS ledger_transaction_id_idx;
DROP INDEX IF EXISTS ledger_status_idx;
DROP INDEX IF EXISTS ledger_currency_type_idx;
DROP INDEX IF EXISTS ledger_created_idx;
