-- The fraud shield's hold action: an event may now have the action 'hold', and names the pending transfer the
-- held payment became (pending_id; NULL for every other action). SQLite cannot change a CHECK constraint, so
-- the table is rebuilt with the new one: every row, its id and the id sequence are kept, and the index is
-- made again.
CREATE TABLE fraud_events_rebuilt (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    rule            TEXT    NOT NULL,
    account_id      TEXT    NOT NULL,
    transaction_ids TEXT    NOT NULL,
    figures         TEXT    NOT NULL,
    action          TEXT    NOT NULL CHECK (action IN ('flag', 'hold', 'reject', 'freeze')),
    created_at      INTEGER NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('open', 'dismissed', 'confirmed', 'released')),
    resolved_by     TEXT,
    resolved_at     INTEGER,
    pending_id      TEXT
);
INSERT INTO fraud_events_rebuilt (id, rule, account_id, transaction_ids, figures, action, created_at, status,
                              resolved_by, resolved_at)
    SELECT id, rule, account_id, transaction_ids, figures, action, created_at, status, resolved_by, resolved_at
    FROM fraud_events;
DROP TABLE fraud_events;
ALTER TABLE fraud_events_rebuilt RENAME TO fraud_events;
CREATE INDEX fraud_events_status_idx ON fraud_events (status, id);
-- Review finds a held payment's events by its pending transfer.
CREATE INDEX fraud_events_pending_idx ON fraud_events (pending_id) WHERE pending_id IS NOT NULL;
