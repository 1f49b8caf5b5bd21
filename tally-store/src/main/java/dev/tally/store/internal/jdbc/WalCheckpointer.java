package dev.tally.store.internal.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteDataSource;

/**
 * Copies a SQLite database's write-ahead log back into the database file on its own thread, so that the
 * sequencer's commits do not wait for it.
 *
 * <p>Why: in WAL mode a commit appends the pages it changed to the log and fsyncs the log: that alone makes
 * it durable. Copying those pages into the database file (a checkpoint) is housekeeping, but by default
 * SQLite does it inside the commit that pushes the log past 1,000 pages, on the writer's thread. With the
 * ledger's random-keyed indexes a batch changes thousands of pages, so nearly every batch paid for a
 * checkpoint too: random writes and a second fsync, serialised with the next batch (measured: about 60% of
 * the writer's time). Here the writer connections keep SQLite's automatic checkpoint only as a safety valve
 * ({@link #WRITER_AUTOCHECKPOINT_PAGES}, rarely reached), and this thread runs a PASSIVE checkpoint every
 * {@link #INTERVAL_MS} ms: it never blocks a writer or a reader, and a page changed by several batches
 * between two checkpoints is copied once. When it has copied the whole log, the next commit starts the log
 * over. The log file is not trimmed ({@code journal_size_limit} stays off): overwriting blocks the file
 * already has keeps each commit's fsync a data flush, where a file that shrinks and grows again makes the
 * file system allocate blocks and journal them inside commits (measured at 10% of peak load: p99 86 ms with
 * a 64 MB limit, 17 ms without). The price is disk space: the log keeps its largest size, about
 * {@link #WRITER_AUTOCHECKPOINT_PAGES} pages.
 *
 * <p>Durability is unchanged: a commit is still acknowledged only after the log is fsynced
 * ({@code synchronous=FULL}). Closing stops the thread; SQLite checkpoints the rest when the last
 * connection closes.
 */
final class WalCheckpointer implements AutoCloseable {
    /** The writer connections' own checkpoint threshold (pages): the valve if this thread falls behind. */
    static final int WRITER_AUTOCHECKPOINT_PAGES = 65_536;

    /**
     * How often the thread checkpoints, in milliseconds. Short, because a checkpoint's copy and its fsync of
     * the database file compete on the disk with the commits' fsyncs of the log: the more one checkpoint
     * copies, the longer the commits that meet it wait (docs/BENCHMARKS.md, "The checkpoint interval": the p99
     * at half of the peak load falls as the interval does, the peak does not move). The price is more bytes
     * written per entry at low load, since a hot page is copied more often. The system property
     * {@value #INTERVAL_PROPERTY} overrides it (1-60000), for measuring.
     */
    static final long INTERVAL_MS = 10;

    static final String INTERVAL_PROPERTY = "tally.sqlite.checkpointIntervalMs";
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    private final SQLiteDataSource source;
    private final Thread thread;
    private final long intervalMs;
    private volatile boolean running = true;

    private WalCheckpointer(SQLiteDataSource source, String name) {
        this.source = source;
        this.intervalMs = IntervalProperty.millis(INTERVAL_PROPERTY, INTERVAL_MS);
        this.thread = Thread.ofPlatform()
                .daemon()
                .name("tally-wal-checkpoint-" + name)
                .unstarted(this::run);
    }

    /** Starts checkpointing the database that {@code source} opens. */
    static WalCheckpointer start(SQLiteDataSource source, String name) {
        WalCheckpointer c = new WalCheckpointer(source, name);
        c.thread.start();
        return c;
    }

    private void run() {
        Connection c = null;
        while (running) {
            try {
                if (c == null) {
                    c = source.getConnection();
                }
                checkpoint(c);
                TimeUnit.MILLISECONDS.sleep(intervalMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (SQLException | RuntimeException e) {
                // A busy database or a transient error: the writer's own checkpoint is the fallback; try again.
                LOG.debug("background WAL checkpoint failed: {}", e.getMessage());
                close(c);
                c = null;
                sleepQuietly();
            }
        }
        close(c);
    }

    private static void checkpoint(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            rs.next();
        }
    }

    private void sleepQuietly() {
        try {
            TimeUnit.MILLISECONDS.sleep(intervalMs * 4);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(@Nullable Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing a connection we no longer use; nothing depends on it
            }
        }
    }

    /** Stops the thread; waits for a checkpoint in progress to finish. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
