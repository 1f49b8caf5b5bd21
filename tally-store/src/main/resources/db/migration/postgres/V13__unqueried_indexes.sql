-- Nothing on PostgreSQL: its ledger_entries layout is changed by a migration of its own. The SQLite dialect's
-- V13 drops the indexes that serve no query there.
SELECT 1;
