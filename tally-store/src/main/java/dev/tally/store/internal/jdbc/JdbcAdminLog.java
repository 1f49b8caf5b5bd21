package dev.tally.store.internal.jdbc;

import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.store.AdminActionRow;
import dev.tally.core.store.AdminLogStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code admin_actions} table (migration V4). Thread-safe. */
final class JdbcAdminLog implements AdminLogStore {
    private final DataSource dataSource;
    private final JdbcLedgerStore store;

    JdbcAdminLog(DataSource dataSource, JdbcLedgerStore store) {
        this.dataSource = dataSource;
        this.store = store;
    }

    @Override
    public void append(Instant at, String keyName, String action, Optional<String> target, Optional<String> detail) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO admin_actions (at, key_name, action, target, detail) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, CanonicalEncoding.epochMicros(at));
            ps.setString(2, keyName);
            ps.setString(3, action);
            Rows.setOptional(ps, 4, target);
            Rows.setOptional(ps, 5, detail);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot record the admin action: " + e.getMessage(), e);
        }
    }

    @Override
    public List<AdminActionRow> recent(int limit) {
        List<AdminActionRow> actions = new ArrayList<>();
        store.query(
                "SELECT id, at, key_name, action, target, detail FROM admin_actions ORDER BY id DESC LIMIT ?",
                ps -> ps.setInt(1, limit),
                rs -> actions.add(new AdminActionRow(
                        rs.getLong(1),
                        CanonicalEncoding.fromEpochMicros(rs.getLong(2)),
                        rs.getString(3),
                        rs.getString(4),
                        Optional.ofNullable(rs.getString(5)),
                        Optional.ofNullable(rs.getString(6)))));
        return actions;
    }
}
