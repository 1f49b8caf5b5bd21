-- Tally schema, PostgreSQL dialect. Names follow the seed (User, Treasury, Ledger) so auditors recognise them.
-- Amounts are exact integers of minor units; times are microseconds since the epoch (UTC);
-- hashes are 32-byte bytea (encode(current_hash, 'hex') shows the seed's hex form).

CREATE TABLE accounts (
    id                  uuid    PRIMARY KEY,
    username            text    NOT NULL,
    email               text    NOT NULL,
    role                text    NOT NULL CHECK (role IN ('USER', 'ADMIN', 'SYSTEM')),
    is_frozen_for_fraud boolean NOT NULL DEFAULT false,
    frozen_reason       text,
    frozen_at           bigint,
    created_at          bigint  NOT NULL,
    updated_at          bigint  NOT NULL,
    version             bigint  NOT NULL
);
CREATE UNIQUE INDEX accounts_email_uq ON accounts (lower(email));
CREATE UNIQUE INDEX accounts_username_uq ON accounts (username);
CREATE INDEX accounts_is_frozen_for_fraud_idx ON accounts (is_frozen_for_fraud);
CREATE INDEX accounts_role_idx ON accounts (role);

CREATE TABLE balances (
    account_id uuid   NOT NULL,
    currency   text   NOT NULL,
    amount     bigint NOT NULL CHECK (amount >= 0),
    version    bigint NOT NULL,
    PRIMARY KEY (account_id, currency)
);

CREATE TABLE ledger_entries (
    seq                     bigint PRIMARY KEY,
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
    current_hash            bytea  NOT NULL
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
    currency text   NOT NULL,
    tax_kind text   NOT NULL,
    amount   bigint NOT NULL,
    version  bigint NOT NULL,
    PRIMARY KEY (currency, tax_kind)
);

CREATE TABLE currency_supply (
    currency text   PRIMARY KEY,
    minted   bigint NOT NULL,
    burned   bigint NOT NULL,
    version  bigint NOT NULL
);

CREATE TABLE chain_head (
    id      integer PRIMARY KEY CHECK (id = 1),
    seq     bigint  NOT NULL,
    hash    bytea   NOT NULL,
    version bigint  NOT NULL
);
INSERT INTO chain_head (id, seq, hash, version) VALUES (1, 0, decode(repeat('00', 32), 'hex'), 1);

CREATE TABLE ledger_controls (
    id         integer PRIMARY KEY CHECK (id = 1),
    is_frozen  boolean NOT NULL,
    reason     text,
    actor      text,
    changed_at bigint,
    version    bigint  NOT NULL
);
INSERT INTO ledger_controls (id, is_frozen, version) VALUES (1, false, 1);
