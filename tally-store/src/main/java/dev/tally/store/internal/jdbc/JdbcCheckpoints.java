package dev.tally.store.internal.jdbc;

import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.store.CheckpointRow;
import dev.tally.core.store.CheckpointStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code checkpoints} table (migration V3): one row per signed tree size. Thread-safe. */
final class JdbcCheckpoints implements CheckpointStore {
    private static final String COLUMNS = "tree_size, root_hash, note, created_at";
    private final DataSource dataSource;
    private final JdbcLedgerStore store;

    JdbcCheckpoints(DataSource dataSource, JdbcLedgerStore store) {
        this.dataSource = dataSource;
        this.store = store;
    }

    @Override
    public boolean insert(CheckpointRow c) {
        String sql = "INSERT INTO checkpoints (" + COLUMNS + ") VALUES (?, ?, ?, ?) ON CONFLICT (tree_size) DO NOTHING";
        try (Connection conn = dataSource.getConnection();
                PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setLong(1, c.treeSize());
            ps.setBytes(2, c.rootHash());
            ps.setString(3, c.note());
            ps.setLong(4, CanonicalEncoding.epochMicros(c.createdAt()));
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException(
                    "storing the checkpoint of size " + c.treeSize() + " in " + store.describe() + " failed: "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public Optional<CheckpointRow> find(long treeSize) {
        return query("SELECT " + COLUMNS + " FROM checkpoints WHERE tree_size = ?", ps -> ps.setLong(1, treeSize))
                .stream()
                .findFirst();
    }

    @Override
    public Optional<CheckpointRow> latest() {
        return query("SELECT " + COLUMNS + " FROM checkpoints ORDER BY tree_size DESC LIMIT 1", ps -> {}).stream()
                .findFirst();
    }

    @Override
    public List<CheckpointRow> all() {
        return query("SELECT " + COLUMNS + " FROM checkpoints ORDER BY tree_size", ps -> {});
    }

    @Override
    public boolean replace(CheckpointRow c, String expectedNote) {
        String sql = "UPDATE checkpoints SET root_hash = ?, note = ?, created_at = ? WHERE tree_size = ? AND note = ?";
        try (Connection conn = dataSource.getConnection();
                PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setBytes(1, c.rootHash());
            ps.setString(2, c.note());
            ps.setLong(3, CanonicalEncoding.epochMicros(c.createdAt()));
            ps.setLong(4, c.treeSize());
            ps.setString(5, expectedNote);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException(
                    "replacing the checkpoint of size " + c.treeSize() + " in " + store.describe() + " failed: "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public List<String> signingKeys() {
        List<String> out = new ArrayList<>();
        store.query(
                "SELECT verifier_key FROM checkpoint_keys ORDER BY position", ps -> {}, rs -> out.add(rs.getString(1)));
        return out;
    }

    @Override
    public void recordSigningKey(String verifierKey, Instant at) {
        String sql = "INSERT INTO checkpoint_keys (position, verifier_key, recorded_at)"
                + " SELECT coalesce(max(position), 0) + 1, ?, ? FROM checkpoint_keys";
        try (Connection conn = dataSource.getConnection();
                PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, verifierKey);
            ps.setLong(2, CanonicalEncoding.epochMicros(at));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(
                    "recording the checkpoint key in " + store.describe() + " failed: " + e.getMessage(), e);
        }
    }

    private List<CheckpointRow> query(String sql, JdbcLedgerStore.Binder binder) {
        List<CheckpointRow> out = new ArrayList<>();
        store.query(
                sql,
                binder,
                rs -> out.add(new CheckpointRow(
                        rs.getLong(1),
                        rs.getBytes(2),
                        rs.getString(3),
                        CanonicalEncoding.fromEpochMicros(rs.getLong(4)))));
        return out;
    }
}
