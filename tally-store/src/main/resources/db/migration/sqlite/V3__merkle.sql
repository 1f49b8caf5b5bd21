-- The Merkle tree over ledger_entries (RFC 9162), stored as Go sumdb tlog's stored hashes: every complete
-- subtree hash, at index StoredHashIndex(level, n). Written in the same transaction as the entries.
CREATE TABLE merkle_hashes (
    idx  INTEGER PRIMARY KEY,
    hash BLOB    NOT NULL
);

-- Signed checkpoints (C2SP tlog-checkpoint + signed-note). Also appended to a witness file outside the DB.
CREATE TABLE checkpoints (
    tree_size  INTEGER PRIMARY KEY,
    root_hash  BLOB    NOT NULL,
    note       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
