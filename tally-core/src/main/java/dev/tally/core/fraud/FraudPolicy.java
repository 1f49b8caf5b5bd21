package dev.tally.core.fraud;

import dev.tally.core.fraud.RuleSettings.AmountAnomaly;
import dev.tally.core.fraud.RuleSettings.CircularFlow;
import dev.tally.core.fraud.RuleSettings.FanIn;
import dev.tally.core.fraud.RuleSettings.NewAccount;
import dev.tally.core.fraud.RuleSettings.PassThrough;
import dev.tally.core.fraud.RuleSettings.SharedOrigin;
import dev.tally.core.fraud.RuleSettings.SingleAmount;
import dev.tally.core.fraud.RuleSettings.VelocityCount;
import dev.tally.core.fraud.RuleSettings.VelocityVolume;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The fraud shield's rules (the seed's AntiFraudShield), each with its thresholds and action, each one
 * switchable off. {@link #disabled()} runs none; the three-number constructor is the original shield
 * (payments per window and a single-amount limit, both freezing the sender).
 */
public record FraudPolicy(
        VelocityCount velocityCount,
        SingleAmount singleAmount,
        VelocityVolume velocityVolume,
        AmountAnomaly amountAnomaly,
        NewAccount newAccount,
        PassThrough passThrough,
        FanIn fanIn,
        CircularFlow circularFlow,
        SharedOrigin sharedOrigin,
        Duration holdExpiry) {
    /** How long a payment a {@code hold} rule stopped stays reserved before it expires, unless set otherwise. */
    public static final Duration DEFAULT_HOLD_EXPIRY = Duration.ofDays(3);

    public FraudPolicy {
        Objects.requireNonNull(velocityCount, "velocityCount");
        Objects.requireNonNull(singleAmount, "singleAmount");
        Objects.requireNonNull(velocityVolume, "velocityVolume");
        Objects.requireNonNull(amountAnomaly, "amountAnomaly");
        Objects.requireNonNull(newAccount, "newAccount");
        Objects.requireNonNull(passThrough, "passThrough");
        Objects.requireNonNull(fanIn, "fanIn");
        Objects.requireNonNull(circularFlow, "circularFlow");
        Objects.requireNonNull(sharedOrigin, "sharedOrigin");
        Objects.requireNonNull(holdExpiry, "holdExpiry");
        // A hold becomes a pending transfer, whose timeout the ledger bounds the same way.
        if (holdExpiry.compareTo(Duration.ofSeconds(1)) < 0 || holdExpiry.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalArgumentException("hold_expiry must be between 1 second and 30 days");
        }
    }

    /** The rules with the default hold expiry ({@link #DEFAULT_HOLD_EXPIRY}). */
    public FraudPolicy(
            VelocityCount velocityCount,
            SingleAmount singleAmount,
            VelocityVolume velocityVolume,
            AmountAnomaly amountAnomaly,
            NewAccount newAccount,
            PassThrough passThrough,
            FanIn fanIn,
            CircularFlow circularFlow,
            SharedOrigin sharedOrigin) {
        this(
                velocityCount,
                singleAmount,
                velocityVolume,
                amountAnomaly,
                newAccount,
                passThrough,
                fanIn,
                circularFlow,
                sharedOrigin,
                DEFAULT_HOLD_EXPIRY);
    }

    /**
     * The original shield: an account that sends more than {@code maxPaymentsPerWindow} payments within
     * {@code window}, or one payment larger than {@code maxSingleMinor} minor units, is frozen and that
     * payment refused. The other rules are off.
     */
    public FraudPolicy(int maxPaymentsPerWindow, Duration window, long maxSingleMinor) {
        this(
                new VelocityCount(true, maxPaymentsPerWindow, window, FraudAction.FREEZE),
                new SingleAmount(true, maxSingleMinor, FraudAction.FREEZE),
                VelocityVolume.off(),
                AmountAnomaly.off(),
                NewAccount.off(),
                PassThrough.off(),
                FanIn.off(),
                CircularFlow.off(),
                SharedOrigin.off());
    }

    /** A shield that never fires. */
    public static FraudPolicy disabled() {
        return new FraudPolicy(
                VelocityCount.off(),
                SingleAmount.off(),
                VelocityVolume.off(),
                AmountAnomaly.off(),
                NewAccount.off(),
                PassThrough.off(),
                FanIn.off(),
                CircularFlow.off(),
                SharedOrigin.off());
    }

    /** Limits for a player economy that only a bot or a stolen account reaches: 600 payments a minute. */
    public static FraudPolicy playerDefaults() {
        return new FraudPolicy(600, Duration.ofMinutes(1), Long.MAX_VALUE);
    }

    /**
     * Every rule on, with the thresholds docs/FRAUD.md measured on a synthetic game economy whose amounts
     * are in whole coins (scale 0). Volume limits are per currency, so none apply until some are given.
     */
    public static FraudPolicy recommended() {
        return new FraudPolicy(
                new VelocityCount(true, 600, Duration.ofMinutes(1), FraudAction.FREEZE),
                new SingleAmount(false, Long.MAX_VALUE, FraudAction.FREEZE),
                new VelocityVolume(true, Map.of(), Duration.ofHours(1), FraudAction.FLAG),
                new AmountAnomaly(true, 20, 10, 50, Duration.ofDays(7), 500, FraudAction.FLAG),
                new NewAccount(true, Duration.ofDays(1), 30, Duration.ofHours(1), 5_000, FraudAction.REJECT),
                new PassThrough(true, 2_000, 80, Duration.ofHours(2), FraudAction.FLAG),
                new FanIn(true, 5, Duration.ofHours(2), Duration.ofDays(2), 3, Duration.ofDays(1), FraudAction.FLAG),
                new CircularFlow(true, 4, Duration.ofHours(2), 200, FraudAction.FLAG),
                new SharedOrigin(true, 4, Duration.ofHours(1), false, FraudAction.FLAG));
    }

    /** Every rule's settings, in the order the shield evaluates them. */
    public List<RuleSettings> rules() {
        return List.of(
                velocityCount,
                singleAmount,
                velocityVolume,
                amountAnomaly,
                newAccount,
                passThrough,
                fanIn,
                circularFlow,
                sharedOrigin);
    }

    /** Whether any rule runs. */
    public boolean active() {
        return rules().stream().anyMatch(RuleSettings::enabled);
    }

    /** How far back the running rules look: what a restart must reload from the ledger. */
    public Duration lookback() {
        return rules().stream()
                .filter(RuleSettings::enabled)
                .map(RuleSettings::lookback)
                .max(Duration::compareTo)
                .orElse(Duration.ZERO);
    }

    /** The velocity rule's limit (the original shield's setting). */
    public int maxPaymentsPerWindow() {
        return velocityCount.enabled() ? velocityCount.maxPayments() : Integer.MAX_VALUE;
    }

    /** The velocity rule's window (the original shield's setting). */
    public Duration window() {
        return velocityCount.window();
    }

    /** The single-amount limit (the original shield's setting). */
    public long maxSingleMinor() {
        return singleAmount.enabled() ? singleAmount.maxMinor() : Long.MAX_VALUE;
    }

    public FraudPolicy withVelocityCount(VelocityCount s) {
        return new FraudPolicy(
                s,
                singleAmount,
                velocityVolume,
                amountAnomaly,
                newAccount,
                passThrough,
                fanIn,
                circularFlow,
                sharedOrigin,
                holdExpiry);
    }

    public FraudPolicy withSingleAmount(SingleAmount s) {
        return new FraudPolicy(
                velocityCount,
                s,
                velocityVolume,
                amountAnomaly,
                newAccount,
                passThrough,
                fanIn,
                circularFlow,
                sharedOrigin,
                holdExpiry);
    }

    public FraudPolicy withVelocityVolume(VelocityVolume s) {
        return new FraudPolicy(
                velocityCount,
                singleAmount,
                s,
                amountAnomaly,
                newAccount,
                passThrough,
                fanIn,
                circularFlow,
                sharedOrigin,
                holdExpiry);
    }

    public FraudPolicy withAmountAnomaly(AmountAnomaly s) {
        return new FraudPolicy(
                velocityCount,
                singleAmount,
                velocityVolume,
                s,
                newAccount,
                passThrough,
                fanIn,
                circularFlow,
                sharedOrigin,
                holdExpiry);
    }

    public FraudPolicy withNewAccount(NewAccount s) {
        return new FraudPolicy(
                velocityCount,
                singleAmount,
                velocityVolume,
                amountAnomaly,
                s,
                passThrough,
                fanIn,
                circularFlow,
                sharedOrigin,
                holdExpiry);
    }

    public FraudPolicy withPassThrough(PassThrough s) {
        return new FraudPolicy(
                velocityCount,
                singleAmount,
                velocityVolume,
                amountAnomaly,
                newAccount,
                s,
                fanIn,
                circularFlow,
                sharedOrigin,
                holdExpiry);
    }

    public FraudPolicy withFanIn(FanIn s) {
        return new FraudPolicy(
                velocityCount,
                singleAmount,
                velocityVolume,
                amountAnomaly,
                newAccount,
                passThrough,
                s,
                circularFlow,
                sharedOrigin,
                holdExpiry);
    }

    public FraudPolicy withCircularFlow(CircularFlow s) {
        return new FraudPolicy(
                velocityCount,
                singleAmount,
                velocityVolume,
                amountAnomaly,
                newAccount,
                passThrough,
                fanIn,
                s,
                sharedOrigin,
                holdExpiry);
    }

    public FraudPolicy withSharedOrigin(SharedOrigin s) {
        return new FraudPolicy(
                velocityCount,
                singleAmount,
                velocityVolume,
                amountAnomaly,
                newAccount,
                passThrough,
                fanIn,
                circularFlow,
                s,
                holdExpiry);
    }

    /** The same rules, holding payments for {@code expiry} before a hold expires and its funds return. */
    public FraudPolicy withHoldExpiry(Duration expiry) {
        return new FraudPolicy(
                velocityCount,
                singleAmount,
                velocityVolume,
                amountAnomaly,
                newAccount,
                passThrough,
                fanIn,
                circularFlow,
                sharedOrigin,
                expiry);
    }
}
