package dev.tally.store.jdbc;

import dev.tally.core.audit.ChainVerifier;
import dev.tally.core.audit.Link;
import dev.tally.core.audit.RawEntry;
import dev.tally.core.audit.StoredRow;
import dev.tally.core.error.StoreException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.sqlite.core.Codes;
import org.sqlite.core.CoreStatement;

/**
 * Reads the journal for the auditors: fast raw scans for chain verification, full rows for the rest.
 *
 * <p>The fast scan avoids the per-column cost that dominates reading a million rows through JDBC (each
 * SQLite column read is a JNI call, each PostgreSQL one a String). On <b>SQLite</b> one statement returns
 * per row five integers, a bit mask of which columns are NULL and which hashes are 32 bytes, and one blob
 * that joins every non-NULL text column and both hashes with NUL separators; the scanner splits it and
 * accepts it only if there are exactly as many separators as the mask says before the two hashes, so a NUL
 * inside a text cannot shift a field into its neighbour unseen; it steps the statement through sqlite-jdbc's own statement
 * API, under JDBC's per-column wrappers. On <b>PostgreSQL</b> it runs {@code COPY (SELECT ...) TO
 * STDOUT (FORMAT binary)}: length-prefixed binary fields, no text parsing at all. Either way the fields are
 * handed to a {@link RawEntry} as slices of the driver's bytes, and {@link ChainVerifier#tryAccept} hashes
 * them. Any row the fast way cannot vouch for is read again in full ({@link Rows#readEntry}, the store's one
 * authoritative reading) and diagnosed, so the fast way decides nothing the full check would decide
 * differently.
 *
 * <p>Ranges are read in slices of {@value #SLICE} rows, each one statement, after which the slice's
 * suspects are diagnosed on the same connection: memory stays flat whatever the ledger's size or damage.
 * Thread-safe; each call uses one pooled connection.
 */
public final class ChainScanner {
    /** Rows per statement: bounds the suspects held, and lets PostgreSQL diagnose between COPYs. */
    static final int SLICE = 65_536;
    private static final int PROGRESS_EVERY = 4096;
    private static final int IN_CHUNK = 500;
    /** How many columns {@link Rows#ENTRY_COLUMNS} names. */
    private static final int ENTRY_COLUMN_COUNT = 18;
    private static final String EXTENT = "SELECT (SELECT seq FROM chain_head WHERE id = 1), (SELECT hash FROM chain_head WHERE id = 1), "
            + "(SELECT min(seq) FROM ledger_entries), (SELECT max(seq) FROM ledger_entries)";
    private static final String LINK_COLUMNS = "seq, transaction_id, current_hash, created_at";
    /**
     * One row per entry: seq, the three amounts, created_at, the NULL/length mask (bits: previous hash is
     * 32 bytes, current hash is 32 bytes, then NULL sender, receiver, actor, ip, agent, reverses), and the
     * texts and hashes in one blob. concat_ws() builds the blob in one allocation (a chain of || costs one
     * per operand) and leaves out NULL arguments: the mask says which optional ones those are. A required
     * column that is NULL all the same (an altered schema) becomes the byte FF, which is not UTF-8, so the
     * split refuses the row rather than count one field less.
     */
    private static final String SQLITE_SCAN = "SELECT seq, amount_gross, tax_withheld, amount_net, created_at, "
            + "(octet_length(previous_hash) = 32) + 2 * (octet_length(current_hash) = 32) + 4 * (sender_id IS NULL) "
            + "+ 8 * (receiver_id IS NULL) + 16 * (actor IS NULL) + 32 * (ip_address IS NULL) + 64 * (user_agent IS NULL) "
            + "+ 128 * (reverses_transaction_id IS NULL), "
            + "concat_ws(x'00', coalesce(transaction_id, x'ff'), coalesce(type, x'ff'), coalesce(status, x'ff'), sender_id, receiver_id, "
            + "coalesce(currency, x'ff'), coalesce(tax_kind, x'ff'), actor, ip_address, user_agent, reverses_transaction_id, "
            + "previous_hash, current_hash) "
            + "FROM ledger_entries ";
    private static final int SQLITE_TEXTS = 11;
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** The mask bits of the columns that may be NULL. */
    private static final int NULLABLE = 0xfc;
    /** Per text of the blob, its NULL bit in the mask (0: never NULL). */
    private static final int[] SQLITE_NULL_BIT = {0, 0, 0, 4, 8, 0, 0, 16, 32, 64, 128};
    private static final RawEntry.Text[] SQLITE_TEXT_ORDER = {
        RawEntry.Text.TRANSACTION_ID, RawEntry.Text.TYPE, RawEntry.Text.STATUS, null, null, RawEntry.Text.CURRENCY,
        RawEntry.Text.TAX_KIND, RawEntry.Text.ACTOR, RawEntry.Text.IP_ADDRESS, RawEntry.Text.USER_AGENT, RawEntry.Text.REVERSES,
    };

    private final DataSource dataSource;
    private final Dialect dialect;
    private final int slice;

    public ChainScanner(JdbcLedgerStore store) {
        this(store, SLICE);
    }

    /** A scanner reading {@code slice} rows per statement (tests use small slices to cross their edges). */
    ChainScanner(JdbcLedgerStore store, int slice) {
        this.dataSource = store.dataSource();
        this.dialect = store.dialect();
        this.slice = slice;
    }

    /**
     * The recorded chain head and the stored rows' first and last positions, read in one statement so that
     * they agree even while a writer appends.
     *
     * @param head the chain head row as a link (no id), empty when the row is gone
     */
    public record Extent(Optional<Link> head, OptionalLong minSeq, OptionalLong maxSeq) {
    }

    public Extent extent() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(EXTENT); ResultSet rs = ps.executeQuery()) {
            rs.next();
            long headSeq = rs.getLong(1);
            Optional<Link> head = rs.wasNull() ? Optional.empty()
                    : Optional.of(new Link(headSeq, Optional.empty(), nonNull(rs.getBytes(2)), Long.MIN_VALUE));
            long min = rs.getLong(3);
            OptionalLong minSeq = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(min);
            long max = rs.getLong(4);
            OptionalLong maxSeq = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(max);
            return new Extent(head, minSeq, maxSeq);
        } catch (SQLException e) {
            throw failed("reading the chain's extent", e);
        }
    }

    /** The stored row at {@code seq} as a link, whatever it holds. */
    public Optional<Link> linkAt(long seq) {
        return link("SELECT " + LINK_COLUMNS + " FROM ledger_entries WHERE seq = ?", seq);
    }

    /** The newest stored row with {@code floor <= seq < before}, as a link: the predecessor of a range. */
    public Optional<Link> linkBefore(long before, long floor) {
        return link("SELECT " + LINK_COLUMNS + " FROM ledger_entries WHERE seq < ? AND seq >= ? ORDER BY seq DESC LIMIT 1", before, floor);
    }

    private Optional<Link> link(String sql, long... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setLong(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readLink(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed("reading entry links", e);
        }
    }

    private static Link readLink(ResultSet rs) throws SQLException {
        return new Link(rs.getLong(1), Optional.ofNullable(rs.getString(2)), nonNull(rs.getBytes(3)), rs.getLong(4));
    }

    /** The row at {@code seq} read in full, or why it cannot be. */
    public Optional<StoredRow> row(long seq) {
        try (Connection c = dataSource.getConnection()) {
            return Optional.ofNullable(readRows(c, List.of(seq)).get(seq));
        } catch (SQLException e) {
            throw failed("reading an entry", e);
        }
    }

    // ---- the fast scan --------------------------------------------------------------------------

    /**
     * Verifies the stored rows with {@code from <= seq <= to}, in order, with {@code verifier}, which must
     * start from the row before {@code from}; every suspect is diagnosed before this returns. Reports each
     * few thousand rows to {@code rowsDone}.
     */
    public void scan(long from, long to, ChainVerifier verifier, LongConsumer rowsDone) {
        try (Connection c = dataSource.getConnection()) {
            // Slices of SLICE rows, not positions: forged rows may sit anywhere in the range of a long.
            long lo = from;
            while (lo <= to) {
                Slice slice = dialect == Dialect.POSTGRES ? scanPostgres(c, lo, to, verifier, rowsDone)
                        : scanSqlite(c, lo, to, verifier, rowsDone);
                diagnose(c, verifier);
                if (slice.rows() < this.slice || slice.lastSeq() == Long.MAX_VALUE) {
                    break;
                }
                lo = slice.lastSeq() + 1;
            }
        } catch (SQLException e) {
            throw failed("verifying entries " + from + " to " + to, e);
        }
    }

    /** What one statement read: how many rows, and the position of the last. */
    private record Slice(long rows, long lastSeq) {
    }

    /** The WHERE, ORDER and LIMIT of a slice; the bounds are longs, so putting them in the text is safe. */
    private String slice(long lo, long hi) {
        return "WHERE seq >= " + lo + " AND seq <= " + hi + " ORDER BY seq LIMIT " + slice;
    }

    private Slice scanSqlite(Connection c, long lo, long hi, ChainVerifier verifier, LongConsumer rowsDone) throws SQLException {
        SqliteRows rows = new SqliteRows(c, verifier, rowsDone);
        // No parameters (see slice()): sqlite-jdbc binds them only on its own execute, which the loop below skips.
        try (PreparedStatement ps = c.prepareStatement(SQLITE_SCAN + slice(lo, hi))) {
            CoreStatement core = ps.isWrapperFor(CoreStatement.class) ? ps.unwrap(CoreStatement.class) : null;
            if (core != null) {
                // sqlite-jdbc's own statement API: the JDBC result set wraps every column read in checks and a
                // lambda, which costs more than the read itself at a million rows a second. Same calls below it.
                core.pointer.safeRunConsume((db, stmt) -> {
                    int rc;
                    while ((rc = db.step(stmt)) == Codes.SQLITE_ROW) {
                        rows.accept(db.column_long(stmt, 0), db.column_long(stmt, 1), db.column_long(stmt, 2), db.column_long(stmt, 3),
                                db.column_long(stmt, 4), db.column_int(stmt, 5), db.column_blob(stmt, 6));
                    }
                    if (rc != Codes.SQLITE_DONE) {
                        db.throwex(rc);
                    }
                });
            } else {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.accept(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getInt(6), rs.getBytes(7));
                    }
                }
            }
        }
        return rows.done();
    }

    /** Turns the rows of {@link #SQLITE_SCAN} into raw entries for the verifier. */
    private static final class SqliteRows {
        private final Connection connection;
        private final ChainVerifier verifier;
        private final LongConsumer rowsDone;
        private final RawEntry raw = new RawEntry();
        private final int[] starts = new int[SQLITE_TEXTS];
        private final int[] lens = new int[SQLITE_TEXTS];
        private long pending;
        private long count;
        private long lastSeq;

        SqliteRows(Connection connection, ChainVerifier verifier, LongConsumer rowsDone) {
            this.connection = connection;
            this.verifier = verifier;
            this.rowsDone = rowsDone;
        }

        void accept(long seq, long gross, long tax, long net, long createdAt, int mask, byte[] blob) throws SQLException {
            raw.begin(seq, blob).amounts(gross, tax, net).createdAtMicros(createdAt);
            if (blob == null || (mask & 3) != 3 || !splitSqlite(blob, SQLITE_TEXTS - Integer.bitCount(mask & NULLABLE), starts, lens)) {
                // Cannot take it apart: give the verifier its link fields, and the full check the rest.
                sideLink(connection, seq, raw);
            } else {
                fillSqlite(raw, blob, mask, starts, lens);
            }
            verifier.tryAccept(raw);
            count++;
            lastSeq = seq;
            if (++pending == PROGRESS_EVERY) {
                rowsDone.accept(pending);
                pending = 0;
            }
        }

        Slice done() {
            rowsDone.accept(pending);
            pending = 0;
            return new Slice(count, lastSeq);
        }
    }

    /**
     * Finds the {@code texts} texts of a scan blob, which ends with the two 32-byte hashes: each text ends at
     * a NUL, the last NUL right before the hashes, another between them. False when the blob does not split
     * exactly so (a NUL inside a text shifts the count), or when its bytes would not read back the same
     * through a Java String (not well-formed UTF-8), since the full reading decodes. Reads eight bytes at a
     * time: this runs a million times a second.
     */
    static boolean splitSqlite(byte[] b, int texts, int[] starts, int[] lens) {
        int end = b.length - 65;
        if (end < texts || b[b.length - 33] != 0) {
            return false;
        }
        int found = 0;
        int start = 0;
        long high = 0;
        int i = 0;
        for (; i + 8 <= end; i += 8) {
            long x = (long) WORD.get(b, i);
            high |= x;
            // Exact zero-byte test: the high bit of each byte of z is set iff that byte of x is 0.
            long z = ~(((x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | x | 0x7F7F7F7F7F7F7F7FL);
            while (z != 0) {
                if (found == texts) {
                    return false;
                }
                int at = i + (Long.numberOfTrailingZeros(z) >>> 3);
                starts[found] = start;
                lens[found++] = at - start;
                start = at + 1;
                z &= z - 1;
            }
        }
        for (; i < end; i++) {
            high |= b[i] & 0xff;
            if (b[i] == 0) {
                if (found == texts) {
                    return false;
                }
                starts[found] = start;
                lens[found++] = i - start;
                start = i + 1;
            }
        }
        if (found != texts || start != end) {
            return false;
        }
        // A byte >= 0x80 is not ASCII: then check that UTF-8 decoding gives the same bytes back.
        return (high & 0x8080808080808080L) == 0
                || Arrays.equals(new String(b, 0, end, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8), 0, end, b, 0, end);
    }

    /** Hands the split texts to the raw entry, the optional ones the mask says are NULL as absent. */
    private static void fillSqlite(RawEntry raw, byte[] b, int mask, int[] starts, int[] lens) {
        int t = 0;
        for (int f = 0; f < SQLITE_TEXTS; f++) {
            int nullBit = SQLITE_NULL_BIT[f];
            boolean isNull = (mask & nullBit) != 0;
            RawEntry.Text text = SQLITE_TEXT_ORDER[f];
            if (text == null) {
                RawEntry.Party party = f == 3 ? RawEntry.Party.SENDER : RawEntry.Party.RECEIVER;
                if (isNull) {
                    raw.noParty(party);
                } else {
                    raw.uuidText(party, starts[t], lens[t++]);
                }
            } else if (isNull) {
                raw.absent(text);
            } else {
                raw.text(text, starts[t], lens[t++]);
            }
        }
        raw.previousHash(b.length - 65, 32).currentHash(b.length - 32, 32);
    }

    private static void sideLink(Connection c, long seq, RawEntry raw) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + LINK_COLUMNS + " FROM ledger_entries WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    raw.begin(seq, new byte[0]);
                } else {
                    // One array for the row, as the raw entry wants: the id's bytes, then the hash's.
                    byte[] id = nonNull(rs.getBytes(2));
                    byte[] hash = rs.getBytes(3);
                    byte[] data = Arrays.copyOf(id, id.length + (hash == null ? 0 : hash.length));
                    raw.begin(seq, data);
                    if (rs.getString(2) != null) {
                        raw.text(RawEntry.Text.TRANSACTION_ID, 0, id.length);
                    }
                    if (hash != null) {
                        System.arraycopy(hash, 0, data, id.length, hash.length);
                        raw.currentHash(id.length, hash.length);
                    }
                    raw.createdAtMicros(rs.getLong(4));
                }
            }
        }
        raw.unreadable();
    }

    private Slice scanPostgres(Connection c, long lo, long hi, ChainVerifier verifier, LongConsumer rowsDone) throws SQLException {
        // COPY takes no parameters: the bounds go into the text (see slice()).
        String sql = "COPY (SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries " + slice(lo, hi) + ") TO STDOUT (FORMAT binary)";
        CopyOut copy = c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
        try {
            BinaryCopyReader in = new BinaryCopyReader(copy);
            RawEntry raw = new RawEntry();
            long pending = 0;
            long count = 0;
            while (in.nextTuple(ENTRY_COLUMN_COUNT)) {
                fillPostgres(in, raw);
                verifier.tryAccept(raw);
                count++;
                if (++pending == PROGRESS_EVERY) {
                    rowsDone.accept(pending);
                    pending = 0;
                }
            }
            rowsDone.accept(pending);
            return new Slice(count, raw.seq());
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static final RawEntry.Text[] PG_TEXTS = new RawEntry.Text[ENTRY_COLUMN_COUNT];

    static {
        PG_TEXTS[1] = RawEntry.Text.TRANSACTION_ID;
        PG_TEXTS[2] = RawEntry.Text.TYPE;
        PG_TEXTS[3] = RawEntry.Text.STATUS;
        PG_TEXTS[6] = RawEntry.Text.CURRENCY;
        PG_TEXTS[10] = RawEntry.Text.TAX_KIND;
        PG_TEXTS[12] = RawEntry.Text.ACTOR;
        PG_TEXTS[13] = RawEntry.Text.IP_ADDRESS;
        PG_TEXTS[14] = RawEntry.Text.USER_AGENT;
        PG_TEXTS[15] = RawEntry.Text.REVERSES;
    }

    /** Maps one binary COPY tuple (columns in {@link Rows#ENTRY_COLUMNS} order) onto the raw entry. */
    private static void fillPostgres(BinaryCopyReader in, RawEntry raw) throws SQLException {
        byte[] b = in.buffer();
        if (in.length(0) != 8) {
            throw new SQLException("a ledger row's seq is not a bigint: the schema was altered");
        }
        raw.begin(in.int8(0), b);
        boolean readable = true;
        for (int col = 1; col < ENTRY_COLUMN_COUNT; col++) {
            int len = in.length(col);
            int off = in.offset(col);
            RawEntry.Text text = PG_TEXTS[col];
            if (text != null) {
                if (len < 0) {
                    raw.absent(text);
                } else {
                    raw.text(text, off, len);
                }
                continue;
            }
            switch (col) {
                case 4, 5 -> {
                    RawEntry.Party party = col == 4 ? RawEntry.Party.SENDER : RawEntry.Party.RECEIVER;
                    if (len < 0) {
                        raw.noParty(party);
                    } else if (len == 16) {
                        raw.uuid(party, off);
                    } else {
                        readable = false;
                    }
                }
                case 7, 8, 9, 11 -> readable &= len == 8;
                case 16 -> raw.previousHash(off, len);
                case 17 -> raw.currentHash(off, len);
                default -> throw new AssertionError("unmapped ledger column " + col);
            }
        }
        raw.amounts(in.int8Or0(7), in.int8Or0(8), in.int8Or0(9));
        raw.createdAtMicros(in.length(11) == 8 ? in.int8(11) : Long.MIN_VALUE);
        if (!readable) {
            raw.unreadable();
        }
    }

    // ---- full rows ------------------------------------------------------------------------------

    /** Reads every suspect of the verifier in full and diagnoses it. */
    private void diagnose(Connection c, ChainVerifier verifier) throws SQLException {
        List<ChainVerifier.Suspect> suspects = verifier.takeSuspects();
        for (int from = 0; from < suspects.size(); from += IN_CHUNK) {
            List<ChainVerifier.Suspect> chunk = suspects.subList(from, Math.min(suspects.size(), from + IN_CHUNK));
            Map<Long, StoredRow> rows = readRows(c, chunk.stream().map(ChainVerifier.Suspect::seq).toList());
            for (ChainVerifier.Suspect s : chunk) {
                StoredRow row = rows.get(s.seq());
                verifier.diagnose(s, row != null ? row
                        : new StoredRow.Malformed(s.seq(), Optional.empty(), "the row disappeared while it was being verified"));
            }
        }
    }

    private Map<Long, StoredRow> readRows(Connection c, List<Long> seqs) throws SQLException {
        Map<Long, StoredRow> found = new HashMap<>();
        String marks = String.join(", ", java.util.Collections.nCopies(seqs.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries WHERE seq IN (" + marks + ")")) {
            for (int i = 0; i < seqs.size(); i++) {
                ps.setLong(i + 1, seqs.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StoredRow row = readRow(rs);
                    found.put(row.seq(), row);
                }
            }
        }
        return found;
    }

    /** The row under the cursor as the store reads it, or why it does not read as an entry. */
    private StoredRow readRow(ResultSet rs) throws SQLException {
        try {
            return new StoredRow.Readable(Rows.readEntry(dialect, rs));
        } catch (MalformedRowException e) {
            // The exception's message repeats the seq and id the finding already names; keep the reason.
            String message = e.getMessage();
            int reason = message.indexOf("is malformed: ");
            return new StoredRow.Malformed(e.seq(), Optional.ofNullable(rs.getString(2)),
                    reason < 0 ? message : message.substring(reason + "is malformed: ".length()));
        } catch (SQLException badValue) {
            // A value the driver cannot convert (a column whose type was altered): damage, not an outage.
            return new StoredRow.Malformed(rs.getLong(1), Optional.ofNullable(rs.getString(2)), String.valueOf(badValue.getMessage()));
        }
    }

    /**
     * Hands every stored row with {@code from <= seq <= to} to {@code sink}, in order, read in full;
     * rows that do not read as entries come as {@link StoredRow.Malformed} instead of failing the stream.
     */
    public void stream(long from, long to, Consumer<StoredRow> sink) {
        try (Connection c = dataSource.getConnection()) {
            // A cursor on PostgreSQL needs a transaction; SQLite must not open one (ours are IMMEDIATE: they lock writers).
            boolean cursor = dialect == Dialect.POSTGRES;
            if (cursor) {
                c.setAutoCommit(false);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.ENTRY_COLUMNS
                    + " FROM ledger_entries WHERE seq >= ? AND seq <= ? ORDER BY seq")) {
                ps.setFetchSize(4096);
                ps.setLong(1, from);
                ps.setLong(2, to);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(readRow(rs));
                    }
                }
            } finally {
                if (cursor) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw failed("reading entries " + from + " to " + to, e);
        }
    }

    // ---- the stored state, for reconciliation ---------------------------------------------------

    /** Receives the stored state row by row. */
    public interface StateSink {
        void head(long seq);

        void balance(java.util.UUID account, String currency, long amount);

        void treasuryTotal(String currency, String taxKind, long amount);

        void supply(String currency, long minted, long burned);
    }

    /**
     * Reads the chain head, every balance, every treasury total and every supply row in one statement, so
     * that they are one consistent snapshot even while a writer commits.
     */
    public void readState(StateSink sink) {
        String sql = "SELECT 'H', CAST(NULL AS TEXT), CAST(NULL AS TEXT), seq, CAST(NULL AS BIGINT) FROM chain_head WHERE id = 1 "
                + "UNION ALL SELECT 'B', CAST(account_id AS TEXT), currency, amount, CAST(NULL AS BIGINT) FROM balances "
                + "UNION ALL SELECT 'T', currency, tax_kind, amount, CAST(NULL AS BIGINT) FROM treasury_totals "
                + "UNION ALL SELECT 'S', currency, CAST(NULL AS TEXT), minted, burned FROM currency_supply";
        try (Connection c = dataSource.getConnection()) {
            boolean cursor = dialect == Dialect.POSTGRES;
            if (cursor) {
                c.setAutoCommit(false);
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(4096);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        switch (rs.getString(1)) {
                            case "H" -> sink.head(rs.getLong(4));
                            case "B" -> sink.balance(java.util.UUID.fromString(rs.getString(2)), rs.getString(3), rs.getLong(4));
                            case "T" -> sink.treasuryTotal(rs.getString(2), rs.getString(3), rs.getLong(4));
                            default -> sink.supply(rs.getString(2), rs.getLong(4), rs.getLong(5));
                        }
                    }
                }
            } finally {
                if (cursor) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw failed("reading the stored state", e);
        }
    }

    private static byte[] nonNull(byte[] b) {
        return b == null ? new byte[0] : b;
    }

    private static StoreException failed(String what, SQLException e) {
        return new StoreException(what + " failed: " + e.getMessage(), e);
    }
}
