package dev.tally.bench.suites;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.audit.AnchorKey;
import dev.tally.core.audit.ReconciliationReport;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.error.TallyException;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.store.StoreOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code tally bench verify}: how fast a large ledger is verified. Builds a ledger of {@code entries}
 * entries through the real engine and sequencer (1,000 funded accounts, random transfers; the build
 * commits without fsync because only the result is measured), then, with the store reopened durable, times
 * rounds of full chain verification, incremental verification after 1,000 more entries, and
 * reconciliation of balances, reporting entries per second and the peak heap of each (sampled every
 * 5 ms, after a GC, so it shows what verification holds, which must not grow with the ledger).
 */
final class VerifyBench {
    private static final int ACCOUNTS = 1_000;
    private static final int INCREMENT = 1_000;
    private final BenchStores stores;
    private final int entries;
    private final int rounds;
    private final Consumer<String> log;

    VerifyBench(BenchStores stores, int entries, int rounds, Consumer<String> log) {
        this.stores = stores;
        this.entries = entries;
        this.rounds = rounds;
        this.log = log;
    }

    ObjectNode run() {
        ObjectNode report = Views.object();
        ObjectNode params = report.putObject("params");
        params.put("entries", entries);
        params.put("rounds", rounds);
        params.put("increment", INCREMENT);
        String location = stores.fresh("verify");
        long t0 = System.nanoTime();
        Population people;
        SplittableRandom random = new SplittableRandom(42);
        Skew.Picker picker = Skew.UNIFORM.picker(ACCOUNTS, 42);
        try (Ledger build = Ledger.open(
                LedgerConfig.defaults().withLocation(location).withStoreOptions(new StoreOptions(false, 8)))) {
            people = Population.open(build, ACCOUNTS);
            people.growTo(build, picker, random, entries);
        }
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        log.accept("verify: built " + Format.count(entries) + " entries in " + Format.seconds(buildSeconds));
        report.put("build_seconds", Math.round(buildSeconds * 10) / 10.0);
        if (stores.kind().equals("sqlite")) {
            report.set("history_rebuild", historyRebuild(location));
        }
        try (Ledger ledger = Ledger.open(LedgerConfig.defaults().withLocation(location))) {
            report.set("store", stores.describe(LedgerInternals.store(ledger)));
            long size = LedgerInternals.store(ledger).loadHead().seq();
            params.put("entries_in_ledger", size);
            // An incremental run starts only from a run authenticated under an anchor key (without one it is a
            // full run), so the bench's runs carry a key of their own, as an operator's would.
            VerifyOptions full = VerifyOptions.full().withAnchorKey(new AnchorKey(randomKey()));
            params.put("threads", full.parallelism());

            report.set("full", measure("full verification", size, () -> {}, () -> {
                VerificationReport r = ledger.audit().verifyChainIntegrity(full);
                require(r.valid() && r.transactionsVerified() == size, r.message());
                return r.transactionsVerified();
            }));
            report.set(
                    "incremental",
                    measure(
                            "incremental verification of " + Format.count(INCREMENT) + " new entries",
                            INCREMENT,
                            () -> people.appendTransfers(ledger, picker, random, INCREMENT),
                            () -> {
                                VerificationReport r = ledger.audit()
                                        .verifyChainIntegrity(full.withMode(VerifyOptions.Mode.INCREMENTAL));
                                require(r.valid() && r.transactionsVerified() == INCREMENT, r.message());
                                return r.transactionsVerified();
                            }));
            report.set("reconciliation", measure("reconciliation", size, () -> {}, () -> {
                ReconciliationReport r = ledger.audit().reconcile();
                require(r.valid(), r.message());
                return LedgerInternals.store(ledger).loadHead().seq();
            }));
        }
        return report;
    }

    /**
     * What opening the ledger costs when its history side file ({@code <ledger>-history}) is there, and when it
     * is not and the open rebuilds it from every entry (an upgrade, a deleted or mismatched file).
     */
    private ObjectNode historyRebuild(String location) {
        ObjectNode n = Views.object();
        n.put("open_with_side_file_seconds", Math.round(openSeconds(location) * 1000) / 1000.0);
        for (String suffix : new String[] {"-history", "-history-wal", "-history-shm"}) {
            try {
                java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(location + suffix));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        double rebuild = openSeconds(location);
        n.put("open_rebuilding_seconds", Math.round(rebuild * 1000) / 1000.0);
        log.accept("verify: opening rebuilt the history side file in " + Format.seconds(rebuild));
        return n;
    }

    private static double openSeconds(String location) {
        long t0 = System.nanoTime();
        Ledger.open(LedgerConfig.defaults().withLocation(location)).close();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static byte[] randomKey() {
        byte[] key = new byte[AnchorKey.LENGTH];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }

    /**
     * Rounds of {@code action} (returning the entries it covered), each after an untimed {@code before}:
     * seconds, entries per second, peak heap.
     */
    private ObjectNode measure(String what, long expected, Runnable before, Supplier<Long> action) {
        List<Double> seconds = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        long peak = 0;
        long baseline = Long.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            before.run();
            System.gc();
            HeapSampler heap = HeapSampler.start();
            long t0 = System.nanoTime();
            long covered = action.get();
            double s = (System.nanoTime() - t0) / 1e9;
            HeapSampler.Sample h = heap.stop();
            baseline = Math.min(baseline, h.firstBytes());
            peak = Math.max(peak, h.peakUsedBytes());
            seconds.add(s);
            rates.add(covered / s);
            log.accept("  " + what + " round " + (i + 1) + ": " + Format.seconds(s) + " (" + Format.count(covered / s)
                    + " entries/s), peak heap " + Format.mib(h.peakUsedBytes()));
        }
        Spread time = Spread.of(seconds);
        Spread rate = Spread.of(rates);
        ObjectNode n = Views.object();
        n.put("entries", expected);
        n.set("seconds", time.json());
        n.set("entries_per_second", rate.json());
        n.put("heap_before_mib", baseline / (1024 * 1024));
        n.put("peak_heap_mib", peak / (1024 * 1024));
        log.accept("  " + what + ": median " + Format.seconds(time.median()) + ", " + rate.text()
                + " entries/s, peak heap " + Format.mib(peak));
        return n;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new TallyException("the benchmark ledger is not as expected: " + message);
        }
    }
}
