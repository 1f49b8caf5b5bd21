package dev.tally.store.internal.jdbc;

import dev.tally.core.account.Account;
import dev.tally.core.account.AccountLimits;
import dev.tally.core.account.Role;
import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.ledger.EntryField;
import dev.tally.core.ledger.EntryStatus;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.Metadata;
import dev.tally.core.ledger.TaxKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Maps entries and accounts to and from rows, with the column order of the SQL constants here. Public only
 * for {@link #insertEntry}: the bench's seed-style baseline writes its entries with the store's own mapping.
 */
public final class Rows {
    static final String ENTRY_COLUMNS = EntryField.columnList();
    /**
     * PostgreSQL: the entry columns of {@code ledger_entries e} joined to its {@code ledger_entry_keys k}, on the
     * partition key too, so that a lookup by id or seq reads the one partition that holds the entry.
     */
    static final String KEYED_ENTRY_SELECT = "SELECT "
            + EntryField.all().stream().map(f -> "e." + f.wire()).collect(Collectors.joining(", "))
            + " FROM ledger_entry_keys k JOIN ledger_entries e ON e.seq = k.seq AND e.created_at = k.created_at";

    static final String INSERT_ENTRY = "INSERT INTO ledger_entries (" + ENTRY_COLUMNS + ") VALUES ("
            + String.join(", ", Collections.nCopies(EntryField.count(), "?")) + ")";
    /**
     * PostgreSQL: a whole batch of entries in one statement, one array per column. One statement instead of
     * one per 128 rows means one plan and one executor run for the batch; the rows are the same.
     */
    static final String INSERT_ENTRIES_UNNEST = "INSERT INTO ledger_entries (" + ENTRY_COLUMNS
            + ") SELECT * FROM unnest("
            + EntryField.all().stream().map(f -> "?::" + postgresType(f) + "[]").collect(Collectors.joining(", "))
            + ")";

    /**
     * PostgreSQL: the global keys of a batch of entries (see migration V8): the unpartitioned table whose unique
     * indexes guard transaction ids, seqs and reversals across every monthly partition.
     */
    static final String INSERT_KEYS_UNNEST =
            "INSERT INTO ledger_entry_keys (seq, transaction_id, created_at, reverses_transaction_id) "
                    + "SELECT * FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::text[])";

    static final String ACCOUNT_COLUMNS = "id, username, email, role, is_frozen_for_fraud, frozen_reason, frozen_at, "
            + "created_at, updated_at, version, account_limits";

    private Rows() {}

    /** Inserts one entry row, outside any store logic (no chain head, no balances): for the bench's baseline. */
    public static void insertEntry(Connection c, Dialect d, LedgerEntry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_ENTRY)) {
            bindEntry(d, ps, e);
            ps.executeUpdate();
        }
    }

    static void bindEntry(Dialect d, PreparedStatement ps, LedgerEntry e) throws SQLException {
        for (EntryField f : EntryField.all()) {
            Optional<Object> value = f.stored(e);
            int col = f.column();
            switch (f.kind()) {
                case INT64, AMOUNT, TIME -> ps.setLong(col, (Long) value.orElseThrow());
                case TEXT -> setOptional(ps, col, value.map(String.class::cast));
                case UUID -> d.setOptionalUuid(ps, col, value.map(UUID.class::cast));
                case HASH -> ps.setBytes(col, (byte[]) value.orElseThrow());
            }
        }
    }

    /** Binds the column arrays of {@link #INSERT_ENTRIES_UNNEST}, in the column order of {@link #bindEntry}. */
    static void bindEntryArrays(Connection c, PreparedStatement ps, List<LedgerEntry> entries) throws SQLException {
        bindEntryArrays(c, ps, 1, entries);
    }

    /** The same, the first array at parameter {@code first} (inside a {@link StatementChain}). */
    static void bindEntryArrays(Connection c, PreparedStatement ps, int first, List<LedgerEntry> entries)
            throws SQLException {
        int n = entries.size();
        Object[][] columns = new Object[EntryField.count()][];
        for (EntryField f : EntryField.all()) {
            columns[f.ordinal()] = switch (f.kind()) {
                case INT64, AMOUNT, TIME -> new Long[n];
                case TEXT -> new String[n];
                case UUID -> new UUID[n];
                case HASH -> new byte[n][];
            };
        }
        for (int i = 0; i < n; i++) {
            LedgerEntry e = entries.get(i);
            for (EntryField f : EntryField.all()) {
                columns[f.ordinal()][i] = f.stored(e).orElse(null);
            }
        }
        for (EntryField f : EntryField.all()) {
            ps.setArray(first - 1 + f.column(), c.createArrayOf(postgresArrayType(f), columns[f.ordinal()]));
        }
    }

    /** PostgreSQL: inserts the entries' rows of {@code ledger_entry_keys}; a taken id or seq is a 23505. */
    static void insertKeys(Connection c, List<LedgerEntry> entries) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_KEYS_UNNEST)) {
            bindKeyArrays(c, ps, 1, entries);
            ps.executeUpdate();
        }
    }

    /** Binds the four arrays of {@link #INSERT_KEYS_UNNEST}, the first at parameter {@code first}. */
    static void bindKeyArrays(Connection c, PreparedStatement ps, int first, List<LedgerEntry> entries)
            throws SQLException {
        int n = entries.size();
        Long[] seqs = new Long[n];
        String[] ids = new String[n];
        Long[] times = new Long[n];
        String[] reverses = new String[n];
        for (int i = 0; i < n; i++) {
            LedgerEntry e = entries.get(i);
            seqs[i] = e.seq();
            ids[i] = e.transactionId();
            times[i] = CanonicalEncoding.epochMicros(e.createdAt());
            reverses[i] = e.reverses().orElse(null);
        }
        ps.setArray(first, c.createArrayOf("int8", seqs));
        ps.setArray(first + 1, c.createArrayOf("text", ids));
        ps.setArray(first + 2, c.createArrayOf("int8", times));
        ps.setArray(first + 3, c.createArrayOf("text", reverses));
    }

    /** The PostgreSQL column type of a field. */
    private static String postgresType(EntryField f) {
        return switch (f.kind()) {
            case INT64, AMOUNT, TIME -> "bigint";
            case TEXT -> "text";
            case UUID -> "uuid";
            case HASH -> "bytea";
        };
    }

    /** The element type name the PostgreSQL driver wants for an array of a field's values. */
    private static String postgresArrayType(EntryField f) {
        return f.kind() == EntryField.Kind.INT64
                        || f.kind() == EntryField.Kind.AMOUNT
                        || f.kind() == EntryField.Kind.TIME
                ? "int8"
                : postgresType(f);
    }

    /**
     * Reads an entry as stored, without checking it: the verifier must see tampered rows as they are.
     * Values a tamperer could make unreadable (an unknown type name, a short hash) throw
     * {@link MalformedRowException} so the verifier can report them.
     */
    static LedgerEntry readEntry(Dialect d, ResultSet rs) throws SQLException {
        long seq = rs.getLong(EntryField.SEQ.column());
        try {
            return new LedgerEntry(
                    seq,
                    rs.getString(EntryField.TRANSACTION_ID.column()),
                    EntryType.valueOf(rs.getString(EntryField.TYPE.column())),
                    EntryStatus.valueOf(rs.getString(EntryField.STATUS.column())),
                    d.getOptionalUuid(rs, EntryField.SENDER_ID.column()),
                    d.getOptionalUuid(rs, EntryField.RECEIVER_ID.column()),
                    rs.getString(EntryField.CURRENCY.column()),
                    rs.getLong(EntryField.AMOUNT_GROSS.column()),
                    rs.getLong(EntryField.TAX_WITHHELD.column()),
                    rs.getLong(EntryField.AMOUNT_NET.column()),
                    TaxKind.valueOf(rs.getString(EntryField.TAX_KIND.column())),
                    CanonicalEncoding.fromEpochMicros(rs.getLong(EntryField.CREATED_AT.column())),
                    Optional.ofNullable(rs.getString(EntryField.ACTOR.column())),
                    Optional.ofNullable(rs.getString(EntryField.IP_ADDRESS.column())),
                    Optional.ofNullable(rs.getString(EntryField.USER_AGENT.column())),
                    Optional.ofNullable(rs.getString(EntryField.REVERSES_TRANSACTION_ID.column())),
                    Hash.of(rs.getBytes(EntryField.PREVIOUS_HASH.column())),
                    metadata(rs.getString(EntryField.METADATA.column())),
                    Hash.of(rs.getBytes(EntryField.CURRENT_HASH.column())));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedRowException(
                    seq, rs.getString(EntryField.TRANSACTION_ID.column()), String.valueOf(e.getMessage()));
        }
    }

    /** The metadata of a stored column: NULL is none; anything but a canonical form is a malformed row. */
    private static Metadata metadata(@Nullable String column) {
        return column == null ? Metadata.EMPTY : Metadata.parseCanonical(column);
    }

    static void bindAccountInsert(Dialect d, PreparedStatement ps, Account a) throws SQLException {
        d.setUuid(ps, 1, a.id());
        ps.setString(2, a.username());
        ps.setString(3, a.email());
        ps.setString(4, a.role().name());
        d.setBoolean(ps, 5, a.frozenForFraud());
        setOptional(ps, 6, a.frozenReason());
        setOptionalTime(ps, 7, a.frozenAt());
        ps.setLong(8, CanonicalEncoding.epochMicros(a.createdAt()));
        ps.setLong(9, CanonicalEncoding.epochMicros(a.updatedAt()));
        ps.setLong(10, a.version());
        setOptional(ps, 11, limitsColumn(a));
    }

    /** An account's limits as stored: NULL when it has none, so rows of accounts without limits stay as they were. */
    static Optional<String> limitsColumn(Account a) {
        return a.limits().isEmpty() ? Optional.empty() : Optional.of(a.limits().encode());
    }

    static Account readAccount(Dialect d, ResultSet rs) throws SQLException {
        long frozenAt = rs.getLong(7);
        Optional<Instant> frozenAtValue =
                rs.wasNull() ? Optional.empty() : Optional.of(CanonicalEncoding.fromEpochMicros(frozenAt));
        return new Account(
                d.getUuid(rs, 1),
                rs.getString(2),
                rs.getString(3),
                Role.valueOf(rs.getString(4)),
                rs.getBoolean(5),
                Optional.ofNullable(rs.getString(6)),
                frozenAtValue,
                CanonicalEncoding.fromEpochMicros(rs.getLong(8)),
                CanonicalEncoding.fromEpochMicros(rs.getLong(9)),
                rs.getLong(10),
                AccountLimits.parse(Optional.ofNullable(rs.getString(11))));
    }

    static void setOptional(PreparedStatement ps, int index, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            ps.setString(index, value.get());
        } else {
            ps.setNull(index, Types.VARCHAR);
        }
    }

    static void setOptionalTime(PreparedStatement ps, int index, Optional<Instant> value) throws SQLException {
        if (value.isPresent()) {
            ps.setLong(index, CanonicalEncoding.epochMicros(value.get()));
        } else {
            ps.setNull(index, Types.BIGINT);
        }
    }
}
