package dev.tally.bench.suites;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.audit.AnchorKey;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.Rules;
import dev.tally.core.error.TallyException;
import dev.tally.core.store.HistoryQuery;
import dev.tally.core.store.LedgerStore;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.store.audit.LedgerAuditor;
import dev.tally.store.testing.bench.ScaleSql;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code tally bench scale}: a PostgreSQL ledger grown to {@code entries} entries, and what its size costs, each
 * figure beside the one it is compared with, taken in the same run on the same store:
 * <ol>
 *   <li><b>write rate</b>: closed-loop rounds of single durable transfers when the ledger holds
 *       {@code baselineEntries}, then the same rounds once it holds {@code entries};</li>
 *   <li><b>history</b>: pages of 50 of one account's entries (the newest page, and a page behind a cursor at a
 *       random point of the ledger's time), offered on a fixed schedule and timed from when each was due (no
 *       coordinated omission), at both sizes;</li>
 *   <li><b>verification</b>: full verification of every entry and incremental verification of the newest
 *       {@code increment}, on the read database ({@code --read-db}, a streaming standby) through connections of
 *       its own when one is given, else on the primary;</li>
 *   <li><b>the primary's transfer rate while a full verification runs</b>: with none, with one on the read
 *       database, and with one on the primary itself, rounds interleaved;</li>
 *   <li><b>disk bytes per entry</b>: the partitioned layout as it stands, and a copy of the same rows in the
 *       layout from before the partitions.</li>
 * </ol>
 * The entries are real: transfers between funded accounts, decided by the engine and committed, hash-chained,
 * by the sequencer (the growth between the two sizes goes in batches of {@value #BUILD_CHUNK} through
 * {@link Ledger#submitAll}, which the sequencer commits in batches of up to its limit), with fsync and
 * {@code synchronous_commit} on throughout.
 */
final class ScaleBench {
    private static final int BUILD_CHUNK = Population.GROWTH_BATCH;
    private static final int PAGE = 50;

    /** The knobs of the scale suite. */
    record Params(
            int entries,
            int baselineEntries,
            int accounts,
            int clients,
            int transfers,
            int rounds,
            int increment,
            Duration historyLength,
            int historyRate,
            Duration contentionWindow,
            Optional<String> readDb) {
        ObjectNode json() {
            ObjectNode n = Views.object();
            n.put("entries", entries);
            n.put("baseline_entries", baselineEntries);
            n.put("accounts", accounts);
            n.put("clients", clients);
            n.put("transfers_per_round", transfers);
            n.put("rounds", rounds);
            n.put("increment", increment);
            n.put("history_page", PAGE);
            n.put("history_ms", historyLength.toMillis());
            n.put("history_per_second", historyRate);
            n.put("contention_window_ms", contentionWindow.toMillis());
            n.put("read_db", readDb.isPresent());
            return n;
        }
    }

    private final BenchStores stores;
    private final Params p;
    private final Consumer<String> log;
    private final AnchorKey anchorKey = new AnchorKey(randomKey());

    ScaleBench(BenchStores stores, Params params, Consumer<String> log) {
        this.stores = stores;
        this.p = params;
        this.log = log;
    }

    ObjectNode run() throws Exception {
        ObjectNode report = Views.object();
        report.set("params", p.json());
        String location = stores.fresh("scale");
        Optional<String> readLocation = p.readDb.map(url -> stores.sameSchemaOn(url, location));
        try (Ledger ledger = Ledger.open(LedgerConfig.defaults().withLocation(location))) {
            LedgerStore primary = LedgerInternals.store(ledger);
            ObjectNode store = stores.describe(primary);
            if (!store.path("fsync_on_commit").asBoolean()) {
                throw new TallyException("tally bench scale measures durable commits only: the server has fsync "
                        + store.path("fsync").asText() + ", synchronous_commit "
                        + store.path("synchronous_commit").asText());
            }
            report.set("store", store);
            Population people = Population.open(ledger, p.accounts);
            SplittableRandom random = new SplittableRandom(42);
            Skew.Picker picker = Skew.UNIFORM.picker(p.accounts, 42);

            ObjectNode build = report.putObject("build");
            grow(ledger, people, picker, random, p.baselineEntries, build, "baseline");
            ObjectNode atBaseline = writeRounds(ledger, people, picker, "at " + Format.count((double) head(primary)));
            ObjectNode historyAtBaseline = history(ledger, people);
            grow(ledger, people, picker, random, p.entries, build, "scale");
            ObjectNode atScale = writeRounds(ledger, people, picker, "at " + Format.count((double) head(primary)));
            ObjectNode historyAtScale = history(ledger, people);
            report.set("write_rate", compare(atBaseline, atScale, "transfers_per_second", "at_baseline", "at_scale"));
            log.accept("  write rate at scale: "
                    + Format.count(100 * report.get("write_rate").get("ratio").asDouble())
                    + "% of the rate at the baseline size (medians)");
            ObjectNode history = Views.object();
            history.set("at_baseline", historyAtBaseline);
            history.set("at_scale", historyAtScale);
            report.set("history", history);

            LedgerStore read = readLocation
                    .map(l -> ScaleSql.openReadOnly(
                            l, Math.max(2, VerifyOptions.full().parallelism() + 1)))
                    .orElse(primary);
            try {
                report.set("verification", verification(ledger, people, picker, random, read, readLocation));
                report.set("writes_during_verification", contention(ledger, people, picker, read, readLocation));
            } finally {
                if (readLocation.isPresent()) {
                    read.close();
                }
            }
            report.set("disk", disk(primary));
            report.put("entries_in_ledger", head(primary));
        }
        return report;
    }

    // ---- building ----------------------------------------------------------------------------------

    private void grow(
            Ledger ledger,
            Population people,
            Skew.Picker picker,
            SplittableRandom random,
            long target,
            ObjectNode build,
            String name) {
        LedgerStore store = LedgerInternals.store(ledger);
        long from = head(store);
        long t0 = System.nanoTime();
        long lastLog = t0;
        long have = from;
        while (have < target) {
            int n = (int) Math.min(BUILD_CHUNK, target - have);
            people.appendTransfers(ledger, picker, random, n);
            have += n;
            long now = System.nanoTime();
            if (now - lastLog > TimeUnit.SECONDS.toNanos(30)) {
                lastLog = now;
                log.accept("  building: " + Format.count((double) have) + " entries, "
                        + Format.count((have - from) / ((now - t0) / 1e9)) + " entries/s");
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ObjectNode n = build.putObject(name);
        n.put("from", from);
        n.put("to", head(store));
        n.put("seconds", Math.round(seconds * 10) / 10.0);
        n.put("entries_per_second", Math.round((have - from) / Math.max(1e-9, seconds)));
        log.accept("scale: grew the ledger from " + Format.count((double) from) + " to "
                + Format.count((double) head(store))
                + " entries in " + Format.seconds(seconds) + " ("
                + n.get("entries_per_second").asLong()
                + " entries/s, batches through the sequencer)");
    }

    // ---- write rate --------------------------------------------------------------------------------

    /** A warm-up round, then measured rounds of closed-loop single transfers: rate and latency. */
    private ObjectNode writeRounds(Ledger ledger, Population people, Skew.Picker picker, String where)
            throws Exception {
        closedLoop(ledger, people, picker, new Recorder(3), () -> false, p.transfers);
        Recorder latency = new Recorder(3);
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < p.rounds; i++) {
            long t0 = System.nanoTime();
            long done = closedLoop(ledger, people, picker, latency, () -> false, p.transfers);
            rates.add(done / ((System.nanoTime() - t0) / 1e9));
            log.accept(
                    "  writes " + where + " round " + (i + 1) + ": " + Format.count(rates.getLast()) + " transfers/s");
        }
        Spread spread = Spread.of(rates);
        Latency lat = Latency.of(latency.getIntervalHistogram());
        ObjectNode n = Views.object();
        n.put("entries_before", head(LedgerInternals.store(ledger)) - (long) p.transfers * (p.rounds + 1));
        n.set("transfers_per_second", spread.json());
        n.set("latency", lat.json());
        log.accept("  writes " + where + ": " + spread.text() + " transfers/s; latency " + lat.text());
        return n;
    }

    /**
     * {@code clients} clients each send a transfer and wait for its durable commit, until {@code limit} transfers
     * are sent or {@code stop} says so; returns how many were committed.
     */
    private long closedLoop(
            Ledger ledger, Population people, Skew.Picker picker, Recorder latency, BooleanSupplier stop, long limit)
            throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>(p.clients);
            for (int c = 0; c < p.clients; c++) {
                running.add(clients.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (!stop.getAsBoolean() && next.getAndIncrement() < limit) {
                        Command.Payment payment = people.transfer(picker, random);
                        long t0 = System.nanoTime();
                        Outcome o = ledger.submit(payment).join();
                        latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1_000));
                        require(o.ok(), o.toString());
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        return done.get();
    }

    // ---- history -----------------------------------------------------------------------------------

    /**
     * Pages of {@value #PAGE} of one account's history, offered at a fixed rate from one thread and timed from
     * their due time: alternately the newest page of a random account and a page behind a cursor at a random
     * moment of the ledger's life (which keyset paging must reach without reading what is newer).
     */
    private ObjectNode history(Ledger ledger, Population people) {
        LedgerStore store = LedgerInternals.store(ledger);
        long oldest =
                ledger.reads().findEntryBySeq(1).map(e -> micros(e.createdAt())).orElse(0L);
        long newest = micros(java.time.Instant.now());
        Duration warm = p.historyLength.compareTo(Duration.ofSeconds(1)) < 0 ? p.historyLength : Duration.ofSeconds(1);
        pages(store, people, oldest, newest, warm, new Histogram(3), new Histogram(3));
        Histogram first = new Histogram(3);
        Histogram deep = new Histogram(3);
        long returned = pages(store, people, oldest, newest, p.historyLength, first, deep);
        ObjectNode n = Views.object();
        n.put("entries_in_ledger", head(store));
        Latency newestPage = Latency.of(first);
        Latency deepPage = Latency.of(deep);
        n.set("newest_page", newestPage.json());
        n.set("page_behind_cursor", deepPage.json());
        n.put(
                "mean_entries_per_page",
                Math.round(returned / (double) Math.max(1, first.getTotalCount() + deep.getTotalCount())));
        log.accept("  history at " + Format.count((double) head(store)) + " entries, newest page: " + newestPage.text()
                + "; behind a cursor: " + deepPage.text());
        return n;
    }

    private long pages(
            LedgerStore store,
            Population people,
            long oldest,
            long newest,
            Duration length,
            Histogram first,
            Histogram deep) {
        SplittableRandom random = new SplittableRandom(7);
        long interval = (long) (1e9 / p.historyRate);
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long returned = 0;
        for (long i = 0; ; i++) {
            long due = start + i * interval;
            if (due >= end) {
                break;
            }
            long now = System.nanoTime();
            if (due > now) {
                LockSupport.parkNanos(due - now);
            }
            boolean behind = (i & 1) == 1;
            Optional<HistoryQuery.Cursor> cursor = behind
                    ? Optional.of(new HistoryQuery.Cursor(
                            oldest + (long) (random.nextDouble() * (newest - oldest)), Long.MAX_VALUE))
                    : Optional.empty();
            HistoryQuery query = new HistoryQuery(
                    people.account(random.nextInt(people.size())), HistoryQuery.Direction.ALL, cursor, PAGE);
            returned += store.history(query).size();
            (behind ? deep : first).recordValue(Math.max(1, (System.nanoTime() - due) / 1_000));
        }
        return returned;
    }

    // ---- verification ------------------------------------------------------------------------------

    private ObjectNode verification(
            Ledger ledger,
            Population people,
            Skew.Picker picker,
            SplittableRandom random,
            LedgerStore read,
            Optional<String> readLocation)
            throws InterruptedException {
        LedgerStore primary = LedgerInternals.store(ledger);
        VerifyOptions full = VerifyOptions.full().withAnchorKey(anchorKey);
        ObjectNode n = Views.object();
        n.put("read_from", readLocation.isPresent() ? "read-db" : "primary");
        if (readLocation.isPresent()) {
            n.put("read_db_is_standby", ScaleSql.inRecovery(read));
        }
        n.put("threads", full.parallelism());
        // The anchor an incremental run starts from: a full run on the primary, recorded there (and streamed to
        // the standby), authenticated by this run's key.
        VerificationReport anchor = ledger.audit().verifyChainIntegrity(full);
        require(anchor.valid(), anchor.message());
        n.put("catch_up_ms", catchUp(primary, read).toMillis());
        LedgerAuditor auditor = new LedgerAuditor(read, Rules.defaults(), Clock.systemUTC());
        long size = head(read);
        List<Double> fullSeconds = new ArrayList<>();
        for (int i = 0; i < p.rounds; i++) {
            long t0 = System.nanoTime();
            VerificationReport r = auditor.verify(full);
            fullSeconds.add((System.nanoTime() - t0) / 1e9);
            require(r.valid() && r.transactionsVerified() == size, r.message());
            log.accept("  full verification of " + Format.count((double) size) + " entries on the "
                    + n.get("read_from").asText() + ", round " + (i + 1) + ": "
                    + Format.seconds(fullSeconds.getLast()));
        }
        ObjectNode f = n.putObject("full");
        f.put("entries", size);
        f.set("seconds", Spread.of(fullSeconds).json());
        f.put("entries_per_second", Math.round(size / Spread.of(fullSeconds).median()));
        List<Double> incSeconds = new ArrayList<>();
        long lag = 0;
        for (int i = 0; i < p.rounds; i++) {
            // Untimed: an incremental run on the primary moves the anchor to its head, then the newest entries.
            VerificationReport moved =
                    ledger.audit().verifyChainIntegrity(full.withMode(VerifyOptions.Mode.INCREMENTAL));
            require(moved.valid(), moved.message());
            people.appendTransfers(ledger, picker, random, p.increment);
            lag = Math.max(lag, catchUp(primary, read).toMillis());
            long t0 = System.nanoTime();
            VerificationReport r = auditor.verify(full.withMode(VerifyOptions.Mode.INCREMENTAL));
            incSeconds.add((System.nanoTime() - t0) / 1e9);
            require(r.valid() && r.transactionsVerified() == p.increment, r.message());
            log.accept("  incremental verification of the newest " + Format.count(p.increment) + ", round " + (i + 1)
                    + ": " + Format.millis((long) (incSeconds.getLast() * 1e6)));
        }
        ObjectNode inc = n.putObject("incremental");
        inc.put("entries", p.increment);
        inc.set("seconds", Spread.of(incSeconds).json());
        inc.put("max_catch_up_ms", lag);
        log.accept("  verification on the " + n.get("read_from").asText() + ": full median "
                + Format.seconds(Spread.of(fullSeconds).median()) + ", incremental median "
                + Format.millis((long) (Spread.of(incSeconds).median() * 1e6)));
        return n;
    }

    /** Waits until the read database has replayed the primary's head; how long that took. */
    private static Duration catchUp(LedgerStore primary, LedgerStore read) throws InterruptedException {
        long target = head(primary);
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.MINUTES.toNanos(30);
        while (head(read) < target) {
            if (System.nanoTime() > deadline) {
                throw new TallyException("the read database did not replay the primary's head in 30 minutes");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    // ---- the primary's writes while a verification runs --------------------------------------------

    /**
     * Rounds of writes on the primary for at least {@code contentionWindow}, interleaved: during full
     * verifications on the primary, during full verifications on the read database (when one is given), and
     * with none. A verification that ends before the window does is followed by another.
     */
    private ObjectNode contention(
            Ledger ledger, Population people, Skew.Picker picker, LedgerStore read, Optional<String> readLocation)
            throws Exception {
        LedgerAuditor onRead = new LedgerAuditor(read, Rules.defaults(), Clock.systemUTC());
        VerifyOptions full = VerifyOptions.full().withAnchorKey(anchorKey);
        List<Double> none = new ArrayList<>();
        List<Double> onReadDb = new ArrayList<>();
        List<Double> onPrimary = new ArrayList<>();
        List<Double> primaryVerifySeconds = new ArrayList<>();
        List<Double> readVerifySeconds = new ArrayList<>();
        for (int i = 0; i < p.rounds; i++) {
            onPrimary.add(writesWhile(
                    ledger,
                    people,
                    picker,
                    Optional.of(() -> ledger.audit().verifyChainIntegrity(full)),
                    primaryVerifySeconds));
            if (readLocation.isPresent()) {
                onReadDb.add(
                        writesWhile(ledger, people, picker, Optional.of(() -> onRead.verify(full)), readVerifySeconds));
            }
            none.add(writesWhile(ledger, people, picker, Optional.empty(), new ArrayList<>()));
            log.accept("  writes during verification, round " + (i + 1) + ": none " + Format.count(none.getLast())
                    + (readLocation.isPresent() ? ", on the read-db " + Format.count(onReadDb.getLast()) : "")
                    + ", on the primary " + Format.count(onPrimary.getLast()) + " transfers/s");
        }
        ObjectNode n = Views.object();
        n.set("none", rate(none));
        if (readLocation.isPresent()) {
            ObjectNode r = rate(onReadDb);
            r.put("ratio", ratio(onReadDb, none));
            r.set("verification_seconds", Spread.of(readVerifySeconds).json());
            n.set("on_read_db", r);
        } else {
            n.put("on_read_db", "not measured: no --read-db");
        }
        ObjectNode pr = rate(onPrimary);
        pr.put("ratio", ratio(onPrimary, none));
        pr.set("verification_seconds", Spread.of(primaryVerifySeconds).json());
        n.set("on_primary", pr);
        log.accept("  writes during verification: none " + Spread.of(none).text()
                + (readLocation.isPresent()
                        ? "; on the read-db " + Spread.of(onReadDb).text() + " ("
                                + Math.round(100 * ratio(onReadDb, none)) + "%)"
                        : "")
                + "; on the primary " + Spread.of(onPrimary).text() + " (" + Math.round(100 * ratio(onPrimary, none))
                + "%) transfers/s");
        return n;
    }

    /**
     * Closed-loop writes while {@code verify} (when given) runs back to back on another thread, for at least the
     * window and until the verification in progress ends; transfers per second.
     */
    private double writesWhile(
            Ledger ledger,
            Population people,
            Skew.Picker picker,
            Optional<Supplier<VerificationReport>> verify,
            List<Double> verifySeconds)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<RuntimeException> failed = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        long windowEnd = start + p.contentionWindow.toNanos();
        Thread verifier = Thread.ofPlatform().name("tally-bench-scale-verify").start(() -> {
            try {
                do {
                    if (verify.isEmpty()) {
                        LockSupport.parkNanos(Math.max(0, windowEnd - System.nanoTime()));
                        continue;
                    }
                    long t0 = System.nanoTime();
                    VerificationReport r = verify.get().get();
                    require(r.valid(), r.message());
                    synchronized (verifySeconds) {
                        verifySeconds.add((System.nanoTime() - t0) / 1e9);
                    }
                } while (System.nanoTime() < windowEnd);
            } catch (RuntimeException e) {
                failed.add(e);
            } finally {
                stop.set(true);
            }
        });
        long done = closedLoop(ledger, people, picker, new Recorder(3), stop::get, Long.MAX_VALUE);
        verifier.join();
        if (!failed.isEmpty()) {
            throw failed.getFirst();
        }
        return done / ((System.nanoTime() - start) / 1e9);
    }

    private static ObjectNode rate(List<Double> rates) {
        ObjectNode n = Views.object();
        n.set("transfers_per_second", Spread.of(rates).json());
        return n;
    }

    private static double ratio(List<Double> measured, List<Double> baseline) {
        return Math.round(Spread.of(measured).median()
                        / Math.max(1e-9, Spread.of(baseline).median())
                        * 1000)
                / 1000.0;
    }

    // ---- disk --------------------------------------------------------------------------------------

    private ObjectNode disk(LedgerStore primary) {
        ScaleSql.settle(primary);
        ScaleSql.DiskUse partitioned = ScaleSql.partitionedLayout(primary);
        log.accept("  disk, partitioned: " + Format.mib(partitioned.totalBytes()) + " in " + partitioned.tables()
                + " tables; copying the entries into the unpartitioned layout to compare");
        ScaleSql.DiskUse flat = ScaleSql.unpartitionedLayout(primary);
        ObjectNode n = Views.object();
        n.set("partitioned", diskJson(partitioned));
        n.set("unpartitioned", diskJson(flat));
        double ratio = perEntry(partitioned) / Math.max(1e-9, perEntry(flat));
        n.put("ratio", Math.round(ratio * 1000) / 1000.0);
        log.accept("  disk bytes per entry: partitioned " + Math.round(perEntry(partitioned)) + ", unpartitioned "
                + Math.round(perEntry(flat)) + " (" + Format.ratio(ratio) + ")");
        return n;
    }

    private static ObjectNode diskJson(ScaleSql.DiskUse d) {
        ObjectNode n = Views.object();
        n.put("entries", d.entries());
        n.put("tables", d.tables());
        n.put("table_bytes", d.tableBytes());
        n.put("index_bytes", d.indexBytes());
        n.put("bytes_per_entry", Math.round(perEntry(d)));
        n.put("table_bytes_per_entry", Math.round(d.tableBytes() / (double) Math.max(1, d.entries())));
        n.put("index_bytes_per_entry", Math.round(d.indexBytes() / (double) Math.max(1, d.entries())));
        return n;
    }

    private static double perEntry(ScaleSql.DiskUse d) {
        return d.totalBytes() / (double) Math.max(1, d.entries());
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /** The median figures of two phases side by side, and the second's as a fraction of the first's. */
    private static ObjectNode compare(ObjectNode first, ObjectNode second, String field, String a, String b) {
        ObjectNode n = Views.object();
        n.set(a, first);
        n.set(b, second);
        double ratio = second.get(field).get("median").asDouble()
                / Math.max(1e-9, first.get(field).get("median").asDouble());
        n.put("ratio", Math.round(ratio * 1000) / 1000.0);
        return n;
    }

    private static long head(LedgerStore store) {
        return store.loadHead().seq();
    }

    private static long micros(java.time.Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    private static byte[] randomKey() {
        byte[] key = new byte[AnchorKey.LENGTH];
        new SecureRandom().nextBytes(key);
        return key;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new TallyException("the scale benchmark's ledger is not as expected: " + message);
        }
    }
}
