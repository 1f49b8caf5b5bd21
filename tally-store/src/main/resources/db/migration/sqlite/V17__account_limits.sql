-- Account limits: per account and currency, how far the balance may go below zero (credit limit) and a cap on
-- holdings. Stored with the account (an admin's change is an account change under the account's version) as
-- the compact text of AccountLimits (CODE:credit:max;...); NULL for an account without limits.
-- SQLite has no ADD COLUMN IF NOT EXISTS, and this migration must run again on a ledger whose later migrations
-- are unapplied (see MetadataTest), so the table is rebuilt with the column instead, rows and indexes unchanged.
CREATE TABLE accounts_v17 (
    id                  TEXT    PRIMARY KEY,
    username            TEXT    NOT NULL,
    email               TEXT    NOT NULL,
    role                TEXT    NOT NULL CHECK (role IN ('USER', 'ADMIN', 'SYSTEM')),
    is_frozen_for_fraud INTEGER NOT NULL DEFAULT 0 CHECK (is_frozen_for_fraud IN (0, 1)),
    frozen_reason       TEXT,
    frozen_at           INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    version             INTEGER NOT NULL,
    account_limits      TEXT
);
INSERT INTO accounts_v17 (id, username, email, role, is_frozen_for_fraud, frozen_reason, frozen_at, created_at,
                          updated_at, version)
    SELECT id, username, email, role, is_frozen_for_fraud, frozen_reason, frozen_at, created_at, updated_at, version
    FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_v17 RENAME TO accounts;
CREATE UNIQUE INDEX accounts_email_uq ON accounts (lower(email));
CREATE UNIQUE INDEX accounts_username_uq ON accounts (username);
CREATE UNIQUE INDEX accounts_username_lower_uq ON accounts (lower(username));
CREATE INDEX accounts_is_frozen_for_fraud_idx ON accounts (is_frozen_for_fraud);
CREATE INDEX accounts_role_idx ON accounts (role);

-- A balance may now be negative, down to minus the account's credit limit (the engine enforces the limit and
-- reconciliation checks it). SQLite cannot drop a CHECK, so the table is rebuilt without it, rows unchanged.
CREATE TABLE balances_v17 (
    account_id TEXT    NOT NULL,
    currency   TEXT    NOT NULL,
    amount     INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    PRIMARY KEY (account_id, currency)
) WITHOUT ROWID;
INSERT INTO balances_v17 (account_id, currency, amount, version)
    SELECT account_id, currency, amount, version FROM balances;
DROP TABLE balances;
ALTER TABLE balances_v17 RENAME TO balances;
