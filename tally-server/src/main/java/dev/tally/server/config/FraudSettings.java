package dev.tally.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.fraud.FraudAction;
import dev.tally.core.fraud.FraudPolicy;
import dev.tally.core.fraud.RuleSettings;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code fraud:} section of {@code tally serve}'s YAML. The original keys ({@code max_payments},
 * {@code window}, {@code max_single_minor}) keep their meaning; {@code preset: recommended} starts from
 * {@link FraudPolicy#recommended()}; {@code rules:} configures each rule by name. A rule named there is on
 * unless {@code enabled: false}, and a threshold left out takes its recommended value. {@code hold_expiry} is
 * how long a payment a {@code hold} rule stopped stays reserved. Unknown rules and keys, and bad values, are
 * refused naming the setting.
 */
final class FraudSettings {
    private static final Set<String> RULES = Set.of(
            "velocity_count",
            "single_amount",
            "velocity_volume",
            "amount_anomaly",
            "new_account",
            "pass_through",
            "fan_in",
            "circular_flow",
            "shared_origin");

    private FraudSettings() {}

    static FraudPolicy bind(ObjectNode node) {
        FraudPolicy policy = preset(node);
        if (node.has("max_payments") || node.has("window") || node.has("max_single_minor")) {
            policy = policy.withVelocityCount(new RuleSettings.VelocityCount(
                            true,
                            (int) Math.min(
                                    Integer.MAX_VALUE,
                                    ConfigLoader.longValue(node, "fraud.max_payments", Integer.MAX_VALUE)),
                            ConfigLoader.duration(node, "fraud.window", Duration.ofMinutes(1)),
                            FraudAction.FREEZE))
                    .withSingleAmount(new RuleSettings.SingleAmount(
                            true,
                            ConfigLoader.longValue(node, "fraud.max_single_minor", Long.MAX_VALUE),
                            FraudAction.FREEZE));
        }
        ObjectNode rules = ConfigLoader.object(node, "rules");
        ConfigLoader.requireKnown("fraud.rules.", rules, RULES);
        Iterator<String> names = rules.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            policy = rule(policy, name, ConfigLoader.object(rules, name));
        }
        return holdExpiry(policy, node);
    }

    private static FraudPolicy holdExpiry(FraudPolicy policy, ObjectNode node) {
        Duration expiry = ConfigLoader.duration(node, "fraud.hold_expiry", policy.holdExpiry());
        try {
            return policy.withHoldExpiry(expiry);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("fraud." + e.getMessage() + ": " + expiry, e);
        }
    }

    private static FraudPolicy preset(ObjectNode node) {
        Optional<String> preset = ConfigLoader.text(node, "fraud.preset");
        if (preset.isEmpty() || preset.get().equals("none")) {
            return FraudPolicy.disabled();
        }
        if (preset.get().equals("recommended")) {
            return FraudPolicy.recommended();
        }
        throw new ConfigException("fraud.preset must be recommended or none: " + preset.get());
    }

    private static FraudPolicy rule(FraudPolicy p, String name, ObjectNode n) {
        String at = "fraud.rules." + name + ".";
        FraudPolicy r = FraudPolicy.recommended();
        try {
            return switch (name) {
                case "velocity_count" -> {
                    known(at, n, "max_payments", "window");
                    var d = r.velocityCount();
                    yield p.withVelocityCount(new RuleSettings.VelocityCount(
                            on(n, at),
                            (int) Math.min(
                                    Integer.MAX_VALUE, ConfigLoader.longValue(n, at + "max_payments", d.maxPayments())),
                            ConfigLoader.duration(n, at + "window", d.window()),
                            action(n, at, d.action())));
                }
                case "single_amount" -> {
                    known(at, n, "max_minor");
                    yield p.withSingleAmount(new RuleSettings.SingleAmount(
                            on(n, at),
                            ConfigLoader.longValue(n, at + "max_minor", Long.MAX_VALUE),
                            action(n, at, FraudAction.FREEZE)));
                }
                case "velocity_volume" -> {
                    known(at, n, "max_minor", "window");
                    var d = r.velocityVolume();
                    yield p.withVelocityVolume(new RuleSettings.VelocityVolume(
                            on(n, at),
                            perCurrency(n, at + "max_minor"),
                            ConfigLoader.duration(n, at + "window", d.window()),
                            action(n, at, d.action())));
                }
                case "amount_anomaly" -> {
                    known(at, n, "factor", "min_history", "history_size", "history_window", "min_amount_minor");
                    var d = r.amountAnomaly();
                    yield p.withAmountAnomaly(new RuleSettings.AmountAnomaly(
                            on(n, at),
                            ConfigLoader.doubleValue(n, at + "factor", d.factor()),
                            (int) ConfigLoader.longValue(n, at + "min_history", d.minHistory()),
                            (int) ConfigLoader.longValue(n, at + "history_size", d.historySize()),
                            ConfigLoader.duration(n, at + "history_window", d.historyWindow()),
                            ConfigLoader.longValue(n, at + "min_amount_minor", d.minAmountMinor()),
                            action(n, at, d.action())));
                }
                case "new_account" -> {
                    known(at, n, "max_age", "max_payments", "window", "max_single_minor");
                    var d = r.newAccount();
                    yield p.withNewAccount(new RuleSettings.NewAccount(
                            on(n, at),
                            ConfigLoader.duration(n, at + "max_age", d.maxAge()),
                            (int) ConfigLoader.longValue(n, at + "max_payments", d.maxPayments()),
                            ConfigLoader.duration(n, at + "window", d.window()),
                            ConfigLoader.longValue(n, at + "max_single_minor", d.maxSingleMinor()),
                            action(n, at, d.action())));
                }
                case "pass_through" -> {
                    known(at, n, "min_received_minor", "percent", "window");
                    var d = r.passThrough();
                    yield p.withPassThrough(new RuleSettings.PassThrough(
                            on(n, at),
                            ConfigLoader.longValue(n, at + "min_received_minor", d.minReceivedMinor()),
                            (int) ConfigLoader.longValue(n, at + "percent", d.percent()),
                            ConfigLoader.duration(n, at + "window", d.window()),
                            action(n, at, d.action())));
                }
                case "fan_in" -> {
                    known(at, n, "min_senders", "window", "new_sender_age", "min_activity", "activity_window");
                    var d = r.fanIn();
                    yield p.withFanIn(new RuleSettings.FanIn(
                            on(n, at),
                            (int) ConfigLoader.longValue(n, at + "min_senders", d.minSenders()),
                            ConfigLoader.duration(n, at + "window", d.window()),
                            ConfigLoader.duration(n, at + "new_sender_age", d.newSenderAge()),
                            (int) ConfigLoader.longValue(n, at + "min_activity", d.minActivity()),
                            ConfigLoader.duration(n, at + "activity_window", d.activityWindow()),
                            action(n, at, d.action())));
                }
                case "circular_flow" -> {
                    known(at, n, "max_hops", "window", "min_amount_minor");
                    var d = r.circularFlow();
                    yield p.withCircularFlow(new RuleSettings.CircularFlow(
                            on(n, at),
                            (int) ConfigLoader.longValue(n, at + "max_hops", d.maxHops()),
                            ConfigLoader.duration(n, at + "window", d.window()),
                            ConfigLoader.longValue(n, at + "min_amount_minor", d.minAmountMinor()),
                            action(n, at, d.action())));
                }
                case "shared_origin" -> {
                    known(at, n, "min_accounts", "window", "by_user_agent");
                    var d = r.sharedOrigin();
                    yield p.withSharedOrigin(new RuleSettings.SharedOrigin(
                            on(n, at),
                            (int) ConfigLoader.longValue(n, at + "min_accounts", d.minAccounts()),
                            ConfigLoader.duration(n, at + "window", d.window()),
                            ConfigLoader.bool(n, at + "by_user_agent", d.byUserAgent()),
                            action(n, at, d.action())));
                }
                default -> throw new ConfigException("unknown setting fraud.rules." + name);
            };
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            // The core names the threshold (e.g. "percent must be between 1 and 100"); say which rule.
            throw new ConfigException(at + e.getMessage(), e);
        }
    }

    private static void known(String at, ObjectNode n, String... keys) {
        Set<String> all = new java.util.HashSet<>(Set.of(keys));
        all.add("enabled");
        all.add("action");
        ConfigLoader.requireKnown(at, n, all);
    }

    private static boolean on(ObjectNode n, String at) {
        return ConfigLoader.bool(n, at + "enabled", true);
    }

    private static FraudAction action(ObjectNode n, String at, FraudAction fallback) {
        Optional<String> text = ConfigLoader.text(n, at + "action");
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            return FraudAction.parse(text.get());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(at + "action must be flag, hold, reject or freeze: " + text.get(), e);
        }
    }

    private static Map<String, Long> perCurrency(ObjectNode n, String setting) {
        JsonNode node = n.get("max_minor");
        Map<String, Long> limits = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return limits;
        }
        if (!(node instanceof ObjectNode o)) {
            throw new ConfigException(setting + " must be a mapping of currency to minor units, e.g. {GOLD: 100000}");
        }
        Iterator<String> codes = o.fieldNames();
        while (codes.hasNext()) {
            String code = codes.next();
            limits.put(code, ConfigLoader.longValue(o, setting + "." + code, 0));
        }
        return limits;
    }
}
