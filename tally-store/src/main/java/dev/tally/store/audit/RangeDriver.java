package dev.tally.store.audit;

import dev.tally.core.error.TallyException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The one parallel driver of both audits, online ({@link LedgerAuditor}) and offline
 * ({@link dev.tally.store.export.ExportAudit}): the chain is cut into ranges, each range is checked on a pool
 * thread by its own core checkers ({@code ChainVerifier}, {@code Reconciler}) starting from the range's
 * predecessor, and the results are taken back in range order, so that merging them gives what one pass
 * over the whole chain would. Submitted one by one, at most two ranges per thread are in flight: memory is
 * bounded by them, not by the ledger. Not thread-safe: one caller submits and takes.
 *
 * @param <T> what checking one range gives
 */
public final class RangeDriver<T> implements AutoCloseable {
    /** Positions per range below which splitting costs more than it gains. */
    private static final long MIN_RANGE = 4096;
    /** Ranges per thread: see {@link #split}. */
    static final int RANGES_PER_THREAD = 16;

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ExecutorService pool;
    private final int maxInFlight;
    private final Consumer<T> taker;
    private final ArrayDeque<Future<T>> inFlight = new ArrayDeque<>();

    /**
     * A driver on {@code threads} threads named after {@code name}; {@code taker} receives each range's
     * result, in submission order, on the submitting thread.
     */
    public RangeDriver(int threads, String name, Consumer<T> taker) {
        this(threads, 2 * Math.max(1, threads), name, taker);
    }

    private RangeDriver(int threads, int maxInFlight, String name, Consumer<T> taker) {
        this.maxInFlight = maxInFlight;
        this.taker = taker;
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, name + "-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code tasks} on {@code threads} threads and returns their results in task order. */
    public static <R> List<R> runAll(List<Callable<R>> tasks, int threads, String name) {
        List<R> results = new ArrayList<>();
        if (tasks.isEmpty()) {
            return results;
        }
        // The tasks are known and their results small: all in flight at once, so no thread waits for a slow range.
        try (RangeDriver<R> driver =
                new RangeDriver<>(Math.min(threads, tasks.size()), tasks.size(), name, results::add)) {
            tasks.forEach(driver::submit);
            driver.finish();
        }
        return results;
    }

    /** Checks one more range; hands back the oldest results while too many are in flight. */
    public void submit(Callable<T> range) {
        inFlight.add(pool.submit(range));
        while (inFlight.size() > maxInFlight) {
            take(inFlight.poll());
        }
    }

    /** Waits for every range submitted and hands back their results, in order. */
    public void finish() {
        while (!inFlight.isEmpty()) {
            take(inFlight.poll());
        }
    }

    private void take(Future<T> future) {
        T result;
        try {
            result = future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TallyException("interrupted while auditing the ledger", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new TallyException("auditing the ledger failed: " + cause.getMessage(), cause);
        }
        taker.accept(result);
    }

    /** Stops the threads; ranges still in flight are abandoned. */
    @Override
    public void close() {
        pool.shutdownNow();
    }

    /**
     * Splits {@code from..to} into about {@value #RANGES_PER_THREAD} ranges per thread, each of at least
     * {@link #MIN_RANGE} positions. The threads take the ranges in turn, so when one thread falls behind (a
     * shared machine takes a core away for a while) the other takes more: small ranges leave less work to
     * the slowest thread at the end. Each costs a lookup of its predecessor and a statement.
     */
    public static List<long[]> split(long from, long to, int threads) {
        List<long[]> ranges = new ArrayList<>();
        if (to < from) {
            return ranges;
        }
        long n = to - from + 1;
        if (n <= 0) {
            // More positions than a long counts: only forged rows make such a range; read it as one.
            ranges.add(new long[] {from, to});
            return ranges;
        }
        long count = Math.max(1, Math.min((long) threads * RANGES_PER_THREAD, n / MIN_RANGE));
        long size = (n + count - 1) / count;
        for (long lo = from; lo <= to; lo += size) {
            ranges.add(new long[] {lo, Math.min(to, lo + size - 1)});
            if (lo > to - size) {
                break;
            }
        }
        return ranges;
    }
}
