-- ledger_entries becomes range-partitioned by created_at (microseconds since the epoch, UTC), one partition a
-- month named ledger_entries_YYYY_MM. There is no DEFAULT partition: a row for a month without a partition is
-- refused by PostgreSQL (and its batch rolled back), never parked where a later month's partition would have to
-- scan it. The store creates the current month and the next ones ahead of time, on open and periodically
-- (docs/ARCHITECTURE.md, "Monthly partitions"); this migration creates the months the existing rows need plus
-- the months ahead of the database's clock.
--
-- A unique index on a partitioned table must contain the partition key, so transaction ids, seqs and
-- reversals can no longer be unique through ledger_entries' own indexes. ledger_entry_keys, unpartitioned,
-- holds one small row per entry and carries those global guarantees; it is written in the entries'
-- transaction and also serves the lookups by transaction id and by seq (which then read one partition).

CREATE TABLE ledger_entry_keys (
    seq                     bigint PRIMARY KEY,
    transaction_id          text   NOT NULL,
    created_at              bigint NOT NULL,
    reverses_transaction_id text
);
CREATE UNIQUE INDEX ledger_entry_keys_transaction_id_uq ON ledger_entry_keys (transaction_id);
CREATE UNIQUE INDEX ledger_entry_keys_reverses_uq ON ledger_entry_keys (reverses_transaction_id)
    WHERE reverses_transaction_id IS NOT NULL;

INSERT INTO ledger_entry_keys (seq, transaction_id, created_at, reverses_transaction_id)
    SELECT seq, transaction_id, created_at, reverses_transaction_id FROM ledger_entries;

-- The old table steps aside with its index and constraint names freed for the new one.
ALTER TABLE ledger_entries RENAME TO ledger_entries_unpartitioned;
ALTER TABLE ledger_entries_unpartitioned RENAME CONSTRAINT ledger_entries_pkey TO ledger_entries_unpartitioned_pkey;
DROP INDEX ledger_transaction_id_uq, ledger_sender_created_idx, ledger_receiver_created_idx, ledger_currency_type_idx,
    ledger_created_idx, ledger_current_hash_uq, ledger_status_idx, ledger_type_created_idx, ledger_reverses_uq;

CREATE TABLE ledger_entries (
    seq                     bigint NOT NULL,
    transaction_id          text   NOT NULL,
    type                    text   NOT NULL,
    status                  text   NOT NULL,
    sender_id               uuid,
    receiver_id             uuid,
    currency                text   NOT NULL,
    amount_gross            bigint NOT NULL,
    tax_withheld            bigint NOT NULL,
    amount_net              bigint NOT NULL,
    tax_kind                text   NOT NULL,
    created_at              bigint NOT NULL,
    actor                   text,
    ip_address              text,
    user_agent              text,
    reverses_transaction_id text,
    previous_hash           bytea  NOT NULL,
    current_hash            bytea  NOT NULL,
    -- seq first: every seq-range scan (verification, export, proofs) uses it; created_at makes it legal.
    PRIMARY KEY (seq, created_at)
) PARTITION BY RANGE (created_at);
-- History pages are ordered by (created_at DESC, seq DESC): with seq in the index, each partition yields its
-- rows already in page order and the newest partitions answer a page without touching the older ones.
CREATE INDEX ledger_sender_created_idx ON ledger_entries (sender_id, created_at DESC, seq DESC);
CREATE INDEX ledger_receiver_created_idx ON ledger_entries (receiver_id, created_at DESC, seq DESC);
CREATE INDEX ledger_transaction_id_idx ON ledger_entries (transaction_id);
CREATE INDEX ledger_currency_type_idx ON ledger_entries (currency, type);
CREATE INDEX ledger_created_idx ON ledger_entries (created_at DESC);
CREATE INDEX ledger_status_idx ON ledger_entries (status);
CREATE INDEX ledger_type_created_idx ON ledger_entries (type, created_at);

-- Creates the partition of the month that starts at month_start (a first day, UTC) unless it exists, and
-- returns its name. The table is created on its own and then attached: ATTACH PARTITION takes only a SHARE UPDATE
-- EXCLUSIVE lock on ledger_entries, which inserts do not wait for (CREATE TABLE ... PARTITION OF would take an
-- ACCESS EXCLUSIVE one), and it checks the new, empty table's rows in no time.
CREATE FUNCTION tally_ensure_ledger_month(month_start date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    -- Plain timestamps (no time zone) throughout: months are UTC months whatever the session's TimeZone.
    first_day timestamp := date_trunc('month', month_start::timestamp);
    part text := 'ledger_entries_' || to_char(first_day, 'YYYY_MM');
    lo bigint := (extract(epoch FROM first_day) * 1000000)::bigint;
    hi bigint := (extract(epoch FROM first_day + interval '1 month') * 1000000)::bigint;
BEGIN
    -- Two stores opening at once would otherwise both find the month missing and race to create it.
    PERFORM pg_advisory_xact_lock(hashtext('tally_ensure_ledger_month'));
    IF EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent = 'ledger_entries'::regclass AND c.relname = part) THEN
        RETURN part;
    END IF;
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I (LIKE ledger_entries INCLUDING DEFAULTS)', part);
    EXECUTE format('ALTER TABLE ledger_entries ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', part, lo, hi);
    RETURN part;
END
$$;

DO $$
DECLARE
    first_month date := date_trunc('month', coalesce(
        (SELECT to_timestamp(min(created_at) / 1000000.0) AT TIME ZONE 'UTC' FROM ledger_entries_unpartitioned),
        now() AT TIME ZONE 'UTC'))::date;
    last_month date := date_trunc('month', greatest(
        (SELECT to_timestamp(max(created_at) / 1000000.0) AT TIME ZONE 'UTC' FROM ledger_entries_unpartitioned),
        now() AT TIME ZONE 'UTC') + interval '3 months')::date;
    m date := first_month;
BEGIN
    WHILE m <= last_month LOOP
        PERFORM tally_ensure_ledger_month(m);
        m := (m + interval '1 month')::date;
    END LOOP;
END
$$;

INSERT INTO ledger_entries SELECT seq, transaction_id, type, status, sender_id, receiver_id, currency, amount_gross,
    tax_withheld, amount_net, tax_kind, created_at, actor, ip_address, user_agent, reverses_transaction_id,
    previous_hash, current_hash FROM ledger_entries_unpartitioned;
DROP TABLE ledger_entries_unpartitioned;
