package dev.tally.bench.suites;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.fraud.FraudAction;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.fraud.RuleSettings;
import dev.tally.json.Views;
import dev.tally.ledger.sequencer.SequencerOptions;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code tally bench fraud}: the fraud shield's recall per labelled scenario and its false positives on a
 * seeded synthetic economy ({@link FraudEconomy}) under {@link FraudPolicy#recommended()}, then its
 * throughput cost: the write path with every rule on against the same path with the shield off, side by
 * side in the same run (rounds alternate).
 */
public final class FraudBench {
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
    public static FraudPolicy everyRuleFlagging() {
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

    /**
     * The throughput cost on established accounts (the figure the target is about), and on accounts opened
     * just before the run, where the new-account rule flags nearly every sender once: the difference is
     * what those extra events cost.
     */
    private ObjectNode throughput() throws Exception {
        FraudCost cost = new FraudCost(
                stores,
                new FraudCost.Params(
                        p.accounts(),
                        p.clients(),
                        p.transfers(),
                        p.rounds(),
                        Skew.UNIFORM,
                        SequencerOptions.DEFAULTS.maxBatch()),
                log);
        ObjectNode t = cost.compare(everyRuleFlagging(), "every rule flagging", FraudCost.ESTABLISHED_AGE);
        t.set("new_accounts", cost.compare(everyRuleFlagging(), "every rule flagging", Duration.ZERO));
        return t;
    }
}
