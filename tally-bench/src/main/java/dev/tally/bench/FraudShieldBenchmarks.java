package dev.tally.bench;

import dev.tally.bench.suites.FraudBench;
import dev.tally.core.fraud.Finding;
import dev.tally.core.fraud.FraudShield;
import dev.tally.core.fraud.Payment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fraud shield's CPU per payment, as the sequencer's writer spends it: assess the payment, remember
 * its flags, record it. Every rule of the recommended policy is on, each set to flag (as in
 * {@code tally bench write --fraud recommended}), on uniform random traffic between 10,000 accounts 30 days
 * old, each paying from its own address. The payments are 144 ms apart, so the 2-hour windows hold about
 * 50,000 of them (each account sends and receives about five, as half way through a {@code bench write} round): the
 * setup fills them first, so every measured payment meets full windows.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FraudShieldBenchmarks {
    private static final int ACCOUNTS = 10_000;
    private static final int FILL = 50_000;
    private static final Duration SPACING = Duration.ofMillis(144);
    private static final Instant START = Instant.parse("2026-02-11T00:00:00Z");
    private static final Payment.AccountFacts ESTABLISHED =
            new Payment.AccountFacts(START.minus(Duration.ofDays(30)), false);

    private FraudShield shield;
    private UUID[] accounts;
    private List<Optional<String>> origins = List.of();
    private final Optional<String> userAgent = Optional.of("bench-client");
    private SplittableRandom random;
    private long sequence;

    @Setup
    public void setUp() {
        shield = new FraudShield(FraudBench.everyRuleFlagging());
        random = new SplittableRandom(42);
        accounts = new UUID[ACCOUNTS];
        List<Optional<String>> byAccount = new ArrayList<>(ACCOUNTS);
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts[i] = new UUID(random.nextLong(), random.nextLong());
            byAccount.add(Optional.of("10.1." + (i >> 8 & 255) + "." + (i & 255)));
        }
        origins = byAccount;
        for (int i = 0; i < FILL; i++) {
            decide();
        }
    }

    /** One payment decided and recorded, as the writer does for each payment of a batch. */
    @Benchmark
    public List<Finding> decide() {
        Payment p = next();
        List<Finding> findings = shield.assess(p);
        shield.flagged(findings, p.at());
        shield.record(p);
        return findings;
    }

    private Payment next() {
        int from = random.nextInt(ACCOUNTS);
        int to = random.nextInt(ACCOUNTS - 1);
        if (to >= from) {
            to++;
        }
        long n = sequence++;
        return new Payment(
                Long.toString(n),
                accounts[from],
                accounts[to],
                "EUR",
                1 + random.nextInt(10_000),
                START.plus(SPACING.multipliedBy(n)),
                origins.get(from),
                userAgent,
                ESTABLISHED,
                ESTABLISHED);
    }
}
