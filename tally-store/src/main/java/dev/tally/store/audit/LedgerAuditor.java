package dev.tally.store.audit;

import com.zaxxer.hikari.HikariDataSource;
import dev.tally.core.audit.ChainFindings;
import dev.tally.core.audit.ChainVerifier;
import dev.tally.core.audit.CheckpointCheck;
import dev.tally.core.audit.CheckpointSummary;
import dev.tally.core.audit.CheckpointVerifier;
import dev.tally.core.audit.Finding;
import dev.tally.core.audit.Link;
import dev.tally.core.audit.Reconciler;
import dev.tally.core.audit.ReconciliationReport;
import dev.tally.core.audit.ReportJson;
import dev.tally.core.audit.RunKind;
import dev.tally.core.audit.SnapshotCheck;
import dev.tally.core.audit.StoredRow;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerificationRun;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.engine.ChainHead;
import dev.tally.core.engine.Rules;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.store.ArchivedMonth;
import dev.tally.core.store.BalanceSnapshot;
import dev.tally.core.store.LedgerStore;
import dev.tally.core.store.VerificationRunStore;
import dev.tally.store.internal.jdbc.ChainScanner;
import dev.tally.store.internal.jdbc.JdbcLedgerStore;
import dev.tally.store.internal.jdbc.MalformedRowException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The ledger's auditor: chain verification (full or incremental), reconciliation, and the record of both.
 * The pure checks are the core's ({@link ChainVerifier}, {@link Reconciler}); this class plans the work,
 * runs it in parallel ranges, adds the checks that need the whole chain (its recorded head, the anchor of
 * an incremental run), and records every run in {@code verification_runs}.
 *
 * <p>On a JDBC store (SQLite, PostgreSQL) rows are read by the fast {@link ChainScanner}, one range per
 * thread and connection; the chain splits because each range starts from the stored row before it. Any
 * other {@link LedgerStore} is read entry by entry through its interface, on one thread. Every run is
 * recorded through the store's {@link LedgerStore#verificationRuns()}. Thread-safe; a run may go on while the ledger
 * writes: it covers the chain as it was when the run began.
 */
public final class LedgerAuditor {
    private final LedgerStore store;
    private final Rules rules;
    private final Clock clock;
    private final Optional<ChainScanner> scanner;
    private final VerificationRunStore runs;
    private final Optional<LedgerStore> primary;

    public LedgerAuditor(LedgerStore store, Rules rules, Clock clock) {
        this(store, Optional.empty(), rules, clock);
    }

    /**
     * An auditor that reads the entries from {@code replica} and records its runs (and finds its anchors) on
     * {@code primary}, which the replica follows: a replica is read-only. A run covers what the replica had
     * replayed when it began, and its anchor is never set past that.
     */
    public LedgerAuditor(LedgerStore replica, LedgerStore primary, Rules rules, Clock clock) {
        this(replica, Optional.of(primary), rules, clock);
    }

    private LedgerAuditor(LedgerStore store, Optional<LedgerStore> primary, Rules rules, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scanner = store instanceof JdbcLedgerStore jdbc ? Optional.of(new ChainScanner(jdbc)) : Optional.empty();
        this.primary = primary;
        this.runs = primary.orElse(store).verificationRuns();
    }

    /**
     * The anchors an incremental run may start from. On a replica, an anchor past what the replica has replayed
     * (set by a run on the primary, or on a replica further ahead) is passed over for an older one while the
     * primary still has that entry; one past the primary's head too is kept, so a truncation is still caught.
     */
    private List<VerificationRun> anchorCandidates(int limit, long to) {
        List<VerificationRun> recent = runs.recentAnchors(limit);
        if (primary.isEmpty()) {
            return recent;
        }
        long primaryHead = primary.get().loadHead().seq();
        return recent.stream()
                .filter(r -> r.toSeq() <= to || r.toSeq() > primaryHead)
                .toList();
    }

    // ---- chain verification ---------------------------------------------------------------------

    /** Verifies the chain as {@code options} say, records the run, and reports. */
    public VerificationReport verify(VerifyOptions options) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        Plan plan = plan(options);
        List<ChainVerifier.RangeResult> parts = options.scan() == VerifyOptions.Scan.FAST && scanner.isPresent()
                ? scanFast(plan, options)
                : List.of(scanStreaming(plan, options));
        List<Finding> extra = new ArrayList<>(plan.extra);
        Optional<Link> newest = newest(plan, parts);
        extra.addAll(headChecks(plan, newest));
        // Signed checkpoints: rewritten or truncated history that the chain alone cannot show.
        Optional<ArchivedMonth> boundary = store.archives().boundary();
        Optional<CheckpointCheck> checks = options.checkpoints().map(c -> withBoundary(c, boundary));
        // Once months are archived, the signed roots below the boundary are the archives' to recompute (tally
        // verify --archives); the live ledger binds its checkpoints to the stored tree, as an incremental run does.
        VerifyOptions.Mode checkpointMode = boundary.isPresent() ? VerifyOptions.Mode.INCREMENTAL : plan.mode;
        checks.ifPresent(c -> extra.addAll(new CheckpointAudit(store).check(c, checkpointMode)));
        CheckpointSummary checked = checks.map(c -> CheckpointSummary.of(new CheckpointVerifier(c), c.source()))
                .orElse(CheckpointSummary.NONE);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        VerificationReport report = VerificationReport.merge(
                        plan.mode,
                        plan.from,
                        plan.to,
                        plan.to,
                        parts,
                        extra,
                        options.maxFindings(),
                        started,
                        elapsed,
                        plan.note)
                .withCheckpoints(checked);
        VerificationRun run = new VerificationRun(
                UUID.randomUUID(),
                RunKind.of(plan.mode),
                started,
                clock.instant(),
                plan.from,
                plan.to,
                newest.filter(n -> n.seq() == plan.to).flatMap(LedgerAuditor::hashOf),
                report.valid(),
                report.findingsTotal(),
                elapsed.toMillis(),
                Optional.of(ReportJson.write(report.toMap())));
        record(options.anchorKey().map(run::authenticatedBy).orElse(run));
        return report;
    }

    /**
     * What a run covers: {@code from..to}, starting from {@code start} (the genesis link, or the anchor);
     * {@code floor} is the lowest position a range's predecessor may have.
     */
    private record Plan(
            VerifyOptions.Mode mode,
            long from,
            long to,
            long floor,
            Link start,
            Optional<Link> head,
            OptionalLong maxSeq,
            List<Finding> extra,
            Optional<String> note) {}

    private Plan plan(VerifyOptions options) {
        ChainScanner.Extent extent = scanner.map(ChainScanner::extent).orElseGet(() -> {
            ChainHead h = store.loadHead();
            Link head = new Link(h.seq(), Optional.empty(), h.hash().bytes(), Long.MIN_VALUE);
            return new ChainScanner.Extent(Optional.of(head), OptionalLong.empty(), OptionalLong.empty());
        });
        long headSeq = extent.head().map(Link::seq).orElse(0L);
        long to = Math.max(headSeq, extent.maxSeq().orElse(0));
        if (options.mode() == VerifyOptions.Mode.FULL) {
            return fullPlan(extent, to, Optional.empty());
        }
        AnchorChoice choice = AnchorChoice.choose(options.anchorKey(), limit -> anchorCandidates(limit, to));
        if (choice.run().isEmpty()) {
            return fullPlan(extent, to, Optional.of(choice.note()));
        }
        VerificationRun run = choice.run().get();
        long anchor = run.toSeq();
        Optional<ArchivedMonth> archived = store.archives().boundary();
        if (archived.isPresent() && anchor < archived.get().lastSeq()) {
            return archivedPlan(extent, to, archived.get());
        }
        Hash recorded = run.lastHash().orElseThrow();
        List<Finding> extra = new ArrayList<>();
        Link start = Link.GENESIS;
        if (anchor > 0) {
            Optional<Link> stored = scanner.isPresent()
                    ? scanner.get().linkAt(anchor)
                    : store.findEntryBySeq(anchor).map(ChainVerifier::linkOf);
            if (stored.isEmpty() || !Arrays.equals(stored.get().storedHash(), recorded.bytes())) {
                extra.add(
                        new ChainFindings(rules.currencies()).anchorMismatch(run.id(), anchor, recorded.hex(), stored));
            } else {
                // The anchor row itself is checked in full (content and link), though its range is not re-read.
                ChainVerifier check = new ChainVerifier(
                        rules.currencies(), linkBefore(anchor, 1), VerifyOptions.DEFAULT_MAX_FINDINGS);
                anchorRow(anchor).ifPresent(check::accept);
                extra.addAll(check.result().findings());
            }
            start = new Link(
                    anchor,
                    stored.flatMap(Link::transactionId),
                    recorded.bytes(),
                    stored.map(Link::createdAtMicros).orElse(Long.MIN_VALUE));
        }
        return new Plan(
                VerifyOptions.Mode.INCREMENTAL,
                anchor + 1,
                to,
                anchor + 1,
                start,
                extent.head(),
                extent.maxSeq(),
                extra,
                Optional.of(choice.note()));
    }

    /** The boundary's signed checkpoint joins the ones checked: a bad signature or an inconsistent root is a finding. */
    private static CheckpointCheck withBoundary(CheckpointCheck c, Optional<ArchivedMonth> boundary) {
        if (boundary.isEmpty() || c.notes().contains(boundary.get().checkpointNote())) {
            return c;
        }
        List<String> notes = new ArrayList<>(c.notes());
        notes.add(boundary.get().checkpointNote());
        return new CheckpointCheck(c.key(), notes, c.source());
    }

    private Plan fullPlan(ChainScanner.Extent extent, long to, Optional<String> note) {
        Optional<ArchivedMonth> boundary = store.archives().boundary();
        if (boundary.isPresent()) {
            return archivedPlan(extent, to, boundary.get());
        }
        // Rows at positions below 1 are forged: start low enough to read (and report) them.
        long from = Math.min(1, extent.minSeq().orElse(1));
        return new Plan(
                VerifyOptions.Mode.FULL, from, to, 1, Link.GENESIS, extent.head(), extent.maxSeq(), List.of(), note);
    }

    /**
     * A full run of a ledger whose oldest months are archived: from the entry after the archived boundary, whose
     * predecessor is the boundary's recorded hash. {@link ArchiveBoundary} checks that the stored Merkle tree holds
     * that hash as the last leaf of the boundary's signed checkpoint, so the boundary cannot move without a new
     * signature. A live row below the boundary is read and reported.
     */
    private Plan archivedPlan(ChainScanner.Extent extent, long to, ArchivedMonth b) {
        long first = b.lastSeq() + 1;
        long from = Math.min(first, extent.minSeq().orElse(first));
        Link start = new Link(b.lastSeq(), Optional.empty(), b.lastHash().bytes(), b.lastCreatedAtMicros());
        return new Plan(
                VerifyOptions.Mode.FULL,
                from,
                to,
                first,
                start,
                extent.head(),
                extent.maxSeq(),
                ArchiveBoundary.check(store, b),
                Optional.of("Entries 1.." + b.lastSeq() + " are archived (months up to " + b.month()
                        + "): verified from the archived boundary; tally verify --archives checks the archives"));
    }

    private Optional<StoredRow> anchorRow(long seq) {
        if (scanner.isPresent()) {
            return scanner.get().row(seq);
        }
        return store.findEntryBySeq(seq).map(StoredRow.Readable::new);
    }

    private Link linkBefore(long seq, long floor) {
        if (scanner.isPresent()) {
            return scanner.get().linkBefore(seq, floor).orElse(Link.GENESIS);
        }
        return seq - 1 >= floor
                ? store.findEntryBySeq(seq - 1).map(ChainVerifier::linkOf).orElse(Link.GENESIS)
                : Link.GENESIS;
    }

    private List<ChainVerifier.RangeResult> scanFast(Plan plan, VerifyOptions options) {
        ChainScanner s = scanner.orElseThrow();
        long total = Math.max(0, plan.to - plan.from + 1);
        AtomicLong done = new AtomicLong();
        List<Callable<ChainVerifier.RangeResult>> ranges = new ArrayList<>();
        int threads = threads(options.parallelism());
        for (long[] r : RangeDriver.split(plan.from, plan.to, threads)) {
            long lo = r[0];
            long hi = r[1];
            ranges.add(() -> {
                Link predecessor = lo == plan.from
                        ? plan.start
                        : s.linkBefore(lo, plan.floor).orElse(plan.start);
                ChainVerifier verifier = new ChainVerifier(rules.currencies(), predecessor, options.maxFindings());
                s.scan(lo, hi, verifier, n -> options.progress().update(done.addAndGet(n), total));
                return verifier.result();
            });
        }
        return RangeDriver.runAll(ranges, threads, "tally-audit");
    }

    /**
     * The threads a run may use: each holds a pooled connection while it reads, so no more than the pool
     * has, less one for the ledger's writer; a thread waiting for a connection could time out.
     */
    private int threads(int wanted) {
        if (store instanceof JdbcLedgerStore jdbc && jdbc.dataSource() instanceof HikariDataSource pool) {
            return Math.max(1, Math.min(wanted, pool.getMaximumPoolSize() - 1));
        }
        return wanted;
    }

    /** The reference way: every entry read in full, in order, on this thread. */
    private ChainVerifier.RangeResult scanStreaming(Plan plan, VerifyOptions options) {
        ChainVerifier verifier = new ChainVerifier(rules.currencies(), plan.start, options.maxFindings());
        long total = Math.max(0, plan.to - plan.from + 1);
        long[] done = {0};
        Consumer<StoredRow> sink = row -> {
            verifier.accept(row);
            if (++done[0] % 4096 == 0) {
                options.progress().update(done[0], total);
            }
        };
        streamRows(plan.from, scanner.isPresent() ? plan.to : Long.MAX_VALUE, sink);
        options.progress().update(done[0], total);
        return verifier.result();
    }

    /** Every stored row in {@code from..to}, in order, read in full; unreadable rows as such. */
    private void streamRows(long from, long to, Consumer<StoredRow> sink) {
        if (scanner.isPresent()) {
            scanner.get().stream(from, to, sink);
            return;
        }
        long next = from;
        while (next <= to) {
            long[] last = {next - 1};
            try {
                store.streamEntries(next, to, e -> {
                    last[0] = e.seq();
                    sink.accept(new StoredRow.Readable(e));
                    return true;
                });
                return;
            } catch (MalformedRowException bad) {
                // The store's stream stops at a row it cannot read: report it, and go on after it.
                sink.accept(new StoredRow.Malformed(bad.seq(), Optional.of(bad.transactionId()), bad.getMessage()));
                next = Math.max(bad.seq(), last[0]) + 1;
            }
        }
    }

    private Optional<Link> newest(Plan plan, List<ChainVerifier.RangeResult> parts) {
        if (scanner.isPresent()) {
            return plan.maxSeq.isPresent() ? scanner.get().linkAt(plan.maxSeq.getAsLong()) : Optional.empty();
        }
        Optional<Link> last = Optional.empty();
        for (ChainVerifier.RangeResult r : parts) {
            if (r.last().isPresent()) {
                last = r.last();
            }
        }
        return last.isPresent() || plan.start.seq() == 0 ? last : Optional.of(plan.start);
    }

    /** The chain head against the newest stored row: the core's rule, as the offline audit applies it. */
    private List<Finding> headChecks(Plan plan, Optional<Link> newest) {
        ChainFindings describe = new ChainFindings(rules.currencies());
        if (plan.head.isEmpty()) {
            return List.of(describe.headMismatch(0, "(missing)", newest));
        }
        Link head = plan.head.get();
        return describe.headChecks(
                head.seq(), head.hashHex(), newest.map(Link::seq).orElse(0L), newest, plan.from);
    }

    private static Optional<Hash> hashOf(Link l) {
        byte[] b = l.storedHash();
        return b.length == 32 ? Optional.of(Hash.of(b)) : Optional.empty();
    }

    // ---- reconciliation -------------------------------------------------------------------------

    /** Replays the ledger on every core and compares it with the stored state; records the run. */
    public ReconciliationReport reconcile(int parallelism, int maxFindings) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        Reconciler total = new Reconciler(rules.treasuryId(), rules.currencies());
        // Archived months are replayed once, into the boundary's state: the live ledger goes on from there.
        Optional<ArchivedMonth> boundary = store.archives().boundary();
        boundary.ifPresent(b -> b.state().replayInto(total));
        long firstLive = boundary.map(b -> b.lastSeq() + 1).orElse(1L);
        ReconciliationReport report;
        if (scanner.isPresent()) {
            ChainScanner s = scanner.get();
            long replayedTo = s.extent().head().map(Link::seq).orElse(0L);
            List<Callable<Reconciler>> ranges = new ArrayList<>();
            int threads = threads(parallelism);
            for (long[] r : RangeDriver.split(firstLive, replayedTo, threads)) {
                ranges.add(() -> {
                    Reconciler part = new Reconciler(rules.treasuryId(), rules.currencies());
                    s.stream(r[0], r[1], row -> replay(part, row));
                    return part;
                });
            }
            RangeDriver.runAll(ranges, threads, "tally-audit").forEach(total::merge);
            StoredState state = new StoredState();
            s.readState(state);
            // The state is read after the replay; entries committed in between are replayed too.
            if (state.head > replayedTo) {
                s.stream(replayedTo + 1, state.head, row -> replay(total, row));
            }
            total.accountLimits(store.accountLimits());
            state.balances.forEach(b -> total.storedBalance(b.account, b.currency, b.amount));
            // Read after the entries: a currency first used while they were replayed is recorded by now.
            total.recordedScales(store.recordedScales());
            total.addFindings(snapshotFindings());
            report = total.finish(
                    state.totals, state.supply, maxFindings, started, Duration.ofNanos(System.nanoTime() - t0));
        } else {
            long head = store.loadHead().seq();
            streamRows(firstLive, head, row -> replay(total, row));
            total.accountLimits(store.accountLimits());
            store.streamBalances(total::storedBalance);
            total.recordedScales(store.recordedScales());
            total.addFindings(snapshotFindings());
            report = total.finish(
                    store.treasuryTotals(),
                    store.supplies(),
                    maxFindings,
                    started,
                    Duration.ofNanos(System.nanoTime() - t0));
        }
        record(new VerificationRun(
                UUID.randomUUID(),
                RunKind.RECONCILE,
                started,
                clock.instant(),
                1,
                report.toSeq(),
                Optional.empty(),
                report.valid(),
                report.findingsTotal(),
                report.elapsed().toMillis(),
                Optional.of(ReportJson.write(report.toMap()))));
        return report;
    }

    /**
     * Replays the chain in order once more, only when balance snapshots exist, to check each one against the
     * balance just after its entry. The snapshots are read before the head, so every one the writer stored
     * (behind its commit) follows an entry the replay reaches.
     */
    private List<Finding> snapshotFindings() {
        List<BalanceSnapshot> snapshots = new ArrayList<>();
        store.balanceSnapshots().streamAll(snapshots::add);
        if (snapshots.isEmpty()) {
            return List.of();
        }
        long head = store.loadHead().seq();
        SnapshotCheck check = new SnapshotCheck(rules.treasuryId(), rules.currencies());
        int[] next = {0};
        store.streamEntries(1, head, e -> {
            check.replay(e);
            while (next[0] < snapshots.size() && snapshots.get(next[0]).seq() <= e.seq()) {
                check.check(snapshots.get(next[0]++));
            }
            return true;
        });
        while (next[0] < snapshots.size()) {
            check.check(snapshots.get(next[0]++));
        }
        return check.findings();
    }

    /**
     * Records a run. A verdict matters more than its record: when the record cannot be written (a read-only
     * replica, say), the report is still returned, with a warning in the log; the next incremental run
     * then starts from an older anchor, which is safe.
     */
    private void record(VerificationRun run) {
        try {
            runs.record(run);
        } catch (StoreException e) {
            LoggerFactory.getLogger(LedgerAuditor.class)
                    .warn("[AUDIT] the {} run could not be recorded: {}", run.kind(), e.getMessage());
        }
    }

    private static void replay(Reconciler reconciler, StoredRow row) {
        switch (row) {
            case StoredRow.Readable r -> reconciler.replay(r.entry());
            case StoredRow.Malformed m -> reconciler.unreadable(m);
        }
    }

    /** The stored state, collected in one snapshot (bounded by accounts, not entries). */
    private static final class StoredState implements ChainScanner.StateSink {
        private record BalanceRow(UUID account, String currency, long amount) {}

        long head;
        final List<BalanceRow> balances = new ArrayList<>();
        final Map<TreasuryKey, Long> totals = new HashMap<>();
        final Map<String, Supply> supply = new HashMap<>();

        @Override
        public void head(long seq) {
            head = seq;
        }

        @Override
        public void balance(UUID account, String currency, long amount) {
            balances.add(new BalanceRow(account, currency, amount));
        }

        @Override
        public void treasuryTotal(String currency, String taxKind, long amount) {
            totals.put(new TreasuryKey(currency, TaxKind.valueOf(taxKind)), amount);
        }

        @Override
        public void supply(String currency, long minted, long burned) {
            supply.put(currency, new Supply(minted, burned, 0));
        }
    }

    // ---- history --------------------------------------------------------------------------------

    /** The newest recorded runs first. */
    public List<VerificationRun> history(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        return runs.history(limit);
    }

    /** A recorded run with its full report. */
    public Optional<VerificationRun> run(UUID id) {
        return runs.find(id);
    }
}
