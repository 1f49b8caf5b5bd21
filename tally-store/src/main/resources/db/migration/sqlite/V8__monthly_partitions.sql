-- Monthly partitions of ledger_entries exist only in the PostgreSQL dialect (see postgres/V8). The embedded
-- SQLite store keeps one unpartitioned table, whose unique indexes already guard transaction ids: nothing to do.
SELECT 1;
