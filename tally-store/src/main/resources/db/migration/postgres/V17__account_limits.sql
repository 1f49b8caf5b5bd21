-- Account limits: per account and currency, how far the balance may go below zero (credit limit) and a cap on
-- holdings. Stored with the account (an admin's change is an account change under the account's version) as
-- the compact text of AccountLimits (CODE:credit:max;...); NULL for an account without limits.
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS account_limits text;

-- A balance may now be negative, down to minus the account's credit limit (the engine enforces the limit and
-- reconciliation checks it).
ALTER TABLE balances DROP CONSTRAINT IF EXISTS balances_amount_check;
