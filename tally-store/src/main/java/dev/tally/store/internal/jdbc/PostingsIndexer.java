package dev.tally.store.internal.jdbc;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the history index ({@link PostingsFile}) behind the commits, on its own thread: every
 * {@link #INTERVAL_MS} ms, or as soon as {@link #TRIGGER_ENTRIES} entries wait, whichever comes first.
 *
 * <p>Why batches this large: the postings of one batch are sorted and inserted together, so a leaf of the index
 * is written once per batch however many of the batch's postings land in it. The larger the batch, the fewer
 * pages per entry; the price is the un-indexed tail a history read scans (at most one interval of entries, or
 * the trigger, whichever is larger). Reads stay exact whatever the lag: they scan the tail by seq.
 */
final class PostingsIndexer implements AutoCloseable {
    /** How often the thread indexes what was committed since, in milliseconds. */
    static final long INTERVAL_MS = 250;

    static final String INTERVAL_PROPERTY = "tally.sqlite.historyIntervalMs";

    /** A tail this long is indexed at once, without waiting for the interval. */
    static final long TRIGGER_ENTRIES = 16_384;

    /** The most entries one transaction of the side file covers. */
    static final int MAX_BATCH = 65_536;

    private static final Logger LOG = LoggerFactory.getLogger(PostingsIndexer.class);
    private final PostingsFile file;
    private final Thread thread;
    private final long intervalNanos;
    private volatile long indexedThrough;
    private volatile boolean running = true;

    private PostingsIndexer(PostingsFile file, String name) {
        this.file = file;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(IntervalProperty.millis(INTERVAL_PROPERTY, INTERVAL_MS));
        this.indexedThrough = file.indexedThrough();
        this.thread = Thread.ofPlatform().daemon().name("tally-history-" + name).unstarted(this::run);
    }

    /** Starts indexing behind the commits of the ledger {@code file} belongs to. */
    static PostingsIndexer start(PostingsFile file, String name) {
        PostingsIndexer indexer = new PostingsIndexer(file, name);
        indexer.thread.start();
        return indexer;
    }

    /** Told after each commit: wakes the thread when the un-indexed tail has reached the trigger. */
    void committed(long lastSeq) {
        if (lastSeq - indexedThrough >= TRIGGER_ENTRIES) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (running) {
            LockSupport.parkNanos(this, intervalNanos);
            if (running) {
                catchUp();
            }
        }
    }

    /** Indexes every entry committed so far; a failure is logged and retried at the next turn. */
    void catchUp() {
        try {
            file.indexAll(MAX_BATCH);
            indexedThrough = file.indexedThrough();
        } catch (RuntimeException e) {
            // Reads stay exact (they scan the tail); the next turn tries again.
            LOG.warn("indexing the history failed, will retry: {}", e.getMessage());
        }
    }

    /** Stops the thread after the turn in progress, then indexes what is left, so the next open starts level. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catchUp();
    }
}
