-- Account limits: per account and currency, how far the balance may go below zero (credit limit) and a cap on
-- holdings. Stored with the account (an admin's change is an account change under the account's version) as
-- the compact text of AccountLimits (CODE:credit:max;...); NULL for an account without limits.
ALTER TABLE accounts ADD COLUMN account_limits TEXT;

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
