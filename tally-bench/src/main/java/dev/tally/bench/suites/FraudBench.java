package dev.tally.bench.suites;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Rules;
import dev.tally.core.fraud.FraudAction;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.fraud.RuleSettings;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.money.Money;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.ledger.sequencer.SequencerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code tally bench fraud}: the fraud shield's recall per labelled scenario and its false positives on a
 * seeded synthetic economy ({@link FraudEconomy}) under {@link FraudPolicy#recommended()}, then its
 * throughput cost: the write path with every rule on against the same path with the shield off, side by
 * side in the same run (rounds alternate).
 */
final class FraudBench {
    static final long SEED = 20260302L;

    record Params(FraudEconomy.Size economy, int accounts, int clients, int transfers, int rounds) {}

    private final BenchStores stores;
    private final Params p;
    private final Consumer<String> log;

    FraudBench(BenchStores stores, Params p, Consumer<String> log) {
        this.stores = stores;
        this.p = p;
        this.log = log;
    }

    ObjectNode run() throws Exception {
        ObjectNode out = Views.object();
        out.set("detection", detection());
        out.set("throughput", throughput());
        return out;
    }

    private ObjectNode detection() {
        long start = System.nanoTime();
        FraudEconomy.Result r = new FraudEconomy(SEED, p.economy()).run(FraudPolicy.recommended());
        double seconds = (System.nanoTime() - start) / 1e9;
        ObjectNode d = Views.object();
        d.put("seed", SEED);
        d.put("players", p.economy().players());
        d.put("days", p.economy().days());
        d.put("payments", r.payments());
        log.accept("economy: " + p.economy().players() + " players, "
                + p.economy().days() + " days, "
                + r.payments() + " payments, " + p.economy().instancesPerScenario() + " instances per scenario ("
                + String.format(java.util.Locale.ROOT, "%.1f", seconds) + " s)");
        ObjectNode recall = Views.object();
        for (String s : FraudEconomy.SCENARIOS) {
            int total = r.fraudAccounts().getOrDefault(s, 0);
            int caught = r.fraudCaught().getOrDefault(s, 0);
            double rate = total == 0 ? 0 : (double) caught / total;
            ObjectNode row = Views.object();
            row.put("fraud_accounts", total);
            row.put("caught", caught);
            row.put("recall", round(rate));
            recall.set(s, row);
            log.accept(String.format(
                    java.util.Locale.ROOT, "  recall %-22s %5.1f%% (%d of %d accounts)", s, rate * 100, caught, total));
        }
        d.set("recall", recall);
        double flagged = (double) r.normalFlagged().size() / r.normalPlayers();
        double refused = (double) r.normalRefused() / Math.max(1, r.normalPayments());
        d.put("normal_players", r.normalPlayers());
        d.put("normal_players_flagged", r.normalFlagged().size());
        d.put("normal_players_flagged_rate", round(flagged));
        d.put("normal_payments", r.normalPayments());
        d.put("normal_payments_refused", r.normalRefused());
        d.put("normal_payments_refused_rate", round(refused));
        ObjectNode rules = Views.object();
        r.findingsByRule().forEach(rules::put);
        d.set("findings_by_rule", rules);
        log.accept(String.format(
                java.util.Locale.ROOT,
                "  false positives: %.2f%% of normal players flagged (%d of %d), %.3f%% of normal payments refused"
                        + " (%d of %d)",
                flagged * 100,
                r.normalFlagged().size(),
                r.normalPlayers(),
                refused * 100,
                r.normalRefused(),
                r.normalPayments()));
        log.accept("  findings by rule: " + r.findingsByRule());
        return d;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }

    /** Every rule on, with the recommended thresholds, each set to flag so both runs commit the same payments. */
    static FraudPolicy everyRuleFlagging() {
        FraudPolicy r = FraudPolicy.recommended();
        FraudAction f = FraudAction.FLAG;
        var vc = r.velocityCount();
        var aa = r.amountAnomaly();
        var na = r.newAccount();
        var pt = r.passThrough();
        var fi = r.fanIn();
        var cf = r.circularFlow();
        var so = r.sharedOrigin();
        return r.withVelocityCount(new RuleSettings.VelocityCount(true, vc.maxPayments(), vc.window(), f))
                .withSingleAmount(new RuleSettings.SingleAmount(true, 1_000_000_000L, f))
                .withVelocityVolume(new RuleSettings.VelocityVolume(
                        true, Map.of("EUR", 5_000_000L), r.velocityVolume().window(), f))
                .withAmountAnomaly(new RuleSettings.AmountAnomaly(
                        true,
                        aa.factor(),
                        aa.minHistory(),
                        aa.historySize(),
                        aa.historyWindow(),
                        aa.minAmountMinor(),
                        f))
                .withNewAccount(new RuleSettings.NewAccount(
                        true, na.maxAge(), na.maxPayments(), na.window(), na.maxSingleMinor(), f))
                .withPassThrough(
                        new RuleSettings.PassThrough(true, pt.minReceivedMinor(), pt.percent(), pt.window(), f))
                .withFanIn(new RuleSettings.FanIn(
                        true,
                        fi.minSenders(),
                        fi.window(),
                        fi.newSenderAge(),
                        fi.minActivity(),
                        fi.activityWindow(),
                        f))
                .withCircularFlow(
                        new RuleSettings.CircularFlow(true, cf.maxHops(), cf.window(), cf.minAmountMinor(), f))
                .withSharedOrigin(
                        new RuleSettings.SharedOrigin(true, so.minAccounts(), so.window(), so.byUserAgent(), f));
    }

    private ObjectNode throughput() throws Exception {
        log.accept("throughput: " + p.accounts() + " accounts, " + p.clients() + " clients, " + p.transfers()
                + " transfers per round, shield off and on alternating");
        List<Double> off = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        for (int round = 0; round <= p.rounds(); round++) {
            double a = rate(FraudPolicy.disabled(), "off" + round);
            double b = rate(everyRuleFlagging(), "on" + round);
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
        t.set("shield_off", offSpread.json());
        t.set("every_rule_on", onSpread.json());
        t.put("ratio", round(ratio));
        log.accept(String.format(
                java.util.Locale.ROOT,
                "  shield off %s, every rule on %s transfers/s: %.1f%% of the throughput",
                offSpread.text(),
                onSpread.text(),
                ratio * 100));
        return t;
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

    private double rate(FraudPolicy policy, String name) throws Exception {
        LedgerConfig config = LedgerConfig.defaults()
                .withLocation(stores.fresh("fraud-" + name))
                .withRules(Rules.defaults().withFraudPolicy(policy))
                .withSequencer(SequencerOptions.DEFAULTS);
        try (Ledger ledger = Ledger.open(config)) {
            Population people = Population.open(ledger, p.accounts());
            Skew.Picker picker = Skew.UNIFORM.picker(p.accounts(), 42);
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
            return p.transfers() / ((System.nanoTime() - start) / 1e9);
        }
    }
}
