package dev.tally.bench.suites;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.cli.CliException;
import dev.tally.cli.CommonOptions;
import dev.tally.cli.ExitCodes;
import dev.tally.cli.Failures;
import dev.tally.cli.TallyCli;
import dev.tally.json.Views;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally bench SUITE}: the benchmarks that ship with the product, so that anyone can measure their own
 * machine. Each suite works on fresh stores it creates and removes (never on a ledger named by
 * {@code $TALLY_DB_URL}), warms up, runs several measured rounds, and reports the median and the range.
 * Text goes to stdout as the run proceeds; with {@code --json} stdout holds only the JSON report and the
 * progress goes to stderr; {@code --out FILE} also writes the JSON report to a file. See docs/BENCHMARKS.md.
 */
@Command(
        name = "bench",
        sortOptions = false,
        description =
                "Measure this machine: write throughput and latency against a naive baseline, verification speed.",
        footer = {
            "",
            "Suites: write (sequencer vs the seed's one-transaction-per-transfer path), verify (chain verification),"
                    + " merkle (proofs, appends with and without the tree, offline audit) and http (tally serve on loopback).",
            "asof: balances as of a past entry or time (p50/p99 per read) in a ledger of --entries entries.",
            "fraud: the fraud shield's recall and false positives on a seeded synthetic economy, and its throughput"
                    + " cost (every rule on against the shield off, side by side).",
            "scale (PostgreSQL): a ledger grown to --entries (default 10,000,000): write rate and history against"
                    + " the same store at 100,000, full and incremental verification (on --read-db, a streaming"
                    + " standby, when given), writes during verification, disk bytes per entry.",
            "For --store postgres, --db names a server (the bench creates and drops its own schemas there);"
                    + " without it an embedded PostgreSQL is started for the run."
        })
public final class BenchCommand implements Callable<Integer> {
    /** The suites; each knows whether this build can run it. */
    enum Suite {
        WRITE,
        VERIFY,
        MERKLE,
        HTTP,
        FRAUD,
        SCALE,
        ASOF
    }

    @Parameters(index = "0", paramLabel = "SUITE", description = "write, verify, merkle, http, fraud, scale or asof.")
    Suite suite;

    @Option(names = "--store", paramLabel = "KIND", order = 1, description = "sqlite (default) or postgres.")
    Optional<String> store;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "tally-bench-data",
            order = 2,
            description = "Where SQLite bench files are created; removed afterwards (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--out", paramLabel = "FILE", order = 3, description = "Also write the JSON report to FILE.")
    Optional<Path> out;

    @Option(
            names = "--quick",
            order = 4,
            description = "Small sizes and short rounds: a smoke run for CI, not a measurement.")
    boolean quick;

    @Option(
            names = "--clients",
            paramLabel = "N",
            order = 10,
            description =
                    "write: concurrent clients (default twice the batch limit, so that one batch is decided while the other commits; quick 256). http: keep-alive clients sending single transfers (default 64).")
    Optional<Integer> clients;

    @Option(
            names = "--accounts",
            paramLabel = "N",
            order = 11,
            description = "write: accounts (default 10000; quick 1000).")
    Optional<Integer> accounts;

    @Option(
            names = "--skew",
            paramLabel = "SKEW",
            split = ",",
            order = 12,
            description = "write: uniform and/or zipf, comma-separated (default uniform).")
    List<Skew> skews;

    @Option(
            names = "--batch",
            paramLabel = "N",
            order = 13,
            description =
                    "write: the sequencer's batch limit (default 4096). http: transfers per batch request (default 1000, the server's limit).")
    Optional<Integer> batch;

    @Option(
            names = "--transfers",
            paramLabel = "N",
            order = 14,
            description = "write: transfers per measured round (default 200000; quick 5000); merkle: appended per round"
                    + " (default 20000; quick 2000).")
    Optional<Integer> transfers;

    @Option(
            names = "--fraud",
            paramLabel = "POLICY",
            order = 14,
            description = "write: off (default) or recommended: also measure the peak with every rule of the"
                    + " recommended fraud policy on, side by side with the shield off.")
    Optional<String> fraud;

    @Option(
            names = "--ids",
            paramLabel = "KIND",
            order = 14,
            description = "write: the clients' transaction ids, random (version-4 UUIDs, default) or time-ordered"
                    + " (version 7, as Tally makes them).")
    Optional<String> ids;

    @Option(names = "--rounds", paramLabel = "N", order = 15, description = "Measured rounds (default 5; quick 2).")
    Optional<Integer> rounds;

    @Option(names = "--warmup", paramLabel = "N", order = 16, description = "Warm-up rounds, not reported (default 1).")
    Optional<Integer> warmup;

    @Option(
            names = "--baseline-clients",
            paramLabel = "N",
            order = 17,
            description = "write: threads of the naive baseline (default 16, as pgbench was run).")
    Optional<Integer> baselineClients;

    @Option(
            names = "--baseline-seconds",
            paramLabel = "S",
            order = 18,
            description =
                    "write: length of the naive round after each sequencer round, in seconds (default 3; quick 0.5).")
    Optional<Double> baselineSeconds;

    @Option(
            names = "--half-load-seconds",
            paramLabel = "S",
            order = 19,
            description = "write: length of the half-peak-load latency phase (default 5; quick 1).")
    Optional<Double> halfLoadSeconds;

    @Option(
            names = "--load-fraction",
            paramLabel = "F",
            order = 20,
            description = "write: the fraction of the measured peak that the latency phase offers (default 0.5).")
    Optional<Double> loadFraction;

    @Option(
            names = "--entries",
            paramLabel = "N",
            order = 30,
            description =
                    "verify, merkle, asof: entries in the ledger to verify, prove against or read back (default 1000000; quick 20000).")
    Optional<Integer> entries;

    @Option(
            names = "--baseline-entries",
            paramLabel = "N",
            order = 31,
            description = "scale: the size the write rate and history are compared at (default 100000; quick 5000).")
    Optional<Integer> baselineEntries;

    @Option(
            names = "--read-db",
            paramLabel = "URL",
            order = 32,
            description = "scale: a streaming standby of --db; verification runs there, through connections of its own"
                    + " (scripts/pg-replica-pair.sh starts a pair on this machine).")
    Optional<String> readDb;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            return run();
        } catch (Exception | AssertionError e) {
            return Failures.report(spec.commandLine().getErr(), e);
        }
    }

    private int run() throws Exception {
        CommonOptions options =
                spec.root().userObject() instanceof TallyCli root ? common.orElse(root.options()) : common;
        boolean json = options.json();
        String kind = store.map(s -> s.toLowerCase(Locale.ROOT))
                .orElse(
                        options.explicitLocation()
                                        .filter(BenchCommand::isPostgresUrl)
                                        .isPresent()
                                ? "postgres"
                                : "sqlite");
        if (!kind.equals("sqlite") && !kind.equals("postgres")) {
            throw CliException.usage("--store must be sqlite or postgres, not " + kind);
        }
        if (kind.equals("sqlite") && options.explicitLocation().isPresent()) {
            throw CliException.usage(
                    "--db names a PostgreSQL server for --store postgres; SQLite bench files go to --dir");
        }
        fraudShield(); // a usage error before any output
        if (readDb.isPresent() && suite != Suite.SCALE) {
            throw CliException.usage("--read-db is an option of the scale suite");
        }
        if (suite == Suite.SCALE && !kind.equals("postgres")) {
            throw CliException.usage("the scale suite measures PostgreSQL: give --store postgres");
        }
        if (readDb.isPresent() && options.explicitLocation().isEmpty()) {
            throw CliException.usage("--read-db names a standby of the server given with --db; give --db too");
        }
        transactionIds();
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        PrintWriter progressTo = json ? stderr : stdout;
        Consumer<String> log = line -> {
            progressTo.println(line);
            progressTo.flush();
        };
        ObjectNode report = Views.object();
        report.put("suite", suite.name().toLowerCase(Locale.ROOT));
        report.put(
                "command",
                "tally bench "
                        + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
        report.put("started_at", Instant.now().toString());
        report.put("tally_version", TallyCli.version());
        report.put("quick", quick);
        report.set("machine", machine());
        log.accept("tally bench " + report.get("suite").asText() + " on " + kind + ", "
                + Runtime.getRuntime().availableProcessors() + " cores"
                + (quick ? " (quick: a smoke run, not a measurement)" : ""));
        try (BenchStores stores =
                kind.equals("sqlite") ? BenchStores.sqlite(dir) : BenchStores.postgres(options.explicitLocation())) {
            ObjectNode result = switch (suite) {
                case WRITE -> new WriteBench(stores, writeParams(), log).run();
                case VERIFY -> new VerifyBench(stores, verifyEntries(), rounds.orElse(quick ? 2 : 5), log).run();
                case MERKLE ->
                    new MerkleBench(
                                    stores,
                                    verifyEntries(),
                                    rounds.orElse(quick ? 2 : 5),
                                    quick ? 200 : 2000,
                                    transfers.orElse(quick ? 2_000 : 20_000),
                                    dir,
                                    log)
                            .run();
                case HTTP -> new HttpBench(stores, httpParams(), log).run();
                case FRAUD -> new FraudBench(stores, fraudParams(), log).run();
                case SCALE -> new ScaleBench(stores, scaleParams(), log).run();
                case ASOF ->
                    new AsOfBench(stores, verifyEntries(), rounds.orElse(quick ? 2 : 5), quick ? 200 : 2_000, log)
                            .run();
            };
            report.setAll(result);
        }
        String text = Views.write(report);
        if (out.isPresent()) {
            Path file = out.get();
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, text + "\n", StandardCharsets.UTF_8);
            log.accept("JSON report written to " + file);
        }
        if (json) {
            stdout.println(text);
            stdout.flush();
        }
        return ExitCodes.OK;
    }

    private WriteBench.Params writeParams() {
        WriteBench.Params params = new WriteBench.Params(
                positive("--clients", clients.orElse(quick ? 256 : 2 * batch.orElse(4096))),
                atLeast("--accounts", accounts.orElse(quick ? 1_000 : 10_000), 2),
                skews == null || skews.isEmpty() ? List.of(Skew.UNIFORM) : List.copyOf(skews),
                positive("--batch", batch.orElse(4096)),
                positive("--transfers", transfers.orElse(quick ? 5_000 : 200_000)),
                positive("--rounds", rounds.orElse(quick ? 2 : 5)),
                atLeast("--warmup", warmup.orElse(1), 0),
                positive("--baseline-clients", baselineClients.orElse(16)),
                seconds("--baseline-seconds", baselineSeconds.orElse(quick ? 0.5 : 3.0)),
                seconds("--half-load-seconds", halfLoadSeconds.orElse(quick ? 1.0 : 5.0)),
                fraction(loadFraction.orElse(0.5)),
                fraudShield(),
                transactionIds());
        if (params.baselineClients() > 255) {
            throw CliException.usage("--baseline-clients must be at most 255");
        }
        return params;
    }

    private HttpBench.Params httpParams() {
        int size = positive("--batch", batch.orElse(1000));
        return new HttpBench.Params(
                positive("--clients", clients.orElse(quick ? 16 : 64)),
                atLeast("--accounts", accounts.orElse(quick ? 1_000 : 10_000), 2),
                positive("--transfers", transfers.orElse(quick ? 1_000 : 20_000)),
                4,
                size,
                Math.max(size, quick ? 4 * size : 100 * size),
                positive("--rounds", rounds.orElse(quick ? 2 : 5)),
                atLeast("--warmup", warmup.orElse(1), 0));
    }

    private FraudBench.Params fraudParams() {
        return new FraudBench.Params(
                quick ? new FraudEconomy.Size(1_500, 1, 10) : new FraudEconomy.Size(5_000, 3, 40),
                atLeast("--accounts", accounts.orElse(quick ? 1_000 : 10_000), 2),
                positive("--clients", clients.orElse(quick ? 64 : 256)),
                positive("--transfers", transfers.orElse(quick ? 3_000 : 50_000)),
                positive("--rounds", rounds.orElse(quick ? 1 : 3)));
    }

    private ScaleBench.Params scaleParams() {
        int size = positive("--entries", entries.orElse(quick ? 20_000 : 10_000_000));
        int baseline = positive("--baseline-entries", baselineEntries.orElse(quick ? 5_000 : 100_000));
        if (baseline >= size) {
            throw CliException.usage("--baseline-entries must be below --entries");
        }
        return new ScaleBench.Params(
                size,
                baseline,
                atLeast("--accounts", accounts.orElse(quick ? 500 : 10_000), 2),
                positive("--clients", clients.orElse(quick ? 64 : 1024)),
                positive("--transfers", transfers.orElse(quick ? 500 : 20_000)),
                positive("--rounds", rounds.orElse(quick ? 2 : 3)),
                quick ? 1_000 : 10_000,
                quick ? Duration.ofMillis(500) : Duration.ofSeconds(5),
                quick ? 100 : 200,
                quick ? Duration.ofMillis(500) : Duration.ofSeconds(10),
                readDb);
    }

    private TransactionIds transactionIds() {
        return switch (ids.orElse("random")) {
            case "random" -> TransactionIds.RANDOM;
            case "time-ordered" -> TransactionIds.TIME_ORDERED;
            default -> throw CliException.usage("--ids must be random or time-ordered");
        };
    }

    private boolean fraudShield() {
        return switch (fraud.orElse("off")) {
            case "off" -> false;
            case "recommended" -> true;
            default -> throw CliException.usage("--fraud must be off or recommended");
        };
    }

    private int verifyEntries() {
        return positive("--entries", entries.orElse(quick ? 20_000 : 1_000_000));
    }

    private static int positive(String name, int value) {
        return atLeast(name, value, 1);
    }

    private static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw CliException.usage(name + " must be at least " + min);
        }
        return value;
    }

    private static Duration seconds(String name, double value) {
        if (!(value > 0) || value > 3600) {
            throw CliException.usage(name + " must be between 0 and 3600 seconds");
        }
        return Duration.ofNanos((long) (value * 1e9));
    }

    private static double fraction(double value) {
        if (!(value > 0) || value > 1) {
            throw CliException.usage("--load-fraction must be above 0 and at most 1");
        }
        return value;
    }

    private static boolean isPostgresUrl(String location) {
        return location.startsWith("jdbc:postgresql:")
                || location.startsWith("postgresql://")
                || location.startsWith("postgres://");
    }

    /** What the figures were measured on: cores, memory, CPU, OS and JVM. */
    private static ObjectNode machine() {
        ObjectNode m = Views.object();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", cpuModel());
        m.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        m.put("max_heap_mib", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        m.put("jvm_args", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        return m;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
