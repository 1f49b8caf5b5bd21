-- API keys (of `tally serve`) and the log of admin actions, PostgreSQL dialect.
-- A key is never stored: only SHA-256 of it (lower-case hex), so a copy of the database grants nothing.
-- Times are microseconds since the epoch (UTC), as in V1.

CREATE TABLE api_keys (
    id         uuid   PRIMARY KEY,
    name       text   NOT NULL,
    role       text   NOT NULL CHECK (role IN ('admin', 'service', 'auditor')),
    key_hash   text   NOT NULL,
    created_at bigint NOT NULL,
    revoked_at bigint
);
CREATE UNIQUE INDEX api_keys_key_hash_uq ON api_keys (key_hash);
-- A name identifies one live key; a revoked key keeps its name in the history and frees it for reuse.
CREATE UNIQUE INDEX api_keys_active_name_uq ON api_keys (name) WHERE revoked_at IS NULL;

CREATE TABLE admin_actions (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       bigint NOT NULL,
    key_name text   NOT NULL,
    action   text   NOT NULL,
    target   text,
    detail   text
);
CREATE INDEX admin_actions_at_idx ON admin_actions (at);
