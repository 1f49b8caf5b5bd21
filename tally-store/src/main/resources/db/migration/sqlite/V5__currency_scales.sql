-- The scale each currency's entries were written with, recorded with the currency's first entry. A
-- configuration that changes it for a currency with entries is refused (stored amounts are minor units at
-- this scale). Currencies of entries written before this table existed get their scale from the first
-- configuration the ledger is opened with (scale NULL until then).
CREATE TABLE currencies (
    code      TEXT    PRIMARY KEY,
    scale     INTEGER CHECK (scale BETWEEN 0 AND 18),
    first_seq INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO currencies (code, scale, first_seq) SELECT currency, NULL, min(seq) FROM ledger_entries GROUP BY currency;
