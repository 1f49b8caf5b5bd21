package dev.tally.ledger.sequencer;

import dev.tally.core.command.Command;
import dev.tally.core.engine.BatchExtension;
import dev.tally.core.engine.CachedState;
import dev.tally.core.engine.Engine;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.Overlay;
import dev.tally.core.engine.WriteSet;
import dev.tally.core.error.CommitOutcomeUnknownException;
import dev.tally.core.error.LedgerHaltedException;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.error.StoreException;
import dev.tally.core.error.TallyException;
import dev.tally.core.error.VersionConflictException;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.LedgerStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
 *
 * <p>Pipelining: while one batch commits (on the {@code tally-committer} thread, which only calls
 * {@link LedgerStore#commit}), the writer decides the next batch on the state the first will leave
 * ({@link CachedState#applySpeculative}): the database's time and the engine's time overlap. The next batch
 * is extended and handed to the store only after the first has committed and its futures are complete, so
 * commits stay in order and every guarantee above holds. If the first batch fails, the next one was decided
 * on a state that never was: it is thrown away and decided again.
 *
 * <p>Failures: the writer tells an expected failure from one it does not understand, and stops on the
 * latter (fail-stop), because writing on after a broken invariant could spread the damage into the chain.
 * <ul>
 *   <li>A rejection is an outcome, not a failure. A version conflict is retried as described above.
 *   <li>A {@link StoreException} (the database failed before the commit was sent, the transaction rolled
 *       back) fails the batch's callers with it; nothing of the batch was written, every cache is dropped,
 *       and the writer goes on with the next batch.
 *   <li>A {@link CommitOutcomeUnknownException} (the database did not confirm the commit) halts the writer.
 *       The batch may or may not be durable, so it is never retried: its callers get a
 *       {@link LedgerHaltedException} that says it {@linkplain LedgerHaltedException#mayHaveBeenWritten() may
 *       have been written}. After the restart, a resend with the same transaction id is safe: a command that
 *       was written is answered as a replay, one that was not is written once.
 *   <li>Any other exception or {@link Error} while deciding, extending or committing a batch halts the
 *       writer too; that batch was not written.
 * </ul>
 * A halted writer completes every queued command with {@link LedgerHaltedException} (code
 * {@link RejectionCode#LEDGER_HALTED}), refuses every later submission with it, and says why in
 * {@link #health()}. It does not resume: an operator investigates and restarts the process, which reloads
 * every state from the store.
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
    private final ExecutorService committer = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("tally-committer").daemon(true).unstarted(r));
    private final List<BatchExtension> extensions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean accepting = true;
    private volatile boolean stopped;
    private Instant lastTime = Instant.EPOCH;
    /** Whether {@link #lastTime} has been raised to the time of the chain's last entry since the view was reset. */
    private boolean lastTimeRead;
    /** The fraud rules' windows must be read back from the ledger before the next decision. */
    private volatile boolean fraudWindowsStale = true;

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

    /** Whether the writer still writes; see the class comment for when it stops. */
    public WriterHealth health() {
        return stats.writer();
    }

    private CompletableFuture<List<Outcome>> enqueue(Request request) {
        if (halted()) {
            return CompletableFuture.failedFuture(new LedgerHaltedException(health().reason()));
        }
        if (!accepting) {
            return CompletableFuture.failedFuture(
                    new TallyException("the ledger is shutting down; no new commands are accepted"));
        }
        if (request.commands.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        try {
            queue.put(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(
                    new TallyException("interrupted while waiting for room in the queue", e));
        }
        // The writer sets `stopped` before its last drain, so a request that missed the drain is seen here.
        if (stopped && queue.remove(request)) {
            request.future.completeExceptionally(notRun());
        }
        return request.future;
    }

    private void run() {
        InFlight inFlight = null;
        List<Request> next = List.of();
        try {
            while (!halted() && (accepting || !queue.isEmpty() || inFlight != null)) {
                next = inFlight == null ? take() : drain();
                if (next.isEmpty()) {
                    if (inFlight != null) {
                        // Nothing to decide meanwhile: wait for the commit, so that its callers hear at once.
                        finish(inFlight);
                        inFlight = null;
                    }
                    continue;
                }
                inFlight = decideAndLaunch(next, inFlight);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error t) {
            // Escaped every batch's own handling: a bug. Whatever was deciding or committing is in doubt.
            halt(next, t, true);
            if (inFlight != null) {
                halt(inFlight.batch, t, true);
            }
        } finally {
            committer.shutdown();
        }
        stopped = true;
        Request left;
        while ((left = queue.poll()) != null) {
            left.future.completeExceptionally(notRun());
        }
    }

    private boolean halted() {
        return stats.writer().halted();
    }

    /** The failure of a command that the writer will never run. */
    private TallyException notRun() {
        return halted()
                ? new LedgerHaltedException(health().reason())
                : new TallyException("the ledger closed before this command ran");
    }

    /**
     * Decides {@code batch} while {@code previous} (if any) commits, then waits for that commit and hands
     * {@code batch} to the committer. Returns the batch now in flight, or null when it needed no write.
     */
    private @Nullable InFlight decideAndLaunch(List<Request> batch, @Nullable InFlight previous)
            throws InterruptedException {
        List<List<Outcome>> outcomes = new ArrayList<>(batch.size());
        WriteSet writes;
        if (previous != null) {
            stats.overlapped.incrementAndGet();
        }
        try {
            writes = decide(batch, outcomes);
        } catch (RuntimeException | Error t) {
            if (previous != null) {
                finish(previous);
            }
            failed(batch, t);
            return null;
        }
        if (previous != null && !finish(previous)) {
            // The previous batch did not commit, so this one was decided on a state that never was.
            return serially(batch);
        }
        try {
            return launch(batch, outcomes, writes);
        } catch (RuntimeException | Error t) {
            failed(batch, t);
            return null;
        }
    }

    /** Extends the batch, records it as speculatively applied, and hands it to the committer. */
    private @Nullable InFlight launch(List<Request> batch, List<List<Outcome>> outcomes, WriteSet writes) {
        if (writes.isEmpty()) {
            state.endBatch();
            complete(batch, outcomes);
            return null;
        }
        WriteSet extended = writes;
        for (BatchExtension x : extensions) {
            extended = x.extend(extended);
        }
        WriteSet toCommit = extended;
        state.applySpeculative(writes);
        // The callers hear as soon as the batch is durable, not when the writer is done deciding the next one.
        Future<?> commit = committer.submit(() -> {
            store.commit(toCommit);
            counted(writes);
            complete(batch, outcomes);
        });
        return new InFlight(batch, outcomes, writes, extended, commit);
    }

    /**
     * Waits for a batch's commit. When it committed (the committer has completed its futures): takes it in
     * as durable (true). When it did not: forgets all cached state, settles the batch (decided again after a
     * version conflict, failed otherwise) and returns false.
     */
    private boolean finish(InFlight f) throws InterruptedException {
        try {
            f.commit.get();
        } catch (ExecutionException e) {
            invalidate();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof VersionConflictException) {
                stats.conflicts.incrementAndGet();
                try {
                    process(f.batch, 1);
                } catch (RuntimeException | Error t) {
                    failed(f.batch, t);
                }
            } else {
                failed(f.batch, cause);
            }
            return false;
        }
        try {
            committed(f.extended);
            state.confirm();
        } catch (RuntimeException | Error t) {
            // The batch is durable and its callers know; what broke is the writer's memory of it.
            halt(List.of(), t, false);
            return false;
        }
        return true;
    }

    /** Takes in a batch committed serially; a failure here halts the writer, the batch stays durable. */
    private void remember(WriteSet writes, WriteSet extended) {
        try {
            state.applyCommitted(writes);
            committed(extended);
        } catch (RuntimeException | Error t) {
            halt(List.of(), t, false);
        }
    }

    /** Counts a durable batch, before its callers hear, so that statistics read after an outcome include it. */
    private void counted(WriteSet writes) {
        stats.batches.incrementAndGet();
        stats.entries.addAndGet(writes.entries().size());
    }

    /** Takes in a durable batch: the extensions' state (the fraud shield counted it when deciding). */
    private void committed(WriteSet extended) {
        for (BatchExtension x : extensions) {
            x.committed(extended);
        }
    }

    /** Decides and commits {@code batch} without overlap (after a failure); returns null. */
    private @Nullable InFlight serially(List<Request> batch) throws InterruptedException {
        if (halted()) {
            batch.forEach(r -> r.future.completeExceptionally(notRun()));
            return null;
        }
        try {
            return process(batch, 0);
        } catch (RuntimeException | Error t) {
            failed(batch, t);
            return null;
        }
    }

    /**
     * A batch failed for a reason other than a conflict. A store failure that rolled back fails only its
     * callers; a commit of unknown outcome, or anything unexpected, halts the writer.
     */
    private void failed(List<Request> batch, Throwable t) {
        if (t instanceof StoreException) {
            fail(batch, t);
        } else {
            halt(batch, t, t instanceof CommitOutcomeUnknownException);
        }
    }

    /** A failure that rolled back: the batch's callers get it, and every cache is dropped. */
    private void fail(List<Request> batch, Throwable t) {
        LOG.error("sequencer batch failed; nothing of it was written", t);
        stats.failures.incrementAndGet();
        batch.forEach(r -> r.future.completeExceptionally(t));
        invalidate();
    }

    /**
     * Stops the writer for good: the batch's callers get {@link LedgerHaltedException} (saying whether
     * their commands may be durable), and the run loop ends, refusing everything queued or submitted later.
     */
    private void halt(List<Request> batch, Throwable t, boolean inDoubt) {
        String reason = (t instanceof CommitOutcomeUnknownException
                        ? "a commit's outcome is unknown: "
                        : "an unexpected failure: ")
                + t;
        if (stats.halt(WriterHealth.halted(reason, clock.instant()))) {
            LOG.error("the ledger's writer halted and writes nothing until the process is restarted: {}", reason, t);
        }
        if (!batch.isEmpty()) {
            stats.failures.incrementAndGet();
        }
        LedgerHaltedException failure = new LedgerHaltedException(health().reason(), inDoubt, t);
        batch.forEach(r -> r.future.completeExceptionally(failure));
        invalidate();
    }

    /** Blocks briefly for the first request, then drains what else fits the batch. */
    private List<Request> take() throws InterruptedException {
        Request first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
            return List.of();
        }
        List<Request> batch = new ArrayList<>();
        batch.add(first);
        fill(batch, first.commands.size());
        return batch;
    }

    /** What is queued now, up to the batch limit, without waiting. */
    private List<Request> drain() {
        List<Request> batch = new ArrayList<>();
        fill(batch, 0);
        return batch;
    }

    private void fill(List<Request> batch, int size) {
        Request next;
        while (size < options.maxBatch()
                && (next = queue.peek()) != null
                && (batch.isEmpty() || size + next.commands.size() <= options.maxBatch())) {
            batch.add(queue.poll());
            size += next.commands.size();
        }
    }

    /**
     * Decides and commits a batch serially, retrying version conflicts with back-off; {@code failed} is the
     * number of attempts that already failed. Returns null (nothing stays in flight).
     */
    private @Nullable InFlight process(List<Request> batch, int failed) throws InterruptedException {
        for (int attempt = failed; ; attempt++) {
            if (attempt > 0) {
                if (attempt > options.maxRetries()) {
                    LOG.warn("giving up after {} retries", attempt - 1);
                    rejectAll(
                            batch,
                            Rejection.of(
                                    RejectionCode.VERSION_CONFLICT,
                                    "another writer kept changing the same rows; gave up after " + (attempt - 1)
                                            + " retries"));
                    return null;
                }
                stats.retries.incrementAndGet();
                sleepBackoff(attempt - 1);
            }
            List<List<Outcome>> outcomes = new ArrayList<>(batch.size());
            WriteSet writes = decide(batch, outcomes);
            try {
                if (!writes.isEmpty()) {
                    WriteSet extended = writes;
                    for (BatchExtension x : extensions) {
                        extended = x.extend(extended);
                    }
                    store.commit(extended);
                    counted(writes);
                    // Durable: the callers hear it, whatever happens to the writer's memory of it next.
                    complete(batch, outcomes);
                    remember(writes, extended);
                } else {
                    state.endBatch();
                    complete(batch, outcomes);
                }
                return null;
            } catch (VersionConflictException e) {
                stats.conflicts.incrementAndGet();
                invalidate();
                LOG.debug("version conflict, attempt {}: {}", attempt, e.getMessage());
            }
        }
    }

    private void invalidate() {
        state.invalidate();
        // Another writer may have written later entries, with its own clock.
        lastTimeRead = false;
        // What the shield counted while deciding may not have been written, and another writer may have
        // written what it has not seen: both are settled by reading the windows back from the ledger.
        fraudWindowsStale = true;
        extensions.forEach(BatchExtension::invalidate);
    }

    private WriteSet decide(List<Request> batch, List<List<Outcome>> outcomes) {
        List<Command> all = new ArrayList<>();
        batch.forEach(r -> all.addAll(r.commands));
        state.prefetch(all);
        Overlay overlay = new Overlay(state);
        Instant now = nextTime();
        if (fraudWindowsStale) {
            reloadFraudWindows(now);
        }
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

    /**
     * Rebuilds the fraud rules' windows from the payments committed within their longest lookback: after a
     * restart, so a restart does not reset a window, and after any reset of the writer's view.
     */
    private void reloadFraudWindows(Instant now) {
        if (engine.rules().fraudPolicy().active()) {
            Instant since = now.minus(engine.rules().fraudPolicy().lookback());
            engine.rebuildFraudWindows(
                    RecentPayments.since(store, engine, since, state.head().seq()),
                    store.fraudEvents().openedSince(since),
                    now);
        }
        fraudWindowsStale = false;
    }

    /**
     * Commit time, truncated to the stored microseconds and never earlier than the last entry's, this process's
     * or one written before (a clock stepped back across a restart): created_at never decreases along the chain,
     * which history reads by seq rely on.
     */
    private Instant nextTime() {
        if (!lastTimeRead) {
            lastTime = later(lastTime, lastEntryTime());
            lastTimeRead = true;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (now.isBefore(lastTime)) {
            now = lastTime;
        }
        lastTime = now;
        return now;
    }

    private Instant lastEntryTime() {
        long seq = state.head().seq();
        return seq == 0
                ? Instant.EPOCH
                : store.findEntryBySeq(seq).map(LedgerEntry::createdAt).orElse(Instant.EPOCH);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
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
        long cap =
                Math.min(options.maxBackoff().toNanos(), options.baseBackoff().toNanos() << Math.min(attempt, 20));
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

    /** A batch handed to the committer, with what settling it needs. */
    private record InFlight(
            List<Request> batch, List<List<Outcome>> outcomes, WriteSet writes, WriteSet extended, Future<?> commit) {}

    /** Queued commands with their shared future. */
    private record Request(List<Command> commands, boolean linked, CompletableFuture<List<Outcome>> future) {
        Request(List<? extends Command> commands, boolean linked) {
            this(List.copyOf(commands), linked, new CompletableFuture<>());
        }
    }
}
