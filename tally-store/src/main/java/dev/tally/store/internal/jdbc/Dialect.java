package dev.tally.store.internal.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * The few things SQLite and PostgreSQL spell differently: how a UUID and a boolean are bound and read,
 * which migrations apply, and which SQLSTATEs mean "another writer got there first".
 */
public enum Dialect {
    SQLITE("sqlite") {
        @Override
        public void setUuid(PreparedStatement ps, int index, UUID id) throws SQLException {
            ps.setString(index, id.toString());
        }

        @Override
        void setNullUuid(PreparedStatement ps, int index) throws SQLException {
            ps.setString(index, null);
        }

        @Override
        public UUID getUuid(ResultSet rs, int column) throws SQLException {
            return UUID.fromString(rs.getString(column));
        }

        @Override
        public Optional<UUID> getOptionalUuid(ResultSet rs, int column) throws SQLException {
            String s = rs.getString(column);
            return s == null ? Optional.empty() : Optional.of(UUID.fromString(s));
        }

        @Override
        public void setBoolean(PreparedStatement ps, int index, boolean value) throws SQLException {
            ps.setInt(index, value ? 1 : 0);
        }

        @Override
        public boolean isUniqueViolation(SQLException e) {
            // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555)
            return e.getErrorCode() == 19
                    || e.getErrorCode() == 2067
                    || e.getErrorCode() == 1555
                    || String.valueOf(e.getMessage()).contains("UNIQUE constraint failed");
        }
    },
    POSTGRES("postgres") {
        @Override
        public void setUuid(PreparedStatement ps, int index, UUID id) throws SQLException {
            ps.setObject(index, id);
        }

        @Override
        void setNullUuid(PreparedStatement ps, int index) throws SQLException {
            ps.setObject(index, null);
        }

        @Override
        public UUID getUuid(ResultSet rs, int column) throws SQLException {
            return rs.getObject(column, UUID.class);
        }

        @Override
        public Optional<UUID> getOptionalUuid(ResultSet rs, int column) throws SQLException {
            return Optional.ofNullable(rs.getObject(column, UUID.class));
        }

        @Override
        public void setBoolean(PreparedStatement ps, int index, boolean value) throws SQLException {
            ps.setBoolean(index, value);
        }

        @Override
        public boolean isUniqueViolation(SQLException e) {
            for (SQLException s = e; s != null; s = s.getNextException()) {
                if ("23505".equals(s.getSQLState())
                        || "40001".equals(s.getSQLState())
                        || "40P01".equals(s.getSQLState())) {
                    return true;
                }
            }
            return false;
        }
    };

    private final String migrations;

    Dialect(String migrations) {
        this.migrations = migrations;
    }

    /** The Flyway location of this dialect's migrations. */
    public String migrationLocation() {
        return "classpath:db/migration/" + migrations;
    }

    public abstract void setUuid(PreparedStatement ps, int index, UUID id) throws SQLException;

    /** Binds an id that may be absent (an entry's sender or receiver): SQL NULL when empty. */
    public void setOptionalUuid(PreparedStatement ps, int index, Optional<UUID> id) throws SQLException {
        if (id.isPresent()) {
            setUuid(ps, index, id.get());
        } else {
            setNullUuid(ps, index);
        }
    }

    abstract void setNullUuid(PreparedStatement ps, int index) throws SQLException;

    /** Reads a NOT NULL id column. */
    public abstract UUID getUuid(ResultSet rs, int column) throws SQLException;

    /** Reads an id column that may be SQL NULL. */
    public abstract Optional<UUID> getOptionalUuid(ResultSet rs, int column) throws SQLException;

    public abstract void setBoolean(PreparedStatement ps, int index, boolean value) throws SQLException;

    /** Whether the failure means a concurrent writer inserted or serialized first: a conflict to retry. */
    public abstract boolean isUniqueViolation(SQLException e);
}
