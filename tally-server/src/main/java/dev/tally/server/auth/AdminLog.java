package dev.tally.server.auth;

import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.store.internal.jdbc.JdbcLedgerStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The record of admin actions (mint, burn, reversal, freezes, ledger freeze, key creation and revocation)
 * with the name of the key that did them, in table {@code admin_actions}. Only actions that took effect
 * are recorded, so a refused request leaves the database as it was. Thread-safe.
 */
public final class AdminLog {
    /** Longest detail kept; longer text (a reason is at most 500 characters) is cut. */
    public static final int MAX_DETAIL = 2000;
    private final DataSource dataSource;

    public AdminLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The admin log of the ledger kept in this JDBC store. */
    public static AdminLog of(JdbcLedgerStore store) {
        return new AdminLog(store.dataSource());
    }

    /** Appends one action. */
    public void record(Instant at, String keyName, String action, Optional<String> target, Optional<String> detail) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO admin_actions (at, key_name, action, target, detail) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, CanonicalEncoding.epochMicros(at));
            ps.setString(2, keyName);
            ps.setString(3, action);
            setOptional(ps, 4, target);
            setOptional(ps, 5, detail.map(d -> d.length() > MAX_DETAIL ? d.substring(0, MAX_DETAIL) : d));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot record the admin action: " + e.getMessage(), e);
        }
    }

    /** The newest actions first, at most {@code limit}. */
    public List<AdminAction> recent(int limit) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, at, key_name, action, target, detail FROM admin_actions ORDER BY id DESC LIMIT ?")) {
            ps.setInt(1, limit);
            List<AdminAction> actions = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    actions.add(new AdminAction(rs.getLong(1), CanonicalEncoding.fromEpochMicros(rs.getLong(2)), rs.getString(3),
                            rs.getString(4), Optional.ofNullable(rs.getString(5)), Optional.ofNullable(rs.getString(6))));
                }
            }
            return actions;
        } catch (SQLException e) {
            throw new StoreException("cannot read admin actions: " + e.getMessage(), e);
        }
    }

    private static void setOptional(PreparedStatement ps, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            ps.setString(index, value.get());
        } else {
            ps.setNull(index, Types.VARCHAR);
        }
    }
}
