-- An account's history is now read through the history index in the side file <ledger>-history, filled behind
-- the commits in sorted batches (docs/ARCHITECTURE.md, "History indexed behind the commit"): these two indexes
-- cost every commit two leaf pages at random and no query reads them any more. The side file is built from the
-- entries when the store opens. PostgreSQL keeps its indexes (its history reads are unchanged).
DROP INDEX IF EXISTS ledger_sender_created_idx;
DROP INDEX IF EXISTS ledger_receiver_created_idx;
