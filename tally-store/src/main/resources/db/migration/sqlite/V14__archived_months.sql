-- Archived months: nothing to do on SQLite, which is one unpartitioned table and is never archived
-- (tally archive is PostgreSQL only). This file keeps the two dialects' migration versions in step.
SELECT 1;
