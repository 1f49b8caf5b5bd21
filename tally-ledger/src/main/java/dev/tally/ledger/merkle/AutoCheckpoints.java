package dev.tally.ledger.merkle;

import dev.tally.core.engine.BatchExtension;
import dev.tally.core.engine.WriteSet;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes checkpoints as a {@link CheckpointConfig} says: after every {@code everyEntries} committed entries,
 * every {@code every} when there are new entries, and at {@link #close()}. It watches commits as a
 * {@link BatchExtension} but signs on its own thread, so the writer never waits for a signature or an
 * {@code fsync} of the witness file; requests that arrive while one runs fold into it. A failure (a
 * full disk, a tree it refuses to vouch for) is logged and kept in {@link #lastFailure()}, and the next
 * trigger tries again; the ledger keeps writing.
 */
public final class AutoCheckpoints implements BatchExtension, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AutoCheckpoints.class);
    private final Checkpointer checkpointer;
    private final MerkleLog log;
    private final long everyEntries;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile long signedSize = -1;
    private volatile long committedSize = -1;
    private volatile Optional<RuntimeException> lastFailure = Optional.empty();

    /** Starts the timer (if any); register the instance with the ledger's sequencer for the count trigger. */
    public AutoCheckpoints(Checkpointer checkpointer, MerkleLog log, long everyEntries, Duration every) {
        this.checkpointer = checkpointer;
        this.log = log;
        this.everyEntries = everyEntries;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tally-checkpoints");
            t.setDaemon(true);
            return t;
        });
        thread.execute(() ->
                signedSize = log.latestCheckpoint().map(SignedCheckpoint::size).orElse(0L));
        if (!every.isZero()) {
            thread.scheduleWithFixedDelay(this::onTimer, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public WriteSet extend(WriteSet batch) {
        return batch;
    }

    @Override
    public void committed(WriteSet batch) {
        long size = batch.toHead().seq();
        committedSize = size;
        long signed = signedSize;
        if (everyEntries > 0 && signed >= 0 && size - signed >= everyEntries && pending.compareAndSet(false, true)) {
            thread.execute(this::take);
        }
    }

    @Override
    public void invalidate() {
        // Nothing cached that a rollback could make wrong: sizes come from commits and the store.
    }

    /** The failure of the last attempt, if it failed. */
    public Optional<RuntimeException> lastFailure() {
        return lastFailure;
    }

    private void onTimer() {
        try {
            if (log.size() > signedSize) {
                take();
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void take() {
        pending.set(false);
        try {
            SignedCheckpoint c = checkpointer.checkpoint();
            signedSize = Math.max(signedSize, c.size());
            lastFailure = Optional.empty();
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void fail(RuntimeException e) {
        lastFailure = Optional.of(e);
        LOG.error("[CHECKPOINT] taking a signed checkpoint failed: {}", e.getMessage(), e);
    }

    /** Stops the timer and, when entries were committed since the last checkpoint, takes a final one. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            thread.shutdownNow();
        }
        if (committedSize > Math.max(signedSize, 0)) {
            take();
        }
    }
}
