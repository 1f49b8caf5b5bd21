package dev.tally.bench.suites;

import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * How late a thread that asks to sleep 1 ms wakes up, sampled for as long as it runs: the stalls every thread
 * of this process sees from the machine (other processes on the same cores, the scheduler) and from the JVM
 * (safepoints, GC pauses), as jHiccup measures them. Latency that a commit's own work does not explain shows
 * here.
 */
final class Hiccups implements AutoCloseable {
    private static final long TICK_NANOS = 1_000_000;
    private final Histogram lateness = new Histogram(3);
    private final Thread thread;
    private volatile boolean running = true;

    private Hiccups() {
        thread = Thread.ofPlatform().daemon().name("tally-bench-hiccups").unstarted(this::run);
    }

    /** Starts sampling. */
    static Hiccups start() {
        Hiccups h = new Hiccups();
        h.thread.start();
        return h;
    }

    private void run() {
        while (running) {
            long t0 = System.nanoTime();
            LockSupport.parkNanos(TICK_NANOS);
            long late = System.nanoTime() - t0 - TICK_NANOS;
            synchronized (lateness) {
                lateness.recordValue(Math.max(1, late / 1_000));
            }
        }
    }

    /** Stops sampling and returns the lateness of the wake-ups, in microseconds. */
    Latency stop() {
        close();
        synchronized (lateness) {
            return Latency.of(lateness);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
