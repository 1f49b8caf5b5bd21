-- API keys (of `tally serve`) and the log of admin actions, SQLite dialect.
-- A key is never stored: only SHA-256 of it (lower-case hex), so a copy of the database grants nothing.
-- Times are microseconds since the epoch (UTC), as in V1.

CREATE TABLE api_keys (
    id         TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    role       TEXT    NOT NULL CHECK (role IN ('admin', 'service', 'auditor')),
    key_hash   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE UNIQUE INDEX api_keys_key_hash_uq ON api_keys (key_hash);
-- A name identifies one live key; a revoked key keeps its name in the history and frees it for reuse.
CREATE UNIQUE INDEX api_keys_active_name_uq ON api_keys (name) WHERE revoked_at IS NULL;

CREATE TABLE admin_actions (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       INTEGER NOT NULL,
    key_name TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    target   TEXT,
    detail   TEXT
);
CREATE INDEX admin_actions_at_idx ON admin_actions (at);
