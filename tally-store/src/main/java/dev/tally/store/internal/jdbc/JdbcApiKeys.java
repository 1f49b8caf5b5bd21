package dev.tally.store.internal.jdbc;

import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.store.ApiKeyRow;
import dev.tally.core.store.ApiKeyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code api_keys} table (migration V4): keys by the SHA-256 of their secret. Thread-safe. */
final class JdbcApiKeys implements ApiKeyStore {
    private static final String COLUMNS = "id, name, role, created_at, revoked_at";
    private final DataSource dataSource;
    private final Dialect dialect;
    private final JdbcLedgerStore store;

    JdbcApiKeys(DataSource dataSource, Dialect dialect, JdbcLedgerStore store) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.store = store;
    }

    @Override
    public boolean insert(ApiKeyRow key, String secretHash) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO api_keys (" + COLUMNS + ", key_hash) VALUES (?, ?, ?, ?, NULL, ?)")) {
            dialect.setUuid(ps, 1, key.id());
            ps.setString(2, key.name());
            ps.setString(3, key.role());
            ps.setLong(4, CanonicalEncoding.epochMicros(key.createdAt()));
            ps.setString(5, secretHash);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (dialect.isUniqueViolation(e)) {
                return false;
            }
            throw new StoreException("cannot store the API key: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<ApiKeyRow> findLiveByHash(String secretHash) {
        return query("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL", secretHash)
                .stream()
                .findFirst();
    }

    @Override
    public Optional<ApiKeyRow> findLiveByName(String name) {
        return query("SELECT " + COLUMNS + " FROM api_keys WHERE name = ? AND revoked_at IS NULL", name).stream()
                .findFirst();
    }

    @Override
    public List<ApiKeyRow> list() {
        return query("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, name");
    }

    @Override
    public Revocation revoke(String name, Instant at) {
        try (Connection c = dataSource.getConnection()) {
            return revoke(c, name, at) ? Revocation.REVOKED : Revocation.NO_LIVE_KEY;
        } catch (SQLException e) {
            throw new StoreException("cannot revoke the API key: " + e.getMessage(), e);
        }
    }

    /**
     * One transaction that first locks every live key of the guarded role, then decides and revokes. On
     * PostgreSQL the rows are locked FOR UPDATE in id order (a second revocation waits, then sees the first
     * one's result); on SQLite the transaction begins IMMEDIATE (the store's connections are configured so),
     * which takes the database's write lock before the first read.
     */
    @Override
    public Revocation revokeUnlessLast(String name, String guardedRole, Instant at) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Revocation r = revokeUnlessLast(c, name, guardedRole, at);
                if (r == Revocation.REVOKED) {
                    c.commit();
                } else {
                    c.rollback();
                }
                return r;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot revoke the API key: " + e.getMessage(), e);
        }
    }

    private Revocation revokeUnlessLast(Connection c, String name, String guardedRole, Instant at) throws SQLException {
        String lock = dialect == Dialect.POSTGRES ? " FOR UPDATE" : "";
        List<String> guarded = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name FROM api_keys WHERE role = ? AND revoked_at IS NULL ORDER BY id" + lock)) {
            ps.setString(1, guardedRole);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    guarded.add(rs.getString(1));
                }
            }
        }
        if (guarded.contains(name) && guarded.size() <= 1) {
            return Revocation.LAST_OF_ROLE;
        }
        return revoke(c, name, at) ? Revocation.REVOKED : Revocation.NO_LIVE_KEY;
    }

    private static boolean revoke(Connection c, String name, Instant at) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")) {
            ps.setLong(1, CanonicalEncoding.epochMicros(at));
            ps.setString(2, name);
            return ps.executeUpdate() > 0;
        }
    }

    private List<ApiKeyRow> query(String sql, String... params) {
        List<ApiKeyRow> keys = new ArrayList<>();
        store.query(
                sql,
                ps -> {
                    for (int i = 0; i < params.length; i++) {
                        ps.setString(i + 1, params[i]);
                    }
                },
                rs -> {
                    long revoked = rs.getLong(5);
                    Optional<Instant> revokedAt =
                            rs.wasNull() ? Optional.empty() : Optional.of(CanonicalEncoding.fromEpochMicros(revoked));
                    keys.add(new ApiKeyRow(
                            dialect.getUuid(rs, 1),
                            rs.getString(2),
                            rs.getString(3),
                            CanonicalEncoding.fromEpochMicros(rs.getLong(4)),
                            revokedAt));
                });
        return keys;
    }
}
