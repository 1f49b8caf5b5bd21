-- The fraud shield's hold action: an event may now have the action 'hold', and names the pending transfer the
-- held payment became (pending_id; NULL for every other action). PostgreSQL dialect.
ALTER TABLE fraud_events DROP CONSTRAINT IF EXISTS fraud_events_action_check;
ALTER TABLE fraud_events ADD CONSTRAINT fraud_events_action_check
    CHECK (action IN ('flag', 'hold', 'reject', 'freeze'));
ALTER TABLE fraud_events ADD COLUMN IF NOT EXISTS pending_id text;
-- Review finds a held payment's events by its pending transfer.
CREATE INDEX IF NOT EXISTS fraud_events_pending_idx ON fraud_events (pending_id) WHERE pending_id IS NOT NULL;
