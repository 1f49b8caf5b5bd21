-- Usernames are unique regardless of case, as e-mails are: "Alice" cannot be opened beside "alice" and pass
-- for her. The engine refuses such a name first (DUPLICATE_USERNAME); this index holds when two processes
-- write at once, and serves the engine's case-folded lookup.
CREATE UNIQUE INDEX accounts_username_lower_uq ON accounts (lower(username));
