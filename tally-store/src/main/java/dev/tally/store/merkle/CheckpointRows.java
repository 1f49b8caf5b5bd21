package dev.tally.store.merkle;

import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.store.jdbc.JdbcLedgerStore;
import dev.tally.verify.Checkpoint;
import dev.tally.verify.SignedNote;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code checkpoints} table (migration V3): one row per signed tree size. It is a convenience copy for
 * serving proofs; the trusted copy is the witness file outside the database. Thread-safe.
 */
final class CheckpointRows {
    private static final String COLUMNS = "tree_size, root_hash, note, created_at";
    private final DataSource dataSource;
    private final String description;

    CheckpointRows(JdbcLedgerStore store) {
        this.dataSource = store.dataSource();
        this.description = store.describe();
    }

    /** Stores a checkpoint unless one of that size exists; returns whether it was stored. */
    boolean insert(SignedCheckpoint c) {
        String sql = "INSERT INTO checkpoints (" + COLUMNS + ") VALUES (?, ?, ?, ?) ON CONFLICT (tree_size) DO NOTHING";
        try (Connection conn = dataSource.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setLong(1, c.size());
            ps.setBytes(2, c.checkpoint().rootHash());
            ps.setString(3, c.note());
            ps.setLong(4, CanonicalEncoding.epochMicros(c.createdAt()));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("storing the checkpoint of size " + c.size() + " in " + description + " failed: " + e.getMessage(), e);
        }
    }

    Optional<SignedCheckpoint> find(long size) {
        List<SignedCheckpoint> found = query("SELECT " + COLUMNS + " FROM checkpoints WHERE tree_size = ?", size);
        return found.stream().findFirst();
    }

    Optional<SignedCheckpoint> latest() {
        List<SignedCheckpoint> found = query("SELECT " + COLUMNS + " FROM checkpoints ORDER BY tree_size DESC LIMIT 1");
        return found.stream().findFirst();
    }

    /** Every checkpoint, smallest size first. */
    List<SignedCheckpoint> all() {
        return query("SELECT " + COLUMNS + " FROM checkpoints ORDER BY tree_size");
    }

    private List<SignedCheckpoint> query(String sql, Object... params) {
        try (Connection conn = dataSource.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<SignedCheckpoint> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading checkpoints from " + description + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * A row as a checkpoint. The note is parsed, not verified (no key here); a row whose note does not hold
     * the row's size and root is reported as broken rather than served.
     */
    private SignedCheckpoint read(ResultSet rs) throws SQLException {
        long size = rs.getLong(1);
        String note = rs.getString(3);
        Checkpoint c;
        try {
            c = Checkpoint.parse(SignedNote.parse(note).text());
        } catch (RuntimeException e) {
            throw new StoreException("the stored checkpoint of size " + size + " is not a signed checkpoint: " + e.getMessage(), e);
        }
        if (c.size() != size || !java.util.Arrays.equals(c.rootHash(), rs.getBytes(2))) {
            throw new StoreException("the stored checkpoint of size " + size + " does not match its note");
        }
        return new SignedCheckpoint(c, note, CanonicalEncoding.fromEpochMicros(rs.getLong(4)));
    }
}
