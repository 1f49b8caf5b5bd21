-- Fraud events: what the fraud shield's rules found, and where review of it stands. PostgreSQL dialect.
-- Times are microseconds since the epoch (UTC), as in V1. Transaction ids are joined by a newline
-- (a transaction id holds no control character).

CREATE TABLE fraud_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule            text   NOT NULL,
    account_id      text   NOT NULL,
    transaction_ids text   NOT NULL,
    figures         text   NOT NULL,
    action          text   NOT NULL CHECK (action IN ('flag', 'reject', 'freeze')),
    created_at      bigint NOT NULL,
    status          text   NOT NULL CHECK (status IN ('open', 'dismissed', 'confirmed', 'released')),
    resolved_by     text,
    resolved_at     bigint
);
CREATE INDEX fraud_events_status_idx ON fraud_events (status, id);
