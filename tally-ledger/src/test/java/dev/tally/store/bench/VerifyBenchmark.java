package dev.tally.store.bench;

import dev.tally.core.account.Role;
import dev.tally.core.audit.ReconciliationReport;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.command.Command;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.testing.TestStores;
import dev.tally.store.StoreOptions;
import dev.tally.store.testing.EmbeddedPostgres;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * Measures chain verification on a big ledger (a benchmark, not a test: timings belong in
 * docs/BENCHMARKS.md, not in assertions). Builds the ledger through the real engine and sequencer
 * (1,000 accounts, a mint each, then random transfers), then times full verification, incremental
 * verification of 1,000 new entries, and reconciliation.
 *
 * <pre>
 * scripts/bench-verify.sh [--store sqlite|postgres] [--entries N] [--runs R] [--threads T] [--db LOCATION]
 * </pre>
 * With {@code --db} naming an existing ledger of at least N entries, the build is skipped, so repeated
 * measurements need not rebuild; without it, a fresh store is made (PostgreSQL: the embedded server, or
 * {@code TALLY_TEST_PG_URL}).
 */
public final class VerifyBenchmark {
    private static final int ACCOUNTS = 1000;
    private static final int INCREMENT = 1000;

    private VerifyBenchmark() {}

    public static void main(String[] args) {
        String store = option(args, "--store", "sqlite");
        long entries = Long.parseLong(option(args, "--entries", "1000000"));
        int runs = Integer.parseInt(option(args, "--runs", "5"));
        int threads = Integer.parseInt(
                option(args, "--threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
        String location = option(args, "--db", "");
        if (location.isEmpty()) {
            location = store.equals("postgres")
                    ? EmbeddedPostgres.freshDatabase()
                    : TestStores.freshSqliteFile().toString();
        }
        LedgerConfig config =
                LedgerConfig.defaults().withLocation(location).withStoreOptions(new StoreOptions(false, 8));
        try (Ledger ledger = Ledger.open(config)) {
            Random random = new Random(42);
            List<UUID> accounts = ensureBuilt(ledger, entries, random);
            long size = LedgerInternals.store(ledger).loadHead().seq();
            System.out.printf(
                    Locale.ROOT,
                    "%s ledger: %,d entries, %d threads, %s%n",
                    store,
                    size,
                    threads,
                    LedgerInternals.store(ledger).describe());

            VerifyOptions full = VerifyOptions.full()
                    .withParallelism(threads)
                    .withAnchorKey(new dev.tally.core.audit.AnchorKey(new byte[32]));
            long[] fullMs = new long[runs];
            long[] fullCpuMs = new long[runs];
            for (int i = 0; i < runs; i++) {
                long cpu0 = processCpuNanos();
                long t0 = System.nanoTime();
                VerificationReport r = ledger.audit().verifyChainIntegrity(full);
                fullMs[i] = (System.nanoTime() - t0) / 1_000_000;
                fullCpuMs[i] = (processCpuNanos() - cpu0) / 1_000_000;
                require(r.valid(), r.message());
                System.out.printf(
                        Locale.ROOT,
                        "  full verification #%d: %,d ms (%,d entries/s), JVM CPU %,d ms, load %.1f%n",
                        i + 1,
                        fullMs[i],
                        r.transactionsVerified() * 1000 / Math.max(1, fullMs[i]),
                        fullCpuMs[i],
                        load());
            }
            long[] incrementalMs = new long[runs];
            for (int i = 0; i < runs; i++) {
                append(ledger, accounts, INCREMENT, random);
                long t0 = System.nanoTime();
                VerificationReport r =
                        ledger.audit().verifyChainIntegrity(full.withMode(VerifyOptions.Mode.INCREMENTAL));
                incrementalMs[i] = (System.nanoTime() - t0) / 1_000_000;
                require(r.valid() && r.transactionsVerified() == INCREMENT, r.message());
                System.out.printf(
                        Locale.ROOT,
                        "  incremental verification of %,d new entries #%d: %,d ms%n",
                        INCREMENT,
                        i + 1,
                        incrementalMs[i]);
            }
            long t0 = System.nanoTime();
            ReconciliationReport rec = ledger.audit().reconcile();
            long recMs = (System.nanoTime() - t0) / 1_000_000;
            require(rec.valid(), rec.message());
            System.out.printf(Locale.ROOT, "  reconciliation: %,d ms%n", recMs);
            System.out.printf(
                    Locale.ROOT,
                    "RESULT %s entries=%d threads=%d full_ms{min=%d,median=%d} full_jvm_cpu_ms{median=%d} "
                            + "incremental_%d_ms{min=%d,median=%d} reconcile_ms=%d%n",
                    store,
                    size,
                    threads,
                    min(fullMs),
                    median(fullMs),
                    median(fullCpuMs),
                    INCREMENT,
                    min(incrementalMs),
                    median(incrementalMs),
                    recMs);
        }
    }

    /** Builds the ledger up to {@code entries} entries through the engine, unless it is that big already. */
    private static List<UUID> ensureBuilt(Ledger ledger, long entries, Random random) {
        List<UUID> accounts = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            Optional<dev.tally.core.account.Account> existing = ledger.reads().findAccount("user" + i);
            accounts.add(existing.map(dev.tally.core.account.Account::id).orElseGet(UUID::randomUUID));
        }
        if (ledger.reads().findAccount("user0").isEmpty()) {
            List<Command> opens = new ArrayList<>();
            List<Command> mints = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                opens.add(new Command.OpenAccount(accounts.get(i), "user" + i, "user" + i + "@example.com", Role.USER));
                mints.add(new Command.Mint(
                        "mint-" + i, accounts.get(i), ledger.money("1000000.00", "EUR"), EntryContext.actor("admin")));
            }
            ledger.submitAll(opens).join();
            ledger.submitAll(mints).join();
        }
        long have = LedgerInternals.store(ledger).loadHead().seq();
        if (have < entries) {
            long t0 = System.nanoTime();
            System.out.printf(Locale.ROOT, "building %,d entries...%n", entries - have);
            while (have < entries) {
                int n = (int) Math.min(20_000, entries - have);
                append(ledger, accounts, n, random);
                have += n;
            }
            System.out.printf(Locale.ROOT, "built in %,d ms%n", (System.nanoTime() - t0) / 1_000_000);
        }
        return accounts;
    }

    private static final EntryContext WEB = new EntryContext(
            Optional.of("api-key-1"), Optional.of("192.168.1.100"), Optional.of("Mozilla/5.0 (X11; Linux x86_64)"));

    private static void append(Ledger ledger, List<UUID> accounts, int n, Random random) {
        List<Command> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int from = random.nextInt(ACCOUNTS);
            int to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
            batch.add(new Command.Payment(
                    UUID.randomUUID().toString(),
                    EntryType.TRANSFER,
                    accounts.get(from),
                    accounts.get(to),
                    Money.ofMinor(Currency.EUR, 100 + random.nextInt(10_000)),
                    WEB));
        }
        ledger.submitAll(batch).join().forEach(o -> require(o.ok(), o.toString()));
    }

    /** CPU time of this JVM, all threads: on a shared machine, the wall clock also measures the neighbours. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("benchmark ledger is not as expected: " + message);
        }
    }

    private static long min(long[] values) {
        return Arrays.stream(values).min().orElse(0);
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
