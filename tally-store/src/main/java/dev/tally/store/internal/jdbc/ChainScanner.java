package dev.tally.store.internal.jdbc;

import dev.tally.core.audit.ChainVerifier;
import dev.tally.core.audit.Link;
import dev.tally.core.audit.RawEntry;
import dev.tally.core.audit.StoredRow;
import dev.tally.core.error.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

/**
 * Reads the journal for the auditors: fast raw scans for chain verification, full rows for the rest.
 *
 * <p>The fast scan avoids the per-column cost that dominates reading a million rows through JDBC; each
 * dialect has its own {@link EntryScanner} ({@link SqliteEntryScanner}, {@link PostgresEntryScanner}) that
 * hands the fields to a {@link RawEntry} as slices of the driver's bytes, and {@link ChainVerifier#tryAccept}
 * hashes them. Any row the fast way cannot vouch for is read again in full ({@link Rows#readEntry}, the
 * store's one authoritative reading) and diagnosed, so the fast way decides nothing the full check would
 * decide differently.
 *
 * <p>Ranges are read in slices of {@value #SLICE} rows, each one statement, after which the slice's
 * suspects are diagnosed on the same connection: memory stays flat whatever the ledger's size or damage.
 * Thread-safe; each call uses one pooled connection.
 */
public final class ChainScanner {
    /** Rows per statement: bounds the suspects held, and lets PostgreSQL diagnose between COPYs. */
    static final int SLICE = 65_536;

    private static final int IN_CHUNK = 500;
    private static final String EXTENT =
            "SELECT (SELECT seq FROM chain_head WHERE id = 1), (SELECT hash FROM chain_head WHERE id = 1), "
                    + "(SELECT min(seq) FROM ledger_entries), (SELECT max(seq) FROM ledger_entries)";
    static final String LINK_COLUMNS = "seq, transaction_id, current_hash, created_at";
    private final DataSource dataSource;
    private final Dialect dialect;
    private final EntryScanner fast;
    private final int slice;

    public ChainScanner(JdbcLedgerStore store) {
        this(store, SLICE);
    }

    /** A scanner reading {@code slice} rows per statement (tests use small slices to cross their edges). */
    ChainScanner(JdbcLedgerStore store, int slice) {
        this.dataSource = store.dataSource();
        this.dialect = store.dialect();
        this.fast = EntryScanner.of(dialect);
        this.slice = slice;
    }

    /**
     * The recorded chain head and the stored rows' first and last positions, read in one statement so that
     * they agree even while a writer appends.
     *
     * @param head the chain head row as a link (no id), empty when the row is gone
     */
    public record Extent(Optional<Link> head, OptionalLong minSeq, OptionalLong maxSeq) {}

    public Extent extent() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(EXTENT);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            long headSeq = rs.getLong(1);
            Optional<Link> head = rs.wasNull()
                    ? Optional.empty()
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
        return link(
                "SELECT " + LINK_COLUMNS + " FROM ledger_entries WHERE seq < ? AND seq >= ? ORDER BY seq DESC LIMIT 1",
                before,
                floor);
    }

    private Optional<Link> link(String sql, long... params) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
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
                EntryScanner.Slice slice = fast.scan(c, lo, to, this.slice, verifier, rowsDone);
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

    // ---- full rows ------------------------------------------------------------------------------

    /** Reads every suspect of the verifier in full and diagnoses it. */
    private void diagnose(Connection c, ChainVerifier verifier) throws SQLException {
        List<ChainVerifier.Suspect> suspects = verifier.takeSuspects();
        for (int from = 0; from < suspects.size(); from += IN_CHUNK) {
            List<ChainVerifier.Suspect> chunk = suspects.subList(from, Math.min(suspects.size(), from + IN_CHUNK));
            Map<Long, StoredRow> rows =
                    readRows(c, chunk.stream().map(ChainVerifier.Suspect::seq).toList());
            for (ChainVerifier.Suspect s : chunk) {
                StoredRow row = rows.get(s.seq());
                verifier.diagnose(
                        s,
                        row != null
                                ? row
                                : new StoredRow.Malformed(
                                        s.seq(), Optional.empty(), "the row disappeared while it was being verified"));
            }
        }
    }

    private Map<Long, StoredRow> readRows(Connection c, List<Long> seqs) throws SQLException {
        Map<Long, StoredRow> found = new HashMap<>();
        String marks = String.join(", ", java.util.Collections.nCopies(seqs.size(), "?"));
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries WHERE seq IN (" + marks + ")")) {
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
            return new StoredRow.Malformed(
                    e.seq(),
                    Optional.ofNullable(rs.getString(2)),
                    reason < 0 ? message : message.substring(reason + "is malformed: ".length()));
        } catch (SQLException badValue) {
            // A value the driver cannot convert (a column whose type was altered): damage, not an outage.
            return new StoredRow.Malformed(
                    rs.getLong(1), Optional.ofNullable(rs.getString(2)), String.valueOf(badValue.getMessage()));
        }
    }

    /**
     * Hands every stored row with {@code from <= seq <= to} to {@code sink}, in order, read in full;
     * rows that do not read as entries come as {@link StoredRow.Malformed} instead of failing the stream.
     */
    public void stream(long from, long to, Consumer<StoredRow> sink) {
        try (Connection c = dataSource.getConnection()) {
            // A cursor on PostgreSQL needs a transaction; SQLite must not open one (ours are IMMEDIATE: they lock
            // writers).
            boolean cursor = dialect == Dialect.POSTGRES;
            if (cursor) {
                c.setAutoCommit(false);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries WHERE seq >= ? AND seq <= ? ORDER BY seq")) {
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
        String sql =
                "SELECT 'H', CAST(NULL AS TEXT), CAST(NULL AS TEXT), seq, CAST(NULL AS BIGINT) FROM chain_head WHERE id = 1 "
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
                            case "B" ->
                                sink.balance(
                                        java.util.UUID.fromString(rs.getString(2)), rs.getString(3), rs.getLong(4));
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

    static byte[] nonNull(byte[] b) {
        return b == null ? new byte[0] : b;
    }

    private static StoreException failed(String what, SQLException e) {
        return new StoreException(what + " failed: " + e.getMessage(), e);
    }
}
