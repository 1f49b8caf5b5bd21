package dev.tally.bench.suites;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Rules;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.money.Money;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.sequencer.SequencerOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The fraud shield's throughput cost: closed-loop transfers through the sequencer with the shield off and
 * with a given policy on, each on its own fresh store, rounds alternating so that both see the same machine.
 *
 * <p>The accounts are opened a given age before the transfers start, normally {@link #ESTABLISHED_AGE}, as
 * the players of a live economy were: accounts minutes old are what the new-account rule exists for, and would measure that
 * rule's events instead of the shield's cost on ordinary traffic. The events each rule opened are counted
 * and reported, so a run where a rule fires on most payments shows it.
 */
final class FraudCost {
    /** How long before the measured transfers the bench accounts are opened: older than any rule's youth. */
    static final Duration ESTABLISHED_AGE = Duration.ofDays(30);

    record Params(int accounts, int clients, int transfers, int rounds, Skew skew, int batch) {}

    private final BenchStores stores;
    private final Params p;
    private final Consumer<String> log;

    FraudCost(BenchStores stores, Params p, Consumer<String> log) {
        this.stores = stores;
        this.p = p;
        this.log = log;
    }

    /**
     * Shield off against {@code policy}, one warm-up round of each, then {@code rounds} measured of each, on
     * accounts opened {@code accountAge} before the transfers.
     */
    ObjectNode compare(FraudPolicy policy, String name, Duration accountAge) throws Exception {
        log.accept("fraud shield cost (" + name + "): " + p.accounts() + " accounts opened "
                + accountAge.toDays() + " days before, " + p.clients() + " clients, " + p.transfers()
                + " transfers per round, shield off and on alternating");
        List<Double> off = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        List<Reopened> reopened = new ArrayList<>();
        Map<String, LongAdder> events = new ConcurrentHashMap<>();
        for (int round = 0; round <= p.rounds(); round++) {
            double a = rate(FraudPolicy.disabled(), accountAge, "off" + round, new ConcurrentHashMap<>(), r -> {});
            double b = rate(
                    policy,
                    accountAge,
                    "on" + round,
                    round == 0 ? new ConcurrentHashMap<>() : events,
                    round == 0 ? r -> {} : reopened::add);
            if (round == 0) {
                continue; // warm-up
            }
            off.add(a);
            on.add(b);
            log.accept("  round " + round + ": off " + Format.count(a) + " transfers/s, on " + Format.count(b));
        }
        Spread offSpread = Spread.of(off);
        Spread onSpread = Spread.of(on);
        double ratio = onSpread.median() / Math.max(1e-9, offSpread.median());
        ObjectNode t = Views.object();
        t.put("policy", name);
        t.put("account_age_days", accountAge.toDays());
        t.set("shield_off", offSpread.json());
        t.set("shield_on", onSpread.json());
        t.put("ratio", Math.round(ratio * 10_000) / 10_000.0);
        ObjectNode byRule = t.putObject("events_by_rule");
        new TreeMap<>(events).forEach((rule, n) -> byRule.put(rule, n.sum()));
        if (!reopened.isEmpty()) {
            Spread firstAfterReopen =
                    Spread.of(reopened.stream().map(Reopened::firstMillis).toList());
            Spread nextAfterReopen =
                    Spread.of(reopened.stream().map(Reopened::nextMillis).toList());
            ObjectNode rebuild = t.putObject("rebuild_after_reopen_ms");
            rebuild.put("payments_in_window", p.transfers());
            rebuild.set("first_payment", firstAfterReopen.json());
            rebuild.set("next_payment", nextAfterReopen.json());
            log.accept("  reopened with " + Format.count(p.transfers()) + " payments in the windows: the first payment "
                    + firstAfterReopen.text() + " ms (it reads the windows back), the next " + nextAfterReopen.text()
                    + " ms");
        }
        log.accept(String.format(
                java.util.Locale.ROOT,
                "  shield off %s, %s %s transfers/s: %.1f%% of the throughput; events by rule %s",
                offSpread.text(),
                name,
                onSpread.text(),
                ratio * 100,
                byRule));
        return t;
    }

    /** The first payment after reopening a ledger (which reads the fraud windows back first) and the next. */
    record Reopened(double firstMillis, double nextMillis) {}

    private double rate(
            FraudPolicy policy,
            Duration accountAge,
            String name,
            Map<String, LongAdder> events,
            Consumer<Reopened> reopened)
            throws Exception {
        ShiftedClock clock = new ShiftedClock(accountAge);
        LedgerConfig config = LedgerConfig.defaults()
                .withLocation(stores.fresh("fraudcost-" + name))
                .withClock(clock)
                .withRules(Rules.defaults().withFraudPolicy(policy))
                .withSequencer(SequencerOptions.DEFAULTS.withMaxBatch(p.batch()));
        Population people;
        Skew.Picker picker = p.skew().picker(p.accounts(), 42);
        double rate;
        try (Ledger ledger = Ledger.open(config)) {
            ledger.onFraudEvents(batch -> batch.forEach(
                    e -> events.computeIfAbsent(e.rule(), r -> new LongAdder()).increment()));
            people = Population.open(ledger, p.accounts());
            clock.catchUp();
            AtomicLong next = new AtomicLong();
            long start = System.nanoTime();
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < p.clients(); c++) {
                    SplittableRandom random = new SplittableRandom(c);
                    running.add(clients.submit(() -> {
                        while (next.getAndIncrement() < p.transfers()) {
                            ledger.submit(transfer(people, picker, random)).join();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            }
            rate = p.transfers() / ((System.nanoTime() - start) / 1e9);
        }
        if (policy.active()) {
            reopened.accept(reopen(config, people, picker));
        }
        return rate;
    }

    /**
     * Reopens the ledger and times its first payment, whose decision first reads the windows back from the
     * ledger (as after a restart or a version conflict), and the payment after it.
     */
    private static Reopened reopen(LedgerConfig config, Population people, Skew.Picker picker) {
        try (Ledger ledger = Ledger.open(config)) {
            SplittableRandom random = new SplittableRandom(-1);
            long start = System.nanoTime();
            ledger.submit(transfer(people, picker, random)).join();
            long first = System.nanoTime() - start;
            start = System.nanoTime();
            ledger.submit(transfer(people, picker, random)).join();
            long next = System.nanoTime() - start;
            return new Reopened(first / 1e6, next / 1e6);
        }
    }

    /**
     * A transfer as a player's client sends it: from the player's own address (the shared-origin rule needs
     * the client's address, not the game server's; see docs/FRAUD.md).
     */
    private static Command.Payment transfer(Population people, Skew.Picker picker, SplittableRandom random) {
        int[] pair = picker.pair(random);
        EntryContext ctx = new EntryContext(
                Optional.of("bench"),
                Optional.of("10.1." + (pair[0] >> 8 & 255) + "." + (pair[0] & 255)),
                Optional.of("bench-client"));
        return new Command.Payment(
                Population.randomId(random),
                EntryType.TRANSFER,
                people.account(pair[0]),
                people.account(pair[1]),
                Money.ofMinor(people.currency(), 1 + random.nextInt(10_000)),
                ctx);
    }

    /** The system clock, behind by a fixed age until {@link #catchUp}: what opens the accounts in the past. */
    private static final class ShiftedClock extends Clock {
        private volatile Duration behind;

        ShiftedClock(Duration behind) {
            this.behind = behind;
        }

        void catchUp() {
            behind = Duration.ZERO;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the bench clock is UTC");
        }

        @Override
        public Instant instant() {
            return Instant.now().minus(behind);
        }
    }
}
