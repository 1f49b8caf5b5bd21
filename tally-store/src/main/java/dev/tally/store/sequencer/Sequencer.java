package dev.tally.store.sequencer;

import dev.tally.core.command.Command;
import dev.tally.core.engine.CachedState;
import dev.tally.core.engine.Engine;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.Overlay;
import dev.tally.core.engine.WriteSet;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.error.TallyException;
import dev.tally.core.error.VersionConflictException;
import dev.tally.core.store.LedgerStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of a ledger. Callers submit commands and get futures; a single thread drains the bounded
 * queue into batches, decides each command in order with the pure {@link Engine}, writes the whole batch
 * in one database transaction, commits durably, and only then completes the futures (group commit).
 *
 * <p>Guarantees: a future completes with {@link Outcome.Written} only after the entry is on disk; a
 * rejected command writes nothing; a version conflict (another process wrote the same ledger) rolls the
 * batch back, reloads, and recomputes it with bounded exponential backoff plus jitter, and after the last
 * retry every command of the batch is rejected with {@code VERSION_CONFLICT}. A full queue blocks the
 * submitter (backpressure). {@link #close()} stops accepting, drains what was queued, and returns.
 */
public final class Sequencer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sequencer.class);
    private final LedgerStore store;
    private final Engine engine;
    private final Clock clock;
    private final SequencerOptions options;
    private final BlockingQueue<Request> queue;
    private final CachedState state;
    private final SequencerStats stats = new SequencerStats();
    private final Thread writer;
    private final List<BatchExtension> extensions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean accepting = true;
    private volatile boolean stopped;
    private Instant lastTime = Instant.EPOCH;

    public Sequencer(LedgerStore store, Engine engine, Clock clock, SequencerOptions options) {
        this.store = store;
        this.engine = engine;
        this.clock = clock;
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.state = new CachedState(store);
        this.writer = Thread.ofPlatform().name("tally-sequencer").daemon(true).unstarted(this::run);
        this.writer.start();
    }

    /** Submits one command; the future completes after its batch has committed (or it was rejected). */
    public CompletableFuture<Outcome> submit(Command command) {
        return enqueue(new Request(List.of(command), false)).thenApply(list -> list.get(0));
    }

    /** Submits independent commands that share a batch; each gets its own outcome, in order. */
    public CompletableFuture<List<Outcome>> submitAll(List<? extends Command> commands) {
        return enqueue(new Request(List.copyOf(commands), false));
    }

    /** Submits commands that take effect all together or not at all (TigerBeetle's linked events). */
    public CompletableFuture<List<Outcome>> submitLinked(List<? extends Command> commands) {
        return enqueue(new Request(List.copyOf(commands), true));
    }

    /**
     * Adds a step that extends every batch's write set before it commits (the Merkle tree, for one), so
     * that its rows are written in the same transaction as the entries they cover.
     */
    public void addExtension(BatchExtension extension) {
        extensions.add(extension);
    }

    public SequencerStats stats() {
        return stats;
    }

    private CompletableFuture<List<Outcome>> enqueue(Request request) {
        if (!accepting) {
            return CompletableFuture.failedFuture(new TallyException("the ledger is shutting down; no new commands are accepted"));
        }
        if (request.commands.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        try {
            queue.put(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new TallyException("interrupted while waiting for room in the queue", e));
        }
        // The writer sets `stopped` before its last drain, so a request that missed the drain is seen here.
        if (stopped && queue.remove(request)) {
            request.future.completeExceptionally(new TallyException("the ledger closed before this command ran"));
        }
        return request.future;
    }

    private void run() {
        List<Request> batch = new ArrayList<>();
        while (accepting || !queue.isEmpty()) {
            try {
                Request first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int size = first.commands.size();
                Request next;
                while (size < options.maxBatch() && (next = queue.peek()) != null && size + next.commands.size() <= options.maxBatch()) {
                    batch.add(queue.poll());
                    size += next.commands.size();
                }
                process(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Throwable t) {
                LOG.error("sequencer batch failed", t);
                batch.forEach(r -> r.future.completeExceptionally(t));
                invalidate();
            } finally {
                batch.clear();
            }
        }
        stopped = true;
        Request left;
        while ((left = queue.poll()) != null) {
            left.future.completeExceptionally(new TallyException("the ledger closed before this command ran"));
        }
    }

    private void process(List<Request> batch) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            List<List<Outcome>> outcomes = new ArrayList<>(batch.size());
            WriteSet writes = decide(batch, outcomes);
            try {
                if (!writes.isEmpty()) {
                    WriteSet extended = writes;
                    for (BatchExtension x : extensions) {
                        extended = x.extend(extended);
                    }
                    store.commit(extended);
                    stats.batches.incrementAndGet();
                    stats.entries.addAndGet(writes.entries().size());
                    state.applyCommitted(writes);
                    engine.committed(writes.entries());
                    for (BatchExtension x : extensions) {
                        x.committed(extended);
                    }
                } else {
                    state.endBatch();
                }
                complete(batch, outcomes);
                return;
            } catch (VersionConflictException e) {
                stats.conflicts.incrementAndGet();
                invalidate();
                if (attempt >= options.maxRetries()) {
                    LOG.warn("giving up after {} retries: {}", attempt, e.getMessage());
                    rejectAll(batch, Rejection.of(RejectionCode.VERSION_CONFLICT,
                            "another writer kept changing the same rows; gave up after " + attempt + " retries"));
                    return;
                }
                stats.retries.incrementAndGet();
                sleepBackoff(attempt);
            }
        }
    }

    private void invalidate() {
        state.invalidate();
        extensions.forEach(BatchExtension::invalidate);
    }

    private WriteSet decide(List<Request> batch, List<List<Outcome>> outcomes) {
        List<Command> all = new ArrayList<>();
        batch.forEach(r -> all.addAll(r.commands));
        state.prefetch(all);
        Overlay overlay = new Overlay(state);
        Instant now = nextTime();
        for (Request r : batch) {
            if (r.linked) {
                outcomes.add(engine.applyLinked(r.commands, overlay, now));
            } else {
                List<Outcome> list = new ArrayList<>(r.commands.size());
                for (Command c : r.commands) {
                    list.add(engine.apply(c, overlay, now));
                }
                outcomes.add(list);
            }
        }
        return overlay.toWriteSet(state.head());
    }

    /** Commit time, truncated to the stored microseconds and never earlier than the last batch's. */
    private Instant nextTime() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (now.isBefore(lastTime)) {
            now = lastTime;
        }
        lastTime = now;
        return now;
    }

    private void complete(List<Request> batch, List<List<Outcome>> outcomes) {
        for (int i = 0; i < batch.size(); i++) {
            List<Outcome> list = outcomes.get(i);
            stats.commands.addAndGet(list.size());
            list.forEach(o -> {
                if (!o.ok()) {
                    stats.rejections.incrementAndGet();
                }
            });
            batch.get(i).future.complete(list);
        }
    }

    private void rejectAll(List<Request> batch, Rejection rejection) {
        for (Request r : batch) {
            List<Outcome> list = new ArrayList<>();
            r.commands.forEach(c -> list.add(new Outcome.Rejected(rejection)));
            stats.rejections.addAndGet(list.size());
            r.future.complete(list);
        }
    }

    private void sleepBackoff(int attempt) throws InterruptedException {
        long cap = Math.min(options.maxBackoff().toNanos(), options.baseBackoff().toNanos() << Math.min(attempt, 20));
        long nanos = ThreadLocalRandom.current().nextLong(Math.max(1, cap));
        TimeUnit.NANOSECONDS.sleep(nanos);
    }

    /** Stops accepting, lets the writer drain the queue and commit, then returns. */
    @Override
    public void close() {
        accepting = false;
        try {
            writer.join(TimeUnit.MINUTES.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queued commands with their shared future. */
    private record Request(List<Command> commands, boolean linked, CompletableFuture<List<Outcome>> future) {
        Request(List<? extends Command> commands, boolean linked) {
            this(List.copyOf(commands), linked, new CompletableFuture<>());
        }
    }
}
