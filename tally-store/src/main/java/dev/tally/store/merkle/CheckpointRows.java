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

    /**
     * Replaces the row of {@code c}'s size (one its key does not verify) with {@code c}; returns whether
     * {@code expectedNote} was still the row's note.
     */
    boolean replace(SignedCheckpoint c, String expectedNote) {
        String sql = "UPDATE checkpoints SET root_hash = ?, note = ?, created_at = ? WHERE tree_size = ? AND note = ?";
        try (Connection conn = dataSource.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setBytes(1, c.checkpoint().rootHash());
            ps.setString(2, c.note());
            ps.setLong(3, CanonicalEncoding.epochMicros(c.createdAt()));
            ps.setLong(4, c.size());
            ps.setString(5, expectedNote);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("replacing the checkpoint of size " + c.size() + " in " + description + " failed: " + e.getMessage(), e);
        }
    }

    /** Every stored note with its row's size, smallest first, unparsed: whoever reads them verifies them. */
    List<StoredNote> notes() {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement("SELECT tree_size, note, created_at FROM checkpoints ORDER BY tree_size");
             ResultSet rs = ps.executeQuery()) {
            List<StoredNote> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new StoredNote(rs.getLong(1), rs.getString(2), CanonicalEncoding.fromEpochMicros(rs.getLong(3))));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading checkpoints from " + description + " failed: " + e.getMessage(), e);
        }
    }

    /** A stored row's size, note and time, as stored. */
    record StoredNote(long size, String note, java.time.Instant createdAt) {
    }

    /** The verifier key texts put in use for signing, oldest first ({@code checkpoint_keys}). */
    List<String> signingKeys() {
        try (Connection conn = dataSource.getConnection();
             PreparedStatement ps = conn.prepareStatement("SELECT verifier_key FROM checkpoint_keys ORDER BY position");
             ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading the checkpoint keys from " + description + " failed: " + e.getMessage(), e);
        }
    }

    /** Records {@code verifierKey} as the key that signs from now on. */
    void recordSigningKey(String verifierKey, java.time.Instant at) {
        String sql = "INSERT INTO checkpoint_keys (position, verifier_key, recorded_at)"
                + " SELECT coalesce(max(position), 0) + 1, ?, ? FROM checkpoint_keys";
        try (Connection conn = dataSource.getConnection(); PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, verifierKey);
            ps.setLong(2, CanonicalEncoding.epochMicros(at));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("recording the checkpoint key in " + description + " failed: " + e.getMessage(), e);
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
            throw new StoreException("the stored checkpoint of size " + size + " does not match its note", null);
        }
        return new SignedCheckpoint(c, note, CanonicalEncoding.fromEpochMicros(rs.getLong(4)));
    }
}
