-- Tally schema, SQLite dialect. Names follow the seed (User, Treasury, Ledger) so auditors recognise them.
-- Amounts are exact integers of minor units; times are microseconds since the epoch (UTC);
-- hashes are 32-byte BLOBs (hex(current_hash) shows the seed's hex form).

CREATE TABLE accounts (
    id                  TEXT    PRIMARY KEY,
    username            TEXT    NOT NULL,
    email               TEXT    NOT NULL,
    role                TEXT    NOT NULL CHECK (role IN ('USER', 'ADMIN', 'SYSTEM')),
    is_frozen_for_fraud INTEGER NOT NULL DEFAULT 0 CHECK (is_frozen_for_fraud IN (0, 1)),
    frozen_reason       TEXT,
    frozen_at           INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    version             INTEGER NOT NULL
);
CREATE UNIQUE INDEX accounts_email_uq ON accounts (lower(email));
CREATE UNIQUE INDEX accounts_username_uq ON accounts (username);
CREATE INDEX accounts_is_frozen_for_fraud_idx ON accounts (is_frozen_for_fraud);
CREATE INDEX accounts_role_idx ON accounts (role);

CREATE TABLE balances (
    account_id TEXT    NOT NULL,
    currency   TEXT    NOT NULL,
    amount     INTEGER NOT NULL CHECK (amount >= 0),
    version    INTEGER NOT NULL,
    PRIMARY KEY (account_id, currency)
) WITHOUT ROWID;

CREATE TABLE ledger_entries (
    seq                     INTEGER PRIMARY KEY,
    transaction_id          TEXT    NOT NULL,
    type                    TEXT    NOT NULL,
    status                  TEXT    NOT NULL,
    sender_id               TEXT,
    receiver_id             TEXT,
    currency                TEXT    NOT NULL,
    amount_gross            INTEGER NOT NULL,
    tax_withheld            INTEGER NOT NULL,
    amount_net              INTEGER NOT NULL,
    tax_kind                TEXT    NOT NULL,
    created_at              INTEGER NOT NULL,
    actor                   TEXT,
    ip_address              TEXT,
    user_agent              TEXT,
    reverses_transaction_id TEXT,
    previous_hash           BLOB    NOT NULL,
    current_hash            BLOB    NOT NULL
);
CREATE UNIQUE INDEX ledger_transaction_id_uq ON ledger_entries (transaction_id);
CREATE INDEX ledger_sender_created_idx ON ledger_entries (sender_id, created_at DESC);
CREATE INDEX ledger_receiver_created_idx ON ledger_entries (receiver_id, created_at DESC);
CREATE INDEX ledger_currency_type_idx ON ledger_entries (currency, type);
CREATE INDEX ledger_created_idx ON ledger_entries (created_at DESC);
CREATE UNIQUE INDEX ledger_current_hash_uq ON ledger_entries (current_hash);
CREATE INDEX ledger_status_idx ON ledger_entries (status);
CREATE INDEX ledger_type_created_idx ON ledger_entries (type, created_at);
CREATE UNIQUE INDEX ledger_reverses_uq ON ledger_entries (reverses_transaction_id) WHERE reverses_transaction_id IS NOT NULL;

CREATE TABLE treasury_totals (
    currency TEXT    NOT NULL,
    tax_kind TEXT    NOT NULL,
    amount   INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    PRIMARY KEY (currency, tax_kind)
) WITHOUT ROWID;

CREATE TABLE currency_supply (
    currency TEXT    PRIMARY KEY,
    minted   INTEGER NOT NULL,
    burned   INTEGER NOT NULL,
    version  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE chain_head (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    seq     INTEGER NOT NULL,
    hash    BLOB    NOT NULL,
    version INTEGER NOT NULL
);
INSERT INTO chain_head (id, seq, hash, version) VALUES (1, 0, zeroblob(32), 1);

CREATE TABLE ledger_controls (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    is_frozen  INTEGER NOT NULL,
    reason     TEXT,
    actor      TEXT,
    changed_at INTEGER,
    version    INTEGER NOT NULL
);
INSERT INTO ledger_controls (id, is_frozen, version) VALUES (1, 0, 1);
