package dev.tally.core.fraud;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The configuration of one fraud rule: whether it runs, its thresholds, and its {@link FraudAction}. Amounts
 * are in minor units of the payment's currency. Every constructor refuses a value that makes no sense,
 * naming it, so a configuration error surfaces when the ledger opens.
 */
public sealed interface RuleSettings {
    /** The rule's name in configuration, events and metrics, e.g. {@code velocity_count}. */
    String name();

    boolean enabled();

    FraudAction action();

    /** How far back the rule looks; what a restart must reload from the ledger. */
    Duration lookback();

    /** More than {@code maxPayments} payments sent by one account within {@code window}. */
    record VelocityCount(boolean enabled, int maxPayments, Duration window, FraudAction action)
            implements RuleSettings {
        public VelocityCount {
            positive("max_payments", maxPayments);
            positive("window", window);
            Objects.requireNonNull(action, "action");
        }

        public static VelocityCount off() {
            return new VelocityCount(false, Integer.MAX_VALUE, Duration.ofMinutes(1), FraudAction.FREEZE);
        }

        @Override
        public String name() {
            return "velocity_count";
        }

        @Override
        public Duration lookback() {
            return window;
        }
    }

    /** One payment larger than {@code maxMinor}. */
    record SingleAmount(boolean enabled, long maxMinor, FraudAction action) implements RuleSettings {
        public SingleAmount {
            positive("max_single_minor", maxMinor);
            Objects.requireNonNull(action, "action");
        }

        public static SingleAmount off() {
            return new SingleAmount(false, Long.MAX_VALUE, FraudAction.FREEZE);
        }

        @Override
        public String name() {
            return "single_amount";
        }

        @Override
        public Duration lookback() {
            return Duration.ZERO;
        }
    }

    /** More than {@code maxMinor} of a currency sent by one account within {@code window}. */
    record VelocityVolume(boolean enabled, Map<String, Long> maxMinor, Duration window, FraudAction action)
            implements RuleSettings {
        public VelocityVolume {
            maxMinor = Map.copyOf(new TreeMap<>(maxMinor));
            maxMinor.forEach((currency, max) -> positive("max_minor." + currency, max));
            positive("window", window);
            Objects.requireNonNull(action, "action");
        }

        public static VelocityVolume off() {
            return new VelocityVolume(false, Map.of(), Duration.ofHours(1), FraudAction.FLAG);
        }

        @Override
        public String name() {
            return "velocity_volume";
        }

        @Override
        public Duration lookback() {
            return window;
        }
    }

    /**
     * A payment of at least {@code minAmountMinor} larger than {@code factor} times the p95 of the sender's
     * last {@code historySize} payments in that currency (within {@code historyWindow}), once it has made
     * at least {@code minHistory} of them.
     */
    record AmountAnomaly(
            boolean enabled,
            double factor,
            int minHistory,
            int historySize,
            Duration historyWindow,
            long minAmountMinor,
            FraudAction action)
            implements RuleSettings {
        public AmountAnomaly {
            if (!(factor >= 1.0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("factor must be a number >= 1");
            }
            positive("min_history", minHistory);
            positive("history_size", historySize);
            if (historySize < minHistory) {
                throw new IllegalArgumentException("history_size must be >= min_history");
            }
            positive("history_window", historyWindow);
            nonNegative("min_amount_minor", minAmountMinor);
            Objects.requireNonNull(action, "action");
        }

        public static AmountAnomaly off() {
            return new AmountAnomaly(false, 10, 20, 50, Duration.ofDays(7), 0, FraudAction.FLAG);
        }

        @Override
        public String name() {
            return "amount_anomaly";
        }

        @Override
        public Duration lookback() {
            return historyWindow;
        }
    }

    /**
     * Lower limits for an account younger than {@code maxAge}: at most {@code maxPayments} payments within
     * {@code window}, and no single payment above {@code maxSingleMinor}.
     */
    record NewAccount(
            boolean enabled, Duration maxAge, int maxPayments, Duration window, long maxSingleMinor, FraudAction action)
            implements RuleSettings {
        public NewAccount {
            positive("max_age", maxAge);
            positive("max_payments", maxPayments);
            positive("window", window);
            positive("max_single_minor", maxSingleMinor);
            Objects.requireNonNull(action, "action");
        }

        public static NewAccount off() {
            return new NewAccount(
                    false,
                    Duration.ofDays(1),
                    Integer.MAX_VALUE,
                    Duration.ofHours(1),
                    Long.MAX_VALUE,
                    FraudAction.REJECT);
        }

        @Override
        public String name() {
            return "new_account";
        }

        @Override
        public Duration lookback() {
            return window;
        }
    }

    /**
     * A mule: an account that received at least {@code minReceivedMinor} from players within {@code window}
     * and sends at least {@code percent}% of it on to other players within the same window.
     */
    record PassThrough(boolean enabled, long minReceivedMinor, int percent, Duration window, FraudAction action)
            implements RuleSettings {
        public PassThrough {
            positive("min_received_minor", minReceivedMinor);
            if (percent < 1 || percent > 100) {
                throw new IllegalArgumentException("percent must be between 1 and 100");
            }
            positive("window", window);
            Objects.requireNonNull(action, "action");
        }

        public static PassThrough off() {
            return new PassThrough(false, Long.MAX_VALUE, 80, Duration.ofHours(1), FraudAction.FLAG);
        }

        @Override
        public String name() {
            return "pass_through";
        }

        @Override
        public Duration lookback() {
            return window;
        }
    }

    /**
     * A farm funnel: one account receives from at least {@code minSenders} distinct weak senders within
     * {@code window}. A sender is weak when it is younger than {@code newSenderAge} or sent fewer than
     * {@code minActivity} payments within {@code activityWindow}.
     */
    record FanIn(
            boolean enabled,
            int minSenders,
            Duration window,
            Duration newSenderAge,
            int minActivity,
            Duration activityWindow,
            FraudAction action)
            implements RuleSettings {
        public FanIn {
            if (minSenders < 2) {
                throw new IllegalArgumentException("min_senders must be at least 2");
            }
            positive("window", window);
            positive("new_sender_age", newSenderAge);
            nonNegative("min_activity", minActivity);
            positive("activity_window", activityWindow);
            Objects.requireNonNull(action, "action");
        }

        public static FanIn off() {
            return new FanIn(
                    false, 5, Duration.ofHours(1), Duration.ofDays(1), 5, Duration.ofDays(1), FraudAction.FLAG);
        }

        @Override
        public String name() {
            return "fan_in";
        }

        @Override
        public Duration lookback() {
            return window.compareTo(activityWindow) >= 0 ? window : activityWindow;
        }
    }

    /**
     * Money returns to where it came from: a payment from A to B closes a path of payments of at least
     * {@code minAmountMinor} from B back to A of at most {@code maxHops} payments in all, within
     * {@code window}.
     */
    record CircularFlow(boolean enabled, int maxHops, Duration window, long minAmountMinor, FraudAction action)
            implements RuleSettings {
        public CircularFlow {
            if (maxHops < 2 || maxHops > 8) {
                throw new IllegalArgumentException("max_hops must be between 2 and 8");
            }
            positive("window", window);
            nonNegative("min_amount_minor", minAmountMinor);
            Objects.requireNonNull(action, "action");
        }

        public static CircularFlow off() {
            return new CircularFlow(false, 4, Duration.ofHours(1), 0, FraudAction.FLAG);
        }

        @Override
        public String name() {
            return "circular_flow";
        }

        @Override
        public Duration lookback() {
            return window;
        }
    }

    /**
     * Multi-accounting: at least {@code minAccounts} distinct accounts send from one origin within
     * {@code window}; the origin is the client address, or address and user agent when
     * {@code byUserAgent}.
     */
    record SharedOrigin(boolean enabled, int minAccounts, Duration window, boolean byUserAgent, FraudAction action)
            implements RuleSettings {
        public SharedOrigin {
            if (minAccounts < 2) {
                throw new IllegalArgumentException("min_accounts must be at least 2");
            }
            positive("window", window);
            Objects.requireNonNull(action, "action");
        }

        public static SharedOrigin off() {
            return new SharedOrigin(false, 5, Duration.ofHours(1), false, FraudAction.FLAG);
        }

        @Override
        public String name() {
            return "shared_origin";
        }

        @Override
        public Duration lookback() {
            return window;
        }
    }

    private static void positive(String setting, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(setting + " must be positive");
        }
    }

    private static void nonNegative(String setting, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(setting + " must not be negative");
        }
    }

    private static void positive(String setting, Duration value) {
        Objects.requireNonNull(value, setting);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(setting + " must be positive");
        }
    }
}
