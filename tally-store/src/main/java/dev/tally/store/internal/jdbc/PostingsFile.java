package dev.tally.store.internal.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tally.core.error.StoreException;
import dev.tally.core.error.TallyException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteException;

/**
 * The SQLite ledger's history index: which entries each account sent and received, kept in a side file
 * ({@code <ledger>-history}) and filled behind the commits, in sorted batches, from the ledger's own entries.
 *
 * <p>Why a side file: an index on (account, time) inside the ledger costs every commit two leaf pages at random
 * (the sender's and the receiver's), logged and fsynced before the caller hears "ok"; measured, the two history
 * indexes were a third of the pages a commit logged and halved the store's ceiling (docs/BENCHMARKS.md,
 * "History indexed behind the commit"). Here the commit writes none of it. A thread ({@link PostingsIndexer})
 * reads the entries committed since the last batch, sorts their postings and inserts them in one transaction
 * of this file, with the seq and hash of the last entry it covers ({@link #indexedThrough}). A history read
 * takes the indexed part from here and scans the un-indexed tail of the ledger by seq (its primary key), so it
 * is exact whatever the lag ({@link PostingsHistory}).
 *
 * <p>It is derived data: the ledger file alone is the truth. The side file is written without fsync
 * ({@code synchronous=NORMAL} in WAL mode): a crash may roll it back to an earlier batch, never to a torn
 * one, and the watermark rolls back with the postings. A file that is missing, unreadable, or describes
 * entries the ledger does not hold (a ledger restored from an older copy beside a newer side file) is
 * rebuilt from the ledger when the store opens ({@link PostingsRecovery}).
 *
 * <p>Layout: postings are keyed by (bucket, account, direction, seq), where a bucket is 2^{@value #BUCKET_BITS}
 * consecutive seqs. A batch's postings all fall in the newest one or two buckets, so what a batch dirties is
 * bounded by a bucket's size, not by the table's: without the bucket, a batch of postings spread over a
 * growing table touches a growing number of leaves. A read walks the buckets from the newest down.
 */
final class PostingsFile implements AutoCloseable {
    /** Seqs per bucket: 2^16. */
    static final int BUCKET_BITS = 16;

    private static final Logger LOG = LoggerFactory.getLogger(PostingsFile.class);
    private static final String SCHEMA_POSTINGS = "CREATE TABLE IF NOT EXISTS postings ("
            + "bucket INTEGER NOT NULL, account BLOB NOT NULL, direction INTEGER NOT NULL, seq INTEGER NOT NULL, "
            + "PRIMARY KEY (bucket, account, direction, seq)) WITHOUT ROWID";
    private static final String SCHEMA_INDEXED = "CREATE TABLE IF NOT EXISTS indexed ("
            + "id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash BLOB NOT NULL)";

    private final Path path;
    private final HikariDataSource side;
    private final DataSource ledger;

    private PostingsFile(Path path, HikariDataSource side, DataSource ledger) {
        this.path = path;
        this.side = side;
        this.ledger = ledger;
    }

    /** The side file that belongs to the ledger file {@code ledgerFile}. */
    static Path pathFor(Path ledgerFile) {
        return ledgerFile.resolveSibling(ledgerFile.getFileName() + "-history");
    }

    /** Opens (or creates) the side file at {@code path}, with its tables; fails at once when it is not a database. */
    static PostingsFile openAs(Path path, DataSource ledger, int poolSize) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // Derived data: a crash may lose the last batches (they are indexed again), never tear one.
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(30_000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setCacheSize(-65_536);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + path.toAbsolutePath());
        // Through one plain connection first: a file that is not a database fails here at once, where the pool
        // would retry for its whole connection timeout before it gave up.
        try (Connection c = sqlite.getConnection();
                Statement st = c.createStatement()) {
            st.execute(SCHEMA_POSTINGS);
            st.execute(SCHEMA_INDEXED);
            st.execute("INSERT OR IGNORE INTO indexed (id, seq, hash) VALUES (1, 0, x'')");
        } catch (SQLException e) {
            throw new StoreException("opening the history index " + path + " failed: " + e.getMessage(), e);
        }
        HikariConfig hc = new HikariConfig();
        hc.setDataSource(sqlite);
        hc.setPoolName("tally-history");
        hc.setMaximumPoolSize(Math.max(2, poolSize));
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(60_000);
        return new PostingsFile(path, new HikariDataSource(hc), ledger);
    }

    /** The bucket of a seq. */
    static long bucket(long seq) {
        return seq >>> BUCKET_BITS;
    }

    /** A UUID as the 16 bytes SQLite compares in the same order as the UUID's unsigned value. */
    static byte[] bytes(UUID id) {
        return ByteBuffer.allocate(16)
                .putLong(id.getMostSignificantBits())
                .putLong(id.getLeastSignificantBits())
                .array();
    }

    /**
     * The last entry this file covers: every entry up to and including this seq has its postings here, and
     * none after it. Read before the ledger, a history read is exact: the ledger then holds at least this much.
     */
    long indexedThrough() {
        try (Connection c = side.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT seq FROM indexed WHERE id = 1")) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw failed("reading the history index's position", e);
        }
    }

    /**
     * Whether the entry this file covers last is in the ledger with the hash it recorded. A ledger file
     * replaced by an older copy (or by another ledger) fails this, and its side file is rebuilt.
     */
    boolean describesLedger() {
        long seq;
        byte[] hash;
        try (Connection c = side.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT seq, hash FROM indexed WHERE id = 1")) {
            if (!rs.next()) {
                return false;
            }
            seq = rs.getLong(1);
            hash = rs.getBytes(2);
        } catch (SQLException e) {
            throw failed("reading the history index's position", e);
        }
        if (seq == 0) {
            return true;
        }
        try (Connection c = ledger.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT current_hash FROM ledger_entries WHERE seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && Arrays.equals(rs.getBytes(1), hash);
            }
        } catch (SQLException e) {
            throw failed("reading the ledger's entry " + seq, e);
        }
    }

    /** Forgets every posting: the next batches index the ledger from its first entry. */
    void reset() {
        try (Connection c = side.getConnection();
                Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("DELETE FROM postings");
            st.execute("UPDATE indexed SET seq = 0, hash = x'' WHERE id = 1");
            c.commit();
        } catch (SQLException e) {
            throw failed("resetting the history index", e);
        }
    }

    /**
     * Indexes the next entries after the watermark, at most {@code max}, in one transaction of this file: the
     * postings sorted by key (so each leaf is written once per batch) and the new watermark. Returns how many
     * entries it covered (0: the index is up to date). The side file's write lock is held while the ledger is
     * read, so two stores on one ledger (two processes) never index the same range twice.
     */
    int indexNext(int max) {
        try (Connection c = side.getConnection()) {
            c.setAutoCommit(false);
            try {
                int n = indexNext(c, max);
                c.commit();
                return n;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw failed("indexing the history", e);
        }
    }

    /** Indexes every entry committed so far, {@code max} at most per transaction of this file. */
    void indexAll(int max) {
        while (indexNext(max) > 0) {
            // a tail longer than one batch is indexed in several transactions
        }
    }

    private int indexNext(Connection c, int max) throws SQLException {
        long from;
        try (Statement st = c.createStatement()) {
            // BEGIN IMMEDIATE (the transaction mode): the write lock is taken here, before the watermark is read.
            try (ResultSet rs = st.executeQuery("SELECT seq FROM indexed WHERE id = 1")) {
                from = rs.next() ? rs.getLong(1) : 0;
            }
        }
        List<Posting> postings = new ArrayList<>();
        long last = from;
        byte[] lastHash = new byte[0];
        int entries = 0;
        try (Connection l = ledger.getConnection();
                PreparedStatement ps = l.prepareStatement("SELECT seq, sender_id, receiver_id, current_hash"
                        + " FROM ledger_entries WHERE seq > ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, from);
            ps.setInt(2, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long seq = rs.getLong(1);
                    add(postings, rs.getString(2), Posting.SENT, seq);
                    add(postings, rs.getString(3), Posting.RECEIVED, seq);
                    last = seq;
                    lastHash = rs.getBytes(4);
                    entries++;
                }
            }
        }
        if (entries == 0) {
            return 0;
        }
        Collections.sort(postings);
        try (PreparedStatement ins = c.prepareStatement(
                "INSERT OR IGNORE INTO postings (bucket, account, direction, seq) VALUES (?, ?, ?, ?)")) {
            for (Posting p : postings) {
                ins.setLong(1, bucket(p.seq()));
                ins.setBytes(2, p.account());
                ins.setInt(3, p.direction());
                ins.setLong(4, p.seq());
                ins.addBatch();
            }
            ins.executeBatch();
        }
        try (PreparedStatement up = c.prepareStatement("UPDATE indexed SET seq = ?, hash = ? WHERE id = 1")) {
            up.setLong(1, last);
            up.setBytes(2, lastHash);
            up.executeUpdate();
        }
        return entries;
    }

    private static void add(List<Posting> postings, String account, int direction, long seq) {
        if (account != null) {
            postings.add(Posting.of(UUID.fromString(account), direction, seq));
        }
    }

    /**
     * The seqs of {@code account}'s postings in one bucket and direction within (after, before), newest first
     * when {@code newestFirst}, at most {@code limit}.
     */
    List<Long> seqs(UUID account, int direction, long bucket, long after, long before, int limit, boolean newestFirst) {
        List<Long> found = new ArrayList<>();
        try (Connection c = side.getConnection();
                PreparedStatement ps = c.prepareStatement(seqsSql(newestFirst))) {
            ps.setLong(1, bucket);
            ps.setBytes(2, bytes(account));
            ps.setInt(3, direction);
            ps.setLong(4, after);
            ps.setLong(5, before);
            ps.setInt(6, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw failed("reading the history index", e);
        }
        return found;
    }

    /** One account's postings in one bucket and direction, a seq range: a range of the primary key (plan tested). */
    static String seqsSql(boolean newestFirst) {
        return "SELECT seq FROM postings WHERE bucket = ? AND account = ? AND direction = ? AND seq > ?"
                + " AND seq < ? ORDER BY seq " + (newestFirst ? "DESC" : "ASC") + " LIMIT ?";
    }

    /** The lowest bucket that holds any posting, or -1 when there is none. */
    long firstBucket() {
        try (Connection c = side.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT bucket FROM postings ORDER BY bucket LIMIT 1")) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            throw failed("reading the history index", e);
        }
    }

    Path path() {
        return path;
    }

    /** The side file's pool, for tests that inspect or damage it. */
    DataSource dataSource() {
        return side;
    }

    @Override
    public void close() {
        side.close();
    }

    /**
     * A failure of the side file. One that SQLite reports as a damaged file leaves a marker beside it, so the next
     * open rebuilds it, and is a {@link Damaged}: reads then answer from the ledger alone.
     */
    private RuntimeException failed(String what, SQLException e) {
        String message = what + " in " + path + " failed: " + e.getMessage();
        if (!isDamage(e)) {
            return new StoreException(message, e);
        }
        try {
            Files.write(damageMarker(path), new byte[0]);
        } catch (IOException marker) {
            e.addSuppressed(marker);
        }
        LOG.error(
                "the history index {} is damaged: history is read from the ledger alone (exact, slower) until"
                        + " the store reopens and rebuilds it",
                path);
        return new Damaged(message, e);
    }

    private static boolean isDamage(SQLException e) {
        // Primary result codes: SQLITE_CORRUPT (11), SQLITE_NOTADB (26); the extended ones keep them in the low byte.
        int code = e instanceof SQLiteException se ? se.getResultCode().code & 0xff : e.getErrorCode() & 0xff;
        return code == 11 || code == 26;
    }

    static Path damageMarker(Path path) {
        return path.resolveSibling(path.getFileName() + "-damaged");
    }

    static void deleteFiles(Path path) {
        for (String suffix : new String[] {"", "-wal", "-shm", "-damaged"}) {
            try {
                Files.deleteIfExists(path.resolveSibling(path.getFileName() + suffix));
            } catch (IOException e) {
                throw new StoreException("could not delete the damaged history index " + path, e);
            }
        }
    }

    /** The side file is damaged (SQLite says so); the store reads history from the ledger alone until it reopens. */
    static final class Damaged extends TallyException {
        private static final long serialVersionUID = 1L;

        Damaged(String message, SQLException cause) {
            super(message, cause);
        }
    }
}
