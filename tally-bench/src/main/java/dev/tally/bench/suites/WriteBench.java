package dev.tally.bench.suites;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Rules;
import dev.tally.core.store.LedgerStore;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.sequencer.SequencerOptions;
import dev.tally.ledger.sequencer.SequencerStats;
import dev.tally.store.StoreOptions;
import dev.tally.store.Stores;
import dev.tally.store.testing.bench.BenchSql;
import dev.tally.store.testing.bench.NaiveBaseline;
import dev.tally.store.testing.bench.WalAttribution;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * {@code tally bench write}: transfers per second and their latency through the sequencer, against the
 * seed's naive write path on the same kind of store in the same run.
 *
 * <p>Per skew, on a fresh store with funded accounts:
 * <ol>
 *   <li><b>peak</b>: {@code clients} concurrent clients (virtual threads, as an HTTP server would run
 *       them) each submit one transfer and wait for its durable commit before sending the next; warm-up
 *       rounds, then measured rounds of {@code transfers} transfers each;</li>
 *   <li><b>naive</b>: then, on the same store, rounds of {@link NaiveBaseline} with {@code baselineClients}
 *       threads for {@code baselineRound} each; the ratio is given of the medians, and of the sequencer's
 *       last round (on the table size the baseline starts from) to the baseline's median;</li>
 *   <li><b>low load</b>: the same as half load below, at {@link #LOW_LOAD_FRACTION} of the peak; on SQLite then
 *       {@link WalAttribution}: which tables and indexes the pages each commit logs belong to, and the
 *       disk alone ({@link FsyncProbe}) at the same commit rate;</li>
 *   <li><b>half load</b>: an open-loop generator offers a fixed 50% (or {@code loadFraction}) of the measured peak rate, and each
 *       transfer's latency counts from when it was due, not when it was sent, so a stall shows in the
 *       tail instead of slowing the generator down (no coordinated omission); measured after an untimed
 *       stretch at the same rate, so that it is the steady state's and not the peak's aftermath;</li>
 *   <li><b>store only</b>: on a second fresh store, {@link StoreCeiling}: the same batches committed
 *       without the sequencer, the ceiling the store sets;</li>
 *   <li><b>fraud</b> (with {@code --fraud recommended}): {@link FraudCost}, the peak with the shield off and
 *       with every rule on, side by side.</li>
 * </ol>
 */
final class WriteBench {
    /** The untimed stretch before the latency phase (shorter if the phase is). */
    private static final Duration LATENCY_WARMUP = Duration.ofSeconds(2);
    /** The low load the latency is also measured at, as a fraction of the peak: an ordinary day's traffic. */
    static final double LOW_LOAD_FRACTION = 0.1;
    /** How long the SQLite log is sampled at low load to say which tables and indexes its bytes come from. */
    private static final Duration ATTRIBUTION = Duration.ofSeconds(2);
    /** How long the disk alone is timed at the low load's commit rate. */
    private static final Duration FSYNC_PROBE = Duration.ofSeconds(3);
    /** The knobs of the write suite. */
    record Params(
            int clients,
            int accounts,
            List<Skew> skews,
            int batch,
            int transfers,
            int rounds,
            int warmup,
            int baselineClients,
            Duration baselineRound,
            Duration halfLoad,
            double loadFraction,
            boolean fraudShield,
            TransactionIds transactionIds) {
        ObjectNode json() {
            ObjectNode n = Views.object();
            n.put("clients", clients);
            n.put("accounts", accounts);
            ArrayNode s = n.putArray("skews");
            skews.forEach(k -> s.add(k.name().toLowerCase(java.util.Locale.ROOT)));
            n.put("batch", batch);
            n.put("transfers_per_round", transfers);
            n.put("rounds", rounds);
            n.put("warmup_rounds", warmup);
            n.put("baseline_clients", baselineClients);
            n.put("baseline_round_ms", baselineRound.toMillis());
            n.put("half_load_ms", halfLoad.toMillis());
            n.put("load_fraction", loadFraction);
            n.put("fraud", fraudShield ? "recommended" : "off");
            n.put("transaction_ids", transactionIds.name().toLowerCase(java.util.Locale.ROOT));
            return n;
        }
    }

    private final BenchStores stores;
    private final Params p;
    private final Consumer<String> log;
    private @Nullable ObjectNode storeDescription;

    WriteBench(BenchStores stores, Params params, Consumer<String> log) {
        this.stores = stores;
        this.p = params;
        this.log = log;
    }

    /** Runs every phase for every skew; the report's {@code runs} has one element per skew. */
    ObjectNode run() throws Exception {
        ObjectNode report = Views.object();
        report.set("params", p.json());
        ArrayNode runs = report.putArray("runs");
        for (Skew skew : p.skews) {
            runs.add(runSkew(skew));
        }
        report.set("store", storeDescription);
        return report;
    }

    private ObjectNode runSkew(Skew skew) throws Exception {
        String name = skew.name().toLowerCase(java.util.Locale.ROOT);
        ObjectNode run = Views.object();
        run.put("skew", name);
        ObjectNode seq = sequencerPhases(skew, name);
        run.set("sequencer", seq.get("peak"));
        run.set("low_load", seq.get("low_load"));
        if (seq.has("low_load_attribution")) {
            run.set("low_load_attribution", seq.get("low_load_attribution"));
        }
        run.set("half_load", seq.get("half_load"));
        ObjectNode naive = (ObjectNode) seq.get("naive");
        run.set("naive", naive);
        ObjectNode ceiling = new StoreCeiling(stores, p, log).run(skew, name);
        run.set("store_only", ceiling);
        double ratio = seq.get("peak").get("transfers_per_second").get("median").asDouble()
                / Math.max(1e-9, naive.get("transfers_per_second").get("median").asDouble());
        run.put("ratio", Math.round(ratio * 10) / 10.0);
        run.set("ratio_at_same_size", seq.get("ratio_at_same_size"));
        log.accept("  ratio      " + Format.ratio(ratio) + " the naive baseline (medians); "
                + Format.ratio(seq.get("ratio_at_same_size").asDouble())
                + " with the sequencer's last round, on the same table size");
        if (p.fraudShield) {
            run.set("fraud", fraudCost(skew));
        }
        return run;
    }

    /**
     * The peak with the shield off against the same peak with every rule of the recommended policy on
     * (each set to flag, so that both commit the same payments), rounds alternating on fresh stores.
     */
    private ObjectNode fraudCost(Skew skew) throws Exception {
        FraudCost cost = new FraudCost(
                stores, new FraudCost.Params(p.accounts, p.clients, p.transfers, p.rounds, skew, p.batch), log);
        return cost.compare(FraudBench.everyRuleFlagging(), "every rule on", FraudCost.ESTABLISHED_AGE);
    }

    private ObjectNode sequencerPhases(Skew skew, String name) throws Exception {
        String location = stores.fresh("seq" + name);
        LedgerConfig config = LedgerConfig.defaults()
                .withLocation(location)
                .withSequencer(SequencerOptions.DEFAULTS.withMaxBatch(p.batch));
        ObjectNode out = Views.object();
        Population people;
        Skew.Picker picker = skew.picker(p.accounts, 42);
        List<Double> rates = new ArrayList<>();
        try (Ledger ledger = Ledger.open(config)) {
            if (storeDescription == null) {
                storeDescription = stores.describe(LedgerInternals.store(ledger));
            }
            people = Population.open(ledger, p.accounts).withTransactionIds(p.transactionIds);
            log.accept("skew " + name + ": " + p.accounts + " accounts, " + p.clients + " clients, batch limit "
                    + p.batch);
            for (int i = 0; i < p.warmup; i++) {
                closedLoop(ledger, people, picker, new Recorder(3));
            }
            Recorder latency = new Recorder(3);
            SequencerStats stats = ledger.stats();
            long batches0 = stats.batches();
            long entries0 = stats.entries();
            long rejected0 = stats.rejections();
            long overlapped0 = stats.overlapped();
            for (int i = 0; i < p.rounds; i++) {
                double rate = closedLoop(ledger, people, picker, latency);
                rates.add(rate);
                log.accept("  sequencer  round " + (i + 1) + ": " + Format.count(rate) + " transfers/s");
            }
            Spread spread = Spread.of(rates);
            Latency lat = Latency.of(latency.getIntervalHistogram());
            ObjectNode peak = Views.object();
            peak.set("transfers_per_second", spread.json());
            peak.set("latency", lat.json());
            long batches = stats.batches() - batches0;
            peak.put("batches", batches);
            peak.put("mean_batch", batches == 0 ? 0 : (stats.entries() - entries0) / batches);
            peak.put("overlapped_batches", stats.overlapped() - overlapped0);
            peak.put("rejected", stats.rejections() - rejected0);
            peak.put(
                    "entries_in_store_after",
                    LedgerInternals.store(ledger).loadHead().seq());
            out.set("peak", peak);
            log.accept("  sequencer  " + spread.text() + " transfers/s, mean batch "
                    + peak.get("mean_batch").asLong() + "; latency " + lat.text());

            double low = spread.median() * LOW_LOAD_FRACTION;
            ObjectNode lowLoad = latencyPhase(ledger, people, picker, low, LOW_LOAD_FRACTION);
            out.set("low_load", lowLoad);
            if (!BenchSql.isPostgres(LedgerInternals.store(ledger))) {
                out.set("low_load_attribution", attribution(ledger, people, picker, low, location));
            }
            double offered = spread.median() * p.loadFraction;
            ObjectNode half = latencyPhase(ledger, people, picker, offered, p.loadFraction);
            out.set("half_load", half);
        }
        // The baseline on the same store, now as large as the sequencer left it. It keeps no Merkle tree (the
        // seed has none), so it runs after the ledger is done with the store.
        try (LedgerStore naiveStore =
                Stores.open(location, new StoreOptions(true, Math.min(256, p.baselineClients + 1)))) {
            long before = naiveStore.loadHead().seq();
            naiveRound(
                    naiveStore,
                    people,
                    picker,
                    Duration.ofMillis(Math.min(1_000, p.baselineRound.toMillis())),
                    new Recorder(3));
            Recorder naiveLatency = new Recorder(3);
            List<Double> naiveRates = new ArrayList<>();
            long conflicts = 0;
            for (int i = 0; i < p.rounds; i++) {
                long[] r = naiveRound(naiveStore, people, picker, p.baselineRound, naiveLatency);
                naiveRates.add(r[0] / (r[2] / 1e9));
                conflicts += r[1];
                log.accept(
                        "  naive      round " + (i + 1) + ": " + Format.count(naiveRates.getLast()) + " transfers/s");
            }
            Spread naiveSpread = Spread.of(naiveRates);
            Latency naiveLat = Latency.of(naiveLatency.getIntervalHistogram());
            ObjectNode naive = Views.object();
            naive.set("transfers_per_second", naiveSpread.json());
            naive.set("latency", naiveLat.json());
            naive.put("clients", p.baselineClients);
            naive.put("conflicts_retried", conflicts);
            naive.put("entries_in_store_before", before);
            out.set("naive", naive);
            // The sequencer's last round ran on the largest table, the size the baseline meets.
            out.put(
                    "ratio_at_same_size",
                    Math.round(rates.getLast() / Math.max(1e-9, naiveSpread.median()) * 10) / 10.0);
            log.accept("  naive      " + naiveSpread.text() + " transfers/s; latency " + naiveLat.text());
        }
        return out;
    }

    /** Every client sends a transfer and waits for it; returns transfers per second over the round. */
    private double closedLoop(Ledger ledger, Population people, Skew.Picker picker, Recorder latency) throws Exception {
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>(p.clients);
            for (int c = 0; c < p.clients; c++) {
                running.add(clients.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (next.getAndIncrement() < p.transfers) {
                        Command.Payment payment = people.transfer(picker, random);
                        long t0 = System.nanoTime();
                        ledger.submit(payment).join();
                        latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1_000));
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        return p.transfers / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * The latency phase: first an untimed stretch at the same rate, because the peak before it leaves the
     * store with work of its own (SQLite: a log for the checkpointer to copy) and the figure asked for is the
     * steady state's; then the measured one.
     */
    private ObjectNode latencyPhase(Ledger ledger, Population people, Skew.Picker picker, double rate, double fraction)
            throws InterruptedException {
        Duration warm = p.halfLoad.compareTo(LATENCY_WARMUP) < 0 ? p.halfLoad : LATENCY_WARMUP;
        openLoop(ledger, people, picker, rate, warm);
        GcTime gc0 = GcTime.now();
        Hiccups hiccups = Hiccups.start();
        OpenLoop measured = openLoop(ledger, people, picker, rate, p.halfLoad);
        Latency stalls = hiccups.stop();
        GcTime gc = GcTime.now().since(gc0);
        Latency lat = Latency.of(measured.latency);
        ObjectNode n = Views.object();
        n.put("fraction_of_peak", fraction);
        n.put("offered_per_second", Math.round(rate));
        n.put("achieved_per_second", Math.round(measured.done / measured.seconds));
        n.put("warmup_ms", warm.toMillis());
        n.set("latency", lat.json());
        n.put("batches", measured.batches);
        n.put("mean_batch", measured.batches == 0 ? 0 : measured.entries / measured.batches);
        LedgerStore store = LedgerInternals.store(ledger);
        String bytes = "";
        if (measured.bytes.isPresent() && measured.entries > 0) {
            long perEntry = measured.bytes.getAsLong() / measured.entries;
            n.put(WrittenBytes.perEntryName(store), perEntry);
            n.put("written_mib_per_second", Math.round(measured.bytes.getAsLong() / measured.seconds / (1 << 20)));
            bytes = "; " + WrittenBytes.perEntryText(store, perEntry) + ", "
                    + n.get("written_mib_per_second").asLong() + " MiB/s";
        }
        n.put("gc_collections", gc.collections());
        n.put("gc_ms", gc.millis());
        n.set("hiccups", stalls.json());
        log.accept("  " + (fraction == 0.5 ? "half load " : "load " + fraction) + " " + Format.count(rate)
                + " transfers/s offered, mean batch " + n.get("mean_batch").asLong() + "; latency " + lat.text()
                + bytes);
        log.accept("             GC " + gc.collections() + " collections, " + gc.millis()
                + " ms; a 1 ms sleep woke late by " + stalls.text());
        return n;
    }

    /**
     * At low load on SQLite: samples the log while the same rate runs, to say which tables and indexes the
     * written pages belong to, then times the disk alone at the commit rate and commit size just seen.
     */
    private ObjectNode attribution(Ledger ledger, Population people, Skew.Picker picker, double rate, String location)
            throws Exception {
        LedgerStore store = LedgerInternals.store(ledger);
        WalAttribution wal = new WalAttribution();
        java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform()
                .daemon()
                .name("tally-bench-wal-sampler")
                .start(() -> {
                    while (sampling.get()) {
                        wal.sample(store);
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                    }
                });
        OpenLoop run;
        try {
            run = openLoop(ledger, people, picker, rate, ATTRIBUTION);
        } finally {
            sampling.set(false);
            sampler.join();
        }
        WalAttribution.Report r = wal.report(store);
        double batch = run.batches == 0 ? 1 : run.entries / (double) run.batches;
        int frame = r.pageSize() + 24;
        ObjectNode n = Views.object();
        n.put("commits_sampled", r.commits());
        n.put("mean_batch", Math.round(batch * 10) / 10.0);
        n.put("page_size", r.pageSize());
        n.put("wal_frames_per_commit", Math.round(r.framesPerCommit() * 10) / 10.0);
        n.put("wal_bytes_per_entry", Math.round(r.framesPerCommit() * frame / batch));
        n.put("wal_frame_header_bytes_per_entry", Math.round(r.framesPerCommit() * 24 / batch));
        n.put("checkpoint_pages_per_commit", Math.round(r.checkpointPagesPerCommit() * 10) / 10.0);
        n.put("checkpoint_bytes_per_entry", Math.round(r.checkpointPagesPerCommit() * r.pageSize() / batch));
        String written = "";
        if (run.bytes.isPresent() && run.entries > 0) {
            long perEntry = run.bytes.getAsLong() / run.entries;
            n.put("process_bytes_written_per_entry", perEntry);
            n.put(
                    "not_log_bytes_per_entry",
                    perEntry - n.get("wal_bytes_per_entry").asLong());
            written = "; the process wrote " + Format.count(perEntry / 1024.0) + " KiB/entry in all";
        }
        ObjectNode by = n.putObject("pages_per_commit_by_object");
        r.pagesPerCommitByObject().entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> by.put(e.getKey(), Math.round(e.getValue() * 100) / 100.0));
        double commitsPerSecond = Math.max(1, rate / batch);
        int commitBytes = (int) Math.max(frame, Math.round(r.framesPerCommit() * frame));
        Latency disk = FsyncProbe.run(
                java.nio.file.Path.of(location + "-fsync-probe"),
                commitBytes,
                commitsPerSecond,
                FSYNC_PROBE,
                Math.max(commitBytes, (long) (commitBytes * commitsPerSecond / 20)));
        ObjectNode probe = n.putObject("fsync_probe");
        probe.put("bytes_per_commit", commitBytes);
        probe.put("commits_per_second", Math.round(commitsPerSecond));
        probe.set("latency", disk.json());
        log.accept(
                "             log per commit: " + n.get("wal_frames_per_commit").asDouble() + " pages of "
                        + r.pageSize() + " B (" + r.commits() + " commits sampled, mean batch "
                        + n.get("mean_batch").asDouble()
                        + "): " + by + "; log "
                        + Format.count(n.get("wal_bytes_per_entry").asLong() / 1024.0)
                        + " KiB/entry, checkpoints at least "
                        + Format.count(n.get("checkpoint_bytes_per_entry").asLong() / 1024.0)
                        + " KiB/entry" + written);
        log.accept("             the disk alone, " + commitBytes + " B + fsync at " + Math.round(commitsPerSecond)
                + "/s: " + disk.text());
        return n;
    }

    /** What one open-loop stretch did. */
    private record OpenLoop(
            Histogram latency, long done, double seconds, long batches, long entries, OptionalLong bytes) {}

    /**
     * Offers {@code rate} transfers per second on a fixed schedule for {@code length}, whatever the ledger
     * does, and times each from its due time to its durable commit.
     */
    private OpenLoop openLoop(Ledger ledger, Population people, Skew.Picker picker, double rate, Duration length)
            throws InterruptedException {
        SequencerStats stats = ledger.stats();
        long batches0 = stats.batches();
        long entries0 = stats.entries();
        OptionalLong bytes0 = WrittenBytes.sofar(LedgerInternals.store(ledger));
        Histogram h = new Histogram(3);
        Recorder latency = new Recorder(3);
        LongAdder done = new LongAdder();
        long interval = Math.max(1, (long) (1e9 / rate));
        long start = System.nanoTime();
        long end = start + length.toNanos();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long sent = 0;
        while (true) {
            long due = start + sent * interval;
            if (due >= end) {
                break;
            }
            long now = System.nanoTime();
            if (due > now) {
                // Sleep in short ticks: a transfer is late by at most a tick, and that lateness is measured.
                LockSupport.parkNanos(Math.min(due - now, 100_000));
                continue;
            }
            long dueAt = due;
            ledger.submit(people.transfer(picker, random)).whenComplete((o, t) -> {
                latency.recordValue(Math.max(1, (System.nanoTime() - dueAt) / 1_000));
                done.increment();
            });
            sent++;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (done.sum() < sent && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(1);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        h.add(latency.getIntervalHistogram());
        OptionalLong bytes1 = WrittenBytes.sofar(LedgerInternals.store(ledger));
        OptionalLong bytes = bytes0.isPresent() && bytes1.isPresent()
                ? OptionalLong.of(bytes1.getAsLong() - bytes0.getAsLong())
                : OptionalLong.empty();
        return new OpenLoop(h, done.sum(), seconds, stats.batches() - batches0, stats.entries() - entries0, bytes);
    }

    /** {written, conflicts, elapsed nanoseconds} of one fixed-length round of the naive path. */
    private long[] naiveRound(
            LedgerStore store, Population people, Skew.Picker picker, Duration length, Recorder latency)
            throws Exception {
        LongAdder written = new LongAdder();
        LongAdder conflicts = new LongAdder();
        long start = System.nanoTime();
        long end = start + length.toNanos();
        try (ExecutorService clients = Executors.newFixedThreadPool(p.baselineClients)) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < p.baselineClients; c++) {
                running.add(clients.submit(() -> {
                    NaiveBaseline naive = new NaiveBaseline(store, Rules.defaults(), Clock.systemUTC());
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (System.nanoTime() < end) {
                        Command.Payment payment = people.transfer(picker, random);
                        long t0 = System.nanoTime();
                        if (naive.transfer(payment)) {
                            written.increment();
                        }
                        latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1_000));
                    }
                    conflicts.add(naive.conflicts());
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        return new long[] {written.sum(), conflicts.sum(), System.nanoTime() - start};
    }
}
