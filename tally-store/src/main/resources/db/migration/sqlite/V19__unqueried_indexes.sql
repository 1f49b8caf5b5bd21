-- Nothing on SQLite: its unqueried indexes went in V13. The PostgreSQL dialect's V19 drops its own.
SELECT 1;
