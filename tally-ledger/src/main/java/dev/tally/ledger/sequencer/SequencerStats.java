package dev.tally.ledger.sequencer;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the write path, read by metrics and benchmarks. Thread-safe. */
public final class SequencerStats {
    final AtomicLong commands = new AtomicLong();
    final AtomicLong batches = new AtomicLong();
    final AtomicLong entries = new AtomicLong();
    final AtomicLong rejections = new AtomicLong();
    final AtomicLong conflicts = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong overlapped = new AtomicLong();
    private volatile WriterHealth writer = WriterHealth.running();

    /** Commands decided (including rejected ones). */
    public long commands() {
        return commands.get();
    }

    /** Database transactions committed. */
    public long batches() {
        return batches.get();
    }

    /** Ledger entries committed. */
    public long entries() {
        return entries.get();
    }

    public long rejections() {
        return rejections.get();
    }

    /** Commits refused because another writer moved a versioned row first. */
    public long conflicts() {
        return conflicts.get();
    }

    /** Batches recomputed after a conflict. */
    public long retries() {
        return retries.get();
    }

    /** Batches decided while the batch before them was committing (pipelining at work). */
    public long overlapped() {
        return overlapped.get();
    }

    /** Batches that failed for a reason other than a conflict (their callers got the exception). */
    public long failures() {
        return failures.get();
    }

    /** Whether the writer still writes, and why not when it stopped. */
    public WriterHealth writer() {
        return writer;
    }

    /** Records the writer's stop; the first reason stays, as it is the one that explains the others. */
    synchronized boolean halt(WriterHealth halted) {
        if (writer.halted()) {
            return false;
        }
        writer = halted;
        return true;
    }
}
