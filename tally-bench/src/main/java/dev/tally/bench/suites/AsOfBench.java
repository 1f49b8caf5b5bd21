package dev.tally.bench.suites;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.engine.Rules;
import dev.tally.core.error.TallyException;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.json.Views;
import dev.tally.ledger.AsOf;
import dev.tally.ledger.BalancesAsOf;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.store.StoreOptions;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * {@code tally bench asof}: how long a balance as of a past point takes in a large ledger. Builds a ledger
 * of {@code entries} entries through the real engine and sequencer (1,000 funded accounts, random
 * transfers, so each account has about {@code 2 * entries / 1000} entries; the build commits without
 * fsync), then, with the store reopened durable, times rounds of balance-as-of reads: an ordinary account at
 * a random entry, the same at a random time, and the treasury (replayed from the ledger's entries, not its
 * own) at a random entry. Each answer for the newest entry is checked against the current balances.
 */
final class AsOfBench {
    private static final int ACCOUNTS = 1_000;
    private final BenchStores stores;
    private final int entries;
    private final int rounds;
    private final int queries;
    private final Consumer<String> log;

    AsOfBench(BenchStores stores, int entries, int rounds, int queries, Consumer<String> log) {
        this.stores = stores;
        this.entries = entries;
        this.rounds = rounds;
        this.queries = queries;
        this.log = log;
    }

    ObjectNode run() throws InterruptedException {
        ObjectNode report = Views.object();
        ObjectNode params = report.putObject("params");
        params.put("entries", entries);
        params.put("rounds", rounds);
        params.put("queries_per_round", queries);
        params.put("accounts", ACCOUNTS);
        String location = stores.fresh("asof");
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
        log.accept("asof: built " + Format.count(entries) + " entries in " + Format.seconds(buildSeconds));
        report.put("build_seconds", Math.round(buildSeconds * 10) / 10.0);
        try (Ledger ledger = Ledger.open(LedgerConfig.defaults().withLocation(location))) {
            report.set("store", stores.describe(LedgerInternals.store(ledger)));
            long head = LedgerInternals.store(ledger).loadHead().seq();
            params.put("entries_in_ledger", head);
            Instant first = entry(ledger, 1).createdAt();
            Instant last = entry(ledger, head).createdAt();
            check(ledger, people.account(0), head);
            check(ledger, Rules.TREASURY_ID, head);
            report.set("account_at_seq", measure("an account as of a random entry", i -> {
                UUID a = people.account(random.nextInt(ACCOUNTS));
                return () -> ledger.reads().balancesAsOf(a, new AsOf.Seq(1 + random.nextLong(head)));
            }));
            long span = Math.max(1, last.toEpochMilli() - first.toEpochMilli());
            report.set("account_at_time", measure("an account as of a random time", i -> {
                UUID a = people.account(random.nextInt(ACCOUNTS));
                Instant at = first.plusMillis(random.nextLong(span));
                return () -> ledger.reads().balancesAsOf(a, new AsOf.Time(at));
            }));
            report.set(
                    "treasury_at_seq",
                    measure(
                            "the treasury as of a random entry",
                            i -> () -> ledger.reads()
                                    .balancesAsOf(Rules.TREASURY_ID, new AsOf.Seq(1 + random.nextLong(head)))));
        }
        return report;
    }

    /** Rounds of {@code queries} reads, each timed on its own: latency percentiles over all rounds. */
    private ObjectNode measure(String what, IntFunction<Runnable> query) {
        Histogram all = new Histogram(3);
        for (int w = 0; w < Math.min(queries, 200); w++) {
            query.apply(w).run(); // warm-up: JIT and the page cache
        }
        for (int r = 0; r < rounds; r++) {
            Histogram round = new Histogram(3);
            for (int i = 0; i < queries; i++) {
                Runnable q = query.apply(i);
                long t0 = System.nanoTime();
                q.run();
                long micros = Math.max(1, (System.nanoTime() - t0) / 1_000);
                round.recordValue(micros);
                all.recordValue(micros);
            }
            log.accept(
                    "  " + what + " round " + (r + 1) + ": " + Latency.of(round).text());
        }
        Latency l = Latency.of(all);
        log.accept("  " + what + ": " + l.text());
        return l.json();
    }

    private static void check(Ledger ledger, UUID account, long head) {
        BalancesAsOf now = ledger.reads().balancesAsOf(account, new AsOf.Seq(head));
        require(
                now.available().equals(ledger.reads().balances(account)),
                "balances as of the newest entry differ from the current ones for " + account);
    }

    private static LedgerEntry entry(Ledger ledger, long seq) {
        return ledger.reads().findEntryBySeq(seq).orElseThrow(() -> new TallyException("no entry #" + seq));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new TallyException("the benchmark ledger is not as expected: " + message);
        }
    }
}
