-- Fraud events: what the fraud shield's rules found, and where review of it stands. SQLite dialect.
-- Times are microseconds since the epoch (UTC), as in V1. Transaction ids are joined by a newline
-- (a transaction id holds no control character).

CREATE TABLE fraud_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    rule            TEXT    NOT NULL,
    account_id      TEXT    NOT NULL,
    transaction_ids TEXT    NOT NULL,
    figures         TEXT    NOT NULL,
    action          TEXT    NOT NULL CHECK (action IN ('flag', 'reject', 'freeze')),
    created_at      INTEGER NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('open', 'dismissed', 'confirmed', 'released')),
    resolved_by     TEXT,
    resolved_at     INTEGER
);
CREATE INDEX fraud_events_status_idx ON fraud_events (status, id);
