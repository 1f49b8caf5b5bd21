package dev.tally.server.http;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the requests being handled, so that a graceful stop can refuse new ones and wait for those in
 * flight: their commands are in the sequencer, and their clients are owed an answer. Thread-safe.
 */
public final class Inflight {
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean draining;

    /** Admits a request; false once draining (the caller answers 503). Pair every true with {@link #exit()}. */
    public boolean enter() {
        // Increment first, then look: a request that slipped in before the flag flipped is counted, so
        // awaitIdle waits for it; one that sees the flag backs out (the Dekker pattern on volatile state).
        active.incrementAndGet();
        if (draining) {
            exit();
            return false;
        }
        return true;
    }

    public void exit() {
        synchronized (this) {
            if (active.decrementAndGet() == 0) {
                notifyAll();
            }
        }
    }

    /** Stops admitting requests. */
    public void drain() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    public int active() {
        return active.get();
    }

    /** Waits until no request is in flight, or the timeout passes; true when idle. */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (active.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }
}
